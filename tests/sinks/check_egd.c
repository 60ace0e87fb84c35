/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The EGD sink (src/sinks/egd.c) over a real socket, with the daemon's side
 * replaced (tests/fakes/fake_sink_io.c): the loop's step / poll / events
 * cycle is run by hand, so every turn is deterministic.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "fakes/fake_sink_io.h"
#include "fixture.h"
#include "sinks/sinks.h"

static char dir[] = "/tmp/check_egd_sink.XXXXXX";
static char path[96];
static struct config cfg;
static struct sink_io io;
static void *egd;

static void setup(void)
{
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/egd", dir);
	config_defaults(&cfg);
	cfg.egd_sockets[0] = path;
	cfg.n_egd_sockets = 1;
	cfg.egd_only = true;
	fake_sink_io_init(&io, 0);
	ck_assert_int_eq(sink_egd.open(&egd, &cfg), 0);
}

static void teardown(void)
{
	if (egd)
		sink_egd.close(egd, &io, 0);
	egd = NULL;
	rmdir(dir);
	strcpy(dir, "/tmp/check_egd_sink.XXXXXX");
}

/* One turn of the daemon's loop at time now: step, poll (no wait), events. */
static struct sink_wait turn(uint64_t now)
{
	struct sink_wait wait = { false, UINT64_MAX };
	struct pollfd fds[SINK_MAX_POLLFDS];
	size_t n;

	ck_assert_int_eq(sink_egd.step(egd, &io, now, &wait), SINK_CONTINUE);
	n = sink_egd.pollfds(egd, fds, SINK_MAX_POLLFDS);
	if (poll(fds, n, 0) > 0)
		sink_egd.events(egd, &io, fds, n, now);
	return wait;
}

static int client(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	strcpy(addr.sun_path, path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	turn(0);	/* accept */
	return fd;
}

static void say(int fd, const uint8_t *buf, size_t len)
{
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
}

/* What the client has received so far (non-blocking). */
static size_t hear(int fd, uint8_t *buf, size_t max)
{
	ssize_t r = read(fd, buf, max);

	return r > 0 ? (size_t)r : 0;
}

START_TEST(test_socket_mode_and_removal)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_msg(S_ISSOCK(st.st_mode), "a socket");
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	sink_egd.close(egd, &io, 0);
	egd = NULL;
	ck_assert_msg(lstat(path, &st) < 0 && errno == ENOENT, "removed at close");
}
END_TEST

START_TEST(test_not_a_socket_is_left_alone)
{
	void *other = NULL;
	int fd;

	sink_egd.close(egd, &io, 0);
	egd = NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_msg(fd >= 0, "create a regular file");
	close(fd);
	ck_assert_int_eq(sink_egd.open(&other, &cfg), EXIT_FAILED);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	ck_assert_int_eq(sink_egd.open(&other, &cfg), EXIT_FAILED);
	unlink(path);
}
END_TEST

START_TEST(test_group_writable_dir_refused)
{
	void *other = NULL;

	sink_egd.close(egd, &io, 0);
	egd = NULL;
	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_eq(sink_egd.open(&other, &cfg), EXIT_FAILED);
	ck_assert_int_eq(chmod(dir, 0700), 0);
}
END_TEST

