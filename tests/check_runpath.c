/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filesystem trust rules: the pure checks on synthetic stat results,
 * then the real calls in a temporary directory (as any user): directories
 * made and removed, links and open directories refused, sockets replaced
 * only when stale, marked files removed only while they are still ours,
 * PID files and -o outputs opened only where they may be.  Also the PID
 * file's content check (pidfile.c builds on these rules).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"
#include "runpath.h"

static char dir[64];
static char why[1024];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_runpath.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	umask(022);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* path = dir + "/" + rel */
static const char *at(const char *rel)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, rel);
	return p;
}

static struct stat fake_stat(mode_t mode, uid_t uid)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = mode;
	st.st_uid = uid;
	return st;
}

START_TEST(test_describe)
{
	ck_assert_str_eq(runpath_describe(S_IFREG | 0644), "a regular file");
	ck_assert_str_eq(runpath_describe(S_IFIFO | 0600), "a FIFO");
	ck_assert_str_eq(runpath_describe(S_IFCHR | 0666), "a character device");
	ck_assert_str_eq(runpath_describe(S_IFBLK | 0660), "a block device");
	ck_assert_str_eq(runpath_describe(S_IFLNK | 0777), "a symbolic link");
	ck_assert_str_eq(runpath_describe(S_IFSOCK | 0660), "a socket");
	ck_assert_str_eq(runpath_describe(S_IFDIR | 0755), "a directory");
}
END_TEST

START_TEST(test_runtime_dir_rules)
{
	const struct runpath_owner dropped = { 65534, 65534 };
	struct stat st;

	st = fake_stat(S_IFDIR | 0750, 0);
	ck_assert(runpath_dir_trusted(&st, 0, NULL));
	st = fake_stat(S_IFDIR | 0755, 1000);
	ck_assert(runpath_dir_trusted(&st, 1000, NULL));	/* our own user's */
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));		/* someone else's */
	st = fake_stat(S_IFDIR | 0750, 65534);
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));
	ck_assert(runpath_dir_trusted(&st, 0, &dropped));	/* made for -D */
	st = fake_stat(S_IFDIR | 0770, 0);
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));		/* group may write */
	st = fake_stat(S_IFDIR | 0777, 0);
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));
	st = fake_stat(S_IFDIR | 01777, 0);
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));		/* sticky is not enough here */
	st = fake_stat(S_IFLNK | 0777, 0);
	ck_assert(!runpath_dir_trusted(&st, 0, NULL));
}
END_TEST

START_TEST(test_parent_rules)
{
	struct stat st;

	st = fake_stat(S_IFDIR | 0755, 0);
	ck_assert(runpath_parent_trusted(&st, 0));
	st = fake_stat(S_IFDIR | 01777, 0);
	ck_assert(runpath_parent_trusted(&st, 1000));		/* /tmp */
	st = fake_stat(S_IFDIR | 0777, 0);
	ck_assert(!runpath_parent_trusted(&st, 0));
	st = fake_stat(S_IFDIR | 0775, 0);
	ck_assert(runpath_parent_trusted(&st, 0));		/* group: root's choice */
	st = fake_stat(S_IFDIR | 0755, 1000);
	ck_assert(!runpath_parent_trusted(&st, 0));		/* 1000 could swap the subtree */
	ck_assert(runpath_parent_trusted(&st, 1000));
}
END_TEST

START_TEST(test_pid_text)
{
	char many[40];

	ck_assert(pidfile_text_is_pid("123\n", 4));
	ck_assert(pidfile_text_is_pid("123", 3));
	ck_assert(pidfile_text_is_pid("", 0));			/* a crash before the write */
	ck_assert(!pidfile_text_is_pid("\n", 1));
	ck_assert(!pidfile_text_is_pid("12a\n", 4));
	ck_assert(!pidfile_text_is_pid("1\n\n", 3));
	ck_assert(!pidfile_text_is_pid("root:x:0:0", 10));
	memset(many, '1', sizeof(many));
	ck_assert(!pidfile_text_is_pid(many, sizeof(many)));
}
END_TEST

