/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the number parsers every option value goes through
 * (src/parse.c).  Whatever the text, they return 0 with a value in range or
 * -1 with a message, never crash, never write past err.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], err[128];
	unsigned long uv;
	long lv;
	int bv;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (parse_long(text, -5, 4096, "-x", &lv, err, sizeof(err)) == 0 && (lv < -5 || lv > 4096))
		abort();
	if (parse_ulong(text, 1, 86400, "-R", &uv, err, sizeof(err)) == 0 && (uv < 1 || uv > 86400))
		abort();
	if (parse_fixed(text, 1024, 1, 8192, "credit", &uv, err, sizeof(err)) == 0 && (uv < 1 || uv > 8192))
		abort();
	if (parse_bool(text, "force", &bv, err, sizeof(err)) == 0 && bv != 0 && bv != 1)
		abort();
	/* err is always terminated within its size */
	if (!memchr(err, '\0', sizeof(err)))
		abort();
	return 0;
}
