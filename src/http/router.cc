#include "http/router.h"

#include <fmt/compile.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <set>
#include <stdexcept>
#include <system_error>

namespace onestop::http {
namespace {

// Route labels for requests that match no route pattern (bounded label values for metrics).
constexpr std::string_view kUnmatchedRoute = "(unmatched)";
constexpr std::string_view kFallbackRoute = "(fallback)";

struct Segment {
  bool is_param = false;
  std::string text;  // the static text, or the parameter name
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<Segment> segments;
  RawHandler handler;
  Metrics::Series* series = nullptr;
  Metrics::Series* head_series = nullptr;  // GET routes: HEAD requests answered by this route
};

// Splits "/a/b/c" into {"a","b","c"}; "/" gives {}. One trailing slash is ignored, so
// "/api/v1/users/" finds "/api/v1/users". Returns false for a path not starting with '/'.
bool SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return true;
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

std::vector<Segment> ParsePattern(const std::string& pattern) {
  std::vector<std::string_view> parts;
  if (!SplitPath(pattern, parts)) {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  std::vector<Segment> segments;
  std::set<std::string_view> names;
  for (std::string_view part : parts) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view name = part.substr(1, part.size() - 2);
      if (name.empty() || name.find_first_of("{}") != std::string_view::npos ||
          !names.insert(name).second) {
        throw std::logic_error("bad or duplicate parameter in route pattern: " + pattern);
      }
      segments.push_back({true, std::string(name)});
    } else {
      if (part.empty() || part.find_first_of("{}") != std::string_view::npos) {
        throw std::logic_error("bad segment in route pattern: " + pattern);
      }
      segments.push_back({false, std::string(part)});
    }
  }
  return segments;
}

bool SameShape(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_param != b[i].is_param) return false;
    if (!a[i].is_param && a[i].text != b[i].text) return false;
  }
  return true;
}

bool Matches(const Route& route, const std::vector<std::string>& decoded) {
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const Segment& seg = route.segments[i];
    if (seg.is_param ? decoded[i].empty() : seg.text != decoded[i]) return false;
  }
  return true;
}

// True if `a` is more specific than `b`: at the first segment where one is static and the
// other a parameter, the static one wins ("/users/me" beats "/users/{id}").
bool MoreSpecific(const Route& a, const Route& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.substr(0, 5) == "/api/"; }

// The raw (still percent-encoded) path: segments are split before decoding so that "%2F"
// inside a path parameter stays part of that parameter.
std::string_view RawPath(const Request& request) {
  if (request.target.empty() || request.target.front() != '/') return request.path;
  return std::string_view(request.target).substr(0, request.target.find('?'));
}

// Log-safe copy of a request path: bytes outside printable ASCII, spaces and quotes become
// %XX, so a crafted path cannot forge or split access-log lines.
bool NeedsLogEscape(unsigned char c) { return c <= 0x20 || c >= 0x7F || c == '"' || c == '%'; }

