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
#include <unistd.h>

#include "source.h"
#include "sources/sources.h"

static char dir[] = "/tmp/check_pipe.XXXXXX";
static char path[sizeof(dir) + 32];
static char why[SOURCE_MSG_MAX];
static int cancel_fd = -1;

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/src", dir);
	cancel_fd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(cancel_fd, 0);
}

static void teardown(void)
{
	unlink(path);
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

START_TEST(test_fifo_writer_restarts)
{
	uint8_t buf[64];
	void *st;
	int wfd;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	st = pipe_with_path(path);
	ck_assert_int_eq(pipe_source_ops.open(st, why, sizeof(why)), 0);
	wfd = open(path, O_WRONLY);
	ck_assert_int_ge(wfd, 0);
	ck_assert_int_eq(write(wfd, "first", 5), 5);
	ck_assert_int_eq(pipe_source_ops.read(st, buf, sizeof(buf), cancel_fd, why, sizeof(why)), 5);
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
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
