/* SPDX-License-Identifier: GPL-2.0-or-later */
/* When --once gives up (exit 1) instead of waiting for ever. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "once.h"

START_TEST(gives_up_only_when_it_cannot_finish)
{
	struct once_view v = { .now_ms = 1000, .deadline_ms = 61000, .workers = 2, .suspended = 1 };

	ck_assert_ptr_null(once_give_up(&v));		/* one source still reads */
	v.suspended = 2;
	ck_assert_str_eq(once_give_up(&v), "every source is suspended");
	v.queued_bytes = 64;				/* what is queued may still finish it */
	ck_assert_ptr_null(once_give_up(&v));
	v.now_ms = 61000;				/* but not past the deadline */
	ck_assert_str_eq(once_give_up(&v), "--once-timeout passed before the pool was filled");
	v = (struct once_view){ .now_ms = 1000, .deadline_ms = 61000 };
	ck_assert_str_eq(once_give_up(&v), "no source is left to read");
	/* a FIFO nobody writes: running, nothing queued, until the deadline */
	v.workers = 1;
	ck_assert_ptr_null(once_give_up(&v));
	v.now_ms = 61001;
	ck_assert_ptr_nonnull(once_give_up(&v));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("once");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, gives_up_only_when_it_cannot_finish);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
