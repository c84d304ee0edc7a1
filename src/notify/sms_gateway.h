// SMS gateway (短信网关): the seam between the delivery worker and whatever sends text
// messages. LogSmsGateway (here) only logs; http/sms_http_gateway.h posts to an HTTP gateway;
// tests use testutil/fake_sms_gateway.h.
#pragma once

#include <string>

#include "core/result.h"

namespace onestop::notify {

struct SmsRequest {
  std::string message_id;  // the outbox id: the idempotency key; a retry repeats it
  std::string phone;       // whole mainland mobile number
  std::string text;
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // Sends one SMS; Ok when the gateway accepted it. A retryable failure (IsRetryable: the
  // gateway is down, timed out, overloaded) is retried with backoff; any other error fails the
  // message at once (the gateway refused it, e.g. HTTP 4xx). May be called from any thread.
  virtual Result<void> Send(const SmsRequest& request) = 0;
};

// True for errors worth retrying: kUnavailable, kAborted, kResourceExhausted, kInternal.
bool IsRetryable(const Error& error);

// The default gateway when none is configured: writes each SMS to the log at info level with
// the phone masked (138****0001), and succeeds.
class LogSmsGateway final : public SmsGateway {
 public:
  Result<void> Send(const SmsRequest& request) override;
};

}  // namespace onestop::notify
