#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A source whose start-up test is slow (jitter) does not hold up the others:
# with the pipe open, jitter's own worker opens it after the start (its
# "open" line comes after "started", the pipe's before), and its blocks
# still come; after SIGHUP its worker opens it again.  Alone, it opens
# before the start, as a start with no usable source must fail at once.
. "${top_srcdir:-.}/tests/lib.sh"
# line PATTERN FILE: the number of the first line of FILE matching PATTERN
line() { grep -n "$1" "$2" | head -n 1 | cut -d: -f1; }
hups_reopened() { [ "$(grep -c "source jitter: opened by its worker" "$tmp/log")" -ge 2 ] &&
	[ "$(grep -c "source jitter: open, credit" "$tmp/log")" -ge 2 ]; }

random_stream 40 > "$tmp/data"
: > "$tmp/out"
"$bin/entropyd" -t $(only pipe jitter) -O pipe:path:"$tmp/data" > "$tmp/out" 2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 100 grep -q "jitter .*passed [1-9]" "$tmp/out" || { cat "$tmp/log" "$tmp/out"; fail "no jitter blocks"; }
started=$(line " started" "$tmp/log")
pipe_open=$(line "source pipe: open, credit" "$tmp/log")
jitter_open=$(line "source jitter: open, credit" "$tmp/log")
grep -q "source jitter: opened by its worker" "$tmp/log" || { cat "$tmp/log"; fail "jitter not left to its worker"; }
[ -n "$started" ] && [ -n "$pipe_open" ] && [ -n "$jitter_open" ] || { cat "$tmp/log"; fail "log lines missing"; }
[ "$pipe_open" -lt "$started" ] && [ "$jitter_open" -gt "$started" ] ||
	{ cat "$tmp/log"; fail "order: pipe open at line $pipe_open, started at $started, jitter open at $jitter_open"; }
pass "the pipe opened before the start (line $pipe_open), jitter by its worker after it (line $jitter_open)"
kill -HUP $daemon
wait_for 100 hups_reopened || { cat "$tmp/log"; fail "jitter not opened by its worker after SIGHUP"; }
pass "after SIGHUP its worker opened it again"
kill -INT $daemon; wait $daemon; status=$?
[ $status -eq 0 ] || { cat "$tmp/log"; fail "exit status $status"; }

: > "$tmp/alone.log"
"$bin/entropyd" -t $(only jitter) > "$tmp/alone.out" 2> "$tmp/alone.log" &
daemon=$!; track $daemon
wait_for 100 grep -q " started" "$tmp/alone.log" || { cat "$tmp/alone.log"; fail "jitter alone: no start"; }
jitter_open=$(line "source jitter: open, credit" "$tmp/alone.log")
started=$(line " started" "$tmp/alone.log")
[ -n "$jitter_open" ] && [ "$jitter_open" -lt "$started" ] || { cat "$tmp/alone.log"; fail "jitter alone did not open before the start"; }
! grep -q "opened by its worker" "$tmp/alone.log" || fail "jitter alone was left to its worker"
kill -INT $daemon; wait $daemon; status=$?
[ $status -eq 0 ] || fail "jitter alone: exit status $status"
pass "alone, jitter opened before the start"
