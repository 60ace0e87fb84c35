/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the SP 800-90B 6.3 estimators:
 *  - the standard's worked examples (SP 800-90B, January 2018, sections
 *    6.3.1-6.3.10: the same data and the smaller parameters the examples
 *    use), to the four decimals the standard prints;
 *  - the predictors (6.3.7-6.3.10) against slow versions written step by
 *    step from the standard's text, on short random streams;
 *  - answers computed by hand for tiny inputs;
 *  - seeded streams whose min-entropy is known, within stated tolerances:
 *    the estimators are built to err low (99% confidence bounds, models
 *    that fit the worst case), so most tolerances are one-sided.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "estimate.h"

/*
 * Long enough for the tolerances below, short enough for valgrind: the
 * most-common-value bound's margin is 2.576 sqrt(p (1 - p) / n); for the
 * biased stream's p = 0.6^8 and n = 300000 that moves the estimate by
 * 2.576 / sqrt(p n) / ln 2 = 0.052 bits.
 */
#define N_STREAM 300000u

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static double uniform01(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static void near(double got, double want, double tol, const char *what)
{
	ck_assert_msg(fabs(got - want) <= tol, "%s: %.6f, expected %.6f +- %g", what, got, want, tol);
}

/* --- the standard's examples ------------------------------------------ */

static const uint8_t example_mcv[] = { 0, 1, 1, 2, 0, 1, 2, 2, 0, 1, 0, 1, 1, 0, 2, 2, 1, 0, 2, 1 };
static const uint8_t example_bits[] = {
	1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1,
	0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1,
};
static const uint8_t example_tuples[] = { 2, 2, 0, 1, 0, 2, 0, 1, 2, 1, 2, 0, 1, 2, 1, 0, 0, 1, 0, 0, 0 };

START_TEST(standard_examples)
{
	double t, l;

	/* 6.3.1: p^ = 0.4, p_u = 0.6895 */
	near(estimate_mcv(example_mcv, sizeof(example_mcv)), 0.5363, 5e-5, "MCV example");
	/* 6.3.2 and 6.3.3: the first 40 bits */
	near(estimate_collision(example_bits, 40), 0.4483, 5e-5, "collision example");
	near(estimate_markov(example_bits, 40), 0.7606, 5e-5, "Markov example");
	/* 6.3.4: all 48 bits, d = 4 dictionary blocks */
	near(estimate_compression(example_bits, 48, 4), 0.1345, 5e-5, "compression example");
	/* 6.3.5 and 6.3.6 with the cutoff 3 instead of 35 */
	ck_assert_int_eq(estimate_tuples(example_tuples, sizeof(example_tuples), 3, &t, &l), 0);
	near(t, 0.2731, 5e-5, "t-tuple example");
	near(l, 0.6146, 5e-5, "LRS example");
}
END_TEST

/*
 * 6.3.7-6.3.10's examples.  Those of 6.3.8-6.3.10 use the values 1 to 3:
 * here 0 to 2 (the predictors only compare values, and break ties by the
 * larger, which the shift keeps).  What the standard's examples find:
 *   MultiMCW (w = 3, 5, 7, 9): N = 9, C = 3, P_global' = 0.7627, r = 2;
 *     0.3908 (it rounds P_global' first: unrounded, 0.390875);
 *   lag (D = 3): N = 9, C = 2, P_global' = 0.6009, r = 3; 0.7349;
 *   MultiMMC (D = 3): N = 7, C = 3, P_global' = 0.9490, r = 3; 0.0755;
 *   LZ78Y (B = 4): N = 8, C = 4, P_global' = 0.9868, r = 3; 0.0191.
 * P_local is below P_global' in all four.
 */
START_TEST(predictor_examples)
{
	static const uint8_t mcw[] = { 1, 2, 1, 0, 2, 1, 1, 2, 2, 0, 0, 0 };
	static const uint8_t lag[] = { 1, 0, 2, 1, 0, 2, 0, 2, 0, 1 };
	static const uint8_t lz78y[] = { 1, 0, 2, 1, 0, 2, 0, 2, 0, 1, 0, 2, 1 };
	static const unsigned int windows[ESTIMATE_MCW_COUNT] = { 3, 5, 7, 9 };

	near(estimate_multi_mcw(mcw, sizeof(mcw), 3, windows), 0.3908, 1e-4, "MultiMCW example");
	near(estimate_lag(lag, sizeof(lag), 3, 3), 0.7349, 5e-5, "lag example");
	/* MultiMMC's example is the lag example's first nine */
	near(estimate_multi_mmc(lag, 9, 3, 3), 0.0755, 5e-5, "MultiMMC example");
	near(estimate_lz78y(lz78y, sizeof(lz78y), 3, 4), 0.0191, 5e-5, "LZ78Y example");
}
END_TEST

/* --- the predictors, step by step ----------------------------------------- */

/*
 * The slow versions tally what the standard's steps 3-5 tally, and finish
 * with steps 6-8 written out again; they keep every count of the whole
 * history instead of tables, so they are quadratic, and they ignore the
 * table limits of 6.3.9 and 6.3.10 (never reached on these lengths).
 */
struct tally {
	size_t n, c, run, longest;
};

static void tally(struct tally *t, int right)
{
	t->n++;
	t->run = right ? t->run + 1 : 0;
	t->c += right != 0;
	if (t->run > t->longest)
		t->longest = t->run;
}

/* Steps 6-8; *local: P_local */
static double tally_entropy_local(const struct tally *t, unsigned int k, double *local)
{
	double pg = (double)t->c / (double)t->n, r = (double)t->longest + 1, lo = 0, hi = 1, p = 0.5, x, q;
	int step, j;

	pg = t->c == 0 ? 1 - pow(0.01, 1.0 / (double)t->n)
		       : fmin(1.0, pg + 2.576 * sqrt(pg * (1 - pg) / (double)(t->n - 1)));
	for (step = 0; step < 60; step++) {
		p = (lo + hi) / 2;
		q = 1 - p;
		for (x = 1, j = 0; j < 10; j++)
			x = 1 + q * pow(p, r) * pow(x, r + 1);
		if (isfinite(x) && (1 - p * x) / ((r + 1 - r * x) * q) / pow(x, (double)t->n + 1) > 0.99)
			lo = p;
		else
			hi = p;
	}
	*local = p;
	return -log2(fmax(fmax(pg, p), 1.0 / k));
}

static double tally_entropy(const struct tally *t, unsigned int k)
{
	double local;

	return tally_entropy_local(t, k, &local);
}

/*
 * The exact probability that n trials, each a success with probability p,
 * hold no run of r successes: P_local's equation approximates it.
 */
static double no_run(double p, size_t r, size_t n)
{
	double *tail = calloc(r, sizeof(*tail)), next0, total = 0;
	size_t i, j;

	ck_assert(tail != NULL);
	tail[0] = 1;		/* tail[j]: no run yet, the last j trials successes */
	for (i = 0; i < n; i++) {
		next0 = 0;
		for (j = 0; j < r; j++)
			next0 += tail[j] * (1 - p);
		for (j = r - 1; j > 0; j--)
			tail[j] = tail[j - 1] * p;
		tail[0] = next0;
	}
	for (j = 0; j < r; j++)
		total += tail[j];
	free(tail);
	return total;
}

/* 6.3.7: the most common value of s[from..to), the latest on a tie */
static int window_mode(const uint8_t *s, size_t from, size_t to)
{
	size_t count[256] = { 0 }, i, top = 0;
	int mode = -1;

	for (i = from; i < to; i++)
		count[s[i]]++;
	for (i = to; i-- > from;)
		if (count[s[i]] > top) {
			top = count[s[i]];
			mode = s[i];
		}
	return mode;
}

static struct tally slow_mcw_tally(const uint8_t *s, size_t n, const unsigned int *w)
{
	struct tally t = { 0, 0, 0, 0 };
	size_t i, score[4] = { 0 };
	int f[4], j, winner = 0;

	for (i = w[0]; i < n; i++) {
		for (j = 0; j < 4; j++)
			f[j] = i >= w[j] ? window_mode(s, i - w[j], i) : -1;
		tally(&t, f[winner] == s[i]);
		for (j = 0; j < 4; j++)
			if (f[j] == s[i] && ++score[j] >= score[winner])
				winner = j;
	}
	return t;
}

static double slow_mcw(const uint8_t *s, size_t n, unsigned int k, const unsigned int *w)
{
	struct tally t = slow_mcw_tally(s, n, w);

	return tally_entropy(&t, k);
}

static double slow_lag(const uint8_t *s, size_t n, unsigned int k, unsigned int lags)
{
	struct tally t = { 0, 0, 0, 0 };
	size_t i, d, winner = 1, *score = calloc(lags + 1, sizeof(*score));

	ck_assert(score != NULL);
	for (i = 1; i < n; i++) {
		tally(&t, s[i - winner] == s[i]);
		for (d = 1; d <= lags && d <= i; d++)
			if (s[i - d] == s[i] && ++score[d] >= score[winner])
				winner = d;
	}
	free(score);
	return tally_entropy(&t, k);
}

/*
 * The commonest value (the largest on a tie) to follow the d samples
 * before s[i] at the pairs ending at s[first..last], or -1; *count: how
 * often it did.
 */
static int follower(const uint8_t *s, size_t i, size_t d, size_t first, size_t last, size_t *count)
{
	size_t c[256] = { 0 }, e;
	int y, best = -1;

	for (e = first; e <= last && e < i + 1; e++)
		if (e >= d && memcmp(s + e - d, s + i - d, d) == 0)
			c[s[e]]++;
	*count = 0;
	for (y = 0; y < 256; y++)
		if (c[y] && c[y] >= *count) {
			*count = c[y];
			best = y;
		}
	return best;
}

static double slow_mmc(const uint8_t *s, size_t n, unsigned int k, unsigned int depth)
{
	struct tally t = { 0, 0, 0, 0 };
	size_t i, d, winner = 1, score[17] = { 0 }, count;
	int guess[17];

	for (i = 2; i < n; i++) {
		/* step 3a has counted the pairs ending at s[1..i-1] */
		for (d = 1; d <= depth && d <= i; d++)
			guess[d] = follower(s, i, d, 1, i - 1, &count);
		tally(&t, guess[winner] == s[i]);
		for (d = 1; d <= depth && d <= i; d++)
			if (guess[d] == s[i] && ++score[d] >= score[winner])
				winner = d;
	}
	return tally_entropy(&t, k);
}

static double slow_lz78y(const uint8_t *s, size_t n, unsigned int k, unsigned int depth)
{
	struct tally t = { 0, 0, 0, 0 };
	size_t i, j, most, count;
	int y, guess;

	for (i = depth + 1; i < n; i++) {
		/* step 3a has counted the pairs ending at s[depth..i-1] */
		most = 0;
		guess = -1;
		for (j = depth; j >= 1; j--) {
			y = follower(s, i, j, depth, i - 1, &count);
			if (y >= 0 && count > most) {
				most = count;
				guess = y;
			}
		}
		tally(&t, guess == s[i]);
	}
	return tally_entropy(&t, k);
}

/*
 * Random streams over 2 (the flat-array paths), 3 and 5 values (the hash
 * tables), some of them sticky (a value repeats with probability 0.7, so
 * that the predictors get runs right and P_local counts), against the slow
 * versions: the same guesses give the same numbers.
 */
START_TEST(predictors_step_by_step)
{
	static const unsigned int windows[ESTIMATE_MCW_COUNT] = { 3, 7, 15, 31 };
	static const unsigned int values[] = { 2, 3, 5 };
	const size_t n = 1000;
	uint8_t s[1000];
	uint8_t last;
	unsigned int v, sticky;
	size_t i;

	rng_state = 99;
	for (v = 0; v < 3; v++)
		for (sticky = 0; sticky < 2; sticky++) {
			last = (uint8_t)(rng() % values[v]);
			for (i = 0; i < n; i++) {
				if (!(sticky && uniform01() < 0.7))
					last = (uint8_t)(rng() % values[v]);
				s[i] = last;
			}
			near(estimate_multi_mcw(s, n, values[v], windows), slow_mcw(s, n, values[v], windows),
			     1e-12, "MultiMCW");
			near(estimate_lag(s, n, values[v], 128), slow_lag(s, n, values[v], 128), 1e-12, "lag");
			near(estimate_multi_mmc(s, n, values[v], 16), slow_mmc(s, n, values[v], 16), 1e-12,
			     "MultiMMC");
			near(estimate_lz78y(s, n, values[v], 16), slow_lz78y(s, n, values[v], 16), 1e-12,
			     "LZ78Y");
		}
}
END_TEST

/*
 * Lag's blocks of 64 steps, over many blocks: with few lags, and bytes
 * (few right guesses a block), their scores meet often, and a block may
 * end with a lag at the leader's score, which a tie can hand the lead.
 */
START_TEST(lag_blocks)
{
	static const unsigned int lags[] = { 2, 3, 128 }, values[] = { 2, 3, 256 };
	const size_t n = 40000;
	uint8_t *s = malloc(n);
	unsigned int v, l;
	size_t i;

	ck_assert(s != NULL);
	rng_state = 5;
	for (v = 0; v < 3; v++) {
		for (i = 0; i < n; i++)
			s[i] = (uint8_t)(rng() % values[v]);
		for (l = 0; l < 3; l++)
			near(estimate_lag(s, n, values[v], lags[l]), slow_lag(s, n, values[v], lags[l]), 1e-12,
			     "lag, long");
	}
	free(s);
}
END_TEST

/*
 * Random bytes with 300 equal ones inside: the windows predict the run
 * from early on, so a run of about 280 right guesses among few others
 * makes P_local (about 0.96) the largest term; at that p the exact
 * probability of no such run is the 0.99 P_local's equation aims at
 * (within 0.005: the equation approximates it).
 */
START_TEST(predictors_burst)
{
	static const unsigned int windows[ESTIMATE_MCW_COUNT] = ESTIMATE_MCW_WINDOWS;
	const size_t n = 4000;
	uint8_t *s = malloc(n);
	struct tally t;
	double h, local;
	size_t i;

	ck_assert(s != NULL);
	rng_state = 31337;
	for (i = 0; i < n; i++)
		s[i] = i >= 2000 && i < 2300 ? 7 : (uint8_t)(rng() >> 56);
	t = slow_mcw_tally(s, n, windows);
	h = tally_entropy_local(&t, 256, &local);
	ck_assert_msg(t.longest > 250 && h < 0.1 && h == -log2(local), "burst: run %zu, %f bits",
		      t.longest, h);
	near(no_run(local, t.longest + 1, t.n), 0.99, 0.005, "burst: P_local's probability");
	near(estimate_multi_mcw(s, n, 256, windows), h, 1e-12, "burst: MultiMCW");
	near(estimate_lag(s, n, 256, 128), slow_lag(s, n, 256, 128), 1e-12, "burst: lag");
	near(estimate_multi_mmc(s, n, 256, 16), slow_mmc(s, n, 256, 16), 1e-12, "burst: MultiMMC");
	near(estimate_lz78y(s, n, 256, 16), slow_lz78y(s, n, 256, 16), 1e-12, "burst: LZ78Y");
	free(s);
}
END_TEST

/* --- by hand -------------------------------------------------------------- */

START_TEST(hand_computed)
{
	static const unsigned int windows[ESTIMATE_MCW_COUNT] = ESTIMATE_MCW_WINDOWS;
	static const uint8_t three_of_four[] = { 5, 5, 5, 7 };
	uint8_t alt[1000], distinct[256];
	double t, l;
	size_t i;

	/* p^ = 0.75: 0.75 + 2.576 sqrt(0.1875 / 3) > 1, so p_u = 1 */
	near(estimate_mcv(three_of_four, 4), 0.0, 0, "MCV 3 of 4");
	/* 0101...: P0 = 1/2, P01 = P10 = 1; the likeliest 128 bits are
	 * 0101..01 and 1010..10 with probability 1/2: 1/128 bit */
	for (i = 0; i < sizeof(alt); i++)
		alt[i] = (uint8_t)(i & 1);
	near(estimate_markov(alt, sizeof(alt)), 1.0 / 128, 1e-12, "Markov alternating");
	/* collision times all 3: mean 3, sd 0, X' = 3 >= 2.5: no solution, 1 */
	near(estimate_collision(alt, sizeof(alt)), 1.0, 0, "collision alternating");
	/* 256 distinct values: no value 35 times, no repeat: neither applies */
	for (i = 0; i < 256; i++)
		distinct[i] = (uint8_t)i;
	ck_assert_int_eq(estimate_tuples(distinct, 256, 35, &t, &l), 0);
	ck_assert(isnan(t) && isnan(l));
	/* too short for the compression dictionary, or for anything */
	ck_assert(isnan(estimate_compression(alt, 6 * 1001, 1000)));
	ck_assert(isnan(estimate_mcv(alt, 1)));
	/* the predictors need two guesses (N >= 2), and 2 to 256 values */
	ck_assert(isnan(estimate_multi_mcw(alt, 64, 2, windows)));
	ck_assert(!isnan(estimate_multi_mcw(alt, 65, 2, windows)));
	ck_assert(isnan(estimate_lag(alt, 2, 2, 128)) && !isnan(estimate_lag(alt, 3, 2, 128)));
	ck_assert(isnan(estimate_multi_mmc(alt, 3, 2, 16)) && !isnan(estimate_multi_mmc(alt, 4, 2, 16)));
	ck_assert(isnan(estimate_lz78y(alt, 18, 2, 16)) && !isnan(estimate_lz78y(alt, 19, 2, 16)));
	ck_assert(isnan(estimate_lag(alt, 1000, 1, 128)) && isnan(estimate_lag(alt, 1000, 257, 128)));
	ck_assert(isnan(estimate_multi_mmc(alt, 1000, 2, 17)) && isnan(estimate_lz78y(alt, 1000, 2, 0)));
	/* 0101...: lag 2, order-1 contexts and LZ78Y always right after the start */
	near(estimate_lag(alt, sizeof(alt), 2, 128), 0.0, 0.01, "lag alternating");
	near(estimate_multi_mmc(alt, sizeof(alt), 2, 16), 0.0, 0.01, "MultiMMC alternating");
	near(estimate_lz78y(alt, sizeof(alt), 2, 16), 0.0, 0.01, "LZ78Y alternating");
}
END_TEST

START_TEST(rejects_bad_input)
{
	struct estimate_report r;
	uint8_t s[4] = { 0, 1, 2, 3 };

	errno = 0;
	ck_assert_int_eq(estimate_run(s, 4, 0, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(estimate_run(s, 4, 9, &r), -1);
	/* 2 and 3 do not fit in 1 bit */
	ck_assert_int_eq(estimate_run(s, 4, 1, &r), -1);
	ck_assert_int_eq(estimate_run(s, ESTIMATE_MAX_SAMPLES + 1, 8, &r), -1);
	ck_assert_int_eq(estimate_run(s, 4, 2, &r), 0);
}
END_TEST

/* --- streams of known entropy --------------------------------------------- */

static void run(const uint8_t *s, size_t n, unsigned int bits, struct estimate_report *r)
{
	ck_assert_msg(estimate_run(s, n, bits, r) == 0, "estimate_run failed");
}

/* Every estimate that applies is at most 'most' (+ rounding). */
static void none_above(const struct estimate_report *r, double most)
{
	int e;

	for (e = 0; e < ESTIMATE_COUNT; e++) {
		ck_assert_msg(isnan(r->original[e]) || r->original[e] <= most + 1e-9, "%s: %f above %f",
			      estimate_title(e), r->original[e], most);
		ck_assert_msg(isnan(r->bitstring[e]) || r->bitstring[e] <= most + 1e-9,
			      "%s (bitstring): %f above %f", estimate_title(e), r->bitstring[e], most);
	}
}

/*
 * Uniform bytes: 8 bits.  The estimators give less: the 99% bounds, and
 * the compression estimate most (its expected value is flat at the
 * uniform point, so a small confidence term moves p a lot): on 10^6
 * samples it gives about 7.1.  Tolerance: MCV within 0.35 and Markov within 0.2 of 8,
 * the minimum within 1.5.
 */
/*
 * A subset (the jitter source's start-up set: all but the two predictors
 * that keep every context) gives the same figures for what it runs, NAN for
 * the rest, and its minimum over what ran.  Samples with some structure, so
 * that the minimum is not a tie.
 */
START_TEST(subset_runs_only_what_it_names)
{
	const unsigned int which = ESTIMATE_ALL & ~ESTIMATE_CONTEXT_PREDICTORS;
	uint8_t s[1024];
	struct estimate_report all, some;
	double least = INFINITY;
	size_t i;
	int e;

	rng_state = 12345;
	for (i = 0; i < sizeof(s); i++)
		s[i] = (uint8_t)(i % 3 ? rng() >> 60 : 7);	/* 4-bit noise, every third 7 */
	ck_assert_int_eq(estimate_run(s, sizeof(s), 8, &all), 0);
	ck_assert_int_eq(estimate_run_some(s, sizeof(s), 8, which, &some), 0);
	for (e = 0; e < ESTIMATE_COUNT; e++) {
		if (which & (1u << e)) {
			ck_assert_msg(isnan(all.original[e]) ? isnan(some.original[e]) :
				      all.original[e] == some.original[e], "%s", estimate_key(e));
			ck_assert_msg(all.bitstring[e] == some.bitstring[e], "%s", estimate_key(e));
			if (!isnan(some.original[e]) && some.original[e] < least)
				least = some.original[e];
			if (some.bitstring[e] < least)
				least = some.bitstring[e];
		} else {
			ck_assert(isnan(some.original[e]) && isnan(some.bitstring[e]));
		}
	}
	ck_assert(some.min_entropy == least);
	ck_assert(!isnan(all.original[ESTIMATE_MULTI_MMC]) && !isnan(all.original[ESTIMATE_LZ78Y]));
}
END_TEST

START_TEST(uniform_bytes)
{
	uint8_t *s = malloc(N_STREAM);
	struct estimate_report r;
	size_t i;
	int e;

	ck_assert(s != NULL);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < N_STREAM; i++)
		s[i] = (uint8_t)(rng() >> 56);
	run(s, N_STREAM, 8, &r);
	none_above(&r, 8.0);
	/* The likeliest of 256 values is counted about 3 standard deviations
	 * above n/256, and the bound adds 2.576 more: 7.8 for n = 300000. */
	near(r.original[ESTIMATE_MCV], 8.0, 0.35, "uniform: MCV");
	near(r.bitstring[ESTIMATE_MARKOV], 8.0, 0.2, "uniform: Markov");
	ck_assert(isnan(r.original[ESTIMATE_COLLISION]));	/* binary only */
	near(r.min_entropy, 8.0, 1.5, "uniform: minimum");
	/*
	 * The predictors guess right about 1 in 256 (1 in 2 on the bits):
	 * P_global' adds 2.576 sqrt(p / N), 0.11 bits on N = 300000 (0.02
	 * on the bits), and C's own spread about 0.05 (1 sd); runs of right
	 * guesses are short, so P_local stays below.  Within 0.25 of 8.
	 */
	for (e = ESTIMATE_MULTI_MCW; e <= ESTIMATE_LZ78Y; e++) {
		near(r.original[e], 8.0, 0.25, estimate_title(e));
		near(r.bitstring[e], 8.0, 0.25, estimate_title(e));
	}
	free(s);
}
END_TEST

/*
 * Bits that are 1 with probability 0.6: the likeliest byte is 0xff, with
 * 0.6^8, so 8 x -log2(0.6) = 5.896 bits per byte.  MCV (on the bytes) and
 * Markov (on the bits) see exactly that, less the confidence margin: within
 * 0.08 (see N_STREAM); no estimate above it by more than 0.05; the minimum
 * (compression, about 4.2) at least 3.5.
 */
START_TEST(biased_bits)
{
	const double h = -8.0 * log2(0.6);
	uint8_t *s = malloc(N_STREAM);
	struct estimate_report r;
	size_t i;
	int k;

	ck_assert(s != NULL);
	rng_state = 12345;
	for (i = 0; i < N_STREAM; i++) {
		uint8_t b = 0;

		for (k = 0; k < 8; k++)
			b = (uint8_t)((b << 1) | (uniform01() < 0.6));
		s[i] = b;
	}
	run(s, N_STREAM, 8, &r);
	near(r.original[ESTIMATE_MCV], h, 0.08, "biased: MCV");
	near(r.bitstring[ESTIMATE_MARKOV], h, 0.08, "biased: Markov");
	ck_assert_msg(r.original[ESTIMATE_T_TUPLE] <= h + 0.05, "biased: t-tuple %f", r.original[ESTIMATE_T_TUPLE]);
	ck_assert_msg(r.min_entropy <= h + 0.05 && r.min_entropy >= 3.5, "biased: minimum %f", r.min_entropy);
	free(s);
}
END_TEST

/*
 * A binary Markov chain that keeps its state with probability 0.8: its
 * min-entropy rate is -log2(0.8) = 0.3219 bits per sample, and the Markov
 * estimate's likeliest 128 samples (all equal) have probability
 * 1/2 x 0.8^127: (1 + 127 x 0.3219) / 128 = 0.3272; within 0.01.  The
 * collision estimate, built for independent samples, reads the chain's
 * runs as bias and goes lower (about 0.17); the minimum may not exceed the
 * rate by more than 0.01.
 */
START_TEST(markov_chain)
{
	const double rate = -log2(0.8);
	uint8_t *s = malloc(N_STREAM);
	struct estimate_report r;
	uint8_t state = 0;
	size_t i;

	ck_assert(s != NULL);
	rng_state = 777;
	for (i = 0; i < N_STREAM; i++) {
		if (uniform01() >= 0.8)
			state ^= 1;
		s[i] = state;
	}
	run(s, N_STREAM, 1, &r);
	near(r.original[ESTIMATE_MARKOV], (1 + 127 * rate) / 128, 0.01, "chain: Markov");
	near(r.original[ESTIMATE_MCV], 1.0, 0.02, "chain: MCV (balanced states)");
	ck_assert(isnan(r.bitstring[ESTIMATE_MCV]));	/* binary: no bitstring */
	ck_assert_msg(r.min_entropy <= rate + 0.01, "chain: minimum %f", r.min_entropy);
	free(s);
}
END_TEST

/* A constant stream carries nothing: every estimate is exactly 0. */
START_TEST(constant_stream)
{
	uint8_t *s = calloc(1, 100000);
	struct estimate_report r;
	int e;

	ck_assert(s != NULL);
	run(s, 100000, 8, &r);
	for (e = 0; e < ESTIMATE_COUNT; e++) {
		ck_assert(isnan(r.original[e]) || r.original[e] == 0.0);
		ck_assert(r.bitstring[e] == 0.0);
	}
	ck_assert(r.min_entropy == 0.0);
	free(s);
}
END_TEST

/*
 * Random bytes repeating with period 5: after the first period every
 * sample follows from the one 5 back (lag 5), and from the one before
 * (MultiMMC and LZ78Y contexts of one sample): those three find it, and
 * only their first guesses and the confidence bound keep them above 0,
 * by far less than 0.05 bits on 100000 samples (P_global' about
 * 1 - 2.576 / sqrt(N) at most: 0.012 bits).  MultiMCW cannot: a window's
 * most common value is never the one that comes next (5 values, each as
 * often, the latest of them on a tie: the one just seen), so it stays far
 * above (over 4 bits).
 */
START_TEST(periodic_stream)
{
	static const uint8_t period[5] = { 17, 200, 3, 99, 42 };
	const size_t n = 100000;
	uint8_t *s = malloc(n);
	struct estimate_report r;
	size_t i;

	ck_assert(s != NULL);
	for (i = 0; i < n; i++)
		s[i] = period[i % 5];
	run(s, n, 8, &r);
	ck_assert_msg(r.original[ESTIMATE_LAG] < 0.05, "period 5: lag %f", r.original[ESTIMATE_LAG]);
	ck_assert_msg(r.original[ESTIMATE_MULTI_MMC] < 0.05, "period 5: MultiMMC %f",
		      r.original[ESTIMATE_MULTI_MMC]);
	ck_assert_msg(r.original[ESTIMATE_LZ78Y] < 0.05, "period 5: LZ78Y %f", r.original[ESTIMATE_LZ78Y]);
	/* 40 bits a period: lag 40 is among the 128 */
	ck_assert_msg(r.bitstring[ESTIMATE_LAG] < 0.05, "period 5: lag (bits) %f", r.bitstring[ESTIMATE_LAG]);
	ck_assert_msg(r.original[ESTIMATE_MULTI_MCW] > 4, "period 5: MultiMCW %f",
		      r.original[ESTIMATE_MULTI_MCW]);
	ck_assert(r.min_entropy < 0.05);
	free(s);
}
END_TEST

/*
 * A stream whose second half repeats its first: nothing new after the
 * middle.  The LRS estimate sees repeats as long as half the data and
 * must drop far below the 8 bits the halves look like on their own.
 */
START_TEST(repeated_half)
{
	const size_t n = 200000;
	uint8_t *s = malloc(n);
	struct estimate_report r;
	size_t i;

	ck_assert(s != NULL);
	rng_state = 4242;
	for (i = 0; i < n / 2; i++)
		s[i] = s[i + n / 2] = (uint8_t)(rng() >> 56);
	run(s, n, 8, &r);
	ck_assert_msg(r.original[ESTIMATE_MCV] > 7.5, "MCV %f", r.original[ESTIMATE_MCV]);
	ck_assert_msg(r.original[ESTIMATE_LRS] < 1.0, "LRS %f", r.original[ESTIMATE_LRS]);
	ck_assert(r.min_entropy < 1.0);
	free(s);
}
END_TEST

static Suite *estimate_suite(void)
{
	Suite *s = suite_create("estimate");
	TCase *known = tcase_create("known answers");
	TCase *streams = tcase_create("streams");

	tcase_add_test(known, standard_examples);
	tcase_add_test(known, predictor_examples);
	tcase_add_test(known, predictors_step_by_step);
	tcase_add_test(known, lag_blocks);
	tcase_add_test(known, predictors_burst);
	tcase_add_test(known, hand_computed);
	tcase_add_test(known, rejects_bad_input);
	tcase_add_test(streams, subset_runs_only_what_it_names);
	tcase_add_test(streams, uniform_bytes);
	tcase_add_test(streams, biased_bits);
	tcase_add_test(streams, markov_chain);
	tcase_add_test(streams, constant_stream);
	tcase_add_test(streams, periodic_stream);
	tcase_add_test(streams, repeated_half);
	suite_add_tcase(s, known);
	suite_add_tcase(s, streams);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(estimate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
