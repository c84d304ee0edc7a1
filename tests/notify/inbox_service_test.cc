// InboxService: everyone sees only their own messages (by user, or by party for citizen and
// enterprise accounts); marking read is one's own, audited, and idempotent.
#include "notify/inbox_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify_fixture.h"
#include "testutil/matchers.h"

namespace onestop::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testutil::IsError;

class InboxServiceTest : public NotifyTest {
 protected:
  void SetUp() override {
    NotifyTest::SetUp();
    if (t_ == nullptr) return;
    inbox_ = std::make_unique<InboxService>(t_->db(), clock());
  }

  // Enqueues a message titled `title` for `user` / `party` one second after the previous one.
  std::string Send(const std::string& user, const std::string& party, const std::string& title) {
    clock().Advance(1000);
    Message m = CaseAccepted(user, party, "");
    m.title = title;
    return MustEnqueue(m);
  }

  std::vector<std::string> Titles(const identity::Principal& who, bool unread_only = false) {
    Result<InboxPage> page = inbox_->List(who, 0, 100, unread_only);
    EXPECT_TRUE(page.has_value()) << page.error().message;
    std::vector<std::string> out;
    if (page.has_value()) {
      for (const InboxMessage& m : page->items) out.push_back(m.title);
    }
    return out;
  }

  std::int64_t Unread(const identity::Principal& who) {
    Result<std::int64_t> n = inbox_->UnreadCount(who);
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  std::optional<std::int64_t> ReadAt(const std::string& id) {
    Result<std::optional<std::int64_t>> r =
        store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::optional<std::int64_t>> {
          ASSIGN_OR_RETURN(store::Row row, tx.QueryOne("SELECT read_at_ms, version FROM "
                                                       "notify_inbox WHERE id = ?",
                                                       {id}, "x", "x"));
          return row.OptInt(0);
        });
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? *r : std::nullopt;
  }

  std::unique_ptr<InboxService> inbox_;
};

TEST_P(InboxServiceTest, CitizenSeesMessagesToTheAccountAndToTheirPersonOnly) {
  Send("u-zhang", "", "给张三账号");
  Send("", "p-zhang", "给张三本人");
  Send("u-li", "p-li", "给李四");
  Send("", "e-1", "给企业");
  Send("u-clerk", "", "给窗口人员");
  EXPECT_THAT(Titles(Citizen("u-zhang", "p-zhang")), ElementsAre("给张三本人", "给张三账号"));
  EXPECT_THAT(Titles(Citizen("u-li", "p-li")), ElementsAre("给李四"));
  // A second account of the same person sees the party's messages, not the other account's.
  EXPECT_THAT(Titles(Citizen("u-zhang-2", "p-zhang")), ElementsAre("给张三本人"));
  EXPECT_THAT(Titles(Citizen("u-nobody", "p-nobody")), IsEmpty());
}

TEST_P(InboxServiceTest, EnterpriseSeesItsEnterprisesMessages) {
  Send("", "e-1", "给企业");
  Send("", "p-zhang", "给张三本人");
  EXPECT_THAT(Titles(EnterpriseUser("u-ent", "e-1")), ElementsAre("给企业"));
  EXPECT_THAT(Titles(EnterpriseUser("u-ent-2", "e-2")), IsEmpty());
}

TEST_P(InboxServiceTest, StaffSeeTheirOwnUserMessagesAndNeverAPartys) {
  Send("u-clerk", "", "给窗口人员");
  Send("", "p-zhang", "给张三本人");
  identity::Principal clerk = Staff("u-clerk");
  clerk.person_id = "p-zhang";  // a staff account is never matched by party
  EXPECT_THAT(Titles(clerk), ElementsAre("给窗口人员"));
}

TEST_P(InboxServiceTest, ListPagesNewestFirstWithTotalAndUnreadFilter) {
  const identity::Principal me = Citizen("u-zhang", "p-zhang");
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) ids.push_back(Send("u-zhang", "", "消息" + std::to_string(i)));
  Result<InboxPage> page = inbox_->List(me, 1, 2, false);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].title, "消息4");
  EXPECT_EQ(page->items[1].title, "消息3");
  EXPECT_EQ(page->items[0].body, "您申请的出生一件事已受理，受理编号 HN202611270001。");
  EXPECT_EQ(page->items[0].template_code, "case.accepted");
  EXPECT_EQ(page->items[0].subject_type, "case");
  EXPECT_EQ(page->items[0].subject_id, "case-1");
  EXPECT_EQ(page->items[0].created_at_ms, testutil::kTestNowMs + 4000);
  EXPECT_FALSE(page->items[0].read_at_ms.has_value());

  ASSERT_TRUE(inbox_->MarkRead(me, ids[4]).has_value());
  ASSERT_TRUE(inbox_->MarkRead(me, ids[0]).has_value());
  EXPECT_THAT(Titles(me, true), ElementsAre("消息4", "消息3", "消息2"));
  Result<InboxPage> unread = inbox_->List(me, 0, 1, true);
  ASSERT_TRUE(unread.has_value());
  EXPECT_EQ(unread->total, 3);
  EXPECT_EQ(Unread(me), 3);
}

