# SPDX-License-Identifier: GPL-2.0-or-later
# Modern pool with virtio-rng: the kernel's hwrng thread credits it, so
# entropyd -l calls virtio idle; with its quality set to 0 the kernel stops
# crediting it, -l calls it usable, and entropyd feeds from it.
. /scenarios/lib.sh
hw=/sys/class/misc/hw_random
result rng_current "$(cat $hw/rng_current 2>/dev/null)"
result list_credited "$(list_state virtio)"
if [ -w $hw/rng_quality ]; then
	result quality_before "$(cat $hw/rng_quality)"
	echo 0 > $hw/rng_quality
else
	echo 0 > /sys/module/rng_core/parameters/current_quality
fi
result list_quality0 "$(list_state virtio)"
start_entropyd $(only virtio)
sleep 8
result virtio_bytes_read "$(source_field virtio bytes_read)"
result virtio_blocks_passed "$(source_field virtio blocks_passed)"
result virtio_bytes_used "$(source_field virtio bytes_used)"
stop_entropyd
result rc "$rc"
