/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --once must end, and say truthfully how: exit 0 only when the pool was
 * filled, 1 when it gives up.  This is when it gives up (pure): the
 * deadline (--once-timeout) passed, or nothing can bring more data (no
 * source has a worker, or every one is suspended with nothing queued).
 * A signal before the fill is the daemon's to notice.
 */
#ifndef ENTROPYD_ONCE_H
#define ENTROPYD_ONCE_H

#include <stddef.h>
#include <stdint.h>

struct once_view {
	uint64_t now_ms;
	uint64_t deadline_ms;
	size_t workers;		/* sources with a worker */
	size_t suspended;	/* of those, suspended */
	size_t queued_bytes;	/* validated bytes still waiting */
};

/* Why --once gives up now, or NULL to go on. */
const char *once_give_up(const struct once_view *v);

#endif
