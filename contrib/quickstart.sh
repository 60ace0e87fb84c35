#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's quick start, on a fresh Debian/Ubuntu or RHEL/Fedora machine:
#   sh contrib/quickstart.sh run    install build deps, build, run the daemon
#                                   in the foreground (Ctrl-C stops it)
#   sh contrib/quickstart.sh test   install build + test deps, build, run every test
# Installing is idempotent: packages already present are not fetched again.
set -eu

mode=${1:-}
case "$mode" in
run|test) ;;
*) echo "usage: sh contrib/quickstart.sh run|test" >&2; exit 10 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/_build"
as_root=
[ "$(id -u)" -eq 0 ] || as_root=sudo

deb_build="build-essential autoconf automake libtool pkg-config libjansson-dev libsystemd-dev libcap-dev check"
deb_test="rng-tools5 clang libclang-rt-dev valgrind cppcheck clang-tidy systemd python3"
rpm_build="gcc make autoconf automake libtool pkgconf-pkg-config jansson-devel systemd-devel libcap-devel check-devel"
rpm_test="rng-tools clang compiler-rt valgrind cppcheck clang-tools-extra systemd python3"

install_deps() {
	if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
		missing=
		for p in "$@"; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
				missing="$missing $p"
		done
		[ -z "$missing" ] && return 0
		echo "quickstart: installing$missing"
		$as_root apt-get update -q
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q --no-install-recommends $missing
	elif command -v rpm >/dev/null 2>&1 && command -v dnf >/dev/null 2>&1; then
		missing=
		for p in "$@"; do rpm -q "$p" >/dev/null 2>&1 || missing="$missing $p"; done
		[ -z "$missing" ] && return 0
		echo "quickstart: installing$missing"
		# shellcheck disable=SC2086
		$as_root dnf install -y $missing
	else
		echo "quickstart: neither apt-get nor dnf found; install by hand:" >&2
		echo "  $*" >&2
		exit 1
	fi
}

configure_and_build() {
	cd "$top"
	[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || ./autogen.sh
	mkdir -p "$builddir"
	cd "$builddir"
	"$top/configure" "$@"
	make -j"$(nproc 2>/dev/null || echo 2)"
}

if command -v dpkg-query >/dev/null 2>&1; then build=$deb_build; tests=$deb_test
else build=$rpm_build; tests=$rpm_test; fi

if [ "$mode" = run ]; then
	# shellcheck disable=SC2086
	install_deps $build
	configure_and_build --quiet
	# The main job: the daemon in the foreground, feeding the kernel's pool
	# (root: RNDADDENTROPY needs CAP_SYS_ADMIN), until Ctrl-C.
	"$builddir/entropyd" -l || true
	echo "quickstart: running entropyd in the foreground (Ctrl-C stops it)"
	exec $as_root "$builddir/entropyd" -f -p "" -c ""
fi

# shellcheck disable=SC2086
install_deps $build $tests
exec sh "$top/tests/run-all.sh" "$top" "$builddir"
