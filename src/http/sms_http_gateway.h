// SMS over HTTP (短信网关客户端): a notify::SmsGateway that POSTs each SMS as JSON
// {"id","phone","text"} to a configured http://host:port/path, with the header
// `Idempotency-Key: <id>` (a retry repeats the id, so the gateway can drop duplicates) and,
// when a token is configured, `Authorization: Bearer <token>`. Plain http:// only: for an
// https:// gateway run a local TLS relay (README.md). Beast is only in the .cc file.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "notify/sms_gateway.h"

namespace onestop::http {

struct SmsHttpOptions {
  std::string url;           // http://host[:port][/path][?query]; port 80 and "/" by default
  std::string token;         // bearer token; "" sends no Authorization header
  Millis timeout_ms = 5000;  // one whole request: connect, send, and the complete response
};

class SmsHttpGateway final : public notify::SmsGateway {
 public:
  // kInvalidArgument notify.bad_gateway_url: not an absolute http:// URL with a host
  // (https:// is refused with a hint), or a bad port; notify.bad_gateway_timeout: timeout ≤ 0.
  static Result<std::unique_ptr<SmsHttpGateway>> Create(SmsHttpOptions options);

  // One POST per message (Connection: close). Ok on 2xx. Retryable (kUnavailable): 5xx
  // (notify.sms_gateway_error), 408/429 (notify.sms_gateway_busy), no connection
  // (notify.sms_gateway_unreachable), timeout (notify.sms_gateway_timeout), a malformed
  // response (notify.sms_gateway_bad_response). Permanent: any other status
  // (kInvalidArgument notify.sms_rejected, with the status and the start of the body).
  // Thread-safe: each call uses its own connection and I/O context.
  Result<void> Send(const notify::SmsRequest& request) override;

  // Where requests go, without the token: "http://127.0.0.1:9000/sms".
  std::string Describe() const;

 private:
  SmsHttpGateway(SmsHttpOptions options, std::string host, std::string port, std::string target);

  SmsHttpOptions options_;
  std::string host_;
  std::string port_;
  std::string target_;  // path and query
};

}  // namespace onestop::http
