/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control protocol's parser and the non-blocking server over a real socket. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"

START_TEST(test_parse)
{
	char longline[CONTROL_MAX_REQUEST + 8];

	ck_assert_int_eq(control_parse("status\n", 7), CONTROL_STATUS);
	ck_assert_int_eq(control_parse("status\r\n", 8), CONTROL_STATUS);
	ck_assert_int_eq(control_parse("stat", 4), CONTROL_INCOMPLETE);
	ck_assert_int_eq(control_parse("", 0), CONTROL_INCOMPLETE);
	ck_assert_int_eq(control_parse("STATUS\n", 7), CONTROL_BAD);
	ck_assert_int_eq(control_parse("status \n", 8), CONTROL_BAD);
	ck_assert_int_eq(control_parse("\n", 1), CONTROL_BAD);
	ck_assert_int_eq(control_parse("stat\0s\n", 7), CONTROL_BAD);
	memset(longline, 'a', sizeof(longline));
	ck_assert_int_eq(control_parse(longline, CONTROL_MAX_REQUEST), CONTROL_BAD);
	ck_assert_int_eq(control_parse(longline, CONTROL_MAX_REQUEST - 1), CONTROL_INCOMPLETE);
}
END_TEST

static char dir[] = "/tmp/check_control.XXXXXX";
static char path[64];
static struct control_server srv;
static int served;

static char *fake_status(void *ctx)
{
	served++;
	return strdup("{\"schema\": 1}\n");
}

static int client(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(addr.sun_path, path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

/* One pass of the daemon's loop: poll the server's fds, serve them. */
static void loop_once(uint64_t now_ms)
{
	struct pollfd fds[1 + CONTROL_MAX_CLIENTS];
	size_t n = control_pollfds(&srv, fds);

	ck_assert_int_ge(poll(fds, n, 100), 0);
	control_serve(&srv, fds, n, now_ms, fake_status, NULL);
}

static size_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	return got;
}

static void setup(void)
{
	char why[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run/control", dir);
	served = 0;
	ck_assert_msg(control_open(&srv, path, NULL, why, sizeof(why)) == 0, "%s", why);
}

static void teardown(void)
{
	char sub[80];

	control_close(&srv);
	snprintf(sub, sizeof(sub), "%s/run", dir);
	rmdir(sub);
	rmdir(dir);
	strcpy(dir, "/tmp/check_control.XXXXXX");
}

START_TEST(test_socket_mode_and_cleanup)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 0777, 0660);
	control_close(&srv);
	ck_assert_int_eq(stat(path, &sb), -1);
}
END_TEST

START_TEST(test_status_round_trip)
{
	char reply[256];
	int fd = client();

	loop_once(0);	/* accept */
	ck_assert_int_eq(write(fd, "sta", 3), 3);
	loop_once(1);	/* partial: nothing yet */
	ck_assert_int_eq(served, 0);
	ck_assert_int_eq(write(fd, "tus\n", 4), 4);
	loop_once(2);
	ck_assert_int_eq(served, 1);
	read_all(fd, reply, sizeof(reply));
	ck_assert_str_eq(reply, "{\"schema\": 1}\n");
	close(fd);
}
END_TEST

START_TEST(test_garbage_and_silence_are_dropped)
{
	char reply[256];
	char flood[200];
	int bad = client();
	int silent = client();
	int big = client();

	memset(flood, 'x', sizeof(flood));
	loop_once(0);
	ck_assert_int_eq(write(bad, "hello\n", 6), 6);
	ck_assert_int_eq(write(big, flood, sizeof(flood)), (ssize_t)sizeof(flood));
	loop_once(10);
	ck_assert_int_eq(served, 0);
	read_all(bad, reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "\"error\""));
	read_all(big, reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "\"error\""));
	/* The silent one is dropped at its deadline, not before. */
	ck_assert_uint_eq(control_next_deadline(&srv), CONTROL_CLIENT_TIMEOUT_MS);
	loop_once(CONTROL_CLIENT_TIMEOUT_MS);
	ck_assert_uint_eq(control_next_deadline(&srv), UINT64_MAX);
	ck_assert_uint_eq(read_all(silent, reply, sizeof(reply)), 0);	/* EOF */
	/* And the server still serves. */
	close(bad);
	close(big);
	close(silent);
	bad = client();
	loop_once(2000);
	ck_assert_int_eq(write(bad, "status\n", 7), 7);
	loop_once(2001);
	ck_assert_int_eq(served, 1);
	close(bad);
}
END_TEST

START_TEST(test_client_limit)
{
	int fds[CONTROL_MAX_CLIENTS + 1];
	char reply[64];
	int i;

	for (i = 0; i <= CONTROL_MAX_CLIENTS; i++)
		fds[i] = client();
	loop_once(0);
	/* The one over the limit is closed at once; the others wait their turn. */
	ck_assert_uint_eq(read_all(fds[CONTROL_MAX_CLIENTS], reply, sizeof(reply)), 0);
	for (i = 0; i <= CONTROL_MAX_CLIENTS; i++)
		close(fds[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	TCase *parse = tcase_create("parse");
	TCase *server = tcase_create("server");
	SRunner *sr;
	int failed;

	tcase_add_test(parse, test_parse);
	tcase_add_checked_fixture(server, setup, teardown);
	tcase_add_test(server, test_socket_mode_and_cleanup);
	tcase_add_test(server, test_status_round_trip);
	tcase_add_test(server, test_garbage_and_silence_are_dropped);
	tcase_add_test(server, test_client_limit);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, server);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
