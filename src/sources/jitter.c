/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jitter: CPU timing jitter, written here.
 *
 * A sample is the time one pass of a memory-access loop takes, read from a
 * high-resolution timer.  Caches, TLBs, branch predictors, interrupts and
 * the other core make that time vary in ways the program cannot predict;
 * the variation is the noise.  Each sample is:
 *   - divided by the greatest common divisor of the deltas seen at
 *     start-up, so a timer that ticks in steps of k does not look k times
 *     richer than it is;
 *   - given to the SP 800-90B health tests as a raw sample, with the claim
 *     H = min(1/osr, measured) bits of min-entropy (osr: oversampling
 *     rate, default 3; measured: see below);
 *   - not hashed when its first, second or third discrete derivative is
 *     zero (a stuck timer or a loop the CPU runs too regularly); a run of
 *     such samples as long as the repetition count test's cutoffs is an
 *     alarm of that level, so a timer that gets stuck after start-up fails
 *     the source instead of spinning in the worker for ever;
 *   - hashed into SHA-256 (src/sha256.c), which outputs 256 bits only
 *     after taking in at least 256 + 64 bits of claimed entropy, so its
 *     output carries full entropy: credit 8 bits per byte.
 *
 * A start-up test of JITTER_STARTUP_SAMPLES samples refuses a timer that
 * runs backwards, is too coarse to show jitter, or gives timings the health
 * tests alarm on.  It also measures: the SP 800-90B section 6.3 estimators
 * (src/estimate.c) run over the start-up timings, each normalised and
 * XOR-folded to 8 bits (the samples --raw writes), and the claim per
 * sample is the smaller of 1/osr and that estimate.  Folding cannot add
 * entropy, so the estimate is one of the folded sample, a lower bound for
 * the full one.  Below JITTER_FLOOR (1/64 bit, the claim of the largest
 * osr) the source refuses to start.  The source runs only in
 * its own worker thread; when the queue is full the worker sleeps, so it
 * costs no CPU while the kernel needs nothing.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "estimate.h"
#include "health.h"
#include "log.h"
#include "parse.h"
#include "sha256.h"
#include "source.h"
#include "sources/jitter.h"
#include "sources/sources.h"
#include "wakefd.h"
#include "wipe.h"

#define JITTER_MEMORY ((size_t)64 * 1024)	/* bigger than L1 on every CPU we know */
#define JITTER_OUTPUT 32u		/* bytes per SHA-256 output */
#define JITTER_SPARE_BITS 64u		/* claimed entropy beyond the output's */
#define JITTER_OSR_DEFAULT 3
#define JITTER_OSR_MAX 64
/* start-up: at most these shares of the measurements may take no time
 * (a timer coarser than the loop) or be stuck (equal steps) */
#define JITTER_ZERO_MAX_PERCENT 50u
#define JITTER_STUCK_MAX_PERCENT 90u
#define JITTER_READ_MAX 2500
/* How long a passed probe stands for the open() that follows it (ms). */
#define JITTER_PROBE_FRESH_MS 1000u
/* samples between looks at cancel_fd: a poll() per sample would cost more
 * than the sample, and this many take well under a second */
#define JITTER_CANCEL_EVERY 4096u
/* the least measured min-entropy per sample the source starts with */
#define JITTER_FLOOR (1.0 / JITTER_OSR_MAX)

struct jitter_state {
	jitter_clock_fn clock;
	unsigned long osr;
	uint8_t *memory;
	size_t walk;			/* position of the memory walk */
	uint64_t divisor;		/* GCD of the start-up deltas */
	uint64_t last_delta, last_d1, last_d2;
	unsigned int stuck_run;		/* stuck samples in a row */
	bool broken;			/* a permanent alarm: read fails until reopened */
	char broken_why[SOURCE_MSG_MAX];
	struct health_test health;
	struct sha256_ctx hash;
	unsigned long long bits_in;	/* samples hashed since the last output */
	unsigned long long per_output;	/* samples an output needs: 320 / claim */
	double measured;		/* SP 800-90B estimate at start-up, bits per sample; NAN: none */
	bool probed;			/* probe() passed the start-up test ... */
	uint64_t probed_ms;		/* ... at this CLOCK_MONOTONIC time */
	double claim;			/* min(1/osr, measured) */
	unsigned long long stuck;
	struct source_counters counters;
};

