/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "workers.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "credit.h"
#include "implied.h"
#include "log.h"
#include "parse.h"

/* Workers get this long to finish after they are told to stop. */
#define STOP_TIMEOUT_MS 500

static int workers_apply_setting(struct daemon *d, const struct source_setting *s)
{
	struct source_instance *inst = NULL;
	char err[SOURCE_MSG_MAX + 64];
	char what[96];
	size_t i;

	for (i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].ops->name, s->source) == 0)
			inst = &d->sources[i];
	if (!inst)	/* the parser only lets known names through */
		return -1;
	if (strcmp(s->key, "credit") == 0) {
		unsigned long credit;

		snprintf(what, sizeof(what), "-O %s:credit (bits per byte)", s->source);
		if (parse_fixed(s->value, CREDIT_ONE_BIT, 1, (unsigned long)CREDIT_MAX, what, &credit,
				err, sizeof(err)) < 0) {
			fprintf(stderr, "entropyd: %s\n", err);
			return -1;
		}
		inst->credit_limit = (unsigned int)credit;
		return 0;
	}
	if (inst->ops->set_option(inst->state, s->key, s->value, err, sizeof(err)) < 0) {
		/* err names the source and key and quotes the value, shortened */
		fprintf(stderr, "entropyd: -O %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * An instance of every registered source, with the options applied (those
 * other options imply, then -r and -O) and the credit policy (credit.h):
 * -O SOURCE:credit, else -e, lowers a source's own bound, never raises it.
 */
int workers_create(struct daemon *d)
{
	const struct config *cfg = d->cfg;
	struct pipeline_settings settings;
	struct source_setting implied[IMPLIED_MAX];
	char err[SOURCE_MSG_MAX];
	size_t i, j, n_implied;

	settings = (struct pipeline_settings){
		.retry_delay_s = cfg->retry_delay_s,
		.ignore_failures = cfg->ignore_failures,
		.data_fd = d->data_fd,
	};
	for (i = 0; i < source_registry_count; i++) {
		if (source_ops_validate(source_registry[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "entropyd: internal error: %s\n", err);
			return EXIT_FAILED;
		}
		if (pipeline_create(&d->sources[i], source_registry[i], &settings) < 0) {
			fprintf(stderr, "entropyd: out of memory creating source %s\n",
				source_registry[i]->name);
			return EXIT_FAILED;
		}
		d->n_sources++;
		d->enabled[i] = config_source_enabled(cfg, i);
	}

	n_implied = implied_settings(cfg, implied);
	for (j = 0; j < n_implied; j++)
		if (workers_apply_setting(d, &implied[j]) < 0)
			return EXIT_USAGE;
	for (j = 0; j < cfg->n_settings; j++)
		if (workers_apply_setting(d, &cfg->settings[j]) < 0)
			return EXIT_USAGE;
	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		unsigned int bound = credit_bound(inst->ops, inst->state);

		if (inst->credit_limit > bound && bound > 0) {
			credit_format(bound, err, sizeof(err));
			log_warnx("-O %s:credit is above what %s can justify (%s): a credit can be lowered, "
				  "never raised", inst->ops->name, inst->ops->name, err);
		}
		inst->credit_limit = credit_limit(cfg->default_credit, inst->credit_limit);
		pipeline_update_credit(inst);
	}
	return 0;
}

/*
 * Open the enabled sources that have no worker: the quick ones first; a
 * slow one (source.h's slow_open) is left to its worker when one of them
 * opened, so that their first blocks do not wait for its start-up test.
 * Alone, it opens here as the others do: a start with no usable source must
 * fail now.  Returns how many opened; *tried counts those it tried.
 */
static size_t workers_open_idle(struct daemon *d, size_t *tried, bool warn)
{
	size_t i, opened = 0;
	int pass;

	*tried = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < d->n_sources; i++) {
			struct source_instance *inst = &d->sources[i];

			if (!d->enabled[i] || inst->ops->slow_open != (pass == 1) ||
			    !pipeline_idle(inst))
				continue;
			(*tried)++;
			if (pass == 1 && opened > 0) {
				inst->open_in_worker = true;
				log_info("source %s: opened by its worker (a slow start-up test)",
					 inst->ops->name);
			} else if (pipeline_open(inst) == 0) {
				opened++;
				pipeline_log_opened(inst);
			} else if (warn) {
				log_warnx("source %s: %s", inst->ops->name, inst->why);
			}
		}
	return opened;
}

