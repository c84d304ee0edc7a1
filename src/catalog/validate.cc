#include "catalog/validate.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "core/text.h"
#include "core/uscc.h"
#include "identity/principal.h"

namespace onestop::catalog {
namespace {

std::string Idx(std::string_view base, std::size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

bool Blank(std::string_view s) { return text::TrimSpace(s).empty(); }

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool HasSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

std::string Days(const TimeLimit& t) {
  return std::to_string(t.value) + (t.unit == LimitUnit::kWorkingDays ? " 个工作日" : " 个自然日");
}

// Collects problems in order; paths are relative to the item or bundle.
class Problems {
 public:
  void Add(std::string path, std::string message) {
    list_.push_back({std::move(path), std::move(message)});
  }
  // A required text of at most `max` characters.
  void Text(const std::string& path, const std::string& value, const char* label, std::size_t max) {
    if (Blank(value)) {
      Add(path, std::string(label) + "必填");
    } else if (text::CountCodePoints(value) > max) {
      Add(path, std::string(label) + "不能超过 " + std::to_string(max) + " 个字");
    }
  }
  // A semantic key: non-empty, no white space, at most 64 characters.
  bool Key(const std::string& path, const std::string& value, const char* label) {
    if (Blank(value)) {
      Add(path, std::string(label) + "必填");
      return false;
    }
    if (HasSpace(value)) {
      Add(path, std::string(label) + "不能含空白字符");
      return false;
    }
    if (value.size() > 64) {
      Add(path, std::string(label) + "不能超过 64 个字符");
      return false;
    }
    return true;
  }
  std::vector<FieldError> Take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

void CheckCodes(const Item& item, Problems& p) {
  // 基本编码 (12) = prefix (2) + 事项类型 (2) + 主项 (5) + 子项 (3) (standards.md §4.3).
  bool basic_ok = item.basic_code.size() == 12 && AllDigits(item.basic_code);
  if (!basic_ok) {
    p.Add("basicCode",
          "基本编码应为 12 位数字（目录前缀 2 位 + 事项类型 2 位 + 主项 5 位 + 子项 3 位）");
  } else if (item.basic_code.substr(2, 2) != item.item_type) {
    p.Add("basicCode", "基本编码第 3–4 位（事项类型）为 " + item.basic_code.substr(2, 2) +
                           "，与事项类型 " + item.item_type + " 不一致");
  }
  // 实施编码 (31) = 实施主体 USCC (18) + 行使层级 (1) + 基本编码 (12).
  if (item.code.size() != 31) {
    p.Add("code",
          "实施编码应为 31 位（统一社会信用代码 18 位 + 行使层级 1 位 + 基本编码 12 位），现为 " +
              std::to_string(item.code.size()) + " 位");
    return;
  }
  const std::string uscc = item.code.substr(0, 18);
  Result<Uscc> parsed = ParseUscc(uscc, /*accept_failed_check=*/false);
  if (!parsed.has_value()) {
    p.Add("code", "实施编码前 18 位应为实施主体的统一社会信用代码：" + parsed.error().message);
  } else if (parsed->code != uscc) {
    p.Add("code", "实施编码中的统一社会信用代码应为大写字母和数字");
  }
  const char level_char = item.code[18];
  if (level_char != static_cast<char>('0' + item.level)) {
    p.Add("code", std::string("实施编码第 19 位（行使层级）为 ") + level_char + "，与行使层级 " +
                      std::to_string(item.level) + " 不一致");
  }
  if (basic_ok && item.code.substr(19) != item.basic_code) {
    p.Add("code", "实施编码后 12 位应与基本编码 " + item.basic_code + " 一致");
  }
}

// A list of codes from a code set: non-empty, each known, no repeats.
void CheckCodeList(const std::vector<int>& codes, const std::string& path, const char* label,
                   const char* (*name_of)(int), const char* allowed, Problems& p) {
  if (codes.empty()) {
    p.Add(path, std::string(label) + "至少选一项");
    return;
  }
  std::set<int> seen;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (*name_of(codes[i]) == '\0') {
      p.Add(Idx(path, i),
            std::string(label) + "代码 " + std::to_string(codes[i]) + " 不在 " + allowed + " 中");
    } else if (!seen.insert(codes[i]).second) {
      p.Add(Idx(path, i), std::string(label) + " " + name_of(codes[i]) + " 重复");
    }
  }
}

void CheckLimits(const Item& item, Problems& p) {
  constexpr int kMaxDays = 3650;
  bool values_ok = true;
  for (auto [limit, path, label] :
       {std::tuple{&item.statutory_limit, "statutoryLimit.value", "法定办结时限"},
        std::tuple{&item.promised_limit, "promisedLimit.value", "承诺办结时限"}}) {
    if (limit->value < 0 || limit->value > kMaxDays) {
      p.Add(path, std::string(label) + "应为 0–3650 天");
      values_ok = false;
    }
  }
  if (!values_ok) return;
  const TimeLimit& s = item.statutory_limit;
  const TimeLimit& q = item.promised_limit;
  // 承诺 ≤ 法定; across units compare in working days, as the bundle figures do.
  const bool over =
      s.unit == q.unit ? q.value > s.value : LimitInWorkingDays(q) > LimitInWorkingDays(s);
  if (over) {
    p.Add("promisedLimit.value",
          "承诺办结时限（" + Days(q) + "）不能超过法定办结时限（" + Days(s) + "）");
  }
  if (item.case_type == 1 && q.value > 1) {
    p.Add("promisedLimit.value", "即办件的承诺办结时限应为 0 或 1 天，现为 " + Days(q));
  }
}

void CheckFees(const Item& item, Problems& p) {
  if (item.charged) {
    if (Blank(item.fee_basis)) p.Add("feeBasis", "收费事项须填写收费依据");
    if (item.fee_fen <= 0) p.Add("feeFen", "收费事项的收费标准应大于 0");
  } else {
    if (item.fee_fen != 0) p.Add("feeFen", "不收费事项的收费标准应为 0");
    if (item.online_payment) p.Add("onlinePayment", "不收费事项不能设置网上支付");
  }
}

// 网上办理深度 and 跑动 rules of a municipal data-quality checker (standards.md §4.5).
void CheckDepthAndVisits(const Item& item, Problems& p) {
  if (*DepthName(item.online_depth) == '\0') p.Add("onlineDepth", "网上办理深度应为 1–4（Ⅰ–Ⅳ级）");
  if (item.visits < 0 || item.visits > 99) {
    p.Add("visits", "到办事现场次数应为 0–99");
    return;
  }
  if (item.online_depth == 4 && item.visits != 0) {
    p.Add("visits",
          "全程网办（Ⅳ级）事项的到办事现场次数应为 0，现为 " + std::to_string(item.visits));
  }
  const auto& forms = item.handling_forms;
  const bool online = std::find(forms.begin(), forms.end(), 2) != forms.end() ||
                      std::find(forms.begin(), forms.end(), 3) != forms.end();
  if (item.visits == 0 && !online && !item.mail_application) {
    p.Add("mailApplication", "零跑动且不能网上办理（办理形式无 2、3）的事项须支持邮寄申请");
  }
  if (item.visits == 0 && !Blank(item.onsite_reason)) {
    p.Add("onsiteReason", "零跑动事项不应填写必须现场办理原因");
  }
  if (item.visits > 0 && Blank(item.onsite_reason)) {
    p.Add("onsiteReason", "需要到现场办理的事项须说明必须现场办理的原因");
  }
}

void CheckDeemedApproval(const Item& item, Problems& p) {
  if (item.deemed_approval_allowed && !item.deemed_approval_days) {
    p.Add("deemedApprovalDays", "允许超时默认的事项须设置超时默认时限（1–60 个工作日）");
  } else if (!item.deemed_approval_allowed && item.deemed_approval_days) {
    p.Add("deemedApprovalDays", "不允许超时默认的事项不应设置超时默认时限");
  } else if (item.deemed_approval_days &&
             (*item.deemed_approval_days < 1 || *item.deemed_approval_days > 60)) {
    p.Add("deemedApprovalDays", "超时默认时限应为 1–60 个工作日");
  }
}

const char* kLicenceTypeMessage =
    "电子证照类型代码应为 21 位：定义机构的统一社会信用代码 18 位 + 3 位数字";

void CheckResult(const ItemResult& r, Problems& p) {
  if (!r.material_key.empty()) p.Key("result.materialKey", r.material_key, "结果材料键");
  if (!r.licence_type.empty() && !IsLicenceTypeCode(r.licence_type)) {
    p.Add("result.licenceType", kLicenceTypeMessage);
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    const std::string path = Idx("result.fields", i);
    if (p.Key(path, r.fields[i], "结果字段名") && !seen.insert(r.fields[i]).second) {
      p.Add(path, "结果字段 " + r.fields[i] + " 重复");
    }
  }
}

void CheckMaterials(const std::vector<Material>& materials, Problems& p) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < materials.size(); ++i) {
    const Material& m = materials[i];
    const std::string base = Idx("materials", i);
    if (p.Key(base + ".key", m.key, "材料键")) {
      auto [it, fresh] = seen.emplace(m.key, i);
      if (!fresh) {
        p.Add(base + ".key", "材料键 " + m.key + " 与 " + Idx("materials", it->second) + " 重复");
      }
    }
    p.Text(base + ".name", m.name, "材料名称", 200);
    if (m.originals < 0 || m.originals > 99) p.Add(base + ".originals", "原件份数应为 0–99");
    if (m.copies < 0 || m.copies > 99) p.Add(base + ".copies", "复印件份数应为 0–99");
    if (m.paper_size != "A4" && m.paper_size != "A3" && !m.paper_size.empty()) {
      p.Add(base + ".paperSize", "纸质规格应为 A4、A3 或空（仅电子材料）");
    }
    if (m.source != SourceChannel::kApplicant && m.source != SourceChannel::kGovernment &&
        m.source != SourceChannel::kOther) {
      p.Add(base + ".source", "来源渠道应为 10（申请人自备）、20（政府部门核发）或 99（其他）");
    }
    if (!m.licence_type.empty() && !IsLicenceTypeCode(m.licence_type)) {
      p.Add(base + ".licenceType", kLicenceTypeMessage);
    }
  }
}

void CheckFields(const std::vector<FormField>& fields, Problems& p) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FormField& f = fields[i];
    const std::string base = Idx("fields", i);
    if (p.Key(base + ".key", f.key, "字段键")) {
      auto [it, fresh] = seen.emplace(f.key, i);
      if (!fresh) {
        p.Add(base + ".key", "字段键 " + f.key + " 与 " + Idx("fields", it->second) + " 重复");
      }
    }
    p.Text(base + ".label", f.label, "字段名称", 50);
    if (f.type == FieldType::kSelect) {
      if (f.options.empty()) p.Add(base + ".options", "下拉选择字段须列出选项");
      std::set<std::string> options;
      for (std::size_t j = 0; j < f.options.size(); ++j) {
        if (Blank(f.options[j])) {
          p.Add(Idx(base + ".options", j), "选项不能为空");
        } else if (!options.insert(f.options[j]).second) {
          p.Add(Idx(base + ".options", j), "选项 " + f.options[j] + " 重复");
        }
      }
    } else if (!f.options.empty()) {
      p.Add(base + ".options", "只有下拉选择字段可以设置选项");
    }
    if (f.max_length < 1 || f.max_length > 10000) {
      p.Add(base + ".maxLength", "最大长度应为 1–10000");
    }
    if (f.min && f.max && *f.min > *f.max) p.Add(base + ".min", "最小值不能大于最大值");
  }
}

