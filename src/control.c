/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

enum control_request control_parse(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t line;

	if (!nl)
		return len >= CONTROL_MAX_REQUEST ? CONTROL_BAD : CONTROL_INCOMPLETE;
	line = (size_t)(nl - buf);
	if (line > 0 && buf[line - 1] == '\r')	/* tolerate telnet-style clients */
		line--;
	if (line == 6 && memcmp(buf, "status", 6) == 0)
		return CONTROL_STATUS;
	return CONTROL_BAD;
}

static void control_drop(struct control_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

void control_init(struct control_server *srv)
{
	size_t i;

	srv->listen_fd = -1;
	srv->path[0] = '\0';
	srv->name = NULL;
	srv->mark.set = false;
	runpath_dir_init(&srv->dir);
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		srv->clients[i].fd = -1;
		srv->clients[i].len = 0;
	}
}

int control_open(struct control_server *srv, const char *path, const struct runpath_owner *owner,
		 char *why, size_t whylen)
{
	control_init(srv);
	/* entropyctl connects by the full path: it must fit in sun_path (control.h) */
	if (strlen(path) >= sizeof(srv->path)) {
		snprintf(why, whylen, "control socket path %s is longer than %zu bytes", path,
			 sizeof(srv->path) - 1);
		return -1;
	}
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	if (runpath_dir_open(&srv->dir, srv->path, owner, &srv->name, why, whylen) < 0)
		return -1;
	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		control_close(srv);
		return -1;
	}
	if (runpath_bind_socket(&srv->dir, srv->name, "control socket", srv->listen_fd, owner, &srv->mark, why, whylen) < 0) {
		control_close(srv);
		return -1;
	}
	if (listen(srv->listen_fd, CONTROL_MAX_CLIENTS) < 0) {
		snprintf(why, whylen, "cannot listen on %s: %s", path, strerror(errno));
		control_close(srv);
		return -1;
	}
	return 0;
}

size_t control_pollfds(const struct control_server *srv, struct pollfd *fds)
{
	size_t n = 0, i;

	if (srv->listen_fd < 0)
		return 0;
	fds[n++] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (srv->clients[i].fd >= 0)
			fds[n++] = (struct pollfd){ .fd = srv->clients[i].fd, .events = POLLIN };
	return n;
}

uint64_t control_next_deadline(const struct control_server *srv)
{
	uint64_t next = UINT64_MAX;
	size_t i;

	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (srv->clients[i].fd >= 0 && srv->clients[i].deadline_ms < next)
			next = srv->clients[i].deadline_ms;
	return next;
}

/* Best effort, never blocking: a client that cannot take the reply loses it. */
static void control_reply(struct control_client *c, const char *text)
{
	size_t len = strlen(text), done = 0;
	ssize_t w;

	while (done < len) {
		w = send(c->fd, text + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
}

static void control_read(struct control_client *c, char *(*status_json)(void *), void *ctx)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
	char *reply;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		control_drop(c);
		return;
	}
	c->len += (size_t)n;
	switch (control_parse(c->buf, c->len)) {
	case CONTROL_INCOMPLETE:
		return;
	case CONTROL_STATUS:
		reply = status_json(ctx);
		control_reply(c, reply ? reply : "{\"error\": \"out of memory\"}\n");
		free(reply);
		break;
	case CONTROL_BAD:
	default:
		control_reply(c, "{\"error\": \"unknown request; protocol 1 knows: status\"}\n");
		break;
	}
	control_drop(c);
}

void control_serve(struct control_server *srv, const struct pollfd *fds, size_t nfds,
		   uint64_t now_ms, char *(*status_json)(void *ctx), void *ctx)
{
	size_t i, j;

	for (i = 1; i < nfds; i++) {
		if (!fds[i].revents)
			continue;
		for (j = 0; j < CONTROL_MAX_CLIENTS; j++)
			if (srv->clients[j].fd == fds[i].fd)
				control_read(&srv->clients[j], status_json, ctx);
	}
	for (j = 0; j < CONTROL_MAX_CLIENTS; j++)
		if (srv->clients[j].fd >= 0 && now_ms >= srv->clients[j].deadline_ms)
			control_drop(&srv->clients[j]);	/* silent too long */
	if (nfds > 0 && fds[0].revents) {
		for (;;) {
			int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			if (fd < 0)
				break;
			for (j = 0; j < CONTROL_MAX_CLIENTS && srv->clients[j].fd >= 0; j++)
				;
			if (j == CONTROL_MAX_CLIENTS) {
				close(fd);	/* busy: the client may try again */
				continue;
			}
			srv->clients[j].fd = fd;
			srv->clients[j].len = 0;
			srv->clients[j].deadline_ms = now_ms + CONTROL_CLIENT_TIMEOUT_MS;
		}
	}
}

void control_close(struct control_server *srv)
{
	size_t i;

	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		control_drop(&srv->clients[i]);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	if (srv->name && runpath_remove(&srv->dir, srv->name, &srv->mark) < 0)
		log_info("cannot remove the control socket %s: %s", srv->path, strerror(errno));
	srv->mark.set = false;
	runpath_dir_close(&srv->dir);
}
