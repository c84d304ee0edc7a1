// DeliveryWorker: claims due SMS with a lease, sends them, and records sent / retry with
// backoff / failed; two workers over one database never send a row at the same time, and a
// row whose worker died is retried after its lease with the same id.
#include "notify/delivery_worker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "notify_fixture.h"
#include "testutil/fake_sms_gateway.h"
#include "testutil/matchers.h"

namespace onestop::notify {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::FakeSmsGateway;

Error GatewayDown() { return Unavailable("notify.sms_gateway_error", "短信网关出错：HTTP 503"); }
Error GatewayRefuses() { return InvalidArgument("notify.sms_rejected", "短信网关拒绝：HTTP 400"); }

class DeliveryWorkerTest : public NotifyTest {
 protected:
  int MustRun(DeliveryWorker& w) {
    Result<int> r = w.RunOnce();
    EXPECT_TRUE(r.has_value()) << r.error().reason << ": " << r.error().message;
    return r.value_or(-1);
  }

  std::vector<audit::Entry> NotifyAudit() {
    audit::AuditLog log(clock());
    audit::Filter f;
    f.action_prefix = "notify.sms.";
    f.limit = 100;
    Result<audit::Page> page =
        store::Read(t_->db(), [&](store::Tx& tx) { return log.Search(tx, f); });
    EXPECT_TRUE(page.has_value());
    return page.has_value() ? page->items : std::vector<audit::Entry>{};
  }

  FakeSmsGateway gateway_;
};

TEST_P(DeliveryWorkerTest, SuccessMarksSentMasksThePhoneAndAudits) {
  const std::string id = MustEnqueue(CaseAccepted("u-1", "p-1", "13800000001"));
  DeliveryWorker worker(t_->db(), clock(), gateway_);
  clock().Advance(5);
  EXPECT_EQ(MustRun(worker), 1);

  std::vector<SmsRequest> sent = gateway_.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message_id, id);
  EXPECT_EQ(sent[0].phone, "13800000001");
  EXPECT_EQ(sent[0].text, "您申请的出生一件事已受理，受理编号 HN202611270001。");

  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kSent);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.phone, "138****0001");
  EXPECT_EQ(e.finished_at_ms, testutil::kTestNowMs + 5);
  EXPECT_EQ(e.lease_owner, "");
  EXPECT_FALSE(e.lease_until_ms.has_value());
  EXPECT_EQ(e.last_error, "");

  std::vector<audit::Entry> audit = NotifyAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "notify.sms.sent");
  EXPECT_EQ(audit[0].actor_id, "system");
  EXPECT_EQ(audit[0].subject_id, id);
  EXPECT_EQ(audit[0].subject_party_id, "p-1");
  EXPECT_THAT(audit[0].details_json, HasSubstr("138****0001"));
  EXPECT_THAT(audit[0].details_json, ::testing::Not(HasSubstr("13800000001")));

  // Nothing is sent twice.
  clock().Advance(3'600'000);
  EXPECT_EQ(MustRun(worker), 0);
  EXPECT_EQ(gateway_.requests().size(), 1u);
}

TEST_P(DeliveryWorkerTest, RetryableErrorIsRetriedWithDoublingBackoffAndTheSameId) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  DeliveryWorker worker(t_->db(), clock(), gateway_);
  gateway_.Then(GatewayDown());
  gateway_.Then(GatewayDown());
  const Millis t0 = clock().NowMs();

  EXPECT_EQ(MustRun(worker), 1);
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kPending);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.next_attempt_at_ms, t0 + 2000);  // base_backoff_ms
  EXPECT_EQ(e.last_error, "notify.sms_gateway_error: 短信网关出错：HTTP 503");
  EXPECT_EQ(e.phone, "13800000001");  // still needed whole for the retry
  EXPECT_EQ(e.lease_owner, "");

  clock().Advance(1999);  // not yet due
  EXPECT_EQ(MustRun(worker), 0);
  clock().Advance(1);
  EXPECT_EQ(MustRun(worker), 1);
  e = Outbox(id);
  EXPECT_EQ(e.attempts, 2);
  EXPECT_EQ(e.next_attempt_at_ms, t0 + 2000 + 4000);  // doubled

  clock().Set(t0 + 6000);
  EXPECT_EQ(MustRun(worker), 1);  // the gateway answers Ok now
  e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kSent);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_EQ(e.last_error, "");
  EXPECT_THAT(gateway_.ids(), ElementsAre(id, id, id));
  EXPECT_TRUE(NotifyAudit().size() == 1 && NotifyAudit()[0].action == "notify.sms.sent");
}

