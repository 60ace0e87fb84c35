/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SP 800-90B section 4.4 continuous health tests on raw noise samples: the
 * Repetition Count Test and the Adaptive Proportion Test, with cutoffs
 * computed from the claimed min-entropy per sample H and a false-alarm
 * rate alpha.  Two levels: intermittent (alpha = 2^-30), whose alarm tells
 * the caller to discard the samples at hand, and permanent (alpha = 2^-60,
 * a billion times rarer), which means the source is broken and must not be
 * used until it is probed again.  Pure: no I/O, no allocation.
 */
#ifndef ENTROPYD_HEALTH_H
#define ENTROPYD_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEALTH_ALPHA_LOG2_INTERMITTENT 30u
#define HEALTH_ALPHA_LOG2_PERMANENT    60u
#define HEALTH_WINDOW_BINARY   1024u
#define HEALTH_WINDOW_NONBINARY 512u

enum health_result {
	HEALTH_OK,
	HEALTH_INTERMITTENT,	/* discard the samples at hand */
	HEALTH_PERMANENT,	/* the source is broken */
};

enum health_level { HEALTH_LEVEL_INTERMITTENT, HEALTH_LEVEL_PERMANENT, HEALTH_LEVELS };
enum health_test_kind { HEALTH_RCT, HEALTH_APT, HEALTH_TESTS };

struct health_test {
	double min_entropy;			/* H, bits per sample */
	unsigned int window;			/* APT window W */
	unsigned int rct_cutoff[HEALTH_LEVELS];
	unsigned int apt_cutoff[HEALTH_LEVELS];
	/* Repetition Count Test */
	uint32_t rct_value;
	unsigned int rct_count;
	/* Adaptive Proportion Test */
	uint32_t apt_value;
	unsigned int apt_count;			/* occurrences of apt_value in the window */
	unsigned int apt_seen;			/* samples of the window so far */
	bool started;
	unsigned long long samples;
	/* alarms[test][level]: times a cutoff was reached */
	unsigned long long alarms[HEALTH_TESTS][HEALTH_LEVELS];
};

/* RCT cutoff: 1 + ceil(alpha_log2 / H), for alpha = 2^-alpha_log2. */
unsigned int health_rct_cutoff(double min_entropy, unsigned int alpha_log2);

/*
 * APT cutoff: 1 + CRITBINOM(W, 2^-H, 1 - alpha), the smallest count a
 * window of W samples with that min-entropy exceeds with probability at
 * most alpha.  Above W when the test cannot alarm.
 */
unsigned int health_apt_cutoff(double min_entropy, unsigned int window, unsigned int alpha_log2);

/*
 * Set up the tests for samples of sample_bits bits (1 = binary, window
 * 1024; else 512) claiming min_entropy bits each.  0, or -1 with a message
 * naming the value and the accepted range in err.
 */
int health_init(struct health_test *h, double min_entropy, unsigned int sample_bits,
		char *err, size_t errlen);

/* Forget the samples seen (after a source is reopened); counters stay. */
void health_restart(struct health_test *h);

/* Test one sample; the worse of the two tests' states. */
enum health_result health_sample(struct health_test *h, uint32_t sample);

/* Each byte as an 8-bit sample; the worst result over the buffer. */
enum health_result health_bytes(struct health_test *h, const uint8_t *buf, size_t len);

#endif
