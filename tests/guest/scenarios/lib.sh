# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by every guest scenario (busybox sh): result lines, the pool's
# numbers, entropyd started and stopped, CPU time and rates measured.
R=/proc/sys/kernel/random
LOG=/tmp/entropyd.$SCENARIO.log

result() { echo "RESULT $SCENARIO $1=$2"; }

# Milliseconds since boot (guest time).
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

avail() { cat $R/entropy_avail; }
threshold() { cat $R/write_wakeup_threshold; }

# CPU time of a process's main thread (the loop) so far, in clock ticks
# (utime + stime); proc_ticks: all its threads (the sources' workers too).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/task/$1/stat" 2>/dev/null || echo -1; }
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo -1; }

# once_level LOG: the entropy_avail entropyd --once said it left.
once_level() { sed -n 's/.*--once: pool filled (\([0-9]*\) of.*/\1/p' "$1" | tail -n 1; }

# Bytes a reader of /dev/random gets in SECONDS.
read_random() { timeout "$1" cat /dev/random 2>/dev/null | wc -c; }

# start_entropyd ARGS...: in the foreground, logging to $LOG; sets $pid.
start_entropyd() {
	entropyd -f "$@" >>"$LOG" 2>&1 &
	pid=$!
}

# stop_entropyd [SIGNAL]: signal it (TERM) and wait; sets $rc.
stop_entropyd() {
	kill -"${1:-TERM}" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
}

# wait_avail BITS TENTHS: until entropy_avail >= BITS; 0 if it got there.
wait_avail() {
	n=$2
	while [ "$n" -gt 0 ]; do
		[ "$(avail)" -ge "$1" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# fill_timed BITS TENTHS: wait_avail, and say from where and how long it took.
fill_timed() {
	from=$(avail) t0=$(now_ms)
	wait_avail "$1" "$2" && result fill_ms $(($(now_ms) - t0))
	result fill_from "$from"
}

# idle_ticks: CPU ticks of entropyd ($pid) over 5 s: its loop (ticks_5s)
# and all its threads (all_ticks_5s), once the sources' workers have filled
# their queues (settle_s: when all its threads took under 5 ticks in a
# second; 60 at most).
idle_ticks() {
	n=0
	while [ "$n" -lt 60 ]; do
		t=$(proc_ticks "$pid")
		sleep 1
		n=$((n + 1))
		[ $(($(proc_ticks "$pid") - t)) -lt 5 ] && break
	done
	result settle_s "$n"
	t=$(cpu_ticks "$pid") all=$(proc_ticks "$pid")
	sleep 5
	result ticks_5s $(($(cpu_ticks "$pid") - t))
	result all_ticks_5s $(($(proc_ticks "$pid") - all))
}

# The -x options for every source but the ones named.
only() {
	for s in $(entropyd -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p'); do
		case " $* " in *" $s "*) ;; *) printf -- '-x %s ' "$s" ;; esac
	done
}

# source_field NAME KEY: a number from the source's entry of entropyctl's JSON.
source_field() {
	entropyctl status --json 2>/dev/null | awk -v n="\"$1\"" -v k="\"$2\":" '
		/"name":/ { cur = index($0, n) > 0 }
		cur && $1 == k { gsub(/[^0-9.]/, "", $2); print $2; exit }'
}

# crng_done_s: when dmesg says "crng init done", in seconds since boot, or "no".
crng_done_s() {
	dmesg | sed -n 's/^\[ *\([0-9.]*\)\] random: crng init done.*/\1/p' | head -n 1 | grep . || echo no
}

# list_state NAME ARGS...: the source's state word in entropyd -l ARGS.
list_state() {
	name=$1; shift
	entropyd -l "$@" 2>/dev/null | sed -n "s/^$name: [a-z]*, \([a-z]*\).*/\1/p"
}
