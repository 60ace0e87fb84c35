/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sources/fdread.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

enum fdread_result fdread(int fd, int cancel_fd, int timeout_ms,
			  uint8_t *buf, size_t len, size_t *got)
{
	struct pollfd fds[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = cancel_fd, .events = POLLIN },
	};
	ssize_t n;
	int ready;

	*got = 0;
	do
		ready = poll(fds, 2, timeout_ms);
	while (ready < 0 && errno == EINTR);
	if (ready < 0)
		return FDREAD_ERROR;
	if (fds[1].revents)
		return FDREAD_CANCELLED;
	if (ready == 0)
		return FDREAD_TIMEOUT;
	if (fds[0].revents & POLLNVAL) {
		errno = EBADF;
		return FDREAD_ERROR;
	}
	/* POLLHUP with data still buffered: read what is left first. */
	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? FDREAD_TIMEOUT : FDREAD_ERROR;
	if (n == 0)
		return FDREAD_HANGUP;
	*got = (size_t)n;
	return FDREAD_DATA;
}
