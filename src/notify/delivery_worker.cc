#include "notify/delivery_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "core/id_number.h"
#include "core/ids.h"
#include "notify/notify.h"

namespace onestop::notify {
namespace {

constexpr std::size_t kMaxErrorBytes = 500;

// Due: pending and its time has come, or claimed by a worker whose lease ran out (that node
// died or hung mid-send). The same condition guards the claiming UPDATE, so of two workers
// that both saw a row, only the first to update it gets it.
constexpr const char* kDue =
    "((status = 'pending' AND next_attempt_at_ms <= ?) OR "
    "(status = 'sending' AND lease_until_ms <= ?))";

audit::Actor WorkerActor() { return {"system", "短信投递", std::nullopt, ""}; }

std::string ErrorText(const Error& e) {
  std::string s = e.reason + ": " + e.message;
  if (s.size() > kMaxErrorBytes) {
    s.resize(kMaxErrorBytes);
    // Do not leave half a UTF-8 sequence at the end.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80) != 0) s.pop_back();
  }
  return s;
}

}  // namespace

DeliveryWorker::DeliveryWorker(store::Db& db, const Clock& clock, SmsGateway& gateway,
                               Options options)
    : db_(db),
      clock_(clock),
      gateway_(gateway),
      options_(options),
      node_id_(NewUlid(clock.NowMs())),
      audit_(clock) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

Millis DeliveryWorker::Backoff(int attempts) const {
  Millis delay = options_.base_backoff_ms;
  for (int i = 1; i < attempts && delay < options_.max_backoff_ms; ++i) delay *= 2;
  return std::min(delay, options_.max_backoff_ms);
}

Result<std::vector<DeliveryWorker::Claimed>> DeliveryWorker::Claim() {
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Claimed>> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(store::Rows due,
                     tx.Query(std::string("SELECT id FROM notify_outbox WHERE ") + kDue +
                                  " ORDER BY next_attempt_at_ms, id LIMIT ?",
                              {now, now, std::int64_t{options_.batch}}));
    std::vector<Claimed> claimed;
    for (const store::Row& r : due) {
      const std::string id = r.Text(0);
      // PostgreSQL (READ COMMITTED) re-checks the WHERE after waiting for a rival's row lock;
      // SQLite runs one writer at a time. Either way a row is claimed by one worker.
      ASSIGN_OR_RETURN(
          std::int64_t won,
          tx.Exec(std::string("UPDATE notify_outbox SET status = 'sending', lease_owner = ?, "
                              "lease_until_ms = ?, attempts = attempts + 1, "
                              "version = version + 1 WHERE id = ? AND ") +
                      kDue,
                  {node_id_, now + options_.lease_ms, id, now, now}));
      if (won == 0) continue;
      ASSIGN_OR_RETURN(store::Row row,
                       tx.QueryOne("SELECT phone, sms_text, attempts, recipient_party_id "
                                   "FROM notify_outbox WHERE id = ?",
                                   {id}, "notify.message_not_found", "消息不存在"));
      claimed.push_back({id, row.Text(0), row.Text(1), row.Text(3), static_cast<int>(row.Int(2))});
    }
    return claimed;
  });
}

Result<void> DeliveryWorker::Finish(const Claimed& row, const Result<void>& sent) {
  return store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    const Millis now = clock_.NowMs();
    std::optional<std::string> party;
    if (!row.recipient_party_id.empty()) party = row.recipient_party_id;
    const bool retry =
        !sent.has_value() && IsRetryable(sent.error()) && row.attempts < options_.max_attempts;
    std::int64_t changed = 0;
    if (retry) {
      ASSIGN_OR_RETURN(
          changed,
          tx.Exec("UPDATE notify_outbox SET status = 'pending', "
                  "next_attempt_at_ms = ?, lease_owner = NULL, lease_until_ms = NULL, "
                  "last_error = ?, version = version + 1 "
                  "WHERE id = ? AND status = 'sending' AND lease_owner = ?",
                  {now + Backoff(row.attempts), ErrorText(sent.error()), row.id, node_id_}));
    } else {
      // Finished either way: the whole number is no longer needed, keep it masked.
      const bool ok = sent.has_value();
      const std::string error = ok ? std::string() : ErrorText(sent.error());
      ASSIGN_OR_RETURN(
          changed, tx.Exec("UPDATE notify_outbox SET status = ?, phone = ?, "
                           "lease_owner = NULL, lease_until_ms = NULL, last_error = ?, "
                           "finished_at_ms = ?, version = version + 1 "
                           "WHERE id = ? AND status = 'sending' AND lease_owner = ?",
                           {std::string(ok ? "sent" : "failed"), MaskPhone(row.phone), error, now,
                            row.id, node_id_}));
      if (changed == 1) {
        // The number went to a third party (the SMS gateway): audited as an access to the
        // recipient's personal data.
        boost::json::object details{{"phone", MaskPhone(row.phone)}, {"attempts", row.attempts}};
        if (!ok) details["error"] = error;
        RETURN_IF_ERROR(
            audit_.Append(tx, WorkerActor(),
                          {ok ? "notify.sms.sent" : "notify.sms.failed", "notify_message", row.id,
                           party, "", boost::json::serialize(details)}));
      }
    }
    if (changed == 0) {
      // Our lease ran out and another worker took the row over: it sends (with the same id,
      // which the gateway de-duplicates) and records the outcome.
      spdlog::warn("短信 {} 的发送租约已被其他节点接管，本节点的结果不再记录", row.id);
    }
    return Ok();
  });
}

Result<int> DeliveryWorker::RunOnce() {
  ASSIGN_OR_RETURN(std::vector<Claimed> claimed, Claim());
  // A row whose outcome cannot be recorded stays claimed and is retried, with the same id, when
  // its lease expires; the other rows still go out.
  std::optional<Error> first_error;
  for (const Claimed& row : claimed) {
    Result<void> sent = Ok();
    if (row.attempts > options_.max_attempts) {
      // Claimed again after a lease expired on the last allowed attempt: that send may or may
      // not have gone out; give up rather than exceed the limit.
      sent = Unavailable("notify.max_attempts", "已达最大发送次数，上一次发送结果未知");
    } else {
      sent = gateway_.Send({row.id, row.phone, row.text});
    }
    if (!sent.has_value()) {
      spdlog::warn("短信 {} 第 {} 次发送失败：{}", row.id, row.attempts, ErrorText(sent.error()));
    }
    Result<void> recorded = Finish(row, sent);
    if (!recorded.has_value() && !first_error) first_error = std::move(recorded).error();
  }
  if (first_error) return *first_error;
  return static_cast<int>(claimed.size());
}

void DeliveryWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void DeliveryWorker::Stop() {
  std::thread running;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    running = std::move(thread_);
  }
  wake_.notify_all();
  running.join();
}

void DeliveryWorker::Loop() {
  spdlog::info("短信投递已启动（节点 {}）", node_id_);
  while (true) {
    int claimed = 0;
    try {
      Result<int> r = RunOnce();
      if (r.has_value()) {
        claimed = *r;
      } else {
        spdlog::warn("短信投递出错：{}（{}）", r.error().message, r.error().reason);
      }
    } catch (const std::exception& e) {
      spdlog::error("短信投递异常：{}", e.what());
    }
    std::unique_lock lock(mu_);
    if (stopping_) break;
    if (claimed >= options_.batch) continue;  // more may be waiting
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                   [this] { return stopping_; });
    if (stopping_) break;
  }
  spdlog::info("短信投递已停止（节点 {}）", node_id_);
}

}  // namespace onestop::notify
