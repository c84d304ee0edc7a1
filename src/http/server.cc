// The only OneStop translation unit that includes Beast/Asio (stack-notes gotcha 4).
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/router.h"

namespace onestop::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// Completion token: errors come back as values, not exceptions (EOF and timeouts are normal).
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

constexpr std::size_t kHeaderLimit = 16 * 1024;  // Beast's default 8 KB is tight for cookies
constexpr std::size_t kFirstReadBytes = 4096;
constexpr auto kLingerTime = std::chrono::seconds(2);

// The Date header (RFC 9110 §6.6.1), formatted at most once per second per thread.
const std::string& CurrentHttpDate() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    cached = FormatHttpDate(now);
    cached_at = now;
  }
  return cached;
}

// Header names and values go to the wire verbatim: refuse CR, LF and NUL so a handler that
// echoes user input into a header cannot split the response.
bool IsSafeHeaderText(std::string_view s) {
  // A plain loop: find_first_of calls memchr once per character.
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Whether `response` has a header `name` (case-insensitive), without copying its value.
bool HasHeader(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (beast::iequals(key, name)) return true;
  }
  return false;
}

// Headers whose framing meaning belongs to the server, not to handlers.
bool IsServerOwnedHeader(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection") || beast::iequals(name, "Content-Type") ||
         beast::iequals(name, "Date");
}

template <class Body>
void FillHeaders(bhttp::response<Body>& m, const Response& r, unsigned version, bool keep_alive) {
  m.version(version);
  m.result(r.status >= 100 && r.status <= 999 ? static_cast<unsigned>(r.status) : 500u);
  m.set(bhttp::field::date, CurrentHttpDate());
  const bool bodiless = r.status == 204 || r.status == 304 || r.status < 200;
  if (!r.content_type.empty() && !bodiless && IsSafeHeaderText(r.content_type)) {
    m.set(bhttp::field::content_type, r.content_type);
  }
  for (const auto& [name, value] : r.headers) {
    if (IsServerOwnedHeader(name)) continue;
    if (name.empty() || !IsSafeHeaderText(name) || !IsSafeHeaderText(value)) {
      spdlog::error("http dropped response header with CR/LF/NUL: {}", name);
      continue;
    }
    m.insert(name, value);
  }
  m.keep_alive(keep_alive);
}

// A request the parser rejected (bad request line, header or chunk), as opposed to the peer
// going away (EOF, partial message) or a socket error: worth a 400 before closing.
bool IsProtocolError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};

std::optional<ListenAddress> ParseListen(std::string_view listen) {
  ListenAddress out;
  std::string_view port;
  if (!listen.empty() && listen.front() == '[') {  // "[::1]:8080"
    const std::size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return std::nullopt;
    }
    out.host = std::string(listen.substr(1, close - 1));
    port = listen.substr(close + 2);
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    out.host = std::string(listen.substr(0, colon));
    port = listen.substr(colon + 1);
  }
  if (out.host.empty()) out.host = "0.0.0.0";  // ":8080": every interface
  if (port.empty() || port.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  out.port = static_cast<unsigned short>(value);
  return out;
}

