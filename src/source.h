/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The source interface.  Each source is one file in src/sources/ exporting
 * one const ops table; the registry (src/sources/registry.c) lists them all.
 * A source keeps its state in its own instance struct (so two instances can
 * exist) and never touches another source's state, the kernel or policy.
 *
 * Life of an instance, driven by the core:
 *   create -> set_option* -> probe -> open -> read* -> close -> destroy
 * read() runs in the source's own worker thread and may block, but must
 * return promptly once cancel_fd becomes readable (poll it beside your fd).
 * After close() the core may probe and open again (re-probe after a
 * suspension, or SIGHUP).
 */
#ifndef ENTROPYD_SOURCE_H
#define ENTROPYD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Credit is entropy per delivered byte, in fixed point: CREDIT_ONE_BIT units
 * per bit.  8 bits per byte is 8192; RDRAND's conservative 1/64 bit per byte
 * is exactly 16.
 */
#define CREDIT_ONE_BIT 1024u
#define CREDIT_MAX     (8u * CREDIT_ONE_BIT)

/* Room for a reason ("why") or an error message, as passed to the ops. */
#define SOURCE_MSG_MAX 256

enum source_status {
	SOURCE_USABLE,		/* can be opened and read now */
	SOURCE_IDLE,		/* present, but should not be read here; why says so */
	SOURCE_UNAVAILABLE,	/* cannot work on this machine; why says so */
};

/* read() results other than a positive byte count */
#define SOURCE_READ_AGAIN   0	/* nothing now: cancelled, FIFO writer gone, or
				   samples discarded by an intermittent health alarm */
#define SOURCE_READ_FAILED (-1)	/* cannot go on; why says it.  The core closes and
				   suspends the source and re-probes it later. */

struct source_option {
	const char *key;
	const char *default_value;
	const char *help;	/* says what is accepted, e.g. "1 to 64" */
};

/* Counters a source keeps itself (health tests on raw samples). */
struct source_counters {
	unsigned long long health_intermittent;	/* alarms that discarded samples */
	unsigned long long health_permanent;	/* alarms that failed the source */
};

struct source_ops {
	const char *name;		/* as used by -x/-n/-O, e.g. "hwrng" */
	const char *summary;		/* one line for -l and the man page */
	unsigned int default_credit;	/* the bound, CREDIT_ONE_BIT units per byte */
	int enabled_by_default;		/* in the set used when -n names nothing */
	/*
	 * Its reads cost CPU time (jitter: a block is tens of ms of a core,
	 * seconds in an emulated guest): the core reads it only while a sink
	 * wants data, keeping one block ready, instead of filling a whole
	 * queue ahead (pipeline.h).  0 for devices and CPU instructions.
	 */
	bool on_demand;
	/*
	 * Its reads cost little and may come faster than the tests (a CPU
	 * instruction, a pipe): a thread of its own reads ahead while the
	 * worker tests the blocks read before (readahead.h), so the tests
	 * take nothing from the source's rate.  Its read() must return once
	 * cancel_fd is readable, as every source's.  Not with on_demand,
	 * whose reads are the cost.
	 */
	bool read_ahead;
	/*
	 * Its probe and open run a start-up test that takes a while (jitter:
	 * 1024 timed samples and their estimate, milliseconds here, hundreds
	 * of them in an emulated guest) and need no privilege: when another
	 * source opened at start, its own worker opens it, after the
	 * privilege drop, so the other sources' first blocks do not wait.
	 */
	bool slow_open;
	/* Options besides "credit" (the core handles that); { NULL } ends it. */
	const struct source_option *options;

	/* Allocate an instance holding the defaults; no I/O.  NULL: out of memory. */
	void *(*create)(void);
	/*
	 * Set one option.  On a bad key or value write a message naming the
	 * key, the value and what is accepted into err, and return -1.
	 */
	int (*set_option)(void *state, const char *key, const char *value,
			  char *err, size_t errlen);
	/* Write the current value of one listed option into buf (for -l). */
	void (*get_option)(const void *state, const char *key, char *buf, size_t len);
	/* Can it be used here and now?  Opens nothing; it may keep memory in
	 * its state for open() to reuse (jitter keeps its sample buffer). */
	enum source_status (*probe)(void *state, char *why, size_t whylen);
	/* Acquire resources, run any start-up self-test.  0, or -1 with why. */
	int (*open)(void *state, char *why, size_t whylen);
	/* Up to len bytes into buf: > 0, SOURCE_READ_AGAIN or SOURCE_READ_FAILED. */
	ssize_t (*read)(void *state, uint8_t *buf, size_t len, int cancel_fd,
			char *why, size_t whylen);
	void (*close)(void *state);
	void (*destroy)(void *state);
	/* Optional (may be NULL): the source's own counters. */
	void (*counters)(const void *state, struct source_counters *out);
	/*
	 * Optional (may be NULL): this instance's bound, the most credit it
	 * can justify, when that depends on its options, the machine or what
	 * open() found; 0 when it has nothing to credit.  Called once options
	 * are set and after every successful open.  -e and -O SOURCE:credit
	 * may lower the bound, never raise it (credit.h).  NULL: default_credit.
	 */
	unsigned int (*credit)(const void *state);
	/*
	 * Optional (may be NULL): up to len raw noise samples, before any
	 * conditioning, one 8-bit sample per byte, for offline assessment
	 * (entropyd --raw); called after open, with read's results.  Every
	 * sample comes out: the health tests filter nothing here.  NULL: the
	 * source has no raw stage entropyd can see (its device or CPU
	 * conditions the bytes before they arrive).
	 */
	ssize_t (*read_raw)(void *state, uint8_t *buf, size_t len, int cancel_fd,
			    char *why, size_t whylen);
	/*
	 * Optional (may be NULL): what the last probe or open measured on
	 * this machine, one line for -l and the log; "" when nothing yet.
	 */
	void (*measured)(const void *state, char *buf, size_t len);
};

/* The registry: every source entropyd knows, in preference order. */
extern const struct source_ops *const source_registry[];
extern const size_t source_registry_count;

/* The registered source called name, or NULL. */
const struct source_ops *source_find(const char *name);

/*
 * Check an ops table when it is registered: every mandatory op present,
 * a name of [a-z0-9_] only, a credit in 1..CREDIT_MAX.  0 if sound, else -1
 * with the defect in err.
 */
int source_ops_validate(const struct source_ops *ops, char *err, size_t errlen);

/*
 * For a source's path option 'what' (e.g. "pipe:path"): copy value into
 * dst of size bytes, or refuse an empty or too long path with -1 and a
 * message naming the option and the value in err.
 */
int source_set_path(char *dst, size_t size, const char *what, const char *value,
		    char *err, size_t errlen);

/*
 * For option 'what' (e.g. "pipe:trust") whose value is one of two words:
 * *out is 0 for first, 1 for second; -1 on anything else with a message
 * naming the option, the value and the accepted words in err.
 */
int source_parse_choice(const char *what, const char *value, const char *first, const char *second,
			bool *out, char *err, size_t errlen);

/*
 * Refuse the kernel's own random device (char 1:8 /dev/random or 1:9
 * /dev/urandom, whatever its name or link): its output is the kernel's
 * recycled CRNG output, never fresh entropy.  sb is the stat of what path
 * names (or of the descriptor opened from it).  0 when it is something
 * else, -1 with a reason naming path and the device in why.
 */
int source_refuse_kernel_output(const struct stat *sb, const char *path, char *why, size_t whylen);

#endif
