/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FIPS 140-2 tests of a batch of blocks on several threads, for
 * entropy-check -j.  A block's verdict depends only on itself and on the
 * block before it (see fips_follow), so the threads take runs of blocks in
 * any order and the verdicts land in an array in input order: the caller
 * reports them exactly as a single thread would have.
 */
#ifndef ENTROPYD_CHECK_PARALLEL_H
#define ENTROPYD_CHECK_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#include "fips.h"

struct check_pool;

/*
 * Start 'threads' worker threads (1 or more), with every signal blocked so
 * that signals go to the caller's thread.  NULL, with a message in err, if
 * they cannot be started.
 */
struct check_pool *check_pool_start(unsigned int threads, char *err, size_t errlen);

/*
 * Test the 'blocks' blocks of buf in the background: verdict[i] becomes
 * fips_check's result for block i.  *ctx is the state before buf's first
 * block; it is advanced at once to the state after its last one.  buf and
 * verdict must stay untouched until check_pool_wait() returns.  One batch
 * at a time.
 */
void check_pool_submit(struct check_pool *pool, struct fips_ctx *ctx, const uint8_t *buf,
		       size_t blocks, unsigned int *verdict);

/*
 * Wait until the batch submitted last is tested (at once if there is none),
 * testing what no thread has taken yet on the caller's thread meanwhile.
 */
void check_pool_wait(struct check_pool *pool);

/* Stop the threads and free the pool; waits for a batch in flight. */
void check_pool_stop(struct check_pool *pool);

#endif
