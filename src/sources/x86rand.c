/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RDRAND and RDSEED through inline assembly, so the rest of the build needs
 * no -mrdrnd/-mrdseed and runs on CPUs without them (CPUID decides).
 */
#include "config.h"

#include "sources/x86rand.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <stddef.h>

bool x86rand_has_rdrand(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 30));
}

bool x86rand_has_rdseed(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (__get_cpuid_max(0, NULL) < 7)
		return false;
	__cpuid_count(7, 0, eax, ebx, ecx, edx);
	(void)eax;
	(void)ecx;
	(void)edx;
	return (ebx & (1u << 18)) != 0;
}

bool x86rand_rdrand64(uint64_t *out)
{
	unsigned char ok;

	/* rdrand %rax, as bytes for assemblers that predate the mnemonic */
	__asm__ volatile(".byte 0x48, 0x0f, 0xc7, 0xf0; setc %1" : "=a"(*out), "=qm"(ok) : : "cc");
	return ok;
}

bool x86rand_rdseed64(uint64_t *out)
{
	unsigned char ok;

	/* rdseed %rax */
	__asm__ volatile(".byte 0x48, 0x0f, 0xc7, 0xf8; setc %1" : "=a"(*out), "=qm"(ok) : : "cc");
	return ok;
}

void x86rand_pause(void)
{
	__asm__ volatile("pause");
}
#else
bool x86rand_has_rdrand(void)
{
	return false;
}

bool x86rand_has_rdseed(void)
{
	return false;
}

bool x86rand_rdrand64(uint64_t *out)
{
	*out = 0;
	return false;
}

bool x86rand_rdseed64(uint64_t *out)
{
	*out = 0;
	return false;
}

void x86rand_pause(void)
{
}
#endif
