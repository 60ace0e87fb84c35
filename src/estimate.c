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

/* 6.3.7-6.3.10: the confidence of P_local, and x's fixed-point iterations */
#define LOCAL_CONFIDENCE 0.99
#define LOCAL_ITERATIONS 10

static const char *const keys[ESTIMATE_COUNT] = {
	"most_common_value", "collision", "markov", "compression", "t_tuple", "lrs",
	"multi_mcw", "lag", "multi_mmc", "lz78y",
};
static const char *const titles[ESTIMATE_COUNT] = {
	"most common value (6.3.1)", "collision (6.3.2)", "Markov (6.3.3)",
	"compression (6.3.4)", "t-tuple (6.3.5)", "LRS (6.3.6)",
	"MultiMCW (6.3.7)", "lag (6.3.8)", "MultiMMC (6.3.9)", "LZ78Y (6.3.10)",
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

/*
 * 6.3.7-6.3.10: a predictor guesses each sample from the ones before it.
 * What the estimate needs of its guesses: how many (N), how many right (C)
 * and the longest run of right ones.
 */
struct predictions {
	size_t made, correct, run, longest;
};

static void predicted(struct predictions *p, bool right)
{
	p->made++;
	if (!right) {
		p->run = 0;
		return;
	}
	p->correct++;
	if (++p->run > p->longest)
		p->longest = p->run;
}

/*
 * 6.3.7 step 7's right-hand side: the probability of no run of r right
 * guesses in N when each is right with probability p,
 *   (1 - p x) / ((r + 1 - r x) q) / x^(N+1),  q = 1 - p,
 * with x after ten steps of x = 1 + q p^r x^(r+1) from 1.  x^(N+1) in
 * logs: N is up to 8,000,000.  Where the iteration runs away (p well above
 * the answer) the probability is taken as 0, which sends the search down.
 */
static double no_run_probability(double p, double r, size_t n)
{
	double q = 1.0 - p, qpr = q * pow(p, r), x = 1.0;
	int j;

	for (j = 0; j < LOCAL_ITERATIONS; j++)
		x = 1.0 + qpr * pow(x, r + 1.0);
	if (!isfinite(x))
		return 0.0;
	return (1.0 - p * x) / ((r + 1.0 - r * x) * q) * exp(-(double)(n + 1) * log(x));
}

/*
 * 6.3.7 steps 6-8 (6.3.8-6.3.10 end the same way): P_global's 99% upper
 * bound (1 - 0.01^(1/N) when nothing was guessed right), P_local by
 * bisection (the probability falls as p grows), and
 * -log2(max(P_global', P_local, 1/k)).
 */
static double prediction_estimate(const struct predictions *p, unsigned int k)
{
	double global = (double)p->correct / (double)p->made, r = (double)p->longest + 1.0;
	double lo = 0.0, hi = 1.0, mid, best;
	int step;

	global = p->correct ? upper_bound(global, p->made) : 1.0 - pow(0.01, 1.0 / (double)p->made);
	for (step = 0; step < SEARCH_STEPS; step++) {
		mid = (lo + hi) / 2;
		if (no_run_probability(mid, r, p->made) > LOCAL_CONFIDENCE)
			lo = mid;
		else
			hi = mid;
	}
	best = (lo + hi) / 2;
	if (global > best)
		best = global;
	if (1.0 / k > best)
		best = 1.0 / k;
	return neg_log2(best);
}

/*
 * One of 6.3.7's windows: value counts, and how many values have each
 * count, so that the most common value (the latest seen on a tie) follows
 * each sample in and out without a scan, except when the mode itself
 * leaves and another value may tie it.
 */
struct mcw_window {
	unsigned int size;
	int mode;			/* -1: empty */
	uint32_t top;			/* the mode's count */
	uint32_t count[256];
	uint32_t *with_count;		/* [c]: values counted c times, c in 1..size+1 */
};

static void mcw_add(struct mcw_window *w, uint8_t v)
{
	uint32_t c = ++w->count[v];

	if (c > 1)
		w->with_count[c - 1]--;
	w->with_count[c]++;
	/* v is the latest sample: it wins a tie */
	if (c >= w->top) {
		w->top = c;
		w->mode = v;
	}
}

static void mcw_remove(struct mcw_window *w, uint8_t v, const size_t *last, unsigned int k)
{
	uint32_t c = w->count[v]--;
	unsigned int u;
	size_t latest = 0;

	w->with_count[c]--;
	if (c > 1)
		w->with_count[c - 1]++;
	/* another value leaving: the mode keeps its count, and its lead on
	 * recency (leaving drops v's oldest occurrence, not its latest) */
	if (v != w->mode)
		return;
	if (w->with_count[c] == 0) {
		w->top = c - 1;
		if (w->with_count[c - 1] == 1)
			return;		/* v alone at the top still */
	}
	for (u = 0; u < k; u++)
		if (w->count[u] == w->top && last[u] >= latest) {
			latest = last[u];
			w->mode = (int)u;
		}
}

/*
 * 6.3.7 with the given windows (63, 255, 1023, 4095 in the standard).
 * The windows slide one sample per step; last[] holds each value's latest
 * position, which is inside every window that counts the value.
 */
double estimate_multi_mcw(const uint8_t *s, size_t n, unsigned int k,
			  const unsigned int windows[ESTIMATE_MCW_COUNT])
{
	struct mcw_window win[ESTIMATE_MCW_COUNT];
	struct predictions p = { 0, 0, 0, 0 };
	size_t last[256] = { 0 }, score[ESTIMATE_MCW_COUNT] = { 0 }, i;
	int frequent[ESTIMATE_MCW_COUNT], j, winner = 0;
	bool ok = true;

	if (k < 2 || k > 256 || n < (size_t)windows[0] + 2)
		return NAN;
	memset(win, 0, sizeof(win));
	for (j = 0; j < ESTIMATE_MCW_COUNT; j++) {
		win[j].size = windows[j];
		win[j].mode = -1;
		win[j].with_count = calloc(windows[j] + 2, sizeof(*win[j].with_count));
		ok = ok && win[j].with_count;
	}
	for (i = 0; ok && i < n; i++) {
		if (i >= windows[0]) {
			for (j = 0; j < ESTIMATE_MCW_COUNT; j++)
				frequent[j] = i >= win[j].size ? win[j].mode : -1;
			predicted(&p, frequent[winner] == s[i]);
			for (j = 0; j < ESTIMATE_MCW_COUNT; j++)
				if (frequent[j] == s[i] && ++score[j] >= score[winner])
					winner = j;
		}
		last[s[i]] = i;
		for (j = 0; j < ESTIMATE_MCW_COUNT; j++) {
			mcw_add(&win[j], s[i]);
			if (i >= win[j].size)
				mcw_remove(&win[j], s[i - win[j].size], last, k);
		}
	}
	for (j = 0; j < ESTIMATE_MCW_COUNT; j++)
		free(win[j].with_count);
	if (!ok) {
		errno = ENOMEM;
		return NAN;
	}
	return prediction_estimate(&p, k);
}

/* 6.3.8's lags compared a block of steps at a time: a word of binary samples */
#define LAG_BLOCK 64

/* Binary samples one a bit, s[64 q + j] in bit j of word q, and a word to spare. */
static uint64_t *pack_bits(const uint8_t *s, size_t n)
{
	uint64_t *w = calloc(n / 64 + 2, sizeof(*w));
	size_t i;

	for (i = 0; w && i < n; i++)
		w[i / 64] |= (uint64_t)(s[i] & 1u) << (i % 64);
	return w;
}

/* The 64 packed samples from s[at] on. */
static uint64_t bits_at(const uint64_t *w, size_t at)
{
	unsigned int shift = at % 64;
	uint64_t lo = w[at / 64] >> shift;

	return shift ? lo | w[at / 64 + 1] << (64 - shift) : lo;
}

/* Steps in [start, end) (at most LAG_BLOCK) where lag d guesses right. */
static uint32_t lag_right(const uint8_t *s, const uint64_t *packed, size_t start, size_t end, size_t d)
{
	uint32_t c = 0;
	size_t i;

	if (packed && start >= d) {
		uint64_t differ = bits_at(packed, start) ^ bits_at(packed, start - d);

		if (end - start < 64)
			differ &= ((uint64_t)1 << (end - start)) - 1;
		return (uint32_t)(end - start) - (uint32_t)__builtin_popcountll(differ);
	}
	/* before step d there is no lag d: never right */
	for (i = start > d ? start : d; i < end; i++)
		c += s[i - d] == s[i];
	return c;
}

/*
 * 6.3.8 with the given number of lags (128 in the standard).  Step 3c's
 * scoreboard keeps the winner's score the highest of all (scores grow by
 * at most 1 a step, and a lag takes the lead only from a tie), so within
 * a block of steps only lags whose score plus their right guesses in the
 * block reaches the winner's at its start can take the lead: those are
 * followed step by step, the others get their block's count at its end.
 */
double estimate_lag(const uint8_t *s, size_t n, unsigned int k, unsigned int lags)
{
	struct predictions p = { 0, 0, 0, 0 };
	uint32_t *score, lead, c;
	uint64_t *packed = NULL;
	unsigned int *follow, nfollow, d, f, winner = 1;
	size_t i, start, end;

	if (k < 2 || k > 256 || lags < 1 || n < 3)
		return NAN;
	score = calloc(lags + 1, sizeof(*score));
	follow = calloc(lags, sizeof(*follow));
	if (k == 2)
		packed = pack_bits(s, n);
	if (!score || !follow || (k == 2 && !packed)) {
		free(score);
		free(follow);
		free(packed);
		errno = ENOMEM;
		return NAN;
	}
	for (start = 1; start < n; start = end) {
		end = start + LAG_BLOCK < n ? start + LAG_BLOCK : n;
		lead = score[winner];
		nfollow = 0;
		for (d = 1; d <= lags; d++) {
			c = lag_right(s, packed, start, end, d);
			if (score[d] + c >= lead)
				follow[nfollow++] = d;
			else
				score[d] += c;
		}
		for (i = start; i < end; i++) {
			predicted(&p, s[i - winner] == s[i]);
			for (f = 0; f < nfollow && follow[f] <= i; f++) {
				d = follow[f];
				if (s[i - d] == s[i] && ++score[d] >= score[winner])
					winner = d;
			}
		}
	}
	free(score);
	free(follow);
	free(packed);
	return prediction_estimate(&p, k);
}

/*
 * 6.3.9 and 6.3.10 count how often each sample y followed each context x
 * (the d samples before it), and predict from a context its commonest y
 * (the largest on a tie).
 *
 * Binary samples: a flat array of pair counts indexed by the pair's bits
 * under a leading 1, so that a context's two pairs are neighbours and
 * tell its commonest y (the longest pair is ESTIMATE_CONTEXT_MAX + 1 bits).
 *
 * Wider samples: a hash table (linear probing, doubled when three quarters
 * full) of contexts x and pairs x y, each known by one occurrence in s
 * (where it ends, and its length), so no tuple is copied.  A context keeps
 * its commonest y and that y's count: counts only grow, so each pair's
 * increment updates it.
 */
enum tuple_kind { TUPLE_CONTEXT, TUPLE_PAIR };

struct tuple {
	uint32_t end;			/* last sample's index + 1; 0: free slot (n < 2^32) */
	uint32_t count;			/* pair: occurrences; context: its best y's */
	uint8_t len;
	uint8_t kind;
	uint8_t best;			/* context: its commonest next sample */
	uint8_t check;			/* hash bits beyond the index's, to skip compares */
};

#define TUPLE_LEN_MAX (ESTIMATE_CONTEXT_MAX + 1)
/* the hash table's first size, 2^12 to 2^20 slots, from the tuples expected */
#define TUPLE_HASH_MIN_BITS 12
#define TUPLE_HASH_START_MAX_BITS 20
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define GOLDEN 0x9e3779b97f4a7c15ull

struct tuple_table {
	const uint8_t *s;
	uint32_t *pairs;		/* binary */
	struct tuple *slot;		/* wider */
	size_t mask, used;
	unsigned int bits;		/* log2 of the slots */
	/*
	 * By length, where the context added while its one-shorter suffix was
	 * absent ends (+ 1; 0: none); elsewhere a context's presence implies
	 * its suffix's.  6.3.9's pair limit allows one such orphan a length:
	 * its suffix's length is full then, which leaves its own (never more
	 * than one pair behind, as every new shorter pair but the first comes
	 * with a new longer one) at most one pair to add.
	 */
	size_t orphan_end[TUPLE_LEN_MAX + 1];
	/*
	 * Keys of the tuples ending at the current end (now) and the one
	 * before (then), by length: binary, the samples as bits (the last
	 * lowest) under a leading 1; wider, an FNV-1a hash of the samples from
	 * the last back.
	 */
	uint64_t now[TUPLE_LEN_MAX + 1], then[TUPLE_LEN_MAX + 1];
	uint64_t bits_to_end;		/* binary: the samples up to the end, the last lowest */
	size_t end;
};

/*
 * expect: about how many tuples there may be; starting near that size
 * spares short inputs (the jitter source's 1024 start-up samples) the
 * doublings, long ones start at 2^20 slots.
 */
static int tuple_init(struct tuple_table *t, const uint8_t *s, unsigned int k, size_t expect)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->end = SIZE_MAX;		/* no end yet */
	if (k == 2) {
		t->pairs = calloc((size_t)2 << TUPLE_LEN_MAX, sizeof(*t->pairs));
		return t->pairs ? 0 : -1;
	}
	for (t->bits = TUPLE_HASH_MIN_BITS;
	     t->bits < TUPLE_HASH_START_MAX_BITS && 3 * ((size_t)1 << t->bits) < 4 * expect; t->bits++)
		;
	t->mask = ((size_t)1 << t->bits) - 1;
	t->slot = calloc(t->mask + 1, sizeof(*t->slot));
	return t->slot ? 0 : -1;
}

