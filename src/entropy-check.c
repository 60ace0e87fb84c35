/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropy-check: run the FIPS 140-2 tests on a byte stream, block by block.
 * Command-line and output compatible with rng-tools' rngtest (options -c
 * -p -b -t, the summary lines on stderr, exit codes 0/1/10/11/12), plus
 * --json for scripts and a file argument.  The engine is src/fips.c.
 */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_parallel.h"
#include "estimate_cli.h"
#include "fips.h"
#include "health.h"
#include "parse.h"
#include "wipe.h"

#define PROG "entropy-check"

/* rngtest's exit codes */
#define EXIT_ALL_PASSED 0
#define EXIT_FAIL       1	/* a block failed, or no complete block */
#define EXIT_USAGE      10
#define EXIT_IOERR      11
#define EXIT_OSERR      12

/* Blocks per read: large enough that the tests, not read(), set the pace. */
#define BATCH_BLOCKS 256
/* With -j: a share of at least this many blocks per thread, at most
 * MAX_BATCH_BLOCKS in all (two batches are in memory). */
#define SHARE_BLOCKS 128
#define MAX_BATCH_BLOCKS 2048
#define MAX_JOBS 1024

const char *argp_program_version = PROG " (" PACKAGE_STRING ")";
const char *argp_program_bug_address = NULL;

enum { OPT_JSON = 0x100, OPT_SP800_90B, OPT_ESTIMATE };

/* --sp800-90b H: H in millionths of a bit per byte sample */
#define H_SCALE 1000000UL

