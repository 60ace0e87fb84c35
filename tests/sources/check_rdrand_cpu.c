/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rdrand source against this machine's real CPU (no fake): the CPUID
 * bits agree with the kernel's flags, and each instruction the CPU has
 * passes the start-up self-test and delivers a full FIPS block (2500
 * bytes) of varied bits.  Exits 77 (skip) on a CPU with neither.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "sources/sources.h"
#include "sources/x86rand.h"
#include "wipe.h"

#define BLOCK 2500
/* Reads allowed for one block: RDSEED may report no data for a while. */
#define MAX_READS 2000

static const struct source_ops *ops = &rdrand_source_ops;

/* Is flag a word of the "flags" line in /proc/cpuinfo?  -1: cannot tell. */
static int cpuinfo_has(const char *flag)
{
	char line[8192], *word, *save;
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		found = 0;
		for (word = strtok_r(line, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save))
			if (strcmp(word, flag) == 0)
				found = 1;
	}
	fclose(f);
	return found;
}

/* One full block from a freshly opened instance in the given mode. */
static void read_block(void *st, uint8_t *buf)
{
	char why[SOURCE_MSG_MAX];
	size_t got = 0;
	int reads;

	for (reads = 0; got < BLOCK && reads < MAX_READS; reads++) {
		ssize_t n = ops->read(st, buf + got, BLOCK - got, -1, why, sizeof(why));
		ck_assert_msg(n >= 0, "read failed: %s", why);
		got += (size_t)n;
	}
	ck_assert_msg(got == BLOCK, "only %zu of %d bytes in %d reads", got, BLOCK, MAX_READS);
}

static void block_from(const char *mode)
{
	char why[SOURCE_MSG_MAX], err[SOURCE_MSG_MAX];
	static uint8_t a[BLOCK], b[BLOCK];
	unsigned long ones = 0;
	size_t i;
	int bit;
	void *st = ops->create();

	ck_assert_ptr_nonnull(st);
	ck_assert_msg(ops->set_option(st, "mode", mode, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(ops->probe(st, why, sizeof(why)) == SOURCE_USABLE, "%s: %s", mode, why);
	ck_assert_msg(ops->open(st, why, sizeof(why)) == 0, "%s: %s", mode, why);
	read_block(st, a);
	read_block(st, b);
	ck_assert_msg(memcmp(a, b, BLOCK) != 0, "%s: two blocks alike", mode);
	for (i = 0; i < BLOCK; i++)
		for (bit = 0; bit < 8; bit++)
			ones += (a[i] >> bit) & 1u;
	/*
	 * 20000 bits: 10000 +- 71 expected; +-500 is seven standard deviations,
	 * so only a stuck or badly biased instruction fails here.
	 */
	ck_assert_msg(ones > 9500 && ones < 10500, "%s: %lu one bits in 20000", mode, ones);
	wipe(a, sizeof(a));
	wipe(b, sizeof(b));
	ops->close(st);
	ops->destroy(st);
}

START_TEST(cpuid_agrees_with_kernel)
{
	/*
	 * One way only: the kernel may hide a bit from CPUID (Zen 5 RDSEED),
	 * or clear a flag of its own without hiding it, but a flag it shows
	 * is one the CPU reports.
	 */
	if (cpuinfo_has("rdrand") == 1)
		ck_assert(x86rand_has_rdrand());
	if (cpuinfo_has("rdseed") == 1)
		ck_assert(x86rand_has_rdseed());
}
END_TEST

START_TEST(rdseed_block)
{
	block_from("rdseed");
}
END_TEST

START_TEST(rdrand_block)
{
	block_from("rdrand");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rdrand on this CPU");
	TCase *tc = tcase_create("real cpu");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, cpuid_agrees_with_kernel);
	if (x86rand_has_rdseed())
		tcase_add_test(tc, rdseed_block);
	else
		printf("rdseed_block: SKIP (CPUID shows no RDSEED)\n");
	if (x86rand_has_rdrand())
		tcase_add_test(tc, rdrand_block);
	else
		printf("rdrand_block: SKIP (CPUID shows no RDRAND)\n");
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	return x86rand_has_rdseed() || x86rand_has_rdrand() ? EXIT_SUCCESS : 77;
}
