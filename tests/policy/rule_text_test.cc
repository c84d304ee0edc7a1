#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/cond_builders.h"
#include "policy/rule.h"
#include "testutil/matchers.h"

namespace onestop::policy {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;

Value S(const char* s) { return Value(std::string(s)); }

class RuleTextTest : public ::testing::Test {
 protected:
  Cond Parse(std::string_view text) {
    Result<Cond> r = ParseText(text, schema_);
    EXPECT_TRUE(r.has_value()) << text << " → " << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : Cond{};
  }
  // Parses `text` expecting an error with `reason` whose message starts with `message`.
  void ExpectError(std::string_view text, const char* reason, const std::string& message) {
    Result<Cond> r = ParseText(text, schema_);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, reason)) << text;
    EXPECT_THAT(r.error().message, ::testing::StartsWith(message)) << text;
  }
  FactSchema schema_ = FactSchema::Default();
};

TEST_F(RuleTextTest, TheIssueExample) {
  EXPECT_EQ(Parse(R"(industry prefix "C39" and employees >= 50 and not bad_credit)"),
            All({Leaf("industry", Op::kPrefix, {S("C39")}), Leaf("employees", Op::kGe, {50.0}),
                 Not(Leaf("bad_credit", Op::kEq, {true}))}));
}

TEST_F(RuleTextTest, EveryOperator) {
  EXPECT_EQ(Parse("employees == 5"), Leaf("employees", Op::kEq, {5.0}));
  EXPECT_EQ(Parse("employees = 5"), Leaf("employees", Op::kEq, {5.0}));
  EXPECT_EQ(Parse("employees != 5"), Leaf("employees", Op::kNe, {5.0}));
  EXPECT_EQ(Parse("employees ≠ 5"), Leaf("employees", Op::kNe, {5.0}));
  EXPECT_EQ(Parse("employees < 5"), Leaf("employees", Op::kLt, {5.0}));
  EXPECT_EQ(Parse("employees <= 5"), Leaf("employees", Op::kLe, {5.0}));
  EXPECT_EQ(Parse("employees ≤ 5"), Leaf("employees", Op::kLe, {5.0}));
  EXPECT_EQ(Parse("employees > 5"), Leaf("employees", Op::kGt, {5.0}));
  EXPECT_EQ(Parse("employees >= 5"), Leaf("employees", Op::kGe, {5.0}));
  EXPECT_EQ(Parse("employees ≥ 5"), Leaf("employees", Op::kGe, {5.0}));
  EXPECT_EQ(Parse("employees>=5"), Leaf("employees", Op::kGe, {5.0}));
  EXPECT_EQ(Parse("employees in [1, 2.5, -3]"), Leaf("employees", Op::kIn, {1.0, 2.5, -3.0}));
  EXPECT_EQ(Parse(R"(region in ["431382","431381"])"),
            Leaf("region", Op::kIn, {S("431382"), S("431381")}));
  EXPECT_EQ(Parse(R"(industry prefix "C39")"), Leaf("industry", Op::kPrefix, {S("C39")}));
  EXPECT_EQ(Parse("rd_ratio between [3, 1e1]"), Leaf("rd_ratio", Op::kBetween, {3.0, 10.0}));
  EXPECT_EQ(Parse(R"(credit_rating == "A")"), Leaf("credit_rating", Op::kEq, {S("A")}));
  EXPECT_EQ(Parse("high_tech == false"), Leaf("high_tech", Op::kEq, {false}));
  EXPECT_EQ(Parse("high_tech != TRUE"), Leaf("high_tech", Op::kNe, {true}));
  EXPECT_EQ(Parse("high_tech"), Leaf("high_tech", Op::kEq, {true}));
  EXPECT_EQ(Parse("tax_paid_fen > -0.5"), Leaf("tax_paid_fen", Op::kGt, {-0.5}));
  EXPECT_EQ(Parse(R"(industry == "a\"b\\c\n\u4e2d")"),
            Leaf("industry", Op::kEq, {S("a\"b\\c\n中")}));
}

