/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "cli.h"

#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "parse.h"
#include "source.h"

const char *argp_program_version = PACKAGE_STRING;
const char *argp_program_bug_address = NULL;

enum long_only_option {
	OPT_ONCE = 0x100,
	OPT_RETRY_DELAY,
	OPT_ONCE_TIMEOUT,
	OPT_EGD_SOCKET,
	OPT_EGD_ONLY,
	OPT_EGD_RATE,
	OPT_EGD_GROUP,
	OPT_RAW,
};

static const struct argp_option config_options[] = {
	{ NULL, 0, NULL, 0, "Running:", 1 },
	{ "background", 'b', NULL, 0, "Become a daemon (default)", 1 },
	{ "foreground", 'f', NULL, 0, "Stay in the foreground, log to stderr", 1 },
	{ "pid-file", 'p', "FILE", 0, "Locked PID file (default " DEFAULT_PIDFILE "; \"\" for none)", 1 },
	{ "test", 't', NULL, 0, "Validate only: inject nothing, print rates each second", 1 },
	{ "once", OPT_ONCE, NULL, 0, "Fill the pool once (legacy: to the watermark; modern: initial seed or one reseed step) and exit", 1 },
	{ "once-timeout", OPT_ONCE_TIMEOUT, "SECONDS", 0, "--once: exit 1 if the pool is not filled within SECONDS, 1 to 86400 (default 60)", 1 },
	{ "control-socket", 'c', "PATH", 0, "Socket entropyctl asks for status (default " RUNSTATEDIR "/entropyd/control; \"\" for none; none with -t unless given)", 1 },
	{ "drop-privileges", 'D', "USER[:GROUP]", 0, "After opening devices, run as USER keeping only CAP_SYS_ADMIN", 1 },
	{ "raw", OPT_RAW, "SOURCE", 0, "Write SOURCE's raw noise samples (before conditioning, one byte each) to stdout for an SP 800-90B assessment, until stopped; credits nothing", 1 },
	{ "list", 'l', NULL, 0, "List sources, their state and options; exit 0 if one is usable", 1 },
	{ "debug", 'd', NULL, 0, "Log debug messages", 1 },
	{ "quiet", 'q', NULL, 0, "Log errors only", 1 },
	{ "version", 'v', NULL, 0, "Print the version", 1 },

	{ NULL, 0, NULL, 0, "Sources:", 2 },
	{ "include", 'n', "SOURCE", 0, "Use SOURCE too (repeatable)", 2 },
	{ "exclude", 'x', "SOURCE", 0, "Do not use SOURCE (repeatable)", 2 },
	{ "option", 'O', "SOURCE:KEY:VALUE", 0, "Set a source option; also includes SOURCE (repeatable)", 2 },
	{ "rng-device", 'r', "FILE", 0, "Device of the hwrng source (default /dev/hwrng)", 2 },
	{ "entropy-count", 'e', "BITS", 0, "Entropy credited per byte, 1 to 8, for sources without their own credit option", 2 },
	{ "ignorefail", 'i', NULL, 0, "Never suspend a source for failing blocks (they are still dropped)", 2 },
	{ "retry-delay", OPT_RETRY_DELAY, "SECONDS", 0, "First wait before re-probing a suspended source, 1 to 3600 (default 10; doubles up to 900)", 2 },

	{ NULL, 0, NULL, 0, "Feeding:", 3 },
	{ "random-device", 'o', "FILE", 0, "Kernel random device (default /dev/random); a file, FIFO or - receives validated bytes instead", 3 },
	{ "random-step", 's', "BYTES", 0, "Bytes per injection, 1 to 4096 (default 64)", 3 },
	{ "fill-watermark", 'W', "BITS", 0, "Legacy kernels: keep entropy_avail at least this, 0 to 4096 (default 3/4 of the pool)", 3 },
	{ "force-reseed", 'R', "SECONDS", 0, "Modern kernels: mix a step in and reseed the CRNG this often, 1 to 86400 (default 60)", 3 },

	{ NULL, 0, NULL, 0, "Feeding virtual machines (EGD protocol, QEMU rng-egd):", 4 },
	{ "egd-socket", OPT_EGD_SOCKET, "PATH", 0, "Serve checked bytes to EGD clients on this unix socket, mode 0660 (repeatable, at most 8)", 4 },
	{ "egd-only", OPT_EGD_ONLY, NULL, 0, "Serve EGD clients only: feed nothing locally", 4 },
	{ "egd-rate", OPT_EGD_RATE, "BYTES", 0, "At most BYTES per second to each EGD client, 1 to 1000000000 (default: no limit)", 4 },
	{ "egd-group", OPT_EGD_GROUP, "GROUP", 0, "Group of the EGD sockets (e.g. the one QEMU runs as)", 4 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_priority = LOG_INFO;
	cfg->random_device = DEFAULT_RANDOM_DEVICE;
	cfg->pidfile = DEFAULT_PIDFILE;
	cfg->step_bytes = DEFAULT_STEP_BYTES;
	cfg->fill_watermark = -1;
	cfg->reseed_interval_s = DEFAULT_RESEED_S;
	cfg->retry_delay_s = DEFAULT_RETRY_DELAY_S;
	cfg->once_timeout_s = DEFAULT_ONCE_TIMEOUT_S;
}

static int config_source_index(const char *name, const char *what, struct argp_state *state)
{
	size_t i;
	char names[256] = "";

	for (i = 0; i < source_registry_count; i++)
		if (strcmp(source_registry[i]->name, name) == 0)
			return (int)i;
	for (i = 0; i < source_registry_count; i++) {
		strncat(names, source_registry[i]->name, sizeof(names) - strlen(names) - 1);
		if (i + 1 < source_registry_count)
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
	}
	argp_error(state, "%s: unknown source '%s'; known sources: %s", what, name, names);
	return -1;
}

static int config_add_setting(struct config *cfg, char *arg, struct argp_state *state)
{
	char *key = strchr(arg, ':');
	char *value = key ? strchr(key + 1, ':') : NULL;
	int idx;

	if (!key || !value || key == arg || value == key + 1) {
		argp_error(state, "-O/--option: '%s' is not SOURCE:KEY:VALUE", arg);
		return -1;
	}
	if (cfg->n_settings == CONFIG_MAX_SETTINGS) {
		argp_error(state, "-O/--option: more than %d settings", CONFIG_MAX_SETTINGS);
		return -1;
	}
	*key++ = '\0';
	*value++ = '\0';
	idx = config_source_index(arg, "-O/--option", state);
	if (idx < 0)
		return -1;
	if (cfg->choice[idx] != CHOICE_EXCLUDE)
		cfg->choice[idx] = CHOICE_INCLUDE;
	cfg->settings[cfg->n_settings++] = (struct source_setting){ arg, key, value };
	return 0;
}

/*
 * Parse a number option into *out; on error report through argp (which
 * exits 10 unless the caller asked for ARGP_NO_EXIT) and return -1.
 */
static int config_number(const char *arg, unsigned long min, unsigned long max,
			 const char *what, struct argp_state *state, unsigned long *out)
{
	char err[256];

	if (parse_ulong(arg, min, max, what, out, err, sizeof(err)) < 0) {
		argp_error(state, "%s", err);
		return -1;
	}
	return 0;
}

static error_t config_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct config *cfg = state->input;
	unsigned long n;
	char err[256];
	int idx;

	/* Every error path returns EINVAL: argp_error exits with 10 in
	 * entropyd, but a caller passing ARGP_NO_EXIT (the fuzz target) must
	 * never see a half-applied value. */
	switch (key) {
	case 'b': cfg->foreground = false; break;
	case 'f': cfg->foreground = true; break;
	case 'p': cfg->pidfile = arg; break;
	case 'c': cfg->control_socket = arg; break;
	case 'D':
		if (privdrop_resolve(arg, &cfg->drop_to, err, sizeof(err)) < 0) {
			argp_error(state, "%s", err);
			return EINVAL;
		}
		cfg->drop_privileges = true;
		break;
	case 't': cfg->test = true; break;
	case OPT_ONCE: cfg->once = true; break;
	case OPT_ONCE_TIMEOUT:
		if (config_number(arg, 1, 86400, "--once-timeout", state, &n) < 0)
			return EINVAL;
		cfg->once_timeout_s = (unsigned int)n;
		break;
	case 'l': cfg->list = true; break;
	case OPT_RAW:
		if (config_source_index(arg, "--raw", state) < 0)
			return EINVAL;
		cfg->raw_source = arg;
		break;
	case 'd': cfg->log_priority = LOG_DEBUG; break;
	case 'q': cfg->log_priority = LOG_ERR; break;
	case 'v': cfg->show_version = true; break;
	case 'n':
		idx = config_source_index(arg, "-n/--include", state);
		if (idx < 0)
			return EINVAL;
		if (cfg->choice[idx] != CHOICE_EXCLUDE)
			cfg->choice[idx] = CHOICE_INCLUDE;
		break;
	case 'x':
		idx = config_source_index(arg, "-x/--exclude", state);
		if (idx < 0)
			return EINVAL;
		cfg->choice[idx] = CHOICE_EXCLUDE;
		break;
	case 'O':
		if (config_add_setting(cfg, arg, state) < 0)
			return EINVAL;
		break;
	case 'r':
		if (!*arg) {
			argp_error(state, "-r/--rng-device: an empty path is not a device");
			return EINVAL;
		}
		cfg->rng_device = arg;
		break;
	case 'e':
		if (config_number(arg, 1, 8, "-e/--entropy-count", state, &n) < 0)
			return EINVAL;
		cfg->default_credit = (unsigned int)n * CREDIT_ONE_BIT;
		break;
	case 'i': cfg->ignore_failures = true; break;
	case OPT_RETRY_DELAY:
		if (config_number(arg, 1, 3600, "--retry-delay", state, &n) < 0)
			return EINVAL;
		cfg->retry_delay_s = (unsigned int)n;
		break;
	case 'o':
		if (!*arg) {
			argp_error(state, "-o/--random-device: an empty path is not a device");
			return EINVAL;
		}
		cfg->random_device = arg;
		break;
	case 's':
		if (config_number(arg, 1, 4096, "-s/--random-step", state, &n) < 0)
			return EINVAL;
		cfg->step_bytes = (unsigned int)n;
		break;
	case 'W':
		if (config_number(arg, 0, 4096, "-W/--fill-watermark", state, &n) < 0)
			return EINVAL;
		cfg->fill_watermark = (long)n;
		break;
	case 'R':
		if (config_number(arg, 1, 86400, "-R/--force-reseed", state, &n) < 0)
			return EINVAL;
		cfg->reseed_interval_s = (unsigned int)n;
		break;
	case OPT_EGD_SOCKET:
		if (arg[0] != '/') {
			argp_error(state, "--egd-socket: '%.64s' is not an absolute path", arg);
			return EINVAL;
		}
		if (cfg->n_egd_sockets == CONFIG_MAX_EGD_SOCKETS) {
			argp_error(state, "--egd-socket: more than %d sockets", CONFIG_MAX_EGD_SOCKETS);
			return EINVAL;
		}
		cfg->egd_sockets[cfg->n_egd_sockets++] = arg;
		break;
	case OPT_EGD_ONLY: cfg->egd_only = true; break;
	case OPT_EGD_RATE:
		if (config_number(arg, 1, CONFIG_MAX_EGD_RATE, "--egd-rate", state, &n) < 0)
			return EINVAL;
		cfg->egd_rate = n;
		break;
	case OPT_EGD_GROUP:
		if (privdrop_resolve_group(arg, &cfg->egd_gid, err, sizeof(err)) < 0) {
			argp_error(state, "--egd-group: %s", err);
			return EINVAL;
		}
		cfg->egd_group = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s': entropyd takes options only", arg);
		return EINVAL;
	case ARGP_KEY_END:
		if (cfg->test && cfg->once) {
			argp_error(state, "-t/--test and --once exclude each other: --once injects, -t never does");
			return EINVAL;
		}
		if (cfg->raw_source && (cfg->test || cfg->once || cfg->list || cfg->n_egd_sockets)) {
			argp_error(state, "--raw excludes -t/--test, --once, -l/--list and --egd-socket: "
				   "it only dumps samples");
			return EINVAL;
		}
		if ((cfg->egd_only || cfg->egd_rate || cfg->egd_group) && !cfg->n_egd_sockets) {
			argp_error(state, "--egd-only, --egd-rate and --egd-group need --egd-socket=PATH");
			return EINVAL;
		}
		if (cfg->egd_only && (cfg->test || cfg->once)) {
			argp_error(state, "--egd-only excludes -t and --once: it feeds nothing locally");
			return EINVAL;
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const char config_doc[] =
	"Check entropy sources with FIPS 140-2 (and SP 800-90B health tests on raw noise) "
	"and credit what passes to the kernel's random pool when it needs it."
	"\vExit status: 0 success (-l: a source is usable), 1 failure (no usable source, "
	"no device), 10 bad usage.  See entropyd(8).";

int config_parse_flags(struct config *cfg, int argc, char **argv, unsigned int flags)
{
	const struct argp argp = { config_options, config_parse_opt, NULL, config_doc,
				   NULL, NULL, NULL };

	/* argp_error and --help exit through argp_err_exit_status. */
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, flags, NULL, cfg) != 0)
		return EXIT_USAGE;
	return 0;
}

int config_parse(struct config *cfg, int argc, char **argv)
{
	return config_parse_flags(cfg, argc, argv, 0);
}

bool config_source_enabled(const struct config *cfg, size_t i)
{
	switch (cfg->choice[i]) {
	case CHOICE_INCLUDE:
		return true;
	case CHOICE_EXCLUDE:
		return false;
	case CHOICE_DEFAULT:
	default:
		return source_registry[i]->enabled_by_default != 0;
	}
}
