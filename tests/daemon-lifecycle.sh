#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The PID file lock stops a second instance and names the first; SIGTERM
# ends the daemon within a second; background mode reports start-up errors
# through its exit status.
. "${top_srcdir:-.}/tests/lib.sh"

mkfifo "$tmp/fifo"
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log1" &
first=$!; track $first
wait_for 50 size_is "$tmp/pid" $(( ${#first} + 1 )) || { cat "$tmp/log1"; fail "no PID file"; }
[ "$(cat "$tmp/pid")" = "$first" ] || fail "PID file holds $(cat "$tmp/pid"), not $first"

"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out2" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log2"
status=$?
[ $status -eq 1 ] || fail "second instance exited $status, expected 1"
grep -q "already running as PID $first" "$tmp/log2" || { cat "$tmp/log2"; fail "holder not named"; }
pass "second instance refused: $(cat "$tmp/log2")"

start=$(date +%s%N)
kill -TERM $first; wait $first; status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $status -eq 0 ] || fail "exit status $status after SIGTERM"
[ $elapsed_ms -lt 1000 ] || fail "SIGTERM took $elapsed_ms ms"
[ ! -e "$tmp/pid" ] || fail "PID file left behind"
pass "SIGTERM: exit 0 in $elapsed_ms ms, PID file removed"

# No source can be opened: exit 1, and each source says why.
"$bin/entropyd" -f $(only hwrng pipe) -r /nonexistent/hwrng -O pipe:path:"$tmp/missing" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log3"
status=$?
[ $status -eq 1 ] || fail "no usable source: exit $status, expected 1"
grep -q "hwrng: /nonexistent/hwrng" "$tmp/log3" || { cat "$tmp/log3"; fail "hwrng's reason missing"; }
grep -q "pipe: $tmp/missing" "$tmp/log3" || { cat "$tmp/log3"; fail "pipe's reason missing"; }
pass "no usable source: exit 1 with a reason per source"

# Background mode: the parent's status is the child's start-up status.
"$bin/entropyd" -b $(only hwrng) -r /nonexistent/hwrng -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log4"
status=$?
[ $status -eq 1 ] || fail "background start-up failure: exit $status, expected 1"
"$bin/entropyd" -b $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log5"
status=$?
[ $status -eq 0 ] || { cat "$tmp/log5"; fail "background start: exit $status"; }
wait_for 50 test -s "$tmp/pid" || fail "daemon wrote no PID file"
daemon=$(cat "$tmp/pid"); track "$daemon"
kill -0 "$daemon" || fail "daemon $daemon is not running"
kill -TERM "$daemon"
wait_for 20 sh -c "! kill -0 $daemon 2>/dev/null" || fail "daemon did not stop"
pass "background mode: start-up status passed through, daemon stopped by PID"
