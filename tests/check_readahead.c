/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read-ahead ring with fake sources: the bytes come out in the order
 * read() gave them whatever the sizes of the reads and of the takes; an
 * empty read and a failure reach the taker as read() would have told it,
 * the failure after the bytes read before it, and a slow read at once,
 * not after a batch; stopping interrupts a read that waits; a full ring
 * stops the
 * reading until half of it is taken; a cancelled source is left alone;
 * the source's counters come from the reader's thread.
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
#include <unistd.h>

#include "fixture.h"
#include "readahead.h"

/*
 * The fake plays back data[0..len) in reads of sizes[] in turn (0 in
 * sizes[]: an empty read), then fails when fail_at_end is set, else idles
 * (polls cancel_fd 10 ms) and reads nothing.  endless: every read fills
 * what it is given.  reads counts the calls that gave bytes.
 */
struct fake {
	const uint8_t *data;
	size_t len, pos;
	const size_t *sizes;
	size_t nsizes, turn;
	bool fail_at_end;
	bool endless;
	bool pause;		/* paused_read: take 2 ms over the one chunk */
	pthread_mutex_t count_lock;	/* the test reads the counts while the reader runs */
	unsigned long long reads;
	unsigned long long cancelled_calls;	/* read() called with cancel_fd readable */
};

static void count(struct fake *f, unsigned long long *what)
{
	pthread_mutex_lock(&f->count_lock);
	(*what)++;
	pthread_mutex_unlock(&f->count_lock);
}

static unsigned long long counted(struct fake *f, const unsigned long long *what)
{
	unsigned long long n;

	pthread_mutex_lock(&f->count_lock);
	n = *what;
	pthread_mutex_unlock(&f->count_lock);
	return n;
}

static ssize_t fake_read(void *state, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen)
{
	struct fake *f = state;
	struct pollfd pfd = { .fd = cancel_fd, .events = POLLIN };
	size_t n;

	if (poll(&pfd, 1, 0) > 0)
		count(f, &f->cancelled_calls);
	if (f->endless) {
		memset(buf, 0xa5, len);
		count(f, &f->reads);
		return (ssize_t)len;
	}
	if (f->pos == f->len) {
		if (f->fail_at_end) {
			snprintf(why, whylen, "reading the fake: Input/output error");
			return SOURCE_READ_FAILED;
		}
		poll(&pfd, 1, 10);
		return SOURCE_READ_AGAIN;
	}
	n = f->nsizes ? f->sizes[f->turn++ % f->nsizes] : len;
	if (n == 0)
		return SOURCE_READ_AGAIN;
	if (n > len)
		n = len;
	if (n > f->len - f->pos)
		n = f->len - f->pos;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	count(f, &f->reads);
	return (ssize_t)n;
}

static void fake_counters(const void *state, struct source_counters *out)
{
	struct fake *f = (struct fake *)state;

	out->health_intermittent = counted(f, &f->reads);
	out->health_permanent = 7;
}

static const struct source_option no_options[] = { { NULL, NULL, NULL } };

static const struct source_ops fake_ops = {
	.name = "fake", .summary = "plays back a buffer", .default_credit = 8 * CREDIT_ONE_BIT,
	.read_ahead = true, .options = no_options, .read = fake_read, .counters = fake_counters,
};

static const struct source_ops plain_ops = {
	.name = "plain", .summary = "no counters", .default_credit = 8 * CREDIT_ONE_BIT,
	.read_ahead = true, .options = no_options, .read = fake_read,
};

static void fill_seeded(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1664525u + 1013904223u;	/* an LCG: deterministic, varied */
		buf[i] = (uint8_t)(x >> 24);
	}
}

/* Until the fake has given n reads, 10 s at most (a hang, not a timing test). */
static bool wait_reads(struct fake *f, unsigned long long n)
{
	int i;

	for (i = 0; i < 1000 && counted(f, &f->reads) != n; i++)
		usleep(10000);
	return counted(f, &f->reads) == n;
}

static void fake_init(struct fake *f)
{
	pthread_mutex_init(&f->count_lock, NULL);
}

static int cancel_fd;
static char why[SOURCE_MSG_MAX], err[256];

static bool readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

static void setup(void)
{
	cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ck_assert_int_ge(cancel_fd, 0);
	why[0] = '\0';
}

static void teardown(void)
{
	close(cancel_fd);
}

