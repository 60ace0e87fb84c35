/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SP 800-90B section 6.3 non-IID estimators, written here from the
 * standard's text (January 2018).  Each function follows the numbered steps
 * of its section; where the text leaves a case open (no solution in a
 * search, a state never seen) the comment says what is done and why.
 */
#include "config.h"

#include "estimate.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* z for the 99% upper bounds of 6.3.1, 6.3.2, 6.3.4-6.3.6 */
#define Z_99 2.576
/* 6.3.4 step 5: c for b = 6 */
#define COMPRESSION_C 0.5907
/* 6.3.3: length of the most likely sequences */
#define MARKOV_LEN 128
/* bisection steps: the interval shrinks below 1e-18 */
#define SEARCH_STEPS 64

static const char *const keys[ESTIMATE_COUNT] = {
	"most_common_value", "collision", "markov", "compression", "t_tuple", "lrs",
};
static const char *const titles[ESTIMATE_COUNT] = {
	"most common value (6.3.1)", "collision (6.3.2)", "Markov (6.3.3)",
	"compression (6.3.4)", "t-tuple (6.3.5)", "LRS (6.3.6)",
};

const char *estimate_key(enum estimator e)
{
	return e < ESTIMATE_COUNT ? keys[e] : "?";
}

const char *estimate_title(enum estimator e)
{
	return e < ESTIMATE_COUNT ? titles[e] : "?";
}

/* min(1, p + 2.576 sqrt(p (1 - p) / (n - 1))): the bound 6.3.1 and others use */
static double upper_bound(double p, size_t n)
{
	double u = p + Z_99 * sqrt(p * (1.0 - p) / (double)(n - 1));

	return u < 1.0 ? u : 1.0;
}

/* -log2(p), as +0 rather than -0 when p is 1 */
static double neg_log2(double p)
{
	return p >= 1.0 ? 0.0 : -log2(p);
}

/* 6.3.1 */
double estimate_mcv(const uint8_t *s, size_t n)
{
	size_t count[256] = { 0 }, i, mode = 0;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++)
		count[s[i]]++;
	for (i = 0; i < 256; i++)
		if (count[i] > mode)
			mode = count[i];
	return neg_log2(upper_bound((double)mode / (double)n, n));
}

/*
 * 6.3.2 for binary samples.  Collision times are 2 (s_i = s_i+1) or 3 (a
 * third binary sample always repeats one of two different ones).  Step 7's
 * expected value,
 *   p q^-2 (1 + (p^-1 - q^-1)/2) F(q) - p q^-1 (p^-1 - q^-1)/2
 * with q = 1 - p and F(1/z) = Gamma(3, z) z^-3 e^z, that is
 * F(q) = q + 2q^2 + 2q^3, is exactly 2 + 2pq (expand it), so the search for p in [1/2, 1] has the
 * closed answer p = (1 + sqrt(1 - 2 (X' - 2))) / 2.  X' at or above 2.5
 * (the value at p = 1/2): no solution, 1 bit (step 8).  X' at or below 2
 * (the value as p -> 1, reachable only through the confidence term): the
 * search ends at p = 1, 0 bits.
 */
double estimate_collision(const uint8_t *s, size_t n)
{
	double sum = 0, sumsq = 0, mean, sd, x;
	size_t i = 0, v = 0;
	unsigned int t;

	while (i + 1 < n) {
		if (s[i] == s[i + 1]) {
			t = 2;
		} else if (i + 2 < n) {
			t = 3;
		} else {
			break;		/* the data ended before a collision */
		}
		i += t;
		v++;
		sum += t;
		sumsq += (double)t * t;
	}
	if (v < 2)
		return NAN;
	mean = sum / (double)v;
	x = (sumsq - (double)v * mean * mean) / (double)(v - 1);
	sd = x > 0 ? sqrt(x) : 0;
	x = mean - Z_99 * sd / sqrt((double)v);
	if (x >= 2.5)
		return 1.0;
	if (x <= 2.0)
		return 0.0;
	return neg_log2((1.0 + sqrt(1.0 - 2.0 * (x - 2.0))) / 2.0);
}

