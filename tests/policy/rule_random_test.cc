// Property tests over random rules and formulas: every spelling reads back as the same tree,
// and Explain agrees with Evaluate leaf by leaf.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <random>

#include "policy/formula.h"
#include "policy/rule.h"

namespace onestop::policy {
namespace {

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin(int percent = 50) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  double Number() {
    switch (Int(0, 4)) {
      case 0:
        return Int(-1000, 1000);
      case 1:
        return Int(0, 1000000) / 100.0;
      case 2:
        return -Int(1, 99999) / 1000.0;
      case 3:
        return static_cast<double>(Int(1, 1000)) * 1e12;
      default:
        return Int(0, 5);
    }
  }
  std::string Text() {
    static const std::vector<std::string> kParts = {"C39", "4313", "A",  "中文", "\"", "\\", "\n",
                                                    " ",   "且",   "or", "（",   "\t", ""};
    std::string s;
    for (int i = Int(0, 3); i > 0; --i) s += Pick(kParts);
    return s;
  }
  Value Operand(FactType type) {
    switch (type) {
      case FactType::kNumber:
        return Number();
      case FactType::kString:
        return Text();
      case FactType::kBool:
        return Coin();
    }
    return 0.0;
  }

 private:
  std::mt19937 rng_;
};

Cond RandomLeaf(Random& r, const FactSchema& schema) {
  const FactDef& def = r.Pick(schema.facts());
  Cond c;
  c.kind = Cond::Kind::kFact;
  c.fact = def.key;
  std::vector<Op> ops;
  switch (def.type) {
    case FactType::kNumber:
      ops = {Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe, Op::kIn, Op::kBetween};
      break;
    case FactType::kString:
      ops = {Op::kEq, Op::kNe, Op::kIn, Op::kPrefix};
      break;
    case FactType::kBool:
      ops = {Op::kEq, Op::kNe};
      break;
  }
  c.op = r.Pick(ops);
  if (c.op == Op::kIn) {
    for (int i = r.Int(1, 4); i > 0; --i) c.values.push_back(r.Operand(def.type));
  } else if (c.op == Op::kBetween) {
    double a = r.Number(), b = r.Number();
    c.values = {std::min(a, b), std::max(a, b)};
  } else {
    c.values.push_back(r.Operand(def.type));
  }
  return c;
}

Cond RandomCond(Random& r, const FactSchema& schema, int depth) {
  const int pick = depth >= 4 ? 0 : r.Int(0, 5);
  if (pick <= 2) return RandomLeaf(r, schema);
  Cond c;
  if (pick == 3) {
    c.kind = Cond::Kind::kNot;
    c.children.push_back(RandomCond(r, schema, depth + 1));
    return c;
  }
  c.kind = pick == 4 ? Cond::Kind::kAll : Cond::Kind::kAny;
  for (int i = r.Int(0, 4); i > 0; --i) c.children.push_back(RandomCond(r, schema, depth + 1));
  return c;
}

Facts RandomFacts(Random& r, const FactSchema& schema) {
  Facts f;
  for (const FactDef& d : schema.facts()) {
    if (r.Coin(20)) continue;  // missing
    // Now and then a value of another type.
    const FactType type = r.Coin(5) ? static_cast<FactType>(r.Int(0, 2)) : d.type;
    f[d.key] = r.Operand(type);
  }
  return f;
}

void LeavesOf(const Cond& c, std::vector<const Cond*>& out) {
  if (c.kind == Cond::Kind::kFact) {
    out.push_back(&c);
    return;
  }
  for (const Cond& child : c.children) LeavesOf(child, out);
}

TEST(RuleRandomTest, EverySpellingReadsBackTheSameRule) {
  const FactSchema schema = FactSchema::Default();
  for (unsigned seed = 1; seed <= 400; ++seed) {
    Random r(seed);
    const Cond c = RandomCond(r, schema, 0);
    for (bool chinese : {false, true}) {
      const std::string text = ToText(c, schema, chinese);
      Result<Cond> back = ParseText(text, schema);
      ASSERT_TRUE(back.has_value())
          << "seed " << seed << ": " << text << " → " << back.error().message;
      ASSERT_EQ(*back, c) << "seed " << seed << ": " << text;
    }
    const std::string json = boost::json::serialize(ToJson(c));
    Result<Cond> back = FromJsonText(json, &schema);
    ASSERT_TRUE(back.has_value()) << "seed " << seed << ": " << json << " → "
                                  << back.error().message;
    ASSERT_EQ(*back, c) << "seed " << seed << ": " << json;
  }
}

TEST(RuleRandomTest, ExplainAgreesWithEvaluate) {
  const FactSchema schema = FactSchema::Default();
  for (unsigned seed = 1; seed <= 400; ++seed) {
    Random r(seed);
    const Cond c = RandomCond(r, schema, 0);
    const Facts f = RandomFacts(r, schema);
    const Explanation e = Explain(c, f, schema);
    EXPECT_EQ(e.eligible, Evaluate(c, f)) << seed;
    std::vector<const Cond*> leaves;
    LeavesOf(c, leaves);
    ASSERT_EQ(e.leaves.size(), leaves.size()) << seed;
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      EXPECT_EQ(e.leaves[i].fact, leaves[i]->fact) << seed;
      EXPECT_EQ(e.leaves[i].held, Evaluate(*leaves[i], f)) << seed << " " << e.leaves[i].text;
      EXPECT_EQ(e.leaves[i].missing, !f.contains(leaves[i]->fact)) << seed;
      EXPECT_FALSE(e.leaves[i].text.empty());
    }
  }
}

