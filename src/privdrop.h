/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -D user:group: after the devices are open, become that user and keep only
 * CAP_SYS_ADMIN (RNDADDENTROPY and RNDRESEEDCRNG need it), set no_new_privs
 * (Linux 3.5+), then prove there is no way back to root.
 */
#ifndef ENTROPYD_PRIVDROP_H
#define ENTROPYD_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

struct privdrop_target {
	uid_t uid;
	gid_t gid;
	char user[256];
};

/*
 * Resolve "user:group" (names or numbers; ":group" may be left out, then the
 * user's primary group).  0, or -1 with a message naming -D and the value.
 */
int privdrop_resolve(const char *spec, struct privdrop_target *out, char *err, size_t errlen);

/* A group name or non-zero number as a gid.  0, or -1 with err. */
int privdrop_resolve_group(const char *name, gid_t *gid, char *err, size_t errlen);

/* Drop to target keeping CAP_SYS_ADMIN only, and verify.  0, or -1 with why. */
int privdrop_apply(const struct privdrop_target *target, char *why, size_t whylen);

#endif
