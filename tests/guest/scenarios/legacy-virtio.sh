# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool with a virtio-rng device the kernel does not credit (as on
# RHEL 6 and 7.0): entropyd -l says virtio is usable, and entropyd fills
# the pool from it alone.
. /scenarios/lib.sh
result rng_current "$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)"
result list_virtio "$(list_state virtio)"
x=$(only virtio)
start_entropyd $x
fill_timed 3072 600
result avail "$(avail)"
result virtio_bytes_read "$(source_field virtio bytes_read)"
result virtio_bits_credited "$(source_field virtio bits_credited)"
stop_entropyd
result rc "$rc"
