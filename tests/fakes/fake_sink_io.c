/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "fake_sink_io.h"

#include <string.h>

uint8_t fake_sink_io_byte(size_t i)
{
	return (uint8_t)(i * 7 + 1);
}

void fake_sink_io_init(struct sink_io *io, size_t n)
{
	size_t i;

	memset(io, 0, sizeof(*io));
	for (i = 0; i < n && i < FAKE_SINK_IO_MAX; i++)
		io->queue[i] = fake_sink_io_byte(i);
	io->queued = n < FAKE_SINK_IO_MAX ? n : FAKE_SINK_IO_MAX;
	io->source.credit = CREDIT_ONE_BIT;
}

size_t sink_io_take(struct sink_io *io, uint8_t *buf, size_t max, struct source_instance **from)
{
	size_t n = io->queued - io->taken;

	if (n > max)
		n = max;
	if (io->max_take && n > io->max_take)
		n = io->max_take;
	memcpy(buf, io->queue + io->taken, n);
	io->taken += n;
	*from = &io->source;
	return n;
}

void sink_io_account(struct sink_io *io, struct source_instance *from, size_t bytes,
		     unsigned int bits)
{
	(void)from;
	io->accounted += bytes;
	io->bits += bits;
}

size_t sink_io_queued(struct sink_io *io)
{
	return io->queued - io->taken;
}

unsigned long long sink_io_queued_bits(struct sink_io *io)
{
	return (unsigned long long)(io->queued - io->taken) * io->source.credit / CREDIT_ONE_BIT;
}

size_t sink_io_source_count(struct sink_io *io)
{
	(void)io;
	return 1;
}

struct source_instance *sink_io_source(struct sink_io *io, size_t i)
{
	return i == 0 ? &io->source : NULL;
}

void sink_io_ready(struct sink_io *io, const char *why)
{
	(void)why;
	io->ready = true;
}

uint64_t sink_io_uptime_ms(struct sink_io *io, uint64_t now_ms)
{
	(void)io;
	return now_ms;
}
