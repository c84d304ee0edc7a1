// Every inbox endpoint tried as every demo role (and anonymously): everyone signed in has an
// inbox; a message can be marked read only by its recipient — for anyone else it does not exist.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"
#include "routes/notify_fixture.h"

namespace onestop::routes_test {
namespace {

std::map<std::string, Outcome> Everyone() {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = Allowed();
  return m;
}

std::map<std::string, Outcome> OnlyTheRecipient(const std::string& recipient) {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) {
    m[role] = role == recipient ? Allowed() : Outcome{404, "notify.message_not_found"};
  }
  return m;
}

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

class NotifyAuthzTest : public RoutesTest {};

TEST_P(NotifyAuthzTest, EveryoneSignedInReadsTheirInbox) {
  RunAuthz(env(), {.name = "/inbox",
                   .method = "GET",
                   .target = Fixed("/api/v1/inbox?limit=5"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_TRUE(Obj(r).contains("items"));
                     EXPECT_GE(Int(Obj(r), "total"), 0);
                   }});
  RunAuthz(env(), {.name = "/inbox/unread-count",
                   .method = "GET",
                   .target = Fixed("/api/v1/inbox/unread-count"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_GE(Int(Obj(r), "count"), 0);
                   }});
}

TEST_P(NotifyAuthzTest, OnlyTheRecipientMarksAMessageRead) {
  // A fresh message to the citizen's person for every call.
  RunAuthz(env(), {.name = "/inbox/{id}/read (to a person)",
                   .method = "POST",
                   .target =
                       [](DemoEnv& e) {
                         return "/api/v1/inbox/" +
                                Notify(e, "", e.PersonId("张三"), e.Unique("权限")) + "/read";
                       },
                   .outcomes = OnlyTheRecipient("citizen"),
                   .check = [](DemoEnv&, const std::string&,
                               const Response& r) { EXPECT_TRUE(Obj(r).at("read").as_bool()); }});
  RunAuthz(env(), {.name = "/inbox/{id}/read (to a staff account)",
                   .method = "POST",
                   .target =
                       [](DemoEnv& e) {
                         return "/api/v1/inbox/" +
                                Notify(e, e.UserId("reviewer"), "", e.Unique("权限")) + "/read";
                       },
                   .outcomes = OnlyTheRecipient("reviewer")});
  RunAuthz(env(), {.name = "/inbox/{id}/read (to an enterprise)",
                   .method = "POST",
                   .target =
                       [](DemoEnv& e) {
                         return "/api/v1/inbox/" +
                                Notify(e, "", e.EnterpriseId("湖南湘江智造科技有限公司"),
                                       e.Unique("权限")) +
                                "/read";
                       },
                   .outcomes = OnlyTheRecipient("enterprise")});
}

INSTANTIATE_ROUTES_TEST(NotifyAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
