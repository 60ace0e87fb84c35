/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the virtio source, the hw_random sysfs reader and the
 * hwrng source's hand-over, against fixture sysfs and /proc trees: virtio
 * current or not, the kernel's hwrng thread running or not, quality 0,
 * 1024 or missing.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "source.h"
#include "sources/hwrng_sysfs.h"
#include "sources/sources.h"

static char root[64], sysfs[128], proc[128], module[128];

/* A process in the fixture /proc: PID, comm, parent. */
static void process(int pid, const char *comm, int ppid)
{
	char dir[256], stat[128];

	snprintf(dir, sizeof(dir), "%s/%d", proc, pid);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(stat, sizeof(stat), "%d (%s) S %d 0 0 0\n", pid, comm, ppid);
	fixture_put(dir, "stat", stat);
	fixture_put(dir, "comm", comm);
}

/* The tree: sysfs with current/available/quality (NULL: no file), hwrng thread or not. */
static void tree(const char *current, const char *available, const char *quality, int thread)
{
	fixture_remove(sysfs);
	fixture_remove(proc);
	fixture_remove(module);
	ck_assert_int_eq(mkdir(sysfs, 0700), 0);
	ck_assert_int_eq(mkdir(proc, 0700), 0);
	ck_assert_int_eq(mkdir(module, 0700), 0);
	if (current)
		fixture_put(sysfs, "rng_current", current);
	if (available)
		fixture_put(sysfs, "rng_available", available);
	if (quality)
		fixture_put(sysfs, "rng_quality", quality);
	process(1, "init", 0);
	process(2, "kthreadd", 0);
	if (thread)
		process(52, "hwrng", 2);
	else
		process(77, "hwrng", 1);	/* a user process with the name: not the thread */
}

static void setup(void)
{
	fixture_mkdtemp(root, sizeof(root), "check_virtio");
	snprintf(sysfs, sizeof(sysfs), "%s/sys", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(module, sizeof(module), "%s/module", root);
}

static void teardown(void)
{
	fixture_remove(root);
}

/* A virtio instance on the fixture, reading /dev/zero as "the device". */
static enum source_status probe_virtio(const char *force, char *why, size_t whylen)
{
	const struct source_ops *ops = &virtio_source_ops;
	char err[SOURCE_MSG_MAX];
	void *st = ops->create();
	enum source_status r;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ops->set_option(st, "sysfs", sysfs, err, sizeof(err)), 0);
	ck_assert_int_eq(ops->set_option(st, "proc", proc, err, sizeof(err)), 0);
	ck_assert_int_eq(ops->set_option(st, "module", module, err, sizeof(err)), 0);
	ck_assert_int_eq(ops->set_option(st, "device", "/dev/zero", err, sizeof(err)), 0);
	if (force)
		ck_assert_int_eq(ops->set_option(st, "force", force, err, sizeof(err)), 0);
	why[0] = '\0';
	r = ops->probe(st, why, whylen);
	ops->destroy(st);
	return r;
}

START_TEST(sysfs_reader)
{
	struct hwrng_sysfs hw;
	char name[64];

	tree("virtio_rng.0\n", "virtio_rng.0 tpm-rng-0\n", "1024\n", 1);
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert(hw.present);
	ck_assert_str_eq(hw.current, "virtio_rng.0");
	ck_assert_str_eq(hw.available, "virtio_rng.0 tpm-rng-0");
	ck_assert_int_eq(hw.quality, 1024);
	ck_assert(hw.kernel_thread);
	ck_assert(hwrng_sysfs_kernel_feeds(&hw));
	ck_assert(hwrng_sysfs_find_virtio(&hw, name, sizeof(name)));
	ck_assert_str_eq(name, "virtio_rng.0");

	tree("none\n", "tpm-rng-0\n", NULL, 0);
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_str_eq(hw.current, "");
	ck_assert_int_eq(hw.quality, -1);
	ck_assert(!hw.kernel_thread);	/* the user process named hwrng does not count */
	ck_assert(!hwrng_sysfs_find_virtio(&hw, name, sizeof(name)));

	hwrng_sysfs_read("/nonexistent/hw_random", module, proc, &hw);
	ck_assert(!hw.present);
}
END_TEST

