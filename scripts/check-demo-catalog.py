#!/usr/bin/env python3
"""Checks the demo service catalogue (src/app/demo_catalog.json) and prints each bundle's
before / after figures.

    scripts/check-demo-catalog.py [catalog.json] [--all]

Checks every rule the catalogue validator enforces (standards.md §4 and §8.1): the 实施编码
structure with the GB 32100 check character of the implementing body's 统一社会信用代码, code
sets, 承诺 ≤ 法定, 即办件 limits, fees, online depth and visits, 超时默认, unique material and
field keys, steps, bundle situations, conditions, edges and mappings, cycles. It also checks
what only the demo needs: departments exist in src/app/demo.cc kDepartments with the region
and level the code claims, one USCC per department, the same semantic key means the same
document or field in every item, and a material that an item of a bundle produces is only
asked for by items after it.

Figures are computed the way catalog::PlanBundle does (src/catalog/bundle.h), with the
default answers (the first option of every situation); --all also prints every combination
of answers. Exit status 1 when anything is wrong. Python 3 standard library only.
"""
import itertools
import json
import math
import os
import re
import sys
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# --- identifiers -----------------------------------------------------------------------------
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_problem(code):
    """None when `code` is a valid 统一社会信用代码 (GB 32100-2015), else the reason."""
    if len(code) != 18:
        return "应为 18 位"
    bad = [c for c in code if c not in USCC_CHARS]
    if bad:
        return "含非法字符 %r（不用 I、O、Z、S、V 和小写字母）" % bad[0]
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS))
    value = 31 - total % 31
    expected = USCC_CHARS[0 if value == 31 else value]
    if code[17] != expected:
        return "校验码应为 %s，现为 %s" % (expected, code[17])
    return None


# --- code sets (GB/T 39046-2020 附录A) ---------------------------------------------------------
ITEM_TYPES = {"%02d" % i for i in range(0, 30)}  # 00–10, 11– extensible, 20 公共服务, 21– extensible
LEVELS = set(range(1, 8))
SERVICE_OBJECTS = set(range(1, 7))
HANDLING_FORMS = {1, 2, 3, 4, 9}
CASE_TYPES = {1, 2, 9}
DEPTHS = {1, 2, 3, 4}
UNITS = {"working_days", "natural_days"}
NEEDS = {"required", "optional", "deferable"}
SOURCES = {10, 20, 99}
FIELD_TYPES = {"text", "number", "date", "idNumber", "uscc", "phone", "region", "select", "boolean"}
CATEGORIES = {"person", "enterprise", "project"}
DEPT_LEVEL_TO_ITEM_LEVEL = {"province": 2, "city": 3, "county": 4, "township": 5}

# --- the exchange format's keys ----------------------------------------------------------------
ITEM_KEYS = {"code", "basicCode", "name", "departmentCode", "itemType", "level", "serviceObjects",
             "handlingForms", "caseType", "statutoryLimit", "promisedLimit", "charged", "feeFen",
             "feeBasis", "onlinePayment", "onlineDepth", "visits", "onsiteReason",
             "mailApplication", "conditions", "legalBasis", "explanation", "result", "appointment",
             "expressDelivery", "commitmentAllowed", "deemedApprovalAllowed",
             "deemedApprovalDays", "materials", "fields", "steps"}
LIMIT_KEYS = {"value", "unit", "note"}
RESULT_KEYS = {"name", "materialKey", "licenceType", "fields"}
MATERIAL_KEYS = {"key", "name", "need", "originals", "copies", "paperSize", "source", "issuer",
                 "licenceType", "blankFormUrl", "sampleUrl", "note"}
FIELD_KEYS = {"key", "label", "type", "required", "options", "maxLength", "min", "max", "hint"}
STEP_KEYS = {"name", "role", "departmentCode", "limitWorkingDays"}
BUNDLE_KEYS = {"code", "name", "category", "description", "departmentCode", "situations", "items",
               "edges"}
SITUATION_KEYS = {"code", "question", "options"}
OPTION_KEYS = {"code", "label", "skipMaterials"}
BUNDLE_ITEM_KEYS = {"itemCode", "when", "blocking"}
EDGE_KEYS = {"from", "to", "mappings"}
MAPPING_KEYS = {"fromField", "toField"}


