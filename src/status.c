/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "notify.h"

/* STATUS= to the service manager at most this often. */
#define STATUS_INTERVAL_MS 5000

static const char *status_source_state(struct daemon *d, size_t i, const struct source_stats *st)
{
	static const char *const phases[] = { "stopped", "running", "suspended" };

	if (!d->enabled[i])
		return "disabled";
	if (!d->running[i])
		return pipeline_idle(&d->sources[i]) ? "unused" : "stopping";
	return phases[st->phase];
}

void status_snapshot(struct daemon *d, struct stats_snapshot *snap)
{
	size_t i;

	memset(snap, 0, sizeof(*snap));
	snap->mode = d->mode;
	snap->pid = (long)getpid();
	snap->uptime_s = (clock_monotonic_ms() - d->start_ms) / 1000;
	for (i = 0; i < d->n_sinks; i++)
		if (d->sinks[i].ops->snapshot)
			d->sinks[i].ops->snapshot(d->sinks[i].state, snap);
	snap->bytes_out = d->bytes_out;
	snap->bits_out = d->bits_out;
	for (i = 0; i < d->n_sources && i < STATS_MAX_SOURCES; i++) {
		struct stats_source *src = &snap->sources[snap->n_sources++];

		pipeline_stats(&d->sources[i], &src->counters);
		src->name = d->sources[i].ops->name;
		src->state = status_source_state(d, i, &src->counters);
	}
}

/* The control socket's answer: the status document on one line. */
char *status_json(void *ctx)
{
	struct stats_snapshot snap;
	json_t *doc;
	char *text, *line = NULL;

	status_snapshot(ctx, &snap);
	doc = stats_to_json(&snap);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

void status_log_summary(struct daemon *d)
{
	struct stats_snapshot snap;
	char line[1024];
	size_t i;

	status_snapshot(d, &snap);
	stats_summary(&snap, line, sizeof(line));
	log_notice("summary: %s; up %llu s", line, snap.uptime_s);
	for (i = 0; i < snap.n_sources; i++) {
		const struct stats_source *src = &snap.sources[i];

		if (!d->enabled[i])
			continue;
		log_notice("  %s: %s, read %llu bytes, blocks passed %llu failed %llu, suspended %llu times%s%s",
			   src->name, src->state, src->counters.bytes_read, src->counters.blocks_passed,
			   src->counters.blocks_failed, src->counters.suspensions,
			   src->counters.last_error[0] ? "; last error: " : "", src->counters.last_error);
	}
	for (i = 0; snap.have_egd && i < snap.egd.n_clients; i++)
		log_notice("  egd client %lu: %llu bytes served, %u bytes waiting",
			   snap.egd.clients[i].id, snap.egd.clients[i].bytes_served,
			   snap.egd.clients[i].bytes_waiting);
}

/* Keep the service manager informed: STATUS= now and then, WATCHDOG=1 on time. */
void status_notify_periodic(struct daemon *d, uint64_t now)
{
	if (d->watchdog_ms && now >= d->last_watchdog_ms + d->watchdog_ms) {
		notify_watchdog();
		d->last_watchdog_ms = now;
	}
	if (d->notify_status && now >= d->last_status_ms + STATUS_INTERVAL_MS) {
		struct stats_snapshot snap;
		char line[256];

		status_snapshot(d, &snap);
		stats_summary(&snap, line, sizeof(line));
		notify_status("%s", line);
		d->last_status_ms = now;
	}
}
