/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Clearing buffers that held random bytes, in a way the compiler keeps. */
#ifndef ENTROPYD_WIPE_H
#define ENTROPYD_WIPE_H

#include <stddef.h>

void wipe(void *buf, size_t len);

#endif
