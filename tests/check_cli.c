/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"
#include "source.h"

/*
 * The parser keeps pointers into argv and splits -O values in place, as
 * with a real argv: give it writable copies that live for the test.
 */
static char **writable_argv(const char *const *args, int argc)
{
	static char text[32][256];
	static char *argv[33];
	int i;

	ck_assert_int_lt(argc, 32);
	for (i = 0; i < argc; i++) {
		snprintf(text[i], sizeof(text[i]), "%s", args[i]);
		argv[i] = text[i];
	}
	argv[argc] = NULL;
	return argv;
}

#define ARGS_COUNT(args) ((int)(sizeof(args) / sizeof(args[0])) - 1)

#define PARSE(cfg, ...)                                                        \
	do {                                                                   \
		const char *args_[] = { "entropyd", __VA_ARGS__, NULL };       \
		config_defaults(cfg);                                          \
		ck_assert_int_eq(config_parse(cfg, ARGS_COUNT(args_),          \
					      writable_argv(args_, ARGS_COUNT(args_))), 0); \
	} while (0)

static size_t index_of(const char *name)
{
	size_t i;

	for (i = 0; i < source_registry_count; i++)
		if (strcmp(source_registry[i]->name, name) == 0)
			return i;
	ck_abort_msg("no source %s", name);
	return 0;
}

START_TEST(test_defaults)
{
	struct config cfg;

	PARSE(&cfg, "-f");
	ck_assert(cfg.foreground);
	ck_assert_str_eq(cfg.random_device, "/dev/random");
	ck_assert_uint_eq(cfg.step_bytes, 64);
	ck_assert_int_eq(cfg.fill_watermark, -1);
	ck_assert_uint_eq(cfg.reseed_interval_s, 60);
	ck_assert_uint_eq(cfg.once_timeout_s, 60);
	ck_assert_uint_eq(cfg.default_credit, 0);
	ck_assert_int_eq(cfg.log_priority, LOG_INFO);
	ck_assert(config_source_enabled(&cfg, index_of("hwrng")));
	ck_assert(!config_source_enabled(&cfg, index_of("pipe")));
}
END_TEST

START_TEST(test_values)
{
	struct config cfg;

	PARSE(&cfg, "-s", "128", "-W", "3000", "-R", "300", "-e", "6", "-o", "-",
	      "-r", "/dev/tpmrng", "-d", "-i", "--retry-delay", "2", "--once",
	      "--once-timeout", "30");
	ck_assert_uint_eq(cfg.step_bytes, 128);
	ck_assert_int_eq(cfg.fill_watermark, 3000);
	ck_assert_uint_eq(cfg.reseed_interval_s, 300);
	ck_assert_uint_eq(cfg.default_credit, 6 * CREDIT_ONE_BIT);
	ck_assert_str_eq(cfg.random_device, "-");
	ck_assert_str_eq(cfg.rng_device, "/dev/tpmrng");
	ck_assert_int_eq(cfg.log_priority, LOG_DEBUG);
	ck_assert(cfg.ignore_failures);
	ck_assert(cfg.once);
	ck_assert_uint_eq(cfg.once_timeout_s, 30);
	ck_assert_uint_eq(cfg.retry_delay_s, 2);
	ck_assert(!cfg.foreground);
}
END_TEST

START_TEST(test_include_exclude_option)
{
	struct config cfg;

	PARSE(&cfg, "-x", "hwrng", "-O", "pipe:path:/tmp/fifo", "-O", "hwrng:device:/dev/x");
	ck_assert(!config_source_enabled(&cfg, index_of("hwrng")));	/* -x wins over -O */
	ck_assert(config_source_enabled(&cfg, index_of("pipe")));	/* -O includes */
	ck_assert_uint_eq(cfg.n_settings, 2);
	ck_assert_str_eq(cfg.settings[0].source, "pipe");
	ck_assert_str_eq(cfg.settings[0].key, "path");
	ck_assert_str_eq(cfg.settings[0].value, "/tmp/fifo");

	/* A value may itself hold colons. */
	PARSE(&cfg, "-n", "pipe", "-O", "pipe:path:/a:b");
	ck_assert(config_source_enabled(&cfg, index_of("pipe")));
	ck_assert_str_eq(cfg.settings[0].value, "/a:b");
}
END_TEST

/* Each bad invocation must exit 10 (argp_error) without starting anything. */
static void parse_expect_usage_error(const char *const *args, int argc)
{
	struct config cfg;

	config_defaults(&cfg);
	/* stderr goes to the test log; the exit status is what is checked. */
	config_parse(&cfg, argc, writable_argv(args, argc));
}

#define USAGE_TEST(name, ...)                                                  \
	START_TEST(name)                                                       \
	{                                                                      \
		const char *args_[] = { "entropyd", __VA_ARGS__, NULL };       \
		parse_expect_usage_error(args_, ARGS_COUNT(args_));            \
	}                                                                      \
	END_TEST

USAGE_TEST(test_bad_step, "-s", "0")
USAGE_TEST(test_bad_step_text, "-s", "64k")
USAGE_TEST(test_bad_watermark, "-W", "4097")
USAGE_TEST(test_bad_reseed, "-R", "0")
USAGE_TEST(test_bad_credit, "-e", "9")
USAGE_TEST(test_bad_source, "-x", "nosuch")
USAGE_TEST(test_bad_option_syntax, "-O", "pipe:path")
USAGE_TEST(test_bad_option_source, "-O", "nosuch:key:value")
USAGE_TEST(test_unknown_flag, "--no-such-flag")
USAGE_TEST(test_stray_argument, "stray")
USAGE_TEST(test_test_and_once, "-t", "--once")
USAGE_TEST(test_empty_output, "-o", "")
USAGE_TEST(test_bad_once_timeout, "--once", "--once-timeout", "0")

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *ok = tcase_create("accepted");
	TCase *bad = tcase_create("rejected");
	SRunner *sr;
	int failed;

	tcase_add_test(ok, test_defaults);
	tcase_add_test(ok, test_values);
	tcase_add_test(ok, test_include_exclude_option);
	tcase_add_exit_test(bad, test_bad_step, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_step_text, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_watermark, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_reseed, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_credit, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_source, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_option_syntax, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_option_source, EXIT_USAGE);
	tcase_add_exit_test(bad, test_unknown_flag, EXIT_USAGE);
	tcase_add_exit_test(bad, test_stray_argument, EXIT_USAGE);
	tcase_add_exit_test(bad, test_test_and_once, EXIT_USAGE);
	tcase_add_exit_test(bad, test_empty_output, EXIT_USAGE);
	tcase_add_exit_test(bad, test_bad_once_timeout, EXIT_USAGE);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
