/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The feeding policy, pure: given the pool's state, the clock and how many
 * validated bytes are queued, decide "feed N bytes now" or "wait until T /
 * for data / for POLLOUT".  No I/O; unit-tested against simulated kernels of
 * both eras (see DESIGN.md's kernel table).
 */
#ifndef ENTROPYD_FEEDER_H
#define ENTROPYD_FEEDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kernel_era {
	KERNEL_ERA_LEGACY,	/* 2.6.32 - 5.17: 4096-bit pool, entropy_avail moves */
	KERNEL_ERA_MODERN,	/* 5.18+: 256-bit pool, credit counts only before CRNG init */
};

/* What the kernel module read from /proc and getrandom(). */
struct pool_state {
	enum kernel_era era;
	unsigned int poolsize_bits;
	unsigned int entropy_avail_bits;
	bool crng_ready;	/* getrandom(GRND_NONBLOCK) would not block */
	/*
	 * Legacy: the device wakes a writer (POLLOUT) when entropy_avail is
	 * below wakeup_threshold_bits.  False for /dev/urandom (no poll there
	 * before 5.18: always "ready") or when the threshold cannot be read.
	 */
	bool pollout;
	unsigned int wakeup_threshold_bits;	/* write_wakeup_threshold */
};

struct feeder_config {
	unsigned int fill_watermark_bits;	/* legacy: keep entropy_avail >= this */
	unsigned int step_bytes;		/* bytes per RNDADDENTROPY */
	uint64_t reseed_interval_ms;		/* modern: mix a step + reseed this often;
						   legacy: re-check this often besides POLLOUT */
	unsigned int step_credit_bits;		/* legacy: bits credited for a full step by
						   the least credited source */
};

struct feeder_state {
	uint64_t next_reseed_ms;	/* modern: when the next mix + reseed is due */
	unsigned long long reseeds;	/* mix + reseed steps done */
	unsigned long long steps;	/* steps fed in all */
};

enum feeder_action {
	FEEDER_FEED,	/* add feed_bytes now, then ask again */
	FEEDER_WAIT,	/* nothing to do until an event below */
};

struct feeder_decision {
	enum feeder_action action;
	unsigned int feed_bytes;	/* FEED: size of this step (<= bytes queued) */
	bool reseed;			/* FEED: force a CRNG reseed after the add */
	bool want_data;		/* WAIT: would feed now but nothing is queued:
				   wake when validated bytes arrive */
	bool want_pollout;	/* WAIT: legacy, wake on POLLOUT of the random device */
	uint64_t wake_at_ms;	/* WAIT: ask again by then; UINT64_MAX for never */
};

/* Start a policy at now_ms: the first mix + reseed step is due at once. */
void feeder_init(struct feeder_state *state, uint64_t now_ms);

struct feeder_decision feeder_decide(const struct feeder_state *state,
				     const struct feeder_config *config,
				     const struct pool_state *pool,
				     uint64_t now_ms, size_t bytes_queued);

/*
 * Record that a step of 'bytes' was fed at now_ms.  timed_step: it was the
 * interval's mix + reseed step (the decision said reseed), whether or not
 * the kernel could reseed; the next one is due an interval later.
 */
void feeder_fed(struct feeder_state *state, const struct feeder_config *config,
		unsigned int bytes, bool timed_step, uint64_t now_ms);

/*
 * For --once: has the pool been filled?  Legacy: entropy_avail at or above
 * the watermark.  Modern: the CRNG is ready and one reseed step was done.
 */
bool feeder_once_done(const struct feeder_state *state,
		      const struct feeder_config *config,
		      const struct pool_state *pool);

/*
 * Legacy: the watermark the policy keeps, config's capped at
 * feeder_legacy_cap() for its step credit.  The daemon sets
 * write_wakeup_threshold to this.
 */
unsigned int feeder_legacy_watermark(const struct feeder_config *config,
				     unsigned int poolsize_bits);

/*
 * Legacy: the highest entropy_avail that steps crediting step_bits each are
 * sure to reach from any level, as 3.13 - 5.17 count credit (asymptotic,
 * in eighths of a bit, rounded down: each step adds 3/4 of its share of the
 * room left, so a step's credit rounds to nothing a little below the top).
 * Linear kernels (2.6.32 - 3.12) credit more, so they reach it too.
 */
unsigned int feeder_legacy_cap(unsigned int poolsize_bits, unsigned int step_bits);

/* Era from behaviour: a pool larger than 256 bits is the legacy one. */
enum kernel_era feeder_era_from_poolsize(unsigned int poolsize_bits);

#endif
