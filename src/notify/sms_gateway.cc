#include "notify/sms_gateway.h"

#include <spdlog/spdlog.h>

#include "core/id_number.h"

namespace onestop::notify {

bool IsRetryable(const Error& error) {
  switch (error.code) {
    case ErrorCode::kUnavailable:
    case ErrorCode::kAborted:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kInternal:
      return true;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return false;
  }
  return false;
}

Result<void> LogSmsGateway::Send(const SmsRequest& request) {
  spdlog::info("短信（未配置短信网关，仅记录）id={} 手机号={} 内容：{}", request.message_id,
               MaskPhone(request.phone), request.text);
  return Ok();
}

}  // namespace onestop::notify
