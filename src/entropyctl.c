/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entropyctl: ask a running entropyd for its status over the control socket
 * (protocol in control.h) and print a table, or the JSON document.
 */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "stats.h"

/* A status document is a few KiB; anything far larger is not entropyd. */
#define CTL_MAX_REPLY (1u << 20)
/* For the whole exchange, however the answer trickles in. */
#define CTL_TIMEOUT_MS 3000

const char *argp_program_version = "entropyctl (" PACKAGE_STRING ")";

struct ctl_options {
	const char *socket_path;
	bool json;
	const char *command;
};

static const struct argp_option ctl_argp_options[] = {
	{ "socket", 's', "PATH", 0, "Control socket (default " CONTROL_DEFAULT_SOCKET ")", 0 },
	{ "json", 'j', NULL, 0, "Print the status as one JSON object", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, NULL, 0 },	/* -? and --help */
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static error_t ctl_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct ctl_options *opt = state->input;

	switch (key) {
	case 's':
		if (!*arg)
			argp_error(state, "-s/--socket: an empty path is not a socket");
		opt->socket_path = arg;
		break;
	case 'j':
		opt->json = true;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);	/* exits 0 */
		break;
	case ARGP_KEY_ARG:
		if (opt->command)
			argp_error(state, "one command only; got '%s' after '%s'", arg, opt->command);
		if (strcmp(arg, "status") != 0)
			argp_error(state, "unknown command '%s'; commands: status", arg);
		opt->command = arg;
		break;
	case ARGP_KEY_END:
		if (!opt->command)
			argp_error(state, "a command is required: status");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static long long ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send the request, read the whole reply.  NULL on error (printed). */
static char *ctl_request(const char *path, const char *request)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	long long deadline = ctl_now_ms() + CTL_TIMEOUT_MS;
	size_t cap = 4096, len = 0;
	char *reply;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "entropyctl: socket path %s is too long\n", path);
		return NULL;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "entropyctl: socket: %s\n", strerror(errno));
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "entropyctl: entropyd is not running (no control socket at %s)\n", path);
		else if (errno == ECONNREFUSED)
			fprintf(stderr, "entropyctl: entropyd is not running (stale control socket at %s)\n", path);
		else
			fprintf(stderr, "entropyctl: cannot connect to %s: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) != (ssize_t)strlen(request)) {
		fprintf(stderr, "entropyctl: sending to %s: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	reply = malloc(cap);
	while (reply) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - ctl_now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			fprintf(stderr, "entropyctl: no complete answer from %s within %d ms\n", path,
				CTL_TIMEOUT_MS);
			break;
		}
		if (len + 1 == cap) {
			char *bigger = cap < CTL_MAX_REPLY ? realloc(reply, cap * 2) : NULL;

			if (!bigger) {
				fprintf(stderr, "entropyctl: reply from %s is too large\n", path);
				break;
			}
			reply = bigger;
			cap *= 2;
		}
		n = recv(fd, reply + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "entropyctl: reading from %s: %s\n", path, strerror(errno));
			break;
		}
		if (n == 0) {
			reply[len] = '\0';
			close(fd);
			return reply;
		}
		len += (size_t)n;
	}
	free(reply);
	close(fd);
	return NULL;
}

/* What a status document (stats.c, schema 1) must hold for the table. */
enum ctl_type { CTL_STRING, CTL_COUNT, CTL_PID, CTL_NUMBER, CTL_BOOL, CTL_OBJECT, CTL_ARRAY };

struct ctl_field {
	const char *key;
	enum ctl_type type;
};

