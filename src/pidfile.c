/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Longest content a PID file of ours can have: a pid_t and a newline. */
#define PIDFILE_MAX_TEXT 24

void pidfile_init(struct pidfile *pf)
{
	pf->fd = -1;
	pf->name = NULL;
	pf->mark.set = false;
	runpath_dir_init(&pf->dir);
}

bool pidfile_text_is_pid(const char *text, size_t len)
{
	size_t i;

	if (len > PIDFILE_MAX_TEXT)
		return false;
	for (i = 0; i < len; i++)
		if ((text[i] < '0' || text[i] > '9') && !(text[i] == '\n' && i == len - 1 && i > 0))
			return false;
	return true;
}

static long pidfile_holder(int fd)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	/* The kernel knows the holder even when the file's text is stale. */
	if (fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK)
		return (long)lk.l_pid;
	return -1;
}

/* Lock the open file; -1 with why when another instance holds it. */
static int pidfile_lock(struct pidfile *pf, const char *path, char *why, size_t whylen)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	long holder;

	if (fcntl(pf->fd, F_SETLK, &lk) == 0)
		return 0;
	if (errno != EAGAIN && errno != EACCES) {
		snprintf(why, whylen, "cannot lock PID file %s: %s", path, strerror(errno));
		return -1;
	}
	holder = pidfile_holder(pf->fd);
	if (holder > 0)
		snprintf(why, whylen, "already running as PID %ld (lock on %s)", holder, path);
	else
		snprintf(why, whylen, "another instance holds the lock on %s", path);
	return -1;
}

int pidfile_acquire(struct pidfile *pf, const char *path, const struct runpath_owner *owner,
		    char *why, size_t whylen)
{
	char text[PIDFILE_MAX_TEXT + 1];
	bool created = false;
	ssize_t got;
	int len;

	pidfile_init(pf);
	if (runpath_dir_open(&pf->dir, path, owner, &pf->name, why, whylen) < 0)
		return -1;
	pf->fd = runpath_open_pidfile(&pf->dir, pf->name, &created, why, whylen);
	if (pf->fd < 0 || pidfile_lock(pf, path, why, whylen) < 0)
		goto fail;
	/* An existing file is taken over only if it is a stale PID file. */
	if (!created) {
		got = pread(pf->fd, text, sizeof(text), 0);
		if (got < 0 || !pidfile_text_is_pid(text, (size_t)got)) {
			snprintf(why, whylen, "PID file %s holds something other than a PID: entropyd leaves it "
				 "alone", path);
			goto fail;
		}
	}
	/* Locked: from here on the file is ours to remove (if we made it, even on failure). */
	if (created)
		runpath_mark_fd(pf->fd, &pf->mark);
	len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(pf->fd, 0) < 0 || pwrite(pf->fd, text, (size_t)len, 0) != len) {
		snprintf(why, whylen, "cannot write PID file %s: %s", path, strerror(errno));
		goto fail;
	}
	/* A stale PID file now holds our PID: it is ours to remove at exit. */
	runpath_mark_fd(pf->fd, &pf->mark);
	return 0;
fail:
	/* Removes only a file this call created and locked (the mark). */
	pidfile_release(pf);
	return -1;
}

void pidfile_release(struct pidfile *pf)
{
	if (pf->fd >= 0) {
		/* Unlink while still locked, so a new instance never sees our PID. */
		if (runpath_remove(&pf->dir, pf->name, &pf->mark) < 0 && ftruncate(pf->fd, 0) == 0)
			log_info("PID file %s/%s emptied: no longer allowed to remove it", pf->dir.path, pf->name);
		close(pf->fd);
	}
	pf->fd = -1;
	pf->mark.set = false;
	runpath_dir_close(&pf->dir);
}
