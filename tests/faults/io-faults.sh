#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# I/O faults: a source at 1 byte per second beside a good one, EOF in the
# middle of a block, a writer that disappears and comes back, and paths that
# cannot be read (a directory, permission denied).
. "${top_srcdir:-.}/tests/faults/lib.sh"

echo "--- 1 byte per second"
mkfifo "$tmp/slow"
start_mixed "$tmp/slow"
( i=0; while [ $i -lt 30 ]; do head -c 1 /dev/urandom; sleep 1; i=$((i + 1)); done > "$tmp/slow" ) &
trickle=$!; track $trickle
assert_feeding
grep ' pipe ' "$tmp/rates" | tail -n 1 | grep -q 'passed 0 bytes' || fail "the slow source produced a block"
stop_daemon
kill $trickle 2>/dev/null
pass "a slow source holds nothing up"

echo "--- EOF in the middle of a block, then a new writer"
"$gen" random $((10 * 2500 + 4)) 21 > "$tmp/in"
passing_blocks "$tmp/in" > "$tmp/expected"
mkfifo "$tmp/fifo"
rm -f "$tmp/out"
start_output "$tmp/fifo"
head -c $((4 + 3 * 2500 + 1250)) "$tmp/in" > "$tmp/fifo"	# ends mid-block
wait_for 50 size_is "$tmp/out" $((3 * 2500)) || fail "first three blocks not written"
sleep 0.3
size_is "$tmp/out" $((3 * 2500)) || fail "a partial block was written"
pass "a partial block waits for its rest"
tail -c +$((4 + 3 * 2500 + 1250 + 1)) "$tmp/in" > "$tmp/fifo"	# the writer comes back
wait_for 50 size_is "$tmp/out" "$(stat -c %s "$tmp/expected")" || fail "the rest did not arrive"
cmp "$tmp/out" "$tmp/expected" || fail "output differs after the writer came back"
assert_log "writer of $tmp/fifo went away"
pass "after the writer came back the output is exactly the passing blocks"
stop_daemon

echo "--- a directory"
mkdir "$tmp/dir"
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/dir" -o "$tmp/out2" -p "$tmp/pid" -c "" 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || fail "directory as the only source: exit $status"
grep -q "pipe: $tmp/dir is a directory" "$tmp/log" || { cat "$tmp/log"; fail "reason not named"; }
pass "directory: exit 1, $(grep directory "$tmp/log")"

echo "--- permission denied"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	head -c 10000 /dev/urandom > "$tmp/secret"; chmod 600 "$tmp/secret"
	chmod 755 "$tmp"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/secret" 2> "$tmp/log" > /dev/null
	status=$?
	[ $status -eq 1 ] || fail "unreadable file: exit $status"
	grep -q "pipe: $tmp/secret: Permission denied" "$tmp/log" || { cat "$tmp/log"; fail "reason not named"; }
	pass "permission denied: exit 1, $(grep denied "$tmp/log")"
	# Beside a good source, an unreadable one is only logged.
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin/entropyd" -t $(only $good pipe) -O pipe:path:"$tmp/secret" --retry-delay 1 \
		> "$tmp/rates" 2> "$tmp/log" &
	daemon=$!; track $daemon
	assert_log "source pipe not used now: $tmp/secret: Permission denied"
	assert_feeding
	stop_daemon
else
	echo "skipped: needs root and setpriv to become an unprivileged user"
fi
