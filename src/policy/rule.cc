#include "policy/rule.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "core/money.h"
#include "core/text.h"
#include "policy/internal/rule_check.h"

namespace onestop::policy {

namespace json = boost::json;

// --- names -------------------------------------------------------------------------------

std::string_view FactTypeLabel(FactType type) {
  switch (type) {
    case FactType::kNumber:
      return "数值";
    case FactType::kString:
      return "文本";
    case FactType::kBool:
      return "是否";
  }
  return "?";
}

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kIn:
      return "in";
    case Op::kPrefix:
      return "prefix";
    case Op::kBetween:
      return "between";
  }
  return "?";
}

namespace internal {

std::optional<Op> ParseOp(std::string_view text) {
  static constexpr Op kAll[] = {Op::kEq, Op::kNe, Op::kLt,     Op::kLe,     Op::kGt,
                                Op::kGe, Op::kIn, Op::kPrefix, Op::kBetween};
  for (Op op : kAll) {
    if (OpText(op) == text) return op;
  }
  return std::nullopt;
}

bool IsKeyword(std::string_view word) {
  static constexpr std::string_view kWords[] = {"and",     "or",   "not",   "in",  "prefix",
                                                "between", "true", "false", "all", "any"};
  for (std::string_view k : kWords) {
    if (k.size() != word.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < k.size(); ++i) {
      char c = word[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != k[i]) same = false;
    }
    if (same) return true;
  }
  return false;
}

std::string FormatNumber(double x) {
  if (x == 0) return "0";  // also -0
  char buf[400];
  // Plain digits for the magnitudes facts have (100000, not 1e+05: people read these), the
  // shortest spelling that reads back as the same double either way.
  const bool plain = std::fabs(x) < 1e16 && std::fabs(x) >= 1e-6;
  auto [end, ec] = plain ? std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) return "?";
  return std::string(buf, end);
}

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string ValueText(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) return FormatNumber(*d);
  if (const std::string* s = std::get_if<std::string>(&v)) return QuoteString(*s);
  return std::get<bool>(v) ? "true" : "false";
}

namespace {

FactType TypeOf(const Value& v) {
  if (std::holds_alternative<double>(v)) return FactType::kNumber;
  if (std::holds_alternative<std::string>(v)) return FactType::kString;
  return FactType::kBool;
}

std::string Quoted(std::string_view name) { return "「" + std::string(name) + "」"; }

}  // namespace