class Checker:
    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append("%s: %s" % (path, message))

    def keys(self, obj, allowed, path, required=()):
        if not isinstance(obj, dict):
            self.error(path, "应为对象")
            return False
        for k in obj:
            if k not in allowed:
                self.error(path, "未知字段 %s" % k)
        for k in required:
            if k not in obj:
                self.error(path, "缺少字段 %s" % k)
        return True

    def text(self, path, value, label, max_chars, required=True):
        if not isinstance(value, str):
            self.error(path, "%s应为字符串" % label)
        elif required and not value.strip():
            self.error(path, "%s必填" % label)
        elif len(value) > max_chars:
            self.error(path, "%s不能超过 %d 个字（现为 %d）" % (label, max_chars, len(value)))

    def key(self, path, value, label):
        if not isinstance(value, str) or not value.strip():
            self.error(path, "%s必填" % label)
            return False
        if re.search(r"\s", value) or len(value) > 64:
            self.error(path, "%s不能含空白字符且不超过 64 个字符" % label)
            return False
        return True

    def integer(self, path, value, lo, hi, label):
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            self.error(path, "%s应为 %d–%d 的整数，现为 %r" % (label, lo, hi, value))
            return False
        return True

    def boolean(self, path, value, label):
        if not isinstance(value, bool):
            self.error(path, "%s应为 true 或 false" % label)


def working_days(limit):
    """LimitInWorkingDays: natural days count as ⌈N × 5 / 7⌉ working days."""
    if limit["unit"] == "working_days":
        return limit["value"]
    return math.ceil(limit["value"] * 5 / 7)


# --- reference data from the repository ------------------------------------------------------
def load_departments():
    """code → (name, region, level) from the kDepartments array of src/app/demo.cc."""
    text = open(os.path.join(ROOT, "src/app/demo.cc"), encoding="utf-8").read()
    body = text[text.index("kDepartments[]"):]
    body = body[:body.index("};")]
    out = {}
    for m in re.finditer(r'\{"([^"]+)",\s*"([^"]+)",\s*"([^"]*)",\s*"(\d{6})",\s*"(\w+)"\}', body):
        out[m.group(1)] = (m.group(2), m.group(4), m.group(5))
    return out


def load_roles():
    text = open(os.path.join(ROOT, "src/identity/principal.cc"), encoding="utf-8").read()
    return set(re.findall(r'\{Role::k\w+,\s*"([a-z_]+)"', text))


def load_regions():
    """The shipped region table if some build directory generated it, else None."""
    for name in sorted(os.listdir(ROOT)):
        path = os.path.join(ROOT, name, "generated", "regions.tsv")
        if name.startswith("build") and os.path.isfile(path):
            regions = {}
            for line in open(path, encoding="utf-8"):
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    regions[parts[0]] = parts[1]
            return regions
    return None


# --- items -----------------------------------------------------------------------------------
def check_limit(c, limit, path, label):
    if not c.keys(limit, LIMIT_KEYS, path, ("value", "unit")):
        return False
    ok = c.integer(path + ".value", limit.get("value"), 0, 3650, label)
    if limit.get("unit") not in UNITS:
        c.error(path + ".unit", "单位应为 working_days 或 natural_days")
        ok = False
    c.text(path + ".note", limit.get("note", ""), label + "说明", 200, required=False)
    return ok


