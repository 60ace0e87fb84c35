/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Linux random pool: poolsize, entropy_avail, write_wakeup_threshold
 * (saved and restored), RNDADDENTROPY, RNDRESEEDCRNG, CRNG readiness.
 * Knows nothing of policy.  proc_dir is a parameter so tests can point it at
 * a fixture directory; the ioctl and getrandom are replaced at link time.
 */
#ifndef ENTROPYD_KERNEL_H
#define ENTROPYD_KERNEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feeder.h"

#define KERNEL_PROC_DIR "/proc/sys/kernel/random"
/*
 * The record of the original write_wakeup_threshold, in the state directory
 * (kernel_keep_state_in): "BITS BOOT_ID\n", there only while entropyd has
 * the sysctl changed, so a start after a crash (kill -9, OOM) finds the
 * system's value instead of taking the dead daemon's for it.
 */
#define KERNEL_STATE_FILE "entropyd.threshold"

struct kernel_pool {
	int random_fd;			/* the random device, opened for writing */
	int avail_fd;			/* proc_dir/entropy_avail, read with pread */
	int threshold_fd;		/* proc_dir/write_wakeup_threshold, once set;
					   writable only while euid is 0 */
	int wakeup_fd;			/* the same, read-only, from open on (-1: none) */
	int state_dirfd;		/* where the record below lives (-1: none) */
	bool pollout;			/* random_fd can wake a writer: not urandom */
	bool recorded;			/* KERNEL_STATE_FILE holds saved_threshold */
	char proc_dir[PATH_MAX];
	enum kernel_era era;
	unsigned int poolsize_bits;
	bool threshold_saved;		/* write_wakeup_threshold changed by us */
	unsigned int saved_threshold;	/* its value before, restored on close */
	bool reseed_unsupported;	/* RNDRESEEDCRNG said EINVAL: before 4.17 */
};

/*
 * Open random_path for writing and read the pool's size to find the era.
 * 0, or -1 with a message naming the file and the reason in why.
 */
int kernel_open(struct kernel_pool *pool, const char *random_path,
		const char *proc_dir, char *why, size_t whylen);

/* Fill *out from entropy_avail and getrandom(GRND_NONBLOCK).  0 or -1 (errno). */
int kernel_read_state(struct kernel_pool *pool, struct pool_state *out);

/* RNDADDENTROPY: mix len bytes in, crediting exactly entropy_bits.  0 or -1 (errno). */
int kernel_add_entropy(struct kernel_pool *pool, const uint8_t *buf, size_t len,
		       unsigned int entropy_bits);

/*
 * RNDRESEEDCRNG.  0 done; 1 not possible (before 4.17: EINVAL, remembered so
 * it is not tried again; before CRNG init: ENODATA); -1 other error (errno).
 */
int kernel_reseed(struct kernel_pool *pool);

/*
 * Keep the record of write_wakeup_threshold in the directory dirfd (taken
 * over: kernel_close closes it; -1 keeps none).  If an entropyd of this boot
 * died with the sysctl changed, its record is there: put the system's value
 * back now, and remove the record.  Call after kernel_open, while root.
 */
void kernel_keep_state_in(struct kernel_pool *pool, int dirfd);


/*
 * Set write_wakeup_threshold, saving the old value the first time (and
 * recording it in the state directory before the change).  0 or -1.
 */
int kernel_set_wakeup_threshold(struct kernel_pool *pool, unsigned int bits);

/* Restore write_wakeup_threshold if we changed it (a warning if that fails,
 * as it does after a drop from root; the record stays then), remove the
 * record, and close the device and the state directory. */
void kernel_close(struct kernel_pool *pool);

/* 1 if path is the kernel's random or urandom device (char 1:8 or 1:9), 0 if
 * not (a file, a FIFO, anything else or nothing yet), -1 on a stat error. */
int kernel_is_random_device(const char *path);

#endif
