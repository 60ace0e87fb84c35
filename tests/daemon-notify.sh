#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Under a service manager, READY=1 arrives on NOTIFY_SOCKET - within a
# second even when no source delivers anything.
. "${top_srcdir:-.}/tests/lib.sh"

"$bin/entropyd" --version | grep -q entropyd || fail "--version"
# Every build speaks the protocol itself (src/notify.c): nothing to skip.

mkfifo "$tmp/fifo"	# nobody writes: the source never delivers
"$bin/tests/helpers/notify_listen" "$tmp/notify" 10 > "$tmp/messages" &
listener=$!; track $listener
wait_for 50 grep -q LISTENING "$tmp/messages" || fail "listener did not start"
NOTIFY_SOCKET="$tmp/notify" "$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" \
	-o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" 2> "$tmp/log" &
daemon=$!; track $daemon
wait $listener || { cat "$tmp/messages" "$tmp/log"; fail "no READY=1"; }
grep -q "READY=1" "$tmp/messages" || fail "no READY=1 in the messages"
pass "READY=1 received without any data"
kill -TERM $daemon; wait $daemon
