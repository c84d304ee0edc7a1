#!/usr/bin/env bash
# Smoke test of the matcher benchmark chain: a small generated set, `onestop match` on it, and
# the reference counts (policy::Evaluate) — they must be equal, line for line. Also: the
# generator is deterministic, and most items match 0.1–5 % of the enterprises.
# Usage: policy_smoke.sh <policy_gen> <onestop>
set -euo pipefail
G=$(realpath "${1:?path to policy_gen}")
B=$(realpath "${2:?path to onestop}")
W=$(mktemp -d /tmp/onestop-policy-smoke.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"
"$G" --items 300 --enterprises 5000 --seed 7 --out-policies p.json --out-enterprises e.jsonl
"$G" --items 300 --enterprises 5000 --seed 7 --out-policies p2.json --out-enterprises e2.jsonl
cmp p.json p2.json && cmp e.jsonl e2.jsonl && echo "ok: generator is deterministic"
"$G" --reference --policies p.json --enterprises e.jsonl --threads 2 >ref.txt
"$B" match --policies p.json --enterprises e.jsonl >got.txt 2>timing.txt
cat timing.txt
[[ $(wc -l <ref.txt) -eq 300 ]] || { echo "FAIL: reference printed $(wc -l <ref.txt) lines"; exit 1; }
if ! diff ref.txt got.txt; then echo "FAIL: onestop match differs from the reference"; exit 1; fi
echo "ok: onestop match equals the reference on 300 items × 5000 enterprises"
in_range=$(awk '$2 >= 5 && $2 <= 250 { n++ } END { print n + 0 }' ref.txt)  # 0.1–5 % of 5000
echo "items matching 0.1–5 %: $in_range of 300"
((in_range >= 200)) || { echo "FAIL: too few items in the 0.1–5 % band"; exit 1; }
echo "policy smoke: 3 passed, 0 failed"
