#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Assess the jitter source on this machine: 100,000 raw samples from
# `entropyd --raw jitter` (the 8-bit folded timing deltas), estimated by
# `entropy-check --estimate`.  The log records the offline estimate next
# to the start-up estimate and the per-sample credit entropyd uses; the
# credit may not exceed the offline estimate.  Sources without a raw stage
# refuse --raw with a reason, and --raw with -t is a usage error.
. "${top_srcdir:-.}/tests/lib.sh"

samples=100000
"$bin/entropyd" -l > "$tmp/list" 2>&1
grep -q "^jitter: .*usable" "$tmp/list" || { echo "SKIP: jitter is not usable here"; cat "$tmp/list"; exit 77; }

# head stops reading after $samples bytes; entropyd then sees EPIPE and ends
timeout 60 "$bin/entropyd" --raw jitter 2> "$tmp/raw.log" | head -c $samples > "$tmp/raw"
size_is "$tmp/raw" $samples || { cat "$tmp/raw.log"; fail "--raw jitter gave $(stat -c %s "$tmp/raw") bytes, expected $samples"; }
grep -q "nothing is credited" "$tmp/raw.log" || fail "--raw: no notice that nothing is credited"

timeout 60 "$bin/entropy-check" --estimate --json "$tmp/raw" > "$tmp/json" 2> "$tmp/est.log" ||
	{ cat "$tmp/est.log"; fail "entropy-check --estimate: exit $?"; }
offline=$(python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["min_entropy"])' "$tmp/json")

line=$(sed -n 's/^entropyd: source jitter: //p' "$tmp/raw.log")
startup=$(echo "$line" | sed -n 's/^\([0-9.]*\) bits per timing sample.*/\1/p')
credit=$(echo "$line" | sed -n 's/.*claiming \([0-9.]*\) = min.*/\1/p')
[ -n "$startup" ] && [ -n "$credit" ] || fail "no measurement in the log: $line"
grep -q "^    measured: [0-9.]* bits per timing sample.*claiming [0-9.]* = min(1/osr" "$tmp/list" ||
	fail "-l does not show the measured value"

echo "jitter on $(uname -n): offline SP 800-90B estimate $offline bits per 8-bit sample ($samples samples);"
echo "  entropyd start-up estimate $startup; credit entropyd uses $credit bits per sample"
sed -n 's/^/  /p' "$tmp/est.log"
python3 -c "import sys; sys.exit(0 if $credit <= $offline else 1)" ||
	fail "entropyd credits $credit bits per sample, more than the offline estimate $offline"
pass "credit $credit <= offline estimate $offline"

"$bin/entropyd" --raw rdrand > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] || fail "--raw rdrand: exit 1 expected"
grep -q "no raw noise stage.*raw samples come from: jitter" "$tmp/err" || { cat "$tmp/err"; fail "--raw rdrand: reason"; }
[ ! -s "$tmp/out" ] || fail "--raw rdrand wrote something"
"$bin/entropyd" --raw jitter -t > /dev/null 2> "$tmp/err"
[ $? -eq 10 ] || fail "--raw with -t: exit 10 expected"
grep -q "raw excludes" "$tmp/err" || fail "--raw with -t: message"
pass "--raw refusals"
