/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "egd.h"

#include <stdio.h>

size_t egd_parse(const uint8_t *buf, size_t len, struct egd_command *cmd)
{
	cmd->kind = EGD_INCOMPLETE;
	cmd->count = 0;
	if (len == 0)
		return 0;
	switch (buf[0]) {
	case EGD_CMD_LEVEL:
		cmd->kind = EGD_LEVEL;
		return 1;
	case EGD_CMD_PID:
		cmd->kind = EGD_PID;
		return 1;
	case EGD_CMD_WRITE:
		cmd->kind = EGD_WRITE;
		return 1;
	case EGD_CMD_READ_NONBLOCK:
	case EGD_CMD_READ_BLOCK:
		if (len < 2)
			return 0;
		cmd->kind = buf[0] == EGD_CMD_READ_BLOCK ? EGD_READ_BLOCK : EGD_READ_NONBLOCK;
		cmd->count = buf[1];
		return 2;
	default:
		cmd->kind = EGD_BAD;
		return 1;
	}
}

void egd_level_reply(unsigned long long bits, uint8_t out[4])
{
	uint32_t v = bits > 0xffffffffULL ? 0xffffffffu : (uint32_t)bits;

	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

size_t egd_pid_reply(long pid, uint8_t *out, size_t max)
{
	char text[24];
	int len = snprintf(text, sizeof(text), "%ld", pid);
	int i;

	if (len <= 0 || (size_t)len + 1 > max)
		return 0;
	out[0] = (uint8_t)len;
	for (i = 0; i < len; i++)
		out[1 + i] = (uint8_t)text[i];
	return (size_t)len + 1;
}

/* One second's worth, but never less than one whole read. */
static unsigned long long egd_bucket_cap_milli(unsigned long rate)
{
	unsigned long long cap = rate < EGD_MAX_READ ? EGD_MAX_READ : rate;

	return cap * 1000u;
}

void egd_bucket_init(struct egd_bucket *b, uint64_t now_ms)
{
	/* A new client may read at once; the bucket is filled at first use. */
	b->tokens_milli = (unsigned long long)-1;
	b->last_ms = now_ms;
}

static void egd_bucket_refill(struct egd_bucket *b, unsigned long rate, uint64_t now_ms)
{
	unsigned long long cap = egd_bucket_cap_milli(rate);

	if (b->tokens_milli > cap) {
		b->tokens_milli = cap;
	} else if (now_ms > b->last_ms) {
		unsigned long long add = (unsigned long long)(now_ms - b->last_ms) * rate;

		b->tokens_milli = add >= cap - b->tokens_milli ? cap : b->tokens_milli + add;
	}
	b->last_ms = now_ms;
}

unsigned int egd_bucket_allow(struct egd_bucket *b, unsigned long rate, uint64_t now_ms,
			      unsigned int want)
{
	unsigned long long whole;

	if (rate == 0)
		return want;
	egd_bucket_refill(b, rate, now_ms);
	whole = b->tokens_milli / 1000u;
	return whole < want ? (unsigned int)whole : want;
}

void egd_bucket_spend(struct egd_bucket *b, unsigned long rate, unsigned int n)
{
	unsigned long long cost = (unsigned long long)n * 1000u;

	if (rate == 0)
		return;
	b->tokens_milli = cost > b->tokens_milli ? 0 : b->tokens_milli - cost;
}

uint64_t egd_bucket_next_ms(const struct egd_bucket *b, unsigned long rate, uint64_t now_ms)
{
	unsigned long long missing;

	if (rate == 0 || b->tokens_milli >= 1000u)
		return now_ms;
	missing = 1000u - b->tokens_milli;
	/* rate bytes per second is rate milli-bytes per millisecond. */
	return b->last_ms + (missing + rate - 1) / rate;
}
