#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Generate ./configure from configure.ac and Makefile.am.
#
# usage: autogen.sh [--legacy]
#   (none)    the autotools on PATH (autoreconf, autoconf, automake, ...)
#   --legacy  autoconf 2.64 + automake 1.11 as Debian packages them
#             (autoconf2.64, automake1.11: autoreconf2.64, aclocal-1.11, ...),
#             close to RHEL 6's 2.63 + 1.11.1; CI builds with them so that
#             configure.ac and Makefile.am stay within what RHEL 6 can run.
# AUTORECONF, AUTOCONF, AUTOHEADER, AUTOM4TE, ACLOCAL and AUTOMAKE in the
# environment choose other versions (autoreconf reads all but the first).
set -e
cd "$(dirname "$0")"
case "${1:-}" in
--legacy)
	: "${AUTORECONF:=autoreconf2.64}" "${AUTOCONF:=autoconf2.64}"
	: "${AUTOHEADER:=autoheader2.64}" "${AUTOM4TE:=autom4te2.64}"
	: "${ACLOCAL:=aclocal-1.11}" "${AUTOMAKE:=automake-1.11}"
	export AUTOCONF AUTOHEADER AUTOM4TE ACLOCAL AUTOMAKE ;;
'') ;;
*) echo "usage: $0 [--legacy]" >&2; exit 2 ;;
esac
${AUTORECONF:-autoreconf} --install --force
