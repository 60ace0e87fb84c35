/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropyd: wires the modules together.  Init in order, fini in reverse:
 * signals blocked -> options -> logging -> sources (options applied) ->
 * [fork] -> PID file -> control socket -> sinks -> open sources -> [drop
 * privileges] -> [tell the parent] -> loop -> teardown in reverse.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "daemon.h"
#include "listing.h"
#include "log.h"
#include "pidfile.h"
#include "rawdump.h"
#include "runpath.h"
#include "stats.h"
#include "workers.h"

/*
 * The signals the loop handles, blocked from main's first line: one that
 * comes during start-up waits (pending) for the loop, which then stops
 * cleanly, so no start-up step (the PID file, the socket, the kernel's
 * write_wakeup_threshold) is ever left half done by a signal's default
 * action.  The only start-up step that can wait for long, opening a FIFO
 * for -o, gives up when SIGTERM or SIGINT is pending.
 */
static void signals_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigprocmask(SIG_BLOCK, set, NULL);
}

/*
 * Background mode: the parent waits until the child has started (or failed)
 * and exits with its status, so init scripts see real errors.
 */
static int daemonize_begin(int *status_fd, const sigset_t *blocked)
{
	int fds[2];
	pid_t pid;
	unsigned char code = EXIT_FAILED;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_err("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_err("fork");
		return -1;
	}
	if (pid > 0) {
		/* The waiting parent dies of SIGTERM as it always did. */
		sigprocmask(SIG_UNBLOCK, blocked, NULL);
		close(fds[1]);
		do
			n = read(fds[0], &code, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1) {
			/* The child died before reporting: take its exit status. */
			int wstatus = 0;

			if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus))
				code = (unsigned char)WEXITSTATUS(wstatus);
			else
				code = EXIT_FAILED;
		}
		_exit(code);
	}
	close(fds[0]);
	if (setsid() < 0)
		log_warn("setsid");
	*status_fd = fds[1];
	return 0;
}

/* Tell the waiting parent how start-up went; then the child is on its own. */
static void daemonize_finish(int *status_fd, int code)
{
	unsigned char byte = (unsigned char)code;
	int devnull;

	if (*status_fd < 0)
		return;
	if (code == 0) {
		/* From here on nobody reads stderr: log to syslog. */
		log_fini();
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
			if (devnull > STDERR_FILENO)
				close(devnull);
		}
		if (chdir("/") < 0)
			log_warn("chdir /");
	}
	if (write(*status_fd, &byte, 1) < 0)
		log_warn("cannot report start-up to the parent");
	close(*status_fd);
	*status_fd = -1;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct daemon d;
	struct pidfile pid;
	struct runpath_owner owner;
	sigset_t blocked;
	char why[1024];
	int status_fd = -1;
	int code;

	signals_block(&blocked);
	pidfile_init(&pid);
	stats_json_seed();
	config_defaults(&cfg);
	code = config_parse(&cfg, argc, argv);
	if (code)
		return code;
	if (cfg.show_version) {
		printf("%s\n", PACKAGE_STRING);
		return 0;
	}
	/* -t and -l report to the terminal, --raw writes to stdout; --once must not return to its
	 * caller (an initramfs or first-boot script) before the pool is filled */
	if (cfg.test || cfg.list || cfg.once || cfg.raw_source)
		cfg.foreground = true;

	log_init("entropyd", LOG_TO_STDERR, cfg.log_priority);
	code = daemon_setup(&d, &cfg);
	if (code == 0 && cfg.list)
		code = listing_print(d.sources, d.enabled, d.n_sources);
	else if (code == 0 && cfg.raw_source)
		code = rawdump_run(d.sources, d.n_sources, cfg.raw_source, STDOUT_FILENO);
	if (code || cfg.list || cfg.raw_source)
		goto out_sources;

	if (!cfg.foreground && daemonize_begin(&status_fd, &blocked) < 0) {
		code = EXIT_FAILED;
		goto out_sources;
	}
	/* With -D, the directories made now must stay usable by that user. */
	owner.uid = cfg.drop_to.uid;
	owner.gid = cfg.drop_to.gid;
	/* -t writes nothing anywhere, so it never needs the lock. */
	if (!cfg.test && cfg.pidfile[0] &&
	    pidfile_acquire(&pid, cfg.pidfile, cfg.drop_privileges ? &owner : NULL, why, sizeof(why)) < 0) {
		log_errx("%s", why);
		code = EXIT_FAILED;
		goto out_pidfile;
	}
	/* Before the sink: a second instance must fail before it opens -o or
	 * touches the kernel.  --once never serves entropyctl. */
	code = cfg.once ? 0 : daemon_open_control(&d);
	if (code)
		goto out_pidfile;
	code = daemon_open_sinks(&d);
	if (code)
		goto out_pidfile;
	code = workers_open_sources(&d);
	if (code)
		goto out_pidfile;
	/* Everything privileged is open: drop before any thread exists. */
	if (cfg.drop_privileges) {
		if (privdrop_apply(&cfg.drop_to, why, sizeof(why)) < 0) {
			log_errx("-D %s: %s", cfg.drop_to.user, why);
			code = EXIT_FAILED;
			goto out_pidfile;
		}
		log_info("running as %s with CAP_SYS_ADMIN only", cfg.drop_to.user);
	}

	if (status_fd >= 0) {
		daemonize_finish(&status_fd, 0);
		log_init("entropyd", LOG_TO_SYSLOG, cfg.log_priority);
	}
	log_info("%s started", PACKAGE_STRING);
	code = daemon_run(&d);
	log_info("stopped");

out_pidfile:
	if (code && runpath_stop_pending()) {
		/* A stop asked for by a signal during start-up: not a failure. */
		log_info("stopped by a signal during start-up");
		code = 0;
	}
	daemonize_finish(&status_fd, code);
	daemon_teardown(&d);
	pidfile_release(&pid);
	log_fini();
	return code;
out_sources:
	daemon_teardown(&d);
	log_fini();
	return code;
}
