#!/usr/bin/env bash
# HTTP throughput of OneStop against a bare Beast server (bench/minimal_beast_server.cc).
# Builds nothing: pass the binaries (defaults are the usual build tree).
#
#   bench/http.sh [ONESTOP_BIN] [MINIMAL_BIN]
#   DURATION=30s CONNECTIONS=64 bench/http.sh build/src/app/onestop build/bench/minimal_beast_server
#
# Runs wrk against (1) the minimal server, (2) GET /api/v1/healthz and (3) GET /api/v1/auth/me
# with the demo admin's session cookie, prints req/s and server CPU time per request, each with
# its ratio to the minimal server, and writes the same to bench/results/http-<date>.txt. Absolute numbers on a shared machine are
# noisy (stack-notes gotcha 17); the ratios from one run are the stable result.
#
# Environment: WRK_THREADS (2), CONNECTIONS (32), DURATION (10s), WARMUP (2s),
#              SERVER_THREADS (2, for both servers), RESULTS_DIR (bench/results).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
onestop_bin=${1:-$repo_root/build/src/app/onestop}
minimal_bin=${2:-$repo_root/build/bench/minimal_beast_server}
wrk_threads=${WRK_THREADS:-2}
connections=${CONNECTIONS:-32}
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
server_threads=${SERVER_THREADS:-2}
results_dir=${RESULTS_DIR:-$repo_root/bench/results}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
for bin in "$onestop_bin" "$minimal_bin"; do
  [[ -x $bin ]] || { echo "error: $bin is not an executable (build it first)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/onestop-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# A free loopback port: bind port 0 and read back what the kernel chose.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL: polls until the URL answers (any status) or 30 s pass.
wait_http() {
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "error: $1 did not come up" >&2
  return 1
}

# cpu_ticks PID: user+system CPU time of a process, in clock ticks (/proc/PID/stat fields 14-15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run_wrk NAME PID URL [wrk args...]: prints "req/s cpu_us_per_request" for server PID. CPU time
# per request is much steadier than req/s on a shared machine. Warns when wrk saw non-2xx/3xx
# answers or socket errors, since a benchmark of 401s measures the wrong thing.
run_wrk() {
  local name=$1 pid=$2 url=$3
  shift 3
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "$@" "$url" >/dev/null
  local before after
  before=$(cpu_ticks "$pid")
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$tmp/$name.wrk"
  after=$(cpu_ticks "$pid")
  if grep -qE 'Non-2xx|Socket errors' "$tmp/$name.wrk"; then
    echo "warning: $name: $(grep -E 'Non-2xx|Socket errors' "$tmp/$name.wrk" | tr -s ' ')" >&2
  fi
  awk -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" '
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%s %.1f\n", rps, (n > 0 ? (after - before) / hz * 1e6 / n : 0) }' "$tmp/$name.wrk"
}

# 1. The baseline.
minimal_port=$(free_port)
"$minimal_bin" --listen "127.0.0.1:$minimal_port" --threads "$server_threads" \
  >"$tmp/minimal.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$minimal_port/"
read -r minimal_rps minimal_cpu < <(run_wrk minimal "${pids[0]}" "http://127.0.0.1:$minimal_port/")
kill "${pids[0]}"

# 2. OneStop on a throwaway SQLite database with the demo data.
onestop_port=$(free_port)
base="http://127.0.0.1:$onestop_port"
mkdir -p "$tmp/web"
"$onestop_bin" serve --db "sqlite:$tmp/bench.db" --demo --listen "127.0.0.1:$onestop_port" \
  --web-root "$tmp/web" --threads "$server_threads" >"$tmp/onestop.log" 2>&1 &
pids+=($!)
wait_http "$base/api/v1/healthz" || { tail -20 "$tmp/onestop.log" >&2; exit 1; }
read -r healthz_rps healthz_cpu < <(run_wrk healthz "${pids[1]}" "$base/api/v1/healthz")

# 3. An authenticated endpoint: session lookup + principal on every request.
curl -sf -c "$tmp/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"Admin@2026"}' "$base/api/v1/auth/login" >/dev/null ||
  { echo "error: demo login failed" >&2; exit 1; }
session=$(awk '$6 == "onestop_session" {print $7}' "$tmp/cookies")
[[ -n $session ]] || { echo "error: no onestop_session cookie after login" >&2; exit 1; }
read -r me_rps me_cpu < <(run_wrk me "${pids[1]}" "$base/api/v1/auth/me" \
  -H "Cookie: onestop_session=$session")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

mkdir -p "$results_dir"
out="$results_dir/http-$(date +%Y-%m-%d).txt"
{
  echo "# OneStop HTTP benchmark $(date -Iseconds)"
  echo "# commit $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
    "$(nproc) cores, wrk -t$wrk_threads -c$connections -d$duration, server threads $server_threads"
  printf '%-22s %10s %10s %12s %10s\n' endpoint req/s vs_minimal cpu_us/req vs_minimal
  printf '%-22s %10s %10s %12s %10s\n' minimal_beast_server "$minimal_rps" 1.00 "$minimal_cpu" 1.00
  printf '%-22s %10s %10s %12s %10s\n' "GET /api/v1/healthz" "$healthz_rps" \
    "$(ratio "$healthz_rps" "$minimal_rps")" "$healthz_cpu" "$(ratio "$healthz_cpu" "$minimal_cpu")"
  printf '%-22s %10s %10s %12s %10s\n' "GET /api/v1/auth/me" "$me_rps" \
    "$(ratio "$me_rps" "$minimal_rps")" "$me_cpu" "$(ratio "$me_cpu" "$minimal_cpu")"
  echo
  for name in minimal healthz me; do
    echo "## $name"
    grep -E 'Latency|50%|99%|Requests/sec' "$tmp/$name.wrk" || true
  done
} | tee "$out"
echo "written to $out"
