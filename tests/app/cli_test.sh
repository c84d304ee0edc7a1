#!/usr/bin/env bash
# The onestop command line end to end: each command's success output and exit code, and that
# every failure exits non-zero with a Chinese message and changes nothing.
# Usage: cli_test.sh <path to onestop>
set -u
B=$(realpath "${1:?path to onestop}")
W=$(mktemp -d /tmp/onestop-cli.XXXXXX)
trap 'rm -rf "$W"' EXIT
D="sqlite:$W/cli.db"
# The newest schema version: the highest NNNN of src/store/migrations (each module adds its own).
LATEST=$(ls "$(dirname "$(realpath "$0")")/../../src/store/migrations" |
  sed -n 's/^0*\([0-9][0-9]*\)_.*/\1/p' | sort -n | tail -1)
fails=0
# expect <exit code> <text that must appear in stdout+stderr> -- command...
expect() {
  local want=$1 text=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $want == nonzero && $rc -eq 0 ]] || [[ $want != nonzero && $rc -ne $want ]]; then
    echo "FAIL (exit $rc, wanted $want): $*"; echo "$out" | sed 's/^/    /'; fails=$((fails + 1)); return
  fi
  if [[ -n $text ]] && ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL (no \"$text\"): $*"; echo "$out" | sed 's/^/    /'; fails=$((fails + 1)); return
  fi
  echo "ok: $*"
}

# Calendar (no database needed; the default database file is not created).
cd "$W"
expect 0 "2026-10-08" -- "$B" calendar add 2026-09-30 1
expect 0 "2026-10-10" -- "$B" calendar add 2026-10-09 1
expect 0 "临时结果" -- "$B" calendar add 2026-12-31 1
expect 0 "yes" -- "$B" calendar is-workday 2026-10-10
expect 0 "国庆节" -- "$B" calendar is-workday 2026-10-01
expect nonzero "日期2026-13-01不存在" -- "$B" calendar add 2026-13-01 1
expect nonzero "应在 1–3650 之间" -- "$B" calendar add 2026-10-01 0
expect nonzero "参数错误" -- "$B" calendar add 2026-10-01 abc
[[ ! -e "$W/data/onestop.db" ]] && echo "ok: calendar commands created no database" ||
  { echo "FAIL: calendar created a database"; fails=$((fails + 1)); }

# Bootstrapping a deployment.
expect 0 "结构版本 0 → $LATEST" -- "$B" migrate --db "$D"
expect 0 "已是最新" -- "$B" migrate --db "$D"
expect 0 "已创建部门 HN-HR" -- "$B" department add --db "$D" --code HN-HR --name 华容县政务服务中心 --region 430623 --level county
expect nonzero "已被" -- "$B" department add --db "$D" --code HN-HR --name 华容县政务服务中心 --region 430623 --level county
expect nonzero "430699" -- "$B" department add --db "$D" --code HN-X --name 某县中心 --region 430699 --level county
expect 0 "已创建用户 admin" -- "$B" user add --db "$D" --username admin --password 'Change@2026' --role platform_admin --department HN-HR
expect nonzero "已被使用" -- "$B" user add --db "$D" --username admin --password 'Change@2026' --role platform_admin --department HN-HR
expect nonzero "密码至少 8 位" -- "$B" user add --db "$D" --username bob --password weak --role counter_clerk --department HN-HR
expect nonzero "未知角色" -- "$B" user add --db "$D" --username bob --password 'Change@2026' --role nope --department HN-HR
expect nonzero "工作人员必须属于一个部门" -- "$B" user add --db "$D" --username bob --password 'Change@2026' --role counter_clerk
expect nonzero "部门编码“NOPE”不存在" -- "$B" user add --db "$D" --username bob --password 'Change@2026' --role counter_clerk --department NOPE
expect 0 "共 2 条记录" -- "$B" verify-audit --db "$D"

# Catalogue import / export (docs/catalog-format.md), on the deployment above (department HN-HR).
cat >"$W/item.json" <<'JSON'
{
  "items": [
    {
      "code": "11450721MB155808114000104002000",
      "basicCode": "000104002000",
      "name": "CLI 测试事项",
      "departmentCode": "HN-HR",
      "level": 4,
      "statutoryLimit": {"value": 20, "unit": "working_days", "note": ""},
      "promisedLimit": {"value": 5, "unit": "working_days", "note": ""},
      "onsiteReason": "须现场核验身份",
      "steps": [{"name": "受理", "role": "counter_clerk"}]
    }
  ]
}
JSON
sed 's/"value": 5,/"value": 30,/' "$W/item.json" >"$W/late.json"
printf '{\n  "items": [\n    {"code": 1,}\n  ]\n}\n' >"$W/syntax.json"
expect 0 '"items": []' -- "$B" catalog export --db "$D"
expect nonzero "第 10 行 items[0].promisedLimit.value：承诺办结时限（30 个工作日）不能超过法定办结时限" -- "$B" catalog import --db "$D" "$W/late.json"
expect nonzero "第 3 行第 16 列" -- "$B" catalog import --db "$D" "$W/syntax.json"
expect nonzero "无法读取文件" -- "$B" catalog import --db "$D" "$W/no-such.json"
[[ $(sqlite3 "$W/cli.db" "SELECT COUNT(*) FROM catalog_item") == 0 ]] &&
  echo "ok: refused imports changed nothing" || { echo "FAIL: a refused import wrote items"; fails=$((fails + 1)); }
