/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker pipeline with a fake source that plays back a known stream:
 * only passing blocks reach the queue, failing ones suspend the source with
 * the reason, and a full queue stops the reading.  A second fake whose
 * read() ignores cancellation shows that a worker late to stop is never
 * joined by a second one on the same source.  An on-demand fake keeps
 * one block ready and reads more only while a sink wants data.  The
 * playback tests run twice: the worker reading the fake itself, and a
 * reader thread reading it ahead (source.h's read_ahead).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "fips.h"
#include "fixture.h"
#include "log.h"
#include "pipeline.h"

struct fake_state {
	uint8_t *data;
	size_t len;
	size_t pos;
	unsigned int opens;
	char reader[16];	/* the name of the thread that read last */
};

/* The stream the next created fake plays back (set by each test). */
static uint8_t *fake_data;
static size_t fake_len;
/* Every read fails (a device that opens but answers ENODEV). */
static bool fake_fail_reads;

static const struct source_option fake_options[] = { { NULL, NULL, NULL } };

static void *fake_create(void)
{
	struct fake_state *st = calloc(1, sizeof(*st));

	st->data = fake_data;
	st->len = fake_len;
	return st;
}

static int fake_set_option(void *s, const char *k, const char *v, char *err, size_t n)
{
	snprintf(err, n, "no options");
	return -1;
}

static void fake_get_option(const void *s, const char *k, char *buf, size_t n)
{
	buf[0] = '\0';
}

static enum source_status fake_probe(void *s, char *why, size_t n)
{
	return SOURCE_USABLE;
}

static int fake_open(void *s, char *why, size_t n)
{
	((struct fake_state *)s)->opens++;
	return 0;
}

static ssize_t fake_read(void *s, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t n)
{
	struct fake_state *st = s;
	struct pollfd pfd = { .fd = cancel_fd, .events = POLLIN };

	if (fake_fail_reads) {
		snprintf(why, n, "reading the fake: No such device");
		return SOURCE_READ_FAILED;
	}
	if (st->pos == st->len) {
		poll(&pfd, 1, -1);	/* played out: wait like a FIFO without a writer, until cancelled */
		return SOURCE_READ_AGAIN;
	}
	prctl(PR_GET_NAME, st->reader, 0L, 0L, 0L);
	if (len > st->len - st->pos)
		len = st->len - st->pos;
	memcpy(buf, st->data + st->pos, len);
	st->pos += len;
	return (ssize_t)len;
}

static void fake_close(void *s)
{
}

static void fake_destroy(void *s)
{
	free(s);
}

static const struct source_ops fake_ops = {
	.name = "fake", .summary = "plays back a buffer", .default_credit = 8 * CREDIT_ONE_BIT,
	.enabled_by_default = 1, .options = fake_options, .create = fake_create,
	.set_option = fake_set_option, .get_option = fake_get_option, .probe = fake_probe,
	.open = fake_open, .read = fake_read, .close = fake_close, .destroy = fake_destroy,
};

/* The same playback, as a source whose reads cost CPU (like jitter). */
static const struct source_ops costly_ops = {
	.name = "costly", .summary = "plays back a buffer, on demand",
	.default_credit = 8 * CREDIT_ONE_BIT, .enabled_by_default = 1, .on_demand = true,
	.options = fake_options, .create = fake_create, .set_option = fake_set_option,
	.get_option = fake_get_option, .probe = fake_probe, .open = fake_open, .read = fake_read,
	.close = fake_close, .destroy = fake_destroy,
};

/* The same playback, read ahead on a thread of its own (like rdrand). */
static const struct source_ops ahead_ops = {
	.name = "ahead", .summary = "plays back a buffer, read ahead",
	.default_credit = 8 * CREDIT_ONE_BIT, .enabled_by_default = 1, .read_ahead = true,
	.options = fake_options, .create = fake_create, .set_option = fake_set_option,
	.get_option = fake_get_option, .probe = fake_probe, .open = fake_open, .read = fake_read,
	.close = fake_close, .destroy = fake_destroy,
};

/* The loop tests' _i: 0 the worker reads, 1 a reader reads ahead; the
 * thread that calls read() in each case. */
static const struct source_ops *const playback_ops[] = { &fake_ops, &ahead_ops };
static const char *const playback_reader[] = { "src-fake", "ahead-ahead" };

/* A deterministic, FIPS-passing stream: xorshift64* output. */
static void fill_random(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		buf[i] = (uint8_t)((x * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

static struct source_instance inst;
static int data_fd;

static void start_ops(const struct source_ops *ops, uint8_t *data, size_t len,
		      unsigned int retry_delay_s)
{
	struct pipeline_settings settings = { .retry_delay_s = retry_delay_s };

	data_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	settings.data_fd = data_fd;
	fake_data = data;
	fake_len = len;
	ck_assert_int_eq(pipeline_create(&inst, ops, &settings), 0);
	ck_assert_int_eq(pipeline_open(&inst), 0);
	ck_assert_int_eq(pipeline_start(&inst), 0);
}

static void start(uint8_t *data, size_t len, unsigned int retry_delay_s)
{
	start_ops(&fake_ops, data, len, retry_delay_s);
}

/* The played-back fake the loop test's turn _i names. */
static void start_playback(int turn, uint8_t *data, size_t len, unsigned int retry_delay_s)
{
	start_ops(playback_ops[turn], data, len, retry_delay_s);
}

static void stop(void)
{
	ck_assert_int_eq(pipeline_stop(&inst, 5000), 0);
	pipeline_destroy(&inst);
	close(data_fd);
}

/* Poll the stats until pred holds (10 s at most: a hang, not a timing test). */
static int wait_stats(int (*pred)(const struct source_stats *))
{
	struct source_stats st;
	int i;

	for (i = 0; i < 1000; i++) {
		pipeline_stats(&inst, &st);
		if (pred(&st))
			return 1;
		usleep(10000);
	}
	return 0;
}

static int three_blocks_seen(const struct source_stats *st)
{
	return st->blocks_passed + st->blocks_failed >= 3;
}

START_TEST(test_passing_blocks_are_queued_verbatim)
{
	size_t len = FIPS_PRIME_BYTES + 3 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	uint8_t out[3 * FIPS_BLOCK_BYTES];
	struct fips_ctx fips;
	size_t got = 0, n;
	int b;

	fill_random(data, len, 42);
	/* The stream must pass on its own, or the test proves nothing. */
	fips_init(&fips, data);
	for (b = 0; b < 3; b++)
		ck_assert_uint_eq(fips_check(&fips, data + FIPS_PRIME_BYTES + b * FIPS_BLOCK_BYTES), 0);

	start_playback(_i, data, len, 1);
	ck_assert(wait_stats(three_blocks_seen));
	ck_assert_uint_eq(pipeline_queued(&inst), 3 * FIPS_BLOCK_BYTES);
	/* Odd-sized takes cross block boundaries correctly. */
	while ((n = pipeline_take(&inst, out + got, 999)) > 0)
		got += n;
	ck_assert_uint_eq(got, 3 * FIPS_BLOCK_BYTES);
	ck_assert_int_eq(memcmp(out, data + FIPS_PRIME_BYTES, got), 0);
	ck_assert_uint_eq(pipeline_queued(&inst), 0);
	ck_assert_str_eq(((struct fake_state *)inst.state)->reader, playback_reader[_i]);
	stop();
	free(data);
}
END_TEST

/*
 * A source left to its worker (source.h's slow_open) is opened by it at
 * once: with a back-off of an hour, a worker that re-probed as for a
 * suspended source would read nothing in this test's time.
 */
START_TEST(test_worker_opens_at_once_when_asked)
{
	size_t len = FIPS_PRIME_BYTES + 3 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	struct pipeline_settings settings = { .retry_delay_s = 3600 };

	fill_random(data, len, 5);
	data_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	settings.data_fd = data_fd;
	fake_data = data;
	fake_len = len;
	ck_assert_int_eq(pipeline_create(&inst, &fake_ops, &settings), 0);
	inst.open_in_worker = true;
	ck_assert_int_eq(pipeline_start(&inst), 0);
	ck_assert(wait_stats(three_blocks_seen));
	ck_assert_int_eq(pipeline_stop(&inst, 5000), 0);
	ck_assert_uint_eq(((struct fake_state *)inst.state)->opens, 1);
	ck_assert(!inst.open_in_worker);	/* once: a later start re-probes as usual */
	pipeline_destroy(&inst);
	close(data_fd);
	free(data);
}
END_TEST

static int suspended(const struct source_stats *st)
{
	return st->suspensions >= 1;
}

START_TEST(test_failing_blocks_suspend_and_are_never_queued)
{
	size_t len = FIPS_PRIME_BYTES + 4 * FIPS_BLOCK_BYTES;
	uint8_t *data = calloc(1, len);	/* zeros: fail monobit, poker, runs, long run */
	struct source_stats st;

	start_playback(_i, data, len, 3600);
	ck_assert(wait_stats(suspended));
	pipeline_stats(&inst, &st);
	ck_assert_uint_eq(st.blocks_failed, PIPELINE_FAIL_LIMIT);
	ck_assert_uint_eq(st.blocks_passed, 0);
	ck_assert_uint_eq(st.fips_failures[FIPS_TEST_MONOBIT], PIPELINE_FAIL_LIMIT);
	ck_assert_uint_eq(st.fips_failures[FIPS_TEST_LONGRUN], PIPELINE_FAIL_LIMIT);
	ck_assert_int_eq(st.phase, PHASE_SUSPENDED);
	ck_assert_ptr_nonnull(strstr(st.last_error, "3 consecutive blocks failed FIPS 140-2"));
	ck_assert_ptr_nonnull(strstr(st.last_error, "Monobit"));
	ck_assert_uint_eq(pipeline_queued(&inst), 0);
	stop();
	free(data);
}
END_TEST

static int queue_full(const struct source_stats *st)
{
	return st->blocks_passed >= PIPELINE_QUEUE_BLOCKS;
}

START_TEST(test_full_queue_stops_reading)
{
	size_t len = FIPS_PRIME_BYTES + 40 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	struct source_stats st;
	uint8_t sink[FIPS_BLOCK_BYTES];

	fill_random(data, len, 7);
	start_playback(_i, data, len, 1);
	ck_assert(wait_stats(queue_full));
	usleep(200000);	/* give a runaway worker the chance to show itself */
	pipeline_stats(&inst, &st);
	/* The queue plus the block being assembled, never the whole stream. */
	ck_assert_uint_le(st.bytes_read, FIPS_PRIME_BYTES + (PIPELINE_QUEUE_BLOCKS + 1) * FIPS_BLOCK_BYTES);
	ck_assert_uint_eq(st.blocks_passed + st.blocks_failed, PIPELINE_QUEUE_BLOCKS);
	/* Taking a block lets exactly one more in. */
	ck_assert_uint_eq(pipeline_take(&inst, sink, sizeof(sink)), sizeof(sink));
	ck_assert(wait_stats(queue_full));
	stop();
	free(data);
}
END_TEST

START_TEST(test_replayed_block_is_rejected)
{
	size_t len = FIPS_PRIME_BYTES + 3 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	uint8_t out[3 * FIPS_BLOCK_BYTES];
	struct source_stats st;
	size_t got = 0, n;

	fill_random(data, len, 99);
	/* Blocks: A, A again, B.  The copy passes FIPS but must not be queued. */
	memcpy(data + FIPS_PRIME_BYTES + FIPS_BLOCK_BYTES, data + FIPS_PRIME_BYTES, FIPS_BLOCK_BYTES);
	start_playback(_i, data, len, 3600);
	ck_assert(wait_stats(three_blocks_seen));
	pipeline_stats(&inst, &st);
	ck_assert_uint_eq(st.blocks_passed, 2);
	ck_assert_uint_eq(st.blocks_failed, 1);
	ck_assert_uint_eq(st.repeated_blocks, 1);
	while ((n = pipeline_take(&inst, out + got, sizeof(out) - got)) > 0)
		got += n;
	ck_assert_uint_eq(got, 2 * FIPS_BLOCK_BYTES);
	ck_assert_int_eq(memcmp(out, data + FIPS_PRIME_BYTES, FIPS_BLOCK_BYTES), 0);
	ck_assert_int_eq(memcmp(out + FIPS_BLOCK_BYTES, data + FIPS_PRIME_BYTES + 2 * FIPS_BLOCK_BYTES,
				FIPS_BLOCK_BYTES), 0);
	stop();
	free(data);
}
END_TEST

START_TEST(test_credit_carries_fractions)
{
	struct pipeline_settings settings = { .retry_delay_s = 1, .data_fd = -1 };
	unsigned int total = 0;
	int i;

	ck_assert_int_eq(pipeline_create(&inst, &fake_ops, &settings), 0);
	inst.credit = CREDIT_ONE_BIT / 64;	/* 1/64 bit per byte */
	for (i = 0; i < 100; i++)
		total += pipeline_credit_bits(&inst, 32);	/* 0.5 bit each time */
	ck_assert_uint_eq(total, 50);
	inst.credit = 3 * CREDIT_ONE_BIT;
	ck_assert_uint_eq(pipeline_credit_bits(&inst, 64), 192);
	pipeline_destroy(&inst);
}
END_TEST

static int two_blocks_passed(const struct source_stats *st)
{
	return st->blocks_passed >= 2;
}

START_TEST(test_steps_span_blocks)
{
	size_t len = FIPS_PRIME_BYTES + 2 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	uint8_t out[2 * FIPS_BLOCK_BYTES];
	size_t got = 0, n, steps = 0;

	fill_random(data, len, 5);
	start(data, len, 3600);
	ck_assert(wait_stats(two_blocks_passed));
	/* 5000 bytes in 64-byte steps: 78 full steps, then the 8 left; never a
	 * short step at the first block's end (it used to give 4 bytes there,
	 * logged as "credited 0 bits") */
	while ((n = pipeline_take(&inst, out + got, 64)) > 0) {
		got += n;
		steps++;
		ck_assert_msg(n == 64 || got == sizeof(out), "step %zu: %zu bytes at %zu", steps, n, got);
	}
	ck_assert_uint_eq(steps, 79);
	ck_assert_int_eq(memcmp(out, data + FIPS_PRIME_BYTES, sizeof(out)), 0);
	stop();
	free(data);
}
END_TEST

START_TEST(test_depth_follows_demand)
{
	/* A fast source fills the whole queue, wanted or not, and resumes at half. */
	ck_assert_uint_eq(pipeline_depth(&fake_ops, false), PIPELINE_QUEUE_BLOCKS);
	ck_assert_uint_eq(pipeline_depth(&fake_ops, true), PIPELINE_QUEUE_BLOCKS);
	ck_assert(pipeline_resume(PIPELINE_QUEUE_BLOCKS, PIPELINE_QUEUE_BLOCKS / 2));
	ck_assert(!pipeline_resume(PIPELINE_QUEUE_BLOCKS, PIPELINE_QUEUE_BLOCKS - 1));
	/* An on-demand one: one block ready, one more ahead while wanted. */
	ck_assert_uint_eq(pipeline_depth(&costly_ops, false), 1);
	ck_assert_uint_eq(pipeline_depth(&costly_ops, true), 2);
	ck_assert(pipeline_resume(1, 0));
	ck_assert(!pipeline_resume(1, 1));	/* two were queued while wanted: one is enough */
	ck_assert(pipeline_resume(2, 1));
}
END_TEST

static int one_block_passed(const struct source_stats *st)
{
	return st->blocks_passed >= 1;
}

static int three_blocks_passed(const struct source_stats *st)
{
	return st->blocks_passed >= 3;
}

static int four_blocks_passed(const struct source_stats *st)
{
	return st->blocks_passed >= 4;
}

/* After a pause that lets a runaway worker show itself: blocks read so far. */
static unsigned long long settled_blocks_read(void)
{
	struct source_stats st;

	usleep(200000);
	pipeline_stats(&inst, &st);
	ck_assert_uint_eq((st.bytes_read - FIPS_PRIME_BYTES) % FIPS_BLOCK_BYTES, 0);
	return (st.bytes_read - FIPS_PRIME_BYTES) / FIPS_BLOCK_BYTES;
}

START_TEST(test_on_demand_source_reads_only_while_wanted)
{
	size_t len = FIPS_PRIME_BYTES + 40 * FIPS_BLOCK_BYTES;
	uint8_t *data = malloc(len);
	uint8_t out[2 * FIPS_BLOCK_BYTES];

	fill_random(data, len, 13);
	start_ops(&costly_ops, data, len, 3600);
	/* Nobody wants data: one block ready, and the source is left alone. */
	ck_assert(wait_stats(one_block_passed));
	ck_assert_uint_eq(settled_blocks_read(), 1);
	ck_assert_uint_eq(pipeline_queued(&inst), FIPS_BLOCK_BYTES);
	/* A sink wants data: one more block ahead, no further. */
	pipeline_demand(&inst, true);
	ck_assert(wait_stats(two_blocks_passed));
	ck_assert_uint_eq(settled_blocks_read(), 2);
	/* A block taken while wanted is replaced. */
	ck_assert_uint_eq(pipeline_take(&inst, out, FIPS_BLOCK_BYTES), FIPS_BLOCK_BYTES);
	ck_assert(wait_stats(three_blocks_passed));
	ck_assert_uint_eq(settled_blocks_read(), 3);
	/* Wanted no more: the two queued ones go, and only one is read again. */
	pipeline_demand(&inst, false);
	ck_assert_uint_eq(pipeline_take(&inst, out, sizeof(out)), sizeof(out));
	ck_assert(wait_stats(four_blocks_passed));
	ck_assert_uint_eq(settled_blocks_read(), 4);
	ck_assert_uint_eq(pipeline_queued(&inst), FIPS_BLOCK_BYTES);
	stop();
	free(data);
}
END_TEST

static int suspended_thrice(const struct source_stats *st)
{
	return st->suspensions >= 3;
}

START_TEST(test_backoff_grows_when_reopened_source_fails_at_once)
{
	struct source_stats st;

	fake_fail_reads = true;
	start_playback(_i, NULL, 0, 1);
	/* fails (wait 1 s), re-opens and fails at once (2 s), again (4 s) */
	ck_assert(wait_stats(suspended_thrice));
	pipeline_stats(&inst, &st);
	ck_assert_int_eq(st.phase, PHASE_SUSPENDED);
	ck_assert_uint_eq(st.reprobes, 2);
	ck_assert_uint_eq(st.backoff_s, 4);
	ck_assert_str_eq(st.last_error, "reading the fake: No such device");
	stop();
	fake_fail_reads = false;
}
END_TEST

/*
 * The stuck fake: each read() says so on stuck_entered, then blocks in a
 * plain read() of stuck_feed, deaf to cancel_fd, like a driver that does
 * not implement poll.  Each byte the test writes to stuck_feed releases one
 * read; every read counts a health alarm (the source's own counter).
 */
static int stuck_feed[2], stuck_entered[2];
static unsigned long long stuck_reads;	/* the worker's only */

static ssize_t stuck_read(void *s, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t n)
{
	ssize_t got;

	stuck_reads++;
	if (write(stuck_entered[1], "r", 1) != 1)
		return SOURCE_READ_FAILED;
	got = read(stuck_feed[0], buf, 1);
	return got > 0 ? got : SOURCE_READ_AGAIN;
}

static void stuck_counters(const void *s, struct source_counters *out)
{
	out->health_intermittent = stuck_reads;
	out->health_permanent = 0;
}

static const struct source_ops stuck_ops = {
	.name = "stuck", .summary = "reads that ignore cancellation", .default_credit = CREDIT_ONE_BIT,
	.enabled_by_default = 1, .options = fake_options, .create = fake_create,
	.set_option = fake_set_option, .get_option = fake_get_option, .probe = fake_probe,
	.open = fake_open, .read = stuck_read, .close = fake_close, .destroy = fake_destroy,
	.counters = stuck_counters,
};

/* Wait until the worker is inside (or committed to) its next read. */
static void wait_read_entered(void)
{
	char c;

	ck_assert_int_eq(read(stuck_entered[0], &c, 1), 1);
}

START_TEST(test_late_worker_is_never_duplicated)
{
	struct pipeline_settings settings = { .retry_delay_s = 1 };
	struct source_stats st;

	ck_assert_int_eq(pipe(stuck_feed), 0);
	ck_assert_int_eq(pipe(stuck_entered), 0);
	data_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	settings.data_fd = data_fd;
	ck_assert_int_eq(pipeline_create(&inst, &stuck_ops, &settings), 0);
	ck_assert_int_eq(pipeline_open(&inst), 0);
	ck_assert(pipeline_idle(&inst));
	ck_assert_int_eq(pipeline_start(&inst), 0);
	ck_assert(!pipeline_idle(&inst));
	wait_read_entered();

	/* Stuck in read(): the stop times out and the worker stays. */
	ck_assert_int_eq(pipeline_stop(&inst, 20), -1);
	ck_assert(!pipeline_idle(&inst));
	errno = 0;
	ck_assert_int_eq(pipeline_start(&inst), -1);
	ck_assert_int_eq(errno, EBUSY);

	/* The read returns: the worker sees the stop and is joined. */
	ck_assert_int_eq(write(stuck_feed[1], "x", 1), 1);
	ck_assert_int_eq(pipeline_stop(&inst, 10000), 0);
	ck_assert(pipeline_idle(&inst));
	/* Idle: the counters come from the source itself: one read. */
	pipeline_stats(&inst, &st);
	ck_assert_uint_eq(st.source.health_intermittent, 1);
	ck_assert_uint_eq(st.bytes_read, 1);

	/* Joined: now, and only now, the source may get a worker again. */
	ck_assert_int_eq(pipeline_open(&inst), 0);
	ck_assert_int_eq(pipeline_start(&inst), 0);
	wait_read_entered();
	/*
	 * Running: the copy the worker made after read 2 returned, not the
	 * source's live count (3, read 3 is under way): the main thread never
	 * asks a source whose worker runs.
	 */
	ck_assert_int_eq(write(stuck_feed[1], "y", 1), 1);
	wait_read_entered();
	pipeline_stats(&inst, &st);
	ck_assert_uint_eq(st.source.health_intermittent, 2);
	pipeline_request_stop(&inst);
	ck_assert_int_eq(write(stuck_feed[1], "z", 1), 1);
	ck_assert_int_eq(pipeline_stop(&inst, 10000), 0);
	pipeline_destroy(&inst);
	close(data_fd);
	close(stuck_feed[0]);
	close(stuck_feed[1]);
	close(stuck_entered[0]);
	close(stuck_entered[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("worker");

	log_init("check_pipeline", LOG_TO_STDERR, LOG_ERR);
	tcase_add_loop_test(tc, test_passing_blocks_are_queued_verbatim, 0, 2);
	tcase_add_loop_test(tc, test_failing_blocks_suspend_and_are_never_queued, 0, 2);
	tcase_add_test(tc, test_worker_opens_at_once_when_asked);
	tcase_add_loop_test(tc, test_full_queue_stops_reading, 0, 2);
	tcase_add_loop_test(tc, test_replayed_block_is_rejected, 0, 2);
	tcase_add_test(tc, test_credit_carries_fractions);
	tcase_add_loop_test(tc, test_backoff_grows_when_reopened_source_fails_at_once, 0, 2);
	tcase_add_test(tc, test_steps_span_blocks);
	tcase_add_test(tc, test_late_worker_is_never_duplicated);
	tcase_add_test(tc, test_depth_follows_demand);
	tcase_add_test(tc, test_on_demand_source_reads_only_while_wanted);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
