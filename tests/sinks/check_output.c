/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output sink (src/sinks/output.c) into real FIFOs, with the daemon's
 * side faked (tests/fakes/fake_sink_io.c): it never blocks on a reader that
 * stops reading, writes exactly what it took, stops when the reader leaves,
 * and --once writes one step.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fakes/fake_sink_io.h"
#include "fixture.h"
#include "sinks/sinks.h"

static char dir[] = "/tmp/check_output_sink.XXXXXX";
static char path[96];
static struct config cfg;
static struct sink_io io;
static int reader = -1;

static void setup(void)
{
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	reader = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_msg(reader >= 0, "open the FIFO's reading end");
	config_defaults(&cfg);
	cfg.random_device = path;
	signal(SIGPIPE, SIG_IGN);
}

static void teardown(void)
{
	if (reader >= 0)
		close(reader);
	reader = -1;
	unlink(path);
	rmdir(dir);
	strcpy(dir, "/tmp/check_output_sink.XXXXXX");
}

static int step(void *out, uint64_t now)
{
	struct sink_wait wait = { false, UINT64_MAX };

	return sink_output.step(out, &io, now, &wait);
}

START_TEST(test_stalled_reader_never_blocks)
{
	void *out = NULL;
	struct pollfd fds[1];
	int k;

	fake_sink_io_init(&io, FAKE_SINK_IO_MAX);
	ck_assert_int_eq(sink_output.open(&out, &cfg), 0);
	/* The reader reads nothing: 64 KiB fill the FIFO, the other 192 wait.
	 * Were a write blocking, this test would hang (CK_DEFAULT_TIMEOUT). */
	for (k = 0; k < 40; k++)
		ck_assert_int_eq(step(out, (uint64_t)k), SINK_CONTINUE);
	ck_assert_msg(io.accounted < FAKE_SINK_IO_MAX, "wrote %llu bytes into a full FIFO", io.accounted);
	ck_assert_msg(io.accounted > 0, "wrote nothing");
	ck_assert_int_eq(sink_output.pollfds(out, fds, 1), 1);
	ck_assert_msg(fds[0].events & POLLOUT, "waits for POLLOUT");
	sink_output.close(out, &io, 0);
}
END_TEST

START_TEST(test_writes_exactly_what_it_took)
{
	void *out = NULL;
	uint8_t got[FAKE_SINK_IO_MAX];
	size_t n = 0, i;
	int k;
	ssize_t r;

	fake_sink_io_init(&io, 30000);
	ck_assert_int_eq(sink_output.open(&out, &cfg), 0);
	for (k = 0; k < 100 && n < 30000; k++) {
		step(out, (uint64_t)k);
		while ((r = read(reader, got + n, sizeof(got) - n)) > 0)
			n += (size_t)r;
	}
	ck_assert_int_eq(n, 30000);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(got[i], fake_sink_io_byte(i));
	ck_assert_msg(io.accounted == 30000 && io.bits == 0, "accounted, never credited");
	ck_assert_msg(io.ready, "first write reported");
	sink_output.close(out, &io, 0);
}
END_TEST

START_TEST(test_reader_gone_ends)
{
	void *out = NULL;

	fake_sink_io_init(&io, 1000);
	ck_assert_int_eq(sink_output.open(&out, &cfg), 0);
	close(reader);
	reader = -1;
	ck_assert_int_eq(step(out, 0), SINK_DONE);
	sink_output.close(out, &io, 0);
}
END_TEST

START_TEST(test_once_writes_one_step)
{
	void *out = NULL;
	uint8_t got[256];

	cfg.once = true;
	cfg.step_bytes = 64;
	fake_sink_io_init(&io, 1000);
	ck_assert_int_eq(sink_output.open(&out, &cfg), 0);
	ck_assert_int_eq(step(out, 0), SINK_DONE);
	ck_assert_int_eq(read(reader, got, sizeof(got)), 64);
	ck_assert_int_eq(io.taken, 64);
	sink_output.close(out, &io, 0);
}
END_TEST

START_TEST(test_new_file_is_private_and_links_refused)
{
	void *out = NULL;
	char file[128], link[128];
	struct stat st;

	snprintf(file, sizeof(file), "%s/out", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	cfg.random_device = file;
	fake_sink_io_init(&io, 10);
	ck_assert_int_eq(sink_output.open(&out, &cfg), 0);
	ck_assert_int_eq(step(out, 0), SINK_CONTINUE);
	sink_output.close(out, &io, 0);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, 10);
	ck_assert_int_eq(symlink(file, link), 0);
	cfg.random_device = link;
	ck_assert_int_eq(sink_output.open(&out, &cfg), EXIT_FAILED);
	unlink(link);
	unlink(file);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("output sink");
	TCase *tc = tcase_create("fifo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_stalled_reader_never_blocks);
	tcase_add_test(tc, test_writes_exactly_what_it_took);
	tcase_add_test(tc, test_reader_gone_ends);
	tcase_add_test(tc, test_once_writes_one_step);
	tcase_add_test(tc, test_new_file_is_private_and_links_refused);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
