#!/usr/bin/env bash
# Starts onestop on a fresh SQLite database with the demo data on a free port, runs the
# browser tests (web/tests, playwright-core + Debian chromium) against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
WORK=$(mktemp -d /tmp/onestop-e2e.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
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

"./$BUILD/src/app/onestop" serve --db "sqlite:$WORK/e2e.db" --listen "127.0.0.1:$PORT" \
  --demo --web-root web/dist >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/api/v1/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "onestop 启动失败：" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.2
done
echo "onestop 运行于 http://127.0.0.1:$PORT（日志 $LOG）"
if ! (cd web && ONESTOP_URL="http://127.0.0.1:$PORT" npm test); then
  echo "浏览器测试失败；服务器日志末尾：" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
