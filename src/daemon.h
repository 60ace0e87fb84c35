/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon: source instances, the sink (kernel pool, file/FIFO/stdout, or
 * nothing in test mode) and the one event loop between them.
 */
#ifndef ENTROPYD_DAEMON_H
#define ENTROPYD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "control.h"
#include "feeder.h"
#include "kernel.h"
#include "pipeline.h"
#include "stats.h"

#define DAEMON_MAX_SOURCES 16

enum daemon_mode {
	MODE_KERNEL,	/* credit the kernel's pool, following the feeder policy */
	MODE_OUTPUT,	/* write validated bytes to a file, FIFO or stdout */
	MODE_TEST,	/* validate only, print rates (-t) */
};

struct daemon {
	const struct config *cfg;
	struct source_instance sources[DAEMON_MAX_SOURCES];	/* one per registry entry */
	bool enabled[DAEMON_MAX_SOURCES];
	bool running[DAEMON_MAX_SOURCES];	/* has a worker */
	size_t n_sources;

	enum daemon_mode mode;
	struct kernel_pool pool;		/* MODE_KERNEL */
	int out_fd;				/* MODE_OUTPUT */
	struct feeder_config feeder_cfg;
	struct feeder_state feeder;

	struct control_server control;	/* entropyctl's socket, if any */
	bool notify_status;		/* a service manager listens: send STATUS= */
	uint64_t last_status_ms;	/* last STATUS= to the service manager */
	uint64_t watchdog_ms;		/* WATCHDOG=1 interval, 0 for none */
	uint64_t last_watchdog_ms;

	int signal_fd;
	int data_fd;		/* workers signal new blocks */
	int cancel_fd;		/* readable: workers stop */
	size_t next_source;	/* round-robin position, so no source dominates */
	bool ready_sent;
	uint64_t start_ms;
	uint64_t once_deadline_ms;	/* --once gives up (exit 1) at this time */
	unsigned long long bytes_out;	/* bytes injected or written */
	unsigned long long bits_out;	/* bits credited */
};

/*
 * Create an instance of every registered source and apply the options (-r,
 * -e, -O).  0, or EXIT_USAGE after printing what is wrong.
 */
int daemon_setup(struct daemon *d, const struct config *cfg);

/* -l: print every source, its state, credit and options; the exit code. */
int daemon_list(struct daemon *d);

/* Open the sink named by -o (or none for -t).  0, or EXIT_FAILED (logged). */
int daemon_open_sink(struct daemon *d);

/* Open the enabled sources.  0 if at least one opened, else EXIT_FAILED (logged). */
int daemon_open_sources(struct daemon *d);

/* Open the control socket (-c; not in -t mode unless asked).  0, or EXIT_FAILED. */
int daemon_open_control(struct daemon *d);

/* The counters as the status document's snapshot. */
void daemon_snapshot(struct daemon *d, struct stats_snapshot *snap);

/* Block signals, start the workers, run until TERM/INT (or --once is done). */
int daemon_run(struct daemon *d);

/* Stop workers, close the sink (restoring the sysctl), free everything. */
void daemon_teardown(struct daemon *d);

#endif
