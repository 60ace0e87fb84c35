/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-ahead for a fast source (source.h's read_ahead): a reader thread
 * calls the source's read() into a ring of chunks while the worker runs
 * the FIPS and repetition tests on what was read before, so the source is
 * read without pausing for the tests.  readahead_read() has read()'s
 * contract, so the worker takes bytes the same way with or without it.
 *
 * The reader owns the source's state while it runs: the worker asks it for
 * the source's counters (readahead_counters) and closes the source only
 * after readahead_stop().
 *
 * Hand-offs cost a wake-up of a sleeping thread, which in a virtual
 * machine is several microseconds (an inter-processor interrupt), about
 * the time RDRAND takes for a chunk.  So the reader wakes a waiting worker
 * once READAHEAD_BATCH chunks are ready, not per chunk; at once only for
 * the first READAHEAD_FIRST_CHUNKS (the first block is wanted now: the
 * kernel's first injection), when a read came back short or empty, took
 * READAHEAD_SLOW_READ_US or more (a source slower than its reads: a pipe's
 * writer that pauses), or failed, and when the source is cancelled.  The worker wakes a waiting reader when the ring is half
 * empty.  A full ring puts the reader to sleep until then: no read, no
 * wake-up, while nothing takes the bytes.
 */
#ifndef ENTROPYD_READAHEAD_H
#define ENTROPYD_READAHEAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fips.h"
#include "source.h"

/* A chunk: one read(), at most a FIPS block. */
#define READAHEAD_CHUNK_BYTES FIPS_BLOCK_BYTES
/*
 * 32 chunks: 80 KB, about 220 us of RDRAND where measured.  With a wake-up
 * per 16 chunks the pipeline kept 94-96 % of the raw rate there (8 of 16:
 * 90-93 %; bench/sources.sh).
 */
#define READAHEAD_CHUNKS 32
/* Chunks ready before the reader wakes the worker. */
#define READAHEAD_BATCH (READAHEAD_CHUNKS / 2)
/* Chunks told one by one after the start: the prime and the first block. */
#define READAHEAD_FIRST_CHUNKS 2
/* A read this long (us) is told at once: a slow source is not batched.
 * RDRAND takes about 7 us for a chunk, RDSEED 170-350 us. */
#define READAHEAD_SLOW_READ_US 1000
/* The reader's stack: read() and a log line. */
#define READAHEAD_STACK ((size_t)256 * 1024)

struct readahead_chunk {
	uint8_t bytes[READAHEAD_CHUNK_BYTES];
	size_t len;		/* bytes read into it */
	size_t used;		/* bytes of it taken */
};

struct readahead {
	const struct source_ops *ops;
	void *state;
	int cancel_fd;		/* readable once the reader must stop */
	pthread_t thread;
	pthread_mutex_t lock;	/* guards everything below */
	pthread_cond_t ready;	/* for the worker: chunks, an empty read, the end */
	pthread_cond_t room;	/* for the reader: a free chunk, or stop */
	struct readahead_chunk *ring;
	size_t head;		/* the chunk the worker takes from */
	size_t len;		/* chunks read and not wholly taken */
	unsigned int first_chunks;	/* of READAHEAD_FIRST_CHUNKS, read so far */
	bool stop;		/* the worker asks the reader to end */
	bool ended;		/* the reader has ended: failed, or cancelled */
	bool failed;		/* ... because read() failed; why says it */
	bool empty_read;	/* read() gave nothing since the worker last looked */
	bool worker_waiting;
	bool reader_waiting;
	bool have_counters;
	struct source_counters counters;	/* the source's, after the last read */
	char why[SOURCE_MSG_MAX];
};

/*
 * Start reading ops/state (open) ahead on a thread of its own.  cancel_fd,
 * an eventfd, is passed to every read(): it is the reader's own, which
 * readahead_stop() writes and the owner of the source writes too when it
 * stops (the worker may be waiting for the reader).  0, or -1 with a
 * message in err (no memory, no thread): the caller then reads the source
 * itself.
 */
int readahead_start(struct readahead *ra, const struct source_ops *ops, void *state,
		    int cancel_fd, char *err, size_t errlen);

/*
 * Up to len bytes read ahead into buf, in the order read() gave them,
 * waiting for them if there are none.  > 0; SOURCE_READ_AGAIN when none
 * are waiting and read() gave nothing since the last call (as it would
 * have returned to the caller), or the reader was cancelled;
 * SOURCE_READ_FAILED with why, after the last bytes read before the
 * failure.
 */
ssize_t readahead_read(struct readahead *ra, uint8_t *buf, size_t len, char *why, size_t whylen);

/* The source's counters as of its last read; false if it has none. */
bool readahead_counters(struct readahead *ra, struct source_counters *out);

/*
 * Stop the reader: cancel_fd interrupts a read that waits (a pipe without
 * a writer).  Join it, clear cancel_fd, and wipe and free the bytes it read
 * that were not taken.  The source is the caller's again.
 */
void readahead_stop(struct readahead *ra);

#endif
