/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "listing.h"

#include <stdio.h>

#include "cli.h"
#include "credit.h"

int listing_print(struct source_instance *sources, const bool *enabled, size_t n)
{
	bool any_usable = false;
	size_t i;

	for (i = 0; i < n; i++) {
		struct source_instance *inst = &sources[i];
		const struct source_option *opt;
		const char *state;
		char why[SOURCE_MSG_MAX] = "";
		char credit[160];
		char value[256];

		switch (inst->ops->probe(inst->state, why, sizeof(why))) {
		case SOURCE_USABLE:
			/* Open it too: a start-up self-test may still refuse it. */
			if (inst->ops->open(inst->state, why, sizeof(why)) < 0) {
				state = "failed";
			} else {
				pipeline_update_credit(inst);	/* a bound open() measured */
				inst->ops->close(inst->state);
				state = "usable";
				if (enabled[i])
					any_usable = true;
			}
			break;
		case SOURCE_IDLE:
			state = "idle";
			break;
		case SOURCE_UNAVAILABLE:
		default:
			state = "unavailable";
			break;
		}
		credit_describe(credit_bound(inst->ops, inst->state), inst->credit_limit, credit, sizeof(credit));
		printf("%s: %s, %s%s%s\n", inst->ops->name,
		       enabled[i] ? "enabled" : "disabled", state, why[0] ? ": " : "", why);
		printf("    %s\n    credit: %s\n", inst->ops->summary, credit);
		if (inst->ops->measured) {
			inst->ops->measured(inst->state, value, sizeof(value));
			if (value[0])
				printf("    measured: %s\n", value);
		}
		for (opt = inst->ops->options; opt->key; opt++) {
			inst->ops->get_option(inst->state, opt->key, value, sizeof(value));
			printf("    option %s = %s  (%s)\n", opt->key, value[0] ? value : "(unset)", opt->help);
		}
	}
	fflush(stdout);
	return any_usable ? 0 : EXIT_FAILED;
}
