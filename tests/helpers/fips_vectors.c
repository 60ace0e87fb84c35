/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generator of the FIPS 140-2 known-answer vectors in tests/data/.
 * usage: fips_vectors DIR
 *
 * Each file is a stream as rngtest reads it: 4 priming bytes, then blocks.
 *   pass.bin        one block that passes every test
 *   monobit.bin     one block that fails the monobit test only
 *   poker.bin       one block that fails the poker test only
 *   runs.bin        one block that fails the runs test only
 *   longrun.bin     one block that fails the long-run test only
 *   continuous.bin  two passing blocks, the second starting with the word
 *                   that ends the first: only the continuous test fails,
 *                   on the second block
 *
 * Blocks are built from a seeded xorshift with a bias or a run tendency,
 * and the first candidate with the wanted verdict is kept.  The verdicts
 * were confirmed with rng-tools' rngtest when the files were made (each
 * file through `rngtest`, see tests/data/README), so the check_fips unit
 * test compares against an independent answer, not against itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fips.h"

static uint64_t next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1DULL;
}

/* A block whose bits are 1 with probability one, or flip with probability flip. */
static void make_block(uint64_t *x, uint8_t *block, double one, double flip)
{
	unsigned int bit = 0;
	size_t i;
	int k;

	for (i = 0; i < FIPS_BLOCK_BYTES; i++) {
		uint8_t b = 0;

		for (k = 7; k >= 0; k--) {
			double u = (double)(next(x) >> 11) / 9007199254740992.0;

			if (flip > 0)
				bit = u < flip ? !bit : bit;
			else
				bit = u < one;
			b |= (uint8_t)(bit << k);
		}
		block[i] = b;
	}
}

static int write_stream(const char *dir, const char *name, const uint8_t *prime,
			const uint8_t *blocks, size_t nblocks)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(prime, 1, FIPS_PRIME_BYTES, f) != FIPS_PRIME_BYTES ||
	    fwrite(blocks, FIPS_BLOCK_BYTES, nblocks, f) != nblocks || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* Search for a block with exactly the verdict 'want' after the prime. */
static int find(const char *dir, const char *name, unsigned int want, double one, double flip,
		unsigned int long_run)
{
	uint8_t prime[FIPS_PRIME_BYTES] = { 0x12, 0x34, 0x56, 0x78 };
	uint8_t block[FIPS_BLOCK_BYTES];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct fips_ctx ctx;
	unsigned int tries, i, start;

	for (tries = 0; tries < 1000000; tries++) {
		make_block(&x, block, one, flip);
		if (long_run) {
			start = 8 * 1000 + 3;
			for (i = start; i < start + long_run; i++)
				block[i / 8] |= (uint8_t)(0x80u >> (i % 8));
			/* End the run exactly: the bits around it are zeros. */
			block[(start - 1) / 8] &= (uint8_t)~(0x80u >> ((start - 1) % 8));
			block[(start + long_run) / 8] &= (uint8_t)~(0x80u >> ((start + long_run) % 8));
		}
		fips_init(&ctx, prime);
		if (fips_check(&ctx, block) == want)
			return write_stream(dir, name, prime, block, 1);
	}
	fprintf(stderr, "fips_vectors: no block for %s\n", name);
	return -1;
}

static int continuous(const char *dir)
{
	uint8_t prime[FIPS_PRIME_BYTES] = { 0x9a, 0xbc, 0xde, 0xf0 };
	uint8_t blocks[2 * FIPS_BLOCK_BYTES];
	uint64_t x = 0x0123456789abcdefull;
	struct fips_ctx ctx;
	unsigned int tries;

	for (tries = 0; tries < 1000000; tries++) {
		make_block(&x, blocks, 0.5, 0);
		make_block(&x, blocks + FIPS_BLOCK_BYTES, 0.5, 0);
		memcpy(blocks + FIPS_BLOCK_BYTES, blocks + FIPS_BLOCK_BYTES - 4, 4);
		fips_init(&ctx, prime);
		if (fips_check(&ctx, blocks) == 0 &&
		    fips_check(&ctx, blocks + FIPS_BLOCK_BYTES) == FIPS_FAIL_CONTINUOUS)
			return write_stream(dir, "continuous.bin", prime, blocks, 2);
	}
	fprintf(stderr, "fips_vectors: no pair for continuous.bin\n");
	return -1;
}

int main(int argc, char **argv)
{
	const char *dir;

	if (argc != 2) {
		fprintf(stderr, "usage: fips_vectors DIR\n");
		return 10;
	}
	dir = argv[1];
	if (find(dir, "pass.bin", 0, 0.5, 0, 0) < 0 ||
	    find(dir, "monobit.bin", FIPS_FAIL_MONOBIT, 0.4855, 0, 0) < 0 ||
	    find(dir, "poker.bin", FIPS_FAIL_POKER, 0.5, 0.5, 0) < 0 ||
	    find(dir, "runs.bin", FIPS_FAIL_RUNS, 0.5, 0.475, 0) < 0 ||
	    find(dir, "longrun.bin", FIPS_FAIL_LONGRUN, 0.5, 0, 26) < 0 ||
	    continuous(dir) < 0)
		return 1;
	return 0;
}
