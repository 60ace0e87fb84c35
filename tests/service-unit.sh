#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped units.
# modern (systemd/entropyd.service.in): systemd-analyze verify finds
# nothing wrong with it, systemd-analyze security --offline=true rates it
# 1.5 or better (target from the project; rng-tools' unit rates 9.6), its
# system-call filter lets through every call entropyd makes, and the lines
# the design asks for are there.
# el7 (systemd/entropyd-el7.service.in, RHEL 7's systemd 208/219): every
# directive is one systemd 208 parses (tests/data/rhel7.0-systemd208.directives),
# no value uses what came later (@ system-call sets), its deny list names
# only real system calls and none entropyd makes, it verifies cleanly here
# too, and it keeps the same lines of the design that 208 can express
# (but no private network: systemd 208/219's notify socket is abstract).
# ExecStart points at the built binary so verify can check it.
. "${top_srcdir:-.}/tests/lib.sh"

# Every call entropyd made under strace -f in kernel, output, -t and --once
# modes, with SIGHUP, SIGUSR1, entropyctl and sd_notify (x86-64, glibc 2.36).
used_calls="accept4 access arch_prctl bind brk chmod clone3 close eventfd2 execve exit
	exit_group fcntl ftruncate futex getdents64 getegid geteuid getgid getpid getrandom
	getsockopt getuid ioctl listen madvise mkdir mmap mprotect munmap newfstatat openat
	poll prctl pread64 prlimit64 pwrite64 read recvfrom restart_syscall rseq rt_sigaction
	rt_sigprocmask sendmsg sendto set_robust_list set_tid_address setsockopt signalfd4
	socket unlink write"

sbindir=$(cd "$bin" && pwd)
if [ ! -x "$bin/entropyd" ]; then
	# verify insists on an executable ExecStart; /bin/true stands in.
	echo "note: $bin/entropyd is not built; ExecStart checked with /bin/true"
	mkdir "$tmp/sbin" && ln -s /bin/true "$tmp/sbin/entropyd" && sbindir=$tmp/sbin
fi