std::string EndpointText(const tcp::endpoint& ep) {
  const std::string host = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

class Session;

// Everything the server shares with its sessions (Server::Impl is private to Server).
struct ServerState {
  ServerState(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        io(std::make_unique<net::io_context>(std::max(1, options.threads))),
        work(net::make_work_guard(*io)) {}

  ServerOptions options;
  Handler handler;

  // The acceptor, signals and the grace timer: one thread (the caller of Run), never blocked
  // by handlers.
  net::io_context accept_io{1};
  tcp::acceptor acceptor{accept_io};
  net::signal_set signals{accept_io};
  net::steady_timer grace_timer{accept_io};
  bool stop_started = false;  // accept_io thread only
  bool started = false;

  // Connections and handlers: `threads` threads. Destroyed at the end of Run, before the
  // members Session's destructor uses.
  std::unique_ptr<net::io_context> io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;

  std::atomic<bool> stopping{false};
  std::atomic<int> active_sessions{0};
  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  net::awaitable<void> AcceptLoop();
  void WaitForSignal();
  void BeginStop();
  void FinishStop();
  void ForceStop();
  void OnSessionEnded();
};

// One connection: reads requests one after another (HTTP/1.1 keep-alive), calls the handler
// and writes the responses. Runs as a coroutine on a strand of the worker io_context.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerState& server, tcp::socket socket)
      : server_(server), socket_(std::move(socket)), watchdog_(socket_.get_executor()) {
    server_.active_sessions.fetch_add(1);
    beast::error_code ec;
    const tcp::endpoint peer = socket_.remote_endpoint(ec);
    remote_ = ec ? "" : peer.address().to_string();
  }
  ~Session() {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.erase(this);
    }
    server_.OnSessionEnded();
  }

  net::any_io_executor executor() { return socket_.get_executor(); }

  // Called on this session's strand during a graceful stop: a connection waiting for its next
  // request is closed now; one receiving or handling a request finishes it first.
  void CancelIfIdle() {
    beast::error_code ignored;
    if (idle_) socket_.cancel(ignored);
  }

  net::awaitable<void> Run();

 private:
  enum class ReadOutcome { kRequest, kClose, kRespondAndClose };

  net::awaitable<void> WriteAndLinger(Response response, unsigned version);
  net::awaitable<beast::error_code> Write(Response& response, bool head, unsigned version,
                                          bool keep_alive);
  net::awaitable<void> LingeringClose();
  Response CallHandler(Request& request);
  // Feeds buffered bytes to `parser` until its header is done, as async_read_header does
  // before it reads: need_more when the header is still incomplete.
  beast::error_code ParseBuffered(bhttp::request_parser<bhttp::string_body>& parser);
  Request ToRequest(bhttp::request<bhttp::string_body>&& message);

  // Timeouts. The socket is closed when the deadline passes, which fails the pending read or
  // write (as Beast's tcp_stream does). One timer per connection, re-armed only when it fires
  // while the deadline has moved on, or when a deadline comes sooner than the armed expiry:
  // a kept-alive connection re-arms about once per timeout period, where tcp_stream arms and
  // cancels a timer around every read and write (two timer-queue round trips and two extra
  // handler runs per request, and contention on the reactor's lock).
  void SetDeadline(std::chrono::steady_clock::duration timeout);
  void ClearDeadline() { deadline_ = std::chrono::steady_clock::time_point::max(); }
  void ArmWatchdog();
  void OnWatchdog(std::uint64_t generation);

  ServerState& server_;
  tcp::socket socket_;
  net::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool watchdog_armed_ = false;            // a wait for the current generation is pending
  std::uint64_t watchdog_generation_ = 0;  // tells a superseded wait from the current one
  beast::flat_buffer buffer_;
  std::string remote_;
  bool idle_ = false;  // waiting for the first byte of the next request
};

void Session::SetDeadline(std::chrono::steady_clock::duration timeout) {
  deadline_ = std::chrono::steady_clock::now() + timeout;
  if (!watchdog_armed_ || deadline_ < watchdog_.expiry()) ArmWatchdog();
}

void Session::ArmWatchdog() {
  watchdog_.expires_at(deadline_);  // a pending wait completes with operation_aborted
  watchdog_armed_ = true;
  const std::uint64_t generation = ++watchdog_generation_;
  watchdog_.async_wait([weak = weak_from_this(), generation](const beast::error_code& ec) {
    if (ec) return;  // cancelled: re-armed, or the session is going away
    if (std::shared_ptr<Session> self = weak.lock()) self->OnWatchdog(generation);
  });
}

