// Inbox routes (src/http/routes/notify_routes.cc): one's own messages, newest first, the unread
// count, and marking read. Who may call what is in notify_authz_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <string>

#include "routes/harness.h"
#include "routes/notify_fixture.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

class NotifyRoutesTest : public RoutesTest {
 protected:
  Response Get(const std::string& target, const std::string& as) {
    return env().Call("GET", target, nullptr, &env().As(as));
  }
  Response MarkRead(const std::string& id, const std::string& as) {
    return env().Call("POST", "/api/v1/inbox/" + id + "/read", nullptr, &env().As(as));
  }
  std::int64_t UnreadCount(const std::string& as) {
    Response r = Get("/api/v1/inbox/unread-count", as);
    EXPECT_STATUS(r, 200);
    return Int(Obj(r), "count");
  }
  // Titles of the first 100 messages of `as`.
  std::vector<std::string> Titles(const std::string& as, const std::string& query = "") {
    Response r = Get("/api/v1/inbox?limit=100" + query, as);
    EXPECT_STATUS(r, 200);
    return Column(Items(r), "title");
  }
};

TEST_P(NotifyRoutesTest, EveryoneSeesOnlyTheirOwnMessagesNewestFirst) {
  const std::string tag = env().Unique("收件");
  Notify(env(), env().UserId("citizen"), "", tag + "-账号");
  Notify(env(), "", env().PersonId("张三"), tag + "-本人");
  Notify(env(), "", env().EnterpriseId("湖南湘江智造科技有限公司"), tag + "-企业");
  Notify(env(), env().UserId("clerk"), "", tag + "-窗口");
  Notify(env(), "", env().PersonId("李梅"), tag + "-李梅");

  auto mine = [&](const std::string& as) {
    std::vector<std::string> out;
    for (const std::string& t : Titles(as)) {
      if (t.rfind(tag + "-", 0) == 0) out.push_back(t.substr(tag.size() + 1));
    }
    return out;
  };
  EXPECT_THAT(mine("citizen"), ElementsAre("本人", "账号"));
  EXPECT_THAT(mine("enterprise"), ElementsAre("企业"));
  EXPECT_THAT(mine("clerk"), ElementsAre("窗口"));
  for (const char* role : {"admin", "hr_admin", "reviewer", "supervisor", "agent"}) {
    EXPECT_THAT(mine(role), ::testing::IsEmpty()) << role;
  }
}