TEST_P(DeliveryWorkerTest, PermanentErrorFailsAtOnceWithoutRetries) {
  const std::string id = MustEnqueue(CaseAccepted("u-1", "p-1", "13800000001"));
  DeliveryWorker worker(t_->db(), clock(), gateway_);
  gateway_.AlwaysAnswer(GatewayRefuses());
  EXPECT_EQ(MustRun(worker), 1);
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kFailed);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.last_error, "notify.sms_rejected: 短信网关拒绝：HTTP 400");
  EXPECT_EQ(e.phone, "138****0001");
  EXPECT_EQ(e.finished_at_ms, clock().NowMs());

  clock().Advance(24 * 3'600'000);
  EXPECT_EQ(MustRun(worker), 0);
  EXPECT_EQ(gateway_.requests().size(), 1u);
  std::vector<audit::Entry> audit = NotifyAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "notify.sms.failed");
  EXPECT_THAT(audit[0].details_json, HasSubstr("notify.sms_rejected"));
}

TEST_P(DeliveryWorkerTest, MaxAttemptsMarksFailed) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  DeliveryWorker::Options options;
  options.max_attempts = 3;
  DeliveryWorker worker(t_->db(), clock(), gateway_, options);
  gateway_.AlwaysAnswer(GatewayDown());
  for (int i = 0; i < 10; ++i) {
    MustRun(worker);
    clock().Advance(60'000);
  }
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kFailed);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_EQ(gateway_.requests().size(), 3u);
  EXPECT_THAT(e.last_error, HasSubstr("notify.sms_gateway_error"));
  EXPECT_EQ(e.phone, "138****0001");
  ASSERT_EQ(NotifyAudit().size(), 1u);
  EXPECT_EQ(NotifyAudit()[0].action, "notify.sms.failed");
}

TEST_P(DeliveryWorkerTest, DefaultsAreEightAttemptsFromTwoSecondsCappedAtTenMinutes) {
  DeliveryWorker::Options defaults;
  EXPECT_EQ(defaults.max_attempts, 8);
  EXPECT_EQ(defaults.base_backoff_ms, 2000);
  EXPECT_EQ(defaults.max_backoff_ms, 600'000);

  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  DeliveryWorker::Options options;
  options.max_attempts = 20;
  DeliveryWorker worker(t_->db(), clock(), gateway_, options);
  gateway_.AlwaysAnswer(GatewayDown());
  std::vector<Millis> waits;
  for (int i = 0; i < 11; ++i) {
    ASSERT_EQ(MustRun(worker), 1);
    OutboxEntry e = Outbox(id);
    waits.push_back(e.next_attempt_at_ms - clock().NowMs());
    clock().Set(e.next_attempt_at_ms);
  }
  EXPECT_THAT(waits, ElementsAre(2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000,
                                 600000, 600000));
}

TEST_P(DeliveryWorkerTest, BatchLimitsOneRound) {
  for (int i = 0; i < 5; ++i) MustEnqueue(CaseAccepted("", "", "13800000001"));
  DeliveryWorker::Options options;
  options.batch = 2;
  DeliveryWorker worker(t_->db(), clock(), gateway_, options);
  EXPECT_EQ(MustRun(worker), 2);
  EXPECT_EQ(MustRun(worker), 2);
  EXPECT_EQ(MustRun(worker), 1);
  EXPECT_EQ(MustRun(worker), 0);
  std::vector<std::string> ids = gateway_.ids();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 5u);
}

