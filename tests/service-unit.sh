#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped unit: systemd-analyze verify finds nothing wrong with it,
# systemd-analyze security --offline=true rates it 1.5 or better (target
# from the project; rng-tools' unit rates 9.6), its system-call filter lets
# through every call entropyd makes, and the lines the design asks for are
# there.  ExecStart points at the built binary so verify can check it.
. "${top_srcdir:-.}/tests/lib.sh"

require_tool systemd-analyze systemd
unit=$tmp/entropyd.service
sbindir=$bin
if [ ! -x "$bin/entropyd" ]; then
	# verify insists on an executable ExecStart; /bin/true stands in.
	echo "note: $bin/entropyd is not built; ExecStart checked with /bin/true"
	mkdir "$tmp/sbin" && ln -s /bin/true "$tmp/sbin/entropyd" && sbindir=$tmp/sbin
fi
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
# Every call entropyd made under strace -f in kernel, output, -t and --once
# modes, with SIGHUP, SIGUSR1, entropyctl and sd_notify (x86-64, glibc 2.36).
for call in accept4 access arch_prctl bind brk chmod clone3 close eventfd2 execve exit \
	exit_group fcntl ftruncate futex getdents64 getegid geteuid getgid getpid getrandom \
	getsockopt getuid ioctl listen madvise mkdir mmap mprotect munmap newfstatat openat \
	poll prctl pread64 prlimit64 pwrite64 read recvfrom restart_syscall rseq rt_sigaction \
	rt_sigprocmask sendmsg sendto set_robust_list set_tid_address setsockopt signalfd4 \
	socket unlink write; do
	grep -qx "$call" "$tmp/allowed" || fail "SystemCallFilter= denies $call, which entropyd uses"
done
pass "system-call filter: $(wc -l < "$tmp/allowed") calls allowed, every one entropyd uses among them"
