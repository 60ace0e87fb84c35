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
 * The word loop is built for several instruction sets and fips_init picks
 * the fastest the CPU runs, through CPUID: plain C, POPCNT, BMI2 (where the
 * compiler can build it: configure checks), and AVX2, which takes four
 * words a step and counts runs by windows instead (see tally_avx2).
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
#include "wipe.h"

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

static void tally_generic(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}

#if defined(__x86_64__) || defined(__i386__)
static __attribute__((target("popcnt")))
void tally_popcnt(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}
#endif

#ifdef HAVE_FIPS_BMI2
/* BMI2's non-destructive shifts and BMI's and-not halve the instructions. */
static __attribute__((target("popcnt,bmi,bmi2")))
void tally_bmi2(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	tally_words(t, block, hist);
}
#endif

#ifdef HAVE_FIPS_AVX2
/*
 * The AVX2 loop: four words at a time, in the 64-bit lanes of a vector.
 * AVX2 has no popcount, so the runs are counted in a form that needs no
 * more popcounts than the word loop and no carry between lanes: a run of
 * length L holds L - k windows of k + 1 equal bits, so with E[k] the number
 * of such windows in the block (E[0]: the bits of that value), the runs at
 * least k + 1 long number E[k] - E[k + 1].  Windows are found with the same
 * look-ahead shifts as above, taking the next word from an unaligned load,
 * and never look behind, so a lane needs nothing from the word before.
 * Bits are counted per byte with a nibble table (VPSHUFB) and summed into
 * 64-bit counters with VPSADBW before a byte can overflow.
 */
#include <immintrin.h>

#define AVX2_GROUPS (BLOCK_WORDS_FULL / 4)	/* 78 groups of four words */
/* A byte counter gains at most 8 a group: flush well before 256. */
#define AVX2_FLUSH_GROUPS 26

/* Counts of one block: e[v][k - 1] is E[k] of bit value v, k = 1..6. */
struct avx2_windows {
	__m256i ones;
	__m256i e[2][RUN_BUCKETS];
};

static inline __attribute__((always_inline, target("avx2")))
__m256i popcount_bytes(__m256i v, __m256i table, __m256i low4)
{
	__m256i lo = _mm256_and_si256(v, low4);
	__m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low4);

	return _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
}

/* Big-endian 64-bit lanes from 32 bytes at p. */
static inline __attribute__((always_inline, target("avx2")))
__m256i load_be64x4(const uint8_t *p)
{
	const __m256i bswap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
					       7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);

	return _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)(const void *)p), bswap);
}

/*
 * The ones, and the windows of 2..7 equal bits starting in the four words
 * at p (the next word's first bits from p + 8), added to the byte counters.
 */
static inline __attribute__((always_inline, target("avx2")))
void windows_avx2(struct avx2_windows *bytes, const uint8_t *p, __m256i table, __m256i low4)
{
	__m256i word = load_be64x4(p), next = load_be64x4(p + 8), shifted;
	__m256i ones = word, zeros = _mm256_xor_si256(word, _mm256_set1_epi8(-1));

	bytes->ones = _mm256_add_epi8(bytes->ones, popcount_bytes(word, table, low4));
#define WINDOW(k)								\
	shifted = _mm256_or_si256(_mm256_slli_epi64(word, k), _mm256_srli_epi64(next, 64 - (k))); \
	ones = _mm256_and_si256(ones, shifted);					\
	zeros = _mm256_andnot_si256(shifted, zeros);				\
	bytes->e[1][(k) - 1] = _mm256_add_epi8(bytes->e[1][(k) - 1], popcount_bytes(ones, table, low4)); \
	bytes->e[0][(k) - 1] = _mm256_add_epi8(bytes->e[0][(k) - 1], popcount_bytes(zeros, table, low4))
	WINDOW(1);
	WINDOW(2);
	WINDOW(3);
	WINDOW(4);
	WINDOW(5);
	WINDOW(6);
#undef WINDOW
}

/* Add the byte counters to the 64-bit ones and clear them. */
static inline __attribute__((always_inline, target("avx2")))
void flush_avx2(struct avx2_windows *sums, struct avx2_windows *bytes)
{
	int v, k;

	sums->ones = _mm256_add_epi64(sums->ones, _mm256_sad_epu8(bytes->ones, _mm256_setzero_si256()));
	bytes->ones = _mm256_setzero_si256();
	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++) {
			sums->e[v][k] = _mm256_add_epi64(sums->e[v][k],
							 _mm256_sad_epu8(bytes->e[v][k], _mm256_setzero_si256()));
			bytes->e[v][k] = _mm256_setzero_si256();
		}
}

static inline __attribute__((always_inline, target("avx2")))
unsigned int sum_lanes(__m256i v)
{
	__m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));

	return (unsigned int)((uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_extract_epi64(s, 1));
}

