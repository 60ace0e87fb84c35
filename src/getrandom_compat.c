/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "getrandom_compat.h"

#ifndef HAVE_GETRANDOM
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
#ifdef SYS_getrandom
	return (ssize_t)syscall(SYS_getrandom, buf, len, flags);
#else
	/* headers older than the system call (RHEL 6): the caller copes */
	(void)buf;
	(void)len;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}
#else
/* The C library has it; ISO C wants something in every file. */
typedef int getrandom_compat_unused;
#endif
