// In-process HTTP client for the route tests (STYLE.md §3.7): the real app::App (services,
// SessionGuard, Router with every route) on a migrated TestDb holding the Hunan demo data,
// called through Router::Handle with hand-built http::Request structs — no sockets.
//
//   DemoEnv& env = ...;                       // RoutesTest::env() shares one per backend
//   Session clerk = env.Login("clerk", "Demo@2026");
//   Response r = env.Call("POST", "/api/v1/persons", {{"name", "王五"}, ...}, &clerk);
//   EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "core.id_number_check");
//
// tests/CMakeLists.txt compiles only tests/routes/*_test.cc, so harness.cc is compiled into
// routes_tests by harness_test.cc (which also tests the harness itself).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/wiring.h"
#include "http/message.h"
#include "testutil/test_db.h"

namespace onestop::routes_test {

using http::Request;
using http::Response;

// Demo passwords (src/app/demo.cc).
inline constexpr const char* kAdminPassword = "Admin@2026";
inline constexpr const char* kDemoPassword = "Demo@2026";

// A signed-in client: the session cookie value and the CSRF token from the login response.
struct Session {
  std::string username;
  std::string token;         // value of the onestop_session cookie
  std::string csrf;          // sent as X-CSRF-Token on POST/PUT/DELETE
  boost::json::object user;  // the `Me` of the login response
};

// Splits `target` into a decoded path and decoded query parameters ('+' is a space in the
// query only). The raw target stays in `request.target` (the router splits it itself).
void FillTarget(Request& request);
// Percent-decodes `text`; with `plus_is_space`, '+' becomes ' '.
std::string Decode(std::string_view text, bool plus_is_space);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string Encode(std::string_view text);
// `path` followed by the encoded query: Url("/a", {{"q", "张"}}) == "/a?q=%E5%BC%A0".
std::string Url(std::string_view path,
                const std::vector<std::pair<std::string, std::string>>& query);

// A migrated TestDb with the demo loaded by an App built on a second connection to it
// (FastForTest hashing, FakeClock at testutil::kTestNowMs).
class DemoEnv {
 public:
  // nullptr after ADD_FAILURE when the database or the demo cannot be set up.
  static std::unique_ptr<DemoEnv> Create(store::Backend backend);

  testutil::TestDb& db() { return *db_; }
  app::App& app() { return *app_; }
  FakeClock& clock() { return db_->clock(); }

  // One request through the router. `body` null sends no body; an object/array is serialized.
  // With `session`, sends its cookie, and its CSRF token on POST/PUT/PATCH/DELETE.
  Response Call(std::string_view method, std::string_view target,
                const boost::json::value& body = nullptr, const Session* session = nullptr);
  // As Call, with a raw body and extra headers (they replace the session's ones).
  Response CallRaw(std::string_view method, std::string_view target, std::string body,
                   const Session* session,
                   const std::map<std::string, std::string, http::HeaderLess>& headers = {});

  // POST /auth/login; ADD_FAILURE unless it answers 200 with a session cookie and a token.
  Session Login(const std::string& username, const std::string& password);
  // A login of demo user `username` made once per DemoEnv and reused (do not log it out).
  // Every DemoRoles() account is signed in by Create().
  const Session& As(const std::string& username);
  // Signs every DemoRoles() account in again (after a test moved the clock past a session's
  // lifetime); the old shared sessions are forgotten.
  void SignInAll();

  // The id of demo user / department (by code) / person (by name) / enterprise (by name).
  std::string UserId(const std::string& username);
  std::string DepartmentId(const std::string& code);
  std::string PersonId(const std::string& name);
  std::string EnterpriseId(const std::string& name);
  // A whole 身份证号 / USCC as stored.
  std::string PersonIdNumber(const std::string& name);

  // A value that is unique within this process, for codes, usernames and names.
  std::string Unique(std::string_view prefix);

 private:
  DemoEnv() = default;
  std::string Scalar(const std::string& sql, const std::string& arg);

  std::unique_ptr<testutil::TestDb> db_;
  std::unique_ptr<app::App> app_;
  std::map<std::string, Session> sessions_;
  std::uint64_t request_seq_ = 0;
};

// Row counts of every data table plus the sum of `version` of every versioned table: equal
// snapshots mean no row was added, removed or updated through the services.
using Snapshot = std::map<std::string, std::int64_t>;
Snapshot Snap(DemoEnv& env);

// A fixture over both backends with one demo database per backend, shared by every test of
// the suite (created on first use, dropped in TearDownTestSuite). Tests may add rows with
// unique names but must not change demo rows other tests rely on.
class RoutesTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override;
  static void TearDownTestSuite();
  DemoEnv& env() { return *env_; }

