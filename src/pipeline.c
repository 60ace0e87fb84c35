/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "pipeline.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "credit.h"
#include "log.h"
#include "readahead.h"
#include "wakefd.h"
#include "wipe.h"

int pipeline_create(struct source_instance *inst, const struct source_ops *ops,
		    const struct pipeline_settings *settings)
{
	memset(inst, 0, sizeof(*inst));
	inst->ops = ops;
	inst->credit = inst->stats.credit = ops->default_credit;
	inst->settings = *settings;
	inst->worker = WORKER_STOPPED;
	/* Its own: stopping one worker never wakes (or is undone for) another. */
	inst->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (inst->cancel_fd < 0)
		return -1;
	inst->ahead_cancel_fd = -1;
	if (ops->read_ahead) {
		inst->ahead_cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (inst->ahead_cancel_fd < 0)
			goto fail_state;
	}
	inst->state = ops->create();
	if (!inst->state)
		goto fail_state;
	if (pthread_mutex_init(&inst->lock, NULL) != 0)
		goto fail_lock;
	if (pthread_cond_init(&inst->space, NULL) != 0) {
		pthread_mutex_destroy(&inst->lock);
		goto fail_lock;
	}
	return 0;
fail_lock:
	ops->destroy(inst->state);
fail_state:
	if (inst->ahead_cancel_fd >= 0)
		close(inst->ahead_cancel_fd);
	close(inst->cancel_fd);
	inst->ops = NULL;
	return -1;
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
	pipeline_update_credit(inst);
	return 0;
}

void pipeline_log_opened(struct source_instance *inst)
{
	log_info("source %s: open, credit %g bits per byte", inst->ops->name,
		 (double)pipeline_credit(inst) / CREDIT_ONE_BIT);
}

void pipeline_update_credit(struct source_instance *inst)
{
	unsigned int credit = credit_in_force(credit_bound(inst->ops, inst->state), inst->credit_limit);

	pthread_mutex_lock(&inst->lock);
	inst->credit = inst->stats.credit = credit;
	pthread_mutex_unlock(&inst->lock);
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
	stopping = inst->worker == WORKER_STOPPING;
	pthread_mutex_unlock(&inst->lock);
	return stopping;
}

/* Sleep up to seconds, or until cancel_fd fires.  true if cancelled. */
static bool worker_sleep(struct source_instance *inst, unsigned int seconds)
{
	struct pollfd pfd = { .fd = inst->cancel_fd, .events = POLLIN };
	int ready;

	do
		ready = poll(&pfd, 1, (int)seconds * 1000);
	while (ready < 0 && errno == EINTR);
	return ready > 0 || worker_stopping(inst);
}

/* Make data_fd readable. */
static void worker_wake(struct source_instance *inst)
{
	if (wakefd_signal(inst->settings.data_fd) < 0)
		log_warn("source %s: cannot signal the main loop", inst->ops->name);
}

/*
 * The wait before the next re-probe.  It starts at the retry delay, doubles
 * (up to PIPELINE_MAX_BACKOFF_S) whenever a re-probe fails or a re-opened
 * source fails again before its first passing block, and starts over after
 * a passing block: a source that opens but never works (a /dev/hwrng with
 * no RNG behind it) is retried ever more rarely, not every 10 s for ever.
 */
struct worker_backoff {
	unsigned int wait_s;
	bool resumed;		/* re-opened, no passing block since */
};

static void backoff_grow(struct worker_backoff *b)
{
	b->wait_s = b->wait_s * 2 > PIPELINE_MAX_BACKOFF_S ? PIPELINE_MAX_BACKOFF_S : b->wait_s * 2;
}

static void worker_set_phase(struct source_instance *inst, enum pipeline_phase phase,
			     const char *why, unsigned int wait_s)
{
	pthread_mutex_lock(&inst->lock);
	inst->stats.phase = phase;
	inst->stats.backoff_s = phase == PHASE_SUSPENDED ? wait_s : 0;
	if (why) {
		snprintf(inst->stats.last_error, sizeof(inst->stats.last_error), "%s", why);
		if (phase == PHASE_SUSPENDED)
			inst->stats.suspensions++;
	}
	pthread_mutex_unlock(&inst->lock);
	/* Wake the main loop: --once gives up when every source is suspended. */
	if (phase == PHASE_SUSPENDED)
		worker_wake(inst);
}

