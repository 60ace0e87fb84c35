/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/feeder.c, the pure policy, against simulated kernels
 * of both eras: a legacy pool drained by a reader, with the asymptotic
 * credit of 3.13 - 5.17; a modern pool whose CRNG is not ready at start;
 * sources slower than the drain.  The simulations drive the policy in a
 * loop with a fake clock, the way src/daemon.c does.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "feeder.h"

#define MS_PER_S 1000u

/* A simulated kernel and the daemon's side of the loop. */
struct sim {
	struct pool_state pool;
	struct feeder_state state;
	struct feeder_config cfg;
	uint64_t now_ms;
	size_t queued;			/* validated bytes waiting */
	unsigned int bits_per_byte;	/* the source's credit */
	int asymptotic;			/* legacy 3.13 - 5.17 credit */
	unsigned int crng_ready_after;	/* modern: credited bits until ready */
	unsigned long long credited;	/* bits the kernel counted */
	unsigned long long fed_bytes, feeds, waits_data, waits_pollout;
};

static void sim_legacy(struct sim *s, unsigned int avail)
{
	*s = (struct sim){ 0 };
	s->pool = (struct pool_state){ KERNEL_ERA_LEGACY, 4096, avail, true };
	s->cfg = (struct feeder_config){ 3072, 64, 60 * MS_PER_S };
	s->bits_per_byte = 4;
	feeder_init(&s->state, 0);
}

static void sim_modern(struct sim *s, bool ready)
{
	*s = (struct sim){ 0 };
	s->pool = (struct pool_state){ KERNEL_ERA_MODERN, 256, ready ? 256 : 0, ready };
	s->cfg = (struct feeder_config){ 192, 64, 60 * MS_PER_S };
	s->bits_per_byte = 4;
	s->crng_ready_after = 256;
	feeder_init(&s->state, 0);
}

/* RNDADDENTROPY as each era counts it. */
static void sim_add(struct sim *s, unsigned int bytes)
{
	unsigned int bits = bytes * s->bits_per_byte, room, add;

	if (s->pool.era == KERNEL_ERA_LEGACY) {
		room = s->pool.poolsize_bits - s->pool.entropy_avail_bits;
		/* 3.13 - 5.17: each add fills 3/4 of the credit's share of
		 * the room left, so the pool approaches full asymptotically */
		add = s->asymptotic ? (unsigned int)((unsigned long long)bits * room * 3 /
						     (4ull * s->pool.poolsize_bits)) : bits;
		if (s->asymptotic && add == 0 && room > 0)
			add = 1;
		if (add > room)
			add = room;
		s->pool.entropy_avail_bits += add;
		s->credited += add;
		return;
	}
	if (s->pool.crng_ready)
		return;		/* credit no longer counts */
	s->credited += bits;
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
		feeder_fed(&s->state, &s->cfg, d.reseed, s->now_ms);
	} else {
		ck_assert(d.wake_at_ms == UINT64_MAX || d.wake_at_ms > s->now_ms || d.want_data);
		s->waits_data += d.want_data;
		s->waits_pollout += d.want_pollout;
	}
	return d;
}

/* ---- legacy ------------------------------------------------------------- */

START_TEST(legacy_keeps_watermark_against_a_reader)
{
	struct sim s;
	unsigned int second, turns, min_after_fill = 4096;

	sim_legacy(&s, 0);
	for (second = 0; second < 600; second++) {
		s.now_ms = (uint64_t)second * MS_PER_S;
		s.queued += 2500;	/* a source giving a block a second */
		/* a reader draining 200 bits a second */
		s.pool.entropy_avail_bits -= s.pool.entropy_avail_bits < 200 ? s.pool.entropy_avail_bits : 200;
		for (turns = 0; turns < 1000; turns++)
			if (sim_step(&s).action == FEEDER_WAIT)
				break;
		ck_assert_uint_lt(turns, 1000);
		if (second > 10 && s.pool.entropy_avail_bits < min_after_fill)
			min_after_fill = s.pool.entropy_avail_bits;
	}
	/* after the first fill, each turn ends at or above the watermark */
	ck_assert_uint_ge(min_after_fill, 3072);
	/* and it never fills much past it: feeding stops at the watermark */
	ck_assert_uint_lt(s.pool.entropy_avail_bits, 3072 + 64 * 4);
	ck_assert_uint_gt(s.waits_pollout, 500);
}
END_TEST

START_TEST(legacy_one_step_per_drained_step)
{
	struct sim s;
	unsigned int tick;

	/* a reader takes exactly one step's credit (64 bytes * 4 bits) per
	 * tick and the source brings exactly one step: one FEED and one
	 * POLLOUT wait per tick, and the pool ends each tick at the mark */
	sim_legacy(&s, 3072);
	for (tick = 0; tick < 600; tick++) {
		s.now_ms = (uint64_t)tick * MS_PER_S;
		s.pool.entropy_avail_bits -= 256;
		s.queued += 64;
		ck_assert_int_eq(sim_step(&s).action, FEEDER_FEED);
		ck_assert_uint_eq(s.pool.entropy_avail_bits, 3072);
		ck_assert_int_eq(sim_step(&s).action, FEEDER_WAIT);
	}
	ck_assert_uint_eq(s.feeds, 600);
	ck_assert_uint_eq(s.fed_bytes, 600 * 64);
	ck_assert_uint_eq(s.waits_pollout, 600);
	ck_assert_uint_eq(s.waits_data, 0);
	ck_assert_uint_eq(s.queued, 0);
	ck_assert_uint_eq(s.state.reseeds, 0);	/* legacy never asks for one */
}
END_TEST

