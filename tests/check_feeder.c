/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/feeder.c, the pure policy, against simulated kernels
 * of both eras, driven in a loop with a fake clock the way src/daemon.c
 * drives it.
 *
 * The legacy kernel here follows drivers/char/random.c of 2.6.32 - 5.17:
 * an input pool of 4096 bits counted in eighths of a bit; RNDADDENTROPY
 * credit clamped to the pool size and counted linearly (2.6.32 - 3.12) or
 * asymptotically with the kernel's integer arithmetic (3.13 - 5.17:
 * credit_entropy_bits, and a nearly full input pool pushing 64 bits at a
 * time to the blocking pool); /dev/random read through the blocking pool, which
 * pulls whole bytes from the input pool (at least read_wakeup_threshold
 * bits' worth, nothing when less is there), so entropy_avail drops as it
 * is read; POLLOUT on /dev/random while entropy_avail is below
 * write_wakeup_threshold, and never anything but "ready" on /dev/urandom.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeder.h"

#define MS_PER_S 1000u
#define FRAC 8			/* the kernel's ENTROPY_SHIFT: eighths of a bit */
#define POOL_BITS 4096
#define BLOCKING_BITS 1024	/* the blocking pool: 32 words */
#define READ_WAKEUP 64		/* read_wakeup_threshold */

/* ---- the simulated legacy kernel ------------------------------------------ */

struct kern {
	int count;			/* input pool, eighths of a bit */
	int blocking;			/* blocking pool, bits */
	int asymptotic;			/* 3.13 - 5.17 */
	unsigned int write_wakeup;	/* write_wakeup_threshold */
	int urandom;			/* the daemon's device is /dev/urandom */
};

static unsigned int kern_avail(const struct kern *k)
{
	return (unsigned int)(k->count / FRAC);
}

/* RNDADDENTROPY with nbits of credit. */
static void kern_credit(struct kern *k, int nbits)
{
	const int pool = POOL_BITS * FRAC;
	int nfrac, pnfrac;

	if (nbits > POOL_BITS)		/* credit_entropy_bits_safe */
		nbits = POOL_BITS;
	nfrac = nbits * FRAC;
	if (!k->asymptotic) {
		k->count += nfrac;
	} else {
		/* add 3/4 of the credit's share of the room, at most half the
		 * pool a round, rounding down; stop 2 eighths short of full */
		for (pnfrac = nfrac; pnfrac > 0;) {
			unsigned int a = (unsigned int)(pnfrac < pool / 2 ? pnfrac : pool / 2);
			unsigned int add = ((unsigned int)(pool - k->count) * a * 3) >> (12 + 3 + 2);

			k->count += (int)add;
			pnfrac -= (int)a;
			if (k->count >= pool - 2)
				break;
		}
	}
	if (k->count > pool)
		k->count = pool;
	/* 3.13 - 5.17: an input pool over three quarters full pushes a read
	 * wake-up's worth (64 bits) to the blocking pool while that is at
	 * most three quarters full (push_to_pool) */
	if (k->asymptotic && kern_avail(k) > POOL_BITS * 3 / 4 &&
	    k->blocking <= BLOCKING_BITS * 3 / 4) {
		k->count -= READ_WAKEUP * FRAC;
		k->blocking += READ_WAKEUP;
	}
}

/* A read of /dev/random: the bytes the reader gets now (0: it blocks). */
static unsigned int kern_read_random(struct kern *k, unsigned int nbytes)
{
	unsigned int got;

	if (k->blocking < (int)nbytes * 8) {
		/* pull at least a wake-up's worth, at most the blocking pool */
		unsigned int want = nbytes < READ_WAKEUP / 8 ? READ_WAKEUP / 8 : nbytes;
		unsigned int have = (unsigned int)k->count / (8 * FRAC);

		if (want > BLOCKING_BITS / 8)
			want = BLOCKING_BITS / 8;
		if (want > have)
			want = have;
		if (want < READ_WAKEUP / 8)
			want = 0;
		k->count -= (int)want * 8 * FRAC;
		k->blocking += (int)want * 8;
		if (k->blocking > BLOCKING_BITS)
			k->blocking = BLOCKING_BITS;
	}
	got = (unsigned int)k->blocking / 8;
	if (got > nbytes)
		got = nbytes;
	k->blocking -= (int)got * 8;
	return got;
}

/* poll(POLLOUT) on the daemon's device would return at once. */
static int kern_pollout_ready(const struct kern *k)
{
	return k->urandom || kern_avail(k) < k->write_wakeup;
}

/* What src/kernel.c reads from /proc. */
static struct pool_state kern_state(const struct kern *k)
{
	struct pool_state st = { KERNEL_ERA_LEGACY, POOL_BITS, 0, true, false, 0 };

	st.entropy_avail_bits = kern_avail(k);
	st.pollout = !k->urandom;
	st.wakeup_threshold_bits = st.pollout ? k->write_wakeup : 0;
	return st;
}

/* ---- the daemon's loop over it -------------------------------------------- */

struct run {
	struct kern k;
	struct feeder_config cfg;
	struct feeder_state state;
	unsigned int credit_per_byte;	/* bits; the source's credit */
	uint64_t now_ms;
	size_t queued;
	int once;			/* --once: stop when done */
	int done;			/* --once returned */
	unsigned long long feeds, fed_bytes, flat_feeds, turns, spins, pollout_wakes;
	unsigned int min_avail_after_wait;
	struct feeder_decision wait;	/* what the sleeping daemon waits for */
};

static void run_init(struct run *r, int asymptotic, unsigned int watermark, unsigned int avail)
{
	memset(r, 0, sizeof(*r));
	r->k.asymptotic = asymptotic;
	r->k.count = (int)avail * FRAC;
	r->k.write_wakeup = 896;
	r->credit_per_byte = 4;
	r->cfg = (struct feeder_config){ watermark, 64, 60 * MS_PER_S, 64 * 4 };
	r->min_avail_after_wait = POOL_BITS;
	feeder_init(&r->state, 0);
}

/* What the daemon does at start: write_wakeup_threshold := the watermark. */
static void run_set_threshold(struct run *r)
{
	r->k.write_wakeup = feeder_legacy_watermark(&r->cfg, POOL_BITS);
}

/*
 * The daemon's turns until it sleeps: each turn reads the pool, asks the
 * policy, feeds or polls.  A poll that would return at once (POLLOUT
 * ready, data queued while waiting for data, the timer past) is a spin:
 * counted, and after 1000 of them in a row the turn gives up.
 */
static void run_daemon(struct run *r)
{
	unsigned int spins_in_a_row = 0;

	while (!r->done && spins_in_a_row < 1000) {
		struct pool_state st = kern_state(&r->k);
		struct feeder_decision d;

		r->turns++;
		if (r->once && feeder_once_done(&r->state, &r->cfg, &st)) {
			r->done = 1;
			return;
		}
		d = feeder_decide(&r->state, &r->cfg, &st, r->now_ms, r->queued);
		if (d.action == FEEDER_FEED) {
			unsigned int before = (unsigned int)r->k.count;

			ck_assert_uint_gt(d.feed_bytes, 0);
			ck_assert_uint_le(d.feed_bytes, r->queued);
			ck_assert_uint_le(d.feed_bytes, r->cfg.step_bytes);
			kern_credit(&r->k, (int)(d.feed_bytes * r->credit_per_byte));
			r->flat_feeds += (unsigned int)r->k.count == before;
			r->queued -= d.feed_bytes;
			r->fed_bytes += d.feed_bytes;
			r->feeds++;
			feeder_fed(&r->state, &r->cfg, d.feed_bytes, d.reseed, r->now_ms);
			spins_in_a_row = 0;
			continue;
		}
		if ((d.want_pollout && kern_pollout_ready(&r->k)) || (d.want_data && r->queued > 0) ||
		    d.wake_at_ms <= r->now_ms) {
			r->spins++;
			spins_in_a_row++;
			continue;
		}
		if (d.want_pollout && kern_avail(&r->k) < r->min_avail_after_wait)
			r->min_avail_after_wait = kern_avail(&r->k);
		r->wait = d;
		return;		/* asleep until an event the caller makes */
	}
}

/* Would the sleeping daemon's poll return now? */
static int run_woken(const struct run *r, int data_came)
{
	return (r->wait.want_pollout && kern_pollout_ready(&r->k)) ||
	       (r->wait.want_data && data_came) || r->now_ms >= r->wait.wake_at_ms;
}

/*
 * seconds of: a source bringing 'source' bytes a second, a reader asking
 * 'reader' bytes of /dev/random a second, and the daemon, run when what
 * it sleeps on happens (10 ms ticks).  Returns the bytes the reader got.
 */
static unsigned long long run_for(struct run *r, unsigned int seconds, unsigned int source,
				  unsigned int reader, int daemon)
{
	unsigned long long got = 0;
	unsigned int tick;

	for (tick = 0; tick < seconds * 100; tick++) {
		int was_ready = kern_pollout_ready(&r->k);

		r->now_ms += 10;
		r->queued += source / 100;
		got += kern_read_random(&r->k, reader / 100);
		if (!was_ready && kern_pollout_ready(&r->k))
			r->pollout_wakes++;
		if (daemon && run_woken(r, source >= 100))
			run_daemon(r);
	}
	return got;
}

/* ---- legacy --------------------------------------------------------------- */

START_TEST(legacy_cap_from_the_kernel_formula)
{
	/* 64 bytes at 4 bits: 256 bits a step; the room where a step still
	 * counts is 22 eighths, so the count gets to 32747/8 = 4093 */
	ck_assert_uint_eq(feeder_legacy_cap(4096, 256), 4093);
	/* 64 bytes at 8 bits: entropy_avail sticks at 4094, as measured */
	ck_assert_uint_eq(feeder_legacy_cap(4096, 512), 4094);
	/* half the pool or more a step: 3/8 of the room a round, to 2 eighths */
	ck_assert_uint_eq(feeder_legacy_cap(4096, 2048), 4095);
	ck_assert_uint_eq(feeder_legacy_cap(4096, 32768), 4095);
	ck_assert_uint_eq(feeder_legacy_cap(4096, 64), 4085);
	/* 1 bit a step: 6 eighths at an empty pool, nothing above 3413 */
	ck_assert_uint_eq(feeder_legacy_cap(4096, 1), 3413);
	ck_assert_uint_eq(feeder_legacy_cap(4096, 0), 0);
}
END_TEST

START_TEST(legacy_cap_matches_the_simulated_kernel)
{
	static const unsigned int bits[] = { 1, 2, 3, 7, 8, 50, 64, 100, 256, 512, 1000,
					     2047, 2048, 3000, 4096, 8192 };
	size_t i;

	/* from an empty pool, steps of each credit: every step below the cap
	 * raises the count, and the count stops within the cap's last bit
	 * (the blocking pool full: nothing pushed there) */
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		struct kern k = { 0, BLOCKING_BITS, 1, 896, 0 };
		unsigned int cap = feeder_legacy_cap(POOL_BITS, bits[i]);
		int before;

		do {
			before = k.count;
			kern_credit(&k, (int)bits[i]);
			if (before < (int)cap * FRAC)
				ck_assert_msg(k.count > before, "%u bits at %d: flat below the cap %u",
					      bits[i], before, cap);
		} while (k.count != before);
		ck_assert_msg(kern_avail(&k) >= cap && kern_avail(&k) <= cap + 1,
			      "%u bits: plateau %u, cap %u", bits[i], kern_avail(&k), cap);
	}
}
END_TEST

