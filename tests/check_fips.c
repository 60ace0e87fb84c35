/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/fips.c: the known-answer vectors in tests/data/ (whose
 * verdicts rngtest gave), the exact bounds of each test, and a comparison
 * with a plain bit-by-bit model of rngtest's loop on thousands of blocks
 * built to sit near the bounds.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fips.h"

/* ---- helpers ------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static double rng_uniform(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static int get_bit(const uint8_t *b, unsigned int i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

static void set_bit(uint8_t *b, unsigned int i, int v)
{
	if (v)
		b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	else
		b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
}

/* Read a vector file from tests/data into buf; returns its length. */
static size_t load_vector(const char *name, uint8_t *buf, size_t cap)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/data/%s", top ? top : ".", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (is top_srcdir set?)", path);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* Verdicts for every block of a vector file, primed with its first 4 bytes. */
static size_t check_vector_impl(const char *name, unsigned int *verdicts, size_t max, enum fips_impl impl)
{
	static uint8_t buf[FIPS_PRIME_BYTES + 4 * FIPS_BLOCK_BYTES];
	size_t len = load_vector(name, buf, sizeof(buf)), i, blocks;
	struct fips_ctx ctx;

	ck_assert_uint_ge(len, FIPS_PRIME_BYTES + FIPS_BLOCK_BYTES);
	ck_assert_uint_eq((len - FIPS_PRIME_BYTES) % FIPS_BLOCK_BYTES, 0);
	blocks = (len - FIPS_PRIME_BYTES) / FIPS_BLOCK_BYTES;
	ck_assert_uint_le(blocks, max);
	ck_assert_int_eq(fips_init_impl(&ctx, buf, impl), 0);
	for (i = 0; i < blocks; i++)
		verdicts[i] = fips_check(&ctx, buf + FIPS_PRIME_BYTES + i * FIPS_BLOCK_BYTES);
	return blocks;
}

static size_t check_vector(const char *name, unsigned int *verdicts, size_t max)
{
	return check_vector_impl(name, verdicts, max, FIPS_IMPL_AUTO);
}

/*
 * The word loop a looped test runs: its index _i.  Tests of a loop this
 * build or CPU lacks pass after saying so.
 */
static int use_impl(enum fips_impl impl)
{
	if (fips_impl_available(impl))
		return 1;
	fprintf(stderr, "check_fips: no %s loop on this build or CPU: skipped\n", fips_impl_name(impl));
	return 0;
}

/* A block that passes everything, from pass.bin, and a context for it. */
static void passing_block(uint8_t *block, struct fips_ctx *ctx, enum fips_impl impl)
{
	uint8_t buf[FIPS_PRIME_BYTES + FIPS_BLOCK_BYTES];

	ck_assert_uint_eq(load_vector("pass.bin", buf, sizeof(buf)), sizeof(buf));
	memcpy(block, buf + FIPS_PRIME_BYTES, FIPS_BLOCK_BYTES);
	ck_assert_int_eq(fips_init_impl(ctx, buf, impl), 0);
}

/*
 * A bit-by-bit model of rngtest's loop, written from its documented
 * behaviour (see src/fips.c): runs counted on the other value's side but
 * the last run on its own, the spurious count when a block's first bit
 * differs from the previous block's last bit (into the zero runs' 6+
 * bucket, or the poker count of 0xf), and the bounds of 2001-10-10.
 */
struct model {
	uint32_t last_word;
	int last_bit;
};