TEST_F(RuleTextTest, AndBindsTighterThanOrAndParenthesesGroup) {
  Cond a = Leaf("high_tech", Op::kEq, {true});
  Cond b = Leaf("specialized", Op::kEq, {true});
  Cond c = Leaf("small_micro", Op::kEq, {true});
  EXPECT_EQ(Parse("high_tech or specialized and small_micro"), Any({a, All({b, c})}));
  EXPECT_EQ(Parse("high_tech and specialized or small_micro"), Any({All({a, b}), c}));
  EXPECT_EQ(Parse("(high_tech or specialized) and small_micro"), All({Any({a, b}), c}));
  EXPECT_EQ(Parse("not high_tech and specialized"), All({Not(a), b}));
  EXPECT_EQ(Parse("not (high_tech and specialized)"), Not(All({a, b})));
  EXPECT_EQ(Parse("not not high_tech"), Not(Not(a)));
  EXPECT_EQ(Parse("high_tech and (specialized and small_micro)"), All({a, All({b, c})}));
  EXPECT_EQ(Parse("high_tech and specialized and small_micro"), All({a, b, c}));
  EXPECT_EQ(Parse("((high_tech))"), a);
  EXPECT_EQ(Parse("all()"), All({}));
  EXPECT_EQ(Parse("any()"), Any({}));
  EXPECT_EQ(Parse("all(high_tech)"), All({a}));
  EXPECT_EQ(Parse("any(high_tech, specialized or small_micro)"), Any({a, Any({b, c})}));
  ExpectError("HIGH_TECH", "policy.unknown_fact", "第1行第1列");  // keys are case-sensitive
  EXPECT_EQ(Parse("high_tech AND specialized Or small_micro"), Any({All({a, b}), c}));
}

TEST_F(RuleTextTest, ChineseLabelsAndKeywords) {
  Cond want = All({Leaf("industry", Op::kPrefix, {S("C39")}), Leaf("employees", Op::kGe, {50.0}),
                   Not(Leaf("bad_credit", Op::kEq, {true}))});
  EXPECT_EQ(Parse(R"(行业代码 prefix "C39" 且 员工数 >= 50 且 非 失信)"), want);
  // Without spaces, with full-width brackets, quotes and the ideographic space.
  EXPECT_EQ(Parse("行业代码 prefix “C39”且员工数≥50且非失信"), want);
  EXPECT_EQ(Parse("（高新技术企业或专精特新）且　小微企业 == 是"),
            All({Any({Leaf("high_tech", Op::kEq, {true}), Leaf("specialized", Op::kEq, {true})}),
                 Leaf("small_micro", Op::kEq, {true})}));
  EXPECT_EQ(Parse("所在区划 in [\"431382\"，\"431381\"] 或 失信 == 否"),
            Any({Leaf("region", Op::kIn, {S("431382"), S("431381")}),
                 Leaf("bad_credit", Op::kEq, {false})}));
  EXPECT_EQ(Parse("上年度失业保险缴费 > 0 and 员工数 < 500"),
            All({Leaf("insurance_paid_fen", Op::kGt, {0.0}), Leaf("employees", Op::kLt, {500.0})}));
  EXPECT_EQ(Parse("全部(失信)"), All({Leaf("bad_credit", Op::kEq, {true})}));
  EXPECT_EQ(Parse("任一()"), Any({}));
  // Keys and labels mix.
  EXPECT_EQ(Parse("员工数 >= 50 and patents > 0"),
            All({Leaf("employees", Op::kGe, {50.0}), Leaf("patents", Op::kGt, {0.0})}));
}

