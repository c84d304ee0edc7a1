// Delivery worker (短信投递): sends the pending SMS of the outbox (notify.h) through an
// SmsGateway, with retries and backoff. Safe with several server nodes on one database: a row
// is claimed with a lease before it is sent, so two workers never send it at the same time;
// a row claimed by a node that died is retried once the lease expires, with the same message
// id as idempotency key (README.md "Sent once").
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "notify/sms_gateway.h"
#include "store/db.h"

namespace onestop::notify {

struct DeliveryOptions {
  int batch = 20;                   // rows claimed per RunOnce
  Millis lease_ms = 60'000;         // a claim's lifetime; longer than any one send takes
  int max_attempts = 8;             // sends before a row is marked failed
  Millis base_backoff_ms = 2'000;   // wait after the first failed attempt; doubles each time
  Millis max_backoff_ms = 600'000;  // cap of the wait (10 min)
  Millis poll_interval_ms = 1'000;  // Start(): pause between RunOnce calls (real time)
};

class DeliveryWorker {
 public:
  using Options = DeliveryOptions;

  // `db`, `clock` and `gateway` must outlive the worker. Each worker has its own node id.
  DeliveryWorker(store::Db& db, const Clock& clock, SmsGateway& gateway, Options options = {});
  ~DeliveryWorker();  // Stop()
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // One round: claims up to `batch` due rows (pending and due, or whose lease expired), sends
  // each, and records the outcome: sent; pending again after a retryable error (backoff
  // base·2^(attempts−1), capped); failed after a permanent error or the max_attempts-th
  // attempt. Returns the number of rows claimed (each was tried once). Store errors only.
  Result<int> RunOnce();

  // Calls RunOnce in a background thread every poll_interval_ms (at once again while rows
  // keep coming in full batches). Stop() wakes it, waits for the round in progress, and
  // joins. Both are idempotent; the worker may be started again after Stop().
  void Start();
  void Stop();

  const std::string& node_id() const { return node_id_; }
  const Options& options() const { return options_; }

 private:
  struct Claimed {  // a row this worker holds the lease of
    std::string id, phone, text, recipient_party_id;
    int attempts = 0;
  };
  Result<std::vector<Claimed>> Claim();
  Result<void> Finish(const Claimed& row, const Result<void>& sent);
  Millis Backoff(int attempts) const;
  void Loop();

  store::Db& db_;
  const Clock& clock_;
  SmsGateway& gateway_;
  Options options_;
  std::string node_id_;
  audit::AuditLog audit_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace onestop::notify
