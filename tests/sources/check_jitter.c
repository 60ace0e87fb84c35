/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the jitter source: the start-up test refuses a coarse, a
 * stuck and a backwards timer (fakes); the real timer passes and gives
 * bytes that differ from read to read; options are checked.
 */
#include "config.h"

#include <check.h>
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

static Suite *jitter_suite(void)
{
	Suite *s = suite_create("jitter");
	TCase *tc = tcase_create("jitter");

	tcase_add_test(tc, refuses_a_coarse_timer);
	tcase_add_test(tc, refuses_a_stuck_timer);
	tcase_add_test(tc, refuses_a_backwards_timer);
	tcase_add_test(tc, real_timer_gives_varying_bytes);
	tcase_add_test(tc, options);
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
