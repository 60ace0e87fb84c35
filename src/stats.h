/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Counters of a running daemon as one snapshot, turned into the versioned
 * JSON status document (entropyctl, the control socket) or a one-line
 * summary (SIGUSR1, STATUS=).  Pure: the daemon fills the snapshot.
 */
#ifndef ENTROPYD_STATS_H
#define ENTROPYD_STATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "feeder.h"
#include "pipeline.h"

/* Bumped when a key changes meaning or goes away; new keys do not bump it. */
#define STATS_SCHEMA_VERSION 1
#define STATS_MAX_SOURCES 16
#define STATS_MAX_EGD_CLIENTS 256

struct stats_source {
	const char *name;
	const char *state;	/* "running", "suspended", "stopped", "idle", "unused", "disabled" */
	struct source_stats counters;
};

/* One connected EGD client (--egd-socket). */
struct stats_egd_client {
	unsigned long id;			/* connection number */
	unsigned long long bytes_served;
	unsigned int bytes_waiting;		/* asked for by blocking reads, not sent yet */
};

struct stats_egd {
	unsigned long long bytes_served;	/* to every client since start */
	unsigned long connections;		/* accepted since start */
	size_t n_clients;
	struct stats_egd_client clients[STATS_MAX_EGD_CLIENTS];
};

struct stats_snapshot {
	const char *mode;	/* "kernel", "output", "test", "egd" (--egd-only) */
	long pid;
	unsigned long long uptime_s;
	bool have_pool;
	struct pool_state pool;
	unsigned long long bytes_out;
	unsigned long long bits_out;
	size_t n_sources;
	struct stats_source sources[STATS_MAX_SOURCES];
	bool have_egd;		/* serving EGD clients */
	struct stats_egd egd;
};

/*
 * Seed jansson's hash function with a fixed value, before any other jansson
 * call.  jansson would read /dev/urandom at the first object it makes, and
 * reading it early in boot (before the kernel's CRNG is ready) is what
 * entropyd exists to avoid.  The seed only guards against hash flooding by
 * crafted keys; a status document from a local daemon needs no secret one.
 */
void stats_json_seed(void);

/* The status document; the caller owns the reference.  NULL: out of memory. */
json_t *stats_to_json(const struct stats_snapshot *snap);

/* "kernel modern 256/256 bits; 12345 bytes, 98760 bits credited; hwrng running, ..." */
void stats_summary(const struct stats_snapshot *snap, char *buf, size_t len);

#endif
