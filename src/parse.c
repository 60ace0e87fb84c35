/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *parse_show(const char *text, char *buf, size_t len)
{
	if (!text)
		return "";
	if (strlen(text) <= PARSE_SHOW_MAX || len < PARSE_SHOW_SIZE)
		return text;
	memcpy(buf, text, PARSE_SHOW_MAX);
	memcpy(buf + PARSE_SHOW_MAX, "...", 4);
	return buf;
}

int parse_long(const char *text, long min, long max, const char *what,
	       long *out, char *err, size_t errlen)
{
	char shown[PARSE_SHOW_SIZE];
	char *end = NULL;
	long value;

	errno = 0;
	value = text ? strtol(text, &end, 10) : 0;
	if (!text || end == text || *end != '\0' || isspace((unsigned char)*text)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %ld to %ld",
			 what, parse_show(text, shown, sizeof(shown)), min, max);
		return -1;
	}
	if (errno == ERANGE || value < min || value > max) {
		snprintf(err, errlen, "%s: %s is out of range; expected an integer from %ld to %ld",
			 what, parse_show(text, shown, sizeof(shown)), min, max);
		return -1;
	}
	*out = value;
	return 0;
}

int parse_ulong(const char *text, unsigned long min, unsigned long max,
		const char *what, unsigned long *out, char *err, size_t errlen)
{
	char shown[PARSE_SHOW_SIZE];
	char *end = NULL;
	unsigned long value;

	errno = 0;
	/* strtoul accepts "-1" and wraps it; refuse any sign up front. */
	if (!text || !isdigit((unsigned char)*text)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %lu to %lu",
			 what, parse_show(text, shown, sizeof(shown)), min, max);
		return -1;
	}
	value = strtoul(text, &end, 10);
	if (*end != '\0') {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %lu to %lu",
			 what, parse_show(text, shown, sizeof(shown)), min, max);
		return -1;
	}
	if (errno == ERANGE || value < min || value > max) {
		snprintf(err, errlen, "%s: %s is out of range; expected an integer from %lu to %lu",
			 what, parse_show(text, shown, sizeof(shown)), min, max);
		return -1;
	}
	*out = value;
	return 0;
}

/* Digits with at most one '.' and at least one digit: what strtod may read. */
static int parse_is_decimal(const char *text)
{
	size_t digits = strspn(text, "0123456789");

	if (text[digits] == '.')
		return text[digits + 1 + strspn(text + digits + 1, "0123456789")] == '\0' &&
		       (digits > 0 || isdigit((unsigned char)text[digits + 1]));
	return digits > 0 && text[digits] == '\0';
}

int parse_fixed(const char *text, unsigned long scale, unsigned long min,
		unsigned long max, const char *what, unsigned long *out,
		char *err, size_t errlen)
{
	char shown[PARSE_SHOW_SIZE];
	double lo = (double)min / (double)scale, hi = (double)max / (double)scale;
	double value;

	errno = 0;
	/* strtod alone would take "0x8", "1e0", " 8" and "inf" too. */
	if (!text || !parse_is_decimal(text)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected a decimal number from %g to %g",
			 what, parse_show(text, shown, sizeof(shown)), lo, hi);
		return -1;
	}
	value = strtod(text, NULL);
	/* The bounds hold for the value as written, before rounding: 8.0004
	 * is above 8 even if it rounds to 8. */
	if (errno == ERANGE || value < lo || value > hi) {
		snprintf(err, errlen, "%s: %s is out of range; expected a number from %g to %g",
			 what, parse_show(text, shown, sizeof(shown)), lo, hi);
		return -1;
	}
	*out = (unsigned long)floor(value * (double)scale + 0.5);
	return 0;
}

int parse_bool(const char *text, const char *what, int *out, char *err,
	       size_t errlen)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	char shown[PARSE_SHOW_SIZE];
	size_t i;

	for (i = 0; text && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	snprintf(err, errlen, "%s: '%s' is not a boolean; expected 1/yes/true/on or 0/no/false/off",
		 what, parse_show(text, shown, sizeof(shown)));
	return -1;
}
