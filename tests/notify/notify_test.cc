// Enqueue: the outbox and inbox rows are written in the caller's transaction and only there.
#include "notify/notify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ids.h"
#include "notify/delivery_worker.h"
#include "notify_fixture.h"
#include "testutil/fake_sms_gateway.h"
#include "testutil/matchers.h"

namespace onestop::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;

class EnqueueTest : public NotifyTest {
 protected:
  // Runs Enqueue(m) in a transaction that is committed; returns its result.
  Result<std::string> TryEnqueue(const Message& m) {
    return store::Transact(
        t_->db(), [&](store::Tx& tx) -> Result<std::string> { return Enqueue(tx, clock(), m); });
  }

  void ExpectNothingWritten() {
    EXPECT_EQ(Count("notify_outbox"), 0);
    EXPECT_EQ(Count("notify_inbox"), 0);
  }

  std::vector<std::string> FieldNames(const Error& e) {
    std::vector<std::string> out;
    for (const FieldError& f : e.fields) out.push_back(f.field);
    return out;
  }
};

TEST_P(EnqueueTest, WritesThePendingOutboxRowAndTheInboxRow) {
  const std::string id = MustEnqueue(CaseAccepted("u-1", "p-1", " 13800000001 "));
  ASSERT_TRUE(IsUlid(id)) << id;
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kPending);
  EXPECT_EQ(e.phone, "13800000001");  // trimmed, whole until sent
  EXPECT_EQ(e.sms_text, "您申请的出生一件事已受理，受理编号 HN202611270001。");
  EXPECT_EQ(e.template_code, "case.accepted");
  EXPECT_EQ(e.subject_type, "case");
  EXPECT_EQ(e.subject_id, "case-1");
  EXPECT_EQ(e.recipient_user_id, "u-1");
  EXPECT_EQ(e.recipient_party_id, "p-1");
  EXPECT_EQ(e.attempts, 0);
  EXPECT_EQ(e.next_attempt_at_ms, testutil::kTestNowMs);  // due at once
  EXPECT_EQ(e.created_at_ms, testutil::kTestNowMs);
  EXPECT_EQ(e.lease_owner, "");
  EXPECT_FALSE(e.finished_at_ms.has_value());
  EXPECT_EQ(Count("notify_inbox"), 1);
}

TEST_P(EnqueueTest, RolledBackTransactionWritesAndSendsNothing) {
  // The event fails after its notification was enqueued: the whole transaction rolls back.
  Result<void> event = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
    Result<std::string> id = Enqueue(tx, clock(), CaseAccepted("u-1", "p-1", "13800000001"));
    EXPECT_TRUE(id.has_value());
    return FailedPrecondition("cases.not_submitted", "只有已提交的办件可以受理");
  });
  ASSERT_TRUE(IsError(event, ErrorCode::kFailedPrecondition, "cases.not_submitted"));
  ExpectNothingWritten();

  testutil::FakeSmsGateway gateway;
  DeliveryWorker worker(t_->db(), clock(), gateway);
  Result<int> round = worker.RunOnce();
  ASSERT_TRUE(round.has_value());
  EXPECT_EQ(*round, 0);
  EXPECT_TRUE(gateway.requests().empty());
}

TEST_P(EnqueueTest, WithoutPhoneTheOutboxRowIsSkippedAndNothingIsSent) {
  const std::string id = MustEnqueue(CaseAccepted("u-1", "", ""));
  EXPECT_EQ(Outbox(id).status, OutboxStatus::kSkipped);
  EXPECT_EQ(Count("notify_inbox"), 1);
  testutil::FakeSmsGateway gateway;
  DeliveryWorker worker(t_->db(), clock(), gateway);
  ASSERT_TRUE(worker.RunOnce().has_value());
  EXPECT_TRUE(gateway.requests().empty());
}

TEST_P(EnqueueTest, PhoneOnlyWritesNoInboxRow) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  EXPECT_EQ(Outbox(id).status, OutboxStatus::kPending);
  EXPECT_EQ(Count("notify_outbox"), 1);
  EXPECT_EQ(Count("notify_inbox"), 0);
}

TEST_P(EnqueueTest, EveryMessageGetsItsOwnId) {
  const std::string a = MustEnqueue(CaseAccepted("u-1", "", ""));
  const std::string b = MustEnqueue(CaseAccepted("u-1", "", ""));
  EXPECT_NE(a, b);
  EXPECT_EQ(Count("notify_inbox"), 2);
}

TEST_P(EnqueueTest, MessageWithoutAnyRecipientIsRejected) {
  Result<std::string> r = TryEnqueue(CaseAccepted(" ", "", ""));
  EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.no_recipient"));
  EXPECT_THAT(r.error().message, HasSubstr("接收人"));
  ExpectNothingWritten();
}

TEST_P(EnqueueTest, MissingTitleBodyAndTemplateAreReportedTogether) {
  Message m = CaseAccepted("u-1", "", "");
  m.title = "　";  // an ideographic space only
  m.body = "";
  m.template_code = "";
  Result<std::string> r = TryEnqueue(m);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.invalid_message"));
  EXPECT_THAT(FieldNames(r.error()), ElementsAre("title", "body", "templateCode"));
  EXPECT_EQ(r.error().fields[0].message, "标题必填");
  ExpectNothingWritten();
}

TEST_P(EnqueueTest, OverlongTitleAndBodyAreRejected) {
  Message m = CaseAccepted("u-1", "", "");
  m.title.clear();
  for (std::size_t i = 0; i <= kMaxTitleChars; ++i) m.title += "办";
  m.body.clear();
  for (std::size_t i = 0; i <= kMaxBodyChars; ++i) m.body += "件";
  Result<std::string> r = TryEnqueue(m);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.invalid_message"));
  EXPECT_THAT(FieldNames(r.error()), ElementsAre("title", "body"));
  EXPECT_EQ(r.error().fields[0].message, "标题最多 100 个字");
  ExpectNothingWritten();

  m.title.resize(kMaxTitleChars * 3);  // exactly 100 characters (3 bytes each)
  m.body.resize(kMaxBodyChars * 3);
  EXPECT_TRUE(TryEnqueue(m).has_value());
}

TEST_P(EnqueueTest, BadPhoneIsRejectedWithAFieldError) {
  Result<std::string> r = TryEnqueue(CaseAccepted("u-1", "", "1380000000"));
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "core.mobile_format"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "phone");
  EXPECT_THAT(r.error().message, HasSubstr("11位"));
  ExpectNothingWritten();
}

TEST_P(EnqueueTest, GetOutboxOfAnUnknownIdIsNotFound) {
  Result<OutboxEntry> e = store::Read(
      t_->db(), [&](store::Tx& tx) { return GetOutbox(tx, "01JNOSUCHMESSAGE000000000"); });
  EXPECT_TRUE(IsError(e, ErrorCode::kNotFound, "notify.message_not_found"));
}

TEST(OutboxStatusTest, CodesRoundTrip) {
  for (OutboxStatus s : {OutboxStatus::kPending, OutboxStatus::kSending, OutboxStatus::kSent,
                         OutboxStatus::kFailed, OutboxStatus::kSkipped}) {
    EXPECT_EQ(ParseOutboxStatus(OutboxStatusCode(s)), s);
  }
  EXPECT_FALSE(ParseOutboxStatus("delivered").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, EnqueueTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::notify
