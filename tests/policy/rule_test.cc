#include "policy/rule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "policy/cond_builders.h"
#include "testutil/matchers.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;

Cond MustJson(std::string_view text, const FactSchema* schema) {
  Result<Cond> r = FromJsonText(text, schema);
  EXPECT_TRUE(r.has_value()) << text << " → " << r.error().reason << " " << r.error().message;
  return r.has_value() ? *r : Cond{};
}

// --- schema ------------------------------------------------------------------------------

TEST(FactSchemaTest, DefaultDeclaresTheIssueFacts) {
  FactSchema s = FactSchema::Default();
  for (std::string_view key :
       {"industry", "region", "registered_on", "employees", "revenue_fen", "tax_paid_fen",
        "rd_ratio", "high_tech", "specialized", "small_micro", "credit_rating", "patents",
        "bad_credit", "insurance_paid_fen"}) {
    const FactDef* d = s.Find(key);
    ASSERT_NE(d, nullptr) << key;
    EXPECT_FALSE(d->label.empty()) << key;
    EXPECT_FALSE(d->source.empty()) << key;
  }
  EXPECT_EQ(s.Find("员工数"), s.Find("employees"));
  EXPECT_EQ(s.Find("employees")->type, FactType::kNumber);
  EXPECT_EQ(s.Find("行业代码")->type, FactType::kString);
  EXPECT_EQ(s.Find("失信")->key, "bad_credit");
  EXPECT_EQ(s.Find("失信")->type, FactType::kBool);
  EXPECT_EQ(s.Find("上年度失业保险缴费")->key, "insurance_paid_fen");
  EXPECT_EQ(s.Find("营业收入")->unit, "分");
  EXPECT_EQ(s.Find("no_such"), nullptr);
}

TEST(FactSchemaTest, AddChecksKeysAndLabels) {
  FactSchema s = FactSchema::Default();
  const std::size_t before = s.facts().size();
  EXPECT_TRUE(IsError(s.Add({"1abc", "甲", FactType::kNumber, "", ""}), ErrorCode::kInvalidArgument,
                      "policy.fact_key"));
  EXPECT_TRUE(IsError(s.Add({"has-dash", "乙", FactType::kNumber, "", ""}),
                      ErrorCode::kInvalidArgument, "policy.fact_key"));
  EXPECT_TRUE(IsError(s.Add({"between", "丙", FactType::kNumber, "", ""}),
                      ErrorCode::kInvalidArgument, "policy.fact_key"));
  EXPECT_TRUE(IsError(s.Add({"Max", "丁", FactType::kNumber, "", ""}), ErrorCode::kInvalidArgument,
                      "policy.fact_key"));
  EXPECT_TRUE(IsError(s.Add({"employees", "人数", FactType::kNumber, "", ""}),
                      ErrorCode::kInvalidArgument, "policy.fact_duplicate"));
  EXPECT_TRUE(IsError(s.Add({"staff", "员工数", FactType::kNumber, "", ""}),
                      ErrorCode::kInvalidArgument, "policy.fact_duplicate"));
  EXPECT_TRUE(IsError(s.Add({"staff", "员工 数", FactType::kNumber, "", ""}),
                      ErrorCode::kInvalidArgument, "policy.fact_label"));
  EXPECT_EQ(s.facts().size(), before);  // nothing added
  ASSERT_TRUE(s.Add({"export_fen", "出口额", FactType::kNumber, "海关", "分"}).has_value());
  EXPECT_EQ(s.Find("出口额")->key, "export_fen");
  EXPECT_EQ(s.facts().size(), before + 1);
}

TEST(FactSchemaTest, LabelsAndOperators) {
  EXPECT_EQ(FactTypeLabel(FactType::kNumber), "数值");
  EXPECT_EQ(FactTypeLabel(FactType::kString), "文本");
  EXPECT_EQ(FactTypeLabel(FactType::kBool), "是否");
  EXPECT_EQ(OpText(Op::kEq), "==");
  EXPECT_EQ(OpText(Op::kNe), "!=");
  EXPECT_EQ(OpText(Op::kLt), "<");
  EXPECT_EQ(OpText(Op::kLe), "<=");
  EXPECT_EQ(OpText(Op::kGt), ">");
  EXPECT_EQ(OpText(Op::kGe), ">=");
  EXPECT_EQ(OpText(Op::kIn), "in");
  EXPECT_EQ(OpText(Op::kPrefix), "prefix");
  EXPECT_EQ(OpText(Op::kBetween), "between");
}