/* Windows of 2..7 bits of value 1 in x, counted into e[0..5]. */
static inline __attribute__((always_inline))
void tail_windows(unsigned int e[RUN_BUCKETS], uint64_t x)
{
	int k;

	for (k = 0; k < RUN_BUCKETS; k++) {
		x &= x << 1;
		e[k] += popcount(x);
	}
}

static __attribute__((target("avx2,popcnt")))
void tally_avx2(struct block_tally *t, const uint8_t *block, uint16_t hist[2][256])
{
	const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
					       0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	struct avx2_windows bytes, sums;
	/* The last group and the 4-byte tail, padded so the look-ahead load
	 * stays inside: its missing bits are never used. */
	uint8_t last[40];
	unsigned int e[2][RUN_BUCKETS + 1];
	uint64_t tail;
	size_t g, end, k;
	int v;

	memset(&bytes, 0, sizeof(bytes));
	memset(&sums, 0, sizeof(sums));
	for (g = 0; g < AVX2_GROUPS - 1; g = end) {
		end = g + AVX2_FLUSH_GROUPS < AVX2_GROUPS - 1 ? g + AVX2_FLUSH_GROUPS : AVX2_GROUPS - 1;
		for (; g < end; g++) {
			/* The histogram runs on the load ports beside the vectors. */
			for (k = 0; k < 32; k += 2) {
				hist[0][block[32 * g + k]]++;
				hist[1][block[32 * g + k + 1]]++;
			}
			windows_avx2(&bytes, block + 32 * g, table, low4);
		}
		if (end < AVX2_GROUPS - 1)
			flush_avx2(&sums, &bytes);
	}
	memcpy(last, block + 32 * g, FIPS_BLOCK_BYTES - 32 * g);
	memset(last + (FIPS_BLOCK_BYTES - 32 * g), 0, sizeof(last) - (FIPS_BLOCK_BYTES - 32 * g));
	windows_avx2(&bytes, last, table, low4);
	flush_avx2(&sums, &bytes);
	for (k = 32 * g; k < FIPS_BLOCK_BYTES; k += 2) {
		hist[0][block[k]]++;
		hist[1][block[k + 1]]++;
	}

	/* The tail: its bottom half is no data, so no window goes there. */
	tail = (uint64_t)load_be32(block + TAIL_OFFSET) << 32;
	t->ones = sum_lanes(sums.ones) + popcount(tail);
	e[1][0] = t->ones;
	e[0][0] = FIPS_BLOCK_BITS - t->ones;
	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++)
			e[v][k + 1] = sum_lanes(sums.e[v][k]);
	tail_windows(e[1] + 1, tail);
	tail_windows(e[0] + 1, ~tail & 0xffffffff00000000ull);
	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++)
			t->at_least[v][k] = e[v][k] - e[v][k + 1];
	wipe(last, sizeof(last));
}

/*
 * The continuous test and the long-run screen (see below) in one pass of
 * unaligned loads: 32-bit words equal to the next, and neighbouring bytes
 * both 0x00 or both 0xff.  Bit 0 of the result: a repeated word; bit 1: a
 * long run is possible.
 */
static __attribute__((target("avx2")))
unsigned int screen_avx2(const uint8_t *block, uint32_t last_word)
{
	const __m256i zero = _mm256_setzero_si256(), all = _mm256_set1_epi8(-1);
	__m256i here, next_word, next_byte, repeat = zero, pair = zero;
	unsigned int found = 0;
	uint32_t first;
	size_t i;

	/* 78 steps of 32 bytes: the word pairs 0..623 (all), byte pairs 0..2495 */
	for (i = 0; i + 36 <= FIPS_BLOCK_BYTES; i += 32) {
		here = _mm256_loadu_si256((const __m256i *)(const void *)(block + i));
		next_word = _mm256_loadu_si256((const __m256i *)(const void *)(block + i + 4));
		next_byte = _mm256_loadu_si256((const __m256i *)(const void *)(block + i + 1));
		repeat = _mm256_or_si256(repeat, _mm256_cmpeq_epi32(here, next_word));
		pair = _mm256_or_si256(pair, _mm256_cmpeq_epi8(_mm256_or_si256(here, next_byte), zero));
		pair = _mm256_or_si256(pair, _mm256_cmpeq_epi8(_mm256_and_si256(here, next_byte), all));
	}
	for (; i + 1 < FIPS_BLOCK_BYTES; i++)
		if (block[i] == block[i + 1] && (uint8_t)(block[i] + 1) <= 1)
			found |= 2;
	memcpy(&first, block, sizeof(first));
	if (!_mm256_testz_si256(repeat, repeat) || first == last_word)
		found |= 1;
	if (!_mm256_testz_si256(pair, pair))
		found |= 2;
	return found;
}
#endif

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
 * The first byte at or after 'from' that, with the byte after it, is 0x00
 * 0x00 or 0xff 0xff; FIPS_BLOCK_BYTES if none.  26 equal bits always cover
 * two such bytes, and random data has such a pair in one block in 13, so
 * this skips eight pairs a step and has_long_run() looks only there.
 */
