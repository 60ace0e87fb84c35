/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the rdrand source with a fake CPU (tests/fakes/
 * fake_x86rand.c): detection, modes, credit, the self-test against a
 * constant, all-ones and repeating CPU, RDSEED's retry path.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fake_x86rand.h"
#include "source.h"
#include "sources/rdrand.h"
#include "sources/sources.h"

static const struct source_ops *ops = &rdrand_source_ops;

static void *make(const char *mode)
{
	char err[SOURCE_MSG_MAX];
	void *st = ops->create();

	ck_assert_ptr_nonnull(st);
	if (mode)
		ck_assert_msg(ops->set_option(st, "mode", mode, err, sizeof(err)) == 0, "%s", err);
	return st;
}

static void cpu(bool rdrand, bool rdseed, enum fake_values values)
{
	fake_cpu = (struct fake_cpu){ .has_rdrand = rdrand, .has_rdseed = rdseed, .values = values };
}

START_TEST(probe_by_cpu_and_mode)
{
	static const struct {
		bool rdrand, rdseed;
		const char *mode;
		enum source_status want;
		unsigned int credit;
		const char *why;
	} cases[] = {
		{ false, false, "auto", SOURCE_UNAVAILABLE, 0, "CPU has neither RDSEED nor RDRAND" },
		{ true, false, "auto", SOURCE_USABLE, CREDIT_ONE_BIT / 64, NULL },
		{ false, true, "auto", SOURCE_USABLE, CREDIT_MAX, NULL },
		{ true, true, "auto", SOURCE_USABLE, CREDIT_MAX, NULL },
		{ true, false, "rdseed", SOURCE_UNAVAILABLE, 0, "CPU has no RDSEED (mode rdseed)" },
		{ true, true, "rdrand", SOURCE_USABLE, CREDIT_ONE_BIT / 64, NULL },
		{ false, true, "rdrand", SOURCE_UNAVAILABLE, 0, "CPU has no RDRAND (mode rdrand)" },
	};
	char why[SOURCE_MSG_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *st;

		cpu(cases[i].rdrand, cases[i].rdseed, FAKE_GOOD);
		st = make(cases[i].mode);
		why[0] = '\0';
		ck_assert_int_eq(ops->probe(st, why, sizeof(why)), cases[i].want);
		if (cases[i].why)
			ck_assert_str_eq(why, cases[i].why);
		/* the bound; 0 where there is nothing it could credit */
		ck_assert_uint_eq(ops->credit(st), cases[i].credit);
		ops->destroy(st);
	}
	ck_assert_uint_eq(ops->default_credit, CREDIT_MAX);
}
END_TEST

START_TEST(options)
{
	char err[SOURCE_MSG_MAX], buf[32];
	void *st = make(NULL);

	ops->get_option(st, "mode", buf, sizeof(buf));
	ck_assert_str_eq(buf, "auto");
	ck_assert_int_eq(ops->set_option(st, "mode", "fast", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "rdrand:mode: 'fast' is not a mode; accepted: auto, rdseed, rdrand");
	ck_assert_int_eq(ops->set_option(st, "speed", "1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "rdrand: unknown option 'speed'; accepted: credit, mode");
	ck_assert_int_eq(ops->set_option(st, "mode", "rdseed", err, sizeof(err)), 0);
	ops->get_option(st, "mode", buf, sizeof(buf));
	ck_assert_str_eq(buf, "rdseed");
	ops->destroy(st);
}
END_TEST

START_TEST(selftest_refuses_bad_cpus)
{
	static const struct {
		enum fake_values values;
		const char *why;
	} cases[] = {
		{ FAKE_CONSTANT, "self-test: the CPU returned the same value 32 times" },
		{ FAKE_ALL_ONES, "self-test: the CPU returned all ones (a known RDRAND erratum)" },
		{ FAKE_REPEAT_EVERY_8, "self-test: the CPU repeated a 64-bit value within 32 draws" },
	};
	char why[SOURCE_MSG_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *st;

		cpu(true, false, cases[i].values);
		st = make(NULL);
		ck_assert_int_eq(ops->open(st, why, sizeof(why)), -1);
		ck_assert_str_eq(why, cases[i].why);
		ops->destroy(st);
	}
	cpu(true, true, FAKE_GOOD);
	{
		void *st = make(NULL);

		ck_assert_int_eq(ops->open(st, why, sizeof(why)), 0);
		ops->close(st);
		ops->destroy(st);
	}
}
END_TEST

START_TEST(rdseed_retries_and_never_uses_rdrand)
{
	char why[SOURCE_MSG_MAX];
	uint8_t buf[2500];
	void *st;

	cpu(true, true, FAKE_GOOD);
	st = make(NULL);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), 0);
	fake_cpu.rdseed_empty = 500;	/* under the retry limit */
	ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, sizeof(why)), (ssize_t)sizeof(buf));
	ck_assert_uint_eq(fake_cpu.pauses, 500);
	ck_assert_uint_eq(fake_cpu.rdrand_calls, 0);
	/* exhausted for longer than a read waits: nothing now, still no RDRAND */
	fake_cpu.rdseed_empty = 100000;
	ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, sizeof(why)), SOURCE_READ_AGAIN);
	ck_assert_uint_eq(fake_cpu.rdrand_calls, 0);
	ops->destroy(st);
}
END_TEST