/*
 * 6.3.3 for binary samples.  Logs instead of products: 2^-128 per bit
 * underflows nothing, but P^127 of a small P does.  A state that is never
 * followed by anything (only the last sample) gets transition
 * probabilities of 0: no sequence through it is observed to be likely.
 */
double estimate_markov(const uint8_t *s, size_t n)
{
	size_t o[2][2] = { { 0, 0 }, { 0, 0 } }, zeros = 0, i;
	double p0, p1, t[2][2], l0, l1, lt[2][2], best, seq[6];
	int a, b;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++) {
		zeros += s[i] == 0;
		if (i + 1 < n)
			o[s[i] & 1][s[i + 1] & 1]++;
	}
	p0 = (double)zeros / (double)n;
	p1 = 1.0 - p0;
	for (a = 0; a < 2; a++)
		for (b = 0; b < 2; b++) {
			size_t from = o[a][0] + o[a][1];

			t[a][b] = from ? (double)o[a][b] / (double)from : 0.0;
			lt[a][b] = t[a][b] > 0 ? log2(t[a][b]) : -INFINITY;
		}
	l0 = p0 > 0 ? log2(p0) : -INFINITY;
	l1 = p1 > 0 ? log2(p1) : -INFINITY;
	/* step 3's six sequences of 128 samples */
	seq[0] = l0 + (MARKOV_LEN - 1) * lt[0][0];			/* 00...0 */
	seq[1] = l0 + 64 * lt[0][1] + 63 * lt[1][0];			/* 0101...01 */
	seq[2] = l0 + lt[0][1] + (MARKOV_LEN - 2) * lt[1][1];		/* 011...1 */
	seq[3] = l1 + lt[1][0] + (MARKOV_LEN - 2) * lt[0][0];		/* 100...0 */
	seq[4] = l1 + 64 * lt[1][0] + 63 * lt[0][1];			/* 1010...10 */
	seq[5] = l1 + (MARKOV_LEN - 1) * lt[1][1];			/* 11...1 */
	best = seq[0];
	for (a = 1; a < 6; a++)
		if (seq[a] > best)
			best = seq[a];
	best = -best / MARKOV_LEN;
	return best < 1.0 ? best + 0.0 : 1.0;
}

/*
 * 6.3.4 step 7's G(z) in O(blocks): swapping the sums, the u < t terms of
 * F(z, t, u) = z^2 (1 - z)^(u-1) are counted once for every t in
 * [d+1, blocks] above u, that is blocks - max(u, d) times.
 */
static double compression_g(double z, const double *lg, size_t blocks, size_t d)
{
	double pw = 1.0, inner = 0, last = 0;
	size_t u;

	for (u = 1; u <= blocks && pw > 0; u++) {
		if (u < blocks)
			inner += lg[u] * pw * (double)(blocks - (u > d ? u : d));
		if (u > d)
			last += lg[u] * pw;
		pw *= 1.0 - z;
	}
	return (z * z * inner + z * last) / (double)(blocks - d);
}

static double compression_expected(double p, const double *lg, size_t blocks, size_t d)
{
	const double others = (double)((1u << ESTIMATE_COMPRESSION_BLOCK) - 1);

	return compression_g(p, lg, blocks, d) +
	       others * compression_g((1.0 - p) / others, lg, blocks, d);
}

/*
 * 6.3.4 for binary samples, with dict_blocks the d of step 2 (1000 in the
 * standard).  Returns bits per sample (per bit).  NAN when fewer than two
 * test blocks follow the dictionary's.  The expected value falls as p grows
 * from 2^-b (its largest, the uniform case) to 1 (where it is 0): X' above
 * the largest has no solution, 1 bit (step 8); X' at 0 or below ends the
 * search at p = 1.
 */
