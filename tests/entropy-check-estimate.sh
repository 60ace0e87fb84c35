#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# entropy-check --estimate end to end, on seeded streams of known
# min-entropy (tests/helpers/gen_stream): uniform bytes (8 bits; the
# estimators give less, at least 6.5 here), bits biased to 0.6 (5.896 bits
# a byte; no more than that + 0.05), a constant and a 64-byte period (0,
# and below 1); --json holds every estimator and min_entropy, and agrees
# with the text; bad option mixes are usage errors.
. "${top_srcdir:-.}/tests/lib.sh"

check=$bin/entropy-check
gen=$bin/tests/helpers/gen_stream

# json_min FILE: min_entropy from the JSON report, checking its shape.
json_min() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
keys = ["most_common_value", "collision", "markov", "compression", "t_tuple", "lrs",
        "multi_mcw", "lag", "multi_mmc", "lz78y"]
assert sorted(j["estimators"]) == sorted(keys), j["estimators"]
assert j["bits_per_sample"] == 8
vals = [v for k in keys for v in j["estimators"][k].values() if v is not None]
assert abs(min(vals) - j["min_entropy"]) < 1e-9, (vals, j["min_entropy"])
print("%.6f" % j["min_entropy"])
PY
}

# in_range X LO HI
in_range() { python3 -c "import sys; sys.exit(0 if $2 <= $1 <= $3 else 1)"; }

"$gen" random 200000 7 > "$tmp/random"
timeout 60 "$check" --estimate --json "$tmp/random" > "$tmp/json" 2> "$tmp/err" || { cat "$tmp/err"; fail "random: exit $?"; }
m=$(json_min "$tmp/json") || fail "random: JSON report"
in_range "$m" 6.5 8 || fail "random: min_entropy $m, expected 6.5 to 8"
grep -q "fewer give lower estimates" "$tmp/err" || fail "random: no note about the sample count"
grep -q "^min-entropy: " "$tmp/err" || fail "random: no text report on stderr with --json"
pass "uniform bytes: $m bits per sample"

"$gen" bias 200000 3 | timeout 60 "$check" --estimate --json > "$tmp/json" 2> "$tmp/err" || fail "bias: exit"
m=$(json_min "$tmp/json") || fail "bias: JSON report"
in_range "$m" 3.5 5.946 || fail "bias: min_entropy $m, expected 3.5 to 5.946"
pass "biased bits: $m bits per sample (true 5.896)"

"$gen" zeros 100000 | timeout 60 "$check" --estimate --json > "$tmp/json" 2> /dev/null || fail "zeros: exit"
m=$(json_min "$tmp/json") || fail "zeros: JSON report"
[ "$m" = "0.000000" ] || fail "zeros: min_entropy $m"
"$gen" period 100000 | timeout 60 "$check" --estimate > "$tmp/out" 2> /dev/null || fail "period: exit"
m=$(sed -n 's/^min-entropy: \([0-9.]*\) bits per 8-bit sample$/\1/p' "$tmp/out")
in_range "$m" 0 1 || fail "period: min-entropy '$m'"
pass "constant 0, 64-byte period $m"

# text and JSON agree; more than 10^6 samples: the first 10^6 are used
"$gen" random 1000100 9 > "$tmp/big"
timeout 120 "$check" --estimate --json "$tmp/big" > "$tmp/json" 2> "$tmp/err" || fail "big: exit"
grep -q "uses the first 1000000 samples" "$tmp/err" || fail "big: no note about the limit"
m=$(json_min "$tmp/json")
t=$(sed -n 's/^min-entropy: \([0-9.]*\) bits.*/\1/p' "$tmp/err")
in_range "$t" "$m - 0.0001" "$m + 0.0001" || fail "text $t and JSON $m differ"
pass "10^6 samples: $m; text and JSON agree"

# nothing to estimate: exit 1; bad mixes: exit 10
: > "$tmp/empty"
"$check" --estimate "$tmp/empty" > /dev/null 2> "$tmp/err"
[ $? -eq 1 ] || fail "empty input: exit 1 expected"
grep -q "too few" "$tmp/err" || fail "empty input: message"
for opt in -p "-c 1" "-b 1" "-t 1" "-j 2" "--sp800-90b 1"; do
	# shellcheck disable=SC2086
	"$check" --estimate $opt < /dev/null > /dev/null 2> "$tmp/err"
	[ $? -eq 10 ] || fail "--estimate $opt: exit 10 expected"
	grep -q "estimate excludes" "$tmp/err" || fail "--estimate $opt: message"
done
"$check" --estimate "$tmp/missing" > /dev/null 2>&1
[ $? -eq 11 ] || fail "missing file: exit 11 expected"
pass "exit codes"
