/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "implied.h"

#include <stdbool.h>
#include <string.h>

#include "source.h"

/* Is the registered source called name enabled by cfg?  false if unknown. */
static bool implied_enabled(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < source_registry_count; i++)
		if (strcmp(source_registry[i]->name, name) == 0)
			return config_source_enabled(cfg, i);
	return false;
}

size_t implied_settings(const struct config *cfg, struct source_setting *out)
{
	size_t n = 0;

	if (cfg->rng_device)
		out[n++] = (struct source_setting){ "hwrng", "device", cfg->rng_device };
	if (!implied_enabled(cfg, "virtio"))
		out[n++] = (struct source_setting){ "hwrng", "virtio", "read" };
	if (cfg->drop_privileges)
		out[n++] = (struct source_setting){ "pipe", "owner", cfg->drop_to.user };
	return n;
}
