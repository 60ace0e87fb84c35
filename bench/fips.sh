#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FIPS 140-2 throughput, in one run:
#  1. entropy-check -j 1 and -j <all online CPUs> against rng-tools5's
#     rngtest (Debian's, unpacked by anchors() in lib.sh) on the same stream
#     in the page cache; the three take turns, RUNS times, so a busy machine
#     slows them alike, and each run gives its own ratio (of wall time; the
#     ratio of CPU time, which load changes less, is printed too);
#  2. the FIPS engine alone in memory for each word loop this build and CPU
#     offer (bench/fips_speed: CPU time of the thread, loops taking turns).
# Prints min and median over the runs (min: the slowest run).
#   sh bench/fips.sh [BUILDDIR] [MEGABYTES] [RUNS]      (default 200 MB, 5 runs)
set -eu
build=$(cd "${1:-_build}" && pwd)
mb=${2:-200}
runs=${3:-5}
. "$(dirname "$0")/lib.sh"
make -C "$build" -s bench/fips_speed

if anchors; then
	rngtest=$anchor_bin/bin/rngtest
elif command -v rngtest > /dev/null; then
	rngtest=$(command -v rngtest)
else
	echo "no rngtest: needs apt-get (Debian's rng-tools5) or rngtest on PATH" >&2
	exit 1
fi
check=$build/entropy-check
jall=$(nproc)
machine
echo "rngtest: $rngtest"

# A stream of whole blocks after the 4 priming bytes, made once, read once
# so that every run finds it in the page cache.
head -c $((mb * 1000000 + 4)) /dev/urandom > "$tmp/stream"
cat "$tmp/stream" > /dev/null

echo
echo "== FIPS 140-2 on $mb MB in the page cache: rngtest, entropy-check -j 1, -j $jall in turn, $runs runs"
for i in $(seq "$runs"); do
	r=$(measure "$rngtest" < "$tmp/stream")
	one=$(measure "$check" -j 1 < "$tmp/stream")
	all=$(measure "$check" -j "$jall" < "$tmp/stream")
	echo "$r $one $all" >> "$tmp/times"	# wall, CPU of each
done
rate() {	# COLUMN: MB/s of each run
	awk -v c="$1" -v mb="$mb" '{ print mb / $c }' "$tmp/times"
}
ratio() {	# COLUMN: rngtest's time (wall: 1, CPU: 2) over that column's, run by run
	awk -v c="$1" '{ print $(c % 2 ? 1 : 2) / $c }' "$tmp/times"
}
echo "rngtest (rng-tools5):        MB/s $(rate 1 | summary)"
echo "entropy-check -j 1:          MB/s $(rate 3 | summary)"
echo "entropy-check -j $jall:          MB/s $(rate 5 | summary)"
echo "ratio to rngtest, -j 1:      $(ratio 3 | summary)"
echo "ratio to rngtest, -j $jall:      $(ratio 5 | summary)"
echo "CPU time ratio, -j 1:        $(ratio 4 | summary)"
echo "CPU time ratio, -j $jall:        $(ratio 6 | summary)"

# The same verdicts on this stream too.
"$rngtest" < "$tmp/stream" 2>&1 | grep -E 'successes|failures' | sed 's/^[a-z-]*: /rngtest:            /'
"$check" -j "$jall" < "$tmp/stream" 2>&1 | grep -E 'successes|failures' | sed 's/^[a-z-]*: /entropy-check -j N: /'

echo
echo "== the FIPS engine alone, in memory: 50 MB, $runs rounds, loops in turn (MB/s of thread CPU time)"
"$build/bench/fips_speed" 50 "$runs" > "$tmp/loops"
awk '{ printf "%-8s min %s median %s (failed blocks: %s)\n", $1, $2, $3, $4 }' "$tmp/loops"
awk '$1 != "avx2" && $3 > best { best = $3; name = $1 } $1 == "avx2" { avx = $3 }
	END { if (avx && best) printf "avx2 / %s (the fastest scalar loop), medians: %.2fx\n", name, avx / best }' "$tmp/loops"
