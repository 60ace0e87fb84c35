#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --once against the real /dev/random as root: the pool is filled (on this
# modern kernel: one mix + reseed step after the CRNG is ready), the log
# says how much was credited, exit 0, and no sysctl is left changed.
. "${top_srcdir:-.}/tests/lib.sh"
require_root

threshold=/proc/sys/kernel/random/write_wakeup_threshold
before=$(cat "$threshold")
random_stream 8 > "$tmp/data"
"$bin/entropyd" --once $(only pipe) -O pipe:path:"$tmp/data" -p "$tmp/pid" -c "" -d \
	> "$tmp/out" 2> "$tmp/log"
status=$?
[ $status -eq 0 ] || { cat "$tmp/log"; fail "--once exit status $status"; }
# Credit is reported only while the kernel counts it: on a modern kernel
# whose CRNG is ready (this machine's), the step is mixed in, not credited.
# (/dev/random answers at once only when the CRNG is ready.)
if [ "$(cat /proc/sys/kernel/random/poolsize)" -eq 256 ] &&
   timeout 2 head -c 1 /dev/random > /dev/null; then
	grep -q "mixed 64 bytes from pipe in (no credit: the CRNG is ready)" "$tmp/log" ||
		{ cat "$tmp/log"; fail "no mixed-in step logged"; }
	grep -q -- "--once: done; .* 0 bits credited" "$tmp/log" ||
		{ cat "$tmp/log"; fail "credit reported although the kernel ignores it"; }
else
	grep -q "fed 64 bytes from pipe, credited 256 bits" "$tmp/log" ||
		{ cat "$tmp/log"; fail "no credited injection logged"; }
fi
grep -q -- "--once: pool filled" "$tmp/log" || { cat "$tmp/log"; fail "no fill message"; }
! grep -q "credited 0 bits" "$tmp/log" || { cat "$tmp/log"; fail "a step logged with 0 bits credited"; }
[ "$(cat "$threshold")" = "$before" ] || fail "write_wakeup_threshold changed"
[ ! -e "$tmp/pid" ] || fail "PID file left behind"
pass "$(grep -m1 -- '--once: done' "$tmp/log" | sed 's/^entropyd: //'); exit 0"

# --once with nothing usable: exit 1 and say why, for each source.
"$bin/entropyd" --once $(only pipe) -O pipe:path:"$tmp/missing" -p "$tmp/pid" -c "" 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || fail "--once without a source: exit $status, expected 1"
grep -q "pipe" "$tmp/log" || fail "the failing source is not named"
pass "--once without a usable source: exit 1, $(head -n 1 "$tmp/log")"
