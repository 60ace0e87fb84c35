/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: write a byte stream with a known defect to stdout.
 * usage: gen_stream KIND BYTES [SEED]
 *   random   xorshift64* output (passes FIPS 140-2 almost always)
 *   zeros    all 0x00            ones     all 0xff
 *   stuck    the 32-bit word 0xdeadbeef over and over
 *   bias     each bit is 1 with probability 0.6
 *   period   64 random bytes repeated
 *   marginal blocks near the FIPS bounds: each 2500 bytes get their own
 *            bit bias or run tendency, some a 20 to 31 bit run or a
 *            repeated 32-bit word, so verdicts flip often (for comparing
 *            two implementations of the tests)
 *   chained  random, but each block (after 4 priming bytes) starts with
 *            the 4 bytes before it: every block fails the continuous test
 *            only through the block before it (or the priming bytes)
 * The same SEED gives the same stream, so a test can regenerate it.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1DULL;
}

/* A uniform double in [0, 1). */
static double uniform(uint64_t *x)
{
	return (double)(next(x) >> 11) / 9007199254740992.0;
}

/* One "marginal" block: see the usage comment. */
static void marginal_block(uint64_t *x, uint8_t *block, size_t len)
{
	int markov = uniform(x) < 0.5;
	double flip = 0.46 + 0.08 * uniform(x);	/* P(bit differs from the last) */
	double one = 0.49 + 0.02 * uniform(x);	/* P(bit is 1) */
	unsigned int bit = next(x) >> 63;
	size_t i, pos, n;
	int k;

	for (i = 0; i < len; i++) {
		uint8_t b = 0;

		for (k = 7; k >= 0; k--) {
			if (markov)
				bit = uniform(x) < flip ? !bit : bit;
			else
				bit = uniform(x) < one;
			b |= (uint8_t)(bit << k);
		}
		block[i] = b;
	}
	if (uniform(x) < 0.15) {		/* a long run, 20 to 31 bits */
		n = 20 + next(x) % 12;
		pos = next(x) % (len * 8 - n);
		bit = next(x) >> 63;
		for (i = pos; i < pos + n; i++) {
			if (bit)
				block[i / 8] |= (uint8_t)(0x80u >> (i % 8));
			else
				block[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
		}
	}
	if (uniform(x) < 0.05) {		/* a repeated aligned word */
		pos = 4 * (next(x) % (len / 4 - 1));
		memcpy(block + pos + 4, block + pos, 4);
	}
}

int main(int argc, char **argv)
{
	uint64_t state;
	unsigned long long bytes, i;
	uint8_t period[64], block[2500], last4[4] = { 0 };
	const char *kind;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen_stream random|zeros|ones|stuck|bias|period|marginal|chained BYTES [SEED]\n");
		return 10;
	}
	kind = argv[1];
	bytes = strtoull(argv[2], NULL, 10);
	state = argc == 4 ? strtoull(argv[3], NULL, 10) : 1;
	if (state == 0)
		state = 1;
	for (i = 0; i < sizeof(period); i++)
		period[i] = (uint8_t)(next(&state) >> 56);
	for (i = 0; i < bytes; i++) {
		uint8_t b;

		if (strcmp(kind, "random") == 0) {
			b = (uint8_t)(next(&state) >> 56);
		} else if (strcmp(kind, "zeros") == 0) {
			b = 0;
		} else if (strcmp(kind, "ones") == 0) {
			b = 0xff;
		} else if (strcmp(kind, "stuck") == 0) {
			static const uint8_t word[4] = { 0xde, 0xad, 0xbe, 0xef };
			b = word[i % 4];
		} else if (strcmp(kind, "bias") == 0) {
			int bit;

			b = 0;
			for (bit = 0; bit < 8; bit++)
				if ((next(&state) >> 11) % 10 < 6)
					b |= (uint8_t)(1u << bit);
		} else if (strcmp(kind, "period") == 0) {
			b = period[i % sizeof(period)];
		} else if (strcmp(kind, "marginal") == 0) {
			if (i % sizeof(block) == 0)
				marginal_block(&state, block, sizeof(block));
			b = block[i % sizeof(block)];
		} else if (strcmp(kind, "chained") == 0) {
			b = i >= 4 && (i - 4) % sizeof(block) < 4 ? last4[i % 4] : (uint8_t)(next(&state) >> 56);
		} else {
			fprintf(stderr, "gen_stream: unknown kind '%s'\n", kind);
			return 10;
		}
		last4[i % 4] = b;
		if (putchar(b) == EOF)
			return 11;
	}
	return fflush(stdout) == 0 ? 0 : 11;
}