/*
 * The worker's reader (source.h's read_ahead): started once the source is
 * open, stopped before it is closed, since it owns the source's state.
 */
struct worker_reader {
	struct readahead ahead;
	bool running;
	bool unavailable;	/* could not start: the worker reads itself */
};

static void worker_reader_start(struct source_instance *inst, struct worker_reader *reader)
{
	char err[SOURCE_MSG_MAX];

	if (!inst->ops->read_ahead || reader->running || reader->unavailable)
		return;
	if (readahead_start(&reader->ahead, inst->ops, inst->state, inst->ahead_cancel_fd,
			    err, sizeof(err)) < 0) {
		log_warnx("source %s: %s; reading and testing in turn", inst->ops->name, err);
		reader->unavailable = true;
		return;
	}
	reader->running = true;
}

static void worker_reader_stop(struct worker_reader *reader)
{
	if (!reader->running)
		return;
	readahead_stop(&reader->ahead);
	reader->running = false;
}

static void worker_suspend(struct source_instance *inst, const char *why,
			   struct worker_backoff *backoff, struct worker_reader *reader)
{
	worker_reader_stop(reader);
	if (inst->opened) {
		inst->ops->close(inst->state);
		inst->opened = false;
	}
	if (backoff->resumed)
		backoff_grow(backoff);
	log_warnx("source %s suspended: %s; re-probing in %u s", inst->ops->name, why, backoff->wait_s);
	worker_set_phase(inst, PHASE_SUSPENDED, why, backoff->wait_s);
}

unsigned int pipeline_depth(const struct source_ops *ops, bool wanted)
{
	if (!ops->on_demand)
		return PIPELINE_QUEUE_BLOCKS;
	return wanted ? PIPELINE_WANTED_DEPTH_ON_DEMAND : PIPELINE_IDLE_DEPTH_ON_DEMAND;
}

bool pipeline_resume(unsigned int depth, size_t queue_len)
{
	if (depth >= PIPELINE_QUEUE_BLOCKS)
		return queue_len == PIPELINE_QUEUE_BLOCKS / 2;
	return queue_len + 1 == depth;
}

void pipeline_demand(struct source_instance *inst, bool wanted)
{
	if (wanted == inst->demand_told)
		return;
	inst->demand_told = wanted;
	pthread_mutex_lock(&inst->lock);
	inst->depth = pipeline_depth(inst->ops, wanted);
	if (inst->queue_len < inst->depth)
		pthread_cond_signal(&inst->space);
	pthread_mutex_unlock(&inst->lock);
}

/*
 * Before reading a new block, sleep while the queue is at its depth: a
 * block read only to wait in the queue is the CPU an on-demand source must
 * not spend.  false when stopping.
 */
static bool worker_wait_room(struct source_instance *inst)
{
	bool go;

	pthread_mutex_lock(&inst->lock);
	while (inst->queue_len >= inst->depth && inst->worker != WORKER_STOPPING)
		pthread_cond_wait(&inst->space, &inst->lock);
	go = inst->worker != WORKER_STOPPING;
	pthread_mutex_unlock(&inst->lock);
	return go;
}

/*
 * Put a passing block in the queue, waiting for room.  false when stopping.
 * The depth may have dropped while the block was read: it is queued all
 * the same (it is paid for), as the queue has room for it.
 */
