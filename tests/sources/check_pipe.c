/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pipe and hwrng sources against real FIFOs, files and directories. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "source.h"
#include "sources/sources.h"

static char dir[] = "/tmp/check_pipe.XXXXXX";
static char path[sizeof(dir) + 32];
static char link_path[sizeof(dir) + 32];
static char why[SOURCE_MSG_MAX];
static int cancel_fd = -1;

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/src", dir);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	cancel_fd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(cancel_fd, 0);
}

static void teardown(void)
{
	unlink(path);
	unlink(link_path);
	chmod(dir, 0700);
	rmdir(dir);
	close(cancel_fd);
	strcpy(dir, "/tmp/check_pipe.XXXXXX");
}

static void *pipe_with_path(const char *p)
{
	void *st = pipe_source_ops.create();
	char err[256];

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(pipe_source_ops.set_option(st, "path", p, err, sizeof(err)), 0);
	return st;
}

START_TEST(test_probe_reasons)
{
	void *st = pipe_source_ops.create();

	ck_assert_int_eq(pipe_source_ops.probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "-O pipe:path:"));
	pipe_source_ops.destroy(st);

	st = pipe_with_path(path);	/* does not exist yet */
	ck_assert_int_eq(pipe_source_ops.probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "No such file"));
	pipe_source_ops.destroy(st);

	st = pipe_with_path(dir);
	ck_assert_int_eq(pipe_source_ops.probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "directory"));
	pipe_source_ops.destroy(st);
}
END_TEST

START_TEST(test_file_is_read_once_and_followed)
{
	uint8_t buf[64];
	void *st;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "abcdef", 6), 6);
	st = pipe_with_path(path);
	ck_assert_int_eq(pipe_source_ops.probe(st, why, sizeof(why)), SOURCE_USABLE);
	ck_assert_int_eq(pipe_source_ops.open(st, why, sizeof(why)), 0);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 6);
	ck_assert_int_eq(memcmp(buf, "abcdef", 6), 0);
	/* At the end: nothing, and no rewind. */
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)),
			 SOURCE_READ_AGAIN);
	ck_assert_int_eq(write(fd, "gh", 2), 2);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 2);
	ck_assert_int_eq(memcmp(buf, "gh", 2), 0);
	/* A reopen resumes where it stopped: no byte is delivered twice. */
	pipe_source_ops.close(st);
	ck_assert_int_eq(write(fd, "ij", 2), 2);
	ck_assert_int_eq(pipe_source_ops.open(st, why, sizeof(why)), 0);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 2);
	ck_assert_int_eq(memcmp(buf, "ij", 2), 0);
	pipe_source_ops.destroy(st);
	close(fd);
}
END_TEST

/* A pipe source on a new FIFO at path that has read "first" from a writer: its fd. */
static int fifo_first_read(void **st)
{
	uint8_t buf[64];
	int wfd;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	*st = pipe_with_path(path);
	ck_assert_int_eq(pipe_source_ops.open(*st, why, sizeof(why)), 0);
	wfd = open(path, O_WRONLY);
	ck_assert_int_ge(wfd, 0);
	ck_assert_int_eq(write(wfd, "first", 5), 5);
	ck_assert_int_eq(pipe_source_ops.read(*st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 5);
	return wfd;
}

START_TEST(test_fifo_writer_restarts)
{
	uint8_t buf[64];
	void *st;
	int wfd = fifo_first_read(&st);

	close(wfd);
	/* The writer left: the source reopens and waits for the next one. */
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)),
			 SOURCE_READ_AGAIN);
	wfd = open(path, O_WRONLY | O_NONBLOCK);
	ck_assert_msg(wfd >= 0, "no reader after the reopen: %s", strerror(errno));
	ck_assert_int_eq(write(wfd, "second", 6), 6);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 6);
	ck_assert_int_eq(memcmp(buf, "second", 6), 0);
	close(wfd);
	pipe_source_ops.destroy(st);
}
END_TEST

