#include "policy/formula.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "testutil/matchers.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testutil::IsError;

class FormulaTest : public ::testing::Test {
 protected:
  Formula Parse(std::string_view text) {
    Result<Formula> r = ParseFormula(text, schema_);
    EXPECT_TRUE(r.has_value()) << text << " → " << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : Formula{};
  }
  // The amount for `text` over `facts`; -999999 if it failed.
  Fen Amount(std::string_view text, const Facts& facts = {}) {
    Formula f = Parse(text);
    Result<Fen> r = Evaluate(f, facts);
    EXPECT_TRUE(r.has_value()) << text << " → " << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : -999999;
  }
  void ExpectSyntax(std::string_view text, const char* reason, const std::string& message) {
    Result<Formula> r = ParseFormula(text, schema_);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, reason)) << text;
    EXPECT_THAT(r.error().message, StartsWith(message)) << text;
  }
  FactSchema schema_ = FactSchema::Default();
};

TEST_F(FormulaTest, WenGangFanHuan) {
  // 稳岗返还 = min(上年度失业保险缴费 × 50%, 50万元).
  const char* ascii = "min(insurance_paid_fen * 50%, 50万元) round half_up";
  const char* chinese = "min(上年度失业保险缴费 × 50%, 50万元)，四舍五入";
  EXPECT_EQ(Parse(ascii), Parse(chinese));
  // 1234.57 元 paid → 617.285 元 → 61728.5 fen → 61729 fen.
  EXPECT_EQ(Amount(ascii, {{"insurance_paid_fen", 123457.0}}), 61729);
  EXPECT_EQ(Amount("min(insurance_paid_fen * 50%, 50万元) round down",
                   {{"insurance_paid_fen", 123457.0}}),
            61728);
  EXPECT_EQ(
      Amount("min(insurance_paid_fen * 50%, 50万元) round up", {{"insurance_paid_fen", 123457.0}}),
      61729);
  // 2,000,000 元 paid → half is 1,000,000 元, capped at 500,000 元 = 50,000,000 fen.
  EXPECT_EQ(Amount(chinese, {{"insurance_paid_fen", 200000000.0}}), 50000000);
  EXPECT_EQ(Amount(chinese, {{"insurance_paid_fen", 0.0}}), 0);
}

TEST_F(FormulaTest, UnitsOfLiterals) {
  EXPECT_EQ(Amount("1元 round down"), 100);
  EXPECT_EQ(Amount("0.5元 round down"), 50);
  EXPECT_EQ(Amount("2万元 round down"), 2000000);
  EXPECT_EQ(Amount("1.5万元 round down"), 1500000);
  EXPECT_EQ(Amount("200 * 12.5% round down"), 25);
  EXPECT_EQ(Amount("200 * 12.5％ round down"), 25);
  EXPECT_EQ(Amount("employees × 1000元，舍去", {{"employees", 35.0}}), 3500000);
}

TEST_F(FormulaTest, PrecedenceAssociativityAndFunctions) {
  EXPECT_EQ(Amount("2 + 3 * 4 round down"), 14);
  EXPECT_EQ(Amount("(2 + 3) * 4 round down"), 20);
  EXPECT_EQ(Amount("10 - 4 - 3 round down"), 3);
  EXPECT_EQ(Amount("10 - (4 - 3) round down"), 9);
  EXPECT_EQ(Amount("100 / 10 / 5 round down"), 2);
  EXPECT_EQ(Amount("100 / (10 / 5) round down"), 50);
  EXPECT_EQ(Amount("-3 * -2 round down"), 6);
  EXPECT_EQ(Amount("-(2 + 3) round down"), -5);
  EXPECT_EQ(Amount("2 - -3 round down"), 5);
  EXPECT_EQ(Amount("max(1, 3, 2) round down"), 3);
  EXPECT_EQ(Amount("min(5) round down"), 5);
  EXPECT_EQ(Amount("MIN(7, max(2, 4)) + 1 round down"), 5);
  EXPECT_EQ(Amount("（2 + 3）× 4 ÷ 2，舍去"), 10);
}

