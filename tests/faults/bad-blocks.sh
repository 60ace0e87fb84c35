#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A good stream with one bad block inside, and one with a block repeated:
# exactly the good blocks come out, the bad one is counted, and a single bad
# block does not suspend the source.
. "${top_srcdir:-.}/tests/faults/lib.sh"

"$gen" random $((20 * 2500 + 4)) 11 > "$tmp/in"
# Block 7 (after the 4 priming bytes) becomes all zeros.
dd if=/dev/zero of="$tmp/in" bs=1 seek=$((4 + 7 * 2500)) count=2500 conv=notrunc 2>/dev/null
passing_blocks "$tmp/in" > "$tmp/expected"
mkfifo "$tmp/fifo"
start_output "$tmp/fifo"
cat "$tmp/in" > "$tmp/fifo"
wait_for 50 size_is "$tmp/out" "$(stat -c %s "$tmp/expected")" || fail "output size $(stat -c %s "$tmp/out")"
cmp "$tmp/out" "$tmp/expected" || fail "output is not exactly the good blocks"
assert_clean "$tmp/in"
! grep -q "suspended" "$tmp/log" || fail "one bad block suspended the source"
pass "one bad block dropped, the other $(( $(stat -c %s "$tmp/out") / 2500 )) written, no suspension"
stop_daemon

# Block 5 repeated as block 6: FIPS passes both, the repeat must not count twice.
"$gen" random $((20 * 2500 + 4)) 12 > "$tmp/in2"
dd if="$tmp/in2" of="$tmp/in2" bs=1 skip=$((4 + 5 * 2500)) seek=$((4 + 6 * 2500)) count=2500 conv=notrunc 2>/dev/null
rm -f "$tmp/out"
start_output "$tmp/fifo"
cat "$tmp/in2" > "$tmp/fifo"
wait_for 50 size_is "$tmp/out" $((19 * 2500)) || fail "output size $(stat -c %s "$tmp/out" 2>/dev/null), expected $((19 * 2500))"
dups=$(block_hashes "$tmp/out" 0 | uniq -d | wc -l)
[ "$dups" -eq 0 ] || fail "a repeated block was written twice"
pass "the repeated block was written once"
stop_daemon