std::optional<LeafProblem> CheckLeaf(const FactDef* def, std::string_view fact, Op op,
                                     const std::vector<Value>& values) {
  const std::string op_text(OpText(op));
  const std::string name = Quoted(def != nullptr && !def->label.empty() ? def->label : fact);
  if (def != nullptr) {
    // The operator must suit the fact's type.
    bool allowed = true;
    switch (def->type) {
      case FactType::kNumber:
        allowed = op != Op::kPrefix;
        break;
      case FactType::kString:
        allowed = op == Op::kEq || op == Op::kNe || op == Op::kIn || op == Op::kPrefix;
        break;
      case FactType::kBool:
        allowed = op == Op::kEq || op == Op::kNe;
        break;
    }
    if (!allowed) {
      return LeafProblem{"policy.rule_op", name + "是" + std::string(FactTypeLabel(def->type)) +
                                               "类条件项，不能使用运算符 " + op_text};
    }
    for (const Value& v : values) {
      if (TypeOf(v) != def->type) {
        return LeafProblem{"policy.type_mismatch",
                           name + "是" + std::string(FactTypeLabel(def->type)) + "类条件项，取值 " +
                               ValueText(v) + " 不是" + std::string(FactTypeLabel(def->type))};
      }
    }
  }
  // The operands the operator takes, whatever the fact.
  switch (op) {
    case Op::kEq:
    case Op::kNe:
      if (values.size() != 1) {
        return LeafProblem{"policy.rule_json", "运算符 " + op_text + " 需要一个取值"};
      }
      break;
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      if (values.size() != 1) {
        return LeafProblem{"policy.rule_json", "运算符 " + op_text + " 需要一个取值"};
      }
      if (TypeOf(values[0]) != FactType::kNumber) {
        return LeafProblem{"policy.type_mismatch", "运算符 " + op_text + " 需要数值，取值 " +
                                                       ValueText(values[0]) + " 不是数值"};
      }
      break;
    case Op::kIn:
      if (values.empty()) {
        return LeafProblem{"policy.rule_json", "运算符 in 的取值列表不能为空"};
      }
      for (const Value& v : values) {
        if (TypeOf(v) == FactType::kBool || TypeOf(v) != TypeOf(values[0])) {
          return LeafProblem{"policy.type_mismatch",
                             "运算符 in 的取值须全为数值或全为文本，" + ValueText(v) + " 不符"};
        }
      }
      break;
    case Op::kPrefix:
      if (values.size() != 1) {
        return LeafProblem{"policy.rule_json", "运算符 prefix 需要一个取值"};
      }
      if (TypeOf(values[0]) != FactType::kString) {
        return LeafProblem{"policy.type_mismatch",
                           "运算符 prefix 需要文本，取值 " + ValueText(values[0]) + " 不是文本"};
      }
      break;
    case Op::kBetween:
      if (values.size() != 2) {
        return LeafProblem{"policy.rule_json", "运算符 between 需要 [下限, 上限] 两个取值"};
      }
      for (const Value& v : values) {
        if (TypeOf(v) != FactType::kNumber) {
          return LeafProblem{"policy.type_mismatch",
                             "运算符 between 需要数值，取值 " + ValueText(v) + " 不是数值"};
        }
      }
      if (std::get<double>(values[0]) > std::get<double>(values[1])) {
        return LeafProblem{"policy.rule_json", "运算符 between 的下限 " + ValueText(values[0]) +
                                                   " 大于上限 " + ValueText(values[1])};
      }
      break;
  }
  return std::nullopt;
}

}  // namespace internal

namespace internal {

std::string PositionOf(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const std::size_t col =
      text::CountCodePoints(text.substr(line_start, std::min(offset, text.size()) - line_start)) +
      1;
  return "第" + std::to_string(line) + "行第" + std::to_string(col) + "列";
}

}  // namespace internal

// --- schema ------------------------------------------------------------------------------

FactSchema FactSchema::Default() {
  FactSchema s;
  const FactDef defs[] = {
      {"industry", "行业代码", FactType::kString, "市场监管", ""},       // GB/T 4754, e.g. C3911
      {"region", "所在区划", FactType::kString, "市场监管", ""},         // GB/T 2260, e.g. 431382
      {"registered_on", "注册日期", FactType::kNumber, "市场监管", ""},  // yyyymmdd
      {"employees", "员工数", FactType::kNumber, "人社", "人"},
      {"insured_employees", "参保人数", FactType::kNumber, "人社", "人"},
      {"insurance_paid_fen", "上年度失业保险缴费", FactType::kNumber, "人社", "分"},
      {"layoff_rate", "裁员率", FactType::kNumber, "人社", "%"},
      {"revenue_fen", "营业收入", FactType::kNumber, "税务", "分"},
      {"tax_paid_fen", "纳税额", FactType::kNumber, "税务", "分"},
      {"rd_ratio", "研发投入占比", FactType::kNumber, "科技", "%"},
      {"high_tech", "高新技术企业", FactType::kBool, "科技", ""},
      {"specialized", "专精特新", FactType::kBool, "工信", ""},
      {"small_micro", "小微企业", FactType::kBool, "市场监管", ""},
      {"credit_rating", "信用等级", FactType::kString, "税务", ""},  // 纳税信用 A B M C D
      {"patents", "专利数", FactType::kNumber, "市场监管", "件"},
      {"bad_credit", "失信", FactType::kBool, "信用", ""},
  };
  for (const FactDef& d : defs) {
    Result<void> r = s.Add(d);
    assert(r.has_value());
    (void)r;
  }
  return s;
}

