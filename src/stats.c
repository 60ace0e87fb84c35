/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "stats.h"

#include <stdio.h>
#include <string.h>

static json_t *stats_source_json(const struct stats_source *src)
{
	const struct source_stats *c = &src->counters;
	json_t *fips = json_object();
	json_t *obj;
	int test;

	if (!fips)
		return NULL;
	for (test = 0; test < FIPS_TEST_COUNT; test++) {
		static const char *const keys[FIPS_TEST_COUNT] = {
			"monobit", "poker", "runs", "long_run", "continuous"
		};
		json_object_set_new(fips, keys[test], json_integer((json_int_t)c->fips_failures[test]));
	}
	json_object_set_new(fips, "repeated_block", json_integer((json_int_t)c->repeated_blocks));
	obj = json_pack("{s:s, s:s, s:f, s:I, s:I, s:I, s:o, s:{s:I, s:I}, s:I, s:I, s:I, s:I, s:s}",
			"name", src->name,
			"state", src->state,
			"credit_bits_per_byte", (double)c->credit / CREDIT_ONE_BIT,
			"bytes_read", (json_int_t)c->bytes_read,
			"blocks_passed", (json_int_t)c->blocks_passed,
			"blocks_failed", (json_int_t)c->blocks_failed,
			"fips_failures", fips,
			"health_alarms",
			"intermittent", (json_int_t)c->source.health_intermittent,
			"permanent", (json_int_t)c->source.health_permanent,
			"suspensions", (json_int_t)c->suspensions,
			"reprobes", (json_int_t)c->reprobes,
			"bytes_used", (json_int_t)c->bytes_used,
			"bits_credited", (json_int_t)c->bits_credited,
			"last_error", c->last_error);
	return obj;
}

/* "egd": the EGD server's totals and its clients, or null without one. */
static json_t *stats_egd_json(const struct stats_snapshot *snap)
{
	json_t *clients;
	size_t i;

	if (!snap->have_egd)
		return json_null();
	clients = json_array();
	for (i = 0; clients && i < snap->egd.n_clients; i++) {
		const struct stats_egd_client *c = &snap->egd.clients[i];

		if (json_array_append_new(clients, json_pack("{s:I, s:I, s:I}",
			"id", (json_int_t)c->id,
			"bytes_served", (json_int_t)c->bytes_served,
			"bytes_waiting", (json_int_t)c->bytes_waiting)) < 0) {
			json_decref(clients);
			return NULL;
		}
	}
	return json_pack("{s:I, s:I, s:o}", "bytes_served", (json_int_t)snap->egd.bytes_served,
			 "connections", (json_int_t)snap->egd.connections, "clients", clients);
}

void stats_json_seed(void)
{
#if JANSSON_VERSION_HEX >= 0x020600	/* older ones have no seed to set */
	json_object_seed(0x5eedu);
#endif
}

json_t *stats_to_json(const struct stats_snapshot *snap)
{
	json_t *doc, *sources, *pool, *egd;
	size_t i;

	sources = json_array();
	if (!sources)
		return NULL;
	for (i = 0; i < snap->n_sources; i++) {
		json_t *s = stats_source_json(&snap->sources[i]);

		if (!s || json_array_append_new(sources, s) < 0) {
			json_decref(sources);
			return NULL;
		}
	}
	if (snap->have_pool)
		pool = json_pack("{s:s, s:i, s:i, s:b}",
				 "era", snap->pool.era == KERNEL_ERA_LEGACY ? "legacy" : "modern",
				 "poolsize_bits", (int)snap->pool.poolsize_bits,
				 "entropy_avail_bits", (int)snap->pool.entropy_avail_bits,
				 "crng_ready", snap->pool.crng_ready);
	else
		pool = json_null();
	egd = stats_egd_json(snap);
	if (!egd) {
		json_decref(sources);
		json_decref(pool);
		return NULL;
	}
	doc = json_pack("{s:i, s:s, s:I, s:s, s:I, s:o, s:{s:I, s:I}, s:o, s:o}",
			"schema", STATS_SCHEMA_VERSION,
			"version", PACKAGE_VERSION,
			"pid", (json_int_t)snap->pid,
			"mode", snap->mode,
			"uptime_s", (json_int_t)snap->uptime_s,
			"pool", pool,
			"totals", "bytes", (json_int_t)snap->bytes_out,
			"bits_credited", (json_int_t)snap->bits_out,
			"sources", sources,
			"egd", egd);
	return doc;
}

void stats_summary(const struct stats_snapshot *snap, char *buf, size_t len)
{
	size_t used;
	size_t i;

	if (snap->have_pool)
		used = (size_t)snprintf(buf, len, "%s %u/%u bits; ",
					snap->pool.era == KERNEL_ERA_LEGACY ? "legacy" : "modern",
					snap->pool.entropy_avail_bits, snap->pool.poolsize_bits);
	else
		used = (size_t)snprintf(buf, len, "%s; ", snap->mode);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "%llu bytes, %llu bits credited",
					 snap->bytes_out, snap->bits_out);
	if (snap->have_egd && used < len)
		used += (size_t)snprintf(buf + used, len - used, "; egd %llu bytes served, %zu clients",
					 snap->egd.bytes_served, snap->egd.n_clients);
	for (i = 0; i < snap->n_sources && used < len; i++) {
		const struct stats_source *s = &snap->sources[i];

		if (strcmp(s->state, "disabled") == 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "; %s %s %llu/%llu blocks ok",
					 s->name, s->state, s->counters.blocks_passed,
					 s->counters.blocks_passed + s->counters.blocks_failed);
	}
}