static const struct ctl_field ctl_doc_fields[] = {
	{ "version", CTL_STRING }, { "pid", CTL_PID }, { "mode", CTL_STRING }, { "uptime_s", CTL_COUNT },
	{ "totals", CTL_OBJECT }, { "sources", CTL_ARRAY }, { NULL, CTL_STRING },
};
static const struct ctl_field ctl_totals_fields[] = {
	{ "bytes", CTL_COUNT }, { "bits_credited", CTL_COUNT }, { NULL, CTL_STRING },
};
static const struct ctl_field ctl_pool_fields[] = {
	{ "era", CTL_STRING }, { "entropy_avail_bits", CTL_COUNT }, { "poolsize_bits", CTL_COUNT },
	{ "crng_ready", CTL_BOOL }, { NULL, CTL_STRING },
};
static const struct ctl_field ctl_source_fields[] = {
	{ "name", CTL_STRING }, { "state", CTL_STRING }, { "credit_bits_per_byte", CTL_NUMBER },
	{ "bytes_read", CTL_COUNT }, { "blocks_passed", CTL_COUNT }, { "blocks_failed", CTL_COUNT },
	{ "health_alarms", CTL_OBJECT }, { "suspensions", CTL_COUNT }, { "bits_credited", CTL_COUNT },
	{ "last_error", CTL_STRING }, { NULL, CTL_STRING },
};
static const struct ctl_field ctl_health_fields[] = {
	{ "intermittent", CTL_COUNT }, { "permanent", CTL_COUNT }, { NULL, CTL_STRING },
};

static bool ctl_has_type(json_t *v, enum ctl_type type)
{
	switch (type) {
	case CTL_STRING: return json_is_string(v);
	case CTL_COUNT: return json_is_integer(v) && json_integer_value(v) >= 0;
	case CTL_PID: return json_is_integer(v) && json_integer_value(v) > 0;
	case CTL_NUMBER: return json_is_number(v) && json_number_value(v) >= 0;
	case CTL_BOOL: return json_is_boolean(v);
	case CTL_OBJECT: return json_is_object(v);
	case CTL_ARRAY:
	default: return json_is_array(v);
	}
}

static int ctl_check_fields(json_t *obj, const struct ctl_field *f, const char *where, char *why, size_t len)
{
	for (; f->key; f++) {
		json_t *v = json_object_get(obj, f->key);

		if (!ctl_has_type(v, f->type)) {
			snprintf(why, len, "%s\"%s\" is %s", where, f->key,
				 v ? "of the wrong type or out of range" : "missing");
			return -1;
		}
	}
	return 0;
}

/* 0 if doc is a status document this entropyctl can show, else -1 and why. */
static int ctl_check_status(json_t *doc, char *why, size_t len)
{
	json_t *schema = json_object_get(doc, "schema");
	json_t *pool = json_object_get(doc, "pool");
	json_t *sources = json_object_get(doc, "sources");
	json_t *src;
	size_t i;

	if (!json_is_integer(schema)) {
		snprintf(why, len, "it has no \"schema\" number");
		return -1;
	}
	if (json_integer_value(schema) != STATS_SCHEMA_VERSION) {
		snprintf(why, len, "schema %lld; this entropyctl reads schema %d",
			 (long long)json_integer_value(schema), STATS_SCHEMA_VERSION);
		return -1;
	}
	if (ctl_check_fields(doc, ctl_doc_fields, "", why, len) < 0 ||
	    ctl_check_fields(json_object_get(doc, "totals"), ctl_totals_fields, "totals: ", why, len) < 0)
		return -1;
	if (!json_is_null(pool) &&
	    (!json_is_object(pool) || ctl_check_fields(pool, ctl_pool_fields, "pool: ", why, len) < 0)) {
		if (!json_is_object(pool))
			snprintf(why, len, "\"pool\" is neither null nor an object");
		return -1;
	}
	json_array_foreach(sources, i, src) {
		if (!json_is_object(src)) {
			snprintf(why, len, "sources[%zu] is not an object", i);
			return -1;
		}
		if (ctl_check_fields(src, ctl_source_fields, "a source: ", why, len) < 0 ||
		    ctl_check_fields(json_object_get(src, "health_alarms"), ctl_health_fields,
				     "a source's health_alarms: ", why, len) < 0)
			return -1;
	}
	return 0;
}

