/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/kernel.c.  The random device is a temporary file and
 * /proc/sys/kernel/random a fixture directory; ioctl() and getrandom() are
 * replaced at link time (tests/fakes/fake_random_ioctl.c).  One test, as
 * root only, uses the real /dev/random and /proc (and changes no sysctl).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakes/fake_random_ioctl.h"
#include "fixture.h"
#include "kernel.h"

static char dir[64], proc[96], device[96];

static void write_file(const char *name, const char *text)
{
	fixture_put(proc, name, text);
}

static void read_file(const char *name, char *buf, size_t len)
{
	char path[160];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", proc, name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void setup(void)
{
	int fd;

	fixture_mkdtemp(dir, sizeof(dir), "check_kernel");
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	snprintf(device, sizeof(device), "%s/random", dir);
	ck_assert_int_eq(mkdir(proc, 0700), 0);
	fd = open(device, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file("poolsize", "4096\n");
	write_file("entropy_avail", "1234\n");
	write_file("write_wakeup_threshold", "896\n");
	write_file("boot_id", "0c6f5a2e-boot-one\n");
	fake_kernel = (struct fake_kernel){ .fd = -1, .crng_ready = true };
}

static void teardown(void)
{
	fixture_remove(dir);
}

static void open_pool(struct kernel_pool *pool)
{
	char why[256] = "";

	ck_assert_msg(kernel_open(pool, device, proc, why, sizeof(why)) == 0, "%s", why);
	fake_kernel.fd = pool->random_fd;
}

START_TEST(era_from_poolsize)
{
	struct kernel_pool pool;

	open_pool(&pool);
	ck_assert_int_eq(pool.era, KERNEL_ERA_LEGACY);
	ck_assert_uint_eq(pool.poolsize_bits, 4096);
	kernel_close(&pool);
	write_file("poolsize", "256\n");
	open_pool(&pool);
	ck_assert_int_eq(pool.era, KERNEL_ERA_MODERN);
	kernel_close(&pool);
}
END_TEST

START_TEST(state_follows_the_files)
{
	struct kernel_pool pool;
	struct pool_state st;

	open_pool(&pool);
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert_uint_eq(st.entropy_avail_bits, 1234);
	ck_assert_uint_eq(st.poolsize_bits, 4096);
	ck_assert(st.crng_ready);
	write_file("entropy_avail", "77\n");
	fake_kernel.crng_ready = false;
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert_uint_eq(st.entropy_avail_bits, 77);
	ck_assert(!st.crng_ready);
	/* no getrandom (RHEL 6): counted as ready, only modern policy asks */
	fake_kernel.getrandom_errno = ENOSYS;
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert(st.crng_ready);
	fake_kernel.getrandom_errno = 0;
	write_file("entropy_avail", "garbage\n");
	ck_assert_int_eq(kernel_read_state(&pool, &st), -1);
	kernel_close(&pool);
}
END_TEST

START_TEST(add_entropy_credits_exactly)
{
	struct kernel_pool pool;
	uint8_t buf[4097];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	open_pool(&pool);
	ck_assert_int_eq(kernel_add_entropy(&pool, buf, 64, 256), 0);
	ck_assert_uint_eq(fake_kernel.last_request, RNDADDENTROPY);
	ck_assert_int_eq(fake_kernel.last_entropy_count, 256);
	ck_assert_int_eq(fake_kernel.last_buf_size, 64);
	ck_assert_mem_eq(fake_kernel.last_bytes, buf, 64);
	ck_assert_int_eq(kernel_add_entropy(&pool, buf, 4096, 0), 0);
	ck_assert_int_eq(fake_kernel.last_buf_size, 4096);
	/* too long, or more credit than bits: refused before the ioctl */
	fake_kernel.calls = 0;
	ck_assert_int_eq(kernel_add_entropy(&pool, buf, 4097, 8), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(kernel_add_entropy(&pool, buf, 8, 65), -1);
	ck_assert_uint_eq(fake_kernel.calls, 0);
	/* the kernel's refusal comes back with its errno */
	fake_kernel.ioctl_errno = EPERM;
	ck_assert_int_eq(kernel_add_entropy(&pool, buf, 8, 8), -1);
	ck_assert_int_eq(errno, EPERM);
	kernel_close(&pool);
}
END_TEST

START_TEST(reseed_results)
{
	struct kernel_pool pool;

	open_pool(&pool);
	ck_assert_int_eq(kernel_reseed(&pool), 0);
	ck_assert_uint_eq(fake_kernel.last_request, RNDRESEEDCRNG);
	fake_kernel.ioctl_errno = ENODATA;	/* CRNG not initialised */
	ck_assert_int_eq(kernel_reseed(&pool), 1);
	ck_assert(!pool.reseed_unsupported);
	fake_kernel.ioctl_errno = EIO;
	ck_assert_int_eq(kernel_reseed(&pool), -1);
	fake_kernel.ioctl_errno = EINVAL;	/* before 4.17: remembered */
	ck_assert_int_eq(kernel_reseed(&pool), 1);
	ck_assert(pool.reseed_unsupported);
	fake_kernel.calls = 0;
	fake_kernel.ioctl_errno = 0;
	ck_assert_int_eq(kernel_reseed(&pool), 1);
	ck_assert_uint_eq(fake_kernel.calls, 0);
	kernel_close(&pool);
}
END_TEST

START_TEST(threshold_saved_set_restored)
{
	struct kernel_pool pool;
	char buf[32];

	open_pool(&pool);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	/* the fixture is a plain file: a shorter write leaves old bytes
	 * after the newline, which /proc would not; compare the number */
	read_file("write_wakeup_threshold", buf, sizeof(buf));
	ck_assert_uint_eq(strtoul(buf, NULL, 10), 3072);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 2048), 0);
	ck_assert_uint_eq(pool.saved_threshold, 896);	/* the first value, not ours */
	kernel_close(&pool);
	read_file("write_wakeup_threshold", buf, sizeof(buf));
	ck_assert_uint_eq(strtoul(buf, NULL, 10), 896);
	kernel_close(&pool);	/* idempotent */
}
END_TEST

/* kill -9: the descriptors go, nothing is restored. */
static void crash(struct kernel_pool *pool)
{
	close(pool->random_fd);
	close(pool->avail_fd);
	close(pool->threshold_fd);
	close(pool->wakeup_fd);
	close(pool->state_dirfd);
}

static unsigned int threshold_now(void)
{
	char buf[32];

	read_file("write_wakeup_threshold", buf, sizeof(buf));
	return (unsigned int)strtoul(buf, NULL, 10);
}

static int record_exists(void)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, KERNEL_STATE_FILE);
	return access(path, F_OK) == 0;
}

