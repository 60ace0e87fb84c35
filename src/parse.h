/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict number parsing for options: the whole string must be a number in
 * range.  On failure the caller gets a message naming the option, the value
 * and what is accepted, ready to print.
 */
#ifndef ENTROPYD_PARSE_H
#define ENTROPYD_PARSE_H

#include <stddef.h>

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
 * Parse a non-negative decimal with up to 'scale' fractional resolution, as
 * a fixed-point integer: parse_fixed("0.5", 1024, ...) gives 512.  Values
 * that are not exact multiples of 1/scale are rounded to the nearest.
 * Bounds are in fixed-point units; the message shows them as decimals.
 */
int parse_fixed(const char *text, unsigned long scale, unsigned long min,
		unsigned long max, const char *what, unsigned long *out,
		char *err, size_t errlen);

/* Parse "0", "1", "yes", "no", "true", "false", "on", "off". */
int parse_bool(const char *text, const char *what, int *out, char *err,
	       size_t errlen);

#endif
