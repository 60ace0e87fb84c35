/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Linux random pool, at the edge: the random device opened for writing
 * (RNDADDENTROPY, RNDRESEEDCRNG, POLLOUT), and three files under
 * /proc/sys/kernel/random.  entropy_avail is opened once and read with
 * pread, so reading keeps working after a privilege drop (it is 0444).
 * write_wakeup_threshold is kept open too, but that does not carry the
 * right to write it past a drop: the kernel checks a sysctl's mode against
 * the effective uid on each write, so after -D the restore in kernel_close
 * fails and is reported.  While the sysctl is changed, its original value
 * is recorded in a file of the state directory (the PID file's), so that
 * a daemon killed with -9 does not make the next one save its value as
 * the system's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "getrandom_compat.h"
#include "kernel.h"
#include "log.h"
#include "wipe.h"

#ifndef RNDRESEEDCRNG
#define RNDRESEEDCRNG _IO('R', 0x07)	/* Linux 4.17+; older headers lack it */
#endif

/* The largest step entropyd feeds (-s); RNDADDENTROPY itself takes more. */
#define KERNEL_MAX_ADD 4096

static void kernel_reset(struct kernel_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
	pool->random_fd = -1;
	pool->avail_fd = -1;
	pool->threshold_fd = -1;
	pool->wakeup_fd = -1;
	pool->state_dirfd = -1;
}

/* Read an unsigned decimal from an open /proc file. */
static int read_uint_fd(int fd, unsigned int *out)
{
	char buf[32], *end;
	unsigned long v;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		if (n == 0)
			errno = ENODATA;
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (end == buf || errno || v > 0xffffffffUL || (*end != '\n' && *end != '\0')) {
		errno = EINVAL;
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int open_proc(const struct kernel_pool *pool, const char *name, int flags, char *path,
		     size_t pathlen)
{
	snprintf(path, pathlen, "%s/%s", pool->proc_dir, name);
	return open(path, flags | O_CLOEXEC);
}

/*
 * /dev/urandom has no poll before 5.18: poll() says POLLOUT at once,
 * whatever the pool holds.  Only /dev/random wakes a writer on the threshold.
 */
static bool is_urandom(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && S_ISCHR(sb.st_mode) && major(sb.st_rdev) == 1 &&
	       minor(sb.st_rdev) == 9;
}

int kernel_open(struct kernel_pool *pool, const char *random_path,
		const char *proc_dir, char *why, size_t whylen)
{
	char path[PATH_MAX + 32];
	unsigned int poolsize;
	int fd;

	kernel_reset(pool);
	if (strlen(proc_dir) >= sizeof(pool->proc_dir)) {
		snprintf(why, whylen, "%s: path too long", proc_dir);
		return -1;
	}
	snprintf(pool->proc_dir, sizeof(pool->proc_dir), "%s", proc_dir);

	pool->random_fd = open(random_path, O_WRONLY | O_CLOEXEC);
	if (pool->random_fd < 0) {
		snprintf(why, whylen, "%s: %s", random_path, strerror(errno));
		goto fail;
	}
	fd = open_proc(pool, "poolsize", O_RDONLY, path, sizeof(path));
	if (fd < 0 || read_uint_fd(fd, &poolsize) < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	pool->avail_fd = open_proc(pool, "entropy_avail", O_RDONLY, path, sizeof(path));
	if (pool->avail_fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	pool->poolsize_bits = poolsize;
	pool->era = feeder_era_from_poolsize(poolsize);
	/* Without it, POLLOUT cannot be known to block: the policy uses its timer. */
	pool->wakeup_fd = open_proc(pool, "write_wakeup_threshold", O_RDONLY, path, sizeof(path));
	pool->pollout = pool->wakeup_fd >= 0 && !is_urandom(pool->random_fd);
	return 0;
fail:
	kernel_close(pool);
	return -1;
}

/*
 * Would getrandom() block?  A zero-length non-blocking call answers without
 * taking any bytes: every kernel from 3.17 on checks readiness (EAGAIN)
 * before it looks at the length, and 6.11+'s vDSO does the same.  Kernels
 * without getrandom (ENOSYS: RHEL 6, RHEL 7 before 7.4) count as ready,
 * since only the modern policy asks.
 */
static bool crng_ready(void)
{
	if (getrandom(NULL, 0, GRND_NONBLOCK) == 0)
		return true;
	return errno != EAGAIN;
}

int kernel_read_state(struct kernel_pool *pool, struct pool_state *out)
{
	unsigned int avail;

	if (read_uint_fd(pool->avail_fd, &avail) < 0)
		return -1;
	out->era = pool->era;
	out->poolsize_bits = pool->poolsize_bits;
	out->entropy_avail_bits = avail;
	out->crng_ready = crng_ready();
	out->pollout = pool->pollout && read_uint_fd(pool->wakeup_fd, &out->wakeup_threshold_bits) == 0;
	if (!out->pollout)
		out->wakeup_threshold_bits = 0;
	return 0;
}

int kernel_add_entropy(struct kernel_pool *pool, const uint8_t *buf, size_t len,
		       unsigned int entropy_bits)
{
	/* struct rand_pool_info ends in a flexible array: room for it here */
	uint8_t storage[sizeof(struct rand_pool_info) + KERNEL_MAX_ADD]
		__attribute__((aligned(__alignof__(struct rand_pool_info))));
	struct rand_pool_info *info = (struct rand_pool_info *)(void *)storage;
	int r, saved;

	if (len > KERNEL_MAX_ADD || entropy_bits > len * 8) {
		errno = EINVAL;
		return -1;
	}
	info->entropy_count = (int)entropy_bits;
	info->buf_size = (int)len;
	memcpy(info->buf, buf, len);
	r = ioctl(pool->random_fd, RNDADDENTROPY, info);
	saved = errno;
	wipe(storage, sizeof(storage));
	errno = saved;
	return r < 0 ? -1 : 0;
}

int kernel_reseed(struct kernel_pool *pool)
{
	if (pool->reseed_unsupported)
		return 1;
	if (ioctl(pool->random_fd, RNDRESEEDCRNG) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOTTY) {	/* before 4.17 */
		pool->reseed_unsupported = true;
		return 1;
	}
	if (errno == ENODATA)	/* the CRNG is not initialised yet */
		return 1;
	return -1;
}

static int write_uint_fd(int fd, unsigned int v)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%u\n", v);
	ssize_t w = pwrite(fd, buf, (size_t)n, 0);

	if (w == n)
		return 0;
	if (w >= 0)
		errno = EIO;	/* a sysctl takes a number whole or not at all */
	return -1;
}

/* This boot's id (random/boot_id), so a record from an earlier boot is ignored. */
static void boot_id(const struct kernel_pool *pool, char *buf, size_t len)
{
	char path[PATH_MAX + 32];
	ssize_t n = -1;
	int fd = open_proc(pool, "boot_id", O_RDONLY, path, sizeof(path));

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, " \n")] = '\0';
}

/* Open the record: a regular file of ours, never through a symlink. */
static int record_open(const struct kernel_pool *pool, int flags)
{
	struct stat sb;
	int fd = openat(pool->state_dirfd, KERNEL_STATE_FILE,
			flags | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
	    sb.st_nlink != 1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

static int record_write(const struct kernel_pool *pool, unsigned int bits)
{
	char id[64], line[96];
	int fd = record_open(pool, O_WRONLY | O_CREAT);
	int n, r;

	if (fd < 0)
		return -1;
	boot_id(pool, id, sizeof(id));
	n = snprintf(line, sizeof(line), "%u %s\n", bits, id);
	r = ftruncate(fd, 0) == 0 && pwrite(fd, line, (size_t)n, 0) == n ? 0 : -1;
	if (close(fd) < 0)
		r = -1;
	return r;
}

/* The recorded value, if the record is this boot's.  0, or -1. */
static int record_read(const struct kernel_pool *pool, unsigned int *bits)
{
	char id[64], line[96], *end;
	unsigned long v;
	ssize_t n;
	int fd = record_open(pool, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	errno = 0;
	v = strtoul(line, &end, 10);
	if (end == line || errno || v > 0xffffffffUL || *end != ' ')
		return -1;
	boot_id(pool, id, sizeof(id));
	end[strcspn(end, "\n")] = '\0';
	if (strcmp(end + 1, id) != 0)
		return -1;
	*bits = (unsigned int)v;
	return 0;
}

static void record_remove(struct kernel_pool *pool)
{
	if (unlinkat(pool->state_dirfd, KERNEL_STATE_FILE, 0) < 0 && errno != ENOENT)
		log_warn("cannot remove %s", KERNEL_STATE_FILE);
	pool->recorded = false;
}

void kernel_keep_state_in(struct kernel_pool *pool, int dirfd)
{
	char path[PATH_MAX + 32];
	unsigned int original, now;
	int fd;

	if (pool->state_dirfd >= 0)
		close(pool->state_dirfd);
	pool->state_dirfd = dirfd;
	if (dirfd < 0 || record_read(pool, &original) < 0)
		return;
	fd = open_proc(pool, "write_wakeup_threshold", O_RDWR, path, sizeof(path));
	if (fd < 0 || read_uint_fd(fd, &now) < 0 || write_uint_fd(fd, original) < 0) {
		log_warn("an earlier entropyd left write_wakeup_threshold changed; cannot put "
			 "back its original %u", original);
		if (fd >= 0)
			close(fd);
		/* still the value to restore, and the record stays until then */
		pool->saved_threshold = original;
		pool->threshold_saved = true;
		pool->recorded = true;
		return;
	}
	close(fd);
	log_notice("write_wakeup_threshold: put back the original %u (an earlier entropyd "
		   "did not exit cleanly and left %u)", original, now);
	record_remove(pool);
}

int kernel_set_wakeup_threshold(struct kernel_pool *pool, unsigned int bits)
{
	char path[PATH_MAX + 32];

	if (pool->threshold_fd < 0) {
		/* kept open: the old value is restored through it, even after a
		 * privilege drop */
		pool->threshold_fd = open_proc(pool, "write_wakeup_threshold", O_RDWR, path, sizeof(path));
		if (pool->threshold_fd < 0)
			return -1;
	}
	if (!pool->threshold_saved) {
		if (read_uint_fd(pool->threshold_fd, &pool->saved_threshold) < 0)
			return -1;
		pool->threshold_saved = true;
		if (pool->state_dirfd >= 0) {
			pool->recorded = record_write(pool, pool->saved_threshold) == 0;
			if (!pool->recorded)
				log_warn("cannot record write_wakeup_threshold %u in %s: a crash would "
					 "leave it at %u", pool->saved_threshold, KERNEL_STATE_FILE, bits);
		}
	}
	return write_uint_fd(pool->threshold_fd, bits);
}

void kernel_close(struct kernel_pool *pool)
{
	/*
	 * The kernel checks a sysctl's mode against the effective uid on every
	 * write, not only at open: after -D this write fails (EPERM) however
	 * the descriptor was opened.  Say so, with the value to put back.
	 */
	if (pool->threshold_saved) {
		if (pool->threshold_fd >= 0 &&
		    write_uint_fd(pool->threshold_fd, pool->saved_threshold) == 0) {
			if (pool->recorded)
				record_remove(pool);
		} else {
			log_warn("cannot restore %s/write_wakeup_threshold to %u", pool->proc_dir,
				 pool->saved_threshold);
		}
	}
	pool->threshold_saved = false;
	if (pool->threshold_fd >= 0)
		close(pool->threshold_fd);
	if (pool->wakeup_fd >= 0)
		close(pool->wakeup_fd);
	if (pool->state_dirfd >= 0)
		close(pool->state_dirfd);
	if (pool->avail_fd >= 0)
		close(pool->avail_fd);
	if (pool->random_fd >= 0)
		close(pool->random_fd);
	pool->threshold_fd = pool->avail_fd = pool->random_fd = -1;
	pool->wakeup_fd = pool->state_dirfd = -1;
}

int kernel_is_random_device(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -1;
	return S_ISCHR(sb.st_mode) && major(sb.st_rdev) == 1 &&
	       (minor(sb.st_rdev) == 8 || minor(sb.st_rdev) == 9);
}
