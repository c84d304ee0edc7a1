// Real server on 127.0.0.1:0 with a small blocking POSIX-socket client (no Beast in this TU:
// it would add ~25 s to the test build).
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "http/router.h"

namespace onestop::http {
namespace {

using Clock = std::chrono::steady_clock;

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string, HeaderLess> headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One TCP connection. Reads responses framed by Content-Length (all the server sends here).
class TestClient {
 public:
  explicit TestClient(const std::string& address) {
    const std::size_t colon = address.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~TestClient() { ::close(fd_); }

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response, or nullopt on EOF, error or timeout. `head`: no body follows.
  std::optional<RawResponse> Read(bool head = false, int timeout_ms = 5000) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    RawResponse r;
    const std::string head_text = buffer_.substr(0, header_end);
    std::sscanf(head_text.c_str(), "HTTP/1.1 %d", &r.status);
    std::size_t pos = head_text.find("\r\n");
    while (pos != std::string::npos && pos < head_text.size()) {
      const std::size_t next = head_text.find("\r\n", pos + 2);
      const std::string line = head_text.substr(pos + 2, next - pos - 2);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        r.headers[line.substr(0, colon)] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      pos = next;
    }
    buffer_.erase(0, header_end + 4);
    const std::size_t length =
        head || r.status == 304 ? 0 : std::stoul("0" + r.Header("Content-Length"));
    while (buffer_.size() < length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True if the server closes the connection within `timeout_ms` (EOF or reset).
  bool WaitClosed(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
      char c[256];
      const ssize_t n = ::recv(fd_, c, sizeof c, 0);
      if (n <= 0) return true;
    }
  }

 private:
  bool Fill(Clock::time_point deadline) {
    pollfd p{fd_, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// A server running Run() on a background thread for the duration of a test.
class RunningServer {
 public:
  RunningServer(ServerOptions options, Handler handler) : server_(options, std::move(handler)) {
    Result<void> started = server_.Start();
    EXPECT_TRUE(started.has_value()) << started.error().message;
    if (started) thread_ = std::thread([this] { server_.Run(); });
  }
  ~RunningServer() { Stop(); }

  // Requests a graceful stop and waits for Run to return; the wait in milliseconds.
  long Stop() {
    const auto start = Clock::now();
    server_.RequestStop();
    if (thread_.joinable()) thread_.join();
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
  }

  Server& server() { return server_; }
  std::string address() const { return server_.LocalAddress(); }

 private:
  Server server_;
  std::thread thread_;
};

ServerOptions TestOptions() {
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  o.max_body_bytes = 1000;
  o.header_timeout_s = 1;
  o.body_timeout_s = 2;
  o.keep_alive_timeout_s = 5;
  o.shutdown_grace_s = 5;
  return o;
}

std::string Get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { spdlog::set_level(spdlog::level::warn); }

  ServerTest() {
    router_.Get("/api/v1/echo/{id}", [](Request& r) -> Result<boost::json::value> {
      return boost::json::object{{"id", r.PathParam("id")},
                                 {"q", r.Query("q").value_or("")},
                                 {"remote", r.remote_addr},
                                 {"body", r.body}};
    });
    router_.Post("/api/v1/echo/{id}", [](Request& r) -> Result<boost::json::value> {
      return boost::json::object{{"id", r.PathParam("id")}, {"body", r.body}};
    });
  }

  Handler RouterHandler() {
    return [this](Request& r) { return router_.Handle(r); };
  }

  Router router_;
};

TEST_F(ServerTest, LocalAddressHasTheRealPort) {
  RunningServer s(TestOptions(), RouterHandler());
  const std::string address = s.address();
  EXPECT_EQ(address.rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(address, "127.0.0.1:0");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/%E5%BC%A0?q=a+b", "X-Request-Id: client-id-1\r\n")));
  std::optional<RawResponse> first = c.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  boost::json::object body = boost::json::parse(first->body).as_object();
  EXPECT_EQ(body.at("id").as_string(), "张");
  EXPECT_EQ(body.at("q").as_string(), "a b");
  EXPECT_EQ(body.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(first->Header("X-Request-Id"), "client-id-1");
  EXPECT_EQ(first->Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_FALSE(first->Header("Date").empty());
  EXPECT_NE(first->Header("Connection"), "close");

  // Second request on the same socket; an unsafe client id is replaced by a generated one.
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo/2 HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n"
             "X-Request-Id: bad id!\r\n\r\n{\"a\":1}"));
  std::optional<RawResponse> second = c.Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(boost::json::parse(second->body).at("body").as_string(), "{\"a\":1}");
  EXPECT_EQ(second->Header("X-Request-Id").size(), 16u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/1") + Get("/api/v1/echo/2")));
  std::optional<RawResponse> a = c.Read();
  std::optional<RawResponse> b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(boost::json::parse(a->body).at("id").as_string(), "1");
  EXPECT_EQ(boost::json::parse(b->body).at("id").as_string(), "2");
}

TEST_F(ServerTest, HeadSendsGetHeadersWithoutBody) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.Send("HEAD /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> head = c.Read(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/1")));
  std::optional<RawResponse> get = c.Read();  // framing intact: no stray body bytes
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(get->body.size()));
}

TEST_F(ServerTest, OversizeBodyGets413JsonAndClose) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.Send("POST /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                     std::string(5000, 'x')));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_FALSE(r->Header("X-Request-Id").empty());
  boost::json::object e = boost::json::parse(r->body).at("error").as_object();
  EXPECT_EQ(e.at("code").as_string(), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(e.at("reason").as_string(), "http.body_too_large");
  EXPECT_EQ(e.at("message").as_string(), "请求体过大（上限 1 KB）");
  EXPECT_TRUE(c.WaitClosed(3000));
}

TEST_F(ServerTest, OversizeChunkedBodyGets413) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  const std::string chunk(800, 'y');
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "320\r\n" +
             chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, ExpectContinueWithOversizeLengthIsRefusedBeforeTheBody) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheResponse) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::optional<RawResponse> cont = c.Read(/*head=*/true);
  ASSERT_TRUE(cont.has_value());
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE(c.Send("hi"));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(boost::json::parse(r->body).at("body").as_string(), "hi");
}

TEST_F(ServerTest, MalformedRequestGets400) {
  RunningServer s(TestOptions(), RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(boost::json::parse(r->body).at("error").at("reason").as_string(), "http.bad_request");
  EXPECT_TRUE(c.WaitClosed(3000));

  TestClient absolute(s.address());  // absolute-form target: not for an origin server
  ASSERT_TRUE(absolute.Send(Get("http://example.com/api/v1/echo/1")));
  std::optional<RawResponse> r2 = absolute.Read();
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->status, 400);
  EXPECT_EQ(boost::json::parse(r2->body).at("error").at("reason").as_string(), "http.bad_target");
}

TEST_F(ServerTest, HeaderTimeoutClosesAHalfRequest) {
  RunningServer s(TestOptions(), RouterHandler());  // header_timeout_s = 1
  TestClient c(s.address());
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("GET /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\n"));  // no blank line
  EXPECT_TRUE(c.WaitClosed(4000));
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::milliseconds(3500));

  TestClient silent(s.address());  // connects and sends nothing: same deadline
  EXPECT_TRUE(silent.WaitClosed(4000));
}