// --- JSON --------------------------------------------------------------------------------

TEST(RuleJsonTest, ReadsEveryShape) {
  FactSchema s = FactSchema::Default();
  Cond c = MustJson(R"({"all":[
      {"fact":"industry","op":"prefix","value":"C39"},
      {"fact":"员工数","op":">=","value":50},
      {"not":{"fact":"bad_credit","op":"==","value":true}},
      {"any":[{"fact":"region","op":"in","value":["431382","431381"]},
              {"fact":"rd_ratio","op":"between","value":[3, 10.5]}]}]})",
                    &s);
  Cond want = All({Leaf("industry", Op::kPrefix, {std::string("C39")}),
                   Leaf("employees", Op::kGe, {50.0}), Not(Leaf("bad_credit", Op::kEq, {true})),
                   Any({Leaf("region", Op::kIn, {std::string("431382"), std::string("431381")}),
                        Leaf("rd_ratio", Op::kBetween, {3.0, 10.5})})});
  EXPECT_EQ(c, want);  // the label 员工数 became the key
}

TEST(RuleJsonTest, RoundTripsThroughToJson) {
  FactSchema s = FactSchema::Default();
  const std::string text =
      R"({"any":[{"all":[]},{"any":[]},{"not":{"fact":"patents","op":"<","value":-2.25}},)"
      R"({"fact":"credit_rating","op":"!=","value":"D"},{"fact":"employees","op":"in","value":[1,2,3]},)"
      R"({"fact":"revenue_fen","op":"<=","value":500000000000},{"fact":"high_tech","op":"!=","value":false}]})";
  Cond c = MustJson(text, &s);
  boost::json::value j = ToJson(c);
  // Integral numbers are written as integers, so the export reads like the import (Boost.JSON
  // spells other doubles with an exponent; any JSON reader takes it).
  std::string want = text;
  want.replace(want.find("-2.25"), 5, "-2.25E0");
  EXPECT_EQ(boost::json::serialize(j), want);
  Result<Cond> back = FromJson(j, &s);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, c);
}

TEST(RuleJsonTest, WithoutSchemaAnyFactNameIsKept) {
  Cond c = MustJson(R"({"fact":"whatever_x","op":"==","value":"a"})", nullptr);
  EXPECT_EQ(c, Leaf("whatever_x", Op::kEq, {std::string("a")}));
}

struct JsonErrorCase {
  const char* json;
  const char* reason;
  const char* fragment;
};

TEST(RuleJsonTest, RejectsBadInputWithPathAndReason) {
  FactSchema s = FactSchema::Default();
  const JsonErrorCase cases[] = {
      {"[1]", "policy.rule_json", "cond：条件应为对象"},
      {R"({"all":{}})", "policy.rule_json", "cond.all：all 的值应为条件列表"},
      {R"({"all":[],"any":[]})", "policy.rule_json", "只能有这一个键"},
      {R"({"all":[{"fact":"employees","op":">","value":1},{"fact":"employees"}]})",
       "policy.rule_json", "cond.all[1]：缺少 op"},
      {R"({"fact":"employees","op":">","value":1,"extra":2})", "policy.rule_json",
       "未知的键「extra」"},
      {R"({"fact":"employees","op":"~","value":1})", "policy.rule_op",
       "cond.op：未知的运算符「~」"},
      {R"({"fact":"employes","op":">","value":1})", "policy.unknown_fact",
       "cond.fact：未知的条件项「employes」"},
      {R"({"fact":"employees","op":">","value":"50"})", "policy.type_mismatch",
       "cond.value：「员工数」是数值类条件项"},
      {R"({"fact":"employees","op":"prefix","value":"5"})", "policy.rule_op",
       "不能使用运算符 prefix"},
      {R"({"fact":"industry","op":">=","value":"C"})", "policy.rule_op", "不能使用运算符 >="},
      {R"({"fact":"high_tech","op":"in","value":[true]})", "policy.rule_op", "不能使用运算符 in"},
      {R"({"fact":"high_tech","op":"==","value":1})", "policy.type_mismatch", "不是是否"},
      {R"({"fact":"employees","op":"in","value":5})", "policy.rule_json", "取值应为列表"},
      {R"({"fact":"employees","op":"in","value":[]})", "policy.rule_json", "不能为空"},
      {R"({"fact":"employees","op":"between","value":[1]})", "policy.rule_json", "两个取值"},
      {R"({"fact":"employees","op":"between","value":[9,1]})", "policy.rule_json", "大于上限"},
      {R"({"fact":"employees","op":"==","value":null})", "policy.rule_json", "实际是null"},
      {R"({"not":{"any":[{"fact":"x","op":"<","value":1}]}})", "policy.unknown_fact",
       "cond.not.any[0].fact"},
      {"{\"all\":[", "policy.rule_json", "不是有效的 JSON"},
  };
  for (const JsonErrorCase& k : cases) {
    Result<Cond> r = FromJsonText(k.json, &s);
    ASSERT_FALSE(r.has_value()) << k.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << k.json;
    EXPECT_EQ(r.error().reason, k.reason) << k.json << " " << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(k.fragment)) << k.json;
  }
}