 private:
  DemoEnv* env_ = nullptr;
};

std::string BackendName(const ::testing::TestParamInfo<store::Backend>& info);

#define INSTANTIATE_ROUTES_TEST(Suite)                                              \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                         \
                           ::testing::ValuesIn(::onestop::testutil::AllBackends()), \
                           ::onestop::routes_test::BackendName)

// --- JSON helpers ---------------------------------------------------------------------------

// The response body parsed (null after ADD_FAILURE when it is not JSON).
boost::json::value Json(const Response& response);
// The body as an object ({} after ADD_FAILURE when it is not one).
boost::json::object Obj(const Response& response);
// o[key] as a string ("" when absent or not a string).
std::string Str(const boost::json::value& v, std::string_view key);
// o[key] as an integer (-1 when absent or not an integer).
std::int64_t Int(const boost::json::value& v, std::string_view key);
// o["items"] of a list response.
boost::json::array Items(const Response& response);
// Values of `key` in each object of `array`.
std::vector<std::string> Column(const boost::json::array& array, std::string_view key);
// The first object in `array` whose `key` equals `value`, or nullptr.
const boost::json::object* FindBy(const boost::json::array& array, std::string_view key,
                                  std::string_view value);
// The Set-Cookie header values.
std::vector<std::string> SetCookies(const Response& response);

// --- error checks ---------------------------------------------------------------------------

// Success unless `response` is exactly the documented error shape
// {"error":{"code","reason","message","fields":[{"field","message"}]}} with `status`, `code`
// (ErrorCode name) and `reason`, a non-empty Chinese message, well-formed field errors and an
// X-Request-Id header.
::testing::AssertionResult ExpectError(const Response& response, int status, std::string_view code,
                                       std::string_view reason);
// The `field` names of the error's field errors, in order.
std::vector<std::string> FieldsOf(const Response& response);
// Success if `response` has status `status` (prints the body otherwise).
::testing::AssertionResult HasStatus(const Response& response, int status);

#define EXPECT_ERROR(response, status, code, reason) \
  EXPECT_TRUE(::onestop::routes_test::ExpectError((response), (status), (code), (reason)))
#define ASSERT_ERROR(response, status, code, reason) \
  ASSERT_TRUE(::onestop::routes_test::ExpectError((response), (status), (code), (reason)))
#define EXPECT_STATUS(response, status) \
  EXPECT_TRUE(::onestop::routes_test::HasStatus((response), (status)))
#define ASSERT_STATUS(response, status) \
  ASSERT_TRUE(::onestop::routes_test::HasStatus((response), (status)))

// --- authorization tables -------------------------------------------------------------------

// Every demo role as its demo account (src/app/demo.cc): admin (platform_admin), hr_admin
// (dept_admin at HN-CS), clerk (counter_clerk), reviewer, supervisor, agent, citizen, enterprise.
const std::vector<std::string>& DemoRoles();

// What one role gets from one endpoint: 200, or an error status and reason.
struct Outcome {
  int status = 200;
  std::string reason;  // errors only
};
inline Outcome Allowed() { return {}; }
inline Outcome Denied(std::string reason = "identity.permission_denied") {
  return {403, std::move(reason)};
}
// The ErrorCode name for an error status (409 is ambiguous: pass `code` to ExpectError).
std::string CodeForStatus(int status);

// One endpoint tried as every demo role (and without a session).
struct AuthzCase {
  std::string name{};
  std::string method{};
  // The target and body, made afresh for each call (so creates can use unique values).
  std::function<std::string(DemoEnv&)> target{};
  std::function<boost::json::value(DemoEnv&)> body{};  // empty: no body
  std::map<std::string, Outcome> outcomes{};           // by demo username; every role listed
  // Anonymous callers get 401 identity.unauthenticated, unless the endpoint is public (200).
  bool is_public = false;
  // Extra checks of an allowed (200) response.
  std::function<void(DemoEnv&, const std::string& role, const Response&)> check{};
};

// Runs `c` for every role: checks status, the error shape and reason, and that a refused call
// changed nothing (Snap before and after).
void RunAuthz(DemoEnv& env, const AuthzCase& c);

}  // namespace onestop::routes_test