static json_int_t ctl_int(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static const char *ctl_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/* The EGD server's part (--egd-socket), when there is one. */
static void ctl_print_egd(json_t *egd)
{
	json_t *clients = json_object_get(egd, "clients");
	json_t *client;
	size_t i;

	if (!json_is_object(egd))
		return;
	printf("\negd: %lld bytes served, %lld connections since start, %zu connected\n",
	       (long long)ctl_int(egd, "bytes_served"), (long long)ctl_int(egd, "connections"),
	       json_array_size(clients));
	json_array_foreach(clients, i, client) {
		printf("  client %-6lld %12lld bytes served %6lld waiting\n", (long long)ctl_int(client, "id"),
		       (long long)ctl_int(client, "bytes_served"), (long long)ctl_int(client, "bytes_waiting"));
	}
}

static void ctl_print_table(json_t *doc)
{
	json_t *pool = json_object_get(doc, "pool");
	json_t *totals = json_object_get(doc, "totals");
	json_t *sources = json_object_get(doc, "sources");
	json_int_t up = ctl_int(doc, "uptime_s");
	size_t i;
	json_t *src;

	printf("entropyd %s, PID %lld, up %lldd %02lld:%02lld:%02lld, mode %s\n", ctl_str(doc, "version"),
	       (long long)ctl_int(doc, "pid"), (long long)(up / 86400), (long long)(up / 3600 % 24),
	       (long long)(up / 60 % 60), (long long)(up % 60), ctl_str(doc, "mode"));
	if (json_is_object(pool))
		printf("pool: %s era, %lld of %lld bits, CRNG %s\n", ctl_str(pool, "era"),
		       (long long)ctl_int(pool, "entropy_avail_bits"), (long long)ctl_int(pool, "poolsize_bits"),
		       json_is_true(json_object_get(pool, "crng_ready")) ? "ready" : "not ready");
	printf("delivered: %lld bytes, %lld bits credited\n\n", (long long)ctl_int(totals, "bytes"),
	       (long long)ctl_int(totals, "bits_credited"));
	printf("%-8s %-10s %6s %12s %8s %7s %6s %5s %12s  %s\n", "SOURCE", "STATE", "CREDIT",
	       "READ", "PASSED", "FAILED", "HEALTH", "SUSP", "CREDITED", "LAST ERROR");
	json_array_foreach(sources, i, src) {
		json_t *health = json_object_get(src, "health_alarms");

		printf("%-8s %-10s %6.3g %12lld %8lld %7lld %6lld %5lld %12lld  %s\n", ctl_str(src, "name"),
		       ctl_str(src, "state"), json_number_value(json_object_get(src, "credit_bits_per_byte")),
		       (long long)ctl_int(src, "bytes_read"), (long long)ctl_int(src, "blocks_passed"),
		       (long long)ctl_int(src, "blocks_failed"),
		       (long long)(ctl_int(health, "intermittent") + ctl_int(health, "permanent")),
		       (long long)ctl_int(src, "suspensions"), (long long)ctl_int(src, "bits_credited"),
		       ctl_str(src, "last_error"));
	}
	ctl_print_egd(json_object_get(doc, "egd"));
}

int main(int argc, char **argv)
{
	struct ctl_options opt = { CONTROL_DEFAULT_SOCKET, false, NULL };
	const struct argp argp = { ctl_argp_options, ctl_parse_opt, "status",
				   "Show the status of a running entropyd."
				   "\vExit status: 0 success, 1 entropyd unreachable or its answer unusable, 10 bad usage.",
				   NULL, NULL, NULL };
	json_error_t jerr;
	json_t *doc;
	char *reply;
	char why[256];

	stats_json_seed();
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &opt) != 0)
		return EXIT_USAGE;
	reply = ctl_request(opt.socket_path, "status\n");
	if (!reply)
		return EXIT_FAILED;
	doc = json_loads(reply, 0, &jerr);
	free(reply);
	if (!doc || !json_is_object(doc)) {
		fprintf(stderr, "entropyctl: the answer from %s is not a status document: %s\n",
			opt.socket_path, doc ? "not an object" : jerr.text);
		json_decref(doc);
		return EXIT_FAILED;
	}
	if (json_object_get(doc, "error")) {
		fprintf(stderr, "entropyctl: entropyd says: %s\n", ctl_str(doc, "error"));
		json_decref(doc);
		return EXIT_FAILED;
	}
	if (ctl_check_status(doc, why, sizeof(why)) < 0) {
		fprintf(stderr, "entropyctl: the answer from %s is not a status document: %s\n",
			opt.socket_path, why);
		json_decref(doc);
		return EXIT_FAILED;
	}
	if (opt.json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		ctl_print_table(doc);
	}
	json_decref(doc);
	return 0;
}
