/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "wipe.h"

#include <string.h>

#ifndef HAVE_EXPLICIT_BZERO
/*
 * Before glibc 2.25 (RHEL 6 and 7) there is no explicit_bzero.  Calling
 * memset through a volatile pointer stops the compiler from proving the
 * store dead and dropping it.
 */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;
#endif

void wipe(void *buf, size_t len)
{
	if (!buf || !len)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(buf, len);
#else
	wipe_memset(buf, 0, len);
#endif
}
