/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ops table each file in src/sources/ exports. */
#ifndef ENTROPYD_SOURCES_H
#define ENTROPYD_SOURCES_H

#include "source.h"

extern const struct source_ops hwrng_source_ops;
extern const struct source_ops pipe_source_ops;
extern const struct source_ops rdrand_source_ops;
extern const struct source_ops virtio_source_ops;
extern const struct source_ops jitter_source_ops;

#endif