static void tuple_free(struct tuple_table *t)
{
	free(t->pairs);
	free(t->slot);
}

/* Moves the end to s[end]: the keys of the tuples ending there, up to maxlen. */
static void tuple_advance(struct tuple_table *t, size_t end, unsigned int maxlen)
{
	uint64_t h = FNV_OFFSET;
	unsigned int len;

	memcpy(t->then, t->now, sizeof(t->now));
	if (t->pairs) {
		/* a step on shifts one sample in; the first end reads them all */
		if (end == t->end + 1) {
			t->bits_to_end = (t->bits_to_end << 1) | (t->s[end] & 1u);
		} else {
			t->bits_to_end = 0;
			for (len = 1; len <= maxlen && len <= end + 1; len++)
				t->bits_to_end |= (uint64_t)(t->s[end + 1 - len] & 1u) << (len - 1);
		}
		for (len = 1; len <= maxlen; len++)
			t->now[len] = ((uint64_t)1 << len) | (t->bits_to_end & (((uint64_t)1 << len) - 1));
	}
	for (len = 1; !t->pairs && len <= maxlen && len <= end + 1; len++) {
		h = (h ^ t->s[end + 1 - len]) * FNV_PRIME;
		t->now[len] = h;
	}
	t->end = end;
}

static uint64_t tuple_mix(uint64_t key, unsigned int len, enum tuple_kind kind)
{
	return (key ^ ((uint64_t)(len * 2 + kind) << 56)) * GOLDEN;
}

