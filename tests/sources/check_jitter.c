/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the jitter source: the start-up test refuses a coarse, a
 * stuck and a backwards timer and one its health tests alarm on (fakes); a fake timer that passes start-up
 * and then degrades fails the source through the health tests instead of
 * keeping the worker busy for ever; the real timer passes and gives bytes
 * that differ from read to read; options are checked.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "sources/jitter.h"
#include "sources/sources.h"

static uint64_t fake_now;
static unsigned long long fake_calls;

/* ticks every millisecond: a loop of microseconds sees no time pass */
static uint64_t coarse_clock(void)
{
	fake_calls++;
	return (fake_calls / 1000) * 1000000;
}

/* advances exactly 100 per call: every measurement is the same */
static uint64_t stuck_clock(void)
{
	return fake_now += 100;
}

/* jumps back by a second every 100 calls */
static uint64_t backwards_clock(void)
{
	fake_calls++;
	fake_now += 1000 + fake_calls % 7;
	if (fake_calls % 100 == 0)
		fake_now -= 1000000000;
	return fake_now;
}

/*
 * Passes start-up with varied steps, then turns into what degrade_mode
 * says.  read() calls the clock exactly twice per sample, so after start-up
 * call n belongs to sample n / 2 and every step is that sample's delta.
 */
enum degrade_mode { JITTERY, CONSTANT, RAMP, DOMINANT };
static enum degrade_mode degrade_mode;
static uint64_t xorshift = 0x9e3779b97f4a7c15ull;

static uint64_t degrading_clock(void)
{
	unsigned long long sample = fake_calls++ / 2;

	xorshift ^= xorshift << 13;
	xorshift ^= xorshift >> 7;
	xorshift ^= xorshift << 17;
	switch (degrade_mode) {
	case CONSTANT:		/* every delta the same: a run of equal values */
		return fake_now += 700;
	case RAMP:		/* each delta one more: all distinct, second derivative 0 */
		return fake_now += 700 + sample;
	case DOMINANT:		/* one delta four times out of five, never long runs */
		return fake_now += sample % 5 ? 1500 : 1000 + xorshift % 997;
	case JITTERY:
	default:
		return fake_now += 1000 + xorshift % 997;
	}
}

/* Open an instance on the degrading clock, let it turn into mode, read. */
static ssize_t read_degraded(enum degrade_mode mode, const char *osr, char *why, size_t whylen,
			     struct source_counters *c)
{
	const struct source_ops *ops = &jitter_source_ops;
	void *st = jitter_create_with_clock(degrading_clock);
	uint8_t buf[64];
	ssize_t r;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ops->set_option(st, "osr", osr, why, whylen), 0);
	fake_now = 1000000000000ull;
	fake_calls = 0;
	degrade_mode = JITTERY;
	ck_assert_msg(ops->probe(st, why, whylen) == SOURCE_USABLE, "%s", why);
	ck_assert_msg(ops->open(st, why, whylen) == 0, "%s", why);
	ck_assert_int_eq(ops->read(st, buf, 32, -1, why, whylen), 32);
	degrade_mode = mode;
	fake_calls = 0;
	why[0] = '\0';
	r = ops->read(st, buf, sizeof(buf), -1, why, whylen);
	if (r == SOURCE_READ_FAILED)
		/* failed stays failed until the core reopens the source */
		ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, whylen), SOURCE_READ_FAILED);
	ops->counters(st, c);
	ops->close(st);
	ops->destroy(st);
	return r;
}

static enum source_status probe_with(jitter_clock_fn clock, char *why, size_t whylen)
{
	void *st = jitter_create_with_clock(clock);
	enum source_status r;

	ck_assert_ptr_nonnull(st);
	fake_now = 1000000000000ull;
	fake_calls = 0;
	why[0] = '\0';
	r = jitter_source_ops.probe(st, why, whylen);
	jitter_source_ops.destroy(st);
	return r;
}

