/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FIPS 140-2 (2001-10-10) tests, a block of 20000 bits at a time, 64 bits
 * per step instead of one.
 *
 * Bits are read most significant first within each byte, as rngtest reads
 * them, so the block is processed as big-endian 64-bit words.  Runs are
 * counted with word operations: a run of bit v starts where the bit is v
 * and the previous one is not; it is at least k long where the next k-1
 * bits (with look-ahead into the following word) are v too.  Counting the
 * starts of runs at least 1..6 long gives every bucket of the runs test in
 * twelve popcounts per word.  The long-run test needs 26 equal bits; such a
 * run always covers two whole aligned bytes, so the word loop only looks
 * for a pair of 0x00 or 0xff bytes and the exact check runs on the (rare)
 * blocks that have one.
 *
 * rngtest's verdicts are the reference, including two quirks of its bit
 * loop that change what it counts (both checked against rngtest on
 * generated streams by tests/fips-vs-rngtest.sh):
 *  - a run that ends is counted in the buckets of the *other* bit value,
 *    except the block's last run, which goes to its own value's buckets;
 *  - when a block's first bit differs from the previous block's last bit
 *    (0 before the first block), a run "of length 0" is recorded: with a
 *    first bit 1 it lands in the zero-runs' 6+ bucket, with a first bit 0
 *    one slot before the runs array, which in rngtest's context is the
 *    poker count of nibble 0xf.
 */
#include "config.h"

#include <string.h>

#include "fips.h"

#define BLOCK_WORDS_FULL 312			/* 64-bit words fully in a block */
#define TAIL_OFFSET ((size_t)8 * BLOCK_WORDS_FULL)
#define TAIL_BYTES (FIPS_BLOCK_BYTES - TAIL_OFFSET)		/* 4 */

/* Bounds of FIPS 140-2 as amended 2001-10-10: a block passes strictly inside. */
#define MONOBIT_LOW  9725
#define MONOBIT_HIGH 10275
/* Poker: 2.16 < X < 46.17 with X = 16/5000 * sum(f^2) - 5000, in integers. */
#define POKER_SUM_MIN 1563176u
#define POKER_SUM_MAX 1576928u
#define LONGRUN_BITS  26
#define RUN_BUCKETS   6				/* lengths 1..5 and 6+ */

static const unsigned int runs_bounds[RUN_BUCKETS][2] = {
	{ 2315, 2685 }, { 1114, 1386 }, { 527, 723 },
	{ 240, 384 }, { 103, 209 }, { 103, 209 },
};

static const char *const test_names[FIPS_TEST_COUNT] = {
	[FIPS_TEST_MONOBIT] = "Monobit",
	[FIPS_TEST_POKER] = "Poker",
	[FIPS_TEST_RUNS] = "Runs",
	[FIPS_TEST_LONGRUN] = "Long run",
	[FIPS_TEST_CONTINUOUS] = "Continuous run",
};

/* What one pass over a block's words finds. */
struct block_tally {
	unsigned int ones;
	/* at_least[v][k]: runs of bit v that are at least k + 1 bits long */
	unsigned int at_least[2][RUN_BUCKETS];
};

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
}

static inline uint32_t load_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap32(v);
}

/* bits shifted left by m, the following word's bits coming in (0 < m < 64) */
static inline uint64_t ahead(uint64_t bits, uint64_t next, unsigned int m)
{
	return (bits << m) | (next >> (64 - m));
}

static inline unsigned int popcount(uint64_t x)
{
	return (unsigned int)__builtin_popcountll(x);
}

/*
 * Count the run starts of one bit value in a word into at_least[0..5].
 * bits: 1 where the bit has that value; prev: the same for the bit before
 * the word (0 at the block's start); a1..a5: bits shifted by 1..5 with the
 * following bits coming in.  Written out step by step so that the counters
 * stay in registers.
 */
static inline __attribute__((always_inline))
void count_runs(unsigned int at_least[RUN_BUCKETS], uint64_t bits, uint64_t prev,
		uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t starts = bits & ~((bits >> 1) | (prev << 63));

	at_least[0] += popcount(starts);
	starts &= a1;
	at_least[1] += popcount(starts);
	starts &= a2;
	at_least[2] += popcount(starts);
	starts &= a3;
	at_least[3] += popcount(starts);
	starts &= a4;
	at_least[4] += popcount(starts);
	starts &= a5;
	at_least[5] += popcount(starts);
}

/*
 * The word loop: ones and run starts.  Inlined for each kind of CPU it is
 * built for.
 */
