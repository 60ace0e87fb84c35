/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the daemon's side of src/sink.h, linked into the sinks'
 * unit tests: one source whose queue is a byte array the test fills, and
 * counters of what the sink took and credited.
 */
#ifndef ENTROPYD_FAKE_SINK_IO_H
#define ENTROPYD_FAKE_SINK_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

#define FAKE_SINK_IO_MAX 262144

struct sink_io {
	uint8_t queue[FAKE_SINK_IO_MAX];	/* validated bytes "queued" */
	size_t queued, taken;			/* queue[taken..queued) is left */
	size_t max_take;			/* 0, or the most one take returns */
	unsigned long long accounted;		/* bytes passed to sink_io_account */
	unsigned long long bits;		/* bits passed to it */
	bool ready;				/* sink_io_ready was called */
	struct source_instance source;		/* what takes say the bytes came from */
};

/* A fresh io with n bytes of a counting pattern (byte i is i * 7 + 1). */
void fake_sink_io_init(struct sink_io *io, size_t n);

/* The pattern's byte at offset i. */
uint8_t fake_sink_io_byte(size_t i);

#endif