TEST(RuleJsonTest, WithoutSchemaOperandsStillFitTheOperator) {
  EXPECT_TRUE(IsError(FromJsonText(R"({"fact":"a","op":"<","value":"x"})", nullptr),
                      ErrorCode::kInvalidArgument, "policy.type_mismatch"));
  EXPECT_TRUE(IsError(FromJsonText(R"({"fact":"a","op":"prefix","value":1})", nullptr),
                      ErrorCode::kInvalidArgument, "policy.type_mismatch"));
  EXPECT_TRUE(IsError(FromJsonText(R"({"fact":"a","op":"in","value":[1,"x"]})", nullptr),
                      ErrorCode::kInvalidArgument, "policy.type_mismatch"));
  EXPECT_TRUE(IsError(FromJsonText(R"({"fact":"a","op":"in","value":[true]})", nullptr),
                      ErrorCode::kInvalidArgument, "policy.type_mismatch"));
  EXPECT_TRUE(IsError(FromJsonText(R"({"fact":"","op":"==","value":1})", nullptr),
                      ErrorCode::kInvalidArgument, "policy.rule_json"));
  Result<Cond> r =
      FromJsonText(R"({"all":[{"fact":"a","op":"between","value":[1,"2"]}]})", nullptr);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "cond.all[0].value");
}

// --- evaluation --------------------------------------------------------------------------