START_TEST(test_cancel_interrupts_a_blocked_read)
{
	uint64_t one = 1;
	uint8_t buf[8];
	void *st;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	st = pipe_with_path(path);
	ck_assert_int_eq(pipe_source_ops.open(st, why, sizeof(why)), 0);
	/* No writer ever: without the cancel this read would wait for ever. */
	ck_assert_int_eq(write(cancel_fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)),
			 SOURCE_READ_AGAIN);
	pipe_source_ops.destroy(st);
}
END_TEST

START_TEST(test_hwrng_rejects_non_devices)
{
	void *st = hwrng_source_ops.create();
	char err[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(hwrng_source_ops.set_option(st, "device", path, err, sizeof(err)), 0);
	ck_assert_int_eq(hwrng_source_ops.probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "not a character device"));
	ck_assert_int_eq(hwrng_source_ops.set_option(st, "device", "/nonexistent/hwrng", err, sizeof(err)), 0);
	ck_assert_int_eq(hwrng_source_ops.probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(why, "/nonexistent/hwrng"));
	ck_assert_int_eq(hwrng_source_ops.set_option(st, "device", "", err, sizeof(err)), -1);
	hwrng_source_ops.destroy(st);
}
END_TEST

START_TEST(test_hwrng_reads_a_char_device)
{
	uint8_t buf[16] = { 1 };
	void *st = hwrng_source_ops.create();
	char err[256];

	/* /dev/zero stands in for a device: the source must read it as one. */
	ck_assert_int_eq(hwrng_source_ops.set_option(st, "device", "/dev/zero", err, sizeof(err)), 0);
	ck_assert_int_eq(hwrng_source_ops.probe(st, why, sizeof(why)), SOURCE_USABLE);
	ck_assert_int_eq(hwrng_source_ops.open(st, why, sizeof(why)), 0);
	ck_assert_int_eq(hwrng_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 16);
	ck_assert_int_eq(buf[0], 0);
	hwrng_source_ops.destroy(st);
}
END_TEST

/*
 * probe and open of ops on path both refuse it, naming the kernel device
 * (virtio's probe looks at this machine's sysfs first: open alone).
 */
static void assert_refused(const struct source_ops *ops, const char *key, const char *p, const char *device)
{
	void *st = ops->create();
	char err[256];

	ck_assert_int_eq(ops->set_option(st, key, p, err, sizeof(err)), 0);
	why[0] = '\0';
	if (ops != &virtio_source_ops) {
		ck_assert_int_eq(ops->probe(st, why, sizeof(why)), SOURCE_UNAVAILABLE);
		ck_assert_msg(strstr(why, device) && strstr(why, "recycled"), "%s probe: %s", p, why);
	}
	/* open checks what it opened, not only what probe saw */
	why[0] = '\0';
	ck_assert_int_eq(ops->open(st, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, device) && strstr(why, "recycled"), "%s open: %s", p, why);
	ops->destroy(st);
}

START_TEST(test_kernel_output_is_refused)
{
	struct stat sb;

	ck_assert_int_eq(symlink("/dev/urandom", link_path), 0);
	assert_refused(&pipe_source_ops, "path", "/dev/urandom", "kernel's own /dev/urandom");
	assert_refused(&pipe_source_ops, "path", "/dev/random", "kernel's own /dev/random");
	assert_refused(&pipe_source_ops, "path", link_path, "kernel's own /dev/urandom");
	assert_refused(&hwrng_source_ops, "device", "/dev/urandom", "kernel's own /dev/urandom");
	assert_refused(&hwrng_source_ops, "device", link_path, "kernel's own /dev/urandom");
	assert_refused(&virtio_source_ops, "device", "/dev/random", "kernel's own /dev/random");
	/* Another name for the same device node: only root may make one. */
	if (geteuid() != 0 || mknod(path, S_IFCHR | 0400, makedev(1, 9)) < 0) {
		fprintf(stderr, "check_pipe: skipped the mknod'd copy of /dev/urandom: needs root\n");
		return;
	}
	ck_assert_int_eq(stat(path, &sb), 0);
	assert_refused(&pipe_source_ops, "path", path, "kernel's own /dev/urandom");
	assert_refused(&hwrng_source_ops, "device", path, "kernel's own /dev/urandom");
}
END_TEST

