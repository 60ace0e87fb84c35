# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool: kill -9 leaves entropyd's write_wakeup_threshold; the next
# start puts the system's value back, and restores it again on SIGTERM.
. /scenarios/lib.sh
before=$(threshold)
result threshold_before "$before"
start_entropyd
wait_avail 3072 300
sleep 0.5
result threshold_running "$(threshold)"
stop_entropyd 9
result threshold_killed "$(threshold)"
result record_killed "$(cut -d' ' -f1 /run/entropyd/entropyd.threshold 2>/dev/null)"
rm -f /run/entropyd.pid
start_entropyd
sleep 2
result put_back "$(grep -c "put back the original $before" "$LOG")"
result threshold_restarted "$(threshold)"
stop_entropyd
result rc "$rc"
result threshold_after "$(threshold)"
result record_after "$(ls /run/entropyd/entropyd.threshold 2>/dev/null | wc -l)"
