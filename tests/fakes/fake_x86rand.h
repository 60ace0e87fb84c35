/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The programmable CPU of tests/fakes/fake_x86rand.c. */
#ifndef ENTROPYD_FAKE_X86RAND_H
#define ENTROPYD_FAKE_X86RAND_H

#include <stdbool.h>
#include <stdint.h>

enum fake_values {
	FAKE_GOOD,		/* a different value every time */
	FAKE_CONSTANT,		/* 0x0123456789abcdef every time */
	FAKE_ALL_ONES,		/* the erratum */
	FAKE_REPEAT_EVERY_8,	/* eight values over and over */
};

struct fake_cpu {
	bool has_rdrand, has_rdseed;
	enum fake_values values;
	unsigned int rdseed_empty;	/* the next N RDSEEDs report no data */
	unsigned int rdrand_empty;	/* the next N RDRANDs report no data */
	unsigned long long rdrand_calls, rdseed_calls, pauses;
	uint64_t counter;
};

extern struct fake_cpu fake_cpu;

#endif
