/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict number parsing for options: the whole string must be a number in
 * range.  On failure the caller gets a message naming the option, the value
 * and what is accepted, ready to print.
 */
#ifndef ENTROPYD_PARSE_H
#define ENTROPYD_PARSE_H

#include <stddef.h>

/* Error messages quote at most this much of a value, then "...". */
#define PARSE_SHOW_MAX 64
#define PARSE_SHOW_SIZE (PARSE_SHOW_MAX + 4)

/*
 * text as an error message quotes it: text itself when it is at most
 * PARSE_SHOW_MAX bytes, else its first PARSE_SHOW_MAX bytes and "..." in
 * buf (PARSE_SHOW_SIZE bytes), so a 100 KB value makes a short message.
 */
const char *parse_show(const char *text, char *buf, size_t len);

/*
 * Parse text as a decimal integer in [min, max] into *out.  On error, write
 * "<what>: '<text>' is not ..., expected an integer from <min> to <max>"
 * into err and return -1.  what names the option, e.g. "-W/--fill-watermark".
 */
int parse_long(const char *text, long min, long max, const char *what,
	       long *out, char *err, size_t errlen);

/* Same for unsigned values that may exceed LONG_MAX. */
int parse_ulong(const char *text, unsigned long min, unsigned long max,
		const char *what, unsigned long *out, char *err, size_t errlen);

/*
 * Parse a non-negative decimal (digits, at most one '.': no sign, exponent
 * or hex) with up to 'scale' fractional resolution, as a fixed-point
 * integer: parse_fixed("0.5", 1024, ...) gives 512.  The value itself must
 * lie within the bounds; inside them it is rounded to the nearest multiple
 * of 1/scale.  Bounds are in fixed-point units; the message shows them as
 * decimals.
 */
int parse_fixed(const char *text, unsigned long scale, unsigned long min,
		unsigned long max, const char *what, unsigned long *out,
		char *err, size_t errlen);

/* Parse "0", "1", "yes", "no", "true", "false", "on", "off". */
int parse_bool(const char *text, const char *what, int *out, char *err,
	       size_t errlen);

#endif