START_TEST(refuses_a_coarse_timer)
{
	char why[SOURCE_MSG_MAX];

	ck_assert_int_eq(probe_with(coarse_clock, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_msg(strstr(why, "the timer is too coarse") != NULL, "%s", why);
}
END_TEST

START_TEST(refuses_a_stuck_timer)
{
	char why[SOURCE_MSG_MAX];

	ck_assert_int_eq(probe_with(stuck_clock, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_msg(strstr(why, "no jitter") != NULL, "%s", why);
}
END_TEST

START_TEST(refuses_a_backwards_timer)
{
	char why[SOURCE_MSG_MAX];

	ck_assert_int_eq(probe_with(backwards_clock, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_msg(strstr(why, "not monotonic") != NULL, "%s", why);
}
END_TEST

START_TEST(start_up_runs_the_health_tests)
{
	const struct source_ops *ops = &jitter_source_ops;
	char why[SOURCE_MSG_MAX] = "";
	void *st = jitter_create_with_clock(degrading_clock);

	/* one timing 4 times in 5 from the start: not stuck often enough
	 * for the timer checks, but the APT at H = 1 sees it */
	ck_assert_int_eq(ops->set_option(st, "osr", "1", why, sizeof(why)), 0);
	fake_now = 1000000000000ull;
	fake_calls = 0;
	degrade_mode = DOMINANT;
	ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_msg(strstr(why, "adaptive proportion test alarmed") != NULL, "%s", why);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), -1);
	ops->destroy(st);
}
END_TEST

START_TEST(degrading_timer_passes_start_up_and_keeps_working)
{
	char why[SOURCE_MSG_MAX];
	struct source_counters c;

	/* the control: the same clock staying jittery gives bytes, no alarm */
	ck_assert_int_eq(read_degraded(JITTERY, "3", why, sizeof(why), &c), 64);
	ck_assert_uint_eq(c.health_intermittent, 0);
	ck_assert_uint_eq(c.health_permanent, 0);
}
END_TEST

/*
 * The source fails (and stays failed) naming the cause; one permanent
 * alarm and the given number of intermittent ones: counted once per
 * alarm, not once per sample an alarm spoils.
 */
static void expect_failure(enum degrade_mode mode, const char *osr, const char *cause,
			   unsigned long long intermittent)
{
	char why[SOURCE_MSG_MAX];
	struct source_counters c;

	ck_assert_int_eq(read_degraded(mode, osr, why, sizeof(why), &c), SOURCE_READ_FAILED);
	ck_assert_msg(strstr(why, cause) != NULL, "%s", why);
	ck_assert_uint_eq(c.health_permanent, 1);
	ck_assert_uint_eq(c.health_intermittent, intermittent);
}

START_TEST(constant_timer_after_start_up_trips_rct)
{
	/* the RCT's run and the stuck run each reach the intermittent
	 * cutoff once; the RCT's run, a sample longer, the permanent first */
	expect_failure(CONSTANT, "3", "repetition count", 2);
}
END_TEST

START_TEST(ramping_timer_after_start_up_fails_as_stuck)
{
	/* distinct values: only the stuck-run count can see this one;
	 * osr 3: cutoffs 1 + 30 * 3 and 1 + 60 * 3 */
	expect_failure(RAMP, "3", "the timer got stuck: 181 timings in a row", 1);
}
END_TEST

START_TEST(dominant_delta_after_start_up_trips_apt)
{
	/* osr 1 (H = 1): APT cutoffs 325 and 355 of 512; the value comes
	 * ~410 times a window in runs of 4, far below the RCT's 31: the
	 * first window that starts on it alarms at both levels */
	expect_failure(DOMINANT, "1", "adaptive proportion", 1);
}
END_TEST

START_TEST(real_timer_gives_varying_bytes)
{
	const struct source_ops *ops = &jitter_source_ops;
	char why[SOURCE_MSG_MAX] = "";
	uint8_t a[64], b[64];
	struct source_counters c;
	void *st = ops->create();

	ck_assert_ptr_nonnull(st);
	ck_assert_msg(ops->probe(st, why, sizeof(why)) == SOURCE_USABLE, "%s", why);
	ck_assert_msg(ops->open(st, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(ops->read(st, a, sizeof(a), -1, why, sizeof(why)), (ssize_t)sizeof(a));
	ck_assert_int_eq(ops->read(st, b, sizeof(b), -1, why, sizeof(why)), (ssize_t)sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	ck_assert(memcmp(a, a + 32, 32) != 0);
	ops->counters(st, &c);
	ck_assert_uint_eq(c.health_permanent, 0);
	ops->close(st);
	ops->destroy(st);
	ck_assert_uint_eq(ops->default_credit, CREDIT_MAX);
}
END_TEST

START_TEST(options)
{
	const struct source_ops *ops = &jitter_source_ops;
	char err[SOURCE_MSG_MAX], buf[16];
	void *st = ops->create();

	ops->get_option(st, "osr", buf, sizeof(buf));
	ck_assert_str_eq(buf, "3");
	ck_assert_int_eq(ops->set_option(st, "osr", "0", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "jitter:osr") && strstr(err, "1 to 64"), "%s", err);
	ck_assert_int_eq(ops->set_option(st, "osr", "65", err, sizeof(err)), -1);
	ck_assert_int_eq(ops->set_option(st, "size", "1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "jitter: unknown option 'size'; accepted: credit, osr");
	ck_assert_int_eq(ops->set_option(st, "osr", "8", err, sizeof(err)), 0);
	ops->get_option(st, "osr", buf, sizeof(buf));
	ck_assert_str_eq(buf, "8");
	ops->destroy(st);
}
END_TEST

/*
 * Start-up takes four clock calls per sample (two around the measurement,
 * two inside it), so with every call stepping by pattern[(call / 4) % 16]
 * each start-up timing is one pattern value: distinct neighbours, no
 * stuck derivatives, no value often enough for the health tests, but a
 * period the t-tuple and LRS estimates see through.  periodic_noise adds
 * 1 to a step one time in four: -log2(3/4) = 0.415 bits of min-entropy a
 * sample.
 */
static const uint64_t pattern[16] = {
	1013, 1731, 1207, 1999, 1103, 1601, 1409, 1877, 1151, 1303, 1733, 1091, 1523, 1283, 1949, 1367,
};
static int periodic_noise;

static uint64_t periodic_clock(void)
{
	uint64_t step = pattern[(fake_calls++ / 4) % 16];

	if (periodic_noise) {
		xorshift ^= xorshift << 13;
		xorshift ^= xorshift >> 7;
		xorshift ^= xorshift << 17;
		step += (xorshift & 3) == 0;
	}
	return fake_now += step;
}

/* The numbers ops->measured reports: estimate, claim, samples per output. */
static void measured_numbers(void *st, double *estimate, double *claim, unsigned long long *per_output)
{
	char line[SOURCE_MSG_MAX] = "";

	jitter_source_ops.measured(st, line, sizeof(line));
	ck_assert_msg(sscanf(line, "%lf bits per timing sample", estimate) == 1, "%s", line);
	ck_assert_msg(strstr(line, "claiming ") &&
		      sscanf(strstr(line, "claiming "), "claiming %lf", claim) == 1, "%s", line);
	ck_assert_msg(strstr(line, "), ") &&
		      sscanf(strstr(line, "), "), "), %llu samples per", per_output) == 1, "%s", line);
}

START_TEST(periodic_timer_is_below_the_floor)
{
	char why[SOURCE_MSG_MAX];

	periodic_noise = 0;
	ck_assert_int_eq(probe_with(periodic_clock, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_msg(strstr(why, "too little jitter") && strstr(why, "below the floor of 1/64"), "%s", why);
}
END_TEST

START_TEST(measured_estimate_lowers_the_claim)
{
	const struct source_ops *ops = &jitter_source_ops;
	char why[SOURCE_MSG_MAX] = "";
	void *st = jitter_create_with_clock(periodic_clock);
	double estimate, claim;
	unsigned long long per_output;
	uint8_t buf[32];

	/* osr 1 claims 1 bit a sample; the periodic timer with one noise
	 * bit measures less, and the claim follows the measurement */
	ck_assert(st != NULL);
	ck_assert_int_eq(ops->set_option(st, "osr", "1", why, sizeof(why)), 0);
	periodic_noise = 1;
	fake_now = 1000000000000ull;
	fake_calls = 0;
	ck_assert_msg(ops->open(st, why, sizeof(why)) == 0, "%s", why);
	measured_numbers(st, &estimate, &claim, &per_output);
	ck_assert_msg(estimate >= 1.0 / 64 && estimate < 1.0, "estimate %f", estimate);
	ck_assert_msg(fabs(claim - estimate) < 0.0005, "claim %f, estimate %f", claim, estimate);
	ck_assert_msg(per_output > 320 && per_output <= (unsigned long long)ceil(320 / (estimate - 0.0005)),
		      "%llu samples per output for %f", per_output, estimate);
	ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, sizeof(why)), (ssize_t)sizeof(buf));
	ops->close(st);
	ops->destroy(st);
}
END_TEST

/* An instance on the degrading clock, opened while it is jittery. */
static void *open_jittery(void)
{
	char why[SOURCE_MSG_MAX] = "";
	void *st = jitter_create_with_clock(degrading_clock);

	ck_assert(st != NULL);
	fake_now = 1000000000000ull;
	fake_calls = 0;
	degrade_mode = JITTERY;
	ck_assert_msg(jitter_source_ops.open(st, why, sizeof(why)) == 0, "%s", why);
	return st;
}

START_TEST(claim_is_one_over_osr_when_the_estimate_is_higher)
{
	const struct source_ops *ops = &jitter_source_ops;
	void *st = open_jittery();
	double estimate, claim;
	unsigned long long per_output;

	measured_numbers(st, &estimate, &claim, &per_output);
	ck_assert_msg(estimate > 1.0 / 3, "estimate %f", estimate);
	ck_assert_msg(fabs(claim - 1.0 / 3) < 0.0005, "claim %f", claim);
	ck_assert_uint_eq(per_output, 320 * 3);
	ops->close(st);
	ops->destroy(st);
}
END_TEST

START_TEST(raw_samples_are_folded_deltas_unfiltered)
{
	const struct source_ops *ops = &jitter_source_ops;
	char why[SOURCE_MSG_MAX] = "";
	void *st = open_jittery();
	uint8_t buf[300];
	size_t i;

	/* every delta 700 (0x2bc): folded 0x02 ^ 0xbc; a run read() would
	 * stop at (the RCT's cutoffs are 91 and 181) comes out whole */
	degrade_mode = CONSTANT;
	ck_assert_int_eq(ops->read_raw(st, buf, sizeof(buf), -1, why, sizeof(why)), (ssize_t)sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0x02 ^ 0xbc);
	ops->close(st);
	ops->destroy(st);
}
END_TEST

/*
 * The core probes right before it opens: open() takes the start-up test
 * that probe() has just passed instead of timing 1024 samples again; an
 * open() without such a probe (a second one) runs it.
 */
START_TEST(open_after_probe_reuses_its_start_up_test)
{
	const struct source_ops *ops = &jitter_source_ops;
	char why[SOURCE_MSG_MAX] = "";
	void *st = jitter_create_with_clock(degrading_clock);

	ck_assert_ptr_nonnull(st);
	fake_now = 1000000000000ull;
	degrade_mode = JITTERY;
	fake_calls = 0;
	ck_assert_msg(ops->probe(st, why, sizeof(why)) == SOURCE_USABLE, "%s", why);
	ck_assert_uint_ge(fake_calls, JITTER_STARTUP_SAMPLES);
	fake_calls = 0;
	ck_assert_msg(ops->open(st, why, sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(fake_calls, 0);
	ops->close(st);
	ck_assert_msg(ops->open(st, why, sizeof(why)) == 0, "%s", why);
	ck_assert_uint_ge(fake_calls, JITTER_STARTUP_SAMPLES);
	ops->close(st);
	ops->destroy(st);
}
END_TEST

static Suite *jitter_suite(void)
{
	Suite *s = suite_create("jitter");
	TCase *tc = tcase_create("jitter");

	tcase_add_test(tc, refuses_a_coarse_timer);
	tcase_add_test(tc, refuses_a_stuck_timer);
	tcase_add_test(tc, refuses_a_backwards_timer);
	tcase_add_test(tc, start_up_runs_the_health_tests);
	tcase_add_test(tc, degrading_timer_passes_start_up_and_keeps_working);
	tcase_add_test(tc, constant_timer_after_start_up_trips_rct);
	tcase_add_test(tc, ramping_timer_after_start_up_fails_as_stuck);
	tcase_add_test(tc, dominant_delta_after_start_up_trips_apt);
	tcase_add_test(tc, real_timer_gives_varying_bytes);
	tcase_add_test(tc, options);
	tcase_add_test(tc, periodic_timer_is_below_the_floor);
	tcase_add_test(tc, measured_estimate_lowers_the_claim);
	tcase_add_test(tc, claim_is_one_over_osr_when_the_estimate_is_higher);
	tcase_add_test(tc, raw_samples_are_folded_deltas_unfiltered);
	tcase_add_test(tc, open_after_probe_reuses_its_start_up_test);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(jitter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
