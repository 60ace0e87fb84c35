/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals of the rdrand source that its tests reach. */
#ifndef ENTROPYD_SOURCES_RDRAND_H
#define ENTROPYD_SOURCES_RDRAND_H

#include <stddef.h>
#include <stdint.h>

enum rdrand_mode { RDRAND_MODE_AUTO, RDRAND_MODE_RDSEED, RDRAND_MODE_RDRAND };

/*
 * The start-up self-test on n values: refuse all ones, one value n times,
 * or any repeated value.  0 passes; -1 with the reason in why (no values).
 */
int rdrand_selftest(const uint64_t *values, size_t n, char *why, size_t whylen);

#endif
