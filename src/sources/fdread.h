/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a device or FIFO while staying responsive to cancellation. */
#ifndef ENTROPYD_FDREAD_H
#define ENTROPYD_FDREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fdread_result {
	FDREAD_DATA,		/* *got bytes were read */
	FDREAD_CANCELLED,	/* cancel_fd became readable */
	FDREAD_HANGUP,		/* end of file / the FIFO's writer went away */
	FDREAD_TIMEOUT,		/* nothing within timeout_ms */
	FDREAD_ERROR,		/* errno says why */
};

/*
 * Wait until fd is readable (or cancel_fd fires, or timeout_ms passes; -1
 * waits for ever), then read at most len bytes.
 */
enum fdread_result fdread(int fd, int cancel_fd, int timeout_ms,
			  uint8_t *buf, size_t len, size_t *got);

#endif