TEST_P(DeliveryWorkerTest, LeaseOfADeadNodeIsNotTakenUntilItExpiresThenTheSameIdIsResent) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  // Another node claimed the row (lease 60 s), may have sent it, then died before recording.
  const Millis lease_until = clock().NowMs() + 60'000;
  Exec(
      "UPDATE notify_outbox SET status = 'sending', lease_owner = 'dead-node', "
      "lease_until_ms = ?, attempts = 1 WHERE id = ?",
      {lease_until, id});
  DeliveryWorker worker(t_->db(), clock(), gateway_);

  clock().Set(lease_until - 1);
  EXPECT_EQ(MustRun(worker), 0);  // still held
  EXPECT_TRUE(gateway_.requests().empty());
  EXPECT_EQ(Outbox(id).lease_owner, "dead-node");

  clock().Set(lease_until);
  EXPECT_EQ(MustRun(worker), 1);
  ASSERT_EQ(gateway_.requests().size(), 1u);
  EXPECT_EQ(gateway_.requests()[0].message_id, id);  // the idempotency key of the first try
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kSent);
  EXPECT_EQ(e.attempts, 2);
}

TEST_P(DeliveryWorkerTest, ALeaseExpiredOnTheLastAttemptIsFailedNotResent) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  Exec(
      "UPDATE notify_outbox SET status = 'sending', lease_owner = 'dead-node', "
      "lease_until_ms = ?, attempts = 8 WHERE id = ?",
      {clock().NowMs(), id});
  DeliveryWorker worker(t_->db(), clock(), gateway_);
  EXPECT_EQ(MustRun(worker), 1);
  EXPECT_TRUE(gateway_.requests().empty());
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kFailed);
  EXPECT_THAT(e.last_error, HasSubstr("notify.max_attempts"));
}

TEST_P(DeliveryWorkerTest, AWorkerMidSendHoldsItsLeaseAndLosesItOnlyAfterExpiry) {
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  DeliveryWorker::Options options;
  options.lease_ms = 30'000;
  // Worker A's gateway hangs in Send until released.
  FakeSmsGateway slow;
  std::promise<void> in_send, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  slow.OnSend([&](const SmsRequest&) {
    if (first.exchange(false)) {
      in_send.set_value();
      released.wait();
    }
  });
  DeliveryWorker a(t_->db(), clock(), slow, options);
  DeliveryWorker b(t_->db(), clock(), gateway_, options);
  std::future<Result<int>> a_round = std::async(std::launch::async, [&] { return a.RunOnce(); });
  in_send.get_future().wait();

  EXPECT_EQ(MustRun(b), 0);  // A holds the lease
  EXPECT_EQ(Outbox(id).lease_owner, a.node_id());
  clock().Advance(30'000);  // A has hung for the whole lease
  EXPECT_EQ(MustRun(b), 1);
  EXPECT_THAT(gateway_.ids(), ElementsAre(id));  // same id: the gateway drops the duplicate
  EXPECT_EQ(Outbox(id).status, OutboxStatus::kSent);

  release.set_value();
  Result<int> a_result = a_round.get();
  ASSERT_TRUE(a_result.has_value());
  EXPECT_EQ(*a_result, 1);
  // A's late outcome does not overwrite B's record.
  OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, OutboxStatus::kSent);
  EXPECT_EQ(e.attempts, 2);
  EXPECT_EQ(NotifyAudit().size(), 1u);
}

