#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# No compiler feature newer than gcc 4.4 (RHEL 6) in the code (comments
# stripped first): __atomic_* (4.7; use __sync_* or a lock),
# __builtin_cpu_supports/__builtin_cpu_init (4.8; use <cpuid.h>),
# __builtin_unreachable (4.5), __builtin_*_overflow and __has_include
# (5), __auto_type (4.9), __int128 and "#pragma GCC diagnostic push/pop"
# (4.6), the fallthrough attribute (7), <stdatomic.h> (4.9).
. "${top_srcdir:-.}/tests/lib.sh"

command -v gcc > /dev/null || { echo "SKIP: gcc not installed"; exit 77; }
pattern='__atomic_|__builtin_cpu_(supports|init)|__builtin_unreachable|__builtin_[a-z]*_overflow|__has_include|__has_attribute|__auto_type|__int128|pragma[[:space:]]+GCC[[:space:]]+diagnostic[[:space:]]+(push|pop)|fallthrough|stdatomic\.h'
: > "$tmp/found"
n=0
for f in "$srcdir"/src/*.c "$srcdir"/src/*.h "$srcdir"/src/*/*.c "$srcdir"/src/*/*.h \
	"$srcdir"/tests/*.c "$srcdir"/tests/*.h "$srcdir"/tests/*/*.c "$srcdir"/tests/*/*.h; do
	[ -f "$f" ] || continue
	case $f in */tests/fuzz/*) continue ;; esac	# clang only, never built on RHEL
	n=$((n + 1))
	# -fpreprocessed: drop the comments, expand nothing
	gcc -fpreprocessed -dD -E -P -x c "$f" 2> /dev/null > "$tmp/code" || cp "$f" "$tmp/code"
	grep -En "$pattern" "$tmp/code" | sed "s|^|$f: |" >> "$tmp/found"
done
[ "$n" -gt 0 ] || fail "no sources found under $srcdir"
[ ! -s "$tmp/found" ] || { cat "$tmp/found"; fail "features gcc 4.4 lacks"; }
pass "$n source files use nothing newer than gcc 4.4 offers"
