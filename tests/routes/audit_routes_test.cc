// Audit routes (src/http/routes/audit_routes.cc): "谁查看了我的数据" for citizens and
// enterprises, the log search, daily statistics and chain verification. Who may call what is
// in audit_authz_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

class AuditRoutesTest : public RoutesTest {
 protected:
  Response Get(const std::string& target, const std::string& as) {
    return env().Call("GET", target, nullptr, &env().As(as));
  }
};

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_P(AuditRoutesTest, CitizenSeesTheDemoReadsOfTheirData) {
  Response r = Get("/api/v1/audit/my-access?pageSize=100", "citizen");
  ASSERT_STATUS(r, 200);
  json::object page = Obj(r);
  const json::array& items = page.at("items").as_array();
  EXPECT_EQ(Int(page, "total"), static_cast<std::int64_t>(items.size()));
  const std::string me = env().PersonId("张三");
  for (const json::value& e : items) {
    EXPECT_EQ(Str(e, "subjectPartyId"), me) << json::serialize(e);  // only about 张三
  }

  const json::object* clerk = FindBy(items, "purpose", "办理出生一件事，核验申请人身份信息");
  ASSERT_NE(clerk, nullptr) << r.body;
  EXPECT_EQ(Str(*clerk, "action"), "identity.person.read");
  EXPECT_EQ(Str(*clerk, "actionLabel"), "查看自然人信息");
  EXPECT_EQ(Str(*clerk, "actorName"), "刘晓燕");
  EXPECT_EQ(Str(*clerk, "actorDepartmentName"), "长沙市行政审批服务局");
  EXPECT_EQ(Str(*clerk, "subjectType"), "person");
  EXPECT_EQ(Str(*clerk, "subjectId"), me);

  const json::object* supervisor = FindBy(items, "purpose", "12345 工单核查：群众反映办件超时");
  ASSERT_NE(supervisor, nullptr) << r.body;
  EXPECT_EQ(Str(*supervisor, "action"), "identity.person.read");
  EXPECT_EQ(Str(*supervisor, "actorName"), "吴敏");
  EXPECT_EQ(Str(*supervisor, "actorDepartmentName"), "长沙市政务服务中心");

  // The registration by the clerk is listed too.
  EXPECT_THAT(Column(items, "action"), Contains("identity.person.create"));

  // Entry shape, newest first.
  std::int64_t previous = INT64_MAX;
  for (const json::value& e : items) {
    const json::object& o = e.as_object();
    EXPECT_LT(Int(o, "seq"), previous);
    previous = Int(o, "seq");
    EXPECT_TRUE(IsHex64(Str(o, "hash"))) << Str(o, "hash");
    EXPECT_TRUE(o.at("details").is_object());
    EXPECT_FALSE(Str(o, "actorId").empty());
    EXPECT_EQ(Str(o, "at").size(), 25u) << Str(o, "at");  // 2026-11-27T09:00:00+08:00
    EXPECT_EQ(Str(o, "at").substr(19), "+08:00");
    EXPECT_TRUE(o.contains("requestId"));
  }
}

TEST_P(AuditRoutesTest, MyAccessPages) {
  json::object all = Obj(Get("/api/v1/audit/my-access", "citizen"));
  ASSERT_GE(Int(all, "total"), 3);
  json::object one = Obj(Get("/api/v1/audit/my-access?page=2&pageSize=1", "citizen"));
  ASSERT_EQ(one.at("items").as_array().size(), 1u);
  EXPECT_EQ(Int(one, "total"), Int(all, "total"));
  EXPECT_EQ(Int(one.at("items").as_array()[0], "seq"), Int(all.at("items").as_array()[1], "seq"));
  Response bad = Get("/api/v1/audit/my-access?pageSize=0", "citizen");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "http.invalid_query");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("pageSize"));
}

TEST_P(AuditRoutesTest, EnterpriseSeesReadsOfItsOwnData) {
  Response r = Get("/api/v1/audit/my-access?pageSize=100", "enterprise");
  ASSERT_STATUS(r, 200);
  const json::array items = Items(r);
  const std::string mine = env().EnterpriseId("湖南湘江智造科技有限公司");
  ASSERT_FALSE(items.empty());
  for (const json::value& e : items) EXPECT_EQ(Str(e, "subjectPartyId"), mine);
  const json::object* read = FindBy(items, "purpose", "企业开办一件事：核对企业登记信息");
  ASSERT_NE(read, nullptr) << r.body;
  EXPECT_EQ(Str(*read, "action"), "identity.enterprise.read");
  EXPECT_EQ(Str(*read, "actorName"), "刘晓燕");
  // Nothing about 张三 (the citizen) leaks into the enterprise's list.
  EXPECT_EQ(FindBy(items, "subjectPartyId", env().PersonId("张三")), nullptr);
}

TEST_P(AuditRoutesTest, NewReadsShowUpForThePersonOnly) {
  const std::string purpose = env().Unique("受理低保申请，核对家庭成员 #");
  ASSERT_STATUS(
      Get(Url("/api/v1/persons/" + env().PersonId("李梅"), {{"purpose", purpose}}), "supervisor"),
      200);
  // 张三's list does not show a read of 李梅.
  json::array zhang = Items(Get("/api/v1/audit/my-access?pageSize=100", "citizen"));
  EXPECT_EQ(FindBy(zhang, "purpose", purpose), nullptr);
  // The supervisor finds it in the log.
  json::array found = Items(Get(Url("/api/v1/audit/entries", {{"subject", env().PersonId("李梅")},
                                                              {"action", "identity.person.read"}}),
                                "supervisor"));
  const json::object* e = FindBy(found, "purpose", purpose);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(Str(*e, "actorName"), "吴敏");
}

