#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's quick start, on a fresh Debian/Ubuntu or RHEL/Fedora machine:
#   sh contrib/quickstart.sh run    install build deps, build, run the daemon
#                                   in the foreground (Ctrl-C stops it)
#   sh contrib/quickstart.sh test   install build + test deps, build, run every test
# Installing is idempotent: packages already present are not fetched again.
# As root it needs nothing else; otherwise it installs through sudo.
#
# It never leaves a service enabled: rngtest (which the tests compare
# against) is unpacked from its package into _tools/ instead of installed,
# because the package also enables rngd, a daemon that would compete with
# entropyd; and a unit or init script that installing a package enabled is
# disabled again (and named).  After the README's in-tree ./configure, `run`
# builds in place; `test` runs CI's out-of-tree stages over a clean copy of
# the sources (make distdir into _src/).
set -eu

mode=${1:-}
case "$mode" in
run|test) ;;
*) echo "usage: sh contrib/quickstart.sh run|test" >&2; exit 10 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/_build"
toolsdir="$top/_tools"
jobs=$(nproc 2>/dev/null || echo 2)

deb_build="build-essential autoconf automake libtool pkg-config libjansson-dev libcap-dev check"
# procps: /bin/kill, which systemd-analyze verify wants for the unit's ExecReload
# strace: tests/entropyctl.sh checks that no /dev/urandom is opened
# autoconf2.64, automake1.11, rpm, cpio: run-all.sh's RHEL 6 toolchain and RPM stages
# qemu-system-x86, busybox-static, linux-image-amd64: the guest stage (a
# kernel package to boot under QEMU, not to run this machine on)
deb_test="clang libclang-rt-dev valgrind cppcheck clang-tidy systemd procps strace autoconf2.64 automake1.11 rpm cpio qemu-system-x86 busybox-static linux-image-amd64"
rpm_build="gcc make autoconf automake libtool pkgconf-pkg-config jansson-devel libcap-devel check-devel"
rpm_test="clang compiler-rt valgrind cppcheck clang-tools-extra systemd procps-ng strace dnf-plugins-core cpio"

# as_root COMMAND...: run COMMAND as root: directly when we are root, else
# through sudo; without sudo, say what to do instead.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo > /dev/null 2>&1; then
		sudo "$@"
	else
		echo "quickstart: '$*' needs root and sudo is not installed: run this script as root" >&2
		exit 1
	fi
}

have() { command -v "$1" > /dev/null 2>&1; }
if have dpkg-query && have apt-get; then pkg=deb
elif have rpm && have dnf; then pkg=rpm
else pkg=; fi

# Every unit or init script enabled at boot, one path a line.
enabled_services() {
	find /etc/systemd/system /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d \
		/etc/rc5.d /etc/rc6.d /etc/rcS.d /etc/rc.d -mindepth 1 \
		\( -path '*.wants/*' -o -path '*.requires/*' -o -name 'S[0-9]*' \) 2>/dev/null | sort
}

# Undo what a package's install script enabled (paths from enabled_services).
disable_new_services() {
	for link in $1; do
		[ -e "$link" ] || [ -L "$link" ] || continue
		echo "quickstart: a package install enabled $link; disabling it (quickstart enables no service)"
		case $link in
		/etc/systemd/*) unit=${link##*/}
			as_root systemctl disable --quiet "$unit" 2> /dev/null || as_root rm -f "$link" ;;
		*) as_root rm -f "$link" ;;
		esac
	done
}

apt_updated=
install_deps() {
	missing=
	case $pkg in
	deb) for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done ;;
	rpm) for p in "$@"; do rpm -q "$p" > /dev/null 2>&1 || missing="$missing $p"; done ;;
	*) echo "quickstart: neither apt-get nor dnf found; install by hand:" >&2
	   echo "  $*" >&2
	   exit 1 ;;
	esac
	[ -z "$missing" ] && return 0
	echo "quickstart: installing$missing"
	before=$(mktemp)
	enabled_services > "$before"
	if [ $pkg = deb ]; then
		as_root apt-get update -q
		apt_updated=1
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
	else
		# shellcheck disable=SC2086
		as_root dnf install -y $missing
	fi
	disable_new_services "$(enabled_services | comm -13 "$before" -)"
	rm -f "$before"
}

