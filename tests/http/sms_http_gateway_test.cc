// SmsHttpGateway against a real HTTP receiver on loopback (a plain-socket server on port 0 that
// records every request and answers 200 / 4xx / 5xx, stalls, or sends garbage), and the whole
// path Enqueue → DeliveryWorker → HTTP on both databases: retries carry the same
// Idempotency-Key, so a receiver that de-duplicates by it delivers each SMS once.
#include "http/sms_http_gateway.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/message.h"
#include "notify/delivery_worker.h"
#include "notify/notify.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::http {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using testutil::IsError;
using SteadyClock = std::chrono::steady_clock;

struct Received {
  std::string method, target;
  std::map<std::string, std::string, HeaderLess> headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// What the receiver does with one request.
struct Answer {
  int status = 200;
  std::string body = R"({"ok":true})";
  bool stall = false;    // never answer (until the client gives up)
  bool garbage = false;  // answer bytes that are not HTTP
};

// A small HTTP/1.1 server on 127.0.0.1:0, one connection at a time, Connection: close.
// Answers from a script, then with the default answer. Like a real gateway, a request whose
// Idempotency-Key was already accepted is answered 200 {"duplicate":true} and not delivered
// again.
class SmsReceiver {
 public:
  SmsReceiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~SmsReceiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::string Url(const std::string& path_and_query = "/sms") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  int port() const { return port_; }

