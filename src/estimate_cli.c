/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropy-check --estimate: the I/O around src/estimate.c.  Samples are
 * bytes (8 bits each); at most ESTIMATE_MAX_SAMPLES are read, and the
 * rest of the input is left unread.
 */
#include "config.h"

#include "estimate_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "estimate.h"
#include "wipe.h"

#define PROG "entropy-check"
#define EXIT_NO_ESTIMATE 1
#define EXIT_IOERR 11
#define EXIT_OSERR 12

/* Fill buf from fd up to len bytes, or to the end of the input.  -1 on error. */
static ssize_t read_samples(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static json_t *json_value(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static int print_json(const struct estimate_report *r)
{
	json_t *est = json_object(), *root;
	int e, rc;

	if (!est)
		return -1;
	for (e = 0; e < ESTIMATE_COUNT; e++)
		json_object_set_new(est, estimate_key(e),
				    json_pack("{s:o, s:o}", "original", json_value(r->original[e]),
					      "bitstring", json_value(r->bitstring[e])));
	root = json_pack("{s:i, s:I, s:i, s:o, s:o, s:o, s:o}", "schema", 1,
			 "samples", (json_int_t)r->samples, "bits_per_sample", (int)r->bits,
			 "estimators", est, "h_original", json_value(r->h_original),
			 "h_bitstring", json_value(r->h_bitstring),
			 "min_entropy", json_value(r->min_entropy));
	if (!root)
		return -1;
	rc = json_dumpf(root, stdout, JSON_COMPACT);
	json_decref(root);
	if (rc < 0 || putchar('\n') == EOF || fflush(stdout) != 0)
		return -1;
	return 0;
}

static void print_value(FILE *out, double v)
{
	if (isnan(v))
		fprintf(out, "  %10s", "n/a");
	else
		fprintf(out, "  %10.4f", v);
}

static void print_text(FILE *out, const struct estimate_report *r)
{
	int e;

	fprintf(out, "SP 800-90B section 6.3 non-IID estimates over %zu %u-bit samples, "
		"in bits of min-entropy per sample\n", r->samples, r->bits);
	fprintf(out, "%-28s  %10s  %10s\n", "estimator", "samples", "bitstring");
	for (e = 0; e < ESTIMATE_COUNT; e++) {
		fprintf(out, "%-28s", estimate_title(e));
		print_value(out, r->original[e]);
		print_value(out, r->bitstring[e]);
		fputc('\n', out);
	}
	fprintf(out, "%-28s", "minimum");
	print_value(out, r->h_original);
	print_value(out, r->h_bitstring);
	fputc('\n', out);
	if (!isnan(r->min_entropy))
		fprintf(out, "min-entropy: %.4f bits per %u-bit sample\n", r->min_entropy, r->bits);
}

int estimate_cli_run(const char *input, int json)
{
	const char *name = input && strcmp(input, "-") != 0 ? input : "stdin";
	struct estimate_report r;
	uint8_t *buf, extra;
	ssize_t got;
	int fd = STDIN_FILENO, status = 0;

	if (input && strcmp(input, "-") != 0) {
		fd = open(input, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: cannot open %s: %s\n", PROG, input, strerror(errno));
			return EXIT_IOERR;
		}
	}
	buf = malloc(ESTIMATE_MAX_SAMPLES);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		status = EXIT_OSERR;
		goto out;
	}
	got = read_samples(fd, buf, ESTIMATE_MAX_SAMPLES);
	if (got < 0) {
		fprintf(stderr, "%s: error reading %s: %s\n", PROG, name, strerror(errno));
		status = EXIT_IOERR;
		goto out;
	}
	if ((size_t)got == ESTIMATE_MAX_SAMPLES && read_samples(fd, &extra, 1) == 1)
		fprintf(stderr, "%s: the estimate uses the first %u samples; the rest of %s is not read\n",
			PROG, ESTIMATE_MAX_SAMPLES, name);
	else if ((size_t)got < ESTIMATE_MAX_SAMPLES)
		fprintf(stderr, "%s: %zd samples: SP 800-90B asks for %u, fewer give lower estimates "
			"(wider confidence bounds)\n", PROG, got, ESTIMATE_MAX_SAMPLES);
	if (estimate_run(buf, (size_t)got, 8, &r) < 0) {
		fprintf(stderr, "%s: cannot run the estimators: %s\n", PROG, strerror(errno));
		status = EXIT_OSERR;
		goto out;
	}
	print_text(json ? stderr : stdout, &r);
	if (json && print_json(&r) < 0) {
		fprintf(stderr, "%s: cannot write the JSON report to stdout\n", PROG);
		status = EXIT_IOERR;
	} else if (!json && fflush(stdout) != 0) {
		status = EXIT_IOERR;
	}
	if (status == 0 && isnan(r.min_entropy)) {
		fprintf(stderr, "%s: %zd samples are too few for any estimator\n", PROG, got);
		status = EXIT_NO_ESTIMATE;
	}
out:
	if (buf) {
		wipe(buf, ESTIMATE_MAX_SAMPLES);
		free(buf);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return status;
}