void Session::OnWatchdog(std::uint64_t generation) {
  if (generation != watchdog_generation_) return;  // expired just before a re-arm
  watchdog_armed_ = false;
  if (deadline_ == std::chrono::steady_clock::time_point::max()) return;  // SetDeadline re-arms
  if (std::chrono::steady_clock::now() < deadline_) {
    ArmWatchdog();  // the deadline moved on since the timer was armed
    return;
  }
  beast::error_code ignored;
  socket_.close(ignored);
}

net::awaitable<void> Session::Run() {
  const ServerOptions& opt = server_.options;
  const auto header_timeout = std::chrono::seconds(opt.header_timeout_s);
  bool first = true;
  for (;;) {
    // 1. Wait for the first byte of a request. On a new connection the header timeout starts
    //    now (a client that connects and sends nothing is dropped just as fast as a slow one);
    //    between requests the (longer) keep-alive timeout applies.
    if (buffer_.size() == 0) {
      if (server_.stopping.load()) break;
      SetDeadline(first ? header_timeout : std::chrono::seconds(opt.keep_alive_timeout_s));
      idle_ = true;
      auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kFirstReadBytes), kNoThrow);
      idle_ = false;
      if (ec) break;  // EOF, timeout (Beast closed the socket) or cancelled by a stop
      buffer_.commit(n);
      if (!first) SetDeadline(header_timeout);
    } else {
      SetDeadline(header_timeout);  // a pipelined request is already buffered
    }
    first = false;

    // 2. The header, under the header deadline. Most requests arrive whole in the first read:
    //    parse what is buffered here, since async_read_header would finish such a header
    //    through a posted completion (a second trip through the scheduler).
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(opt.max_body_bytes);
    {
      beast::error_code ec = ParseBuffered(parser);
      if (ec == bhttp::error::need_more) {
        auto [read_ec, n] = co_await bhttp::async_read_header(socket_, buffer_, parser, kNoThrow);
        ec = read_ec;
      }
      if (ec == bhttp::error::body_limit) {  // Content-Length over the limit, seen early
        co_await WriteAndLinger(BodyTooLargeResponse(opt.max_body_bytes, NewRequestId()), 11);
        break;
      }
      if (ec == bhttp::error::header_limit) {
        Response r =
            ErrorResponse(InvalidArgument("http.header_too_large", "请求头过大"), NewRequestId());
        r.status = 431;
        co_await WriteAndLinger(std::move(r), 11);
        break;
      }
      if (ec) {
        if (IsProtocolError(ec)) {  // a malformed request line or header: say so, then close
          co_await WriteAndLinger(
              ErrorResponse(InvalidArgument("http.bad_request", "请求格式错误"), NewRequestId()),
              11);
        }
        break;
      }
    }
    const unsigned version = parser.get().version();

    // 3. The body, under the body deadline. (A declared Content-Length over the limit already
    //    failed the header read with body_limit, before any "100 Continue".)
    if (!parser.is_done()) {
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        auto [ec, n] = co_await bhttp::async_write(socket_, cont, kNoThrow);
        if (ec) break;
      }
      SetDeadline(std::chrono::seconds(opt.body_timeout_s));
      auto [ec, n] = co_await bhttp::async_read(socket_, buffer_, parser, kNoThrow);
      if (ec == bhttp::error::body_limit) {  // chunked body over the limit
        co_await WriteAndLinger(BodyTooLargeResponse(opt.max_body_bytes, NewRequestId()), version);
        break;
      }
      if (ec) {
        if (IsProtocolError(ec)) {
          co_await WriteAndLinger(
              ErrorResponse(InvalidArgument("http.bad_request", "请求格式错误"), NewRequestId()),
              version);
        }
        break;
      }
    }

    // 4. The handler. It may block (database work): this thread serves nothing else meanwhile.
    bhttp::request<bhttp::string_body> message = parser.release();
    const bool head = message.method() == bhttp::verb::head;
    bool keep_alive = message.keep_alive();
    ClearDeadline();
    Request request = ToRequest(std::move(message));
    Response response = CallHandler(request);

    // 5. The response. During a stop the connection closes after it ("Connection: close").
    keep_alive = keep_alive && !server_.stopping.load() &&
                 !(HasHeader(response, "Connection") &&
                   beast::iequals(response.Header("Connection"), "close"));
    SetDeadline(std::chrono::seconds(opt.body_timeout_s));
    beast::error_code ec = co_await Write(response, head, version, keep_alive);
    if (ec) break;
    if (!keep_alive) {
      socket_.shutdown(tcp::socket::shutdown_send, ec);
      break;
    }
  }
  ClearDeadline();
  beast::error_code ignored;
  watchdog_.cancel();
  socket_.close(ignored);
}

