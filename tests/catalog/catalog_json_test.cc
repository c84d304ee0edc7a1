// The JSON exchange format (catalog_json.h) and the position index used for line-precise import
// errors (json_positions.h).
#include "catalog/catalog_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "catalog/json_positions.h"
#include "catalog_fixtures.h"
#include "testutil/matchers.h"

namespace onestop::catalog {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeBirthBundle;
using testing::ValidItem;
using testutil::IsError;

// Field paths of a failed read.
template <typename T>
std::vector<std::string> Paths(const Result<T>& r) {
  std::vector<std::string> out;
  if (!r.has_value()) {
    for (const FieldError& f : r.error().fields) out.push_back(f.field);
  }
  return out;
}

Item FullItem() {
  Item item = ValidItem();
  item.version = 7;
  item.charged = true;
  item.fee_fen = 12050;
  item.fee_basis = "湘发改价费〔2020〕1号";
  item.online_payment = true;
  item.mail_application = true;
  item.explanation = "一说明：\"引号\"与换行\n第二行";
  item.result = {"准予许可决定书", "doc.permit", "11100000000013338W032", {"permitNo", "validTo"}};
  item.appointment = true;
  item.express_delivery = true;
  item.commitment_allowed = true;
  item.deemed_approval_allowed = true;
  item.deemed_approval_days = 10;
  item.statutory_limit = {30, LimitUnit::kNaturalDays, "受理之日起30日"};
  Material m = testing::Mat("doc.plan", "平面图", 0, 2, MaterialNeed::kDeferable);
  m.paper_size = "A3";
  m.source = SourceChannel::kGovernment;
  m.issuer = "长沙市自然资源和规划局";
  m.licence_type = "11100000MB0341032Y002";
  m.blank_form_url = "https://example.gov.cn/blank.docx";
  m.sample_url = "https://example.gov.cn/sample.pdf";
  m.note = "加盖公章";
  item.materials.push_back(m);
  FormField area = testing::Field("site.area", "用地面积（平方米）", FieldType::kNumber);
  area.min = 0.5;
  area.max = 100000;
  area.required = false;
  area.hint = "保留两位小数";
  item.fields.push_back(area);
  FormField kind = testing::Field("site.kind", "用地性质", FieldType::kSelect);
  kind.options = {"住宅", "商业"};
  item.fields.push_back(kind);
  item.steps[0].department_code = "HN-CS-XSPJ";
  return item;
}

TEST(CatalogJsonTest, AnItemSurvivesTheRoundTrip) {
  const Item item = FullItem();
  json::object o = ItemToJson(item);
  Result<Item> back = ItemFromJson(o);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, item);
  // Through text as well (numbers, escapes, UTF-8).
  back = ItemFromJson(json::parse(json::serialize(o)));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, item);
  back = ItemFromJson(json::parse(PrettyJson(o)));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, item);
}

TEST(CatalogJsonTest, ItemKeysAreCamelCaseAndEnumsAreCodes) {
  json::object o = ItemToJson(FullItem());
  EXPECT_EQ(o.at("basicCode").as_string(), "000100001000");
  EXPECT_EQ(o.at("version").as_int64(), 7);
  EXPECT_EQ(o.at("statutoryLimit").at("unit").as_string(), "natural_days");
  EXPECT_EQ(o.at("promisedLimit").at("unit").as_string(), "working_days");
  EXPECT_EQ(o.at("feeFen").as_int64(), 12050);
  EXPECT_EQ(o.at("deemedApprovalDays").as_int64(), 10);
  const json::object& mat = o.at("materials").as_array()[1].as_object();
  EXPECT_EQ(mat.at("need").as_string(), "deferable");
  EXPECT_EQ(mat.at("source").as_int64(), 20);
  EXPECT_EQ(mat.at("paperSize").as_string(), "A3");
  const json::object& field = o.at("fields").as_array()[0].as_object();
  EXPECT_EQ(field.at("type").as_string(), "idNumber");
  EXPECT_TRUE(field.at("min").is_null());
  const json::object& area = o.at("fields").as_array()[1].as_object();
  EXPECT_EQ(area.at("min").as_double(), 0.5);
  EXPECT_EQ(area.at("max").as_int64(), 100000);  // whole numbers stay integers
  EXPECT_TRUE(o.at("steps").as_array()[0].at("limitWorkingDays").is_null());
  EXPECT_EQ(o.at("steps").as_array()[1].at("limitWorkingDays").as_int64(), 3);
  EXPECT_EQ(o.at("result").at("fields").as_array().size(), 2u);
  EXPECT_EQ(ItemToJson(Item{}).at("deemedApprovalDays"), json::value(nullptr));
}

