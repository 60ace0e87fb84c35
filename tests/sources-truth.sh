#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A guest with no hardware RNG behind /dev/hwrng (rng_current "none", as a
# fixture sysfs says), no RDRAND and no jitter: -l says so and exits 1, the
# daemon and --once exit 1 at start naming the reasons; nothing claims to be
# usable.  And rng_available's trailing space is not repeated.
. "${top_srcdir:-.}/tests/lib.sh"

mkdir "$tmp/sys"
echo none > "$tmp/sys/rng_current"
echo "tpm-rng-0 " > "$tmp/sys/rng_available"
none="-x virtio -x rdrand -x jitter -O hwrng:sysfs:$tmp/sys"
reason="rng_current is none: no hardware RNG is behind /dev/hwrng (rng_available: tpm-rng-0)"

"$bin/entropyd" -l $none > "$tmp/list" 2>&1
status=$?
[ $status -eq 1 ] || { cat "$tmp/list"; fail "-l with no usable source: exit $status, expected 1"; }
grep -qxF "hwrng: enabled, unavailable: $reason" "$tmp/list" || { cat "$tmp/list"; fail "-l: hwrng's reason"; }
pass "-l: exit 1, hwrng: $reason"

timeout 20 "$bin/entropyd" -f $none -o "$tmp/out" -p "" -c "" 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || { cat "$tmp/log"; fail "the daemon: exit $status, expected 1"; }
grep -qF "hwrng: $reason" "$tmp/log" || { cat "$tmp/log"; fail "the daemon does not say why"; }
pass "the daemon: exit 1 at start, $(grep -m1 'no source' "$tmp/log")"

timeout 20 "$bin/entropyd" --once $none -o "$tmp/out" -p "" -c "" 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || { cat "$tmp/log"; fail "--once: exit $status, expected 1"; }
grep -qF "hwrng: $reason" "$tmp/log" || { cat "$tmp/log"; fail "--once does not say why"; }
pass "--once: exit 1 at start"
