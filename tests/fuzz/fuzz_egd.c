/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the EGD command parser (src/egd.c), fed what a client
 * may send.  Every command takes 1 or 2 bytes, never more than there are;
 * only a read command without its count is incomplete; a read's count is
 * the byte after it.  Parsing the whole input command by command ends.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "egd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (off < size) {
		struct egd_command cmd;
		size_t used = egd_parse(data + off, size - off, &cmd);

		if (used > size - off || used > 2)
			abort();
		if (used == 0) {
			if (cmd.kind != EGD_INCOMPLETE || size - off != 1 ||
			    (data[off] != EGD_CMD_READ_BLOCK && data[off] != EGD_CMD_READ_NONBLOCK))
				abort();
			break;
		}
		if ((cmd.kind == EGD_READ_BLOCK || cmd.kind == EGD_READ_NONBLOCK) &&
		    (used != 2 || cmd.count != data[off + 1]))
			abort();
		if (cmd.kind == EGD_BAD && data[off] <= EGD_CMD_PID)
			abort();
		off += used;
	}
	return 0;
}
