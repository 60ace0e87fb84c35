/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source options the rest of the command line implies, applied before the
 * -O settings (so an explicit -O wins):
 *   -r DEV        hwrng:device:DEV
 *   -x virtio     hwrng:virtio:read (someone must read a virtio-rng; the
 *                 rngd habit "-r /dev/hwrng -x virtio" means hwrng)
 *   -D USER       pipe:owner:USER (the pipe may belong to the user entropyd
 *                 runs as after the drop)
 */
#ifndef ENTROPYD_IMPLIED_H
#define ENTROPYD_IMPLIED_H

#include <stddef.h>

#include "cli.h"

#define IMPLIED_MAX 3

/* Fill out (IMPLIED_MAX entries) with what cfg implies; the count. */
size_t implied_settings(const struct config *cfg, struct source_setting *out);

#endif