static unsigned int model_check(struct model *m, const uint8_t *block)
{
	static const int lo[6] = { 2315, 1114, 527, 240, 103, 103 };
	static const int hi[6] = { 2685, 1386, 723, 384, 209, 209 };
	int runs[12] = { 0 }, poker[16] = { 0 }, ones = 0, rlength = -1, bit = 0, longrun = 0;
	unsigned int result = 0, i;
	long sum = 0;
	uint32_t w;

	for (i = 0; i < FIPS_BLOCK_BYTES; i += 4) {
		memcpy(&w, block + i, 4);
		if (w == m->last_word)
			result |= FIPS_FAIL_CONTINUOUS;
		m->last_word = w;
	}
	for (i = 0; i < FIPS_BLOCK_BYTES; i++) {
		poker[block[i] >> 4]++;
		poker[block[i] & 15]++;
	}
	for (i = 0; i < FIPS_BLOCK_BITS; i++) {
		bit = get_bit(block, i);
		ones += bit;
		if (bit != m->last_bit) {
			int slot = (rlength < 5 ? rlength : 5) + 6 * bit;

			if (slot < 0)
				poker[15]++;	/* the slot before runs[] */
			else
				runs[slot]++;
			if (rlength >= 25)
				longrun = 1;
			rlength = 0;
			m->last_bit = bit;
		} else {
			rlength++;
		}
	}
	runs[(rlength < 5 ? rlength : 5) + 6 * bit]++;
	if (rlength >= 25)
		longrun = 1;
	if (longrun)
		result |= FIPS_FAIL_LONGRUN;
	if (ones >= 10275 || ones <= 9725)
		result |= FIPS_FAIL_MONOBIT;
	for (i = 0; i < 16; i++)
		sum += (long)poker[i] * poker[i];
	if (sum > 1576928 || sum < 1563176)
		result |= FIPS_FAIL_POKER;
	for (i = 0; i < 12; i++)
		if (runs[i] < lo[i % 6] || runs[i] > hi[i % 6])
			result |= FIPS_FAIL_RUNS;
	return result;
}

/* A block near the bounds: bias or run tendency, maybe a long run or repeat. */
static void marginal_block(uint8_t *block)
{
	int markov = rng_uniform() < 0.5, bit = (int)(rng_next() >> 63);
	double flip = 0.46 + 0.08 * rng_uniform(), one = 0.485 + 0.03 * rng_uniform();
	unsigned int i, n, pos;

	for (i = 0; i < FIPS_BLOCK_BITS; i++) {
		bit = markov ? (rng_uniform() < flip ? !bit : bit) : rng_uniform() < one;
		set_bit(block, i, bit);
	}
	if (rng_uniform() < 0.2) {
		n = 20 + (unsigned int)(rng_next() % 12);
		pos = (unsigned int)(rng_next() % (FIPS_BLOCK_BITS - n + 1));
		bit = (int)(rng_next() >> 63);
		for (i = pos; i < pos + n; i++)
			set_bit(block, i, bit);
	}
	if (rng_uniform() < 0.05) {
		pos = 4 * (unsigned int)(rng_next() % (FIPS_BLOCK_BYTES / 4 - 1));
		memcpy(block + pos + 4, block + pos, 4);
	}
}

/* ---- known answers -------------------------------------------------------- */

START_TEST(vector_pass)
{
	unsigned int v[4];

	ck_assert_uint_eq(check_vector("pass.bin", v, 4), 1);
	ck_assert_uint_eq(v[0], 0);
}
END_TEST

START_TEST(vector_each_test_alone)
{
	enum fips_impl impl = (enum fips_impl)_i;
	static const struct {
		const char *file;
		unsigned int verdict;
	} cases[] = {
		{ "monobit.bin", FIPS_FAIL_MONOBIT },
		{ "poker.bin", FIPS_FAIL_POKER },
		{ "runs.bin", FIPS_FAIL_RUNS },
		{ "longrun.bin", FIPS_FAIL_LONGRUN },
	};
	unsigned int v[4];
	size_t i;

	if (!use_impl(impl))
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_uint_eq(check_vector_impl(cases[i].file, v, 4, impl), 1);
		ck_assert_msg(v[0] == cases[i].verdict, "%s, %s loop: verdict %#x, expected %#x",
			      cases[i].file, fips_impl_name(impl), v[0], cases[i].verdict);
	}
}
END_TEST

START_TEST(vector_continuous_across_blocks)
{
	enum fips_impl impl = (enum fips_impl)_i;
	unsigned int v[4];

	if (!use_impl(impl))
		return;
	ck_assert_uint_eq(check_vector_impl("continuous.bin", v, 4, impl), 2);
	ck_assert_uint_eq(v[0], 0);
	ck_assert_uint_eq(v[1], FIPS_FAIL_CONTINUOUS);
}
END_TEST

/* ---- bounds --------------------------------------------------------------- */

static unsigned int count_ones(const uint8_t *block)
{
	unsigned int i, n = 0;

	for (i = 0; i < FIPS_BLOCK_BITS; i++)
		n += (unsigned int)get_bit(block, i);
	return n;
}