/* Room for 'more' additions without growing (which moves the tuples).  0, or -1. */
static int tuple_reserve(struct tuple_table *t, size_t more)
{
	struct tuple *old = t->slot;
	size_t old_mask = t->mask, i, j;
	uint64_t h, m;
	unsigned int len;

	if (t->pairs || 4 * (t->used + more) <= 3 * (t->mask + 1))
		return 0;
	t->slot = calloc(2 * (old_mask + 1), sizeof(*t->slot));
	if (!t->slot) {
		t->slot = old;
		return -1;
	}
	t->mask = 2 * old_mask + 1;
	t->bits++;
	for (i = 0; i <= old_mask; i++) {
		if (!old[i].end)
			continue;
		for (h = FNV_OFFSET, len = 1; len <= old[i].len; len++)
			h = (h ^ t->s[old[i].end - len]) * FNV_PRIME;
		m = tuple_mix(h, old[i].len, (enum tuple_kind)old[i].kind);
		for (j = (size_t)(m >> (64 - t->bits)); t->slot[j].end; j = (j + 1) & t->mask)
			;
		t->slot[j] = old[i];
		t->slot[j].check = (uint8_t)(m >> (56 - t->bits));
	}
	free(old);
	return tuple_reserve(t, more);
}

/*
 * Wider samples: the tuple of len samples ending at s[end], of the given
 * kind, with its key; NULL if absent, unless add: then it is added (count
 * 0), in room tuple_reserve made.
 */