START_TEST(legacy_asymptotic_fill_to_4096_ends)
{
	struct run r;

	/* -W 4096 on 3.13 - 5.17 with 256-bit steps: the count can never get
	 * past 4093; the fill stops there, every step it fed counted, and
	 * the daemon sleeps on a POLLOUT that blocks */
	run_init(&r, 1, 4096, 5);
	run_set_threshold(&r);
	ck_assert_uint_eq(r.k.write_wakeup, 4093);
	r.queued = 1000000;
	run_daemon(&r);
	ck_assert_uint_eq(r.spins, 0);
	ck_assert_uint_eq(r.flat_feeds, 0);
	ck_assert_uint_eq(kern_avail(&r.k), 4093);
	ck_assert_uint_lt(r.feeds, 400);
	ck_assert_uint_eq(r.fed_bytes, r.feeds * 64);
	/* what the uncapped watermark asked for is out of reach: 10000 more
	 * steps leave the count where it is */
	{
		int i;

		for (i = 0; i < 10000; i++)
			kern_credit(&r.k, 256);
		ck_assert_uint_eq(kern_avail(&r.k), 4093);
	}
}
END_TEST

START_TEST(legacy_once_ends_at_the_cap)
{
	static const unsigned int marks[] = { 4095, 4096 };
	size_t i;

	/* --once -W 4095 / 4096 returns, at the cap */
	for (i = 0; i < 2; i++) {
		struct run r;

		run_init(&r, 1, marks[i], 0);
		r.once = 1;
		r.queued = 1000000;
		run_daemon(&r);
		ck_assert(r.done);
		ck_assert_uint_eq(kern_avail(&r.k), 4093);
		ck_assert_uint_eq(r.flat_feeds, 0);
		ck_assert_uint_eq(r.spins, 0);
	}
}
END_TEST

