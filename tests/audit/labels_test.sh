#!/usr/bin/env bash
# Every audit action written in src/ (the string after an Append( call) has a Chinese label in
# audit::ActionLabel (src/audit/audit_log.cc), so the audit pages never show a bare code.
set -euo pipefail
src="$1/src"
actions=$(grep -rh -A4 --include='*.cc' 'Append(' "$src" |
  grep -oE '"(identity|calendar|catalog|appointments|audit|notify|licences|seal|proofs|cases|policy)(\.[a-z_]+){1,2}"' | sort -u)
missing=0
for a in $actions; do
  if ! grep -qF "{$a, \"" "$src/audit/audit_log.cc"; then
    echo "审计动作缺少中文名称：$a"
    missing=1
  fi
done
[ -n "$actions" ] || { echo "未找到任何审计动作（脚本失效）"; exit 1; }
exit $missing
