/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "source.h"

#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "parse.h"

const struct source_ops *source_find(const char *name)
{
	size_t i;

	for (i = 0; i < source_registry_count; i++)
		if (strcmp(source_registry[i]->name, name) == 0)
			return source_registry[i];
	return NULL;
}

int source_ops_validate(const struct source_ops *ops, char *err, size_t errlen)
{
	const char *c;
	const struct source_option *opt;

	if (!ops || !ops->name || !*ops->name) {
		snprintf(err, errlen, "source without a name");
		return -1;
	}
	for (c = ops->name; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
			snprintf(err, errlen, "source '%s': a name may hold only a-z, 0-9 and _", ops->name);
			return -1;
		}
	}
	if (!ops->summary || !ops->options || !ops->create || !ops->set_option ||
	    !ops->get_option || !ops->probe || !ops->open || !ops->read ||
	    !ops->close || !ops->destroy) {
		snprintf(err, errlen, "source '%s': a mandatory operation is missing", ops->name);
		return -1;
	}
	if (ops->default_credit < 1 || ops->default_credit > CREDIT_MAX) {
		snprintf(err, errlen, "source '%s': default credit %u is outside 1..%u",
			 ops->name, ops->default_credit, CREDIT_MAX);
		return -1;
	}
	if (ops->on_demand && ops->read_ahead) {
		snprintf(err, errlen, "source '%s': on_demand and read_ahead exclude each other",
			 ops->name);
		return -1;
	}
	for (opt = ops->options; opt->key; opt++) {
		/* "credit" belongs to the core: a source must not shadow it. */
		if (strcmp(opt->key, "credit") == 0 || !opt->help || !opt->default_value) {
			snprintf(err, errlen, "source '%s': option '%s' is malformed", ops->name, opt->key);
			return -1;
		}
	}
	return 0;
}

int source_set_path(char *dst, size_t size, const char *what, const char *value,
		    char *err, size_t errlen)
{
	if (!*value || strlen(value) >= size) {
		char shown[PARSE_SHOW_SIZE];

		snprintf(err, errlen, "%s: '%s' is not a usable path", what,
			 parse_show(value, shown, sizeof(shown)));
		return -1;
	}
	snprintf(dst, size, "%s", value);
	return 0;
}

int source_parse_choice(const char *what, const char *value, const char *first, const char *second,
			bool *out, char *err, size_t errlen)
{
	if (strcmp(value, first) != 0 && strcmp(value, second) != 0) {
		snprintf(err, errlen, "%s: '%s' is not accepted; accepted: %s, %s", what, value, first, second);
		return -1;
	}
	*out = strcmp(value, second) == 0;
	return 0;
}

int source_refuse_kernel_output(const struct stat *sb, const char *path, char *why, size_t whylen)
{
	/* The mem driver's minors: 8 is random, 9 is urandom, on every kernel. */
	if (!S_ISCHR(sb->st_mode) || major(sb->st_rdev) != 1 ||
	    (minor(sb->st_rdev) != 8 && minor(sb->st_rdev) != 9))
		return 0;
	snprintf(why, whylen, "%s is the kernel's own %s (char 1:%u): its output is recycled "
		 "from the kernel's pool, never fresh entropy, and is not credited",
		 path, minor(sb->st_rdev) == 8 ? "/dev/random" : "/dev/urandom", minor(sb->st_rdev));
	return -1;
}
