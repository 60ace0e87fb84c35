#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# -t validates without injecting: it prints per-source rates once a second
# and a total when it stops; it writes no PID file.
. "${top_srcdir:-.}/tests/lib.sh"

random_stream 200 > "$tmp/data"
"$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/data" -p "$tmp/pid" > "$tmp/out" 2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 50 grep -q "pipe .*passed [1-9][0-9]* bytes" "$tmp/out" 2>/dev/null || { cat "$tmp/out" "$tmp/log"; fail "no rate line"; }
pass "rate line: $(grep pipe "$tmp/out" | tail -n 1)"
[ ! -e "$tmp/pid" ] || fail "-t wrote a PID file"
kill -INT $daemon; wait $daemon; status=$?
[ $status -eq 0 ] || fail "exit status $status"
grep -q "^total: 500000 bytes passed in" "$tmp/out" || { cat "$tmp/out"; fail "no total line for all 200 blocks"; }
pass "total printed at exit: $(grep "^total:" "$tmp/out")"