double estimate_compression(const uint8_t *s, size_t n, size_t dict_blocks)
{
	const unsigned int b = ESTIMATE_COMPRESSION_BLOCK;
	size_t blocks = n / b, dict[1u << ESTIMATE_COMPRESSION_BLOCK] = { 0 }, i, nu;
	double sum = 0, sumsq = 0, mean, sd, x, lo, hi, mid, *lg;
	unsigned int k, block;
	int step;

	if (dict_blocks == 0 || blocks < dict_blocks + 2)
		return NAN;
	lg = malloc((blocks + 1) * sizeof(*lg));
	if (!lg)
		return NAN;
	for (i = 1; i <= blocks; i++)
		lg[i] = log2((double)i);
	nu = blocks - dict_blocks;
	for (i = 1; i <= blocks; i++) {
		size_t dist;

		for (block = 0, k = 0; k < b; k++)
			block = (block << 1) | (s[(i - 1) * b + k] & 1u);
		if (i > dict_blocks) {
			dist = dict[block] ? i - dict[block] : i;
			sum += lg[dist];
			sumsq += lg[dist] * lg[dist];
		}
		dict[block] = i;
	}
	mean = sum / (double)nu;
	x = sumsq / (double)(nu - 1) - mean * mean;
	sd = COMPRESSION_C * (x > 0 ? sqrt(x) : 0);
	x = mean - Z_99 * sd / sqrt((double)nu);

	lo = 1.0 / (double)(1u << b);
	hi = 1.0;
	if (x >= compression_expected(lo, lg, blocks, dict_blocks)) {
		free(lg);
		return 1.0;
	}
	for (step = 0; step < SEARCH_STEPS && x > 0; step++) {
		mid = (lo + hi) / 2;
		if (compression_expected(mid, lg, blocks, dict_blocks) > x)
			lo = mid;
		else
			hi = mid;
	}
	free(lg);
	return x > 0 ? neg_log2((lo + hi) / 2) / b : 0.0;
}

/*
 * Suffix array of s[0..n) by prefix doubling.  rank[i] is the index in sa
 * of the last suffix of i's group (suffixes equal on the first h symbols):
 * the stable sort by first key then needs no count array, because a
 * group's next free slot is kept in sa at the group's last index, which
 * is written last.  On return rank is the inverse of sa.  tmp is scratch;
 * the three arrays may be swapped, so they come by pointer.
 */
static void suffix_array(const uint8_t *s, uint32_t n, uint32_t **sap, uint32_t **rankp, uint32_t **tmpp)
{
	uint32_t *sa = *sap, *rank = *rankp, *tmp = *tmpp, *swap;
	uint32_t count[257] = { 0 }, i, j, k, h, end = 0, groups, start;

	for (i = 0; i < n; i++)
		count[s[i] + 1]++;
	for (i = 1; i < 257; i++)
		count[i] += count[i - 1];
	for (i = 0; i < n; i++)
		sa[count[s[i]]++] = i;
	groups = 0;
	for (j = n; j-- > 0;) {
		if (j == n - 1 || s[sa[j]] != s[sa[j + 1]]) {
			end = j;
			groups++;
		}
		rank[sa[j]] = end;
	}
	for (h = 1; groups < n; h *= 2) {
		/* by second key: suffixes shorter than h+1 have none (smallest) */
		k = 0;
		for (i = n > h ? n - h : 0; i < n; i++)
			tmp[k++] = i;
		for (j = 0; j < n; j++)
			if (sa[j] >= h)
				tmp[k++] = sa[j] - h;
		/* the next free slot of each group, kept at its last index */
		for (start = 0, j = 0; j < n; j++)
			if (rank[sa[j]] == j) {
				sa[j] = start;
				start = j + 1;
			}
		for (k = 0; k < n; k++) {
			uint32_t e = rank[tmp[k]], pos = sa[e];

			sa[pos] = tmp[k];
			if (pos != e)
				sa[e] = pos + 1;
		}
		/* new groups: equal (rank[i], rank[i + h]) */
		groups = 0;
		for (j = n; j-- > 0;) {
			uint32_t a = sa[j];

			if (j == n - 1) {
				end = j;
				groups++;
			} else {
				uint32_t c = sa[j + 1];
				int64_t a2 = a + h < n ? (int64_t)rank[a + h] : -1;
				int64_t c2 = c + h < n ? (int64_t)rank[c + h] : -1;

				if (rank[a] != rank[c] || a2 != c2) {
					end = j;
					groups++;
				}
			}
			tmp[a] = end;
		}
		swap = rank;
		rank = tmp;
		tmp = swap;
	}
	*sap = sa;
	*rankp = rank;
	*tmpp = tmp;
}

