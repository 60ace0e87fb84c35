#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM while -o writes into a FIFO whose reader has stopped reading:
# entropyd must exit within a second and leave no PID file or socket
# (old entropyd sat in write() until the reader went away).
. "${top_srcdir:-.}/tests/lib.sh"

random_stream 200 > "$tmp/data"
mkfifo -m 0600 "$tmp/fifo"
# The reader opens the FIFO and never reads: the pipe buffer fills.
sleep 600 < "$tmp/fifo" &
reader=$!; track $reader
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/data" -o "$tmp/fifo" -p "$tmp/pid" -c "$tmp/control" \
	2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 50 test -S "$tmp/control" || { cat "$tmp/log"; fail "daemon did not start"; }
# The 64 KiB pipe buffer fills within a second.
sleep 1

start=$(date +%s%N)
kill -TERM $daemon
if ! wait_for 10 gone $daemon; then
	kill -KILL $daemon
	fail "SIGTERM with a stalled reader: still running after 1 s"
fi
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait $daemon
[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/control" ] || fail "PID file or socket left: $(ls "$tmp")"
[ $elapsed_ms -lt 1000 ] || fail "SIGTERM took $elapsed_ms ms"
pass "SIGTERM with a stalled -o reader: gone in $elapsed_ms ms, nothing left"