Result<void> FactSchema::Add(FactDef def) {
  const std::string_view key = def.key;
  bool key_ok =
      !key.empty() && ((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z'));
  for (char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) key_ok = false;
  }
  // Also the formula words (policy/formula.h), so that every fact is usable there too.
  for (std::string_view word : {"min", "max", "round", "half_up", "down", "up"}) {
    std::string lower(key);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower == word) key_ok = false;
  }
  if (!key_ok || internal::IsKeyword(key)) {
    return InvalidArgument(
        "policy.fact_key",
        "条件项代码“" + def.key +
            "”不合规：须以英文字母开头，只含英文字母、数字和下划线，且不能是保留字");
  }
  if (!def.label.empty()) {
    bool label_ok = !(def.label[0] >= '0' && def.label[0] <= '9') &&
                    !internal::IsKeyword(def.label) && def.label != "且" && def.label != "或" &&
                    def.label != "非" && def.label != "是" && def.label != "否";
    for (char c : def.label) {
      if (std::string_view(" \t\r\n()[],\"=!<>-").find(c) != std::string_view::npos) {
        label_ok = false;
      }
    }
    if (!label_ok) {
      return InvalidArgument(
          "policy.fact_label",
          "条件项名称“" + def.label + "”不合规：不能含空格、括号、引号、逗号或运算符");
    }
  }
  if (index_.contains(def.key) || (!def.label.empty() && index_.contains(def.label)) ||
      def.key == def.label) {
    return InvalidArgument("policy.fact_duplicate", "条件项“" + def.key + "”（" + def.label +
                                                        "）与已有条件项的代码或名称重复");
  }
  const std::size_t pos = facts_.size();
  index_.emplace(def.key, pos);
  if (!def.label.empty()) index_.emplace(def.label, pos);
  facts_.push_back(std::move(def));
  return Ok();
}

const FactDef* FactSchema::Find(std::string_view key_or_label) const {
  auto it = index_.find(std::string(key_or_label));
  return it == index_.end() ? nullptr : &facts_[it->second];
}

// --- neutral JSON ------------------------------------------------------------------------

namespace {

Error JsonError(std::string reason, const std::string& path, const std::string& message) {
  return InvalidArgument(std::move(reason), path + "：" + message).WithField(path, message);
}

std::string KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "是否";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "数值";
    case json::kind::string:
      return "文本";
    case json::kind::array:
      return "列表";
    case json::kind::object:
      return "对象";
  }
  return "?";
}

std::optional<Value> ScalarOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_:
      return Value(v.get_bool());
    case json::kind::int64:
      return Value(static_cast<double>(v.get_int64()));
    case json::kind::uint64:
      return Value(static_cast<double>(v.get_uint64()));
    case json::kind::double_:
      return Value(v.get_double());
    case json::kind::string:
      return Value(std::string(v.get_string()));
    default:
      return std::nullopt;
  }
}

