/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -D: the drop itself.  Only root can drop, so as another user this program
 * reports itself skipped (exit 77); the resolving tests, which need no
 * root, are in check_privdrop.c and run for everyone.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privdrop.h"

static char err[256];

/* Runs in its own forked process: the drop cannot leak into other tests. */
START_TEST(test_apply_keeps_sys_admin_only)
{
	struct privdrop_target t;
	cap_flag_value_t v;
	cap_t caps;

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
	Suite *s = suite_create("privdrop_apply");
	TCase *tc = tcase_create("apply");
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		printf("SKIP: dropping privileges needs root\n");
		return 77;
	}
	tcase_add_test(tc, test_apply_keeps_sys_admin_only);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* The drop must happen in a child: never run this suite unforked. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
