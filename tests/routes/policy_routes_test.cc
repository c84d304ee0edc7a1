// Policy library routes (政策超市 / 政策库) on the demo: an author (catalog.manage) writes a draft
// policy with an item, rule and formula, publishes it, the public finds and reads it; the rule
// builder's text ↔ JSON round trip and the formula parser; bad input fails clearly and changes
// nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace onestop::routes_test {
namespace {

namespace json = boost::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PolicyRoutesTest : public RoutesTest {
 protected:
  // The demo snapshot plus the policy tables (rows and the sum of versions).
  Snapshot PolicySnap() {
    Snapshot s = Snap(env());
    for (const char* t : {"policy", "policy_item", "policy_item_rule"}) s[t] = env().db().Count(t);
    for (const char* t : {"policy", "policy_item"}) {
      Result<std::int64_t> sum =
          store::Read(env().db().db(), [&](store::Tx& tx) -> Result<std::int64_t> {
            ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT COALESCE(SUM("
                                                                    "version), 0) FROM ") +
                                                        t));
            return rows.front().Int(0);
          });
      s[std::string(t) + ".version"] = sum.has_value() ? *sum : -1;
    }
    return s;
  }

  json::object PolicyBody(const std::string& title) {
    return {{"title", title},
            {"docNo", "长政发〔2026〕8号"},
            {"issuer", "长沙市人民政府"},
            {"level", "city"},
            {"category", "grant"},
            {"effectiveOn", "2026-01-01"},
            {"expiresOn", "2027-12-31"},
            {"tags", json::array{"稳岗", "就业"}},
            {"fullText", "第一条 为稳定就业岗位，对不裁员或少裁员的企业返还失业保险费。"},
            {"departmentId", env().DepartmentId("HN-CS-RSJ")}};
  }

  json::object ItemBody() {
    return {{"title", "稳岗返还"},
            {"mode", "exempt"},
            {"budgetFen", 100'000'000},
            {"windowFrom", "2026-01-01"},
            {"windowTo", "2026-12-31"},
            {"publicityDays", 5},
            {"status", "open"},
            {"ruleText", "员工数 >= 50 且 非 失信"},
            {"formulaText", "min(insurance_paid_fen * 50%, 50万元) round half_up"},
            {"effectiveFrom", "2026-01-01"}};
  }

  // A draft created by the 长沙 department admin.
  json::object MustCreate(const std::string& title) {
    Response r = env().Call("POST", "/api/v1/policies", PolicyBody(title), &env().As("hr_admin"));
    EXPECT_STATUS(r, 200);
    return Obj(r);
  }
};

TEST_P(PolicyRoutesTest, FactsArePublic) {
  Response r = env().Call("GET", "/api/v1/policy-facts");
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  const json::object* employees = FindBy(items, "key", "employees");
  ASSERT_NE(employees, nullptr);
  EXPECT_EQ(Str(*employees, "label"), "员工数");
  EXPECT_EQ(Str(*employees, "type"), "number");
  EXPECT_EQ(Str(*employees, "typeName"), "数值");
  EXPECT_EQ(Str(*employees, "source"), "人社");
  EXPECT_EQ(Str(*employees, "unit"), "人");
  const json::object* bad = FindBy(items, "key", "bad_credit");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(Str(*bad, "type"), "bool");
}