START_TEST(virtio_probe_cases)
{
	char why[SOURCE_MSG_MAX];

	/* this machine: current, kernel thread at quality 1024: idle, and why */
	tree("virtio_rng.0\n", "virtio_rng.0\n", "1024\n", 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_str_eq(why, "the kernel's hwrng thread already credits virtio_rng.0 (quality 1024); "
		      "-O virtio:force:1 reads it anyway");
	ck_assert_int_eq(probe_virtio("1", why, sizeof(why)), SOURCE_USABLE);

	/* quality 0 (the kernel does not credit it): read it */
	tree("virtio_rng.0\n", "virtio_rng.0\n", "0\n", 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_USABLE);
	/* no thread, no quality file (RHEL 6/7.0): read it */
	tree("virtio_rng.0\n", "virtio_rng.0\n", NULL, 0);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_USABLE);

	/* present but not current */
	tree("tpm-rng-0\n", "tpm-rng-0 virtio_rng.0\n", "1024\n", 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_msg(strstr(why, "virtio_rng.0 is not the current hardware RNG (rng_current: tpm-rng-0)") &&
		      strstr(why, "echo virtio_rng.0 >"), "%s", why);

	/* no virtio at all; no hw_random at all */
	tree("tpm-rng-0\n", "tpm-rng-0\n", "1024\n", 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_str_eq(why, "no virtio-rng device (rng_available: tpm-rng-0)");
	snprintf(sysfs, sizeof(sysfs), "%s/missing", root);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "does not exist"));
	snprintf(sysfs, sizeof(sysfs), "%s/sys", root);
}
END_TEST

START_TEST(hwrng_hands_virtio_over)
{
	const struct source_ops *ops = &hwrng_source_ops;
	char err[SOURCE_MSG_MAX], why[SOURCE_MSG_MAX];
	void *st = ops->create();

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ops->set_option(st, "sysfs", sysfs, err, sizeof(err)), 0);
	tree("virtio_rng.0\n", "virtio_rng.0\n", "1024\n", 1);
	ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_str_eq(why, "rng_current is virtio_rng.0: the virtio source handles it (with -x virtio, hwrng reads it)");
	/* another device behind /dev/hwrng: hwrng's own (here: missing in the
	 * fixture machine or present; either way not handed over) */
	tree("tpm-rng-0\n", "tpm-rng-0\n", "1024\n", 1);
	ck_assert_int_ne(ops->probe(st, why, sizeof(why)), SOURCE_IDLE);
	/* any other path never consults sysfs */
	tree("virtio_rng.0\n", "virtio_rng.0\n", "1024\n", 1);
	ck_assert_int_eq(ops->set_option(st, "device", "/dev/zero", err, sizeof(err)), 0);
	ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_USABLE);
	ops->destroy(st);
}
END_TEST

