// HTTP metrics (监控指标) in the Prometheus text format, served at GET /metrics.
// Metrics is owned by the Router (router.metrics()); the router records every request.
// Series are registered once per route, so recording is a few relaxed atomic adds (no lock).
// Process and database metrics are not here: add them with AddCollector.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace onestop::http {

class Metrics {
 public:
  // One (method, route) pair: request counts by status class and a duration histogram.
  struct Series;

  // Histogram upper bounds in seconds (plus +Inf).
  static constexpr double kBucketsSeconds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The series for (method, route), created on first use; the pointer is valid for the
  // lifetime of this Metrics. Takes a lock: call it when registering routes, not per request.
  // `route` is a pattern ("/api/v1/persons/{id}"), never a raw path (unbounded label values).
  Series* Register(std::string_view method, std::string_view route);
  // Records one request on a registered series. Lock-free; thread-safe.
  static void Record(Series* series, int status, std::chrono::microseconds duration);
  // Register + Record, for rare paths (404, 405, fallback). Methods outside the standard set
  // are counted as "OTHER" so clients cannot create series at will.
  void Record(std::string_view method, std::string_view route, int status,
              std::chrono::microseconds duration);

  // Labels of onestop_build_info (default: version="unknown" and the compiler). Call at startup.
  void SetBuildInfo(std::map<std::string, std::string> labels);
  // Appends more exposition text at the end of Render() (e.g. database pool gauges). The
  // callback must write complete "# TYPE" blocks and be thread-safe. Call at startup.
  void AddCollector(std::function<void(std::string& out)> collector);

  // The Prometheus text exposition (format 0.0.4): onestop_http_requests_total{method,route,
  // status="2xx"}, onestop_http_request_duration_seconds{method,route} and onestop_build_info.
  // Series with no requests yet are omitted. Thread-safe.
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The method label for `method`: GET/HEAD/POST/PUT/DELETE/PATCH/OPTIONS, else "OTHER".
std::string_view MetricsMethodLabel(std::string_view method);

}  // namespace onestop::http
