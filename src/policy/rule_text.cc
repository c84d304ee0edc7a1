// The readable text form of a rule: ToText and ParseText.
#include "core/text.h"
#include "policy/internal/rule_check.h"
#include "policy/rule.h"

namespace onestop::policy {

namespace {

enum class Context { kTop, kOrOperand, kAndOperand, kNotOperand };

std::string FactName(const std::string& fact, const FactSchema& schema, bool chinese) {
  if (!chinese) return fact;
  const FactDef* def = schema.Find(fact);
  return def != nullptr && !def->label.empty() ? def->label : fact;
}

std::string LiteralText(const Value& v, bool chinese) {
  if (const bool* b = std::get_if<bool>(&v)) {
    if (chinese) return *b ? "是" : "否";
  }
  return internal::ValueText(v);
}

void Write(const Cond& c, const FactSchema& schema, bool chinese, Context ctx, std::string& out) {
  switch (c.kind) {
    case Cond::Kind::kFact: {
      out += FactName(c.fact, schema, chinese);
      if (c.op == Op::kEq && c.values.size() == 1 && c.values[0] == Value(true)) return;
      out += ' ';
      out += OpText(c.op);
      out += ' ';
      if (c.op == Op::kIn || c.op == Op::kBetween) {
        out += '[';
        for (std::size_t i = 0; i < c.values.size(); ++i) {
          if (i > 0) out += ", ";
          out += LiteralText(c.values[i], chinese);
        }
        out += ']';
      } else if (!c.values.empty()) {
        out += LiteralText(c.values[0], chinese);
      }
      return;
    }
    case Cond::Kind::kNot:
      out += chinese ? "非 " : "not ";
      if (c.children.empty()) {
        out += chinese ? "全部()" : "all()";
      } else {
        Write(c.children[0], schema, chinese, Context::kNotOperand, out);
      }
      return;
    case Cond::Kind::kAll:
    case Cond::Kind::kAny: {
      const bool all = c.kind == Cond::Kind::kAll;
      if (c.children.size() < 2) {
        // all() is true, any() is false; one child keeps its group only in this spelling.
        out += all ? (chinese ? "全部(" : "all(") : (chinese ? "任一(" : "any(");
        if (!c.children.empty()) Write(c.children[0], schema, chinese, Context::kTop, out);
        out += ')';
        return;
      }
      // Parentheses keep nested groups as they are, and show the grouping of and inside or.
      const bool parens = ctx != Context::kTop;
      if (parens) out += '(';
      const char* sep = all ? (chinese ? " 且 " : " and ") : (chinese ? " 或 " : " or ");
      for (std::size_t i = 0; i < c.children.size(); ++i) {
        if (i > 0) out += sep;
        Write(c.children[i], schema, chinese, all ? Context::kAndOperand : Context::kOrOperand,
              out);
      }
      if (parens) out += ')';
      return;
    }
  }
}

}  // namespace

std::string ToText(const Cond& cond, const FactSchema& schema, bool chinese) {
  std::string out;
  Write(cond, schema, chinese, Context::kTop, out);
  return out;
}

Result<Cond> ParseText(std::string_view text, const FactSchema& schema) {
  (void)text;
  (void)schema;
  return InvalidArgument("policy.rule_syntax", "第1行第1列：文字形式的条件尚未支持");
}

}  // namespace onestop::policy