beast::error_code Session::ParseBuffered(bhttp::request_parser<bhttp::string_body>& parser) {
  beast::error_code ec = bhttp::error::need_more;
  while (buffer_.size() > 0 && !parser.is_header_done()) {
    const std::size_t used = parser.put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec) break;
  }
  if (!ec && !parser.is_header_done()) ec = bhttp::error::need_more;
  return ec;
}

Request Session::ToRequest(bhttp::request<bhttp::string_body>&& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    auto [it, inserted] = request.headers.try_emplace(std::move(name), field.value());
    if (!inserted) {
      // A repeated header is one comma-separated list (RFC 9110 §5.3); Cookie uses "; ".
      it->second += beast::iequals(it->first, "Cookie") ? "; " : ", ";
      it->second.append(field.value().data(), field.value().size());
    }
  }
  request.body = std::move(message.body());
  request.remote_addr = remote_;
  const std::string client_id = request.Header("X-Request-Id");
  request.request_id = IsSaneRequestId(client_id) ? client_id : NewRequestId();
  return request;
}

Response Session::CallHandler(Request& request) {
  Response response = [&]() -> Response {
    Result<void> target_ok = ParseTarget(request);
    if (!target_ok) return ErrorResponse(target_ok.error(), request.request_id);
    try {
      return server_.handler(request);
    } catch (const std::exception& e) {  // Handler's contract says it does not throw; be safe
      spdlog::error("http request_id={} handler threw: {}", request.request_id, e.what());
    } catch (...) {
      spdlog::error("http request_id={} handler threw a non-standard exception",
                    request.request_id);
    }
    return ErrorResponse(Internal("http.internal", "服务器内部错误，请稍后重试（请求编号 " +
                                                       request.request_id + "）"),
                         request.request_id);
  }();
  if (!HasHeader(response, "X-Request-Id") || response.Header("X-Request-Id").empty()) {
    response.SetHeader("X-Request-Id", request.request_id);
  }
  return response;
}

net::awaitable<beast::error_code> Session::Write(Response& response, bool head, unsigned version,
                                                 bool keep_alive) {
  std::optional<bhttp::message_generator> generator;
  if (head) {
    // HEAD: the GET headers, including the length the body would have, and no body.
    std::uint64_t length = response.body.size();
    if (std::string given = response.Header("Content-Length"); !given.empty()) {
      length = std::strtoull(given.c_str(), nullptr, 10);
    } else if (response.file_path) {
      beast::error_code ec;
      bhttp::file_body::value_type file;
      file.open(response.file_path->c_str(), beast::file_mode::scan, ec);
      length = ec ? 0 : file.size();
    }
    bhttp::response<bhttp::empty_body> m;
    FillHeaders(m, response, version, keep_alive);
    if (response.status != 204 && response.status != 304) m.content_length(length);
    generator.emplace(std::move(m));
  } else if (response.file_path) {
    beast::error_code ec;
    bhttp::file_body::value_type file;
    file.open(response.file_path->c_str(), beast::file_mode::scan, ec);
    if (ec) {
      spdlog::warn("http request_id={} cannot open {}: {}", response.Header("X-Request-Id"),
                   *response.file_path, ec.message());
      Response missing = ErrorResponse(NotFound("http.not_found", "请求的文件不存在"),
                                       response.Header("X-Request-Id"));
      co_return co_await Write(missing, head, version, keep_alive);
    }
    bhttp::response<bhttp::file_body> m;
    FillHeaders(m, response, version, keep_alive);
    m.body() = std::move(file);
    m.prepare_payload();
    generator.emplace(std::move(m));
  } else {
    bhttp::response<bhttp::string_body> m;
    FillHeaders(m, response, version, keep_alive);
    m.body() = std::move(response.body);
    // 1xx/204/304 have no body and no Content-Length (prepare_payload would throw on them).
    if (response.status >= 200 && response.status != 204 && response.status != 304) {
      m.prepare_payload();
    }
    generator.emplace(std::move(m));
  }
  auto [ec, n] = co_await beast::async_write(socket_, std::move(*generator), kNoThrow);
  co_return ec;
}

