#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's two commands on a freshly made Debian root, as a newcomer
# runs them (as root, no sudo):
#   usage: sh tests/fresh-root.sh [minbase|standard]...     (default: both)
# Needs root, debootstrap and a Debian mirror.  Not part of make check or of
# CI (tests/run-all.sh): one variant takes 10 to 30 minutes.
#
# For each variant: debootstrap bookworm, copy this source tree into it (the
# files git tracks plus untracked ones it does not ignore; without git, all
# but _build, _tools and _src), and in a chroot with /proc, /sys and /dev
# bound:
#   sh contrib/quickstart.sh run    runs the daemon in the foreground, so it
#       passes when entropyd logs "started" within RUN_SECONDS, entropyctl
#       status then answers, and SIGTERM stops it with status 0;
#   sh contrib/quickstart.sh test   must exit 0 within TEST_SECONDS;
# and afterwards no unit or init script is enabled that was not before, and
# no process is left running in the root.  Prints each command's wall time
# (for run: from the start to "started", installing and building included).
#
# A policy-rc.d in the root keeps package scripts from starting services
# there, on this machine's kernel; it does not stop them enabling one, which
# is what the check looks for.
#
# Environment: MIRROR (default: the first deb.debian.org-style URI of this
# machine's apt sources, else http://deb.debian.org/debian), SUITE
# (bookworm), WORKDIR (/var/tmp/entropyd-fresh-root), CACHE=1 (keep the
# debootstrap result as WORKDIR/SUITE-VARIANT.tar and reuse it next time),
# KEEP=1 (keep the root and its logs), RUN_SECONDS (1800), TEST_SECONDS
# (5400).  Exit status: 0 when every variant passed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
suite=${SUITE:-bookworm}
workdir=${WORKDIR:-/var/tmp/entropyd-fresh-root}
run_seconds=${RUN_SECONDS:-1800}
test_seconds=${TEST_SECONDS:-5400}
[ $# -gt 0 ] || set -- minbase standard

die() { echo "fresh-root: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
command -v debootstrap > /dev/null || die "debootstrap is not installed"
for v in "$@"; do
	case $v in minbase|standard) ;; *) die "unknown variant '$v': minbase or standard" ;; esac
done

