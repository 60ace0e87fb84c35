#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Longer fuzzing runs of every libFuzzer target (CI runs each for seconds).
#   sh bench/fuzz.sh [SECONDS_PER_TARGET]     (default 600)
# Builds with clang in _build-fuzz; crashes land in _build-fuzz/crashes/.
set -eu
secs=${1:-600}
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build-fuzz"
[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh)
mkdir -p "$build/crashes"
cd "$build"
[ -f Makefile ] || "$top/configure" --quiet --enable-fuzzers CC=clang
make -j"$(nproc)" tests/fuzz/fuzz_parse tests/fuzz/fuzz_control tests/fuzz/fuzz_options
for t in fuzz_parse fuzz_control fuzz_options; do
	mkdir -p "corpus/$t"
	echo "== $t for $secs s"
	"tests/fuzz/$t" -max_total_time="$secs" -artifact_prefix="crashes/$t-" "corpus/$t"
done
