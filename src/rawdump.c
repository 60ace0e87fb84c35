/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropyd --raw: the noise before conditioning, for an offline SP 800-90B
 * assessment (entropy-check --estimate, or NIST's ea_non_iid).  Runs in the
 * foreground with no control socket, PID file or sink; the signals that
 * stop it arrive on a signalfd that doubles as the source's cancel_fd.
 */
#include "config.h"

#include "rawdump.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "wakefd.h"
#include "wipe.h"

#define RAW_CHUNK 4096

/* Sources that have a raw stage, "a, b", for the refusal message. */
static void raw_capable(const struct source_instance *sources, size_t n, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!sources[i].ops->read_raw)
			continue;
		if (buf[0])
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, sources[i].ops->name, len - strlen(buf) - 1);
	}
}

/* All of buf to fd.  0, 1 when the reader went away, -1 on error. */
static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t r;

	while (len) {
		r = write(fd, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EPIPE ? 1 : -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static int rawdump_loop(struct source_instance *inst, int out_fd, int sfd)
{
	uint8_t buf[RAW_CHUNK];
	char why[SOURCE_MSG_MAX] = "";
	unsigned long long total = 0;
	ssize_t got;
	int code = 0, w;

	while (!wakefd_readable(sfd)) {
		got = inst->ops->read_raw(inst->state, buf, sizeof(buf), sfd, why, sizeof(why));
		if (got == SOURCE_READ_FAILED) {
			log_errx("--raw %s: %s", inst->ops->name, why);
			code = EXIT_FAILED;
			break;
		}
		if (got == SOURCE_READ_AGAIN)
			continue;
		w = write_all(out_fd, buf, (size_t)got);
		if (w < 0) {
			log_err("--raw %s: writing the samples", inst->ops->name);
			code = EXIT_FAILED;
		}
		if (w)
			break;
		total += (unsigned long long)got;
	}
	wipe(buf, sizeof(buf));
	log_info("--raw %s: %llu samples written", inst->ops->name, total);
	return code;
}

int rawdump_run(struct source_instance *sources, size_t n, const char *name, int out_fd)
{
	struct source_instance *inst = NULL;
	char why[SOURCE_MSG_MAX] = "", list[256];
	sigset_t stop, old;
	int sfd, code;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(sources[i].ops->name, name) == 0)
			inst = &sources[i];
	if (!inst)	/* the parser lets only known names through */
		return EXIT_FAILED;
	if (!inst->ops->read_raw) {
		raw_capable(sources, n, list, sizeof(list));
		log_errx("--raw %s: this source has no raw noise stage entropyd can see: its bytes arrive "
			 "already conditioned by the device or CPU; raw samples come from: %s", name, list);
		return EXIT_FAILED;
	}
	if (isatty(out_fd)) {
		log_errx("--raw %s: the samples are binary: redirect stdout to a file or a pipe", name);
		return EXIT_FAILED;
	}
	if (inst->ops->probe(inst->state, why, sizeof(why)) != SOURCE_USABLE ||
	    inst->ops->open(inst->state, why, sizeof(why)) < 0) {
		log_errx("--raw %s: not usable: %s", name, why);
		return EXIT_FAILED;
	}

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &stop, &old) < 0 ||
	    (sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		log_err("--raw %s: signal handling", name);
		inst->ops->close(inst->state);
		return EXIT_FAILED;
	}
	log_info("--raw %s: writing raw 8-bit samples to stdout until stopped; nothing is credited", name);
	code = rawdump_loop(inst, out_fd, sfd);
	inst->ops->close(inst->state);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return code;
}