def check_item(c, it, p, departments, roles):
    c.keys(it, ITEM_KEYS, p, ("code", "basicCode", "name", "departmentCode", "steps"))
    name = it.get("name", "")
    c.text(p + ".name", name, "事项名称", 100)
    dept = it.get("departmentCode", "")
    if dept not in departments:
        c.error(p + ".departmentCode", "部门 %s 不在 src/app/demo.cc kDepartments 中" % dept)

    item_type = it.get("itemType", "01")
    if item_type not in ITEM_TYPES:
        c.error(p + ".itemType", "事项类型 %s 不在 GB/T 39046 表A.1 中" % item_type)
    level = it.get("level", 4)
    c.integer(p + ".level", level, 1, 7, "行使层级")

    # 基本编码 (12) = prefix (00 national / 43 湖南) + 事项类型 (2) + 主项 (5) + 子项 (3).
    basic = it.get("basicCode", "")
    if not re.fullmatch(r"\d{12}", basic):
        c.error(p + ".basicCode", "基本编码应为 12 位数字")
    else:
        if basic[:2] not in ("00", "43"):
            c.error(p + ".basicCode", "目录前缀应为 00（国家）或 43（湖南），现为 %s" % basic[:2])
        if basic[2:4] != item_type:
            c.error(p + ".basicCode", "第 3–4 位 %s 与事项类型 %s 不一致" % (basic[2:4], item_type))
    # 实施编码 (31) = USCC (18) + 行使层级 (1) + 基本编码 (12).
    code = it.get("code", "")
    if len(code) != 31:
        c.error(p + ".code", "实施编码应为 31 位，现为 %d 位" % len(code))
    else:
        problem = uscc_problem(code[:18])
        if problem:
            c.error(p + ".code", "前 18 位统一社会信用代码 %s %s" % (code[:18], problem))
        if code[18] != str(level):
            c.error(p + ".code", "第 19 位 %s 与行使层级 %s 不一致" % (code[18], level))
        if code[19:] != basic:
            c.error(p + ".code", "后 12 位 %s 与基本编码 %s 不一致" % (code[19:], basic))
        if dept in departments:
            _, region, dept_level = departments[dept]
            if code[2:8] != region:
                c.error(p + ".code", "统一社会信用代码的登记管理机关行政区划 %s 与部门 %s 的行政区划 %s 不一致"
                        % (code[2:8], dept, region))
            if DEPT_LEVEL_TO_ITEM_LEVEL.get(dept_level) != level:
                c.error(p + ".level", "部门 %s 为 %s 级，行使层级应为 %s" %
                        (dept, dept_level, DEPT_LEVEL_TO_ITEM_LEVEL.get(dept_level)))

    for key, allowed, label in (("serviceObjects", SERVICE_OBJECTS, "服务对象"),
                                ("handlingForms", HANDLING_FORMS, "办理形式")):
        values = it.get(key, [1])
        if not values:
            c.error(p + "." + key, label + "至少选一项")
        if len(set(values)) != len(values):
            c.error(p + "." + key, label + "重复")
        for v in values:
            if v not in allowed:
                c.error(p + "." + key, "%s代码 %r 不在 %s 中" % (label, v, sorted(allowed)))
    case_type = it.get("caseType", 2)
    if case_type not in CASE_TYPES:
        c.error(p + ".caseType", "办件类型应为 1、2 或 9")

    stat = it.get("statutoryLimit", {"value": 0, "unit": "working_days"})
    prom = it.get("promisedLimit", {"value": 0, "unit": "working_days"})
    if check_limit(c, stat, p + ".statutoryLimit", "法定办结时限") and \
            check_limit(c, prom, p + ".promisedLimit", "承诺办结时限"):
        over = prom["value"] > stat["value"] if prom["unit"] == stat["unit"] else \
            working_days(prom) > working_days(stat)
        if over:
            c.error(p + ".promisedLimit", "承诺办结时限超过法定办结时限")
        if case_type == 1 and prom["value"] > 1:
            c.error(p + ".promisedLimit", "即办件的承诺办结时限应为 0 或 1")

    charged = it.get("charged", False)
    fee = it.get("feeFen", 0)
    if charged:
        if not it.get("feeBasis", "").strip():
            c.error(p + ".feeBasis", "收费事项须填写收费依据")
        if not isinstance(fee, int) or fee <= 0:
            c.error(p + ".feeFen", "收费事项的收费标准应大于 0")
    else:
        if fee != 0:
            c.error(p + ".feeFen", "不收费事项的收费标准应为 0")
        if it.get("onlinePayment", False):
            c.error(p + ".onlinePayment", "不收费事项不能设置网上支付")

    depth = it.get("onlineDepth", 1)
    visits = it.get("visits", 1)
    if depth not in DEPTHS:
        c.error(p + ".onlineDepth", "网上办理深度应为 1–4")
    c.integer(p + ".visits", visits, 0, 99, "到办事现场次数")
    forms = it.get("handlingForms", [1])
    online = 2 in forms or 3 in forms
    if depth == 4 and visits != 0:
        c.error(p + ".visits", "全程网办（Ⅳ级）事项的到办事现场次数应为 0")
    if depth >= 3 and not online:
        c.error(p + ".handlingForms", "网上办理深度 Ⅲ 级及以上的事项应含网上办理形式（2 或 3）")
    if visits == 0 and not online and not it.get("mailApplication", False):
        c.error(p + ".mailApplication", "零跑动且不能网上办理的事项须支持邮寄申请")
    if it.get("mailApplication", False) and 4 not in forms:
        c.error(p + ".handlingForms", "支持邮寄申请的事项办理形式应含 4（快递申请）")
    reason = it.get("onsiteReason", "")
    if visits == 0 and reason.strip():
        c.error(p + ".onsiteReason", "零跑动事项不应填写必须现场办理原因")
    if isinstance(visits, int) and visits > 0 and not reason.strip():
        c.error(p + ".onsiteReason", "需要到现场办理的事项须说明必须现场办理的原因")

    allowed = it.get("deemedApprovalAllowed", False)
    days = it.get("deemedApprovalDays")
    if allowed and days is None:
        c.error(p + ".deemedApprovalDays", "允许超时默认的事项须设置超时默认时限")
    elif not allowed and days is not None:
        c.error(p + ".deemedApprovalDays", "不允许超时默认的事项不应设置超时默认时限")
    elif days is not None:
        c.integer(p + ".deemedApprovalDays", days, 1, 60, "超时默认时限")

    for key, label in (("conditions", "受理条件"), ("legalBasis", "设定依据"), ("explanation", "说明")):
        c.text(p + "." + key, it.get(key, ""), label, 2000)
    for key in ("charged", "onlinePayment", "mailApplication", "appointment", "expressDelivery",
                "commitmentAllowed", "deemedApprovalAllowed"):
        if key in it:
            c.boolean(p + "." + key, it[key], key)

    result = it.get("result", {})
    c.keys(result, RESULT_KEYS, p + ".result")
    if result.get("materialKey"):
        c.key(p + ".result.materialKey", result["materialKey"], "结果材料键")
    if result.get("licenceType"):
        c.error(p + ".result.licenceType", "演示数据不编造电子证照类型代码")
    rf = result.get("fields", [])
    if len(set(rf)) != len(rf):
        c.error(p + ".result.fields", "结果字段重复")
    for i, f in enumerate(rf):
        c.key("%s.result.fields[%d]" % (p, i), f, "结果字段名")

    seen = {}
    for i, m in enumerate(it.get("materials", [])):
        mp = "%s.materials[%d]" % (p, i)
        c.keys(m, MATERIAL_KEYS, mp, ("key", "name"))
        if c.key(mp + ".key", m.get("key"), "材料键"):
            if m["key"] in seen:
                c.error(mp + ".key", "材料键 %s 与 materials[%d] 重复" % (m["key"], seen[m["key"]]))
            seen[m["key"]] = i
        c.text(mp + ".name", m.get("name", ""), "材料名称", 200)
        if m.get("need", "required") not in NEEDS:
            c.error(mp + ".need", "是否必备应为 required、optional 或 deferable")
        c.integer(mp + ".originals", m.get("originals", 0), 0, 99, "原件份数")
        c.integer(mp + ".copies", m.get("copies", 0), 0, 99, "复印件份数")
        if m.get("paperSize", "A4") not in ("A4", "A3", ""):
            c.error(mp + ".paperSize", "纸质规格应为 A4、A3 或空")
        if m.get("source", 10) not in SOURCES:
            c.error(mp + ".source", "来源渠道应为 10、20 或 99")
        if m.get("licenceType"):
            c.error(mp + ".licenceType", "演示数据不编造电子证照类型代码")
        if m.get("key") and m.get("key") == result.get("materialKey"):
            c.error(mp + ".key", "事项不能要求提交它自己办结后生成的材料")

    seen = {}
    for i, f in enumerate(it.get("fields", [])):
        fp = "%s.fields[%d]" % (p, i)
        c.keys(f, FIELD_KEYS, fp, ("key", "label"))
        if c.key(fp + ".key", f.get("key"), "字段键"):
            if f["key"] in seen:
                c.error(fp + ".key", "字段键 %s 与 fields[%d] 重复" % (f["key"], seen[f["key"]]))
            seen[f["key"]] = i
        c.text(fp + ".label", f.get("label", ""), "字段名称", 50)
        ftype = f.get("type", "text")
        if ftype not in FIELD_TYPES:
            c.error(fp + ".type", "字段类型 %s 未知" % ftype)
        options = f.get("options", [])
        if ftype == "select":
            if not options:
                c.error(fp + ".options", "下拉选择字段须列出选项")
            if len(set(options)) != len(options) or any(not o.strip() for o in options):
                c.error(fp + ".options", "选项不能为空或重复")
        elif options:
            c.error(fp + ".options", "只有下拉选择字段可以设置选项")
        c.integer(fp + ".maxLength", f.get("maxLength", 100), 1, 10000, "最大长度")
        lo, hi = f.get("min"), f.get("max")
        if lo is not None and hi is not None and lo > hi:
            c.error(fp + ".min", "最小值不能大于最大值")
        if ftype != "number" and (lo is not None or hi is not None):
            c.error(fp + ".min", "只有数字字段可以设置最小值、最大值")

    steps = it.get("steps", [])
    if not steps:
        c.error(p + ".steps", "至少需要一个办理环节")
    elif steps[0].get("name") != "受理" or steps[0].get("role") != "counter_clerk":
        c.error(p + ".steps[0]", "第一个环节应为“受理”，角色 counter_clerk")
    total = 0
    for i, s in enumerate(steps):
        sp = "%s.steps[%d]" % (p, i)
        c.keys(s, STEP_KEYS, sp, ("name", "role"))
        c.text(sp + ".name", s.get("name", ""), "环节名称", 30)
        if s.get("role") not in roles:
            c.error(sp + ".role", "角色 %s 不是身份模块的角色代码" % s.get("role"))
        if s.get("departmentCode", "") and s["departmentCode"] not in departments:
            c.error(sp + ".departmentCode", "部门 %s 不存在" % s["departmentCode"])
        if s.get("limitWorkingDays") is not None:
            if c.integer(sp + ".limitWorkingDays", s["limitWorkingDays"], 0, 365, "环节时限"):
                total += s["limitWorkingDays"]
    if isinstance(prom.get("value"), int) and prom.get("unit") in UNITS and total > working_days(prom):
        c.error(p + ".steps", "各环节时限之和 %d 个工作日超过承诺办结时限" % total)


