#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The EGD server (--egd-socket) against real clients speaking the protocol
# as QEMU's rng-egd does: only bytes of blocks that passed every test are
# served, each to exactly one client, and the status counts exactly what
# was served; PID and level answers; the write command and garbage close
# only that connection; a client waiting for data just waits; a client that
# stops reading holds up nobody, and --egd-rate limits each client.
# --egd-only feeds nothing locally, so this runs as any user.
. "${top_srcdir:-.}/tests/lib.sh"

gen="$bin/tests/helpers/gen_stream"
egd="$bin/tests/helpers/egd_client"
sock="$tmp/egd.sock"

# 40 blocks (+4 priming bytes), block 5 spoiled with zeros, block 20 with ones.
"$gen" random $((40 * 2500 + 4)) 11 > "$tmp/data"
dd if=/dev/zero of="$tmp/data" bs=4 seek=$((1 + 625 * 5)) count=625 conv=notrunc 2>/dev/null
head -c 2500 /dev/zero | tr '\0' '\377' |
	dd of="$tmp/data" bs=4 seek=$((1 + 625 * 20)) count=625 conv=notrunc 2>/dev/null
passing_blocks "$tmp/data" > "$tmp/expected"
passing=$(stat -c %s "$tmp/expected")
[ "$passing" -le $((38 * 2500)) ] || fail "the spoiled blocks passed entropy-check"

start_daemon() {
	rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
	"$bin/entropyd" -f $(only pipe) -O pipe:path:"$tmp/fifo" --egd-only --egd-socket "$sock" \
		-c "$tmp/ctl" -p "$tmp/pid" "$@" 2> "$tmp/log" &
	daemon=$!; track $daemon
	wait_for 50 test -S "$sock" || { cat "$tmp/log"; fail "no EGD socket"; }
}

stop_daemon() {
	kill -TERM $daemon; wait $daemon; status=$?
	[ $status -eq 0 ] || { cat "$tmp/log"; fail "exit status $status after SIGTERM"; }
	[ ! -e "$sock" ] || fail "EGD socket left behind"
}

served_total() {
	"$bin/entropyctl" -s "$tmp/ctl" status --json |
		tr -d " \n" | sed -n 's/.*"egd":{"bytes_served":\([0-9]*\).*/\1/p'
}

# Bytes of a file, one decimal per line, sorted: a multiset to compare.
byteset() { od -An -tu1 -v "$1" | tr -s ' ' '\n' | sed '/^$/d' | sort; }

# ---- run 1: exactness --------------------------------------------------------
start_daemon
[ "$(stat -c %a "$sock")" = 660 ] || fail "EGD socket mode $(stat -c %a "$sock"), not 660"
[ "$("$egd" "$sock" pid)" = "$daemon" ] || fail "0x04 did not answer the daemon's PID"
level=$("$egd" "$sock" level) || fail "0x00 got no answer"
[ "$level" -eq 0 ] || fail "level $level before any data"
# Nothing queued yet: a non-blocking read answers with 0 bytes.
"$egd" "$sock" read 16 > "$tmp/nb0" || fail "0x01 got no answer"
[ ! -s "$tmp/nb0" ] || fail "0x01 answered bytes before any source had data"
pass "PID, level and an empty non-blocking read"

cat "$tmp/data" > "$tmp/fifo" &
track $!
# Two clients at once, then one alone.
"$egd" "$sock" block 30000 > "$tmp/a" & a=$!
"$egd" "$sock" block 20000 > "$tmp/b" & b=$!
wait $a || fail "client A did not get its 30000 bytes"
wait $b || fail "client B did not get its 20000 bytes"
cat "$tmp/a" "$tmp/b" > "$tmp/ab"
head -c 50000 "$tmp/expected" > "$tmp/first"
byteset "$tmp/ab" > "$tmp/ab.set"
byteset "$tmp/first" > "$tmp/first.set"
cmp -s "$tmp/ab.set" "$tmp/first.set" ||
	fail "two clients' bytes are not exactly the first 50000 passing bytes"
cmp -s "$tmp/a" "$tmp/b" && fail "two clients got the same bytes"
pass "two concurrent clients got the first 50000 passing bytes, each byte once"

"$egd" "$sock" block 10000 > "$tmp/c" || fail "client C did not get its bytes"
tail -c +50001 "$tmp/expected" | head -c 10000 | cmp -s - "$tmp/c" ||
	fail "client C's bytes are not the next 10000 passing bytes"
"$egd" "$sock" read 200 > "$tmp/d" || fail "0x01 200 got no answer"
[ "$(stat -c %s "$tmp/d")" -eq 200 ] || fail "0x01 200 answered $(stat -c %s "$tmp/d") bytes with data queued"
tail -c +60001 "$tmp/expected" | head -c 200 | cmp -s - "$tmp/d" || fail "0x01 bytes differ"
pass "a lone client gets the stream in order; 0x01 answers what is there"

# Refused and unknown commands close only that connection.
"$egd" "$sock" closes 03 || fail "the write command did not close the connection"
"$egd" "$sock" closes 03 || fail "a second write command did not close the connection"
"$egd" "$sock" closes 7f || fail "an unknown command did not close the connection"
[ "$(grep -c 'tried to write entropy' "$tmp/log")" -eq 1 ] || fail "the refused write was not logged exactly once"
"$egd" "$sock" block 100 > "$tmp/e" || fail "the server stopped serving after bad clients"
pass "0x03 and garbage close their connection only (logged once)"

rest=$((passing - 60300))
"$egd" "$sock" block "$rest" > "$tmp/f" || fail "the remaining $rest bytes were not served"
# Every passing byte is served now; a blocking read just waits.
timeout 1 "$egd" "$sock" block 10 > /dev/null; r=$?
[ $r -eq 124 ] || fail "a blocking read with no data left ended ($r) instead of waiting"
total=$(served_total)
[ "$total" -eq "$passing" ] || fail "status says $total bytes served, clients got $passing"
cat "$tmp/a" "$tmp/b" "$tmp/c" "$tmp/d" "$tmp/e" "$tmp/f" | byteset /dev/stdin > "$tmp/all.set"
byteset "$tmp/expected" > "$tmp/expected.set"
cmp -s "$tmp/all.set" "$tmp/expected.set" || fail "served bytes are not exactly the passing blocks"
pass "all $passing passing bytes served once, none of the spoiled blocks; status agrees"
stop_daemon

# ---- run 2: a stalled client and the rate limit --------------------------------
"$gen" random $((100 * 2500 + 4)) 12 > "$tmp/data2"
start_daemon --egd-rate 5000
cat "$tmp/data2" > "$tmp/fifo" &
track $!
"$egd" "$sock" stall & stalled=$!; track $stalled
sleep 0.5
t0=$(date +%s%N)
"$egd" "$sock" block 10000 > "$tmp/g" || fail "a client next to a stalled one was not served"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
# 5000 bytes of burst, then 5000 bytes at 5000/s: about a second.
[ "$ms" -ge 800 ] || fail "10000 bytes at --egd-rate 5000 took only $ms ms"
pass "served next to a stalled client; --egd-rate 5000 held (10000 bytes in $ms ms)"
stop_daemon