START_TEST(legacy_fill_steps_exact)
{
	/* 256-bit steps to 3072: 2.6.32 - 3.12 count them linearly (12 from
	 * 0); 3.13 - 5.17 add 3/64 of the room each, rounded down in eighths
	 * (29 from 100 get to 3102, with the blocking pool full), and above
	 * 3072 each add pushes 64 bits to an empty blocking pool until it
	 * holds more than 768: 46 in all */
	static const struct {
		int asymptotic, blocking;
		unsigned int from, feeds, end;
	} fills[] = { { 0, 0, 0, 12, 3072 }, { 1, BLOCKING_BITS, 100, 29, 3102 },
		      { 1, 0, 100, 46, 3111 } };
	size_t i;

	for (i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
		struct run r;

		run_init(&r, fills[i].asymptotic, 3072, fills[i].from);
		r.k.blocking = fills[i].blocking;
		run_set_threshold(&r);
		r.queued = 1000000;
		run_daemon(&r);
		ck_assert_uint_eq(r.feeds, fills[i].feeds);
		ck_assert_uint_eq(kern_avail(&r.k), fills[i].end);
		ck_assert_uint_eq(r.spins, 0);
		ck_assert(r.wait.want_pollout);
	}
}
END_TEST

/* A reader of /dev/random against the daemon, on both kinds of legacy kernel. */
static void reader_served(int asymptotic, unsigned long long max_fed)
{
	struct run r;
	unsigned long long got;

	/* no daemon: a reader of 100 B/s drains the pool and starves */
	run_init(&r, asymptotic, 3072, 3072);
	got = run_for(&r, 60, 2500, 100, 0);
	ck_assert_uint_lt(kern_avail(&r.k), READ_WAKEUP);
	ck_assert_uint_lt(got, 3072 / 8 + BLOCKING_BITS / 8 + 1);

	/* the daemon: the reader gets every byte, the pool is back at the
	 * watermark each time the daemon sleeps, and the daemon sleeps on
	 * POLLOUT between the reader's pulls instead of spinning */
	run_init(&r, asymptotic, 3072, 0);
	run_set_threshold(&r);
	got = run_for(&r, 600, 2500, 100, 1);
	ck_assert_uint_ge(got, 600ull * 100 - 100);
	ck_assert_uint_ge(r.min_avail_after_wait, 3072);
	ck_assert_uint_ge(kern_avail(&r.k), 3072 - 64);
	ck_assert_uint_eq(r.spins, 0);
	ck_assert_uint_gt(r.pollout_wakes, 100);
	/* fed for what the reader took (two bytes a byte read at 4 bits a
	 * byte, about five times that with asymptotic credit at 3072) and
	 * the first fill, not the source's stream */
	ck_assert_uint_lt(r.fed_bytes, max_fed);
}

