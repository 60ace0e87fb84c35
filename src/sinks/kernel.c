/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel sink: credit validated bytes to the Linux pool with
 * RNDADDENTROPY, when and as much as the feeder policy says.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "credit.h"
#include "feeder.h"
#include "kernel.h"
#include "log.h"
#include "runpath.h"
#include "sinks/sinks.h"
#include "wipe.h"

/* Largest single RNDADDENTROPY (the -s maximum). */
#define KERNEL_STEP_MAX 4096

struct kernel_sink {
	const struct config *cfg;
	struct kernel_pool pool;
	struct feeder_config feeder_cfg;
	struct feeder_state feeder;
	bool feeder_started;
	bool want_pollout;		/* the last decision waits for POLLOUT */
	uint8_t buf[KERNEL_STEP_MAX];
};

/*
 * The PID file's directory, checked by the trust rules (src/runpath.h),
 * where the kernel module keeps its write_wakeup_threshold record: a
 * descriptor, or -1 (then nothing is recorded; said once).
 */
static int kernel_sink_state_dir(const char *pidfile)
{
	struct runpath_dir dir;
	const char *base;
	char why[512];
	int fd;

	runpath_dir_init(&dir);
	if (runpath_dir_open(&dir, pidfile, NULL, &base, why, sizeof(why)) < 0) {
		log_warnx("%s: write_wakeup_threshold's original is not recorded", why);
		runpath_dir_close(&dir);
		return -1;
	}
	fd = fcntl(dir.fd, F_DUPFD_CLOEXEC, 0);
	runpath_dir_close(&dir);
	return fd;
}

static int kernel_sink_open(void **state, const struct config *cfg)
{
	struct kernel_sink *k = calloc(1, sizeof(*k));
	char why[512];

	if (!k) {
		log_errx("out of memory");
		return EXIT_FAILED;
	}
	k->cfg = cfg;
	k->pool.random_fd = k->pool.avail_fd = k->pool.threshold_fd = -1;
	if (kernel_open(&k->pool, cfg->random_device, KERNEL_PROC_DIR, why, sizeof(why)) < 0) {
		log_errx("%s", why);
		free(k);
		return EXIT_FAILED;
	}
	k->feeder_cfg.step_bytes = cfg->step_bytes;
	k->feeder_cfg.reseed_interval_ms = (uint64_t)cfg->reseed_interval_s * 1000u;
	k->feeder_cfg.fill_watermark_bits = cfg->fill_watermark >= 0 ?
		(unsigned int)cfg->fill_watermark : k->pool.poolsize_bits * 3 / 4;
	if (k->feeder_cfg.fill_watermark_bits > k->pool.poolsize_bits)
		k->feeder_cfg.fill_watermark_bits = k->pool.poolsize_bits;
	log_info("kernel pool: %s era, %u bits; %s", k->pool.era == KERNEL_ERA_LEGACY ? "legacy" : "modern",
		 k->pool.poolsize_bits,
		 k->pool.era == KERNEL_ERA_LEGACY ? "keeping entropy_avail at the watermark" :
						    "seeding until the CRNG is ready, then reseeding on a timer");
	/* Still root here: put back what a crashed entropyd left (kernel.h). */
	if (k->pool.era == KERNEL_ERA_LEGACY && cfg->pidfile[0])
		kernel_keep_state_in(&k->pool, kernel_sink_state_dir(cfg->pidfile));
	*state = k;
	return 0;
}

/* Feed one step to the kernel, crediting it only if the kernel counts credit now. */
static int kernel_sink_feed(struct kernel_sink *k, struct sink_io *io, size_t want, bool reseed,
			    bool counted, uint64_t now)
{
	struct source_instance *from = NULL;
	size_t n = sink_io_take(io, k->buf, want < sizeof(k->buf) ? want : sizeof(k->buf), &from);
	unsigned int bits;
	bool reseeded;
	int r;

	if (!n)
		return SINK_CONTINUE;
	bits = counted ? pipeline_credit_bits(from, n) : 0;
	r = kernel_add_entropy(&k->pool, k->buf, n, bits);
	wipe(k->buf, n);
	if (r < 0) {
		log_err("RNDADDENTROPY on %s (needs CAP_SYS_ADMIN)", k->cfg->random_device);
		return SINK_FATAL;
	}
	sink_io_account(io, from, n, bits);
	reseeded = false;
	if (reseed) {
		r = kernel_reseed(&k->pool);
		if (r < 0)
			log_warn("RNDRESEEDCRNG");
		reseeded = r == 0;
	}
	if (counted)
		log_debug("fed %zu bytes from %s, credited %u bits%s", n, from->ops->name, bits,
			  reseeded ? ", reseeded the CRNG" : "");
	else
		log_debug("mixed %zu bytes from %s in (no credit: the CRNG is ready)%s", n,
			  from->ops->name, reseeded ? ", reseeded the CRNG" : "");
	feeder_fed(&k->feeder, &k->feeder_cfg, reseed, now);
	sink_io_ready(io, "first injection");
	return SINK_CONTINUE;
}

