/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Service manager notifications: READY=1, STATUS=, STOPPING=1, WATCHDOG=1.
 * entropyd speaks the protocol of sd_notify(3) itself - one datagram on
 * the AF_UNIX socket named by $NOTIFY_SOCKET, "@" meaning the abstract
 * namespace - so no build needs libsystemd: RHEL 6 has none, RHEL 7.0's
 * systemd 208 ships sd_notify in libsystemd-daemon, and static builds
 * stay static.  Without $NOTIFY_SOCKET (no service manager) these do
 * nothing.
 */
#ifndef ENTROPYD_NOTIFY_H
#define ENTROPYD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

void notify_ready(void);
void notify_stopping(void);
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The watchdog interval in microseconds, or 0 when none is set. */
uint64_t notify_watchdog_usec(void);
void notify_watchdog(void);

/*
 * The core, for tests: send MSG to the socket named by NOTIFY (a path, or
 * "@name" for the abstract namespace).  0 when sent or when NOTIFY is NULL
 * or empty, -errno when not.
 */
int notify_send(const char *notify, const char *msg);
/*
 * The watchdog interval from WATCHDOG_USEC and WATCHDOG_PID as systemd
 * sets them (either may be NULL), for the process PID: 0 when unset,
 * malformed, or meant for another process.
 */
uint64_t notify_parse_watchdog(const char *usec, const char *wpid, long pid);

#endif
