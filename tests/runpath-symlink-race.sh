#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The symbolic-link race on the control socket, as an attacker running as
# the -D user would play it: the socket's directory belongs to nobody, and a
# helper running as nobody keeps replacing the socket's name with a link to
# a root-owned file while entropyd -D nobody:nogroup starts again and again.
# Old entropyd chmod'ed and chown'ed the path after bind() and so handed the
# file to nobody (12 times in 800 starts); now no path is chmod'ed or
# chown'ed, and the file must keep its owner and mode.  Where strace is
# there, it holds each bind() for 2 ms, which widens the old window between
# bind() and chmod() enough to lose every time.  Root only.
. "${top_srcdir:-.}/tests/lib.sh"
no_leak_check
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (-D, a helper running as nobody)"; exit 77; }
uid=$(id -u nobody 2>/dev/null) && gid=$(getent group nogroup | cut -d: -f3) && [ -n "$gid" ] ||
	{ echo "SKIP: no user nobody or group nogroup"; exit 77; }
starts=${RACE_STARTS:-200}

srcs=$(only pipe)
random_stream 4 > "$tmp/data"
chmod 0755 "$tmp"
mkdir -m 0750 "$tmp/run"
chown nobody:nogroup "$tmp/run"
printf 'root only\n' > "$tmp/precious"
chmod 0600 "$tmp/precious"
before=$(stat -c '%u:%g %a' "$tmp/precious")

"$bin/tests/helpers/swap_link" "$uid" "$gid" "$tmp/run" control "$tmp/precious" &
swapper=$!; track $swapper
slow=
command -v strace > /dev/null 2>&1 &&
	slow="strace -f -qq -o /dev/null -e trace=bind -e inject=bind:delay_exit=2000"
ran=0 refused=0 i=0
while [ $i -lt $starts ]; do
	$slow timeout -s TERM 0.05 "$bin/entropyd" -f -t $srcs -O pipe:path:"$tmp/data" -p "" \
		-c "$tmp/run/control" -D nobody:nogroup > /dev/null 2> "$tmp/log"
	case $? in
	1) refused=$((refused + 1)) ;;
	124) ran=$((ran + 1)) ;;
	*) cat "$tmp/log"; fail "start $i: exit status $?" ;;
	esac
	now=$(stat -c '%u:%g %a' "$tmp/precious")
	[ "$now" = "$before" ] || fail "start $i handed the root-owned file over: $before -> $now"
	i=$((i + 1))
done
kill $swapper
[ "$(cat "$tmp/precious")" = "root only" ] || fail "the root-owned file was written"
[ $ran -gt 0 ] || echo "note: no start won the race to bind (the link was always there)"
pass "$starts starts against the swapper ($ran ran, $refused refused a link): $tmp/precious still $before"
