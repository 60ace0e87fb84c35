/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Link-time fakes for src/kernel.c's tests: ioctl() and getrandom().
 * ioctl on the descriptor named in fake_kernel.fd is recorded and answered
 * from the programmed results; any other descriptor goes to the real
 * system call.  getrandom answers "ready", EAGAIN or a programmed errno.
 */
#include "config.h"

#include <errno.h>
#include <linux/random.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_random_ioctl.h"
#include "getrandom_compat.h"

struct fake_kernel fake_kernel = { .fd = -1 };

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_kernel.fd)
		return (int)syscall(SYS_ioctl, fd, request, arg);
	fake_kernel.calls++;
	fake_kernel.last_request = request;
	if (request == RNDADDENTROPY) {
		const struct rand_pool_info *info = arg;

		fake_kernel.last_entropy_count = info->entropy_count;
		fake_kernel.last_buf_size = info->buf_size;
		memcpy(fake_kernel.last_bytes, info->buf,
		       (size_t)info->buf_size < sizeof(fake_kernel.last_bytes) ?
		       (size_t)info->buf_size : sizeof(fake_kernel.last_bytes));
	}
	if (fake_kernel.ioctl_errno) {
		errno = fake_kernel.ioctl_errno;
		return -1;
	}
	return 0;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (fake_kernel.real_getrandom)
		return (ssize_t)syscall(SYS_getrandom, buf, len, flags);
	if (fake_kernel.getrandom_errno) {
		errno = fake_kernel.getrandom_errno;
		return -1;
	}
	if (!fake_kernel.crng_ready) {
		errno = EAGAIN;
		return -1;
	}
	return (ssize_t)len;
}
