#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The host feeding a guest (issue 11's EGD server end to end): the host runs
# entropyd --egd-only --egd-socket on a source of known bytes, QEMU's
# rng-egd backend connects to it, and the guest reads its virtio-rng device.
# The guest must get exactly the host's passing bytes, in order, and nothing
# of the blocks that fail; once the host's source only fails, the guest's
# read waits; the host's status counts what it served.
# The guest runs the legacy 4.19 kernel whose virtio-rng declares no
# quality: no kernel thread reads the device, so every byte served is one
# the guest's scenario read, but for the hwrng core's early read when the
# device registers (32 bytes on 4.19, mixed into the pool uncredited) and
# the order in which the driver's buffers hand 16-byte pieces on: so the
# check is that every 16-byte piece the guest read is a piece of the host's
# passing bytes, none twice, and all but the early read's arrived.
# usage: boot-egd.sh SRCDIR WORKDIR
top=$(cd "${1:-.}" && pwd)
gdir=${2:-$top/_build/guest}
. "$top/tests/guest/lib.sh"
kernel=$legacy_kernels/bzImage-4.19.222-virtio-noquality
[ -r "$kernel" ] || guest_skip "no $kernel"
guest_prepare
static=$gdir/static
make -C "$static" -s tests/helpers/gen_stream >/dev/null 2>&1 ||
	{ echo "FAIL: cannot build tests/helpers/gen_stream"; exit 1; }

work=$(mktemp -d /tmp/entropyd-egd.XXXXXX)
host_pid= feeder_pid=
egd_cleanup() {
	[ -n "$feeder_pid" ] && kill "$feeder_pid" 2>/dev/null
	[ -n "$host_pid" ] && kill -TERM "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
	rm -rf "$work"
}
trap egd_cleanup EXIT
trap 'exit 1' INT TERM

# 40 good blocks (+4 priming bytes), then 20 that fail: the source starts
# failing after 100000 good bytes and is suspended.
"$static/tests/helpers/gen_stream" random $((40 * 2500 + 4)) 31 > "$work/stream"
head -c $((20 * 2500)) /dev/zero >> "$work/stream"
{ head -c 4 /dev/zero; cat "$work/stream"; } | "$static/entropy-check" --pipe > "$work/passing" 2>/dev/null
passing=$(wc -c < "$work/passing")
[ "$passing" -ge $((38 * 2500)) ] && [ "$passing" -le $((40 * 2500)) ] ||
	{ echo "FAIL: $passing passing bytes in the host's stream"; exit 1; }

mkfifo "$work/fifo"
others=$("$static/entropyd" -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p' | grep -vx pipe |
	sed 's/^/-x /' | tr '\n' ' ')
# shellcheck disable=SC2086
"$static/entropyd" -f $others -O pipe:path:"$work/fifo" --egd-only \
	--egd-socket "$work/egd.sock" -c "$work/ctl" -p "" 2> "$work/host.log" &
host_pid=$!
cat "$work/stream" > "$work/fifo" &
feeder_pid=$!
n=0
while [ ! -S "$work/egd.sock" ] && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -S "$work/egd.sock" ] || { cat "$work/host.log"; echo "FAIL: the host's EGD socket did not appear"; exit 1; }

log=$gdir/egd.log
if guest_boot "$log" "$kernel" egd 120 -cpu qemu64 \
	-chardev socket,path="$work/egd.sock",id=egd -object rng-egd,chardev=egd,id=rng0 \
	-device virtio-rng-pci,rng=rng0 -serial file:"$work/guest.hex"; then
	expect "$log" egd rng_current = virtio_rng.0
	expect "$log" egd first_bytes -eq 64000
	# The rest of the good bytes arrive, then the read waits: never a byte
	# of the failing blocks.
	early=$((passing - $(value "$log" egd all_bytes)))
	if [ "$early" -ge 0 ] && [ "$early" -le 64 ]; then
		echo "ok: the guest read all but $early passing bytes (the hwrng core's early read)"
	else
		echo "FAIL: the guest read $(value "$log" egd all_bytes) bytes of $passing passing"
		guest_failures=$((guest_failures + 1))
	fi
	od -An -tx1 -v -w16 "$work/passing" | tr -d ' ' | sort > "$work/passing.hex"
	tr -d '\r' < "$work/guest.hex" | sort > "$work/guest.sorted"
	pieces=$(wc -l < "$work/guest.sorted")
	foreign=$(comm -13 "$work/passing.hex" "$work/guest.sorted" | wc -l)
	twice=$(uniq -d "$work/guest.sorted" | wc -l)
	missing=$(comm -23 "$work/passing.hex" "$work/guest.sorted" | wc -l)
	if [ "$pieces" -eq $(((passing - early) / 16)) ] && [ "$foreign" -eq 0 ] &&
	   [ "$twice" -eq 0 ] && [ "$missing" -eq $((early / 16)) ]; then
		echo "ok: the guest's $pieces pieces of 16 bytes are the host's passing bytes, each once; $missing went to the early read"
	else
		echo "FAIL: the guest got $pieces pieces: $foreign not among the passing bytes, $twice twice, $missing passing ones missing"
		guest_failures=$((guest_failures + 1))
	fi
	served=$("$static/entropyctl" -s "$work/ctl" status --json |
		tr -d ' \n' | sed -n 's/.*"egd":{"bytes_served":\([0-9]*\).*/\1/p')
	if [ "${served:-x}" = "$passing" ]; then
		echo "ok: the host served $served bytes: the guest's $((passing - early)) and the early $early"
	else
		echo "FAIL: the host says ${served:-?} bytes served, the guest's kernel took $passing"
		guest_failures=$((guest_failures + 1))
	fi
	measure "EGD to a 4.19 guest: 64000 B read in $(value "$log" egd first_ms) ms of guest time"
fi
guest_done