static size_t next_fill_pair(const uint8_t *block, size_t from)
{
	const uint64_t low = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t here, after, both_zero, both_ones;
	size_t i;

	/* A zero byte in here|after is a 0x00 pair, in ~(here&after) a 0xff
	 * pair; the test flags no byte of a word without one. */
	for (i = from; i + 9 <= FIPS_BLOCK_BYTES; i += 8) {
		memcpy(&here, block + i, 8);
		memcpy(&after, block + i + 1, 8);
		both_zero = here | after;
		both_ones = ~(here & after);
		if (((both_zero - low) & ~both_zero & high) | ((both_ones - low) & ~both_ones & high))
			break;
	}
	for (; i + 1 < FIPS_BLOCK_BYTES; i++)
		if (block[i] == block[i + 1] && (uint8_t)(block[i] + 1) <= 1)
			return i;
	return FIPS_BLOCK_BYTES;
}

/* Exact: does the block hold 26 or more equal bits in a row? */
static int has_long_run(const uint8_t *block)
{
	size_t i, j;
	unsigned int run;
	uint8_t fill;

	for (i = next_fill_pair(block, 0); i < FIPS_BLOCK_BYTES; i = next_fill_pair(block, j)) {
		fill = block[i];
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

/*
 * Poker's sum of squared nibble counts, from the byte histogram seen as 16
 * rows (high nibble) of 16 columns (low nibble): row and column sums, in
 * loops that compilers turn into vector code.
 */
static unsigned int poker_sum(uint16_t hist[2][256], unsigned int nibble_f_extra)
{
	uint16_t column[16] = { 0 }, h;
	unsigned int row, nibbles[16], sum = 0;
	size_t r, c;

	for (r = 0; r < 16; r++) {
		row = 0;
		for (c = 0; c < 16; c++) {
			h = (uint16_t)(hist[0][16 * r + c] + hist[1][16 * r + c]);
			column[c] = (uint16_t)(column[c] + h);
			row += h;
		}
		nibbles[r] = row;
	}
	for (c = 0; c < 16; c++)
		nibbles[c] += column[c];
	nibbles[15] += nibble_f_extra;
	for (c = 0; c < 16; c++)
		sum += nibbles[c] * nibbles[c];
	return sum;
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* CPUID bits (Intel SDM vol. 2A, CPUID), named here for gcc 4.4's cpuid.h. */
#define CPUID1_ECX_POPCNT  (1u << 23)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX     (1u << 28)
#define CPUID7_EBX_BMI1    (1u << 3)
#define CPUID7_EBX_AVX2    (1u << 5)
#define CPUID7_EBX_BMI2    (1u << 8)
#define XCR0_SSE_AVX       6u		/* XMM and YMM state saved by the OS */

static unsigned int cpuid7_ebx(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	(void)a;
	(void)c;
	(void)d;
	return b;
}

/* XGETBV as bytes, for assemblers that predate the mnemonic. */
static unsigned int xcr0(void)
{
	unsigned int lo, hi;

	__asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return lo;
}

/* Does this CPU (and for AVX2, the kernel) run impl? */
static bool cpu_runs(enum fips_impl impl)
{
	unsigned int a, b, c, d, ebx7;

	if (impl == FIPS_IMPL_GENERIC)
		return true;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & CPUID1_ECX_POPCNT))
		return false;
	if (impl == FIPS_IMPL_POPCNT)
		return true;
	ebx7 = cpuid7_ebx();
	if (impl == FIPS_IMPL_BMI2)
		return (ebx7 & (CPUID7_EBX_BMI1 | CPUID7_EBX_BMI2)) == (CPUID7_EBX_BMI1 | CPUID7_EBX_BMI2);
	/* AVX2: the CPU has it and the kernel saves the YMM registers. */
	return impl == FIPS_IMPL_AVX2 && (ebx7 & CPUID7_EBX_AVX2) &&
	       (c & (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX)) == (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX) &&
	       (xcr0() & XCR0_SSE_AVX) == XCR0_SSE_AVX;
}
#else
static bool cpu_runs(enum fips_impl impl)
{
	return impl == FIPS_IMPL_GENERIC;
}
#endif

/* The loops this build has. */
static const bool built[FIPS_IMPL_COUNT] = {
	[FIPS_IMPL_GENERIC] = true,
#if defined(__x86_64__) || defined(__i386__)
	[FIPS_IMPL_POPCNT] = true,
#endif
#ifdef HAVE_FIPS_BMI2
	[FIPS_IMPL_BMI2] = true,
#endif
#ifdef HAVE_FIPS_AVX2
	[FIPS_IMPL_AVX2] = true,
#endif
};

bool fips_impl_available(enum fips_impl impl)
{
	if ((unsigned int)impl >= FIPS_IMPL_COUNT)
		return false;
	return impl == FIPS_IMPL_AUTO || (built[impl] && cpu_runs(impl));
}

const char *fips_impl_name(enum fips_impl impl)
{
	static const char *const names[FIPS_IMPL_COUNT] = {
		[FIPS_IMPL_AUTO] = "auto",
		[FIPS_IMPL_GENERIC] = "generic",
		[FIPS_IMPL_POPCNT] = "popcnt",
		[FIPS_IMPL_BMI2] = "bmi2",
		[FIPS_IMPL_AVX2] = "avx2",
	};

	if ((unsigned int)impl >= FIPS_IMPL_COUNT)
		return "unknown";
	return names[impl];
}

int fips_init_impl(struct fips_ctx *ctx, const uint8_t prime[FIPS_PRIME_BYTES], enum fips_impl impl)
{
	if (impl == FIPS_IMPL_AUTO) {
		/* the fastest first; the generic loop is always there */
		for (impl = FIPS_IMPL_COUNT - 1; !fips_impl_available(impl); impl--)
			;
	} else if (!fips_impl_available(impl)) {
		return -1;
	}
	memcpy(&ctx->last_word, prime, sizeof(ctx->last_word));
	ctx->last_bit = 0;
	ctx->impl = impl;
	return 0;
}

void fips_init(struct fips_ctx *ctx, const uint8_t prime[FIPS_PRIME_BYTES])
{
	fips_init_impl(ctx, prime, FIPS_IMPL_AUTO);
}

/* The word loop and the screens of the context's implementation. */
static void tally(const struct fips_ctx *ctx, struct block_tally *t, const uint8_t *block,
		  uint16_t hist[2][256], unsigned int *screens)
{
	switch (ctx->impl) {
#ifdef HAVE_FIPS_AVX2
	case FIPS_IMPL_AVX2:
		tally_avx2(t, block, hist);
		*screens = screen_avx2(block, ctx->last_word);
		return;
#endif
#ifdef HAVE_FIPS_BMI2
	case FIPS_IMPL_BMI2:
		tally_bmi2(t, block, hist);
		break;
#endif
#if defined(__x86_64__) || defined(__i386__)
	case FIPS_IMPL_POPCNT:
		tally_popcnt(t, block, hist);
		break;
#endif
	default:
		tally_generic(t, block, hist);
		break;
	}
	/* has_long_run() is its own screen here */
	*screens = (unsigned int)has_repeated_word(block, ctx->last_word) | 2u;
}

unsigned int fips_check(struct fips_ctx *ctx, const uint8_t block[FIPS_BLOCK_BYTES])
{
	struct block_tally t;
	unsigned int first_bit = block[0] >> 7;
	unsigned int last_bit = block[FIPS_BLOCK_BYTES - 1] & 1;
	unsigned int runs[2][RUN_BUCKETS], last_bucket, nibble_f_extra = 0;
	unsigned int result = 0, sum, screens;
	int v, k;

	/* Two byte histograms so that equal neighbouring bytes do not serialise. */
	uint16_t hist[2][256];

	memset(hist, 0, sizeof(hist));
	tally(ctx, &t, block, hist, &screens);
	if (screens & 1)
		result |= FIPS_FAIL_CONTINUOUS;

	if (t.ones <= MONOBIT_LOW || t.ones >= MONOBIT_HIGH)
		result |= FIPS_FAIL_MONOBIT;
	if ((screens & 2) && has_long_run(block))
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
	fips_follow(ctx, block);	/* the continuous test's word, the last bit */

	for (v = 0; v < 2; v++)
		for (k = 0; k < RUN_BUCKETS; k++)
			if (runs[v][k] < runs_bounds[k][0] || runs[v][k] > runs_bounds[k][1])
				result |= FIPS_FAIL_RUNS;

	sum = poker_sum(hist, nibble_f_extra);
	if (sum < POKER_SUM_MIN || sum > POKER_SUM_MAX)
		result |= FIPS_FAIL_POKER;
	return result;
}

void fips_follow(struct fips_ctx *ctx, const uint8_t previous[FIPS_BLOCK_BYTES])
{
	memcpy(&ctx->last_word, previous + (FIPS_BLOCK_BYTES - 4), sizeof(ctx->last_word));
	ctx->last_bit = previous[FIPS_BLOCK_BYTES - 1] & 1;
}

const char *fips_test_name(enum fips_test test)
{
	if ((unsigned int)test >= FIPS_TEST_COUNT)
		return "unknown";
	return test_names[test];
}
