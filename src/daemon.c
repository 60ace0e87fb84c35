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
#include "kernel.h"
#include "notify.h"
#include "once.h"
#include "parse.h"
#include "sinks/sinks.h"

/* READY=1 after the first injection, or this long after start at the latest. */
#define READY_DEADLINE_MS 1000
/* Workers get this long to finish after cancel_fd fires. */
#define STOP_TIMEOUT_MS 500
/* STATUS= to the service manager at most this often. */
#define STATUS_INTERVAL_MS 5000

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
	d->signal_fd = d->data_fd = -1;
	control_init(&d->control);
	if (source_registry_count > DAEMON_MAX_SOURCES) {
		fprintf(stderr, "entropyd: %zu sources registered, at most %d supported\n",
			source_registry_count, DAEMON_MAX_SOURCES);
		return EXIT_FAILED;
	}

	/* Made before any worker exists; the workers only ever write/poll them. */
	d->data_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->data_fd < 0) {
		fprintf(stderr, "entropyd: eventfd: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	settings = (struct pipeline_settings){
		.retry_delay_s = cfg->retry_delay_s,
		.ignore_failures = cfg->ignore_failures,
		.data_fd = d->data_fd,
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
		if (inst->ops->measured) {
			inst->ops->measured(inst->state, value, sizeof(value));
			if (value[0])
				printf("    measured: %s\n", value);
		}
		for (opt = inst->ops->options; opt->key; opt++) {
			inst->ops->get_option(inst->state, opt->key, value, sizeof(value));
			printf("    option %s = %s  (%s)\n", opt->key, value[0] ? value : "(unset)", opt->help);
		}
	}
	fflush(stdout);
	return any_usable ? 0 : EXIT_FAILED;
}

/* Which local sink -t and -o ask for: the kernel unless -o names a file,
 * a FIFO or stdout.  NULL after logging a failure. */
static const struct sink_ops *daemon_local_sink(const struct config *cfg)
{
	int is_random;

	if (cfg->test)
		return &sink_test;
	if (strcmp(cfg->random_device, "-") == 0)
		return &sink_output;
	is_random = kernel_is_random_device(cfg->random_device);
	if (is_random < 0) {
		log_err("-o %s", cfg->random_device);
		return NULL;
	}
	return is_random ? &sink_kernel : &sink_output;
}

static int daemon_add_sink(struct daemon *d, const struct sink_ops *ops)
{
	struct daemon_sink *sink = &d->sinks[d->n_sinks];
	int code = ops->open(&sink->state, d->cfg);

	if (code)
		return code;
	sink->ops = ops;
	d->n_sinks++;
	return 0;
}

int daemon_open_sinks(struct daemon *d)
{
	const struct sink_ops *local = NULL;
	int code;

	if (!d->cfg->egd_only) {
		local = daemon_local_sink(d->cfg);
		if (!local)
			return EXIT_FAILED;
	}
	/* EGD first: it takes only what waiting clients asked for, where an
	 * output or -t would take everything there is. */
	if (d->cfg->n_egd_sockets) {
		code = daemon_add_sink(d, &sink_egd);
		if (code)
			return code;
	}
	d->mode = local ? local->name : sink_egd.name;
	return local ? daemon_add_sink(d, local) : 0;
}

int daemon_open_control(struct daemon *d)
{
	const char *path = d->cfg->control_socket;
	const struct runpath_owner owner = { d->cfg->drop_to.uid, d->cfg->drop_to.gid };
	char why[512];

	if (!path)	/* -t must not take a running daemon's socket over */
		path = d->cfg->test ? "" : CONTROL_DEFAULT_SOCKET;
	if (!path[0])
		return 0;
	/* With -D the socket stays removable after the drop, and its group may connect. */
	if (control_open(&d->control, path, d->cfg->drop_privileges ? &owner : NULL, why, sizeof(why)) < 0) {
		log_errx("%s (-c \"\" runs without one)", why);
		return EXIT_FAILED;
	}
	return 0;
}

