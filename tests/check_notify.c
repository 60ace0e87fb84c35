/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/notify.c speaks sd_notify(3)'s protocol itself: one datagram to the
 * socket $NOTIFY_SOCKET names, a path or "@" for the abstract namespace.
 * Each test binds the receiving end here, as systemd would.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

/* A datagram socket bound to NAME (path, or "@..." abstract). */
static int listen_at(const char *name)
{
	struct sockaddr_un sa;
	size_t len = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
	ck_assert_msg(len < sizeof(sa.sun_path), "test name too long");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	ck_assert_msg(bind(fd, (struct sockaddr *)&sa,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) == 0,
		"bind %s: %s", name, strerror(errno));
	return fd;
}

/* The next datagram on FD, NUL-terminated, without blocking. */
static void receive(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	ck_assert_msg(n >= 0, "nothing received: %s", strerror(errno));
	buf[n] = '\0';
}

START_TEST(test_path_socket)
{
	char dir[] = "/tmp/check_notify.XXXXXX", path[64], buf[64];
	int fd;

	ck_assert(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listen_at(path);
	ck_assert_int_eq(notify_send(path, "READY=1"), 0);
	receive(fd, buf, sizeof(buf));
	ck_assert_str_eq(buf, "READY=1");
	close(fd);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_abstract_socket)
{
	char name[64], buf[64];
	int fd;

	/* unique per run: the abstract namespace is shared by the network namespace */
	snprintf(name, sizeof(name), "@entropyd-check-notify-%ld", (long)getpid());
	fd = listen_at(name);
	ck_assert_int_eq(notify_send(name, "STATUS=feeding"), 0);
	receive(fd, buf, sizeof(buf));
	ck_assert_str_eq(buf, "STATUS=feeding");
	close(fd);
}
END_TEST

START_TEST(test_no_socket_is_no_error)
{
	ck_assert_int_eq(notify_send(NULL, "READY=1"), 0);
	ck_assert_int_eq(notify_send("", "READY=1"), 0);
}
END_TEST

START_TEST(test_bad_names_refused)
{
	char longname[200];

	ck_assert_int_eq(notify_send("relative/path", "READY=1"), -EINVAL);
	ck_assert_int_eq(notify_send("@", "READY=1"), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(notify_send(longname, "READY=1"), -EINVAL);
	/* nobody listening: the error, not a crash or a hang */
	ck_assert_int_eq(notify_send("/nonexistent/entropyd-notify", "READY=1"), -ENOENT);
}
END_TEST

START_TEST(test_watchdog_interval)
{
	ck_assert_uint_eq(notify_parse_watchdog("30000000", NULL, 42), 30000000);
	ck_assert_uint_eq(notify_parse_watchdog("30000000", "42", 42), 30000000);
	/* meant for another process (a child that inherited the environment) */
	ck_assert_uint_eq(notify_parse_watchdog("30000000", "43", 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog(NULL, NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("", NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("0", NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("-5", NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("12x", NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("99999999999999999999999", NULL, 42), 0);
	ck_assert_uint_eq(notify_parse_watchdog("100", "4x", 42), 0);
}
END_TEST

static Suite *notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_path_socket);
	tcase_add_test(tc, test_abstract_socket);
	tcase_add_test(tc, test_no_socket_is_no_error);
	tcase_add_test(tc, test_bad_names_refused);
	tcase_add_test(tc, test_watchdog_interval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(notify_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
