#include "http/metrics.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace onestop::http {

constexpr int kBucketCount = sizeof(Metrics::kBucketsSeconds) / sizeof(double);

struct Metrics::Series {
  Series(std::string m, std::string r) : method(std::move(m)), route(std::move(r)) {}

  const std::string method;
  const std::string route;
  std::array<std::atomic<std::uint64_t>, 5> by_status_class{};  // 1xx .. 5xx
  // Non-cumulative counts; index kBucketCount is the +Inf overflow bucket. Render() sums them,
  // so _count always equals the +Inf bucket even while requests are being recorded.
  std::array<std::atomic<std::uint64_t>, kBucketCount + 1> buckets{};
  std::atomic<std::uint64_t> sum_us{0};
};

struct Metrics::Impl {
  mutable std::mutex mu;
  std::deque<Series> series;  // a deque never moves its elements: Series* stay valid
  std::map<std::pair<std::string, std::string>, Series*> by_key;  // (route, method): sorted
  std::map<std::string, std::string> build_info{{"version", "unknown"},
                                                {"compiler", "gcc " __VERSION__}};
  std::vector<std::function<void(std::string&)>> collectors;
};

namespace {

// Escapes a label value per the text format: backslash, double quote and newline.
void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendSeriesLabels(std::string& out, const std::string& method, const std::string& route) {
  out += "method=\"";
  AppendLabelValue(out, method);
  out += "\",route=\"";
  AppendLabelValue(out, route);
  out += '"';
}

std::string FormatDouble(const char* format, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string_view MetricsMethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",  "POST",   "PUT",
                                                "DELETE", "PATCH", "OPTIONS"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

Metrics::Series* Metrics::Register(std::string_view method, std::string_view route) {
  std::lock_guard lock(impl_->mu);
  auto key = std::make_pair(std::string(route), std::string(method));
  auto it = impl_->by_key.find(key);
  if (it != impl_->by_key.end()) return it->second;
  Series* s = &impl_->series.emplace_back(std::string(method), std::string(route));
  impl_->by_key.emplace(std::move(key), s);
  return s;
}

void Metrics::Record(Series* series, int status, std::chrono::microseconds duration) {
  int status_class = status / 100 - 1;
  if (status_class < 0 || status_class > 4) status_class = 4;  // nonsense status: count as 5xx
  series->by_status_class[status_class].fetch_add(1, std::memory_order_relaxed);
  const double seconds = static_cast<double>(duration.count()) / 1e6;
  int bucket = 0;
  while (bucket < kBucketCount && seconds > kBucketsSeconds[bucket]) ++bucket;
  series->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  series->sum_us.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count())),
                           std::memory_order_relaxed);
}

void Metrics::Record(std::string_view method, std::string_view route, int status,
                     std::chrono::microseconds duration) {
  Record(Register(MetricsMethodLabel(method), route), status, duration);
}

void Metrics::SetBuildInfo(std::map<std::string, std::string> labels) {
  std::lock_guard lock(impl_->mu);
  impl_->build_info = std::move(labels);
}

void Metrics::AddCollector(std::function<void(std::string& out)> collector) {
  std::lock_guard lock(impl_->mu);
  impl_->collectors.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  std::vector<const Series*> series;
  std::map<std::string, std::string> build_info;
  std::vector<std::function<void(std::string&)>> collectors;
  {
    std::lock_guard lock(impl_->mu);
    series.reserve(impl_->by_key.size());
    for (const auto& [key, s] : impl_->by_key) series.push_back(s);
    build_info = impl_->build_info;
    collectors = impl_->collectors;
  }

  std::string out;
  out.reserve(256 + series.size() * 1600);
  out +=
      "# HELP onestop_http_requests_total HTTP requests handled, by method, route pattern and "
      "status class.\n"
      "# TYPE onestop_http_requests_total counter\n";
  for (const Series* s : series) {
    for (int c = 0; c < 5; ++c) {
      const std::uint64_t n = s->by_status_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "onestop_http_requests_total{";
      AppendSeriesLabels(out, s->method, s->route);
      out += ",status=\"";
      out += static_cast<char>('1' + c);
      out += "xx\"} ";
      out += std::to_string(n);
      out += '\n';
    }
  }

  out +=
      "# HELP onestop_http_request_duration_seconds Time from routing a request to its response "
      "(excludes network I/O), by route.\n"
      "# TYPE onestop_http_request_duration_seconds histogram\n";
  for (const Series* s : series) {
    std::array<std::uint64_t, kBucketCount + 1> counts;
    std::uint64_t total = 0;
    for (int b = 0; b <= kBucketCount; ++b) {
      counts[b] = s->buckets[b].load(std::memory_order_relaxed);
      total += counts[b];
    }
    if (total == 0) continue;
    std::uint64_t cumulative = 0;
    for (int b = 0; b <= kBucketCount; ++b) {
      cumulative += counts[b];
      out += "onestop_http_request_duration_seconds_bucket{";
      AppendSeriesLabels(out, s->method, s->route);
      out += ",le=\"";
      out += b < kBucketCount ? FormatDouble("%g", kBucketsSeconds[b]) : "+Inf";
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    const double sum = static_cast<double>(s->sum_us.load(std::memory_order_relaxed)) / 1e6;
    out += "onestop_http_request_duration_seconds_sum{";
    AppendSeriesLabels(out, s->method, s->route);
    out += "} " + FormatDouble("%.6f", sum) + "\n";
    out += "onestop_http_request_duration_seconds_count{";
    AppendSeriesLabels(out, s->method, s->route);
    out += "} " + std::to_string(total) + "\n";
  }

  out +=
      "# HELP onestop_build_info Build information; the value is always 1.\n"
      "# TYPE onestop_build_info gauge\n"
      "onestop_build_info{";
  bool first = true;
  for (const auto& [name, value] : build_info) {
    if (!first) out += ',';
    first = false;
    out += name + "=\"";
    AppendLabelValue(out, value);
    out += '"';
  }
  out += "} 1\n";

  for (const auto& collector : collectors) collector(out);
  return out;
}

}  // namespace onestop::http
