#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Defective streams through a FIFO: all zeros, all ones, a stuck 32-bit
# word, a 60/40 bias, a 64-byte period.  For each: no failing block is
# written, the source is suspended with its reason named, re-probed, and a
# good source beside it keeps feeding.
. "${top_srcdir:-.}/tests/faults/lib.sh"

for kind in zeros ones stuck bias period; do
	echo "--- $kind"
	"$gen" "$kind" $((12 * 2500 + 4)) 7 > "$tmp/in"
	rm -f "$tmp/fifo" "$tmp/out"; mkfifo "$tmp/fifo"
	start_output "$tmp/fifo"
	cat "$tmp/in" > "$tmp/fifo"
	assert_log "source pipe suspended: 3 consecutive blocks failed FIPS 140-2"
	assert_log "source pipe re-probed and resumed"
	stop_daemon
	assert_clean "$tmp/in"
	[ ! -s "$tmp/out" ] || fail "$kind: bytes were written"

	cp "$tmp/in" "$tmp/in.file"
	start_mixed "$tmp/in.file"
	assert_log "source pipe suspended"
	assert_feeding
	stop_daemon
	rm -f "$tmp/in.file"
done