static struct tuple *tuple_find(struct tuple_table *t, enum tuple_kind kind, unsigned int len,
				size_t end, uint64_t key, bool add)
{
	uint64_t m = tuple_mix(key, len, kind);
	uint8_t check = (uint8_t)(m >> (56 - t->bits));
	struct tuple *a;
	size_t j;

	for (j = (size_t)(m >> (64 - t->bits)); t->slot[j].end; j = (j + 1) & t->mask) {
		a = &t->slot[j];
		if (a->check == check && a->len == len && a->kind == kind &&
		    memcmp(t->s + a->end - len, t->s + end + 1 - len, len) == 0)
			return a;
	}
	if (!add)
		return NULL;
	a = &t->slot[j];
	a->end = (uint32_t)end + 1;
	a->len = (uint8_t)len;
	a->kind = (uint8_t)kind;
	a->check = check;
	t->used++;
	return a;
}

/*
 * The count of the pair ending at s[end] whose context has d samples;
 * NULL when absent, unless add (then 0).  Valid until the next reserve.
 */
static inline uint32_t *pair_count(struct tuple_table *t, unsigned int d, size_t end, bool add)
{
	struct tuple *a;

	if (t->pairs)
		return add || t->pairs[t->now[d + 1]] ? &t->pairs[t->now[d + 1]] : NULL;
	a = tuple_find(t, TUPLE_PAIR, d + 1, end, t->now[d + 1], add);
	return a ? &a->count : NULL;
}

