#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Nothing recycled, nothing from an untrusted writer.  The kernel's own
# random device (char 1:8, 1:9) is refused by hwrng and pipe under any name
# (the real /dev/urandom, a symlink, a copy of the node made with mknod);
# the pipe source refuses a file others may write, or one in a directory
# others may write, unless -O pipe:trust:any, which it then logs.
. "${top_srcdir:-.}/tests/lib.sh"

# refused DESCRIPTION ARGS...: -t with ARGS exits 1 at once, naming the device.
refused() {
	what=$1; shift
	timeout 20 "$bin/entropyd" -t "$@" > /dev/null 2> "$tmp/log"
	status=$?
	[ $status -eq 1 ] || { cat "$tmp/log"; fail "$what: exit $status, expected 1"; }
	grep -q "the kernel's own /dev/u\?random (char 1:[89]): its output is recycled" "$tmp/log" ||
		{ cat "$tmp/log"; fail "$what: the reason does not name the kernel's device"; }
	pass "$what: exit 1, $(grep -m1 'recycled' "$tmp/log")"
}

"$bin/entropyd" -l -r /dev/urandom > "$tmp/list" 2>&1
grep -q "^hwrng: enabled, unavailable: /dev/urandom is the kernel's own /dev/urandom" "$tmp/list" ||
	{ cat "$tmp/list"; fail "-l does not show -r /dev/urandom as unavailable"; }
pass "-l: $(grep '^hwrng: ' "$tmp/list")"

ln -s /dev/urandom "$tmp/link"
refused "-r /dev/urandom" $(only hwrng) -r /dev/urandom
refused "-r /dev/random" $(only hwrng) -r /dev/random
refused "-r to a symlink to /dev/urandom" $(only hwrng) -r "$tmp/link"
refused "pipe on /dev/urandom" $(only pipe) -O pipe:path:/dev/urandom
refused "pipe on /dev/random" $(only pipe) -O pipe:path:/dev/random
refused "pipe on a symlink to /dev/urandom" $(only pipe) -O pipe:path:"$tmp/link"
refused "pipe on a symlink with trust:any" $(only pipe) -O pipe:path:"$tmp/link" -O pipe:trust:any

# A file others may write: refused, then read with trust:any and a warning.
random_stream 4 > "$tmp/data"
chmod 666 "$tmp/data"
timeout 20 "$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/data" > /dev/null 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || { cat "$tmp/log"; fail "a world-writable file: exit $status, expected 1"; }
grep -q "writable by its group or others (mode 0666); refused" "$tmp/log" ||
	{ cat "$tmp/log"; fail "no reason for the refusal"; }
pass "a world-writable file: exit 1, $(grep -m1 'writable' "$tmp/log")"

"$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/data" -O pipe:trust:any > "$tmp/rates" 2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 100 grep -qs "pipe .*passed [1-9][0-9]* bytes" "$tmp/rates" ||
	{ cat "$tmp/rates" "$tmp/log"; fail "trust:any: nothing passed"; }
kill -TERM $daemon; wait $daemon
grep -q "read anyway because of -O pipe:trust:any" "$tmp/log" || { cat "$tmp/log"; fail "trust:any: no warning"; }
pass "trust:any reads it and warns: $(grep -m1 'trust:any' "$tmp/log")"

# A good file in a directory anyone may write (sticky, like /tmp).
mkdir "$tmp/public"
chmod 1777 "$tmp/public"
random_stream 4 > "$tmp/public/data"
timeout 20 "$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/public/data" > /dev/null 2> "$tmp/log"
status=$?
[ $status -eq 1 ] || { cat "$tmp/log"; fail "a world-writable directory: exit $status, expected 1"; }
grep -q "the directory of $tmp/public/data is writable by its group or others (mode 1777)" "$tmp/log" ||
	{ cat "$tmp/log"; fail "no reason for the directory"; }
pass "a sticky world-writable directory: exit 1"

# Another name for the same node: only root can make one.
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the mknod'd copy of /dev/urandom needs root"
	exit 77
fi
mknod "$tmp/notrandom" c 1 9
chmod 400 "$tmp/notrandom"
refused "-r to a mknod'd copy of /dev/urandom" $(only hwrng) -r "$tmp/notrandom"
refused "pipe on a mknod'd copy of /dev/urandom" $(only pipe) -O pipe:path:"$tmp/notrandom"

# A FIFO that belongs to the -D user: trusted with -D, refused without.
user=$(id -un 65534 2>/dev/null) || { echo "SKIP: no user 65534 for the -D case"; exit 77; }
mkfifo -m 600 "$tmp/fifo"
chown 65534 "$tmp/fifo"
"$bin/entropyd" -l $(only pipe) -O pipe:path:"$tmp/fifo" > "$tmp/list" 2>&1
grep -q "^pipe: enabled, failed: $tmp/fifo belongs to uid 65534, not to root" "$tmp/list" ||
	{ cat "$tmp/list"; fail "a FIFO of another user is not refused"; }
"$bin/entropyd" -l $(only pipe) -O pipe:path:"$tmp/fifo" -D "$user" > "$tmp/list" 2>&1
grep -q "^pipe: enabled, usable" "$tmp/list" || { cat "$tmp/list"; fail "-D $user: its FIFO is refused"; }
pass "a FIFO of uid 65534: refused, usable with -D $user"
