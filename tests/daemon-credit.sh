#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The credit policy: -e and -O SOURCE:credit lower a source's own bound and
# never raise it; -l and entropyctl show the credit in force.
. "${top_srcdir:-.}/tests/lib.sh"

random_stream 8 > "$tmp/data"

# credit_of SOURCE ARGS...: the "credit:" line -l prints for SOURCE.
credit_of() {
	name=$1; shift
	"$bin/entropyd" -l "$@" 2> "$tmp/err" | sed -n "/^$name: /,/^[a-z]/s/^    credit: //p"
}

got=$(credit_of pipe -O pipe:path:"$tmp/data" -e 8)
case $got in "4 bits per byte (the source's own bound;"*) ;; *) fail "pipe with -e 8: $got";; esac
pass "-e 8 does not raise pipe's 4: $got"
got=$(credit_of pipe -O pipe:path:"$tmp/data" -O pipe:credit:8)
case $got in "4 bits per byte"*) ;; *) fail "pipe with -O pipe:credit:8: $got";; esac
grep -q -- "-O pipe:credit is above what pipe can justify (4 bits per byte)" "$tmp/err" ||
	{ cat "$tmp/err"; fail "no warning for a credit above the bound"; }
pass "-O pipe:credit:8 stays at 4, with a warning"
got=$(credit_of pipe -O pipe:path:"$tmp/data" -e 2)
case $got in "2 bits per byte"*) ;; *) fail "pipe with -e 2: $got";; esac
got=$(credit_of pipe -O pipe:path:"$tmp/data" -e 1 -O pipe:credit:3)
case $got in "3 bits per byte"*) ;; *) fail "pipe with -e 1 -O pipe:credit:3: $got";; esac
pass "-e 2 lowers to 2; -O pipe:credit:3 wins over -e 1"

if grep -qw rdrand /proc/cpuinfo; then
	got=$(credit_of rdrand -O rdrand:mode:rdrand -e 8)
	case $got in "0.015625 bits per byte"*) ;; *) fail "RDRAND with -e 8: $got";; esac
	pass "RDRAND with -e 8: $got"
fi

# The running daemon reports the credit in force, and credits by it.
"$bin/entropyd" -t $(only pipe) -O pipe:path:"$tmp/data" -e 8 -c "$tmp/ctl" > "$tmp/rates" 2> "$tmp/log" &
daemon=$!; track $daemon
wait_for 100 grep -qs "pipe .*passed [1-9][0-9]* bytes" "$tmp/rates" ||
	{ cat "$tmp/rates" "$tmp/log"; fail "nothing passed"; }
"$bin/entropyctl" -s "$tmp/ctl" status > "$tmp/status" || fail "entropyctl failed"
awk '$1 == "pipe" { print $3 }' "$tmp/status" | grep -qx 4 || { cat "$tmp/status"; fail "entropyctl: pipe credit is not 4"; }
kill -TERM $daemon; wait $daemon
line=$(grep " pipe .*passed [1-9]" "$tmp/rates" | tail -n 1)
passed=$(echo "$line" | sed -n 's/.*passed \([0-9]*\) bytes (\([0-9]*\) bits.*/\1/p')
bits=$(echo "$line" | sed -n 's/.*passed \([0-9]*\) bytes (\([0-9]*\) bits.*/\2/p')
[ "$bits" -eq $((passed * 4)) ] || fail "-t with -e 8 counts $bits bits for $passed bytes, not 4 per byte"
pass "entropyctl shows 4; -t counts $bits bits for $passed bytes"