static bool worker_enqueue(struct source_instance *inst, const uint8_t *block)
{
	struct queued_block *slot;
	unsigned int wake_at;
	bool wake;

	pthread_mutex_lock(&inst->lock);
	while (inst->queue_len == PIPELINE_QUEUE_BLOCKS && inst->worker != WORKER_STOPPING)
		pthread_cond_wait(&inst->space, &inst->lock);
	if (inst->worker == WORKER_STOPPING) {
		pthread_mutex_unlock(&inst->lock);
		return false;
	}
	slot = &inst->queue[(inst->queue_head + inst->queue_len) % PIPELINE_QUEUE_BLOCKS];
	memcpy(slot->bytes, block, FIPS_BLOCK_BYTES);
	slot->used = 0;
	inst->queue_len++;
	wake_at = inst->settings.wake_blocks ? inst->settings.wake_blocks : 1;
	/* A queue kept shallower than the batch must still wake the loop. */
	if (wake_at > inst->depth)
		wake_at = inst->depth;
	wake = inst->queue_len == wake_at;
	inst->stats.blocks_passed++;
	pthread_mutex_unlock(&inst->lock);
	/*
	 * Wake the main loop only when the queue reaches wake_blocks: it takes
	 * blocks until it finds the queue empty before it waits again (and
	 * wakes on a timer in the batching modes), so no block is left unseen,
	 * and a fast source costs a wake-up per batch rather than per block.
	 */
	if (wake)
		worker_wake(inst);
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

/*
 * Count bytes read and copy the source's own counters: the worker owns the
 * source's state while it runs, so only it may ask the source for them.
 */
static void worker_count_read(struct source_instance *inst, struct worker_reader *reader,
			      size_t bytes)
{
	struct source_counters counters = { 0, 0 };
	bool have = false;

	/* A reader owns the state while it runs: it keeps the copy. */
	if (inst->ops->counters && reader->running)
		have = readahead_counters(&reader->ahead, &counters);
	else if (inst->ops->counters) {
		inst->ops->counters(inst->state, &counters);
		have = true;
	}
	pthread_mutex_lock(&inst->lock);
	inst->stats.bytes_read += bytes;
	if (have)
		inst->stats.source = counters;
	pthread_mutex_unlock(&inst->lock);
}

/*
 * Fill buf[*fill..len) from the source.  1 when full, 0 to call again,
 * -1 when the source failed (why is set).
 */
static int worker_fill(struct source_instance *inst, struct worker_reader *reader,
		       uint8_t *buf, size_t len, size_t *fill, char *why, size_t whylen)
{
	ssize_t got;

	if (reader->running)
		got = readahead_read(&reader->ahead, buf + *fill, len - *fill, why, whylen);
	else
		got = inst->ops->read(inst->state, buf + *fill, len - *fill,
				      inst->cancel_fd, why, whylen);
	if (got == SOURCE_READ_FAILED || got <= 0)
		worker_count_read(inst, reader, 0);	/* a health alarm may have discarded samples */
	if (got == SOURCE_READ_FAILED)
		return -1;
	if (got <= 0)
		return 0;
	if ((size_t)got > len - *fill)
		got = (ssize_t)(len - *fill);	/* a source must not overrun */
	*fill += (size_t)got;
	worker_count_read(inst, reader, (size_t)got);
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
	struct worker_backoff backoff = { inst->settings.retry_delay_s, false };
	struct worker_reader reader;
	bool primed = false;
	char name[16];
	int r;

	/* "src-hwrng": ps -L, top -H and /proc/PID/task tell the workers apart. */
	snprintf(name, sizeof(name), "src-%s", inst->ops->name);
	prctl(PR_SET_NAME, name, 0L, 0L, 0L);
	buf.have_previous = false;
	memset(&reader, 0, sizeof(reader));
	/* A slow start-up test, left to this thread by the main one: now, not after a back-off. */
	if (!inst->opened && inst->open_in_worker) {
		inst->open_in_worker = false;
		if (pipeline_open(inst) == 0) {
			pipeline_log_opened(inst);
		} else {
			log_warnx("source %s not used now: %s; re-probing in %u s", inst->ops->name,
				  inst->why, backoff.wait_s);
			worker_set_phase(inst, PHASE_SUSPENDED, inst->why, backoff.wait_s);
		}
	}

	while (!worker_stopping(inst)) {
		if (!inst->opened) {
			if (worker_sleep(inst, backoff.wait_s))
				break;
			pthread_mutex_lock(&inst->lock);
			inst->stats.reprobes++;
			pthread_mutex_unlock(&inst->lock);
			if (pipeline_open(inst) < 0) {
				backoff_grow(&backoff);
				log_warnx("source %s still unusable: %s; re-probing in %u s",
					  inst->ops->name, inst->why, backoff.wait_s);
				worker_set_phase(inst, PHASE_SUSPENDED, inst->why, backoff.wait_s);
				continue;
			}
			backoff.resumed = true;
			log_notice("source %s re-probed and resumed", inst->ops->name);
			primed = false;
			prime_fill = block_fill = 0;
			consecutive_failures = 0;
		}
		worker_set_phase(inst, PHASE_RUNNING, NULL, 0);
		worker_reader_start(inst, &reader);

		if (!primed) {
			r = worker_fill(inst, &reader, buf.prime, sizeof(buf.prime), &prime_fill, why, sizeof(why));
			if (r < 0) {
				worker_suspend(inst, why, &backoff, &reader);
				continue;
			}
			if (r == 0)
				continue;
			fips_init(&fips, buf.prime);
			wipe(buf.prime, sizeof(buf.prime));
			primed = true;
		}

		if (block_fill == 0 && !worker_wait_room(inst))
			break;
		r = worker_fill(inst, &reader, buf.block, sizeof(buf.block), &block_fill, why, sizeof(why));
		if (r < 0) {
			worker_suspend(inst, why, &backoff, &reader);
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
				worker_suspend(inst, why, &backoff, &reader);
			}
			continue;
		}
		consecutive_failures = 0;
		/* A passing block shows the source works: the next suspension starts over. */
		backoff = (struct worker_backoff){ inst->settings.retry_delay_s, false };
		bool queued = worker_enqueue(inst, buf.block);
		memcpy(buf.previous, buf.block, sizeof(buf.previous));
		buf.have_previous = true;
		wipe(buf.block, sizeof(buf.block));
		if (!queued)
			break;
	}
	worker_reader_stop(&reader);
	if (inst->opened) {
		inst->ops->close(inst->state);
		inst->opened = false;
	}
	worker_set_phase(inst, PHASE_STOPPED, NULL, 0);
	wipe(&buf, sizeof(buf));
	wipe(&fips, sizeof(fips));
	return NULL;
}