TEST_F(FormulaTest, ArithmeticIsExact) {
  // In doubles 1/3 + 1/3 + 1/3 and 7000/3*3 may fall just below the whole number; here not.
  EXPECT_EQ(Amount("1 / 3 + 1 / 3 + 1 / 3 round down"), 1);
  EXPECT_EQ(Amount("employees * 1000元 / 3 * 3 round down", {{"employees", 7.0}}), 700000);
  // 0.1 in the data is one tenth, not 0.1000000000000000055…
  EXPECT_EQ(Amount("layoff_rate * 30 round up", {{"layoff_rate", 0.1}}), 3);
  EXPECT_EQ(Amount("0.1 + 0.2 - 0.3 round up"), 0);
  // 研发投入占比 3.5 (%) of 10,000.01 元 → 350.00035 元 = 35000.035 fen.
  EXPECT_EQ(Amount("revenue_fen * rd_ratio / 100 round half_up",
                   {{"revenue_fen", 1000001.0}, {"rd_ratio", 3.5}}),
            35000);
  EXPECT_EQ(Amount("revenue_fen * rd_ratio / 100 round up",
                   {{"revenue_fen", 1000001.0}, {"rd_ratio", 3.5}}),
            35001);
  // Large amounts stay exact: 9e17 fen × 10 / 10.
  EXPECT_EQ(Amount("revenue_fen * 10 / 10 round down", {{"revenue_fen", 9e17}}),
            900000000000000000);
}

TEST_F(FormulaTest, RoundingRules) {
  struct Case {
    const char* expr;
    Fen half_up, down, up;
  };
  const Case cases[] = {
      {"5 / 2", 3, 2, 3},     {"7 / 3", 2, 2, 3},      {"8 / 3", 3, 2, 3},
      {"-5 / 2", -3, -2, -3}, {"-7 / 3", -2, -2, -3},  {"6 / 3", 2, 2, 2},
      {"1 / 1000", 0, 0, 1},  {"499 / 1000", 0, 0, 1}, {"500 / 1000", 1, 0, 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Amount(std::string(c.expr) + " round half_up"), c.half_up) << c.expr;
    EXPECT_EQ(Amount(std::string(c.expr) + " 四舍五入"), c.half_up) << c.expr;
    EXPECT_EQ(Amount(std::string(c.expr) + " round down"), c.down) << c.expr;
    EXPECT_EQ(Amount(std::string(c.expr) + "，舍去"), c.down) << c.expr;
    EXPECT_EQ(Amount(std::string(c.expr) + " round up"), c.up) << c.expr;
    EXPECT_EQ(Amount(std::string(c.expr) + ", 进一"), c.up) << c.expr;
  }
  EXPECT_EQ(RoundingLabel(Rounding::kHalfUp), "四舍五入");
  EXPECT_EQ(RoundingLabel(Rounding::kDown), "舍去");
  EXPECT_EQ(RoundingLabel(Rounding::kUp), "进一");
}

