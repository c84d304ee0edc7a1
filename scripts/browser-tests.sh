#!/usr/bin/env bash
# Starts onestop on a fresh SQLite database with the demo data on a free port, runs the
# browser tests (web/tests, playwright-core + Debian chromium) against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
WORK=$(mktemp -d /tmp/onestop-e2e.XXXXXX)
LOG="$WORK/server.log"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Port 0: the kernel picks a free port; the server logs the address it got.
# --now: the clock starts on Saturday 2026-02-14, a worked day (调休) just before the Spring
# Festival holidays (02-15 … 02-23), so the 出生一件事 deadline must jump over them.
"./$BUILD/src/app/onestop" serve --db "sqlite:$WORK/e2e.db" --listen "127.0.0.1:0" \
  --demo --web-root web/dist --now 2026-02-14T09:00:00+08:00 >"$LOG" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 1 150); do
  URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$LOG" | head -n 1 || true)
  if [[ -n "$URL" ]] && curl -fsS "$URL/api/v1/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "onestop 启动失败：" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.2
done
if [[ -z "$URL" ]]; then
  echo "onestop 未能在 30 秒内就绪：" >&2
  cat "$LOG" >&2
  exit 1
fi
echo "onestop 运行于 $URL（日志 $LOG）"
if ! (cd web && ONESTOP_URL="$URL" npm test); then
  echo "浏览器测试失败；服务器日志末尾：" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