TEST(CatalogJsonTest, AbsentKeysTakeTheDefaultsAndNullIsAbsent) {
  Result<Item> empty = ItemFromJson(json::object{});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(*empty, Item{});
  Result<Item> nulls = ItemFromJson(json::parse(
      R"({"deemedApprovalDays": null, "materials": null, "level": null, "name": null})"));
  ASSERT_TRUE(nulls.has_value());
  EXPECT_EQ(*nulls, Item{});
}

TEST(CatalogJsonTest, UnknownKeysAndWrongTypesAreErrorsAtTheirPath) {
  Result<Item> r = ItemFromJson(json::parse(R"({
    "nmae": "x", "level": "3", "charged": 1, "serviceObjects": [1, "2"],
    "promisedLimit": {"value": 1.5, "unit": "days"},
    "materials": [{"key": "a", "kye": "b", "need": "must", "source": 30, "copies": 1e20}],
    "fields": [{"key": "f", "type": "IdNumber", "options": "a", "min": "0"}],
    "steps": {"name": "受理"},
    "result": []
  })"));
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.bad_json"));
  EXPECT_THAT(Paths(r),
              ElementsAre("level", "serviceObjects[1]", "promisedLimit.value", "promisedLimit.unit",
                          "charged", "result", "materials[0].need", "materials[0].copies",
                          "materials[0].source", "materials[0].kye", "fields[0].type",
                          "fields[0].options", "fields[0].min", "steps", "nmae"));
  std::map<std::string, std::string> by_path;
  for (const FieldError& f : r.error().fields) by_path[f.field] = f.message;
  EXPECT_EQ(by_path["level"], "应为整数");
  EXPECT_EQ(by_path["charged"], "应为 true 或 false");
  EXPECT_EQ(by_path["promisedLimit.value"], "应为整数");
  EXPECT_THAT(by_path["promisedLimit.unit"], HasSubstr("working_days"));
  EXPECT_EQ(by_path["result"], "应为对象");
  EXPECT_THAT(by_path["materials[0].need"], HasSubstr("deferable"));
  EXPECT_EQ(by_path["materials[0].copies"], "应为整数");
  EXPECT_THAT(by_path["materials[0].source"], HasSubstr("10"));
  EXPECT_EQ(by_path["materials[0].kye"], "未知的键（拼写错误？）");
  EXPECT_THAT(by_path["fields[0].type"], HasSubstr("idNumber"));
  EXPECT_EQ(by_path["fields[0].options"], "应为数组");
  EXPECT_EQ(by_path["fields[0].min"], "应为数字");
  EXPECT_EQ(by_path["steps"], "应为数组");
  EXPECT_THAT(r.error().message, HasSubstr("JSON 内容有误：level 应为整数"));

  EXPECT_THAT(Paths(ItemFromJson(json::array{})), ElementsAre(""));
  EXPECT_THAT(Paths(ItemFromJson(json::parse(R"({"level": 3000000000})"))), ElementsAre("level"));
}

TEST(CatalogJsonTest, ABundleSurvivesTheRoundTripAndIsReadStrictly) {
  const Bundle bundle = MakeBirthBundle().bundle;
  json::object o = BundleToJson(bundle);
  EXPECT_EQ(o.at("items").as_array()[3].at("when").as_array()[0].as_string(), "insure=yes");
  EXPECT_EQ(o.at("edges").as_array()[0].at("mappings").as_array()[0].at("fromField").as_string(),
            "certNo");
  EXPECT_EQ(o.at("situations").as_array()[0].at("options").as_array()[1].at("skipMaterials"),
            json::value(json::array{"doc.marriageCert"}));
  Result<Bundle> back = BundleFromJson(json::parse(PrettyJson(o)));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, bundle);

  o["edges"].as_array()[0].as_object()["mappings"].as_array()[0].as_object()["to"] = "x";
  o["items"].as_array()[0].as_object()["blocking"] = "yes";
  o["situations"].as_array()[1].as_object()["options"] = json::object{};
  Result<Bundle> bad = BundleFromJson(o);
  EXPECT_THAT(Paths(bad),
              ElementsAre("situations[1].options", "items[0].blocking", "edges[0].mappings[0].to"));
}