expect 0 "事项 新增 1、新版本 0、未变 0" -- "$B" catalog import --db "$D" "$W/item.json"
expect 0 "事项 新增 0、新版本 0、未变 1" -- "$B" catalog import --db "$D" "$W/item.json"
expect 0 "已导出到" -- "$B" catalog export --db "$D" "$W/exported.json"
expect 0 "未变 1" -- "$B" catalog import --db "$D" "$W/exported.json"
expect 0 '"version": 1' -- cat "$W/exported.json"

# Demo data loads once, on its own database; on a deployment that has its own "admin" it refuses.
DD="sqlite:$W/demo.db"
expect 0 "演示数据已加载" -- "$B" demo load --db "$DD"
expect 0 "演示数据已存在" -- "$B" demo load --db "$DD"
expect 0 "审计链完整" -- "$B" verify-audit --db "$DD"
expect nonzero "演示数据只能加载到新的数据库" -- "$B" demo load --db "$D"
[[ $(sqlite3 "$W/cli.db" "SELECT COUNT(*) FROM identity_department") == 1 ]] &&
  echo "ok: refused demo load changed nothing" || { echo "FAIL: demo load left data"; fails=$((fails + 1)); }

# Tampering is found and named (the append-only trigger is dropped first, as an attacker with
# database access could).
if command -v sqlite3 >/dev/null; then
  sqlite3 "$W/demo.db" "DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET purpose = 'x' WHERE seq = 5;"
  expect nonzero "第 5 条" -- "$B" verify-audit --db "$DD"
else
  echo "note: sqlite3 CLI not installed; tamper check covered by audit_tests"
fi

# Bad configuration and unreachable databases.
expect nonzero "应为 sqlite:路径" -- "$B" migrate --db mysql://x
expect nonzero "无法连接 PostgreSQL" -- "$B" migrate --db "postgresql://x:y@127.0.0.1:1/z?connect_timeout=2"
expect nonzero "尚未初始化" -- "$B" verify-audit --db "sqlite:$W/empty.db"
echo '{"listen": 5, "nope": 1}' >"$W/bad.json"
expect nonzero "配置" -- "$B" --config "$W/bad.json" migrate --db "$D"
expect nonzero "端口" -- env ONESTOP_LISTEN=nonsense "$B" serve --db "$D"
expect nonzero "TLS 中继" -- "$B" serve --db "$D" --sms-gateway https://sms.example.com/send
expect nonzero "缺少主机名" -- "$B" serve --db "$D" --sms-gateway http:///send
expect nonzero "端口应在 1–65535" -- env ONESTOP_SMS_GATEWAY=http://127.0.0.1:70000/ "$B" serve --db "$D"
expect nonzero "无法读取短信网关令牌文件" -- "$B" serve --db "$D" --sms-gateway http://127.0.0.1:9/sms \
  --sms-token-file "$W/no-such-token"
expect nonzero "只有配置了 sms_gateway" -- "$B" serve --db "$D" --sms-token-file "$W/no-such-token"
expect nonzero "配置项 now" -- "$B" serve --db "$D" --now 2026-02-30
expect nonzero "配置项 now" -- "$B" serve --db "$D" --now "2026-02-09 09:00"
expect nonzero "配置项 now" -- env ONESTOP_NOW=2026-02-09T25:00Z "$B" serve --db "$D"
expect nonzero "配置项 public_url" -- "$B" serve --db "$D" --public-url ftp://zwfw.example.gov.cn
expect nonzero "配置项 public_url" -- env ONESTOP_PUBLIC_URL=zwfw.example.gov.cn "$B" serve --db "$D"

# Policy matching on files (no database: none is opened or created).
mkdir -p "$W/match" && cd "$W/match"
cat >policies.json <<'JSON'
[{"id": "P1", "title": "制造业稳岗", "cond": {"all": [{"fact": "industry", "op": "prefix", "value": "C39"},
                                                     {"fact": "employees", "op": ">=", "value": 50}]}},
 {"id": "P0", "title": "非失信", "cond": {"not": {"fact": "bad_credit", "op": "==", "value": true}}}]
