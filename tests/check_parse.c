/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static char err[256];

START_TEST(test_long_accepts_in_range)
{
	long v = 0;

	ck_assert_int_eq(parse_long("42", 1, 100, "-s", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(parse_long("-5", -10, 10, "-x", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(parse_long("100", 1, 100, "-s", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 100);
}
END_TEST

START_TEST(test_long_rejects_and_names_option)
{
	long v = 7;

	ck_assert_int_eq(parse_long("101", 1, 100, "-s/--random-step", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "-s/--random-step"));
	ck_assert_ptr_nonnull(strstr(err, "101"));
	ck_assert_ptr_nonnull(strstr(err, "from 1 to 100"));
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(parse_long("12abc", 1, 100, "-s", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a number"));
	ck_assert_int_eq(parse_long("", 1, 100, "-s", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_long(" 5", 1, 100, "-s", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_long("99999999999999999999999", 1, 100, "-s", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "out of range"));
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(test_ulong_rejects_sign)
{
	unsigned long v = 3;

	ck_assert_int_eq(parse_ulong("-1", 0, 10, "-c", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_ulong("+1", 0, 10, "-c", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(v, 3);
	ck_assert_int_eq(parse_ulong("18446744073709551615", 0, (unsigned long)-1, "-c", &v, err, sizeof(err)), 0);
	ck_assert(v == (unsigned long)-1);
}
END_TEST

START_TEST(test_fixed_point)
{
	unsigned long v = 0;

	ck_assert_int_eq(parse_fixed("0.5", 1024, 1, 8192, "credit", &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v, 512);
	ck_assert_int_eq(parse_fixed("8", 1024, 1, 8192, "credit", &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v, 8192);
	ck_assert_int_eq(parse_fixed("0.015625", 1024, 1, 8192, "credit", &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v, 16);
	ck_assert_int_eq(parse_fixed("8.5", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "from 0.000976562 to 8"));
	ck_assert_int_eq(parse_fixed("0", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed("nan", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed("-1", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed("1e3", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	/* decimal only: strtod would read these as 8 */
	ck_assert_int_eq(parse_fixed("0x8", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'0x8' is not a number") != NULL, "%s", err);
	ck_assert_int_eq(parse_fixed(" 8", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed("8e0", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed(".", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed("1.2.3", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	/* above the maximum as written, though it rounds to the maximum */
	ck_assert_int_eq(parse_fixed("8.0004", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "8.0004 is out of range") != NULL, "%s", err);
	ck_assert_int_eq(parse_fixed("0.0009", 1024, 1, 8192, "credit", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(parse_fixed(".5", 1024, 1, 8192, "credit", &v, err, sizeof(err)), 0);
	ck_assert_msg(v == 512, "%lu", v);
	ck_assert_int_eq(parse_fixed("8.", 1024, 1, 8192, "credit", &v, err, sizeof(err)), 0);
	ck_assert_msg(v == 8192, "%lu", v);
}
END_TEST

/* A huge value is quoted by its first PARSE_SHOW_MAX bytes and "...". */
START_TEST(test_long_values_are_shortened)
{
	char big[1000];
	char msg[2048];
	unsigned long v;
	long l;
	int b;

	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = 'x';
	ck_assert_int_eq(parse_ulong(big, 1, 8, "-e", &v, msg, sizeof(msg)), -1);
	ck_assert_msg(strlen(msg) < 200 && strstr(msg, "...'") != NULL, "%s", msg);
	ck_assert_int_eq(parse_long(big, 1, 8, "-e", &l, msg, sizeof(msg)), -1);
	ck_assert_msg(strlen(msg) < 200 && strstr(msg, "...'") != NULL, "%s", msg);
	ck_assert_int_eq(parse_fixed(big, 1024, 1, 8192, "credit", &v, msg, sizeof(msg)), -1);
	ck_assert_msg(strlen(msg) < 200 && strstr(msg, "...'") != NULL, "%s", msg);
	ck_assert_int_eq(parse_bool(big, "force", &b, msg, sizeof(msg)), -1);
	ck_assert_msg(strlen(msg) < 200 && strstr(msg, "...'") != NULL, "%s", msg);
	big[10] = '7';
	ck_assert_int_eq(parse_ulong(big, 1, 8, "-e", &v, msg, sizeof(msg)), -1);
	ck_assert_msg(strlen(msg) < 200 && strstr(msg, "... is out of range") != NULL, "%s", msg);
	ck_assert_str_eq(parse_show("short", msg, PARSE_SHOW_SIZE), "short");
}
END_TEST

START_TEST(test_bool)
{
	int v = -1;

	ck_assert_int_eq(parse_bool("yes", "force", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(parse_bool("OFF", "force", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_bool("2", "force", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "force"));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_long_accepts_in_range);
	tcase_add_test(tc, test_long_rejects_and_names_option);
	tcase_add_test(tc, test_ulong_rejects_sign);
	tcase_add_test(tc, test_fixed_point);
	tcase_add_test(tc, test_long_values_are_shortened);
	tcase_add_test(tc, test_bool);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