# --- bundles ---------------------------------------------------------------------------------
def default_answers(bundle):
    return {s["code"]: s["options"][0]["code"] for s in bundle.get("situations", []) if s.get("options")}


def selected(bundle, answers):
    out = []
    for bi in bundle["items"]:
        when = bi.get("when", [])
        if not when or any(answers.get(w.split("=", 1)[0]) == w.split("=", 1)[1] for w in when):
            out.append(bi["itemCode"])
    return out


def plan(bundle, items, answers):
    """The figures of catalog::PlanBundle for `answers`."""
    sel = selected(bundle, answers)
    order_index = {code: i for i, code in enumerate(x["itemCode"] for x in bundle["items"])}
    preds = {code: [] for code in sel}
    for e in bundle.get("edges", []):
        if e["from"] in preds and e["to"] in preds:
            preds[e["to"]].append(e["from"])
    # Topological order, ties by bundle order (Kahn).
    indeg = {code: len(preds[code]) for code in sel}
    succ = {code: [] for code in sel}
    for code in sel:
        for u in preds[code]:
            succ[u].append(code)
    ready = sorted((c for c in sel if indeg[c] == 0), key=order_index.get)
    order = []
    while ready:
        v = ready.pop(0)
        order.append(v)
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                ready.append(w)
                ready.sort(key=order_index.get)
    before = {}
    for v in order:
        before[v] = set()
        for u in preds[v]:
            before[v] |= {u} | before[u]

    skipped = set()
    for s in bundle.get("situations", []):
        for o in s["options"]:
            if answers.get(s["code"]) == o["code"]:
                skipped |= set(o.get("skipMaterials", []))
    merged, dropped, materials_before = [], [], 0
    for v in order:
        it = items[v]
        materials_before += len(it.get("materials", []))
        for m in it.get("materials", []):
            producer = next((u for u in before[v] if items[u]["result"].get("materialKey") == m["key"]), None)
            if m["key"] in skipped:
                dropped.append((m["key"], it["name"], "情形选择无需提供"))
            elif producer:
                dropped.append((m["key"], it["name"], "由《%s》生成" % items[producer]["name"]))
            elif m["key"] not in merged:
                merged.append(m["key"])

    dist, via = {}, {}
    end = None
    for v in order:
        best = None
        for u in preds[v]:
            if best is None or dist[u] > dist[best]:
                best = u
        via[v] = best
        dist[v] = working_days(items[v]["promisedLimit"]) + (dist[best] if best else 0)
        if end is None or dist[v] > dist[end]:
            end = v
    path = []
    while end is not None:
        path.append(end)
        end = via[end]
    path.reverse()

    visits_before = sum(items[v].get("visits", 1) for v in order)
    fields = []
    for v in order:
        for f in items[v].get("fields", []):
            if f["key"] not in fields:
                fields.append(f["key"])
    return {
        "items": len(order),
        "departments": len({items[v]["departmentCode"] for v in order}),
        "materials_before": materials_before,
        "materials_after": len(merged),
        "days_before": sum(working_days(items[v]["promisedLimit"]) for v in order),
        "days_after": dist[path[-1]] if path else 0,
        "visits_before": visits_before,
        "visits_after": 1 if visits_before > 0 else 0,
        "fields": len(fields),
        "order": order,
        "critical_path": path,
        "merged": merged,
        "dropped": dropped,
        "skipped": skipped,
    }