void CheckSteps(const std::vector<Step>& steps, Problems& p) {
  if (steps.empty()) {
    p.Add("steps", "至少需要一个办理环节（第一个为受理）");
    return;
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const std::string base = Idx("steps", i);
    p.Text(base + ".name", s.name, "环节名称", 30);
    Result<identity::Role> role = identity::ParseRole(s.role);
    if (!role.has_value()) p.Add(base + ".role", "办理角色 " + s.role + " 不存在");
    if (s.limit_working_days && (*s.limit_working_days < 0 || *s.limit_working_days > 365)) {
      p.Add(base + ".limitWorkingDays", "环节时限应为 0–365 个工作日");
    }
  }
}

std::string ItemLabel(const Item* item, const std::string& code) {
  return item != nullptr && !item->name.empty() ? "《" + item->name + "》" : code;
}

}  // namespace

bool IsBundleCode(std::string_view code) {
  return code.size() >= 2 && code.size() <= 40 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

bool IsLicenceTypeCode(std::string_view code) {
  if (code.size() != 21 || !AllDigits(code.substr(18))) return false;
  Result<Uscc> uscc = ParseUscc(code.substr(0, 18), /*accept_failed_check=*/false);
  return uscc.has_value() && uscc->code == code.substr(0, 18);
}

std::vector<FieldError> ItemProblems(const Item& item) {
  Problems p;
  CheckCodes(item, p);
  p.Text("name", item.name, "事项名称", 100);
  if (Blank(item.department_code)) p.Add("departmentCode", "实施主体（部门编码）必填");
  if (*ItemTypeName(item.item_type) == '\0') {
    p.Add("itemType",
          "事项类型 " + item.item_type + " 不在 GB/T 39046 表A.1 中（00–10、20 及扩展 11–29）");
  }
  if (*LevelName(item.level) == '\0') p.Add("level", "行使层级应为 1–7（GB/T 39046 表A.2）");
  CheckCodeList(item.service_objects, "serviceObjects", "服务对象", ServiceObjectName,
                "表A.4（1–6）", p);
  CheckCodeList(item.handling_forms, "handlingForms", "办理形式", HandlingFormName,
                "表A.5（1、2、3、4、9）", p);
  if (*CaseTypeName(item.case_type) == '\0') {
    p.Add("caseType", "办件类型应为 1（即办件）、2（承诺件）或 9（其他）");
  }
  CheckLimits(item, p);
  CheckFees(item, p);
  CheckDepthAndVisits(item, p);
  CheckDeemedApproval(item, p);
  CheckResult(item.result, p);
  CheckMaterials(item.materials, p);
  CheckFields(item.fields, p);
  CheckSteps(item.steps, p);
  return p.Take();
}

Error InvalidItem(const Item& item, std::vector<FieldError> problems) {
  const std::string who = Blank(item.name) ? "事项" : "事项《" + item.name + "》";
  Error e = InvalidArgument("catalog.invalid_item",
                            who + "有 " + std::to_string(problems.size()) + " 处问题：" +
                                (problems.empty() ? std::string() : problems.front().message));
  e.fields = std::move(problems);
  return e;
}

Result<void> ValidateItem(const Item& item) {
  std::vector<FieldError> problems = ItemProblems(item);
  if (problems.empty()) return Ok();
  return InvalidItem(item, std::move(problems));
}

std::vector<FieldError> BundleProblems(const Bundle& bundle, const std::vector<Item>& items) {
  Problems p;
  if (!IsBundleCode(bundle.code)) {
    p.Add("code", "一件事编码应为 2–40 位小写字母、数字、下划线或连字符");
  }
  p.Text("name", bundle.name, "一件事名称", 100);
  if (bundle.category != "person" && bundle.category != "enterprise" &&
      bundle.category != "project") {
    p.Add("category", "类别应为 person（个人）、enterprise（企业）或 project（项目）");
  }
  if (Blank(bundle.department_code)) p.Add("departmentCode", "牵头部门（部门编码）必填");

  std::map<std::string, const Item*> by_code;
  for (const Item& i : items) by_code.emplace(i.code, &i);

  // Items: they exist and appear once.
  std::map<std::string, const Item*> members;  // code → item (nullptr when unknown)
  if (bundle.items.empty()) p.Add("items", "一件事至少包含一个事项");
  for (std::size_t i = 0; i < bundle.items.size(); ++i) {
    const std::string& code = bundle.items[i].item_code;
    auto found = by_code.find(code);
    const Item* item = found == by_code.end() ? nullptr : found->second;
    if (item == nullptr) p.Add(Idx("items", i) + ".itemCode", "事项 " + code + " 不存在或已停用");
    if (!members.emplace(code, item).second) {
      p.Add(Idx("items", i) + ".itemCode", "事项 " + ItemLabel(item, code) + " 重复");
    }
  }
  std::set<std::string> material_keys;
  for (const auto& [code, item] : members) {
    if (item == nullptr) continue;
    for (const Material& m : item->materials) material_keys.insert(m.key);
  }

  // Situations and their options.
  std::map<std::string, const Situation*> situations;
  for (std::size_t i = 0; i < bundle.situations.size(); ++i) {
    const Situation& s = bundle.situations[i];
    const std::string base = Idx("situations", i);
    if (p.Key(base + ".code", s.code, "情形编码")) {
      if (s.code.find('=') != std::string::npos) {
        p.Add(base + ".code", "情形编码不能含“=”");
      } else if (!situations.emplace(s.code, &s).second) {
        p.Add(base + ".code", "情形编码 " + s.code + " 重复");
      }
    }
    p.Text(base + ".question", s.question, "情形问题", 100);
    if (s.options.size() < 2) p.Add(base + ".options", "每个情形至少需要两个选项");
    std::set<std::string> option_codes;
    for (std::size_t j = 0; j < s.options.size(); ++j) {
      const SituationOption& o = s.options[j];
      const std::string ob = Idx(base + ".options", j);
      if (p.Key(ob + ".code", o.code, "选项编码") && !option_codes.insert(o.code).second) {
        p.Add(ob + ".code", "选项编码 " + o.code + " 重复");
      }
      p.Text(ob + ".label", o.label, "选项名称", 50);
      for (std::size_t k = 0; k < o.skip_materials.size(); ++k) {
        if (!material_keys.contains(o.skip_materials[k])) {
          p.Add(Idx(ob + ".skipMaterials", k),
                "材料键 " + o.skip_materials[k] + " 不属于本一件事的任何事项");
        }
      }
    }
  }

  // Conditions "<situation>=<option>".
  for (std::size_t i = 0; i < bundle.items.size(); ++i) {
    const std::vector<std::string>& when = bundle.items[i].when;
    for (std::size_t k = 0; k < when.size(); ++k) {
      const std::string path = Idx(Idx("items", i) + ".when", k);
      const std::size_t eq = when[k].find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == when[k].size()) {
        p.Add(path, "条件应写作 情形编码=选项编码，现为 " + when[k]);
        continue;
      }
      const std::string sit = when[k].substr(0, eq), opt = when[k].substr(eq + 1);
      auto s = situations.find(sit);
      if (s == situations.end()) {
        p.Add(path, "情形 " + sit + " 不存在");
      } else if (std::none_of(s->second->options.begin(), s->second->options.end(),
                              [&](const SituationOption& o) { return o.code == opt; })) {
        p.Add(path, "情形「" + s->second->question + "」没有选项 " + opt);
      }
    }
  }

  // Edges: between members, no self-loops, no repeats, mappings from result fields to form fields.
  std::set<std::pair<std::string, std::string>> edge_set;
  std::map<std::string, std::vector<std::string>> next;
  for (std::size_t i = 0; i < bundle.edges.size(); ++i) {
    const Edge& e = bundle.edges[i];
    const std::string base = Idx("edges", i);
    auto from = members.find(e.from), to = members.find(e.to);
    if (from == members.end()) p.Add(base + ".from", "前置事项 " + e.from + " 不在本一件事中");
    if (to == members.end()) p.Add(base + ".to", "后续事项 " + e.to + " 不在本一件事中");
    if (from == members.end() || to == members.end()) continue;
    if (e.from == e.to) {
      p.Add(base + ".to", "事项不能以自身为前置");
      continue;
    }
    if (!edge_set.emplace(e.from, e.to).second) {
      p.Add(base, "前置关系 " + ItemLabel(from->second, e.from) + " → " +
                      ItemLabel(to->second, e.to) + " 重复");
      continue;
    }
    next[e.from].push_back(e.to);
    for (std::size_t j = 0; j < e.mappings.size(); ++j) {
      const FieldMapping& m = e.mappings[j];
      const std::string mb = Idx(base + ".mappings", j);
      const Item* a = from->second;
      const Item* b = to->second;
      if (a != nullptr && std::find(a->result.fields.begin(), a->result.fields.end(),
                                    m.from_field) == a->result.fields.end()) {
        p.Add(mb + ".fromField", ItemLabel(a, e.from) + "的办理结果没有字段 " + m.from_field);
      }
      if (b != nullptr && std::none_of(b->fields.begin(), b->fields.end(),
                                       [&](const FormField& f) { return f.key == m.to_field; })) {
        p.Add(mb + ".toField", ItemLabel(b, e.to) + "的表单没有字段 " + m.to_field);
      }
    }
  }

  // Cycles: depth-first search in bundle order; report the first loop found by item names.
  std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
  std::vector<std::string> stack;
  std::function<bool(const std::string&)> visit = [&](const std::string& code) -> bool {
    state[code] = 1;
    stack.push_back(code);
    for (const std::string& n : next[code]) {
      if (state[n] == 1) {
        auto start = std::find(stack.begin(), stack.end(), n);
        std::string loop;
        for (auto it = start; it != stack.end(); ++it) loop += ItemLabel(members[*it], *it) + " → ";
        p.Add("edges", "前置关系形成循环：" + loop + ItemLabel(members[n], n));
        return true;
      }
      if (state[n] == 0 && visit(n)) return true;
    }
    stack.pop_back();
    state[code] = 2;
    return false;
  };
  for (const BundleItem& bi : bundle.items) {
    if (state[bi.item_code] == 0 && visit(bi.item_code)) break;
  }
  return p.Take();
}

Error InvalidBundle(const Bundle& bundle, std::vector<FieldError> problems) {
  const std::string who = Blank(bundle.name) ? "一件事" : "一件事「" + bundle.name + "」";
  Error e = InvalidArgument("catalog.invalid_bundle",
                            who + "有 " + std::to_string(problems.size()) + " 处问题：" +
                                (problems.empty() ? std::string() : problems.front().message));
  e.fields = std::move(problems);
  return e;
}

Result<void> ValidateBundle(const Bundle& bundle, const std::vector<Item>& items) {
  std::vector<FieldError> problems = BundleProblems(bundle, items);
  if (problems.empty()) return Ok();
  return InvalidBundle(bundle, std::move(problems));
}

}  // namespace onestop::catalog
