/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "credit.h"

#include <stdio.h>

unsigned int credit_bound(const struct source_ops *ops, const void *state)
{
	return ops->credit ? ops->credit(state) : ops->default_credit;
}

unsigned int credit_limit(unsigned int global_limit, unsigned int source_limit)
{
	return source_limit != CREDIT_NO_LIMIT ? source_limit : global_limit;
}

unsigned int credit_in_force(unsigned int bound, unsigned int limit)
{
	return limit != CREDIT_NO_LIMIT && limit < bound ? limit : bound;
}

void credit_format(unsigned int credit, char *buf, size_t len)
{
	if (credit % CREDIT_ONE_BIT == 0)
		snprintf(buf, len, "%u bits per byte", credit / CREDIT_ONE_BIT);
	else
		snprintf(buf, len, "%g bits per byte", (double)credit / CREDIT_ONE_BIT);
}

void credit_describe(unsigned int bound, unsigned int limit, char *buf, size_t len)
{
	char in_force[40], own[40];

	credit_format(credit_in_force(bound, limit), in_force, sizeof(in_force));
	credit_format(bound, own, sizeof(own));
	if (bound == 0)
		snprintf(buf, len, "none (nothing here it could credit)");
	else if (limit == CREDIT_NO_LIMIT)
		snprintf(buf, len, "%s (the source's own bound)", in_force);
	else if (limit < bound)
		snprintf(buf, len, "%s (-e or -O credit; the source's own bound is %s)", in_force, own);
	else if (limit > bound)
		snprintf(buf, len, "%s (the source's own bound; -e or -O credit can only lower it)", in_force);
	else
		snprintf(buf, len, "%s (the source's own bound, also set by -e or -O credit)", in_force);
}

bool credit_counted(const struct pool_state *pool)
{
	return pool->era == KERNEL_ERA_LEGACY || !pool->crng_ready;
}
