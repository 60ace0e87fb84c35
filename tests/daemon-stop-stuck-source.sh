#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A source whose writer holds its FIFO open without writing, and SIGHUP
# (systemctl reload) three times: the thread count (/proc/PID/task) stays
# the same.  Then the worker is made to outlast the stop timeout (strace
# holds its reader's poll() for 2 s, like a read stuck in a driver): it is reported,
# the source stays out of service, no second worker is started on it (old
# entropyd started one per SIGHUP, both reading one fd), and once it has
# finished a later SIGHUP gives the source a new worker.  SIGTERM with a
# stuck worker still ends the daemon within a second, leaving nothing.
. "${top_srcdir:-.}/tests/lib.sh"
no_leak_check

tasks() { ls "/proc/$daemon/task" | wc -l; }
# The id of the thread that reads the FIFO: the pipe reads ahead, so its
# reader, ahead-pipe, beside the worker src-pipe that waits for it.
worker() {
	for t in $(ls "/proc/$daemon/task"); do
		[ "$(cat "/proc/$daemon/task/$t/comm" 2>/dev/null)" = ahead-pipe ] && { echo "$t"; return; }
	done
}
# Functions, so that wait_for evaluates them again each time.
hups_are() { [ "$(grep -c "SIGHUP: reopening" "$tmp/log")" -eq "$1" ]; }
tasks_are() { [ "$(tasks)" -eq "$1" ]; }
has_worker() { [ -n "$(worker)" ]; }

mkfifo "$tmp/fifo"
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" \
	2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 50 test -S "$tmp/control" || { cat "$tmp/log"; fail "daemon did not start"; }
sleep 600 > "$tmp/fifo" &
writer=$!; track $writer
wait_for 50 has_worker || fail "no worker thread"
before=$(tasks)
for n in 1 2 3; do
	kill -HUP $daemon
	wait_for 50 hups_are $n || { cat "$tmp/log"; fail "SIGHUP $n not handled"; }
	# The restart may take a moment (sanitizers); a second worker never goes away.
	wait_for 50 tasks_are "$before" || fail "after SIGHUP $n: $(tasks) threads, $before before"
done
pass "three SIGHUPs with an idle FIFO writer: still $before threads"

if ! command -v strace > /dev/null 2>&1; then
	echo "note: no strace: the worker that outlasts the stop timeout is not tested"
	exit 0
fi
# Hold the worker: each poll() it enters waits 2 s first.  A byte makes it
# leave the poll it is in and enter the next one under strace.
hold() {
	w=$(worker)
	strace -qq -o /dev/null -p "$w" -e trace=poll -e inject=poll:delay_enter=2000000 2> /dev/null &
	tracer=$!; track $tracer
	sleep 0.3
	printf x > "$tmp/fifo"
	sleep 0.3
}
hold
stuck=$w
kill -HUP $daemon
wait_for 50 grep -q "source pipe did not stop within" "$tmp/log" || { cat "$tmp/log"; fail "late worker not reported"; }
[ "$(tasks)" -le "$before" ] || fail "second worker started next to the stuck one: $(tasks) threads"
timeout 5 "$bin/entropyctl" -s "$tmp/control" status | grep -q "^pipe  *stopping" ||
	fail "entropyctl does not show the source stopping"
kill -HUP $daemon
wait_for 50 hups_are 5 || fail "SIGHUP 5 not handled"
sleep 0.2
[ "$(tasks)" -le "$before" ] || fail "second SIGHUP started another worker: $(tasks) threads"
grep -q "source pipe: its worker has not stopped yet" "$tmp/log" || fail "source not reported out of service"
pass "a worker stuck past the stop timeout: reported, source out of service, no second worker"

# The held poll() ends after 2 s; the worker then sees the stop and ends.
wait_for 50 sh -c "[ ! -e /proc/$daemon/task/$stuck ]" || fail "the stuck worker never ended"
kill -HUP $daemon
wait_for 50 hups_are 6 || fail "SIGHUP 6 not handled"
wait_for 20 tasks_are "$before" || fail "source not back in service: $(tasks) threads"
[ "$(worker)" != "$stuck" ] || fail "no new worker"
pass "once it ended, SIGHUP gave the source a new worker"

# SIGTERM while the worker is stuck: out within a second, nothing left.
hold
start=$(date +%s%N)
kill -TERM $daemon
wait_for 30 gone $daemon || fail "SIGTERM with a stuck worker: still running after 3 s"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait $daemon; status=$?
[ $status -eq 0 ] || { cat "$tmp/log"; fail "exit status $status"; }
[ $elapsed_ms -lt 1000 ] || fail "SIGTERM with a stuck worker took $elapsed_ms ms"
[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/control" ] || fail "PID file or socket left"
pass "SIGTERM with a stuck worker: exit 0 in $elapsed_ms ms, nothing left"
