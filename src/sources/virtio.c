/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio: a KVM guest's virtio-rng device, which passes on the host's
 * entropy.  Found through the hw_random sysfs directory and read through
 * /dev/hwrng when it is the current hardware RNG.
 *
 * Since 3.17 the kernel's own [hwrng] thread feeds the pool from the
 * current device when its quality is above 0 (rng_quality, or rng_core's
 * current_quality parameter before it); virtio-rng reports 1000 on
 * Debian's 6.1 and 5.10 kernels and 1024 on 6.18: then this source stays
 * idle by default, because reading the same slow device (about 10 KB/s)
 * from two places would only halve what each gets.  -O virtio:force:1 reads it anyway.  Older kernels
 * (RHEL 6, 7.0) have no such thread, and this source does the job.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "source.h"
#include "sources/chardev.h"
#include "sources/hwrng_sysfs.h"
#include "sources/sources.h"

struct virtio_state {
	struct chardev dev;
	int force;
	char sysfs[1024];
	char module[1024];
	char proc[1024];
};

static const struct source_option virtio_options[] = {
	{ "force", "0", "1 reads the device even when the kernel's hwrng thread credits it (0 or 1)" },
	{ "device", HWRNG_DEVICE, "the hw_random character device" },
	{ "sysfs", HWRNG_SYSFS_DIR, "the hw_random sysfs directory" },
	{ "module", HWRNG_MODULE_DIR, "rng_core's parameters (current_quality, where there is no rng_quality)" },
	{ "proc", HWRNG_PROC_DIR, "where to look for the kernel's hwrng thread" },
	{ NULL, NULL, NULL },
};

static void *virtio_create(void)
{
	struct virtio_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	chardev_init(&st->dev, HWRNG_DEVICE);
	snprintf(st->sysfs, sizeof(st->sysfs), "%s", HWRNG_SYSFS_DIR);
	snprintf(st->module, sizeof(st->module), "%s", HWRNG_MODULE_DIR);
	snprintf(st->proc, sizeof(st->proc), "%s", HWRNG_PROC_DIR);
	return st;
}

static int virtio_set_option(void *state, const char *key, const char *value, char *err, size_t errlen)
{
	struct virtio_state *st = state;

	if (strcmp(key, "force") == 0)
		return parse_bool(value, "virtio:force", &st->force, err, errlen);
	if (strcmp(key, "device") == 0)
		return chardev_set_path(&st->dev, "virtio:device", value, err, errlen);
	if (strcmp(key, "sysfs") == 0)
		return source_set_path(st->sysfs, sizeof(st->sysfs), "virtio:sysfs", value, err, errlen);
	if (strcmp(key, "module") == 0)
		return source_set_path(st->module, sizeof(st->module), "virtio:module", value, err, errlen);
	if (strcmp(key, "proc") == 0)
		return source_set_path(st->proc, sizeof(st->proc), "virtio:proc", value, err, errlen);
	snprintf(err, errlen, "virtio: unknown option '%s'; accepted: credit, force, device, sysfs, module, proc",
		 key);
	return -1;
}

static void virtio_get_option(const void *state, const char *key, char *buf, size_t len)
{
	const struct virtio_state *st = state;

	if (strcmp(key, "force") == 0)
		snprintf(buf, len, "%d", st->force);
	else
		snprintf(buf, len, "%s", strcmp(key, "device") == 0 ? st->dev.path :
			 strcmp(key, "sysfs") == 0 ? st->sysfs :
			 strcmp(key, "module") == 0 ? st->module :
			 strcmp(key, "proc") == 0 ? st->proc : "");
}

static enum source_status virtio_probe(void *state, char *why, size_t whylen)
{
	struct virtio_state *st = state;
	struct hwrng_sysfs hw;
	char name[64];

	hwrng_sysfs_read(st->sysfs, st->module, st->proc, &hw);
	if (!hw.present) {
		snprintf(why, whylen, "%s does not exist (no hw_random support)", st->sysfs);
		return SOURCE_UNAVAILABLE;
	}
	/*
	 * With several virtio-rngs, the current one is ours even if it is not
	 * listed first: hwrng steps aside for any virtio-rng, so if this
	 * source did too, nobody would read it.
	 */
	if (hwrng_sysfs_is_virtio(hw.current))
		snprintf(name, sizeof(name), "%s", hw.current);
	else if (!hwrng_sysfs_find_virtio(&hw, name, sizeof(name))) {
		snprintf(why, whylen, "no virtio-rng device (rng_available: %s)",
			 hw.available[0] ? hw.available : "none");
		return SOURCE_UNAVAILABLE;
	}
	if (strcmp(hw.current, name) != 0) {
		snprintf(why, whylen, "%s is not the current hardware RNG (rng_current: %s); "
			 "echo %s > %s/rng_current to use it", name, hw.current[0] ? hw.current : "none",
			 name, st->sysfs);
		return SOURCE_IDLE;
	}
	if (hwrng_sysfs_kernel_feeds(&hw) && !st->force) {
		char quality[32];

		if (hw.quality < 0)
			snprintf(quality, sizeof(quality), "quality above 0");
		else
			snprintf(quality, sizeof(quality), "quality %d", hw.quality);
		snprintf(why, whylen, "the kernel's hwrng thread already credits %s (%s); "
			 "-O virtio:force:1 reads it anyway", name, quality);
		return SOURCE_IDLE;
	}
	return chardev_probe(&st->dev, why, whylen);
}

static int virtio_open(void *state, char *why, size_t whylen)
{
	return chardev_open(&((struct virtio_state *)state)->dev, why, whylen);
}

static ssize_t virtio_read(void *state, uint8_t *buf, size_t len, int cancel_fd, char *why, size_t whylen)
{
	return chardev_read(&((struct virtio_state *)state)->dev, buf, len, cancel_fd, why, whylen);
}

static void virtio_close(void *state)
{
	chardev_close(&((struct virtio_state *)state)->dev);
}

static void virtio_destroy(void *state)
{
	if (!state)
		return;
	virtio_close(state);
	free(state);
}

const struct source_ops virtio_source_ops = {
	.name = "virtio",
	.summary = "a KVM guest's virtio-rng device (the host's entropy), when the kernel does not feed it itself",
	/*
	 * The host decides what backs the device (its /dev/urandom by
	 * default); half a bit per bit, as for any whitened hardware RNG.
	 */
	.default_credit = 4 * CREDIT_ONE_BIT,
	.enabled_by_default = 1,
	.options = virtio_options,
	.create = virtio_create,
	.set_option = virtio_set_option,
	.get_option = virtio_get_option,
	.probe = virtio_probe,
	.open = virtio_open,
	.read = virtio_read,
	.close = virtio_close,
	.destroy = virtio_destroy,
	.counters = NULL,
	.credit = NULL,
};
