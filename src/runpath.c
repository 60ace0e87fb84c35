/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "runpath.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/* Symbolic links followed on the way to one directory, as the kernel allows. */
#define RUNPATH_MAX_LINKS 40
/* How often a FIFO without a reader is tried again. */
#define RUNPATH_READER_POLL_MS 100

const char *runpath_describe(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	default: return "of an unknown type";
	}
}

bool runpath_dir_trusted(const struct stat *st, uid_t euid, const struct runpath_owner *owner)
{
	bool owned = st->st_uid == 0 || st->st_uid == euid || (owner && st->st_uid == owner->uid);

	return S_ISDIR(st->st_mode) && owned && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

bool runpath_parent_trusted(const struct stat *st, uid_t euid)
{
	bool owned = st->st_uid == 0 || st->st_uid == euid;

	/* Sticky: others may add names but cannot rename or remove ours. */
	return owned && (!(st->st_mode & S_IWOTH) || (st->st_mode & S_ISVTX));
}

/* "root (uid 0)" or "uid 1234" for messages; start-up only (getpwuid). */
static void runpath_owner_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);	/* NOLINT(concurrency-mt-unsafe): single-threaded start-up */

	if (pw)
		snprintf(buf, len, "%s (uid %ld)", pw->pw_name, (long)uid);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
}

static void runpath_refuse_parent(const char *path, const struct stat *st, const char *what,
				  char *why, size_t whylen)
{
	char owner[96];

	runpath_owner_name(st->st_uid, owner, sizeof(owner));
	snprintf(why, whylen, "%s %s is owned by %s with mode %04o: entropyd uses a path only when every "
		 "directory on it is owned by root (or entropyd's user) and not writable by others unless sticky",
		 what, path, owner, (unsigned int)(st->st_mode & 07777));
}

/* Append "/comp" (or comp after "/") to a path being built; -1 if too long. */
static int runpath_append(char *path, size_t size, const char *comp, size_t complen)
{
	size_t used = strlen(path);

	if (used + 1 + complen >= size)
		return -1;
	if (used == 0 || path[used - 1] != '/')
		path[used++] = '/';
	memcpy(path + used, comp, complen);
	path[used + complen] = '\0';
	return 0;
}

/* Drop "." and empty components: they never change where a path leads. */
static void runpath_drop_dots(char *path, size_t size)
{
	char copy[RUNPATH_MAX];
	const char *in = copy;

	snprintf(copy, sizeof(copy), "%s", path);
	path[0] = '\0';
	while (*in) {
		size_t len;

		while (*in == '/')
			in++;
		len = strcspn(in, "/");
		if (len == 0)
			break;
		if (!(len == 1 && in[0] == '.'))
			runpath_append(path, size, in, len);
		in += len;
	}
}

/*
 * Resolve the absolute path abs one component at a time from "/", checking
 * every directory passed through and following only trusted links.  On
 * success *parent is the directory holding the last component, last its
 * name (empty when abs is "/"), done the real path of *parent.
 */
