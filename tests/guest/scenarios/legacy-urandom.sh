# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool, -o /dev/urandom: no POLLOUT there; the daemon fills the pool
# and sleeps on its timer instead of spinning, and leaves the threshold.
. /scenarios/lib.sh
before=$(threshold)
start_entropyd -o /dev/urandom -R 5
wait_avail 3072 300
sleep 1
idle_ticks
result avail "$(avail)"
result threshold_unchanged $([ "$(threshold)" = "$before" ] && echo 1 || echo 0)
stop_entropyd
result rc "$rc"
