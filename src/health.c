/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SP 800-90B 4.4.1 (RCT) and 4.4.2 (APT).  The APT cutoff needs the upper
 * tail of a binomial distribution at probabilities down to 2^-60, which
 * 1 - alpha cannot express in a double: the tail is summed from the top,
 * with each probability mass derived from the one above it in log space.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "health.h"

unsigned int health_rct_cutoff(double min_entropy, unsigned int alpha_log2)
{
	return 1u + (unsigned int)ceil((double)alpha_log2 / min_entropy);
}

/*
 * The standard's formula exactly, so the cutoffs match its table 2 (W 512,
 * alpha 2^-20: 410, 311, 177, 62, 13 for H 0.5, 1, 2, 4, 8; W 1024, H 1:
 * 589).  It understates the false-alarm rate a little: the window's first
 * sample is the first of B's counts, so B - 1 follows Binomial(W - 1, p)
 * rather than B following Binomial(W, p).  Summed exactly, the real rate
 * per window at alpha 2^-30 is 2^-28.2 for H = 8 (cutoff 16 where the
 * corrected formula gives 17) and within a factor 1.4 of alpha for H = 1
 * and H = 1/3, the jitter source's default.  Small next to the cost of
 * cutoffs nobody can check against the published table.
 */
unsigned int health_apt_cutoff(double min_entropy, unsigned int window, unsigned int alpha_log2)
{
	const double p = exp2(-min_entropy), alpha = exp2(-(double)alpha_log2);
	/* log P(X = k), starting at k = W: W log p */
	double log_pmf = (double)window * log(p), tail = 0;
	unsigned int k;

	if (p >= 1.0)
		return window + 1;
	/* CRITBINOM(W, p, 1 - alpha) is the smallest k with P(X > k) <= alpha */
	for (k = window; k > 0; k--) {
		if (tail + exp(log_pmf) > alpha)
			return 1 + k;
		tail += exp(log_pmf);
		/* P(X = k-1) = P(X = k) * k / (W - k + 1) * (1 - p) / p */
		log_pmf += log((double)k / (double)(window - k + 1)) + log1p(-p) - log(p);
	}
	return 1;
}

int health_init(struct health_test *h, double min_entropy, unsigned int sample_bits,
		char *err, size_t errlen)
{
	if (sample_bits < 1 || sample_bits > 32) {
		snprintf(err, errlen, "health tests: %u-bit samples; accepted: 1 to 32", sample_bits);
		return -1;
	}
	if (!(min_entropy > 0) || min_entropy > (double)sample_bits) {
		snprintf(err, errlen, "claimed min-entropy %g bits per sample is out of range; "
			 "expected more than 0 and at most %u", min_entropy, sample_bits);
		return -1;
	}
	memset(h, 0, sizeof(*h));
	h->min_entropy = min_entropy;
	h->window = sample_bits == 1 ? HEALTH_WINDOW_BINARY : HEALTH_WINDOW_NONBINARY;
	h->rct_cutoff[HEALTH_LEVEL_INTERMITTENT] = health_rct_cutoff(min_entropy, HEALTH_ALPHA_LOG2_INTERMITTENT);
	h->rct_cutoff[HEALTH_LEVEL_PERMANENT] = health_rct_cutoff(min_entropy, HEALTH_ALPHA_LOG2_PERMANENT);
	h->apt_cutoff[HEALTH_LEVEL_INTERMITTENT] =
		health_apt_cutoff(min_entropy, h->window, HEALTH_ALPHA_LOG2_INTERMITTENT);
	h->apt_cutoff[HEALTH_LEVEL_PERMANENT] =
		health_apt_cutoff(min_entropy, h->window, HEALTH_ALPHA_LOG2_PERMANENT);
	return 0;
}

void health_restart(struct health_test *h)
{
	h->started = false;
	h->rct_count = 0;
	h->apt_count = 0;
	h->apt_seen = 0;
}

/*
 * The level a count has reached.  grew: the count went up with this
 * sample, so reaching a cutoff now is a new alarm, counted once.
 */
static enum health_result check_count(struct health_test *h, enum health_test_kind test,
				      unsigned int count, const unsigned int cutoff[HEALTH_LEVELS],
				      bool grew)
{
	if (grew && count == cutoff[HEALTH_LEVEL_INTERMITTENT])
		h->alarms[test][HEALTH_LEVEL_INTERMITTENT]++;
	if (grew && count == cutoff[HEALTH_LEVEL_PERMANENT])
		h->alarms[test][HEALTH_LEVEL_PERMANENT]++;
	if (count >= cutoff[HEALTH_LEVEL_PERMANENT])
		return HEALTH_PERMANENT;
	if (count >= cutoff[HEALTH_LEVEL_INTERMITTENT])
		return HEALTH_INTERMITTENT;
	return HEALTH_OK;
}

enum health_result health_sample(struct health_test *h, uint32_t sample)
{
	enum health_result rct, apt;

	h->samples++;
	if (!h->started) {
		h->started = true;
		h->rct_value = sample;
		h->rct_count = 1;
		h->apt_value = sample;
		h->apt_count = 1;
		h->apt_seen = 1;
		return HEALTH_OK;
	}
	/* RCT: the length of the current run of one value */
	if (sample == h->rct_value) {
		h->rct_count++;
	} else {
		h->rct_value = sample;
		h->rct_count = 1;
	}
	rct = check_count(h, HEALTH_RCT, h->rct_count, h->rct_cutoff, true);

	/* APT: occurrences of a window's first value within the window */
	if (h->apt_seen == h->window) {
		h->apt_value = sample;
		h->apt_count = 1;
		h->apt_seen = 1;
		apt = HEALTH_OK;
	} else {
		h->apt_seen++;
		if (sample == h->apt_value)
			h->apt_count++;
		/* a window that has alarmed stays bad until it ends */
		apt = check_count(h, HEALTH_APT, h->apt_count, h->apt_cutoff, sample == h->apt_value);
	}
	return rct > apt ? rct : apt;
}

enum health_result health_bytes(struct health_test *h, const uint8_t *buf, size_t len)
{
	enum health_result worst = HEALTH_OK, r;
	size_t i;

	for (i = 0; i < len; i++) {
		r = health_sample(h, buf[i]);
		if (r > worst)
			worst = r;
	}
	return worst;
}