/*
 * A pair's count grew to 'count' after the context of d samples ending at
 * s[end] (key): the context, added if new (an orphan if its suffix is
 * absent), takes y if that is now its commonest.  Binary pairs need nothing.
 */
static inline void context_note(struct tuple_table *t, unsigned int d, size_t end, uint64_t key, uint8_t y,
			 uint32_t count, bool suffix_absent)
{
	struct tuple *c;

	if (t->pairs)
		return;
	c = tuple_find(t, TUPLE_CONTEXT, d, end, key, true);
	if (c->count == 0 && suffix_absent)
		t->orphan_end[d] = end + 1;
	if (count > c->count || (count == c->count && y > c->best)) {
		c->count = count;
		c->best = y;
	}
}

/* The commonest next sample after the context (key) and its count; false when absent. */
static inline bool context_best(struct tuple_table *t, unsigned int d, size_t end, uint64_t key,
			 uint8_t *best, uint32_t *count)
{
	const uint32_t *after;
	struct tuple *c;

	if (t->pairs) {
		after = &t->pairs[2 * key];
		*best = after[1] >= after[0];
		*count = after[*best];
		return *count != 0;
	}
	c = tuple_find(t, TUPLE_CONTEXT, d, end, key, false);
	if (c) {
		*best = c->best;
		*count = c->count;
	}
	return c != NULL;
}

/* 6.3.9's and 6.3.10's end: the table freed, the estimate, or NAN (ENOMEM) when it could not grow. */
static double tuple_estimate(struct tuple_table *t, const struct predictions *p, unsigned int k, bool nomem)
{
	tuple_free(t);
	if (nomem) {
		errno = ENOMEM;
		return NAN;
	}
	return prediction_estimate(p, k);
}

/* Whether the context of d samples ending at s[end] may exist, its suffix being absent. */
static bool maybe_orphan(const struct tuple_table *t, unsigned int d, size_t end)
{
	size_t o = t->orphan_end[d];

	return o && memcmp(t->s + o - d, t->s + end + 1 - d, d) == 0;
}

/*
 * 6.3.9 with contexts of 1 to depth samples (16 in the standard), at most
 * ESTIMATE_MMC_MAX_ENTRIES pairs for each length.  seen[d]: whether the
 * context of d samples ending at s[i-1] exists, as step 3b found it; the
 * next step counts after that context, and skips the look-up of a pair
 * whose context is absent.  Step 3b skips a context whose suffix is absent,
 * unless it is its length's orphan.
 */
