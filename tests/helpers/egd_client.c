/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: an EGD client, as QEMU's rng-egd speaks to entropyd.
 * usage: egd_client SOCKET COMMAND [ARG]
 *   level       print the 0x00 answer (bits available) in decimal
 *   pid         print the 0x04 answer
 *   read N      0x01 N: print the bytes of the answer to stdout
 *   block N     0x02 requests (255 at most each) until N bytes came;
 *               the bytes to stdout
 *   closes HEX  send one byte; exit 0 if the server closes the connection
 *   stall       ask for 1000 x 255 bytes with 0x02, then never read
 *               (until killed): a guest that stopped taking its bytes
 * Every wait ends after 20 s (exit 2), so a test never hangs on it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_to(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || strlen(path) >= sizeof(addr.sun_path)) {
		perror("socket");
		exit(1);
	}
	memcpy(addr.sun_path, path, strlen(path));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "egd_client: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void send_all(int fd, const unsigned char *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t)len) {
		perror("egd_client: write");
		exit(1);
	}
}

/* Exactly len bytes, or exit 1 (EOF) / 2 (the alarm). */
static void recv_all(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r <= 0) {
			fprintf(stderr, "egd_client: connection closed after %zu of %zu bytes\n", got, len);
			exit(1);
		}
		got += (size_t)r;
	}
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "egd_client: '%s' is not a number\n", s);
		exit(1);
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned char buf[256];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: egd_client SOCKET level|pid|read N|block N|closes HEX|stall\n");
		return 1;
	}
	alarm(20);	/* SIGALRM's default action ends us */
	fd = connect_to(argv[1]);
	if (strcmp(argv[2], "level") == 0) {
		buf[0] = 0x00;
		send_all(fd, buf, 1);
		recv_all(fd, buf, 4);
		printf("%lu\n", (unsigned long)buf[0] << 24 | (unsigned long)buf[1] << 16 |
				(unsigned long)buf[2] << 8 | buf[3]);
	} else if (strcmp(argv[2], "pid") == 0) {
		buf[0] = 0x04;
		send_all(fd, buf, 1);
		recv_all(fd, buf, 1);
		recv_all(fd, buf + 1, buf[0]);
		printf("%.*s\n", (int)buf[0], (const char *)buf + 1);
	} else if (strcmp(argv[2], "read") == 0 && argc == 4) {
		buf[0] = 0x01;
		buf[1] = (unsigned char)number(argv[3]);
		send_all(fd, buf, 2);
		recv_all(fd, buf, 1);
		if (buf[0] > number(argv[3])) {
			fprintf(stderr, "egd_client: %u bytes in the answer, %s asked for\n", buf[0], argv[3]);
			return 1;
		}
		recv_all(fd, buf + 1, buf[0]);
		fwrite(buf + 1, 1, buf[0], stdout);
	} else if (strcmp(argv[2], "block") == 0 && argc == 4) {
		unsigned long left = number(argv[3]);

		while (left > 0) {
			unsigned char req[2] = { 0x02, (unsigned char)(left < 255 ? left : 255) };

			send_all(fd, req, 2);
			recv_all(fd, buf, req[1]);
			fwrite(buf, 1, req[1], stdout);
			left -= req[1];
		}
	} else if (strcmp(argv[2], "closes") == 0 && argc == 4) {
		buf[0] = (unsigned char)strtoul(argv[3], NULL, 16);
		send_all(fd, buf, 1);
		/* The server may answer nothing; it must close. */
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	} else if (strcmp(argv[2], "stall") == 0) {
		unsigned char req[2000];
		size_t i;

		for (i = 0; i < sizeof(req); i += 2) {
			req[i] = 0x02;
			req[i + 1] = 255;
		}
		alarm(0);
		send_all(fd, req, sizeof(req));
		for (;;)
			pause();
	} else {
		fprintf(stderr, "egd_client: unknown command '%s'\n", argv[2]);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
