#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The sources are C99 as gcc 4.4 (RHEL 6) compiles them: every .c under
# src/ and tests/ compiles with gcc -std=gnu99 -Wc99-c11-compat -Werror,
# which rejects the C11 keywords (_Static_assert, _Atomic, _Noreturn,
# _Alignas, _Generic, _Thread_local) gcc 4.4 does not know.  The
# programs are built with this machine's gcc; this checks the language,
# not gcc 4.4's builtins (tests/gcc44-builtins.sh does that).
. "${top_srcdir:-.}/tests/lib.sh"

command -v gcc > /dev/null || { echo "SKIP: gcc not installed"; exit 77; }
gcc -std=gnu99 -Wc99-c11-compat -Werror -fsyntax-only -x c /dev/null 2> /dev/null ||
	{ echo "SKIP: this gcc has no -Wc99-c11-compat (gcc 5 and later)"; exit 77; }
[ -f "$bin/config.h" ] || { echo "SKIP: $bin/config.h missing (configure first)"; exit 77; }
# The unit tests need Check's header; without it they are not built either.
have_check=yes
pkg-config --exists check 2> /dev/null || have_check=no

n=0
for f in "$srcdir"/src/*.c "$srcdir"/src/sources/*.c "$srcdir"/tests/*.c \
	"$srcdir"/tests/*/*.c; do
	[ -f "$f" ] || continue
	extra=
	case $f in
	*/tests/fuzz/*) continue ;;	# libFuzzer targets: clang only, never on RHEL
	*/tests/check_*.c|*/tests/*/check_*.c|*/tests/fixture.c)
		[ $have_check = yes ] || { echo "note: Check not installed, $f not compiled"; continue; }
		extra="-include $srcdir/tests/check_compat.h $(pkg-config --cflags check)" ;;
	esac
	# shellcheck disable=SC2086
	gcc -std=gnu99 -Wc99-c11-compat -Werror -fsyntax-only -D_GNU_SOURCE -DHAVE_CONFIG_H \
		-DSYSCONFDIR='"/etc"' -I"$bin" -I"$srcdir/src" -I"$srcdir/tests" \
		${COMPAT_CPPFLAGS:-} $extra -pthread \
		"$f" 2> "$tmp/err" || { cat "$tmp/err"; fail "$f is not C99 (gnu99) for gcc 4.4"; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no sources found under $srcdir"
pass "$n C files compile with -std=gnu99 -Wc99-c11-compat -Werror"
