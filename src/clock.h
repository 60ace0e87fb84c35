/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Clocks that only go forward: the loop's milliseconds, the reader's microseconds. */
#ifndef ENTROPYD_CLOCK_H
#define ENTROPYD_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline uint64_t clock_monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

#endif
