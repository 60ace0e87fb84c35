/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filesystem trust rules, in one place, for every file entropyd creates
 * or removes as root: the runtime directory, the control socket, the PID file
 * and the -o output.
 *
 *  - No symbolic link is followed where entropyd creates, changes or removes
 *    a file: names are resolved with O_NOFOLLOW, one component at a time,
 *    and files are made and removed with *at() calls relative to a directory
 *    descriptor that was checked.  Modes are set by umask and at creation,
 *    owners by the creating process's fsgid or by fchown() on a descriptor,
 *    never by path.
 *  - The directory that holds the socket or the PID file must be a real
 *    directory (not a symbolic link) owned by root, by entropyd's own user,
 *    or by the -D user (entropyd makes it so when it creates it for that
 *    user), and writable by nobody else.  Every directory above it must be
 *    owned by root or entropyd's user and not writable by others unless it
 *    is sticky (like /tmp); a symbolic link on the way is followed only when
 *    root or entropyd's user owns it.
 *  - Only what entropyd made is removed: a name that exists and is not what
 *    entropyd expects (a socket, a PID file) is never touched, a socket only
 *    after connect() proved nobody listens, and at exit a file only if it is
 *    still the inode entropyd created.
 */
#ifndef ENTROPYD_RUNPATH_H
#define ENTROPYD_RUNPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define RUNPATH_MAX 4096
#define RUNPATH_NAME_MAX 256

/* The -D user: after the drop it must still be able to remove entropyd's files. */
struct runpath_owner {
	uid_t uid;
	gid_t gid;
};

/* A checked directory, kept open so its entries are reached without a path. */
struct runpath_dir {
	int fd;				/* -1: not open */
	int parent_fd;			/* kept when created, to remove it at the end */
	bool created;			/* made by this process */
	char path[RUNPATH_MAX];		/* as given, for messages */
	char name[RUNPATH_NAME_MAX];	/* its own name inside parent_fd */
};

/* An inode entropyd created: removed at the end only if the name still holds it. */
struct runpath_mark {
	dev_t dev;
	ino_t ino;
	bool set;
};

/* A directory that is not open (safe to close). */
void runpath_dir_init(struct runpath_dir *dir);

/*
 * Open and check the directory holding file_path, creating its last
 * component (mode 0750; owned by owner, when given, through the new
 * directory's descriptor) when missing.  *base points into file_path (keep
 * it) at the file's own name.  0, or -1 with why.
 */
int runpath_dir_open(struct runpath_dir *dir, const char *file_path, const struct runpath_owner *owner,
		     const char **base, char *why, size_t whylen);

/* Close it, removing it first when this process made it and it is empty. */
void runpath_dir_close(struct runpath_dir *dir);

/*
 * Bind the AF_UNIX socket sock to name in dir, mode 0660 (group: owner's,
 * when given).  A socket already there is replaced only when connect() gets
 * ECONNREFUSED; if something answers: "already running (WHAT PATH
 * answers)", what naming the socket ("control socket"); anything else
 * there is left alone.  0 with mark set, or -1 with why.
 */
int runpath_bind_socket(struct runpath_dir *dir, const char *name, const char *what, int sock,
			const struct runpath_owner *owner, struct runpath_mark *mark, char *why,
			size_t whylen);

/*
 * Open the PID file name in dir for reading and writing: created (0644)
 * when missing, else only a regular file with one link.  *created says
 * which.  A descriptor (close-on-exec), or -1 with why.
 */
int runpath_open_pidfile(struct runpath_dir *dir, const char *name, bool *created, char *why, size_t whylen);

/* Remember the inode behind fd (a file entropyd created). */
void runpath_mark_fd(int fd, struct runpath_mark *mark);

/*
 * Remove name from dir if it is still the marked inode.  0 removed (or
 * already gone), 1 left alone because something else is there, -1 with
 * errno when unlinkat() failed (after -D: no write access to dir).
 */
int runpath_remove(struct runpath_dir *dir, const char *name, const struct runpath_mark *mark);

/*
 * Open -o path for appending: never through a symbolic link, a new file
 * 0600, an existing regular file only when others cannot read it.  A FIFO
 * without a reader is waited for until a reader comes or SIGTERM/SIGINT is
 * pending (entropyd blocks them from the start).  A blocking descriptor, or
 * -1 with why.
 */
int runpath_open_output(const char *path, char *why, size_t whylen);

/* SIGTERM or SIGINT is pending (entropyd blocks them from main's first line). */
bool runpath_stop_pending(void);

/* Pure: "a FIFO", "a regular file", ... for messages. */
const char *runpath_describe(mode_t mode);

/*
 * Pure: may the runtime directory with this stat be used?  (Owned by root,
 * euid or owner->uid; a directory; no write bit for group or others.)
 */
bool runpath_dir_trusted(const struct stat *st, uid_t euid, const struct runpath_owner *owner);

/* Pure: may entropyd pass through (or follow a link in) this directory? */
bool runpath_parent_trusted(const struct stat *st, uid_t euid);

#endif