TEST_F(ServerTest, KeepAliveTimeoutClosesAnIdleConnection) {
  ServerOptions options = TestOptions();  // header_timeout_s = 1
  options.keep_alive_timeout_s = 2;
  RunningServer s(options, RouterHandler());
  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/1")));
  ASSERT_EQ(c.Read()->status, 200);
  const auto start = Clock::now();
  // Idle between requests: the keep-alive timeout applies, not the shorter header timeout.
  EXPECT_FALSE(c.WaitClosed(1500));
  EXPECT_TRUE(c.WaitClosed(3000));
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(1900));
  EXPECT_LT(waited, std::chrono::milliseconds(4000));
}

TEST_F(ServerTest, HeaderTimeoutAppliesToALaterRequestOnAKeptAliveConnection) {
  RunningServer s(TestOptions(), RouterHandler());  // header 1 s, keep-alive 5 s
  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/1")));
  ASSERT_EQ(c.Read()->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // idle, within keep-alive
  ASSERT_TRUE(c.Send(Get("/api/v1/echo/2")));
  ASSERT_EQ(c.Read()->status, 200);
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("GET /api/v1/echo/3 HTTP/1.1\r\nHost: t\r\n"));  // no blank line
  EXPECT_TRUE(c.WaitClosed(4000));
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::milliseconds(3000));
}