static int runpath_walk(const char *abs, int *parent, char *last, char *done, char *why, size_t whylen)
{
	char path[RUNPATH_MAX], next[RUNPATH_MAX];
	uid_t euid = geteuid();
	unsigned int links = 0;
	struct stat st;
	int fd, nfd;

	snprintf(path, sizeof(path), "%s", abs);
restart:
	runpath_drop_dots(path, sizeof(path));
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(why, whylen, "cannot open /: %s", strerror(errno));
		goto fail;
	}
	if (!runpath_parent_trusted(&st, euid)) {
		runpath_refuse_parent("/", &st, "directory", why, whylen);
		goto fail;
	}
	snprintf(done, RUNPATH_MAX, "/");
	last[0] = '\0';
	for (const char *p = path; *p;) {
		const char *end, *rest;
		size_t len;

		while (*p == '/')
			p++;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		rest = p + len;
		while (*rest == '/')
			rest++;
		if (len == 0)
			break;
		if (len >= RUNPATH_NAME_MAX) {
			snprintf(why, whylen, "%s: a name on this path is too long", abs);
			goto fail;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			/* done has no links or dots: its lexical parent is the real one */
			char *slash = strrchr(done, '/');

			snprintf(next, sizeof(next), "%.*s/%s", slash ? (int)(slash - done) : 0, done, rest);
			goto follow;
		}
		if (!*rest) {
			memcpy(last, p, len);
			last[len] = '\0';
			*parent = fd;
			return 0;
		}
		memcpy(last, p, len);
		last[len] = '\0';
		nfd = openat(fd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && fstatat(fd, last, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			char target[RUNPATH_MAX];
			ssize_t n;

			snprintf(next, sizeof(next), "%s", done);
			runpath_append(next, sizeof(next), last, len);
			if (st.st_uid != 0 && st.st_uid != euid) {
				runpath_refuse_parent(next, &st, "symbolic link", why, whylen);
				goto fail;
			}
			n = readlinkat(fd, last, target, sizeof(target) - 1);
			if (n < 0) {
				snprintf(why, whylen, "cannot read the link %s: %s", next, strerror(errno));
				goto fail;
			}
			target[n] = '\0';
			/* A relative target starts where the link is. */
			if (snprintf(next, sizeof(next), "%s/%s/%s", target[0] == '/' ? "" : done, target,
				     rest) >= (int)sizeof(next))
				next[0] = '\0';
			goto follow;
		}
		if (nfd < 0 || fstat(nfd, &st) < 0) {
			int saved = errno;

			snprintf(next, sizeof(next), "%s", done);
			runpath_append(next, sizeof(next), last, len);
			snprintf(why, whylen, "cannot open the directory %s: %s", next, strerror(saved));
			if (nfd >= 0)
				close(nfd);
			goto fail;
		}
		close(fd);
		fd = nfd;
		if (runpath_append(done, RUNPATH_MAX, last, len) < 0) {
			snprintf(why, whylen, "%s: path too long", abs);
			goto fail;
		}
		if (!runpath_parent_trusted(&st, euid)) {
			runpath_refuse_parent(done, &st, "directory", why, whylen);
			goto fail;
		}
		p = rest;
	}
	/* abs named "/" itself */
	*parent = fd;
	return 0;
follow:
	close(fd);
	if (++links > RUNPATH_MAX_LINKS || !next[0]) {
		snprintf(why, whylen, "%s: too many symbolic links or too long", abs);
		return -1;
	}
	snprintf(path, sizeof(path), "%s", next);
	goto restart;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

void runpath_dir_init(struct runpath_dir *dir)
{
	dir->fd = -1;
	dir->parent_fd = -1;
	dir->created = false;
	dir->path[0] = '\0';
	dir->name[0] = '\0';
}

/* Make name in parent for owner (or ourselves), through its descriptor only. */
static int runpath_make_dir(struct runpath_dir *dir, int parent, const char *name,
			    const struct runpath_owner *owner, char *why, size_t whylen)
{
	struct stat st;
	int fd;

	/* 0700 until the owner and mode are set on the descriptor. */
	if (mkdirat(parent, name, 0700) < 0) {
		snprintf(why, whylen, "cannot create the directory %s: %s", dir->path, strerror(errno));
		return -1;
	}
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		snprintf(why, whylen, "the directory %s changed while entropyd created it", dir->path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((owner && fchown(fd, owner->uid, owner->gid) < 0) || fchmod(fd, 0750) < 0) {
		snprintf(why, whylen, "cannot set the owner and mode of %s: %s", dir->path, strerror(errno));
		close(fd);
		unlinkat(parent, name, AT_REMOVEDIR);
		return -1;
	}
	dir->fd = fd;
	dir->created = true;
	return 0;
}

int runpath_dir_open(struct runpath_dir *dir, const char *file_path, const struct runpath_owner *owner,
		     const char **base, char *why, size_t whylen)
{
	const char *slash = strrchr(file_path, '/');
	char abs[RUNPATH_MAX], done[RUNPATH_MAX], last[RUNPATH_NAME_MAX];
	int parent = -1;
	struct stat st;

	runpath_dir_init(dir);
	*base = slash ? slash + 1 : file_path;
	if (!**base || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
		snprintf(why, whylen, "%s does not name a file", file_path);
		return -1;
	}
	if (!slash)
		snprintf(dir->path, sizeof(dir->path), ".");
	else if (slash == file_path)
		snprintf(dir->path, sizeof(dir->path), "/");
	else
		snprintf(dir->path, sizeof(dir->path), "%.*s", (int)(slash - file_path), file_path);
	if (dir->path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", dir->path);
	} else {
		if (!getcwd(abs, sizeof(abs))) {
			snprintf(why, whylen, "%s: cannot tell the working directory: %s", file_path, strerror(errno));
			return -1;
		}
		if (runpath_append(abs, sizeof(abs), dir->path, strlen(dir->path)) < 0) {
			snprintf(why, whylen, "%s: path too long", file_path);
			return -1;
		}
	}
	if (runpath_walk(abs, &parent, last, done, why, whylen) < 0)
		return -1;
	if (!last[0]) {			/* the root directory itself */
		dir->fd = parent;
		if (fstat(dir->fd, &st) < 0)
			goto bad_stat;
		goto check;
	}
	if (fstatat(parent, last, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT || runpath_make_dir(dir, parent, last, owner, why, whylen) < 0) {
			if (errno != ENOENT)
				snprintf(why, whylen, "%s: %s", dir->path, strerror(errno));
			close(parent);
			return -1;
		}
		dir->parent_fd = parent;
		snprintf(dir->name, sizeof(dir->name), "%s", last);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "%s is %s, not a directory%s", dir->path, runpath_describe(st.st_mode),
			 S_ISLNK(st.st_mode) ? ": entropyd does not follow a link to the directory it keeps its "
					       "files in (name the real directory)" : "");
		close(parent);
		return -1;
	}
	dir->fd = openat(parent, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(parent);
	if (dir->fd < 0 || fstat(dir->fd, &st) < 0)
		goto bad_stat;
check:
	if (!runpath_dir_trusted(&st, geteuid(), owner)) {
		char who[96];

		runpath_owner_name(st.st_uid, who, sizeof(who));
		snprintf(why, whylen, "%s is owned by %s with mode %04o: entropyd keeps its files only in a "
			 "directory owned by root (or its own or the -D user) that nobody else can write to",
			 dir->path, who, (unsigned int)(st.st_mode & 07777));
		runpath_dir_close(dir);
		return -1;
	}
	return 0;
bad_stat:
	snprintf(why, whylen, "cannot open the directory %s: %s", dir->path, strerror(errno));
	runpath_dir_close(dir);
	return -1;
}

void runpath_dir_close(struct runpath_dir *dir)
{
	struct stat mine, there;

	/* Only the directory we made, only if the name still holds it, only if empty. */
	if (dir->created && dir->fd >= 0 && dir->parent_fd >= 0 && fstat(dir->fd, &mine) == 0 &&
	    fstatat(dir->parent_fd, dir->name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
	    mine.st_dev == there.st_dev && mine.st_ino == there.st_ino &&
	    unlinkat(dir->parent_fd, dir->name, AT_REMOVEDIR) < 0 && errno != ENOTEMPTY)
		log_info("cannot remove the directory %s: %s", dir->path, strerror(errno));
	if (dir->fd >= 0)
		close(dir->fd);
	if (dir->parent_fd >= 0)
		close(dir->parent_fd);
	dir->fd = dir->parent_fd = -1;
	dir->created = false;
}

void runpath_mark_fd(int fd, struct runpath_mark *mark)
{
	struct stat st;

	mark->set = fstat(fd, &st) == 0;
	mark->dev = mark->set ? st.st_dev : 0;
	mark->ino = mark->set ? st.st_ino : 0;
}

int runpath_remove(struct runpath_dir *dir, const char *name, const struct runpath_mark *mark)
{
	struct stat st;

	if (!mark->set || dir->fd < 0)
		return 1;
	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (st.st_dev != mark->dev || st.st_ino != mark->ino)
		return 1;
	return unlinkat(dir->fd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
}

/*
 * bind() or connect() sock to name inside dir: the address is relative and
 * the working directory is dir for the call, so no path is resolved again.
 * Start-up only: the working directory is shared by every thread.
 */
static int runpath_sock_at(const struct runpath_dir *dir, const char *name, int sock, bool do_bind)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int cwd, r, saved;

	if (strlen(name) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(addr.sun_path, name, strlen(name) + 1);
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return -1;
	if (fchdir(dir->fd) < 0) {
		saved = errno;
		close(cwd);
		errno = saved;
		return -1;
	}
	r = do_bind ? bind(sock, (struct sockaddr *)&addr, sizeof(addr)) :
		      connect(sock, (struct sockaddr *)&addr, sizeof(addr));
	saved = errno;
	if (fchdir(cwd) < 0)
		log_warn("cannot return to the working directory");
	close(cwd);
	errno = saved;
	return r;
}

/* A socket at name: 0 when nobody listens (removed), else -1 with why. */
static int runpath_clear_stale_socket(struct runpath_dir *dir, const char *name, const char *what,
				      const struct stat *seen, char *why, size_t whylen)
{
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct stat again;
	int r, saved;

	if (probe < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	r = runpath_sock_at(dir, name, probe, false);
	saved = errno;
	close(probe);
	if (r == 0 || saved == EAGAIN || saved == EINPROGRESS) {
		snprintf(why, whylen, "already running (%s %s/%s answers)", what, dir->path, name);
		return -1;
	}
	if (saved != ECONNREFUSED) {
		snprintf(why, whylen, "cannot tell whether the %s %s/%s is in use: %s", what, dir->path,
			 name, strerror(saved));
		return -1;
	}
	/* Nobody listens: a crash left it.  Remove that socket, nothing else. */
	if (fstatat(dir->fd, name, &again, AT_SYMLINK_NOFOLLOW) < 0 || again.st_dev != seen->st_dev ||
	    again.st_ino != seen->st_ino || unlinkat(dir->fd, name, 0) < 0) {
		snprintf(why, whylen, "%s/%s changed while entropyd checked it", dir->path, name);
		return -1;
	}
	return 0;
}

int runpath_bind_socket(struct runpath_dir *dir, const char *name, const char *what, int sock,
			const struct runpath_owner *owner,
			struct runpath_mark *mark, char *why, size_t whylen)
{
	struct stat st;
	mode_t old_mask;
	int r, saved;
	gid_t old_gid = 0;

	mark->set = false;
	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, whylen, "%s/%s exists and is %s, not a socket: entropyd leaves it alone",
				 dir->path, name, runpath_describe(st.st_mode));
			return -1;
		}
		if (runpath_clear_stale_socket(dir, name, what, &st, why, whylen) < 0)
			return -1;
	} else if (errno != ENOENT) {
		snprintf(why, whylen, "%s/%s: %s", dir->path, name, strerror(errno));
		return -1;
	}
	/* Mode and group are the new socket's from birth: no chmod or chown by path. */
	old_mask = umask(0117);
	if (owner)
		old_gid = (gid_t)setfsgid(owner->gid);
	r = runpath_sock_at(dir, name, sock, true);
	saved = errno;
	if (owner)
		setfsgid(old_gid);
	umask(old_mask);
	if (r < 0) {
		snprintf(why, whylen, "cannot bind %s/%s: %s", dir->path, name, strerror(saved));
		return -1;
	}
	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK(st.st_mode)) {
		snprintf(why, whylen, "%s/%s was replaced right after entropyd bound it", dir->path, name);
		return -1;
	}
	mark->dev = st.st_dev;
	mark->ino = st.st_ino;
	mark->set = true;
	return 0;
}

int runpath_open_pidfile(struct runpath_dir *dir, const char *name, bool *created, char *why, size_t whylen)
{
	struct stat st, opened;
	int fd;

	*created = false;
	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			snprintf(why, whylen, "PID file %s/%s: %s", dir->path, name, strerror(errno));
			return -1;
		}
		fd = openat(dir->fd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
		if (fd < 0) {
			snprintf(why, whylen, "cannot create PID file %s/%s: %s", dir->path, name, strerror(errno));
			return -1;
		}
		*created = true;
		return fd;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		snprintf(why, whylen, "PID file %s/%s exists and is %s%s: entropyd leaves it alone", dir->path,
			 name, runpath_describe(st.st_mode), S_ISREG(st.st_mode) ? " with other links" : "");
		return -1;
	}
	/* O_NONBLOCK: should it turn into a FIFO meanwhile, open must not wait. */
	fd = openat(dir->fd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &opened) < 0 || !S_ISREG(opened.st_mode) || opened.st_dev != st.st_dev ||
	    opened.st_ino != st.st_ino) {
		snprintf(why, whylen, "cannot open PID file %s/%s: %s", dir->path, name,
			 fd < 0 ? strerror(errno) : "it changed while entropyd checked it");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

bool runpath_stop_pending(void)
{
	sigset_t pending;

	return sigpending(&pending) == 0 &&
	       (sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1);
}

int runpath_open_output(const char *path, char *why, size_t whylen)
{
	struct stat st;
	bool told = false;
	int fd, flags;

	/* O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of
	 * blocking where no signal could end the wait. */
	while ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
			  0600)) < 0 && errno == ENXIO) {
		if (!told)
			log_info("waiting for a reader of %s", path);
		told = true;
		if (runpath_stop_pending()) {
			snprintf(why, whylen, "stopped by a signal while waiting for a reader of %s", path);
			errno = EINTR;
			return -1;
		}
		poll(NULL, 0, RUNPATH_READER_POLL_MS);
	}
	if (fd < 0) {
		int saved = errno;

		if (saved == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			snprintf(why, whylen, "-o %s is a symbolic link: entropyd does not follow it "
				 "(name the file itself, or - for standard output)", path);
		else
			snprintf(why, whylen, "cannot open output %s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	if (fstat(fd, &st) < 0 || (S_ISREG(st.st_mode) && (st.st_mode & S_IROTH))) {
		snprintf(why, whylen, "-o %s is readable by everyone (mode %04o): what entropyd writes is key "
			 "material; remove the read permission for others (chmod o-r) or name a new file",
			 path, (unsigned int)(st.st_mode & 07777));
		close(fd);
		errno = EACCES;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		snprintf(why, whylen, "cannot open output %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