static inline __attribute__((always_inline))
void tally_words(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	unsigned int ones = 0, at_least1[RUN_BUCKETS] = { 0 }, at_least0[RUN_BUCKETS] = { 0 };
	uint64_t word, next, a1, a2, a3, a4, a5, tail;
	/* 1: the word before ended with a 1; 2: with a 0; 0: block start */
	uint64_t prev_bit = 0;
	size_t i, k;

	word = load_be64(block);
	for (i = 0; i < BLOCK_WORDS_FULL; i++) {
		next = i + 1 < BLOCK_WORDS_FULL ? load_be64(block + 8 * (i + 1)) :
			(uint64_t)load_be32(block + TAIL_OFFSET) << 32;

		/* The poker histogram here keeps the load ports busy while
		 * the run counting keeps the arithmetic ones busy. */
		for (k = 0; k < 8; k += 2) {
			hist[0][block[8 * i + k]]++;
			hist[1][block[8 * i + k + 1]]++;
		}
		ones += popcount(word);
		/* Look-ahead never goes past bit 5 of the next word, which is
		 * data even when the next word is the 4-byte tail. */
		a1 = ahead(word, next, 1);
		a2 = ahead(word, next, 2);
		a3 = ahead(word, next, 3);
		a4 = ahead(word, next, 4);
		a5 = ahead(word, next, 5);
		count_runs(at_least1, word, prev_bit & 1, a1, a2, a3, a4, a5);
		count_runs(at_least0, ~word, prev_bit >> 1, ~a1, ~a2, ~a3, ~a4, ~a5);

		prev_bit = (word & 1) ? 1 : 2;
		word = next;
	}

	/*
	 * The tail: 32 bits in the top half of word.  The bottom half is not
	 * data, so each bit value gets its own view in which those bits are
	 * "not this value" and end any run there.
	 */
	for (k = 0; k < TAIL_BYTES; k += 2) {
		hist[0][block[8 * i + k]]++;
		hist[1][block[8 * i + k + 1]]++;
	}
	tail = word;
	ones += popcount(tail);
	count_runs(at_least1, tail, prev_bit & 1,
		   tail << 1, tail << 2, tail << 3, tail << 4, tail << 5);
	tail = ~word & 0xffffffff00000000ull;
	count_runs(at_least0, tail, prev_bit >> 1,
		   tail << 1, tail << 2, tail << 3, tail << 4, tail << 5);

	t->ones = ones;
	for (k = 0; k < RUN_BUCKETS; k++) {
		t->at_least[1][k] = at_least1[k];
		t->at_least[0][k] = at_least0[k];
	}
}

#if defined(__x86_64__) || defined(__i386__)
/* BMI2's non-destructive shifts and BMI's and-not halve the instructions. */
static __attribute__((target("popcnt,bmi,bmi2")))
void tally_bmi2(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}

static __attribute__((target("popcnt")))
void tally_popcnt(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}
#endif

static void tally_any_cpu(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}

/* The fastest word loop this CPU runs; all give the same counts. */
static void tally(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
#if defined(__x86_64__) || defined(__i386__)
	if (__builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt")) {
		tally_bmi2(t, block, hist);
		return;
	}
	if (__builtin_cpu_supports("popcnt")) {
		tally_popcnt(t, block, hist);
		return;
	}
#endif
	tally_any_cpu(t, block, hist);
}

/*
 * The continuous test: a 32-bit word equal to the one before it.  A plain
 * loop over independent compares, which compilers turn into vector code.
 */
static int has_repeated_word(const uint8_t *block, uint32_t last_word)
{
	const uint64_t low = 0x0000000100000001ull, high = 0x8000000080000000ull;
	uint64_t here, after, diff, found = 0;
	uint32_t first;
	size_t i;

	/* Two neighbour pairs a step: a zero 32-bit half in the difference. */
	for (i = 0; i + 12 <= FIPS_BLOCK_BYTES; i += 8) {
		memcpy(&here, block + i, 8);
		memcpy(&after, block + i + 4, 8);
		diff = here ^ after;
		found |= (diff - low) & ~diff & high;
	}
	if (i + 8 <= FIPS_BLOCK_BYTES)	/* the last pair when the count is odd */
		found |= memcmp(block + i, block + i + 4, 4) == 0;
	memcpy(&first, block, sizeof(first));
	return found != 0 || first == last_word;
}

/*
 * Could the block hold a long run?  26 equal bits always cover two whole
 * aligned bytes, so a block without two neighbouring 0x00 or 0xff bytes
 * cannot; has_long_run() decides for the few that have one.
 */
static int may_have_long_run(const uint8_t *block)
{
	const uint64_t low = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t here, after, both_zero, both_ones, found = 0;
	size_t i;

	/* Eight neighbour pairs a step: a zero byte in here|after is a 0x00
	 * pair, a zero byte in ~(here&after) a 0xff pair (exact tests). */
	for (i = 0; i + 9 <= FIPS_BLOCK_BYTES; i += 8) {
		memcpy(&here, block + i, 8);
		memcpy(&after, block + i + 1, 8);
		both_zero = here | after;
		both_ones = ~(here & after);
		found |= ((both_zero - low) & ~both_zero & high) | ((both_ones - low) & ~both_ones & high);
	}
	for (; i + 1 < FIPS_BLOCK_BYTES; i++)
		found |= block[i] == block[i + 1] && (uint8_t)(block[i] + 1) <= 1;
	return found != 0;
}

