/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -D: resolving USER[:GROUP], and (as root, in a forked test) the drop itself. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
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
}
END_TEST

/* Runs in its own forked process: the drop cannot leak into other tests. */
START_TEST(test_apply_keeps_sys_admin_only)
{
	struct privdrop_target t;
	cap_flag_value_t v;
	cap_t caps;

	if (geteuid() != 0)
		return;	/* reported as skipped by main() */
	ck_assert_int_eq(privdrop_resolve("nobody:nogroup", &t, err, sizeof(err)), 0);
	ck_assert_msg(privdrop_apply(&t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(getuid(), 65534);
	ck_assert_uint_eq(geteuid(), 65534);
	ck_assert_uint_eq(getegid(), 65534);
	ck_assert_int_eq(setuid(0), -1);
	caps = cap_get_proc();
	ck_assert_ptr_nonnull(caps);
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
	ck_assert_int_eq(v, CAP_SET);
	cap_get_flag(caps, CAP_DAC_OVERRIDE, CAP_PERMITTED, &v);
	ck_assert_int_eq(v, CAP_CLEAR);
	cap_get_flag(caps, CAP_SETUID, CAP_PERMITTED, &v);
	ck_assert_int_eq(v, CAP_CLEAR);
	cap_free(caps);
	/* DAC now applies: root's private files are out of reach. */
	ck_assert_int_eq(access("/etc/shadow", R_OK), -1);
	/* No exec can give privileges back (PR_GET_NO_NEW_PRIVS: 39, Linux 3.5+). */
	ck_assert_int_eq(prctl(39, 0L, 0L, 0L, 0L), 1);
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
	tcase_add_test(tc, test_apply_keeps_sys_admin_only);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* The drop must happen in a child: never run this suite unforked. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	return geteuid() == 0 ? EXIT_SUCCESS : 77;
}