START_TEST(legacy_reader_served_linear)
{
	reader_served(0, 600ull * 100 * 2 + 3072 / 4 + 64);
}
END_TEST

START_TEST(legacy_reader_served_asymptotic)
{
	reader_served(1, 600ull * 100 * 12);
}
END_TEST

START_TEST(legacy_urandom_never_polls)
{
	struct run r;

	/* -o /dev/urandom: poll says POLLOUT at once whatever the pool holds;
	 * the policy re-checks on its timer instead */
	run_init(&r, 1, 3072, 0);
	r.k.urandom = 1;
	r.queued = 1000000;
	run_daemon(&r);
	ck_assert_uint_eq(r.spins, 0);
	ck_assert_uint_ge(kern_avail(&r.k), 3072);
	{
		struct pool_state st = kern_state(&r.k);
		struct feeder_decision d = feeder_decide(&r.state, &r.cfg, &st, r.now_ms, r.queued);

		ck_assert_int_eq(d.action, FEEDER_WAIT);
		ck_assert(!d.want_pollout);
		ck_assert_uint_eq(d.wake_at_ms, r.now_ms + 60 * MS_PER_S);
	}
	/* a reader drains it: found at the next re-check, refilled then */
	run_for(&r, 59, 0, 100, 1);
	ck_assert_uint_lt(kern_avail(&r.k), 3072);
	ck_assert_uint_eq(r.spins, 0);
	run_for(&r, 2, 0, 0, 1);
	ck_assert_uint_ge(kern_avail(&r.k), 3072);
}
END_TEST

