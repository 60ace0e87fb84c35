/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fixture directories for unit tests that stand in for /proc or /sys. */
#ifndef ENTROPYD_TESTS_FIXTURE_H
#define ENTROPYD_TESTS_FIXTURE_H

#include <check.h>
#include <stddef.h>

/* Make /tmp/NAME.XXXXXX into dir (size len); fails the test if it cannot. */
void fixture_mkdtemp(char *dir, size_t len, const char *name);
/* Remove path and everything below it; fails the test if it cannot. */
void fixture_remove(const char *path);
/* Run every test of s; EXIT_SUCCESS if all passed, for main() to return. */
int fixture_run(Suite *s);
/* Write text to dir/name, replacing it. */
void fixture_put(const char *dir, const char *name, const char *text);

#endif
