/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One source instance and its worker thread: read raw bytes, assemble
 * 20000-bit blocks, run the FIPS 140-2 tests, and put passing blocks in a
 * small bounded queue.  A block equal to the previous passing block of the
 * same source fails too: every FIPS test passes a replayed block, but its
 * entropy was already counted once.  A queue at its depth puts the worker
 * to sleep before it reads again, so a pool that needs nothing costs no
 * CPU; a source whose reads cost CPU keeps only a block ready unless a
 * sink wants data (pipeline_depth).  Failing blocks are counted and wiped, never
 * queued; a source whose blocks keep failing (or whose reads fail) is
 * suspended and re-probed later with a growing back-off.
 *
 * The worker's life is a state machine owned by the main thread, which
 * alone moves it (under the lock, so the worker can read it):
 *   stopped -> starting -> running -> stopping -> joined -> starting ...
 * A source gets a new worker only from stopped or joined.  A worker that
 * does not stop in time stays in stopping: the source is out of service
 * (the main thread does not touch the instance) until a later stop joins it.
 */
#ifndef ENTROPYD_PIPELINE_H
#define ENTROPYD_PIPELINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fips.h"
#include "source.h"

/* Blocks a worker may hold ready: 16 x 2500 bytes, 40 KB a source. */
#define PIPELINE_QUEUE_BLOCKS 16
/*
 * An on-demand source's depth (source.h): one block ready while no sink
 * wants data (the first fill, so the first request is answered at once),
 * and while one does, one more block ahead of the one being taken.
 */
#define PIPELINE_IDLE_DEPTH_ON_DEMAND 1
#define PIPELINE_WANTED_DEPTH_ON_DEMAND 2
/* A worker's stack: its frames (the source's read, FIPS, health, a log
 * line) take under 16 KB; the rest is room for sanitizer builds. */
#define PIPELINE_WORKER_STACK ((size_t)256 * 1024)
/* Consecutive failing blocks that suspend a source (good data: ~1e-9). */
#define PIPELINE_FAIL_LIMIT 3
/* Longest wait between re-probes of a suspended source. */
#define PIPELINE_MAX_BACKOFF_S 900

enum pipeline_phase {
	PHASE_STOPPED,		/* no worker */
	PHASE_RUNNING,		/* open and reading */
	PHASE_SUSPENDED,	/* closed, waiting to re-probe */
};

enum pipeline_worker {
	WORKER_STOPPED,		/* never started */
	WORKER_STARTING,	/* pthread_create() under way */
	WORKER_RUNNING,
	WORKER_STOPPING,	/* asked to stop, not joined yet */
	WORKER_JOINED,		/* joined: the instance is the main thread's again */
};

struct source_stats {
	unsigned long long bytes_read;
	unsigned long long blocks_passed;
	unsigned long long blocks_failed;
	unsigned long long fips_failures[FIPS_TEST_COUNT];
	unsigned long long repeated_blocks;	/* passed FIPS but equal to the block before */
	unsigned long long suspensions;
	unsigned long long reprobes;
	unsigned int backoff_s;			/* suspended: wait before the next re-probe */
	unsigned long long bytes_used;		/* taken from the queue by the daemon */
	unsigned long long bits_credited;	/* credited to the kernel, while it counts credit */
	unsigned int credit;			/* in force, CREDIT_ONE_BIT units per byte */
	struct source_counters source;		/* the source's own (health alarms) */
	enum pipeline_phase phase;
	char last_error[SOURCE_MSG_MAX];
};

struct pipeline_settings {
	unsigned int retry_delay_s;	/* first back-off after a suspension */
	bool ignore_failures;		/* -i: drop failing blocks, never suspend */
	int data_fd;			/* eventfd the worker signals new blocks on */
	/*
	 * Signal data_fd when the queue reaches this many blocks (1: as soon
	 * as it stops being empty).  Throughput modes batch (half the queue)
	 * and wake on a timer besides; the kernel sink wants the first block
	 * at once.  0 means 1.
	 */
	unsigned int wake_blocks;
};

struct queued_block {
	uint8_t bytes[FIPS_BLOCK_BYTES];
	size_t used;			/* bytes of it already taken */
};

struct source_instance {
	const struct source_ops *ops;
	void *state;
	unsigned int credit;		/* in force (credit.h), CREDIT_ONE_BIT units per byte;
					   written under lock after an open */
	unsigned int credit_limit;	/* the admin's (-e, -O credit); 0: none */
	unsigned int credit_remainder;	/* fraction of a bit not yet credited */
	bool opened;			/* open() succeeded and close() is owed */
	bool open_in_worker;		/* the next worker opens it at once (source.h's
					   slow_open); set before pipeline_start() */
	char why[SOURCE_MSG_MAX];	/* why it is not usable, when it is not */
	bool demand_told;		/* the main thread's: last pipeline_demand() */