START_TEST(legacy_threshold_above_the_pool_uses_the_timer)
{
	struct run r;
	struct pool_state st;
	struct feeder_decision d;

	/* -D leaves the system's threshold; one above the level the daemon
	 * keeps would make POLLOUT ready for ever: the timer instead */
	run_init(&r, 1, 3072, 3500);
	r.k.write_wakeup = 4000;
	r.queued = 1000;
	st = kern_state(&r.k);
	d = feeder_decide(&r.state, &r.cfg, &st, 0, r.queued);
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(!d.want_pollout);
	ck_assert_uint_eq(d.wake_at_ms, 60 * MS_PER_S);
	r.k.write_wakeup = 896;
	st = kern_state(&r.k);
	d = feeder_decide(&r.state, &r.cfg, &st, 0, r.queued);
	ck_assert(d.want_pollout);
}
END_TEST

START_TEST(legacy_source_slower_than_the_drain)
{
	struct run r;
	struct pool_state st;
	struct feeder_decision d;
	unsigned int tick;

	/* the source brings 16 bytes (less than a step) a tick: each tick
	 * feeds what there is, never more, then waits for data with a
	 * re-check an interval away, never for POLLOUT */
	run_init(&r, 0, 3072, 3072);
	run_set_threshold(&r);
	for (tick = 0; tick < 100; tick++) {
		r.now_ms = (uint64_t)tick * MS_PER_S;
		r.k.count -= r.k.count < 400 * FRAC ? r.k.count : 400 * FRAC;
		r.queued += 16;
		st = kern_state(&r.k);
		d = feeder_decide(&r.state, &r.cfg, &st, r.now_ms, r.queued);
		ck_assert_int_eq(d.action, FEEDER_FEED);
		ck_assert_uint_eq(d.feed_bytes, 16);
		kern_credit(&r.k, 64);
		r.queued -= 16;
		st = kern_state(&r.k);
		d = feeder_decide(&r.state, &r.cfg, &st, r.now_ms, r.queued);
		ck_assert_int_eq(d.action, FEEDER_WAIT);
		ck_assert(d.want_data);
		ck_assert(!d.want_pollout);
		ck_assert_uint_eq(d.wake_at_ms, r.now_ms + 60 * MS_PER_S);
	}
	/* 3072 - 336 * 8 = 384 after tick 7; tick 8 on: drained, + 64 */
	ck_assert_uint_eq(kern_avail(&r.k), 64);
}
END_TEST

