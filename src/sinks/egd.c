/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The EGD sink (--egd-socket): serves validated bytes to QEMU's rng-egd
 * backend (and anything else speaking the EGD protocol, src/egd.h) on unix
 * stream sockets, so a host's hardware RNG feeds its guests' virtio-rng
 * devices with checked bytes.
 *
 * Every byte goes to exactly one client and is never also credited to the
 * local kernel: the bytes come out of the same queues the other sinks take
 * from.  Clients are served in turn, at most one read's worth each per
 * turn, with an optional per-client rate.  Nothing blocks: client sockets
 * are non-blocking, a client holds at most one reply that it has not read
 * yet, and a client whose reply is not read simply waits; the others and
 * the sources go on.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "egd.h"
#include "log.h"
#include "runpath.h"
#include "sinks/sinks.h"
#include "wipe.h"

/* Command bytes a client may send ahead of our replies (its requests queue
 * here; beyond that we stop reading it). */
#define EGD_IN_MAX 64
/* Blocking-read bytes a client may have outstanding: QEMU asks for at most
 * a few hundred at a time. */
#define EGD_PENDING_MAX 65536u

struct egd_client {
	int fd;				/* -1: free slot */
	unsigned long id;		/* connection number, for the status */
	uint8_t in[EGD_IN_MAX];
	size_t in_len;
	uint8_t out[1 + EGD_MAX_READ];	/* the reply being sent */
	size_t out_len, out_off;
	size_t payload_from;		/* out[payload_from..out_len) is random data */
	unsigned int pending;		/* bytes owed to blocking reads */
	unsigned long long served;
	struct egd_bucket bucket;
};

struct egd_listener {
	int fd;
	const char *path;		/* as given */
	struct runpath_dir dir;		/* the checked directory holding it */
	const char *name;		/* its name there (inside path) */
	struct runpath_mark mark;	/* the socket we made, to remove only that */
};

struct egd_sink {
	const struct config *cfg;
	struct egd_listener listeners[CONFIG_MAX_EGD_SOCKETS];
	size_t n_listeners;
	struct egd_client clients[EGD_MAX_CLIENTS];
	size_t turn;			/* the slot whose client goes first next time */
	unsigned long connections;
	unsigned long long served;
	bool write_refused_logged;
	bool full_logged;
	/* What pollfds() handed out: listeners first, then these clients. */
	size_t polled_clients[EGD_MAX_CLIENTS];
	size_t n_polled_clients;
};

static void egd_client_close(struct egd_client *c, const char *why)
{
	log_info("egd client %lu: %s; %llu bytes served", c->id, why, c->served);
	close(c->fd);
	wipe(c->out, sizeof(c->out));
	c->fd = -1;
	c->in_len = c->out_len = c->out_off = 0;
	c->pending = 0;
}

/*
 * Listen on l->path under the trust rules of src/runpath.h: its directory
 * checked (created 0750 for the group when missing), the socket born 0660
 * with the group, a stale one replaced only when nobody answers there.
 */
