/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "credit.h"
#include "implied.h"
#include "log.h"
#include "notify.h"
#include "once.h"
#include "parse.h"
#include "wipe.h"

/* READY=1 after the first injection, or this long after start at the latest. */
#define READY_DEADLINE_MS 1000
/* Workers get this long to finish after cancel_fd fires. */
#define STOP_TIMEOUT_MS 800
/* Largest write to an output file or FIFO in one go. */
#define OUTPUT_CHUNK FIPS_BLOCK_BYTES
/* STATUS= to the service manager at most this often. */
#define STATUS_INTERVAL_MS 5000
/* -t and output modes: take queued blocks at least this often (slow sources
 * fill a batch slowly; fast ones wake the loop when half their queue is full) */
#define BATCH_WAIT_MS 100

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int daemon_apply_setting(struct daemon *d, const struct source_setting *s)
{
	struct source_instance *inst = NULL;
	char err[SOURCE_MSG_MAX + 64];
	char what[96];
	size_t i;

	for (i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].ops->name, s->source) == 0)
			inst = &d->sources[i];
	if (!inst)	/* the parser only lets known names through */
		return -1;
	if (strcmp(s->key, "credit") == 0) {
		unsigned long credit;

		snprintf(what, sizeof(what), "-O %s:credit (bits per byte)", s->source);
		if (parse_fixed(s->value, CREDIT_ONE_BIT, 1, (unsigned long)CREDIT_MAX, what, &credit,
				err, sizeof(err)) < 0) {
			fprintf(stderr, "entropyd: %s\n", err);
			return -1;
		}
		inst->credit_limit = (unsigned int)credit;
		return 0;
	}
	if (inst->ops->set_option(inst->state, s->key, s->value, err, sizeof(err)) < 0) {
		fprintf(stderr, "entropyd: -O %s:%s:%s: %s\n", s->source, s->key, s->value, err);
		return -1;
	}
	return 0;
}

int daemon_setup(struct daemon *d, const struct config *cfg)
{
	struct pipeline_settings settings;
	struct source_setting implied[IMPLIED_MAX];
	char err[SOURCE_MSG_MAX];
	size_t i, j, n_implied;

	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	d->out_fd = -1;
	d->pool.random_fd = d->pool.avail_fd = d->pool.threshold_fd = -1;
	d->signal_fd = d->data_fd = d->cancel_fd = -1;
	control_init(&d->control);
	if (source_registry_count > DAEMON_MAX_SOURCES) {
		fprintf(stderr, "entropyd: %zu sources registered, at most %d supported\n",
			source_registry_count, DAEMON_MAX_SOURCES);
		return EXIT_FAILED;
	}

	/* Made before any worker exists; the workers only ever write/poll them. */
	d->data_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->data_fd < 0 || d->cancel_fd < 0) {
		fprintf(stderr, "entropyd: eventfd: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	settings = (struct pipeline_settings){
		.retry_delay_s = cfg->retry_delay_s,
		.ignore_failures = cfg->ignore_failures,
		.data_fd = d->data_fd,
		.cancel_fd = d->cancel_fd,
	};
	for (i = 0; i < source_registry_count; i++) {
		if (source_ops_validate(source_registry[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "entropyd: internal error: %s\n", err);
			return EXIT_FAILED;
		}
		if (pipeline_create(&d->sources[i], source_registry[i], &settings) < 0) {
			fprintf(stderr, "entropyd: out of memory creating source %s\n",
				source_registry[i]->name);
			return EXIT_FAILED;
		}
		d->n_sources++;
		d->enabled[i] = config_source_enabled(cfg, i);
	}

	n_implied = implied_settings(cfg, implied);
	for (j = 0; j < n_implied; j++)
		if (daemon_apply_setting(d, &implied[j]) < 0)
			return EXIT_USAGE;
	for (j = 0; j < cfg->n_settings; j++)
		if (daemon_apply_setting(d, &cfg->settings[j]) < 0)
			return EXIT_USAGE;
	/* The credit policy (credit.h): -O SOURCE:credit, else -e, lowers a
	 * source's own bound and never raises it. */
	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		unsigned int bound = credit_bound(inst->ops, inst->state);

		if (inst->credit_limit > bound && bound > 0) {
			credit_format(bound, err, sizeof(err));
			log_warnx("-O %s:credit is above what %s can justify (%s): a credit can be lowered, "
				  "never raised", inst->ops->name, inst->ops->name, err);
		}
		inst->credit_limit = credit_limit(cfg->default_credit, inst->credit_limit);
		pipeline_update_credit(inst);
	}
	return 0;
}