START_TEST(legacy_asymptotic_credit_exact)
{
	struct sim s;
	struct feeder_decision d;
	unsigned int before;

	/* 64-byte steps at 4 bits a byte offer 256 bits; the 3.13 - 5.17 pool
	 * counts 256 * room * 3/4 / 4096 = room * 3/64 of them, so from 100
	 * bits it takes 29 steps to reach 3072 (ending at 3096), where linear
	 * credit would take 12 (ending at 3172).  The policy re-reads the
	 * count after every add: it stops right after the step that crossed. */
	sim_legacy(&s, 100);
	s.asymptotic = 1;
	s.queued = 1000000;
	for (;;) {
		before = s.pool.entropy_avail_bits;
		d = sim_step(&s);
		if (d.action == FEEDER_WAIT)
			break;
		ck_assert_uint_lt(before, 3072);
		ck_assert(!d.reseed);
	}
	ck_assert(d.want_pollout);
	ck_assert_uint_eq(s.feeds, 29);
	ck_assert_uint_eq(s.fed_bytes, 29 * 64);
	ck_assert_uint_eq(s.pool.entropy_avail_bits, 3096);
}
END_TEST

START_TEST(legacy_source_slower_than_the_drain)
{
	struct sim s;
	struct feeder_decision d;
	unsigned int tick;

	/* the reader takes 400 bits a tick, the source brings 16 bytes
	 * (64 bits, less than a step): every tick feeds what there is, never
	 * more, then waits for data with a re-check an interval away; never
	 * for POLLOUT */
	sim_legacy(&s, 3072);
	for (tick = 0; tick < 100; tick++) {
		s.now_ms = (uint64_t)tick * MS_PER_S;
		s.pool.entropy_avail_bits -= s.pool.entropy_avail_bits < 400 ? s.pool.entropy_avail_bits : 400;
		s.queued += 16;
		d = sim_step(&s);
		ck_assert_int_eq(d.action, FEEDER_FEED);
		ck_assert_uint_eq(d.feed_bytes, 16);
		d = sim_step(&s);
		ck_assert_int_eq(d.action, FEEDER_WAIT);
		ck_assert(d.want_data);
		ck_assert(!d.want_pollout);
		ck_assert_uint_eq(d.wake_at_ms, s.now_ms + 60 * MS_PER_S);
	}
	ck_assert_uint_eq(s.feeds, 100);
	ck_assert_uint_eq(s.fed_bytes, 1600);
	ck_assert_uint_eq(s.waits_data, 100);
	ck_assert_uint_eq(s.waits_pollout, 0);
	/* 3072 - 336 * 8 = 384 after tick 7; tick 8 on: drained, + 64 */
	ck_assert_uint_eq(s.pool.entropy_avail_bits, 64);
}
END_TEST

START_TEST(legacy_waits_for_pollout_when_full)
{
	struct sim s;
	struct feeder_decision d;

	sim_legacy(&s, 4000);
	s.queued = 5000;
	s.now_ms = 12345;
	d = sim_step(&s);
	ck_assert_int_eq(d.action, FEEDER_WAIT);
	ck_assert(d.want_pollout);
	ck_assert(!d.want_data);
	ck_assert_uint_eq(d.wake_at_ms, 12345 + 60 * MS_PER_S);
	ck_assert_uint_eq(s.queued, 5000);
}
END_TEST

START_TEST(legacy_watermark_zero_never_feeds)
{
	struct sim s;

	sim_legacy(&s, 0);
	s.cfg.fill_watermark_bits = 0;
	s.queued = 5000;
	ck_assert_int_eq(sim_step(&s).action, FEEDER_WAIT);
	ck_assert_uint_eq(s.fed_bytes, 0);
}
END_TEST

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
	struct sim s;

	sim_legacy(&s, 3071);
	ck_assert(!feeder_once_done(&s.state, &s.cfg, &s.pool));
	s.pool.entropy_avail_bits = 3072;
	ck_assert(feeder_once_done(&s.state, &s.cfg, &s.pool));

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
	struct feeder_config cfg = { 0, 64, UINT64_MAX };

	feeder_init(&st, 1000);
	feeder_fed(&st, &cfg, true, 1000);
	ck_assert_uint_eq(st.next_reseed_ms, UINT64_MAX);
}
END_TEST

static Suite *feeder_suite(void)
{
	Suite *s = suite_create("feeder");
	TCase *tc = tcase_create("legacy");

	tcase_add_test(tc, legacy_keeps_watermark_against_a_reader);
	tcase_add_test(tc, legacy_one_step_per_drained_step);
	tcase_add_test(tc, legacy_asymptotic_credit_exact);
	tcase_add_test(tc, legacy_source_slower_than_the_drain);
	tcase_add_test(tc, legacy_waits_for_pollout_when_full);
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
