/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A locked PID file: a second instance refuses to start and names the holder. */
#ifndef ENTROPYD_PIDFILE_H
#define ENTROPYD_PIDFILE_H

#include <stddef.h>

struct pidfile {
	int fd;
	const char *path;
};

/*
 * Create and lock path, then write our PID.  0, or -1 with why ("already
 * running as PID 123 (lock on /run/entropyd.pid)" or the open error).
 */
int pidfile_acquire(struct pidfile *pf, const char *path, char *why, size_t whylen);

/* Remove the file and drop the lock. */
void pidfile_release(struct pidfile *pf);

#endif
