// The only OneStop translation unit besides server.cc that includes Beast/Asio.
#include "http/sms_http_gateway.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <chrono>
#include <exception>

namespace onestop::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxResponseBody = 64 * 1024;
constexpr std::size_t kErrorSnippetBytes = 200;

Error BadUrl(const std::string& url, const std::string& why) {
  return InvalidArgument("notify.bad_gateway_url", "短信网关地址“" + url + "”无效：" + why);
}

// The first `n` bytes of `s` without a cut UTF-8 sequence at the end.
std::string Snippet(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  s.resize(n);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80) != 0) s.pop_back();
  return s + "…";
}

// One request: the handlers run in the calling thread on a private io_context, because
// tcp_stream's timeouts apply only to asynchronous operations. Send() blocks until done.
struct Exchange {
  net::io_context ioc;
  tcp::resolver resolver{ioc};
  beast::tcp_stream stream{ioc};
  bhttp::request<bhttp::string_body> request;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  beast::error_code ec;
  enum Stage { kResolve, kConnect, kWrite, kRead } stage = kResolve;
  bool done = false;

  void Fail(beast::error_code e) {
    ec = e;
    done = true;
  }

  void Run(const std::string& host, const std::string& port, SteadyClock::time_point deadline) {
    resolver.async_resolve(
        host, port, [this, deadline](beast::error_code e, tcp::resolver::results_type results) {
          if (e) return Fail(e);
          stage = kConnect;
          stream.expires_at(deadline);  // one deadline for connect, write and read together
          stream.async_connect(results, [this](beast::error_code e, const tcp::endpoint&) {
            if (e) return Fail(e);
            stage = kWrite;
            bhttp::async_write(stream, request, [this](beast::error_code e, std::size_t) {
              if (e) return Fail(e);
              stage = kRead;
              bhttp::async_read(stream, buffer, parser,
                                [this](beast::error_code e, std::size_t) { Fail(e); });
            });
          });
        });
    // The resolver has no timeout of its own: bound the whole exchange here.
    ioc.run_until(deadline + std::chrono::milliseconds(50));
    if (!done) {
      resolver.cancel();
      beast::error_code ignored;
      stream.socket().close(ignored);
      ioc.restart();
      ioc.run();
      ec = beast::error::timeout;
      done = true;
    }
  }
};

Error TransportError(const Exchange& x, const std::string& where) {
  if (x.ec == beast::error::timeout) {
    return Unavailable("notify.sms_gateway_timeout", "短信网关 " + where + " 超时未响应");
  }
  // While reading, anything but a dropped connection means the answer was not HTTP.
  const bool dropped = x.ec == bhttp::error::end_of_stream || x.ec == net::error::eof ||
                       x.ec == net::error::connection_reset ||
                       x.ec == net::error::connection_aborted;
  if (x.stage == Exchange::kRead && !dropped) {
    return Unavailable("notify.sms_gateway_bad_response",
                       "短信网关 " + where + " 的响应无法解析：" + x.ec.message());
  }
  return Unavailable("notify.sms_gateway_unreachable",
                     "无法连接短信网关 " + where + "：" + x.ec.message());
}

}  // namespace

SmsHttpGateway::SmsHttpGateway(SmsHttpOptions options, std::string host, std::string port,
                               std::string target)
    : options_(std::move(options)),
      host_(std::move(host)),
      port_(std::move(port)),
      target_(std::move(target)) {}

Result<std::unique_ptr<SmsHttpGateway>> SmsHttpGateway::Create(SmsHttpOptions options) {
  const std::string& url = options.url;
  boost::system::result<boost::urls::url_view> parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    // parse_absolute_uri refuses a fragment; say so rather than "not a URL".
    if (url.find('#') != std::string::npos) return BadUrl(url, "不能带 # 片段");
    return BadUrl(url, "应为 http://主机:端口/路径");
  }
  const boost::urls::url_view u = *parsed;
  if (u.scheme_id() == boost::urls::scheme::https) {
    return BadUrl(url, "仅支持 http://；HTTPS 网关请经本机 TLS 中继（如 stunnel）转发");
  }
  if (u.scheme_id() != boost::urls::scheme::http) return BadUrl(url, "仅支持 http://");
  if (!u.has_authority() || u.host_address().empty()) return BadUrl(url, "缺少主机名");
  if (u.has_userinfo()) return BadUrl(url, "不能在地址中写用户名和密码，令牌请用 --sms-token-file");
  std::string port = "80";
  if (u.has_port() && !u.port().empty()) {
    // port_number() wraps values above 65535, so check the text.
    const std::string text(u.port());
    unsigned long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535) {
      return BadUrl(url, "端口应在 1–65535 之间");
    }
    port = std::to_string(value);
  }
  if (options.timeout_ms <= 0) {
    return InvalidArgument("notify.bad_gateway_timeout", "短信网关超时时间应大于 0 毫秒");
  }
  for (char c : options.token) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument("notify.bad_gateway_token", "短信网关令牌含有换行或控制字符");
    }
  }
  std::string target(u.encoded_target());
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  std::string host(u.host_address());
  return std::unique_ptr<SmsHttpGateway>(
      new SmsHttpGateway(std::move(options), std::move(host), std::move(port), std::move(target)));
}

std::string SmsHttpGateway::Describe() const {
  const bool ipv6 = host_.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" + port_ + target_;
}

Result<void> SmsHttpGateway::Send(const notify::SmsRequest& sms) {
  const std::string where = Describe();
  try {
    Exchange x;
    x.parser.body_limit(kMaxResponseBody);
    x.request.method(bhttp::verb::post);
    x.request.target(target_);
    x.request.version(11);
    const bool ipv6 = host_.find(':') != std::string::npos;
    x.request.set(bhttp::field::host,
                  (ipv6 ? "[" + host_ + "]" : host_) + (port_ == "80" ? "" : ":" + port_));
    x.request.set(bhttp::field::user_agent, "onestop-sms/0.1");
    x.request.set(bhttp::field::content_type, "application/json; charset=utf-8");
    x.request.set(bhttp::field::accept, "application/json");
    x.request.set(bhttp::field::connection, "close");
    x.request.set("Idempotency-Key", sms.message_id);
    if (!options_.token.empty()) {
      x.request.set(bhttp::field::authorization, "Bearer " + options_.token);
    }
    x.request.body() = boost::json::serialize(
        boost::json::object{{"id", sms.message_id}, {"phone", sms.phone}, {"text", sms.text}});
    x.request.prepare_payload();

    x.Run(host_, port_, SteadyClock::now() + std::chrono::milliseconds(options_.timeout_ms));
    if (x.ec) return TransportError(x, where);
    const bhttp::response<bhttp::string_body>& response = x.parser.get();
    const unsigned status = response.result_int();
    const std::string detail =
        "HTTP " + std::to_string(status) + " " + Snippet(response.body(), kErrorSnippetBytes);
    if (status >= 200 && status < 300) return Ok();
    if (status >= 500) {
      return Unavailable("notify.sms_gateway_error", "短信网关 " + where + " 出错：" + detail);
    }
    if (status == 408 || status == 429) {
      return Unavailable("notify.sms_gateway_busy", "短信网关 " + where + " 繁忙：" + detail);
    }
    return InvalidArgument("notify.sms_rejected", "短信网关拒绝了该短信：" + detail);
  } catch (const std::exception& e) {
    return Internal("notify.sms_gateway_exception",
                    "调用短信网关 " + where + " 时出错：" + std::string(e.what()));
  }
}

}  // namespace onestop::http
