/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a running daemon says about itself: the status snapshot (for the
 * control socket's JSON document), the summary SIGUSR1 logs, and STATUS= /
 * WATCHDOG=1 to the service manager.
 */
#ifndef ENTROPYD_STATUS_H
#define ENTROPYD_STATUS_H

#include <stdint.h>

#include "daemon.h"
#include "stats.h"

/* The counters of the sources and sinks as one snapshot. */
void status_snapshot(struct daemon *d, struct stats_snapshot *snap);

/* The control socket's answer (ctx: the daemon): the status document on
 * one line, malloc'd; NULL when out of memory. */
char *status_json(void *ctx);

/* SIGUSR1: the summary and each enabled source's counters, to the log. */
void status_log_summary(struct daemon *d);

/* STATUS= now and then, WATCHDOG=1 on time, when a service manager listens. */
void status_notify_periodic(struct daemon *d, uint64_t now);

#endif
