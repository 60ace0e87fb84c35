/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pipe: a named pipe or a file another program feeds (-O pipe:path:FILE).
 * A FIFO is reopened when its writer goes away, so the feeding program may
 * restart.  A regular file is read like `tail -f`: at its end the source
 * waits for more instead of starting over, so no byte is ever read twice.
 *
 * Whoever can write the file decides what is credited, so after every
 * (re)open the source checks, like sshd's StrictModes, that the file and
 * the directory holding it belong to root, to the daemon's own user or to
 * the -D user (-O pipe:owner), and that neither is writable by group or
 * others: in a world-writable directory, even a sticky one, anyone could
 * put their own FIFO under the name first.  -O pipe:trust:any reads it
 * anyway, with a warning in the log.  The kernel's own random device is
 * refused whatever the trust: its output is recycled, not entropy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "source.h"
#include "sources/fdread.h"
#include "sources/sources.h"

/* How long a regular file at its end waits before looking again. */
#define PIPE_FILE_POLL_MS 500

struct pipe_state {
	char path[4096];
	int fd;
	bool is_fifo;
	off_t file_offset;	/* regular files: where the next open resumes */
	bool trust_any;		/* -O pipe:trust:any: ownership and modes not enforced */
	bool have_owner;	/* -O pipe:owner (the -D user by default) */
	uid_t owner;
	char owner_name[64];	/* as given, for -l */
};

static const struct source_option pipe_options[] = {
	{ "path", "", "a FIFO or file fed by another program (required)" },
	{ "trust", "strict", "strict: the file and its directory must belong to root, this user or "
	  "the owner option and be writable by nobody else; any: read it anyway, with a warning" },
	{ "owner", "", "a user (name or number) trusted to own the file besides root and the user "
	  "entropyd runs as (default: the -D user)" },
	{ NULL, NULL, NULL },
};

static void *pipe_create(void)
{
	struct pipe_state *st = calloc(1, sizeof(*st));

	if (st)
		st->fd = -1;
	return st;
}

static int pipe_set_owner(struct pipe_state *st, const char *value, char *err, size_t errlen)
{
	const struct passwd *pw;
	long uid;

	if (!*value) {
		st->have_owner = false;
		st->owner_name[0] = '\0';
		return 0;
	}
	/* Runs once, at start-up, before any thread: getpwnam is fine here. */
	pw = getpwnam(value);
	if (pw)
		st->owner = pw->pw_uid;
	else if (parse_long(value, 0, INT_MAX, "pipe:owner (a user name or a number)", &uid,
			    err, errlen) == 0)
		st->owner = (uid_t)uid;
	else
		return -1;
	st->have_owner = true;
	snprintf(st->owner_name, sizeof(st->owner_name), "%s", value);
	return 0;
}

static int pipe_set_option(void *state, const char *key, const char *value,
			   char *err, size_t errlen)
{
	struct pipe_state *st = state;

	if (strcmp(key, "trust") == 0)
		return source_parse_choice("pipe:trust", value, "strict", "any", &st->trust_any, err, errlen);
	if (strcmp(key, "owner") == 0)
		return pipe_set_owner(st, value, err, errlen);
	if (strcmp(key, "path") != 0) {
		snprintf(err, errlen, "pipe: unknown option '%s'; accepted: credit, path, trust, owner", key);
		return -1;
	}
	if (source_set_path(st->path, sizeof(st->path), "pipe:path", value, err, errlen) < 0)
		return -1;
	st->file_offset = 0;
	return 0;
}

static void pipe_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct pipe_state *st = state;

	snprintf(buf, len, "%s", strcmp(key, "path") == 0 ? st->path :
		 strcmp(key, "trust") == 0 ? (st->trust_any ? "any" : "strict") :
		 strcmp(key, "owner") == 0 ? st->owner_name : "");
}

static enum source_status pipe_probe(void *state, char *why, size_t whylen)
{
	struct pipe_state *st = state;
	struct stat sb;

