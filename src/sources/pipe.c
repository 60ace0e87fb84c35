/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pipe: a named pipe or a file another program feeds (-O pipe:path:FILE).
 * A FIFO is reopened when its writer goes away, so the feeding program may
 * restart.  A regular file is read like `tail -f`: at its end the source
 * waits for more instead of starting over, so no byte is ever read twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
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
};

static const struct source_option pipe_options[] = {
	{ "path", "", "a FIFO or file fed by another program (required)" },
	{ NULL, NULL, NULL },
};

static void *pipe_create(void)
{
	struct pipe_state *st = calloc(1, sizeof(*st));

	if (st)
		st->fd = -1;
	return st;
}

static int pipe_set_option(void *state, const char *key, const char *value,
			   char *err, size_t errlen)
{
	struct pipe_state *st = state;

	if (strcmp(key, "path") != 0) {
		snprintf(err, errlen, "pipe: unknown option '%s'; accepted: credit, path", key);
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

	snprintf(buf, len, "%s", strcmp(key, "path") == 0 ? st->path : "");
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
	if (access(st->path, R_OK) < 0) {
		snprintf(why, whylen, "%s: %s", st->path, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	return SOURCE_USABLE;
}

static int pipe_open(void *state, char *why, size_t whylen)
{
	struct pipe_state *st = state;
	struct stat sb;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer here. */
	st->fd = open(st->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (st->fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", st->path, strerror(errno));
		return -1;
	}
	if (fstat(st->fd, &sb) < 0 || S_ISDIR(sb.st_mode)) {
		snprintf(why, whylen, "%s is not a FIFO or file", st->path);
		close(st->fd);
		st->fd = -1;
		return -1;
	}
	st->is_fifo = S_ISFIFO(sb.st_mode);
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
		st->fd = open(st->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (st->fd < 0) {
			snprintf(why, whylen, "cannot reopen %s: %s", st->path, strerror(errno));
			return SOURCE_READ_FAILED;
		}
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