TEST(CatalogJsonTest, Answers) {
  Result<Answers> a = AnswersFromJson(json::parse(R"({"married": "yes", "insure": "no"})"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->at("married"), "yes");
  EXPECT_EQ(a->size(), 2u);
  EXPECT_THAT(Paths(AnswersFromJson(json::parse(R"({"married": true})"))),
              ElementsAre("answers.married"));
  EXPECT_TRUE(
      IsError(AnswersFromJson(json::array{}), ErrorCode::kInvalidArgument, "catalog.bad_json"));
}

TEST(CatalogJsonTest, PlanJsonCarriesNamesFiguresAndReasons) {
  testing::BirthBundle b = MakeBirthBundle();
  Result<BundlePlan> plan =
      PlanBundle(b.bundle, b.Items(), {{"married", "yes"}, {"insure", "yes"}});
  ASSERT_TRUE(plan.has_value());
  json::object o = PlanToJson(*plan, b.Items());
  const json::array& items = o.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("name").as_string(), "出生医学证明签发");
  EXPECT_EQ(items[0].at("critical").as_bool(), true);
  EXPECT_EQ(items[1].at("critical").as_bool(), false);
  EXPECT_EQ(items[3].at("limitWorkingDays").as_int64(), 5);
  EXPECT_EQ(items[3].at("promisedLimit").at("unit").as_string(), "natural_days");
  EXPECT_EQ(o.at("fields").as_array()[4].at("filledByPrerequisite").as_bool(), true);
  EXPECT_EQ(o.at("materials").as_array()[0].at("itemCodes").as_array().size(), 4u);
  EXPECT_EQ(o.at("dropped").as_array()[0].at("reason").as_string(),
            "由《出生医学证明签发》办结后生成，无需提交");
  const json::object& f = o.at("figures").as_object();
  EXPECT_EQ(f.at("materialsBefore").as_int64(), 10);
  EXPECT_EQ(f.at("materialsAfter").as_int64(), 4);
  EXPECT_EQ(f.at("daysBefore").as_int64(), 21);
  EXPECT_EQ(f.at("daysAfter").as_int64(), 20);
  EXPECT_EQ(f.at("visitsBefore").as_int64(), 3);
  EXPECT_EQ(f.at("visitsAfter").as_int64(), 1);
  EXPECT_EQ(f.at("items").as_int64(), 4);
  EXPECT_EQ(f.at("departments").as_int64(), 3);
  EXPECT_EQ(o.at("criticalPath").as_array().size(), 3u);
}

TEST(PrettyJsonTest, OneMemberPerLineScalarArraysInline) {
  json::value v =
      json::parse(R"({"a": 1, "b": [1, 2], "c": [], "d": {}, "e": [{"x": "中文"}], "f": null})");
  EXPECT_EQ(PrettyJson(v),
            "{\n"
            "  \"a\": 1,\n"
            "  \"b\": [1,2],\n"
            "  \"c\": [],\n"
            "  \"d\": {},\n"
            "  \"e\": [\n"
            "    {\n"
            "      \"x\": \"中文\"\n"
            "    }\n"
            "  ],\n"
            "  \"f\": null\n"
            "}\n");
  EXPECT_EQ(json::parse(PrettyJson(v)), v);
}

// ---- Positions ----

