/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/health.c: cutoffs against SP 800-90B's own table,
 * vectors that trip each test alone (one sample short of the cutoff does
 * not), the permanent level, and a long good vector that trips nothing.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t next_sample(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 56);
}

static void init(struct health_test *h, double H, unsigned int bits)
{
	char err[256];

	ck_assert_msg(health_init(h, H, bits, err, sizeof(err)) == 0, "%s", err);
}

START_TEST(cutoffs_match_the_standard)
{
	/* SP 800-90B, section 4.4.2, table 2 (alpha = 2^-20, W = 512) */
	static const struct { double H; unsigned int cutoff; } apt512[] = {
		{ 0.5, 410 }, { 1, 311 }, { 2, 177 }, { 4, 62 }, { 8, 13 },
	};
	size_t i;

	for (i = 0; i < sizeof(apt512) / sizeof(apt512[0]); i++)
		ck_assert_msg(health_apt_cutoff(apt512[i].H, 512, 20) == apt512[i].cutoff,
			      "H=%g: %u, expected %u", apt512[i].H,
			      health_apt_cutoff(apt512[i].H, 512, 20), apt512[i].cutoff);
	/* binary, W = 1024, H = 1 */
	ck_assert_uint_eq(health_apt_cutoff(1, 1024, 20), 589);
	/* RCT: 1 + ceil(-log2(alpha) / H); the standard's example: H = 2, alpha = 2^-20: 11 */
	ck_assert_uint_eq(health_rct_cutoff(2, 20), 11);
	ck_assert_uint_eq(health_rct_cutoff(8, 30), 5);
	ck_assert_uint_eq(health_rct_cutoff(1.0 / 3, 30), 91);
	/* full entropy cannot trip the APT at any level below W */
	ck_assert_uint_le(health_apt_cutoff(8, 512, 60), 512);
	ck_assert_uint_gt(health_apt_cutoff(8, 512, 60), health_apt_cutoff(8, 512, 30));
}
END_TEST

START_TEST(init_rejects_bad_claims)
{
	struct health_test h;
	char err[256];

	ck_assert_int_eq(health_init(&h, 0, 8, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "expected more than 0 and at most 8"));
	ck_assert_int_eq(health_init(&h, 8.5, 8, err, sizeof(err)), -1);
	ck_assert_int_eq(health_init(&h, -1, 8, err, sizeof(err)), -1);
	ck_assert_int_eq(health_init(&h, 1, 0, err, sizeof(err)), -1);
	ck_assert_int_eq(health_init(&h, 1, 33, err, sizeof(err)), -1);
	ck_assert_int_eq(health_init(&h, 1, 1, err, sizeof(err)), 0);
	ck_assert_uint_eq(h.window, 1024);
	ck_assert_int_eq(health_init(&h, 7, 8, err, sizeof(err)), 0);
	ck_assert_uint_eq(h.window, 512);
}
END_TEST

START_TEST(rct_trips_alone)
{
	struct health_test h;
	unsigned int i, c;

	init(&h, 8, 8);
	c = h.rct_cutoff[HEALTH_LEVEL_INTERMITTENT];
	ck_assert_uint_eq(c, 5);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(health_sample(&h, i), HEALTH_OK);
	/* c - 1 repeats pass, the c-th is an intermittent alarm */
	for (i = 0; i < c - 1; i++)
		ck_assert_int_eq(health_sample(&h, 200), HEALTH_OK);
	ck_assert_int_eq(health_sample(&h, 200), HEALTH_INTERMITTENT);
	ck_assert_uint_eq(h.alarms[HEALTH_RCT][HEALTH_LEVEL_INTERMITTENT], 1);
	ck_assert_uint_eq(h.alarms[HEALTH_APT][HEALTH_LEVEL_INTERMITTENT], 0);
	/* a new value ends the run */
	ck_assert_int_eq(health_sample(&h, 201), HEALTH_OK);
	/* the permanent level: 1 + ceil(60 / 8) = 9 in a row */
	ck_assert_uint_eq(h.rct_cutoff[HEALTH_LEVEL_PERMANENT], 9);
	for (i = 0; i < 7; i++)
		ck_assert_int_ne(health_sample(&h, 201), HEALTH_PERMANENT);
	ck_assert_int_eq(health_sample(&h, 201), HEALTH_PERMANENT);
	ck_assert_uint_eq(h.alarms[HEALTH_RCT][HEALTH_LEVEL_PERMANENT], 1);
	ck_assert_uint_eq(h.alarms[HEALTH_RCT][HEALTH_LEVEL_INTERMITTENT], 2);
}
END_TEST