Expr RandomExpr(Random& r, const std::vector<std::string>& facts, int depth) {
  Expr e;
  const int pick = depth >= 4 ? r.Int(0, 1) : r.Int(0, 8);
  switch (pick) {
    case 0: {
      e.kind = Expr::Kind::kLiteral;
      e.unit = static_cast<LiteralUnit>(r.Int(0, 3));
      const int scale = r.Int(0, 4);
      std::int64_t m = r.Int(0, 99999);
      while (scale > 0 && m % 10 == 0 && m != 0) m /= 10;  // keep it normalised
      e.literal = Decimal{m, m == 0 ? 0 : scale};
      return e;
    }
    case 1:
      e.kind = Expr::Kind::kFact;
      e.fact = r.Pick(facts);
      return e;
    case 2:
      e.kind = Expr::Kind::kNeg;
      e.args.push_back(RandomExpr(r, facts, depth + 1));
      return e;
    case 7:
    case 8:
      e.kind = pick == 7 ? Expr::Kind::kMin : Expr::Kind::kMax;
      for (int i = r.Int(1, 3); i > 0; --i) e.args.push_back(RandomExpr(r, facts, depth + 1));
      return e;
    default:
      e.kind = static_cast<Expr::Kind>(static_cast<int>(Expr::Kind::kAdd) + pick - 3);
      e.args.push_back(RandomExpr(r, facts, depth + 1));
      e.args.push_back(RandomExpr(r, facts, depth + 1));
      return e;
  }
}

TEST(FormulaRandomTest, EverySpellingReadsBackTheSameFormula) {
  const FactSchema schema = FactSchema::Default();
  const std::vector<std::string> facts = {"employees", "insurance_paid_fen", "rd_ratio",
                                          "revenue_fen"};
  for (unsigned seed = 1; seed <= 400; ++seed) {
    Random r(seed);
    Formula f;
    f.expr = RandomExpr(r, facts, 0);
    f.rounding = static_cast<Rounding>(r.Int(0, 2));
    for (bool chinese : {false, true}) {
      const std::string text = FormulaToText(f, schema, chinese);
      Result<Formula> back = ParseFormula(text, schema);
      ASSERT_TRUE(back.has_value())
          << "seed " << seed << ": " << text << " → " << back.error().message;
      ASSERT_EQ(*back, f) << "seed " << seed << ": " << text;
    }
    const std::string json = boost::json::serialize(FormulaToJson(f));
    Result<Formula> back = FormulaFromJsonText(json, &schema);
    ASSERT_TRUE(back.has_value()) << "seed " << seed << ": " << json << " → "
                                  << back.error().message;
    ASSERT_EQ(*back, f) << "seed " << seed << ": " << json;
    // Evaluation gives an amount or one of the documented data errors, never anything else.
    Result<Fen> amount = Evaluate(f, {{"employees", 12.0},
                                      {"insurance_paid_fen", 123457.0},
                                      {"rd_ratio", 3.5},
                                      {"revenue_fen", 0.0}});
    if (!amount.has_value()) {
      EXPECT_TRUE(amount.error().reason == "policy.formula_div_zero" ||
                  amount.error().reason == "policy.formula_overflow")
          << "seed " << seed << ": " << amount.error().reason;
    }
  }
}

}  // namespace
}  // namespace onestop::policy
