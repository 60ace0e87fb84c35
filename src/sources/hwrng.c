/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwrng: a hardware RNG character device, /dev/hwrng by default (any path
 * with -r or -O hwrng:device:PATH).  When /dev/hwrng is a virtio-rng, the
 * virtio source owns it and this one idles, so the two never read the same
 * device; with the virtio source excluded (-x virtio implies
 * -O hwrng:virtio:read) this one reads it like any hardware RNG.  Where no
 * hardware RNG is current (rng_current "none", every VM without an RNG
 * device) /dev/hwrng still exists but answers ENODEV: unavailable.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "source.h"
#include "sources/chardev.h"
#include "sources/hwrng_sysfs.h"
#include "sources/sources.h"

struct hwrng_state {
	struct chardev dev;
	char sysfs[1024];	/* the hw_random sysfs directory */
	bool read_virtio;	/* read a current virtio-rng here (virtio excluded) */
};

static const struct source_option hwrng_options[] = {
	{ "device", HWRNG_DEVICE, "path of the hardware RNG character device" },
	{ "sysfs", HWRNG_SYSFS_DIR, "the hw_random sysfs directory (which device /dev/hwrng is)" },
	{ "virtio", "defer", "defer: leave a current virtio-rng to the virtio source; read: read it here "
	  "(implied by -x virtio)" },
	{ NULL, NULL, NULL },
};

static void *hwrng_create(void)
{
	struct hwrng_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	chardev_init(&st->dev, HWRNG_DEVICE);
	snprintf(st->sysfs, sizeof(st->sysfs), "%s", HWRNG_SYSFS_DIR);
	return st;
}

static int hwrng_set_option(void *state, const char *key, const char *value,
			    char *err, size_t errlen)
{
	struct hwrng_state *st = state;

	if (strcmp(key, "device") == 0)
		return chardev_set_path(&st->dev, "hwrng:device", value, err, errlen);
	if (strcmp(key, "sysfs") == 0)
		return source_set_path(st->sysfs, sizeof(st->sysfs), "hwrng:sysfs", value, err, errlen);
	if (strcmp(key, "virtio") == 0)
		return source_parse_choice("hwrng:virtio", value, "defer", "read", &st->read_virtio, err, errlen);
	snprintf(err, errlen, "hwrng: unknown option '%s'; accepted: credit, device, sysfs, virtio", key);
	return -1;
}

static void hwrng_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct hwrng_state *st = state;

	snprintf(buf, len, "%s", strcmp(key, "device") == 0 ? st->dev.path :
		 strcmp(key, "sysfs") == 0 ? st->sysfs :
		 strcmp(key, "virtio") == 0 ? (st->read_virtio ? "read" : "defer") : "");
}

/* The hw_random core's node (misc 10:183), under any name: the current device. */
static bool hwrng_is_core_node(const char *path)
{
	struct stat sb;

	return strcmp(path, HWRNG_DEVICE) == 0 ||
	       (stat(path, &sb) == 0 && S_ISCHR(sb.st_mode) &&
		major(sb.st_rdev) == 10 && minor(sb.st_rdev) == 183);
}

static enum source_status hwrng_probe(void *state, char *why, size_t whylen)
{
	struct hwrng_state *st = state;
	struct hwrng_sysfs hw;

	if (hwrng_is_core_node(st->dev.path)) {
		/* only rng_current matters here: no quality, no walk over /proc */
		hwrng_sysfs_read(st->sysfs, NULL, NULL, &hw);
		if (hw.present && !hw.current[0]) {
			snprintf(why, whylen, "rng_current is none: no hardware RNG is behind %s "
				 "(rng_available: %s)", st->dev.path, hw.available[0] ? hw.available : "none");
			return SOURCE_UNAVAILABLE;
		}
		if (hwrng_sysfs_is_virtio(hw.current) && !st->read_virtio) {
			snprintf(why, whylen, "rng_current is %s: the virtio source handles it "
				 "(with -x virtio, hwrng reads it)", hw.current);
			return SOURCE_IDLE;
		}
	}
	return chardev_probe(&st->dev, why, whylen);
}

static int hwrng_open(void *state, char *why, size_t whylen)
{
	return chardev_open(&((struct hwrng_state *)state)->dev, why, whylen);
}

static ssize_t hwrng_read(void *state, uint8_t *buf, size_t len, int cancel_fd,
			  char *why, size_t whylen)
{
	return chardev_read(&((struct hwrng_state *)state)->dev, buf, len, cancel_fd, why, whylen);
}

static void hwrng_close(void *state)
{
	chardev_close(&((struct hwrng_state *)state)->dev);
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
	.credit = NULL,
};
