#include "http/message.h"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>

namespace onestop::http {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool HeaderLess::operator()(std::string_view a, std::string_view b) const {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char ca = AsciiLower(a[i]);
    const char cb = AsciiLower(b[i]);
    if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
  }
  return a.size() < b.size();
}

std::string Request::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::PathParam(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  if (it == path_params.end()) {
    throw std::out_of_range("route has no path parameter '" + std::string(name) + "'");
  }
  return it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  auto it = headers.find(std::string_view("Cookie"));
  if (it == headers.end()) return std::nullopt;
  // RFC 6265 §4.2.1: cookie-string = cookie-pair *( ";" SP cookie-pair ). Browsers are lax about
  // the space, so split on ';' and trim; the first pair with the name wins (most specific path).
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    std::string_view pair = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

void Response::SetHeader(std::string name, std::string value) {
  if (EqualsIgnoreCase(name, "Content-Type")) {
    content_type = std::move(value);
    return;
  }
  bool replaced = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (!EqualsIgnoreCase(it->first, name)) {
      ++it;
    } else if (!replaced) {
      it->second = std::move(value);
      replaced = true;
      ++it;
    } else {
      it = headers.erase(it);
    }
  }
  if (!replaced) headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::Header(std::string_view name) const {
  if (EqualsIgnoreCase(name, "Content-Type")) return content_type;
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

namespace {

// RFC 3986 pchar without pct-encoded (unreserved / sub-delims / ":" / "@"), or '/'.
constexpr std::array<bool, 256> kPlainPathChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = true;
  for (char c : std::string_view("/-._~!$&'()*+,;=:@")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool IsPlainPathChar(char c) { return kPlainPathChars[static_cast<unsigned char>(c)]; }

}  // namespace

Result<void> ParseTarget(Request& request) {
  // Fast path for the usual "/api/v1/…" without query or escapes: such a target is a valid
  // origin-form (absolute-path = 1*( "/" segment ), segment = *pchar) and decodes to itself.
  const std::string& target = request.target;
  if (!target.empty() && target.front() == '/' &&
      std::all_of(target.begin(), target.end(), IsPlainPathChar)) {
    request.path = target;
    request.query.clear();
    return Ok();
  }
  auto bad = [] { return InvalidArgument("http.bad_target", "请求地址格式错误"); };
  boost::system::result<boost::urls::url_view> url = boost::urls::parse_origin_form(request.target);
  if (!url) return bad();
  std::string path = url->path();
  if (path.find('\0') != std::string::npos) return bad();
  std::multimap<std::string, std::string> query;
  // HTML forms and most clients send spaces in the query as '+' (application/x-www-form-
  // urlencoded); in the path '+' is a literal plus.
  for (const auto& param : url->params(boost::urls::encoding_opts(true, false, false))) {
    if (param.key.find('\0') != std::string::npos || param.value.find('\0') != std::string::npos) {
      return bad();
    }
    query.emplace(param.key, param.value);
  }
  request.path = std::move(path);
  request.query = std::move(query);
  return Ok();
}

std::string NewRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = engine();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

namespace {
constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

// Written by hand rather than with strftime: %a and %b depend on the process locale.
std::string FormatHttpDate(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds(epoch_seconds)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const std::int64_t sod = (t - day).count();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kWeekdays[weekday(day).c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60));
  return buf;
}

std::optional<std::int64_t> ParseHttpDate(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 characters.
  if (text.size() != 29) return std::nullopt;
  const std::string s(text);
  char wd[4] = {}, mon[4] = {};
  int d = 0, y = 0, hh = 0, mm = 0, ss = 0;
  if (std::sscanf(s.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d GMT", wd, &d, mon, &y, &hh, &mm, &ss) !=
      7) {
    return std::nullopt;
  }
  int month = 0;
  while (month < 12 && std::strcmp(mon, kMonths[month]) != 0) ++month;
  if (month == 12 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year(y), std::chrono::month(static_cast<unsigned>(month + 1)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count() * 86400LL + hh * 3600 + mm * 60 + ss;
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace onestop::http
