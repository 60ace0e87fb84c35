/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long pidfile_holder(int fd)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	/* The kernel knows the holder even when the file's text is stale. */
	if (fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK)
		return (long)lk.l_pid;
	return -1;
}

int pidfile_acquire(struct pidfile *pf, const char *path, char *why, size_t whylen)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char text[32];
	int len;

	pf->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	pf->path = path;
	if (pf->fd < 0) {
		snprintf(why, whylen, "cannot open PID file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fcntl(pf->fd, F_SETLK, &lk) < 0) {
		if (errno == EAGAIN || errno == EACCES) {
			long holder = pidfile_holder(pf->fd);

			if (holder > 0)
				snprintf(why, whylen, "already running as PID %ld (lock on %s)", holder, path);
			else
				snprintf(why, whylen, "another instance holds the lock on %s", path);
		} else {
			snprintf(why, whylen, "cannot lock PID file %s: %s", path, strerror(errno));
		}
		close(pf->fd);
		pf->fd = -1;
		return -1;
	}
	len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(pf->fd, 0) < 0 || pwrite(pf->fd, text, (size_t)len, 0) != len) {
		snprintf(why, whylen, "cannot write PID file %s: %s", path, strerror(errno));
		unlink(path);
		close(pf->fd);
		pf->fd = -1;
		return -1;
	}
	return 0;
}

void pidfile_release(struct pidfile *pf)
{
	if (pf->fd < 0)
		return;
	/* Unlink while still locked, so a new instance never sees our PID. */
	unlink(pf->path);
	close(pf->fd);
	pf->fd = -1;
}
