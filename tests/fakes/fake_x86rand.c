/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Link-time replacement of src/sources/x86rand.c: a programmable CPU. */
#include "config.h"

#include "fakes/fake_x86rand.h"
#include "sources/x86rand.h"

struct fake_cpu fake_cpu;

static uint64_t fake_value(void)
{
	uint64_t x;

	switch (fake_cpu.values) {
	case FAKE_CONSTANT:
		return 0x0123456789abcdefull;
	case FAKE_ALL_ONES:
		return UINT64_MAX;
	case FAKE_REPEAT_EVERY_8:
		return 0x1000 + fake_cpu.counter++ % 8;
	case FAKE_GOOD:
	default:
		x = ++fake_cpu.counter * 0x9e3779b97f4a7c15ull;
		x ^= x >> 31;
		return x * 0xbf58476d1ce4e5b9ull;
	}
}

bool x86rand_has_rdrand(void)
{
	return fake_cpu.has_rdrand;
}

bool x86rand_has_rdseed(void)
{
	return fake_cpu.has_rdseed;
}

bool x86rand_rdrand64(uint64_t *out)
{
	fake_cpu.rdrand_calls++;
	if (fake_cpu.rdrand_empty) {
		fake_cpu.rdrand_empty--;
		*out = 0;
		return false;
	}
	*out = fake_value();
	return fake_cpu.has_rdrand;
}

bool x86rand_rdseed64(uint64_t *out)
{
	fake_cpu.rdseed_calls++;
	if (fake_cpu.rdseed_empty) {
		fake_cpu.rdseed_empty--;
		*out = 0;
		return false;
	}
	*out = fake_value();
	return fake_cpu.has_rdseed;
}

void x86rand_pause(void)
{
	fake_cpu.pauses++;
}