double estimate_multi_mmc(const uint8_t *s, size_t n, unsigned int k, unsigned int depth)
{
	struct predictions p = { 0, 0, 0, 0 };
	struct tuple_table t;
	size_t entries[ESTIMATE_CONTEXT_MAX + 1] = { 0 }, score[ESTIMATE_CONTEXT_MAX + 1] = { 0 }, i;
	bool seen[ESTIMATE_CONTEXT_MAX + 1] = { false }, room, suffix;
	int guess[ESTIMATE_CONTEXT_MAX + 1];
	unsigned int d, winner = 1;
	uint32_t *count, most;
	uint8_t best;

	if (k < 2 || k > 256 || depth < 1 || depth > ESTIMATE_CONTEXT_MAX || n < 4 || n >= UINT32_MAX)
		return NAN;
	if (tuple_init(&t, s, k, 2 * (size_t)depth * n) < 0)
		return tuple_estimate(&t, &p, k, true);
	tuple_advance(&t, 0, depth + 1);
	for (i = 2; i < n; i++) {
		tuple_advance(&t, i - 1, depth + 1);
		if (tuple_reserve(&t, 2 * (size_t)depth) < 0)
			return tuple_estimate(&t, &p, k, true);
		/* step 3a: s[i-1] after the contexts ending at s[i-2] */
		suffix = true;
		for (d = 1; d <= depth && d < i; d++) {
			room = entries[d] < ESTIMATE_MMC_MAX_ENTRIES;
			count = seen[d] || room ? pair_count(&t, d, i - 1, room) : NULL;
			if (!count) {
				suffix = seen[d];
				continue;
			}
			entries[d] += *count == 0;
			++*count;
			context_note(&t, d, i - 2, t.then[d], s[i - 1], *count, !suffix);
			suffix = true;
		}
		/* steps 3b-3e: each length's guess at s[i], the winner's counted */
		for (d = 1; d <= depth && d <= i; d++) {
			seen[d] = (d == 1 || seen[d - 1] || t.pairs || maybe_orphan(&t, d, i - 1)) &&
				  context_best(&t, d, i - 1, t.now[d], &best, &most);
			guess[d] = seen[d] ? best : -1;
		}
		predicted(&p, winner <= i && guess[winner] == s[i]);
		for (d = 1; d <= depth && d <= i; d++)
			if (guess[d] == s[i] && ++score[d] >= score[winner])
				winner = d;
	}
	return tuple_estimate(&t, &p, k, false);
}

/*
 * 6.3.10 with contexts of 1 to depth samples (16 in the standard), at most
 * ESTIMATE_LZ78Y_MAX_DICTIONARY contexts in all (a context's pairs are not
 * limited).  A context enters the dictionary with its first pair, so
 * seen[j] (as step 3b found the context of j samples ending at s[i-1])
 * tells the next step whether it is new.
 */