START_TEST(test_stale_socket_replaced_live_one_kept)
{
	void *other = NULL;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int stale;

	/* A second server while the first listens: refused. */
	ck_assert_int_eq(sink_egd.open(&other, &cfg), EXIT_FAILED);
	sink_egd.close(egd, &io, 0);
	egd = NULL;
	/* A socket nobody listens on: replaced. */
	stale = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(addr.sun_path, path);
	ck_assert_int_eq(bind(stale, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(stale);
	ck_assert_int_eq(sink_egd.open(&egd, &cfg), 0);
}
END_TEST

START_TEST(test_blocking_read_waits_then_gets_exactly_n)
{
	const uint8_t req[] = { 0x02, 100 };
	uint8_t got[256];
	struct sink_wait w;
	size_t n, i;
	int fd = client();

	say(fd, req, sizeof(req));
	turn(1);	/* read the request */
	w = turn(1);
	ck_assert_msg(w.want_data, "a waiting client wants data");
	ck_assert_int_eq(hear(fd, got, sizeof(got)), 0);
	/* 60 bytes arrive: sent at once; then 100 more: only 40 are owed. */
	fake_sink_io_init(&io, 60);
	turn(2);
	n = hear(fd, got, sizeof(got));
	ck_assert_int_eq(n, 60);
	io.queued = 160;
	for (i = 60; i < 160; i++)
		io.queue[i] = fake_sink_io_byte(i);
	turn(3);
	n += hear(fd, got + n, sizeof(got) - n);
	ck_assert_int_eq(n, 100);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(got[i], fake_sink_io_byte(i));
	ck_assert_int_eq(io.taken, 100);
	ck_assert_msg(io.bits == 0, "served bytes are never credited");
	close(fd);
}
END_TEST

START_TEST(test_turns_are_fair)
{
	/* Each asks for more than there will be. */
	const uint8_t req[] = { 0x02, 255, 0x02, 255, 0x02, 255, 0x02, 255 };
	uint8_t got[600];
	size_t a_total = 0, b_total = 0;
	int a = client(), b = client();
	int k;

	say(a, req, sizeof(req));
	say(b, req, sizeof(req));
	turn(1);
	/* Bytes trickle in, 100 per turn: neither client gets them all. */
	fake_sink_io_init(&io, 1000);
	io.queued = 0;
	for (k = 0; k < 10; k++) {
		io.queued += 100;
		turn(2 + (uint64_t)k);
		a_total += hear(a, got, sizeof(got));
		b_total += hear(b, got, sizeof(got));
	}
	ck_assert_int_eq(a_total + b_total, 1000);
	ck_assert_msg(a_total >= 400 && b_total >= 400, "shares %zu / %zu", a_total, b_total);
	close(a);
	close(b);
}
END_TEST

START_TEST(test_commands)
{
	const uint8_t pid[] = { 0x04 }, level[] = { 0x00 }, nb[] = { 0x01, 10 };
	uint8_t got[64];
	char text[32];
	int fd = client();

	say(fd, pid, 1);
	turn(1);
	turn(1);
	ck_assert_int_eq(hear(fd, got, sizeof(got)), 1 + (size_t)snprintf(text, sizeof(text), "%ld", (long)getpid()));
	ck_assert_msg(memcmp(got + 1, text, got[0]) == 0, "PID");
	fake_sink_io_init(&io, 6);
	say(fd, level, 1);
	turn(2);
	turn(2);
	ck_assert_int_eq(hear(fd, got, sizeof(got)), 4);
	ck_assert_msg(got[0] == 0 && got[1] == 0 && got[2] == 0 && got[3] == 6, "6 bytes at 1 bit each");
	say(fd, nb, 2);
	turn(3);
	turn(3);
	ck_assert_int_eq(hear(fd, got, sizeof(got)), 7);
	ck_assert_int_eq(got[0], 6);
	close(fd);
}
END_TEST

START_TEST(test_write_and_garbage_close_only_that_client)
{
	const uint8_t wr[] = { 0x03, 0x00, 0x08, 0x01, 0x55 }, junk[] = { 0x99 }, pid[] = { 0x04 };
	uint8_t got[64];
	int bad = client(), worse = client(), good = client();

	say(bad, wr, sizeof(wr));
	say(worse, junk, sizeof(junk));
	say(good, pid, sizeof(pid));
	turn(1);
	turn(1);
	turn(1);
	ck_assert_int_eq(read(bad, got, sizeof(got)), 0);
	ck_assert_int_eq(read(worse, got, sizeof(got)), 0);
	ck_assert_msg(hear(good, got, sizeof(got)) > 1, "the good client still answered");
	close(bad);
	close(worse);
	close(good);
}
END_TEST

START_TEST(test_rate_limit_defers)
{
	const uint8_t req[] = { 0x02, 255, 0x02, 255 };
	uint8_t got[600];
	struct sink_wait w;
	size_t n;
	int fd;

	sink_egd.close(egd, &io, 0);
	cfg.egd_rate = 100;	/* a burst of one read (255), then 100 bytes/s */
	ck_assert_int_eq(sink_egd.open(&egd, &cfg), 0);
	fd = client();
	fake_sink_io_init(&io, 1000);
	say(fd, req, sizeof(req));
	turn(1000);
	w = turn(1000);
	n = hear(fd, got, sizeof(got));
	ck_assert_int_eq(n, 255);
	ck_assert_msg(!w.want_data && w.wake_at_ms > 1000 && w.wake_at_ms <= 1010,
		      "waits for its rate, not for data (wake at %llu)", (unsigned long long)w.wake_at_ms);
	turn(2000);
	n = hear(fd, got, sizeof(got));
	ck_assert_int_eq(n, 100);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("egd sink");
	TCase *tc = tcase_create("server");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_socket_mode_and_removal);
	tcase_add_test(tc, test_not_a_socket_is_left_alone);
	tcase_add_test(tc, test_group_writable_dir_refused);
	tcase_add_test(tc, test_stale_socket_replaced_live_one_kept);
	tcase_add_test(tc, test_blocking_read_waits_then_gets_exactly_n);
	tcase_add_test(tc, test_turns_are_fair);
	tcase_add_test(tc, test_commands);
	tcase_add_test(tc, test_write_and_garbage_close_only_that_client);
	tcase_add_test(tc, test_rate_limit_defers);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
