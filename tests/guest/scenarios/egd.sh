# SPDX-License-Identifier: GPL-2.0-or-later
# A guest fed by the host's entropyd through QEMU's rng-egd (boot-egd.sh):
# read /dev/hwrng (virtio-rng, which this kernel does not credit itself, so
# nothing but this scenario reads it) and hand what came to the host, which
# checks it against its passing bytes.
# Then read on while the host's source only fails: the read just waits.
. /scenarios/lib.sh
result rng_current "$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)"
t0=$(now_ms)
dd if=/dev/hwrng of=/tmp/first bs=64 count=1000 2>/dev/null
result first_ms $(($(now_ms) - t0))
result first_bytes "$(wc -c < /tmp/first)"
# The host has fewer good bytes than this asks for: what it has, then a wait.
timeout 5 dd if=/dev/hwrng of=/tmp/rest bs=64 count=1000 2>/dev/null
result rest_bytes "$(wc -c < /tmp/rest)"
cat /tmp/first /tmp/rest > /tmp/all
result all_bytes "$(wc -c < /tmp/all)"
# Everything read, in 16-byte lines of hex, to the host over the second
# serial port (a file there).
hexdump -v -e '16/1 "%02x" "\n"' /tmp/all > /dev/ttyS1
