/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FIPS 140-2 statistical tests (as amended 2001-10-10) on 20000-bit blocks:
 * monobit, poker, runs, long run, and the continuous test on consecutive
 * 32-bit words, carried across blocks.  Pure: no I/O, no allocation.
 * Verdicts match rng-tools' rngtest on any stream.
 */
#ifndef ENTROPYD_FIPS_H
#define ENTROPYD_FIPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIPS_BLOCK_BITS  20000
#define FIPS_BLOCK_BYTES (FIPS_BLOCK_BITS / 8)
/* Bytes that prime the continuous test before the first block. */
#define FIPS_PRIME_BYTES 4

enum fips_test {
	FIPS_TEST_MONOBIT,
	FIPS_TEST_POKER,
	FIPS_TEST_RUNS,
	FIPS_TEST_LONGRUN,
	FIPS_TEST_CONTINUOUS,
	FIPS_TEST_COUNT
};

#define FIPS_FAIL_MONOBIT    (1u << FIPS_TEST_MONOBIT)
#define FIPS_FAIL_POKER      (1u << FIPS_TEST_POKER)
#define FIPS_FAIL_RUNS       (1u << FIPS_TEST_RUNS)
#define FIPS_FAIL_LONGRUN    (1u << FIPS_TEST_LONGRUN)
#define FIPS_FAIL_CONTINUOUS (1u << FIPS_TEST_CONTINUOUS)

/*
 * The word loops fips_check can run.  Every one gives the same verdicts;
 * they differ only in the instructions they need.
 */
enum fips_impl {
	FIPS_IMPL_AUTO,		/* the fastest this build and CPU offer */
	FIPS_IMPL_GENERIC,	/* plain C, any CPU */
	FIPS_IMPL_POPCNT,	/* x86 POPCNT */
	FIPS_IMPL_BMI2,		/* x86 POPCNT, BMI1, BMI2 */
	FIPS_IMPL_AVX2,		/* x86 AVX2 (256-bit vectors) */
	FIPS_IMPL_COUNT
};

struct fips_ctx {
	uint32_t last_word;	/* last 32-bit word seen, for the continuous test */
	unsigned int last_bit;	/* last bit of the previous block (see fips.c) */
	enum fips_impl impl;	/* never FIPS_IMPL_AUTO once initialised */
};

/*
 * Start a stream.  prime holds the first FIPS_PRIME_BYTES bytes of it, which
 * are used only as the continuous test's previous word (as rngtest does).
 */
void fips_init(struct fips_ctx *ctx, const uint8_t prime[FIPS_PRIME_BYTES]);

/*
 * fips_init with a given word loop (tests and benchmarks compare them).
 * Returns -1, leaving ctx alone, if this build or this CPU lacks it.
 */
int fips_init_impl(struct fips_ctx *ctx, const uint8_t prime[FIPS_PRIME_BYTES], enum fips_impl impl);

/* Whether this build and this CPU can run impl (FIPS_IMPL_AUTO: always). */
bool fips_impl_available(enum fips_impl impl);

/* "auto", "generic", "popcnt", "bmi2", "avx2"; "unknown" out of range. */
const char *fips_impl_name(enum fips_impl impl);

/* Test the next block; returns a mask of FIPS_FAIL_* bits, 0 if it passed. */
unsigned int fips_check(struct fips_ctx *ctx, const uint8_t block[FIPS_BLOCK_BYTES]);

/*
 * Leave ctx as fips_check(ctx, previous) would, without testing previous:
 * what a block's verdict depends on from the blocks before it is all in
 * the block just before it, so the blocks of one stream can be tested out
 * of order, e.g. in parallel, each from a copy of ctx.
 */
void fips_follow(struct fips_ctx *ctx, const uint8_t previous[FIPS_BLOCK_BYTES]);

/* "Monobit", "Poker", "Runs", "Long run", "Continuous run" (rngtest's words). */
const char *fips_test_name(enum fips_test test);

#endif