static void open_pool_with_state(struct kernel_pool *pool)
{
	int dirfd;

	open_pool(pool);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dirfd, 0);
	kernel_keep_state_in(pool, dirfd);
}

START_TEST(threshold_survives_a_crash)
{
	struct kernel_pool pool;
	char buf[96];

	/* the record holds the system's value while ours is set, and goes
	 * with a clean exit */
	open_pool_with_state(&pool);
	ck_assert(!record_exists());
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	ck_assert(record_exists());
	{
		FILE *f;
		size_t n;

		snprintf(buf, sizeof(buf), "%s/%s", dir, KERNEL_STATE_FILE);
		f = fopen(buf, "r");
		ck_assert_ptr_nonnull(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		ck_assert_str_eq(buf, "896 0c6f5a2e-boot-one\n");
	}
	kernel_close(&pool);
	ck_assert_uint_eq(threshold_now(), 896);
	ck_assert(!record_exists());

	/* killed: 3072 stays; the next start puts 896 back at once, saves
	 * 896 (not 3072) as the original and restores 896 at its exit */
	open_pool_with_state(&pool);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	crash(&pool);
	ck_assert_uint_eq(threshold_now(), 3072);
	ck_assert(record_exists());
	open_pool_with_state(&pool);
	ck_assert_uint_eq(threshold_now(), 896);
	ck_assert(!record_exists());
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 2048), 0);
	ck_assert_uint_eq(pool.saved_threshold, 896);
	crash(&pool);
	/* and again, killed twice in a row */
	open_pool_with_state(&pool);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	ck_assert_uint_eq(pool.saved_threshold, 896);
	kernel_close(&pool);
	ck_assert_uint_eq(threshold_now(), 896);
	ck_assert(!record_exists());
}
END_TEST

START_TEST(threshold_record_of_another_boot_or_not_ours)
{
	struct kernel_pool pool;
	char target[160], link[160];

	/* a record from before a reboot is stale: ignored, replaced */
	write_file("write_wakeup_threshold", "1024\n");
	fixture_put(dir, KERNEL_STATE_FILE, "200 some-other-boot\n");
	open_pool_with_state(&pool);
	ck_assert_uint_eq(threshold_now(), 1024);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	ck_assert_uint_eq(pool.saved_threshold, 1024);
	kernel_close(&pool);
	ck_assert_uint_eq(threshold_now(), 1024);
	ck_assert(!record_exists());

	/* garbage: ignored */
	fixture_put(dir, KERNEL_STATE_FILE, "x0c6f5a2e-boot-one\n");
	open_pool_with_state(&pool);
	ck_assert_uint_eq(threshold_now(), 1024);
	kernel_close(&pool);

	/* a symlink in its place is never followed, nor written through */
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/%s", dir, KERNEL_STATE_FILE);
	unlink(link);
	fixture_put(dir, "target", "200 0c6f5a2e-boot-one\n");
	ck_assert_int_eq(symlink(target, link), 0);
	open_pool_with_state(&pool);
	ck_assert_uint_eq(threshold_now(), 1024);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	ck_assert(!pool.recorded);
	kernel_close(&pool);
	ck_assert_uint_eq(threshold_now(), 1024);
	{
		char buf[64];
		FILE *f = fopen(target, "r");

		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
		fclose(f);
		ck_assert_str_eq(buf, "200 0c6f5a2e-boot-one\n");
	}
	unlink(link);
}
END_TEST