START_TEST(test_bytes_come_out_in_order)
{
	/* short reads, a whole chunk, an empty read, odd sizes */
	static const size_t sizes[] = { 1, 4, READAHEAD_CHUNK_BYTES, 0, 333, 2499, 17 };
	static const size_t takes[] = { 4, 2500, 7, 999, 1 };
	size_t len = 30 * READAHEAD_CHUNK_BYTES + 123, got = 0, t = 0;
	uint8_t *data = malloc(len), *out = malloc(len);
	struct fake f = { .data = data, .len = len, .sizes = sizes, .nsizes = 7 };
	struct readahead ra;
	ssize_t n;

	fake_init(&f);
	fill_seeded(data, len, 12345);
	ck_assert_int_eq(readahead_start(&ra, &fake_ops, &f, cancel_fd, err, sizeof(err)), 0);
	while (got < len) {
		n = readahead_read(&ra, out + got, takes[t++ % 5], why, sizeof(why));
		ck_assert_int_ne(n, SOURCE_READ_FAILED);
		if (n > 0)
			got += (size_t)n;
	}
	ck_assert_uint_eq(got, len);
	ck_assert_int_eq(memcmp(out, data, len), 0);
	/* played out: nothing more, said as read() says it */
	ck_assert_int_eq(readahead_read(&ra, out, 10, why, sizeof(why)), SOURCE_READ_AGAIN);
	readahead_stop(&ra);
	free(data);
	free(out);
}
END_TEST

START_TEST(test_failure_comes_after_the_bytes_before_it)
{
	size_t len = 3 * READAHEAD_CHUNK_BYTES + 10, got = 0;
	uint8_t *data = malloc(len), *out = malloc(len);
	struct fake f = { .data = data, .len = len, .fail_at_end = true };
	struct readahead ra;
	ssize_t n;

	fake_init(&f);
	fill_seeded(data, len, 99);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	while ((n = readahead_read(&ra, out + got, len - got, why, sizeof(why))) > 0)
		got += (size_t)n;
	ck_assert_uint_eq(got, len);
	ck_assert_int_eq(memcmp(out, data, len), 0);
	ck_assert_int_eq(n, SOURCE_READ_FAILED);
	ck_assert_str_eq(why, "reading the fake: Input/output error");
	/* it stays failed */
	ck_assert_int_eq(readahead_read(&ra, out, 1, why, sizeof(why)), SOURCE_READ_FAILED);
	readahead_stop(&ra);
	free(data);
	free(out);
}
END_TEST

/* A source that reads nothing wakes the taker: it must not wait for a batch. */
START_TEST(test_empty_read_is_told)
{
	static const size_t sizes[] = { 0 };
	static const uint8_t data[10];
	struct fake f = { .data = data, .len = sizeof(data), .sizes = sizes, .nsizes = 1 };
	struct readahead ra;
	uint8_t b[10];

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	ck_assert_int_eq(readahead_read(&ra, b, sizeof(b), why, sizeof(why)), SOURCE_READ_AGAIN);
	readahead_stop(&ra);
}
END_TEST

/*
 * A source whose chunks come and then stop for a while: the chunks after
 * the start (the first block), then one more (taking 2 ms over it with
 * pause: a pipe whose writer pauses), then nothing until cancelled.
 */
static ssize_t paused_read(void *state, uint8_t *buf, size_t len, int cancel, char *msg, size_t msglen)
{
	struct fake *f = state;
	struct pollfd pfd = { .fd = cancel, .events = POLLIN };
	unsigned long long n = counted(f, &f->reads);

	(void)msg;
	(void)msglen;
	if (n <= READAHEAD_FIRST_CHUNKS) {
		if (f->pause && n == READAHEAD_FIRST_CHUNKS)
			usleep(2 * READAHEAD_SLOW_READ_US);
		memset(buf, (int)(0x50 + n), len);
		count(f, &f->reads);
		return (ssize_t)len;
	}
	poll(&pfd, 1, -1);
	return SOURCE_READ_AGAIN;
}

static const struct source_ops paused_ops = {
	.name = "paused", .summary = "one slow chunk", .default_credit = 8 * CREDIT_ONE_BIT,
	.read_ahead = true, .options = no_options, .read = paused_read,
};

/* Without the pause, the start's chunks are told at once, not after a batch. */
START_TEST(test_first_chunks_are_told_at_once)
{
	struct fake f = { .len = 0 };
	struct readahead ra;
	uint8_t b[READAHEAD_CHUNK_BYTES];
	unsigned int i;

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &paused_ops, &f, cancel_fd, err, sizeof(err)), 0);
	for (i = 0; i < READAHEAD_FIRST_CHUNKS; i++) {
		ck_assert_int_eq(readahead_read(&ra, b, sizeof(b), why, sizeof(why)), (ssize_t)sizeof(b));
		ck_assert_uint_eq(b[0], 0x50 + i);
	}
	readahead_stop(&ra);
}
END_TEST

/* With it, the slow chunk after them is told at once too. */
START_TEST(test_slow_read_is_told_at_once)
{
	struct fake f = { .len = 0, .pause = true };
	struct readahead ra;
	uint8_t b[READAHEAD_CHUNK_BYTES];

	unsigned int i;

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &paused_ops, &f, cancel_fd, err, sizeof(err)), 0);
	for (i = 0; i <= READAHEAD_FIRST_CHUNKS; i++) {
		ck_assert_int_eq(readahead_read(&ra, b, sizeof(b), why, sizeof(why)), (ssize_t)sizeof(b));
		ck_assert_uint_eq(b[0], 0x50 + i);
	}
	/* The reader now waits in read() for cancel_fd: stopping writes it. */
	readahead_stop(&ra);
	ck_assert(!readable(cancel_fd));	/* cleared for the next reader */
}
END_TEST