net::awaitable<void> Session::WriteAndLinger(Response response, unsigned version) {
  SetDeadline(std::chrono::seconds(server_.options.body_timeout_s));
  beast::error_code ec = co_await Write(response, false, version, false);
  if (!ec) co_await LingeringClose();
}

// Closing a socket that still has unread request bytes makes the kernel send RST, and the
// client may then lose the error response we just wrote (RFC 9112 §9.6). So: stop sending,
// read and discard what the client still sends for a short while, then close.
net::awaitable<void> Session::LingeringClose() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  SetDeadline(kLingerTime);
  char discard[4096];
  for (;;) {
    auto [read_ec, n] = co_await socket_.async_read_some(net::buffer(discard), kNoThrow);
    if (read_ec) break;
  }
}

void LogCoroutineFailure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("http connection failed: {}", ex.what());
  } catch (...) {
    spdlog::error("http connection failed with a non-standard exception");
  }
}

net::awaitable<void> ServerState::AcceptLoop() {
  for (;;) {
    // Each connection gets its own strand on the worker io_context.
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(*io), kNoThrow);
    if (stopping.load() || !acceptor.is_open()) co_return;
    if (ec) {
      if (ec == net::error::operation_aborted) co_return;
      // EMFILE, ENFILE, ENOBUFS: back off instead of spinning on a full descriptor table.
      spdlog::warn("http accept failed: {}", ec.message());
      net::steady_timer backoff(accept_io, std::chrono::milliseconds(100));
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(*this, tcp::socket(std::move(socket)));
    {
      std::lock_guard lock(sessions_mu);
      sessions.emplace(session.get(), session);
    }
    net::any_io_executor ex = session->executor();
    net::co_spawn(
        ex, [session]() { return session->Run(); }, LogCoroutineFailure);
  }
}

void ServerState::WaitForSignal() {
  signals.async_wait([this](const beast::error_code& ec, int signal) {
    if (ec) return;  // cancelled at the end of Run
    if (!stop_started) {
      spdlog::info("http received signal {}, shutting down (grace {} s)", signal,
                   options.shutdown_grace_s);
      WaitForSignal();  // before BeginStop, whose FinishStop may cancel this wait at once
      BeginStop();
    } else {
      spdlog::warn("http received signal {} again, stopping now", signal);
      ForceStop();
    }
  });
}

// Runs on the accept_io thread.
void ServerState::BeginStop() {
  if (stop_started) return;
  stop_started = true;
  stopping.store(true);
  beast::error_code ignored;
  acceptor.close(ignored);
  work.reset();  // the workers return once the last connection is gone
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    net::post(s->executor(), [s] { s->CancelIfIdle(); });
  }
  if (active_sessions.load() == 0) {
    FinishStop();
    return;
  }
  grace_timer.expires_after(std::chrono::seconds(options.shutdown_grace_s));
  grace_timer.async_wait([this](const beast::error_code& ec) {
    if (ec) return;  // every connection finished in time
    const int left = active_sessions.load();
    spdlog::warn("http shutdown grace of {} s over, closing {} connection(s)",
                 options.shutdown_grace_s, left);
    ForceStop();
  });
}

