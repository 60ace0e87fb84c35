/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A sink: where validated blocks go.  Each one (src/sinks/<name>.c) exports
 * one const ops table, like the sources do.  The daemon's loop asks every
 * open sink to step, polls the descriptors they name together with its own
 * (signals, new blocks, the control socket) and hands back what poll saw.
 * A sink never blocks: it takes bytes only when it can pass them on, and
 * waits on its descriptors or a deadline otherwise.
 *
 * What a sink takes from the sources it gets through the sink_io functions
 * below, which the daemon implements: the next queued bytes, round-robin
 * over the running sources, and the accounting of what was used.
 */
#ifndef ENTROPYD_SINK_H
#define ENTROPYD_SINK_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "pipeline.h"
#include "stats.h"

/*
 * -t and output take queued blocks at least this often: slow sources fill a
 * batch slowly, fast ones wake the loop when half their queue is full.
 */
#define SINK_BATCH_WAIT_MS 100

/* Most descriptors one sink asks the loop to poll. */
#define SINK_MAX_POLLFDS 300

enum sink_result {
	SINK_FATAL = -1,	/* stop the daemon with a failure (logged) */
	SINK_CONTINUE = 0,
	SINK_DONE = 1,		/* its work is over (--once, the reader left) */
};

/* What a sink waits for before its next step; the loop merges them. */
struct sink_wait {
	bool want_data;		/* step again when a validated block is queued */
	uint64_t wake_at_ms;	/* step again by then; UINT64_MAX for never */
};

struct sink_io;	/* the daemon, as the sinks see it */

struct sink_ops {
	const char *name;
	/*
	 * Wants every block at once (the kernel while seeding, EGD clients
	 * that wait), rather than in batches that keep throughput up.
	 */
	bool latency_sensitive;
	/* Open: 0, or EXIT_FAILED / EXIT_USAGE (logged).  *state is the sink's. */
	int (*open)(void **state, const struct config *cfg);
	/* Move data and say what to wait for.  A sink_result. */
	int (*step)(void *state, struct sink_io *io, uint64_t now_ms, struct sink_wait *wait);
	/* Descriptors to poll before the next step (at most max); NULL for a
	 * sink that has none. */
	size_t (*pollfds)(void *state, struct pollfd *fds, size_t max);
	/* What poll reported for them (same order); NULL when a wake-up is
	 * all they mean (the next step looks again). */
	void (*events)(void *state, struct sink_io *io, const struct pollfd *fds, size_t n,
		       uint64_t now_ms);
	/* Add what it knows to the status snapshot (may be NULL). */
	void (*snapshot)(void *state, struct stats_snapshot *snap);
	/* The loop has ended: last words (a final report), then free. */
	void (*close)(void *state, struct sink_io *io, uint64_t now_ms);
};

/* Take up to max validated bytes from the next source with data.  *from
 * is the source they came from.  0 when nothing is queued. */
size_t sink_io_take(struct sink_io *io, uint8_t *buf, size_t max, struct source_instance **from);

/* Record bytes used from a source and the bits credited for them. */
void sink_io_account(struct sink_io *io, struct source_instance *from, size_t bytes,
		     unsigned int bits);

/* Validated bytes queued over all running sources, and the entropy they
 * carry in bits at each source's credit. */
size_t sink_io_queued(struct sink_io *io);
unsigned long long sink_io_queued_bits(struct sink_io *io);

/* Source i with a worker, or NULL (i below sink_io_source_count()). */
size_t sink_io_source_count(struct sink_io *io);
struct source_instance *sink_io_source(struct sink_io *io, size_t i);

/* Data has reached its destination for the first time: tell the service
 * manager we are ready (once). */
void sink_io_ready(struct sink_io *io, const char *why);

/* Milliseconds since the daemon started its loop. */
uint64_t sink_io_uptime_ms(struct sink_io *io, uint64_t now_ms);

#endif
