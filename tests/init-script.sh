#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/entropyd.init: valid sh; as root, start (the daemon backgrounds
# and writes its PID file), status 0, reload (HUP), stop (process gone,
# PID file removed), status 3; a stale PID file naming another program gets
# that program no signal.  The daemon writes to a file, not the pool.
. "${top_srcdir:-.}/tests/lib.sh"

script=$srcdir/contrib/entropyd.init
sh -n "$script" || fail "syntax"
grep -q '^# chkconfig: 2345' "$script" || fail "no chkconfig header"
pass "valid sh with a chkconfig header"
require_root
[ -x "$bin/entropyd" ] || fail "$bin/entropyd is not built"

random_stream 20 > "$tmp/data"
cat > "$tmp/sysconfig" <<EOC
ENTROPYD_OPTS="$(only pipe) -O pipe:path:$tmp/data -o $tmp/out -c $tmp/control"
EOC
export ENTROPYD="$bin/entropyd" PIDFILE="$tmp/pid" SYSCONFIG="$tmp/sysconfig"

sh "$script" start > "$tmp/start" 2>&1 || { cat "$tmp/start"; fail "start"; }
pid=$(cat "$tmp/pid"); track "$pid"
kill -0 "$pid" || fail "daemon not running after start"
sh "$script" status > /dev/null; [ $? -eq 0 ] || fail "status while running"
sh "$script" start | grep -q "already running" || fail "second start"
sh "$script" reload > /dev/null || fail "reload"
wait_for 50 size_is "$tmp/out" $((20 * 2500)) || fail "no output ($(stat -c %s "$tmp/out" 2>/dev/null) bytes)"
pass "start, status, reload: running as pid $pid"

sh "$script" stop > /dev/null || fail "stop"
! kill -0 "$pid" 2>/dev/null || fail "still running after stop"
[ ! -e "$tmp/pid" ] || fail "PID file left behind"
sh "$script" status > /dev/null; [ $? -eq 3 ] || fail "status after stop is not 3"
pass "stop: process gone, PID file removed, status 3"

# A PID file left by a crash, its PID since reused by another program.
sleep 30 &
other=$!; track $other
echo $other > "$tmp/pid"
sh "$script" status > /dev/null; [ $? -eq 1 ] || fail "status with a stale PID file is not 1"
sh "$script" stop > /dev/null || fail "stop with a stale PID file"
kill -0 $other 2>/dev/null || fail "stop signalled PID $other, which is not entropyd"
pass "stale PID file: status 1, stop leaves PID $other alone"
