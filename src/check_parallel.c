/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed set of threads that test one batch at a time.  The batch is cut
 * into chunks of CHUNK_BLOCKS that the threads take in turn under the lock,
 * and the caller's thread takes chunks too while it waits: a thread the
 * scheduler pauses (the machine may be busy) holds up one chunk, not a
 * fixed share of the batch.  A chunk starts from fips_follow() of the block
 * before it, and its verdicts go to their own places in the array, so the
 * order the chunks are tested in changes nothing.
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

/* Blocks a thread takes at a time: about 50 us of work, many per batch. */
#define CHUNK_BLOCKS 16

struct check_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a new batch, or stopping */
	pthread_cond_t done;	/* the batch's last chunk is tested */
	unsigned long generation;
	unsigned int threads;	/* started */
	bool stopping;
	pthread_t *ids;
	/* the batch: */
	struct fips_ctx ctx;	/* the state before its first block */
	const uint8_t *buf;
	unsigned int *verdict;
	size_t blocks;
	size_t next;		/* first block no thread has taken */
	size_t testing;		/* chunks taken and not yet tested */
};

/*
 * Take the next chunk and test it, the lock held on entry and on return.
 * false when no chunk is left.
 */
static bool test_chunk(struct check_pool *pool)
{
	struct fips_ctx ctx;
	size_t start = pool->next, end, i;

	if (start >= pool->blocks)
		return false;
	end = pool->blocks - start > CHUNK_BLOCKS ? start + CHUNK_BLOCKS : pool->blocks;
	pool->next = end;
	pool->testing++;
	ctx = pool->ctx;
	pthread_mutex_unlock(&pool->lock);
	if (start > 0)
		fips_follow(&ctx, pool->buf + (start - 1) * FIPS_BLOCK_BYTES);
	for (i = start; i < end; i++)
		pool->verdict[i] = fips_check(&ctx, pool->buf + i * FIPS_BLOCK_BYTES);
	pthread_mutex_lock(&pool->lock);
	if (--pool->testing == 0 && pool->next >= pool->blocks)
		pthread_cond_broadcast(&pool->done);
	return true;
}

static void *worker(void *arg)
{
	struct check_pool *pool = arg;
	unsigned long seen = 0;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (pool->generation == seen && !pool->stopping)
			pthread_cond_wait(&pool->work, &pool->lock);
		if (pool->stopping)
			break;
		seen = pool->generation;
		while (test_chunk(pool))
			;
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
	if (!pool->ids) {
		snprintf(err, errlen, "cannot set up %u checking threads: %s", threads, strerror(ENOMEM));
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
		r = pthread_create(&pool->ids[pool->threads], &attr, worker, pool);
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
	pthread_mutex_lock(&pool->lock);
	pool->ctx = *ctx;
	pool->buf = buf;
	pool->verdict = verdict;
	pool->blocks = blocks;
	pool->next = 0;
	pool->testing = 0;
	pool->generation++;
	pthread_cond_broadcast(&pool->work);
	pthread_mutex_unlock(&pool->lock);
	if (blocks > 0)
		fips_follow(ctx, buf + (blocks - 1) * FIPS_BLOCK_BYTES);
}

void check_pool_wait(struct check_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	while (test_chunk(pool))	/* help rather than sleep */
		;
	while (pool->testing > 0)
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