  void Then(Answer a) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(a));
  }
  void Always(Answer a) {
    std::lock_guard lock(mu_);
    default_ = std::move(a);
  }
  std::vector<Received> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Message ids delivered (accepted once each), in order.
  std::vector<std::string> delivered() const {
    std::lock_guard lock(mu_);
    return delivered_;
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      Handle(client);
      ::close(client);
    }
  }

  // Reads until `done(buffer)` or EOF / stop; false on EOF or stop.
  bool ReadUntil(int fd, std::string& buffer, const std::function<bool()>& done) {
    while (!done()) {
      pollfd p{fd, POLLIN, 0};
      if (stop_) return false;
      if (::poll(&p, 1, 20) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  void Handle(int fd) {
    std::string buffer;
    if (!ReadUntil(fd, buffer, [&] { return buffer.find("\r\n\r\n") != std::string::npos; })) {
      return;
    }
    const std::size_t head_end = buffer.find("\r\n\r\n");
    Received r;
    const std::string head = buffer.substr(0, head_end);
    const std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    r.method = request_line.substr(0, request_line.find(' '));
    r.target =
        request_line.substr(r.method.size() + 1, request_line.rfind(' ') - r.method.size() - 1);
    for (std::size_t pos = line_end; pos != std::string::npos && pos < head.size();) {
      const std::size_t next = head.find("\r\n", pos + 2);
      const std::string line = head.substr(pos + 2, next - pos - 2);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        r.headers[line.substr(0, colon)] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      pos = next;
    }
    const std::size_t length = std::stoul("0" + r.Header("Content-Length"));
    if (!ReadUntil(fd, buffer, [&] { return buffer.size() >= head_end + 4 + length; })) return;
    r.body = buffer.substr(head_end + 4, length);

    Answer a;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
      if (!script_.empty()) {
        a = script_.front();
        script_.pop_front();
      } else {
        a = default_;
      }
      const std::string key = r.Header("Idempotency-Key");
      if (!a.stall && !a.garbage && a.status / 100 == 2) {
        if (accepted_.insert(key).second) {
          delivered_.push_back(key);
        } else {
          a.body = R"({"ok":true,"duplicate":true})";
        }
      }
    }
    if (a.stall) {
      std::string ignored;
      ReadUntil(fd, ignored, [] { return false; });  // until the client hangs up or stop
      return;
    }
    std::string out;
    if (a.garbage) {
      out = "this is not HTTP\r\n\r\n";
    } else {
      out = "HTTP/1.1 " + std::to_string(a.status) +
            " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
            std::to_string(a.body.size()) + "\r\n\r\n" + a.body;
    }
    ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<Answer> script_;
  Answer default_;
  std::vector<Received> requests_;
  std::set<std::string> accepted_;
  std::vector<std::string> delivered_;
};

std::unique_ptr<SmsHttpGateway> MustCreate(SmsHttpOptions options) {
  Result<std::unique_ptr<SmsHttpGateway>> g = SmsHttpGateway::Create(std::move(options));
  EXPECT_TRUE(g.has_value()) << g.error().message;
  return g.has_value() ? std::move(g).value() : nullptr;
}

const notify::SmsRequest kSms{"01JD0000000000000000000001", "13800000001",
                              "您申请的出生一件事已受理，受理编号 HN202611270001。"};

TEST(SmsHttpGatewayTest, PostsTheJsonWithIdempotencyKeyAndBearerToken) {
  SmsReceiver receiver;
  auto gateway = MustCreate({receiver.Url("/api/sms?tenant=hn"), "s3cret-token", 5000});
  ASSERT_NE(gateway, nullptr);
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(r.has_value()) << r.error().message;

  std::vector<Received> got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/api/sms?tenant=hn");
  EXPECT_EQ(got[0].Header("Host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(got[0].Header("Idempotency-Key"), kSms.message_id);
  EXPECT_EQ(got[0].Header("Authorization"), "Bearer s3cret-token");
  EXPECT_THAT(got[0].Header("Content-Type"), HasSubstr("application/json"));
  json::value body = json::parse(got[0].body);
  EXPECT_EQ(body,
            (json::object{{"id", kSms.message_id}, {"phone", kSms.phone}, {"text", kSms.text}}));
}

TEST(SmsHttpGatewayTest, WithoutTokenThereIsNoAuthorizationAndThePathDefaultsToSlash) {
  SmsReceiver receiver;
  auto gateway = MustCreate({"http://127.0.0.1:" + std::to_string(receiver.port()), "", 5000});
  ASSERT_NE(gateway, nullptr);
  ASSERT_TRUE(gateway->Send(kSms).has_value());
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].target, "/");
  EXPECT_EQ(receiver.requests()[0].headers.count("Authorization"), 0u);
}

TEST(SmsHttpGatewayTest, ServerErrorIsRetryable) {
  SmsReceiver receiver;
  receiver.Always({.status = 503, .body = R"({"error":"维护中"})"});
  auto gateway = MustCreate({receiver.Url(), "", 5000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kUnavailable, "notify.sms_gateway_error"));
  EXPECT_TRUE(notify::IsRetryable(r.error()));
  EXPECT_THAT(r.error().message, HasSubstr("HTTP 503"));
  EXPECT_THAT(r.error().message, HasSubstr("维护中"));
}

TEST(SmsHttpGatewayTest, ClientErrorIsPermanent) {
  SmsReceiver receiver;
  receiver.Always({.status = 400, .body = R"({"error":"号码无效"})"});
  auto gateway = MustCreate({receiver.Url(), "", 5000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.sms_rejected"));
  EXPECT_FALSE(notify::IsRetryable(r.error()));
  EXPECT_THAT(r.error().message, HasSubstr("HTTP 400"));
  EXPECT_THAT(r.error().message, HasSubstr("号码无效"));
}

TEST(SmsHttpGatewayTest, TooManyRequestsIsRetryable) {
  SmsReceiver receiver;
  receiver.Always({.status = 429, .body = "slow down"});
  auto gateway = MustCreate({receiver.Url(), "", 5000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kUnavailable, "notify.sms_gateway_busy"));
  EXPECT_TRUE(notify::IsRetryable(r.error()));
}

TEST(SmsHttpGatewayTest, LongErrorBodiesAreCut) {
  SmsReceiver receiver;
  std::string long_body;
  for (int i = 0; i < 400; ++i) long_body += "错";
  receiver.Always({.status = 422, .body = long_body});
  auto gateway = MustCreate({receiver.Url(), "", 5000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "notify.sms_rejected"));
  EXPECT_LT(r.error().message.size(), 300u);
  EXPECT_THAT(r.error().message, HasSubstr("…"));
}

TEST(SmsHttpGatewayTest, AStalledGatewayTimesOut) {
  SmsReceiver receiver;
  receiver.Always({.stall = true});
  auto gateway = MustCreate({receiver.Url(), "", 300});
  const auto started = SteadyClock::now();
  Result<void> r = gateway->Send(kSms);
  const auto took = SteadyClock::now() - started;
  ASSERT_TRUE(IsError(r, ErrorCode::kUnavailable, "notify.sms_gateway_timeout"));
  EXPECT_TRUE(notify::IsRetryable(r.error()));
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::seconds(2));
  EXPECT_EQ(receiver.requests().size(), 1u);  // it did arrive; the answer never came
}

TEST(SmsHttpGatewayTest, NothingListeningIsUnreachable) {
  int port = 0;
  {
    SmsReceiver closed;  // take a free port, then close it
    port = closed.port();
  }
  auto gateway = MustCreate({"http://127.0.0.1:" + std::to_string(port) + "/sms", "", 2000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kUnavailable, "notify.sms_gateway_unreachable"));
  EXPECT_TRUE(notify::IsRetryable(r.error()));
}

TEST(SmsHttpGatewayTest, AnAnswerThatIsNotHttpIsABadResponse) {
  SmsReceiver receiver;
  receiver.Always({.garbage = true});
  auto gateway = MustCreate({receiver.Url(), "", 2000});
  Result<void> r = gateway->Send(kSms);
  ASSERT_TRUE(IsError(r, ErrorCode::kUnavailable, "notify.sms_gateway_bad_response"));
}

TEST(SmsHttpGatewayTest, CreateRefusesWhatItCannotUse) {
  struct Bad {
    std::string url;
    std::string hint;
  };
  for (const Bad& b : std::vector<Bad>{{"https://sms.example.com/send", "TLS 中继"},
                                       {"ftp://sms.example.com/", "仅支持 http://"},
                                       {"sms.example.com:8080/send", "http://"},
                                       {"", "http://"},
                                       {"http:///send", "缺少主机名"},
                                       {"http://user:pw@sms.example.com/", "--sms-token-file"},
                                       {"http://sms.example.com:99999/", "端口"},
                                       {"http://sms.example.com/send#x", "片段"}}) {
    Result<std::unique_ptr<SmsHttpGateway>> g = SmsHttpGateway::Create({b.url, "", 5000});
    ASSERT_TRUE(IsError(g, ErrorCode::kInvalidArgument, "notify.bad_gateway_url")) << b.url;
    EXPECT_THAT(g.error().message, HasSubstr(b.hint)) << b.url;
  }
  EXPECT_TRUE(IsError(SmsHttpGateway::Create({"http://127.0.0.1:9/", "", 0}),
                      ErrorCode::kInvalidArgument, "notify.bad_gateway_timeout"));
  EXPECT_TRUE(IsError(SmsHttpGateway::Create({"http://127.0.0.1:9/", "abc\r\nX-Evil: 1", 5000}),
                      ErrorCode::kInvalidArgument, "notify.bad_gateway_token"));
}

TEST(SmsHttpGatewayTest, DescribeShowsWhereRequestsGoWithoutTheToken) {
  EXPECT_EQ(MustCreate({"http://sms.example.com/send?a=1", "secret", 5000})->Describe(),
            "http://sms.example.com:80/send?a=1");
  EXPECT_EQ(MustCreate({"http://[::1]:8081/x", "", 5000})->Describe(), "http://[::1]:8081/x");
}

// --- the whole path, on both databases ------------------------------------------------------

class SmsDeliveryOverHttpTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
  }

  std::string Enqueue() {
    notify::Message m;
    m.recipient_party_id = "p-1";
    m.phone = "13800000001";
    m.title = "办件已受理";
    m.body = "您申请的出生一件事已受理。";
    m.template_code = "case.accepted";
    Result<std::string> id = store::Transact(
        t_->db(), [&](store::Tx& tx) { return notify::Enqueue(tx, t_->clock(), m); });
    EXPECT_TRUE(id.has_value());
    return id.value_or("");
  }

  notify::OutboxEntry Outbox(const std::string& id) {
    Result<notify::OutboxEntry> e =
        store::Read(t_->db(), [&](store::Tx& tx) { return notify::GetOutbox(tx, id); });
    EXPECT_TRUE(e.has_value());
    return e.has_value() ? *e : notify::OutboxEntry{};
  }

  std::unique_ptr<testutil::TestDb> t_;
};

TEST_P(SmsDeliveryOverHttpTest, A5xxIsRetriedWithTheSameIdempotencyKeyThenSent) {
  SmsReceiver receiver;
  receiver.Then({.status = 500, .body = "oops"});
  auto gateway = MustCreate({receiver.Url(), "tok", 2000});
  notify::DeliveryWorker worker(t_->db(), t_->clock(), *gateway);
  const std::string id = Enqueue();

  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);
  EXPECT_EQ(Outbox(id).status, notify::OutboxStatus::kPending);
  EXPECT_THAT(Outbox(id).last_error, HasSubstr("HTTP 500"));
  t_->clock().Advance(2000);
  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);
  EXPECT_EQ(Outbox(id).status, notify::OutboxStatus::kSent);

  std::vector<Received> got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].Header("Idempotency-Key"), id);
  EXPECT_EQ(got[1].Header("Idempotency-Key"), id);
  EXPECT_EQ(receiver.delivered(), std::vector<std::string>{id});
}