Result<Cond> CondFromJson(const json::value& j, const FactSchema* schema, const std::string& path,
                          int depth) {
  if (depth > 200) return JsonError("policy.rule_json", path, "条件嵌套过深（超过 200 层）");
  const json::object* obj = j.if_object();
  if (obj == nullptr) {
    return JsonError("policy.rule_json", path, "条件应为对象，实际是" + KindName(j));
  }
  Cond c;
  const bool is_all = obj->contains("all");
  const bool is_any = obj->contains("any");
  if (is_all || is_any || obj->contains("not")) {
    if (obj->size() != 1) {
      return JsonError("policy.rule_json", path, "all / any / not 条件只能有这一个键");
    }
    if (is_all || is_any) {
      const std::string word = is_all ? "all" : "any";
      const json::value& list = obj->begin()->value();
      if (!list.is_array()) {
        return JsonError("policy.rule_json", path + "." + word,
                         word + " 的值应为条件列表，实际是" + KindName(list));
      }
      c.kind = is_all ? Cond::Kind::kAll : Cond::Kind::kAny;
      c.children.reserve(list.get_array().size());
      std::size_t i = 0;
      for (const json::value& child : list.get_array()) {
        ASSIGN_OR_RETURN(
            Cond cc, CondFromJson(child, schema,
                                  path + "." + word + "[" + std::to_string(i++) + "]", depth + 1));
        c.children.push_back(std::move(cc));
      }
      return c;
    }
    c.kind = Cond::Kind::kNot;
    ASSIGN_OR_RETURN(Cond inner,
                     CondFromJson(obj->begin()->value(), schema, path + ".not", depth + 1));
    c.children.push_back(std::move(inner));
    return c;
  }
  for (const auto& kv : *obj) {
    if (kv.key() != "fact" && kv.key() != "op" && kv.key() != "value") {
      return JsonError("policy.rule_json", path,
                       "未知的键「" + std::string(kv.key()) +
                           "」，条件应为 all / any / not 或 fact + op + value");
    }
  }
  const json::value* fact = obj->if_contains("fact");
  const json::value* op = obj->if_contains("op");
  const json::value* value = obj->if_contains("value");
  if (fact == nullptr) return JsonError("policy.rule_json", path, "缺少 fact");
  if (op == nullptr) return JsonError("policy.rule_json", path, "缺少 op");
  if (value == nullptr) return JsonError("policy.rule_json", path, "缺少 value");
  if (!fact->is_string() || fact->get_string().empty()) {
    return JsonError("policy.rule_json", path + ".fact", "fact 应为非空文本");
  }
  if (!op->is_string()) return JsonError("policy.rule_json", path + ".op", "op 应为文本");
  std::optional<Op> parsed_op = internal::ParseOp(op->get_string());
  if (!parsed_op) {
    return JsonError("policy.rule_op", path + ".op",
                     "未知的运算符「" + std::string(op->get_string()) +
                         "」，可用 == != < <= > >= in prefix between");
  }
  c.kind = Cond::Kind::kFact;
  c.op = *parsed_op;
  const FactDef* def = nullptr;
  if (schema != nullptr) {
    def = schema->Find(fact->get_string());
    if (def == nullptr) {
      return JsonError("policy.unknown_fact", path + ".fact",
                       "未知的条件项「" + std::string(fact->get_string()) + "」");
    }
    c.fact = def->key;
  } else {
    c.fact = std::string(fact->get_string());
  }
  const bool wants_list = c.op == Op::kIn || c.op == Op::kBetween;
  if (wants_list) {
    if (!value->is_array()) {
      return JsonError(
          "policy.rule_json", path + ".value",
          "运算符 " + std::string(OpText(c.op)) + " 的取值应为列表，实际是" + KindName(*value));
    }
    std::size_t i = 0;
    for (const json::value& item : value->get_array()) {
      std::optional<Value> v = ScalarOf(item);
      if (!v) {
        return JsonError("policy.rule_json", path + ".value[" + std::to_string(i) + "]",
                         "列表中的取值应为数值、文本或是否，实际是" + KindName(item));
      }
      c.values.push_back(std::move(*v));
      ++i;
    }
  } else {
    std::optional<Value> v = ScalarOf(*value);
    if (!v) {
      return JsonError("policy.rule_json", path + ".value",
                       "取值应为数值、文本或是否，实际是" + KindName(*value));
    }
    c.values.push_back(std::move(*v));
  }
  if (std::optional<internal::LeafProblem> p = internal::CheckLeaf(def, c.fact, c.op, c.values)) {
    const bool about_value = p->reason != "policy.rule_op";
    return JsonError(p->reason, path + (about_value ? ".value" : ".op"), p->message);
  }
  return c;
}

json::value ScalarToJson(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    // Integral values as JSON integers (50, not 5E1), so the export reads like the import.
    if (std::trunc(*d) == *d && std::fabs(*d) < 9.0e18)
      return json::value(static_cast<std::int64_t>(*d));
    return json::value(*d);
  }
  if (const std::string* s = std::get_if<std::string>(&v)) return json::value(*s);
  return json::value(std::get<bool>(v));
}

// Parses `text` as one JSON document into `memory`; on a syntax error says where.
Result<json::value> ParseJson(std::string_view text, json::storage_ptr memory,
                              const std::string& reason, const std::string& what) {
  // The parser's own stack in a small buffer; the document itself in `memory`.
  unsigned char temp[4096];
  json::parser parser(json::storage_ptr(), json::parse_options(), temp, sizeof temp);
  parser.reset(std::move(memory));
  boost::system::error_code ec;
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  if (ec) {
    return InvalidArgument(reason, what + "不是有效的 JSON（" + internal::PositionOf(text, used) +
                                       "）：" + ec.message());
  }
  return parser.release();
}

}  // namespace