/* Kasai's LCP: lcp[j] = common prefix of suffixes sa[j-1] and sa[j]; lcp[0] = 0. */
static void lcp_array(const uint8_t *s, uint32_t n, const uint32_t *sa, const uint32_t *rank, uint32_t *lcp)
{
	uint32_t i, k = 0, j;

	lcp[0] = 0;
	for (i = 0; i < n; i++) {
		if (rank[i] == 0) {
			k = 0;
			continue;
		}
		j = sa[rank[i] - 1];
		while (i + k < n && j + k < n && s[i + k] == s[j + k])
			k++;
		lcp[rank[i]] = k;
		if (k)
			k--;
	}
}

/*
 * One walk over the lcp intervals (the internal nodes of the suffix tree):
 * a node of depth h and size 'size' is, for every tuple length W in
 * (parent, h], one W-tuple occurring 'size' times.  The stack lives in the
 * two arrays the suffix array no longer needs.
 */
struct tuple_walk {
	unsigned int pass;		/* 1: t and v; 2: t-tuple and LRS sums */
	uint32_t cutoff, t, v, u, n;
	double tuple_pmax;		/* 6.3.5 step 3's max */
	uint64_t *pairs;		/* diff array over W in [u, v + 1] */
};

static void tuple_visit(struct tuple_walk *w, uint32_t h, uint32_t parent, uint32_t size)
{
	uint32_t m, lo;
	uint64_t c2;
	double p;

	if (w->pass == 1) {
		if (h > w->v)
			w->v = h;
		if (size >= w->cutoff && h > w->t)
			w->t = h;
		return;
	}
	/*
	 * Q[i] is the largest node of depth >= i; (Q[i] / (L - i + 1))^(1/i)
	 * grows with i for a given count, so each node's best i is min(h, t).
	 */
	if (w->t) {
		m = h < w->t ? h : w->t;
		p = pow((double)size / (double)(w->n - m + 1), 1.0 / m);
		if (p > w->tuple_pmax)
			w->tuple_pmax = p;
	}
	lo = parent + 1 > w->u ? parent + 1 : w->u;
	if (w->pairs && lo <= h) {
		c2 = (uint64_t)size * (size - 1) / 2;
		w->pairs[lo - w->u] += c2;
		w->pairs[h + 1 - w->u] -= c2;
	}
}

static void tuple_walk(struct tuple_walk *w, const uint32_t *lcp, uint32_t *st_h, uint32_t *st_lb)
{
	uint32_t top = 0, i, lb, cur;

	st_h[0] = 0;
	st_lb[0] = 0;
	for (i = 1; i <= w->n; i++) {
		cur = i < w->n ? lcp[i] : 0;
		lb = i - 1;
		while (cur < st_h[top]) {
			uint32_t h = st_h[top], node_lb = st_lb[top--];
			uint32_t parent = cur > st_h[top] ? cur : st_h[top];

			tuple_visit(w, h, parent, i - node_lb);
			lb = node_lb;
		}
		if (cur > st_h[top]) {
			top++;
			st_h[top] = cur;
			st_lb[top] = lb;
		}
	}
}