int daemon_list(struct daemon *d)
{
	bool any_usable = false;
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		const struct source_option *opt;
		const char *state;
		char why[SOURCE_MSG_MAX] = "";
		char credit[160];
		char value[256];

		switch (inst->ops->probe(inst->state, why, sizeof(why))) {
		case SOURCE_USABLE:
			/* Open it too: a start-up self-test may still refuse it. */
			if (inst->ops->open(inst->state, why, sizeof(why)) < 0) {
				state = "failed";
			} else {
				pipeline_update_credit(inst);	/* a bound open() measured */
				inst->ops->close(inst->state);
				state = "usable";
				if (d->enabled[i])
					any_usable = true;
			}
			break;
		case SOURCE_IDLE:
			state = "idle";
			break;
		case SOURCE_UNAVAILABLE:
		default:
			state = "unavailable";
			break;
		}
		credit_describe(credit_bound(inst->ops, inst->state), inst->credit_limit, credit, sizeof(credit));
		printf("%s: %s, %s%s%s\n", inst->ops->name,
		       d->enabled[i] ? "enabled" : "disabled", state, why[0] ? ": " : "", why);
		printf("    %s\n    credit: %s\n", inst->ops->summary, credit);
		for (opt = inst->ops->options; opt->key; opt++) {
			inst->ops->get_option(inst->state, opt->key, value, sizeof(value));
			printf("    option %s = %s  (%s)\n", opt->key, value[0] ? value : "(unset)", opt->help);
		}
	}
	fflush(stdout);
	return any_usable ? 0 : EXIT_FAILED;
}

