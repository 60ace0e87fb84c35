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

#include "clock.h"
#include "log.h"
#include "kernel.h"
#include "notify.h"
#include "once.h"
#include "sinks/sinks.h"
#include "status.h"
#include "wakefd.h"
#include "workers.h"

/* READY=1 after the first injection, or this long after start at the latest. */
#define READY_DEADLINE_MS 1000

int daemon_setup(struct daemon *d, const struct config *cfg)
{
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
	return workers_create(d);
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

/* Returns 1 to stop, 0 to go on, -1 when a restart failed. */
static int daemon_handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: stopping", (int)si.ssi_signo);
			return 1;
		case SIGHUP:
			log_notice("SIGHUP: reopening sources");
			workers_stop(d);
			workers_reopen(d);
			if (workers_start(d) != 0)
				return -1;
			break;
		case SIGUSR1:
			status_log_summary(d);
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
	uint64_t now = clock_monotonic_ms();
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
		sink->n_fds = sink->ops->pollfds ? sink->ops->pollfds(sink->state, fds + n, SINK_MAX_POLLFDS) : 0;
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
		wakefd_drain(d->data_fd);	/* poll() sleeps again until the next block */
		if (sink_io_queued((struct sink_io *)d) > 0)
			timeout = 0;
	}
	ready = poll(fds, n, timeout);
	if (ready < 0 && errno != EINTR) {
		log_err("poll");
		return -1;
	}
	now = clock_monotonic_ms();
	for (i = 0; ready > 0 && i < d->n_sinks; i++)
		if (d->sinks[i].n_fds && d->sinks[i].ops->events)
			d->sinks[i].ops->events(d->sinks[i].state, (struct sink_io *)d,
						fds + d->sinks[i].first_fd, d->sinks[i].n_fds, now);
	if (ready > 0 || ctl_deadline != UINT64_MAX)
		control_serve(&d->control, fds + ctl_first, n - ctl_first, now,
			      status_json, d);
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
		int r = d->sinks[i].ops->step(d->sinks[i].state, (struct sink_io *)d, clock_monotonic_ms(),
					      &mine);

		if (r != SINK_CONTINUE)
			return r;
		wait.want_data = wait.want_data || mine.want_data;
		if (mine.wake_at_ms < wait.wake_at_ms)
			wait.wake_at_ms = mine.wake_at_ms;
	}
	workers_demand(d, wait.want_data);
	return daemon_poll(d, &wait);
}

/* --once: why it must give up now (once.h), or NULL. */
static const char *daemon_once_stuck(struct daemon *d)
{
	struct once_view v = { clock_monotonic_ms(), d->once_deadline_ms, 0, 0,
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
	d->start_ms = clock_monotonic_ms();
	d->last_watchdog_ms = d->last_status_ms = d->start_ms;
	d->once_deadline_ms = d->start_ms + (uint64_t)d->cfg->once_timeout_s * 1000u;
	/* Half the interval, as sd_watchdog_enabled(3) advises. */
	d->watchdog_ms = notify_watchdog_usec() / 2000;
	d->notify_status = getenv("NOTIFY_SOCKET") != NULL;
	if (workers_start(d) != 0)
		return EXIT_FAILED;

	while (r == 0) {
		r = daemon_handle_signals(d);
		if (r)
			break;
		if (!d->ready_sent && clock_monotonic_ms() >= d->start_ms + READY_DEADLINE_MS)
			daemon_ready(d, "one second after start");
		status_notify_periodic(d, clock_monotonic_ms());
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

		sink->ops->close(sink->state, (struct sink_io *)d, clock_monotonic_ms());
	}
	workers_stop(d);
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
