/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark helper: the FIPS engine alone, in memory, for each word loop
 * this build and CPU offer (bench/fips.sh).  The loops take turns, round
 * after round, so a busy machine slows them alike.
 * usage: fips_speed [MEGABYTES [ROUNDS]]   (default 50 MB, 5 rounds)
 * Prints one line per loop: "NAME MIN_MBPS MEDIAN_MBPS FAILED_BLOCKS".
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fips.h"

#define MAX_ROUNDS 99

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Check every block of buf with impl; returns the blocks that failed. */
static unsigned long run(enum fips_impl impl, const uint8_t *buf, size_t blocks)
{
	struct fips_ctx ctx;
	unsigned long failed = 0;
	size_t i;

	if (fips_init_impl(&ctx, buf, impl) < 0)
		return 0;
	for (i = 0; i < blocks; i++)
		failed += fips_check(&ctx, buf + FIPS_PRIME_BYTES + i * FIPS_BLOCK_BYTES) != 0;
	return failed;
}

int main(int argc, char **argv)
{
	long mb = argc > 1 ? strtol(argv[1], NULL, 10) : 50, rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 5;
	double mbps[FIPS_IMPL_COUNT][MAX_ROUNDS], t0;
	unsigned long failed[FIPS_IMPL_COUNT] = { 0 };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t blocks, len, i, bytes;
	uint8_t *buf;
	long r;
	int impl;

	if (mb < 1 || mb > 4096 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: fips_speed [MEGABYTES (1-4096) [ROUNDS (1-%d)]]\n", MAX_ROUNDS);
		return 10;
	}
	blocks = (size_t)mb * 1000000 / FIPS_BLOCK_BYTES;
	bytes = blocks * FIPS_BLOCK_BYTES;
	len = FIPS_PRIME_BYTES + bytes;
	buf = malloc(len);
	if (!buf)
		return 1;
	/* xorshift64*: blocks that pass as random data does, made once */
	for (i = 0; i < len; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		buf[i] = (uint8_t)((x * 0x2545F4914F6CDD1Dull) >> 56);
	}
	for (r = 0; r < rounds; r++)
		for (impl = FIPS_IMPL_GENERIC; impl < FIPS_IMPL_COUNT; impl++) {
			if (!fips_impl_available((enum fips_impl)impl))
				continue;
			t0 = now_s();
			failed[impl] = run((enum fips_impl)impl, buf, blocks);
			mbps[impl][r] = (double)bytes / (now_s() - t0) / 1e6;
		}
	for (impl = FIPS_IMPL_GENERIC; impl < FIPS_IMPL_COUNT; impl++) {
		if (!fips_impl_available((enum fips_impl)impl))
			continue;
		qsort(mbps[impl], (size_t)rounds, sizeof(double), by_value);
		printf("%s %.0f %.0f %lu\n", fips_impl_name((enum fips_impl)impl), mbps[impl][0],
		       mbps[impl][rounds / 2], failed[impl]);
	}
	free(buf);
	return 0;
}