/* Exact: does the block hold 26 or more equal bits in a row? */
static int has_long_run(const uint8_t *block)
{
	size_t i = 0, j;
	unsigned int run;
	uint8_t fill;

	while (i + 1 < FIPS_BLOCK_BYTES) {
		fill = block[i];
		if ((fill != 0x00 && fill != 0xff) || block[i + 1] != fill) {
			i++;
			continue;
		}
		/* Whole bytes of fill from i, then the partial bytes around them. */
		for (j = i; j < FIPS_BLOCK_BYTES && block[j] == fill; j++)
			;
		run = 8u * (unsigned int)(j - i);
		/* The byte before ends with the run's first bits (its low
		 * bits come last), the byte after starts with its last ones. */
		if (i > 0)
			run += (unsigned int)__builtin_ctz((unsigned int)(block[i - 1] ^ fill) | 0x100u);
		if (j < FIPS_BLOCK_BYTES)
			run += (unsigned int)__builtin_clz(((unsigned int)(block[j] ^ fill) << 24) | 0x800000u);
		if (run >= LONGRUN_BITS)
			return 1;
		i = j;
	}
	return 0;
}

/* Length bucket (0 for 1 bit ... 5 for 6 or more) of the block's last run. */
static unsigned int last_run_bucket(const uint8_t *block, unsigned int last_bit)
{
	/* The run of equal bits at the end, counted from the last byte back. */
	unsigned int len = 0, same;
	size_t i = FIPS_BLOCK_BYTES;
	uint8_t fill = last_bit ? 0xff : 0x00;

	while (i > 0 && len < RUN_BUCKETS) {
		i--;
		same = (unsigned int)__builtin_ctz((unsigned int)(block[i] ^ fill) | 0x100u);
		len += same;
		if (same < 8)
			break;
	}
	return (len < RUN_BUCKETS ? len : RUN_BUCKETS) - 1;
}

/* Poker's sum of squared nibble counts, from the byte histogram. */
static unsigned int poker_sum(uint16_t hist[2][256], unsigned int nibble_f_extra)
{
	unsigned int nibbles[16] = { 0 }, sum = 0, h;
	size_t i;

	for (i = 0; i < 256; i++) {
		h = (unsigned int)hist[0][i] + hist[1][i];
		nibbles[i >> 4] += h;
		nibbles[i & 15] += h;
	}
	nibbles[15] += nibble_f_extra;
	for (i = 0; i < 16; i++)
		sum += nibbles[i] * nibbles[i];
	return sum;
}

void fips_init(struct fips_ctx *ctx, const uint8_t prime[FIPS_PRIME_BYTES])
{
	memcpy(&ctx->last_word, prime, sizeof(ctx->last_word));
	ctx->last_bit = 0;
}

unsigned int fips_check(struct fips_ctx *ctx, const uint8_t block[FIPS_BLOCK_BYTES])
{
	struct block_tally t;
	unsigned int first_bit = block[0] >> 7;
	unsigned int last_bit = block[FIPS_BLOCK_BYTES - 1] & 1;
	unsigned int runs[2][RUN_BUCKETS], last_bucket, nibble_f_extra = 0;
	unsigned int result = 0, sum;
	int v, k;

	/* Two byte histograms so that equal neighbouring bytes do not serialise. */
	uint16_t hist[2][256];

	memset(hist, 0, sizeof(hist));
	tally(&t, block, hist);
	if (has_repeated_word(block, ctx->last_word))
		result |= FIPS_FAIL_CONTINUOUS;
	memcpy(&ctx->last_word, block + FIPS_BLOCK_BYTES - 4, sizeof(ctx->last_word));

	if (t.ones <= MONOBIT_LOW || t.ones >= MONOBIT_HIGH)
		result |= FIPS_FAIL_MONOBIT;
	if (may_have_long_run(block) && has_long_run(block))
		result |= FIPS_FAIL_LONGRUN;

	/* Exact lengths from "at least" counts; then rngtest's bucketing. */
	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++)
			runs[1 - v][k] = t.at_least[v][k] -
				(k + 1 < RUN_BUCKETS ? t.at_least[v][k + 1] : 0);
	last_bucket = last_run_bucket(block, last_bit);
	runs[1 - last_bit][last_bucket]--;
	runs[last_bit][last_bucket]++;
	if (first_bit != ctx->last_bit) {
		if (first_bit)
			runs[0][RUN_BUCKETS - 1]++;
		else
			nibble_f_extra = 1;
	}
	ctx->last_bit = last_bit;

	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++)
			if (runs[v][k] < runs_bounds[k][0] || runs[v][k] > runs_bounds[k][1])
				result |= FIPS_FAIL_RUNS;

	sum = poker_sum(hist, nibble_f_extra);
	if (sum < POKER_SUM_MIN || sum > POKER_SUM_MAX)
		result |= FIPS_FAIL_POKER;
	return result;
}

const char *fips_test_name(enum fips_test test)
{
	if ((unsigned int)test >= FIPS_TEST_COUNT)
		return "unknown";
	return test_names[test];
}