# --- el7: only what systemd 208 parses (needs no systemd here) ---
el7=$tmp/entropyd-el7.service
directives=$srcdir/tests/data/rhel7.0-systemd208.directives
sed -e "s|@sbindir@|$sbindir|g" "$srcdir/systemd/entropyd-el7.service.in" > "$el7"
# Section.Name for every setting, continuation lines joined first
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$el7" | awk '
	/^[[:space:]]*[#;]/ || /^[[:space:]]*$/ { next }
	/^\[/ { sec = substr($0, 2, index($0, "]") - 2); next }
	{ i = index($0, "="); print sec "." substr($0, 1, i - 1) "\t" substr($0, i + 1) }' > "$tmp/el7-settings"
[ -s "$tmp/el7-settings" ] || fail "no settings read from the el7 unit"
sed -n 's/^\([A-Z][A-Za-z]*\.[A-Za-z]*\)$/\1/p' "$directives" | sort -u > "$tmp/known208"
[ "$(wc -l < "$tmp/known208")" -gt 100 ] || fail "$directives: too few directives read"
cut -f1 "$tmp/el7-settings" | sort -u | comm -23 - "$tmp/known208" > "$tmp/unknown"
[ ! -s "$tmp/unknown" ] || { cat "$tmp/unknown"; fail "el7 unit: directives systemd 208 ignores"; }
! cut -f2 "$tmp/el7-settings" | grep -n '@' > "$tmp/sets" || { cat "$tmp/sets"; fail "el7 unit: @ sets (systemd 231+)"; }
pass "el7 unit: $(wc -l < "$tmp/el7-settings") settings, every directive one systemd 208 parses, no @ sets"

for line in Type=notify NotifyAccess=main DevicePolicy=closed 'DeviceAllow=/dev/hwrng r' \
	'DeviceAllow=/dev/random rw' CapabilityBoundingSet=CAP_SYS_ADMIN NoNewPrivileges=yes \
	DefaultDependencies=no Before=sysinit.target Conflicts=shutdown.target Restart=on-failure \
	RestartPreventExitStatus=10 'ReadOnlyDirectories=/ ' 'ReadWriteDirectories=.*/proc/sys/kernel/random' \
	PrivateTmp=yes 'SystemCallFilter=~' \
	'ExecStart=[^ ]*/entropyd -f -p /run/entropyd/entropyd.pid' 'ReadWriteDirectories=/run ' \
	EnvironmentFile=-/etc/sysconfig/entropyd; do
	grep -q "^$line" "$el7" || fail "el7 unit lacks $line"
done
# RHEL 7's notify socket is abstract, so it lives in the network namespace
! grep -q '^PrivateNetwork=yes' "$el7" || fail "el7 unit: PrivateNetwork=yes would cut READY=1 off on systemd 208/219"
pass "el7 unit: notify type (network namespace shared), device ACL, early boot, read-only but the random sysctls"

sed -n 's/^SystemCallFilter=~//p' "$el7" | tr ' ' '\n' | sed '/^$/d' | sort -u > "$tmp/el7-deny"
[ "$(sed -n '/^SystemCallFilter=/p' "$el7" | wc -l)" -eq 1 ] || fail "el7 unit: one SystemCallFilter= deny line expected"
for call in $used_calls; do
	! grep -qx "$call" "$tmp/el7-deny" || fail "el7 unit denies $call, which entropyd uses"
done
if command -v systemd-analyze > /dev/null && systemd-analyze syscall-filter @known > "$tmp/known" 2> /dev/null; then
	sed -n 's/^    \([a-z0-9_]*\)$/\1/p' "$tmp/known" | sort -u > "$tmp/known-calls"
	comm -23 "$tmp/el7-deny" "$tmp/known-calls" > "$tmp/bogus"
	[ ! -s "$tmp/bogus" ] || { cat "$tmp/bogus"; fail "el7 unit denies calls that do not exist"; }
fi
pass "el7 unit: $(wc -l < "$tmp/el7-deny") calls denied, real ones, none entropyd makes"

command -v systemd-analyze > /dev/null || { echo "SKIP: systemd-analyze not installed (modern unit not checked)"; exit 77; }
systemd-analyze verify --man=no "$el7" > "$tmp/verify-el7" 2>&1 || { cat "$tmp/verify-el7"; fail "el7: verify failed"; }
[ ! -s "$tmp/verify-el7" ] || { cat "$tmp/verify-el7"; fail "el7: verify printed warnings"; }
pass "el7 unit: systemd-analyze verify (systemd $(systemd-analyze --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')): clean"

# --- modern ---
unit=$tmp/entropyd.service
sed -e "s|@sbindir@|$sbindir|g" "$srcdir/systemd/entropyd.service.in" > "$unit"

systemd-analyze verify --man=no "$unit" > "$tmp/verify" 2>&1 || { cat "$tmp/verify"; fail "verify failed"; }
[ ! -s "$tmp/verify" ] || { cat "$tmp/verify"; fail "verify printed warnings"; }
pass "systemd-analyze verify: clean"

systemd-analyze security --offline=true "$unit" > "$tmp/security" 2>&1
rating=$(sed -n 's/.*Overall exposure level for entropyd.service: \([0-9.]*\).*/\1/p' "$tmp/security")
[ -n "$rating" ] || { cat "$tmp/security"; fail "no rating"; }
awk -v r="$rating" 'BEGIN { exit !(r <= 1.5) }' || { grep '✗' "$tmp/security"; fail "exposure $rating > 1.5"; }
pass "systemd-analyze security: exposure $rating"

for line in Type=notify NotifyAccess=main DevicePolicy=closed 'DeviceAllow=/dev/hwrng r' \
	'DeviceAllow=/dev/random rw' CapabilityBoundingSet=CAP_SYS_ADMIN \
	DefaultDependencies=no Before=sysinit.target Conflicts=shutdown.target Restart=on-failure \
	RestartPreventExitStatus=10 ProtectKernelTunables=yes ReadWritePaths=/proc/sys/kernel/random \
	RuntimeDirectory=entropyd 'ExecStart=[^ ]*/entropyd -f -p /run/entropyd/entropyd.pid' \
	EnvironmentFile=-/etc/sysconfig/entropyd EnvironmentFile=-/etc/default/entropyd; do
	grep -q "^$line" "$unit" || fail "unit lacks $line"
done
! grep -q '^PrivateDevices=yes' "$unit" || fail "PrivateDevices=yes would hide /dev/hwrng"
! grep -q '^ProcSubset=pid' "$unit" || fail "ProcSubset=pid would hide /proc/sys/kernel/random"
pass "notify type, device ACL, early boot, writable random sysctls, environment files"

# The filter as systemd builds it: the first SystemCallFilter= line starts
# an allow list, later lines add to it, ~ lines take away; @groups nest.
expand() {
	for name in "$@"; do
		case $name in
		@*) systemd-analyze syscall-filter "$name" 2>/dev/null |
			sed -n 's/^    \([@a-z0-9_-]*\)$/\1/p' | while read -r member; do expand "$member"; done ;;
		*) echo "$name" ;;
		esac
	done
}
: > "$tmp/allowed"
sed -n 's/^SystemCallFilter=//p' "$unit" > "$tmp/filters"
while read -r filter; do
	case $filter in
	~*) # shellcheck disable=SC2086
		expand ${filter#\~} | sort -u > "$tmp/deny"
		sort -u "$tmp/allowed" | comm -23 - "$tmp/deny" > "$tmp/next" ;;
	*) # shellcheck disable=SC2086
		{ cat "$tmp/allowed"; expand $filter; } | sort -u > "$tmp/next" ;;
	esac
	mv "$tmp/next" "$tmp/allowed"
done < "$tmp/filters"
[ -s "$tmp/allowed" ] || fail "no system-call filter"
for call in $used_calls; do
	grep -qx "$call" "$tmp/allowed" || fail "SystemCallFilter= denies $call, which entropyd uses"
done
pass "system-call filter: $(wc -l < "$tmp/allowed") calls allowed, every one entropyd uses among them"
