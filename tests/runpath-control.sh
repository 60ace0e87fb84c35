#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket under the trust rules (runpath.h): a regular file, a
# FIFO or a symbolic link at -c is refused and left as it was; a second
# instance on the same -c exits 1 and the first still answers entropyctl; a
# runtime directory writable by others, or a symbolic link to a directory,
# is refused; a stale socket (nobody listening) is replaced; what entropyd
# made (socket, directory) is gone after it stops.  Device nodes need root:
# tests/runpath-devices.sh.
. "${top_srcdir:-.}/tests/lib.sh"

srcs=$(only pipe)
random_stream 4 > "$tmp/data"

# start_refused WHAT PATTERN ARGS...: entropyd with ARGS exits 1, saying PATTERN.
start_refused() {
	w=$1 p=$2; shift 2
	refused "$w" "$p" "$bin/entropyd" -f -t $srcs -O pipe:path:"$tmp/data" -p "" "$@"
}

echo keep > "$tmp/file"
start_refused "-c on a regular file" "is a regular file, not a socket" -c "$tmp/file"
[ -f "$tmp/file" ] && [ "$(cat "$tmp/file")" = keep ] || fail "the regular file was changed"

mkfifo -m 0600 "$tmp/fifo"
start_refused "-c on a FIFO" "is a FIFO, not a socket" -c "$tmp/fifo"
[ -p "$tmp/fifo" ] || fail "the FIFO is gone"

echo target > "$tmp/target"
ln -s "$tmp/target" "$tmp/link"
start_refused "-c on a symbolic link" "is a symbolic link, not a socket" -c "$tmp/link"
[ -L "$tmp/link" ] && [ "$(cat "$tmp/target")" = target ] || fail "the link or its target was changed"

mkdir -m 0777 "$tmp/open"
chmod 0777 "$tmp/open"
start_refused "runtime directory 0777" "open is owned by .* with mode 0777" -c "$tmp/open/control"
[ -z "$(ls -A "$tmp/open")" ] || fail "something was created in the 0777 directory"

mkdir -m 0750 "$tmp/real"
ln -s "$tmp/real" "$tmp/rundir"
start_refused "runtime directory through a symbolic link" "rundir is a symbolic link" -c "$tmp/rundir/control"
[ -z "$(ls -A "$tmp/real")" ] || fail "something was created behind the link"

# A second instance with the same -c (another PID file): refused; the first
# keeps its socket and answers.
"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out1" -p "$tmp/pid1" -c "$tmp/run/control" \
	2> "$tmp/log1" &
first=$!; track $first
wait_for 50 test -S "$tmp/run/control" || { cat "$tmp/log1"; fail "first instance made no socket"; }
[ "$(stat -c %a "$tmp/run")" = 750 ] || fail "runtime directory mode $(stat -c %a "$tmp/run"), not 750"
[ "$(stat -c %a "$tmp/run/control")" = 660 ] || fail "socket mode $(stat -c %a "$tmp/run/control"), not 660"
start_refused "second instance on the same -c" "already running (control socket $tmp/run/control answers)" \
	-c "$tmp/run/control"
timeout 10 "$bin/entropyctl" -s "$tmp/run/control" status > "$tmp/status" ||
	fail "the first instance no longer answers entropyctl"
grep -q "PID $first" "$tmp/status" || fail "entropyctl reached another process: $(head -1 "$tmp/status")"
kill -0 $first || fail "the first instance died"
pass "the first instance (PID $first) still answers"
kill -TERM $first; wait $first
[ ! -e "$tmp/run" ] || fail "entropyd left $(ls -A "$tmp/run") in the directory it made, or the directory"
pass "socket and the directory entropyd made removed at exit"

# A stale socket (its listener gone) is taken over, and removed at exit.
if command -v perl > /dev/null 2>&1 &&
	perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1) or die' \
		"$tmp/stale" 2> /dev/null && [ -S "$tmp/stale" ]; then
	"$bin/entropyd" -f $srcs -O pipe:path:"$tmp/data" -o "$tmp/out2" -p "" -c "$tmp/stale" 2> "$tmp/log2" &
	daemon=$!; track $daemon
	wait_for 50 timeout 5 "$bin/entropyctl" -s "$tmp/stale" status > /dev/null 2>&1 ||
		{ cat "$tmp/log2"; fail "a stale socket was not replaced"; }
	kill -TERM $daemon; wait $daemon
	[ ! -e "$tmp/stale" ] || fail "socket left behind"
	pass "stale socket replaced, and removed at exit"
else
	echo "note: no perl with IO::Socket::UNIX: stale-socket case not run"
fi
