/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The one piece of module state: where messages go.  It is written by
 * log_init() before any worker thread exists and only read afterwards, so
 * threads share it without locking.  Passing a logger through every call
 * would buy nothing but noise.
 */
static struct {
	const char *ident;
	enum log_target target;
	int max_priority;
} log_settings = { "entropyd", LOG_TO_STDERR, LOG_INFO };

void log_init(const char *ident, enum log_target target, int max_priority)
{
	log_settings.ident = ident;
	log_settings.target = target;
	log_settings.max_priority = max_priority;
	if (target == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_fini(void)
{
	if (log_settings.target == LOG_TO_SYSLOG)
		closelog();
	log_settings.target = LOG_TO_STDERR;
}

bool log_enabled(int priority)
{
	return priority <= log_settings.max_priority;
}

static void log_vemit(int priority, const char *suffix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void log_vemit(int priority, const char *suffix, const char *fmt, va_list ap)
{
	char line[1024];

	if (!log_enabled(priority))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_settings.target == LOG_TO_SYSLOG) {
		syslog(priority, "%s%s%s", line, suffix ? ": " : "", suffix ? suffix : "");
		return;
	}
	/* One fprintf per message keeps lines from two threads apart. */
	fprintf(stderr, "%s: %s%s%s\n", log_settings.ident, line,
		suffix ? ": " : "", suffix ? suffix : "");
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(priority, NULL, fmt, ap);
	va_end(ap);
}

void log_msg_errno(int priority, const char *fmt, ...)
{
	char reason[256];
	int saved_errno = errno;
	va_list ap;

	/* GNU strerror_r may return a static string instead of filling reason. */
	const char *text = strerror_r(saved_errno, reason, sizeof(reason));
	va_start(ap, fmt);
	log_vemit(priority, text, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}
