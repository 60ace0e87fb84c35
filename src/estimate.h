/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SP 800-90B (January 2018) section 6.3 non-IID min-entropy estimators:
 * most common value (6.3.1), collision (6.3.2), Markov (6.3.3),
 * compression (6.3.4), t-tuple (6.3.5) and longest repeated substring
 * (6.3.6), and the predictors: MultiMCW (6.3.7), lag (6.3.8), MultiMMC
 * (6.3.9) and LZ78Y (6.3.10).  Pure: buffers in, numbers out; the only side
 * effect is memory allocated and freed within a call.
 *
 * Samples are 1 to 8 bits wide, one per byte.  Collision, Markov and
 * compression are defined for binary samples only (6.3.2-6.3.4 say so), so
 * for wider samples they run, as section 3.1.3 asks, on the bitstring: each
 * sample's bits, most significant first.  Every estimator also runs on that
 * bitstring, and the result is min(H_original, bits x H_bitstring) bits per
 * sample (3.1.3; H_submitter is the caller's own claim).
 *
 * Bounds: at most ESTIMATE_MAX_SAMPLES samples.  t-tuple and LRS build a
 * suffix array by prefix doubling (O(n log n) time; 12 bytes per symbol,
 * plus 8 bytes per tuple length between the t-tuple's t and the longest
 * repeat), so 1,000,000 8-bit samples (8,000,000 bitstring symbols) take
 * about 110 MB at most and a few seconds.  The predictors come after and
 * need less: MultiMMC's table holds at most 16 x 100,000 pairs and their
 * contexts (48 MB on 10^6 random 8-bit samples, 72 MB while it doubles),
 * LZ78Y's 65,536 contexts and their pairs; on the bitstring both count in
 * a flat array indexed by bit pattern (1 MB).  About 3 seconds more.
 */
#ifndef ENTROPYD_ESTIMATE_H
#define ENTROPYD_ESTIMATE_H

#include <stddef.h>
#include <stdint.h>

/* What SP 800-90B asks for an assessment, and the most read here. */
#define ESTIMATE_MAX_SAMPLES 1000000u
/* 6.3.5 / 6.3.6: occurrences of the most common t-tuple */
#define ESTIMATE_TUPLE_CUTOFF 35u
/* 6.3.4: dictionary-initialisation blocks d and block size b (bits) */
#define ESTIMATE_COMPRESSION_DICT 1000u
#define ESTIMATE_COMPRESSION_BLOCK 6u
/* 6.3.7: the four window sizes, in increasing order */
#define ESTIMATE_MCW_WINDOWS { 63, 255, 1023, 4095 }
#define ESTIMATE_MCW_COUNT 4
/* 6.3.8: lags D; 6.3.9: longest context D; 6.3.10: longest context B */
#define ESTIMATE_LAG_D 128u
#define ESTIMATE_MMC_D 16u
#define ESTIMATE_LZ78Y_B 16u
/* 6.3.9: pairs per context length; 6.3.10: contexts in all */
#define ESTIMATE_MMC_MAX_ENTRIES 100000u
#define ESTIMATE_LZ78Y_MAX_DICTIONARY 65536u
/* the longest context 6.3.9 and 6.3.10 may be given here */
#define ESTIMATE_CONTEXT_MAX 16u

enum estimator {
	ESTIMATE_MCV,
	ESTIMATE_COLLISION,
	ESTIMATE_MARKOV,
	ESTIMATE_COMPRESSION,
	ESTIMATE_T_TUPLE,
	ESTIMATE_LRS,
	ESTIMATE_MULTI_MCW,
	ESTIMATE_LAG,
	ESTIMATE_MULTI_MMC,
	ESTIMATE_LZ78Y,
	ESTIMATE_COUNT
};

struct estimate_report {
	size_t samples;
	unsigned int bits;			/* per sample */
	/*
	 * Min-entropy in bits per sample; NAN where an estimator does not
	 * apply (the binary-only ones on wider samples, the bitstring ones
	 * on binary samples, or too few samples for it).  bitstring[] is
	 * the per-bit estimate times bits.
	 */
	double original[ESTIMATE_COUNT];
	double bitstring[ESTIMATE_COUNT];
	double h_original;			/* min of original[] */
	double h_bitstring;			/* min of bitstring[] (per sample) */
	double min_entropy;			/* min of the two: the answer */
};

/* "most_common_value", ... (JSON keys) and "most common value (6.3.1)", ... */
const char *estimate_key(enum estimator e);
const char *estimate_title(enum estimator e);

/*
 * All estimators over samples[0..n) of 'bits' bits each.  0, or -1 with
 * errno: EINVAL (bits not 1..8, n above ESTIMATE_MAX_SAMPLES, a sample
 * wider than bits), ENOMEM.
 */
int estimate_run(const uint8_t *samples, size_t n, unsigned int bits, struct estimate_report *r);

/* A set of estimators for estimate_run_some(): bit (1u << e) for each e. */
#define ESTIMATE_ALL ((1u << ESTIMATE_COUNT) - 1u)
/*
 * The predictors that keep every context they see: MultiMMC and LZ78Y
 * hold up to 2 x 16 tuples a sample, about 1 MB even for 1024 8-bit
 * samples (a direct table of 2^18 counts for the bitstring's, 2^16 hash
 * slots for the samples'), where the other estimators need tens of KB.
 */
#define ESTIMATE_CONTEXT_PREDICTORS ((1u << ESTIMATE_MULTI_MMC) | (1u << ESTIMATE_LZ78Y))

/* estimate_run() with only the estimators in 'which'; the others are NAN. */
int estimate_run_some(const uint8_t *samples, size_t n, unsigned int bits, unsigned int which,
		      struct estimate_report *r);

/*
 * The estimators one by one, in bits per sample; NAN when n is too small.
 * The parameters the standard fixes are arguments here so that its worked
 * examples, which use smaller ones, can be checked.
 */
double estimate_mcv(const uint8_t *s, size_t n);
/* s holds 0 and 1 only */
double estimate_collision(const uint8_t *s, size_t n);
double estimate_markov(const uint8_t *s, size_t n);
double estimate_compression(const uint8_t *s, size_t n, size_t dict_blocks);
/* both at once (they share a suffix array); 0, or -1 (ENOMEM) */
int estimate_tuples(const uint8_t *s, size_t n, unsigned int cutoff, double *t_tuple, double *lrs);
/*
 * The predictors, over samples below k (the number of possible values,
 * 2 to 256; the estimate is at most log2 k).  NAN when n is too small for
 * two predictions (or, for MultiMMC and LZ78Y, 2^32 or more), or when
 * memory runs out (errno ENOMEM).  windows[] increase from 1; depth is at
 * most ESTIMATE_CONTEXT_MAX.
 */
double estimate_multi_mcw(const uint8_t *s, size_t n, unsigned int k,
			  const unsigned int windows[ESTIMATE_MCW_COUNT]);
double estimate_lag(const uint8_t *s, size_t n, unsigned int k, unsigned int lags);
double estimate_multi_mmc(const uint8_t *s, size_t n, unsigned int k, unsigned int depth);
double estimate_lz78y(const uint8_t *s, size_t n, unsigned int k, unsigned int depth);

#endif
