#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# entropyd on a real legacy-era kernel (Linux 4.19, ../shared/kernels): the
# 4096-bit pool, asymptotic credit, write_wakeup_threshold, POLLOUT.
# usage: boot-legacy.sh SRCDIR WORKDIR
top=$(cd "${1:-.}" && pwd)
gdir=${2:-$top/_build/guest}
. "$top/tests/guest/lib.sh"
[ -r "$legacy_kernels/bzImage-4.19.222" ] || guest_skip "no $legacy_kernels/bzImage-4.19.222"
guest_prepare

# One boot, no RNG device, no RDRAND (qemu64): jitter is the only source.
log=$gdir/legacy.log
if guest_boot "$log" "$legacy_kernels/bzImage-4.19.222" \
	legacy-starve,legacy-fill,legacy-crash,legacy-full,legacy-urandom 400 -cpu qemu64; then
	expect "$log" legacy-starve poolsize -eq 4096
	expect "$log" legacy-starve threshold -eq 896
	# without entropyd a reader gets next to nothing (a few interrupt bits)
	expect "$log" legacy-starve reader_bytes_10s -lt 64
	expect "$log" legacy-fill era -eq 1
	expect "$log" legacy-fill fill_ms -lt 10000
	expect "$log" legacy-fill threshold_running -eq 3072
	expect "$log" legacy-fill record -eq 896
	expect "$log" legacy-fill reader_bytes_10s -gt 1000
	expect "$log" legacy-fill avail_after_reader -ge 3000
	expect "$log" legacy-fill rc -eq 0
	expect "$log" legacy-fill threshold_after -eq 896
	expect "$log" legacy-fill record_after -eq 0
	expect "$log" legacy-crash threshold_running -eq 3072
	expect "$log" legacy-crash threshold_killed -eq 3072
	expect "$log" legacy-crash record_killed -eq 896
	expect "$log" legacy-crash put_back -eq 1
	expect "$log" legacy-crash threshold_restarted -eq 3072
	expect "$log" legacy-crash rc -eq 0
	expect "$log" legacy-crash threshold_after -eq 896
	expect "$log" legacy-crash record_after -eq 0
	# -W 4096: capped (4093 for 64-byte steps at 4 bits, the least
	# credited running source; 3413 at the least, for 1-bit steps),
	# filled, then asleep once the sources' queues are full: under 25
	# ticks of CPU in 5 s for the loop, 50 for all threads (feeding for
	# ever takes about 500: the jitter worker never rests)
	cap=$(value "$log" legacy-full capped)
	expect "$log" legacy-full capped -ge 3413
	expect "$log" legacy-full capped -le 4095
	expect "$log" legacy-full threshold_running -eq "${cap:-4096}"
	expect "$log" legacy-full avail -ge "${cap:-4096}"
	expect "$log" legacy-full ticks_5s -lt 25
	expect "$log" legacy-full all_ticks_5s -lt 50
	expect "$log" legacy-full rc -eq 0
	for w in 4096 4095; do
		expect "$log" legacy-full once_${w}_rc -eq 0
		expect "$log" legacy-full once_${w}_avail -ge "${cap:-4096}"
		expect "$log" legacy-full once_${w}_ms -lt 20000
	done
	expect "$log" legacy-urandom avail -ge 3072
	expect "$log" legacy-urandom ticks_5s -lt 25
	expect "$log" legacy-urandom all_ticks_5s -lt 50
	expect "$log" legacy-urandom threshold_unchanged -eq 1
	expect "$log" legacy-urandom rc -eq 0
	measure "4.19 fill: $(value "$log" legacy-fill fill_from) -> 3072 bits in $(value "$log" legacy-fill fill_ms) ms (jitter)"
	measure "4.19 /dev/random reader, 10 s: $(value "$log" legacy-starve reader_bytes_10s) B without entropyd, $(value "$log" legacy-fill reader_bytes_10s) B with"
	measure "4.19 -W 4096: main thread $(value "$log" legacy-full ticks_5s) ticks of CPU in 5 s (all threads $(value "$log" legacy-full all_ticks_5s), after $(value "$log" legacy-full settle_s) s for jitter to fill its queue); --once -W 4096 $(value "$log" legacy-full once_4096_ms) ms, -W 4095 $(value "$log" legacy-full once_4095_ms) ms"
	measure "4.19 -o /dev/urandom: main thread $(value "$log" legacy-urandom ticks_5s) ticks of CPU in 5 s (all threads $(value "$log" legacy-urandom all_ticks_5s), after $(value "$log" legacy-urandom settle_s) s)"
fi

# The same kernel whose virtio-rng the kernel never credits (RHEL 6, 7.0).
log=$gdir/legacy-virtio.log
if guest_boot "$log" "$legacy_kernels/bzImage-4.19.222-virtio-noquality" legacy-virtio 200 \
	-cpu qemu64 -device virtio-rng-pci; then
	expect "$log" legacy-virtio rng_current = virtio_rng.0
	expect "$log" legacy-virtio list_virtio = usable
	expect "$log" legacy-virtio avail -ge 3072
	expect "$log" legacy-virtio virtio_bytes_read -gt 0
	expect "$log" legacy-virtio virtio_bits_credited -gt 0
	expect "$log" legacy-virtio rc -eq 0
	measure "4.19 no-quality virtio-rng: $(value "$log" legacy-virtio fill_from) -> 3072 bits in $(value "$log" legacy-virtio fill_ms) ms, $(value "$log" legacy-virtio virtio_bytes_read) B read"
fi
guest_done