START_TEST(test_dir_made_and_removed)
{
	struct runpath_dir d;
	const char *base;
	struct stat st;
	int fd;

	ck_assert_msg(runpath_dir_open(&d, at("run/control"), NULL, &base, why, sizeof(why)) == 0, "%s", why);
	ck_assert_str_eq(base, "control");
	ck_assert(d.created);
	ck_assert_int_eq(stat(at("run"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0750);
	runpath_dir_close(&d);
	ck_assert_int_eq(stat(at("run"), &st), -1);		/* made and empty: removed */

	ck_assert_int_eq(runpath_dir_open(&d, at("run/control"), NULL, &base, why, sizeof(why)), 0);
	fd = openat(d.fd, "other", O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	runpath_dir_close(&d);
	ck_assert_int_eq(stat(at("run/other"), &st), 0);	/* not empty: kept */

	ck_assert_int_eq(runpath_dir_open(&d, at("run/control"), NULL, &base, why, sizeof(why)), 0);
	ck_assert(!d.created);
	runpath_dir_close(&d);
	ck_assert_int_eq(stat(at("run"), &st), 0);		/* not ours: kept */
}
END_TEST

START_TEST(test_dir_refused)
{
	struct runpath_dir d;
	const char *base;
	struct stat st;

	ck_assert_int_eq(mkdir(at("real"), 0750), 0);
	ck_assert_int_eq(symlink(at("real"), at("link")), 0);
	ck_assert_int_eq(runpath_dir_open(&d, at("link/control"), NULL, &base, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a symbolic link") != NULL, "%s", why);

	ck_assert_int_eq(mkdir(at("open"), 0777), 0);
	ck_assert_int_eq(chmod(at("open"), 0777), 0);
	ck_assert_int_eq(runpath_dir_open(&d, at("open/control"), NULL, &base, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "mode 0777") != NULL, "%s", why);

	/* a parent open to all without the sticky bit */
	ck_assert_int_eq(mkdir(at("open/sub"), 0750), 0);
	ck_assert_int_eq(runpath_dir_open(&d, at("open/sub/control"), NULL, &base, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "not writable by others unless sticky") != NULL, "%s", why);

	ck_assert_int_eq(close(open(at("file"), O_CREAT | O_WRONLY, 0600)), 0);
	ck_assert_int_eq(runpath_dir_open(&d, at("file/control"), NULL, &base, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a regular file, not a directory") != NULL, "%s", why);

	ck_assert_int_eq(runpath_dir_open(&d, at("real/"), NULL, &base, why, sizeof(why)), -1);
	ck_assert_int_eq(lstat(at("link"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
}
END_TEST

START_TEST(test_links_on_the_way_and_dots)
{
	struct runpath_dir d;
	const char *base;
	char cwd[256];
	struct stat st;

	ck_assert_int_eq(mkdir(at("real"), 0750), 0);
	ck_assert_int_eq(symlink("real", at("alias")), 0);	/* ours, relative */
	ck_assert_msg(runpath_dir_open(&d, at("alias/run/pid"), NULL, &base, why, sizeof(why)) == 0, "%s", why);
	runpath_dir_close(&d);
	ck_assert_msg(runpath_dir_open(&d, at("./alias/../real/./run/pid"), NULL, &base, why, sizeof(why)) == 0,
		      "%s", why);
	ck_assert(d.created);
	ck_assert_int_eq(fstat(d.fd, &st), 0);
	runpath_dir_close(&d);

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_msg(runpath_dir_open(&d, "pid", NULL, &base, why, sizeof(why)) == 0, "%s", why);
	ck_assert_str_eq(base, "pid");
	ck_assert(!d.created);
	runpath_dir_close(&d);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

static int listen_at(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	return fd;
}

START_TEST(test_socket_rules)
{
	struct runpath_dir d;
	struct runpath_mark mark;
	const char *base;
	struct stat st;
	char path[256];
	int sock, live;

	snprintf(path, sizeof(path), "%s", at("control"));	/* base points into it */
	ck_assert_int_eq(runpath_dir_open(&d, path, NULL, &base, why, sizeof(why)), 0);

	/* a FIFO there: refused, kept */
	ck_assert_int_eq(mkfifo(at("control"), 0600), 0);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(runpath_bind_socket(&d, base, "control socket", sock, NULL, &mark, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a FIFO, not a socket: entropyd leaves it alone") != NULL, "%s", why);
	ck_assert_int_eq(lstat(at("control"), &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(unlink(at("control")), 0);

	/* somebody listens: already running */
	live = listen_at(at("control"));
	ck_assert_int_eq(runpath_bind_socket(&d, base, "control socket", sock, NULL, &mark, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "already running (control socket") != NULL, "%s", why);
	ck_assert_int_eq(lstat(at("control"), &st), 0);

	/* the listener is gone: a stale socket, replaced */
	close(live);
	ck_assert_msg(runpath_bind_socket(&d, base, "control socket", sock, NULL, &mark, why, sizeof(why)) == 0, "%s", why);
	ck_assert(mark.set);
	ck_assert_int_eq(lstat(at("control"), &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0660);

	/* replaced behind our back: not removed */
	ck_assert_int_eq(rename(at("control"), at("moved")), 0);
	ck_assert_int_eq(close(open(at("control"), O_CREAT | O_WRONLY, 0600)), 0);
	ck_assert_int_eq(runpath_remove(&d, base, &mark), 1);
	ck_assert_int_eq(lstat(at("control"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	/* ours again: removed */
	ck_assert_int_eq(rename(at("moved"), at("control")), 0);
	ck_assert_int_eq(runpath_remove(&d, base, &mark), 0);
	ck_assert_int_eq(lstat(at("control"), &st), -1);
	close(sock);
	runpath_dir_close(&d);
}
END_TEST

START_TEST(test_pidfile_rules)
{
	struct runpath_dir d;
	const char *base;
	char path[256];
	bool created;
	int fd;

	snprintf(path, sizeof(path), "%s", at("pid"));	/* base points into it */
	ck_assert_int_eq(runpath_dir_open(&d, path, NULL, &base, why, sizeof(why)), 0);
	fd = runpath_open_pidfile(&d, base, &created, why, sizeof(why));
	ck_assert_int_ge(fd, 0);
	ck_assert(created);
	close(fd);
	fd = runpath_open_pidfile(&d, base, &created, why, sizeof(why));
	ck_assert_int_ge(fd, 0);
	ck_assert(!created);
	close(fd);

	ck_assert_int_eq(link(at("pid"), at("second")), 0);	/* another name for it */
	ck_assert_int_eq(runpath_open_pidfile(&d, base, &created, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "with other links") != NULL, "%s", why);
	ck_assert_int_eq(unlink(at("second")), 0);

	ck_assert_int_eq(unlink(at("pid")), 0);
	ck_assert_int_eq(mkfifo(at("pid"), 0600), 0);
	ck_assert_int_eq(runpath_open_pidfile(&d, base, &created, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a FIFO: entropyd leaves it alone") != NULL, "%s", why);
	runpath_dir_close(&d);
}
END_TEST

START_TEST(test_output_rules)
{
	struct stat st;
	sigset_t term;
	int fd, sig;

	umask(0);
	fd = runpath_open_output(at("new"), why, sizeof(why));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);	/* blocking, as before */
	close(fd);

	ck_assert_int_eq(symlink(at("new"), at("link")), 0);
	ck_assert_int_eq(runpath_open_output(at("link"), why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "is a symbolic link") != NULL, "%s", why);

	ck_assert_int_eq(chmod(at("new"), 0644), 0);
	ck_assert_int_eq(runpath_open_output(at("new"), why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "readable by everyone (mode 0644)") != NULL, "%s", why);
	ck_assert_int_eq(chmod(at("new"), 0640), 0);		/* a group may read it */
	fd = runpath_open_output(at("new"), why, sizeof(why));
	ck_assert_int_ge(fd, 0);
	close(fd);

	/* A FIFO without a reader, and SIGTERM pending: no endless wait. */
	ck_assert_int_eq(mkfifo(at("fifo"), 0600), 0);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &term, NULL), 0);
	ck_assert(!runpath_stop_pending());
	ck_assert_int_eq(kill(getpid(), SIGTERM), 0);
	ck_assert(runpath_stop_pending());
	ck_assert_int_eq(runpath_open_output(at("fifo"), why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "stopped by a signal while waiting for a reader") != NULL, "%s", why);
	ck_assert_int_eq(sigwait(&term, &sig), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runpath");
	TCase *pure = tcase_create("rules");
	TCase *fs = tcase_create("files");
	SRunner *sr;
	int failed;

	log_init("check_runpath", LOG_TO_STDERR, LOG_ERR);
	tcase_add_test(pure, test_describe);
	tcase_add_test(pure, test_runtime_dir_rules);
	tcase_add_test(pure, test_parent_rules);
	tcase_add_test(pure, test_pid_text);
	tcase_add_checked_fixture(fs, setup, teardown);
	tcase_add_test(fs, test_dir_made_and_removed);
	tcase_add_test(fs, test_dir_refused);
	tcase_add_test(fs, test_links_on_the_way_and_dots);
	tcase_add_test(fs, test_socket_rules);
	tcase_add_test(fs, test_pidfile_rules);
	tcase_add_test(fs, test_output_rules);
	suite_add_tcase(s, pure);
	suite_add_tcase(s, fs);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