START_TEST(legacy_watermark_zero_never_feeds)
{
	struct run r;

	run_init(&r, 1, 0, 0);
	run_set_threshold(&r);
	r.queued = 5000;
	run_daemon(&r);
	ck_assert_uint_eq(r.fed_bytes, 0);
	ck_assert_uint_eq(r.spins, 0);
	/* a step that credits nothing caps the watermark at 0 as well */
	run_init(&r, 1, 3072, 0);
	r.cfg.step_credit_bits = 0;
	ck_assert_uint_eq(feeder_legacy_watermark(&r.cfg, POOL_BITS), 0);
}
END_TEST

/* ---- the simulated modern kernel ------------------------------------------ */

struct sim {
	struct pool_state pool;
	struct feeder_state state;
	struct feeder_config cfg;
	uint64_t now_ms;
	size_t queued;			/* validated bytes waiting */
	unsigned int bits_per_byte;	/* the source's credit */
	unsigned int crng_ready_after;	/* credited bits until ready */
	unsigned long long credited;	/* bits the kernel counted */
	unsigned long long fed_bytes, feeds, waits_data, waits_pollout;
};

static void sim_modern(struct sim *s, bool ready)
{
	memset(s, 0, sizeof(*s));
	s->pool = (struct pool_state){ KERNEL_ERA_MODERN, 256, ready ? 256 : 0, ready, false, 0 };
	s->cfg = (struct feeder_config){ 192, 64, 60 * MS_PER_S, 64 * 4 };
	s->bits_per_byte = 4;
	s->crng_ready_after = 256;
	feeder_init(&s->state, 0);
}

/* RNDADDENTROPY: credit counts only until the CRNG is ready. */
static void sim_add(struct sim *s, unsigned int bytes)
{
	if (s->pool.crng_ready)
		return;
	s->credited += bytes * s->bits_per_byte;
	if (s->credited >= s->crng_ready_after) {
		s->pool.crng_ready = true;
		s->pool.entropy_avail_bits = 256;
	}
}

/* One turn of the daemon loop; returns the decision taken. */
static struct feeder_decision sim_step(struct sim *s)
{
	struct feeder_decision d = feeder_decide(&s->state, &s->cfg, &s->pool, s->now_ms, s->queued);

	if (d.action == FEEDER_FEED) {
		ck_assert_uint_gt(d.feed_bytes, 0);
		ck_assert_uint_le(d.feed_bytes, s->queued);
		ck_assert_uint_le(d.feed_bytes, s->cfg.step_bytes);
		sim_add(s, d.feed_bytes);
		s->queued -= d.feed_bytes;
		s->fed_bytes += d.feed_bytes;
		s->feeds++;
		feeder_fed(&s->state, &s->cfg, d.feed_bytes, d.reseed, s->now_ms);
	} else {
		ck_assert(d.wake_at_ms == UINT64_MAX || d.wake_at_ms > s->now_ms || d.want_data);
		s->waits_data += d.want_data;
		s->waits_pollout += d.want_pollout;
	}
	return d;
}

/* ---- modern ------------------------------------------------------------- */

