/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CPU's random-number instructions, and nothing else, so that tests
 * can replace them at link time (tests/fakes/fake_x86rand.c).  On other
 * architectures every function reports "not available".
 */
#ifndef ENTROPYD_X86RAND_H
#define ENTROPYD_X86RAND_H

#include <stdbool.h>
#include <stdint.h>

bool x86rand_has_rdrand(void);		/* CPUID.1:ECX bit 30 */
bool x86rand_has_rdseed(void);		/* CPUID.7.0:EBX bit 18 */
/* One 64-bit value; false when the instruction reports no data (carry clear). */
bool x86rand_rdrand64(uint64_t *out);
bool x86rand_rdseed64(uint64_t *out);
/* A short pause before retrying RDSEED (the PAUSE instruction). */
void x86rand_pause(void);

#endif