void workers_reopen(struct daemon *d)
{
	size_t tried;

	workers_open_idle(d, &tried, true);
}

int workers_open_sources(struct daemon *d)
{
	size_t i, opened, tried;

	opened = workers_open_idle(d, &tried, false);
	/* The sources that did not open are named once, when workers start */
	if (opened > 0)
		return 0;
	if (!tried)
		log_errx("no source enabled (all excluded with -x?)");
	else
		log_errx("no source could be opened:");
	for (i = 0; i < d->n_sources; i++)
		if (d->enabled[i])
			log_errx("  %s: %s", d->sources[i].ops->name, d->sources[i].why);
	return EXIT_FAILED;
}

/*
 * Which enabled sources get a worker: the open ones, and the ones that
 * failed to open but may recover (asked for explicitly, or present but
 * failing).  An idle source, or a default source absent from this machine,
 * gets none: re-probing it for ever would only fill the log.
 */
static bool workers_wanted(struct daemon *d, size_t i, enum source_status status)
{
	if (!d->enabled[i])
		return false;
	if (d->sources[i].opened)
		return true;
	if (status == SOURCE_IDLE)
		return false;
	return status == SOURCE_USABLE || d->cfg->choice[i] == CHOICE_INCLUDE;
}

/*
 * When a worker wakes the loop: at once for a sink that waits for every
 * block (the kernel seeding, EGD clients); in batches of half a queue for
 * -t and output, which also take them on a timer for slow sources.
 */
static unsigned int workers_wake_blocks(const struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_sinks; i++)
		if (d->sinks[i].ops->latency_sensitive)
			return 1;
	return PIPELINE_QUEUE_BLOCKS / 2;
}

int workers_start(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		enum source_status status = SOURCE_USABLE;
		char why[SOURCE_MSG_MAX];

		if (d->running[i])
			continue;
		/* A worker late to stop still owns the instance: no second one. */
		if (!pipeline_idle(inst)) {
			log_warnx("source %s: its worker has not stopped yet; out of service until it has "
				  "and SIGHUP", inst->ops->name);
			continue;
		}
		if (d->enabled[i] && !inst->opened && !inst->open_in_worker)
			status = inst->ops->probe(inst->state, why, sizeof(why));
		if (!inst->open_in_worker && !workers_wanted(d, i, status)) {
			if (d->enabled[i] && !inst->opened)
				log_info("source %s: not used: %s", inst->ops->name, inst->why);
			continue;
		}
		if (!inst->opened && !inst->open_in_worker)
			log_warnx("source %s not used now: %s", inst->ops->name, inst->why);
		inst->settings.wake_blocks = workers_wake_blocks(d);
		if (pipeline_start(inst) < 0) {
			log_err("cannot start the worker of source %s", inst->ops->name);
			return EXIT_FAILED;
		}
		d->running[i] = true;
	}
	return 0;
}

void workers_demand(struct daemon *d, bool wanted)
{
	size_t i;

	for (i = 0; i < d->n_sources; i++)
		if (d->running[i])
			pipeline_demand(&d->sources[i], wanted);
}

void workers_stop(struct daemon *d)
{
	size_t i;

	/* Late ones from an earlier stop are joined too, if they have finished. */
	pipeline_stop_all(d->sources, d->n_sources, STOP_TIMEOUT_MS);
	for (i = 0; i < d->n_sources; i++) {
		/* A read stuck in a driver: out of service; exit will end the thread. */
		if (d->running[i] && !pipeline_idle(&d->sources[i]))
			log_warnx("source %s did not stop within %u ms", d->sources[i].ops->name,
				  STOP_TIMEOUT_MS);
		d->running[i] = false;
	}
}
