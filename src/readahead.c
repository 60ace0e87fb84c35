/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "readahead.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "wakefd.h"
#include "wipe.h"

/* The lock held: wake the worker if it waits. */
static void tell_worker(struct readahead *ra)
{
	if (ra->worker_waiting)
		pthread_cond_signal(&ra->ready);
}

static void *reader_main(void *arg)
{
	struct readahead *ra = arg;
	struct readahead_chunk *chunk;
	struct source_counters counters;
	char why[SOURCE_MSG_MAX];
	char name[16];
	uint64_t started_us;
	bool slow;
	ssize_t got;

	/* "ahead-rdrand" beside "src-rdrand" in ps -L and top -H */
	snprintf(name, sizeof(name), "ahead-%s", ra->ops->name);
	prctl(PR_SET_NAME, name, 0L, 0L, 0L);
	memset(&counters, 0, sizeof(counters));
	pthread_mutex_lock(&ra->lock);
	for (;;) {
		while (ra->len == READAHEAD_CHUNKS && !ra->stop) {
			ra->reader_waiting = true;
			pthread_cond_wait(&ra->room, &ra->lock);
			ra->reader_waiting = false;
		}
		if (ra->stop)
			break;
		/* The chunk after the last one read: the worker takes none
		 * beyond ra->len, so it is the reader's until counted in. */
		chunk = &ra->ring[(ra->head + ra->len) % READAHEAD_CHUNKS];
		pthread_mutex_unlock(&ra->lock);

		why[0] = '\0';
		started_us = clock_monotonic_us();
		got = ra->ops->read(ra->state, chunk->bytes, sizeof(chunk->bytes), ra->cancel_fd,
				    why, sizeof(why));
		slow = clock_monotonic_us() - started_us >= READAHEAD_SLOW_READ_US;
		if (ra->ops->counters)
			ra->ops->counters(ra->state, &counters);

		pthread_mutex_lock(&ra->lock);
		if (ra->ops->counters) {
			ra->counters = counters;
			ra->have_counters = true;
		}
		if (got > 0) {
			chunk->len = (size_t)got > sizeof(chunk->bytes) ? sizeof(chunk->bytes) : (size_t)got;
			chunk->used = 0;
			ra->len++;
			/* A batch, the first block, or a source slower than its reads. */
			if (ra->len >= READAHEAD_BATCH || ra->first_chunks < READAHEAD_FIRST_CHUNKS ||
			    chunk->len < sizeof(chunk->bytes) || slow)
				tell_worker(ra);
			if (ra->first_chunks < READAHEAD_FIRST_CHUNKS)
				ra->first_chunks++;
			continue;
		}
		if (got == SOURCE_READ_FAILED) {
			ra->failed = true;
			snprintf(ra->why, sizeof(ra->why), "%s", why[0] ? why : "read failed");
			break;
		}
		/* Nothing now: the worker hears of it as read() would have told
		 * it.  A cancelled source returns at once: stop calling it. */
		ra->empty_read = true;
		tell_worker(ra);
		if (wakefd_readable(ra->cancel_fd))
			break;
	}
	ra->ended = true;
	tell_worker(ra);
	pthread_mutex_unlock(&ra->lock);
	wipe(&counters, sizeof(counters));
	return NULL;
}

int readahead_start(struct readahead *ra, const struct source_ops *ops, void *state,
		    int cancel_fd, char *err, size_t errlen)
{
	pthread_attr_t attr;
	int r;

	memset(ra, 0, sizeof(*ra));
	ra->ops = ops;
	ra->state = state;
	ra->cancel_fd = cancel_fd;
	ra->ring = calloc(READAHEAD_CHUNKS, sizeof(*ra->ring));
	if (!ra->ring) {
		snprintf(err, errlen, "no memory to read ahead: %s", strerror(ENOMEM));
		return -1;
	}
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->ready, NULL);
	pthread_cond_init(&ra->room, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, READAHEAD_STACK);
	r = pthread_create(&ra->thread, &attr, reader_main, ra);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		snprintf(err, errlen, "cannot start a thread to read ahead: %s", strerror(r));
		pthread_cond_destroy(&ra->room);
		pthread_cond_destroy(&ra->ready);
		pthread_mutex_destroy(&ra->lock);
		free(ra->ring);
		ra->ring = NULL;
		return -1;
	}
	return 0;
}

/* Copy up to len bytes from the ring, the lock held; the count. */
static size_t take_chunks(struct readahead *ra, uint8_t *buf, size_t len)
{
	struct readahead_chunk *chunk;
	size_t n = 0, part;

	while (n < len && ra->len > 0) {
		chunk = &ra->ring[ra->head];
		part = chunk->len - chunk->used;
		if (part > len - n)
			part = len - n;
		memcpy(buf + n, chunk->bytes + chunk->used, part);
		chunk->used += part;
		n += part;
		if (chunk->used == chunk->len) {
			wipe(chunk->bytes, chunk->len);
			ra->head = (ra->head + 1) % READAHEAD_CHUNKS;
			ra->len--;
			/* Half empty: a batch of reads per wake-up of the reader. */
			if (ra->reader_waiting && ra->len <= READAHEAD_CHUNKS - READAHEAD_BATCH)
				pthread_cond_signal(&ra->room);
		}
	}
	return n;
}

ssize_t readahead_read(struct readahead *ra, uint8_t *buf, size_t len, char *why, size_t whylen)
{
	ssize_t result;
	size_t n;

	pthread_mutex_lock(&ra->lock);
	while (ra->len == 0 && !ra->empty_read && !ra->ended) {
		ra->worker_waiting = true;
		pthread_cond_wait(&ra->ready, &ra->lock);
		ra->worker_waiting = false;
	}
	n = take_chunks(ra, buf, len);
	if (n > 0) {
		result = (ssize_t)n;
	} else if (ra->empty_read) {
		ra->empty_read = false;
		result = SOURCE_READ_AGAIN;
	} else if (ra->failed) {
		snprintf(why, whylen, "%s", ra->why);
		result = SOURCE_READ_FAILED;
	} else {
		result = SOURCE_READ_AGAIN;	/* cancelled: the worker is stopping */
	}
	pthread_mutex_unlock(&ra->lock);
	return result;
}

bool readahead_counters(struct readahead *ra, struct source_counters *out)
{
	bool have;

	pthread_mutex_lock(&ra->lock);
	have = ra->have_counters;
	if (have)
		*out = ra->counters;
	pthread_mutex_unlock(&ra->lock);
	return have;
}

void readahead_stop(struct readahead *ra)
{
	if (!ra->ring)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_signal(&ra->room);
	pthread_mutex_unlock(&ra->lock);
	if (wakefd_signal(ra->cancel_fd) < 0)
		log_warn("source %s: cannot interrupt the reader", ra->ops->name);
	pthread_join(ra->thread, NULL);
	/* The next reader starts uncancelled. */
	wakefd_drain(ra->cancel_fd);
	wipe(ra->ring, READAHEAD_CHUNKS * sizeof(*ra->ring));
	free(ra->ring);
	ra->ring = NULL;
	pthread_cond_destroy(&ra->room);
	pthread_cond_destroy(&ra->ready);
	pthread_mutex_destroy(&ra->lock);
}