static const struct argp_option options[] = {
	{ "blockcount", 'c', "N", 0, "Exit after N blocks (0: at the end of the input; default 0)", 0 },
	{ "pipe", 'p', NULL, 0, "Pipe mode: write the blocks that pass, and nothing else, to stdout", 0 },
	{ "blockstats", 'b', "N", 0, "Print the statistics every N blocks (0: never; default 0)", 0 },
	{ "timedstats", 't', "N", 0, "Print the statistics every N seconds (0: never; default 0)", 0 },
	{ "jobs", 'j', "N", 0, "Test the blocks on N threads (1-1024; default: one per online CPU); "
	  "the results and the output stay in input order", 0 },
	{ "json", OPT_JSON, NULL, 0, "Also print the final summary as one JSON object on stdout", 0 },
	{ "sp800-90b", OPT_SP800_90B, "H", 0,
	  "Also run the SP 800-90B health tests (RCT, APT) on every byte, claiming H bits of "
	  "min-entropy per byte (more than 0, at most 8); a permanent alarm makes the exit status 1", 0 },
	{ "estimate", OPT_ESTIMATE, NULL, 0,
	  "Instead of the FIPS tests: read up to 1000000 bytes as 8-bit samples and print the "
	  "SP 800-90B section 6.3 min-entropy estimates per sample (with --json: as JSON)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, NULL, 0 },	/* -? and --help */
	{ NULL, 0, NULL, 0, NULL, 0 },
};

struct check_args {
	unsigned long blockcount;
	unsigned long blockstats;
	unsigned long timedstats_s;
	unsigned long jobs;	/* 0 until main() sets the default */
	int pipe;
	int json;
	int estimate;		/* --estimate */
	unsigned long min_entropy_scaled;	/* --sp800-90b H * H_SCALE; 0: off */
	const char *input;	/* NULL or "-": stdin */
};

/* min / sum / max of per-block times, as rngtest reports them */
struct timing {
	uint64_t min_ns, max_ns, sum_ns, samples;
};

struct check_stats {
	uint64_t bytes_in, bytes_out, passed, failed;
	uint64_t failures[FIPS_TEST_COUNT];
	struct timing input, tests, output;
	uint64_t start_ns;
};

struct checker {
	const struct check_args *args;
	struct check_stats stats;
	struct fips_ctx fips;
	struct health_test health;	/* with --sp800-90b */
	struct check_pool *pool;	/* with -j 2 or more */
	int in_fd;
	int eof;		/* the input has ended */
	int exit_status;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct check_args *a = state->input;
	char err[256];

	switch (key) {
	case 'c':
		if (parse_ulong(arg, 0, 0xffffffffUL, "-c/--blockcount", &a->blockcount, err, sizeof(err)) < 0)
			argp_error(state, "%s", err);
		break;
	case 'b':
		if (parse_ulong(arg, 0, 0xffffffffUL, "-b/--blockstats", &a->blockstats, err, sizeof(err)) < 0)
			argp_error(state, "%s", err);
		break;
	case 't':
		if (parse_ulong(arg, 0, 86400UL * 365, "-t/--timedstats", &a->timedstats_s, err, sizeof(err)) < 0)
			argp_error(state, "%s", err);
		break;
	case 'p':
		a->pipe = 1;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);	/* exits 0 */
		break;
	case 'j':
		if (parse_ulong(arg, 1, MAX_JOBS, "-j/--jobs", &a->jobs, err, sizeof(err)) < 0)
			argp_error(state, "%s", err);
		break;
	case OPT_JSON:
		a->json = 1;
		break;
	case OPT_ESTIMATE:
		a->estimate = 1;
		break;
	case OPT_SP800_90B:
		if (parse_fixed(arg, H_SCALE, 1, 8 * H_SCALE, "--sp800-90b", &a->min_entropy_scaled,
				err, sizeof(err)) < 0)
			argp_error(state, "%s (min-entropy in bits per byte)", err);
		break;
	case ARGP_KEY_ARG:
		if (a->input)
			argp_error(state, "unexpected argument '%s': one input file at most", arg);
		a->input = arg;
		break;
	case ARGP_KEY_END:
		if (a->pipe && a->json)
			argp_error(state, "--json and -p/--pipe exclude each other: both write to stdout");
		if (a->estimate && (a->pipe || a->blockcount || a->blockstats || a->timedstats_s ||
				    a->min_entropy_scaled || a->jobs))
			argp_error(state, "--estimate excludes -p, -c, -b, -t, -j and --sp800-90b: "
				   "it reads samples, not FIPS blocks");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Account 'blocks' blocks that took ns in all. */
static void timing_add(struct timing *t, uint64_t ns, uint64_t blocks)
{
	uint64_t per_block;

	if (!blocks)
		return;
	per_block = ns / blocks;
	if (!t->samples || per_block < t->min_ns)
		t->min_ns = per_block;
	if (per_block > t->max_ns)
		t->max_ns = per_block;
	t->sum_ns += ns;
	t->samples += blocks;
}

/* Speeds in bits/s: (min, avg, max), from the slowest, mean and fastest block. */
static void timing_speeds(const struct timing *t, double speed[3])
{
	const double bits = FIPS_BLOCK_BITS * 1e9;

	speed[0] = t->max_ns ? bits / (double)t->max_ns : 0;
	speed[1] = t->sum_ns ? bits * (double)t->samples / (double)t->sum_ns : 0;
	speed[2] = t->min_ns ? bits / (double)t->min_ns : 0;
}

static void print_speed(const char *what, const struct timing *t)
{
	static const char prefixes[] = "KMGTPE";
	double s[3];
	int scale = 0;

	timing_speeds(t, s);
	/* rngtest's scaling: divide by 1024 while all three allow it */
	while (s[0] >= 1024 && s[1] >= 1024 && s[2] >= 1024 && scale < 6) {
		s[0] /= 1024;
		s[1] /= 1024;
		s[2] /= 1024;
		scale++;
	}
	if (scale)
		fprintf(stderr, "%s: %s: (min=%.3f; avg=%.3f; max=%.3f)%cibits/s\n",
			PROG, what, s[0], s[1], s[2], prefixes[scale - 1]);
	else
		fprintf(stderr, "%s: %s: (min=%.3f; avg=%.3f; max=%.3f)bits/s\n",
			PROG, what, s[0], s[1], s[2]);
}

static void print_health(const struct health_test *h)
{
	static const char *const names[HEALTH_TESTS] = { "repetition count", "adaptive proportion" };
	const unsigned int *cutoffs[HEALTH_TESTS] = { h->rct_cutoff, h->apt_cutoff };
	int t;

	for (t = 0; t < HEALTH_TESTS; t++)
		fprintf(stderr, "%s: SP 800-90B (H=%g) %s: intermittent %llu, permanent %llu "
			"(cutoffs %u and %u)\n", PROG, h->min_entropy, names[t],
			h->alarms[t][HEALTH_LEVEL_INTERMITTENT], h->alarms[t][HEALTH_LEVEL_PERMANENT],
			cutoffs[t][HEALTH_LEVEL_INTERMITTENT], cutoffs[t][HEALTH_LEVEL_PERMANENT]);
}

/*
 * Permanent alarms decide the exit status: intermittent ones (alpha 2^-30
 * a sample) are expected now and then on gigabytes of good data, as they
 * are in the daemon, where they only discard samples.
 */
static unsigned long long health_alarms(const struct health_test *h)
{
	return h->alarms[HEALTH_RCT][HEALTH_LEVEL_PERMANENT] + h->alarms[HEALTH_APT][HEALTH_LEVEL_PERMANENT];
}

static json_t *health_json(const struct health_test *h)
{
	return json_pack("{s:f, s:I, s:{s:[i,i], s:I, s:I}, s:{s:[i,i], s:I, s:I}}",
			 "min_entropy", h->min_entropy, "samples", (json_int_t)h->samples,
			 "repetition_count",
			 "cutoffs", h->rct_cutoff[0], h->rct_cutoff[1],
			 "intermittent", (json_int_t)h->alarms[HEALTH_RCT][HEALTH_LEVEL_INTERMITTENT],
			 "permanent", (json_int_t)h->alarms[HEALTH_RCT][HEALTH_LEVEL_PERMANENT],
			 "adaptive_proportion",
			 "cutoffs", h->apt_cutoff[0], h->apt_cutoff[1],
			 "intermittent", (json_int_t)h->alarms[HEALTH_APT][HEALTH_LEVEL_INTERMITTENT],
			 "permanent", (json_int_t)h->alarms[HEALTH_APT][HEALTH_LEVEL_PERMANENT]);
}

static void print_stats(const struct checker *c)
{
	const struct check_stats *st = &c->stats;
	enum fips_test test;

	fprintf(stderr, "%s: bits received from input: %llu\n", PROG, (unsigned long long)st->bytes_in * 8);
	if (c->args->pipe)
		fprintf(stderr, "%s: bits sent to output: %llu\n", PROG, (unsigned long long)st->bytes_out * 8);
	fprintf(stderr, "%s: FIPS 140-2 successes: %llu\n", PROG, (unsigned long long)st->passed);
	fprintf(stderr, "%s: FIPS 140-2 failures: %llu\n", PROG, (unsigned long long)st->failed);
	for (test = 0; test < FIPS_TEST_COUNT; test++)
		fprintf(stderr, "%s: FIPS 140-2(2001-10-10) %s: %llu\n", PROG, fips_test_name(test),
			(unsigned long long)st->failures[test]);
	if (c->args->min_entropy_scaled)
		print_health(&c->health);
	print_speed("input channel speed", &st->input);
	print_speed("FIPS tests speed", &st->tests);
	if (c->args->pipe)
		print_speed("output channel speed", &st->output);
	fprintf(stderr, "%s: Program run time: %llu microseconds\n", PROG,
		(unsigned long long)((now_ns() - st->start_ns) / 1000));
}

static json_t *speed_json(const struct timing *t)
{
	double s[3];

	timing_speeds(t, s);
	return json_pack("{s:f, s:f, s:f}", "min", s[0], "avg", s[1], "max", s[2]);
}

static int print_json(const struct checker *c)
{
	const struct check_stats *st = &c->stats;
	static const char *const keys[FIPS_TEST_COUNT] = {
		"monobit", "poker", "runs", "long_run", "continuous_run",
	};
	json_t *failures = json_object(), *root;
	enum fips_test test;
	int r;

	if (!failures)
		return -1;
	for (test = 0; test < FIPS_TEST_COUNT; test++)
		json_object_set_new(failures, keys[test], json_integer((json_int_t)st->failures[test]));
	root = json_pack("{s:i, s:I, s:I, s:I, s:o, s:{s:o, s:o}, s:I, s:i}",
			 "schema", 1,
			 "bits_received", (json_int_t)st->bytes_in * 8,
			 "blocks_passed", (json_int_t)st->passed,
			 "blocks_failed", (json_int_t)st->failed,
			 "failures", failures,
			 "speed_bits_per_second",
			 "input", speed_json(&st->input),
			 "tests", speed_json(&st->tests),
			 "run_time_us", (json_int_t)((now_ns() - st->start_ns) / 1000),
			 "exit_status", c->exit_status);
	if (!root)
		return -1;
	if (c->args->min_entropy_scaled)
		json_object_set_new(root, "sp800_90b", health_json(&c->health));
	r = json_dumpf(root, stdout, JSON_COMPACT);
	json_decref(root);
	if (r < 0 || putchar('\n') == EOF || fflush(stdout) != 0)
		return -1;
	return 0;
}

/*
 * Read up to len bytes, at least 'need' unless the input ends or a signal
 * stops us.  Returns the bytes read, or -1 on an I/O error (errno).  The
 * caller counts them in stats.bytes_in when it reports them.
 */
static ssize_t read_some(struct checker *c, uint8_t *buf, size_t need, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < need && !stop_signal) {
		r = read(c->in_fd, buf + got, len - got);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (r == 0) {
			c->eof = 1;
			break;
		}
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Write all of buf to stdout.  0, 1 if the reader went away, -1 on error. */
static int write_all(struct checker *c, const uint8_t *buf, size_t len)
{
	ssize_t r;

	while (len) {
		r = write(STDOUT_FILENO, buf, len);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE)
				return 1;
			return -1;
		}
		buf += r;
		len -= (size_t)r;
		c->stats.bytes_out += (uint64_t)r;
	}
	return 0;
}

/* One read's worth of blocks: read, tested, then reported in input order. */
struct batch {
	uint8_t *buf;
	unsigned int *verdict;
	size_t blocks;		/* whole blocks in buf */
	size_t bytes;		/* bytes read, a partial block at the end included */
	uint64_t read_ns, test_start_ns, test_ns;
};

/* Read up to 'want' blocks, whole blocks as they come.  -1 on an I/O error. */
static int read_batch(struct checker *c, struct batch *b, size_t want)
{
	uint64_t t0 = now_ns();
	size_t len = want * FIPS_BLOCK_BYTES;
	ssize_t got, more;

	/* Slow devices: take whole blocks as they come, not a full batch. */
	got = read_some(c, b->buf, FIPS_BLOCK_BYTES, len);
	if (got > 0 && got % FIPS_BLOCK_BYTES) {
		more = read_some(c, b->buf + got, FIPS_BLOCK_BYTES - (size_t)got % FIPS_BLOCK_BYTES,
				 len - (size_t)got);
		got = more < 0 ? more : got + more;
	}
	if (got < 0)
		return -1;
	b->bytes = (size_t)got;
	b->blocks = (size_t)got / FIPS_BLOCK_BYTES;
	b->read_ns = now_ns() - t0;
	return 0;
}

/* Start the tests of a batch: on the threads with -j, here otherwise. */
static void test_batch(struct checker *c, struct batch *b)
{
	size_t i;

	b->test_start_ns = now_ns();
	if (c->pool) {
		check_pool_submit(c->pool, &c->fips, b->buf, b->blocks, b->verdict);
	} else {
		for (i = 0; i < b->blocks; i++)
			b->verdict[i] = fips_check(&c->fips, b->buf + i * FIPS_BLOCK_BYTES);
		b->test_ns = now_ns() - b->test_start_ns;
	}
	/* The health tests follow the bytes in order: on this thread, while
	 * the pool tests the blocks. */
	if (c->args->min_entropy_scaled)
		health_bytes(&c->health, b->buf, b->blocks * FIPS_BLOCK_BYTES);
}

/* Count a tested batch and write its passing blocks in pipe mode.  0, 1 stop, -1 error. */
static int report_batch(struct checker *c, struct batch *b)
{
	uint64_t t0;
	size_t i;
	int test, r;

	if (c->pool) {
		check_pool_wait(c->pool);
		b->test_ns = now_ns() - b->test_start_ns;
	}
	c->stats.bytes_in += b->bytes;
	timing_add(&c->stats.input, b->read_ns, b->blocks);
	timing_add(&c->stats.tests, b->test_ns, b->blocks);
	for (i = 0; i < b->blocks; i++) {
		if (b->verdict[i]) {
			c->stats.failed++;
			for (test = 0; test < FIPS_TEST_COUNT; test++)
				if (b->verdict[i] & (1u << test))
					c->stats.failures[test]++;
			continue;
		}
		c->stats.passed++;
		if (c->args->pipe) {
			t0 = now_ns();
			r = write_all(c, b->buf + i * FIPS_BLOCK_BYTES, FIPS_BLOCK_BYTES);
			timing_add(&c->stats.output, now_ns() - t0, 1);
			if (r)
				return r;
		}
	}
	return 0;
}

/* Statistics every -b blocks or -t seconds, counting the blocks just reported. */
static void stats_after(struct checker *c, size_t blocks, uint64_t *since_stats, uint64_t *next_stats_ns)
{
	const struct check_args *a = c->args;

	*since_stats += blocks;
	if ((a->blockstats && *since_stats >= a->blockstats) ||
	    (a->timedstats_s && now_ns() >= *next_stats_ns)) {
		print_stats(c);
		*since_stats = 0;
		*next_stats_ns = now_ns() + a->timedstats_s * 1000000000ull;
	}
}

/* The blocks after the prime.  0, or -1 with c->exit_status set. */
static int check_stream(struct checker *c, size_t batch_blocks)
{
	const struct check_args *a = c->args;
	struct batch batches[2], *b, *in_flight = NULL;
	uint64_t done = 0, since_stats = 0, next_stats_ns = 0;
	size_t want, i;
	int r = 0, read_failed = 0;

	memset(batches, 0, sizeof(batches));
	for (i = 0; i < 2; i++) {
		batches[i].buf = malloc(batch_blocks * FIPS_BLOCK_BYTES);
		batches[i].verdict = malloc(batch_blocks * sizeof(*batches[i].verdict));
		if (!batches[i].buf || !batches[i].verdict) {
			fprintf(stderr, "%s: cannot allocate %zu-block buffers\n", PROG, batch_blocks);
			c->exit_status = EXIT_OSERR;
			r = -1;
			goto out;
		}
	}
	if (a->timedstats_s)
		next_stats_ns = now_ns() + a->timedstats_s * 1000000000ull;

	/*
	 * With threads, a full batch is tested while the next one is read
	 * (two buffers).  A short read (a slow source) or -b is handled one
	 * batch at a time, so that no block waits for the next read.
	 */
	while (!stop_signal && !c->eof && (!a->blockcount || done < a->blockcount)) {
		b = in_flight == &batches[0] ? &batches[1] : &batches[0];
		want = batch_blocks;
		if (a->blockcount && a->blockcount - done < want)
			want = (size_t)(a->blockcount - done);
		if (a->blockstats && a->blockstats - since_stats < want)
			want = (size_t)(a->blockstats - since_stats);
		read_failed = read_batch(c, b, want) < 0;
		if (in_flight) {
			r = report_batch(c, in_flight);
			if (!r)
				stats_after(c, in_flight->blocks, &since_stats, &next_stats_ns);
			in_flight = NULL;
		}
		if (read_failed) {
			fprintf(stderr, "%s: error reading %s: %s\n", PROG, a->input ? a->input : "stdin",
				strerror(errno));
			c->exit_status = EXIT_IOERR;
			r = -1;
			break;
		}
		if (r)
			break;
		done += b->blocks;
		test_batch(c, b);
		if (c->pool && b->blocks == batch_blocks && !a->blockstats) {
			in_flight = b;
			continue;
		}
		r = report_batch(c, b);
		if (r)
			break;
		stats_after(c, b->blocks, &since_stats, &next_stats_ns);
	}
	if (in_flight)
		r = report_batch(c, in_flight);
	if (r < 0 && !read_failed) {
		fprintf(stderr, "%s: error writing to stdout: %s\n", PROG, strerror(errno));
		c->exit_status = EXIT_IOERR;
	}
	if (r == 0 && c->eof && !stop_signal && !a->pipe)
		fprintf(stderr, "%s: entropy source drained\n", PROG);
out:
	for (i = 0; i < 2; i++) {
		if (batches[i].buf)
			wipe(batches[i].buf, batch_blocks * FIPS_BLOCK_BYTES);
		free(batches[i].buf);
		free(batches[i].verdict);
	}
	return r < 0 ? -1 : 0;
}

static int run(struct checker *c)
{
	uint8_t prime[2 * FIPS_PRIME_BYTES];
	const struct check_args *a = c->args;
	size_t prime_len, batch_blocks = BATCH_BLOCKS;
	char err[256];
	ssize_t got;
	int r;

	/* rngtest primes the continuous test with 4 bytes, and in pipe mode
	 * discards 4 more before them: the same here, for the same verdicts. */
	prime_len = a->pipe ? 2 * FIPS_PRIME_BYTES : FIPS_PRIME_BYTES;
	got = read_some(c, prime, prime_len, prime_len);
	if (got < 0) {
		fprintf(stderr, "%s: error reading %s: %s\n", PROG, a->input ? a->input : "stdin", strerror(errno));
		c->exit_status = EXIT_IOERR;
		return -1;
	}
	c->stats.bytes_in += (uint64_t)got;
	if ((size_t)got < prime_len) {
		if (!stop_signal)
			fprintf(stderr, "%s: input ended after %zd bytes, before the first block\n", PROG, got);
		wipe(prime, sizeof(prime));
		return 0;
	}
	fips_init(&c->fips, prime + prime_len - FIPS_PRIME_BYTES);
	if (a->min_entropy_scaled)
		health_bytes(&c->health, prime, prime_len);
	wipe(prime, sizeof(prime));

	if (a->jobs > 1) {
		c->pool = check_pool_start((unsigned int)a->jobs, err, sizeof(err));
		if (!c->pool) {
			fprintf(stderr, "%s: %s\n", PROG, err);
			c->exit_status = EXIT_OSERR;
			return -1;
		}
		batch_blocks = SHARE_BLOCKS * a->jobs;
		if (batch_blocks < BATCH_BLOCKS)
			batch_blocks = BATCH_BLOCKS;
		if (batch_blocks > MAX_BATCH_BLOCKS)
			batch_blocks = MAX_BATCH_BLOCKS;
	}
	r = check_stream(c, batch_blocks);
	check_pool_stop(c->pool);
	c->pool = NULL;
	return r;
}

int main(int argc, char **argv)
{
	static const char doc[] =
		"Run the FIPS 140-2 tests on a byte stream (a file, or stdin), 20000 bits at a time."
		"\vCompatible with rngtest: the same options, summary lines and exit codes "
		"(0 every block passed, 1 a block failed or no complete block, 10 usage, "
		"11 I/O error, 12 OS error).";
	struct argp argp = { options, parse_opt, "[FILE]", doc, NULL, NULL, NULL };
	struct check_args args = { 0 };
	struct checker c = { 0 };
	struct sigaction sa;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &args) != 0)
		return EXIT_USAGE;
	if (args.estimate)
		return estimate_cli_run(args.input, args.json);

	if (!args.jobs) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		args.jobs = cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : (unsigned long)cpus;
	}
	c.args = &args;
	c.exit_status = EXIT_ALL_PASSED;
	if (args.min_entropy_scaled) {
		char err[256];

		/* parse_fixed kept H within (0, 8]: this cannot fail */
		if (health_init(&c.health, (double)args.min_entropy_scaled / H_SCALE, 8, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: --sp800-90b: %s\n", PROG, err);
			return EXIT_USAGE;
		}
	}
	c.stats.start_ns = now_ns();
	c.in_fd = STDIN_FILENO;
	if (args.input && strcmp(args.input, "-") != 0) {
		c.in_fd = open(args.input, O_RDONLY | O_CLOEXEC);
		if (c.in_fd < 0) {
			fprintf(stderr, "%s: cannot open %s: %s\n", PROG, args.input, strerror(errno));
			return EXIT_IOERR;
		}
	}

	/* TERM and INT end the run with a summary, as in rngtest; no SA_RESTART
	 * so that a blocked read returns.  A closed output pipe is EPIPE. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "%s: cannot set up signal handling: %s\n", PROG, strerror(errno));
		return EXIT_OSERR;
	}

	if (!args.pipe)
		fprintf(stderr, "%s: starting FIPS tests...\n", PROG);
	run(&c);
	print_stats(&c);
	if (c.exit_status == EXIT_ALL_PASSED &&
	    (c.stats.failed || !c.stats.passed || (args.min_entropy_scaled && health_alarms(&c.health))))
		c.exit_status = EXIT_FAIL;
	if (args.json && print_json(&c) < 0) {
		fprintf(stderr, "%s: cannot write the JSON summary to stdout\n", PROG);
		if (c.exit_status == EXIT_ALL_PASSED || c.exit_status == EXIT_FAIL)
			c.exit_status = EXIT_IOERR;
	}
	if (c.in_fd != STDIN_FILENO)
		close(c.in_fd);
	return c.exit_status;
}
