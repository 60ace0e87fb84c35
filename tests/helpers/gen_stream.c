/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: write a byte stream with a known defect to stdout.
 * usage: gen_stream KIND BYTES [SEED]
 *   random   xorshift64* output (passes FIPS 140-2 almost always)
 *   zeros    all 0x00            ones     all 0xff
 *   stuck    the 32-bit word 0xdeadbeef over and over
 *   bias     each bit is 1 with probability 0.6
 *   period   64 random bytes repeated
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

int main(int argc, char **argv)
{
	uint64_t state;
	unsigned long long bytes, i;
	uint8_t period[64];
	const char *kind;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen_stream random|zeros|ones|stuck|bias|period BYTES [SEED]\n");
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
		} else {
			fprintf(stderr, "gen_stream: unknown kind '%s'\n", kind);
			return 10;
		}
		if (putchar(b) == EOF)
			return 11;
	}
	return fflush(stdout) == 0 ? 0 : 11;
}
