#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# entropyctl against a stand-in server: a status document is shown (exit
# 0); anything that is not one - another JSON object, an unknown schema,
# badly typed or negative fields - exits 1 saying why; the 3 s limit holds
# for the whole answer, however slowly it trickles in; jansson never reads
# /dev/urandom (its hash seed is fixed); -h prints the help.
. "${top_srcdir:-.}/tests/lib.sh"

ctl=$bin/entropyctl
fake=$bin/tests/helpers/fake_control

"$ctl" -h > "$tmp/help" || fail "entropyctl -h: exit $?"
grep -q "^Usage: entropyctl" "$tmp/help" || fail "entropyctl -h printed no help"
[ "$(grep -c -- '--version' "$tmp/help")" -eq 1 ] || fail "entropyctl --help lists --version more than once"
pass "-h prints the help"

cat > "$tmp/good" <<'EOD'
{"schema": 1, "version": "0.1.0", "pid": 4242, "mode": "kernel", "uptime_s": 3725,
 "pool": {"era": "modern", "entropy_avail_bits": 256, "poolsize_bits": 256, "crng_ready": true},
 "totals": {"bytes": 640, "bits_credited": 0},
 "sources": [{"name": "pipe", "state": "running", "credit_bits_per_byte": 4.0, "bytes_read": 2504,
   "blocks_passed": 1, "blocks_failed": 0,
   "fips_failures": {"monobit": 0, "poker": 0, "runs": 0, "long_run": 0, "continuous": 0, "repeated_block": 0},
   "health_alarms": {"intermittent": 0, "permanent": 0}, "suspensions": 0, "reprobes": 0,
   "bytes_used": 640, "bits_credited": 0, "last_error": ""}]}
EOD

# ask REPLY_FILE [TRICKLE_MS]: entropyctl status against a server sending
# REPLY_FILE; stdout and stderr in $tmp/out and $tmp/err, status in $status.
ask() {
	rm -f "$tmp/sock" "$tmp/fake.out"
	"$fake" "$tmp/sock" "$@" > "$tmp/fake.out" &
	server=$!; track $server
	wait_for 50 grep -q LISTENING "$tmp/fake.out" || fail "the stand-in server did not start"
	status=0
	$tracer "$ctl" -s "$tmp/sock" status > "$tmp/out" 2> "$tmp/err" || status=$?
	kill "$server" 2> /dev/null; wait "$server" 2> /dev/null
	return 0
}
tracer=

ask "$tmp/good"
[ $status -eq 0 ] || { cat "$tmp/err"; fail "a status document: exit $status"; }
grep -q "entropyd 0.1.0, PID 4242, up 0d 01:02:05, mode kernel" "$tmp/out" || { cat "$tmp/out"; fail "table"; }
pass "a status document: exit 0, $(head -n 1 "$tmp/out")"

# not_status NAME JSON: a reply that must be refused with exit 1.
not_status() {
	printf '%s\n' "$2" > "$tmp/bad"
	ask "$tmp/bad"
	[ $status -eq 1 ] || { cat "$tmp/out" "$tmp/err"; fail "$1: exit $status, expected 1"; }
	grep -q "is not a status document" "$tmp/err" || { cat "$tmp/err"; fail "$1: no reason given"; }
	pass "$1: exit 1, $(cat "$tmp/err")"
}
good=$(tr -d '\n' < "$tmp/good")
not_status "another object" '{"hello":"world"}'
not_status "unknown schema" "$(echo "$good" | sed 's/"schema": 1/"schema": 2/')"
not_status "negative uptime" "$(echo "$good" | sed 's/"uptime_s": 3725/"uptime_s": -1/')"
not_status "pid as a string" "$(echo "$good" | sed 's/"pid": 4242/"pid": "4242"/')"
not_status "sources not an array" "$(echo "$good" | sed 's/"sources": \[.*\]}$/"sources": 5}/')"
not_status "a source without a name" "$(echo "$good" | sed 's/"name": "pipe", //')"
not_status "pool neither null nor an object" "$(echo "$good" | sed 's/"pool": {[^}]*}/"pool": 7/')"
not_status "a negative counter" "$(echo "$good" | sed 's/"blocks_failed": 0/"blocks_failed": -3/')"
not_status "not JSON" 'status: fine'

# A server that trickles a byte a second: given up after 3 s in all.
start=$(date +%s%N)
ask "$tmp/good" 1000
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $status -eq 1 ] || fail "trickling server: exit $status, expected 1"
grep -q "no complete answer .* within 3000 ms" "$tmp/err" || { cat "$tmp/err"; fail "trickling server: message"; }
[ $elapsed_ms -lt 5000 ] || fail "trickling server: gave up after $elapsed_ms ms, not 3000"
pass "trickling server: given up after $elapsed_ms ms"

# No /dev/urandom: not before the CRNG is ready, nor ever (jansson's hash
# seed is fixed).  The sanitizers' runtime may read it itself: not checked there.
if grep -q 'fsanitize' "$bin/Makefile"; then
	echo "note: sanitizer build: /dev/urandom not checked"
else
	require_tool strace strace
	tracer="strace -f -qq -e trace=open,openat -o $tmp/trace"
	ask "$tmp/good"
	[ $status -eq 0 ] || { cat "$tmp/err"; fail "under strace: exit $status"; }
	! grep urandom "$tmp/trace" || fail "entropyctl opened /dev/urandom"
	grep -q 'open' "$tmp/trace" || fail "strace traced no open at all"
	pass "no /dev/urandom opened ($(grep -c open "$tmp/trace") opens traced)"
fi
