/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the SP 800-90B 6.3 estimators:
 *  - the standard's worked examples (SP 800-90B, January 2018, sections
 *    6.3.1-6.3.6: the same data and the smaller parameters the examples
 *    use), to the four decimals the standard prints;
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

/* --- by hand -------------------------------------------------------------- */

START_TEST(hand_computed)
{
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
START_TEST(uniform_bytes)
{
	uint8_t *s = malloc(N_STREAM);
	struct estimate_report r;
	size_t i;

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
	tcase_add_test(known, hand_computed);
	tcase_add_test(known, rejects_bad_input);
	tcase_add_test(streams, uniform_bytes);
	tcase_add_test(streams, biased_bits);
	tcase_add_test(streams, markov_chain);
	tcase_add_test(streams, constant_stream);
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