Result<Cond> FromJson(const json::value& json, const FactSchema* schema) {
  return CondFromJson(json, schema, "cond", 0);
}

Result<Cond> FromJsonText(std::string_view text, const FactSchema* schema) {
  json::monotonic_resource memory;
  ASSIGN_OR_RETURN(json::value v, ParseJson(text, &memory, "policy.rule_json", "条件"));
  return FromJson(v, schema);
}

json::value ToJson(const Cond& cond) {
  switch (cond.kind) {
    case Cond::Kind::kAll:
    case Cond::Kind::kAny: {
      json::array list;
      list.reserve(cond.children.size());
      for (const Cond& c : cond.children) list.push_back(ToJson(c));
      json::object o;
      o[cond.kind == Cond::Kind::kAll ? "all" : "any"] = std::move(list);
      return o;
    }
    case Cond::Kind::kNot: {
      json::object o;
      o["not"] = cond.children.empty() ? json::value(json::object{{"all", json::array{}}})
                                       : ToJson(cond.children[0]);
      return o;
    }
    case Cond::Kind::kFact: {
      json::object o;
      o["fact"] = cond.fact;
      o["op"] = OpText(cond.op);
      if (cond.op == Op::kIn || cond.op == Op::kBetween) {
        json::array list;
        for (const Value& v : cond.values) list.push_back(ScalarToJson(v));
        o["value"] = std::move(list);
      } else {
        o["value"] = cond.values.empty() ? json::value(nullptr) : ScalarToJson(cond.values[0]);
      }
      return o;
    }
  }
  return nullptr;
}

// --- evaluation --------------------------------------------------------------------------

namespace internal {

bool LeafHolds(const Cond& leaf, const Value& v) {
  switch (leaf.op) {
    case Op::kEq:
      return v.index() == leaf.values[0].index() && v == leaf.values[0];
    case Op::kNe:
      return v.index() == leaf.values[0].index() && v != leaf.values[0];
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      const double* x = std::get_if<double>(&v);
      const double* y = std::get_if<double>(&leaf.values[0]);
      if (x == nullptr || y == nullptr) return false;
      switch (leaf.op) {
        case Op::kLt:
          return *x < *y;
        case Op::kLe:
          return *x <= *y;
        case Op::kGt:
          return *x > *y;
        default:
          return *x >= *y;
      }
    }
    case Op::kIn:
      for (const Value& candidate : leaf.values) {
        if (candidate.index() == v.index() && candidate == v) return true;
      }
      return false;
    case Op::kPrefix: {
      const std::string* s = std::get_if<std::string>(&v);
      const std::string* p = std::get_if<std::string>(&leaf.values[0]);
      return s != nullptr && p != nullptr && s->starts_with(*p);
    }
    case Op::kBetween: {
      const double* x = std::get_if<double>(&v);
      if (x == nullptr || leaf.values.size() != 2) return false;
      const double* lo = std::get_if<double>(&leaf.values[0]);
      const double* hi = std::get_if<double>(&leaf.values[1]);
      return lo != nullptr && hi != nullptr && *lo <= *x && *x <= *hi;
    }
  }
  return false;
}

}  // namespace internal

bool Evaluate(const Cond& cond, const Facts& facts) {
  switch (cond.kind) {
    case Cond::Kind::kAll:
      for (const Cond& c : cond.children) {
        if (!Evaluate(c, facts)) return false;
      }
      return true;
    case Cond::Kind::kAny:
      for (const Cond& c : cond.children) {
        if (Evaluate(c, facts)) return true;
      }
      return false;
    case Cond::Kind::kNot:
      return cond.children.empty() || !Evaluate(cond.children[0], facts);
    case Cond::Kind::kFact: {
      auto it = facts.find(cond.fact);
      return it != facts.end() && !cond.values.empty() && internal::LeafHolds(cond, it->second);
    }
  }
  return false;
}

namespace {

void CollectFacts(const Cond& cond, std::vector<std::string>& out,
                  std::unordered_set<std::string_view>& seen) {
  if (cond.kind == Cond::Kind::kFact) {
    if (seen.insert(cond.fact).second) out.push_back(cond.fact);
    return;
  }
  for (const Cond& c : cond.children) CollectFacts(c, out, seen);
}

}  // namespace

