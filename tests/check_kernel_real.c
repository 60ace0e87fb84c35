/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/kernel.c against the real kernel: /dev/random, RNDADDENTROPY and
 * RNDRESEEDCRNG need root, so as another user this program reports itself
 * skipped (exit 77) instead of passing without running; as root it runs.
 * It changes no sysctl.  The fixture-based tests are in check_kernel.c.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kernel.h"

#define THRESHOLD KERNEL_PROC_DIR "/write_wakeup_threshold"

static void read_line(const char *path, char *buf, int len)
{
	FILE *f = fopen(path, "r");

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_msg(fgets(buf, len, f) != NULL, "cannot read %s", path);
	fclose(f);
}

/* This machine runs 6.18, the modern era. */
START_TEST(real_random_device)
{
	struct kernel_pool pool;
	struct pool_state st;
	char why[256] = "", before[32], after[32];
	uint8_t zeros[64] = { 0 };

	read_line(THRESHOLD, before, sizeof(before));
	ck_assert_msg(kernel_open(&pool, "/dev/random", KERNEL_PROC_DIR, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert_int_eq(st.era, KERNEL_ERA_MODERN);
	ck_assert_int_eq(st.poolsize_bits, 256);
	ck_assert(st.crng_ready);
	/* mixing in without credit is harmless; the real ioctl runs */
	ck_assert_int_eq(kernel_add_entropy(&pool, zeros, sizeof(zeros), 0), 0);
	ck_assert_int_eq(kernel_reseed(&pool), 0);
	kernel_close(&pool);
	read_line(THRESHOLD, after, sizeof(after));
	ck_assert_str_eq(before, after);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kernel_real");
	TCase *tc = tcase_create("real");
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		printf("SKIP: real_random_device needs root (RNDADDENTROPY, RNDRESEEDCRNG)\n");
		return 77;
	}
	tcase_add_test(tc, real_random_device);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
