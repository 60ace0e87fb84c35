/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The feeding policy (see DESIGN.md's kernel table):
 *
 *  legacy (poolsize 4096, 2.6.32 - 5.17): entropy_avail moves and credit
 *   counts, so keep it at or above the fill watermark, one step at a time,
 *   re-reading the count after each step.  From 3.13 to 5.17 credit is
 *   asymptotic and rounds down to nothing just below the top, so the
 *   watermark is capped where whole steps are sure to get to: a fill
 *   always ends.  Above the watermark, sleep until the kernel says POLLOUT
 *   (write_wakeup_threshold) or the re-check interval passes; where POLLOUT
 *   would not block (/dev/urandom, a threshold above the pool), only the
 *   interval.
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
/* 3.13 - 5.17 count entropy in eighths of a bit (ENTROPY_SHIFT 3). */
#define FRAC_PER_BIT 8u

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

/*
 * The kernel facts (credit_entropy_bits, 3.13 - 5.17): a credit of n bits
 * at a pool of P eighths holding C adds, in one round,
 *   (P - C) * 3 * a / (4 * P)   eighths, rounded down, a = min(8 n, P / 2)
 * (bigger credits take more rounds; the first decides whether anything is
 * added).  So a credit raises the count while the room P - C is at least
 * the value below, and never once the room is smaller.
 */
static uint64_t legacy_room_needed(unsigned int poolsize_bits, unsigned int bits)
{
	uint64_t pool = (uint64_t)poolsize_bits * FRAC_PER_BIT;
	uint64_t a = (uint64_t)bits * FRAC_PER_BIT;

	if (a > pool / 2)
		a = pool / 2;
	if (a == 0)
		return UINT64_MAX;
	return (4 * pool - 1) / (3 * a) + 1;
}

unsigned int feeder_legacy_cap(unsigned int poolsize_bits, unsigned int step_bits)
{
	uint64_t pool = (uint64_t)poolsize_bits * FRAC_PER_BIT;
	uint64_t need = legacy_room_needed(poolsize_bits, step_bits);

	/* the count climbs until the room is below 'need', wherever it starts */
	if (need > pool)
		return 0;
	return (unsigned int)((pool - (need - 1)) / FRAC_PER_BIT);
}

unsigned int feeder_legacy_watermark(const struct feeder_config *config,
				     unsigned int poolsize_bits)
{
	unsigned int cap = feeder_legacy_cap(poolsize_bits, config->step_credit_bits);

	return config->fill_watermark_bits < cap ? config->fill_watermark_bits : cap;
}

/* Above the watermark: wait for POLLOUT where it can block now, else the timer. */
static struct feeder_decision legacy_wait(const struct pool_state *pool, uint64_t recheck)
{
	struct feeder_decision d = { .action = FEEDER_WAIT, .wake_at_ms = recheck };

	d.want_pollout = pool->pollout && pool->entropy_avail_bits >= pool->wakeup_threshold_bits;
	return d;
}

static struct feeder_decision legacy_decide(const struct feeder_config *config,
					    const struct pool_state *pool, size_t bytes_queued,
					    uint64_t recheck)
{
	/* Below the capped watermark every whole step raises the count, so
	 * the fill ends; less than a step (a block's last bytes) may count
	 * for nothing up there, but it uses data up, so it cannot spin. */
	if (pool->entropy_avail_bits >= feeder_legacy_watermark(config, pool->poolsize_bits))
		return legacy_wait(pool, recheck);
	return feed_or_wait(config, bytes_queued, false, recheck);
}

struct feeder_decision feeder_decide(const struct feeder_state *state,
				     const struct feeder_config *config,
				     const struct pool_state *pool,
				     uint64_t now_ms, size_t bytes_queued)
{
	struct feeder_decision d = { .action = FEEDER_WAIT, .wake_at_ms = UINT64_MAX };
	uint64_t recheck = later(now_ms, config->reseed_interval_ms);

	if (pool->era == KERNEL_ERA_LEGACY)
		return legacy_decide(config, pool, bytes_queued, recheck);
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
		unsigned int bytes, bool timed_step, uint64_t now_ms)
{
	(void)bytes;
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
		return pool->entropy_avail_bits >= feeder_legacy_watermark(config, pool->poolsize_bits);
	return pool->crng_ready && state->reseeds > 0;
}
