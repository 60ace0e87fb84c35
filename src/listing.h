/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropyd -l: every source, its state on this machine (probed, and opened
 * so that a start-up self-test has its say), the credit in force, what it
 * measured and its options, on stdout.
 */
#ifndef ENTROPYD_LISTING_H
#define ENTROPYD_LISTING_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline.h"

/* Print the n sources; 0 when an enabled one is usable, else EXIT_FAILED. */
int listing_print(struct source_instance *sources, const bool *enabled, size_t n);

#endif
