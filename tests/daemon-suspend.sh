#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A FIFO of zeros yields nothing; the source is suspended, the log says why,
# and it is re-probed after the retry delay.
. "${top_srcdir:-.}/tests/lib.sh"

mkfifo "$tmp/fifo"
"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" -o "$tmp/out" -p "$tmp/pid" -c "$tmp/control" \
	--retry-delay 1 2> "$tmp/log" &
daemon=$!; track $daemon
head -c $((10 * 2500 + 4)) /dev/zero > "$tmp/fifo"

wait_for 50 grep -q "source pipe suspended" "$tmp/log" || { cat "$tmp/log"; fail "no suspension logged"; }
grep -q "source pipe suspended: 3 consecutive blocks failed FIPS 140-2 (last: Monobit" "$tmp/log" ||
	{ cat "$tmp/log"; fail "the suspension does not name the reason"; }
pass "suspension logged with its reason"
wait_for 40 grep -q "source pipe re-probed and resumed" "$tmp/log" || { cat "$tmp/log"; fail "not re-probed"; }
pass "re-probed after the retry delay"
[ ! -s "$tmp/out" ] || fail "bytes of failing blocks were written"
pass "nothing written"
kill -TERM $daemon; wait $daemon
