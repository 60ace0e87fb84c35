/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdrand: the CPU's RDSEED, or RDRAND where there is no RDSEED.
 *
 * RDSEED returns output of the CPU's conditioned entropy source and gets
 * full credit (8 bits per byte).  When it has no data (carry clear, common
 * under load) the source pauses and retries; it never falls back to RDRAND
 * on its own, because RDRAND's output is not seed-grade.
 *
 * RDRAND is the output of a DRBG (AES-CTR on Intel) that the entropy source
 * reseeds; Intel documents at most 512 128-bit outputs between reseeds, so
 * at least one 128-bit fresh seed per 512 x 16 = 8192 bytes: 1/64 bit of
 * entropy per byte is what can be claimed, and that is the default credit
 * (-O rdrand:credit may lower it, never raise it).  It is used only where RDSEED is absent,
 * or with -O rdrand:mode:rdrand.
 *
 * open() runs a self-test: a CPU returning one value over and over (the
 * all-ones RDRAND erratum of some AMD CPUs after suspend) or repeating a
 * 64-bit value is refused.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse.h"
#include "source.h"
#include "sources/rdrand.h"
#include "sources/sources.h"
#include "sources/x86rand.h"
#include "wipe.h"

/* RDRAND: one fresh 128-bit seed per 8192 bytes, in CREDIT_ONE_BIT units */
#define RDRAND_CREDIT (CREDIT_ONE_BIT / 64)
#define RDSEED_CREDIT CREDIT_MAX
/* Values drawn by the start-up self-test */
#define SELFTEST_VALUES 32
/* RDSEED retries (with PAUSE) before a read gives up for now */
#define RDSEED_RETRIES 1000
/* Intel: RDRAND may fail transiently; ten tries in a row are plenty */
#define RDRAND_RETRIES 10
/* Bytes per read: a block's worth keeps cancellation prompt */
#define RDRAND_READ_MAX 2500

struct rdrand_state {
	enum rdrand_mode mode;		/* as configured */
	enum rdrand_mode using;		/* RDRAND_MODE_RDSEED or _RDRAND once opened */
};

static const struct source_option rdrand_options[] = {
	{ "mode", "auto", "auto (RDSEED, else RDRAND), rdseed or rdrand" },
	{ NULL, NULL, NULL },
};

static const char *const mode_names[] = { "auto", "rdseed", "rdrand" };

static void *rdrand_create(void)
{
	struct rdrand_state *st = calloc(1, sizeof(*st));

	if (st)
		st->mode = st->using = RDRAND_MODE_AUTO;
	return st;
}

static int rdrand_set_option(void *state, const char *key, const char *value, char *err, size_t errlen)
{
	struct rdrand_state *st = state;
	char shown[PARSE_SHOW_SIZE];
	size_t i;

	if (strcmp(key, "mode") != 0) {
		snprintf(err, errlen, "rdrand: unknown option '%s'; accepted: credit, mode", key);
		return -1;
	}
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strcmp(value, mode_names[i]) == 0) {
			st->mode = (enum rdrand_mode)i;
			return 0;
		}
	}
	snprintf(err, errlen, "rdrand:mode: '%s' is not a mode; accepted: auto, rdseed, rdrand",
		 parse_show(value, shown, sizeof(shown)));
	return -1;
}

static void rdrand_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct rdrand_state *st = state;

	snprintf(buf, len, "%s", strcmp(key, "mode") == 0 ? mode_names[st->mode] : "");
}

/* The instruction this configuration uses on this CPU, or AUTO for none. */
static enum rdrand_mode rdrand_choose(const struct rdrand_state *st, char *why, size_t whylen)
{
	bool seed = x86rand_has_rdseed(), rand = x86rand_has_rdrand();

	switch (st->mode) {
	case RDRAND_MODE_RDSEED:
		if (seed)
			return RDRAND_MODE_RDSEED;
		snprintf(why, whylen, "CPU has no RDSEED (mode rdseed)");
		return RDRAND_MODE_AUTO;
	case RDRAND_MODE_RDRAND:
		if (rand)
			return RDRAND_MODE_RDRAND;
		snprintf(why, whylen, "CPU has no RDRAND (mode rdrand)");
		return RDRAND_MODE_AUTO;
	case RDRAND_MODE_AUTO:
	default:
		if (seed)
			return RDRAND_MODE_RDSEED;
		if (rand)
			return RDRAND_MODE_RDRAND;
		snprintf(why, whylen, "CPU has neither RDSEED nor RDRAND");
		return RDRAND_MODE_AUTO;
	}
}