/* Only the main thread moves the state; the lock lets the worker read it. */
static void pipeline_set_worker(struct source_instance *inst, enum pipeline_worker state)
{
	pthread_mutex_lock(&inst->lock);
	inst->worker = state;
	if (state == WORKER_STOPPING)
		pthread_cond_broadcast(&inst->space);
	pthread_mutex_unlock(&inst->lock);
}

bool pipeline_idle(struct source_instance *inst)
{
	enum pipeline_worker state;

	pthread_mutex_lock(&inst->lock);
	state = inst->worker;
	pthread_mutex_unlock(&inst->lock);
	return state == WORKER_STOPPED || state == WORKER_JOINED;
}

int pipeline_start(struct source_instance *inst)
{
	enum pipeline_worker before;
	pthread_attr_t attr;
	int err;

	if (!inst->queue) {
		inst->queue = malloc(PIPELINE_QUEUE_BLOCKS * sizeof(*inst->queue));
		if (!inst->queue)
			return -1;
	}
	pthread_mutex_lock(&inst->lock);
	before = inst->worker;
	if (before == WORKER_STOPPED || before == WORKER_JOINED)
		inst->worker = WORKER_STARTING;
	pthread_mutex_unlock(&inst->lock);
	if (before != WORKER_STOPPED && before != WORKER_JOINED) {
		errno = EBUSY;		/* never two workers on one source */
		return -1;
	}
	/* No worker exists: the last stop's cancellation can be cleared. */
	wakefd_drain(inst->cancel_fd);
	if (inst->ahead_cancel_fd >= 0)
		wakefd_drain(inst->ahead_cancel_fd);
	/* A source that is not open waits for its re-probe: suspended, not stopped. */
	inst->demand_told = false;
	pthread_mutex_lock(&inst->lock);
	inst->stats.phase = inst->opened || inst->open_in_worker ? PHASE_RUNNING : PHASE_SUSPENDED;
	inst->depth = pipeline_depth(inst->ops, false);
	pthread_mutex_unlock(&inst->lock);
	/* Small stacks: a worker's deepest frame is a few KB. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PIPELINE_WORKER_STACK);
	err = pthread_create(&inst->thread, &attr, worker_main, inst);
	pthread_attr_destroy(&attr);
	pipeline_set_worker(inst, err ? before : WORKER_RUNNING);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

void pipeline_request_stop(struct source_instance *inst)
{
	bool running;

	pthread_mutex_lock(&inst->lock);
	running = inst->worker == WORKER_RUNNING;
	pthread_mutex_unlock(&inst->lock);
	if (!running)
		return;
	pipeline_set_worker(inst, WORKER_STOPPING);
	if (wakefd_signal(inst->cancel_fd) < 0)
		log_warn("source %s: cannot signal the worker to stop", inst->ops->name);
	/* A worker waiting for its reader hears of the stop from it. */
	if (inst->ahead_cancel_fd >= 0 && wakefd_signal(inst->ahead_cancel_fd) < 0)
		log_warn("source %s: cannot signal the reader to stop", inst->ops->name);
}