int daemon_open_sink(struct daemon *d)
{
	const struct config *cfg = d->cfg;
	char why[512];
	int is_random;

	if (cfg->test) {
		d->mode = MODE_TEST;
		return 0;
	}
	if (strcmp(cfg->random_device, "-") == 0) {
		d->mode = MODE_OUTPUT;
		d->out_fd = STDOUT_FILENO;
		return 0;
	}
	is_random = kernel_is_random_device(cfg->random_device);
	if (is_random < 0) {
		log_err("-o %s", cfg->random_device);
		return EXIT_FAILED;
	}
	if (!is_random) {
		d->mode = MODE_OUTPUT;
		/* 0600: what lands here is random key material for someone. */
		d->out_fd = open(cfg->random_device, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
		if (d->out_fd < 0) {
			log_err("cannot open output %s", cfg->random_device);
			return EXIT_FAILED;
		}
		return 0;
	}
	d->mode = MODE_KERNEL;
	if (kernel_open(&d->pool, cfg->random_device, KERNEL_PROC_DIR, why, sizeof(why)) < 0) {
		log_errx("%s", why);
		return EXIT_FAILED;
	}
	d->feeder_cfg.step_bytes = cfg->step_bytes;
	d->feeder_cfg.reseed_interval_ms = (uint64_t)cfg->reseed_interval_s * 1000u;
	d->feeder_cfg.fill_watermark_bits = cfg->fill_watermark >= 0 ?
		(unsigned int)cfg->fill_watermark : d->pool.poolsize_bits * 3 / 4;
	if (d->feeder_cfg.fill_watermark_bits > d->pool.poolsize_bits)
		d->feeder_cfg.fill_watermark_bits = d->pool.poolsize_bits;
	log_info("kernel pool: %s era, %u bits; %s", d->pool.era == KERNEL_ERA_LEGACY ? "legacy" : "modern",
		 d->pool.poolsize_bits,
		 d->pool.era == KERNEL_ERA_LEGACY ? "keeping entropy_avail at the watermark" :
						    "seeding until the CRNG is ready, then reseeding on a timer");
	/*
	 * After -D the kernel refuses to write the sysctl back (it checks the
	 * writer's uid on every write, whatever descriptor we kept), so with
	 * -D the threshold is left alone and the pool re-checked on the -R
	 * timer: never leave a sysctl changed.
	 */
	if (d->pool.era == KERNEL_ERA_LEGACY && !cfg->once && cfg->drop_privileges)
		log_notice("-D: write_wakeup_threshold left as it is (it could not be restored after "
			   "the drop); re-checking the pool every %u s", cfg->reseed_interval_s);
	else if (d->pool.era == KERNEL_ERA_LEGACY && !cfg->once &&
		 kernel_set_wakeup_threshold(&d->pool, d->feeder_cfg.fill_watermark_bits) < 0)
		log_warn("cannot set write_wakeup_threshold to %u; re-checking every %u s instead",
			 d->feeder_cfg.fill_watermark_bits, cfg->reseed_interval_s);
	return 0;
}

int daemon_open_control(struct daemon *d)
{
	const char *path = d->cfg->control_socket;
	char why[256];

	if (!path)	/* -t must not take a running daemon's socket over */
		path = d->cfg->test ? "" : CONTROL_DEFAULT_SOCKET;
	if (!path[0])
		return 0;
	if (control_open(&d->control, path, why, sizeof(why)) < 0) {
		log_errx("%s (-c \"\" runs without one)", why);
		return EXIT_FAILED;
	}
	/*
	 * After -D the socket must still be removable at exit, and the
	 * service's group may connect: hand it (and its directory, when we
	 * made it) to the target user.
	 */
	if (d->cfg->drop_privileges &&
	    (chown(path, d->cfg->drop_to.uid, d->cfg->drop_to.gid) < 0 ||
	     (d->control.dir[0] &&
	      chown(d->control.dir, d->cfg->drop_to.uid, d->cfg->drop_to.gid) < 0)))
		log_warn("cannot hand %s to %s", path, d->cfg->drop_to.user);
	return 0;
}

static const char *daemon_source_state(struct daemon *d, size_t i, const struct source_stats *st)
{
	static const char *const phases[] = { "stopped", "running", "suspended" };

	if (!d->enabled[i])
		return "disabled";
	if (!d->running[i])
		return "unused";
	return phases[st->phase];
}

void daemon_snapshot(struct daemon *d, struct stats_snapshot *snap)
{
	static const char *const modes[] = { "kernel", "output", "test" };
	size_t i;

	memset(snap, 0, sizeof(*snap));
	snap->mode = modes[d->mode];
	snap->pid = (long)getpid();
	snap->uptime_s = (monotonic_ms() - d->start_ms) / 1000;
	snap->have_pool = d->mode == MODE_KERNEL && kernel_read_state(&d->pool, &snap->pool) == 0;
	snap->bytes_out = d->bytes_out;
	snap->bits_out = d->bits_out;
	for (i = 0; i < d->n_sources && i < STATS_MAX_SOURCES; i++) {
		struct stats_source *src = &snap->sources[snap->n_sources++];

		pipeline_stats(&d->sources[i], &src->counters);
		src->name = d->sources[i].ops->name;
		src->state = daemon_source_state(d, i, &src->counters);
	}
}

/* The control socket's answer: the status document on one line. */
static char *daemon_status_json(void *ctx)
{
	struct stats_snapshot snap;
	json_t *doc;
	char *text, *line = NULL;

	daemon_snapshot(ctx, &snap);
	doc = stats_to_json(&snap);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

int daemon_open_sources(struct daemon *d)
{
	size_t i, opened = 0, tried = 0;

	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];

		if (!d->enabled[i])
			continue;
		tried++;
		if (pipeline_open(inst) == 0) {
			opened++;
			log_info("source %s: open, credit %g bits per byte", inst->ops->name,
				 (double)inst->credit / CREDIT_ONE_BIT);
		}
	}
	if (opened > 0) {
		for (i = 0; i < d->n_sources; i++)
			if (d->enabled[i] && !d->sources[i].opened)
				log_warnx("source %s not used now: %s", d->sources[i].ops->name,
					  d->sources[i].why);
		return 0;
	}
	if (!tried)
		log_errx("no source enabled (all excluded with -x?)");
	else
		log_errx("no source could be opened:");
	for (i = 0; i < d->n_sources; i++)
		if (d->enabled[i])
			log_errx("  %s: %s", d->sources[i].ops->name, d->sources[i].why);
	return EXIT_FAILED;
}

