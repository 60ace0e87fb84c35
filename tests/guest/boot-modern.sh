#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# entropyd on Debian's own kernel (6.1, the modern random driver): a cold
# boot with jitter alone, no usable source at all, and virtio-rng with and
# without the kernel crediting it.
# usage: boot-modern.sh SRCDIR WORKDIR
top=$(cd "${1:-.}" && pwd)
gdir=${2:-$top/_build/guest}
. "$top/tests/guest/lib.sh"
kernel=$(debian_kernel)
[ -n "$kernel" ] || guest_need "no readable /boot/vmlinuz-* (Debian: linux-image-amd64)"
guest_prepare

# No RNG device and no RDRAND/RDSEED: nothing seeds the CRNG but entropyd.
# The source-less scenario runs first, while the CRNG is still cold.
log=$gdir/modern.log
if guest_boot "$log" "$kernel" modern-nosource,modern-cold 300 -cpu qemu64,-rdrand,-rdseed; then
	# /dev/hwrng exists without a device behind it (rng_current none):
	# no usable source, so -l and --once fail, and at once
	expect "$log" modern-nosource list_rc -eq 1
	expect "$log" modern-nosource once_rc -eq 1
	expect "$log" modern-nosource once_ms -lt 5000
	expect "$log" modern-nosource crng_done = no
	expect "$log" modern-cold crng_before = no
	expect "$log" modern-cold list_jitter = usable
	expect "$log" modern-cold once_rc -eq 0
	expect "$log" modern-cold once_ms -lt 5000
	expect "$log" modern-cold avail -eq 256
	# "crng init done" came after entropyd started, within 5 s of it
	start=$(value "$log" modern-cold start_s)
	done_s=$(value "$log" modern-cold crng_done)
	if [ "$done_s" != no ] && awk -v s="$start" -v d="$done_s" 'BEGIN { exit !(d >= s - 0.5 && d < s + 5) }'; then
		echo "ok: modern-cold crng init done at $done_s s, entropyd started at $start s"
	else
		echo "FAIL: modern-cold crng init done at ${done_s:-?} s, entropyd started at ${start:-?} s"
		guest_failures=$((guest_failures + 1))
	fi
	measure "6.1 cold boot, jitter only: entropyd --once $(value "$log" modern-cold once_ms) ms, crng init done at $done_s s (entropyd started at $start s)"
fi

# virtio-rng: Debian's 6.1 credits it itself (quality 1000); then quality 0.
log=$gdir/modern-virtio.log
if guest_boot "$log" "$kernel" modern-virtio 200 -cpu qemu64 -device virtio-rng-pci; then
	expect "$log" boot insmod_failed = ""
	expect "$log" modern-virtio rng_current = virtio_rng.0
	expect "$log" modern-virtio list_credited = idle
	expect "$log" modern-virtio list_quality0 = usable
	expect "$log" modern-virtio virtio_bytes_read -gt 0
	expect "$log" modern-virtio virtio_blocks_passed -gt 0
	expect "$log" modern-virtio rc -eq 0
	measure "6.1 virtio-rng at quality 0: $(value "$log" modern-virtio virtio_bytes_read) B read by entropyd in 8 s"
fi
guest_done
