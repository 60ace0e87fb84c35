/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -D: resolving USER[:GROUP]; the drop itself is check_privdrop_apply.c. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

static char err[256];

START_TEST(test_resolve_names_and_numbers)
{
	struct privdrop_target t;

	ck_assert_int_eq(privdrop_resolve("nobody", &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 65534);
	ck_assert_str_eq(t.user, "nobody");
	ck_assert_uint_ne(t.gid, 0);
	ck_assert_int_eq(privdrop_resolve("nobody:nogroup", &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.gid, 65534);
	ck_assert_int_eq(privdrop_resolve("65534:65534", &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 65534);
	ck_assert_uint_eq(t.gid, 65534);
}
END_TEST

START_TEST(test_resolve_rejects)
{
	struct privdrop_target t;

	ck_assert_int_eq(privdrop_resolve("root", &t, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "is root"));
	ck_assert_int_eq(privdrop_resolve("0", &t, err, sizeof(err)), -1);
	ck_assert_int_eq(privdrop_resolve("nobody:root", &t, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "group 0"));
	ck_assert_int_eq(privdrop_resolve("no-such-user-here", &t, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "-D/--drop-privileges: no user 'no-such-user-here'"));
	ck_assert_int_eq(privdrop_resolve("nobody:no-such-group", &t, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no group 'no-such-group'"));
	ck_assert_int_eq(privdrop_resolve(":nogroup", &t, err, sizeof(err)), -1);
	ck_assert_int_eq(privdrop_resolve("", &t, err, sizeof(err)), -1);
	/* a colon promises a group */
	ck_assert_int_eq(privdrop_resolve("nobody:", &t, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'nobody:' is not USER or USER:GROUP") != NULL, "%s", err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("privdrop");
	TCase *tc = tcase_create("privdrop");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_resolve_names_and_numbers);
	tcase_add_test(tc, test_resolve_rejects);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
