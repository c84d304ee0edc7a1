#include "app/config.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/working_days.h"

extern char** environ;

namespace onestop::app {
namespace {

Error BadValue(const std::string& key, const std::string& why) {
  return InvalidArgument("config.bad_value", "配置项 " + key + " 无效：" + why);
}

Result<long long> ToInt(const std::string& key, const std::string& v) {
  long long out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size())
    return BadValue(key, "应为整数，实际为“" + v + "”");
  return out;
}

Result<bool> ToBool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return BadValue(key, "应为 true 或 false，实际为“" + v + "”");
}

// Sets `key` from its text form. Unknown keys are an error (a typo would otherwise be ignored).
Result<void> Set(Config& c, const std::string& key, const std::string& v) {
  if (key == "db") {
    c.db = v;
  } else if (key == "listen") {
    c.listen = v;
  } else if (key == "web_root") {
    c.web_root = v;
  } else if (key == "uploads") {
    c.uploads = v;
  } else if (key == "log_level") {
    c.log_level = v;
  } else if (key == "threads") {
    ASSIGN_OR_RETURN(c.threads, ToInt(key, v));
  } else if (key == "db_pool") {
    ASSIGN_OR_RETURN(c.db_pool, ToInt(key, v));
  } else if (key == "max_body_kb") {
    ASSIGN_OR_RETURN(c.max_body_kb, ToInt(key, v));
  } else if (key == "session_hours") {
    ASSIGN_OR_RETURN(c.session_hours, ToInt(key, v));
  } else if (key == "idle_minutes") {
    ASSIGN_OR_RETURN(c.idle_minutes, ToInt(key, v));
  } else if (key == "max_failed_logins") {
    ASSIGN_OR_RETURN(c.max_failed_logins, ToInt(key, v));
  } else if (key == "lockout_minutes") {
    ASSIGN_OR_RETURN(c.lockout_minutes, ToInt(key, v));
  } else if (key == "cookie_secure") {
    ASSIGN_OR_RETURN(c.cookie_secure, ToBool(key, v));
  } else if (key == "demo") {
    ASSIGN_OR_RETURN(c.demo, ToBool(key, v));
  } else if (key == "sms_gateway") {
    c.sms_gateway = v;
  } else if (key == "sms_token_file") {
    c.sms_token_file = v;
  } else if (key == "master_key_file") {
    c.master_key_file = v;
  } else if (key == "master_key") {
    c.master_key = v;
  } else if (key == "public_url") {
    c.public_url = v;
  } else if (key == "now") {
    c.now = v;
  } else {
    return InvalidArgument("config.unknown_key", "未知配置项：" + key);
  }
  return Ok();
}

}  // namespace

Result<void> ApplyJsonFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("config.bad_file", "无法读取配置文件 " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) {
    return InvalidArgument("config.bad_file", "配置文件 " + path + " 不是有效的 JSON 对象");
  }
  for (const auto& [k, value] : v.as_object()) {
    std::string text;
    if (value.is_string()) {
      text = value.as_string().c_str();
    } else if (value.is_bool()) {
      text = value.as_bool() ? "true" : "false";
    } else if (value.is_int64()) {
      text = std::to_string(value.as_int64());
    } else {
      return BadValue(std::string(k), "应为字符串、整数或布尔值");
    }
    Result<void> r = Set(config, std::string(k), text);
    if (!r.has_value()) {
      Error e = std::move(r).error();
      e.message = path + "：" + e.message;
      return e;
    }
  }
  return Ok();
}

Result<void> ApplyEnvironment(Config& config, const std::map<std::string, std::string>& env) {
  for (const auto& [name, value] : env) {
    if (!name.starts_with("ONESTOP_") || name.starts_with("ONESTOP_TEST_")) continue;
    std::string key = name.substr(8);
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (key == "config") continue;
    Result<void> r = Set(config, key, value);
    if (!r.has_value()) {
      Error e = std::move(r).error();
      e.message = "环境变量 " + name + "：" + e.message;
      return e;
    }
  }
  return Ok();
}

