/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4, section 6.2), for the jitter source's conditioner.
 * In the tree rather than from a crypto library because the one hash is all
 * entropyd needs, and OpenSSL 3's libcrypto costs the daemon 3.4 MB of its
 * resident memory to provide it (see the commit that added this file).
 * Pure: no I/O, no allocation.
 */
#ifndef ENTROPYD_SHA256_H
#define ENTROPYD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_BYTES 32
#define SHA256_BLOCK_BYTES 64

struct sha256_ctx {
	uint32_t state[8];
	uint64_t length;	/* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_BYTES];	/* a partial block */
	size_t used;		/* bytes in block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);

/* The digest of everything given since sha256_init; then wipes ctx. */
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_BYTES]);

#endif
