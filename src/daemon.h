/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon: the one event loop that moves validated blocks from the
 * sources' queues to the sinks (src/sinks/: the kernel pool, a file, FIFO
 * or stdout, the test counters, EGD clients), with the signals and the
 * control socket.  Around it: workers.c (source instances and their
 * threads), status.c (what it says about itself), listing.c (-l).
 */
#ifndef ENTROPYD_DAEMON_H
#define ENTROPYD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "control.h"
#include "pipeline.h"
#include "sink.h"
#include "stats.h"

#define DAEMON_MAX_SOURCES 16
/* The local sink (kernel, output or test) and EGD. */
#define DAEMON_MAX_SINKS 2

struct daemon_sink {
	const struct sink_ops *ops;
	void *state;
	size_t first_fd, n_fds;		/* its slice of the loop's pollfds */
};

struct daemon {
	const struct config *cfg;
	struct source_instance sources[DAEMON_MAX_SOURCES];	/* one per registry entry */
	bool enabled[DAEMON_MAX_SOURCES];
	bool running[DAEMON_MAX_SOURCES];	/* in service: its worker is running */
	size_t n_sources;

	struct daemon_sink sinks[DAEMON_MAX_SINKS];	/* stepped in this order */
	size_t n_sinks;
	const char *mode;			/* the status's "mode": the local sink's name */

	struct control_server control;	/* entropyctl's socket, if any */
	bool notify_status;		/* a service manager listens: send STATUS= */
	uint64_t last_status_ms;	/* last STATUS= to the service manager */
	uint64_t watchdog_ms;		/* WATCHDOG=1 interval, 0 for none */
	uint64_t last_watchdog_ms;

	int signal_fd;
	int data_fd;		/* workers signal new blocks */
	size_t next_source;	/* round-robin position, so no source dominates */
	bool ready_sent;
	uint64_t start_ms;
	uint64_t once_deadline_ms;	/* --once gives up (exit 1) at this time */
	struct pollfd fds[4 + CONTROL_MAX_CLIENTS + DAEMON_MAX_SINKS * SINK_MAX_POLLFDS];
	unsigned long long bytes_out;	/* bytes injected or written */
	unsigned long long bits_out;	/* bits credited */
};

/*
 * Create an instance of every registered source and apply the options (-r,
 * -e, -O).  0, or EXIT_USAGE after printing what is wrong.
 */
int daemon_setup(struct daemon *d, const struct config *cfg);


/* Open the sinks: the local one named by -t/-o (none with --egd-only), then
 * the EGD server.  0, or EXIT_FAILED (logged). */
int daemon_open_sinks(struct daemon *d);


/* Open the control socket (-c; not in -t mode unless asked).  0, or EXIT_FAILED. */
int daemon_open_control(struct daemon *d);


/* Block signals, start the workers, run until TERM/INT (or --once is done). */
int daemon_run(struct daemon *d);

/* Stop workers, close the sinks (restoring the sysctl), free everything. */
void daemon_teardown(struct daemon *d);

#endif
