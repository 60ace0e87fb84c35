/* SPDX-License-Identifier: GPL-2.0-or-later */
/* entropyd --raw SOURCE: a source's raw noise samples to a descriptor. */
#ifndef ENTROPYD_RAWDUMP_H
#define ENTROPYD_RAWDUMP_H

#include <stddef.h>

#include "pipeline.h"

/*
 * Probe and open the source called name among sources[0..n), then write
 * its raw samples (ops->read_raw) to out_fd until SIGINT, SIGTERM or the
 * reader goes away; close it.  Nothing is credited or tested.  Returns the
 * exit status: 0, or EXIT_FAILED after logging why (no raw stage, not
 * usable, a read or write error, out_fd a terminal).
 */
int rawdump_run(struct source_instance *sources, size_t n, const char *name, int out_fd);

#endif
