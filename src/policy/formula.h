// Benefit formulas (补贴测算公式): how much an enterprise receives for a declarable item, e.g.
// 稳岗返还 = min(上年度失业保险缴费 × 50%, 50万元), in integer fen with an explicit rounding rule.
// Parsed from a text form or a JSON form, evaluated exactly over one enterprise's Facts.
// Eligibility is policy/rule.h; budgets and payments are not here.
//
// Text form (keys or Chinese labels, as in rule.h):
//   formula  := expr rounding
//   expr     := term (("+" | "-") term)*            left-associative
//   term     := unary (("*" | "×" | "/" | "÷") unary)*
//   unary    := "-" unary | primary
//   primary  := number [unit] | fact | ("min" | "max") "(" expr ("," expr)* ")" | "(" expr ")"
//   unit     := "%" (÷100) | "元" (×100, to fen) | "万元" (×1,000,000)
//   rounding := ["," | "，"] ("四舍五入" | "舍去" | "进一" | "round" ("half_up" | "down" | "up"))
//   e.g.  min(insurance_paid_fen * 50%, 50万元) round half_up
//         min(上年度失业保险缴费 × 50%, 50万元)，四舍五入
// Every value is in the unit of its fact; the result is read as fen (so money facts, *_fen,
// combine directly and a per-head amount is written `employees × 1000元`).
//
// JSON form: {"expr": E, "rounding": "half_up" | "down" | "up"} with
//   E := <number> | {"fact": key} | {"percent": n} | {"yuan": n} | {"wan_yuan": n}
//      | {"neg": E} | {"add": [E, E]} | {"sub": [E, E]} | {"mul": [E, E]} | {"div": [E, E]}
//      | {"min": [E, …]} | {"max": [E, …]}           (min / max take one or more)
//   Unit literals take n ≥ 0; a negative plain number means {"neg": <its magnitude>}.
//
// Exactness: evaluation is rational arithmetic on 128-bit integers (numerator / denominator,
// reduced after each step), so 1/3 × 3 is exactly 1; only the final result is rounded, once,
// to integer fen. Fact values are doubles (JSON numbers); each is taken as the exact decimal
// its shortest spelling shows (3.5 is 7/2, 0.1 is 1/10, not the nearest binary fraction), which
// is the number written in the data file. Money facts are integers and exact.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/result.h"
#include "policy/rule.h"

namespace onestop::policy {

// A decimal literal: mantissa × 10^-scale, normalised (no trailing zeros in the fraction),
// mantissa ≥ 0 (a minus sign is Expr::kNeg), scale 0…18.
struct Decimal {
  std::int64_t mantissa = 0;
  int scale = 0;
  bool operator==(const Decimal&) const = default;
};

// The unit a literal was written with: 50% is 1/2, 1000元 is 100000 (fen), 5万元 is 500000000.
enum class LiteralUnit { kNone, kPercent, kYuan, kWanYuan };

struct Expr {
  enum class Kind { kLiteral, kFact, kNeg, kAdd, kSub, kMul, kDiv, kMin, kMax };
  Kind kind = Kind::kLiteral;
  Decimal literal;                        // kLiteral
  LiteralUnit unit = LiteralUnit::kNone;  // kLiteral
  std::string fact;                       // kFact: the key (never the label)
  std::vector<Expr> args;                 // kNeg: 1; kAdd…kDiv: 2; kMin / kMax: 1 or more

  bool operator==(const Expr&) const = default;
};

// Applied once, to the exact result, giving integer fen. Like java.math.RoundingMode:
// kHalfUp 四舍五入 (ties away from zero), kDown 舍去 (toward zero), kUp 进一 (away from zero).
enum class Rounding { kHalfUp, kDown, kUp };
std::string_view RoundingLabel(Rounding rounding);  // "四舍五入" / "舍去" / "进一"
std::string_view RoundingKey(Rounding rounding);    // "half_up" / "down" / "up"

struct Formula {
  Expr expr;
  Rounding rounding = Rounding::kHalfUp;
  bool operator==(const Formula&) const = default;
};

// Text form → Formula, facts checked against the schema (labels become keys; only 数值 facts).
// kInvalidArgument: policy.formula_syntax ("第L行第C列：…", columns in characters),
// policy.unknown_fact, policy.type_mismatch (a 文本 / 是否 fact).
Result<Formula> ParseFormula(std::string_view text, const FactSchema& schema);
// Formula → text form (keys, or Chinese labels with × ÷ and 四舍五入 when `chinese`);
// ParseFormula(FormulaToText(f)) == f.
std::string FormulaToText(const Formula& formula, const FactSchema& schema, bool chinese = false);

// JSON form → Formula; with a schema facts are checked as in ParseFormula. kInvalidArgument:
// policy.formula_json (shape; the message names the path, "formula.expr.min[1]"),
// policy.unknown_fact, policy.type_mismatch.
Result<Formula> FormulaFromJson(const boost::json::value& json, const FactSchema* schema);
Result<Formula> FormulaFromJsonText(std::string_view text, const FactSchema* schema);
// Formula → JSON form; FormulaFromJson(FormulaToJson(f)) == f.
boost::json::value FormulaToJson(const Formula& formula);

// The amount in fen for one enterprise. kFailedPrecondition (the formula is fine, the data is
// not): policy.formula_missing_fact (names the fact), policy.type_mismatch (the enterprise holds
// the fact as text or yes/no), policy.formula_div_zero, policy.formula_overflow (an intermediate
// beyond 128 bits, or a result beyond the Fen range).
Result<Fen> Evaluate(const Formula& formula, const Facts& facts);

// Every fact the formula reads, each once, in first-use order.
std::vector<std::string> FactsRead(const Formula& formula);

}  // namespace onestop::policy