START_TEST(apt_trips_alone)
{
	struct health_test h;
	unsigned int i, c, other = 1;
	enum health_result r = HEALTH_OK;

	init(&h, 8, 8);
	c = h.apt_cutoff[HEALTH_LEVEL_INTERMITTENT];
	ck_assert_uint_gt(c, 2);
	/* a window whose first value comes back c times, never twice in a
	 * row: the RCT sees nothing */
	ck_assert_int_eq(health_sample(&h, 0), HEALTH_OK);
	for (i = 1; i < c; i++) {
		ck_assert_int_eq(health_sample(&h, other++), HEALTH_OK);
		r = health_sample(&h, 0);
		if (i < c - 1)
			ck_assert_int_eq(r, HEALTH_OK);
	}
	ck_assert_int_eq(r, HEALTH_INTERMITTENT);
	ck_assert_uint_eq(h.alarms[HEALTH_APT][HEALTH_LEVEL_INTERMITTENT], 1);
	ck_assert_uint_eq(h.alarms[HEALTH_RCT][HEALTH_LEVEL_INTERMITTENT], 0);
	/* the window stays bad until it ends, then all is well again */
	while (h.apt_seen < h.window)
		ck_assert_int_eq(health_sample(&h, 255 - (h.apt_seen % 7)), HEALTH_INTERMITTENT);
	ck_assert_int_eq(health_sample(&h, 42), HEALTH_OK);
}
END_TEST

START_TEST(apt_permanent)
{
	struct health_test h;
	unsigned int i;
	enum health_result worst = HEALTH_OK, r;

	/* a source claiming 8 bits per byte that gives one value half the
	 * time, alternating: 256 of 512 is far past both cutoffs */
	init(&h, 8, 8);
	for (i = 0; i < 512; i++) {
		r = health_sample(&h, i % 2 ? i & 0xff : 7);
		if (r > worst)
			worst = r;
	}
	ck_assert_int_eq(worst, HEALTH_PERMANENT);
	ck_assert_uint_eq(h.alarms[HEALTH_APT][HEALTH_LEVEL_PERMANENT], 1);
}
END_TEST

START_TEST(long_good_vector_trips_nothing)
{
	struct health_test h;
	unsigned int i;

	/* 500,000 bytes (nearly a thousand APT windows) of a good generator
	 * against a claim of 7 bits */
	init(&h, 7, 8);
	for (i = 0; i < 500000; i++)
		ck_assert_int_eq(health_sample(&h, next_sample()), HEALTH_OK);
	ck_assert_uint_eq(h.samples, 500000);
	ck_assert_uint_eq(h.alarms[HEALTH_RCT][0] + h.alarms[HEALTH_APT][0], 0);
}
END_TEST

START_TEST(bytes_and_restart)
{
	struct health_test h;
	uint8_t buf[64];

	init(&h, 8, 8);
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(health_bytes(&h, buf, 4), HEALTH_OK);
	ck_assert_int_eq(health_bytes(&h, buf, 1), HEALTH_INTERMITTENT);
	ck_assert_int_eq(health_bytes(&h, buf, sizeof(buf)), HEALTH_PERMANENT);
	health_restart(&h);
	ck_assert_int_eq(health_bytes(&h, buf, 4), HEALTH_OK);
	ck_assert_uint_eq(h.samples, 4 + 1 + 64 + 4);
}
END_TEST

static Suite *health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("health");

	tcase_add_test(tc, cutoffs_match_the_standard);
	tcase_add_test(tc, init_rejects_bad_claims);
	tcase_add_test(tc, rct_trips_alone);
	tcase_add_test(tc, apt_trips_alone);
	tcase_add_test(tc, apt_permanent);
	tcase_add_test(tc, long_good_vector_trips_nothing);
	tcase_add_test(tc, bytes_and_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(health_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