TEST_P(NotifyRoutesTest, MessageJsonHasEveryField) {
  const std::string title = env().Unique("受理通知");
  const std::string id = Notify(env(), env().UserId("citizen"), "", title);
  Response r = Get("/api/v1/inbox?limit=1", "citizen");
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  ASSERT_EQ(items.size(), 1u);
  const json::object& m = items[0].as_object();
  EXPECT_EQ(Str(m, "id"), id);
  EXPECT_EQ(Str(m, "title"), title);
  EXPECT_EQ(Str(m, "body"), title + "：请登录查看办件进度。");
  EXPECT_EQ(Str(m, "templateCode"), "case.accepted");
  EXPECT_EQ(Str(m, "subjectType"), "case");
  EXPECT_EQ(Str(m, "subjectId"), "case-" + title);
  EXPECT_TRUE(
      std::regex_match(Str(m, "createdAt"), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00)")))
      << Str(m, "createdAt");
  EXPECT_FALSE(m.at("read").as_bool());
  EXPECT_TRUE(m.at("readAt").is_null());
  EXPECT_GE(Int(Obj(r), "total"), 1);
}

TEST_P(NotifyRoutesTest, PagingTotalsAndTheUnreadFilter) {
  const std::string who = env().UserId("reviewer");
  const std::string tag = env().Unique("分页");
  const std::int64_t before = Int(Obj(Get("/api/v1/inbox", "reviewer")), "total");
  std::vector<std::string> ids;
  for (int i = 1; i <= 3; ++i) ids.push_back(Notify(env(), who, "", tag + std::to_string(i)));

  Response page = Get("/api/v1/inbox?offset=1&limit=1", "reviewer");
  ASSERT_STATUS(page, 200);
  EXPECT_EQ(Int(Obj(page), "total"), before + 3);
  EXPECT_THAT(Column(Items(page), "title"), ElementsAre(tag + "2"));

  const std::int64_t unread_before = UnreadCount("reviewer");
  ASSERT_STATUS(MarkRead(ids[2], "reviewer"), 200);
  EXPECT_EQ(UnreadCount("reviewer"), unread_before - 1);
  EXPECT_THAT(Titles("reviewer", "&unread=true"), Not(Contains(tag + "3")));
  EXPECT_THAT(Titles("reviewer", "&unread=true"), Contains(tag + "2"));
  EXPECT_THAT(Titles("reviewer", "&unread=false"), Contains(tag + "3"));
  Response unread = Get("/api/v1/inbox?unread=1&limit=1", "reviewer");
  EXPECT_EQ(Int(Obj(unread), "total"), unread_before - 1);
}

TEST_P(NotifyRoutesTest, MarkReadAnswersTheMessageAndIsAuditedOnce) {
  const std::string id = Notify(env(), "", env().PersonId("张三"), env().Unique("办结"));
  const std::int64_t unread = UnreadCount("citizen");
  const Snapshot before = Snap(env());
  Response r = MarkRead(id, "citizen");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "id"), id);
  EXPECT_TRUE(Obj(r).at("read").as_bool());
  const std::string read_at = Str(Obj(r), "readAt");
  EXPECT_FALSE(read_at.empty());
  EXPECT_EQ(UnreadCount("citizen"), unread - 1);
  Snapshot after = Snap(env());
  EXPECT_EQ(after["audit_entry"], before.at("audit_entry") + 1);
  EXPECT_EQ(after["notify_inbox.version"], before.at("notify_inbox.version") + 1);

  env().clock().Advance(60'000);
  Response again = MarkRead(id, "citizen");
  ASSERT_STATUS(again, 200);
  EXPECT_EQ(Str(Obj(again), "readAt"), read_at);  // the first reading is kept
  EXPECT_EQ(Snap(env()), after);                  // and nothing else happens

  Response audit = Get("/api/v1/audit/entries?action=notify.&pageSize=100", "admin");
  ASSERT_STATUS(audit, 200);
  const json::array entries = Items(audit);
  const json::object* entry = FindBy(entries, "subjectId", id);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(Str(*entry, "action"), "notify.inbox.read");
  EXPECT_EQ(Str(*entry, "actionLabel"), "阅读站内消息");
  EXPECT_EQ(Str(*entry, "actorId"), env().UserId("citizen"));
}

TEST_P(NotifyRoutesTest, MarkingSomeoneElsesMessageIsNotFoundAndChangesNothing) {
  const std::string id = Notify(env(), "", env().PersonId("李梅"), env().Unique("他人"));
  const Snapshot before = Snap(env());
  for (const std::string& role : DemoRoles()) {
    EXPECT_ERROR(MarkRead(id, role), 404, "NOT_FOUND", "notify.message_not_found") << role;
  }
  EXPECT_ERROR(MarkRead("01JNOSUCHMESSAGE0000000000", "citizen"), 404, "NOT_FOUND",
               "notify.message_not_found");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(NotifyRoutesTest, MarkReadNeedsTheCsrfToken) {
  const std::string id = Notify(env(), env().UserId("citizen"), "", env().Unique("令牌"));
  Session without = env().As("citizen");
  without.csrf.clear();
  const Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/inbox/" + id + "/read", nullptr, &without), 403,
               "PERMISSION_DENIED", "identity.csrf");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(NotifyRoutesTest, BadQueryParametersAreFieldErrors) {
  struct Bad {
    std::string query;
    std::string field;
  };
  for (const Bad& b : std::vector<Bad>{{"limit=0", "limit"},
                                       {"limit=101", "limit"},
                                       {"limit=abc", "limit"},
                                       {"offset=-1", "offset"},
                                       {"unread=maybe", "unread"}}) {
    Response r = Get("/api/v1/inbox?" + b.query, "citizen");
    EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_query") << b.query;
    EXPECT_THAT(FieldsOf(r), ElementsAre(b.field)) << b.query;
  }
}

INSTANTIATE_ROUTES_TEST(NotifyRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