static int egd_listen(struct egd_listener *l, const struct config *cfg, char *why, size_t len)
{
	struct runpath_owner owner = { geteuid(), cfg->egd_group ? cfg->egd_gid : getegid() };

	if (runpath_dir_open(&l->dir, l->path, &owner, &l->name, why, len) < 0)
		return -1;
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l->fd < 0) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return -1;
	}
	if (runpath_bind_socket(&l->dir, l->name, "EGD socket", l->fd, &owner, &l->mark, why, len) < 0)
		return -1;
	if (listen(l->fd, 64) < 0) {
		snprintf(why, len, "--egd-socket %s: listen: %s", l->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Remove the socket only if it is still the one we made, and the
 * directory if we made it and it is empty. */
static void egd_unlisten(struct egd_listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->name && runpath_remove(&l->dir, l->name, &l->mark) < 0)
		log_warn("cannot remove %s", l->path);
	runpath_dir_close(&l->dir);
	l->fd = -1;
	l->name = NULL;
}

static void egd_sink_free(struct egd_sink *e)
{
	size_t i;

	for (i = 0; i < EGD_MAX_CLIENTS; i++)
		if (e->clients[i].fd >= 0)
			egd_client_close(&e->clients[i], "entropyd stopping");
	for (i = 0; i < e->n_listeners; i++)
		egd_unlisten(&e->listeners[i]);
	free(e);
}

static int egd_sink_open(void **state, const struct config *cfg)
{
	struct egd_sink *e = calloc(1, sizeof(*e));
	char why[512];
	size_t i;

	if (!e) {
		log_errx("out of memory");
		return EXIT_FAILED;
	}
	e->cfg = cfg;
	for (i = 0; i < EGD_MAX_CLIENTS; i++)
		e->clients[i].fd = -1;
	for (i = 0; i < cfg->n_egd_sockets; i++) {
		struct egd_listener *l = &e->listeners[e->n_listeners++];

		l->fd = -1;
		l->path = cfg->egd_sockets[i];
		runpath_dir_init(&l->dir);
		if (egd_listen(l, cfg, why, sizeof(why)) < 0) {
			log_errx("%s", why);
			egd_sink_free(e);
			return EXIT_FAILED;
		}
		log_info("serving EGD on %s (mode 0660%s%s%s)", l->path,
			 cfg->egd_group ? ", group " : "", cfg->egd_group ? cfg->egd_group : "",
			 cfg->egd_rate ? ", rate-limited per client" : "");
	}
	*state = e;
	return 0;
}

/* Take random bytes for client c's reply, at most want, within its rate. */
static size_t egd_fill(struct egd_sink *e, struct egd_client *c, struct sink_io *io, uint8_t *dst,
		       unsigned int want, uint64_t now)
{
	struct source_instance *from = NULL;
	unsigned int allowed = egd_bucket_allow(&c->bucket, e->cfg->egd_rate, now, want);
	size_t got = 0, n;

	while (got < allowed &&
	       (n = sink_io_take(io, dst + got, allowed - got, &from)) > 0) {
		/* Served to a guest: never credited here. */
		sink_io_account(io, from, n, 0);
		got += n;
	}
	egd_bucket_spend(&c->bucket, e->cfg->egd_rate, (unsigned int)got);
	return got;
}

/* Send what is buffered for c.  -1 if the client is gone. */
static int egd_client_send(struct egd_sink *e, struct egd_client *c, struct sink_io *io)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		size_t before = c->out_off;

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0) {
			egd_client_close(c, "gone");
			return -1;
		}
		c->out_off += (size_t)w;
		/* Count only the random bytes, not length bytes or replies. */
		if (c->out_off > c->payload_from) {
			size_t first = before > c->payload_from ? before : c->payload_from;

			c->served += c->out_off - first;
			e->served += c->out_off - first;
			sink_io_ready(io, "first bytes served");
		}
	}
	wipe(c->out, c->out_len);
	c->out_len = c->out_off = c->payload_from = 0;
	return 0;
}

/* Answer what c asked, as far as possible now.  -1 if it was closed. */
static int egd_client_step(struct egd_sink *e, struct egd_client *c, struct sink_io *io, uint64_t now)
{
	struct egd_command cmd;
	size_t used;

	for (;;) {
		if (c->out_len > c->out_off)
			return egd_client_send(e, c, io);
		if (c->pending > 0) {
			unsigned int want = c->pending < EGD_MAX_READ ? c->pending : EGD_MAX_READ;
			size_t got = egd_fill(e, c, io, c->out, want, now);

			if (!got)
				return 0;	/* wait for data or for its rate */
			c->pending -= (unsigned int)got;
			c->out_len = got;
			c->payload_from = 0;
			if (egd_client_send(e, c, io) < 0)
				return -1;
			continue;
		}
		used = egd_parse(c->in, c->in_len, &cmd);
		if (!used)
			return 0;
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		switch (cmd.kind) {
		case EGD_LEVEL:
			egd_level_reply(sink_io_queued_bits(io), c->out);
			c->out_len = 4;
			c->payload_from = 4;
			break;
		case EGD_PID:
			c->out_len = egd_pid_reply((long)getpid(), c->out, sizeof(c->out));
			c->payload_from = c->out_len;
			break;
		case EGD_READ_NONBLOCK:
			c->out_len = 1 + egd_fill(e, c, io, c->out + 1, cmd.count, now);
			c->out[0] = (uint8_t)(c->out_len - 1);
			c->payload_from = 1;
			break;
		case EGD_READ_BLOCK:
			if (c->pending + cmd.count > EGD_PENDING_MAX) {
				egd_client_close(c, "asked for too much at once");
				return -1;
			}
			c->pending += cmd.count;
			break;
		case EGD_WRITE:
			if (!e->write_refused_logged)
				log_warnx("egd client %lu tried to write entropy: refused, connection "
					  "closed (entropyd only serves bytes it checked itself)", c->id);
			e->write_refused_logged = true;
			egd_client_close(c, "write command refused");
			return -1;
		case EGD_BAD:
		case EGD_INCOMPLETE:
		default:
			egd_client_close(c, "not an EGD command");
			return -1;
		}
	}
}