// Lets accept_io run out of work, so Run() proceeds to join the workers.
void ServerState::FinishStop() {
  grace_timer.cancel();
  beast::error_code ignored;
  signals.cancel(ignored);
}

void ServerState::ForceStop() {
  if (!stop_started) BeginStop();
  io->stop();  // handlers still running finish; their connections die with the io_context
  FinishStop();
}

// Any thread. The last connection of a graceful stop ends the stop.
void ServerState::OnSessionEnded() {
  if (active_sessions.fetch_sub(1) == 1 && stopping.load()) {
    net::post(accept_io, [this] {
      if (stop_started && active_sessions.load() == 0) FinishStop();
    });
  }
}

}  // namespace

struct Server::Impl : ServerState {
  using ServerState::ServerState;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  // Sessions refer to impl_ members; destroy them (with the worker io_context) first. The work
  // guard goes before the io_context it counts work on.
  impl_->work.reset();
  impl_->io.reset();
}

Result<void> Server::Start() {
  Impl& s = *impl_;
  std::optional<ListenAddress> listen = ParseListen(s.options.listen);
  if (!listen) {
    return InvalidArgument("http.bad_listen", "监听地址无效：" + s.options.listen +
                                                  "（应为 主机:端口，如 127.0.0.1:8080）");
  }
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(listen->host, ec);
  if (ec) {
    tcp::resolver resolver(s.accept_io);
    auto results = resolver.resolve(listen->host, "", ec);
    if (ec || results.empty()) {
      return InvalidArgument("http.bad_listen", "无法解析监听地址中的主机名：" + listen->host);
    }
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, listen->port);
  const std::string port = std::to_string(listen->port);
  auto fail = [&](const beast::error_code& e) -> Error {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    if (e == net::error::address_in_use) {
      return Unavailable("http.port_in_use", "端口 " + port + " 已被占用");
    }
    if (e == net::error::access_denied) {
      return Unavailable("http.listen_denied", "没有权限监听端口 " + port);
    }
    return Unavailable("http.listen_failed", "无法监听 " + s.options.listen + "：" + e.message());
  };
  if (s.acceptor.open(endpoint.protocol(), ec)) return fail(ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on Linux it does not
  // allow two listeners on one port.
  if (s.acceptor.set_option(net::socket_base::reuse_address(true), ec)) return fail(ec);
  if (s.acceptor.bind(endpoint, ec)) return fail(ec);
  if (s.acceptor.listen(net::socket_base::max_listen_connections, ec)) return fail(ec);
  s.started = true;
  net::co_spawn(s.accept_io, s.AcceptLoop(), LogCoroutineFailure);
  spdlog::info("http listening on {} (threads={})", LocalAddress(), s.options.threads);
  return Ok();
}

std::string Server::LocalAddress() const {
  beast::error_code ec;
  const tcp::endpoint ep = impl_->acceptor.local_endpoint(ec);
  return ec ? std::string() : EndpointText(ep);
}

void Server::Run() {
  Impl& s = *impl_;
  if (!s.started) return;
  std::vector<std::thread> workers;
  const int threads = std::max(1, s.options.threads);
  workers.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&s] {
      for (;;) {
        try {
          s.io->run();
          return;
        } catch (const std::exception& e) {  // keep the thread: one bad request is not fatal
          spdlog::error("http worker caught: {}", e.what());
        }
      }
    });
  }
  s.accept_io.run();
  for (std::thread& t : workers) t.join();
  // After a forced stop, connections still suspended in the io_context are destroyed here,
  // which closes their sockets.
  s.io.reset();
  spdlog::info("http server stopped");
}

void Server::RequestStop() {
  Impl* s = impl_.get();
  net::post(s->accept_io, [s] { s->BeginStop(); });
}

void Server::StopOnSignals() {
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGTERM);
  impl_->WaitForSignal();
}

}  // namespace onestop::http