TEST_P(SmsDeliveryOverHttpTest, A4xxFailsAtOnce) {
  SmsReceiver receiver;
  receiver.Always({.status = 400, .body = R"({"error":"号码无效"})"});
  auto gateway = MustCreate({receiver.Url(), "", 2000});
  notify::DeliveryWorker worker(t_->db(), t_->clock(), *gateway);
  const std::string id = Enqueue();
  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);
  t_->clock().Advance(3'600'000);
  ASSERT_EQ(worker.RunOnce().value_or(-1), 0);
  EXPECT_EQ(receiver.requests().size(), 1u);
  notify::OutboxEntry e = Outbox(id);
  EXPECT_EQ(e.status, notify::OutboxStatus::kFailed);
  EXPECT_THAT(e.last_error, HasSubstr("号码无效"));
}

TEST_P(SmsDeliveryOverHttpTest, ATimeoutIsRetried) {
  SmsReceiver receiver;
  receiver.Then({.stall = true});
  auto gateway = MustCreate({receiver.Url(), "", 300});
  notify::DeliveryWorker worker(t_->db(), t_->clock(), *gateway);
  const std::string id = Enqueue();
  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);
  EXPECT_THAT(Outbox(id).last_error, HasSubstr("notify.sms_gateway_timeout"));
  t_->clock().Advance(2000);
  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);
  EXPECT_EQ(Outbox(id).status, notify::OutboxStatus::kSent);
  EXPECT_EQ(receiver.delivered(), std::vector<std::string>{id});
}

