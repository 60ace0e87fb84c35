/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output sink (-o FILE, FIFO or -): validated bytes for test suites
 * and other programs, never credited to anyone.
 *
 * It never blocks the loop: it writes only after poll() said POLLOUT, at
 * most PIPE_BUF bytes at a time, which a pipe or FIFO then takes whole
 * (POLLOUT on a pipe means a free buffer of at least that size).  So a
 * reader that stops reading leaves the daemon waiting in poll(), where
 * SIGTERM still reaches it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "runpath.h"
#include "sinks/sinks.h"
#include "wipe.h"

struct output_sink {
	const struct config *cfg;
	int fd;
	bool own_fd;			/* opened here (not stdout): closed at the end */
	bool nonblocking;		/* fd is O_NONBLOCK: write until EAGAIN */
	bool want_pollout;
	int write_errno;		/* a failed write, reported by the next step */
	unsigned long long written;
	uint8_t buf[PIPE_BUF];
	size_t len, off;		/* buf[off..len) still to write */
	struct source_instance *from;	/* where buf's bytes came from */
};

static int output_sink_open(void **state, const struct config *cfg)
{
	struct output_sink *o = calloc(1, sizeof(*o));
	char why[1024];

	if (!o) {
		log_errx("out of memory");
		return EXIT_FAILED;
	}
	o->cfg = cfg;
	if (strcmp(cfg->random_device, "-") == 0) {
		o->fd = STDOUT_FILENO;
	} else {
		/* 0600: what lands here is random key material for someone. */
		o->fd = runpath_open_output(cfg->random_device, why, sizeof(why));
		if (o->fd < 0) {
			log_errx("%s", why);
			free(o);
			return EXIT_FAILED;
		}
		o->own_fd = true;
		/* Our own open file description: non-blocking costs nobody else
		 * (stdout's may be shared with the shell, so it stays as it is). */
		o->nonblocking = fcntl(o->fd, F_SETFL, fcntl(o->fd, F_GETFL) | O_NONBLOCK) == 0;
	}
	*state = o;
	return 0;
}

/*
 * Write what is buffered: until it is all out or the descriptor would
 * block; a blocking stdout gets one write, only after POLLOUT.
 */
static void output_sink_write(struct output_sink *o, struct sink_io *io)
{
	while (o->off < o->len && !o->write_errno) {
		ssize_t w = write(o->fd, o->buf + o->off, o->len - o->off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			o->write_errno = errno;
		if (w <= 0)
			break;
		o->off += (size_t)w;
		o->written += (unsigned long long)w;
		sink_io_account(io, o->from, (size_t)w, 0);
		sink_io_ready(io, "first write");
		if (!o->nonblocking)
			break;
	}
	if (o->off == o->len || o->write_errno) {
		wipe(o->buf, o->len);
		o->off = o->len = 0;
	}
}

static int output_sink_step(void *state, struct sink_io *io, uint64_t now, struct sink_wait *wait)
{
	struct output_sink *o = state;
	unsigned long long limit = o->cfg->once ? o->cfg->step_bytes : ULLONG_MAX;

	o->want_pollout = false;
	for (;;) {
		if (o->write_errno == EPIPE) {
			log_info("the reader of %s went away: stopping", o->cfg->random_device);
			return SINK_DONE;
		}
		if (o->write_errno) {
			errno = o->write_errno;
			log_err("writing to %s", o->cfg->random_device);
			return SINK_FATAL;
		}
		if (o->len > o->off) {
			o->want_pollout = true;
			return SINK_CONTINUE;
		}
		if (o->written >= limit)
			return SINK_DONE;
		o->len = sink_io_take(io, o->buf, limit - o->written < sizeof(o->buf) ?
					  (size_t)(limit - o->written) : sizeof(o->buf), &o->from);
		if (!o->len)
			break;
		if (o->nonblocking)
			output_sink_write(o, io);
	}
	wait->want_data = true;
	wait->wake_at_ms = now + SINK_BATCH_WAIT_MS;
	return SINK_CONTINUE;
}

static size_t output_sink_pollfds(void *state, struct pollfd *fds, size_t max)
{
	struct output_sink *o = state;

	if (!o->want_pollout || max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = o->fd, .events = POLLOUT };
	return 1;
}

static void output_sink_events(void *state, struct sink_io *io, const struct pollfd *fds, size_t n,
			       uint64_t now)
{
	(void)now;
	/* POLLERR/POLLHUP: the write says what happened (EPIPE). */
	if (n >= 1 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP)))
		output_sink_write(state, io);
}

static void output_sink_close(void *state, struct sink_io *io, uint64_t now)
{
	struct output_sink *o = state;

	(void)io, (void)now;
	if (o->own_fd && o->fd > STDERR_FILENO)
		close(o->fd);
	wipe(o->buf, sizeof(o->buf));
	free(o);
}

const struct sink_ops sink_output = {
	.name = "output",
	.latency_sensitive = false,
	.open = output_sink_open,
	.step = output_sink_step,
	.pollfds = output_sink_pollfds,
	.events = output_sink_events,
	.snapshot = NULL,
	.close = output_sink_close,
};