std::string LogSafe(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (NeedsLogEscape(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// LogSafe(text), without a copy when `text` is already safe (the usual case): the result
// views `text` or `buffer`.
std::string_view LogSafeView(std::string_view text, std::string& buffer) {
  for (unsigned char c : text) {
    if (NeedsLogEscape(c)) {
      buffer = LogSafe(text);
      return buffer;
    }
  }
  return text;
}

RawHandler WrapJson(JsonHandler handler) {
  return [handler = std::move(handler)](Request& request) -> Result<Response> {
    ASSIGN_OR_RETURN(boost::json::value body, handler(request));
    return JsonResponse(body);
  };
}

}  // namespace

Response BodyTooLargeResponse(std::size_t limit_bytes, std::string_view request_id) {
  const std::size_t kb = (limit_bytes + 1023) / 1024;
  Response response = ErrorResponse(
      ResourceExhausted("http.body_too_large", "请求体过大（上限 " + std::to_string(kb) + " KB）"),
      request_id);
  response.status = 413;
  return response;
}

struct Router::Impl {
  std::vector<std::unique_ptr<Route>> routes;  // registration order
  // Routes by number of segments: a request is only compared with routes of its length.
  std::vector<std::vector<const Route*>> by_length;
  std::vector<Middleware> middleware;
  RawHandler fallback;
  std::size_t max_body_bytes = 1 << 20;
  Metrics metrics;

  // What Dispatch decided, for metrics and the access log.
  struct Outcome {
    Metrics::Series* series = nullptr;  // null: record under `route_label` (slow path)
    std::string_view route_label = kUnmatchedRoute;
  };

  void AddRoute(std::string method, std::string pattern, RawHandler handler);
  Response Dispatch(Request& request, Outcome& outcome) const;
  Response RunRoute(const Route& route, Request& request) const;
};

void Router::Impl::AddRoute(std::string method, std::string pattern, RawHandler handler) {
  auto route = std::make_unique<Route>();
  route->segments = ParsePattern(pattern);
  for (const auto& existing : routes) {
    if (existing->method == method && SameShape(existing->segments, route->segments)) {
      throw std::logic_error("route registered twice: " + method + " " + pattern +
                             " (conflicts with " + existing->pattern + ")");
    }
  }
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->series = metrics.Register(MetricsMethodLabel(route->method), route->pattern);
  if (route->method == "GET") route->head_series = metrics.Register("HEAD", route->pattern);
  const std::size_t n = route->segments.size();
  if (by_length.size() <= n) by_length.resize(n + 1);
  by_length[n].push_back(route.get());
  routes.push_back(std::move(route));
}

Response Router::Impl::RunRoute(const Route& route, Request& request) const {
  if (request.body.size() > max_body_bytes) {
    return BodyTooLargeResponse(max_body_bytes, request.request_id);
  }
  for (const Middleware& m : middleware) {
    Result<void> ok = m(request);
    if (!ok) return ErrorResponse(ok.error(), request.request_id);
  }
  Result<Response> result = route.handler(request);
  if (!result) {
    const Error& e = result.error();
    if (HttpStatus(e.code) >= 500) {
      spdlog::error("http request_id={} route={} error code={} reason={} message={}",
                    request.request_id, route.pattern, ErrorCodeName(e.code), e.reason, e.message);
    }
    return ErrorResponse(e, request.request_id);
  }
  return std::move(result).value();
}

Response Router::Impl::Dispatch(Request& request, Outcome& outcome) const {
  thread_local std::vector<std::string_view> raw;
  thread_local std::vector<std::string> decoded;
  const bool path_ok = SplitPath(RawPath(request), raw);
  decoded.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    // Most segments have no escapes: skip the decoder for them.
    if (raw[i].find('%') == std::string_view::npos) {
      decoded[i].assign(raw[i]);
    } else {
      decoded[i] = PercentDecode(raw[i]);
    }
  }

  const std::string_view method = request.method;
  const bool is_head = method == "HEAD";
  const Route* best = nullptr;       // best route for this method
  const Route* best_head = nullptr;  // best GET route, answering a HEAD request
  bool path_exists = false;
  if (path_ok && raw.size() < by_length.size()) {
    for (const Route* route : by_length[raw.size()]) {
      if (!Matches(*route, decoded)) continue;
      path_exists = true;
      if (route->method == method) {
        if (best == nullptr || MoreSpecific(*route, *best)) best = route;
      } else if (is_head && route->method == "GET") {
        if (best_head == nullptr || MoreSpecific(*route, *best_head)) best_head = route;
      }
    }
  }

  const Route* route = best != nullptr ? best : best_head;
  if (route != nullptr) {
    outcome.series = route == best ? route->series : route->head_series;
    outcome.route_label = route->pattern;
    request.route = route->pattern;
    request.path_params.clear();
    for (std::size_t i = 0; i < route->segments.size(); ++i) {
      if (route->segments[i].is_param) {
        request.path_params.emplace(route->segments[i].text, decoded[i]);
      }
    }
    return RunRoute(*route, request);
  }

  if (path_exists) {
    // RFC 9110 §15.5.6: 405 must list the methods the resource supports.
    std::set<std::string> allowed;
    const Route* any = nullptr;
    for (const Route* r : by_length[raw.size()]) {
      if (!Matches(*r, decoded)) continue;
      allowed.insert(r->method);
      if (r->method == "GET") allowed.insert("HEAD");
      if (any == nullptr || MoreSpecific(*r, *any)) any = r;
    }
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    outcome.route_label = any->pattern;
    request.route = any->pattern;
    Response response = ErrorResponse(
        InvalidArgument("http.method_not_allowed", "不支持该请求方法"), request.request_id);
    response.status = 405;
    response.SetHeader("Allow", allow);
    return response;
  }

  if (fallback && !IsApiPath(request.path.empty() ? RawPath(request) : request.path)) {
    outcome.route_label = kFallbackRoute;
    request.route = std::string(kFallbackRoute);
    Result<Response> result = fallback(request);
    if (!result) return ErrorResponse(result.error(), request.request_id);
    return std::move(result).value();
  }
  return ErrorResponse(NotFound("http.not_found", "请求的接口不存在"), request.request_id);
}

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::Get(std::string pattern, JsonHandler handler) {
  impl_->AddRoute("GET", std::move(pattern), WrapJson(std::move(handler)));
}
void Router::Post(std::string pattern, JsonHandler handler) {
  impl_->AddRoute("POST", std::move(pattern), WrapJson(std::move(handler)));
}
void Router::Put(std::string pattern, JsonHandler handler) {
  impl_->AddRoute("PUT", std::move(pattern), WrapJson(std::move(handler)));
}
void Router::Delete(std::string pattern, JsonHandler handler) {
  impl_->AddRoute("DELETE", std::move(pattern), WrapJson(std::move(handler)));
}
void Router::Add(std::string method, std::string pattern, RawHandler handler) {
  impl_->AddRoute(std::move(method), std::move(pattern), std::move(handler));
}
void Router::Use(Middleware middleware) { impl_->middleware.push_back(std::move(middleware)); }
void Router::SetFallback(RawHandler handler) { impl_->fallback = std::move(handler); }
void Router::SetMaxBodyBytes(std::size_t bytes) { impl_->max_body_bytes = bytes; }
Metrics& Router::metrics() { return impl_->metrics; }

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(impl_->routes.size());
  for (const auto& r : impl_->routes) out.push_back({r->method, r->pattern});
  return out;
}