static int egd_sink_step(void *state, struct sink_io *io, uint64_t now, struct sink_wait *wait)
{
	struct egd_sink *e = state;
	size_t k, first_served = EGD_MAX_CLIENTS;

	/* Turns start after the client that was served first last time, so
	 * none is always first when there is not enough for everyone. */
	for (k = 0; k < EGD_MAX_CLIENTS; k++) {
		size_t i = (e->turn + k) % EGD_MAX_CLIENTS;
		struct egd_client *c = &e->clients[i];
		unsigned long long before = c->served;

		if (c->fd < 0 || egd_client_step(e, c, io, now) < 0)
			continue;
		if (first_served == EGD_MAX_CLIENTS && c->served != before)
			first_served = i;
		if (c->pending > 0 && c->out_len == 0) {
			uint64_t next = egd_bucket_next_ms(&c->bucket, e->cfg->egd_rate, now);

			if (next <= now)
				wait->want_data = true;
			else if (next < wait->wake_at_ms)
				wait->wake_at_ms = next;
		}
	}
	if (first_served != EGD_MAX_CLIENTS)
		e->turn = (first_served + 1) % EGD_MAX_CLIENTS;
	return SINK_CONTINUE;
}

static size_t egd_sink_pollfds(void *state, struct pollfd *fds, size_t max)
{
	struct egd_sink *e = state;
	size_t n = 0, i;

	for (i = 0; i < e->n_listeners && n < max; i++)
		fds[n++] = (struct pollfd){ .fd = e->listeners[i].fd, .events = POLLIN };
	e->n_polled_clients = 0;
	for (i = 0; i < EGD_MAX_CLIENTS && n < max; i++) {
		struct egd_client *c = &e->clients[i];
		short events = 0;

		if (c->fd < 0)
			continue;
		if (c->in_len < sizeof(c->in))
			events |= POLLIN;
		if (c->out_len > c->out_off)
			events |= POLLOUT;
		/* Even with no events: POLLHUP tells us it left. */
		fds[n++] = (struct pollfd){ .fd = c->fd, .events = events };
		e->polled_clients[e->n_polled_clients++] = i;
	}
	return n;
}

static void egd_accept(struct egd_sink *e, int listen_fd, uint64_t now)
{
	int fd;
	size_t i;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < EGD_MAX_CLIENTS && e->clients[i].fd >= 0; i++)
			;
		if (i == EGD_MAX_CLIENTS) {
			if (!e->full_logged)
				log_warnx("egd: %d clients connected, refusing more", EGD_MAX_CLIENTS);
			e->full_logged = true;
			close(fd);
			continue;
		}
		e->clients[i] = (struct egd_client){ .fd = fd, .id = ++e->connections };
		egd_bucket_init(&e->clients[i].bucket, now);
		log_info("egd client %lu connected", e->clients[i].id);
	}
}

static void egd_sink_events(void *state, struct sink_io *io, const struct pollfd *fds, size_t n,
			    uint64_t now)
{
	struct egd_sink *e = state;
	size_t i;

	for (i = 0; i < e->n_listeners && i < n; i++)
		if (fds[i].revents & POLLIN)
			egd_accept(e, fds[i].fd, now);
	for (i = 0; i < e->n_polled_clients && e->n_listeners + i < n; i++) {
		struct egd_client *c = &e->clients[e->polled_clients[i]];
		short revents = fds[e->n_listeners + i].revents;

		if (c->fd < 0 || !revents)
			continue;
		if (revents & POLLOUT && egd_client_send(e, c, io) < 0)
			continue;
		if (revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);

			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				egd_client_close(c, r == 0 ? "disconnected" : strerror(errno));
			else if (r > 0)
				c->in_len += (size_t)r;
		}
	}
}

static void egd_sink_snapshot(void *state, struct stats_snapshot *snap)
{
	struct egd_sink *e = state;
	size_t i;

	snap->have_egd = true;
	snap->egd.bytes_served = e->served;
	snap->egd.connections = e->connections;
	snap->egd.n_clients = 0;
	for (i = 0; i < EGD_MAX_CLIENTS; i++) {
		const struct egd_client *c = &e->clients[i];
		struct stats_egd_client *out;

		if (c->fd < 0 || snap->egd.n_clients >= STATS_MAX_EGD_CLIENTS)
			continue;
		out = &snap->egd.clients[snap->egd.n_clients++];
		out->id = c->id;
		out->bytes_served = c->served;
		out->bytes_waiting = c->pending;
	}
}

static void egd_sink_close(void *state, struct sink_io *io, uint64_t now)
{
	struct egd_sink *e = state;
	unsigned long long served = e->served;
	unsigned long connections = e->connections;

	(void)io, (void)now;
	egd_sink_free(e);
	log_info("egd: %llu bytes served over %lu connections", served, connections);
}

const struct sink_ops sink_egd = {
	.name = "egd",
	.latency_sensitive = true,
	.open = egd_sink_open,
	.step = egd_sink_step,
	.pollfds = egd_sink_pollfds,
	.events = egd_sink_events,
	.snapshot = egd_sink_snapshot,
	.close = egd_sink_close,
};