TEST_F(FormulaTest, EvaluationErrors) {
  Formula f = Parse("min(insurance_paid_fen * 50%, 50万元) round half_up");
  Result<Fen> r = Evaluate(f, {{"employees", 3.0}});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "policy.formula_missing_fact"));
  EXPECT_THAT(r.error().message, HasSubstr("insurance_paid_fen"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "insurance_paid_fen");

  r = Evaluate(f, {{"insurance_paid_fen", std::string("lots")}});
  EXPECT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "policy.type_mismatch"));

  r = Evaluate(Parse("revenue_fen / (employees - 5) round down"),
               {{"revenue_fen", 100.0}, {"employees", 5.0}});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "policy.formula_div_zero"));
  EXPECT_THAT(r.error().message, HasSubstr("employees - 5"));
  EXPECT_TRUE(IsError(Evaluate(Parse("1 / (1 - 1) round down"), {}), ErrorCode::kFailedPrecondition,
                      "policy.formula_div_zero"));

  // An intermediate beyond 128 bits: (10^18)^3 = 10^54.
  r = Evaluate(Parse("revenue_fen * revenue_fen * revenue_fen / revenue_fen round down"),
               {{"revenue_fen", 1e18}});
  EXPECT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "policy.formula_overflow"));
  // A result beyond the Fen range (10^20 fen).
  r = Evaluate(Parse("revenue_fen * 100 round down"), {{"revenue_fen", 1e18}});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "policy.formula_overflow"));
  EXPECT_THAT(r.error().message, HasSubstr("超出金额范围"));
  // The largest Fen itself is fine.
  EXPECT_EQ(Amount("922337203685477580 * 10 + 7 round down"), 9223372036854775807);
  EXPECT_TRUE(IsError(Evaluate(Parse("922337203685477580 * 10 + 8 round down"), {}),
                      ErrorCode::kFailedPrecondition, "policy.formula_overflow"));
  // A fact beyond 128 bits.
  EXPECT_TRUE(IsError(Evaluate(Parse("revenue_fen round down"), {{"revenue_fen", 1e300}}),
                      ErrorCode::kFailedPrecondition, "policy.formula_overflow"));
}

TEST_F(FormulaTest, SyntaxErrorsSayLineAndColumn) {
  ExpectSyntax("", "policy.formula_syntax", "第1行第1列：公式为空");
  ExpectSyntax("min(insurance_paid_fen * 50%, 50万元)", "policy.formula_syntax",
               "第1行第36列：缺少取整方式");
  ExpectSyntax("1 + 2 @ round down", "policy.formula_syntax", "第1行第7列：无法识别的字符「@」");
  ExpectSyntax("1 +", "policy.formula_syntax", "第1行第4列：公式不完整：结尾缺少数字");
  ExpectSyntax("1 + * 2 round down", "policy.formula_syntax",
               "第1行第5列：此处应为数字、条件项、min / max 或左括号，而不是「*」");
  ExpectSyntax("(1 + 2 round down", "policy.formula_syntax",
               "第1行第8列：此处应为右括号「)」或运算符");
  ExpectSyntax("(1 + 2", "policy.formula_syntax", "第1行第1列：左括号「(」缺少对应的右括号");
  ExpectSyntax("min() round down", "policy.formula_syntax", "第1行第5列：min 至少需要一个参数");
  ExpectSyntax("min(1 2) round down", "policy.formula_syntax",
               "第1行第7列：此处应为逗号或右括号「)」，而不是「2」");
  ExpectSyntax("max 1 round down", "policy.formula_syntax", "第1行第5列：此处应为max 后的左括号");
  ExpectSyntax("50人 round down", "policy.formula_syntax", "第1行第3列：数字后面不能直接跟「人」");
  ExpectSyntax("1. round down", "policy.formula_syntax", "第1行第2列：小数点后应为数字");
  ExpectSyntax("1234567890123456789 round down", "policy.formula_syntax", "第1行第1列：数字「");
  ExpectSyntax("0.1234567890123456 round down", "policy.formula_syntax", "第1行第1列：数字「");
  ExpectSyntax("1 round 2", "policy.formula_syntax",
               "第1行第9列：此处应为取整方式 half_up / down / up，而不是「2」");
  ExpectSyntax("1 round down + 1", "policy.formula_syntax",
               "第1行第14列：取整方式之后不能再有内容");
  ExpectSyntax("1 2 round down", "policy.formula_syntax", "第1行第3列：多余的内容「2」");
  ExpectSyntax("1，", "policy.formula_syntax", "第1行第3列：缺少取整方式");
  ExpectSyntax("1 + \xff round down", "policy.formula_syntax", "第1行第5列：公式不是有效的 UTF-8");
  ExpectSyntax("min(上年度失业保险缴费 × 50%,\n  员工数 × 1000元 ＋ 1)，四舍五入",
               "policy.formula_syntax", "第2行第15列：无法识别的字符「＋」");
  ExpectSyntax("emploees * 2 round down", "policy.unknown_fact",
               "第1行第1列：未知的条件项「emploees」");
  ExpectSyntax("1 + 员工人数 round down", "policy.unknown_fact",
               "第1行第5列：未知的条件项「员工人数」");
  ExpectSyntax("高新技术企业 * 1000元 round down", "policy.type_mismatch",
               "第1行第1列：「高新技术企业」是是否类条件项，公式只能用数值类条件项");
  ExpectSyntax("industry + 1 round down", "policy.type_mismatch",
               "第1行第1列：「industry」是文本类");
  std::string deep(300, '(');
  ExpectSyntax(deep + "1" + std::string(300, ')') + " round down", "policy.formula_syntax",
               "第1行第");
}

