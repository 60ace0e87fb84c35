#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad options exit 10 with a message naming the option, the value and what
# is accepted, and start nothing (no PID file, no output file).
. "${top_srcdir:-.}/tests/lib.sh"

expect_usage() {
	pattern=$1; shift
	"$bin/entropyd" -f -p "$tmp/pid" -o "$tmp/out" -c "$tmp/control" "$@" > /dev/null 2> "$tmp/err"
	status=$?
	[ $status -eq 10 ] || fail "entropyd $*: exit $status, expected 10"
	grep -q -- "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "entropyd $*: message lacks '$pattern'"; }
	[ ! -e "$tmp/pid" ] && [ ! -e "$tmp/out" ] && [ ! -e "$tmp/control" ] || fail "entropyd $*: something was started"
	pass "entropyd $* -> $(head -n 1 "$tmp/err")"
}

expect_usage "-s/--random-step: 0 is out of range; expected an integer from 1 to 4096" -s 0
expect_usage "-W/--fill-watermark: 'lots' is not a number" -W lots
expect_usage "-R/--force-reseed: 0 is out of range" -R 0
expect_usage "-e/--entropy-count: 9 is out of range; expected an integer from 1 to 8" -e 9
expect_usage "unknown source 'tpm'; known sources: hwrng" -x tpm
expect_usage "'pipe:path' is not SOURCE:KEY:VALUE" -O pipe:path
expect_usage "pipe: unknown option 'size'; accepted: credit, path" -O pipe:size:1
expect_usage "-O pipe:credit (bits per byte): 9 is out of range; expected a number from 0.000976562 to 8" -O pipe:credit:9
expect_usage "rdrand:mode: 'fast' is not a mode; accepted: auto, rdseed, rdrand" -O rdrand:mode:fast
expect_usage "virtio:force" -O virtio:force:maybe
expect_usage "jitter:osr: 0 is out of range; expected an integer from 1 to 64" -O jitter:osr:0
expect_usage "jitter: unknown option 'size'; accepted: credit, osr" -O jitter:size:1
expect_usage "hwrng: unknown option 'path'; accepted: credit, device, sysfs" -O hwrng:path:/dev/x
expect_usage "known sources: hwrng, virtio, rdrand, jitter, pipe" -n tpm
expect_usage "unrecognized option" --no-such-option
expect_usage "-t/--test and --once exclude each other" -t --once
# Numbers are decimal and within range as written.
expect_usage "-O rdrand:credit (bits per byte): '0x8' is not a number" -O rdrand:credit:0x8
expect_usage "-O rdrand:credit (bits per byte): 8.0004 is out of range" -O rdrand:credit:8.0004
expect_usage "-D/--drop-privileges: 'nobody:' is not USER or USER:GROUP" -D nobody:

# A huge value is quoted by its first 64 bytes and "...", not echoed whole.
huge=$(head -c 100000 /dev/zero | tr '\0' 7)
for opt in pipe:path:"$huge" jitter:osr:"$huge" rdrand:mode:"$huge" rdrand:credit:"$huge" \
	"pipe:$huge:1" "$huge"; do
	"$bin/entropyd" -f -p "$tmp/pid" -o "$tmp/out" -c "$tmp/control" -O "$opt" > /dev/null 2> "$tmp/err"
	status=$?
	[ $status -eq 10 ] || fail "-O with a 100 KB part: exit $status, expected 10"
	[ "$(wc -c < "$tmp/err")" -lt 400 ] && grep -q '7\.\.\.' "$tmp/err" ||
		fail "-O ${opt%%:*}:...: $(wc -c < "$tmp/err") bytes of message: $(head -c 300 "$tmp/err")"
done
pass "100 KB -O values: short messages ($(head -n 1 "$tmp/err" | head -c 100)...)"

# Help and version: -h like --help (exit 0), --version listed once, the
# sources named; -v and -V print the version.
for h in -h --help '-?'; do
	"$bin/entropyd" $h > "$tmp/help" 2>&1 || fail "entropyd $h: exit $?"
	grep -q "^Usage: entropyd" "$tmp/help" || fail "entropyd $h printed no help"
done
[ "$(grep -c -- '--version' "$tmp/help")" -eq 1 ] || { grep -- --version "$tmp/help"; fail "--help lists --version more than once"; }
for s in $("$bin/entropyd" -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p'); do
	grep -q "Sources, in order of preference:.* $s\b" "$tmp/help" || fail "--help does not name the source $s"
done
# Every option's text starts in the same column (argp misaligns one whose
# name and argument are too long to fit before it).
awk '/^  -/ && match($0, /[^ ]  +[^ ]/) && RSTART + RLENGTH - 1 != 30 { print; bad = 1 }
	END { exit bad }' "$tmp/help" || fail "misaligned help lines (above)"
tr -s '\n ' '  ' < "$tmp/help" | grep -q "rngd's -v is --verbose" || fail "--help does not say what rngd's -v is here"
for v in -v -V --version; do
	[ "$("$bin/entropyd" $v)" = "$("$bin/entropyd" --version)" ] || fail "entropyd $v"
done
pass "-h, --help and -? print help naming every source and --version once; -v, -V print the version"