/*
 * Which enabled sources get a worker: the open ones, and the ones that
 * failed to open but may recover (asked for explicitly, or present but
 * failing).  An idle source, or a default source absent from this machine,
 * gets none: re-probing it for ever would only fill the log.
 */
static bool daemon_wants_worker(struct daemon *d, size_t i, enum source_status status)
{
	if (!d->enabled[i])
		return false;
	if (d->sources[i].opened)
		return true;
	if (status == SOURCE_IDLE)
		return false;
	return status == SOURCE_USABLE || d->cfg->choice[i] == CHOICE_INCLUDE;
}

static int daemon_start_workers(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		enum source_status status = SOURCE_USABLE;
		char why[SOURCE_MSG_MAX];

		if (d->enabled[i] && !inst->opened)
			status = inst->ops->probe(inst->state, why, sizeof(why));
		if (!daemon_wants_worker(d, i, status)) {
			if (d->enabled[i] && !inst->opened)
				log_info("source %s: not used: %s", inst->ops->name, inst->why);
			continue;
		}
		/* The kernel sink wants a block at once (seeding); -t and output
		 * modes take them in batches, with a timer for slow sources. */
		inst->settings.wake_blocks = d->mode == MODE_KERNEL ? 1 : PIPELINE_QUEUE_BLOCKS / 2;
		if (pipeline_start(inst) < 0) {
			log_err("cannot start the worker of source %s", inst->ops->name);
			return EXIT_FAILED;
		}
		d->running[i] = true;
	}
	return 0;
}

static void daemon_stop_workers(struct daemon *d)
{
	uint64_t one = 1;
	size_t i;

	if (write(d->cancel_fd, &one, sizeof(one)) < 0)
		log_warn("cannot signal the workers to stop");
	for (i = 0; i < d->n_sources; i++) {
		if (!d->running[i])
			continue;
		if (pipeline_stop(&d->sources[i], STOP_TIMEOUT_MS) < 0) {
			/* A read stuck in a driver: exit will end the thread. */
			log_warnx("source %s did not stop within %u ms", d->sources[i].ops->name,
				  STOP_TIMEOUT_MS);
			continue;
		}
		d->running[i] = false;
	}
}

/* Take up to max bytes from the next source with data, round-robin. */
static size_t daemon_take(struct daemon *d, uint8_t *buf, size_t max, size_t *from)
{
	size_t tries, n;

	for (tries = 0; tries < d->n_sources; tries++) {
		size_t i = d->next_source;

		d->next_source = (d->next_source + 1) % d->n_sources;
		if (!d->running[i])
			continue;
		n = pipeline_take(&d->sources[i], buf, max);
		if (n) {
			*from = i;
			return n;
		}
	}
	return 0;
}

static size_t daemon_queued(struct daemon *d)
{
	size_t i, total = 0;

	for (i = 0; i < d->n_sources; i++)
		if (d->running[i])
			total += pipeline_queued(&d->sources[i]);
	return total;
}

