#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# -o under the trust rules (runpath.h): a symbolic link is not followed; an
# existing regular file readable by others is refused untouched (what goes
# there is key material); a FIFO nobody reads yet is waited for, and
# SIGTERM during that wait stops entropyd cleanly (old entropyd blocked in
# open() and died of the signal, leaving its PID file and socket).
. "${top_srcdir:-.}/tests/lib.sh"

srcs=$(only pipe)
random_stream 4 > "$tmp/data"

# start_refused WHAT PATTERN ARGS...: entropyd with ARGS exits 1, saying PATTERN.
start_refused() {
	w=$1 p=$2; shift 2
	refused "$w" "$p" "$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -c "" -p "" "$@"
}

printf 'secret' > "$tmp/target"
chmod 0600 "$tmp/target"
ln -s "$tmp/target" "$tmp/link"
start_refused "-o through a symbolic link" "is a symbolic link" -o "$tmp/link"
[ "$(cat "$tmp/target")" = secret ] || fail "the link's target was written"

printf 'old' > "$tmp/shared"
chmod 0644 "$tmp/shared"
start_refused "-o on a file everyone can read" "readable by everyone (mode 0644)" -o "$tmp/shared"
[ "$(cat "$tmp/shared")" = old ] || fail "the world-readable file was written"

# A FIFO without a reader; SIGTERM while entropyd waits for one.
mkfifo -m 0600 "$tmp/fifo"
"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/fifo" -p "$tmp/pid" -c "$tmp/control" \
	2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 50 test -S "$tmp/control" || { cat "$tmp/log"; fail "no control socket"; }
sleep 0.2
kill -0 $daemon || { cat "$tmp/log"; fail "entropyd did not wait for a reader"; }
start=$(date +%s%N)
kill -TERM $daemon
wait_for 20 gone $daemon || fail "SIGTERM did not end the wait for a reader"
wait $daemon; status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $status -eq 0 ] || { cat "$tmp/log"; fail "exit status $status after SIGTERM, expected 0"; }
[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/control" ] || fail "PID file or socket left: $(ls "$tmp")"
[ $elapsed_ms -lt 1000 ] || fail "SIGTERM took $elapsed_ms ms"
pass "SIGTERM while waiting for a FIFO reader: exit 0 in $elapsed_ms ms, nothing left"