/* Flip isolated bits (never two neighbours) until the block has 'ones' ones. */
static void set_ones(uint8_t *block, unsigned int ones)
{
	unsigned int have = count_ones(block), i;

	for (i = 1; have != ones && i < FIPS_BLOCK_BITS - 1; i += 3) {
		int bit = get_bit(block, i);

		if (have < ones && !bit && !get_bit(block, i - 1) && !get_bit(block, i + 1)) {
			set_bit(block, i, 1);
			have++;
		} else if (have > ones && bit && get_bit(block, i - 1) && get_bit(block, i + 1)) {
			set_bit(block, i, 0);
			have--;
		}
	}
	ck_assert_uint_eq(have, ones);
}

START_TEST(monobit_bounds)
{
	static const struct {
		unsigned int ones;
		int fails;
	} cases[] = { { 9725, 1 }, { 9726, 0 }, { 10274, 0 }, { 10275, 1 } };
	enum fips_impl impl = (enum fips_impl)_i;
	uint8_t block[FIPS_BLOCK_BYTES];
	struct fips_ctx ctx;
	size_t i;

	if (!use_impl(impl))
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		passing_block(block, &ctx, impl);
		set_ones(block, cases[i].ones);
		ck_assert_msg(!!(fips_check(&ctx, block) & FIPS_FAIL_MONOBIT) == cases[i].fails,
			      "%u ones", cases[i].ones);
	}
}
END_TEST

/* A run of exactly len bits of value v at bit pos: 25 passes, 26 fails. */
START_TEST(longrun_bounds_at_every_alignment)
{
	enum fips_impl impl = (enum fips_impl)_i;
	uint8_t block[FIPS_BLOCK_BYTES];
	struct fips_ctx ctx;
	unsigned int pos, len, i;
	int v;

	if (!use_impl(impl))
		return;
	for (v = 0; v < 2; v++) {
		for (len = 25; len <= 27; len++) {
			/* every alignment against bytes and 64-bit words, the
			 * block's start, its end and the 32-bit tail */
			for (pos = 0; pos < FIPS_BLOCK_BITS - len; pos += (pos < 140 || pos > 19800) ? 1 : 997) {
				passing_block(block, &ctx, impl);
				for (i = pos; i < pos + len; i++)
					set_bit(block, i, v);
				if (pos > 0)
					set_bit(block, pos - 1, !v);
				if (pos + len < FIPS_BLOCK_BITS)
					set_bit(block, pos + len, !v);
				ck_assert_msg(!!(fips_check(&ctx, block) & FIPS_FAIL_LONGRUN) == (len >= 26),
					      "run of %u %ds at bit %u", len, v, pos);
			}
			/* and ending exactly at the block's last bit */
			passing_block(block, &ctx, impl);
			for (i = FIPS_BLOCK_BITS - len; i < FIPS_BLOCK_BITS; i++)
				set_bit(block, i, v);
			set_bit(block, FIPS_BLOCK_BITS - len - 1, !v);
			ck_assert_uint_eq(!!(fips_check(&ctx, block) & FIPS_FAIL_LONGRUN), len >= 26);
		}
	}
}
END_TEST

START_TEST(continuous_word_positions)
{
	enum fips_impl impl = (enum fips_impl)_i;
	uint8_t block[FIPS_BLOCK_BYTES], prime[FIPS_PRIME_BYTES];
	struct fips_ctx ctx;
	unsigned int w;

	if (!use_impl(impl))
		return;
	/* a repeat at every aligned position, and the first word against the prime */
	for (w = 1; w < FIPS_BLOCK_BYTES / 4; w++) {
		passing_block(block, &ctx, impl);
		memcpy(block + 4 * w, block + 4 * (w - 1), 4);
		ck_assert_msg(fips_check(&ctx, block) & FIPS_FAIL_CONTINUOUS, "word %u", w);
	}
	passing_block(block, &ctx, impl);
	memcpy(block + FIPS_BLOCK_BYTES - 4, block + FIPS_BLOCK_BYTES - 8, 4);
	ck_assert(fips_check(&ctx, block) & FIPS_FAIL_CONTINUOUS);
	passing_block(block, &ctx, impl);
	memcpy(prime, block, 4);
	ck_assert_int_eq(fips_init_impl(&ctx, prime, impl), 0);
	ck_assert(fips_check(&ctx, block) & FIPS_FAIL_CONTINUOUS);
	/* an unaligned repeat is not a continuous-test failure */
	passing_block(block, &ctx, impl);
	memcpy(block + 102, block + 98, 4);
	ck_assert(!(fips_check(&ctx, block) & FIPS_FAIL_CONTINUOUS));
}
END_TEST