TEST_F(ServerTest, SlowHandlerInFlightCompletesDuringGracefulStop) {
  std::promise<void> entered;
  std::atomic<bool> finished{false};
  Router router;
  router.Get("/api/v1/slow", [&](Request&) -> Result<boost::json::value> {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    finished = true;
    return boost::json::object{{"done", true}};
  });
  RunningServer s(TestOptions(), [&router](Request& r) { return router.Handle(r); });
  const std::string address = s.address();

  TestClient idle(address);  // a kept-alive connection with no request in flight
  ASSERT_TRUE(idle.Send(Get("/api/v1/nothing")));
  ASSERT_TRUE(idle.Read().has_value());

  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/api/v1/slow")));
  entered.get_future().wait();
  const auto stop_start = Clock::now();
  std::thread stopper([&s] { s.Stop(); });

  EXPECT_TRUE(idle.WaitClosed(1000));  // idle connections go at once
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"done":true})");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed(1000));
  stopper.join();
  EXPECT_TRUE(finished);
  EXPECT_LT(Clock::now() - stop_start, std::chrono::seconds(3));  // did not wait for the grace

  TestClient late(address);  // no longer accepting
  EXPECT_TRUE(!late.connected() || late.WaitClosed(1000));
}

TEST_F(ServerTest, GracePeriodBoundsAStuckHandler) {
  ServerOptions options = TestOptions();
  options.shutdown_grace_s = 1;
  std::promise<void> entered;
  RunningServer s(options, [&](Request&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return JsonResponse(nullptr);
  });
  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/stuck")));
  entered.get_future().wait();
  const long waited_ms = s.Stop();  // Run returns once the blocked handler returns
  EXPECT_GE(waited_ms, 1000);
  EXPECT_LT(waited_ms, 4000);
  EXPECT_TRUE(c.WaitClosed(1000));
}

TEST_F(ServerTest, StopBeforeAnyConnectionReturnsPromptly) {
  RunningServer s(TestOptions(), RouterHandler());
  EXPECT_LT(s.Stop(), 1000);
}

TEST_F(ServerTest, StopOnSignalsHandlesSigterm) {
  Server server(TestOptions(), RouterHandler());
  ASSERT_TRUE(server.Start().has_value());
  server.StopOnSignals();
  std::thread runner([&server] { server.Run(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(::getpid(), SIGTERM);
  runner.join();  // returns: the signal became a graceful stop
  SUCCEED();
}

TEST_F(ServerTest, StreamsFileBodies) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("onestop_server_" + std::to_string(getpid()));
  const std::string content(100'000, 'z');
  std::ofstream(file, std::ios::binary) << content;
  RunningServer s(TestOptions(), [&](Request&) {
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.file_path = file.string();
    return r;
  });
  TestClient c(s.address());
  ASSERT_TRUE(c.Send(Get("/file")));
  std::optional<RawResponse> r = c.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, content);
  ASSERT_TRUE(c.Send("HEAD /file HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> head = c.Read(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Header("Content-Length"), "100000");
  std::filesystem::remove(file);
}

TEST_F(ServerTest, PortInUseIsUnavailable) {
  RunningServer first(TestOptions(), RouterHandler());
  ServerOptions options = TestOptions();
  options.listen = first.address();
  Server second(options, RouterHandler());
  Result<void> r = second.Start();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason, "http.port_in_use");
  const std::string port = first.address().substr(first.address().rfind(':') + 1);
  EXPECT_EQ(r.error().message, "端口 " + port + " 已被占用");
}

TEST_F(ServerTest, BadListenAddressIsInvalidArgument) {
  for (const char* listen : {"localhost", "127.0.0.1:99999", "127.0.0.1:http", "[::1"}) {
    ServerOptions options = TestOptions();
    options.listen = listen;
    Server server(options, RouterHandler());
    Result<void> r = server.Start();
    ASSERT_FALSE(r.has_value()) << listen;
    EXPECT_EQ(r.error().reason, "http.bad_listen") << listen;
  }
}

}  // namespace
}  // namespace onestop::http
