# SPDX-License-Identifier: GPL-2.0-or-later
# Modern pool at a cold boot with nothing but the CPU jitter source:
# entropyd --once makes the CRNG ready and returns 0, within seconds.
. /scenarios/lib.sh
result crng_before "$(crng_done_s)"
result list_jitter "$(list_state jitter)"
t0=$(now_ms)
timeout 60 entropyd --once -p "" -c "" >"$LOG" 2>&1
result once_rc "$?"
result once_ms $(($(now_ms) - t0))
result start_s "$(awk -v t="$t0" 'BEGIN { printf "%.3f\n", t / 1000 }')"
result crng_done "$(crng_done_s)"
result avail "$(avail)"