/* A pipe instance on path with the given trust, probed and opened: 0 or -1. */
static int open_with_trust(const char *trust, const char *owner)
{
	void *st = pipe_with_path(path);
	char err[256];
	int r;

	if (trust)
		ck_assert_int_eq(pipe_source_ops.set_option(st, "trust", trust, err, sizeof(err)), 0);
	if (owner)
		ck_assert_int_eq(pipe_source_ops.set_option(st, "owner", owner, err, sizeof(err)), 0);
	why[0] = '\0';
	r = pipe_source_ops.open(st, why, sizeof(why));
	pipe_source_ops.destroy(st);
	return r;
}

START_TEST(test_trust_rules)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(open_with_trust(NULL, NULL), 0);
	/* a file others may write: anyone decides what is credited */
	ck_assert_int_eq(chmod(path, 0622), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), -1);
	ck_assert_msg(strstr(why, "writable by its group or others (mode 0622)") &&
		      strstr(why, "-O pipe:trust:any"), "%s", why);
	ck_assert_int_eq(open_with_trust("any", NULL), 0);
	ck_assert_int_eq(chmod(path, 0640), 0);
	/* a directory others may write, sticky or not: they may put their file there */
	ck_assert_int_eq(chmod(dir, 01777), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), -1);
	ck_assert_msg(strstr(why, "the directory of") && strstr(why, "mode 1777"), "%s", why);
	ck_assert_int_eq(open_with_trust("strict", NULL), -1);
	ck_assert_int_eq(open_with_trust("any", NULL), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), 0);
	/* another user's file: refused unless that user is the trusted owner */
	if (geteuid() != 0) {
		fprintf(stderr, "check_pipe: skipped the foreign owner cases: needs root\n");
		return;
	}
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), -1);
	ck_assert_msg(strstr(why, "belongs to uid 65534"), "%s", why);
	ck_assert_int_eq(open_with_trust(NULL, "65534"), 0);
	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), -1);
	ck_assert_int_eq(open_with_trust(NULL, "65534"), 0);
	ck_assert_int_eq(chown(path, 0, 0), 0);
	ck_assert_int_eq(open_with_trust(NULL, NULL), -1);
	ck_assert_msg(strstr(why, "the directory of") && strstr(why, "uid 65534"), "%s", why);
	ck_assert_int_eq(chown(dir, 0, 0), 0);
}
END_TEST

START_TEST(test_trust_options)
{
	void *st = pipe_source_ops.create();
	char err[256], buf[64];

	ck_assert_int_eq(pipe_source_ops.set_option(st, "trust", "some", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "pipe:trust: 'some' is not accepted; accepted: strict, any");
	ck_assert_int_eq(pipe_source_ops.set_option(st, "owner", "no such user 7", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "pipe:owner"));
	ck_assert_int_eq(pipe_source_ops.set_option(st, "owner", "root", err, sizeof(err)), 0);
	pipe_source_ops.get_option(st, "owner", buf, sizeof(buf));
	ck_assert_str_eq(buf, "root");
	pipe_source_ops.get_option(st, "trust", buf, sizeof(buf));
	ck_assert_str_eq(buf, "strict");
	pipe_source_ops.destroy(st);
}
END_TEST

START_TEST(test_fifo_reopen_is_checked)
{
	uint8_t buf[64];
	void *st;
	int wfd = fifo_first_read(&st);

	/* While the writer is there, the FIFO becomes writable by anyone. */
	ck_assert_int_eq(chmod(path, 0666), 0);
	close(wfd);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)),
			 SOURCE_READ_FAILED);
	ck_assert_msg(strstr(why, "writable by its group or others"), "%s", why);
	pipe_source_ops.destroy(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pipe+hwrng");
	TCase *tc = tcase_create("io");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_probe_reasons);
	tcase_add_test(tc, test_file_is_read_once_and_followed);
	tcase_add_test(tc, test_fifo_writer_restarts);
	tcase_add_test(tc, test_cancel_interrupts_a_blocked_read);
	tcase_add_test(tc, test_hwrng_rejects_non_devices);
	tcase_add_test(tc, test_hwrng_reads_a_char_device);
	tcase_add_test(tc, test_kernel_output_is_refused);
	tcase_add_test(tc, test_trust_rules);
	tcase_add_test(tc, test_trust_options);
	tcase_add_test(tc, test_fifo_reopen_is_checked);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