TEST_P(PolicyRoutesTest, TheDemoLibraryIsSearchable) {
  Response r = env().Call("GET", Url("/api/v1/policies", {{"q", "专精特新"}}));
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  const json::object* p = FindBy(items, "docNo", "涟政发〔2026〕11号");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Str(*p, "levelName"), "县级");
  EXPECT_EQ(Str(*p, "departmentName"), "涟源市工业和信息化局");
  Response detail = env().Call("GET", "/api/v1/policies/" + Str(*p, "id"));
  ASSERT_STATUS(detail, 200);
  json::array its = Obj(detail).at("items").as_array();
  ASSERT_EQ(its.size(), 1u);
  EXPECT_EQ(Str(its[0], "title"), "专精特新企业奖补");
  EXPECT_EQ(Str(its[0], "modeName"), "免申即享");
  EXPECT_EQ(Str(its[0], "ruleTextZh"),
            "专精特新 且 员工数 >= 10 且 所在区划 prefix \"4313\" 且 非 失信");
  Response finance = env().Call("GET", Url("/api/v1/policies", {{"category", "finance"}}));
  EXPECT_NE(FindBy(Items(finance), "docNo", "湘财金〔2026〕7号"), nullptr);
}

TEST_P(PolicyRoutesTest, AnAuthorWritesAndPublishesAPolicyTheLibraryThenShows) {
  const std::string title = env().Unique("稳岗返还实施办法");
  json::object draft = MustCreate(title);
  const std::string id = Str(draft, "id");
  EXPECT_EQ(Str(draft, "status"), "draft");
  EXPECT_EQ(Str(draft, "statusName"), "草稿");
  EXPECT_EQ(Str(draft, "levelName"), "市级");
  EXPECT_EQ(Str(draft, "categoryName"), "资金奖补");
  EXPECT_EQ(Str(draft, "departmentName"), "长沙市人力资源和社会保障局");
  EXPECT_EQ(draft.at("items").as_array().size(), 0u);

  // A draft is not public, not even by id.
  EXPECT_ERROR(env().Call("GET", "/api/v1/policies/" + id), 404, "NOT_FOUND", "policy.not_found");
  EXPECT_EQ(Int(Obj(env().Call("GET", Url("/api/v1/policies", {{"q", title}}))), "total"), 0);
  Response authors = env().Call("GET", Url("/api/v1/policies", {{"q", title}, {"all", "1"}}),
                                nullptr, &env().As("hr_admin"));
  ASSERT_STATUS(authors, 200);
  EXPECT_THAT(Column(Items(authors), "id"), ElementsAre(id));

  Response item =
      env().Call("POST", "/api/v1/policies/" + id + "/items", ItemBody(), &env().As("hr_admin"));
  ASSERT_STATUS(item, 200);
  json::object it = Obj(item);
  EXPECT_EQ(Str(it, "modeName"), "免申即享");
  EXPECT_EQ(Int(it, "budgetFen"), 100'000'000);
  EXPECT_EQ(Int(it, "ruleVersion"), 1);
  EXPECT_EQ(Str(it, "ruleText"), "employees >= 50 and not bad_credit");
  EXPECT_EQ(Str(it, "ruleTextZh"), "员工数 >= 50 且 非 失信");
  EXPECT_THAT(Str(it, "formulaText"), HasSubstr("insurance_paid_fen"));
  EXPECT_TRUE(it.at("ruleJson").is_object());
  EXPECT_TRUE(it.at("ruleJson").as_object().contains("all"));

  Response published = env().Call("POST", "/api/v1/policies/" + id + "/publish", json::object{},
                                  &env().As("hr_admin"));
  ASSERT_STATUS(published, 200);
  EXPECT_EQ(Str(Obj(published), "status"), "published");

  // Public: found by a Chinese substring and by filters, with the items on the detail page.
  Response found = env().Call("GET", Url("/api/v1/policies", {{"q", title}}));
  ASSERT_STATUS(found, 200);
  EXPECT_THAT(Column(Items(found), "id"), ElementsAre(id));
  EXPECT_FALSE(Items(found)[0].as_object().contains("fullText"));
  Response filtered = env().Call("GET", Url("/api/v1/policies", {{"q", title},
                                                                 {"category", "grant"},
                                                                 {"level", "city"},
                                                                 {"tag", "稳岗"},
                                                                 {"open", "1"}}));
  EXPECT_THAT(Column(Items(filtered), "id"), ElementsAre(id));
  EXPECT_EQ(
      Int(Obj(env().Call("GET", Url("/api/v1/policies", {{"q", title}, {"category", "tax"}}))),
          "total"),
      0);
  Response detail = env().Call("GET", "/api/v1/policies/" + id);
  ASSERT_STATUS(detail, 200);
  json::object d = Obj(detail);
  EXPECT_THAT(Str(d, "fullText"), HasSubstr("失业保险费"));
  ASSERT_EQ(d.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(d.at("items").as_array()[0], "title"), "稳岗返还");

  // A changed rule is a new version; the old one stays listed.
  json::object change = ItemBody();
  change["ruleText"] = "employees >= 30 and not bad_credit";
  change["version"] = Int(it, "version");
  Response updated =
      env().Call("PUT", "/api/v1/policy-items/" + Str(it, "id"), change, &env().As("hr_admin"));
  ASSERT_STATUS(updated, 200);
  EXPECT_EQ(Int(Obj(updated), "ruleVersion"), 2);
  Response versions = env().Call("GET", "/api/v1/policy-items/" + Str(it, "id") + "/rules");
  ASSERT_STATUS(versions, 200);
  json::array vs = Items(versions);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(Str(vs[0], "ruleText"), "employees >= 50 and not bad_credit");
  EXPECT_EQ(Str(vs[1], "ruleText"), "employees >= 30 and not bad_credit");

  // Retired: readable by id, gone from the library.
  Response retired = env().Call("POST", "/api/v1/policies/" + id + "/retire", json::object{},
                                &env().As("hr_admin"));
  ASSERT_STATUS(retired, 200);
  EXPECT_EQ(Str(Obj(retired), "statusName"), "已废止");
  EXPECT_STATUS(env().Call("GET", "/api/v1/policies/" + id), 200);
  EXPECT_EQ(Int(Obj(env().Call("GET", Url("/api/v1/policies", {{"q", title}}))), "total"), 0);
}

