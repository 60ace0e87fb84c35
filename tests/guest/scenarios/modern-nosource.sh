# SPDX-License-Identifier: GPL-2.0-or-later
# Modern pool, no RNG device, no RDRAND/RDSEED, jitter excluded: no usable
# source, so -l and --once exit 1 (and --once credits nothing).
. /scenarios/lib.sh
entropyd -l -x jitter >"$LOG" 2>&1
result list_rc "$?"
t0=$(now_ms)
timeout 10 entropyd --once -x jitter -p "" -c "" >>"$LOG" 2>&1
result once_rc "$?"
result once_ms $(($(now_ms) - t0))
result crng_done "$(crng_done_s)"
