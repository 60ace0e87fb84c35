/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark helper: a source's raw rate, its read() in a loop without the
 * pipeline (no FIPS, no queue, no thread hand-off), for bench/sources.sh.
 * usage: source_raw NAME SECONDS [KEY=VALUE...]
 * Prints "NAME BYTES_PER_SECOND CPU_SECONDS".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "source.h"
#include "wipe.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct source_ops *ops;
	char why[SOURCE_MSG_MAX], *eq;
	static uint8_t buf[2500];
	unsigned long long bytes = 0;
	double start, seconds, elapsed;
	struct rusage ru;
	void *st;
	ssize_t n;
	int i;

	if (argc < 3 || !(ops = source_find(argv[1]))) {
		fprintf(stderr, "usage: source_raw NAME SECONDS [KEY=VALUE...]\n");
		return 10;
	}
	seconds = atof(argv[2]);
	st = ops->create();
	for (i = 3; st && i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq)
			return 10;
		*eq = '\0';
		if (ops->set_option(st, argv[i], eq + 1, why, sizeof(why)) < 0) {
			fprintf(stderr, "%s\n", why);
			return 10;
		}
	}
	if (!st || ops->probe(st, why, sizeof(why)) != SOURCE_USABLE || ops->open(st, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], why);
		return 1;
	}
	start = now_s();
	do {
		n = ops->read(st, buf, sizeof(buf), -1, why, sizeof(why));
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", argv[1], why);
			return 1;
		}
		bytes += (unsigned long long)n;
	} while ((elapsed = now_s() - start) < seconds);
	wipe(buf, sizeof(buf));
	getrusage(RUSAGE_SELF, &ru);
	printf("%s %.0f %.3f\n", argv[1], (double)bytes / elapsed,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	ops->close(st);
	ops->destroy(st);
	return 0;
}
