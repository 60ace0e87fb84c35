/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: the attacker of tests/runpath-symlink-race.sh.
 * usage: swap_link UID GID DIR NAME TARGET
 * Becomes UID:GID, then until killed: removes DIR/NAME (entropyd's socket
 * too: DIR is that user's), leaves the name free while it makes a fresh
 * symbolic link to TARGET, and renames that over the name, so that
 * entropyd finds nothing, its own socket or a link at any instant.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long number(const char *text, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 0 || v > 0x7fffffffL) {
		fprintf(stderr, "swap_link: %s '%s' is not a number from 0 to %ld\n", what, text, 0x7fffffffL);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	char spare[4096];
	uid_t uid;
	gid_t gid;

	if (argc != 6) {
		fprintf(stderr, "usage: swap_link UID GID DIR NAME TARGET\n");
		return 2;
	}
	uid = (uid_t)number(argv[1], "UID");
	gid = (gid_t)number(argv[2], "GID");
	snprintf(spare, sizeof(spare), "%s.swap", argv[4]);
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0 ||
	    chdir(argv[3]) < 0) {
		perror("swap_link");
		return 1;
	}
	for (;;) {
		unlink(argv[4]);
		unlink(spare);
		if (symlink(argv[5], spare) == 0)
			rename(spare, argv[4]);
	}
}
