#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The SysV init script (make writes contrib/init.d/entropyd from
# contrib/entropyd.init.in): valid sh; its defaults are the configured
# paths (binary, run-time directory - /var/run on RHEL 6 - and sysconfig
# file); as root, start (the daemon backgrounds and writes its PID file),
# status 0, reload (HUP), stop (process gone, PID file removed), status 3;
# a stale PID file naming another program gets that program no signal.
# The daemon writes to a file, not the pool.
. "${top_srcdir:-.}/tests/lib.sh"

script=$bin/contrib/init.d/entropyd
[ -f "$script" ] || fail "$script not built (make check builds it)"
sh -n "$script" || fail "syntax"
grep -q '^# chkconfig: 2345' "$script" || fail "no chkconfig header"
! grep -n '@[a-z]*@' "$script" || fail "placeholders left in $script"
rundir=$(sed -n 's/^#define RUNSTATEDIR "\(.*\)"$/\1/p' "$bin/config.h")
[ -n "$rundir" ] || fail "no RUNSTATEDIR in $bin/config.h"
grep -q "^PIDFILE=\${PIDFILE:-$rundir/entropyd.pid}\$" "$script" || fail "PID file not in $rundir"
grep -q '^ENTROPYD=${ENTROPYD:-/[^}]*/sbin/entropyd}$' "$script" || fail "ENTROPYD default is not SBINDIR/entropyd"
grep -q '^SYSCONFIG=${SYSCONFIG:-/[^}]*/sysconfig/entropyd}$' "$script" || fail "SYSCONFIG default is not SYSCONFDIR/sysconfig/entropyd"
pass "valid sh with a chkconfig header and the configured paths (run-time state in $rundir)"
require_root
[ -x "$bin/entropyd" ] || { echo "SKIP: $bin/entropyd is not built"; exit 77; }

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
