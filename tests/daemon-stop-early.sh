#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM at any moment of start-up, from the first millisecond on, leaves
# no PID file and no control socket behind, and the daemon gone: entropyd
# blocks the signal from main's first line, so it is either killed before
# it made anything or stops cleanly from its loop.  (Old entropyd died of
# the signal between making the files and blocking it.)  First the moment
# right after bind(), held open for 300 ms by strace; then a sweep of
# delays from the exec on.
. "${top_srcdir:-.}/tests/lib.sh"
no_leak_check

srcs=$(only pipe)
random_stream 4 > "$tmp/data"

if command -v strace > /dev/null 2>&1; then
	strace -f -qq -o /dev/null -e trace=bind -e inject=bind:delay_exit=300000 \
		"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -p "$tmp/pid" \
		-c "$tmp/control" 2> "$tmp/log" &
	tracer=$!; track $tracer
	wait_for 50 test -S "$tmp/control" || { cat "$tmp/log"; fail "no control socket"; }
	daemon=$(ps -o pid= --ppid $tracer | tr -d ' ')
	[ -n "$daemon" ] && [ -e "$tmp/pid" ] || fail "no daemon or no PID file"
	kill -TERM $daemon
	wait_for 50 gone $tracer || fail "still running 5 s after SIGTERM"
	wait $tracer
	[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/control" ] ||
		{ cat "$tmp/log"; fail "SIGTERM right after bind() left: $(ls "$tmp")"; }
	pass "SIGTERM right after the socket was made: nothing left ($(tail -1 "$tmp/log"))"
else
	echo "note: no strace: the moment right after bind() is not held open"
fi
exe=$(readlink -f "$bin/entropyd")
runs=0
for delay in 0 0.001 0.002 0.003 0.005 0.008 0.012 0.02 0.03 0.05; do
	for try in 1 2 3 4; do
		"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -p "$tmp/pid" \
			-c "$tmp/control" 2> "$tmp/log" &
		daemon=$!
		# Until the exec, a signal would reach the shell's child, not entropyd.
		while [ "$(readlink "/proc/$daemon/exe" 2>/dev/null)" != "$exe" ]; do :; done
		sleep $delay
		kill -TERM $daemon 2> /dev/null
		wait_for 20 gone $daemon || { track $daemon; fail "still running 2 s after SIGTERM"; }
		wait $daemon
		status=$?
		# 143: killed before main blocked the signal; 0: stopped by the loop.
		[ $status -eq 0 ] || [ $status -eq 143 ] || { cat "$tmp/log"; fail "exit status $status"; }
		[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/control" ] ||
			fail "SIGTERM after ${delay} s (exit $status) left: $(ls "$tmp")"
		rm -f "$tmp/out"
		runs=$((runs + 1))
	done
done
pass "$runs starts stopped by SIGTERM after 0 to 50 ms: no PID file or socket left"
