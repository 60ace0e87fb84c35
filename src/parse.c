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

int parse_long(const char *text, long min, long max, const char *what,
	       long *out, char *err, size_t errlen)
{
	char *end = NULL;
	long value;

	errno = 0;
	value = text ? strtol(text, &end, 10) : 0;
	if (!text || end == text || *end != '\0' || isspace((unsigned char)*text)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %ld to %ld",
			 what, text ? text : "", min, max);
		return -1;
	}
	if (errno == ERANGE || value < min || value > max) {
		snprintf(err, errlen, "%s: %s is out of range; expected an integer from %ld to %ld",
			 what, text, min, max);
		return -1;
	}
	*out = value;
	return 0;
}

int parse_ulong(const char *text, unsigned long min, unsigned long max,
		const char *what, unsigned long *out, char *err, size_t errlen)
{
	char *end = NULL;
	unsigned long value;

	errno = 0;
	/* strtoul accepts "-1" and wraps it; refuse any sign up front. */
	if (!text || !isdigit((unsigned char)*text)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %lu to %lu",
			 what, text ? text : "", min, max);
		return -1;
	}
	value = strtoul(text, &end, 10);
	if (*end != '\0') {
		snprintf(err, errlen, "%s: '%s' is not a number; expected an integer from %lu to %lu",
			 what, text, min, max);
		return -1;
	}
	if (errno == ERANGE || value < min || value > max) {
		snprintf(err, errlen, "%s: %s is out of range; expected an integer from %lu to %lu",
			 what, text, min, max);
		return -1;
	}
	*out = value;
	return 0;
}

int parse_fixed(const char *text, unsigned long scale, unsigned long min,
		unsigned long max, const char *what, unsigned long *out,
		char *err, size_t errlen)
{
	char *end = NULL;
	double value;
	double scaled;

	errno = 0;
	if (!text || !(isdigit((unsigned char)*text) || *text == '.')) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected a number from %g to %g",
			 what, text ? text : "", (double)min / (double)scale, (double)max / (double)scale);
		return -1;
	}
	value = strtod(text, &end);
	if (*end != '\0' || !isfinite(value)) {
		snprintf(err, errlen, "%s: '%s' is not a number; expected a number from %g to %g",
			 what, text, (double)min / (double)scale, (double)max / (double)scale);
		return -1;
	}
	scaled = floor(value * (double)scale + 0.5);
	if (errno == ERANGE || scaled < (double)min || scaled > (double)max) {
		snprintf(err, errlen, "%s: %s is out of range; expected a number from %g to %g",
			 what, text, (double)min / (double)scale, (double)max / (double)scale);
		return -1;
	}
	*out = (unsigned long)scaled;
	return 0;
}

int parse_bool(const char *text, const char *what, int *out, char *err,
	       size_t errlen)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
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
		 what, text ? text : "");
	return -1;
}
