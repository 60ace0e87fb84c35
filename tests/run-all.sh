#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every test entropyd has, as CI runs it: usage: run-all.sh SRCDIR BUILDDIR
#  1. gcc, -Werror: build and make check (unit + integration tests)
#  2. valgrind memcheck over every unit test: no errors, no leaks
#  3. make distcheck: the tarball builds and passes its tests out of tree
#  4. clang, -Werror, AddressSanitizer + UndefinedBehaviorSanitizer:
#     build and make check (unit + integration tests)
#  4b. clang ThreadSanitizer: unit tests and the daemon's integration tests
#     (workers, SIGHUP with a stuck source): no report
#  5. cppcheck and clang-tidy (.clang-tidy): no findings
#  6. libFuzzer: each parser of outside input fuzzed for a few seconds
#  7. real kernels under QEMU (tests/guest/boot-*.sh): a static entropyd in
#     busybox guests on legacy 4.19 (../shared/kernels) and Debian's kernel
set -eu

top=$1
builddir=$2
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n=== %s ===\n' "$*"; }

cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || ./autogen.sh

step "gcc -Werror: make check"
rm -rf "$builddir"; mkdir -p "$builddir"; cd "$builddir"
"$top/configure" --quiet --with-check --enable-werror CC=gcc
make -j"$jobs" >/dev/null
make -j"$jobs" check || { cat test-suite.log; exit 1; }

step "valgrind memcheck: unit tests"
unit_tests=$(find tests -type f -perm -u+x -name 'check_*' | sort | tr '\n' ' ')
# valgrind runs code 20-50 times slower: a longer limit per Check test.
CK_DEFAULT_TIMEOUT=600 make -j"$jobs" check TESTS="$unit_tests" LOG_COMPILER=valgrind \
	AM_LOG_FLAGS="-q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" ||
	{ cat test-suite.log; exit 1; }

step "make distcheck"
make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS="--with-check --enable-werror" >distcheck.log 2>&1 ||
	{ tail -n 80 distcheck.log; exit 1; }
tail -n 4 distcheck.log

step "clang -Werror, ASan + UBSan: make check"
clangdir="$builddir/clang"
mkdir -p "$clangdir"; cd "$clangdir"
"$top/configure" --quiet --with-check --enable-werror --enable-sanitizers CC=clang
make -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	make -j"$jobs" check || { cat test-suite.log; exit 1; }

step "clang ThreadSanitizer: unit tests, daemon tests"
tsandir="$builddir/tsan"
mkdir -p "$tsandir"; cd "$tsandir"
"$top/configure" --quiet --with-check CC=clang CFLAGS="-g -O1 -fsanitize=thread" LDFLAGS="-fsanitize=thread"
make -j"$jobs" >/dev/null
make -j"$jobs" check TESTS= >/dev/null	# builds the unit tests without running them
# check_estimate is single-threaded arithmetic that TSan slows to ~2 min.
tsan_tests="$(find tests -type f -perm -u+x -name 'check_*' ! -name check_estimate | sort | tr '\n' ' ')"
for t in "$top"/tests/daemon-*.sh "$top"/tests/runpath-*.sh; do tsan_tests="$tsan_tests tests/${t##*/}"; done
# Every process writes its reports to tsan.PID: a daemon's report counts
# even when its test does not look at its exit status.  TSan's default
# 1 s pause at exit would fail the tests that time SIGTERM (< 1 s).
rm -f "$tsandir"/tsan.*
TSAN_OPTIONS="halt_on_error=1 exitcode=66 atexit_sleep_ms=100 log_path=$tsandir/tsan" RACE_STARTS=50 \
	make -j"$jobs" check TESTS="$tsan_tests" || { cat test-suite.log; exit 1; }
if ls "$tsandir"/tsan.* > /dev/null 2>&1; then
	cat "$tsandir"/tsan.*; echo "ThreadSanitizer: reports above"; exit 1
fi

step "static analysis: cppcheck, clang-tidy"
cd "$top"
# variableScope: declarations at the top of a function are this code's style.
cppcheck -q --error-exitcode=1 --enable=warning,style,performance,portability --std=c99 \
	--inline-suppr --suppress=missingIncludeSystem --suppress=variableScope \
	-I src -I "$builddir" src tests
clang-tidy -quiet src/*.c src/sources/*.c src/sinks/*.c -- -I"$builddir" -Isrc -D_GNU_SOURCE \
	$(pkg-config --cflags jansson libsystemd 2>/dev/null) > "$builddir/clang-tidy.log" 2>&1 ||
	{ cat "$builddir/clang-tidy.log"; echo "clang-tidy: findings above"; exit 1; }

step "libFuzzer: option, number, control-protocol and EGD parsers"
fuzzdir="$builddir/fuzz"
mkdir -p "$fuzzdir"; cd "$fuzzdir"
"$top/configure" --quiet --enable-fuzzers CC=clang
make -j"$jobs" tests/fuzz/fuzz_parse tests/fuzz/fuzz_control tests/fuzz/fuzz_options tests/fuzz/fuzz_egd >/dev/null
for t in fuzz_parse fuzz_control fuzz_options fuzz_egd; do
	mkdir -p "corpus/$t"
	"tests/fuzz/$t" -max_total_time="${FUZZ_SECONDS:-10}" -artifact_prefix="$fuzzdir/$t-" \
		"corpus/$t" > "$t.log" 2>&1 || { tail -n 40 "$t.log"; exit 1; }
	echo "$t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$t.log")"
done

step "guests: legacy 4.19 and Debian's kernel under QEMU (TCG)"
# Each script boots its guests (each boot under timeout) and skips (77,
# saying why) without qemu, busybox-static or the kernels.
for t in "$top"/tests/guest/boot-*.sh; do
	rc=0
	sh "$t" "$top" "$builddir/guest" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || { echo "$t failed"; exit 1; }
done

step "all test stages passed"