TEST_P(PolicyRoutesTest, EditorErrorsChangeNothing) {
  json::object draft = MustCreate(env().Unique("研发费用奖补办法"));
  const std::string id = Str(draft, "id");
  const Session& author = env().As("hr_admin");
  Snapshot before = PolicySnap();

  json::object bad = PolicyBody("");
  bad["level"] = "village";
  Response invalid = env().Call("POST", "/api/v1/policies", bad, &author);
  EXPECT_ERROR(invalid, 400, "INVALID_ARGUMENT", "policy.invalid_policy");
  EXPECT_THAT(FieldsOf(invalid), Contains("title"));
  EXPECT_THAT(FieldsOf(invalid), Contains("level"));

  json::object stale = PolicyBody("改过的标题");
  stale["version"] = Int(draft, "version") + 5;
  EXPECT_ERROR(env().Call("PUT", "/api/v1/policies/" + id, stale, &author), 409, "ABORTED",
               "store.version_conflict");
  json::object no_version = PolicyBody("改过的标题");
  EXPECT_ERROR(env().Call("PUT", "/api/v1/policies/" + id, no_version, &author), 400,
               "INVALID_ARGUMENT", "http.invalid_body");

  json::object syntax = ItemBody();
  syntax["ruleText"] = "employees >= and bad_credit";
  Response rule = env().Call("POST", "/api/v1/policies/" + id + "/items", syntax, &author);
  EXPECT_ERROR(rule, 400, "INVALID_ARGUMENT", "policy.rule_syntax");
  EXPECT_THAT(FieldsOf(rule), Contains("rule"));
  json::object unknown = ItemBody();
  unknown["ruleText"] = "";
  unknown["ruleJson"] = json::object{{"fact", "horoscope"}, {"op", "=="}, {"value", "leo"}};
  EXPECT_ERROR(env().Call("POST", "/api/v1/policies/" + id + "/items", unknown, &author), 400,
               "INVALID_ARGUMENT", "policy.unknown_fact");

  // Not an author: the citizen and the enterprise; nobody signed in.
  EXPECT_ERROR(env().Call("POST", "/api/v1/policies", PolicyBody("x"), &env().As("citizen")), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policies/" + id + "/publish", json::object{},
                          &env().As("enterprise")),
               403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policies", PolicyBody("x")), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_ERROR(env().Call("GET", Url("/api/v1/policies", {{"all", "1"}})), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_ERROR(
      env().Call("GET", Url("/api/v1/policies", {{"all", "1"}}), nullptr, &env().As("citizen")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_ERROR(env().Call("GET", Url("/api/v1/policies", {{"category", "lottery"}})), 400,
               "INVALID_ARGUMENT", "policy.bad_query");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policies/" + id + "/retire", json::object{}, &author),
               409, "FAILED_PRECONDITION", "policy.not_published");
  EXPECT_EQ(PolicySnap(), before);
}

