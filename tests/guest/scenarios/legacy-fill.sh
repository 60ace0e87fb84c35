# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool: entropyd (jitter) fills it to the watermark, keeps
# write_wakeup_threshold there while it runs, serves a /dev/random reader,
# and puts the threshold back on SIGTERM.
. /scenarios/lib.sh
result threshold_before "$(threshold)"
start_entropyd
fill_timed 3072 300
result avail_filled "$(avail)"
result threshold_running "$(threshold)"
result record "$(cat /run/entropyd/entropyd.threshold 2>/dev/null | cut -d' ' -f1)"
result reader_bytes_10s "$(read_random 10)"
sleep 1
result avail_after_reader "$(avail)"
result era "$(grep -c 'legacy era, 4096 bits' "$LOG")"
stop_entropyd
result rc "$rc"
result threshold_after "$(threshold)"
result record_after "$(ls /run/entropyd/entropyd.threshold 2>/dev/null | wc -l)"