int pipeline_join(struct source_instance *inst, const struct timespec *deadline)
{
	bool stopping;

	pthread_mutex_lock(&inst->lock);
	stopping = inst->worker == WORKER_STOPPING;
	pthread_mutex_unlock(&inst->lock);
	if (!stopping)
		return pipeline_idle(inst) ? 0 : -1;
	if (pthread_timedjoin_np(inst->thread, NULL, deadline) != 0)
		return -1;
	pipeline_set_worker(inst, WORKER_JOINED);
	return 0;
}

static void pipeline_deadline(struct timespec *deadline, unsigned int timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, deadline);
	deadline->tv_sec += timeout_ms / 1000;
	deadline->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
}

int pipeline_stop(struct source_instance *inst, unsigned int timeout_ms)
{
	struct timespec deadline;

	pipeline_request_stop(inst);
	pipeline_deadline(&deadline, timeout_ms);
	return pipeline_join(inst, &deadline);
}

size_t pipeline_stop_all(struct source_instance *insts, size_t n, unsigned int timeout_ms)
{
	struct timespec deadline;
	size_t i, late = 0;

	for (i = 0; i < n; i++)
		pipeline_request_stop(&insts[i]);
	/* One deadline for all: stopping takes timeout_ms at most, not n times it. */
	pipeline_deadline(&deadline, timeout_ms);
	for (i = 0; i < n; i++)
		if (pipeline_join(&insts[i], &deadline) < 0)
			late++;
	return late;
}

void pipeline_destroy(struct source_instance *inst)
{
	if (!inst->ops || !pipeline_idle(inst))
		return;		/* a late worker still uses it: exit() ends both */
	if (inst->opened)
		inst->ops->close(inst->state);
	inst->ops->destroy(inst->state);
	close(inst->cancel_fd);
	if (inst->ahead_cancel_fd >= 0)
		close(inst->ahead_cancel_fd);
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
	size_t n = 0, part;

	pthread_mutex_lock(&inst->lock);
	/* Across blocks: a step never ends short at a block's end (no 4-byte adds). */
	while (n < max && inst->queue_len > 0) {
		head = &inst->queue[inst->queue_head];
		part = FIPS_BLOCK_BYTES - head->used;
		if (part > max - n)
			part = max - n;
		memcpy(out + n, head->bytes + head->used, part);
		head->used += part;
		n += part;
		if (head->used == FIPS_BLOCK_BYTES) {
			wipe(head->bytes, sizeof(head->bytes));
			head->used = 0;
			inst->queue_head = (inst->queue_head + 1) % PIPELINE_QUEUE_BLOCKS;
			inst->queue_len--;
			if (pipeline_resume(inst->depth, inst->queue_len))
				pthread_cond_signal(&inst->space);
		}
	}
	pthread_mutex_unlock(&inst->lock);
	return n;
}

unsigned int pipeline_credit(struct source_instance *inst)
{
	unsigned int credit;

	pthread_mutex_lock(&inst->lock);
	credit = inst->credit;
	pthread_mutex_unlock(&inst->lock);
	return credit;
}

unsigned int pipeline_credit_bits(struct source_instance *inst, size_t bytes)
{
	unsigned long long scaled;

	pthread_mutex_lock(&inst->lock);
	scaled = (unsigned long long)bytes * inst->credit + inst->credit_remainder;
	pthread_mutex_unlock(&inst->lock);
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
	bool idle;

	pthread_mutex_lock(&inst->lock);
	*out = inst->stats;
	idle = inst->worker == WORKER_STOPPED || inst->worker == WORKER_JOINED;
	pthread_mutex_unlock(&inst->lock);
	/* With a worker, only the worker asks the source (worker_count_read). */
	if (idle && inst->ops->counters)
		inst->ops->counters(inst->state, &out->source);
}
