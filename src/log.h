/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One logging header for every program: printf-checked, warn (appends
 * strerror(errno)) versus warnx (does not), to stderr or syslog.
 * Never pass random bytes to these functions.
 */
#ifndef ENTROPYD_LOG_H
#define ENTROPYD_LOG_H

#include <stdbool.h>
#include <syslog.h>

enum log_target {
	LOG_TO_STDERR,
	LOG_TO_SYSLOG,
};

/*
 * Set once, before any thread starts; read-only afterwards.  max_priority is
 * a syslog priority: LOG_ERR for -q, LOG_INFO by default, LOG_DEBUG for -d.
 */
void log_init(const char *ident, enum log_target target, int max_priority);
void log_fini(void);
bool log_enabled(int priority);

void log_msg(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like log_msg, with ": strerror(errno)" appended. */
void log_msg_errno(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg_errno(LOG_ERR, __VA_ARGS__)
#define log_errx(...)  log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg_errno(LOG_WARNING, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
