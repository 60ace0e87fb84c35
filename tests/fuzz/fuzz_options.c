/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the command line.  The input is split at NUL bytes into
 * arguments for entropyd's option parser (argp, without exiting), and its
 * "-O SOURCE:KEY:VALUE" part into settings applied to every source the way
 * the daemon applies them.  Nothing may crash, leak or read out of bounds.
 */
#include "config.h"

#include <argp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 16

static void try_source_option(const char *key, const char *value)
{
	char err[SOURCE_MSG_MAX], buf[4096];
	size_t i;

	for (i = 0; i < source_registry_count; i++) {
		const struct source_ops *ops = source_registry[i];
		void *state = ops->create();

		if (!state)
			continue;
		if (ops->set_option(state, key, value, err, sizeof(err)) == 0)
			ops->get_option(state, key, buf, sizeof(buf));
		ops->destroy(state);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[1024], *argv[MAX_ARGS + 2], *p, *key, *value;
	struct config cfg;
	int argc = 0;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	/* "-O" settings: the first argument as KEY:VALUE for every source */
	key = text;
	value = strchr(text, ':');
	if (value) {
		*value = '\0';
		try_source_option(key, value + 1);
		*value = ':';
	}

	argv[argc++] = (char *)"entropyd";
	for (p = text; p < text + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	config_defaults(&cfg);
	config_parse_flags(&cfg, argc, argv, ARGP_NO_EXIT | ARGP_NO_ERRS | ARGP_NO_HELP);
	return 0;
}
