# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration tests: a temp dir, processes stopped by PID at
# exit, and bounded waits.  Source it; it sets $tmp, $bin and $srcdir.

set -u
# Files the tests make for the pipe source must pass its trust rules
# (writable by their owner only), whatever umask the caller has.
umask 022
bin=${top_builddir:-.}
srcdir=${top_srcdir:-.}
tmp=$(mktemp -d /tmp/entropyd-test.XXXXXX)
started_pids=

cleanup() {
	for p in $started_pids; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Remember a background PID so cleanup stops it even if the test fails.
track() { started_pids="$started_pids $1"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# wait_for TENTHS COMMAND...: run COMMAND every 0.1 s until it succeeds.
wait_for() {
	tries=$1; shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# gone PID: the process has exited (a zombie our shell has not reaped yet
# counts as gone: kill -0 still succeeds on it).
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# refused WHAT PATTERN COMMAND...: COMMAND (10 s at most) exits with status 1
# and its stderr says PATTERN; passes with that message.
refused() {
	what=$1 pattern=$2; shift 2
	timeout 10 "$@" > /dev/null 2> "$tmp/err"
	status=$?
	[ $status -eq 1 ] || { cat "$tmp/err"; fail "$what: exit status $status, expected 1"; }
	grep -q -- "$pattern" "$tmp/err" || fail "$what: no '$pattern' in: $(cat "$tmp/err")"
	pass "$what: $(cat "$tmp/err")"
}

# size_is FILE N: FILE exists and holds exactly N bytes.
size_is() { [ -f "$1" ] && [ "$(stat -c %s "$1")" -eq "$2" ]; }

# A reproducible stream of good random bytes: N blocks of 2500 (+4 priming).
random_stream() { head -c $(( $1 * 2500 + 4 )) /dev/urandom; }

require_root() {
	[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
}

# only SOURCE...: the -x options that exclude every other registered source,
# so a test keeps working as sources are added.
only() {
	all=$("$bin/entropyd" -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p')
	for s in $all; do
		case " $* " in *" $s "*) ;; *) printf -- '-x %s ' "$s" ;; esac
	done
}

# passing_blocks INPUT: the blocks of INPUT (4 priming bytes, then blocks,
# as the daemon reads a source) that pass FIPS 140-2, concatenated.
# entropy-check --pipe, like rngtest -p, skips 4 bytes before priming.
passing_blocks() {
	{ head -c 4 /dev/zero; cat "$1"; } | "$bin/entropy-check" --pipe 2>/dev/null
}

# no_leak_check: LeakSanitizer (in the ASan build) cannot work under ptrace
# (strace), and a worker left stuck in a read keeps its source's memory to
# the end on purpose: tests that do either run the daemon without it.
no_leak_check() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	export ASAN_OPTIONS
}
