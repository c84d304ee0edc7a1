// Eligibility rules (政策超市 / 免申即享 资格条件): the condition tree, the declared facts it
// reads, the neutral JSON exchange format, the readable text form, the reference evaluator and the
// per-condition explanation. The fast bulk evaluation is policy/matcher.h; money formulas are
// policy/formula.h. Nothing here touches the database.
//
// Neutral JSON (import and export accept exactly this):
//   {"all":[c…]}  {"any":[c…]}  {"not":c}  {"fact":F,"op":OP,"value":V}
//   OP: == != < <= > >= (numbers; == and != also strings and booleans), in (V a list of
//   numbers or strings), prefix (V a string), between (V = [lo, hi], numbers, inclusive).
// Text form, e.g.  industry prefix "C39" and employees >= 50 and not bad_credit
//   `and` binds tighter than `or`; parentheses group; `not c`; a bare boolean fact F means
//   F == true; Chinese labels (员工数) and 且 / 或 / 非 are accepted; `in [..]`,
//   `between [lo, hi]`, `prefix "…"`.
//
// Semantics: a leaf on a fact the enterprise does not have (or holds with another type) is
// false; `not` of such a leaf is true. {"all":[]} is true, {"any":[]} is false.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/result.h"

namespace onestop::policy {

enum class FactType { kNumber, kString, kBool };

// "数值" / "文本" / "是否".
std::string_view FactTypeLabel(FactType type);

// One declared fact. Facts are declared (data), not hard-coded: a policy may need a new one.
struct FactDef {
  std::string key;    // "employees": ASCII letters, digits, '_' ; starts with a letter
  std::string label;  // "员工数": the Chinese alias accepted in the text form
  FactType type = FactType::kNumber;
  std::string source;  // providing department: 市场监管 / 税务 / 人社 / 科技 / 信用 …
  std::string unit;    // "人", "分", "%" … may be empty
};

class FactSchema {
 public:
  // The facts issue 5 lists (industry, region, registered_on (yyyymmdd number), employees,
  // revenue_fen, tax_paid_fen, rd_ratio, high_tech, specialized (专精特新), small_micro,
  // credit_rating, patents, bad_credit, insurance_paid_fen …) with labels and sources.
  static FactSchema Default();

  // kInvalidArgument: policy.fact_key (bad key), policy.fact_duplicate (key or label taken).
  Result<void> Add(FactDef def);
  // By key or by Chinese label; nullptr if neither.
  const FactDef* Find(std::string_view key_or_label) const;
  const std::vector<FactDef>& facts() const { return facts_; }

 private:
  std::vector<FactDef> facts_;
  std::unordered_map<std::string, std::size_t> index_;  // key and label → position
};

// A scalar fact value or rule operand. Numbers are doubles (JSON numbers).
using Value = std::variant<double, std::string, bool>;

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kPrefix, kBetween };
std::string_view OpText(Op op);  // "==", "in", "between" …

struct Cond {
  enum class Kind { kAll, kAny, kNot, kFact };
  Kind kind = Kind::kAll;
  std::vector<Cond> children;  // kAll / kAny: any number; kNot: exactly one
  // kFact only:
  std::string fact;  // the key (never the label)
  Op op = Op::kEq;
  std::vector<Value> values;  // one operand; the list for kIn; {lo, hi} for kBetween

  bool operator==(const Cond&) const = default;
};

// Neutral JSON → Cond. With a schema, facts are checked (a label is turned into its key) and
// operand types must fit the fact type. kInvalidArgument with a Chinese message naming the
// path ("cond.all[2].value"), reasons: policy.rule_json (shape: unknown key, missing op…),
// policy.rule_op (unknown operator, or one the type does not allow), policy.unknown_fact,
// policy.type_mismatch.
Result<Cond> FromJson(const boost::json::value& json, const FactSchema* schema);
Result<Cond> FromJsonText(std::string_view text, const FactSchema* schema);
// Cond → neutral JSON; FromJson(ToJson(c)) == c.
boost::json::value ToJson(const Cond& cond);

// Text form → Cond, checked against the schema. kInvalidArgument, reason policy.rule_syntax
// (message "第L行第C列：…" in Chinese), policy.unknown_fact, policy.type_mismatch, policy.rule_op.
Result<Cond> ParseText(std::string_view text, const FactSchema& schema);
// Cond → text form (keys, or the Chinese labels when `chinese`); ParseText(ToText(c)) == c.
std::string ToText(const Cond& cond, const FactSchema& schema, bool chinese = false);

// The facts of one enterprise (the reference representation; the matcher has its own).
using Facts = std::unordered_map<std::string, Value>;

// Reference evaluator: simple and obviously right; the matcher's counts must equal it.
bool Evaluate(const Cond& cond, const Facts& facts);

// Every fact ids read by the condition, each once, in first-use order.
std::vector<std::string> FactsRead(const Cond& cond);

// Why an enterprise does or does not qualify: one line per leaf, in rule order.
struct LeafExplanation {
  std::string fact;
  std::string label;
  bool held = false;
  bool missing = false;  // the enterprise has no such fact
  std::string text;  // "员工数 35 < 50" / "失信 无数据" — actual value, operator, operand
  bool negated = false;  // under an odd number of `not`: the rule needs this leaf to fail
};
struct Explanation {
  bool eligible = false;
  std::vector<LeafExplanation> leaves;
};
// A held leaf reads as the rule ("员工数 60 ≥ 50"), a failed one states the opposite relation
// ("员工数 35 < 50"); money facts (*_fen) in 元 ("营业收入 1234.50 元 < 5000000.00 元").
Explanation Explain(const Cond& cond, const Facts& facts, const FactSchema& schema);

// A policy file entry: {"id","title","cond"}.
struct RuleEntry {
  std::string id;
  std::string title;
  Cond cond;
};
// A JSON array of entries, in file order. Errors name the entry ("第3条（id=P003）：…").
Result<std::vector<RuleEntry>> ParsePolicyFile(std::string_view text, const FactSchema* schema);

// One enterprise line {"id", <fact>: <value>, …}: strings, numbers and booleans; null and
// missing mean "no such fact". kInvalidArgument policy.enterprise_line with the reason.
struct EnterpriseLine {
  std::string id;
  Facts facts;
};
Result<EnterpriseLine> ParseEnterpriseLine(std::string_view line);

}  // namespace onestop::policy
