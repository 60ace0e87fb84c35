# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy pool, no entropyd: a /dev/random reader starves.
. /scenarios/lib.sh
result avail_start "$(avail)"
result threshold "$(threshold)"
result poolsize "$(cat $R/poolsize)"
result reader_bytes_10s "$(read_random 10)"
result avail_end "$(avail)"
