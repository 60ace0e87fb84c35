/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * getrandom() where the C library has none (glibc before 2.25: RHEL 6 and
 * 7).  The fallback lives in its own object, src/getrandom_compat.c, so a
 * test that defines getrandom itself (tests/fakes/) still replaces it at
 * link time.
 */
#ifndef ENTROPYD_GETRANDOM_COMPAT_H
#define ENTROPYD_GETRANDOM_COMPAT_H

#include <sys/types.h>

#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#ifndef GRND_NONBLOCK
#define GRND_NONBLOCK 0x0001	/* the kernel's value since 3.17 */
#endif

#ifndef HAVE_GETRANDOM
/* The system call, or -1 with ENOSYS where the headers do not know it. */
ssize_t getrandom(void *buf, size_t len, unsigned int flags);
#endif

#endif