TEST_F(RuleTextTest, SyntaxErrorsSayLineAndColumnInCharacters) {
  ExpectError("", "policy.rule_syntax", "第1行第1列：条件为空");
  ExpectError("   \n ", "policy.rule_syntax", "第2行第2列：条件为空");
  ExpectError("employees >= 50 @", "policy.rule_syntax", "第1行第17列：无法识别的字符「@」");
  ExpectError("员工数 >= 50 且 专利数 > ￥", "policy.rule_syntax",
              "第1行第19列：无法识别的字符「￥」");
  ExpectError("员工数 >= 50 且\n  专利数 > 1 且 失信。", "policy.rule_syntax",
              "第2行第15列：无法识别的字符「。」");
  ExpectError("industry prefix \"C39", "policy.rule_syntax", "第1行第17列：文本缺少结尾的引号");
  ExpectError("industry prefix \"C\n39\"", "policy.rule_syntax", "第1行第17列：文本缺少结尾的引号");
  ExpectError(R"(industry prefix "C\q")", "policy.rule_syntax", "第1行第19列：无效的转义「\\q」");
  ExpectError(R"(industry prefix "\u12")", "policy.rule_syntax", "第1行第18列：无效的转义");
  ExpectError("employees >= ", "policy.rule_syntax",
              "第1行第14列：条件不完整：结尾缺少运算符 >= 后的取值");
  ExpectError(
      "employees >= and", "policy.rule_syntax",
      "第1行第14列：此处应为运算符 >= 后的取值（数字、\"文本\"、true / false），而不是「and」");
  ExpectError("employees >= - 5", "policy.rule_syntax", "第1行第16列：此处应为负号后的数字");
  ExpectError("employees >= 50人", "policy.rule_syntax", "第1行第16列：数字后面不能直接跟「人」");
  ExpectError("employees >= 5.", "policy.rule_syntax", "第1行第15列：数字后面不能直接跟「.」");
  ExpectError("(high_tech and specialized", "policy.rule_syntax",
              "第1行第1列：左括号「(」缺少对应的右括号「)」");
  ExpectError("（高新技术企业 且 专精特新 小微企业）", "policy.rule_syntax",
              "第1行第16列：此处应为右括号「)」或 and / or，而不是「小微企业」");
  ExpectError("high_tech)", "policy.rule_syntax", "第1行第10列：多余的右括号「)」");
  ExpectError("high_tech specialized", "policy.rule_syntax",
              "第1行第11列：多余的内容「specialized」");
  ExpectError("and high_tech", "policy.rule_syntax",
              "第1行第1列：此处应为条件（条件项、not、左括号），而不是「and」");
  ExpectError("high_tech and", "policy.rule_syntax", "第1行第14列：条件不完整：结尾缺少条件");
  ExpectError("not", "policy.rule_syntax", "第1行第4列：条件不完整");
  ExpectError("employees in 5", "policy.rule_syntax",
              "第1行第14列：此处应为运算符 in 后的列表「[」");
  ExpectError("employees in [1 2]", "policy.rule_syntax",
              "第1行第17列：此处应为逗号或右方括号「]」，而不是「2」");
  ExpectError("employees in []", "policy.rule_syntax", "第1行第14列：运算符 in 的取值列表不能为空");
  ExpectError("employees between [1]", "policy.rule_syntax", "第1行第19列：运算符 between 需要");
  ExpectError("employees between [9, 1]", "policy.rule_syntax",
              "第1行第19列：运算符 between 的下限 9 大于上限 1");
  ExpectError("all high_tech", "policy.rule_syntax", "第1行第5列：此处应为「all」后的左括号「(」");
  ExpectError("all(high_tech specialized)", "policy.rule_syntax",
              "第1行第15列：此处应为逗号或右括号「)」");
  ExpectError("high_tech == \xff", "policy.rule_syntax", "第1行第14列：文本不是有效的 UTF-8");
  ExpectError("员工数 == \xe4\xb8", "policy.rule_syntax", "第1行第8列：文本不是有效的 UTF-8");
}

TEST_F(RuleTextTest, UnknownFactsTypeMismatchesAndOperators) {
  ExpectError("emploees >= 5", "policy.unknown_fact", "第1行第1列：未知的条件项「emploees」");
  ExpectError("high_tech and\n  员工人数 >= 5", "policy.unknown_fact",
              "第2行第3列：未知的条件项「员工人数」");
  ExpectError("员工数量 >= 5", "policy.unknown_fact", "第1行第1列：未知的条件项「员工数量」");
  ExpectError("employees == \"5\"", "policy.type_mismatch",
              "第1行第14列：「员工数」是数值类条件项，取值 \"5\" 不是数值");
  ExpectError("high_tech == 1", "policy.type_mismatch",
              "第1行第14列：「高新技术企业」是是否类条件项");
  ExpectError("employees and high_tech", "policy.type_mismatch",
              "第1行第1列：「employees」是数值类条件项，要写出比较，如 employees >= 50");
  ExpectError("行业代码 且 失信", "policy.type_mismatch",
              "第1行第1列：「行业代码」是文本类条件项，要写出比较");
  ExpectError("industry >= \"C\"", "policy.rule_op",
              "第1行第10列：「行业代码」是文本类条件项，不能使用运算符 >=");
  ExpectError("员工数 prefix \"5\"", "policy.rule_op",
              "第1行第5列：「员工数」是数值类条件项，不能使用运算符 prefix");
  ExpectError("失信 in [true]", "policy.rule_op",
              "第1行第4列：「失信」是是否类条件项，不能使用运算符 in");
  ExpectError("employees in [1, \"a\"]", "policy.type_mismatch",
              "第1行第14列：「员工数」是数值类条件项，取值 \"a\"");
}

TEST_F(RuleTextTest, NestingIsBounded) {
  std::string deep(300, '(');
  deep += "high_tech";
  deep += std::string(300, ')');
  ExpectError(deep, "policy.rule_syntax", "第1行第");
  std::string nots;
  for (int i = 0; i < 300; ++i) nots += "not ";
  ExpectError(nots + "high_tech", "policy.rule_syntax", "第1行第");
  std::string ok(50, '(');
  ok += "high_tech";
  ok += std::string(50, ')');
  EXPECT_EQ(Parse(ok), Leaf("high_tech", Op::kEq, {true}));
}

