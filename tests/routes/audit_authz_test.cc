// Every audit endpoint tried as every demo role (and anonymously): citizens and enterprises
// read who accessed their data; only audit.read / audit.verify (platform_admin, supervisor)
// search, count and verify the log.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

std::map<std::string, Outcome> Only(std::set<std::string> allowed) {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = allowed.count(role) ? Allowed() : Denied();
  return m;
}

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

class AuditAuthzTest : public RoutesTest {};

TEST_P(AuditAuthzTest, MyAccessIsForCitizensAndEnterprises) {
  RunAuthz(env(), {.name = "/audit/my-access",
                   .method = "GET",
                   .target = Fixed("/api/v1/audit/my-access"),
                   .outcomes = Only({"citizen", "enterprise"}),
                   .check = [](DemoEnv& e, const std::string& role, const Response& r) {
                     const std::string party = role == "citizen"
                                                   ? e.PersonId("张三")
                                                   : e.EnterpriseId("湖南湘江智造科技有限公司");
                     json::array items = Items(r);
                     EXPECT_FALSE(items.empty());
                     for (const json::value& v : items) EXPECT_EQ(Str(v, "subjectPartyId"), party);
                   }});
}

TEST_P(AuditAuthzTest, EntriesAreForAuditReaders) {
  RunAuthz(env(), {.name = "/audit/entries",
                   .method = "GET",
                   .target = Fixed("/api/v1/audit/entries"),
                   .outcomes = Only({"admin", "supervisor"}),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_GT(Int(Obj(r), "total"), 0);
                   }});
}

TEST_P(AuditAuthzTest, StatsAreForAuditReaders) {
  RunAuthz(env(), {.name = "/audit/stats",
                   .method = "GET",
                   .target = Fixed("/api/v1/audit/stats?days=7"),
                   .outcomes = Only({"admin", "supervisor"})});
}

TEST_P(AuditAuthzTest, VerifyIsForAuditVerifiers) {
  RunAuthz(env(), {.name = "/audit/verify",
                   .method = "POST",
                   .target = Fixed("/api/v1/audit/verify"),
                   .outcomes = Only({"admin", "supervisor"}),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_TRUE(Obj(r).at("ok").as_bool());
                   }});
}

INSTANTIATE_ROUTES_TEST(AuditAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
