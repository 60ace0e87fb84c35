#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every glibc symbol entropyd, entropyctl and entropy-check import existed
# in glibc 2.12 (RHEL 6).  For each import (objdump -T: name and the
# GLIBC_x.y node this build bound it to) the test looks the name up in
# this system's own glibc - libc, libpthread, librt, libm, ld.so - and
# takes the lowest version node it has there, which is the release that
# introduced it: later nodes of the same name (memcpy@GLIBC_2.14 on
# x86-64, pthread_create@GLIBC_2.34 after libpthread moved into libc) are
# newer behaviours of a call that existed before, and glibc keeps the old
# node for old binaries.  Exceptions, each named when it applies:
#  - stat, fstat, lstat, fstatat, mknod, mknodat (and *64): real symbols
#    only since 2.33; before, <sys/stat.h> turned them into __xstat,
#    __fxstat, __lxstat, __fxstatat, __xmknod, __xmknodat, checked instead;
#  - fortify variants (__*_chk): the build's headers choose them, so a
#    newer one is fine when the plain call existed in 2.12 (RHEL 6's headers
#    then use an older variant or none); __fdelt_chk (2.15) is FD_SET's;
#  - calls configure looks for and replaces when missing (getrandom,
#    explicit_bzero): fine when config.h says configure found them here;
#    tests/run-all.sh's legacy stage builds with them hidden and checks
#    that the programs then import neither.
. "${top_srcdir:-.}/tests/lib.sh"

command -v objdump > /dev/null || { echo "SKIP: objdump (binutils) not installed"; exit 77; }
progs="entropyd entropyctl entropy-check"
for p in $progs; do
	[ -x "$bin/$p" ] || { echo "SKIP: $bin/$p is not built"; exit 77; }
done
# A sanitizer build links the compiler's ASan/UBSan runtime, which imports
# newer calls (getauxval, __signgam) for itself; RHEL 6 builds have none,
# and the plain gcc build (and run-all's legacy stage) checks entropyd's.
if objdump -t "$bin/entropyd" | grep -q '__asan_init\|__ubsan_handle'; then
	echo "SKIP: built with sanitizers: their runtime's imports are not entropyd's"; exit 77
fi
libc=$(ldd "$bin/entropyd" 2>/dev/null | sed -n 's|.*libc\.so\.6 => \([^ ]*\) .*|\1|p')
[ -r "$libc" ] || { echo "SKIP: no glibc found for $bin/entropyd (static or not glibc)"; exit 77; }
libdir=$(dirname "$libc")

# name lowest-version, for every symbol glibc defines
for lib in "$libc" "$libdir/libpthread.so.0" "$libdir/librt.so.1" "$libdir/libm.so.6" \
	$(ldd "$bin/entropyd" | sed -n 's|^[[:space:]]*\(/[^ ]*ld-linux[^ ]*\) .*|\1|p'); do
	[ -r "$lib" ] && objdump -T "$lib"
done | awk '$0 !~ /\*UND\*/ && match($0, /GLIBC_[0-9][0-9.]*/) {
	print $NF, substr($0, RSTART + 6, RLENGTH - 6) }' |
	sort -k1,1 -k2,2V | awk '$1 != last { print; last = $1 }' > "$tmp/glibc"
[ -s "$tmp/glibc" ] || fail "no versioned symbols read from $libc"

# older A B: version A <= version B
older() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]; }
introduced() { awk -v s="$1" '$1 == s { print $2; exit }' "$tmp/glibc"; }

: > "$tmp/bad"
for p in $progs; do
	objdump -T "$bin/$p" | awk '/\*UND\*/ && /GLIBC_[0-9]/ { print $NF }'
done | sort -u > "$tmp/imports"
n=0
while read -r sym; do
	n=$((n + 1))
	check=$sym
	case $sym in
	stat|stat64) check=__xstat ;;
	fstat|fstat64) check=__fxstat ;;
	lstat|lstat64) check=__lxstat ;;
	fstatat|fstatat64) check=__fxstatat ;;
	mknod) check=__xmknod ;;
	mknodat) check=__xmknodat ;;
	esac
	v=$(introduced "$check")
	[ -n "$v" ] || { echo "$sym: not found in this glibc" >> "$tmp/bad"; continue; }
	older "$v" 2.12 && { [ "$check" = "$sym" ] || echo "note: $sym is $check ($v) in glibc 2.12"; continue; }
	case $sym in
	__fdelt_chk) echo "note: $sym ($v) is FD_SET's fortify check; glibc 2.12's FD_SET has none"; continue ;;
	__*_chk)
		base=${sym#__}; base=${base%_chk}; bv=$(introduced "$base")
		if [ -n "$bv" ] && older "$bv" 2.12; then
			echo "note: $sym ($v) is fortify's $base ($bv)"; continue
		fi ;;
	getrandom|explicit_bzero)
		macro=HAVE_$(echo "$sym" | tr 'a-z' 'A-Z')
		if grep -q "define $macro 1" "$bin/config.h"; then
			echo "note: $sym ($v): configure found it here; glibc 2.12's configure will not"; continue
		fi ;;
	esac
	echo "$sym: introduced in glibc $v" >> "$tmp/bad"
done < "$tmp/imports"

[ ! -s "$tmp/bad" ] || { cat "$tmp/bad"; fail "symbols newer than glibc 2.12 (RHEL 6)"; }
pass "$n glibc symbols imported by $progs, all in glibc 2.12"