TEST_F(FormulaTest, ToTextAndRoundTrips) {
  Formula f = Parse("min(insurance_paid_fen × 50%, 50万元)，四舍五入");
  EXPECT_EQ(FormulaToText(f, schema_), "min(insurance_paid_fen * 50%, 50万元) round half_up");
  EXPECT_EQ(FormulaToText(f, schema_, true), "min(上年度失业保险缴费 × 50%, 50万元)，四舍五入");
  const char* texts[] = {
      "1 round down",
      "0.05 round up",
      "1 - (2 - 3) - 4 round down",
      "(1 + 2) * 3 / (4 / 5) round half_up",
      "1 + 2 * 3 - 4 / 5 round half_up",
      "-(1 + 2) * -3 round down",
      "-(-3) round down",
      "-(2 * 3) round down",
      "max(min(revenue_fen * 0.3%, 100万元), tax_paid_fen - 1.25元, 0) round up",
      "employees * 1000元 + patents * 0.5万元 round half_up",
      "revenue_fen / employees / 12 round down",
      "999999999999999999 - 0.000000000000000001 round down",
  };
  for (const char* text : texts) {
    Formula a = Parse(text);
    EXPECT_EQ(FormulaToText(a, schema_), text);
    for (bool chinese : {false, true}) {
      const std::string back = FormulaToText(a, schema_, chinese);
      Result<Formula> b = ParseFormula(back, schema_);
      ASSERT_TRUE(b.has_value()) << back << " → " << b.error().message;
      EXPECT_EQ(*b, a) << back;
    }
    Result<Formula> j = FormulaFromJson(FormulaToJson(a), &schema_);
    ASSERT_TRUE(j.has_value()) << text << " → " << j.error().message;
    EXPECT_EQ(*j, a) << boost::json::serialize(FormulaToJson(a));
  }
  // Structure the parser never builds (a left-nested tree is the parser's own; a right-nested
  // one keeps its parentheses).
  Formula right = Parse("1 + (2 + 3) round down");
  ASSERT_EQ(right.expr.kind, Expr::Kind::kAdd);
  EXPECT_EQ(right.expr.args[1].kind, Expr::Kind::kAdd);
  EXPECT_EQ(FormulaToText(right, schema_), "1 + (2 + 3) round down");
}