	struct pipeline_settings settings;
	int cancel_fd;			/* eventfd: readable once the worker must stop */
	int ahead_cancel_fd;		/* eventfd: readable once its reader must stop
					   (read_ahead sources; else -1) */
	pthread_t thread;
	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t space;		/* signalled when the worker may fill again */
	enum pipeline_worker worker;	/* written by the main thread only */
	unsigned int depth;		/* blocks the worker fills the queue to (pipeline_depth) */
	/* PIPELINE_QUEUE_BLOCKS blocks from pipeline_start() on: a source
	 * that never runs costs no memory */
	struct queued_block *queue;
	size_t queue_head;
	size_t queue_len;
	struct source_stats stats;
};

/* Create the instance of ops with its defaults.  0, or -1 (out of memory, no eventfd). */
int pipeline_create(struct source_instance *inst, const struct source_ops *ops,
		    const struct pipeline_settings *settings);

/* Probe and open now, from the main thread.  0, or -1 with inst->why set. */
int pipeline_open(struct source_instance *inst);

/* Log "source NAME: open, credit C bits per byte" after a successful open. */
void pipeline_log_opened(struct source_instance *inst);

/*
 * Start the worker (it re-probes first when the source is not open, after
 * the back-off unless open_in_worker is set).  0, or
 * -1 with errno: EBUSY when a worker exists (running, or late to stop).
 */
int pipeline_start(struct source_instance *inst);

/* Ask the worker to stop (no wait): running -> stopping, cancel_fd readable. */
void pipeline_request_stop(struct source_instance *inst);

/*
 * Join a stopping worker, waiting until deadline (CLOCK_REALTIME) at most.
 * 0 when no worker is left, -1 when it is still running.
 */
int pipeline_join(struct source_instance *inst, const struct timespec *deadline);

/* Request and join, waiting at most timeout_ms.  0 joined, -1 still running. */
int pipeline_stop(struct source_instance *inst, unsigned int timeout_ms);

/*
 * Stop the workers of n instances together: ask them all, then join each
 * until one shared deadline timeout_ms away.  Returns how many are late.
 */
size_t pipeline_stop_all(struct source_instance *insts, size_t n, unsigned int timeout_ms);

/* No worker (stopped or joined): the main thread may open, start, destroy. */
bool pipeline_idle(struct source_instance *inst);

/* Close the source and free the instance; only when idle. */
void pipeline_destroy(struct source_instance *inst);

/*
 * The queue depth, in blocks, a worker fills up to before it sleeps: a
 * fast source the whole queue; an on-demand source (source.h) one block,
 * two while a sink wants data.  The worker waits for room before it reads
 * a new block, so an on-demand source costs nothing once its depth is met.
 */
unsigned int pipeline_depth(const struct source_ops *ops, bool wanted);

/*
 * Once a take leaves queue_len blocks, wake a worker filling to depth?  A
 * full queue of a fast source resumes at half (a batch of blocks per
 * wake-up, not one); a shallower one as soon as it is below its depth.
 */
bool pipeline_resume(unsigned int depth, size_t queue_len);

/*
 * The loop says whether a sink wants data now (after its sinks stepped).
 * Only a change takes the lock and may wake the worker: an idle loop turns
 * no more often for it, and a source that is not on demand is unmoved.
 */
void pipeline_demand(struct source_instance *inst, bool wanted);

/* Validated bytes waiting in the queue. */
size_t pipeline_queued(struct source_instance *inst);

/*
 * Take up to max validated bytes from the queue into out, across blocks:
 * less than max only when the queue runs dry.  Returns the count.
 */
size_t pipeline_take(struct source_instance *inst, uint8_t *out, size_t max);

/*
 * Set the credit in force from the source's bound and credit_limit (the
 * bound may depend on the options, the machine or what open() measured).
 * pipeline_open() calls it after every successful open.
 */
void pipeline_update_credit(struct source_instance *inst);

/* The credit in force (CREDIT_ONE_BIT units per byte), read under the lock. */
unsigned int pipeline_credit(struct source_instance *inst);

/* Entropy in bits that 'bytes' from this source carry, carrying fractions over. */
unsigned int pipeline_credit_bits(struct source_instance *inst, size_t bytes);

/* Record bytes taken and bits credited (for statistics). */
void pipeline_account(struct source_instance *inst, size_t bytes, unsigned int bits);

/* A consistent copy of the counters. */
void pipeline_stats(struct source_instance *inst, struct source_stats *out);

/* "monobit, poker" for a FIPS failure mask. */
void pipeline_describe_failures(unsigned int mask, char *buf, size_t len);

#endif
