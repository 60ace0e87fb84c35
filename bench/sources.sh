#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Each source's rate through the whole pipeline (entropyd -t with only that
# source) against its raw rate measured in the same run (the source's own
# read() in a loop, bench/source_raw; dd for the device), and the jitter
# source's CPU cost against Debian's jitterentropy-rngd.
#   [RUNS=3] sh bench/sources.sh [BUILDDIR] [SECONDS] [IDLE_SECONDS]
# Needs root for the idle measurement (it feeds /dev/random); skips it otherwise.
set -eu
build=$(cd "${1:-_build}" && pwd)
secs=${2:-5}
idle_s=${3:-60}
. "$(dirname "$0")/lib.sh"
make -C "$build" -s bench/source_raw
# Debian's jitterentropy-rngd for the comparison, unpacked, never installed
if anchors; then PATH=$anchor_bin/sbin:$PATH; fi
machine
echo "(each row: 1 run of $secs s; rdrand rows: RUNS=${RUNS:-3} runs, raw and pipeline in turn)"

cpu_s() {	# utime + stime of a PID, in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' /proc/"$1"/stat
}
# pipeline NAME [OPTIONS]: mean bytes/s passed over the run, and CPU s/KiB
pipeline() {
	name=$1; shift
	"$build/entropyd" -t $(only "$name") "$@" > "$tmp/rates" 2> /dev/null &
	pid=$!; pids="$pids $pid"
	sleep "$secs"
	cpu=$(cpu_s $pid)
	kill -TERM $pid; wait $pid || true
	# bytes per second over the last complete report: passed / its time stamp
	grep " $name .* bytes/s$" "$tmp/rates" | tail -n 1 |
		sed -n 's/^\[ *\([0-9.]*\)s\].*passed \([0-9]*\) bytes.*/\2 \1/p' |
		awk -v c="$cpu" '{ printf "%.0f %s\n", $1 / $2, c } END { if (!NR) print "0 " c }'
}

printf '%-8s %14s %14s %8s\n' source "raw B/s" "pipeline B/s" cost
row() {	# NAME RAW_BPS PIPELINE_BPS
	awk -v n="$1" -v raw="$2" -v pb="$3" 'BEGIN {
		printf "%-8s %14.0f %14.0f %7.1f%%\n", n, raw, pb, (raw > 0 ? 100 * (1 - pb / raw) : 0) }'
}

runs=${RUNS:-3}
# rdrand in each mode this CPU has: RDSEED (the default where it exists)
# and RDRAND, the fastest source; raw and pipeline take turns, $runs times.
for mode in rdseed rdrand; do
	"$build/bench/source_raw" rdrand 0.1 mode=$mode > /dev/null 2>&1 || continue
	for i in $(seq "$runs"); do
		raw=$("$build/bench/source_raw" rdrand "$secs" mode=$mode | cut -d' ' -f2)
		row "$mode" "$raw" "$(pipeline rdrand -O rdrand:mode:$mode | cut -d' ' -f1)"
	done | tee "$tmp/rows.$mode"
done
raw_j=$("$build/bench/source_raw" jitter "$secs" 2> /dev/null)
pipe_j=$(pipeline jitter)
row jitter "$(echo "$raw_j" | cut -d' ' -f2)" "$(echo "$pipe_j" | cut -d' ' -f1)"
if [ -r /dev/hwrng ]; then
	# 40 reads of 512 bytes, about 2 s at virtio-rng's ~10 KB/s
	raw=$(dd if=/dev/hwrng of=/dev/null bs=512 count=40 iflag=fullblock 2>&1 |
		awk '/bytes/ { for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) t = $(i - 1); print $1 / t }')
	row virtio "${raw:-0}" "$(pipeline virtio -O virtio:force:1 | cut -d' ' -f1)"
fi
# The reading path of a device or pipe at speed: a FIFO that a loop of cat
# keeps full from 64 MB in the page cache.
head -c 64000000 /dev/urandom > "$tmp/stream"
mkfifo -m 600 "$tmp/fifo"
# feed: a writer for one measurement (a reader that closes the FIFO ends it)
feed() { (while cat "$tmp/stream"; do :; done > "$tmp/fifo" 2> /dev/null) & fpid=$!; pids="$pids $fpid"; }
fed() { kill $fpid 2>/dev/null || :; wait $fpid 2>/dev/null || :; }
feed
raw=$("$build/bench/source_raw" pipe "$secs" path="$tmp/fifo" | cut -d' ' -f2)
fed; feed
pipe=$(pipeline pipe -O pipe:path:"$tmp/fifo" | cut -d' ' -f1)
fed
row "pipe*" "$raw" "$pipe"
echo "(* a FIFO fed by cat from the page cache: the reading path at speed)"
for mode in rdseed rdrand; do
	[ -s "$tmp/rows.$mode" ] || continue
	echo "$mode: the pipeline's rate in % of the raw rate: $(awk '{ print 100 - $4 }' "$tmp/rows.$mode" | summary)"
done
echo "cost: the share of the raw rate the pipeline loses (FIPS, queue, hand-off)"

echo
echo "== jitter: CPU per KiB"
awk -v r="$raw_j" -v p="$pipe_j" -v s="$secs" 'BEGIN {
	split(r, a, " "); split(p, b, " ")
	printf "entropyd jitter (osr 3): %.0f B/s, %.2f ms CPU per KiB (pipeline %.2f ms)\n",
		a[2], 1000 * a[3] / (a[2] * s / 1024), 1000 * b[2] / (b[1] * s / 1024) }'
if command -v jitterentropy-rngd > /dev/null && [ "$(id -u)" -eq 0 ]; then
	# jitterentropy-rngd injects 448 bytes at start, then only on demand:
	# its start-up CPU time over those bytes is its cost per KiB.
	jitterentropy-rngd -v -v --osr 3 > "$tmp/jent.log" 2>&1 &
	jpid=$!; pids="$pids $jpid"
	for i in $(seq 50); do grep -q "bytes written to /dev/random" "$tmp/jent.log" && break; sleep 0.1; done
	jcpu=$(cpu_s $jpid)
	jbytes=$(sed -n 's/.*Verbose: \([0-9]*\) bytes written.*/\1/p' "$tmp/jent.log" | head -n 1)
	awk -v c="$jcpu" -v b="${jbytes:-0}" 'BEGIN {
		if (b > 0) printf "jitterentropy-rngd --osr 3: %.2f ms CPU per KiB (start-up: %d bytes in %.2f s CPU)\n", 1000 * c / (b / 1024), b, c }'
	echo
	echo "== idle: CPU over $idle_s s while the pool needs nothing (modern kernel)"
	c0=$(cpu_s $jpid); sleep "$idle_s"; c1=$(cpu_s $jpid)
	kill $jpid; wait $jpid 2>/dev/null || true
	echo "jitterentropy-rngd: $(echo "$c0 $c1" | awk '{ printf "%.2f", $2 - $1 }') s"
	"$build/entropyd" -f $(only jitter) -p "" -c "" 2> /dev/null &
	epid=$!; pids="$pids $epid"
	sleep 2; c0=$(cpu_s $epid); sleep "$idle_s"; c1=$(cpu_s $epid)
	kill -TERM $epid; wait $epid 2>/dev/null || true
	echo "entropyd (jitter only): $(echo "$c0 $c1" | awk '{ printf "%.2f", $2 - $1 }') s"
else
	echo "(jitterentropy-rngd comparison and idle measurement need root and jitterentropy-rngd)"
fi