static const char *daemon_source_state(struct daemon *d, size_t i, const struct source_stats *st)
{
	static const char *const phases[] = { "stopped", "running", "suspended" };

	if (!d->enabled[i])
		return "disabled";
	if (!d->running[i])
		return pipeline_idle(&d->sources[i]) ? "unused" : "stopping";
	return phases[st->phase];
}

void daemon_snapshot(struct daemon *d, struct stats_snapshot *snap)
{
	size_t i;

	memset(snap, 0, sizeof(*snap));
	snap->mode = d->mode;
	snap->pid = (long)getpid();
	snap->uptime_s = (monotonic_ms() - d->start_ms) / 1000;
	for (i = 0; i < d->n_sinks; i++)
		if (d->sinks[i].ops->snapshot)
			d->sinks[i].ops->snapshot(d->sinks[i].state, snap);
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

/*
 * When a worker wakes the loop: at once for a sink that waits for every
 * block (the kernel seeding, EGD clients); in batches of half a queue for
 * -t and output, which also take them on a timer for slow sources.
 */
static unsigned int daemon_wake_blocks(const struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_sinks; i++)
		if (d->sinks[i].ops->latency_sensitive)
			return 1;
	return PIPELINE_QUEUE_BLOCKS / 2;
}

static int daemon_start_workers(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_sources; i++) {
		struct source_instance *inst = &d->sources[i];
		enum source_status status = SOURCE_USABLE;
		char why[SOURCE_MSG_MAX];

		if (d->running[i])
			continue;
		/* A worker late to stop still owns the instance: no second one. */
		if (!pipeline_idle(inst)) {
			log_warnx("source %s: its worker has not stopped yet; out of service until it has "
				  "and SIGHUP", inst->ops->name);
			continue;
		}
		if (d->enabled[i] && !inst->opened)
			status = inst->ops->probe(inst->state, why, sizeof(why));
		if (!daemon_wants_worker(d, i, status)) {
			if (d->enabled[i] && !inst->opened)
				log_info("source %s: not used: %s", inst->ops->name, inst->why);
			continue;
		}
		inst->settings.wake_blocks = daemon_wake_blocks(d);
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
	size_t i;

	/* Late ones from an earlier stop are joined too, if they have finished. */
	pipeline_stop_all(d->sources, d->n_sources, STOP_TIMEOUT_MS);
	for (i = 0; i < d->n_sources; i++) {
		/* A read stuck in a driver: out of service; exit will end the thread. */
		if (d->running[i] && !pipeline_idle(&d->sources[i]))
			log_warnx("source %s did not stop within %u ms", d->sources[i].ops->name,
				  STOP_TIMEOUT_MS);
		d->running[i] = false;
	}
}

/* The daemon as the sinks see it (src/sink.h). */
struct sink_io {
	struct daemon d;
};

static struct daemon *daemon_of(struct sink_io *io)
{
	return (struct daemon *)io;
}

/* Take up to max bytes from the next source with data, round-robin. */
size_t sink_io_take(struct sink_io *io, uint8_t *buf, size_t max, struct source_instance **from)
{
	struct daemon *d = daemon_of(io);
	size_t tries, n;

	for (tries = 0; tries < d->n_sources; tries++) {
		size_t i = d->next_source;

		d->next_source = (d->next_source + 1) % d->n_sources;
		if (!d->running[i])
			continue;
		n = pipeline_take(&d->sources[i], buf, max);
		if (n) {
			*from = &d->sources[i];
			return n;
		}
	}
	return 0;
}

void sink_io_account(struct sink_io *io, struct source_instance *from, size_t bytes,
		     unsigned int bits)
{
	struct daemon *d = daemon_of(io);

	pipeline_account(from, bytes, bits);
	d->bytes_out += bytes;
	d->bits_out += bits;
}

size_t sink_io_queued(struct sink_io *io)
{
	struct daemon *d = daemon_of(io);
	size_t i, total = 0;

	for (i = 0; i < d->n_sources; i++)
		if (d->running[i])
			total += pipeline_queued(&d->sources[i]);
	return total;
}

