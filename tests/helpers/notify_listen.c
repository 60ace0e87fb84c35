/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: stand in for the service manager's notification socket.
 * usage: notify_listen SOCKET_PATH SECONDS
 * Binds a datagram socket at SOCKET_PATH, prints each message received (one
 * per line) until SECONDS pass or a message holds READY=1, then exits 0 if
 * READY=1 was seen and 1 if not.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char msg[4096];
	struct timespec start, now;
	long limit_ms;
	int fd, ready = 0;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: notify_listen SOCKET_PATH SECONDS\n");
		return 2;
	}
	limit_ms = atol(argv[2]) * 1000;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	strcpy(addr.sun_path, argv[1]);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror(argv[1]);
		return 2;
	}
	/* Tell the caller the socket exists before it starts the daemon. */
	printf("LISTENING\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!ready) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long elapsed;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= limit_ms || poll(&pfd, 1, (int)(limit_ms - elapsed)) <= 0)
			break;
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			continue;
		msg[n] = '\0';
		printf("%s\n", msg);
		fflush(stdout);
		ready = strstr(msg, "READY=1") != NULL;
	}
	close(fd);
	unlink(argv[1]);
	return ready ? 0 : 1;
}
