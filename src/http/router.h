// Router: maps method + path pattern ("/api/v1/persons/{id}") to handlers, runs middleware,
// turns Result errors into the JSON error body (error_mapping.cc), answers 404 / 405 in the
// same shape, and records metrics. No Beast here.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"
#include "http/metrics.h"

namespace onestop::http {

// A JSON handler: returns the response body (status 200) or an error.
using JsonHandler = std::function<Result<boost::json::value>(Request&)>;
// A raw handler: full control over the response (status, headers, cookies, non-JSON bodies).
using RawHandler = std::function<Result<Response>(Request&)>;
// Middleware runs before the handler of every matched route, in the order added. Returning an
// error stops the request with that error (e.g. 401, 403 for a missing CSRF token).
using Middleware = std::function<Result<void>(Request&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  Router();
  ~Router();

  // Registers a route. A pattern is "/"-separated; a whole segment "{name}" matches any
  // non-empty segment and is available, percent-decoded, as request.PathParam("name").
  // A static segment wins over a parameter ("/users/me" before "/users/{id}"). A GET route also
  // answers HEAD (same headers, no body). Register every route before serving requests.
  // REQUIRES: pattern starts with '/', parameter names are unique within it, and no route with
  // the same method and shape exists; otherwise throws std::logic_error (a startup bug).
  void Get(std::string pattern, JsonHandler handler);
  void Post(std::string pattern, JsonHandler handler);
  void Put(std::string pattern, JsonHandler handler);
  void Delete(std::string pattern, JsonHandler handler);
  void Add(std::string method, std::string pattern, RawHandler handler);
  void Use(Middleware middleware);

  // Requests whose path matches no route and does not start with "/api/" go here (the web UI).
  void SetFallback(RawHandler handler);
  // Maximum accepted body size in bytes; larger bodies get 413 in the error shape.
  void SetMaxBodyBytes(std::size_t bytes);

  // Every registered route, for the OpenAPI consistency test.
  std::vector<RouteInfo> Routes() const;

  // Handles one request. Never throws: an exception becomes a logged 500.
  Response Handle(Request& request) const;

  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The JSON error body and status for `error` (see STYLE.md §3.3):
// {"error":{"code":"…","reason":"…","message":"…","fields":[{"field","message"}]}}.
Response ErrorResponse(const Error& error, std::string_view request_id);
// HTTP status for an error code (error_mapping.cc: a switch with no default).
int HttpStatus(ErrorCode code);
// A 200 JSON response with `body` serialized.
Response JsonResponse(const boost::json::value& body, int status = 200);
// The 413 response for a body larger than `limit_bytes`, in the error shape:
// RESOURCE_EXHAUSTED http.body_too_large "请求体过大（上限 N KB）". Also used by the server,
// which rejects such bodies while parsing, before the router sees them.
Response BodyTooLargeResponse(std::size_t limit_bytes, std::string_view request_id);

}  // namespace onestop::http
