/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "sources/sources.h"

static char err[256];

START_TEST(test_registry_entries_are_sound)
{
	size_t i, j;

	ck_assert_uint_gt(source_registry_count, 0);
	for (i = 0; i < source_registry_count; i++) {
		ck_assert_msg(source_ops_validate(source_registry[i], err, sizeof(err)) == 0,
			      "%s", err);
		for (j = i + 1; j < source_registry_count; j++)
			ck_assert_str_ne(source_registry[i]->name, source_registry[j]->name);
	}
}
END_TEST

START_TEST(test_find)
{
	ck_assert_ptr_eq(source_find("hwrng"), &hwrng_source_ops);
	ck_assert_ptr_eq(source_find("pipe"), &pipe_source_ops);
	ck_assert_ptr_null(source_find("nosuch"));
	ck_assert_ptr_null(source_find(""));
}
END_TEST

START_TEST(test_validate_rejects_defects)
{
	struct source_ops ops = hwrng_source_ops;
	static const struct source_option shadow[] = {
		{ "credit", "1", "shadows the core's option" },
		{ NULL, NULL, NULL },
	};

	ops.name = "Bad-Name";
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "Bad-Name"));

	ops = hwrng_source_ops;
	ops.read = NULL;
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "missing"));

	ops = hwrng_source_ops;
	ops.default_credit = CREDIT_MAX + 1;
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);
	ops.default_credit = 0;
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);

	ops = hwrng_source_ops;
	ops.on_demand = true;
	ops.read_ahead = true;
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "exclude"));

	ops = hwrng_source_ops;
	ops.options = shadow;
	ck_assert_int_eq(source_ops_validate(&ops, err, sizeof(err)), -1);
	ck_assert_int_eq(source_ops_validate(NULL, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_instances_are_independent)
{
	size_t i;

	/* Two instances of one source must not share state. */
	for (i = 0; i < source_registry_count; i++) {
		const struct source_ops *ops = source_registry[i];
		const struct source_option *opt;
		void *a = ops->create();
		void *b = ops->create();
		char va[256], vb[256];

		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		ck_assert_ptr_ne(a, b);
		for (opt = ops->options; opt->key; opt++) {
			ops->get_option(a, opt->key, va, sizeof(va));
			ops->get_option(b, opt->key, vb, sizeof(vb));
			ck_assert_str_eq(va, vb);
		}
		ck_assert_int_eq(ops->set_option(a, "no-such-key", "1", err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "no-such-key"));
		ops->destroy(a);
		ops->destroy(b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("registry");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_registry_entries_are_sound);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_validate_rejects_defects);
	tcase_add_test(tc, test_instances_are_independent);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
