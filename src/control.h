/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket entropyctl talks to.  Protocol version 1, documented
 * in entropyctl(1):
 *   client: one request line, at most CONTROL_MAX_REQUEST bytes with its
 *           '\n': "status"
 *   server: one JSON document (the status schema) and '\n', then close.
 * Anything else - an unknown word, a longer line, no line within
 * CONTROL_CLIENT_TIMEOUT_MS - closes the connection with at most an
 * {"error": ...} line.  The server never blocks: the loop polls its fds.
 */
#ifndef ENTROPYD_CONTROL_H
#define ENTROPYD_CONTROL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runpath.h"

#define CONTROL_MAX_REQUEST 64
#define CONTROL_MAX_CLIENTS 4
#define CONTROL_CLIENT_TIMEOUT_MS 1000
#define CONTROL_DEFAULT_SOCKET RUNSTATEDIR "/entropyd/control"

enum control_request {
	CONTROL_INCOMPLETE,	/* no full line yet: read more */
	CONTROL_STATUS,		/* "status" */
	CONTROL_BAD,		/* anything else: drop the client */
};

/* Pure: classify what a client sent so far (len bytes, not NUL-terminated). */
enum control_request control_parse(const char *buf, size_t len);

struct control_client {
	int fd;
	uint64_t deadline_ms;
	size_t len;
	char buf[CONTROL_MAX_REQUEST];
};

struct control_server {
	int listen_fd;
	char path[108];
	const char *name;		/* the socket's name inside dir */
	struct runpath_dir dir;		/* checked, kept open to remove the socket after -D */
	struct runpath_mark mark;	/* the socket we bound */
	struct control_client clients[CONTROL_MAX_CLIENTS];
};

/* A server that is not listening (safe to close). */
void control_init(struct control_server *srv);

/*
 * Listen on path, under the trust rules of runpath.h: mode 0660, its
 * directory created 0750 if missing (for owner, the -D user, when given;
 * the socket's group is then owner's), a stale socket replaced only when
 * nobody answers on it.  0, or -1 with why ("already running (control
 * socket PATH answers)", "PATH exists and is a FIFO ...").
 */
int control_open(struct control_server *srv, const char *path, const struct runpath_owner *owner,
		 char *why, size_t whylen);

/* Add the server's fds to fds (at most 1 + CONTROL_MAX_CLIENTS); returns the count. */
size_t control_pollfds(const struct control_server *srv, struct pollfd *fds);

/* The earliest client deadline, or UINT64_MAX. */
uint64_t control_next_deadline(const struct control_server *srv);

/*
 * Serve what poll() reported (fds as filled by control_pollfds) and expire
 * late clients.  status_json() makes the reply text (malloc'd, freed here).
 */
void control_serve(struct control_server *srv, const struct pollfd *fds, size_t nfds,
		   uint64_t now_ms, char *(*status_json)(void *ctx), void *ctx);

/*
 * Close every client and the socket; remove the socket if the name still
 * holds it, and its directory if control_open made it and it is empty.
 */
void control_close(struct control_server *srv);

#endif