JSON
printf '%s\n' '{"id":"A","industry":"C3911","employees":80}' '{"id":"B","industry":"C3912","employees":60,"bad_credit":true}' \
  '' '{"id":"C","industry":"F5211","employees":500}' >ent.jsonl
printf '%s\n' '{"id":"A","industry":"C3911"}' '{"id":"B","employees":}' >bad.jsonl
printf '[{"id": "P1", "title": "x", "cond": {"fact": "employees", "op": "~", "value": 1}}]\n' >badpol.json
expect 0 "P1 2" -- "$B" match --policies policies.json --enterprises ent.jsonl
expect 0 "P0 2" -- "$B" match --policies policies.json --enterprises ent.jsonl
expect 0 "线程" -- "$B" match --policies policies.json --enterprises ent.jsonl --threads 1
expect 0 "单家企业重新匹配（2 次）" -- "$B" match --policies policies.json --enterprises ent.jsonl --rematch 2
[[ $("$B" match --policies policies.json --enterprises ent.jsonl 2>/dev/null) == $'P1 2\nP0 2' ]] &&
  echo "ok: match prints one line per policy in file order" ||
  { echo "FAIL: match output"; fails=$((fails + 1)); }
expect nonzero "第2行" -- "$B" match --policies policies.json --enterprises bad.jsonl
expect nonzero "无法读取企业数据文件" -- "$B" match --policies policies.json --enterprises no-such.jsonl
expect nonzero "无法读取政策文件" -- "$B" match --policies no-such.json --enterprises ent.jsonl
expect nonzero "政策文件“badpol.json”" -- "$B" match --policies badpol.json --enterprises ent.jsonl
[[ ! -e data/onestop.db ]] && echo "ok: match created no database" ||
  { echo "FAIL: match created a database"; fails=$((fails + 1)); }

# Enterprise data (企业数据) import: JSON lines and CSV, a report with row errors (exit 1), an
# unknown CSV column refused before anything is written, re-import unchanged.
mkdir -p "$W/ent" && cd "$W/ent"
ED="sqlite:$W/ent/ent.db"
printf '%s\n' '{"id":"91431300MA4L000019","name":"涟源甲公司","employees":60,"high_tech":true}' \
  '{"id":"91431300MA4L00002C","industry":"C3911"}' >ent.jsonl
printf '%s\n' '{"id":"91431300MA4L00003F","employees":3}' '{"id":"91431300MA4L000010"}' \
  '{"id":"91431300MA4L00002C","staff":1}' >bad.jsonl
printf '%s\n' 'id,员工数,职工人数' '91431300MA4L00003F,3,4' >badhead.csv
printf '%s\n' '统一社会信用代码,员工数,行业代码' '91431300MA4L00003F,12,C1311' >ent.csv
expect 0 "新增 2 家" -- "$B" enterprises import ent.jsonl --db "$ED" --as-of 2026-10-31
expect 0 "未变 2 家" -- "$B" enterprises import ent.jsonl --db "$ED"
expect 0 "行/秒" -- "$B" enterprises import ent.csv --db "$ED" --source 人社
expect nonzero "第3行：未声明的数据项“staff”" -- "$B" enterprises import bad.jsonl --db "$ED"
expect nonzero "第2行：统一社会信用代码" -- "$B" enterprises import bad.jsonl --db "$ED"
expect nonzero "表头“职工人数”不是已声明的数据项" -- "$B" enterprises import badhead.csv --db "$ED"
expect nonzero "数据日期" -- "$B" enterprises import ent.jsonl --db "$ED" --as-of 2026-02-30
expect nonzero "无法打开文件" -- "$B" enterprises import no-such.jsonl --db "$ED"
if command -v sqlite3 >/dev/null; then
  [[ $(sqlite3 "$W/ent/ent.db" "SELECT COUNT(*) FROM policy_enterprise") == 3 ]] &&
    echo "ok: enterprises import wrote 3 enterprises (bad rows and the bad header wrote nothing)" ||
    { echo "FAIL: enterprise count"; fails=$((fails + 1)); }
  [[ $(sqlite3 "$W/ent/ent.db" "SELECT as_of FROM policy_enterprise_fact WHERE fact = 'employees' AND enterprise_id = '91431300MA4L000019'") == 2026-10-31 ]] &&
    echo "ok: an unchanged re-import keeps the as-of date" ||
    { echo "FAIL: as_of after re-import"; fails=$((fails + 1)); }
fi
cd "$W"

if ((fails)); then echo "$fails CLI check(s) failed"; exit 1; fi
echo "cli: all checks passed"