# rngtest, unpacked from its package into _tools (no install script runs,
# so rngd is neither installed nor enabled).  Prints the bin directory.
fetch_rngtest() {
	if [ -x "$toolsdir/usr/bin/rngtest" ] || have rngtest; then
		echo "$toolsdir/usr/bin"
		return 0
	fi
	rm -rf "$toolsdir/pkg"
	mkdir -p "$toolsdir/pkg"
	if [ $pkg = deb ]; then
		[ -n "$apt_updated" ] || as_root apt-get update -q >&2
		# apt-get download writes into the current directory; as root it
		# warns that _apt cannot write there, harmlessly
		(cd "$toolsdir/pkg" && apt-get download -q rng-tools5) >&2
		dpkg-deb -x "$toolsdir"/pkg/rng-tools5_*.deb "$toolsdir"
	else
		(cd "$toolsdir/pkg" && dnf download -q rng-tools >&2)
		rpm2cpio "$toolsdir"/pkg/rng-tools-*.rpm | (cd "$toolsdir" && cpio -idm --quiet)
	fi
	rm -rf "$toolsdir/pkg"
	[ -x "$toolsdir/usr/bin/rngtest" ] || { echo "quickstart: no rngtest in the rng-tools package" >&2; exit 1; }
	echo "$toolsdir/usr/bin"
}

# configure_and_build OPTION...: build in _build/, or in place when the
# source tree was configured in place (configure refuses a second, out of
# tree build of such a tree).  Sets $bindir to where the programs are.
configure_and_build() {
	cd "$top"
	if [ -f "$top/config.status" ]; then
		echo "quickstart: $top was configured in place; building there"
		make -j"$jobs"
		bindir=$top
		return 0
	fi
	[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || ./autogen.sh
	mkdir -p "$builddir"
	cd "$builddir"
	"$top/configure" "$@"
	make -j"$jobs"
	bindir=$builddir
}

if [ "$pkg" = rpm ]; then build=$rpm_build; tests=$rpm_test
else build=$deb_build; tests=$deb_test; fi

if [ "$mode" = run ]; then
	# shellcheck disable=SC2086
	install_deps $build
	configure_and_build --quiet
	"$bindir/entropyd" -l || true
	# The main job: the daemon in the foreground, feeding the kernel's pool
	# (root: RNDADDENTROPY needs CAP_SYS_ADMIN), until Ctrl-C.  Default PID
	# file and control socket: the lock keeps it from running beside an
	# entropyd service, and entropyctl finds it.
	echo "quickstart: running entropyd in the foreground (Ctrl-C stops it);"
	echo "quickstart: in another terminal, $bindir/entropyctl status shows what it does"
	if [ "$(id -u)" -eq 0 ]; then
		exec "$bindir/entropyd" -f
	elif have sudo; then
		exec sudo "$bindir/entropyd" -f
	fi
	echo "quickstart: entropyd needs root to credit the kernel's pool, and sudo is not installed:" >&2
	echo "  run this as root, or try $bindir/entropyd -t (rates only, needs no root)" >&2
	exit 1
fi

# shellcheck disable=SC2086
install_deps $build $tests
tools=$(fetch_rngtest)
PATH=$tools:$PATH
export PATH
srcdir=$top
if [ -f "$top/config.status" ]; then
	echo "quickstart: $top was configured in place; testing a clean copy of it in $top/_src"
	rm -rf "$top/_src"
	make -C "$top" distdir distdir="$top/_src" > /dev/null
	srcdir=$top/_src
fi
exec sh "$srcdir/tests/run-all.sh" "$srcdir" "$builddir"