START_TEST(threshold_unrestorable_keeps_the_record)
{
	struct kernel_pool pool;

	if (geteuid() == 0)
		return;		/* root writes a 0444 file anyway */
	/* the sysctl refuses the write back (as after -D): the record stays
	 * for the next start, which may still be root */
	open_pool_with_state(&pool);
	ck_assert_int_eq(kernel_set_wakeup_threshold(&pool, 3072), 0);
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/write_wakeup_threshold", proc);
		ck_assert_int_eq(chmod(path, 0444), 0);
		close(pool.threshold_fd);
		pool.threshold_fd = open(path, O_RDONLY);
	}
	kernel_close(&pool);
	ck_assert(record_exists());
}
END_TEST

START_TEST(pollout_only_on_random)
{
	struct kernel_pool pool;
	struct pool_state st;
	char why[256] = "";

	/* the fixture's device is a file: treated like /dev/random */
	open_pool(&pool);
	ck_assert(pool.pollout);
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert(st.pollout);
	ck_assert_uint_eq(st.wakeup_threshold_bits, 896);
	write_file("write_wakeup_threshold", "3072\n");
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert_uint_eq(st.wakeup_threshold_bits, 3072);
	kernel_close(&pool);

	/* /dev/urandom: no POLLOUT (no poll at all before 5.18) */
	ck_assert_msg(kernel_open(&pool, "/dev/urandom", proc, why, sizeof(why)) == 0, "%s", why);
	ck_assert(!pool.pollout);
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert(!st.pollout);
	kernel_close(&pool);

	/* no write_wakeup_threshold to read: POLLOUT cannot be trusted */
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/write_wakeup_threshold", proc);
		unlink(path);
	}
	open_pool(&pool);
	ck_assert(!pool.pollout);
	kernel_close(&pool);
}
END_TEST

START_TEST(open_errors_name_the_file)
{
	struct kernel_pool pool;
	char why[256] = "", path[160];

	snprintf(path, sizeof(path), "%s/poolsize", proc);
	unlink(path);
	ck_assert_int_eq(kernel_open(&pool, device, proc, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, path) && strstr(why, "No such file"), "%s", why);
	ck_assert_int_eq(pool.random_fd, -1);
	snprintf(path, sizeof(path), "%s/missing", dir);
	ck_assert_int_eq(kernel_open(&pool, path, proc, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, path) != NULL, "%s", why);
}
END_TEST

START_TEST(random_device_detection)
{
	ck_assert_int_eq(kernel_is_random_device("/dev/urandom"), 1);
	ck_assert_int_eq(kernel_is_random_device("/dev/random"), 1);
	ck_assert_int_eq(kernel_is_random_device("/dev/null"), 0);
	ck_assert_int_eq(kernel_is_random_device(device), 0);
	ck_assert_int_eq(kernel_is_random_device("/nonexistent/file"), 0);
}
END_TEST

/* The real kernel, as root: this machine runs 6.18, the modern era. */
START_TEST(real_random_device)
{
	struct kernel_pool pool;
	struct pool_state st;
	char why[256] = "", before[32], after[32];
	uint8_t zeros[64] = { 0 };
	FILE *f;

	if (geteuid() != 0)
		return;		/* reported by the log line in main */
	fake_kernel = (struct fake_kernel){ .fd = -1, .real_getrandom = true };
	f = fopen("/proc/sys/kernel/random/write_wakeup_threshold", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(before, sizeof(before), f));
	fclose(f);
	ck_assert_msg(kernel_open(&pool, "/dev/random", KERNEL_PROC_DIR, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(kernel_read_state(&pool, &st), 0);
	ck_assert_int_eq(st.era, KERNEL_ERA_MODERN);
	ck_assert_uint_eq(st.poolsize_bits, 256);
	ck_assert(st.crng_ready);
	/* mixing in without credit is harmless; the real ioctl runs */
	ck_assert_int_eq(kernel_add_entropy(&pool, zeros, sizeof(zeros), 0), 0);
	ck_assert_int_eq(kernel_reseed(&pool), 0);
	kernel_close(&pool);
	f = fopen("/proc/sys/kernel/random/write_wakeup_threshold", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(after, sizeof(after), f));
	fclose(f);
	ck_assert_str_eq(before, after);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("fixture");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, era_from_poolsize);
	tcase_add_test(tc, state_follows_the_files);
	tcase_add_test(tc, add_entropy_credits_exactly);
	tcase_add_test(tc, reseed_results);
	tcase_add_test(tc, threshold_saved_set_restored);
	tcase_add_test(tc, threshold_survives_a_crash);
	tcase_add_test(tc, threshold_record_of_another_boot_or_not_ours);
	tcase_add_test(tc, threshold_unrestorable_keeps_the_record);
	tcase_add_test(tc, pollout_only_on_random);
	tcase_add_test(tc, open_errors_name_the_file);
	tcase_add_test(tc, random_device_detection);
	suite_add_tcase(s, tc);
	tc = tcase_create("real");
	tcase_add_test(tc, real_random_device);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kernel_suite());
	int failed;

	if (geteuid() != 0)
		printf("real_random_device: SKIP (needs root)\n");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
