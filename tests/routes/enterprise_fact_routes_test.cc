// Enterprise data routes (企业数据) on the demo: a background import with its row error report,
// an enterprise's sourced facts, 为我推荐 with "why not" for the demo enterprise, and the author's
// 试算; bad input fails clearly and changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/uscc.h"
#include "harness.h"
#include "http/enterprise_import_jobs.h"

namespace onestop::routes_test {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class EnterpriseFactRoutesTest : public RoutesTest {
 protected:
  // A valid 统一社会信用代码 made unique by `n`.
  static std::string Uscc(int n) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "91430100MA4%06d", n);
    return std::string(first17) + UsccCheckChar(first17);
  }
  void WaitForImports() { env().app().context->enterprise_imports->WaitForAll(); }
  std::int64_t Count(const char* table) { return env().db().Count(table); }
};

TEST_P(EnterpriseFactRoutesTest, AnImportRunsInTheBackgroundWithItsRowErrors) {
  static int seq = 500000;
  const std::string a = Uscc(++seq), b = Uscc(++seq);
  const std::string file = "{\"id\":\"" + a +
                           "\",\"name\":\"测试甲公司\",\"employees\":60,"
                           "\"bad_credit\":false,\"high_tech\":true}\n"
                           "{\"id\":\"" +
                           b +
                           "\",\"name\":\"测试乙公司\",\"employees\":8}\n"
                           "{\"id\":\"" +
                           b + "\",\"employees\":\"很多\"}\n";
  Response r =
      env().CallRaw("POST",
                    Url("/api/v1/enterprise-imports",
                        {{"format", "jsonl"}, {"fileName", "企业.jsonl"}, {"asOf", "2026-11-01"}}),
                    file, &env().As("admin"));
  ASSERT_STATUS(r, 202);
  const std::string id = Str(Obj(r), "id");
  ASSERT_FALSE(id.empty());
  WaitForImports();
  Response job = env().Call("GET", "/api/v1/enterprise-imports/" + id, nullptr, &env().As("admin"));
  ASSERT_STATUS(job, 200);
  json::object j = Obj(job);
  EXPECT_EQ(Str(j, "status"), "done");
  EXPECT_EQ(Int(j, "added"), 2);
  EXPECT_EQ(Int(j, "errorCount"), 1);
  ASSERT_EQ(j.at("errors").as_array().size(), 1u);
  EXPECT_EQ(Int(j.at("errors").as_array()[0], "line"), 3);
  EXPECT_NE(
      FindBy(Items(env().Call("GET", "/api/v1/enterprise-imports", nullptr, &env().As("admin"))),
             "id", id),
      nullptr);

  Response facts =
      env().Call("GET", "/api/v1/enterprises/" + a + "/facts", nullptr, &env().As("admin"));
  ASSERT_STATUS(facts, 200);
  json::object f = Obj(facts);
  EXPECT_EQ(Str(f, "name"), "测试甲公司");
  const json::object* employees = FindBy(f.at("facts").as_array(), "fact", "employees");
  ASSERT_NE(employees, nullptr);
  EXPECT_EQ(Int(*employees, "value"), 60);
  EXPECT_EQ(Str(*employees, "label"), "员工数");
  EXPECT_EQ(Str(*employees, "source"), "人社");
  EXPECT_EQ(Str(*employees, "asOf"), "2026-11-01");

  // Another enterprise's data is not the demo enterprise's to read.
  EXPECT_ERROR(
      env().Call("GET", "/api/v1/enterprises/" + a + "/facts", nullptr, &env().As("enterprise")),
      403, "PERMISSION_DENIED", "policy.not_own_enterprise");
}