TEST(EvaluateTest, EveryOperator) {
  Facts f{{"n", 50.0}, {"s", std::string("C3911")}, {"b", true}};
  auto eval = [&](Cond c) { return Evaluate(c, f); };
  EXPECT_TRUE(eval(Leaf("n", Op::kEq, {50.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kEq, {49.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kNe, {49.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kNe, {50.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kLt, {51.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kLt, {50.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kLe, {50.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kLe, {49.5})));
  EXPECT_TRUE(eval(Leaf("n", Op::kGt, {49.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kGt, {50.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kGe, {50.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kGe, {50.5})));
  EXPECT_TRUE(eval(Leaf("n", Op::kIn, {1.0, 50.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kIn, {1.0, 2.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kBetween, {50.0, 50.0})));
  EXPECT_TRUE(eval(Leaf("n", Op::kBetween, {10.0, 60.0})));
  EXPECT_FALSE(eval(Leaf("n", Op::kBetween, {51.0, 60.0})));
  EXPECT_TRUE(eval(Leaf("s", Op::kEq, {std::string("C3911")})));
  EXPECT_TRUE(eval(Leaf("s", Op::kNe, {std::string("C39")})));
  EXPECT_TRUE(eval(Leaf("s", Op::kIn, {std::string("A"), std::string("C3911")})));
  EXPECT_TRUE(eval(Leaf("s", Op::kPrefix, {std::string("C39")})));
  EXPECT_TRUE(eval(Leaf("s", Op::kPrefix, {std::string("")})));
  EXPECT_FALSE(eval(Leaf("s", Op::kPrefix, {std::string("C391x")})));
  EXPECT_TRUE(eval(Leaf("b", Op::kEq, {true})));
  EXPECT_FALSE(eval(Leaf("b", Op::kEq, {false})));
  EXPECT_TRUE(eval(Leaf("b", Op::kNe, {false})));
}

TEST(EvaluateTest, MissingFactOrOtherTypeMakesTheLeafFalseAndItsNotTrue) {
  Facts f{{"n", std::string("50")}};
  for (Op op : {Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe, Op::kIn, Op::kBetween}) {
    std::vector<Value> values =
        op == Op::kBetween ? std::vector<Value>{0.0, 100.0} : std::vector<Value>{50.0};
    EXPECT_FALSE(Evaluate(Leaf("n", op, values), f)) << OpText(op);        // other type
    EXPECT_FALSE(Evaluate(Leaf("missing", op, values), f)) << OpText(op);  // absent
    EXPECT_TRUE(Evaluate(Not(Leaf("missing", op, values)), f)) << OpText(op);
  }
  EXPECT_FALSE(Evaluate(Leaf("n", Op::kPrefix, {std::string("5")}), Facts{{"n", 50.0}}));
  // != is not "anything else": a missing fact does not differ from the operand.
  EXPECT_FALSE(Evaluate(Leaf("missing", Op::kNe, {std::string("D")}), f));
}

TEST(EvaluateTest, GroupsAndEmptyGroups) {
  Facts f{{"a", 1.0}};
  Cond yes = Leaf("a", Op::kEq, {1.0});
  Cond no = Leaf("a", Op::kEq, {2.0});
  EXPECT_TRUE(Evaluate(All({}), f));
  EXPECT_FALSE(Evaluate(Any({}), f));
  EXPECT_TRUE(Evaluate(All({yes, yes}), f));
  EXPECT_FALSE(Evaluate(All({yes, no}), f));
  EXPECT_TRUE(Evaluate(Any({no, yes}), f));
  EXPECT_FALSE(Evaluate(Any({no, no}), f));
  EXPECT_TRUE(Evaluate(Not(no), f));
  EXPECT_FALSE(Evaluate(Not(Not(no)), f));
  EXPECT_TRUE(Evaluate(All({Any({no, yes}), Not(All({yes, no}))}), f));
}

TEST(EvaluateTest, FactsReadListsEachFactOnceInFirstUseOrder) {
  Cond c = All({Leaf("b", Op::kEq, {true}),
                Any({Leaf("a", Op::kLt, {1.0}), Not(Leaf("b", Op::kEq, {false}))}),
                Leaf("c", Op::kIn, {std::string("x")}), Leaf("a", Op::kGt, {0.0})});
  EXPECT_THAT(FactsRead(c), ElementsAre("b", "a", "c"));
  EXPECT_TRUE(FactsRead(All({})).empty());
}

// --- files -------------------------------------------------------------------------------

TEST(PolicyFileTest, ParsesEntriesInFileOrder) {
  FactSchema s = FactSchema::Default();
  Result<std::vector<RuleEntry>> r = ParsePolicyFile(R"([
    {"id":"P002","title":"稳岗返还","cond":{"fact":"insurance_paid_fen","op":">","value":0}},
    {"id":"P001","title":"高企奖补","cond":{"all":[{"fact":"high_tech","op":"==","value":true}]}},
    {"id":"P003","cond":{"any":[]}}
  ])",
                                                     &s);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].id, "P002");
  EXPECT_EQ((*r)[0].title, "稳岗返还");
  EXPECT_EQ((*r)[0].cond, Leaf("insurance_paid_fen", Op::kGt, {0.0}));
  EXPECT_EQ((*r)[1].id, "P001");
  EXPECT_EQ((*r)[2].title, "");
  EXPECT_EQ((*r)[2].cond, Any({}));
}

TEST(PolicyFileTest, ErrorsNameTheEntry) {
  FactSchema s = FactSchema::Default();
  Result<std::vector<RuleEntry>> r = ParsePolicyFile(R"([
    {"id":"P001","title":"a","cond":{"all":[]}},
    {"id":"P002","title":"b","cond":{"all":[]}},
    {"id":"P003","title":"c","cond":{"all":[{"fact":"employes","op":">","value":1}]}}])",
                                                     &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.unknown_fact"));
  EXPECT_THAT(r.error().message, HasSubstr("第3条（id=P003）：cond.all[0].fact"));

  r = ParsePolicyFile(R"([{"id":"P1","cond":{"all":[]}},{"id":"P1","cond":{"all":[]}}])", &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.rule_json"));
  EXPECT_THAT(r.error().message, HasSubstr("第2条（id=P1）：id 与前面的条目重复"));

  r = ParsePolicyFile(R"([{"title":"x","cond":{"all":[]}}])", &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.rule_json"));
  EXPECT_THAT(r.error().message, HasSubstr("第1条：缺少 id"));

  r = ParsePolicyFile(R"([{"id":"P1"}])", &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.rule_json"));
  EXPECT_THAT(r.error().message, HasSubstr("缺少 cond"));

  r = ParsePolicyFile(R"({"id":"P1"})", &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.rule_json"));

  r = ParsePolicyFile("[\n  {\"id\":\"P1\",,}\n]", &s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.rule_json"));
  EXPECT_THAT(r.error().message, HasSubstr("第2行第14列"));
}

TEST(EnterpriseLineTest, ReadsScalarsAndSkipsNulls) {
  Result<EnterpriseLine> r = ParseEnterpriseLine(
      R"({"id":"E001","industry":"C3911","employees":35,"rd_ratio":4.5,"high_tech":true,"patents":null})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->id, "E001");
  EXPECT_EQ(r->facts.size(), 4u);
  EXPECT_EQ(r->facts.at("industry"), Value(std::string("C3911")));
  EXPECT_EQ(r->facts.at("employees"), Value(35.0));
  EXPECT_EQ(r->facts.at("rd_ratio"), Value(4.5));
  EXPECT_EQ(r->facts.at("high_tech"), Value(true));
  EXPECT_FALSE(r->facts.contains("patents"));
  EXPECT_FALSE(r->facts.contains("id"));
}

TEST(EnterpriseLineTest, RejectsBrokenLines) {
  for (const char* line :
       {"", "{", "[1,2]", R"({"employees":3})", R"({"id":5})", R"({"id":""})",
        R"({"id":"E1","x":[1]})", R"({"id":"E1","x":{"a":1}})", R"({"id":"E1"} trailing)"}) {
    EXPECT_TRUE(
        IsError(ParseEnterpriseLine(line), ErrorCode::kInvalidArgument, "policy.enterprise_line"))
        << line;
  }
  Result<EnterpriseLine> r = ParseEnterpriseLine(R"({"id":"E1","x":[1]})");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("「x」的值应为数值、文本或是否，实际是列表"));
}

TEST(EnterpriseLineTest, LongLinesAreFine) {
  std::string line = R"({"id":"E1")";
  for (int i = 0; i < 500; ++i)
    line += ",\"f" + std::to_string(i) + "\":\"" + std::string(40, 'x') + "\"";
  line += "}";
  Result<EnterpriseLine> r = ParseEnterpriseLine(line);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->facts.size(), 500u);
}

TEST(EnterpriseLineTest, MatchesRulesFromAPolicyFile) {
  FactSchema s = FactSchema::Default();
  Result<std::vector<RuleEntry>> rules = ParsePolicyFile(R"([
    {"id":"A","cond":{"all":[{"fact":"industry","op":"prefix","value":"C39"},
                             {"fact":"employees","op":">=","value":50},
                             {"not":{"fact":"bad_credit","op":"==","value":true}}]}}])",
                                                         &s);
  ASSERT_TRUE(rules.has_value());
  const Cond& c = (*rules)[0].cond;
  auto line = [](const char* text) { return ParseEnterpriseLine(text)->facts; };
  EXPECT_TRUE(Evaluate(c, line(R"({"id":"1","industry":"C3911","employees":50})")));
  EXPECT_FALSE(
      Evaluate(c, line(R"({"id":"2","industry":"C3911","employees":50,"bad_credit":true})")));
  EXPECT_TRUE(
      Evaluate(c, line(R"({"id":"3","industry":"C3911","employees":51,"bad_credit":false})")));
  EXPECT_FALSE(Evaluate(c, line(R"({"id":"4","industry":"C4011","employees":500})")));
  EXPECT_FALSE(Evaluate(c, line(R"({"id":"5","industry":"C3911"})")));
}

}  // namespace
}  // namespace onestop::policy
