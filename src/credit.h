/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The credit policy, in one place.  A source states the most it can
 * justify per byte it delivers (its bound: ops->credit(state) when it has
 * one, else its default_credit).  The admin may lower that, with -e for
 * every source or -O SOURCE:credit for one (which wins over -e), but never
 * raise it: the credit in force is the smaller of the two.  And the kernel
 * counts credit only in some states; what it ignores is not reported as
 * credited.  Pure functions.
 */
#ifndef ENTROPYD_CREDIT_H
#define ENTROPYD_CREDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "feeder.h"
#include "source.h"

/* A limit of 0 means the admin set none. */
#define CREDIT_NO_LIMIT 0u

/* What the source can justify now, in CREDIT_ONE_BIT units per byte. */
unsigned int credit_bound(const struct source_ops *ops, const void *state);

/* The admin's limit for one source: its own -O credit if given, else -e, else none. */
unsigned int credit_limit(unsigned int global_limit, unsigned int source_limit);

/* The credit in force: the bound, lowered to the limit if there is one. */
unsigned int credit_in_force(unsigned int bound, unsigned int limit);

/* "4 bits per byte", "0.015625 bits per byte". */
void credit_format(unsigned int credit, char *buf, size_t len);

/* For -l: the credit in force and where it comes from. */
void credit_describe(unsigned int bound, unsigned int limit, char *buf, size_t len);

/*
 * Does the kernel count the credit of an add now?  Legacy pools always do;
 * modern ones (5.18+) only until the CRNG is ready, and ignore it after.
 */
bool credit_counted(const struct pool_state *pool);

#endif
