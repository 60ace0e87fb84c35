/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "pipeline.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "wipe.h"

int pipeline_create(struct source_instance *inst, const struct source_ops *ops,
		    const struct pipeline_settings *settings)
{
	memset(inst, 0, sizeof(*inst));
	inst->ops = ops;
	inst->credit = ops->default_credit;
	inst->settings = *settings;
	inst->state = ops->create();
	if (!inst->state)
		return -1;
	if (pthread_mutex_init(&inst->lock, NULL) != 0) {
		ops->destroy(inst->state);
		return -1;
	}
	if (pthread_cond_init(&inst->space, NULL) != 0) {
		pthread_mutex_destroy(&inst->lock);
		ops->destroy(inst->state);
		return -1;
	}
	return 0;
}

int pipeline_open(struct source_instance *inst)
{
	inst->why[0] = '\0';
	switch (inst->ops->probe(inst->state, inst->why, sizeof(inst->why))) {
	case SOURCE_USABLE:
		break;
	case SOURCE_IDLE:
	case SOURCE_UNAVAILABLE:
	default:
		return -1;
	}
	if (inst->ops->open(inst->state, inst->why, sizeof(inst->why)) < 0)
		return -1;
	inst->opened = true;
	return 0;
}

void pipeline_describe_failures(unsigned int mask, char *buf, size_t len)
{
	size_t used = 0;
	int test;

	buf[0] = '\0';
	for (test = 0; test < FIPS_TEST_COUNT && used < len; test++) {
		if (!(mask & (1u << test)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", fips_test_name((enum fips_test)test));
	}
}

static bool worker_stopping(struct source_instance *inst)
{
	bool stopping;

	pthread_mutex_lock(&inst->lock);
	stopping = inst->stopping;
	pthread_mutex_unlock(&inst->lock);
	return stopping;
}

/* Sleep up to seconds, or until cancel_fd fires.  true if cancelled. */
static bool worker_sleep(struct source_instance *inst, unsigned int seconds)
{
	struct pollfd pfd = { .fd = inst->settings.cancel_fd, .events = POLLIN };
	int ready;

	do
		ready = poll(&pfd, 1, (int)seconds * 1000);
	while (ready < 0 && errno == EINTR);
	return ready > 0 || worker_stopping(inst);
}

static void worker_set_phase(struct source_instance *inst, enum pipeline_phase phase,
			     const char *why)
{
	pthread_mutex_lock(&inst->lock);
	inst->stats.phase = phase;
	if (why) {
		snprintf(inst->stats.last_error, sizeof(inst->stats.last_error), "%s", why);
		if (phase == PHASE_SUSPENDED)
			inst->stats.suspensions++;
	}
	pthread_mutex_unlock(&inst->lock);
}

static void worker_suspend(struct source_instance *inst, const char *why,
			   unsigned int backoff_s)
{
	if (inst->opened) {
		inst->ops->close(inst->state);
		inst->opened = false;
	}
	log_warnx("source %s suspended: %s; re-probing in %u s", inst->ops->name, why, backoff_s);
	worker_set_phase(inst, PHASE_SUSPENDED, why);
}

/* Put a passing block in the queue, waiting for room.  false when stopping. */
static bool worker_enqueue(struct source_instance *inst, const uint8_t *block)
{
	struct queued_block *slot;
	uint64_t one = 1;
	bool wake;

	pthread_mutex_lock(&inst->lock);
	while (inst->queue_len == PIPELINE_QUEUE_BLOCKS && !inst->stopping)
		pthread_cond_wait(&inst->space, &inst->lock);
	if (inst->stopping) {
		pthread_mutex_unlock(&inst->lock);
		return false;
	}
	slot = &inst->queue[(inst->queue_head + inst->queue_len) % PIPELINE_QUEUE_BLOCKS];
	memcpy(slot->bytes, block, FIPS_BLOCK_BYTES);
	slot->used = 0;
	inst->queue_len++;
	wake = inst->queue_len == (inst->settings.wake_blocks ? inst->settings.wake_blocks : 1);
	inst->stats.blocks_passed++;
	pthread_mutex_unlock(&inst->lock);
	/*
	 * Wake the main loop only when the queue reaches wake_blocks: it takes
	 * blocks until it finds the queue empty before it waits again (and
	 * wakes on a timer in the batching modes), so no block is left unseen,
	 * and a fast source costs a wake-up per batch rather than per block.
	 * The counter only grows; a failed write means it is already non-zero.
	 */
	if (wake && write(inst->settings.data_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("source %s: cannot signal new data", inst->ops->name);
	return true;
}

static void worker_count_failure(struct source_instance *inst, unsigned int mask, bool repeated)
{
	int test;

	pthread_mutex_lock(&inst->lock);
	inst->stats.blocks_failed++;
	if (repeated)
		inst->stats.repeated_blocks++;
	for (test = 0; test < FIPS_TEST_COUNT; test++)
		if (mask & (1u << test))
			inst->stats.fips_failures[test]++;
	pthread_mutex_unlock(&inst->lock);
}

static void worker_count_read(struct source_instance *inst, size_t bytes)
{
	pthread_mutex_lock(&inst->lock);
	inst->stats.bytes_read += bytes;
	pthread_mutex_unlock(&inst->lock);
}

/*
 * Fill buf[*fill..len) from the source.  1 when full, 0 to call again,
 * -1 when the source failed (why is set).
 */
static int worker_fill(struct source_instance *inst, uint8_t *buf, size_t len,
		       size_t *fill, char *why, size_t whylen)
{
	ssize_t got = inst->ops->read(inst->state, buf + *fill, len - *fill,
				      inst->settings.cancel_fd, why, whylen);

	if (got == SOURCE_READ_FAILED)
		return -1;
	if (got <= 0)
		return 0;
	if ((size_t)got > len - *fill)
		got = (ssize_t)(len - *fill);	/* a source must not overrun */
	*fill += (size_t)got;
	worker_count_read(inst, (size_t)got);
	return *fill == len;
}

struct worker_buffers {
	uint8_t prime[FIPS_PRIME_BYTES];
	uint8_t block[FIPS_BLOCK_BYTES];
	uint8_t previous[FIPS_BLOCK_BYTES];	/* last passing block, to catch replays */
	bool have_previous;
};

static void *worker_main(void *arg)
{
	struct source_instance *inst = arg;
	struct worker_buffers buf;
	struct fips_ctx fips;
	char why[SOURCE_MSG_MAX];
	size_t prime_fill = 0, block_fill = 0;
	unsigned int consecutive_failures = 0;
	unsigned int backoff_s = inst->settings.retry_delay_s;
	bool primed = false;
	int r;

	buf.have_previous = false;

	while (!worker_stopping(inst)) {
		if (!inst->opened) {
			if (worker_sleep(inst, backoff_s))
				break;
			pthread_mutex_lock(&inst->lock);
			inst->stats.reprobes++;
			pthread_mutex_unlock(&inst->lock);
			if (pipeline_open(inst) < 0) {
				backoff_s = backoff_s * 2 > PIPELINE_MAX_BACKOFF_S ?
					    PIPELINE_MAX_BACKOFF_S : backoff_s * 2;
				log_warnx("source %s still unusable: %s; re-probing in %u s",
					  inst->ops->name, inst->why, backoff_s);
				worker_set_phase(inst, PHASE_SUSPENDED, inst->why);
				continue;
			}
			log_notice("source %s re-probed and resumed", inst->ops->name);
			primed = false;
			prime_fill = block_fill = 0;
			consecutive_failures = 0;
		}
		worker_set_phase(inst, PHASE_RUNNING, NULL);

		if (!primed) {
			r = worker_fill(inst, buf.prime, sizeof(buf.prime), &prime_fill, why, sizeof(why));
			if (r < 0) {
				worker_suspend(inst, why, backoff_s);
				continue;
			}
			if (r == 0)
				continue;
			fips_init(&fips, buf.prime);
			wipe(buf.prime, sizeof(buf.prime));
			primed = true;
		}

		r = worker_fill(inst, buf.block, sizeof(buf.block), &block_fill, why, sizeof(why));
		if (r < 0) {
			worker_suspend(inst, why, backoff_s);
			continue;
		}
		if (r == 0)
			continue;
		block_fill = 0;

		unsigned int failed = fips_check(&fips, buf.block);
		/* memcmp stops at the first differing byte: free on real data. */
		bool repeated = !failed && buf.have_previous &&
				memcmp(buf.block, buf.previous, sizeof(buf.block)) == 0;
		if (failed || repeated) {
			char tests[128];

			wipe(buf.block, sizeof(buf.block));
			worker_count_failure(inst, failed, repeated);
			consecutive_failures++;
			if (repeated)
				snprintf(tests, sizeof(tests), "a repeat of the block before");
			else
				pipeline_describe_failures(failed, tests, sizeof(tests));
			log_debug("source %s: block failed: %s", inst->ops->name, tests);
			if (consecutive_failures >= PIPELINE_FAIL_LIMIT && !inst->settings.ignore_failures) {
				snprintf(why, sizeof(why), "%u consecutive blocks failed %s (last: %s)",
					 consecutive_failures, repeated ? "the repetition check" : "FIPS 140-2",
					 tests);
				worker_suspend(inst, why, backoff_s);
			}
			continue;
		}
		consecutive_failures = 0;
		/* A passing block shows the source works: the next suspension starts over. */
		backoff_s = inst->settings.retry_delay_s;
		bool queued = worker_enqueue(inst, buf.block);
		memcpy(buf.previous, buf.block, sizeof(buf.previous));
		buf.have_previous = true;
		wipe(buf.block, sizeof(buf.block));
		if (!queued)
			break;
	}
	if (inst->opened) {
		inst->ops->close(inst->state);
		inst->opened = false;
	}
	worker_set_phase(inst, PHASE_STOPPED, NULL);
	wipe(&buf, sizeof(buf));
	wipe(&fips, sizeof(fips));
	return NULL;
}

int pipeline_start(struct source_instance *inst)
{
	pthread_attr_t attr;
	int err;

	if (!inst->queue) {
		inst->queue = malloc(PIPELINE_QUEUE_BLOCKS * sizeof(*inst->queue));
		if (!inst->queue)
			return -1;
	}
	inst->stopping = false;
	/* Small stacks: a worker's deepest frame is a few KB. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PIPELINE_WORKER_STACK);
	err = pthread_create(&inst->thread, &attr, worker_main, inst);
	pthread_attr_destroy(&attr);
	if (err) {
		errno = err;
		return -1;
	}
	inst->thread_started = true;
	return 0;
}

int pipeline_stop(struct source_instance *inst, unsigned int timeout_ms)
{
	struct timespec deadline;

	if (!inst->thread_started)
		return 0;
	pthread_mutex_lock(&inst->lock);
	inst->stopping = true;
	pthread_cond_broadcast(&inst->space);
	pthread_mutex_unlock(&inst->lock);

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(inst->thread, NULL, &deadline) != 0)
		return -1;
	inst->thread_started = false;
	return 0;
}

void pipeline_destroy(struct source_instance *inst)
{
	if (!inst->ops)
		return;
	if (inst->opened)
		inst->ops->close(inst->state);
	inst->ops->destroy(inst->state);
	if (inst->queue) {
		wipe(inst->queue, PIPELINE_QUEUE_BLOCKS * sizeof(*inst->queue));
		free(inst->queue);
		inst->queue = NULL;
	}
	pthread_cond_destroy(&inst->space);
	pthread_mutex_destroy(&inst->lock);
	inst->ops = NULL;
}

size_t pipeline_queued(struct source_instance *inst)
{
	size_t bytes = 0;
	size_t i;

	pthread_mutex_lock(&inst->lock);
	for (i = 0; i < inst->queue_len; i++)
		bytes += FIPS_BLOCK_BYTES -
			 inst->queue[(inst->queue_head + i) % PIPELINE_QUEUE_BLOCKS].used;
	pthread_mutex_unlock(&inst->lock);
	return bytes;
}

size_t pipeline_take(struct source_instance *inst, uint8_t *out, size_t max)
{
	struct queued_block *head;
	size_t n = 0;

	pthread_mutex_lock(&inst->lock);
	if (inst->queue_len > 0) {
		head = &inst->queue[inst->queue_head];
		n = FIPS_BLOCK_BYTES - head->used;
		if (n > max)
			n = max;
		memcpy(out, head->bytes + head->used, n);
		head->used += n;
		if (head->used == FIPS_BLOCK_BYTES) {
			wipe(head->bytes, sizeof(head->bytes));
			head->used = 0;
			inst->queue_head = (inst->queue_head + 1) % PIPELINE_QUEUE_BLOCKS;
			inst->queue_len--;
			/* A full queue's worker resumes only once half is free:
			 * a batch of blocks per wake-up, not one. */
			if (inst->queue_len == PIPELINE_QUEUE_BLOCKS / 2)
				pthread_cond_signal(&inst->space);
		}
	}
	pthread_mutex_unlock(&inst->lock);
	return n;
}

unsigned int pipeline_credit_bits(struct source_instance *inst, size_t bytes)
{
	unsigned long long scaled = (unsigned long long)bytes * inst->credit + inst->credit_remainder;

	inst->credit_remainder = (unsigned int)(scaled % CREDIT_ONE_BIT);
	return (unsigned int)(scaled / CREDIT_ONE_BIT);
}

void pipeline_account(struct source_instance *inst, size_t bytes, unsigned int bits)
{
	pthread_mutex_lock(&inst->lock);
	inst->stats.bytes_used += bytes;
	inst->stats.bits_credited += bits;
	pthread_mutex_unlock(&inst->lock);
}

void pipeline_stats(struct source_instance *inst, struct source_stats *out)
{
	pthread_mutex_lock(&inst->lock);
	*out = inst->stats;
	pthread_mutex_unlock(&inst->lock);
	if (inst->ops->counters)
		inst->ops->counters(inst->state, &out->source);
}
