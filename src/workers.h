/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sources' side of the daemon: an instance of each registered source
 * with its options, open the enabled ones, give a worker
 * thread to each that wants one (and never a second while one has not
 * been joined), and stop them all against one deadline.
 */
#ifndef ENTROPYD_WORKERS_H
#define ENTROPYD_WORKERS_H

#include "daemon.h"

/*
 * Create an instance of every registered source and apply the options (-r,
 * -e, -O).  0, or EXIT_USAGE / EXIT_FAILED after printing what is wrong.
 */
int workers_create(struct daemon *d);

/*
 * Open the enabled sources; a slow one (source.h's slow_open) is left to
 * its worker when another opened.  0 if at least one opened, else
 * EXIT_FAILED (logged).
 */
int workers_open_sources(struct daemon *d);

/* After workers_stop() (SIGHUP): open again the sources without a worker, as above; failures are logged. */
void workers_reopen(struct daemon *d);

/* Start the worker of every source that wants one.  0, or EXIT_FAILED. */
int workers_start(struct daemon *d);

/*
 * Tell the running sources whether a sink wants data now (the merged
 * want_data of a loop turn): on-demand sources read only while one does.
 */
void workers_demand(struct daemon *d, bool wanted);

/* Stop every worker; one that outlasts the deadline keeps its source out
 * of service (reported), and is joined by a later stop. */
void workers_stop(struct daemon *d);

#endif
