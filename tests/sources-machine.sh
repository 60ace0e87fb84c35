#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The sources on this machine: entropyd -l names every source with a state
# and a reason where it is not used, and exits 0 when one is usable; -t with
# each usable source alone shows blocks passing.
. "${top_srcdir:-.}/tests/lib.sh"

"$bin/entropyd" -l > "$tmp/list" 2> "$tmp/err"
status=$?
cat "$tmp/list"
for s in hwrng virtio rdrand jitter pipe; do
	grep -q "^$s: \(enabled\|disabled\), \(usable\|idle: .\|unavailable: .\)" "$tmp/list" ||
		fail "-l: no state line for $s"
	grep -A3 "^$s: " "$tmp/list" | grep -q "credit: " || fail "-l: no credit for $s"
done
grep -q "^jitter: enabled, usable" "$tmp/list" || fail "jitter is not usable here"
[ $status -eq 0 ] || fail "-l exit $status with a usable source"
pass "-l: every source with its state, credit and options; exit 0"

# What the machine has decides which sources must be usable.
hw=/sys/class/misc/hw_random
if [ "$(cat $hw/rng_current 2>/dev/null)" = virtio_rng.0 ]; then
	grep -q "^hwrng: enabled, idle: rng_current is virtio_rng.0" "$tmp/list" || fail "hwrng does not hand over"
	if [ "$(cat $hw/rng_quality 2>/dev/null || echo 0)" -gt 0 ] && ps -eo comm | grep -qx hwrng; then
		grep -q "^virtio: enabled, idle: the kernel's hwrng thread already credits" "$tmp/list" ||
			fail "virtio should idle beside the kernel's hwrng thread"
	fi
	pass "virtio-rng: hwrng hands over, virtio follows the kernel's thread"
fi
if grep -q -w rdrand /proc/cpuinfo; then
	grep -q "^rdrand: enabled, usable" "$tmp/list" || fail "rdrand not usable on a CPU with RDRAND"
fi

# -t with one source alone: passing blocks within a few seconds.
alone() {
	name=$1; shift
	"$bin/entropyd" -t $(only "$name") "$@" > "$tmp/rates.$name" 2> "$tmp/log.$name" &
	pid=$!; track $pid
	wait_for 100 grep -qs "^\[.*\] $name .*passed [1-9][0-9]* bytes" "$tmp/rates.$name" ||
		{ cat "$tmp/rates.$name" "$tmp/log.$name"; fail "$name alone: no passing block"; }
	kill -TERM $pid; wait $pid
	pass "$name alone: $(grep " $name " "$tmp/rates.$name" | tail -n 1)"
}
alone jitter
grep -q "^rdrand: enabled, usable" "$tmp/list" && alone rdrand
[ -c /dev/hwrng ] && [ -r /dev/hwrng ] && alone virtio -O virtio:force:1
# hwrng alone (virtio excluded), as rngd users type it: reads a virtio-rng
# like any hardware RNG.
current=$(cat $hw/rng_current 2>/dev/null || echo none)
if [ -c /dev/hwrng ] && [ -r /dev/hwrng ] && [ "$current" != none ]; then
	alone hwrng -r /dev/hwrng
fi