TEST_F(FormulaTest, JsonForm) {
  Result<Formula> f = FormulaFromJsonText(
      R"({"expr":{"min":[{"mul":[{"fact":"上年度失业保险缴费"},{"percent":50}]},{"wan_yuan":50}]},
          "rounding":"half_up"})",
      &schema_);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(*f, Parse("min(insurance_paid_fen * 50%, 50万元) round half_up"));
  EXPECT_EQ(
      boost::json::serialize(FormulaToJson(*f)),
      R"({"expr":{"min":[{"mul":[{"fact":"insurance_paid_fen"},{"percent":50}]},{"wan_yuan":50}]},"rounding":"half_up"})");
  // A negative number is a negated literal; decimals and yuan.
  Result<Formula> g = FormulaFromJsonText(
      R"({"expr":{"add":[-3,{"sub":[2.5,{"yuan":1.25}]}]},"rounding":"down"})", nullptr);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(*g, Parse("-3 + (2.5 - 1.25元) round down"));
  EXPECT_EQ(*Evaluate(*g, {}), -125);  // -3 + (2.5 - 125) = -125.5 → toward zero
  EXPECT_EQ(boost::json::serialize(FormulaToJson(*g)),
            R"({"expr":{"add":[-3,{"sub":[2.5E0,{"yuan":1.25E0}]}]},"rounding":"down"})");
}

TEST_F(FormulaTest, JsonErrorsNameThePath) {
  struct Case {
    const char* json;
    const char* reason;
    const char* fragment;
  };
  const Case cases[] = {
      {"[]", "policy.formula_json", "formula：公式应为对象"},
      {R"({"expr":1})", "policy.formula_json", "formula.rounding：缺少取整方式"},
      {R"({"expr":1,"rounding":"nearest"})", "policy.formula_json",
       "formula.rounding：取整方式应为"},
      {R"({"rounding":"up"})", "policy.formula_json", "formula：缺少 expr"},
      {R"({"expr":1,"rounding":"up","x":1})", "policy.formula_json", "未知的键「x」"},
      {R"({"expr":{"min":[]},"rounding":"up"})", "policy.formula_json",
       "formula.expr.min：min 应为非空列表"},
      {R"({"expr":{"add":[1]},"rounding":"up"})", "policy.formula_json",
       "formula.expr.add：add 应为两个元素的列表"},
      {R"({"expr":{"add":[1,{"pow":[1,2]}]},"rounding":"up"})", "policy.formula_json",
       "formula.expr.add[1]：未知的键「pow」"},
      {R"({"expr":{"mul":[1,"2"]},"rounding":"up"})", "policy.formula_json",
       "formula.expr.mul[1]：应为数值"},
      {R"({"expr":{"percent":-5},"rounding":"up"})", "policy.formula_json",
       "formula.expr.percent：不能为负数"},
      {R"({"expr":{"fact":"nope"},"rounding":"up"})", "policy.unknown_fact",
       "formula.expr.fact：未知的条件项「nope」"},
      {R"({"expr":{"fact":"high_tech"},"rounding":"up"})", "policy.type_mismatch", "是否类条件项"},
      {R"({"expr":{"fact":1},"rounding":"up"})", "policy.formula_json", "fact 应为非空文本"},
      {R"({"expr":0.12345678901234567,"rounding":"up"})", "policy.formula_json", "数值超出范围"},
      {R"({"expr":1e300,"rounding":"up"})", "policy.formula_json", "数值超出范围"},
      {R"({"expr":{"neg":{"neg":{}}},"rounding":"up"})", "policy.formula_json",
       "formula.expr.neg.neg："},
      {R"({"expr":)", "policy.formula_json", "公式不是有效的 JSON（第1行第9列）"},
  };
  for (const Case& c : cases) {
    Result<Formula> r = FormulaFromJsonText(c.json, &schema_);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, c.reason)) << c.json;
    EXPECT_THAT(r.error().message, HasSubstr(c.fragment)) << c.json;
  }
}

TEST_F(FormulaTest, FactsReadInFirstUseOrder) {
  EXPECT_THAT(
      FactsRead(Parse("max(employees * 1元, revenue_fen / employees) + patents round down")),
      ElementsAre("employees", "revenue_fen", "patents"));
  EXPECT_TRUE(FactsRead(Parse("1 round down")).empty());
}

}  // namespace
}  // namespace onestop::policy
