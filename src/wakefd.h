/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The eventfds that wake and cancel threads: a counter that only grows
 * until it is drained, so a signal never blocks and is never lost.
 */
#ifndef ENTROPYD_WAKEFD_H
#define ENTROPYD_WAKEFD_H

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

/* Make fd readable.  -1 only on a real error: EAGAIN means it already is. */
static inline int wakefd_signal(int fd)
{
	uint64_t one = 1;

	return write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN ? -1 : 0;
}

/* Make fd (non-blocking) unreadable again. */
static inline void wakefd_drain(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) > 0)
		;
}

/* Is fd readable now?  false for -1 (no fd). */
static inline bool wakefd_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&pfd, 1, 0) > 0;
}

#endif