	if (!st->path[0]) {
		snprintf(why, whylen, "no path given: use -O pipe:path:FILE");
		return SOURCE_UNAVAILABLE;
	}
	if (stat(st->path, &sb) < 0) {
		snprintf(why, whylen, "%s: %s", st->path, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(why, whylen, "%s is a directory, not a FIFO or file", st->path);
		return SOURCE_UNAVAILABLE;
	}
	if (source_refuse_kernel_output(&sb, st->path, why, whylen) < 0)
		return SOURCE_UNAVAILABLE;
	if (access(st->path, R_OK) < 0) {
		snprintf(why, whylen, "%s: %s", st->path, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	return SOURCE_USABLE;
}

static bool pipe_trusted_uid(const struct pipe_state *st, uid_t uid)
{
	return uid == 0 || uid == geteuid() || (st->have_owner && uid == st->owner);
}

/*
 * The trust rules on what was opened: sb of the file, dir of the directory
 * it was opened in.  0 if they hold, else -1 with the broken rule in why.
 */
static int pipe_check_trust(const struct pipe_state *st, const struct stat *dir,
			    const struct stat *sb, char *why, size_t whylen)
{
	if (!pipe_trusted_uid(st, sb->st_uid))
		snprintf(why, whylen, "%s belongs to uid %u, not to root, this user or -O pipe:owner",
			 st->path, (unsigned int)sb->st_uid);
	else if (sb->st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, whylen, "%s is writable by its group or others (mode %04o)",
			 st->path, (unsigned int)(sb->st_mode & 07777));
	else if (!pipe_trusted_uid(st, dir->st_uid))
		snprintf(why, whylen, "the directory of %s belongs to uid %u, not to root, this user or "
			 "-O pipe:owner", st->path, (unsigned int)dir->st_uid);
	else if (dir->st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, whylen, "the directory of %s is writable by its group or others (mode %04o): "
			 "anyone may put their own file there", st->path, (unsigned int)(dir->st_mode & 07777));
	else
		return 0;
	return -1;
}

/*
 * Open the path's directory, then the file in it without following a link,
 * so the checks see exactly what is read.  The fd (or -1 with why).
 */
static int pipe_open_in_dir(const struct pipe_state *st, struct stat *dir, struct stat *sb,
			    char *why, size_t whylen)
{
	char real[PATH_MAX], *slash;
	const char *base, *dirpath;
	int dfd, fd;

	if (!realpath(st->path, real)) {
		snprintf(why, whylen, "cannot open %s: %s", st->path, strerror(errno));
		return -1;
	}
	slash = strrchr(real, '/');	/* realpath's answer is absolute */
	if (!slash || !slash[1]) {
		snprintf(why, whylen, "%s is a directory, not a FIFO or file", st->path);
		return -1;
	}
	base = slash + 1;
	dirpath = real;
	if (slash == real)
		dirpath = "/";
	else
		*slash = '\0';
	dfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, dir) < 0) {
		snprintf(why, whylen, "cannot open the directory of %s: %s", st->path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	/* O_NONBLOCK: opening a FIFO must not wait for a writer here. */
	fd = openat(dfd, base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		snprintf(why, whylen, "cannot open %s: %s", st->path, strerror(errno));
	else if (fstat(fd, sb) < 0) {
		snprintf(why, whylen, "cannot stat %s: %s", st->path, strerror(errno));
		close(fd);
		fd = -1;
	}
	close(dfd);
	return fd;
}

/* Open and check: st->fd, or -1 with why. */
static int pipe_open_checked(struct pipe_state *st, char *why, size_t whylen)
{
	struct stat sb, dir;

	st->fd = pipe_open_in_dir(st, &dir, &sb, why, whylen);
	if (st->fd < 0)
		return -1;
	if (S_ISDIR(sb.st_mode)) {
		snprintf(why, whylen, "%s is not a FIFO or file", st->path);
		goto fail;
	}
	if (source_refuse_kernel_output(&sb, st->path, why, whylen) < 0)
		goto fail;
	if (pipe_check_trust(st, &dir, &sb, why, whylen) < 0) {
		size_t used = strlen(why);

		if (!st->trust_any) {
			if (used < whylen)
				snprintf(why + used, whylen - used, "; refused (-O pipe:trust:any reads it anyway)");
			goto fail;
		}
		log_warnx("pipe: %s; read anyway because of -O pipe:trust:any: whoever can write it "
			  "decides what is credited", why);
		why[0] = '\0';
	}
	st->is_fifo = S_ISFIFO(sb.st_mode);
	return 0;
fail:
	close(st->fd);
	st->fd = -1;
	return -1;
}

static int pipe_open(void *state, char *why, size_t whylen)
{
	struct pipe_state *st = state;

	if (pipe_open_checked(st, why, whylen) < 0)
		return -1;
	if (!st->is_fifo && st->file_offset > 0 &&
	    lseek(st->fd, st->file_offset, SEEK_SET) < 0) {
		snprintf(why, whylen, "cannot resume %s at byte %lld: %s", st->path,
			 (long long)st->file_offset, strerror(errno));
		close(st->fd);
		st->fd = -1;
		return -1;
	}
	return 0;
}

/* Wait on cancel_fd alone: 1 if cancelled. */
static int pipe_wait_cancel(int cancel_fd, int timeout_ms)
{
	uint8_t none;
	size_t got;

	return fdread(cancel_fd, cancel_fd, timeout_ms, &none, 0, &got) == FDREAD_CANCELLED;
}

static ssize_t pipe_read(void *state, uint8_t *buf, size_t len, int cancel_fd,
			 char *why, size_t whylen)
{
	struct pipe_state *st = state;
	size_t got;
	int saved_errno;

	switch (fdread(st->fd, cancel_fd, -1, buf, len, &got)) {
	case FDREAD_DATA:
		if (!st->is_fifo)
			st->file_offset += (off_t)got;
		return (ssize_t)got;
	case FDREAD_CANCELLED:
	case FDREAD_TIMEOUT:
		return SOURCE_READ_AGAIN;
	case FDREAD_HANGUP:
		if (!st->is_fifo) {
			pipe_wait_cancel(cancel_fd, PIPE_FILE_POLL_MS);
			return SOURCE_READ_AGAIN;
		}
		/*
		 * The writer went away.  A fresh open waits for the next
		 * writer instead of reporting the old hang-up for ever.
		 */
		log_info("pipe: writer of %s went away; waiting for a new one", st->path);
		close(st->fd);
		/* The same checks as the first open: the name may now be another file's. */
		if (pipe_open_checked(st, why, whylen) < 0)
			return SOURCE_READ_FAILED;
		return SOURCE_READ_AGAIN;
	case FDREAD_ERROR:
	default:
		saved_errno = errno;
		snprintf(why, whylen, "reading %s: %s", st->path, strerror(saved_errno));
		return SOURCE_READ_FAILED;
	}
}

static void pipe_close(void *state)
{
	struct pipe_state *st = state;

	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}

static void pipe_destroy(void *state)
{
	if (!state)
		return;
	pipe_close(state);
	free(state);
}

const struct source_ops pipe_source_ops = {
	.name = "pipe",
	.summary = "named pipe or file fed by another program",
	/* Unknown provenance: claim half a bit per bit unless told more. */
	.default_credit = 4 * CREDIT_ONE_BIT,
	.enabled_by_default = 0,
	.read_ahead = true,
	.options = pipe_options,
	.create = pipe_create,
	.set_option = pipe_set_option,
	.get_option = pipe_get_option,
	.probe = pipe_probe,
	.open = pipe_open,
	.read = pipe_read,
	.close = pipe_close,
	.destroy = pipe_destroy,
	.counters = NULL,
};
