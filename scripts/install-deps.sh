#!/usr/bin/env bash
# Installs what OneStop needs on Debian 12 (as root), only when something is missing.
# Packages come only from Debian's archive and the npm registry (web/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build pkgconf g++ make git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 postgresql libpq-dev
  libssl-dev libsodium-dev libqrencode-dev libcairo2-dev libpango1.0-dev
  fonts-noto-cjk poppler-utils
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk chromium nodejs npm curl ca-certificates
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from elsewhere on the image; only ask apt when the command is absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if ((${#missing[@]})); then
  echo "==> 安装缺少的系统软件包 (apt): ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "错误：需要以 root 身份运行以安装软件包：${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages exactly as the lock files say: the web UI, and the reference data the C++ build
# embeds (datasrc: region codes, holiday calendar).
for dir in datasrc web; do
  if [[ -f $dir/package-lock.json ]]; then
    if [[ ! -d $dir/node_modules ]] || [[ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
      echo "==> 安装 npm 依赖 ($dir: npm ci)"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done
