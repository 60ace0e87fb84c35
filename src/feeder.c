/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The feeding policy, per kernel era (told apart by poolsize, in kernel.c):
 *
 *  legacy (poolsize 4096, 2.6.32 - 5.17): entropy_avail moves and credit
 *   counts, so keep it at or above the fill watermark, one step at a time,
 *   re-reading the count after each step (credit is asymptotic on 3.13 -
 *   5.17).  Above the watermark, sleep until the kernel says POLLOUT
 *   (write_wakeup_threshold) or the re-check interval passes.
 *
 *  modern (poolsize 256, 5.18+): credit counts only until the CRNG is
 *   ready.  Before that, feed as fast as validated bytes arrive (the
 *   initial seed); afterwards mix one step in and force a reseed once per
 *   interval, and otherwise do nothing at all.
 */
#include "config.h"

#include "feeder.h"

/* The largest modern pool; anything bigger is the legacy input pool. */
#define MODERN_POOLSIZE_BITS 256

enum kernel_era feeder_era_from_poolsize(unsigned int poolsize_bits)
{
	return poolsize_bits > MODERN_POOLSIZE_BITS ? KERNEL_ERA_LEGACY : KERNEL_ERA_MODERN;
}

void feeder_init(struct feeder_state *state, uint64_t now_ms)
{
	state->next_reseed_ms = now_ms;
	state->reseeds = 0;
	state->steps = 0;
}

static uint64_t later(uint64_t now_ms, uint64_t interval_ms)
{
	return interval_ms > UINT64_MAX - now_ms ? UINT64_MAX : now_ms + interval_ms;
}

/* Feed a step now if bytes are queued, else wait for them (and re-check by recheck_ms). */
static struct feeder_decision feed_or_wait(const struct feeder_config *config, size_t bytes_queued,
					   bool reseed, uint64_t recheck_ms)
{
	struct feeder_decision d = { .action = FEEDER_WAIT, .wake_at_ms = recheck_ms };

	if (bytes_queued) {
		d.action = FEEDER_FEED;
		d.feed_bytes = bytes_queued < config->step_bytes ? (unsigned int)bytes_queued :
								   config->step_bytes;
		d.reseed = reseed;
		d.wake_at_ms = 0;
	} else {
		d.want_data = true;
	}
	return d;
}

struct feeder_decision feeder_decide(const struct feeder_state *state,
				     const struct feeder_config *config,
				     const struct pool_state *pool,
				     uint64_t now_ms, size_t bytes_queued)
{
	struct feeder_decision d = { .action = FEEDER_WAIT, .wake_at_ms = UINT64_MAX };
	uint64_t recheck = later(now_ms, config->reseed_interval_ms);

	if (pool->era == KERNEL_ERA_LEGACY) {
		if (pool->entropy_avail_bits < config->fill_watermark_bits)
			return feed_or_wait(config, bytes_queued, false, recheck);
		d.want_pollout = true;
		d.wake_at_ms = recheck;
		return d;
	}
	/* modern */
	if (!pool->crng_ready)
		return feed_or_wait(config, bytes_queued, false, recheck);
	if (now_ms >= state->next_reseed_ms)
		/* data arrival wakes us; nothing else is worth a timer */
		return feed_or_wait(config, bytes_queued, true, UINT64_MAX);
	d.wake_at_ms = state->next_reseed_ms;
	return d;
}

void feeder_fed(struct feeder_state *state, const struct feeder_config *config,
		bool timed_step, uint64_t now_ms)
{
	state->steps++;
	if (timed_step) {
		state->reseeds++;
		state->next_reseed_ms = later(now_ms, config->reseed_interval_ms);
	}
}

bool feeder_once_done(const struct feeder_state *state,
		      const struct feeder_config *config,
		      const struct pool_state *pool)
{
	if (pool->era == KERNEL_ERA_LEGACY)
		return pool->entropy_avail_bits >= config->fill_watermark_bits;
	return pool->crng_ready && state->reseeds > 0;
}
