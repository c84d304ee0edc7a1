#include "core/result.h"

namespace onestop {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case ErrorCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::kAborted:
      return "ABORTED";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

Error Error::WithField(std::string field, std::string field_message) && {
  fields.push_back({std::move(field), std::move(field_message)});
  return std::move(*this);
}

namespace {
Error Make(ErrorCode code, std::string reason, std::string message) {
  return Error{code, std::move(reason), std::move(message), {}};
}
}  // namespace

Error InvalidArgument(std::string reason, std::string message) {
  return Make(ErrorCode::kInvalidArgument, std::move(reason), std::move(message));
}
Error Unauthenticated(std::string reason, std::string message) {
  return Make(ErrorCode::kUnauthenticated, std::move(reason), std::move(message));
}
Error PermissionDenied(std::string reason, std::string message) {
  return Make(ErrorCode::kPermissionDenied, std::move(reason), std::move(message));
}
Error NotFound(std::string reason, std::string message) {
  return Make(ErrorCode::kNotFound, std::move(reason), std::move(message));
}
Error AlreadyExists(std::string reason, std::string message) {
  return Make(ErrorCode::kAlreadyExists, std::move(reason), std::move(message));
}
Error FailedPrecondition(std::string reason, std::string message) {
  return Make(ErrorCode::kFailedPrecondition, std::move(reason), std::move(message));
}
Error Aborted(std::string reason, std::string message) {
  return Make(ErrorCode::kAborted, std::move(reason), std::move(message));
}
Error Unavailable(std::string reason, std::string message) {
  return Make(ErrorCode::kUnavailable, std::move(reason), std::move(message));
}
Error ResourceExhausted(std::string reason, std::string message) {
  return Make(ErrorCode::kResourceExhausted, std::move(reason), std::move(message));
}
Error Internal(std::string reason, std::string message) {
  return Make(ErrorCode::kInternal, std::move(reason), std::move(message));
}

}  // namespace onestop