START_TEST(constant_blocks_fail_everything)
{
	enum fips_impl impl = (enum fips_impl)_i;
	uint8_t block[FIPS_BLOCK_BYTES], prime[FIPS_PRIME_BYTES] = { 1, 2, 3, 4 };
	unsigned int all = FIPS_FAIL_MONOBIT | FIPS_FAIL_POKER | FIPS_FAIL_RUNS |
			   FIPS_FAIL_LONGRUN | FIPS_FAIL_CONTINUOUS;
	struct fips_ctx ctx;

	if (!use_impl(impl))
		return;
	memset(block, 0, sizeof(block));
	ck_assert_int_eq(fips_init_impl(&ctx, prime, impl), 0);
	ck_assert_uint_eq(fips_check(&ctx, block), all);
	memset(block, 0xff, sizeof(block));
	ck_assert_uint_eq(fips_check(&ctx, block), all);
	/* alternating bits: ones balanced, but runs of one bit only */
	memset(block, 0x55, sizeof(block));
	ck_assert(fips_check(&ctx, block) & FIPS_FAIL_RUNS);
	ck_assert(!(fips_check(&ctx, block) & FIPS_FAIL_MONOBIT));
}
END_TEST

/* ---- against the bit-by-bit model --------------------------------------- */

/* _i: the word loop times 4 seeds */
START_TEST(same_verdicts_as_bit_model)
{
	enum fips_impl impl = (enum fips_impl)(_i / 4);
	uint8_t block[FIPS_BLOCK_BYTES], prime[FIPS_PRIME_BYTES];
	struct fips_ctx ctx;
	struct model m;
	unsigned int i, got, want, failed = 0, seen = 0;

	if (!use_impl(impl))
		return;
	rng_state = 0x853c49e6748fea9bull + (uint64_t)(_i % 4);
	for (i = 0; i < 4; i++)
		prime[i] = (uint8_t)rng_next();
	ck_assert_int_eq(fips_init_impl(&ctx, prime, impl), 0);
	memcpy(&m.last_word, prime, 4);
	m.last_bit = 0;
	for (i = 0; i < 600; i++) {
		marginal_block(block);
		got = fips_check(&ctx, block);
		want = model_check(&m, block);
		ck_assert_msg(got == want, "%s loop, block %u: verdict %#x, model says %#x",
			      fips_impl_name(impl), i, got, want);
		failed += got != 0;
		seen |= got;
	}
	/* the stream must exercise every test both ways to mean anything */
	ck_assert_uint_gt(failed, 40);
	ck_assert_uint_lt(failed, 560);
	ck_assert_uint_eq(seen, 0x1f);
}
END_TEST

/* Random blocks, mostly passing, against the model: the common case. */
START_TEST(random_blocks_as_bit_model)
{
	enum fips_impl impl = (enum fips_impl)_i;
	uint8_t block[FIPS_BLOCK_BYTES], prime[FIPS_PRIME_BYTES] = { 9, 8, 7, 6 };
	struct fips_ctx ctx;
	struct model m;
	unsigned int i, k, got, want;

	if (!use_impl(impl))
		return;
	rng_state = 0x2545f4914f6cdd1dull;
	ck_assert_int_eq(fips_init_impl(&ctx, prime, impl), 0);
	memcpy(&m.last_word, prime, 4);
	m.last_bit = 0;
	for (i = 0; i < 300; i++) {
		for (k = 0; k < FIPS_BLOCK_BYTES; k++)
			block[k] = (uint8_t)(rng_next() >> 56);
		got = fips_check(&ctx, block);
		want = model_check(&m, block);
		ck_assert_msg(got == want, "%s loop, block %u: verdict %#x, model says %#x",
			      fips_impl_name(impl), i, got, want);
	}
}
END_TEST

/* A block tested from fips_follow(previous) gets its in-order verdict. */
START_TEST(follow_gives_in_order_verdicts)
{
	static uint8_t blocks[40][FIPS_BLOCK_BYTES];
	uint8_t prime[FIPS_PRIME_BYTES] = { 5, 6, 7, 8 };
	unsigned int in_order[40], i, differ = 0;
	struct fips_ctx ctx, fresh;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < 40; i++) {
		marginal_block(blocks[i]);
		if (i % 3 == 1)	/* the continuous test through the block before */
			memcpy(blocks[i], blocks[i - 1] + FIPS_BLOCK_BYTES - 4, 4);
	}
	fips_init(&ctx, prime);
	for (i = 0; i < 40; i++)
		in_order[i] = fips_check(&ctx, blocks[i]);
	for (i = 39; i > 0; i--) {	/* backwards: nothing carries over */
		fips_init(&fresh, prime);
		fips_follow(&fresh, blocks[i - 1]);
		ck_assert_msg(fips_check(&fresh, blocks[i]) == in_order[i], "block %u", i);
		fips_init(&fresh, prime);
		differ += fips_check(&fresh, blocks[i]) != in_order[i];
	}
	/* and without fips_follow the verdicts would differ */
	ck_assert_uint_gt(differ, 5);
}
END_TEST

