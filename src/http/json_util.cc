#include "http/json_util.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/text.h"

namespace onestop::http {
namespace {

constexpr char kRequired[] = "必填";

std::string RangeMessage(std::int64_t min, std::int64_t max) {
  return "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间";
}

// The integer value of `v` if it is a JSON number without a fraction that fits in int64.
// 1.0 is accepted (some clients serialize every number as a double); 1.5 and 1e300 are not.
std::optional<std::int64_t> AsInteger(const boost::json::value& v) {
  if (const auto* i = v.if_int64()) return *i;
  if (const auto* u = v.if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(*u);
    }
    return std::nullopt;
  }
  if (const auto* d = v.if_double()) {
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9223372036854775808.0 &&
        *d < 9223372036854775808.0) {
      return static_cast<std::int64_t>(*d);
    }
  }
  return std::nullopt;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

Error InvalidQuery(std::string_view name, std::string message) {
  return InvalidArgument("http.invalid_query", "查询参数有误")
      .WithField(std::string(name), std::move(message));
}

}  // namespace

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  if (IsBlank(body)) return boost::json::object();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return InvalidArgument("http.malformed_json", "请求体不是有效的 JSON");
  if (!value.is_object()) return InvalidArgument("http.body_not_object", "请求体应为 JSON 对象");
  return std::move(value.get_object());
}

Result<boost::json::object> ParseJsonBody(const Request& request) {
  // Only JSON is accepted. Besides being honest, this stops cross-site HTML forms: a browser
  // sends them as text/plain or form data without a preflight, never as application/json
  // (so no one can, e.g., sign a victim into someone else's account).
  if (!text::TrimSpace(request.body).empty()) {
    std::string type = request.Header("Content-Type");
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view media = std::string_view(type).substr(0, type.find(';'));
    if (text::TrimSpace(media) != "application/json") {
      return InvalidArgument("http.unsupported_media_type",
                             "请求体须为 JSON（Content-Type: application/json）");
    }
  }
  return ParseJsonObject(request.body);
}

JsonReader::JsonReader(const boost::json::object& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

const boost::json::value* JsonReader::Find(std::string_view key) const {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

void JsonReader::AddError(std::string_view key, std::string message) {
  errors_.push_back({prefix_ + std::string(key), std::move(message)});
}

std::string JsonReader::String(std::string_view key, bool required) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) {
    if (required) AddError(key, kRequired);
    return {};
  }
  const boost::json::string* s = v->if_string();
  if (s == nullptr) {
    AddError(key, "应为字符串");
    return {};
  }
  if (required && s->empty()) AddError(key, kRequired);
  return std::string(s->data(), s->size());
}

std::optional<std::string> JsonReader::OptString(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  const boost::json::string* s = v->if_string();
  if (s == nullptr) {
    AddError(key, "应为字符串");
    return std::nullopt;
  }
  return std::string(s->data(), s->size());
}

std::int64_t JsonReader::Int(std::string_view key, bool required, std::int64_t min,
                             std::int64_t max, std::int64_t fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) {
    if (required) AddError(key, kRequired);
    return fallback;
  }
  std::optional<std::int64_t> i = OptInt(key, min, max);
  return i.value_or(fallback);
}

std::optional<std::int64_t> JsonReader::OptInt(std::string_view key, std::int64_t min,
                                               std::int64_t max) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  std::optional<std::int64_t> i = v->is_number() ? AsInteger(*v) : std::nullopt;
  if (!i) {
    // A number too large for int64 is still "out of range" to a person, not "not an integer".
    AddError(key, v->is_number() && std::trunc(v->to_number<double>()) == v->to_number<double>()
                      ? RangeMessage(min, max)
                      : "应为整数");
    return std::nullopt;
  }
  if (*i < min || *i > max) {
    AddError(key, RangeMessage(min, max));
    return std::nullopt;
  }
  return i;
}

bool JsonReader::Bool(std::string_view key, bool required, bool fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) {
    if (required) AddError(key, kRequired);
    return fallback;
  }
  return OptBool(key).value_or(fallback);
}

