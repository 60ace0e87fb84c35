/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every source entropyd knows, in preference order: the one list to edit. */
#include "config.h"

#include "source.h"
#include "sources/sources.h"

const struct source_ops *const source_registry[] = {
	&hwrng_source_ops,
	&virtio_source_ops,
	&rdrand_source_ops,
	&jitter_source_ops,
	&pipe_source_ops,
};

const size_t source_registry_count = sizeof(source_registry) / sizeof(source_registry[0]);
