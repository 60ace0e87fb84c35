/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwrng: a hardware RNG character device, /dev/hwrng by default (any path
 * with -r or -O hwrng:device:PATH).  Blocking reads happen only in this
 * source's worker thread; poll() keeps them cancellable.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "sources/fdread.h"
#include "sources/sources.h"

#define HWRNG_READ_MAX 512

struct hwrng_state {
	char device[4096];
	int fd;
};

static const struct source_option hwrng_options[] = {
	{ "device", "/dev/hwrng", "path of the hardware RNG character device" },
	{ NULL, NULL, NULL },
};

static void *hwrng_create(void)
{
	struct hwrng_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	snprintf(st->device, sizeof(st->device), "%s", "/dev/hwrng");
	st->fd = -1;
	return st;
}

static int hwrng_set_option(void *state, const char *key, const char *value,
			    char *err, size_t errlen)
{
	struct hwrng_state *st = state;

	if (strcmp(key, "device") != 0) {
		snprintf(err, errlen, "hwrng: unknown option '%s'; accepted: credit, device", key);
		return -1;
	}
	if (!*value || strlen(value) >= sizeof(st->device)) {
		snprintf(err, errlen, "hwrng:device: '%s' is not a usable path", value);
		return -1;
	}
	snprintf(st->device, sizeof(st->device), "%s", value);
	return 0;
}

static void hwrng_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct hwrng_state *st = state;

	snprintf(buf, len, "%s", strcmp(key, "device") == 0 ? st->device : "");
}

static enum source_status hwrng_probe(void *state, char *why, size_t whylen)
{
	struct hwrng_state *st = state;
	struct stat sb;

	if (stat(st->device, &sb) < 0) {
		snprintf(why, whylen, "%s: %s%s", st->device, strerror(errno),
			 errno == ENOENT ? " (no hardware RNG driver loaded)" : "");
		return SOURCE_UNAVAILABLE;
	}
	if (!S_ISCHR(sb.st_mode)) {
		snprintf(why, whylen, "%s is not a character device (use the pipe source for files and FIFOs)",
			 st->device);
		return SOURCE_UNAVAILABLE;
	}
	if (access(st->device, R_OK) < 0) {
		snprintf(why, whylen, "%s: %s", st->device, strerror(errno));
		return SOURCE_UNAVAILABLE;
	}
	return SOURCE_USABLE;
}

static int hwrng_open(void *state, char *why, size_t whylen)
{
	struct hwrng_state *st = state;

	/*
	 * Blocking on purpose: the hw_random core does not implement poll
	 * (it always reports readable), so O_NONBLOCK would spin on EAGAIN.
	 */
	st->fd = open(st->device, O_RDONLY | O_CLOEXEC);
	if (st->fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", st->device, strerror(errno));
		return -1;
	}
	return 0;
}

static ssize_t hwrng_read(void *state, uint8_t *buf, size_t len, int cancel_fd,
			  char *why, size_t whylen)
{
	struct hwrng_state *st = state;
	size_t got;

	/*
	 * A blocking read of a slow device (virtio-rng gives ~10 KB/s) returns
	 * only when it is full; small reads keep cancellation prompt.
	 */
	if (len > HWRNG_READ_MAX)
		len = HWRNG_READ_MAX;
	switch (fdread(st->fd, cancel_fd, -1, buf, len, &got)) {
	case FDREAD_DATA:
		return (ssize_t)got;
	case FDREAD_CANCELLED:
	case FDREAD_TIMEOUT:
		return SOURCE_READ_AGAIN;
	case FDREAD_HANGUP:
		snprintf(why, whylen, "%s: unexpected end of data", st->device);
		return SOURCE_READ_FAILED;
	case FDREAD_ERROR:
	default:
		/* ENODEV: the kernel has no current hardware RNG behind the node. */
		snprintf(why, whylen, "reading %s: %s", st->device, strerror(errno));
		return SOURCE_READ_FAILED;
	}
}

static void hwrng_close(void *state)
{
	struct hwrng_state *st = state;

	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}

static void hwrng_destroy(void *state)
{
	if (!state)
		return;
	hwrng_close(state);
	free(state);
}

const struct source_ops hwrng_source_ops = {
	.name = "hwrng",
	.summary = "hardware RNG character device (TPM, CPU TRNG, USB key)",
	/*
	 * Half a bit per bit: devices usually whiten their output, and no
	 * statistical test can tell whitened from truly random bytes.
	 */
	.default_credit = 4 * CREDIT_ONE_BIT,
	.enabled_by_default = 1,
	.options = hwrng_options,
	.create = hwrng_create,
	.set_option = hwrng_set_option,
	.get_option = hwrng_get_option,
	.probe = hwrng_probe,
	.open = hwrng_open,
	.read = hwrng_read,
	.close = hwrng_close,
	.destroy = hwrng_destroy,
	.counters = NULL,
};
