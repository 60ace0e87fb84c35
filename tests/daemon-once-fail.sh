#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --once exits 0 only when the fill was done.  It exits 1, saying why, when
# it cannot finish: a FIFO nobody writes (--once-timeout), a source that only
# fails (every source suspended), a signal before the fill.  To a file as
# any user; to the kernel's pool as root.
. "${top_srcdir:-.}/tests/lib.sh"

mkfifo "$tmp/fifo"
head -c $((4 + 4 * 2500)) /dev/zero > "$tmp/zeros"

# gives_up WHAT REASON ARGS...: --once with ARGS exits 1 in time, logging REASON.
gives_up() {
	what=$1; reason=$2; shift 2
	timeout 30 "$bin/entropyd" --once -p "" -c "" "$@" > /dev/null 2> "$tmp/log"
	status=$?
	[ $status -eq 1 ] || { cat "$tmp/log"; fail "$what: exit $status, expected 1"; }
	grep -q -- "--once: $reason" "$tmp/log" || { cat "$tmp/log"; fail "$what: no '$reason' in the log"; }
	pass "$what: exit 1, $(grep -m1 -- "--once: " "$tmp/log")"
}

# stopped SINK: --once on the FIFO, SIGTERM before anything came: exit 1.
stopped() {
	log=$tmp/log.stopped.$(basename "$1")
	"$bin/entropyd" --once -p "" -c "" $(only pipe) -O pipe:path:"$tmp/fifo" -o "$1" 2> "$log" &
	daemon=$!; track $daemon
	wait_for 100 grep -qs "started" "$log" || { cat "$log"; fail "did not start"; }
	kill -TERM $daemon
	wait $daemon
	status=$?
	[ $status -eq 1 ] || { cat "$log"; fail "SIGTERM before the fill ($1): exit $status, expected 1"; }
	grep -q -- "--once: stopped by a signal before the pool was filled" "$log" ||
		{ cat "$log"; fail "no reason for the signal"; }
	pass "SIGTERM before the fill ($1): exit 1"
}

gives_up "a FIFO with no writer, to a file" "--once-timeout passed" \
	$(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" --once-timeout 2
gives_up "a source that only fails, to a file" "every source is suspended" \
	$(only pipe) -O pipe:path:"$tmp/zeros" -o "$tmp/out"
stopped "$tmp/out"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: --once into the kernel's pool needs root"
	exit 77
fi
gives_up "a FIFO with no writer, to the kernel" "--once-timeout passed" \
	$(only pipe) -O pipe:path:"$tmp/fifo" --once-timeout 2
gives_up "a source that only fails, to the kernel" "every source is suspended" \
	$(only pipe) -O pipe:path:"$tmp/zeros"
stopped /dev/random