/* 6.3.5 and 6.3.6 with the given cutoff (35 in the standard). */
int estimate_tuples(const uint8_t *s, size_t n, unsigned int cutoff, double *t_tuple, double *lrs)
{
	uint32_t *sa, *rank, *tmp, wlen;
	struct tuple_walk w;
	double p, best;
	uint64_t pairs;

	*t_tuple = *lrs = NAN;
	if (n < 2 || n >= UINT32_MAX / 2 || cutoff < 2)
		return 0;
	sa = malloc(n * sizeof(*sa));
	rank = malloc(n * sizeof(*rank));
	tmp = malloc(n * sizeof(*tmp));
	if (!sa || !rank || !tmp) {
		free(sa);
		free(rank);
		free(tmp);
		errno = ENOMEM;
		return -1;
	}
	suffix_array(s, (uint32_t)n, &sa, &rank, &tmp);
	lcp_array(s, (uint32_t)n, sa, rank, tmp);

	memset(&w, 0, sizeof(w));
	w.n = (uint32_t)n;
	w.cutoff = cutoff;
	w.pass = 1;
	tuple_walk(&w, tmp, sa, rank);
	/* 6.3.6 step 1: u, the smallest length whose most common tuple
	 * occurs fewer than cutoff times, is t + 1 */
	w.u = w.t + 1;
	w.pass = 2;
	if (w.u <= w.v) {
		w.pairs = calloc(w.v - w.u + 2, sizeof(*w.pairs));
		if (!w.pairs) {
			free(sa);
			free(rank);
			free(tmp);
			errno = ENOMEM;
			return -1;
		}
	}
	tuple_walk(&w, tmp, sa, rank);
	free(sa);
	free(rank);
	free(tmp);

	if (w.t)
		*t_tuple = neg_log2(upper_bound(w.tuple_pmax, n));
	if (w.pairs) {
		/* 6.3.6 steps 3-4: P_W = sum C(C_i, 2) / C(L - W + 1, 2) */
		best = 0;
		pairs = 0;
		for (wlen = w.u; wlen <= w.v; wlen++) {
			double tuples = (double)(n - wlen + 1);

			pairs += w.pairs[wlen - w.u];
			p = pow((double)pairs / (tuples * (tuples - 1) / 2), 1.0 / wlen);
			if (p > best)
				best = p;
		}
		free(w.pairs);
		*lrs = neg_log2(upper_bound(best, n));
	}
	return 0;
}

static double min_of(const double *v, size_t count)
{
	double m = NAN;
	size_t i;

	for (i = 0; i < count; i++)
		if (!isnan(v[i]) && (isnan(m) || v[i] < m))
			m = v[i];
	return m;
}

/* The binary estimators over s (0/1 values): out[] in bits per bit. */
static int estimate_binary(const uint8_t *s, size_t n, double out[ESTIMATE_COUNT])
{
	out[ESTIMATE_MCV] = estimate_mcv(s, n);
	out[ESTIMATE_COLLISION] = estimate_collision(s, n);
	out[ESTIMATE_MARKOV] = estimate_markov(s, n);
	out[ESTIMATE_COMPRESSION] = estimate_compression(s, n, ESTIMATE_COMPRESSION_DICT);
	return estimate_tuples(s, n, ESTIMATE_TUPLE_CUTOFF, &out[ESTIMATE_T_TUPLE], &out[ESTIMATE_LRS]);
}

int estimate_run(const uint8_t *samples, size_t n, unsigned int bits, struct estimate_report *r)
{
	uint8_t *bitstring;
	size_t i;
	unsigned int k;
	int e;

	if (bits < 1 || bits > 8 || n > ESTIMATE_MAX_SAMPLES) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; bits < 8 && i < n; i++)
		if (samples[i] >> bits) {
			errno = EINVAL;
			return -1;
		}
	memset(r, 0, sizeof(*r));
	r->samples = n;
	r->bits = bits;
	for (e = 0; e < ESTIMATE_COUNT; e++)
		r->original[e] = r->bitstring[e] = NAN;

	if (bits == 1) {
		if (estimate_binary(samples, n, r->original) < 0)
			return -1;
	} else {
		/* 6.3.2-6.3.4 are for binary samples only: not on these */
		r->original[ESTIMATE_MCV] = estimate_mcv(samples, n);
		if (estimate_tuples(samples, n, ESTIMATE_TUPLE_CUTOFF, &r->original[ESTIMATE_T_TUPLE],
				    &r->original[ESTIMATE_LRS]) < 0)
			return -1;
		bitstring = malloc(n * bits + 1);
		if (!bitstring) {
			errno = ENOMEM;
			return -1;
		}
		for (i = 0; i < n; i++)
			for (k = 0; k < bits; k++)
				bitstring[i * bits + k] = (uint8_t)((samples[i] >> (bits - 1 - k)) & 1u);
		e = estimate_binary(bitstring, n * bits, r->bitstring);
		free(bitstring);
		if (e < 0)
			return -1;
		for (e = 0; e < ESTIMATE_COUNT; e++)
			r->bitstring[e] *= bits;
	}
	r->h_original = min_of(r->original, ESTIMATE_COUNT);
	r->h_bitstring = min_of(r->bitstring, ESTIMATE_COUNT);
	r->min_entropy = isnan(r->h_bitstring) || r->h_original < r->h_bitstring ?
			 r->h_original : r->h_bitstring;
	return 0;
}