default_mirror() {
	sed -n -e 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' -e 's|^deb  *\(http[^ ]*/debian\)/* .*|\1|p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
		2> /dev/null | head -n 1
}
mirror=${MIRROR:-$(default_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}

root=
mounted=
cmd_pid=
cleanup() {
	[ -z "$cmd_pid" ] || { kill -TERM "$cmd_pid" 2> /dev/null; wait "$cmd_pid" 2> /dev/null; }
	cmd_pid=
	for m in $mounted; do umount "$m" 2> /dev/null || umount -l "$m" || true; done
	mounted=
	if [ -n "$root" ] && [ -z "${KEEP:-}" ]; then
		if grep -q " $root/" /proc/self/mounts; then
			echo "fresh-root: something is still mounted under $root; not removing it" >&2
		else
			rm -rf "$root"
		fi
	fi
	root=
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# In the root, as root, with a clean environment.
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

copy_sources() {
	mkdir -p "$1"
	if git -C "$top" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
		git -C "$top" ls-files -z --cached --others --exclude-standard |
			(cd "$top" && xargs -0 tar -cf - --no-recursion) | tar -C "$1" -xf -
	else
		tar -C "$top" --exclude=./_build --exclude=./_tools --exclude=./_src -cf - . | tar -C "$1" -xf -
	fi
}

# Units and init scripts enabled at boot in the root, one a line.
enabled_services() {
	(cd "$root" && find etc/systemd/system etc/rc0.d etc/rc1.d etc/rc2.d etc/rc3.d etc/rc4.d \
		etc/rc5.d etc/rc6.d etc/rcS.d -mindepth 1 \
		\( -path '*.wants/*' -o -path '*.requires/*' -o -name 'S[0-9]*' \) 2> /dev/null | sort)
}

# PIDs of processes whose root directory is the fresh root.
processes_in_root() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2> /dev/null)" = "$root" ] && echo "${p#/proc/}"
	done
	return 0
}

elapsed() { echo $(( $(date +%s) - $1 )); }

one_variant() {
	variant=$1
	failed=
	mkdir -p "$workdir"
	root=$workdir/$suite-$variant
	logs=$workdir/$suite-$variant.logs
	rm -rf "$root" "$logs"
	mkdir -p "$root" "$logs"
	tarball=$workdir/$suite-$variant.tar
	start=$(date +%s)
	if [ -n "${CACHE:-}" ] && [ -f "$tarball" ]; then
		tar -C "$root" -xf "$tarball"
	else
		opt=
		[ "$variant" = minbase ] && opt=--variant=minbase
		# shellcheck disable=SC2086
		debootstrap $opt "$suite" "$root" "$mirror" > "$logs/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$logs/debootstrap.log"; die "$variant: debootstrap failed"; }
		[ -z "${CACHE:-}" ] || tar -C "$root" -cf "$tarball" .
	fi
	echo "fresh-root: $variant: root ready in $(elapsed "$start") s ($mirror)"

	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	copy_sources "$root/root/entropyd"
	for m in proc sys dev dev/pts; do
		mount --bind "/$m" "$root/$m"
		mounted="$root/$m $mounted"
	done
	enabled_services > "$logs/enabled.before"

	# 1. run: install, build, start; entropyctl asks it; SIGTERM stops it.
	start=$(date +%s)
	timeout -k 10 "$run_seconds" chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd /root/entropyd && exec sh contrib/quickstart.sh run' > "$logs/run.log" 2>&1 &
	cmd_pid=$!
	while kill -0 "$cmd_pid" 2> /dev/null && ! grep -q '^entropyd: entropyd .* started' "$logs/run.log"; do
		sleep 1
	done
	if grep -q '^entropyd: entropyd .* started' "$logs/run.log"; then
		run_time=$(elapsed "$start")
		sleep 2
		if in_root /root/entropyd/_build/entropyctl status > "$logs/entropyctl.log" 2>&1; then
			echo "fresh-root: $variant: entropyctl status: $(head -n 1 "$logs/entropyctl.log")"
		else
			cat "$logs/entropyctl.log"; failed="$failed entropyctl"
		fi
		kill -TERM "$cmd_pid"
		status=0; wait "$cmd_pid" || status=$?
		cmd_pid=
		[ $status -eq 0 ] || { tail -n 5 "$logs/run.log"; failed="$failed run(status-$status)"; }
		echo "fresh-root: $variant: quickstart.sh run: entropyd started after $run_time s; exit $status after SIGTERM"
	else
		status=0; wait "$cmd_pid" || status=$?
		cmd_pid=
		tail -n 30 "$logs/run.log"
		failed="$failed run"
		echo "fresh-root: $variant: quickstart.sh run: no entropyd start, exit $status after $(elapsed "$start") s"
	fi

	# 2. test: every CI stage.
	start=$(date +%s)
	status=0
	timeout -k 10 "$test_seconds" chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd /root/entropyd && exec sh contrib/quickstart.sh test' > "$logs/test.log" 2>&1 || status=$?
	echo "fresh-root: $variant: quickstart.sh test: exit $status after $(elapsed "$start") s"
	[ $status -eq 0 ] || { tail -n 40 "$logs/test.log"; failed="$failed test"; }

	# 3. nothing enabled, nothing left running.
	enabled_services > "$logs/enabled.after"
	if ! cmp -s "$logs/enabled.before" "$logs/enabled.after"; then
		echo "fresh-root: $variant: enabled services changed:"
		diff "$logs/enabled.before" "$logs/enabled.after" | sed -n 's/^[<>] /  /p'
		failed="$failed services"
	fi
	left=$(processes_in_root)
	if [ -n "$left" ]; then
		echo "fresh-root: $variant: processes left in the root: $left"
		ps -o pid,args -p "$(echo $left | tr ' ' ',')" || true
		for p in $left; do kill -TERM "$p" 2> /dev/null || true; done
		failed="$failed processes"
	fi
	rm -f "$root/usr/sbin/policy-rc.d"
	[ -z "${KEEP:-}" ] || echo "fresh-root: $variant: root and logs kept in $root and $logs"
	cleanup
	[ -n "${KEEP:-}" ] || [ -n "$failed" ] || rm -rf "$logs"
	if [ -n "$failed" ]; then
		echo "fresh-root: $variant: FAILED:$failed"
		return 1
	fi
	echo "fresh-root: $variant: passed"
}

result=0
for v in "$@"; do
	one_variant "$v" || result=1
done
exit $result
