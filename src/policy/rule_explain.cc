// Explain: which leaves of a rule held for one enterprise, with the actual values.
//
// Wording: a leaf that held reads as the rule says ("员工数 60 >= 50" is written "员工数 60 ≥ 50");
// a leaf that failed states the opposite relation, which is what is true of the enterprise
// ("员工数 35 < 50"). Both are true sentences about the data. A yes/no fact shows its value, and
// what the rule asks for only when the value is not what the rule wants (under a `not`, the
// rule wants the leaf to fail: `not 失信` with 失信 否 reads "失信 否"). Money facts (key *_fen or
// unit 分) are shown in 元, percentages with "%".
#include <cmath>

#include "core/money.h"
#include "policy/internal/rule_check.h"
#include "policy/rule.h"

namespace onestop::policy {

namespace {

// How one fact's values are shown.
struct Display {
  const FactDef* def = nullptr;
  std::string key;

  bool IsMoney() const { return key.ends_with("_fen") || (def != nullptr && def->unit == "分"); }
  std::string Show(const Value& v) const {
    if (const double* d = std::get_if<double>(&v)) {
      if (IsMoney() && std::fabs(*d) < 9.0e18) {
        return FormatYuan(static_cast<Fen>(std::llround(*d))) + " 元";
      }
      std::string out = internal::FormatNumber(*d);
      if (def != nullptr && def->unit == "%") out += "%";
      return out;
    }
    if (const std::string* s = std::get_if<std::string>(&v)) {
      if (s->empty() || s->find(' ') != std::string::npos) return "“" + *s + "”";
      return *s;
    }
    return std::get<bool>(v) ? "是" : "否";
  }
  std::string ShowList(const std::vector<Value>& values) const {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += "、";
      out += Show(values[i]);
    }
    return out + "]";
  }
};

// The relation symbol for `op`, or for its negation.
std::string_view Relation(Op op, bool negate) {
  switch (op) {
    case Op::kEq:
      return negate ? "≠" : "=";
    case Op::kNe:
      return negate ? "=" : "≠";
    case Op::kLt:
      return negate ? "≥" : "<";
    case Op::kLe:
      return negate ? ">" : "≤";
    case Op::kGt:
      return negate ? "≤" : ">";
    case Op::kGe:
      return negate ? "<" : "≥";
    default:
      return "?";
  }
}

std::string LeafText(const Cond& c, const Value& actual, bool held, bool negated, const Display& d,
                     const std::string& label) {
  const std::string value = d.Show(actual);
  const bool same_type = c.values.empty() || actual.index() == c.values[0].index();
  if (!same_type) {
    const std::string want = d.def != nullptr ? std::string(FactTypeLabel(d.def->type))
                             : std::holds_alternative<double>(c.values[0]) ? "数值"
                             : std::holds_alternative<bool>(c.values[0])   ? "是否"
                                                                           : "文本";
    return label + " " + value + "（应为" + want + "，无法比较）";
  }
  switch (c.op) {
    case Op::kEq:
    case Op::kNe:
      if (std::holds_alternative<bool>(actual)) {
        // As the rule wants it (held, or failed under a `not`): just the value; otherwise
        // the value and what the rule asks for ("失信 是，要求为 否" under `not 失信`).
        if (held != negated) return label + " " + value;
        if (const bool* operand = std::get_if<bool>(&c.values[0])) {
          const bool wanted = (c.op == Op::kEq) != negated ? *operand : !*operand;
          return label + " " + value + "，要求为 " + d.Show(Value(wanted));
        }
        return label + " " + value;  // compared with a non-boolean: said by the type check
      }
      [[fallthrough]];
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return label + " " + value + " " + std::string(Relation(c.op, !held)) + " " +
             d.Show(c.values[0]);
    case Op::kIn:
      return label + " " + value + (held ? " 属于 " : " 不属于 ") + d.ShowList(c.values);
    case Op::kPrefix:
      return label + " " + value + (held ? " 以 " : " 不以 ") + d.Show(c.values[0]) + " 开头";
    case Op::kBetween:
      return label + " " + value + (held ? " 在 " : " 不在 ") + d.Show(c.values[0]) + " 至 " +
             d.Show(c.values[1]) + " 之间";
  }
  return label;
}

void Collect(const Cond& c, const Facts& facts, const FactSchema& schema, bool negated,
             std::vector<LeafExplanation>& out) {
  if (c.kind != Cond::Kind::kFact) {
    const bool flip = c.kind == Cond::Kind::kNot;
    for (const Cond& child : c.children) {
      Collect(child, facts, schema, negated != flip, out);
    }
    return;
  }
  LeafExplanation e;
  e.fact = c.fact;
  e.negated = negated;
  Display d{schema.Find(c.fact), c.fact};
  e.label = d.def != nullptr && !d.def->label.empty() ? d.def->label : c.fact;
  auto it = facts.find(c.fact);
  e.missing = it == facts.end();
  if (e.missing) {
    e.held = false;
    e.text = e.label + " 无数据";
  } else {
    e.held = !c.values.empty() && internal::LeafHolds(c, it->second);
    e.text = LeafText(c, it->second, e.held, negated, d, e.label);
  }
  out.push_back(std::move(e));
}

}  // namespace

Explanation Explain(const Cond& cond, const Facts& facts, const FactSchema& schema) {
  Explanation out;
  out.eligible = Evaluate(cond, facts);
  Collect(cond, facts, schema, false, out.leaves);
  return out;
}

}  // namespace onestop::policy