START_TEST(virtio_options)
{
	const struct source_ops *ops = &virtio_source_ops;
	char err[SOURCE_MSG_MAX], buf[64];
	void *st = ops->create();

	ck_assert_int_eq(ops->set_option(st, "force", "maybe", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "virtio:force"));
	ck_assert_ptr_nonnull(strstr(err, "maybe"));
	ck_assert_int_eq(ops->set_option(st, "speed", "1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "virtio: unknown option 'speed'; accepted: credit, force, device, sysfs, module, proc");
	ck_assert_int_eq(ops->set_option(st, "device", "", err, sizeof(err)), -1);
	ck_assert_int_eq(ops->set_option(st, "force", "yes", err, sizeof(err)), 0);
	ops->get_option(st, "force", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1");
	ops->get_option(st, "device", buf, sizeof(buf));
	ck_assert_str_eq(buf, "/dev/hwrng");
	ops->destroy(st);
}
END_TEST

/* The hwrng source at its default /dev/hwrng, on the fixture sysfs. */
static enum source_status probe_hwrng(char *why, size_t whylen)
{
	const struct source_ops *ops = &hwrng_source_ops;
	char err[SOURCE_MSG_MAX];
	void *st = ops->create();
	enum source_status r;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ops->set_option(st, "sysfs", sysfs, err, sizeof(err)), 0);
	why[0] = '\0';
	r = ops->probe(st, why, whylen);
	ops->destroy(st);
	return r;
}

START_TEST(older_kernels)
{
	char why[SOURCE_MSG_MAX];

	ck_assert(hwrng_sysfs_is_virtio("virtio_rng.12"));
	ck_assert(hwrng_sysfs_is_virtio("virtio"));
	ck_assert(!hwrng_sysfs_is_virtio("virtiofs"));
	ck_assert(!hwrng_sysfs_is_virtio("none"));

	/* Before 3.15 (RHEL 6, 7.0) the device is "virtio", and no thread runs. */
	tree("virtio\n", "virtio \n", NULL, 0);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_USABLE);
	ck_assert_int_eq(probe_hwrng(why, sizeof(why)), SOURCE_IDLE);
	ck_assert_str_eq(why, "rng_current is virtio: the virtio source handles it (with -x virtio, hwrng reads it)");

	/* Two virtio-rngs, the second current: it is read, by virtio. */
	tree("virtio_rng.1\n", "virtio_rng.0 virtio_rng.1\n", "0\n", 0);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_USABLE);
	tree("virtio_rng.1\n", "virtio_rng.0 virtio_rng.1\n", "1024\n", 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_ptr_nonnull(strstr(why, "already credits virtio_rng.1 (quality 1024)"));

	/* 3.17 until rng_quality appeared: the thread runs only at quality > 0. */
	tree("virtio_rng.0\n", "virtio_rng.0\n", NULL, 1);
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_str_eq(why, "the kernel's hwrng thread already credits virtio_rng.0 (quality above 0); "
		      "-O virtio:force:1 reads it anyway");
	ck_assert_int_eq(probe_virtio("1", why, sizeof(why)), SOURCE_USABLE);
}
END_TEST

/*
 * Issue 4's promise, over every fixture combination: virtio and hwrng (both
 * on /dev/hwrng) never both read it; and where the kernel does not credit
 * a current virtio-rng itself, exactly one does (when the node exists).
 */
START_TEST(never_both)
{
	static const char *const currents[] = { "virtio_rng.0\n", "virtio\n", "tpm-rng-0\n", "none\n", NULL };
	static const char *const qualities[] = { "1024\n", "0\n", NULL };
	const struct source_ops *vops = &virtio_source_ops;
	char err[SOURCE_MSG_MAX], why[SOURCE_MSG_MAX];
	struct stat sb;
	bool node = stat("/dev/hwrng", &sb) == 0 && S_ISCHR(sb.st_mode);
	int c, q, thread, readers;

	for (thread = 0; thread < 2; thread++) {
		for (c = 0; c < 5; c++) {
			for (q = 0; q < 3; q++) {
				void *st = vops->create();
				enum source_status v, h;
				bool kernel = thread && q != 1 && c < 2;
				bool current = c < 3;	/* not "none", not missing */

				tree(currents[c], "virtio_rng.0 virtio tpm-rng-0\n", qualities[q], thread);
				ck_assert_int_eq(vops->set_option(st, "sysfs", sysfs, err, sizeof(err)), 0);
				ck_assert_int_eq(vops->set_option(st, "proc", proc, err, sizeof(err)), 0);
				ck_assert_int_eq(vops->set_option(st, "module", module, err, sizeof(err)), 0);
				v = vops->probe(st, why, sizeof(why));
				vops->destroy(st);
				h = probe_hwrng(why, sizeof(why));
				readers = (v == SOURCE_USABLE) + (h == SOURCE_USABLE);
				ck_assert_msg(readers <= 1, "current %d quality %d thread %d: both read", c, q, thread);
				ck_assert_msg(!node || kernel || !current || readers == 1,
					      "current %d quality %d thread %d: nobody reads", c, q, thread);
				ck_assert_msg(!kernel || readers == 0,
					      "current %d quality %d thread %d: competes with the kernel", c, q, thread);
				/* nothing current: /dev/hwrng answers ENODEV, nobody may claim it */
				ck_assert_msg(current || readers == 0,
					      "current %d quality %d thread %d: reads a device with no RNG", c, q, thread);
			}
		}
	}
}
END_TEST

START_TEST(sysfs_truths)
{
	struct hwrng_sysfs hw;

	/* rng_available ends in a space: no trailing space in what is said */
	tree("none\n", "tpm-rng-0 \n", NULL, 0);
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_str_eq(hw.available, "tpm-rng-0");
	/* 5.10: no rng_quality, rng_core's current_quality says it */
	tree("virtio_rng.0\n", "virtio_rng.0\n", NULL, 1);
	fixture_put(module, "current_quality", "0\n");
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_int_eq(hw.quality, 0);
	ck_assert(!hwrng_sysfs_kernel_feeds(&hw));	/* the thread runs but credits nothing */
	fixture_put(module, "current_quality", "1000\n");
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_int_eq(hw.quality, 1000);
	ck_assert(hwrng_sysfs_kernel_feeds(&hw));
	/* rng_quality, where it exists, wins */
	fixture_put(sysfs, "rng_quality", "1024\n");
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_int_eq(hw.quality, 1024);
	/* neither: unknown */
	tree("virtio_rng.0\n", "virtio_rng.0\n", NULL, 1);
	hwrng_sysfs_read(sysfs, module, proc, &hw);
	ck_assert_int_eq(hw.quality, -1);
}
END_TEST

START_TEST(virtio_reads_at_current_quality_0)
{
	char why[SOURCE_MSG_MAX];

	/* 5.10 with rng_core.current_quality=0: the thread runs, credits nothing */
	tree("virtio_rng.0\n", "virtio_rng.0\n", NULL, 1);
	fixture_put(module, "current_quality", "0\n");
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_USABLE);
	fixture_put(module, "current_quality", "1000\n");
	ck_assert_int_eq(probe_virtio(NULL, why, sizeof(why)), SOURCE_IDLE);
	ck_assert_str_eq(why, "the kernel's hwrng thread already credits virtio_rng.0 (quality 1000); "
		      "-O virtio:force:1 reads it anyway");
}
END_TEST

