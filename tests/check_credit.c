/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The credit policy: -e and -O SOURCE:credit lower a source's own bound,
 * never raise it (rdrand with a fake CPU that has only RDRAND, or nothing);
 * credit counts only while the kernel counts it.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "credit.h"
#include "fakes/fake_x86rand.h"
#include "fixture.h"
#include "sources/sources.h"

#define BITS(n) ((n) * CREDIT_ONE_BIT)

START_TEST(limits_lower_never_raise)
{
	/* no limit: the bound */
	ck_assert_uint_eq(credit_in_force(BITS(4), credit_limit(CREDIT_NO_LIMIT, CREDIT_NO_LIMIT)), BITS(4));
	/* -e 8 on a source bound to 1/64 bit per byte: 1/64, not 8 (was 512 times more) */
	ck_assert_uint_eq(credit_in_force(CREDIT_ONE_BIT / 64, credit_limit(BITS(8), CREDIT_NO_LIMIT)),
			  CREDIT_ONE_BIT / 64);
	/* -e 2 lowers */
	ck_assert_uint_eq(credit_in_force(BITS(4), credit_limit(BITS(2), CREDIT_NO_LIMIT)), BITS(2));
	/* -O SOURCE:credit wins over -e, both ways, and still never raises */
	ck_assert_uint_eq(credit_in_force(BITS(4), credit_limit(BITS(1), BITS(3))), BITS(3));
	ck_assert_uint_eq(credit_in_force(BITS(4), credit_limit(BITS(3), BITS(1))), BITS(1));
	ck_assert_uint_eq(credit_in_force(BITS(4), credit_limit(BITS(1), BITS(8))), BITS(4));
	/* nothing to credit stays nothing */
	ck_assert_uint_eq(credit_in_force(0, credit_limit(BITS(8), CREDIT_NO_LIMIT)), 0);
}
END_TEST

START_TEST(rdrand_bound_follows_the_cpu)
{
	const struct source_ops *ops = &rdrand_source_ops;
	void *st;

	/* only RDRAND: 1/64 bit per byte, whatever -e says */
	fake_cpu = (struct fake_cpu){ .has_rdrand = true, .has_rdseed = false, .values = FAKE_GOOD };
	st = ops->create();
	ck_assert_uint_eq(credit_bound(ops, st), CREDIT_ONE_BIT / 64);
	ck_assert_uint_eq(credit_in_force(credit_bound(ops, st), credit_limit(BITS(8), CREDIT_NO_LIMIT)),
			  CREDIT_ONE_BIT / 64);
	ops->destroy(st);
	/* nothing: no credit at all (it was shown as 8) */
	fake_cpu = (struct fake_cpu){ .has_rdrand = false, .has_rdseed = false, .values = FAKE_GOOD };
	st = ops->create();
	ck_assert_uint_eq(credit_bound(ops, st), 0);
	ops->destroy(st);
	/* a source without a credit op: its default */
	st = pipe_source_ops.create();
	ck_assert_uint_eq(credit_bound(&pipe_source_ops, st), pipe_source_ops.default_credit);
	pipe_source_ops.destroy(st);
}
END_TEST

START_TEST(describe_says_where_it_comes_from)
{
	char buf[200];

	credit_describe(CREDIT_ONE_BIT / 64, BITS(8), buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.015625 bits per byte (the source's own bound; -e or -O credit can only lower it)");
	credit_describe(BITS(4), BITS(2), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2 bits per byte (-e or -O credit; the source's own bound is 4 bits per byte)");
	credit_describe(BITS(8), CREDIT_NO_LIMIT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "8 bits per byte (the source's own bound)");
	credit_describe(0, CREDIT_NO_LIMIT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none (nothing here it could credit)");
}
END_TEST

START_TEST(counted_only_while_the_kernel_counts)
{
	struct pool_state pool = { .era = KERNEL_ERA_LEGACY, .poolsize_bits = 4096, .crng_ready = true };

	ck_assert(credit_counted(&pool));	/* legacy: always, CRNG or not */
	pool = (struct pool_state){ .era = KERNEL_ERA_MODERN, .poolsize_bits = 256, .crng_ready = false };
	ck_assert(credit_counted(&pool));	/* modern, seeding */
	pool.crng_ready = true;
	ck_assert(!credit_counted(&pool));	/* modern, ready: the kernel ignores credit */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("credit");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, limits_lower_never_raise);
	tcase_add_test(tc, rdrand_bound_follows_the_cpu);
	tcase_add_test(tc, describe_says_where_it_comes_from);
	tcase_add_test(tc, counted_only_while_the_kernel_counts);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
