/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's hw_random core as sysfs and /proc show it: which hardware
 * RNGs exist (rng_available), which one /dev/hwrng reads (rng_current),
 * the quality the kernel credits it with (rng_quality on recent kernels;
 * before it, rng_core's current_quality module parameter, as on 5.10), and
 * whether the kernel's own [hwrng] thread is feeding the pool from it.  The
 * directories are parameters so tests use fixture trees.
 */
#ifndef ENTROPYD_HWRNG_SYSFS_H
#define ENTROPYD_HWRNG_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define HWRNG_SYSFS_DIR "/sys/class/misc/hw_random"
#define HWRNG_PROC_DIR "/proc"
#define HWRNG_MODULE_DIR "/sys/module/rng_core/parameters"
#define HWRNG_DEVICE "/dev/hwrng"

struct hwrng_sysfs {
	bool present;			/* the hw_random directory exists */
	char current[64];		/* rng_current, "" if none */
	char available[256];		/* rng_available, space separated, no trailing space */
	int quality;			/* rng_quality, else current_quality; -1 if neither */
	bool kernel_thread;		/* a kernel thread named hwrng runs */
};

/*
 * Read what is there; missing files leave their fields empty / -1.
 * module_dir is rng_core's parameters directory (current_quality), read
 * when sysfs_dir has no rng_quality.  proc_dir NULL skips the search for
 * the kernel thread (a walk over every process), and module_dir NULL the
 * quality, for callers that only need rng_current and rng_available.
 */
void hwrng_sysfs_read(const char *sysfs_dir, const char *module_dir, const char *proc_dir,
		      struct hwrng_sysfs *out);

/* A virtio-rng device name: "virtio_rng.0", or "virtio" before Linux 3.15. */
bool hwrng_sysfs_is_virtio(const char *name);

/* The first virtio-rng in rng_available into name; false if there is none. */
bool hwrng_sysfs_find_virtio(const struct hwrng_sysfs *hw, char *name, size_t len);

/*
 * Does the kernel itself credit the current device?  Its thread runs and
 * the quality is above 0, or unknown (neither file: 3.17 kernels before
 * the module parameter could be read).
 */
bool hwrng_sysfs_kernel_feeds(const struct hwrng_sysfs *hw);

#endif
