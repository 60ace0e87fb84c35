#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# entropy-check -j N gives what -j 1 gives, byte for byte: every summary line
# but the speeds and the run time, and the --pipe output, on seeded streams
# longer than several batches (so the threads' shares, the read-ahead and the
# order of reporting are all exercised), with -c, -b and a partial last block.
. "${top_srcdir:-.}/tests/lib.sh"

check=$bin/entropy-check
gen=$bin/tests/helpers/gen_stream

# summary FILE: the summary lines that do not depend on timing.
summary() { grep -v -e 'speed:' -e 'Program run time:' "$1"; }

# same NAME OPTIONS...: -j 1 and -j 2, 3, 7 agree on $tmp/in with OPTIONS.
same() {
	name=$1; shift
	timeout 120 "$check" -j 1 "$@" < "$tmp/in" > "$tmp/out.1" 2> "$tmp/err.1"
	st1=$?
	[ "$st1" -le 1 ] || { cat "$tmp/err.1"; fail "$name: -j 1 exit $st1"; }
	summary "$tmp/err.1" > "$tmp/sum.1"
	for j in 2 3 7; do
		timeout 120 "$check" -j $j "$@" < "$tmp/in" > "$tmp/out.$j" 2> "$tmp/err.$j"
		st=$?
		[ "$st" -eq "$st1" ] || fail "$name: -j $j exit $st, -j 1 exit $st1"
		summary "$tmp/err.$j" > "$tmp/sum.$j"
		cmp -s "$tmp/sum.1" "$tmp/sum.$j" ||
			{ diff "$tmp/sum.1" "$tmp/sum.$j"; fail "$name: -j $j summary differs from -j 1"; }
		cmp -s "$tmp/out.1" "$tmp/out.$j" || fail "$name: -j $j output differs from -j 1"
	done
	pass "$name: $(grep -c 'successes' "$tmp/sum.1") summaries, $(grep 'failures:' "$tmp/sum.1" | tail -n 1 | sed 's/.*: //') failed blocks, same with -j 2, 3, 7"
}

# Near-the-bounds streams: verdicts that hang on the block before (the
# continuous test, rngtest's run counting across blocks), about one in two
# blocks failing.  3001 blocks and a partial one: several batches at -j 7.
for seed in 1 2 3; do
	"$gen" marginal $((3001 * 2500 + 4 + 1234)) $seed > "$tmp/in"
	same "marginal seed $seed" --pipe
	same "marginal seed $seed, summary"
done
[ "$(grep -c . "$tmp/sum.1")" -gt 5 ] || fail "no summary lines to compare"
"$gen" marginal $((3001 * 2500 + 8)) 4 > "$tmp/in"
same "marginal, pipe output" --pipe
[ -s "$tmp/out.7" ] || fail "pipe output is empty"

# Each block fails the continuous test through the block before it alone:
# the thread that starts a share must know that block.
"$gen" chained $((3001 * 2500 + 4)) 8 > "$tmp/in"
same "chained blocks"
grep -q "Continuous run: 3001$" "$tmp/sum.7" || fail "chained: not every block failed the continuous test"

# Mostly passing data with a defect now and then, and the options that cut
# batches short.
{ "$gen" random 2000004 5; "$gen" stuck 5000; "$gen" random 4000000 6; "$gen" zeros 2500; "$gen" random 1000000 7; } > "$tmp/in"
same "random with defects" --pipe
same "-c 1111" -c 1111
same "-c 1111 --pipe" -c 1111 --pipe
same "-b 100" -b 100
same "--sp800-90b 1" --sp800-90b 1

# A bad value is refused with the option and the range named.
"$check" -j 0 < /dev/null > /dev/null 2> "$tmp/err"
[ $? -eq 10 ] || fail "-j 0: expected exit 10"
grep -q -- "-j/--jobs: 0 is out of range; expected an integer from 1 to 1024" "$tmp/err" || fail "-j 0 message: $(cat "$tmp/err")"
pass "-j 0 is refused with the range"