TEST_P(PolicyRoutesTest, TheRuleBuilderRoundTripsTextAndJson) {
  const Session& author = env().As("hr_admin");
  Response r =
      env().Call("POST", "/api/v1/policy-rules/parse",
                 json::object{{"text", "行业代码 prefix \"C39\" and 员工数 >= 50"}}, &author);
  ASSERT_STATUS(r, 200);
  json::object parsed = Obj(r);
  EXPECT_EQ(Str(parsed, "text"), "industry prefix \"C39\" and employees >= 50");
  EXPECT_EQ(Str(parsed, "textZh"), "行业代码 prefix \"C39\" 且 员工数 >= 50");
  std::vector<std::string> facts;
  for (const json::value& f : parsed.at("facts").as_array()) {
    facts.push_back(std::string(f.as_string()));
  }
  EXPECT_THAT(facts, ElementsAre("industry", "employees"));

  Response back = env().Call("POST", "/api/v1/policy-rules/parse",
                             json::object{{"json", parsed.at("json")}}, &author);
  ASSERT_STATUS(back, 200);
  EXPECT_EQ(Str(Obj(back), "text"), Str(parsed, "text"));
  EXPECT_EQ(Obj(back).at("json"), parsed.at("json"));

  Response syntax = env().Call("POST", "/api/v1/policy-rules/parse",
                               json::object{{"text", "employees >=\nand bad_credit"}}, &author);
  EXPECT_ERROR(syntax, 400, "INVALID_ARGUMENT", "policy.rule_syntax");
  EXPECT_THAT(Str(Obj(syntax).at("error"), "message"), HasSubstr("第2行第1列"));
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-rules/parse", json::object{}, &author), 400,
               "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-rules/parse",
                          json::object{{"text", "employees >= 1"}}, &env().As("enterprise")),
               403, "PERMISSION_DENIED", "identity.permission_denied");

  Response f = env().Call(
      "POST", "/api/v1/policy-formulas/parse",
      json::object{{"text", "min(上年度失业保险缴费 * 50%, 50万元) round half_up"}}, &author);
  ASSERT_STATUS(f, 200);
  json::object formula = Obj(f);
  EXPECT_THAT(Str(formula, "text"), HasSubstr("insurance_paid_fen"));
  EXPECT_EQ(Str(formula, "rounding"), "half_up");
  EXPECT_EQ(Str(formula, "roundingName"), "四舍五入");
  Response fb = env().Call("POST", "/api/v1/policy-formulas/parse",
                           json::object{{"json", formula.at("json")}}, &author);
  ASSERT_STATUS(fb, 200);
  EXPECT_EQ(Str(Obj(fb), "text"), Str(formula, "text"));
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-formulas/parse",
                          json::object{{"text", "min(employees * , 3)"}}, &author),
               400, "INVALID_ARGUMENT", "policy.formula_syntax");
}

INSTANTIATE_ROUTES_TEST(PolicyRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
