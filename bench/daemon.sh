#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Measures the daemon (issue 3): run from a build directory or pass it.
#   sh bench/daemon.sh [BUILDDIR] [IDLE_SECONDS]
# 1. idle: pool full on a modern kernel, context switches of the whole
#    process (all threads) over IDLE_SECONDS (default 60) with -R 60;
# 2. start-up: exec to READY=1 on NOTIFY_SOCKET;
# 3. peak RSS (VmHWM);
# 4. -t throughput from a fast file source, against entropy-check on the
#    same bytes (the FIPS engine must not be the bottleneck).
# Needs root for 1 (it feeds /dev/random); skips it otherwise.
set -eu
build=$(cd "${1:-_build}" && pwd)
idle_s=${2:-60}
. "$(dirname "$0")/lib.sh"
switches() {	# voluntary + involuntary context switches of every thread of $1
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

echo "== start-up: exec to READY=1"
# start_until_ready PATH: entropyd with the pipe source on PATH; sets $d to
# its PID and $ready_ms to the time from exec to READY=1.
start_until_ready() {
	"$build/tests/helpers/notify_listen" "$tmp/notify" 10 > "$tmp/msgs" &
	l=$!
	while ! grep -q LISTENING "$tmp/msgs" 2>/dev/null; do sleep 0.05; done
	t0=$(date +%s%N)
	NOTIFY_SOCKET="$tmp/notify" "$build/entropyd" -f $(only pipe) -O pipe:path:"$1" \
		-o "$tmp/o" -p "$tmp/p" 2>/dev/null &
	d=$!; pids="$pids $d"
	wait $l
	t1=$(date +%s%N)
	ready_ms=$(( (t1 - t0) / 1000000 ))
}

mkfifo "$tmp/fifo"
start_until_ready "$tmp/fifo"
echo "READY=1 after $ready_ms ms with no data (the one-second deadline)"
kill $d; wait $d || true

head -c 1000000 /dev/urandom > "$tmp/small"
start_until_ready "$tmp/small"
echo "READY=1 after $ready_ms ms with a fast source (first write)"
echo "peak RSS: $(awk '/VmHWM/ { print $2, $3 }' /proc/$d/status)"
kill $d; wait $d || true

echo "== -t throughput from a file, against entropy-check on the same bytes"
head -c 200000004 /dev/urandom > "$tmp/big"
sync
t0=$(date +%s%N)
"$build/entropy-check" < "$tmp/big" 2>/dev/null >/dev/null || true
t1=$(date +%s%N)
ec_ms=$(( (t1 - t0) / 1000000 ))
: > "$tmp/t"
"$build/entropyd" -t $(only pipe) -O pipe:path:"$tmp/big" > "$tmp/t" 2>&1 &
d=$!; pids="$pids $d"
t0=$(date +%s%N)
# Done when every block was counted (passed + failed = 80000).
while :; do
	line=$(grep 'pipe ' "$tmp/t" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*passed \([0-9]*\) bytes.*failed \([0-9]*\) bytes.*/\1 \2/p')
	set -- $p
	[ $# -eq 2 ] && [ $(( $1 + $2 )) -ge 200000000 ] && break
	sleep 0.05
done
t1=$(date +%s%N)
kill -INT $d; wait $d || true
d_ms=$(( (t1 - t0) / 1000000 ))
echo "entropy-check: 200 MB in $ec_ms ms ($(( 200000 / (ec_ms + 1) )) MB/s)"
echo "entropyd -t:   200 MB in ~$d_ms ms ($(( 200000 / (d_ms + 1) )) MB/s; rate lines come once a second, so this is rounded up to it)"

echo "== idle wakeups over $idle_s s (modern kernel, pool full, -R 60)"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root to feed /dev/random"
	exit 0
fi
"$build/entropyd" -f $(only pipe) -O pipe:path:"$tmp/big" -R 60 -p "$tmp/p" 2>/dev/null &
d=$!; pids="$pids $d"
sleep 3	# the start-up reseed step and queue filling are done
s0=$(switches $d)
sleep "$idle_s"
s1=$(switches $d)
echo "context switches of all threads in $idle_s s: $((s1 - s0)) (budget: one per -R interval = $(( idle_s / 60 + 1 )))"
echo "CPU time (utime+stime ticks): $(awk '{ print $14 + $15 }' /proc/$d/stat)"
kill $d; wait $d || true
