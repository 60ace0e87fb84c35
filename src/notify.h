/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Service manager notifications (sd_notify): READY=1, STATUS=, STOPPING=1,
 * WATCHDOG=1.  Without libsystemd (RHEL 6) these do nothing.
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

#endif