unsigned long long sink_io_queued_bits(struct sink_io *io)
{
	struct daemon *d = daemon_of(io);
	unsigned long long bits = 0;
	size_t i;

	for (i = 0; i < d->n_sources; i++)
		if (d->running[i])
			bits += (unsigned long long)pipeline_queued(&d->sources[i]) *
				pipeline_credit(&d->sources[i]) / CREDIT_ONE_BIT;
	return bits;
}

size_t sink_io_source_count(struct sink_io *io)
{
	return daemon_of(io)->n_sources;
}

struct source_instance *sink_io_source(struct sink_io *io, size_t i)
{
	struct daemon *d = daemon_of(io);

	return i < d->n_sources && d->running[i] ? &d->sources[i] : NULL;
}

uint64_t sink_io_uptime_ms(struct sink_io *io, uint64_t now_ms)
{
	struct daemon *d = daemon_of(io);

	return now_ms > d->start_ms ? now_ms - d->start_ms : 0;
}

static void daemon_ready(struct daemon *d, const char *why)
{
	if (d->ready_sent)
		return;
	d->ready_sent = true;
	log_debug("ready: %s", why);
	notify_ready();
}

void sink_io_ready(struct sink_io *io, const char *why)
{
	daemon_ready(daemon_of(io), why);
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
	for (i = 0; snap.have_egd && i < snap.egd.n_clients; i++)
		log_notice("  egd client %lu: %llu bytes served, %u bytes waiting",
			   snap.egd.clients[i].id, snap.egd.clients[i].bytes_served,
			   snap.egd.clients[i].bytes_waiting);
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

/* Returns 1 to stop, 0 to go on, -1 when a restart failed. */
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
			for (i = 0; i < d->n_sources; i++) {
				if (!d->enabled[i] || !pipeline_idle(&d->sources[i]))
					continue;
				if (pipeline_open(&d->sources[i]) < 0)
					log_warnx("source %s: %s", d->sources[i].ops->name, d->sources[i].why);
			}
			if (daemon_start_workers(d) != 0)
				return -1;
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

/*
 * Sleep until something happens: a signal, a block (when a sink wants
 * data), a sink's descriptor or deadline, a control client, or one of the
 * loop's own deadlines (READY=1, the watchdog).  Then serve the control
 * socket and hand the sinks what poll saw.
 */
static int daemon_poll(struct daemon *d, const struct sink_wait *wait)
{
	struct pollfd *fds = d->fds;
	nfds_t n = 0, ctl_first;
	uint64_t now = monotonic_ms();
	uint64_t ctl_deadline = control_next_deadline(&d->control);
	uint64_t wake_at_ms = wait->wake_at_ms;
	int timeout = -1;
	int ready;
	size_t i;

	fds[n++] = (struct pollfd){ .fd = d->signal_fd, .events = POLLIN };
	if (wait->want_data)
		fds[n++] = (struct pollfd){ .fd = d->data_fd, .events = POLLIN };
	for (i = 0; i < d->n_sinks; i++) {
		struct daemon_sink *sink = &d->sinks[i];

		sink->first_fd = n;
		sink->n_fds = sink->ops->pollfds(sink->state, fds + n, SINK_MAX_POLLFDS);
		n += sink->n_fds;
	}
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
	if (wait->want_data) {
		daemon_drain_eventfd(d->data_fd);
		if (sink_io_queued((struct sink_io *)d) > 0)
			timeout = 0;
	}
	ready = poll(fds, n, timeout);
	if (ready < 0 && errno != EINTR) {
		log_err("poll");
		return -1;
	}
	now = monotonic_ms();
	for (i = 0; ready > 0 && i < d->n_sinks; i++)
		if (d->sinks[i].n_fds)
			d->sinks[i].ops->events(d->sinks[i].state, (struct sink_io *)d,
						fds + d->sinks[i].first_fd, d->sinks[i].n_fds, now);
	if (ready > 0 || ctl_deadline != UINT64_MAX)
		control_serve(&d->control, fds + ctl_first, n - ctl_first, now,
			      daemon_status_json, d);
	return 0;
}

/*
 * One turn of the loop: every sink steps (takes what it can pass on), then
 * the loop waits for what they wait for.  1 when a sink is done (--once,
 * the reader left), -1 on a fatal error, else 0.
 */
static int daemon_turn(struct daemon *d)
{
	struct sink_wait wait = { .want_data = false, .wake_at_ms = UINT64_MAX };
	size_t i;

	for (i = 0; i < d->n_sinks; i++) {
		struct sink_wait mine = { .want_data = false, .wake_at_ms = UINT64_MAX };
		int r = d->sinks[i].ops->step(d->sinks[i].state, (struct sink_io *)d, monotonic_ms(),
					      &mine);

		if (r != SINK_CONTINUE)
			return r;
		wait.want_data = wait.want_data || mine.want_data;
		if (mine.wake_at_ms < wait.wake_at_ms)
			wait.wake_at_ms = mine.wake_at_ms;
	}
	return daemon_poll(d, &wait);
}

/* --once: why it must give up now (once.h), or NULL. */
static const char *daemon_once_stuck(struct daemon *d)
{
	struct once_view v = { monotonic_ms(), d->once_deadline_ms, 0, 0,
			       sink_io_queued((struct sink_io *)d) };
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

/* --once: 0 only when a sink ended with the fill done, else 1 and why. */
static int daemon_once_result(struct daemon *d, bool sink_done)
{
	/* the output sink is also done when its reader leaves: not a fill */
	if (sink_done && (strcmp(d->mode, sink_output.name) != 0 || d->bytes_out >= d->cfg->step_bytes))
		return 0;
	if (!sink_done)
		log_errx("--once: stopped by a signal before the pool was filled");
	else
		log_errx("--once: the reader of %s went away before %u bytes were written",
			 d->cfg->random_device, d->cfg->step_bytes);
	return EXIT_FAILED;
}

int daemon_run(struct daemon *d)
{
	const char *stuck;
	bool sink_done = false;
	int r = 0;

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
	if (daemon_start_workers(d) != 0)
		return EXIT_FAILED;

	while (r == 0) {
		r = daemon_handle_signals(d);
		if (r)
			break;
		if (!d->ready_sent && monotonic_ms() >= d->start_ms + READY_DEADLINE_MS)
			daemon_ready(d, "one second after start");
		daemon_notify_periodic(d, monotonic_ms());
		if (d->cfg->once && (stuck = daemon_once_stuck(d)) != NULL) {
			log_errx("--once: %s; %llu bytes used, %llu bits credited", stuck,
				 d->bytes_out, d->bits_out);
			r = -1;
			break;
		}
		r = daemon_turn(d);
		sink_done = r == SINK_DONE;
	}
	notify_stopping();
	if (d->cfg->once && sink_done)
		log_info("--once: done; %llu bytes used, %llu bits credited", d->bytes_out, d->bits_out);
	if (d->cfg->once && r >= 0)
		return daemon_once_result(d, sink_done);
	return r < 0 ? EXIT_FAILED : 0;
}

void daemon_teardown(struct daemon *d)
{
	size_t i;
	bool all_stopped = true;

	/* The sinks first: -t's last report reads the running sources. */
	while (d->n_sinks > 0) {
		struct daemon_sink *sink = &d->sinks[--d->n_sinks];

		sink->ops->close(sink->state, (struct sink_io *)d, monotonic_ms());
	}
	daemon_stop_workers(d);
	for (i = 0; i < d->n_sources; i++)
		if (d->sources[i].ops && !pipeline_idle(&d->sources[i]))
			all_stopped = false;
	/* A worker stuck in a read still uses its instance: leave those to exit(). */
	for (i = 0; all_stopped && i < d->n_sources; i++)
		pipeline_destroy(&d->sources[i]);
	control_close(&d->control);
	if (d->signal_fd >= 0)
		close(d->signal_fd);
	if (all_stopped && d->data_fd >= 0)
		close(d->data_fd);
}
