/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: stand in for entropyd's control socket, answering with any
 * bytes, so entropyctl can be shown documents entropyd never sends.
 * usage: fake_control SOCKET_PATH REPLY_FILE [TRICKLE_MS]
 * Listens at SOCKET_PATH, prints LISTENING, takes one connection, reads one
 * request line, writes REPLY_FILE's bytes (one every TRICKLE_MS ms when
 * given) and exits 0; after 30 seconds it gives up whatever it is doing.
 */
#include "config.h"

#include <signal.h>
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
	struct timespec pause_ts = { 0, 0 };
	char reply[65536], c;
	size_t len, i;
	FILE *f;
	int fd, client;

	if (argc < 3 || argc > 4 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: fake_control SOCKET_PATH REPLY_FILE [TRICKLE_MS]\n");
		return 2;
	}
	if (argc == 4) {
		long ms = atol(argv[3]);

		pause_ts.tv_sec = ms / 1000;
		pause_ts.tv_nsec = ms % 1000 * 1000000L;
	}
	f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	len = fread(reply, 1, sizeof(reply), f);
	fclose(f);
	signal(SIGPIPE, SIG_IGN);
	alarm(30);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(addr.sun_path, argv[1]);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
		perror(argv[1]);
		return 2;
	}
	printf("LISTENING\n");
	fflush(stdout);
	client = accept(fd, NULL, NULL);
	if (client < 0) {
		perror("accept");
		return 2;
	}
	while (read(client, &c, 1) == 1 && c != '\n')
		;
	for (i = 0; i < len; i++) {
		if (argc == 4 && i > 0)
			nanosleep(&pause_ts, NULL);
		if (write(client, reply + i, argc == 4 ? 1 : len - i) <= 0)
			break;
		if (argc != 4)
			break;
	}
	close(client);
	close(fd);
	unlink(argv[1]);
	return 0;
}
