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