static const struct source_option jitter_options[] = {
	{ "osr", "3", "oversampling rate: samples per claimed bit, 1 to 64" },
	{ NULL, NULL, NULL },
};

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void *jitter_create_with_clock(jitter_clock_fn clock)
{
	struct jitter_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->clock = clock;
	st->osr = JITTER_OSR_DEFAULT;
	st->divisor = 1;
	st->measured = NAN;
	return st;
}

static void *jitter_create(void)
{
	return jitter_create_with_clock(clock_ns);
}

static int jitter_set_option(void *state, const char *key, const char *value, char *err, size_t errlen)
{
	struct jitter_state *st = state;

	if (strcmp(key, "osr") == 0)
		return parse_ulong(value, 1, JITTER_OSR_MAX, "jitter:osr", &st->osr, err, errlen);
	snprintf(err, errlen, "jitter: unknown option '%s'; accepted: credit, osr", key);
	return -1;
}

static void jitter_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct jitter_state *st = state;

	if (strcmp(key, "osr") == 0)
		snprintf(buf, len, "%lu", st->osr);
	else
		snprintf(buf, len, "%s", "");
}

/*
 * One raw delta: the time a walk over the memory takes.  The walk's length
 * and stride depend on the previous delta, so the work itself varies.
 */
static uint64_t jitter_measure(struct jitter_state *st)
{
	unsigned int i, steps = 64 + (unsigned int)(st->last_delta & 63);
	uint64_t start, end;

	start = st->clock();
	for (i = 0; i < steps; i++) {
		st->walk = (st->walk + 4099 + (st->last_delta & 0xff) * 64) % JITTER_MEMORY;
		st->memory[st->walk]++;
	}
	end = st->clock();
	return end - start;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* An 8-bit raw sample: the normalised delta's bytes XORed together. */
static uint8_t jitter_fold(uint64_t delta)
{
	delta ^= delta >> 32;
	delta ^= delta >> 16;
	delta ^= delta >> 8;
	return (uint8_t)delta;
}

/* Is the (normalised) delta stuck: a zero first, second or third derivative? */
static int jitter_stuck(struct jitter_state *st, uint64_t delta)
{
	uint64_t d1 = delta - st->last_delta, d2 = d1 - st->last_d1, d3 = d2 - st->last_d2;

	st->last_delta = delta;
	st->last_d1 = d1;
	st->last_d2 = d2;
	return d1 == 0 || d2 == 0 || d3 == 0;
}

/*
 * The start-up samples' SP 800-90B estimate; sets the claim per sample and
 * the samples an output needs.  0, or -1 with why (below the floor).
 */
static int jitter_assess(struct jitter_state *st, const uint64_t *kept, unsigned int n,
			 char *why, size_t whylen)
{
	uint8_t folded[JITTER_STARTUP_SAMPLES];
	struct estimate_report r;
	char err[256];
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++)
		folded[i] = jitter_fold(kept[i] / st->divisor);
	/*
	 * Every estimator but the two predictors that keep a table of every
	 * context: about 1 MB for 1024 samples, a third of the daemon's peak
	 * memory, for a check that caps the claim at start-up.  The offline
	 * assessment (--raw into entropy-check --estimate) runs them all.
	 */
	rc = estimate_run_some(folded, n, 8, ESTIMATE_ALL & ~ESTIMATE_CONTEXT_PREDICTORS, &r);
	wipe(folded, sizeof(folded));
	if (rc < 0) {
		snprintf(why, whylen, "cannot run the SP 800-90B estimators: %s", strerror(errno));
		return -1;
	}
	st->measured = isnan(r.min_entropy) ? 0.0 : r.min_entropy;
	if (st->measured < JITTER_FLOOR) {
		snprintf(why, whylen, "too little jitter: the SP 800-90B estimate of %u start-up timings "
			 "is %.4f bits per sample, below the floor of 1/%d", n, st->measured, JITTER_OSR_MAX);
		return -1;
	}
	if (st->measured >= 1.0 / (double)st->osr) {
		st->claim = 1.0 / (double)st->osr;
		st->per_output = (JITTER_OUTPUT * 8 + JITTER_SPARE_BITS) * (unsigned long long)st->osr;
		return 0;
	}
	/* the measurement is the smaller claim: the health tests' cutoffs
	 * and the samples per output follow it */
	st->claim = st->measured;
	st->per_output = (unsigned long long)ceil((JITTER_OUTPUT * 8 + JITTER_SPARE_BITS) / st->claim);
	if (health_init(&st->health, st->claim, 32, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	return 0;
}

/*
 * The start-up test; sets the divisor.  0, or -1 with why.  Besides the
 * timer checks it runs the health tests over the start-up timings, as
 * SP 800-90B 4.3 asks of a start-up test, and refuses on any alarm: a
 * false alarm (about 2^-20 over these samples) costs one re-probe.
 */
static int jitter_startup(struct jitter_state *st, uint64_t *kept, char *why, size_t whylen)
{
	uint64_t start, end, delta, divisor = 0;
	unsigned int i, backwards = 0, zero = 0, stuck = 0, alarms = 0, n = 0;

	st->last_delta = st->last_d1 = st->last_d2 = 0;
	st->stuck_run = 0;
	for (i = 0; i < JITTER_STARTUP_SAMPLES; i++) {
		start = st->clock();
		delta = jitter_measure(st);
		end = st->clock();
		if (end < start || (int64_t)delta < 0) {
			backwards++;
			continue;
		}
		kept[n++] = delta;
		if (delta == 0) {
			zero++;
			continue;
		}
		divisor = gcd(delta, divisor);
		stuck += (unsigned int)jitter_stuck(st, delta);
		/* raw, not yet normalised: dividing by a constant keeps
		 * equal values equal, all the tests look at */
		alarms += health_sample(&st->health, (uint32_t)delta) != HEALTH_OK;
	}
	if (backwards) {
		snprintf(why, whylen, "the timer ran backwards %u times in %u samples: not monotonic",
			 backwards, JITTER_STARTUP_SAMPLES);
		return -1;
	}
	if (zero * 100 > JITTER_STARTUP_SAMPLES * JITTER_ZERO_MAX_PERCENT) {
		snprintf(why, whylen, "the timer is too coarse: %u of %u measurements took no time at all",
			 zero, JITTER_STARTUP_SAMPLES);
		return -1;
	}
	if (stuck * 100 > JITTER_STARTUP_SAMPLES * JITTER_STUCK_MAX_PERCENT) {
		snprintf(why, whylen, "no jitter: %u of %u timings were stuck (equal steps)",
			 stuck, JITTER_STARTUP_SAMPLES);
		return -1;
	}
	if (alarms) {
		snprintf(why, whylen, "the SP 800-90B %s test alarmed on %u of %u start-up timings",
			 st->health.alarms[HEALTH_RCT][HEALTH_LEVEL_INTERMITTENT] ?
			 "repetition count" : "adaptive proportion", alarms, JITTER_STARTUP_SAMPLES);
		return -1;
	}
	health_restart(&st->health);
	st->divisor = divisor ? divisor : 1;
	return jitter_assess(st, kept, n, why, whylen);
}

static int jitter_prepare(struct jitter_state *st, char *why, size_t whylen)
{
	uint64_t *kept;
	char err[256];
	int rc;

	if (!st->memory) {
		st->memory = calloc(1, JITTER_MEMORY);
		if (!st->memory) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
	}
	if (health_init(&st->health, 1.0 / (double)st->osr, 32, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	kept = calloc(JITTER_STARTUP_SAMPLES, sizeof(*kept));
	if (!kept) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	st->measured = NAN;
	rc = jitter_startup(st, kept, why, whylen);
	wipe(kept, JITTER_STARTUP_SAMPLES * sizeof(*kept));
	free(kept);
	return rc;
}

static void jitter_measured(const void *state, char *buf, size_t len)
{
	const struct jitter_state *st = state;

	if (isnan(st->measured))
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.3f bits per timing sample (SP 800-90B estimate of %u start-up "
			 "samples, folded to 8 bits); claiming %.3f = min(1/osr = %.3f, estimate), "
			 "%llu samples per 32-byte output", st->measured, JITTER_STARTUP_SAMPLES,
			 st->claim, 1.0 / (double)st->osr, st->per_output);
}

static enum source_status jitter_probe(void *state, char *why, size_t whylen)
{
	struct jitter_state *st = state;

	st->probed = jitter_prepare(st, why, whylen) == 0;
	st->probed_ms = clock_monotonic_ms();
	return st->probed ? SOURCE_USABLE : SOURCE_UNAVAILABLE;
}

static int jitter_open(void *state, char *why, size_t whylen)
{
	struct jitter_state *st = state;
	char line[SOURCE_MSG_MAX];
	/*
	 * The core probes right before it opens: a start-up test that passed
	 * a moment ago stands, instead of costing its 1024 timed samples and
	 * their estimate twice before the first block (tens of ms here,
	 * seconds in an emulated guest).  An older one is run again.
	 */
	bool fresh = st->probed && clock_monotonic_ms() - st->probed_ms <= JITTER_PROBE_FRESH_MS;

	st->probed = false;
	if (!fresh && jitter_prepare(st, why, whylen) < 0)
		return -1;
	jitter_measured(st, line, sizeof(line));
	log_info("source jitter: %s", line);
	sha256_init(&st->hash);
	st->bits_in = 0;
	st->broken = false;
	return 0;
}

/* Start the hash over, forgetting what it took in (after a health alarm). */
static void jitter_rehash(struct jitter_state *st)
{
	st->bits_in = 0;
	wipe(&st->hash, sizeof(st->hash));
	sha256_init(&st->hash);
}

/* What to do with one raw sample. */
enum jitter_verdict {
	JITTER_KEEP,		/* hash it, count its claim */
	JITTER_SKIP,		/* stuck: do not hash it */
	JITTER_DISCARD,		/* intermittent alarm: drop what the hash holds */
	JITTER_BROKEN,		/* permanent alarm: why says which */
};

static unsigned long long alarms_at(const struct health_test *h, enum health_level level)
{
	return h->alarms[HEALTH_RCT][level] + h->alarms[HEALTH_APT][level];
}

/*
 * Every raw sample goes to the health tests, stuck or not: a filter in
 * front of them would hide the very failures they are there to see.  The
 * source's counters count alarms (once each), not the samples an alarm
 * spoils.
 */
static enum jitter_verdict jitter_check(struct jitter_state *st, uint64_t delta,
					char *why, size_t whylen)
{
	const unsigned int *run_cutoff = st->health.rct_cutoff;
	unsigned long long rct_permanent = st->health.alarms[HEALTH_RCT][HEALTH_LEVEL_PERMANENT];
	unsigned long long intermittent = alarms_at(&st->health, HEALTH_LEVEL_INTERMITTENT);
	enum health_result r = health_sample(&st->health, (uint32_t)delta);

	st->counters.health_intermittent += alarms_at(&st->health, HEALTH_LEVEL_INTERMITTENT) - intermittent;
	if (r == HEALTH_PERMANENT) {
		snprintf(why, whylen, "SP 800-90B %s test: permanent alarm on the raw timings",
			 st->health.alarms[HEALTH_RCT][HEALTH_LEVEL_PERMANENT] > rct_permanent ?
			 "repetition count" : "adaptive proportion");
		st->counters.health_permanent++;
		return JITTER_BROKEN;
	}
	if (!jitter_stuck(st, delta)) {
		st->stuck_run = 0;
		return r == HEALTH_OK ? JITTER_KEEP : JITTER_DISCARD;
	}
	st->stuck++;
	st->stuck_run++;
	if (st->stuck_run >= run_cutoff[HEALTH_LEVEL_PERMANENT]) {
		snprintf(why, whylen, "the timer got stuck: %u timings in a row without jitter",
			 st->stuck_run);
		st->counters.health_permanent++;
		return JITTER_BROKEN;
	}
	if (st->stuck_run == run_cutoff[HEALTH_LEVEL_INTERMITTENT])
		st->counters.health_intermittent++;
	return r != HEALTH_OK || st->stuck_run >= run_cutoff[HEALTH_LEVEL_INTERMITTENT] ?
	       JITTER_DISCARD : JITTER_SKIP;
}

/*
 * One 32-byte output: samples until 256 + 64 claimed bits are in.  0; 1
 * when cancel_fd fired first (what the hash holds is kept for the next
 * call); -1 with why (a permanent alarm).
 */
static int jitter_output(struct jitter_state *st, uint8_t out[JITTER_OUTPUT], int cancel_fd,
			 char *why, size_t whylen)
{
	const unsigned long long need = st->per_output;
	unsigned int n = 0;
	uint64_t delta;

	while (st->bits_in < need) {
		if (++n % JITTER_CANCEL_EVERY == 0 && wakefd_readable(cancel_fd))
			return 1;
		delta = jitter_measure(st) / st->divisor;
		switch (jitter_check(st, delta, why, whylen)) {
		case JITTER_BROKEN:
			return -1;
		case JITTER_DISCARD:
			jitter_rehash(st);
			continue;
		case JITTER_SKIP:
			continue;
		case JITTER_KEEP:
		default:
			break;
		}
		sha256_update(&st->hash, &delta, sizeof(delta));
		st->bits_in++;	/* each sample claims st->claim bits */
	}
	sha256_final(&st->hash, out);
	jitter_rehash(st);
	return 0;
}

static ssize_t jitter_read(void *state, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen)
{
	struct jitter_state *st = state;
	uint8_t out[JITTER_OUTPUT];
	size_t got = 0, n;
	int r;

	if (st->broken) {
		/* until the core closes and re-probes the source */
		snprintf(why, whylen, "%s", st->broken_why);
		return SOURCE_READ_FAILED;
	}
	if (len > JITTER_READ_MAX)
		len = JITTER_READ_MAX;
	while (got < len) {
		if (wakefd_readable(cancel_fd))
			break;
		r = jitter_output(st, out, cancel_fd, why, whylen);
		if (r < 0) {
			/* the alarm may concern samples that went into the
			 * outputs already in buf: none of them leaves */
			wipe(out, sizeof(out));
			wipe(buf, got);
			st->broken = true;
			snprintf(st->broken_why, sizeof(st->broken_why), "%s", why);
			return SOURCE_READ_FAILED;
		}
		if (r > 0)
			break;
		n = len - got < sizeof(out) ? len - got : sizeof(out);
		memcpy(buf + got, out, n);
		got += n;
	}
	wipe(out, sizeof(out));
	return got ? (ssize_t)got : SOURCE_READ_AGAIN;
}

/* --raw: the folded deltas, every one of them, as the conditioner sees them. */
static ssize_t jitter_read_raw(void *state, uint8_t *buf, size_t len, int cancel_fd,
			       char *why, size_t whylen)
{
	struct jitter_state *st = state;
	uint64_t delta;
	size_t i;

	(void)why;
	(void)whylen;
	for (i = 0; i < len; i++) {
		if (i % JITTER_CANCEL_EVERY == 0 && wakefd_readable(cancel_fd))
			break;
		delta = jitter_measure(st) / st->divisor;
		/* for its side effect: the next walk depends on this delta,
		 * as it does in read() */
		(void)jitter_stuck(st, delta);
		buf[i] = jitter_fold(delta);
	}
	return (ssize_t)i;
}

static void jitter_close(void *state)
{
	struct jitter_state *st = state;

	wipe(&st->hash, sizeof(st->hash));
	health_restart(&st->health);
}

static void jitter_counters(const void *state, struct source_counters *out)
{
	*out = ((const struct jitter_state *)state)->counters;
}

static void jitter_destroy(void *state)
{
	struct jitter_state *st = state;

	if (!st)
		return;
	jitter_close(st);
	if (st->memory)
		wipe(st->memory, JITTER_MEMORY);
	free(st->memory);
	free(st);
}

const struct source_ops jitter_source_ops = {
	.name = "jitter",
	.summary = "CPU timing jitter around a memory walk, health-tested, SHA-256 conditioned",
	.default_credit = CREDIT_MAX,
	.enabled_by_default = 1,
	.on_demand = true,
	.slow_open = true,
	.options = jitter_options,
	.create = jitter_create,
	.set_option = jitter_set_option,
	.get_option = jitter_get_option,
	.probe = jitter_probe,
	.open = jitter_open,
	.read = jitter_read,
	.close = jitter_close,
	.destroy = jitter_destroy,
	.counters = jitter_counters,
	.credit = NULL,
	.read_raw = jitter_read_raw,
	.measured = jitter_measured,
};
