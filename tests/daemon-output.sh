#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A FIFO of good data with -o FILE yields exactly the blocks that pass
# FIPS 140-2 (as entropy-check --pipe finds them), byte for byte, even when
# the FIFO's writer goes away and comes back between the two halves.
. "${top_srcdir:-.}/tests/lib.sh"

random_stream 40 > "$tmp/data"
# Spoil two blocks so "exactly the passing blocks" means something: block 5
# all zeros (fails everything), block 20 all ones.  Blocks start after the
# 4 bytes that prime the continuous test, so in 4-byte units: 1 + 625 * k.
dd if=/dev/zero of="$tmp/data" bs=4 seek=$((1 + 625 * 5)) count=625 conv=notrunc 2>/dev/null
head -c 2500 /dev/zero | tr '\0' '\377' |
	dd of="$tmp/data" bs=4 seek=$((1 + 625 * 20)) count=625 conv=notrunc 2>/dev/null
passing_blocks "$tmp/data" > "$tmp/expected"
expected_size=$(stat -c %s "$tmp/expected")
[ "$expected_size" -le $((38 * 2500)) ] || fail "the spoiled blocks passed entropy-check"

mkfifo "$tmp/fifo"
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" \
	--retry-delay 1 -d 2> "$tmp/log" &
daemon=$!; track $daemon

# First writer: half the stream, then it goes away.
head -c 50002 "$tmp/data" > "$tmp/fifo"
# Second writer: the rest.
tail -c +50003 "$tmp/data" > "$tmp/fifo"

wait_for 100 size_is "$tmp/out" "$expected_size" ||
	{ cat "$tmp/log"; fail "output holds $(stat -c %s "$tmp/out" 2>/dev/null) bytes, expected $expected_size"; }
sleep 0.3	# nothing more may arrive
cmp "$tmp/out" "$tmp/expected" || fail "output differs from the passing blocks"
pass "output is exactly the $((expected_size / 2500)) passing blocks"
[ "$(stat -c %a "$tmp/out")" = 600 ] || fail "output file mode is $(stat -c %a "$tmp/out"), not 600"
grep -q "writer of $tmp/fifo went away" "$tmp/log" || fail "the writer's departure was not logged"
kill -TERM $daemon; wait $daemon; status=$?
[ $status -eq 0 ] || fail "exit status $status after SIGTERM"
[ ! -e "$tmp/pid" ] || fail "PID file left behind"
pass "clean exit, PID file removed"
