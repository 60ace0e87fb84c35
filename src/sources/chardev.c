/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/chardev.h"
#include "sources/fdread.h"

/*
 * A blocking read of a slow device (virtio-rng gives ~10 KB/s) returns only
 * when it is full; small reads keep cancellation prompt.
 */
#define CHARDEV_READ_MAX 512

void chardev_init(struct chardev *dev, const char *path)
{
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	dev->fd = -1;
}

int chardev_set_path(struct chardev *dev, const char *what, const char *value, char *err, size_t errlen)
{
	return source_set_path(dev->path, sizeof(dev->path), what, value, err, errlen);
}

enum source_status chardev_probe(const struct chardev *dev, char *why, size_t whylen)
{
	struct stat sb;

	if (stat(dev->path, &sb) < 0) {
		snprintf(why, whylen, "%s: %s%s", dev->path, strerror(errno),
			 errno == ENOENT ? " (no hardware RNG driver loaded)" : "");
		return SOURCE_UNAVAILABLE;
	}
	if (!S_ISCHR(sb.st_mode)) {
		snprintf(why, whylen, "%s is not a character device (use the pipe source for files and FIFOs)",
			 dev->path);
		return SOURCE_UNAVAILABLE;
	}
	if (access(dev->path, R_OK) < 0) {
		snprintf(why, whylen, "%s: %s", dev->path, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	return SOURCE_USABLE;
}

int chardev_open(struct chardev *dev, char *why, size_t whylen)
{
	/* Blocking on purpose: the hw_random core always reports readable,
	 * so O_NONBLOCK would spin on EAGAIN. */
	dev->fd = open(dev->path, O_RDONLY | O_CLOEXEC);
	if (dev->fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", dev->path, strerror(errno));
		return -1;
	}
	return 0;
}

ssize_t chardev_read(struct chardev *dev, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen)
{
	size_t got;

	if (len > CHARDEV_READ_MAX)
		len = CHARDEV_READ_MAX;
	switch (fdread(dev->fd, cancel_fd, -1, buf, len, &got)) {
	case FDREAD_DATA:
		return (ssize_t)got;
	case FDREAD_CANCELLED:
	case FDREAD_TIMEOUT:
		return SOURCE_READ_AGAIN;
	case FDREAD_HANGUP:
		snprintf(why, whylen, "%s: unexpected end of data", dev->path);
		return SOURCE_READ_FAILED;
	case FDREAD_ERROR:
	default:
		/* ENODEV: the kernel has no current hardware RNG behind the node. */
		snprintf(why, whylen, "reading %s: %s", dev->path, strerror(errno));
		return SOURCE_READ_FAILED;
	}
}

void chardev_close(struct chardev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}