double estimate_lz78y(const uint8_t *s, size_t n, unsigned int k, unsigned int depth)
{
	struct predictions p = { 0, 0, 0, 0 };
	struct tuple_table t;
	bool seen[ESTIMATE_CONTEXT_MAX + 1] = { false };
	size_t contexts = 0, i;
	uint32_t *count, most, c;
	unsigned int j;
	uint8_t best;
	int guess;

	if (k < 2 || k > 256 || depth < 1 || depth > ESTIMATE_CONTEXT_MAX || n < depth + 3 ||
	    n >= UINT32_MAX)
		return NAN;
	if (tuple_init(&t, s, k, 2 * (size_t)depth * n) < 0)
		return tuple_estimate(&t, &p, k, true);
	tuple_advance(&t, depth - 1, depth + 1);
	for (i = depth + 1; i < n; i++) {
		tuple_advance(&t, i - 1, depth + 1);
		if (tuple_reserve(&t, 2 * (size_t)depth) < 0)
			return tuple_estimate(&t, &p, k, true);
		/* step 3a: s[i-1] after the contexts ending at s[i-2] */
		for (j = depth; j >= 1; j--) {
			if (!seen[j] && contexts >= ESTIMATE_LZ78Y_MAX_DICTIONARY)
				continue;
			contexts += !seen[j];
			count = pair_count(&t, j, i - 1, true);
			++*count;
			context_note(&t, j, i - 2, t.then[j], s[i - 1], *count, false);
		}
		/* step 3b: the commonest y of the context seen most, the longest on a tie */
		most = 0;
		guess = -1;
		for (j = depth; j >= 1; j--) {
			seen[j] = context_best(&t, j, i - 1, t.now[j], &best, &c);
			if (seen[j] && c > most) {
				most = c;
				guess = best;
			}
		}
		predicted(&p, guess == s[i]);
	}
	return tuple_estimate(&t, &p, k, false);
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

/*
 * The predictors over s (values below k): out[] in bits per sample.  0, or
 * -1 (ENOMEM): they return NAN for that too, but set errno.
 */
/* Is e in the set 'which'? */
static bool selected(unsigned int which, enum estimator e)
{
	return (which & (1u << e)) != 0;
}

static int estimate_predictors(const uint8_t *s, size_t n, unsigned int k, unsigned int which,
			       double out[ESTIMATE_COUNT])
{
	static const unsigned int windows[ESTIMATE_MCW_COUNT] = ESTIMATE_MCW_WINDOWS;
	int e;

	errno = 0;
	if (selected(which, ESTIMATE_MULTI_MCW))
		out[ESTIMATE_MULTI_MCW] = estimate_multi_mcw(s, n, k, windows);
	if (selected(which, ESTIMATE_LAG))
		out[ESTIMATE_LAG] = estimate_lag(s, n, k, ESTIMATE_LAG_D);
	if (selected(which, ESTIMATE_MULTI_MMC))
		out[ESTIMATE_MULTI_MMC] = estimate_multi_mmc(s, n, k, ESTIMATE_MMC_D);
	if (selected(which, ESTIMATE_LZ78Y))
		out[ESTIMATE_LZ78Y] = estimate_lz78y(s, n, k, ESTIMATE_LZ78Y_B);
	for (e = ESTIMATE_MULTI_MCW; e <= ESTIMATE_LZ78Y; e++)
		if (isnan(out[e]) && errno == ENOMEM)
			return -1;
	return 0;
}

/* t-tuple and LRS come from one pass; either asks for it. */
static int estimate_tuples_selected(const uint8_t *s, size_t n, unsigned int which,
				    double out[ESTIMATE_COUNT])
{
	if (!selected(which, ESTIMATE_T_TUPLE) && !selected(which, ESTIMATE_LRS))
		return 0;
	if (estimate_tuples(s, n, ESTIMATE_TUPLE_CUTOFF, &out[ESTIMATE_T_TUPLE], &out[ESTIMATE_LRS]) < 0)
		return -1;
	if (!selected(which, ESTIMATE_T_TUPLE))
		out[ESTIMATE_T_TUPLE] = NAN;
	if (!selected(which, ESTIMATE_LRS))
		out[ESTIMATE_LRS] = NAN;
	return 0;
}

/* The binary estimators over s (0/1 values): out[] in bits per bit. */
static int estimate_binary(const uint8_t *s, size_t n, unsigned int which, double out[ESTIMATE_COUNT])
{
	if (selected(which, ESTIMATE_MCV))
		out[ESTIMATE_MCV] = estimate_mcv(s, n);
	if (selected(which, ESTIMATE_COLLISION))
		out[ESTIMATE_COLLISION] = estimate_collision(s, n);
	if (selected(which, ESTIMATE_MARKOV))
		out[ESTIMATE_MARKOV] = estimate_markov(s, n);
	if (selected(which, ESTIMATE_COMPRESSION))
		out[ESTIMATE_COMPRESSION] = estimate_compression(s, n, ESTIMATE_COMPRESSION_DICT);
	if (estimate_tuples_selected(s, n, which, out) < 0)
		return -1;
	return estimate_predictors(s, n, 2, which, out);
}

int estimate_run(const uint8_t *samples, size_t n, unsigned int bits, struct estimate_report *r)
{
	return estimate_run_some(samples, n, bits, ESTIMATE_ALL, r);
}

int estimate_run_some(const uint8_t *samples, size_t n, unsigned int bits, unsigned int which,
		      struct estimate_report *r)
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
		if (estimate_binary(samples, n, which, r->original) < 0)
			return -1;
	} else {
		/* 6.3.2-6.3.4 are for binary samples only: not on these */
		if (selected(which, ESTIMATE_MCV))
			r->original[ESTIMATE_MCV] = estimate_mcv(samples, n);
		if (estimate_tuples_selected(samples, n, which, r->original) < 0)
			return -1;
		bitstring = malloc(n * bits + 1);
		if (!bitstring) {
			errno = ENOMEM;
			return -1;
		}
		for (i = 0; i < n; i++)
			for (k = 0; k < bits; k++)
				bitstring[i * bits + k] = (uint8_t)((samples[i] >> (bits - 1 - k)) & 1u);
		e = estimate_binary(bitstring, n * bits, which, r->bitstring);
		free(bitstring);
		/*
		 * The predictors' tables last: grown and freed before the
		 * bitstring's suffix arrays, they left the heap fragmented
		 * under them (10 MB more at the peak on 10^6 samples)
		 */
		if (e < 0 || estimate_predictors(samples, n, 1u << bits, which, r->original) < 0)
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
