#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The PID file under the trust rules (runpath.h): a FIFO, a symbolic link or
# a regular file holding something other than a PID at -p is refused and
# left as it was (old entropyd deleted a FIFO and truncated the file); a
# stale PID file is taken over and removed at exit, with the directory
# entropyd made for it.  Device nodes need root: tests/runpath-devices.sh.
. "${top_srcdir:-.}/tests/lib.sh"

srcs=$(only pipe)
random_stream 4 > "$tmp/data"

# start_refused WHAT PATTERN ARGS...: entropyd with ARGS exits 1, saying PATTERN.
start_refused() {
	w=$1 p=$2; shift 2
	refused "$w" "$p" "$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -c "" "$@"
}

mkfifo -m 0600 "$tmp/fifo"
start_refused "-p on a FIFO" "PID file $tmp/fifo exists and is a FIFO" -p "$tmp/fifo"
[ -p "$tmp/fifo" ] || fail "the FIFO is gone"

echo target > "$tmp/target"
ln -s "$tmp/target" "$tmp/link"
start_refused "-p on a symbolic link" "PID file $tmp/link exists and is a symbolic link" -p "$tmp/link"
[ -L "$tmp/link" ] && [ "$(cat "$tmp/target")" = target ] || fail "the link or its target was changed"

printf 'root:x:0:0::/root:/bin/sh\n' > "$tmp/passwd"
start_refused "-p on a file that is not a PID file" "holds something other than a PID" -p "$tmp/passwd"
[ "$(cat "$tmp/passwd")" = "root:x:0:0::/root:/bin/sh" ] || fail "the file was changed"

# A stale PID file (its process long gone) is reused, then removed; the
# directory entropyd made for the PID file goes too.
mkdir -m 0700 "$tmp/old"
echo 999999 > "$tmp/old/pid"
"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -c "" -p "$tmp/old/pid" 2> "$tmp/log1" &
daemon=$!; track $daemon
wait_for 50 grep -qx "$daemon" "$tmp/old/pid" || { cat "$tmp/log1"; fail "stale PID file not taken over"; }
kill -TERM $daemon; wait $daemon
[ ! -e "$tmp/old/pid" ] || fail "PID file left behind"
[ -d "$tmp/old" ] || fail "removed a directory entropyd did not make"
pass "stale PID file taken over and removed"

"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out" -c "" -p "$tmp/new/pid" 2> "$tmp/log2" &
daemon=$!; track $daemon
wait_for 50 grep -qx "$daemon" "$tmp/new/pid" || { cat "$tmp/log2"; fail "no PID file"; }
kill -TERM $daemon; wait $daemon
[ ! -e "$tmp/new" ] || fail "the directory made for the PID file was left: $(ls -A "$tmp/new")"
pass "PID file and the directory made for it removed at exit"
