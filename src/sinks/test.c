/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test sink (-t): validation happened in the workers; here the blocks
 * are only counted, and the rates printed each second and at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "sinks/sinks.h"
#include "wipe.h"

#define TEST_REPORT_MS 1000
#define TEST_MAX_SOURCES 16

struct test_sink {
	bool stepped;			/* the loop ran: a final report is owed */
	uint64_t next_report_ms;	/* since the loop started */
	unsigned long long last_passed[TEST_MAX_SOURCES];	/* bytes at the last report */
	uint8_t buf[FIPS_BLOCK_BYTES];
};

static int test_sink_open(void **state, const struct config *cfg)
{
	struct test_sink *t = calloc(1, sizeof(*t));

	(void)cfg;
	if (!t) {
		log_errx("out of memory");
		return EXIT_FAILED;
	}
	t->next_report_ms = TEST_REPORT_MS;
	*state = t;
	return 0;
}

static void test_sink_report(struct test_sink *t, struct sink_io *io, uint64_t now, bool final)
{
	uint64_t elapsed_ms = sink_io_uptime_ms(io, now);
	unsigned long long total_passed = 0;
	size_t i;

	for (i = 0; i < sink_io_source_count(io) && i < TEST_MAX_SOURCES; i++) {
		struct source_instance *src = sink_io_source(io, i);
		struct source_stats st;
		unsigned long long passed, failed, bits;

		if (!src)
			continue;
		pipeline_stats(src, &st);
		passed = st.blocks_passed * FIPS_BLOCK_BYTES;
		failed = st.blocks_failed * FIPS_BLOCK_BYTES;
		bits = passed * st.credit / CREDIT_ONE_BIT;
		total_passed += passed;
		if (!final)
			printf("[%6.1fs] %-8s passed %llu bytes (%llu bits of entropy), failed %llu bytes (%llu blocks), %llu bytes/s\n",
			       (double)elapsed_ms / 1000, src->ops->name, passed, bits,
			       failed, st.blocks_failed, passed - t->last_passed[i]);
		t->last_passed[i] = passed;
	}
	if (final)
		printf("total: %llu bytes passed in %.1f s: %.1f KiB/s\n", total_passed,
		       (double)elapsed_ms / 1000,
		       elapsed_ms ? (double)total_passed / 1024 / ((double)elapsed_ms / 1000) : 0.0);
	fflush(stdout);
}

static int test_sink_step(void *state, struct sink_io *io, uint64_t now, struct sink_wait *wait)
{
	struct test_sink *t = state;
	struct source_instance *from = NULL;
	uint64_t batch_due;
	size_t n;

	t->stepped = true;
	while ((n = sink_io_take(io, t->buf, sizeof(t->buf), &from)) > 0) {
		sink_io_account(io, from, n, 0);
		sink_io_ready(io, "first block");
	}
	wipe(t->buf, sizeof(t->buf));
	if (sink_io_uptime_ms(io, now) >= t->next_report_ms) {
		test_sink_report(t, io, now, false);
		t->next_report_ms += TEST_REPORT_MS;
	}
	batch_due = now + SINK_BATCH_WAIT_MS;
	wait->want_data = true;
	wait->wake_at_ms = now - sink_io_uptime_ms(io, now) + t->next_report_ms;
	if (batch_due < wait->wake_at_ms)
		wait->wake_at_ms = batch_due;
	return SINK_CONTINUE;
}

static void test_sink_close(void *state, struct sink_io *io, uint64_t now)
{
	struct test_sink *t = state;

	if (t->stepped)
		test_sink_report(t, io, now, true);
	free(t);
}

const struct sink_ops sink_test = {
	.name = "test",
	.latency_sensitive = false,
	.open = test_sink_open,
	.step = test_sink_step,
	.pollfds = NULL,	/* nothing to wait on but data and the clock */
	.events = NULL,
	.snapshot = NULL,
	.close = test_sink_close,
};
