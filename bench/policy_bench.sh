#!/usr/bin/env bash
# 政策匹配 side by side (docs/PERFORMANCE.md): the OneStop matcher (`onestop match`) beside a plain
# columnar C loop (the yardstick), json-rules-engine (npm) and CLIPS (Debian `clips`, Rete), on
# the same generated policies and enterprises, with counts checked against the reference
# evaluator (policy::Evaluate). Prints wall time, match time, evaluations/s and peak RSS.
# The slow peers run on the first JRE_LIMIT / CLIPS_LIMIT enterprises and are scaled linearly
# to the full size; the table says so. Not part of CI (bench/policy_smoke.sh is).
#   bench/policy_bench.sh [BUILD_DIR]   (needs policy_gen and onestop built there)
#   env: SIZES="21622 130000" ITEMS=4288 SEED=1 JRE_LIMIT=20 CLIPS_LIMIT=400 PEERS="c jre clips"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath "${1:-$ROOT/build}")
G=$BUILD/bench/policy_gen
B=$BUILD/src/app/onestop
SIZES=${SIZES:-"21622 130000"}
ITEMS=${ITEMS:-4288}
SEED=${SEED:-1}
JRE_LIMIT=${JRE_LIMIT:-20}
CLIPS_LIMIT=${CLIPS_LIMIT:-400}
PEERS=${PEERS:-"c jre clips"}
W=$(mktemp -d /tmp/onestop-policy-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
[[ -x $G && -x $B ]] || { echo "build policy_gen and onestop in $BUILD first"; exit 1; }
[[ -x /usr/bin/time ]] || apt-get install -y time >/dev/null
if [[ $PEERS == *c* ]]; then gcc -O2 -fopenmp -o "$W/columnar" "$ROOT/bench/policy_peers/columnar.c"; fi
if [[ $PEERS == *jre* ]]; then (cd "$ROOT/bench/policy_peers" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null); fi
if [[ $PEERS == *clips* ]] && ! command -v clips >/dev/null; then apt-get install -y clips >/dev/null; fi

# run NAME OUT -- command…: stdout to OUT, sets WALL (s), RSS (MB), MATCH_MS (from "timing").
run() {
  local name=$1 out=$2
  shift 3
  /usr/bin/time -v "$@" >"$out" 2>"$W/$name.err" || { echo "$name failed:"; tail -5 "$W/$name.err"; exit 1; }
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$W/$name.err")
  RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$W/$name.err")
  MATCH_MS=$(grep -o 'match_ms=[0-9.]*' "$W/$name.err" "$out" 2>/dev/null | head -1 | cut -d= -f2)
}
row() {  # peer, enterprises measured, scale, counts ok
  local peer=$1 measured=$2 n=$3 ok=$4
  local scaled_ms
  scaled_ms=$(awk -v m="$MATCH_MS" -v a="$measured" -v n="$n" 'BEGIN { printf "%.1f", m * n / a }')
  local eps
  eps=$(awk -v ms="$scaled_ms" -v i="$ITEMS" -v n="$n" 'BEGIN { printf "%.3g", i * n / (ms / 1000) }')
  local note=""
  [[ $measured != "$n" ]] && note="（测 $measured 家，按比例折算）"
  printf '%-22s %10s %12s %14s %12s %8s  %s%s\n' "$peer" "$WALL" "$MATCH_MS" "$scaled_ms" "$eps" "$RSS" "$ok" "$note"
}

for N in $SIZES; do
  echo "== $ITEMS 个事项 × $N 家企业（seed $SEED）=="
  "$G" --items "$ITEMS" --enterprises "$N" --seed "$SEED" --out-policies "$W/p.json" --out-enterprises "$W/e.jsonl" 2>&1
  "$G" --reference --policies "$W/p.json" --enterprises "$W/e.jsonl" >"$W/ref.txt"
  printf '%-22s %10s %12s %14s %12s %8s  %s\n' peer wall_s measured_ms full_match_ms evals_per_s rss_mb counts
  run onestop "$W/onestop.txt" -- "$B" match --policies "$W/p.json" --enterprises "$W/e.jsonl" --rematch 200
  ok=$(cmp -s "$W/ref.txt" "$W/onestop.txt" && echo "= reference" || echo "DIFFERENT")
  row "onestop match" "$N" "$N" "$ok"
  grep -E '^(耗时|单家)' "$W/onestop.err" | sed 's/^/    /'
  if [[ $PEERS == *c* ]]; then
    "$G" --flat --policies "$W/p.json" --enterprises "$W/e.jsonl" --out-policies "$W/p.flat" --out-enterprises "$W/e.flat"
    run columnar "$W/columnar.txt" -- "$W/columnar" "$W/p.flat" "$W/e.flat" 2
    ok=$(cmp -s "$W/ref.txt" "$W/columnar.txt" && echo "= reference" || echo "DIFFERENT")
    row "C columnar loop (2T)" "$N" "$N" "$ok"
  fi
  if [[ $PEERS == *jre* ]]; then
    head -n "$JRE_LIMIT" "$W/e.jsonl" >"$W/e-jre.jsonl"
    "$G" --reference --policies "$W/p.json" --enterprises "$W/e-jre.jsonl" >"$W/ref-jre.txt"
    run jre "$W/jre.txt" -- node "$ROOT/bench/policy_peers/jre.js" "$W/p.json" "$W/e-jre.jsonl"
    ok=$(cmp -s "$W/ref-jre.txt" "$W/jre.txt" && echo "= reference" || echo "DIFFERENT")
    row "json-rules-engine" "$JRE_LIMIT" "$N" "$ok"
  fi
  if [[ $PEERS == *clips* ]]; then
    head -n "$CLIPS_LIMIT" "$W/e.jsonl" >"$W/e-clips.jsonl"
    "$G" --reference --policies "$W/p.json" --enterprises "$W/e-clips.jsonl" >"$W/ref-clips.txt"
    node "$ROOT/bench/policy_peers/to_clips.js" "$W/p.json" "$W/e-clips.jsonl" "$CLIPS_LIMIT" "$W/clp"
    run clips "$W/clips.out" -- clips -f2 "$W/clp/run.clp"
    grep -oE 'P[0-9]+ [0-9]+$' "$W/clips.out" >"$W/clips.txt" || true
    MATCH_MS=$(grep -o 'match_ms=[0-9.]*' "$W/clips.out" | cut -d= -f2)
    ok=$(cmp -s "$W/ref-clips.txt" "$W/clips.txt" && echo "= reference" || echo "DIFFERENT")
    row "CLIPS 6.30 (Rete)" "$CLIPS_LIMIT" "$N" "$ok"
  fi
done
