# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool: -W 4096 and 4095 are above what the kernel's asymptotic
# credit reaches.  The daemon fills to the cap and sleeps (CPU ticks over
# 5 s after the fill); --once returns.
. /scenarios/lib.sh
start_entropyd -W 4096
sleep 1
cap=$(sed -n 's/.*watermark 4096 capped at \([0-9]*\).*/\1/p' "$LOG")
result capped "$cap"
wait_avail "${cap:-4090}" 400
idle_ticks
result avail "$(avail)"
result threshold_running "$(threshold)"
stop_entropyd
result rc "$rc"
for w in 4096 4095; do
	# drained first, so that --once has a fill to do
	timeout 3 cat /dev/random >/dev/null
	result once_${w}_from "$(avail)"
	t0=$(now_ms)
	timeout 60 entropyd --once -W "$w" -p "" -c "" >/tmp/once.log 2>&1
	result once_${w}_rc "$?"
	result once_${w}_ms $(($(now_ms) - t0))
	# what --once left; the kernel then moves 64 bits to its blocking pool
	result once_${w}_avail "$(once_level /tmp/once.log)"
	cat /tmp/once.log >>"$LOG"
done