def check_bundle(c, b, p, items, departments):
    c.keys(b, BUNDLE_KEYS, p, ("code", "name", "items"))
    if not re.fullmatch(r"[a-z0-9_-]{2,40}", b.get("code", "")):
        c.error(p + ".code", "一件事编码应为 2–40 位小写字母、数字、下划线或连字符")
    c.text(p + ".name", b.get("name", ""), "一件事名称", 100)
    c.text(p + ".description", b.get("description", ""), "说明", 2000)
    if b.get("category") not in CATEGORIES:
        c.error(p + ".category", "类别应为 person、enterprise 或 project")
    if b.get("departmentCode") not in departments:
        c.error(p + ".departmentCode", "牵头部门 %s 不存在" % b.get("departmentCode"))

    members = []
    for i, bi in enumerate(b.get("items", [])):
        ip = "%s.items[%d]" % (p, i)
        c.keys(bi, BUNDLE_ITEM_KEYS, ip, ("itemCode",))
        if bi.get("itemCode") not in items:
            c.error(ip + ".itemCode", "事项 %s 不存在" % bi.get("itemCode"))
        elif bi["itemCode"] in members:
            c.error(ip + ".itemCode", "事项重复")
        members.append(bi.get("itemCode"))
        if "blocking" in bi:
            c.boolean(ip + ".blocking", bi["blocking"], "blocking")
    if not members:
        c.error(p + ".items", "一件事至少包含一个事项")
    member_materials = {m["key"] for code in members if code in items for m in items[code]["materials"]}

    situations = {}
    for i, s in enumerate(b.get("situations", [])):
        sp = "%s.situations[%d]" % (p, i)
        c.keys(s, SITUATION_KEYS, sp, ("code", "question", "options"))
        if c.key(sp + ".code", s.get("code"), "情形编码"):
            if "=" in s["code"] or s["code"] in situations:
                c.error(sp + ".code", "情形编码重复或含“=”")
            situations[s["code"]] = s
        c.text(sp + ".question", s.get("question", ""), "情形问题", 100)
        options = s.get("options", [])
        if len(options) < 2:
            c.error(sp + ".options", "每个情形至少需要两个选项")
        codes = set()
        for j, o in enumerate(options):
            op = "%s.options[%d]" % (sp, j)
            c.keys(o, OPTION_KEYS, op, ("code", "label"))
            if c.key(op + ".code", o.get("code"), "选项编码"):
                if o["code"] in codes:
                    c.error(op + ".code", "选项编码重复")
                codes.add(o["code"])
            c.text(op + ".label", o.get("label", ""), "选项名称", 50)
            for k, key in enumerate(o.get("skipMaterials", [])):
                if key not in member_materials:
                    c.error("%s.skipMaterials[%d]" % (op, k), "材料键 %s 不属于本一件事的任何事项" % key)
        if options and options[0].get("skipMaterials"):
            c.error(sp + ".options[0]", "第一个选项是默认回答，不应免交材料（否则“原需材料”口径有歧义）")

    deciding = set()
    for i, bi in enumerate(b.get("items", [])):
        for k, w in enumerate(bi.get("when", [])):
            wp = "%s.items[%d].when[%d]" % (p, i, k)
            sit, eq, opt = w.partition("=")
            if not eq or not sit or not opt:
                c.error(wp, "条件应写作 情形编码=选项编码")
            elif sit not in situations:
                c.error(wp, "情形 %s 不存在" % sit)
            elif opt not in [o["code"] for o in situations[sit]["options"]]:
                c.error(wp, "情形 %s 没有选项 %s" % (sit, opt))
            deciding.add(sit)
    for code, s in situations.items():
        if code not in deciding and not any(o.get("skipMaterials") for o in s["options"]):
            c.error(p + ".situations", "情形 %s 既不决定事项也不免交材料" % code)

    succ = {m: [] for m in members}
    pairs = set()
    for i, e in enumerate(b.get("edges", [])):
        ep = "%s.edges[%d]" % (p, i)
        c.keys(e, EDGE_KEYS, ep, ("from", "to"))
        a, z = e.get("from"), e.get("to")
        if a not in members or z not in members:
            c.error(ep, "前置关系的两端须为本一件事的事项")
            continue
        if a == z or (a, z) in pairs:
            c.error(ep, "前置关系自环或重复")
            continue
        pairs.add((a, z))
        succ[a].append(z)
        for j, m in enumerate(e.get("mappings", [])):
            mp = "%s.mappings[%d]" % (ep, j)
            c.keys(m, MAPPING_KEYS, mp, ("fromField", "toField"))
            if a in items and m.get("fromField") not in items[a]["result"].get("fields", []):
                c.error(mp + ".fromField", "《%s》的办理结果没有字段 %s" % (items[a]["name"], m.get("fromField")))
            if z in items and m.get("toField") not in [f["key"] for f in items[z]["fields"]]:
                c.error(mp + ".toField", "《%s》的表单没有字段 %s" % (items[z]["name"], m.get("toField")))
    state = {}

    def visit(v, stack):
        state[v] = 1
        for w in succ.get(v, []):
            if state.get(w) == 1:
                names = [items[x]["name"] if x in items else x for x in stack + [v, w]]
                c.error(p + ".edges", "前置关系形成循环：%s" % " → ".join(names))
                return True
            if not state.get(w) and visit(w, stack + [v]):
                return True
        state[v] = 2
        return False

    for m in members:
        if not state.get(m) and visit(m, []):
            break

    # A produced material must only be asked for by items after its producer: otherwise the
    # merged list keeps it although the bundle produces it.
    if all(code in items for code in members):
        ancestors = {m: set() for m in members}
        changed = True
        while changed:
            changed = False
            for a, z in pairs:
                new = ancestors[z] | {a} | ancestors[a]
                if new != ancestors[z]:
                    ancestors[z] = new
                    changed = True
        for producer in members:
            key = items[producer]["result"].get("materialKey")
            for other in members:
                if other != producer and key and producer not in ancestors[other] and \
                        key in [m["key"] for m in items[other]["materials"]]:
                    c.error(p + ".edges", "《%s》要求的材料 %s 由《%s》生成，但两者之间没有前置关系" %
                            (items[other]["name"], key, items[producer]["name"]))


