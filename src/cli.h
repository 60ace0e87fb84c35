/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everything the command line says, parsed and range-checked, in one struct. */
#ifndef ENTROPYD_CLI_H
#define ENTROPYD_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <sys/types.h>

#include "privdrop.h"

/* Exit codes, shared by the programs and documented in the man pages. */
#define EXIT_FAILED 1		/* could not start or run: no source, no device */
#define EXIT_USAGE 10		/* bad option or value; nothing was started */

#define CONFIG_MAX_SETTINGS 64
#define CONFIG_MAX_EGD_SOCKETS 8
/* --egd-rate's ceiling, bytes per second per client. */
#define CONFIG_MAX_EGD_RATE 1000000000ul

#define DEFAULT_RANDOM_DEVICE "/dev/random"
#define DEFAULT_PIDFILE RUNSTATEDIR "/entropyd/entropyd.pid"
#define DEFAULT_STEP_BYTES 64
#define DEFAULT_RESEED_S 60
#define DEFAULT_RETRY_DELAY_S 10
#define DEFAULT_ONCE_TIMEOUT_S 60

/* One -O source:key:value. */
struct source_setting {
	const char *source;
	const char *key;
	const char *value;
};

enum source_choice {
	CHOICE_DEFAULT,		/* as the source's ops say */
	CHOICE_INCLUDE,		/* -n, or an -O for it */
	CHOICE_EXCLUDE,		/* -x (wins over everything) */
};

struct config {
	bool foreground;		/* -f (-b is the default) */
	int log_priority;		/* LOG_INFO; -d LOG_DEBUG; -q LOG_ERR */
	bool list;			/* -l */
	bool show_version;		/* -v: print the version and exit 0 */
	bool test;			/* -t */
	bool once;			/* --once */
	unsigned int once_timeout_s;	/* --once-timeout: give up (exit 1) after this */
	const char *raw_source;		/* --raw SOURCE, or NULL */
	bool ignore_failures;		/* -i */
	const char *random_device;	/* -o */
	const char *rng_device;		/* -r, or NULL */
	const char *pidfile;		/* -p; "" for none */
	unsigned int step_bytes;	/* -s */
	long fill_watermark;		/* -W bits; -1: three quarters of the pool */
	unsigned int reseed_interval_s;	/* -R */
	unsigned int default_credit;	/* -e in CREDIT_ONE_BIT units; 0: per source */
	unsigned int retry_delay_s;	/* --retry-delay */
	const char *control_socket;	/* -c; NULL: default (none with -t); "": none */
	const char *egd_sockets[CONFIG_MAX_EGD_SOCKETS];	/* --egd-socket, repeatable */
	size_t n_egd_sockets;
	bool egd_only;			/* --egd-only: serve EGD clients, feed nothing locally */
	unsigned long egd_rate;		/* --egd-rate bytes/s per client; 0: unlimited */
	const char *egd_group;		/* --egd-group, or NULL (the daemon's group) */
	gid_t egd_gid;			/* its id, resolved */
	bool drop_privileges;		/* -D given */
	struct privdrop_target drop_to;	/* -D user:group, resolved */

	/* choice per registry index, CONFIG_MAX_SOURCES at most */
	enum source_choice choice[16];
	struct source_setting settings[CONFIG_MAX_SETTINGS];
	size_t n_settings;
};

/* The defaults, before any option. */
void config_defaults(struct config *cfg);

/*
 * Parse argv into cfg with argp.  0 on success; on a usage error the message
 * has been printed (naming the option, the value, what is accepted) and
 * EXIT_USAGE is returned.  Strings in cfg point into argv.
 */
int config_parse(struct config *cfg, int argc, char **argv);

/* The same with argp_parse flags, e.g. ARGP_NO_EXIT for a fuzz target. */
int config_parse_flags(struct config *cfg, int argc, char **argv, unsigned int flags);

/* Is source index i (in the registry) to run? */
bool config_source_enabled(const struct config *cfg, size_t i);

#endif