TEST_P(EnterpriseFactRoutesTest, ABadImportChangesNothing) {
  const std::int64_t enterprises = Count("policy_enterprise");
  const std::int64_t facts = Count("policy_enterprise_fact");
  const std::int64_t jobs = Count("policy_enterprise_import");
  Snapshot before = Snap(env());
  EXPECT_ERROR(env().CallRaw("POST", Url("/api/v1/enterprise-imports", {{"format", "csv"}}),
                             "名称,星座\n甲,狮子\n", &env().As("admin")),
               400, "INVALID_ARGUMENT", "policy.import_header");
  EXPECT_ERROR(env().CallRaw("POST", Url("/api/v1/enterprise-imports", {{"format", "xlsx"}}), "x",
                             &env().As("admin")),
               400, "INVALID_ARGUMENT", "policy.import_format");
  EXPECT_ERROR(
      env().CallRaw("POST", Url("/api/v1/enterprise-imports", {{"format", "jsonl"}}),
                    "{\"id\":\"" + Uscc(1) + "\",\"employees\":1}\n", &env().As("enterprise")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  WaitForImports();
  EXPECT_EQ(Count("policy_enterprise"), enterprises);
  EXPECT_EQ(Count("policy_enterprise_fact"), facts);
  EXPECT_EQ(Count("policy_enterprise_import"), jobs);
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(EnterpriseFactRoutesTest, TheDemoEnterpriseSeesWhatItGetsAndWhyNot) {
  Response r =
      env().Call("GET", "/api/v1/me/policy-recommendations", nullptr, &env().As("enterprise"));
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  const json::object* yes = FindBy(items, "itemTitle", "高新技术企业认定奖励");
  ASSERT_NE(yes, nullptr);
  EXPECT_TRUE(yes->at("eligible").as_bool());
  EXPECT_EQ(Int(*yes, "amountFen"), 20'000'000);
  const json::object* no = FindBy(items, "itemTitle", "专精特新企业奖补");
  ASSERT_NE(no, nullptr);
  EXPECT_FALSE(no->at("eligible").as_bool());
  EXPECT_TRUE(no->at("amountFen").is_null());
  bool failed_leaf = false;
  for (const json::value& leaf : no->at("explanation").at("leaves").as_array()) {
    if (!leaf.at("held").as_bool()) failed_leaf = true;
  }
  EXPECT_TRUE(failed_leaf);
  // Eligible items come first.
  ASSERT_FALSE(items.empty());
  EXPECT_TRUE(items[0].at("eligible").as_bool());
  // Staff without an enterprise of their own: not an enterprise account.
  EXPECT_ERROR(env().Call("GET", "/api/v1/me/policy-recommendations", nullptr, &env().As("clerk")),
               409, "FAILED_PRECONDITION", "policy.not_enterprise");
}

TEST_P(EnterpriseFactRoutesTest, AnAuthorTriesARuleBeforePublishing) {
  Response r = env().Call("POST", "/api/v1/policy-dry-run",
                          json::object{{"ruleText", "high_tech and not bad_credit"},
                                       {"formulaText", "20万元 round half_up"},
                                       {"budgetFen", 100},
                                       {"sample", 3}},
                          &env().As("hr_admin"));
  ASSERT_STATUS(r, 200);
  json::object d = Obj(r);
  EXPECT_GE(Int(d, "enterprises"), 200);
  EXPECT_GE(Int(d, "count"), 1);
  EXPECT_EQ(Int(d, "totalFen"), Int(d, "count") * 20'000'000);
  EXPECT_TRUE(d.at("overBudget").as_bool());
  EXPECT_LE(d.at("sample").as_array().size(), 3u);
  ASSERT_FALSE(d.at("sample").as_array().empty());
  EXPECT_TRUE(d.at("sample").as_array()[0].at("explanation").at("eligible").as_bool());

  Snapshot before = Snap(env());
  Response syntax =
      env().Call("POST", "/api/v1/policy-dry-run",
                 json::object{{"ruleText", "high_tech and"}, {"formulaText", "1元 round half_up"}},
                 &env().As("hr_admin"));
  EXPECT_ERROR(syntax, 400, "INVALID_ARGUMENT", "policy.rule_syntax");
  EXPECT_THAT(Str(Obj(syntax).at("error"), "message"), HasSubstr("第1行"));
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-dry-run", json::object{{"ruleText", "high_tech"}},
                          &env().As("hr_admin")),
               400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_ERROR(env().Call("POST", "/api/v1/policy-dry-run",
                          json::object{{"ruleText", "high_tech"}, {"formulaText", "1元 round up"}},
                          &env().As("enterprise")),
               403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);
}

INSTANTIATE_ROUTES_TEST(EnterpriseFactRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