static void daemon_ready(struct daemon *d, const char *why)
{
	if (d->ready_sent)
		return;
	d->ready_sent = true;
	log_debug("ready: %s", why);
	notify_ready();
}

static void daemon_log_summary(struct daemon *d)
{
	struct stats_snapshot snap;
	char line[1024];
	size_t i;

	daemon_snapshot(d, &snap);
	stats_summary(&snap, line, sizeof(line));
	log_notice("summary: %s; up %llu s", line, snap.uptime_s);
	for (i = 0; i < snap.n_sources; i++) {
		const struct stats_source *src = &snap.sources[i];

		if (!d->enabled[i])
			continue;
		log_notice("  %s: %s, read %llu bytes, blocks passed %llu failed %llu, suspended %llu times%s%s",
			   src->name, src->state, src->counters.bytes_read, src->counters.blocks_passed,
			   src->counters.blocks_failed, src->counters.suspensions,
			   src->counters.last_error[0] ? "; last error: " : "", src->counters.last_error);
	}
}

/* Keep the service manager informed: STATUS= now and then, WATCHDOG=1 on time. */
static void daemon_notify_periodic(struct daemon *d, uint64_t now)
{
	if (d->watchdog_ms && now >= d->last_watchdog_ms + d->watchdog_ms) {
		notify_watchdog();
		d->last_watchdog_ms = now;
	}
	if (d->notify_status && now >= d->last_status_ms + STATUS_INTERVAL_MS) {
		struct stats_snapshot snap;
		char line[256];

		daemon_snapshot(d, &snap);
		stats_summary(&snap, line, sizeof(line));
		notify_status("%s", line);
		d->last_status_ms = now;
	}
}

/* Drain the eventfd so poll() sleeps again until the next block. */
static void daemon_drain_eventfd(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) > 0)
		;
}

