/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A locked PID file: a second instance refuses to start and names the
 * holder.  Made and removed under the trust rules of runpath.h: only a
 * regular file that holds a PID (or nothing) is ever reused, and only the
 * file entropyd wrote is removed.
 */
#ifndef ENTROPYD_PIDFILE_H
#define ENTROPYD_PIDFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "runpath.h"

struct pidfile {
	int fd;
	const char *name;		/* inside dir */
	struct runpath_dir dir;
	struct runpath_mark mark;	/* the file we wrote our PID into */
};

/* Not holding any file (safe to release). */
void pidfile_init(struct pidfile *pf);

/*
 * Create (or take over a stale) path, lock it, write our PID.  owner, when
 * given, is the -D user the directory is made for.  0, or -1 with why
 * ("already running as PID 123 (lock on /run/entropyd/entropyd.pid)",
 * "... is a FIFO ...: entropyd leaves it alone", ...).
 */
int pidfile_acquire(struct pidfile *pf, const char *path, const struct runpath_owner *owner,
		    char *why, size_t whylen);

/* Pure: does text (len bytes) look like what a PID file holds: digits and a newline, or nothing? */
bool pidfile_text_is_pid(const char *text, size_t len);

/*
 * Remove the file (emptied instead when -D left no write access to its
 * directory) and its directory when entropyd made it, then drop the lock.
 */
void pidfile_release(struct pidfile *pf);

#endif
