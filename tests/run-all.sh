#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every test entropyd has, as CI runs it: usage: run-all.sh SRCDIR BUILDDIR
#  1. gcc, -Werror: build and make check (unit + integration tests)
#  2. make distcheck: the tarball builds and passes its tests out of tree
#  3. clang, -Werror: build and make check
set -eu

top=$1
builddir=$2
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n=== %s ===\n' "$*"; }

cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || ./autogen.sh

step "gcc -Werror: make check"
rm -rf "$builddir"; mkdir -p "$builddir"; cd "$builddir"
"$top/configure" --quiet --with-check --enable-werror CC=gcc
make -j"$jobs" >/dev/null
make -j"$jobs" check || { cat test-suite.log; exit 1; }

step "make distcheck"
make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS="--with-check --enable-werror" >distcheck.log 2>&1 ||
	{ tail -n 80 distcheck.log; exit 1; }
tail -n 4 distcheck.log

step "clang -Werror: make check"
clangdir="$builddir/clang"
mkdir -p "$clangdir"; cd "$clangdir"
"$top/configure" --quiet --with-check --enable-werror CC=clang
make -j"$jobs" >/dev/null
make -j"$jobs" check || { cat test-suite.log; exit 1; }

step "all test stages passed"
