// The one place that maps ErrorCode to HTTP status and renders the JSON error body
// (STYLE.md §3.3, docs/API.md "Conventions").
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/router.h"

namespace onestop::http {

// No `default:` on purpose: a new ErrorCode must be mapped here or -Wswitch (-Werror) fails.
int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    // The request is valid but the resource is in the wrong state or someone else won a race.
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;  // Only reachable for a value outside the enum.
}

Response ErrorResponse(const Error& error, std::string_view request_id) {
  boost::json::array fields;
  fields.reserve(error.fields.size());
  for (const FieldError& f : error.fields) {
    fields.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
  }
  boost::json::object body{{"error", boost::json::object{{"code", ErrorCodeName(error.code)},
                                                         {"reason", error.reason},
                                                         {"message", error.message},
                                                         {"fields", std::move(fields)}}}};
  Response response = JsonResponse(body, HttpStatus(error.code));
  if (!request_id.empty()) response.SetHeader("X-Request-Id", std::string(request_id));
  return response;
}

Response JsonResponse(const boost::json::value& body, int status) {
  Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace onestop::http
