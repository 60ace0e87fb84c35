/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The programmable state of tests/fakes/fake_random_ioctl.c. */
#ifndef ENTROPYD_FAKE_RANDOM_IOCTL_H
#define ENTROPYD_FAKE_RANDOM_IOCTL_H

#include <stdbool.h>
#include <stdint.h>

struct fake_kernel {
	int fd;				/* the descriptor treated as the random device */
	int ioctl_errno;		/* 0: succeed; else fail with this errno */
	bool crng_ready;		/* getrandom: ready, or EAGAIN */
	int getrandom_errno;		/* getrandom: nonzero fails with it (ENOSYS) */
	bool real_getrandom;		/* getrandom: the real system call */
	unsigned int calls;		/* ioctls on fd */
	unsigned long last_request;
	int last_entropy_count, last_buf_size;
	uint8_t last_bytes[64];
};

extern struct fake_kernel fake_kernel;

#endif