/* Returns 1 to stop, 0 to go on. */
static int daemon_handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;
	size_t i;

	while (read(d->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: stopping", (int)si.ssi_signo);
			return 1;
		case SIGHUP:
			log_notice("SIGHUP: reopening sources");
			daemon_stop_workers(d);
			daemon_drain_eventfd(d->cancel_fd);
			for (i = 0; i < d->n_sources; i++) {
				if (!d->enabled[i] || d->running[i])
					continue;
				if (pipeline_open(&d->sources[i]) < 0)
					log_warnx("source %s: %s", d->sources[i].ops->name, d->sources[i].why);
			}
			if (daemon_start_workers(d) != 0)
				return 1;
			break;
		case SIGUSR1:
			daemon_log_summary(d);
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Feed one step to the kernel, crediting it if it counts credit now.  0 ok, -1 fatal. */
static int daemon_feed_kernel(struct daemon *d, size_t want, bool reseed, bool counted, uint64_t now)
{
	uint8_t buf[4096];
	size_t from = 0;
	size_t n = daemon_take(d, buf, want < sizeof(buf) ? want : sizeof(buf), &from);
	unsigned int bits;
	bool reseeded;
	int r;

	if (!n)
		return 0;
	bits = counted ? pipeline_credit_bits(&d->sources[from], n) : 0;
	r = kernel_add_entropy(&d->pool, buf, n, bits);
	wipe(buf, n);
	if (r < 0) {
		log_err("RNDADDENTROPY on %s (needs CAP_SYS_ADMIN)", d->cfg->random_device);
		return -1;
	}
	pipeline_account(&d->sources[from], n, bits);
	d->bytes_out += n;
	d->bits_out += bits;
	reseeded = false;
	if (reseed) {
		r = kernel_reseed(&d->pool);
		if (r < 0)
			log_warn("RNDRESEEDCRNG");
		reseeded = r == 0;
	}
	if (counted)
		log_debug("fed %zu bytes from %s, credited %u bits%s", n, d->sources[from].ops->name, bits,
			  reseeded ? ", reseeded the CRNG" : "");
	else
		log_debug("mixed %zu bytes from %s in (no credit: the CRNG is ready)%s", n,
			  d->sources[from].ops->name, reseeded ? ", reseeded the CRNG" : "");
	feeder_fed(&d->feeder, &d->feeder_cfg, (unsigned int)n, reseed, now);
	daemon_ready(d, "first injection");
	return 0;
}

/* Write everything queued to the output.  0 ok, 1 reader gone, -1 error. */
static int daemon_write_output(struct daemon *d, size_t limit)
{
	uint8_t buf[OUTPUT_CHUNK];
	size_t from = 0, n, done;
	ssize_t w;

	while (limit > 0 && (n = daemon_take(d, buf, limit < sizeof(buf) ? limit : sizeof(buf), &from)) > 0) {
		for (done = 0; done < n; done += (size_t)w) {
			w = write(d->out_fd, buf + done, n - done);
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				int saved = errno;

				wipe(buf, sizeof(buf));
				errno = saved;
				if (errno == EPIPE)
					return 1;
				log_err("writing to %s", d->cfg->random_device);
				return -1;
			}
		}
		limit -= n;
		pipeline_account(&d->sources[from], n, 0);
		d->bytes_out += n;
		daemon_ready(d, "first write");
	}
	wipe(buf, sizeof(buf));
	return 0;
}

struct test_snapshot {
	unsigned long long passed_bytes;
	unsigned long long failed_blocks;
};

static void daemon_test_report(struct daemon *d, struct test_snapshot *last, bool final)
{
	uint64_t elapsed_ms = monotonic_ms() - d->start_ms;
	unsigned long long total_passed = 0;
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		struct source_stats st;
		unsigned long long passed, failed, bits;

		if (!d->running[i])
			continue;
		pipeline_stats(&d->sources[i], &st);
		passed = st.blocks_passed * FIPS_BLOCK_BYTES;
		failed = st.blocks_failed * FIPS_BLOCK_BYTES;
		bits = passed * st.credit / CREDIT_ONE_BIT;
		total_passed += passed;
		if (!final)
			printf("[%6.1fs] %-8s passed %llu bytes (%llu bits of entropy), failed %llu bytes (%llu blocks), %llu bytes/s\n",
			       (double)elapsed_ms / 1000, d->sources[i].ops->name, passed, bits,
			       failed, st.blocks_failed, passed - last[i].passed_bytes);
		last[i].passed_bytes = passed;
		last[i].failed_blocks = st.blocks_failed;
	}
	if (final)
		printf("total: %llu bytes passed in %.1f s: %.1f KiB/s\n", total_passed,
		       (double)elapsed_ms / 1000,
		       elapsed_ms ? (double)total_passed / 1024 / ((double)elapsed_ms / 1000) : 0.0);
	fflush(stdout);
}

static int daemon_block_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	/* Blocked before the workers start, so only the loop sees them. */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	d->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->signal_fd < 0 ? -1 : 0;
}