TEST_P(InboxServiceTest, MarkReadSetsTheTimeAndIsAuditedOnce) {
  const identity::Principal me = Citizen("u-zhang", "p-zhang");
  const std::string id = Send("", "p-zhang", "给张三本人");
  const std::int64_t audit_before = Count("audit_entry");
  clock().Advance(60'000);
  Result<InboxMessage> read = inbox_->MarkRead(me, id);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->read_at_ms, clock().NowMs());
  EXPECT_EQ(ReadAt(id), clock().NowMs());
  EXPECT_EQ(Unread(me), 0);
  EXPECT_EQ(Count("audit_entry"), audit_before + 1);

  // Again: unchanged, the first time is kept, no second audit entry.
  clock().Advance(60'000);
  Result<InboxMessage> again = inbox_->MarkRead(me, id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->read_at_ms, clock().NowMs() - 60'000);
  EXPECT_EQ(Count("audit_entry"), audit_before + 1);

  audit::AuditLog log(clock());
  audit::Filter f;
  f.action_prefix = "notify.";
  Result<audit::Page> entries =
      store::Read(t_->db(), [&](store::Tx& tx) { return log.Search(tx, f); });
  ASSERT_TRUE(entries.has_value());
  ASSERT_EQ(entries->items.size(), 1u);
  EXPECT_EQ(entries->items[0].action, "notify.inbox.read");
  EXPECT_EQ(entries->items[0].actor_id, "u-zhang");
  EXPECT_EQ(entries->items[0].subject_id, id);
  EXPECT_EQ(entries->items[0].request_id, "req-citizen");
}

TEST_P(InboxServiceTest, MarkingAnothersMessageIsNotFoundAndChangesNothing) {
  const std::string theirs = Send("u-li", "p-li", "给李四");
  const std::int64_t audit_before = Count("audit_entry");
  for (const identity::Principal& who :
       {Citizen("u-zhang", "p-zhang"), Staff("u-clerk"), EnterpriseUser("u-ent", "e-1")}) {
    Result<InboxMessage> r = inbox_->MarkRead(who, theirs);
    EXPECT_TRUE(IsError(r, ErrorCode::kNotFound, "notify.message_not_found")) << who.user_id;
  }
  EXPECT_FALSE(ReadAt(theirs).has_value());
  EXPECT_EQ(Unread(Citizen("u-li", "p-li")), 1);
  EXPECT_EQ(Count("audit_entry"), audit_before);

  Result<InboxMessage> unknown = inbox_->MarkRead(Citizen("u-li", "p-li"), "no-such-id");
  EXPECT_TRUE(IsError(unknown, ErrorCode::kNotFound, "notify.message_not_found"));
}

TEST_P(InboxServiceTest, BadPagingIsRejected) {
  const identity::Principal me = Citizen("u-zhang", "p-zhang");
  Result<InboxPage> r = inbox_->List(me, -1, 0, false);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.bad_page"));
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "offset");
  EXPECT_EQ(r.error().fields[1].field, "limit");
  EXPECT_TRUE(IsError(inbox_->List(me, 0, kMaxInboxLimit + 1, false), ErrorCode::kInvalidArgument,
                      "notify.bad_page"));
  EXPECT_TRUE(inbox_->List(me, 0, kMaxInboxLimit, false).has_value());
}

TEST_P(InboxServiceTest, WithoutAUserEverythingIsUnauthenticated) {
  const std::string id = Send("", "p-zhang", "给张三本人");
  identity::Principal anonymous = Citizen("", "p-zhang");
  EXPECT_TRUE(IsError(inbox_->List(anonymous, 0, 20, false), ErrorCode::kUnauthenticated,
                      "notify.no_user"));
  EXPECT_TRUE(
      IsError(inbox_->UnreadCount(anonymous), ErrorCode::kUnauthenticated, "notify.no_user"));
  EXPECT_TRUE(
      IsError(inbox_->MarkRead(anonymous, id), ErrorCode::kUnauthenticated, "notify.no_user"));
  EXPECT_FALSE(ReadAt(id).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, InboxServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::notify
