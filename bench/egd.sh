#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# EGD server throughput (--egd-socket) with 1, 8 and 64 clients asking with
# blocking reads as QEMU's rng-egd does, against the raw rate of the same
# source read in a loop (bench/source_raw), in the same run.
#   sh bench/egd.sh [BUILDDIR] [MEGABYTES] [RUNS]
# The source is RDRAND (rdrand mode: the fastest one a CPU has); without
# RDRAND the script says so and stops.
set -eu
build=$(cd "${1:-_build}" && pwd)
mb=${2:-20}
runs=${3:-3}
. "$(dirname "$0")/lib.sh"
make -C "$build" -s bench/source_raw tests/helpers/egd_client

if ! "$build/bench/source_raw" rdrand 0.1 > /dev/null 2>&1; then
	echo "no RDRAND on this CPU: nothing to serve at speed"
	exit 0
fi
now_ns() { date +%s%N; }

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1); $(date -u +%Y-%m-%d)"
echo "each figure: $runs runs, $mb MB in all per run; min / median in MB/s"
raw=$("$build/bench/source_raw" rdrand 3 mode=rdrand | cut -d" " -f2)

"$build/entropyd" -f $(only rdrand) -O rdrand:mode:rdrand --egd-only --egd-socket "$tmp/egd" \
	-c "" -p "" 2> "$tmp/log" &
epid=$!; pids="$pids $epid"
for i in $(seq 50); do [ -S "$tmp/egd" ] && break; sleep 0.1; done
[ -S "$tmp/egd" ] || { cat "$tmp/log"; exit 1; }

# clients N: MB/s for N clients sharing $mb MB
clients() {
	n=$1
	each=$((mb * 1000000 / n))
	t0=$(now_ns)
	cpids=
	for i in $(seq "$n"); do
		"$build/tests/helpers/egd_client" "$tmp/egd" block "$each" > /dev/null &
		cpids="$cpids $!"
	done
	for p in $cpids; do wait "$p"; done
	t1=$(now_ns)
	awk -v b="$((each * n))" -v ns="$((t1 - t0))" 'BEGIN { printf "%.1f\n", b / 1e6 / (ns / 1e9) }'
}

printf '%-12s %10s %10s %8s\n' clients "min MB/s" "median" "of raw"
for n in 1 8 64; do
	for r in $(seq "$runs"); do clients "$n"; done | sort -n > "$tmp/rates"
	min=$(head -n 1 "$tmp/rates")
	med=$(sed -n "$(( (runs + 1) / 2 ))p" "$tmp/rates")
	awk -v n="$n" -v min="$min" -v med="$med" -v raw="$raw" 'BEGIN {
		printf "%-12s %10.1f %10.1f %7.0f%%\n", n, min, med, 100 * med * 1e6 / raw }'
done
awk -v raw="$raw" 'BEGIN { printf "raw RDRAND read loop, same run: %.1f MB/s\n", raw / 1e6 }'
kill -TERM $epid; wait $epid || true
