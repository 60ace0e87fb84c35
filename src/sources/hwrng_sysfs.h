/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's hw_random core as sysfs and /proc show it: which hardware
 * RNGs exist (rng_available), which one /dev/hwrng reads (rng_current),
 * the quality the kernel credits it with (rng_quality, on kernels newer
 * than the thread), and whether
 * the kernel's own [hwrng] thread is feeding the pool from it.  Both
 * directories are parameters so tests use fixture trees.
 */
#ifndef ENTROPYD_HWRNG_SYSFS_H
#define ENTROPYD_HWRNG_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define HWRNG_SYSFS_DIR "/sys/class/misc/hw_random"
#define HWRNG_PROC_DIR "/proc"
#define HWRNG_DEVICE "/dev/hwrng"

struct hwrng_sysfs {
	bool present;			/* the hw_random directory exists */
	char current[64];		/* rng_current, "" if none */
	char available[256];		/* rng_available, space separated */
	int quality;			/* rng_quality, -1 when the file is missing */
	bool kernel_thread;		/* a kernel thread named hwrng runs */
};

/*
 * Read what is there; missing files leave their fields empty / -1.
 * proc_dir NULL skips the search for the kernel thread (a walk over every
 * process), for callers that only need the sysfs files.
 */
void hwrng_sysfs_read(const char *sysfs_dir, const char *proc_dir, struct hwrng_sysfs *out);

/* A virtio-rng device name: "virtio_rng.0", or "virtio" before Linux 3.15. */
bool hwrng_sysfs_is_virtio(const char *name);

/* The first virtio-rng in rng_available into name; false if there is none. */
bool hwrng_sysfs_find_virtio(const struct hwrng_sysfs *hw, char *name, size_t len);

/*
 * Does the kernel itself credit the current device?  Its thread runs and
 * the quality is above 0, or unknown (no rng_quality file).
 */
bool hwrng_sysfs_kernel_feeds(const struct hwrng_sysfs *hw);

#endif
