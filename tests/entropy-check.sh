#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# entropy-check end to end: exit codes for good, failing, short and empty
# input and bad options; --pipe writes exactly the passing blocks; --json
# parses and agrees with the text summary.
. "${top_srcdir:-.}/tests/lib.sh"

check=$bin/entropy-check
gen=$bin/tests/helpers/gen_stream
data=$srcdir/tests/data

# status_is N COMMAND...: run COMMAND (stdout/stderr to $tmp), expect exit N.
status_is() {
	want=$1; shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || { cat "$tmp/err"; fail "$*: exit $got, expected $want"; }
}

# summary KEY: the number on the text summary line "entropy-check: KEY: N".
summary() { sed -n "s/^entropy-check: $1: \([0-9]*\)$/\1/p" "$tmp/err"; }

# Good data: the known passing vector, then a long passing stream.
status_is 0 "$check" "$data/pass.bin"
[ "$(summary 'FIPS 140-2 successes')" = 1 ] || fail "pass.bin: successes"
[ "$(summary 'bits received from input')" = $((2504 * 8)) ] || fail "pass.bin: bits received"
status_is 0 "$check" < "$data/pass.bin"
pass "passing block: exit 0, counted"

# Failing data: each vector fails its test, exit 1.
for t in monobit:Monobit poker:Poker runs:Runs longrun:'Long run'; do
	file=${t%%:*}; name=${t#*:}
	status_is 1 "$check" "$data/$file.bin"
	[ "$(summary "FIPS 140-2(2001-10-10) $name")" = 1 ] || fail "$file.bin: $name count"
	[ "$(summary 'FIPS 140-2 failures')" = 1 ] || fail "$file.bin: failures"
done
status_is 1 "$check" "$data/continuous.bin"
[ "$(summary 'FIPS 140-2(2001-10-10) Continuous run')" = 1 ] || fail "continuous.bin"
[ "$(summary 'FIPS 140-2 successes')" = 1 ] || fail "continuous.bin: first block passes"
"$gen" zeros 25004 > "$tmp/zeros"
status_is 1 "$check" "$tmp/zeros"
[ "$(summary 'FIPS 140-2 failures')" = 10 ] || fail "zeros: 10 failures"
pass "failing blocks: exit 1, each test counted"

# Short and empty input: no complete block is a failure (exit 1).
head -c 2000 "$data/pass.bin" > "$tmp/short"
status_is 1 "$check" "$tmp/short"
grep -q "FIPS 140-2 successes: 0" "$tmp/err" || fail "short input summary"
: > "$tmp/empty"
status_is 1 "$check" "$tmp/empty"
grep -q "input ended after 0 bytes, before the first block" "$tmp/err" || fail "empty input message"
pass "short and empty input: exit 1 with a message"

# I/O errors: a missing file, a directory.
status_is 11 "$check" "$tmp/no-such-file"
grep -q "cannot open $tmp/no-such-file: No such file or directory" "$tmp/err" || fail "missing file message"
status_is 11 "$check" "$tmp"
grep -q "error reading $tmp: Is a directory" "$tmp/err" || fail "directory message"
pass "unreadable input: exit 11 naming the file"

# Bad options: exit 10 naming the option and what is accepted.
status_is 10 "$check" -c lots
grep -q -- "-c/--blockcount: 'lots' is not a number" "$tmp/err" || fail "-c message: $(cat "$tmp/err")"
status_is 10 "$check" -b -1
grep -q -- "-b/--blockstats" "$tmp/err" || fail "-b message"
status_is 10 "$check" -t 999999999999
grep -q -- "-t/--timedstats" "$tmp/err" || fail "-t message"
status_is 10 "$check" --pipe --json
grep -q "exclude each other" "$tmp/err" || fail "--pipe --json message"
status_is 10 "$check" a b
status_is 10 "$check" --bogus
for h in -h --help '-?'; do
	status_is 0 "$check" $h
	grep -q "^Usage: entropy-check" "$tmp/out" || fail "$h printed no help"
done
pass "bad options: exit 10 with the option named"

# --pipe: exactly the passing blocks, byte for byte.  Stream: 8 bytes that
# rngtest's pipe mode skips and primes with, then good, bad, good blocks.
"$gen" random 2508 11 > "$tmp/stream"
"$gen" zeros 2500 >> "$tmp/stream"
"$gen" random 2500 12 >> "$tmp/stream"
status_is 1 "$check" --pipe "$tmp/stream"
tail -c +9 "$tmp/stream" | head -c 2500 > "$tmp/want"
tail -c 2500 "$tmp/stream" >> "$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || fail "--pipe output is not exactly the two passing blocks"
grep -q "bits sent to output: 40000" "$tmp/err" || fail "--pipe: bits sent"
pass "--pipe writes exactly the passing blocks"

# -c stops after N blocks and reads no further than it needs.
"$gen" random 25004 13 > "$tmp/ten"
status_is 0 "$check" -c 3 "$tmp/ten"
[ "$(summary 'FIPS 140-2 successes')" = 3 ] || fail "-c 3"
[ "$(summary 'bits received from input')" = $(((4 + 3 * 2500) * 8)) ] || fail "-c 3 read too much"
pass "-c stops after N blocks"

# -b prints the statistics every N blocks (plus the final summary).
status_is 0 "$check" -b 4 "$tmp/ten"
[ "$(grep -c 'FIPS 140-2 successes' "$tmp/err")" = 3 ] || fail "-b 4 over 10 blocks: expected 3 summaries"
pass "-b prints intermediate statistics"

# --json: one object on stdout whose counts match the text.
"$gen" marginal 250004 5 > "$tmp/marginal"
"$check" --json "$tmp/marginal" > "$tmp/json" 2> "$tmp/err"
[ $? -eq 1 ] || fail "--json on marginal data: exit"
# json_field KEY: the number after "KEY": in the one-line document.
json_field() { sed -n "s/.*\"$1\": *\([0-9]*\)[,}].*/\1/p" "$tmp/json"; }
[ "$(wc -l < "$tmp/json")" -le 1 ] && [ "$(head -c 1 "$tmp/json")" = "{" ] || fail "--json: not one object on one line"
[ "$(json_field schema)" = 1 ] || fail "--json: schema"
[ "$(json_field blocks_passed)" = "$(summary 'FIPS 140-2 successes')" ] || fail "--json: blocks_passed"
[ "$(json_field blocks_failed)" = "$(summary 'FIPS 140-2 failures')" ] || fail "--json: blocks_failed"
[ "$(json_field runs)" = "$(summary 'FIPS 140-2(2001-10-10) Runs')" ] || fail "--json: failures.runs"
[ "$(json_field bits_received)" = "$(summary 'bits received from input')" ] || fail "--json: bits_received"
[ "$(json_field exit_status)" = 1 ] || fail "--json: exit_status"
[ "$(json_field blocks_failed)" -gt 10 ] && [ "$(json_field blocks_passed)" -gt 10 ] ||
	fail "--json: marginal data should both pass and fail blocks"
pass "--json agrees with the text summary"

# --sp800-90b H: health tests on every byte; alarms make the status 1.
status_is 0 "$check" --sp800-90b 7 "$tmp/ten"
grep -q "SP 800-90B (H=7) repetition count: intermittent 0, permanent 0 (cutoffs 6 and 10)" "$tmp/err" ||
	fail "--sp800-90b 7 on good data: $(grep 'SP 800' "$tmp/err")"
"$gen" random 25004 14 > "$tmp/stuck"
head -c 40 /dev/zero | dd of="$tmp/stuck" bs=1 seek=1000 conv=notrunc 2>/dev/null
status_is 1 "$check" --sp800-90b 7 -c 1 "$tmp/stuck"
grep -q "repetition count: intermittent 1, permanent 1" "$tmp/err" ||
	fail "40 zero bytes: $(grep 'SP 800' "$tmp/err")"
status_is 10 "$check" --sp800-90b 0 "$tmp/ten"
grep -q -- "--sp800-90b: 0 is out of range" "$tmp/err" || fail "--sp800-90b 0 message"
status_is 10 "$check" --sp800-90b=0x8 "$tmp/ten"
grep -q -- "--sp800-90b: '0x8' is not a number" "$tmp/err" || fail "--sp800-90b=0x8: $(cat "$tmp/err")"
status_is 10 "$check" --sp800-90b=8.0000001 "$tmp/ten"
grep -q -- "--sp800-90b: 8.0000001 is out of range" "$tmp/err" || fail "--sp800-90b=8.0000001: $(cat "$tmp/err")"
pass "--sp800-90b: cutoffs from H, alarms counted, exit 1 on an alarm"
