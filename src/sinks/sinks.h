/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sinks entropyd has: one const ops table each (src/sink.h). */
#ifndef ENTROPYD_SINKS_H
#define ENTROPYD_SINKS_H

#include "sink.h"

/* Most clients the EGD sink serves at once, over all its sockets. */
#define EGD_MAX_CLIENTS 256

extern const struct sink_ops sink_kernel;	/* RNDADDENTROPY into the pool */
extern const struct sink_ops sink_output;	/* -o FILE, FIFO or - */
extern const struct sink_ops sink_test;		/* -t: count and report rates */
extern const struct sink_ops sink_egd;		/* --egd-socket: serve guests */

#endif
