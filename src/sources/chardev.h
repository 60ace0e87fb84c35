/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a hardware RNG character device, shared by the hwrng and virtio
 * sources: checks before opening, blocking reads kept small and
 * cancellable (the hw_random core does not implement poll).
 */
#ifndef ENTROPYD_CHARDEV_H
#define ENTROPYD_CHARDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "source.h"

struct chardev {
	char path[4096];
	int fd;
};

void chardev_init(struct chardev *dev, const char *path);
/* Set the path from option 'what' (e.g. "hwrng:device"); -1 with err if unusable. */
int chardev_set_path(struct chardev *dev, const char *what, const char *value, char *err, size_t errlen);
/* A readable character device?  USABLE, or UNAVAILABLE with why. */
enum source_status chardev_probe(const struct chardev *dev, char *why, size_t whylen);
int chardev_open(struct chardev *dev, char *why, size_t whylen);
/* A source read(): bytes, SOURCE_READ_AGAIN (cancelled) or SOURCE_READ_FAILED. */
ssize_t chardev_read(struct chardev *dev, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen);
void chardev_close(struct chardev *dev);

#endif
