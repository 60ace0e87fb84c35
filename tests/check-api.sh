#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests build with Check 0.9.8 (RHEL 6): every Check name they
# use is in 0.9.8's API or defined by tests/check_compat.h, and every test
# compiles (-Werror) with check_compat.h's own definitions in force, as it
# would against 0.9.8 or 0.9.9, where they replace Check's.
# 0.9.8's API, from Check's NEWS: suites, test cases (tests, exit/signal/
# loop tests, fixtures, timeouts), runners (run_all, counts, results,
# logs, XML, fork status), fail/fail_if/fail_unless/mark_point, and the
# assertions of the "new" API of 0.9.6: ck_assert, ck_assert_msg,
# ck_abort, ck_abort_msg, ck_assert_int_eq/ne, ck_assert_str_eq/ne.
. "${top_srcdir:-.}/tests/lib.sh"

api098='START_TEST END_TEST
suite_create suite_add_tcase tcase_create tcase_add_test tcase_add_test_raise_signal
tcase_add_exit_test tcase_add_loop_test tcase_add_loop_test_raise_signal
tcase_add_loop_exit_test tcase_add_unchecked_fixture tcase_add_checked_fixture
tcase_set_timeout srunner_create srunner_add_suite srunner_free srunner_run_all
srunner_ntests_failed srunner_ntests_run srunner_failures srunner_results srunner_print
srunner_set_log srunner_has_log srunner_log_fname srunner_set_xml srunner_has_xml
srunner_xml_fname srunner_fork_status srunner_set_fork_status
fail fail_if fail_unless mark_point
ck_assert ck_assert_msg ck_abort ck_abort_msg ck_assert_int_eq ck_assert_int_ne
ck_assert_str_eq ck_assert_str_ne
CK_SILENT CK_MINIMAL CK_NORMAL CK_VERBOSE CK_ENV CK_SUBUNIT CK_FORK CK_NOFORK CK_FORK_GETENV
CK_PASS CK_FAILURE CK_ERROR'
compat=$(sed -n 's/^#define \(ck_[a-z_]*\).*/\1/p' "$srcdir/tests/check_compat.h")
printf '%s\n' $api098 $compat | sort -u > "$tmp/allowed"

tests=$(grep -l '<check.h>' "$srcdir"/tests/*.c "$srcdir"/tests/*/*.c 2> /dev/null)
[ -n "$tests" ] || fail "no unit tests found under $srcdir/tests"
# shellcheck disable=SC2086
grep -ohE '\b(ck_[a-z_]+|fail(_if|_unless)?|mark_point|(tcase|suite|srunner)_[a-z_]+|CK_[A-Z_]+|START_TEST|END_TEST)\b' \
	$tests | sort -u > "$tmp/used"
# CK_DEFAULT_TIMEOUT and friends are environment variables, not API
grep -v '^CK_DEFAULT_TIMEOUT$\|^CK_TIMEOUT_MULTIPLIER$\|^CK_VERBOSITY$\|^CK_FORK$' "$tmp/used" |
	comm -23 - "$tmp/allowed" > "$tmp/newer"
[ ! -s "$tmp/newer" ] || { cat "$tmp/newer"; fail "Check names newer than 0.9.8 and not in tests/check_compat.h"; }
pass "$(wc -l < "$tmp/used") Check names used, all in 0.9.8 or tests/check_compat.h"

pkg-config --exists check 2> /dev/null || { echo "SKIP: Check not installed: compat definitions not compiled"; exit 77; }
[ -f "$bin/config.h" ] || { echo "SKIP: $bin/config.h missing (configure first)"; exit 77; }
n=0
for f in $tests; do
	# shellcheck disable=SC2086
	gcc -std=gnu99 -fsyntax-only -Wall -Wextra -Wformat=2 -Wno-unused-parameter -Werror \
		-D_GNU_SOURCE -DHAVE_CONFIG_H -DENTROPYD_CHECK_OLD -DSYSCONFDIR='"/etc"' \
		-I"$bin" -I"$srcdir/src" -I"$srcdir/tests" ${COMPAT_CPPFLAGS:-} \
		-include "$srcdir/tests/check_compat.h" $(pkg-config --cflags check) -pthread \
		"$f" 2> "$tmp/err" || { cat "$tmp/err"; fail "$f with check_compat.h's definitions"; }
	n=$((n + 1))
done
pass "$n unit tests compile with the definitions check_compat.h gives Check 0.9.8/0.9.9"
