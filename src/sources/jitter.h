/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals of the jitter source that its tests reach. */
#ifndef ENTROPYD_SOURCES_JITTER_H
#define ENTROPYD_SOURCES_JITTER_H

#include <stddef.h>
#include <stdint.h>

/* A time stamp in the timer's own units (the default: ns). */
typedef uint64_t (*jitter_clock_fn)(void);

/* An instance on another timer (the tests' coarse, stuck and
 * backwards-running fakes); the ops table's create uses the real one. */
void *jitter_create_with_clock(jitter_clock_fn clock);

/* Samples the start-up test takes. */
#define JITTER_STARTUP_SAMPLES 1024u

#endif
