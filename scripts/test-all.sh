#!/usr/bin/env bash
# Runs every test: ctest (unit, store suites on SQLite and on a throwaway PostgreSQL, HTTP
# routes, layering) and then the browser tests against a real server. Exits non-zero on any
# failure. Called by `make test` (after deps, build and web).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JOBS=$(nproc)

echo "==> 单元、存储（SQLite + PostgreSQL）、HTTP 测试"
./scripts/with-throwaway-pg.sh ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS"

echo "==> 浏览器测试（Chromium）"
./scripts/browser-tests.sh "$BUILD"

echo "==> 全部测试通过"