Response Router::Handle(Request& request) const {
  const auto start = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = NewRequestId();

  Impl::Outcome outcome;
  // The one catch-all of STYLE.md §3.3: a throwing handler or middleware is a bug; the client
  // gets a 500 with the request id to quote, the log gets the details under the same id.
  Response response = [&]() -> Response {
    try {
      return impl_->Dispatch(request, outcome);
    } catch (const std::exception& e) {
      spdlog::error("http request_id={} method={} path={} unhandled exception: {}",
                    request.request_id, request.method, LogSafe(RawPath(request)), e.what());
    } catch (...) {
      spdlog::error("http request_id={} method={} path={} unhandled non-standard exception",
                    request.request_id, request.method, LogSafe(RawPath(request)));
    }
    return ErrorResponse(Internal("http.internal", "服务器内部错误，请稍后重试（请求编号 " +
                                                       request.request_id + "）"),
                         request.request_id);
  }();

  response.SetHeader("X-Request-Id", request.request_id);
  const bool api = IsApiPath(request.path.empty() ? RawPath(request) : request.path);
  // API answers carry personal data (身份证号, phone numbers): keep them out of shared caches
  // and the browser's disk cache unless a handler chose otherwise.
  if (api && response.Header("Cache-Control").empty()) {
    response.SetHeader("Cache-Control", "no-store");
  }

  std::size_t bytes = response.body.size();
  if (response.file_path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(*response.file_path, ec);
    bytes = ec ? 0 : static_cast<std::size_t>(size);
  }
  if (request.method == "HEAD") {
    // Same headers as GET, no body (RFC 9110 §9.3.2); the server sends this Content-Length.
    if (!response.file_path && response.status != 204 && response.status != 304) {
      response.SetHeader("Content-Length", std::to_string(response.body.size()));
    }
    response.body.clear();
  }

  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  if (outcome.series != nullptr) {
    Metrics::Record(outcome.series, response.status, duration);
  } else {
    impl_->metrics.Record(request.method, outcome.route_label, response.status, duration);
  }
  // The query string is left out on purpose: it can carry personal data (?q=<身份证号>).
  if (spdlog::should_log(spdlog::level::info)) {
    // Formatted with a compiled format string, then logged as is: the access log runs on
    // every request, and parsing the format at run time was a third of its cost.
    std::string method_buffer;
    std::string path_buffer;
    fmt::memory_buffer line;
    fmt::format_to(
        std::back_inserter(line),
        FMT_COMPILE("http request_id={} method={} path={} route={} status={} "
                    "duration_us={} remote={} bytes={}"),
        request.request_id, LogSafeView(request.method, method_buffer),
        LogSafeView(RawPath(request), path_buffer), outcome.route_label, response.status,
        duration.count(),
        request.remote_addr.empty() ? std::string_view("-") : std::string_view(request.remote_addr),
        bytes);
    spdlog::default_logger_raw()->log(spdlog::level::info,
                                      spdlog::string_view_t(line.data(), line.size()));
  }
  return response;
}

}  // namespace onestop::http
