/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int notify_send(const char *notify, const char *msg)
{
	struct sockaddr_un sa;
	size_t len;
	ssize_t n;
	int fd, err;

	if (!notify || !*notify)
		return 0;
	len = strlen(notify);
	/* Only an absolute path or an abstract name, as sd_notify(3) accepts. */
	if ((notify[0] != '/' && notify[0] != '@') || len < 2 || len > sizeof(sa.sun_path))
		return -EINVAL;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, notify, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	/* One socket per message: these are rare (READY, STOPPING, a status
	 * every few seconds, the watchdog), and nothing stays open across a
	 * fork or for a sandbox to account for. */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* The address length counts the name exactly: an abstract name is
	 * every byte up to it, NULs included. */
	n = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (const struct sockaddr *)&sa,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

static void notify(const char *msg)
{
	/* Nothing a caller could do about a lost notification: systemd
	 * times the start out and says why. */
	(void)notify_send(getenv("NOTIFY_SOCKET"), msg);
}

void notify_ready(void)
{
	notify("READY=1");
}

void notify_stopping(void)
{
	notify("STOPPING=1");
}

void notify_status(const char *fmt, ...)
{
	static const char prefix[] = "STATUS=";
	char line[256];
	va_list ap;
	int n;

	snprintf(line, sizeof(line), "%s", prefix);
	va_start(ap, fmt);
	n = vsnprintf(line + sizeof(prefix) - 1, sizeof(line) - (sizeof(prefix) - 1), fmt, ap);
	va_end(ap);
	if (n >= 0)
		notify(line);
}

uint64_t notify_parse_watchdog(const char *usec, const char *wpid, long pid)
{
	unsigned long long v;
	char *end;
	long p;

	if (!usec || !*usec)
		return 0;
	/* WATCHDOG_PID names the process the interval is meant for; a child
	 * that inherited the environment must not send WATCHDOG=1. */
	if (wpid && *wpid) {
		errno = 0;
		p = strtol(wpid, &end, 10);
		if (errno || *end || end == wpid || p != pid)
			return 0;
	}
	if (*usec < '0' || *usec > '9')
		return 0;
	errno = 0;
	v = strtoull(usec, &end, 10);
	if (errno || *end || v == 0)
		return 0;
	return (uint64_t)v;
}

uint64_t notify_watchdog_usec(void)
{
	return notify_parse_watchdog(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"), (long)getpid());
}

void notify_watchdog(void)
{
	notify("WATCHDOG=1");
}