Result<Millis> ParseInstant(const std::string& text) {
  auto bad = [&] {
    return InvalidArgument(
        "config.bad_value",
        "配置项 now 的值“" + text + "”格式错误：应为 2026-02-09T09:00:00+08:00 或 2026-02-09");
  };
  if (text.size() < 10) return bad();
  Result<Date> date = Date::Parse(text.substr(0, 10));
  if (!date.has_value()) return bad();
  if (text.size() == 10) return date->StartOfDayMs() + 9 * 3600 * 1000;  // 09:00 CST
  // "THH:MM" [":SS"] then "Z" or "±HH:MM".
  auto num = [&](std::size_t at, int max) -> std::optional<int> {
    if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return std::nullopt;
    }
    const int v = (text[at] - '0') * 10 + (text[at + 1] - '0');
    if (v > max) return std::nullopt;
    return v;
  };
  if (text[10] != 'T' || text.size() < 17 || text[13] != ':') return bad();
  std::optional<int> h = num(11, 23), m = num(14, 59);
  if (!h || !m) return bad();
  std::size_t at = 16;
  int sec = 0;
  if (at < text.size() && text[at] == ':') {
    std::optional<int> s = num(at + 1, 59);
    if (!s) return bad();
    sec = *s;
    at += 3;
  }
  int offset_min = 0;
  if (at < text.size() && text[at] == 'Z' && at + 1 == text.size()) {
    offset_min = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    std::optional<int> oh = num(at + 1, 14), om = num(at + 4, 59);
    if (!oh || !om) return bad();
    offset_min = (text[at] == '-' ? -1 : 1) * (*oh * 60 + *om);
  } else {
    return bad();
  }
  const Millis midnight_utc = date->DaysSinceEpoch() * 86400000LL;
  return midnight_utc + ((*h * 60 + *m - offset_min) * 60 + sec) * 1000LL;
}

Result<void> Validate(const Config& c) {
  if (!c.now.empty()) RETURN_IF_ERROR(ParseInstant(c.now));
  if (!c.db.starts_with("sqlite:") && !c.db.starts_with("postgresql://") &&
      !c.db.starts_with("postgres://")) {
    return BadValue("db", "应为 sqlite:路径 或 postgresql://用户:密码@主机:端口/库名");
  }
  if (c.listen.find(':') == std::string::npos) return BadValue("listen", "应为 主机:端口");
  if (c.threads < 1 || c.threads > 256) return BadValue("threads", "应在 1–256 之间");
  if (c.db_pool < 1 || c.db_pool > 256) return BadValue("db_pool", "应在 1–256 之间");
  if (c.max_body_kb < 1 || c.max_body_kb > 1024 * 1024)
    return BadValue("max_body_kb", "应在 1–1048576 之间");
  if (c.session_hours < 1 || c.session_hours > 24 * 30)
    return BadValue("session_hours", "应在 1–720 之间");
  if (c.idle_minutes < 1) return BadValue("idle_minutes", "应大于 0");
  if (c.max_failed_logins < 1) return BadValue("max_failed_logins", "应大于 0");
  if (c.lockout_minutes < 1) return BadValue("lockout_minutes", "应大于 0");
  static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
  bool known = false;
  for (const char* l : levels) known = known || c.log_level == l;
  if (!known) return BadValue("log_level", "应为 trace、debug、info、warn、error 或 off");
  // The URL itself is parsed by http::SmsHttpGateway::Create when serve starts.
  if (!c.sms_gateway.empty() && !c.sms_gateway.starts_with("http://")) {
    return BadValue("sms_gateway", "应为 http://主机:端口/路径（HTTPS 网关请经本机 TLS 中继转发）");
  }
  if (!c.master_key.empty()) {
    std::size_t hex = 0;
    for (char ch : c.master_key) hex += std::isxdigit(static_cast<unsigned char>(ch)) ? 1 : 0;
    if (hex != 64 || c.master_key.size() != 64) {
      return BadValue("master_key", "应为 64 个十六进制字符（32 字节）");
    }
  }
  if (!c.public_url.empty() &&
      !(c.public_url.starts_with("http://") || c.public_url.starts_with("https://"))) {
    return BadValue("public_url", "应为 https://域名 或 http://主机:端口（群众访问本系统的地址）");
  }
  if (!c.sms_token_file.empty() && c.sms_gateway.empty()) {
    return BadValue("sms_token_file", "只有配置了 sms_gateway 才能使用");
  }
  return Ok();
}

std::string PublicUrlOf(const Config& config) {
  std::string url = config.public_url.empty() ? "http://" + config.listen : config.public_url;
  while (url.ends_with('/')) url.pop_back();
  return url;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    std::size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

}  // namespace onestop::app