/* Every loop this build has is either run or refused, never half set up. */
START_TEST(impl_choice)
{
	uint8_t prime[FIPS_PRIME_BYTES] = { 1, 2, 3, 4 };
	struct fips_ctx ctx;
	int impl;

	ck_assert(fips_impl_available(FIPS_IMPL_AUTO));
	ck_assert(fips_impl_available(FIPS_IMPL_GENERIC));
	fips_init(&ctx, prime);
	ck_assert(ctx.impl != FIPS_IMPL_AUTO && fips_impl_available(ctx.impl));
	fprintf(stderr, "check_fips: fips_init chose the %s loop\n", fips_impl_name(ctx.impl));
	/* auto takes the last (fastest) available one */
	for (impl = (int)ctx.impl + 1; impl < FIPS_IMPL_COUNT; impl++)
		ck_assert_msg(!fips_impl_available((enum fips_impl)impl), "auto skipped %s",
			      fips_impl_name((enum fips_impl)impl));
	memset(&ctx, 0x5a, sizeof(ctx));
	ck_assert_int_eq(fips_init_impl(&ctx, prime, FIPS_IMPL_COUNT), -1);
	ck_assert_uint_eq(ctx.last_bit, 0x5a5a5a5au);
	for (impl = FIPS_IMPL_GENERIC; impl < FIPS_IMPL_COUNT; impl++)
		ck_assert_int_eq(fips_init_impl(&ctx, prime, (enum fips_impl)impl),
				 fips_impl_available((enum fips_impl)impl) ? 0 : -1);
	ck_assert_str_eq(fips_impl_name(FIPS_IMPL_AVX2), "avx2");
	ck_assert_str_eq(fips_impl_name(FIPS_IMPL_COUNT), "unknown");
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(fips_test_name(FIPS_TEST_MONOBIT), "Monobit");
	ck_assert_str_eq(fips_test_name(FIPS_TEST_POKER), "Poker");
	ck_assert_str_eq(fips_test_name(FIPS_TEST_RUNS), "Runs");
	ck_assert_str_eq(fips_test_name(FIPS_TEST_LONGRUN), "Long run");
	ck_assert_str_eq(fips_test_name(FIPS_TEST_CONTINUOUS), "Continuous run");
	ck_assert_str_eq(fips_test_name(FIPS_TEST_COUNT), "unknown");
}
END_TEST

static Suite *fips_suite(void)
{
	Suite *s = suite_create("fips");
	TCase *tc = tcase_create("vectors");

	tcase_add_test(tc, vector_pass);
	/* the looped tests run once per word loop (FIPS_IMPL_AUTO first) */
	tcase_add_loop_test(tc, vector_each_test_alone, 0, FIPS_IMPL_COUNT);
	tcase_add_loop_test(tc, vector_continuous_across_blocks, 0, FIPS_IMPL_COUNT);
	suite_add_tcase(s, tc);
	tc = tcase_create("bounds");
	tcase_add_loop_test(tc, monobit_bounds, 0, FIPS_IMPL_COUNT);
	tcase_add_loop_test(tc, longrun_bounds_at_every_alignment, 0, FIPS_IMPL_COUNT);
	tcase_add_loop_test(tc, continuous_word_positions, 0, FIPS_IMPL_COUNT);
	tcase_add_loop_test(tc, constant_blocks_fail_everything, 0, FIPS_IMPL_COUNT);
	tcase_add_test(tc, impl_choice);
	tcase_add_test(tc, follow_gives_in_order_verdicts);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("model");
	tcase_add_loop_test(tc, same_verdicts_as_bit_model, 0, 4 * FIPS_IMPL_COUNT);
	tcase_add_loop_test(tc, random_blocks_as_bit_model, 0, FIPS_IMPL_COUNT);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fips_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
