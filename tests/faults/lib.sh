# SPDX-License-Identifier: GPL-2.0-or-later
# Fault injection: one faulty pipe source beside a good source (the CPU's
# RDSEED/RDRAND where there is one, else jitter), output to a file.  Checks that
# no byte of a failing block of the faulty input reaches the output, that
# the good source keeps feeding, and what the log says.
. "${top_srcdir:-.}/tests/lib.sh"

gen="$bin/tests/helpers/gen_stream"

# block_hashes FILE SKIP: md5 of each whole 2500-byte block after SKIP bytes.
block_hashes() {
	mkdir -p "$tmp/split.$$"
	tail -c +$(( $2 + 1 )) "$1" | split -b 2500 -a 5 - "$tmp/split.$$/b"
	for f in "$tmp/split.$$"/b*; do
		[ -e "$f" ] || continue
		[ "$(stat -c %s "$f")" -eq 2500 ] && md5sum < "$f" | cut -d' ' -f1
	done | sort
	rm -rf "$tmp/split.$$"
}

# failing_blocks INPUT: hashes of the input's blocks that do not pass
# (every block, minus those entropy-check --pipe lets through).
failing_blocks() {
	passing_blocks "$1" > "$tmp/passing"
	block_hashes "$1" 4 > "$tmp/all.h"
	block_hashes "$tmp/passing" 0 > "$tmp/pass.h"
	comm -23 "$tmp/all.h" "$tmp/pass.h"
}

# start_output FAULTY_PATH [OPTIONS]: the faulty pipe alone, to a file.
start_output() {
	path=$1; shift
	"$bin/entropyd" -f $(only pipe) -O pipe:path:"$path" -o "$tmp/out" -p "$tmp/pid" \
		-c "" --retry-delay 1 "$@" 2> "$tmp/log" &
	daemon=$!
	track $daemon
}

# assert_clean INPUT: no failing block of INPUT is in the output.
assert_clean() {
	failing_blocks "$1" > "$tmp/fail.h"
	block_hashes "$tmp/out" 0 > "$tmp/out.h"
	leaked=$(comm -12 "$tmp/fail.h" "$tmp/out.h" | wc -l)
	[ "$leaked" -eq 0 ] || fail "$leaked failing blocks reached the output"
	pass "none of the $(wc -l < "$tmp/fail.h") failing blocks reached the output"
}

# The good source.  (/dev/urandom cannot stand in for a device: entropyd
# refuses the kernel's own output.)
if grep -qw rdrand /proc/cpuinfo; then good=rdrand; else good=jitter; fi

# start_mixed FAULTY_PATH: -t with the faulty pipe beside the good source.
start_mixed() {
	"$bin/entropyd" -t $(only $good pipe) -O pipe:path:"$1" \
		--retry-delay 1 > "$tmp/rates" 2> "$tmp/log" &
	daemon=$!
	track $daemon
}

# good_passed: bytes passed in the good source's last complete report line
# (the daemon may be half-way through writing the next one).
good_passed() {
	grep -a " $good .* bytes/s\$" "$tmp/rates" | tail -n 1 | sed -n 's/.*passed \([0-9]*\) bytes.*/\1/p'
}

# good_passed_more N: the last report shows more than N bytes passed.
good_passed_more() {
	now=$(good_passed)
	[ -n "$now" ] && [ "$now" -gt "$1" ]
}

# assert_feeding: the good source's passed count keeps growing in the -t report.
assert_feeding() {
	wait_for 100 good_passed_more -1 || { cat "$tmp/rates" "$tmp/log"; fail "no $good rate"; }
	first=$now	# the count the successful check saw
	wait_for 100 good_passed_more "$first" ||
		{ cat "$tmp/rates" "$tmp/log"; fail "the good source stopped feeding"; }
	pass "the good source keeps feeding ($first -> $(good_passed) bytes passed)"
}

assert_log() {
	wait_for 50 grep -q -- "$1" "$tmp/log" || { cat "$tmp/log"; fail "log lacks: $1"; }
	pass "log: $(grep -- "$1" "$tmp/log" | head -n 1)"
}

stop_daemon() {
	kill -TERM $daemon
	wait $daemon
	status=$?
	[ $status -eq 0 ] || fail "exit status $status"
}
