#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The daemon against the daemons Debian packages (rngd from rng-tools5,
# jitterentropy-rngd, haveged: unpacked by anchors() in lib.sh, run in the
# foreground with their PID files in a temp dir, never as services), in one
# run:
#  1. start-up: entropyd's exec to READY=1 on NOTIFY_SOCKET (pipe source,
#     with no data and with a fast file), RUNS runs;
#  2. exec to the first RNDADDENTROPY, each daemon with its default
#     sources, timed by strace, RUNS runs each, the daemons in turn
#     (haveged adds only when the kernel asks, which a modern kernel with
#     its CRNG ready never does: its figure is exec to its first wait);
#  3. idle, all four at once with the pool full (modern kernel): context
#     switches of all threads and CPU time over IDLE_SECONDS, then each
#     one's peak RSS (VmHWM) and entropyd's resident memory by mapping;
#  4. -t throughput from a fast file source against entropy-check on the
#     same bytes (the FIPS engine must not be the bottleneck).
#   sh bench/daemon.sh [BUILDDIR] [IDLE_SECONDS] [RUNS]   (default 60 s, 5 runs)
# 2 and 3 need root (they feed /dev/random); they are skipped otherwise.
# haveged may set kernel.random.write_wakeup_threshold: it is restored.
set -eu
build=$(cd "${1:-_build}" && pwd)
idle_s=${2:-60}
runs=${3:-5}
. "$(dirname "$0")/lib.sh"
switches() {	# voluntary + involuntary context switches of every thread of $1
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
cpu_s() {	# utime + stime of a PID, in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' /proc/"$1"/stat
}
machine

echo
echo "== start-up: exec to READY=1, $runs runs"
# start_until_ready PATH: entropyd with the pipe source on PATH; sets $d to
# its PID and $ready_ms to the time from exec to READY=1.
start_until_ready() {
	rm -f "$tmp/notify"; : > "$tmp/msgs"
	"$build/tests/helpers/notify_listen" "$tmp/notify" 10 > "$tmp/msgs" &
	l=$!
	while ! grep -q LISTENING "$tmp/msgs" 2>/dev/null; do sleep 0.05; done
	t0=$(date +%s%N)
	NOTIFY_SOCKET="$tmp/notify" "$build/entropyd" -f $(only pipe) -O pipe:path:"$1" \
		-o "$tmp/o" -p "$tmp/p" 2>/dev/null &
	d=$!; pids="$pids $d"
	wait $l || echo "no READY=1 within 10 s" >&2
	t1=$(date +%s%N)
	ready_ms=$(( (t1 - t0) / 1000000 ))
}
mkfifo "$tmp/fifo"
head -c 1000000 /dev/urandom > "$tmp/small"
: > "$tmp/ready.empty"; : > "$tmp/ready.fast"
for i in $(seq "$runs"); do
	start_until_ready "$tmp/fifo"
	echo "$ready_ms" >> "$tmp/ready.empty"
	kill $d; wait $d || true
	start_until_ready "$tmp/small"
	echo "$ready_ms" >> "$tmp/ready.fast"
	kill $d; wait $d || true
done
echo "no data (the one-second deadline): ms $(summary < "$tmp/ready.empty")"
echo "a fast source (first write):       ms $(summary < "$tmp/ready.fast")"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the comparisons with the other daemons and the idle figures need root to feed /dev/random"
elif ! command -v strace > /dev/null || ! anchors; then
	echo "SKIP: the comparisons need strace and the Debian packages (apt-get download)"
else
	wakeup=/proc/sys/kernel/random/write_wakeup_threshold
	saved_wakeup=$(cat "$wakeup")
	trap 'for p in $pids; do kill $p 2>/dev/null || :; done; echo "$saved_wakeup" > "$wakeup" || :; rm -rf "$tmp"' EXIT
	# Each daemon in the foreground, default sources, files in $tmp.
	cmd_entropyd="$build/entropyd -f -p $tmp/entropyd.pid -c $tmp/entropyd.ctl"
	cmd_rngd="$anchor_bin/sbin/rngd -f -p $tmp/rngd.pid"
	cmd_jitterentropy="$anchor_bin/sbin/jitterentropy-rngd -v -p $tmp/jent.pid"
	cmd_haveged="$anchor_bin/sbin/haveged -F -p $tmp/haveged.pid"
	daemons="entropyd rngd jitterentropy haveged"
	eval_cmd() { eval "echo \$cmd_$1"; }
	# the system call that marks the end of start-up
	event() { if [ "$1" = haveged ]; then echo 'pselect6[(]'; else echo RNDADDENTROPY; fi; }

	echo
	echo "== exec to the first RNDADDENTROPY, default sources, strace timestamps, $runs runs, daemons in turn"
	for i in $(seq "$runs"); do
		for n in $daemons; do
			ev=$(event $n)
			# shellcheck disable=SC2046
			strace -f -ttt -e trace=execve,ioctl,pselect6 -o "$tmp/trace" $(eval_cmd $n) > /dev/null 2>&1 &
			s=$!; pids="$pids $s"
			for t in $(seq 200); do grep -q "$ev" "$tmp/trace" 2>/dev/null && break; sleep 0.05; done
			# The daemon by the PID strace saw it exec with; strace
			# ends with it (killing strace would only detach it).
			dpid=$(awk '/execve\(/ { print $1; exit }' "$tmp/trace")
			[ -n "$dpid" ] && kill -TERM "$dpid" 2>/dev/null
			wait $s 2>/dev/null || true
			awk -v ev="$ev" '/execve\(/ && !t0 { t0 = $2 } $0 ~ ev && t0 { printf "%.1f\n", ($2 - t0) * 1000; exit }' \
				"$tmp/trace" >> "$tmp/inject.$n"
			rm -f "$tmp/trace" "$tmp"/*.pid
		done
	done
	for n in $daemons; do
		printf '%-15s ms %s\n' "$n:" "$(summary < "$tmp/inject.$n" 2>/dev/null)"
	done
	echo "(haveged: to its first wait for the kernel to ask, see above)"

	echo
	echo "== idle over $idle_s s, all four at once, pool full (modern kernel), after 10 s to settle"
	for n in $daemons; do
		# shellcheck disable=SC2046
		$(eval_cmd $n) > "$tmp/$n.log" 2>&1 &
		eval "pid_$n=$!"; pids="$pids $!"
	done
	sleep 10
	for n in $daemons; do
		p=$(eval "echo \$pid_$n")
		eval "sw_$n=$(switches $p) cpu_$n=$(cpu_s $p)"
	done
	sleep "$idle_s"
	printf '%-15s %10s %8s %12s\n' daemon switches "CPU s" "VmHWM kB"
	for n in $daemons; do
		p=$(eval "echo \$pid_$n")
		[ -d /proc/$p ] || { printf '%-15s exited (see its log)\n' "$n"; continue; }
		printf '%-15s %10d %8.2f %12s\n' "$n" $(( $(switches $p) - $(eval "echo \$sw_$n") )) \
			"$(echo "$(cpu_s $p) $(eval "echo \$cpu_$n")" | awk '{ print $1 - $2 }')" \
			"$(awk '/^VmHWM/ { print $2 }' /proc/$p/status)"
	done
	echo "entropyd's resident memory by mapping (kB, now; the largest first):"
	awk '/^[0-9a-f]+-[0-9a-f]+ / { name = NF >= 6 ? $6 : "[anon]"; sub(/.*\//, "", name) }
		/^Rss:/ { rss[name] += $2 }
		END { for (n in rss) if (rss[n]) printf "  %6d %s\n", rss[n], n }' /proc/"$pid_entropyd"/smaps |
		sort -rn | head -n 12
	for n in $daemons; do
		p=$(eval "echo \$pid_$n")
		kill $p 2>/dev/null; wait $p 2>/dev/null || true
	done
fi

echo
echo "== -t throughput from a file, against entropy-check on the same bytes"
head -c 200000004 /dev/urandom > "$tmp/big"
sync
t0=$(date +%s%N)
"$build/entropy-check" -j 1 < "$tmp/big" 2>/dev/null >/dev/null || true
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
echo "entropy-check -j 1: 200 MB in $ec_ms ms ($(( 200000 / (ec_ms + 1) )) MB/s), 1 run"
echo "entropyd -t:        200 MB in ~$d_ms ms ($(( 200000 / (d_ms + 1) )) MB/s; rate lines come once a second, so this is rounded up to it), 1 run"
