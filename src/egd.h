/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The EGD protocol as QEMU's rng-egd backend and libvirt's
 * <backend model='egd'> speak it: one command byte, some with one count
 * byte after it.
 *   0x00           entropy level: 4 bytes, big-endian, bits available
 *   0x01 N         non-blocking read: 1 length byte, then that many bytes
 *   0x02 N         blocking read: exactly N bytes, when there are
 *   0x03 ...       write entropy: refused here (the connection is closed)
 *   0x04           PID: 1 length byte, then the PID as ASCII
 * Anything else is a protocol error.  Pure: parsing and reply formatting,
 * and the per-client rate limit; the server lives in src/sinks/egd.c.
 */
#ifndef ENTROPYD_EGD_H
#define ENTROPYD_EGD_H

#include <stddef.h>
#include <stdint.h>

#define EGD_CMD_LEVEL 0x00
#define EGD_CMD_READ_NONBLOCK 0x01
#define EGD_CMD_READ_BLOCK 0x02
#define EGD_CMD_WRITE 0x03
#define EGD_CMD_PID 0x04

/* A read asks for at most this many bytes (its count is one byte). */
#define EGD_MAX_READ 255

enum egd_kind {
	EGD_INCOMPLETE,		/* a command byte that needs its count: read more */
	EGD_LEVEL,
	EGD_READ_NONBLOCK,
	EGD_READ_BLOCK,
	EGD_WRITE,		/* refused: entropyd only hands out checked bytes */
	EGD_PID,
	EGD_BAD,		/* not a command */
};

struct egd_command {
	enum egd_kind kind;
	unsigned int count;	/* READ_*: bytes asked for (0 to 255) */
};

/*
 * Parse the first command of buf[0..len).  Returns the bytes it takes (1
 * or 2), or 0 with kind EGD_INCOMPLETE when more input is needed (len 0,
 * or a read command without its count).  EGD_WRITE and EGD_BAD take 1
 * byte: the caller closes the connection, so what follows is never read.
 */
size_t egd_parse(const uint8_t *buf, size_t len, struct egd_command *cmd);

/* The 0x00 reply: bits as 4 big-endian bytes (saturating). */
void egd_level_reply(unsigned long long bits, uint8_t out[4]);

/* The 0x04 reply (length byte + ASCII PID) into out; returns its size,
 * at most 1 + 20. */
size_t egd_pid_reply(long pid, uint8_t *out, size_t max);

/*
 * A per-client token bucket: rate bytes per second, a burst of one
 * second's worth (at least one full read).  rate 0: unlimited.
 */
struct egd_bucket {
	unsigned long long tokens_milli;	/* bytes x 1000 */
	uint64_t last_ms;
};

void egd_bucket_init(struct egd_bucket *b, uint64_t now_ms);

/* How many of want bytes may be sent now (refilling first). */
unsigned int egd_bucket_allow(struct egd_bucket *b, unsigned long rate, uint64_t now_ms,
			      unsigned int want);

/* Take n sent bytes out of the bucket. */
void egd_bucket_spend(struct egd_bucket *b, unsigned long rate, unsigned int n);

/* When at least one byte may be sent again (now_ms if already). */
uint64_t egd_bucket_next_ms(const struct egd_bucket *b, unsigned long rate, uint64_t now_ms);

#endif