START_TEST(hwrng_tells_the_truth)
{
	const struct source_ops *ops = &hwrng_source_ops;
	char err[SOURCE_MSG_MAX], why[SOURCE_MSG_MAX], buf[16];
	void *st = ops->create();

	ck_assert_int_eq(ops->set_option(st, "sysfs", sysfs, err, sizeof(err)), 0);
	/* a VM without an RNG device: /dev/hwrng exists, nothing is behind it */
	tree("none\n", "tpm-rng-0 \n", NULL, 0);
	ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_str_eq(why, "rng_current is none: no hardware RNG is behind /dev/hwrng (rng_available: tpm-rng-0)");
	tree("none\n", "", NULL, 0);
	ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_str_eq(why, "rng_current is none: no hardware RNG is behind /dev/hwrng (rng_available: none)");
	/* virtio excluded (-x virtio implies hwrng:virtio:read): hwrng reads it */
	tree("virtio_rng.0\n", "virtio_rng.0\n", "1024\n", 1);
	ck_assert_int_eq(ops->set_option(st, "virtio", "read", err, sizeof(err)), 0);
	ck_assert_int_ne(ops->probe(st, why, sizeof(why)), SOURCE_IDLE);
	ops->get_option(st, "virtio", buf, sizeof(buf));
	ck_assert_str_eq(buf, "read");
	ck_assert_int_eq(ops->set_option(st, "virtio", "maybe", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "hwrng:virtio: 'maybe' is not accepted; accepted: defer, read");
	ops->destroy(st);
}
END_TEST

static Suite *virtio_suite(void)
{
	Suite *s = suite_create("virtio");
	TCase *tc = tcase_create("fixtures");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sysfs_reader);
	tcase_add_test(tc, virtio_probe_cases);
	tcase_add_test(tc, hwrng_hands_virtio_over);
	tcase_add_test(tc, virtio_options);
	tcase_add_test(tc, older_kernels);
	tcase_add_test(tc, never_both);
	tcase_add_test(tc, sysfs_truths);
	tcase_add_test(tc, virtio_reads_at_current_quality_0);
	tcase_add_test(tc, hwrng_tells_the_truth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(virtio_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
