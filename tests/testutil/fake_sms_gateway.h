// FakeSmsGateway: a notify::SmsGateway for tests that records every request and answers from a
// script (then with a default answer). Header-only: include it only in suites that link
// onestop_notify. Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "notify/sms_gateway.h"

namespace onestop::testutil {

class FakeSmsGateway final : public notify::SmsGateway {
 public:
  Result<void> Send(const notify::SmsRequest& request) override {
    std::function<void(const notify::SmsRequest&)> hook;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      hook = on_send_;
    }
    if (hook) hook(request);  // outside the lock: a hook may block
    std::lock_guard lock(mu_);
    if (!script_.empty()) {
      Result<void> answer = script_.front();
      script_.pop_front();
      return answer;
    }
    return default_answer_;
  }

  // The next Send answers `answer` (in the order pushed).
  void Then(Result<void> answer) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(answer));
  }
  // Answer for Sends once the script is used up (initially Ok).
  void AlwaysAnswer(Result<void> answer) {
    std::lock_guard lock(mu_);
    default_answer_ = std::move(answer);
  }
  // Called by Send after recording the request, before answering (e.g. to block).
  void OnSend(std::function<void(const notify::SmsRequest&)> hook) {
    std::lock_guard lock(mu_);
    on_send_ = std::move(hook);
  }

  std::vector<notify::SmsRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const notify::SmsRequest& r : requests_) out.push_back(r.message_id);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<notify::SmsRequest> requests_;
  std::deque<Result<void>> script_;
  Result<void> default_answer_;
  std::function<void(const notify::SmsRequest&)> on_send_;
};

}  // namespace onestop::testutil