TEST(JsonPositionsTest, FindsTheStartOfEveryValue) {
  const std::string text =
      "{\n"
      "  \"items\": [\n"
      "    {\"name\": \"出生\", \"limit\": {\"value\": 20}},\n"
      "    {\n"
      "      \"name\": \"户口\",\n"
      "      \"tags\": [\"a\", \"b\"]\n"
      "    }\n"
      "  ],\n"
      "  \"k.e\\\"y\": true\n"
      "}";
  Result<JsonPositions> p = JsonPositions::Scan(text);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->Find(""), (TextPosition{1, 1}));
  EXPECT_EQ(p->Find("items"), (TextPosition{2, 12}));
  EXPECT_EQ(p->Find("items[0]"), (TextPosition{3, 5}));
  EXPECT_EQ(p->Find("items[0].name"), (TextPosition{3, 14}));
  // Columns count characters: 出生 is two.
  EXPECT_EQ(p->Find("items[0].limit"), (TextPosition{3, 29}));
  EXPECT_EQ(p->Find("items[0].limit.value"), (TextPosition{3, 39}));
  EXPECT_EQ(p->Find("items[1]"), (TextPosition{4, 5}));
  EXPECT_EQ(p->Find("items[1].name"), (TextPosition{5, 15}));
  EXPECT_EQ(p->Find("items[1].tags[1]"), (TextPosition{6, 21}));
  EXPECT_EQ(p->Find("k.e\"y"), (TextPosition{9, 13}));  // escaped keys are decoded
  // Missing keys and indexes fall back to the nearest enclosing value.
  EXPECT_EQ(p->Find("items[1].code"), (TextPosition{4, 5}));
  EXPECT_EQ(p->Find("items[1].tags[7]"), (TextPosition{6, 15}));
  EXPECT_EQ(p->Find("items[5].name"), (TextPosition{2, 12}));
  EXPECT_EQ(p->Find("bundles[0].edges[0].to"), (TextPosition{1, 1}));
  EXPECT_EQ(p->size(), 12u);
}

TEST(JsonPositionsTest, SyntaxErrorsNameLineAndColumn) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"{\"a\": 1,\n \"b\" 2}", "第 2 行第 6 列：键后应为英文冒号“:”"},
      {"{\"a\": [1, 2\n}", "第 2 行第 1 列：此处应为英文逗号“,”或“]”"},
      {"{\"a\": 1 \"b\": 2}", "第 1 行第 9 列：此处应为英文逗号“,”或“}”"},
      {"{\"a\": \"x}", "第 1 行第 10 列：字符串没有结束（缺少英文双引号）"},
      {"{\"a\": \"x\ny\"}", "第 1 行第 9 列：字符串中不能直接换行或含控制字符（换行请写 \\n）"},
      {"{\"a\": \"\\q\"}", "第 1 行第 8 列：不认识的转义 \\q"},
      {"{\"名称\": ‘x’}", "第 1 行第 8 列：此处不是合法的 JSON 值（字符串须用英文双引号）"},
      {"{\"a\": 1, \"a\": 2}", "第 1 行第 10 列：键 \"a\" 重复"},
      {"{} x", "第 1 行第 4 列：JSON 值结束后还有多余内容"},
      {"", "第 1 行第 1 列：此处缺少 JSON 值"},
      {"{\"a\": [1,]}", "第 1 行第 10 列：此处不是合法的 JSON 值（字符串须用英文双引号）"},
  };
  for (const Case& c : cases) {
    Result<JsonPositions> p = JsonPositions::Scan(c.text);
    ASSERT_TRUE(IsError(p, ErrorCode::kInvalidArgument, "catalog.json_syntax")) << c.text;
    EXPECT_EQ(p.error().message, c.message) << c.text;
  }
  std::string deep(70, '[');
  deep += std::string(70, ']');
  EXPECT_THAT(JsonPositions::Scan(deep).error().message, HasSubstr("嵌套超过 64 层"));
  EXPECT_TRUE(JsonPositions::Scan("{\"a\": \"\\u4e2d\\ud83d\\ude00\"}").has_value());
}

TEST(JsonPositionsTest, AtCountsLinesAndCharacters) {
  EXPECT_EQ(JsonPositions::At("ab\n中文x", 0), (TextPosition{1, 1}));
  EXPECT_EQ(JsonPositions::At("ab\n中文x", 3), (TextPosition{2, 1}));
  EXPECT_EQ(JsonPositions::At("ab\n中文x", 9), (TextPosition{2, 3}));
  EXPECT_EQ(JsonPositions::At("ab", 99), (TextPosition{1, 3}));
}

TEST(JsonPositionsTest, ScansALargeFileInLinearTime) {
  json::array items;
  for (int i = 0; i < 500; ++i) items.push_back(ItemToJson(FullItem()));
  const std::string text = PrettyJson(json::object{{"items", std::move(items)}});
  Result<JsonPositions> p = JsonPositions::Scan(text);
  ASSERT_TRUE(p.has_value());
  const std::size_t last = text.rfind("\n    {\n") + 5;  // the 500th item's "{"
  EXPECT_EQ(p->Find("items[499]"), JsonPositions::At(text, last));
  EXPECT_EQ(p->Find("items[499]").column, 5);
}

}  // namespace
}  // namespace onestop::catalog
