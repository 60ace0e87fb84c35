/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "once.h"

const char *once_give_up(const struct once_view *v)
{
	if (v->now_ms >= v->deadline_ms)
		return "--once-timeout passed before the pool was filled";
	if (v->queued_bytes > 0)
		return NULL;
	if (v->workers == 0)
		return "no source is left to read";
	if (v->suspended == v->workers)
		return "every source is suspended";
	return NULL;
}