TEST_P(DeliveryWorkerTest, TwoWorkersOnTwoConnectionsNeverBothSendARow) {
  constexpr int kMessages = 60;
  std::set<std::string> enqueued;
  for (int i = 0; i < kMessages; ++i) {
    enqueued.insert(MustEnqueue(CaseAccepted("", "", "13800000001")));
  }
  // A second pool on the same database: a second server node.
  Result<std::unique_ptr<store::Db>> other = store::Open(t_->url());
  ASSERT_TRUE(other.has_value()) << other.error().message;
  DeliveryWorker::Options options;
  options.batch = 3;
  DeliveryWorker a(t_->db(), clock(), gateway_, options);
  DeliveryWorker b(**other, clock(), gateway_, options);
  auto drain = [&](DeliveryWorker& w) {
    int total = 0;
    for (int idle = 0; idle < 3;) {
      Result<int> r = w.RunOnce();
      if (!r.has_value()) {
        ADD_FAILURE() << r.error().reason << ": " << r.error().message;
        return total;
      }
      total += *r;
      idle = *r == 0 ? idle + 1 : 0;
    }
    return total;
  };
  std::future<int> a_sent = std::async(std::launch::async, [&] { return drain(a); });
  std::future<int> b_sent = std::async(std::launch::async, [&] { return drain(b); });
  const int by_a = a_sent.get();
  const int by_b = b_sent.get();
  EXPECT_EQ(by_a + by_b, kMessages);

  std::map<std::string, int> sends;
  for (const std::string& id : gateway_.ids()) ++sends[id];
  EXPECT_EQ(sends.size(), enqueued.size());
  for (const auto& [id, n] : sends) EXPECT_EQ(n, 1) << id << " sent " << n << " times";
  std::vector<OutboxStatus> statuses;
  for (const std::string& id : enqueued) statuses.push_back(Outbox(id).status);
  EXPECT_THAT(statuses, Each(OutboxStatus::kSent));
}

TEST_P(DeliveryWorkerTest, BackgroundThreadDeliversAndStopJoins) {
  DeliveryWorker::Options options;
  options.poll_interval_ms = 20;
  DeliveryWorker worker(t_->db(), clock(), gateway_, options);
  worker.Start();
  worker.Start();  // idempotent
  const std::string id = MustEnqueue(CaseAccepted("", "", "13800000001"));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (gateway_.requests().empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto stop_started = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(2));
  worker.Stop();  // idempotent
  EXPECT_THAT(gateway_.ids(), ElementsAre(id));
  EXPECT_EQ(Outbox(id).status, OutboxStatus::kSent);

  // Stopped: nothing more goes out; started again: it does.
  const std::string later = MustEnqueue(CaseAccepted("", "", "13800000002"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(gateway_.requests().size(), 1u);
  worker.Start();
  while (gateway_.requests().size() < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  worker.Stop();
  EXPECT_THAT(gateway_.ids(), ElementsAre(id, later));
}

TEST_P(DeliveryWorkerTest, StopIsPromptWithALongPollInterval) {
  DeliveryWorker worker(t_->db(), clock(), gateway_);  // 1 s between rounds
  worker.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto started = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
}

TEST(SmsGatewayTest, RetryableCodes) {
  EXPECT_TRUE(IsRetryable(Unavailable("x", "x")));
  EXPECT_TRUE(IsRetryable(Aborted("x", "x")));
  EXPECT_TRUE(IsRetryable(ResourceExhausted("x", "x")));
  EXPECT_TRUE(IsRetryable(Internal("x", "x")));
  EXPECT_FALSE(IsRetryable(InvalidArgument("x", "x")));
  EXPECT_FALSE(IsRetryable(PermissionDenied("x", "x")));
  EXPECT_FALSE(IsRetryable(Unauthenticated("x", "x")));
  EXPECT_FALSE(IsRetryable(NotFound("x", "x")));
  EXPECT_FALSE(IsRetryable(FailedPrecondition("x", "x")));
}

TEST(SmsGatewayTest, LogGatewayLogsTheSmsWithTheNumberMasked) {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  LogSmsGateway log;
  Result<void> r = log.Send({"01J0000000000000000000000", "13800000001", "测试短信"});
  spdlog::set_default_logger(previous);
  EXPECT_TRUE(r.has_value());
  EXPECT_THAT(out.str(), HasSubstr("138****0001"));
  EXPECT_THAT(out.str(), ::testing::Not(HasSubstr("13800000001")));
  EXPECT_THAT(out.str(), HasSubstr("测试短信"));
  EXPECT_THAT(out.str(), HasSubstr("01J0000000000000000000000"));
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryWorkerTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::notify