START_TEST(modern_initial_seed_then_one_reseed_per_interval)
{
	struct sim s;
	unsigned int ms, turns;
	unsigned long long reseeds_before;

	sim_modern(&s, false);
	/* a slow source: 16 bytes every 100 ms, for an hour */
	for (ms = 0; ms <= 3600 * MS_PER_S; ms += 100) {
		s.now_ms = ms;
		s.queued += 16;
		for (turns = 0; turns < 100; turns++)
			if (sim_step(&s).action == FEEDER_WAIT)
				break;
		if (!s.pool.crng_ready)
			ck_assert_uint_eq(s.queued, 0);	/* seeding: everything goes in */
	}
	ck_assert(s.pool.crng_ready);
	ck_assert_uint_eq(s.credited, 256);
	/* ready at 300 ms; the first timed step at the next data (400 ms),
	 * then one a minute: 400 ms + 60 s * k up to the hour, 60 in all */
	ck_assert_uint_eq(s.state.reseeds, 60);
	reseeds_before = s.state.reseeds;
	ck_assert_uint_eq(s.feeds, 256 / (16 * 4) + reseeds_before);
}
END_TEST

START_TEST(modern_initial_seed_trickle)
{
	struct sim s;
	struct feeder_decision d;
	unsigned int tick;

	/* 1 byte a tick before the CRNG is ready: each byte goes in at once,
	 * without a reseed, and an empty queue waits for data with a re-read
	 * of the CRNG state an interval later */
	sim_modern(&s, false);
	for (tick = 0; tick < 64; tick++) {
		s.now_ms = tick;
		s.queued = 1;
		d = sim_step(&s);
		ck_assert_int_eq(d.action, FEEDER_FEED);
		ck_assert_uint_eq(d.feed_bytes, 1);
		ck_assert(!d.reseed);
		d = sim_step(&s);
		if (s.pool.crng_ready)
			break;
		ck_assert_int_eq(d.action, FEEDER_WAIT);
		ck_assert(d.want_data);
		ck_assert_uint_eq(d.wake_at_ms, tick + 60 * MS_PER_S);
	}
	/* 256 bits at 4 a byte: ready after the 64th byte */
	ck_assert_uint_eq(tick, 63);
	ck_assert_uint_eq(s.feeds, 64);
	ck_assert_uint_eq(s.state.reseeds, 0);
	/* the first timed step is due (since init at 0) but nothing is queued */
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(d.want_data);
	ck_assert_uint_eq(d.wake_at_ms, UINT64_MAX);
}
END_TEST

START_TEST(modern_ready_sleeps_until_the_interval)
{
	struct sim s;
	struct feeder_decision d;

	sim_modern(&s, true);
	s.queued = 100000;
	s.now_ms = 5;
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_FEED);
	ck_assert(d.reseed);
	ck_assert_uint_eq(d.feed_bytes, 64);
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(!d.want_data);
	ck_assert(!d.want_pollout);
	ck_assert_uint_eq(d.wake_at_ms, 5 + 60 * MS_PER_S);
	s.now_ms = 5 + 60 * MS_PER_S - 1;
	ck_assert_int_eq(sim_step(&s).action, FEEDER_WAIT);
	s.now_ms++;
	ck_assert_int_eq(sim_step(&s).action, FEEDER_FEED);
	ck_assert_uint_eq(s.state.reseeds, 2);
	/* a timed step with less than a step queued mixes what there is */
	s.queued = 10;
	s.now_ms = 5 + 120 * MS_PER_S;
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_FEED);
	ck_assert_uint_eq(d.feed_bytes, 10);
	ck_assert(d.reseed);
	ck_assert_uint_eq(s.state.next_reseed_ms, 5 + 180 * MS_PER_S);
}
END_TEST

START_TEST(modern_due_without_data_waits_for_data)
{
	struct sim s;
	struct feeder_decision d;

	sim_modern(&s, true);
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(d.want_data);
	ck_assert_uint_eq(d.wake_at_ms, UINT64_MAX);
	sim_modern(&s, false);
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(d.want_data);
	ck_assert_uint_eq(d.wake_at_ms, 60 * MS_PER_S);	/* re-read the CRNG state */
}
END_TEST

