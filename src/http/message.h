// HTTP messages as the rest of OneStop sees them: plain structs, no Beast. The Beast server
// (server.cc, the only TU that includes Beast/Asio) converts to and from these, so handlers,
// the router and middleware are tested without sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace onestop::http {

// Case-insensitive header-name comparison.
struct HeaderLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

struct Request {
  std::string method;  // "GET", "POST", … (upper case)
  std::string target;  // raw request target, e.g. "/api/v1/persons?q=%E5%BC%A0"
  std::string path;    // decoded path without the query, e.g. "/api/v1/persons"
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string, HeaderLess> headers;
  std::string body;
  std::string remote_addr;  // peer IP address
  std::string request_id;   // set by the server (or taken from X-Request-Id)

  // Filled by the router: values of `{name}` segments of the matched route.
  std::map<std::string, std::string> path_params;
  // Filled by the router: the matched route pattern, e.g. "/api/v1/persons/{id}" (for metrics).
  std::string route;

  // Header value or "" when absent.
  std::string Header(std::string_view name) const;
  // First query parameter `name`, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // Path parameter (throws std::out_of_range for a name the route does not have: a bug).
  const std::string& PathParam(std::string_view name) const;
  // Value of cookie `name` from the Cookie header, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, …)
  std::string body;
  // When set, the server streams this file as the body instead of `body` (static files).
  std::optional<std::string> file_path;

  // Sets header `name` (case-insensitive), replacing earlier values; "Content-Type" sets
  // `content_type`. Use `headers.emplace_back` for repeatable headers such as Set-Cookie.
  void SetHeader(std::string name, std::string value);
  // First value of header `name` (case-insensitive; "Content-Type" reads `content_type`), or "".
  std::string Header(std::string_view name) const;
};

// The whole application as the server sees it: one function from request to response.
// It must not throw (the router catches everything).
using Handler = std::function<Response(Request&)>;

// Fills `request.path` and `request.query` from `request.target`: percent-decoded, '+' as a
// space in the query only. kInvalidArgument http.bad_target for a target that is not an
// origin-form URI ("/path?query") or that decodes to a NUL byte.
Result<void> ParseTarget(Request& request);
// Percent-decodes `text` ("%E5%BC%A0" -> "张"); '+' stays '+'; a malformed escape is kept as is.
std::string PercentDecode(std::string_view text);
// A new request id: 16 lower-case hex digits from a per-thread random generator.
std::string NewRequestId();
// An HTTP date (IMF-fixdate, RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::int64_t epoch_seconds);
// Parses an IMF-fixdate; nullopt for anything else (obsolete formats are not accepted).
std::optional<std::int64_t> ParseHttpDate(std::string_view text);
// True if a client's X-Request-Id is safe to echo and log: 1-64 chars of [A-Za-z0-9._:-].
bool IsSaneRequestId(std::string_view id);

}  // namespace onestop::http
