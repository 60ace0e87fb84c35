/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed set of threads that test the shares of one batch at a time.  The
 * caller hands over a batch under the lock and bumps a generation number;
 * each thread tests its share and the last one to finish wakes the caller.
 * No thread touches another's share, and the verdict array is only read by
 * the caller after check_pool_wait(), so the lock is all the ordering the
 * data needs.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_parallel.h"

/* A worker needs little more than fips_check's 1 KB histogram. */
#define WORKER_STACK_BYTES ((size_t)64 * 1024)

/* One thread's part of a batch. */
struct share {
	struct check_pool *pool;
	struct fips_ctx ctx;	/* the state before the share's first block */
	const uint8_t *buf;
	size_t blocks;
	unsigned int *verdict;
};

struct check_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a new batch, or stopping */
	pthread_cond_t done;	/* busy fell to 0 */
	unsigned long generation;
	unsigned int threads;	/* started */
	unsigned int busy;	/* threads still testing the current batch */
	bool stopping;
	pthread_t *ids;
	struct share *shares;
};

static void test_share(struct share *s)
{
	size_t i;

	for (i = 0; i < s->blocks; i++)
		s->verdict[i] = fips_check(&s->ctx, s->buf + i * FIPS_BLOCK_BYTES);
}

static void *worker(void *arg)
{
	struct share *s = arg;
	struct check_pool *pool = s->pool;
	unsigned long seen = 0;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (pool->generation == seen && !pool->stopping)
			pthread_cond_wait(&pool->work, &pool->lock);
		if (pool->stopping)
			break;
		seen = pool->generation;
		pthread_mutex_unlock(&pool->lock);
		test_share(s);
		pthread_mutex_lock(&pool->lock);
		if (--pool->busy == 0)
			pthread_cond_signal(&pool->done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* Stop the threads started so far and free everything. */
static void pool_free(struct check_pool *pool)
{
	unsigned int i;

	pthread_mutex_lock(&pool->lock);
	pool->stopping = true;
	pthread_cond_broadcast(&pool->work);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->threads; i++)
		pthread_join(pool->ids[i], NULL);
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->work);
	pthread_mutex_destroy(&pool->lock);
	free(pool->shares);
	free(pool->ids);
	free(pool);
}

struct check_pool *check_pool_start(unsigned int threads, char *err, size_t errlen)
{
	struct check_pool *pool = calloc(1, sizeof(*pool));
	sigset_t all, old;
	pthread_attr_t attr;
	int r = 0;

	if (!pool || threads == 0) {
		snprintf(err, errlen, "cannot set up %u checking threads: %s", threads,
			 pool ? "no threads" : strerror(ENOMEM));
		free(pool);
		return NULL;
	}
	pool->ids = calloc(threads, sizeof(*pool->ids));
	pool->shares = calloc(threads, sizeof(*pool->shares));
	if (!pool->ids || !pool->shares) {
		snprintf(err, errlen, "cannot set up %u checking threads: %s", threads, strerror(ENOMEM));
		free(pool->ids);
		free(pool->shares);
		free(pool);
		return NULL;
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->work, NULL);
	pthread_cond_init(&pool->done, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK_BYTES);
	/* Threads inherit the signal mask: SIGTERM and SIGINT must interrupt
	 * the caller's read(), so the workers take none. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (; pool->threads < threads; pool->threads++) {
		struct share *s = &pool->shares[pool->threads];

		s->pool = pool;
		r = pthread_create(&pool->ids[pool->threads], &attr, worker, s);
		if (r != 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		snprintf(err, errlen, "cannot start checking thread %u of %u: %s", pool->threads + 1,
			 threads, strerror(r));
		pool_free(pool);
		return NULL;
	}
	return pool;
}

void check_pool_submit(struct check_pool *pool, struct fips_ctx *ctx, const uint8_t *buf,
		       size_t blocks, unsigned int *verdict)
{
	size_t start, end;
	unsigned int i;

	pthread_mutex_lock(&pool->lock);
	for (i = 0; i < pool->threads; i++) {
		struct share *s = &pool->shares[i];

		start = blocks * i / pool->threads;
		end = blocks * (i + 1) / pool->threads;
		s->ctx = *ctx;
		if (start > 0)
			fips_follow(&s->ctx, buf + (start - 1) * FIPS_BLOCK_BYTES);
		s->buf = buf + start * FIPS_BLOCK_BYTES;
		s->blocks = end - start;
		s->verdict = verdict + start;
	}
	if (blocks > 0)
		fips_follow(ctx, buf + (blocks - 1) * FIPS_BLOCK_BYTES);
	pool->busy = pool->threads;
	pool->generation++;
	pthread_cond_broadcast(&pool->work);
	pthread_mutex_unlock(&pool->lock);
}

void check_pool_wait(struct check_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	while (pool->busy > 0)
		pthread_cond_wait(&pool->done, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
}

void check_pool_stop(struct check_pool *pool)
{
	if (!pool)
		return;
	check_pool_wait(pool);
	pool_free(pool);
}