static int daemon_poll(struct daemon *d, bool want_data, bool want_pollout, uint64_t wake_at_ms)
{
	struct pollfd fds[3 + 1 + CONTROL_MAX_CLIENTS];
	nfds_t n = 0, ctl_first;
	uint64_t now = monotonic_ms();
	uint64_t ctl_deadline = control_next_deadline(&d->control);
	int timeout = -1;
	int ready;

	fds[n++] = (struct pollfd){ .fd = d->signal_fd, .events = POLLIN };
	if (want_data)
		fds[n++] = (struct pollfd){ .fd = d->data_fd, .events = POLLIN };
	if (want_pollout)
		fds[n++] = (struct pollfd){ .fd = d->pool.random_fd, .events = POLLOUT };
	ctl_first = n;
	n += control_pollfds(&d->control, fds + n);

	if (!d->ready_sent && d->start_ms + READY_DEADLINE_MS < wake_at_ms)
		wake_at_ms = d->start_ms + READY_DEADLINE_MS;
	if (d->cfg->once && d->once_deadline_ms < wake_at_ms)
		wake_at_ms = d->once_deadline_ms;
	if (d->watchdog_ms && d->last_watchdog_ms + d->watchdog_ms < wake_at_ms)
		wake_at_ms = d->last_watchdog_ms + d->watchdog_ms;
	if (ctl_deadline < wake_at_ms)
		wake_at_ms = ctl_deadline;
	if (wake_at_ms != UINT64_MAX)
		timeout = wake_at_ms > now ? (int)(wake_at_ms - now) : 0;
	/* Clear the data counter first: a block queued after this wakes us. */
	if (want_data)
		daemon_drain_eventfd(d->data_fd);
	if (want_data && daemon_queued(d) > 0)
		return 0;
	ready = poll(fds, n, timeout);
	if (ready < 0 && errno != EINTR) {
		log_err("poll");
		return -1;
	}
	if (ready > 0 || ctl_deadline != UINT64_MAX)
		control_serve(&d->control, fds + ctl_first, n - ctl_first, monotonic_ms(),
			      daemon_status_json, d);
	return 0;
}

static int daemon_loop_kernel(struct daemon *d)
{
	struct pool_state pool;
	struct feeder_decision dec;
	uint64_t now;

	now = monotonic_ms();
	if (kernel_read_state(&d->pool, &pool) < 0) {
		log_err("reading the kernel pool's state");
		return -1;
	}
	if (d->cfg->once && feeder_once_done(&d->feeder, &d->feeder_cfg, &pool)) {
		log_info("--once: pool filled (%u of %u bits); %llu bytes injected, %llu bits credited",
			 pool.entropy_avail_bits, pool.poolsize_bits, d->bytes_out, d->bits_out);
		return 1;
	}
	dec = feeder_decide(&d->feeder, &d->feeder_cfg, &pool, now, daemon_queued(d));
	if (dec.action == FEEDER_FEED)
		return daemon_feed_kernel(d, dec.feed_bytes, dec.reseed, credit_counted(&pool), now);
	return daemon_poll(d, dec.want_data, dec.want_pollout, dec.wake_at_ms);
}

static int daemon_loop_output(struct daemon *d)
{
	size_t limit = d->cfg->once ? d->cfg->step_bytes - (size_t)d->bytes_out : SIZE_MAX;
	int r = daemon_write_output(d, limit);

	if (r == 1) {
		log_info("the reader of %s went away: stopping", d->cfg->random_device);
		return 1;
	}
	if (r < 0)
		return -1;
	if (d->cfg->once && d->bytes_out >= d->cfg->step_bytes)
		return 1;
	return daemon_poll(d, true, false, monotonic_ms() + BATCH_WAIT_MS);
}

static int daemon_loop_test(struct daemon *d, struct test_snapshot *last, uint64_t *next_report)
{
	uint8_t buf[FIPS_BLOCK_BYTES];
	size_t from = 0;
	size_t n;
	uint64_t batch_due;

	/* Validation happened in the workers; here the blocks are only counted. */
	while ((n = daemon_take(d, buf, sizeof(buf), &from)) > 0) {
		pipeline_account(&d->sources[from], n, 0);
		d->bytes_out += n;
		daemon_ready(d, "first block");
	}
	wipe(buf, sizeof(buf));
	if (monotonic_ms() >= *next_report) {
		daemon_test_report(d, last, false);
		*next_report += 1000;
	}
	batch_due = monotonic_ms() + BATCH_WAIT_MS;
	return daemon_poll(d, true, false, *next_report < batch_due ? *next_report : batch_due);
}

