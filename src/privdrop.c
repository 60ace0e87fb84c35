/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "parse.h"

/* Linux 3.5; the headers of glibc 2.12 (RHEL 6) do not name it. */
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

static int privdrop_lookup_user(const char *name, struct privdrop_target *out,
				gid_t *primary, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(name);
	long number;
	char ignored[128];

	if (pw) {
		out->uid = pw->pw_uid;
		*primary = pw->pw_gid;
		snprintf(out->user, sizeof(out->user), "%s", pw->pw_name);
		return 0;
	}
	if (parse_long(name, 1, 0x7fffffff, "-D", &number, ignored, sizeof(ignored)) == 0) {
		out->uid = (uid_t)number;
		pw = getpwuid(out->uid);
		*primary = pw ? pw->pw_gid : (gid_t)number;
		snprintf(out->user, sizeof(out->user), "%s", pw ? pw->pw_name : name);
		return 0;
	}
	snprintf(err, errlen, "-D/--drop-privileges: no user '%s' (a name or a non-zero uid is accepted)", name);
	return -1;
}

int privdrop_resolve(const char *spec, struct privdrop_target *out, char *err, size_t errlen)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	gid_t primary = 0;

	memset(out, 0, sizeof(*out));
	if (ulen == 0 || ulen >= sizeof(user)) {
		snprintf(err, errlen, "-D/--drop-privileges: '%s' is not USER[:GROUP]", spec);
		return -1;
	}
	memcpy(user, spec, ulen);
	user[ulen] = '\0';
	if (privdrop_lookup_user(user, out, &primary, err, errlen) < 0)
		return -1;
	if (out->uid == 0) {
		snprintf(err, errlen, "-D/--drop-privileges: '%s' is root; name an unprivileged user", user);
		return -1;
	}
	out->gid = primary;
	if (colon && colon[1]) {
		char why[160];

		if (privdrop_resolve_group(colon + 1, &out->gid, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "-D/--drop-privileges: %s", why);
			return -1;
		}
	}
	if (out->gid == 0) {
		snprintf(err, errlen, "-D/--drop-privileges: group 0 keeps root's files writable; name another group");
		return -1;
	}
	return 0;
}

int privdrop_apply(const struct privdrop_target *target, char *why, size_t whylen)
{
	const cap_value_t keep[] = { CAP_SYS_ADMIN };
	cap_t caps;
	cap_value_t c;
	int r;

	/* Shrink the bounding set while CAP_SETPCAP is still ours. */
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		if (c == CAP_SYS_ADMIN || !CAP_IS_SUPPORTED(c))
			continue;
		if (cap_drop_bound(c) < 0 && errno != EINVAL) {
			snprintf(why, whylen, "cannot drop capability %d from the bounding set: %s", (int)c,
				 strerror(errno));
			return -1;
		}
	}
	/* Keep permitted capabilities across setuid; the effective set is rebuilt below. */
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) < 0 ||
	    setgroups(1, &target->gid) < 0 || setresgid(target->gid, target->gid, target->gid) < 0 ||
	    setresuid(target->uid, target->uid, target->uid) < 0) {
		snprintf(why, whylen, "cannot become %s (uid %ld, gid %ld): %s", target->user,
			 (long)target->uid, (long)target->gid, strerror(errno));
		return -1;
	}
	caps = cap_init();
	if (!caps) {
		snprintf(why, whylen, "cap_init: %s", strerror(errno));
		return -1;
	}
	r = cap_set_flag(caps, CAP_PERMITTED, 1, keep, CAP_SET);
	if (r == 0)
		r = cap_set_flag(caps, CAP_EFFECTIVE, 1, keep, CAP_SET);
	if (r == 0)
		r = cap_set_proc(caps);
	cap_free(caps);
	if (r < 0) {
		snprintf(why, whylen, "cannot keep CAP_SYS_ADMIN only: %s", strerror(errno));
		return -1;
	}
	prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
	/*
	 * No exec can give anything back (setuid binaries, file capabilities).
	 * Kernels before 3.5 do not know the flag (EINVAL): there the dropped
	 * bounding set is what stands in the way.
	 */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0 && errno != EINVAL) {
		snprintf(why, whylen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	/* Verify: root must be out of reach for good. */
	if (setuid(0) == 0 || seteuid(0) == 0 || getuid() != target->uid || geteuid() != target->uid ||
	    getgid() != target->gid) {
		snprintf(why, whylen, "privileges were not dropped: root is still reachable");
		return -1;
	}
	caps = cap_get_proc();
	if (caps) {
		cap_flag_value_t v = CAP_CLEAR;

		cap_get_flag(caps, CAP_SETUID, CAP_PERMITTED, &v);
		cap_free(caps);
		if (v == CAP_SET) {
			snprintf(why, whylen, "privileges were not dropped: CAP_SETUID remains");
			return -1;
		}
	}
	return 0;
}

int privdrop_resolve_group(const char *name, gid_t *gid, char *err, size_t errlen)
{
	struct group *gr = getgrnam(name);
	long number;
	char ignored[128];

	if (gr)
		*gid = gr->gr_gid;
	else if (parse_long(name, 1, 0x7fffffff, "group", &number, ignored, sizeof(ignored)) == 0)
		*gid = (gid_t)number;
	else {
		snprintf(err, errlen, "no group '%.64s' (a name or a non-zero gid is accepted)", name);
		return -1;
	}
	return 0;
}