TEST_F(RuleTextTest, ToTextReadsWell) {
  Cond c = All({Leaf("industry", Op::kPrefix, {S("C39")}), Leaf("employees", Op::kGe, {50.0}),
                Not(Leaf("bad_credit", Op::kEq, {true}))});
  EXPECT_EQ(ToText(c, schema_), R"(industry prefix "C39" and employees >= 50 and not bad_credit)");
  EXPECT_EQ(ToText(c, schema_, true), R"(行业代码 prefix "C39" 且 员工数 >= 50 且 非 失信)");
  Cond d = Any(
      {All({Leaf("high_tech", Op::kEq, {true}), Leaf("rd_ratio", Op::kBetween, {3.0, 5.5})}),
       Leaf("region", Op::kIn, {S("431382"), S("431381")}), Leaf("specialized", Op::kNe, {false})});
  EXPECT_EQ(
      ToText(d, schema_),
      R"((high_tech and rd_ratio between [3, 5.5]) or region in ["431382", "431381"] or specialized != false)");
  EXPECT_EQ(
      ToText(d, schema_, true),
      R"((高新技术企业 且 研发投入占比 between [3, 5.5]) 或 所在区划 in ["431382", "431381"] 或 专精特新 != 否)");
  EXPECT_EQ(ToText(All({}), schema_), "all()");
  EXPECT_EQ(ToText(Any({}), schema_, true), "任一()");
  EXPECT_EQ(
      ToText(Not(Any({Leaf("high_tech", Op::kEq, {true}), Leaf("small_micro", Op::kEq, {true})})),
             schema_),
      "not (high_tech or small_micro)");
}

TEST_F(RuleTextTest, RoundTripsInBothSpellings) {
  const std::vector<Cond> rules = {
      Leaf("employees", Op::kGe, {50.0}),
      Leaf("tax_paid_fen", Op::kLt, {-12345678901.5}),
      Leaf("rd_ratio", Op::kLe, {0.1}),
      Leaf("revenue_fen", Op::kGt, {1e21}),
      Leaf("patents", Op::kNe, {0.0}),
      Leaf("registered_on", Op::kBetween, {20200101.0, 20231231.0}),
      Leaf("credit_rating", Op::kIn, {S("A"), S("B"), S("M")}),
      Leaf("industry", Op::kEq, {S("with \"quotes\" \\ and\nnewline\tand \x01 中文")}),
      Leaf("industry", Op::kPrefix, {S("")}),
      Leaf("high_tech", Op::kEq, {false}),
      Leaf("high_tech", Op::kNe, {true}),
      All({}),
      Any({}),
      All({Leaf("high_tech", Op::kEq, {true})}),
      Any({Not(All({}))}),
      Not(Not(Leaf("bad_credit", Op::kEq, {true}))),
      All({Leaf("a_missing_from_nothing", Op::kEq, {1.0})}),  // replaced below
      All({All({Leaf("high_tech", Op::kEq, {true}), Leaf("specialized", Op::kEq, {true})}),
           Any({Any({Leaf("small_micro", Op::kEq, {true}), Leaf("bad_credit", Op::kEq, {false})}),
                Leaf("employees", Op::kIn, {1.0, 2.0})})}),
      Any({All({Leaf("patents", Op::kGt, {3.0}),
                Not(Any({Leaf("region", Op::kPrefix, {S("4313")}),
                         Leaf("industry", Op::kPrefix, {S("C")})}))}),
           Leaf("insurance_paid_fen", Op::kGe, {100000.0}), Not(All({}))}),
  };
  for (Cond c : rules) {
    if (c.kind == Cond::Kind::kAll && c.children.size() == 1 &&
        c.children[0].fact == "a_missing_from_nothing") {
      c.children[0] = Leaf("layoff_rate", Op::kLe, {5.5});
    }
    for (bool chinese : {false, true}) {
      const std::string text = ToText(c, schema_, chinese);
      Result<Cond> back = ParseText(text, schema_);
      ASSERT_TRUE(back.has_value()) << text << " → " << back.error().message;
      EXPECT_EQ(*back, c) << text;
      // And through JSON.
      Result<Cond> via_json = FromJson(ToJson(*back), &schema_);
      ASSERT_TRUE(via_json.has_value()) << text;
      EXPECT_EQ(*via_json, c) << text;
    }
  }
}

TEST_F(RuleTextTest, DeclaredFactsAreUsableInText) {
  ASSERT_TRUE(schema_.Add({"export_fen", "出口额", FactType::kNumber, "海关", "分"}).has_value());
  ASSERT_TRUE(
      schema_.Add({"export_share", "出口额占比", FactType::kNumber, "海关", "%"}).has_value());
  // The longest label wins: 出口额占比 is not 出口额 followed by 占比.
  EXPECT_EQ(Parse("出口额占比 > 30 且 出口额 > 0"),
            All({Leaf("export_share", Op::kGt, {30.0}), Leaf("export_fen", Op::kGt, {0.0})}));
}

}  // namespace
}  // namespace onestop::policy
