#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/rule.h"

namespace onestop::policy {
namespace {

class ExplainTest : public ::testing::Test {
 protected:
  Explanation Run(std::string_view rule, const Facts& facts) {
    Result<Cond> c = ParseText(rule, schema_);
    EXPECT_TRUE(c.has_value()) << rule << " → " << c.error().message;
    return Explain(c.has_value() ? *c : Cond{}, facts, schema_);
  }
  std::vector<std::string> Texts(const Explanation& e) {
    std::vector<std::string> out;
    for (const LeafExplanation& l : e.leaves) out.push_back(l.text);
    return out;
  }
  FactSchema schema_ = FactSchema::Default();
};

TEST_F(ExplainTest, FailingLeafShowsTheActualValueAndTheOppositeRelation) {
  Explanation e =
      Run(R"(industry prefix "C39" and employees >= 50 and not bad_credit)",
          {{"industry", std::string("C3911")}, {"employees", 35.0}, {"bad_credit", false}});
  EXPECT_FALSE(e.eligible);
  ASSERT_EQ(e.leaves.size(), 3u);
  EXPECT_EQ(e.leaves[0].fact, "industry");
  EXPECT_EQ(e.leaves[0].label, "行业代码");
  EXPECT_TRUE(e.leaves[0].held);
  EXPECT_EQ(e.leaves[0].text, "行业代码 C3911 以 C39 开头");
  EXPECT_FALSE(e.leaves[1].held);
  EXPECT_FALSE(e.leaves[1].missing);
  EXPECT_EQ(e.leaves[1].text, "员工数 35 < 50");
  EXPECT_FALSE(e.leaves[2].held);  // the leaf 失信 is false, and the rule wants it so
  EXPECT_TRUE(e.leaves[2].negated);
  EXPECT_EQ(e.leaves[2].text, "失信 否");  // as `not 失信` wants it: no requirement shown
  EXPECT_FALSE(e.leaves[0].negated);

  // Large and small thresholds in plain digits, as people write them (not 1e+05).
  e = Run("employees >= 100000 and rd_ratio >= 0.000125",
          {{"employees", 3517.0}, {"rd_ratio", 0.5}});
  EXPECT_EQ(e.leaves[0].text, "员工数 3517 < 100000");
  EXPECT_EQ(e.leaves[1].text, "研发投入占比 0.5% ≥ 0.000125%");

  // Listed as 失信: the leaf holds, and `not` wanted it to fail.
  e = Run("not bad_credit", {{"bad_credit", true}});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.leaves[0].text, "失信 是，要求为 否");
}

TEST_F(ExplainTest, EligibleEnterpriseHeldLeavesReadAsTheRule) {
  Explanation e =
      Run(R"(employees >= 50 and patents > 2 and rd_ratio <= 10 and tax_paid_fen < 100)",
          {{"employees", 60.0}, {"patents", 3.0}, {"rd_ratio", 10.0}, {"tax_paid_fen", 99.0}});
  EXPECT_TRUE(e.eligible);
  EXPECT_THAT(Texts(e),
              ::testing::ElementsAre("员工数 60 ≥ 50", "专利数 3 > 2", "研发投入占比 10% ≤ 10%",
                                     "纳税额 0.99 元 < 1.00 元"));
  for (const LeafExplanation& l : e.leaves) EXPECT_TRUE(l.held);
}

TEST_F(ExplainTest, EveryOperatorHeldAndFailed) {
  const Facts f{{"employees", 35.0},
                {"industry", std::string("C4011")},
                {"region", std::string("431382")},
                {"credit_rating", std::string("B")},
                {"rd_ratio", 2.5},
                {"high_tech", true},
                {"revenue_fen", 123450.0}};
  struct Case {
    const char* rule;
    bool held;
    const char* text;
  };
  const Case cases[] = {
      {"employees == 35", true, "员工数 35 = 35"},
      {"employees == 50", false, "员工数 35 ≠ 50"},
      {"employees != 50", true, "员工数 35 ≠ 50"},
      {"employees != 35", false, "员工数 35 = 35"},
      {"employees < 50", true, "员工数 35 < 50"},
      {"employees < 30", false, "员工数 35 ≥ 30"},
      {"employees <= 35", true, "员工数 35 ≤ 35"},
      {"employees <= 30", false, "员工数 35 > 30"},
      {"employees > 30", true, "员工数 35 > 30"},
      {"employees > 35", false, "员工数 35 ≤ 35"},
      {"employees >= 35", true, "员工数 35 ≥ 35"},
      {"employees >= 50", false, "员工数 35 < 50"},
      {R"(credit_rating in ["A", "B"])", true, "信用等级 B 属于 [A、B]"},
      {R"(credit_rating in ["A", "M"])", false, "信用等级 B 不属于 [A、M]"},
      {"employees in [10, 20]", false, "员工数 35 不属于 [10、20]"},
      {R"(region prefix "4313")", true, "所在区划 431382 以 4313 开头"},
      {R"(industry prefix "C39")", false, "行业代码 C4011 不以 C39 开头"},
      {"rd_ratio between [2, 5]", true, "研发投入占比 2.5% 在 2% 至 5% 之间"},
      {"rd_ratio between [3, 5]", false, "研发投入占比 2.5% 不在 3% 至 5% 之间"},
      {R"(credit_rating == "A")", false, "信用等级 B ≠ A"},
      {"high_tech", true, "高新技术企业 是"},
      {"high_tech == false", false, "高新技术企业 是，要求为 否"},
      {"high_tech != true", false, "高新技术企业 是，要求为 否"},
      {"revenue_fen >= 500000000", false, "营业收入 1234.50 元 < 5000000.00 元"},
      {"revenue_fen between [0, 200000]", true,
       "营业收入 1234.50 元 在 0.00 元 至 2000.00 元 之间"},
  };
  for (const Case& k : cases) {
    Explanation e = Run(k.rule, f);
    ASSERT_EQ(e.leaves.size(), 1u) << k.rule;
    EXPECT_EQ(e.leaves[0].held, k.held) << k.rule;
    EXPECT_EQ(e.eligible, k.held) << k.rule;
    EXPECT_EQ(e.leaves[0].text, k.text) << k.rule;
  }
}

TEST_F(ExplainTest, MissingAndMistypedFacts) {
  Explanation e = Run("not bad_credit and employees >= 5 and patents > 0",
                      {{"employees", std::string("many")}});
  EXPECT_FALSE(e.eligible);
  ASSERT_EQ(e.leaves.size(), 3u);
  EXPECT_TRUE(e.leaves[0].missing);
  EXPECT_FALSE(e.leaves[0].held);
  EXPECT_TRUE(e.leaves[0].negated);
  EXPECT_EQ(e.leaves[0].text, "失信 无数据");
  EXPECT_FALSE(e.leaves[1].missing);
  EXPECT_FALSE(e.leaves[1].held);
  EXPECT_EQ(e.leaves[1].text, "员工数 many（应为数值，无法比较）");
  EXPECT_TRUE(e.leaves[2].missing);
  EXPECT_EQ(e.leaves[2].text, "专利数 无数据");
}

TEST_F(ExplainTest, LeavesInRuleOrderAndEligibilityFollowsEvaluate) {
  const char* rule =
      "(high_tech or specialized) and not (small_micro and employees < 10) or "
      "insurance_paid_fen > 0";
  const Facts f{{"high_tech", false},
                {"specialized", true},
                {"small_micro", true},
                {"employees", 5.0},
                {"insurance_paid_fen", 1.0}};
  Explanation e = Run(rule, f);
  EXPECT_TRUE(e.eligible);
  ASSERT_EQ(e.leaves.size(), 5u);
  EXPECT_THAT(Texts(e), ::testing::ElementsAre("高新技术企业 否，要求为 是", "专精特新 是",
                                               "小微企业 是，要求为 否", "员工数 5 < 10",
                                               "上年度失业保险缴费 0.01 元 > 0.00 元"));
  EXPECT_FALSE(e.leaves[1].negated);
  EXPECT_TRUE(e.leaves[2].negated);
  EXPECT_TRUE(e.leaves[3].negated);
  EXPECT_FALSE(e.leaves[4].negated);
  // An unknown fact (no schema entry) is shown by its key.
  Cond c;
  c.kind = Cond::Kind::kFact;
  c.fact = "subsidy_fen";
  c.op = Op::kGt;
  c.values = {Value(100.0)};
  Explanation u = Explain(c, {{"subsidy_fen", 250.0}}, schema_);
  ASSERT_EQ(u.leaves.size(), 1u);
  EXPECT_EQ(u.leaves[0].label, "subsidy_fen");
  EXPECT_EQ(u.leaves[0].text, "subsidy_fen 2.50 元 > 1.00 元");
  EXPECT_TRUE(Explain(c, {}, schema_).leaves[0].missing);
  EXPECT_TRUE(Explain(Cond{}, {}, schema_).eligible);  // all() holds, no leaves
  EXPECT_TRUE(Explain(Cond{}, {}, schema_).leaves.empty());
}

}  // namespace
}  // namespace onestop::policy