START_TEST(rdrand_retries_then_gives_up)
{
	char why[SOURCE_MSG_MAX];
	uint8_t buf[64];
	void *st;

	/* a transient failure costs a retry, not the read */
	cpu(true, false, FAKE_GOOD);
	st = make(NULL);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), 0);
	fake_cpu.rdrand_empty = 9;
	ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, sizeof(why)), (ssize_t)sizeof(buf));
	ck_assert_uint_eq(fake_cpu.rdrand_calls, 32 + 9 + sizeof(buf) / 8);
	ck_assert_uint_eq(fake_cpu.rdseed_calls, 0);
	ops->destroy(st);

	/* ten in a row at start-up: the self-test names the instruction and the tries */
	cpu(true, false, FAKE_GOOD);
	fake_cpu.rdrand_empty = 10;
	st = make(NULL);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "self-test: RDRAND gave no data in 10 tries");
	ops->destroy(st);

	cpu(false, true, FAKE_GOOD);
	fake_cpu.rdseed_empty = 1000;
	st = make(NULL);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "self-test: RDSEED gave no data in 1000 tries");
	ck_assert_uint_eq(fake_cpu.rdrand_calls, 0);
	ops->destroy(st);
}
END_TEST

START_TEST(reads_fill_the_request)
{
	char why[SOURCE_MSG_MAX];
	uint8_t buf[2500], zero[2500] = { 0 };
	void *st;

	cpu(true, false, FAKE_GOOD);
	st = make(NULL);
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(ops->read(st, buf, 13, -1, why, sizeof(why)), 13);
	ck_assert_int_eq(ops->read(st, buf, sizeof(buf), -1, why, sizeof(why)), (ssize_t)sizeof(buf));
	ck_assert(memcmp(buf, zero, sizeof(buf)) != 0);
	ck_assert_uint_eq(fake_cpu.rdseed_calls, 0);	/* RDRAND only: no RDSEED here */
	ops->destroy(st);
}
END_TEST

START_TEST(selftest_function)
{
	uint64_t v[4] = { 1, 2, 3, 4 };
	char why[SOURCE_MSG_MAX];

	ck_assert_int_eq(rdrand_selftest(v, 4, why, sizeof(why)), 0);
	v[3] = 2;
	ck_assert_int_eq(rdrand_selftest(v, 4, why, sizeof(why)), -1);
}
END_TEST

static Suite *rdrand_suite(void)
{
	Suite *s = suite_create("rdrand");
	TCase *tc = tcase_create("fake cpu");

	tcase_add_test(tc, probe_by_cpu_and_mode);
	tcase_add_test(tc, options);
	tcase_add_test(tc, selftest_refuses_bad_cpus);
	tcase_add_test(tc, rdseed_retries_and_never_uses_rdrand);
	tcase_add_test(tc, rdrand_retries_then_gives_up);
	tcase_add_test(tc, reads_fill_the_request);
	tcase_add_test(tc, selftest_function);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rdrand_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
