#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Same verdicts as rng-tools' rngtest: on random, patterned and near-the-
# bounds streams, every per-test failure count must be equal.
. "${top_srcdir:-.}/tests/lib.sh"

require_tool rngtest rng-tools5
gen=$bin/tests/helpers/gen_stream

counts() {	# the success, failure and per-test lines, without the prefix
	grep -E 'successes|failures|Monobit|Poker|Runs|Long run|Continuous' | sed 's/^[a-z-]*: //'
}

compare() {
	rngtest < "$tmp/in" 2>&1 | counts > "$tmp/rngtest"
	"$bin/entropy-check" < "$tmp/in" 2>&1 | counts > "$tmp/ours"
	diff "$tmp/rngtest" "$tmp/ours" > "$tmp/diff" || { cat "$tmp/diff"; fail "$1: verdicts differ"; }
	rngtest -p < "$tmp/in" 2> /dev/null > "$tmp/rngtest.out"
	"$bin/entropy-check" -p < "$tmp/in" 2> /dev/null > "$tmp/ours.out"
	cmp -s "$tmp/rngtest.out" "$tmp/ours.out" || fail "$1: --pipe output differs"
	pass "$1: $(tr '\n' ' ' < "$tmp/ours")"
}

for seed in 1 2 3; do
	"$gen" marginal $((2000 * 2500 + 4)) $seed > "$tmp/in"
	compare "marginal seed $seed"
done
for kind in random zeros ones stuck bias period; do
	"$gen" $kind $((200 * 2500 + 1234)) 9 > "$tmp/in"
	compare "$kind"
done
head -c 2500000 /dev/urandom > "$tmp/in"
compare "urandom"