/* --once: why it must give up now (once.h), or NULL. */
static const char *daemon_once_stuck(struct daemon *d)
{
	struct once_view v = { monotonic_ms(), d->once_deadline_ms, 0, 0, daemon_queued(d) };
	struct source_stats st;
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		if (!d->running[i])
			continue;
		v.workers++;
		pipeline_stats(&d->sources[i], &st);
		v.suspended += st.phase == PHASE_SUSPENDED;
	}
	return once_give_up(&v);
}

/* --once: 0 only when the loop ended with the fill done (r == 1), else 1 and why. */
static int daemon_once_result(struct daemon *d, int r)
{
	if (r == 1 && (d->mode != MODE_OUTPUT || d->bytes_out >= d->cfg->step_bytes))
		return 0;
	if (r == 0)
		log_errx("--once: stopped by a signal before the pool was filled");
	else if (r == 1)
		log_errx("--once: the reader of %s went away before %u bytes were written",
			 d->cfg->random_device, d->cfg->step_bytes);
	return EXIT_FAILED;
}

int daemon_run(struct daemon *d)
{
	const char *stuck;
	struct test_snapshot last[DAEMON_MAX_SOURCES];
	uint64_t next_report;
	int r = 0;

	memset(last, 0, sizeof(last));
	if (daemon_block_signals(d) < 0) {
		log_err("cannot set up signal handling");
		return EXIT_FAILED;
	}
	d->start_ms = monotonic_ms();
	d->last_watchdog_ms = d->last_status_ms = d->start_ms;
	d->once_deadline_ms = d->start_ms + (uint64_t)d->cfg->once_timeout_s * 1000u;
	/* Half the interval, as sd_watchdog_enabled(3) advises. */
	d->watchdog_ms = notify_watchdog_usec() / 2000;
	d->notify_status = getenv("NOTIFY_SOCKET") != NULL;
	next_report = d->start_ms + 1000;
	feeder_init(&d->feeder, d->start_ms);
	if (daemon_start_workers(d) != 0)
		return EXIT_FAILED;

	while (r == 0) {
		if (daemon_handle_signals(d))
			break;
		if (!d->ready_sent && monotonic_ms() >= d->start_ms + READY_DEADLINE_MS)
			daemon_ready(d, "one second after start");
		daemon_notify_periodic(d, monotonic_ms());
		if (d->cfg->once && (stuck = daemon_once_stuck(d)) != NULL) {
			log_errx("--once: %s; %llu bytes injected, %llu bits credited", stuck,
				 d->bytes_out, d->bits_out);
			r = -1;
			break;
		}
		switch (d->mode) {
		case MODE_KERNEL:
			r = daemon_loop_kernel(d);
			break;
		case MODE_OUTPUT:
			r = daemon_loop_output(d);
			break;
		case MODE_TEST:
		default:
			r = daemon_loop_test(d, last, &next_report);
			break;
		}
	}
	notify_stopping();
	if (d->mode == MODE_TEST)
		daemon_test_report(d, last, true);
	if (d->cfg->once && r >= 0)
		return daemon_once_result(d, r);
	return r < 0 ? EXIT_FAILED : 0;
}

void daemon_teardown(struct daemon *d)
{
	size_t i;
	bool all_stopped = true;

	daemon_stop_workers(d);
	for (i = 0; i < d->n_sources; i++)
		if (d->running[i])
			all_stopped = false;
	if (d->mode == MODE_KERNEL)
		kernel_close(&d->pool);
	if (d->out_fd > STDERR_FILENO)
		close(d->out_fd);
	d->out_fd = -1;
	/* A worker stuck in a read still uses its instance: leave those to exit(). */
	for (i = 0; all_stopped && i < d->n_sources; i++)
		pipeline_destroy(&d->sources[i]);
	control_close(&d->control);
	if (d->signal_fd >= 0)
		close(d->signal_fd);
	if (all_stopped) {
		if (d->data_fd >= 0)
			close(d->data_fd);
		if (d->cancel_fd >= 0)
			close(d->cancel_fd);
	}
}
