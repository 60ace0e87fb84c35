#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped unit: systemd-analyze verify finds nothing wrong with it, and
# systemd-analyze security --offline=true rates it 1.5 or better (target
# from the project; rng-tools' unit rates 9.6).  ExecStart points at the
# built binary so verify can check it.
. "${top_srcdir:-.}/tests/lib.sh"

command -v systemd-analyze > /dev/null || { echo "SKIP: systemd-analyze not installed"; exit 77; }
unit=$tmp/entropyd.service
sed -e "s|@sbindir@|$bin|g" "$srcdir/systemd/entropyd.service.in" > "$unit"

systemd-analyze verify --man=no "$unit" > "$tmp/verify" 2>&1 || { cat "$tmp/verify"; fail "verify failed"; }
[ ! -s "$tmp/verify" ] || { cat "$tmp/verify"; fail "verify printed warnings"; }
pass "systemd-analyze verify: clean"

systemd-analyze security --offline=true "$unit" > "$tmp/security" 2>&1
rating=$(sed -n 's/.*Overall exposure level for entropyd.service: \([0-9.]*\).*/\1/p' "$tmp/security")
[ -n "$rating" ] || { cat "$tmp/security"; fail "no rating"; }
awk -v r="$rating" 'BEGIN { exit !(r <= 1.5) }' || { grep '✗' "$tmp/security"; fail "exposure $rating > 1.5"; }
pass "systemd-analyze security: exposure $rating"

for line in Type=notify DevicePolicy=closed 'DeviceAllow=/dev/hwrng r' CapabilityBoundingSet=CAP_SYS_ADMIN \
	DefaultDependencies=no Before=sysinit.target Restart=on-failure \
	EnvironmentFile=-/etc/sysconfig/entropyd EnvironmentFile=-/etc/default/entropyd; do
	grep -q "^$line" "$unit" || fail "unit lacks $line"
done
! grep -q '^PrivateDevices=yes' "$unit" || fail "PrivateDevices=yes would hide /dev/hwrng"
pass "notify type, device ACL, early boot, environment files"