START_TEST(modern_refused_reseed_still_waits_an_interval)
{
	struct sim s;

	/* feeder_fed gets the decision's reseed flag whether or not the
	 * ioctl worked: the next step is an interval away either way */
	sim_modern(&s, true);
	s.queued = 1000;
	ck_assert_int_eq(sim_step(&s).action, FEEDER_FEED);
	ck_assert_int_eq(sim_step(&s).action, FEEDER_WAIT);
	ck_assert_uint_eq(s.feeds, 1);
}
END_TEST

/* ---- --once and era ------------------------------------------------------ */

START_TEST(once_done_conditions)
{
	struct run r;
	struct sim s;
	struct pool_state st;

	run_init(&r, 1, 3072, 3071);
	st = kern_state(&r.k);
	ck_assert(!feeder_once_done(&r.state, &r.cfg, &st));
	st.entropy_avail_bits = 3072;
	ck_assert(feeder_once_done(&r.state, &r.cfg, &st));
	/* the capped watermark: 4093 for 256-bit steps, even for -W 4096 */
	r.cfg.fill_watermark_bits = 4096;
	st.entropy_avail_bits = 4093;
	ck_assert(feeder_once_done(&r.state, &r.cfg, &st));

	sim_modern(&s, false);
	ck_assert(!feeder_once_done(&s.state, &s.cfg, &s.pool));
	s.pool.crng_ready = true;
	ck_assert(!feeder_once_done(&s.state, &s.cfg, &s.pool));	/* no step yet */
	s.queued = 64;
	sim_step(&s);
	ck_assert(feeder_once_done(&s.state, &s.cfg, &s.pool));
}
END_TEST

START_TEST(era_from_poolsize)
{
	ck_assert_int_eq(feeder_era_from_poolsize(4096), KERNEL_ERA_LEGACY);
	ck_assert_int_eq(feeder_era_from_poolsize(257), KERNEL_ERA_LEGACY);
	ck_assert_int_eq(feeder_era_from_poolsize(256), KERNEL_ERA_MODERN);
}
END_TEST

START_TEST(huge_interval_does_not_wrap)
{
	struct feeder_state st;
	struct feeder_config cfg = { 0, 64, UINT64_MAX, 0 };

	feeder_init(&st, 1000);
	feeder_fed(&st, &cfg, 64, true, 1000);
	ck_assert_uint_eq(st.next_reseed_ms, UINT64_MAX);
}
END_TEST

static Suite *feeder_suite(void)
{
	Suite *s = suite_create("feeder");
	TCase *tc = tcase_create("legacy");

	tcase_add_test(tc, legacy_cap_from_the_kernel_formula);
	tcase_add_test(tc, legacy_cap_matches_the_simulated_kernel);
	tcase_add_test(tc, legacy_asymptotic_fill_to_4096_ends);
	tcase_add_test(tc, legacy_once_ends_at_the_cap);
	tcase_add_test(tc, legacy_fill_steps_exact);
	tcase_add_test(tc, legacy_reader_served_linear);
	tcase_add_test(tc, legacy_reader_served_asymptotic);
	tcase_add_test(tc, legacy_urandom_never_polls);
	tcase_add_test(tc, legacy_threshold_above_the_pool_uses_the_timer);
	tcase_add_test(tc, legacy_source_slower_than_the_drain);
	tcase_add_test(tc, legacy_watermark_zero_never_feeds);
	suite_add_tcase(s, tc);
	tc = tcase_create("modern");
	tcase_add_test(tc, modern_initial_seed_then_one_reseed_per_interval);
	tcase_add_test(tc, modern_initial_seed_trickle);
	tcase_add_test(tc, modern_ready_sleeps_until_the_interval);
	tcase_add_test(tc, modern_due_without_data_waits_for_data);
	tcase_add_test(tc, modern_refused_reseed_still_waits_an_interval);
	suite_add_tcase(s, tc);
	tc = tcase_create("common");
	tcase_add_test(tc, once_done_conditions);
	tcase_add_test(tc, era_from_poolsize);
	tcase_add_test(tc, huge_interval_does_not_wrap);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(feeder_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