def check_semantics(c, items):
    """The same semantic key means the same document or the same field in every item."""
    for kind, label, attrs in (("materials", "材料", ("name", "source", "paperSize")),
                               ("fields", "字段", ("label", "type", "options", "maxLength", "min", "max"))):
        first = {}
        for it in items:
            for x in it.get(kind, []):
                if x.get("key") not in first:
                    first[x.get("key")] = (it["name"], x)
                    continue
                where, y = first[x["key"]]
                for a in attrs:
                    if x.get(a) != y.get(a):
                        c.error("《%s》.%s.%s" % (it["name"], kind, x["key"]),
                                "%s键 %s 的 %s 与《%s》中不同（%r ≠ %r）" %
                                (label, x["key"], a, where, x.get(a), y.get(a)))


def pad(text, width):
    """`text` left-aligned in `width` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    show_all = "--all" in argv
    path = args[0] if args else os.path.join(ROOT, "src/app/demo_catalog.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    c = Checker()
    c.keys(data, {"items", "bundles"}, "$", ("items", "bundles"))
    departments = load_departments()
    roles = load_roles()
    regions = load_regions()
    if regions is None:
        print("注意：未找到 build*/generated/regions.tsv，跳过行政区划代码核对")
    else:
        for code, (name, region, _) in departments.items():
            if region not in regions:
                c.error("demo.cc %s" % code, "行政区划 %s 不在区划表中" % region)

    items = {}
    usccs = {}
    for i, it in enumerate(data.get("items", [])):
        p = "items[%d]《%s》" % (i, it.get("name", ""))
        check_item(c, it, p, departments, roles)
        code = it.get("code", "")
        if code in items:
            c.error(p + ".code", "实施编码 %s 重复" % code)
        items[code] = it
        dept = it.get("departmentCode")
        if dept in usccs and usccs[dept] != code[:18]:
            c.error(p + ".code", "部门 %s 的统一社会信用代码前后不一（%s ≠ %s）" % (dept, code[:18], usccs[dept]))
        usccs.setdefault(dept, code[:18])
    check_semantics(c, data.get("items", []))
    codes = set()
    for i, b in enumerate(data.get("bundles", [])):
        p = "bundles[%d]「%s」" % (i, b.get("name", ""))
        if b.get("code") in codes:
            c.error(p + ".code", "一件事编码重复")
        codes.add(b.get("code"))
        check_bundle(c, b, p, items, departments)
    used = {b.get("itemCode") for b in (x for bd in data.get("bundles", []) for x in bd.get("items", []))}
    for code, it in items.items():
        if code not in used:
            c.error("《%s》" % it["name"], "事项不属于任何一件事")

    if c.errors:
        for e in c.errors:
            print("错误 " + e)
        print("%d 处错误" % len(c.errors))
        return 1

    print("%d 个事项，%d 个一件事，%d 个实施部门：全部检查通过\n" %
          (len(items), len(data["bundles"]), len(usccs)))
    print(pad("一件事", 16) + pad("code", 20) + pad("事项", 6) + pad("部门", 6) + pad("材料", 11) +
          pad("时限（工作日）", 16) + "跑动")
    for b in data["bundles"]:
        f = plan(b, items, default_answers(b))
        print(pad(b["name"], 16) + pad(b["code"], 20) + pad(str(f["items"]), 6) +
              pad(str(f["departments"]), 6) +
              pad("%d → %d" % (f["materials_before"], f["materials_after"]), 11) +
              pad("%d → %d" % (f["days_before"], f["days_after"]), 16) +
              "%d → %d" % (f["visits_before"], f["visits_after"]))
    for b in data["bundles"]:
        answers = default_answers(b)
        f = plan(b, items, answers)
        print("\n%s（%s）默认回答 %s" % (b["name"], b["code"],
                                     "，".join("%s=%s" % kv for kv in answers.items())))
        print("  事项：%s" % "；".join("%s[%s]" % (items[v]["name"], items[v]["departmentCode"]) for v in f["order"]))
        print("  合并后材料（%d）：%s" % (len(f["merged"]), "、".join(f["merged"])))
        for key, who, why in f["dropped"]:
            print("  免交：%s（%s，%s）" % (key, who, why))
        print("  合并表单 %d 个字段；关键路径：%s" % (
            f["fields"], " → ".join("%s(%d)" % (items[v]["name"], working_days(items[v]["promisedLimit"]))
                                    for v in f["critical_path"])))
        if show_all:
            sits = b.get("situations", [])
            for combo in itertools.product(*[[o["code"] for o in s["options"]] for s in sits]):
                ans = {s["code"]: o for s, o in zip(sits, combo)}
                g = plan(b, items, ans)
                print("    %-60s 事项 %2d 材料 %2d → %-2d 时限 %2d → %-2d 跑动 %d → %d" % (
                    ",".join("%s=%s" % kv for kv in ans.items()), g["items"], g["materials_before"],
                    g["materials_after"], g["days_before"], g["days_after"], g["visits_before"],
                    g["visits_after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