std::vector<std::string> FactsRead(const Cond& cond) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  CollectFacts(cond, out, seen);
  return out;
}

// --- files -------------------------------------------------------------------------------

Result<std::vector<RuleEntry>> ParsePolicyFile(std::string_view text, const FactSchema* schema) {
  // One parse of the whole file into a monotonic arena (freed at once at the end).
  json::monotonic_resource memory;
  ASSIGN_OR_RETURN(json::value root, ParseJson(text, &memory, "policy.rule_json", "政策文件"));
  if (!root.is_array()) {
    return InvalidArgument(
        "policy.rule_json",
        "政策文件应为 JSON 列表 [{\"id\",\"title\",\"cond\"}, …]，实际是" + KindName(root));
  }
  std::vector<RuleEntry> entries;
  entries.reserve(root.get_array().size());
  std::unordered_set<std::string> ids;
  std::size_t n = 0;
  for (const json::value& item : root.get_array()) {
    ++n;
    std::string where = "第" + std::to_string(n) + "条";
    const json::object* obj = item.if_object();
    if (obj == nullptr) {
      return InvalidArgument(
          "policy.rule_json",
          where + "：应为对象 {\"id\",\"title\",\"cond\"}，实际是" + KindName(item));
    }
    RuleEntry e;
    const json::value* id = obj->if_contains("id");
    if (id == nullptr || !id->is_string() || id->get_string().empty()) {
      return InvalidArgument("policy.rule_json", where + "：缺少 id（非空文本）");
    }
    e.id = std::string(id->get_string());
    where += "（id=" + e.id + "）";
    if (!ids.insert(e.id).second) {
      return InvalidArgument("policy.rule_json", where + "：id 与前面的条目重复");
    }
    if (const json::value* title = obj->if_contains("title")) {
      if (!title->is_string())
        return InvalidArgument("policy.rule_json", where + "：title 应为文本");
      e.title = std::string(title->get_string());
    }
    const json::value* cond = obj->if_contains("cond");
    if (cond == nullptr) return InvalidArgument("policy.rule_json", where + "：缺少 cond");
    Result<Cond> c = FromJson(*cond, schema);
    if (!c) {
      Error err = std::move(c).error();
      err.message = where + "：" + err.message;
      return err;
    }
    e.cond = std::move(*c);
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<EnterpriseLine> ParseEnterpriseLine(std::string_view line) {
  // A stack arena: most lines fit, so parsing allocates nothing on the heap.
  unsigned char buffer[8192];
  json::monotonic_resource memory(buffer, sizeof buffer);
  Result<json::value> parsed = ParseJson(line, &memory, "policy.enterprise_line", "企业数据行");
  if (!parsed) return std::move(parsed).error();
  const json::object* obj = parsed->if_object();
  if (obj == nullptr) {
    return InvalidArgument(
        "policy.enterprise_line",
        "企业数据行应为 JSON 对象 {\"id\", <条件项>: <值>, …}，实际是" + KindName(*parsed));
  }
  EnterpriseLine out;
  out.facts.reserve(obj->size());
  bool has_id = false;
  for (const auto& kv : *obj) {
    if (kv.key() == "id") {
      if (!kv.value().is_string() || kv.value().get_string().empty()) {
        return InvalidArgument("policy.enterprise_line", "企业数据行的 id 应为非空文本");
      }
      out.id = std::string(kv.value().get_string());
      has_id = true;
      continue;
    }
    if (kv.key().empty()) {
      return InvalidArgument("policy.enterprise_line", "企业数据行含空的条件项名");
    }
    if (kv.value().is_null()) continue;  // null means "no such fact"
    std::optional<Value> v = ScalarOf(kv.value());
    if (!v) {
      return InvalidArgument("policy.enterprise_line", "企业数据行中「" + std::string(kv.key()) +
                                                           "」的值应为数值、文本或是否，实际是" +
                                                           KindName(kv.value()));
    }
    out.facts.emplace(std::string(kv.key()), std::move(*v));
  }
  if (!has_id) return InvalidArgument("policy.enterprise_line", "企业数据行缺少 id");
  return out;
}

}  // namespace onestop::policy