static enum source_status rdrand_probe(void *state, char *why, size_t whylen)
{
	return rdrand_choose(state, why, whylen) == RDRAND_MODE_AUTO ? SOURCE_UNAVAILABLE : SOURCE_USABLE;
}

/* The bound of the instruction in use once opened, else of the one open() would use. */
static unsigned int rdrand_credit(const void *state)
{
	const struct rdrand_state *st = state;
	char why[SOURCE_MSG_MAX];
	enum rdrand_mode m = st->using != RDRAND_MODE_AUTO ? st->using : rdrand_choose(st, why, sizeof(why));

	switch (m) {
	case RDRAND_MODE_RDSEED:
		return RDSEED_CREDIT;
	case RDRAND_MODE_RDRAND:
		return RDRAND_CREDIT;
	case RDRAND_MODE_AUTO:
	default:
		return 0;	/* neither instruction: nothing to credit */
	}
}

/* One value from the chosen instruction, retrying RDSEED; false: none now. */
static bool rdrand_next(const struct rdrand_state *st, uint64_t *out)
{
	int tries;

	if (st->using == RDRAND_MODE_RDRAND) {
		for (tries = 0; tries < RDRAND_RETRIES; tries++)
			if (x86rand_rdrand64(out))
				return true;
		return false;
	}
	for (tries = 0; tries < RDSEED_RETRIES; tries++) {
		if (x86rand_rdseed64(out))
			return true;
		x86rand_pause();
	}
	return false;
}

int rdrand_selftest(const uint64_t *values, size_t n, char *why, size_t whylen)
{
	size_t i, j, same = 0;

	for (i = 0; i < n; i++) {
		if (values[i] == UINT64_MAX) {
			snprintf(why, whylen, "self-test: the CPU returned all ones (a known RDRAND erratum)");
			return -1;
		}
		same += values[i] == values[0];
	}
	if (same == n) {
		snprintf(why, whylen, "self-test: the CPU returned the same value %zu times", n);
		return -1;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (values[i] == values[j]) {
				snprintf(why, whylen, "self-test: the CPU repeated a 64-bit value within %zu draws", n);
				return -1;
			}
	return 0;
}

static int rdrand_open(void *state, char *why, size_t whylen)
{
	struct rdrand_state *st = state;
	uint64_t values[SELFTEST_VALUES];
	size_t i;
	int r;

	st->using = rdrand_choose(st, why, whylen);
	if (st->using == RDRAND_MODE_AUTO)
		return -1;
	for (i = 0; i < SELFTEST_VALUES; i++) {
		if (!rdrand_next(st, &values[i])) {
			if (st->using == RDRAND_MODE_RDSEED)
				snprintf(why, whylen, "self-test: RDSEED gave no data in %d tries", RDSEED_RETRIES);
			else
				snprintf(why, whylen, "self-test: RDRAND gave no data in %d tries", RDRAND_RETRIES);
			wipe(values, sizeof(values));
			return -1;
		}
	}
	r = rdrand_selftest(values, SELFTEST_VALUES, why, whylen);
	wipe(values, sizeof(values));
	return r;
}

static ssize_t rdrand_read(void *state, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen)
{
	struct rdrand_state *st = state;
	const struct timespec breather = { 0, 1000000 };	/* 1 ms */
	uint64_t v;
	size_t got = 0, n;

	(void)cancel_fd;
	(void)why;
	(void)whylen;
	if (len > RDRAND_READ_MAX)
		len = RDRAND_READ_MAX;
	while (got < len) {
		if (!rdrand_next(st, &v))
			break;
		n = len - got < sizeof(v) ? len - got : sizeof(v);
		memcpy(buf + got, &v, n);
		got += n;
	}
	wipe(&v, sizeof(v));
	if (!got) {
		/* RDSEED exhausted by other users of the CPU: let them be */
		nanosleep(&breather, NULL);
		return SOURCE_READ_AGAIN;
	}
	return (ssize_t)got;
}

static void rdrand_close(void *state)
{
	(void)state;
}

static void rdrand_destroy(void *state)
{
	free(state);
}

const struct source_ops rdrand_source_ops = {
	.name = "rdrand",
	.summary = "the CPU's RDSEED (full credit), or RDRAND (1/64 bit per byte) without it",
	.default_credit = RDSEED_CREDIT,
	.enabled_by_default = 1,
	.read_ahead = true,
	.options = rdrand_options,
	.create = rdrand_create,
	.set_option = rdrand_set_option,
	.get_option = rdrand_get_option,
	.probe = rdrand_probe,
	.open = rdrand_open,
	.read = rdrand_read,
	.close = rdrand_close,
	.destroy = rdrand_destroy,
	.counters = NULL,
	.credit = rdrand_credit,
};