std::optional<bool> JsonReader::OptBool(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (const bool* b = v->if_bool()) return *b;
  AddError(key, "应为布尔值");
  return std::nullopt;
}

std::vector<std::string> JsonReader::StringList(std::string_view key, bool required) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) {
    if (required) AddError(key, kRequired);
    return {};
  }
  const boost::json::array* a = v->if_array();
  if (a == nullptr) {
    AddError(key, "应为字符串数组");
    return {};
  }
  std::vector<std::string> out;
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const boost::json::string* s = (*a)[i].if_string();
    if (s == nullptr) {
      AddError(std::string(key) + "[" + std::to_string(i) + "]", "应为字符串");
      continue;
    }
    out.emplace_back(s->data(), s->size());
  }
  return out;
}

std::optional<boost::json::object> JsonReader::Object(std::string_view key, bool required) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) {
    if (required) AddError(key, kRequired);
    return std::nullopt;
  }
  const boost::json::object* o = v->if_object();
  if (o == nullptr) {
    AddError(key, "应为对象");
    return std::nullopt;
  }
  return *o;
}

Result<void> JsonReader::Finish() const {
  if (errors_.empty()) return Ok();
  Error error = InvalidArgument("http.invalid_body", "请求参数有误");
  error.fields = errors_;
  return error;
}

Result<int> QueryInt(const Request& request, std::string_view name, int fallback, int min,
                     int max) {
  std::optional<std::string> text = request.Query(name);
  if (!text || text->empty()) return fallback;
  long long value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc::result_out_of_range) return InvalidQuery(name, RangeMessage(min, max));
  if (ec != std::errc() || ptr != end) return InvalidQuery(name, "应为整数");
  if (value < min || value > max) return InvalidQuery(name, RangeMessage(min, max));
  return static_cast<int>(value);
}

Result<std::string> QueryRequired(const Request& request, std::string_view name) {
  std::optional<std::string> text = request.Query(name);
  if (!text || text->empty()) return InvalidQuery(name, kRequired);
  return std::move(*text);
}

Result<Page> ParsePage(const Request& request) {
  Result<int> page = QueryInt(request, "page", 1, 1, Page::kMaxPage);
  Result<int> size = QueryInt(request, "pageSize", Page::kDefaultPageSize, 1, Page::kMaxPageSize);
  if (page && size) return Page{*page, *size};
  // Report both parameters when both are wrong.
  Error error = InvalidArgument("http.invalid_query", "查询参数有误");
  if (!page) error.fields.push_back(page.error().fields.front());
  if (!size) error.fields.push_back(size.error().fields.front());
  return error;
}

namespace {

// Splits an instant into the CST civil date and the seconds since CST midnight.
struct CstParts {
  std::chrono::year_month_day date;
  std::int64_t second_of_day;
};

CstParts ToCst(Millis at_ms) {
  using namespace std::chrono;
  // China Standard Time is UTC+8 all year (no DST since 1991).
  const sys_seconds utc = floor<seconds>(sys_time<milliseconds>(milliseconds(at_ms)));
  const sys_seconds cst = utc + hours(8);
  const sys_days day = floor<days>(cst);
  return {year_month_day(day), (cst - day).count()};
}

}  // namespace

std::string IsoTimeCst(Millis at_ms) {
  const CstParts p = ToCst(at_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                static_cast<int>(p.date.year()), static_cast<unsigned>(p.date.month()),
                static_cast<unsigned>(p.date.day()), static_cast<int>(p.second_of_day / 3600),
                static_cast<int>(p.second_of_day / 60 % 60),
                static_cast<int>(p.second_of_day % 60));
  return buf;
}

std::string IsoDateCst(Millis at_ms) {
  const CstParts p = ToCst(at_ms);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(p.date.year()),
                static_cast<unsigned>(p.date.month()), static_cast<unsigned>(p.date.day()));
  return buf;
}

}  // namespace onestop::http