START_TEST(test_full_ring_stops_reading_until_half_is_taken)
{
	struct fake f = { .endless = true };
	struct readahead ra;
	uint8_t chunk[READAHEAD_CHUNK_BYTES];
	int i;

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	ck_assert(wait_reads(&f, READAHEAD_CHUNKS));
	usleep(100000);	/* a runaway reader would show itself here */
	ck_assert_uint_eq(counted(&f, &f.reads), READAHEAD_CHUNKS);
	/* Taking less than half lets no read in: one wake-up per batch. */
	for (i = 0; i < READAHEAD_BATCH - 1; i++)
		ck_assert_int_eq(readahead_read(&ra, chunk, sizeof(chunk), why, sizeof(why)),
				 (ssize_t)sizeof(chunk));
	usleep(100000);
	ck_assert_uint_eq(counted(&f, &f.reads), READAHEAD_CHUNKS);
	/* The batch-th chunk taken: the reader fills the ring again. */
	ck_assert_int_eq(readahead_read(&ra, chunk, sizeof(chunk), why, sizeof(why)),
			 (ssize_t)sizeof(chunk));
	ck_assert(wait_reads(&f, READAHEAD_CHUNKS + READAHEAD_BATCH));
	readahead_stop(&ra);
}
END_TEST

START_TEST(test_cancelled_source_is_left_alone)
{
	static const uint64_t one = 1;
	struct fake f = { .len = 0 };	/* nothing to give: idles on cancel_fd */
	struct readahead ra;
	uint8_t b[16];
	bool ended = false;
	int i;

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	ck_assert_int_eq(write(cancel_fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	/* The taker hears "nothing" (and would look at its own stop flag). */
	ck_assert_int_eq(readahead_read(&ra, b, sizeof(b), why, sizeof(why)), SOURCE_READ_AGAIN);
	/* The reader ends instead of calling a cancelled read() in a loop. */
	for (i = 0; i < 1000 && !ended; i++) {
		pthread_mutex_lock(&ra.lock);
		ended = ra.ended;
		pthread_mutex_unlock(&ra.lock);
		if (!ended)
			usleep(10000);
	}
	ck_assert(ended);
	usleep(50000);	/* a reader still calling would count more */
	ck_assert_uint_le(counted(&f, &f.cancelled_calls), 1);
	ck_assert_int_eq(readahead_read(&ra, b, sizeof(b), why, sizeof(why)), SOURCE_READ_AGAIN);
	readahead_stop(&ra);
}
END_TEST

START_TEST(test_counters_come_from_the_reader)
{
	size_t len = 5 * READAHEAD_CHUNK_BYTES, got = 0;
	uint8_t *data = calloc(1, len), *out = malloc(len);
	struct fake f = { .data = data, .len = len }, idle = { .len = 0 };
	struct source_counters c;
	struct readahead ra;
	ssize_t n;

	fake_init(&f);
	fake_init(&idle);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &idle, cancel_fd, err, sizeof(err)), 0);
	ck_assert(!readahead_counters(&ra, &c));	/* the source keeps none */
	readahead_stop(&ra);

	ck_assert_int_eq(readahead_start(&ra, &fake_ops, &f, cancel_fd, err, sizeof(err)), 0);
	while (got < len && (n = readahead_read(&ra, out + got, len - got, why, sizeof(why))) >= 0)
		got += (size_t)n;
	ck_assert_uint_eq(got, len);
	ck_assert(readahead_counters(&ra, &c));
	ck_assert_uint_eq(c.health_intermittent, 5);	/* one read per chunk */
	ck_assert_uint_eq(c.health_permanent, 7);
	readahead_stop(&ra);
	free(data);
	free(out);
}
END_TEST

START_TEST(test_stop_with_a_full_ring_and_again)
{
	struct fake f = { .endless = true };
	struct readahead ra;

	fake_init(&f);
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	ck_assert(wait_reads(&f, READAHEAD_CHUNKS));
	readahead_stop(&ra);	/* the reader waits for room: stop wakes it */
	ck_assert_ptr_eq(ra.ring, NULL);
	readahead_stop(&ra);	/* stopped: nothing to do */
	/* a second reader on the same source, as after a re-probe */
	ck_assert_int_eq(readahead_start(&ra, &plain_ops, &f, cancel_fd, err, sizeof(err)), 0);
	ck_assert(wait_reads(&f, 2 * READAHEAD_CHUNKS));
	readahead_stop(&ra);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("readahead");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bytes_come_out_in_order);
	tcase_add_test(tc, test_failure_comes_after_the_bytes_before_it);
	tcase_add_test(tc, test_empty_read_is_told);
	tcase_add_test(tc, test_first_chunks_are_told_at_once);
	tcase_add_test(tc, test_slow_read_is_told_at_once);
	tcase_add_test(tc, test_full_ring_stops_reading_until_half_is_taken);
	tcase_add_test(tc, test_cancelled_source_is_left_alone);
	tcase_add_test(tc, test_counters_come_from_the_reader);
	tcase_add_test(tc, test_stop_with_a_full_ring_and_again);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