TEST_P(AuditRoutesTest, StaffWithoutAPartyAreRefused) {
  for (const char* role : {"admin", "clerk", "supervisor"}) env().As(role);  // signed in first
  const Snapshot before = Snap(env());
  for (const char* role : {"admin", "clerk", "supervisor"}) {
    SCOPED_TRACE(role);
    EXPECT_ERROR(Get("/api/v1/audit/my-access", role), 403, "PERMISSION_DENIED",
                 "identity.permission_denied");
  }
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuditRoutesTest, EntriesFilterByActionActorSubjectAndDay) {
  json::array reads =
      Items(Get("/api/v1/audit/entries?action=identity.person.read&pageSize=100", "admin"));
  ASSERT_GE(reads.size(), 2u);
  EXPECT_THAT(Column(reads, "action"), Each(std::string("identity.person.read")));

  // "identity." is a prefix: logins and department changes are in it, calendar changes not.
  std::set<std::string> actions;
  for (const std::string& a : Column(
           Items(Get("/api/v1/audit/entries?action=identity.&pageSize=100", "admin")), "action")) {
    actions.insert(a);
  }
  EXPECT_THAT(actions, IsSupersetOf({"identity.department.create", "identity.user.create",
                                     "identity.person.create", "identity.login"}));
  for (const std::string& a : actions) EXPECT_EQ(a.rfind("identity.", 0), 0u) << a;

  const std::string supervisor = env().UserId("supervisor");
  json::array by_actor =
      Items(Get("/api/v1/audit/entries?pageSize=100&actor=" + supervisor, "admin"));
  ASSERT_FALSE(by_actor.empty());
  EXPECT_THAT(Column(by_actor, "actorId"), Each(supervisor));

  const std::string zhang = env().PersonId("张三");
  json::array by_subject =
      Items(Get("/api/v1/audit/entries?pageSize=100&subject=" + zhang, "supervisor"));
  ASSERT_FALSE(by_subject.empty());
  EXPECT_THAT(Column(by_subject, "subjectId"), Each(zhang));

  // Days are CST calendar days: everything happened on 2026-11-27.
  json::object today = Obj(Get("/api/v1/audit/entries?from=2026-11-27&to=2026-11-27", "admin"));
  json::object all = Obj(Get("/api/v1/audit/entries", "admin"));
  EXPECT_EQ(Int(today, "total"), Int(all, "total"));
  EXPECT_EQ(Int(Obj(Get("/api/v1/audit/entries?from=2026-11-28", "admin")), "total"), 0);
  EXPECT_EQ(Int(Obj(Get("/api/v1/audit/entries?to=2026-11-26", "admin")), "total"), 0);

  Response bad = Get("/api/v1/audit/entries?from=2026-11-2", "admin");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "core.date_format");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("from"));
  bad = Get("/api/v1/audit/entries?to=2026-02-30", "admin");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "core.date_invalid");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("to"));
}

TEST_P(AuditRoutesTest, StatsCountEntriesPerDay) {
  Response r = Get("/api/v1/audit/stats", "supervisor");
  ASSERT_STATUS(r, 200);
  const json::array days = Obj(r).at("days").as_array();
  ASSERT_EQ(days.size(), 14u);
  EXPECT_EQ(Str(days.front(), "date"), "2026-11-14");
  EXPECT_EQ(Str(days.back(), "date"), "2026-11-27");
  std::int64_t sum = 0;
  for (const json::value& d : days) sum += Int(d, "count");
  EXPECT_EQ(Int(days.back(), "count"), env().db().Count("audit_entry"));
  EXPECT_EQ(sum, Int(days.back(), "count"));

  EXPECT_EQ(Obj(Get("/api/v1/audit/stats?days=3", "admin")).at("days").as_array().size(), 3u);
  for (const char* bad : {"0", "367", "x"}) {
    SCOPED_TRACE(bad);
    Response e = Get(std::string("/api/v1/audit/stats?days=") + bad, "admin");
    EXPECT_ERROR(e, 400, "INVALID_ARGUMENT", "http.invalid_query");
    EXPECT_THAT(FieldsOf(e), ElementsAre("days"));
  }
}

TEST_P(AuditRoutesTest, VerifyChecksTheWholeChainAndRecordsTheCheck) {
  const std::int64_t entries = env().db().Count("audit_entry");
  Response r = env().Call("POST", "/api/v1/audit/verify", nullptr, &env().As("supervisor"));
  ASSERT_STATUS(r, 200);
  json::object report = Obj(r);
  EXPECT_TRUE(report.at("ok").as_bool());
  EXPECT_EQ(Int(report, "checked"), entries);
  EXPECT_GT(Int(report, "checked"), 0);
  EXPECT_TRUE(report.at("firstBroken").is_null());
  EXPECT_EQ(env().db().Count("audit_entry"), entries + 1);
  json::array last = Items(Get("/api/v1/audit/entries?action=audit.verify&pageSize=1", "admin"));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(Str(last[0], "actorName"), "吴敏");
  EXPECT_EQ(Str(last[0], "actionLabel"), "校验审计链");
  EXPECT_TRUE(last[0].at("details").at("ok").as_bool());

  // The chain it extended still verifies.
  json::object again = Obj(env().Call("POST", "/api/v1/audit/verify", nullptr, &env().As("admin")));
  EXPECT_TRUE(again.at("ok").as_bool());
  EXPECT_EQ(Int(again, "checked"), entries + 1);
}

INSTANTIATE_ROUTES_TEST(AuditRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