/* Bits a whole step credits from the least credited source with a worker. */
static unsigned int kernel_sink_step_credit(const struct kernel_sink *k, struct sink_io *io)
{
	unsigned int least = CREDIT_MAX;
	size_t i;

	for (i = 0; i < sink_io_source_count(io); i++) {
		struct source_instance *src = sink_io_source(io, i);
		unsigned int credit = src ? pipeline_credit(src) : CREDIT_MAX;

		if (credit < least)
			least = credit;
	}
	return (unsigned int)((unsigned long long)k->cfg->step_bytes * least / CREDIT_ONE_BIT);
}

/*
 * Legacy pool, once the sources run: cap the watermark where the kernel's
 * credit is sure to get to with their steps (feeder.h), and set
 * write_wakeup_threshold to it.  After -D the kernel refuses to write the
 * sysctl back (it checks the writer's uid on every write, whatever
 * descriptor we kept), so with -D the threshold is left alone and the pool
 * re-checked on the -R timer: never leave a sysctl changed.  With -o
 * /dev/urandom (no POLLOUT there) it is left alone too.
 */
static void kernel_sink_legacy_start(struct kernel_sink *k, struct sink_io *io)
{
	const struct config *cfg = k->cfg;
	unsigned int wm;

	k->feeder_cfg.step_credit_bits = kernel_sink_step_credit(k, io);
	wm = feeder_legacy_watermark(&k->feeder_cfg, k->pool.poolsize_bits);
	if (wm < k->feeder_cfg.fill_watermark_bits)
		log_notice("watermark %u capped at %u: the most this kernel's credit is sure to "
			   "reach with %u-bit steps (-s %u)", k->feeder_cfg.fill_watermark_bits, wm,
			   k->feeder_cfg.step_credit_bits, cfg->step_bytes);
	k->feeder_cfg.fill_watermark_bits = wm;
	if (cfg->once)
		return;
	if (!k->pool.pollout)
		log_notice("%s cannot wake entropyd when the pool runs low (no POLLOUT): re-checking "
			   "every %u s; use /dev/random", cfg->random_device, cfg->reseed_interval_s);
	else if (cfg->drop_privileges)
		log_notice("-D: write_wakeup_threshold left as it is (it could not be restored after "
			   "the drop); re-checking the pool every %u s", cfg->reseed_interval_s);
	else if (kernel_set_wakeup_threshold(&k->pool, wm) < 0)
		log_warn("cannot set write_wakeup_threshold to %u; re-checking every %u s instead",
			 wm, cfg->reseed_interval_s);
}

static int kernel_sink_step(void *state, struct sink_io *io, uint64_t now, struct sink_wait *wait)
{
	struct kernel_sink *k = state;
	struct pool_state pool;
	struct feeder_decision dec;

	if (!k->feeder_started) {
		feeder_init(&k->feeder, now);
		k->feeder_started = true;
		if (k->pool.era == KERNEL_ERA_LEGACY)
			kernel_sink_legacy_start(k, io);
	}
	k->want_pollout = false;
	if (kernel_read_state(&k->pool, &pool) < 0) {
		log_err("reading the kernel pool's state");
		return SINK_FATAL;
	}
	if (k->cfg->once && feeder_once_done(&k->feeder, &k->feeder_cfg, &pool)) {
		log_info("--once: pool filled (%u of %u bits)", pool.entropy_avail_bits,
			 pool.poolsize_bits);
		return SINK_DONE;
	}
	dec = feeder_decide(&k->feeder, &k->feeder_cfg, &pool, now, sink_io_queued(io));
	if (dec.action == FEEDER_FEED) {
		/* Ask again at once: the next decision sees the new state. */
		wait->wake_at_ms = now;
		return kernel_sink_feed(k, io, dec.feed_bytes, dec.reseed, credit_counted(&pool), now);
	}
	wait->want_data = dec.want_data;
	wait->wake_at_ms = dec.wake_at_ms;
	k->want_pollout = dec.want_pollout;
	return SINK_CONTINUE;
}

static size_t kernel_sink_pollfds(void *state, struct pollfd *fds, size_t max)
{
	struct kernel_sink *k = state;

	if (!k->want_pollout || max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = k->pool.random_fd, .events = POLLOUT };
	return 1;
}

static void kernel_sink_snapshot(void *state, struct stats_snapshot *snap)
{
	struct kernel_sink *k = state;

	snap->have_pool = kernel_read_state(&k->pool, &snap->pool) == 0;
}

static void kernel_sink_close(void *state, struct sink_io *io, uint64_t now)
{
	struct kernel_sink *k = state;

	(void)io, (void)now;
	kernel_close(&k->pool);
	wipe(k->buf, sizeof(k->buf));
	free(k);
}

const struct sink_ops sink_kernel = {
	.name = "kernel",
	.latency_sensitive = true,
	.open = kernel_sink_open,
	.step = kernel_sink_step,
	.pollfds = kernel_sink_pollfds,
	.events = NULL,	/* POLLOUT only ends the wait: the next step reads the pool */
	.snapshot = kernel_sink_snapshot,
	.close = kernel_sink_close,
};
