#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A device node at -c or -p is refused and left as it was (old entropyd
# deleted it: -p /dev/null would have removed /dev/null).  The node is made
# with mknod in the test's own directory: root only.
. "${top_srcdir:-.}/tests/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: mknod of a device node needs root"; exit 77; }

srcs=$(only pipe)
random_stream 4 > "$tmp/data"
mknod -m 0666 "$tmp/null" c 1 3 || { echo "SKIP: mknod refused here"; exit 77; }
node_is_intact() { [ -c "$tmp/null" ] && [ "$(stat -c '%t:%T %a' "$tmp/null")" = "1:3 666" ]; }

refused "-c on a device node" "is a character device, not a socket" \
	"$bin/entropyd" -f -t $srcs -O pipe:path:"$tmp/data" -p "" -c "$tmp/null"
node_is_intact || fail "-c: the device node was changed or removed"

refused "-p on a device node" "PID file $tmp/null exists and is a character device" \
	"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -c "" -p "$tmp/null"
node_is_intact || fail "-p: the device node was changed or removed"
