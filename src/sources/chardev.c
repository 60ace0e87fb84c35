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
#include "wipe.h"

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
	if (source_refuse_kernel_output(&sb, dev->path, why, whylen) < 0)
		return SOURCE_UNAVAILABLE;
	if (access(dev->path, R_OK) < 0) {
		snprintf(why, whylen, "%s: %s", dev->path, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	return SOURCE_USABLE;
}

/*
 * Does the device answer?  One byte without blocking: the hw_random core
 * says ENODEV at once when no hardware RNG is current (every VM without an
 * RNG device has /dev/hwrng), and EAGAIN when one is there but has nothing
 * yet.  The byte is dropped: it is not worth a block.
 */
static int chardev_answers(struct chardev *dev, char *why, size_t whylen)
{
	uint8_t byte;
	ssize_t n = read(dev->fd, &byte, 1);
	int saved = errno;

	wipe(&byte, sizeof(byte));
	if (n >= 0 || saved == EAGAIN || saved == EINTR)
		return 0;
	snprintf(why, whylen, "reading %s: %s%s", dev->path, strerror(saved),
		 saved == ENODEV ? " (no hardware RNG is current behind it)" : "");
	return -1;
}

int chardev_open(struct chardev *dev, char *why, size_t whylen)
{
	struct stat sb;
	int flags;

	dev->fd = open(dev->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (dev->fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", dev->path, strerror(errno));
		return -1;
	}
	/* What was opened, not what the probe saw: the name may have moved. */
	if (fstat(dev->fd, &sb) < 0) {
		snprintf(why, whylen, "cannot stat %s: %s", dev->path, strerror(errno));
		goto fail;
	}
	if (!S_ISCHR(sb.st_mode)) {
		snprintf(why, whylen, "%s is not a character device", dev->path);
		goto fail;
	}
	if (source_refuse_kernel_output(&sb, dev->path, why, whylen) < 0 ||
	    chardev_answers(dev, why, whylen) < 0)
		goto fail;
	/* Blocking from here on purpose: the hw_random core always reports
	 * readable, so O_NONBLOCK would spin on EAGAIN. */
	flags = fcntl(dev->fd, F_GETFL);
	if (flags < 0 || fcntl(dev->fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		snprintf(why, whylen, "%s: cannot make reads blocking: %s", dev->path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	chardev_close(dev);
	return -1;
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
