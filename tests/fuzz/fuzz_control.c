/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the control protocol's request parser (src/control.c).
 * Any bytes from a client: a verdict; "status" only when the first line is
 * exactly "status" (or "status\r"); "incomplete" only for a short partial
 * line.  (The server never holds more than CONTROL_MAX_REQUEST bytes.)
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum control_request r = control_parse((const char *)data, size);

	if (r != CONTROL_INCOMPLETE && r != CONTROL_STATUS && r != CONTROL_BAD)
		abort();
	if (r == CONTROL_STATUS &&
	    !(size >= 7 && memcmp(data, "status\n", 7) == 0) &&
	    !(size >= 8 && memcmp(data, "status\r\n", 8) == 0))
		abort();
	if (r == CONTROL_INCOMPLETE && (size > CONTROL_MAX_REQUEST || memchr(data, '\n', size)))
		abort();
	return 0;
}
