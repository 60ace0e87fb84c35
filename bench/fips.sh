#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FIPS 140-2 throughput: entropy-check against rng-tools' rngtest on the same
# 200 MB stream, in the same run.  Run from the source tree:
#   sh bench/fips.sh [BUILDDIR] [MEGABYTES]
# Prints each tool's best wall time over 3 runs, its throughput and the ratio.
set -eu
build=$(cd "${1:-_build}" && pwd)
mb=${2:-200}
command -v rngtest > /dev/null || { echo "rngtest not found: apt-get install rng-tools5" >&2; exit 1; }
tmp=$(mktemp -d /tmp/entropyd-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A stream of whole blocks after the 4 priming bytes, generated once.
head -c $((mb * 1000000 + 4)) /dev/urandom > "$tmp/stream"
bytes=$(stat -c %s "$tmp/stream")

best() {	# best of 3 wall-clock runs of "$@" < stream, in seconds
	b=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" < "$tmp/stream" > /dev/null 2>&1 || [ $? -eq 1 ]
		e=$(date +%s.%N)
		b=$(echo "$s $e ${b:-999999}" | awk '{ t = $2 - $1; print (t < $3 ? t : $3) }')
	done
	echo "$b"
}

cat "$tmp/stream" > /dev/null	# into the page cache for both
t_rng=$(best rngtest)
t_ours=$(best "$build/entropy-check")
awk -v n="$bytes" -v a="$t_rng" -v b="$t_ours" -v mb="$mb" 'BEGIN {
	printf "input: %d MB from /dev/urandom (best of 3 runs each)\n", mb
	printf "rngtest (rng-tools5): %7.3f s  %8.1f MB/s\n", a, n / a / 1e6
	printf "entropy-check:        %7.3f s  %8.1f MB/s\n", b, n / b / 1e6
	printf "ratio: %.1fx\n", a / b
}'
# Same verdicts on this stream too.
rngtest < "$tmp/stream" 2>&1 | grep -E 'successes|failures' | sed 's/^[a-z-]*: /rngtest:       /'
"$build/entropy-check" < "$tmp/stream" 2>&1 | grep -E 'successes|failures' | sed 's/^[a-z-]*: /entropy-check: /'
