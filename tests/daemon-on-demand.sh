#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The jitter source reads only on demand: with --egd-only and no client it
# keeps one block ready and then reads nothing (it used to fill a 16-block
# queue at start: seconds of CPU in an emulated guest); a client's request
# is served in full, and afterwards it is again at most a block ahead.
# --egd-only feeds nothing locally, so this runs as any user.
. "${top_srcdir:-.}/tests/lib.sh"

egd="$bin/tests/helpers/egd_client"
sock="$tmp/egd.sock"
block=2500 prime=4

"$bin/entropyd" -l 2>/dev/null | grep -q '^jitter: ' || { echo "SKIP: no jitter source built"; exit 77; }
"$bin/entropyd" -f $(only jitter) --egd-only --egd-socket "$sock" -c "$tmp/ctl" -p "$tmp/pid" \
	2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 50 test -S "$sock" || {
	# jitter refuses a machine without a usable fine clock: nothing to test
	if grep -q "no source could be opened" "$tmp/log"; then
		echo "SKIP: jitter cannot run here: $(cat "$tmp/log")"; exit 77
	fi
	cat "$tmp/log"; fail "no EGD socket"
}

jitter_stat() {	# jitter_stat FIELD: a counter of the jitter source from the status
	timeout 10 "$bin/entropyctl" -s "$tmp/ctl" status --json | tr -d ' \n' |
		sed -n "s/.*\"name\":\"jitter\"[^}]*\"$1\":\([0-9]*\).*/\1/p"
}
passed_at_least() { [ "$(jitter_stat blocks_passed)" -ge "$1" ] 2>/dev/null; }

wait_for 300 passed_at_least 1 || { cat "$tmp/log"; fail "jitter queued no block"; }
sleep 2	# room for a worker that reads ahead to show itself
read1=$(jitter_stat bytes_read)
# One block ready; a second only if a block failed FIPS (about 1 in 1000).
[ "$read1" -le $((prime + 2 * block)) ] ||
	fail "jitter read $read1 bytes with no client: more than one block ahead"
pass "no client: jitter read $read1 bytes, one block ahead"

timeout 120 "$egd" "$sock" block 20000 > "$tmp/got" || fail "a client did not get its 20000 bytes"
size_is "$tmp/got" 20000 || fail "the client got $(stat -c %s "$tmp/got") bytes, not 20000"
pass "a client asking for 20000 bytes got them"

sleep 2
read2=$(jitter_stat bytes_read)
# 8 blocks served (one was ready), at most 2 ahead, one failing block allowed.
[ "$read2" -le $((prime + 11 * block)) ] ||
	fail "jitter read $read2 bytes for 20000 served: it reads ahead of the demand"
sleep 1
[ "$(jitter_stat bytes_read)" -eq "$read2" ] || fail "jitter goes on reading with no client left"
pass "served: jitter read $read2 bytes, then nothing"

kill -TERM $daemon; wait $daemon; status=$?
[ $status -eq 0 ] || { cat "$tmp/log"; fail "exit status $status after SIGTERM"; }