TEST_P(SmsDeliveryOverHttpTest, ANodeThatDiedAfterSendingIsCoveredByTheIdempotencyKey) {
  SmsReceiver receiver;
  auto gateway = MustCreate({receiver.Url(), "", 2000});
  const std::string id = Enqueue();
  // A node claimed the row, the gateway accepted the SMS, and the node died before recording.
  ASSERT_TRUE(gateway->Send({id, "13800000001", "您申请的出生一件事已受理。"}).has_value());
  const Millis lease_until = t_->clock().NowMs() + 60'000;
  ASSERT_TRUE(store::Transact(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
                return tx.Exec(
                    "UPDATE notify_outbox SET status = 'sending', attempts = 1, "
                    "lease_owner = 'dead-node', lease_until_ms = ? WHERE id = ?",
                    {lease_until, id});
              }).has_value());

  notify::DeliveryWorker worker(t_->db(), t_->clock(), *gateway);
  ASSERT_EQ(worker.RunOnce().value_or(-1), 0);  // lease still held
  t_->clock().Set(lease_until);
  ASSERT_EQ(worker.RunOnce().value_or(-1), 1);  // taken over and sent again…
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.delivered(), std::vector<std::string>{id});  // …but delivered once
  EXPECT_EQ(Outbox(id).status, notify::OutboxStatus::kSent);
}

INSTANTIATE_TEST_SUITE_P(Backends, SmsDeliveryOverHttpTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::http
