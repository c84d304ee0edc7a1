// Sign-in routes and the behaviour every route shares: the session cookie, CSRF, body parsing
// errors, 404 / 405, and which operations need a session (docs/API.md "Conventions").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class AuthRoutesTest : public RoutesTest {
 protected:
  // A valid department under 长沙市政务服务中心, with a fresh code.
  json::object NewDepartmentBody() {
    return {{"code", env().Unique("T-AUTH-")},
            {"name", "长沙市测试服务局"},
            {"parentId", env().DepartmentId("HN-CS")},
            {"regionCode", "430100"},
            {"level", "city"}};
  }
};

TEST_P(AuthRoutesTest, LoginSetsAStrictHttpOnlySessionCookie) {
  const std::int64_t sessions = env().db().Count("identity_session");
  Response r = env().Call("POST", "/api/v1/auth/login",
                          json::object{{"username", "admin"}, {"password", kAdminPassword}});
  ASSERT_STATUS(r, 200);
  std::vector<std::string> cookies = SetCookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  const std::string& c = cookies.front();
  EXPECT_THAT(c, ::testing::StartsWith("onestop_session="));
  const std::string token = c.substr(16, c.find(';') - 16);
  EXPECT_GE(token.size(), 32u);
  EXPECT_THAT(c, HasSubstr("; HttpOnly"));
  EXPECT_THAT(c, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(c, HasSubstr("; Path=/"));
  EXPECT_THAT(c, HasSubstr("; Max-Age=43200"));  // 12 h, the absolute session lifetime
  EXPECT_THAT(c, Not(HasSubstr("Secure")));      // cookie_secure is off by default
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");

  json::object body = Obj(r);
  EXPECT_GE(Str(body, "csrfToken").size(), 16u);
  EXPECT_THAT(r.body, Not(HasSubstr(token)));  // the session token is only in the cookie
  const json::value& user = body.at("user");
  EXPECT_EQ(Str(user, "username"), "admin");
  EXPECT_EQ(Str(user, "displayName"), "系统管理员");
  EXPECT_EQ(Str(user, "kind"), "staff");
  EXPECT_EQ(Str(user, "dataScope"), "all");
  EXPECT_EQ(json::serialize(user.at("roles")),
            R"([{"code":"platform_admin","name":"平台管理员"}])");
  EXPECT_EQ(Str(user.at("department"), "id"), env().DepartmentId("HN"));
  EXPECT_EQ(Str(user.at("department"), "name"), "湖南省政务服务中心");
  EXPECT_TRUE(user.at("personId").is_null());
  EXPECT_TRUE(user.at("enterpriseId").is_null());
  std::set<std::string> permissions;
  for (const json::value& p : user.at("permissions").as_array()) {
    permissions.insert(std::string(p.as_string()));
  }
  EXPECT_EQ(permissions, (std::set<std::string>{"departments.manage", "users.manage",
                                                "calendar.manage", "parties.read", "parties.write",
                                                "audit.read", "audit.verify", "uscc.confirm_legacy",
                                                "catalog.manage", "cases.read", "seals.manage"}));
  EXPECT_EQ(env().db().Count("identity_session"), sessions + 1);
}

TEST_P(AuthRoutesTest, LoginFromACrossSiteFormIsRefused) {
  // A text/plain form post needs no CORS preflight; it must not sign anyone in.
  const std::int64_t sessions = env().db().Count("identity_session");
  Response r =
      env().CallRaw("POST", "/api/v1/auth/login", R"({"username":"admin","password":"Admin@2026"})",
                    nullptr, {{"Content-Type", "text/plain"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.unsupported_media_type");
  EXPECT_TRUE(SetCookies(r).empty());
  EXPECT_EQ(env().db().Count("identity_session"), sessions);
}

TEST_P(AuthRoutesTest, MeAnswersWithTheCookieSession) {
  Session s = env().Login("citizen", kDemoPassword);
  Response r = env().Call("GET", "/api/v1/auth/me", nullptr, &s);
  ASSERT_STATUS(r, 200);
  json::object body = Obj(r);
  EXPECT_EQ(Str(body, "csrfToken"), s.csrf);
  const json::value& user = body.at("user");
  EXPECT_EQ(Str(user, "username"), "citizen");
  EXPECT_EQ(Str(user, "kind"), "citizen");
  EXPECT_EQ(Str(user, "personId"), env().PersonId("张三"));
  EXPECT_TRUE(user.at("department").is_null());
  EXPECT_EQ(json::serialize(user.at("permissions")),
            R"(["self.access_log","cases.apply","self.licences"])");
  EXPECT_EQ(json::serialize(user.at("roles")), R"([{"code":"citizen","name":"群众"}])");
  EXPECT_EQ(user, s.user);  // the same Me as the login answer
}

TEST_P(AuthRoutesTest, MeWithoutOrWithAnUnknownCookieIsUnauthenticated) {
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me"), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  Session forged;
  forged.token = "bm90LWEtcmVhbC1zZXNzaW9uLXRva2VuLWF0LWFsbC0xMjM0NTY3ODk";
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &forged), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  Session empty;
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &empty), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
}

TEST_P(AuthRoutesTest, BadPasswordAndUnknownUserGetTheSameAnswer) {
  const std::int64_t sessions = env().db().Count("identity_session");
  for (const char* username : {"clerk", "no_such_user"}) {
    SCOPED_TRACE(username);
    Response r = env().Call("POST", "/api/v1/auth/login",
                            json::object{{"username", username}, {"password", "Wrong@2026"}});
    ASSERT_ERROR(r, 401, "UNAUTHENTICATED", "identity.bad_credentials");
    EXPECT_EQ(Str(Obj(r).at("error"), "message"), "用户名或密码错误");
    EXPECT_TRUE(SetCookies(r).empty());
  }
  EXPECT_EQ(env().db().Count("identity_session"), sessions);
  // One failure does not lock: the right password still works.
  EXPECT_FALSE(env().Login("clerk", kDemoPassword).token.empty());
}

TEST_P(AuthRoutesTest, LoginRequiresBothFields) {
  const Snapshot before = Snap(env());
  Response r = env().Call("POST", "/api/v1/auth/login", json::object{{"username", "clerk"}});
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.credentials_required");
  EXPECT_THAT(FieldsOf(r), ElementsAre("password"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, FiveBadPasswordsLockTheAccount) {
  // A fresh account, so that the lock-out does not disturb the demo users.
  const std::string username = env().Unique("locked_");
  const std::string password = "Lock#2026pw";
  ASSERT_STATUS(env().Call("POST", "/api/v1/users",
                           json::object{{"username", username},
                                        {"password", password},
                                        {"displayName", "锁定测试"},
                                        {"roles", json::array{"counter_clerk"}},
                                        {"departmentId", env().DepartmentId("HN-CS-XSPJ")}},
                           &env().As("admin")),
                200);
  json::object bad{{"username", username}, {"password", "Wrong#2026pw"}};
  for (int i = 1; i <= 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_ERROR(env().Call("POST", "/api/v1/auth/login", bad), 401, "UNAUTHENTICATED",
                 "identity.bad_credentials");
  }
  const std::int64_t sessions = env().db().Count("identity_session");
  Response fifth = env().Call("POST", "/api/v1/auth/login", bad);
  EXPECT_ERROR(fifth, 429, "RESOURCE_EXHAUSTED", "identity.locked");
  EXPECT_THAT(Str(Obj(fifth).at("error"), "message"), HasSubstr("15 分钟"));
  // Locked: even the right password is refused, and no session is opened.
  Response right = env().Call("POST", "/api/v1/auth/login",
                              json::object{{"username", username}, {"password", password}});
  EXPECT_ERROR(right, 429, "RESOURCE_EXHAUSTED", "identity.locked");
  EXPECT_TRUE(SetCookies(right).empty());
  EXPECT_EQ(env().db().Count("identity_session"), sessions);
  // The lock shows in the user list.
  json::array users = Items(
      env().Call("GET", Url("/api/v1/users", {{"q", username}}), nullptr, &env().As("admin")));
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(Str(users[0], "lockedUntil"), http::IsoTimeCst(env().clock().NowMs() + 15 * 60'000));
}

TEST_P(AuthRoutesTest, StateChangesNeedTheSessionsCsrfToken) {
  Session admin = env().Login("admin", kAdminPassword);
  Session without = admin;
  without.csrf.clear();
  Session wrong = admin;
  wrong.csrf = "0123456789abcdef0123456789abcdef";
  Session other = admin;
  other.csrf = env().As("admin").csrf;  // a real token, of another session
  ASSERT_NE(other.csrf, admin.csrf);

  const std::int64_t departments = env().db().Count("identity_department");
  const Snapshot before = Snap(env());
  for (const Session* s : {&without, &wrong, &other}) {
    SCOPED_TRACE("csrf=" + s->csrf);
    EXPECT_ERROR(env().Call("POST", "/api/v1/departments", NewDepartmentBody(), s), 403,
                 "PERMISSION_DENIED", "identity.csrf");
    EXPECT_ERROR(
        env().Call("PUT", "/api/v1/calendar/days/2026-12-14",
                   json::object{{"workday", false}, {"name", "测试"}, {"reason", "测试调整"}}, s),
        403, "PERMISSION_DENIED", "identity.csrf");
    EXPECT_ERROR(env().Call("DELETE", "/api/v1/calendar/days/2026-12-14?reason=xx", nullptr, s),
                 403, "PERMISSION_DENIED", "identity.csrf");
    EXPECT_ERROR(env().Call("POST", "/api/v1/auth/logout", nullptr, s), 403, "PERMISSION_DENIED",
                 "identity.csrf");
  }
  EXPECT_EQ(env().db().Count("identity_department"), departments);
  EXPECT_EQ(Snap(env()), before);
  // The session survived the refused logout, and the same request with the token succeeds.
  EXPECT_STATUS(env().Call("GET", "/api/v1/auth/me", nullptr, &admin), 200);
  EXPECT_STATUS(env().Call("POST", "/api/v1/departments", NewDepartmentBody(), &admin), 200);
  EXPECT_EQ(env().db().Count("identity_department"), departments + 1);
}

TEST_P(AuthRoutesTest, LoginItselfNeedsNoCsrfToken) {
  // The sign-in form has no token yet; a stale cookie must not make it fail either.
  Session stale;
  stale.token = "stale-token";
  Response r =
      env().Call("POST", "/api/v1/auth/login",
                 json::object{{"username", "reviewer"}, {"password", kDemoPassword}}, &stale);
  EXPECT_STATUS(r, 200);
}

TEST_P(AuthRoutesTest, LogoutClearsTheCookieAndEndsTheSession) {
  Session s = env().Login("agent", kDemoPassword);
  ASSERT_STATUS(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 200);
  const std::int64_t sessions = env().db().Count("identity_session");
  Response r = env().Call("POST", "/api/v1/auth/logout", nullptr, &s);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, R"({"ok":true})");
  std::vector<std::string> cookies = SetCookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_THAT(cookies.front(), ::testing::StartsWith("onestop_session=;"));
  EXPECT_THAT(cookies.front(), HasSubstr("Max-Age=0"));
  EXPECT_THAT(cookies.front(), HasSubstr("Path=/"));
  EXPECT_THAT(cookies.front(), HasSubstr("HttpOnly"));
  EXPECT_EQ(env().db().Count("identity_session"), sessions - 1);
  // The old token (a client that kept it) is dead at once, not after the principal cache.
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_ERROR(env().Call("POST", "/api/v1/auth/logout", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
}

TEST_P(AuthRoutesTest, MalformedJsonIs400AndChangesNothing) {
  const Session& admin = env().As("admin");
  const Snapshot before = Snap(env());
  for (const char* body : {"{\"code\": \"X\",", "{code: 1}", "\xff\xfe", "{} {}"}) {
    SCOPED_TRACE(body);
    EXPECT_ERROR(
        env().CallRaw("POST", "/api/v1/departments", body, &admin,
                      {{"X-CSRF-Token", admin.csrf}, {"Content-Type", "application/json"}}),
        400, "INVALID_ARGUMENT", "http.malformed_json");
  }
  EXPECT_ERROR(env().CallRaw("POST", "/api/v1/auth/login", "{\"username\":", nullptr,
                             {{"Content-Type", "application/json"}}),
               400, "INVALID_ARGUMENT", "http.malformed_json");
  for (const char* body : {"[1, 2]", "\"text\"", "42", "null"}) {
    SCOPED_TRACE(body);
    EXPECT_ERROR(
        env().CallRaw("POST", "/api/v1/departments", body, &admin,
                      {{"X-CSRF-Token", admin.csrf}, {"Content-Type", "application/json"}}),
        400, "INVALID_ARGUMENT", "http.body_not_object");
  }
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, WrongTypesAre400WithAFieldErrorEach) {
  const Session& admin = env().As("admin");
  const Snapshot before = Snap(env());
  Response r = env().Call("POST", "/api/v1/departments",
                          json::object{{"code", 12},
                                       {"name", true},
                                       {"parentId", 5},
                                       {"regionCode", json::array{"430100"}},
                                       {"level", nullptr}},
                          &admin);
  ASSERT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("code", "name", "parentId", "regionCode", "level"));
  const json::array fields = Obj(r).at("error").at("fields").as_array();
  EXPECT_EQ(Str(fields[0], "message"), "应为字符串");
  EXPECT_EQ(Str(fields[4], "message"), "必填");  // null counts as absent

  Response login = env().Call("POST", "/api/v1/auth/login",
                              json::object{{"username", 1}, {"password", json::object{}}});
  EXPECT_ERROR(login, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(login), ElementsAre("username", "password"));

  Response version = env().Call(
      "PUT", "/api/v1/departments/" + env().DepartmentId("HN-CS-YL"),
      json::object{{"name", "岳麓区政务服务中心"}, {"regionCode", "430104"}, {"version", "1"}},
      &admin);
  EXPECT_ERROR(version, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(version), ElementsAre("version"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, BodyOverTheLimitIs413) {
  const Session& admin = env().As("admin");
  const Snapshot before = Snap(env());
  json::object body = NewDepartmentBody();
  body["name"] = std::string(10240 * 1024, 'x');  // max_body_kb = 10240 by default (uploads)
  Response r = env().Call("POST", "/api/v1/departments", body, &admin);
  EXPECT_ERROR(r, 413, "RESOURCE_EXHAUSTED", "http.body_too_large");
  EXPECT_THAT(Str(Obj(r).at("error"), "message"), HasSubstr("10240 KB"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, UnknownApiPathIs404) {
  for (const char* target :
       {"/api/v1/nothing-here", "/api/v1/persons/x/y", "/api/v2/healthz", "/api/v1", "/api/"}) {
    SCOPED_TRACE(target);
    EXPECT_ERROR(env().Call("GET", target), 404, "NOT_FOUND", "http.not_found");
    EXPECT_ERROR(env().Call("GET", target, nullptr, &env().As("admin")), 404, "NOT_FOUND",
                 "http.not_found");
  }
  const Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/nothing-here", json::object{}, &env().As("admin")), 404,
               "NOT_FOUND", "http.not_found");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, WrongMethodIs405WithAllow) {
  const Snapshot before = Snap(env());
  Response r = env().Call("DELETE", "/api/v1/auth/me", nullptr, &env().As("admin"));
  EXPECT_ERROR(r, 405, "INVALID_ARGUMENT", "http.method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");

  r = env().Call("PATCH", "/api/v1/departments", json::object{}, &env().As("admin"));
  EXPECT_ERROR(r, 405, "INVALID_ARGUMENT", "http.method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD, POST");

  r = env().Call("GET", "/api/v1/auth/login");
  EXPECT_ERROR(r, 405, "INVALID_ARGUMENT", "http.method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "POST");

  r = env().Call("POST", "/api/v1/calendar/days/2026-10-01", json::object{}, &env().As("admin"));
  EXPECT_ERROR(r, 405, "INVALID_ARGUMENT", "http.method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "DELETE, PUT");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AuthRoutesTest, EveryResponseCarriesARequestIdAndNoStore) {
  for (Response r : {env().Call("GET", "/api/v1/auth/me", nullptr, &env().As("clerk")),
                     env().Call("GET", "/api/v1/auth/me"), env().Call("GET", "/api/v1/nope")}) {
    EXPECT_THAT(r.Header("X-Request-Id"), ::testing::StartsWith("test-"));
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  }
}

// Each operation that docs/openapi.json marks as needing the session cookie answers 401
// without one — checked for every route, so a new handler that forgets SignedIn() fails here —
// and the public ones answer without it.
TEST_P(AuthRoutesTest, EverySessionOperationRefusesAnonymousCallers) {
  boost::system::error_code ec;
  json::value doc = json::parse(http::OpenApiDocument(), ec);
  ASSERT_FALSE(ec);
  const Snapshot before = Snap(env());
  int checked = 0;
  for (const http::RouteInfo& route : env().app().router.Routes()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const json::value* op = nullptr;
    if (const json::value* path = doc.at("paths").as_object().if_contains(route.pattern)) {
      op = path->as_object().if_contains(method);
    }
    ASSERT_NE(op, nullptr) << route.method << " " << route.pattern << " is not documented";
    const json::value* security = op->as_object().if_contains("security");
    const bool needs_session =
        security != nullptr && security->is_array() && !security->as_array().empty();
    // Fill path parameters with plausible values.
    std::string target = route.pattern;
    for (auto [name, value] :
         {std::pair<std::string, std::string>{"{id}", "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
          {"{year}", "2026"},
          {"{date}", "2026-12-14"},
          {"{code}", "430100"}}) {
      if (std::size_t at = target.find(name); at != std::string::npos) {
        target.replace(at, name.size(), value);
      }
    }
    SCOPED_TRACE(route.method + " " + target);
    Response r = env().Call(route.method, target,
                            route.method == "GET" ? json::value(nullptr) : json::object{});
    if (route.pattern == "/api/v1/auth/login") {
      EXPECT_NE(r.status, 401);
    } else if (needs_session) {
      EXPECT_ERROR(r, 401, "UNAUTHENTICATED", "identity.unauthenticated");
    } else {
      // Public: answered without a session; 404 when the placeholder names nothing (an item),
      // 400 when it is not even of the right shape (a proof's verification code, an empty body).
      EXPECT_TRUE(r.status == 200 || r.status == 404 || r.status == 400)
          << r.status << " " << r.body;
    }
    ++checked;
  }
  EXPECT_GE(checked, 30);
  EXPECT_EQ(Snap(env()), before);
}

// Moves the suite's clock by hours: keep it the last test of the suite (it signs everyone in
// again at the end, so a test added after it would still work).
TEST_P(AuthRoutesTest, SessionEndsAfterTwoIdleHours) {
  constexpr Millis kMinute = 60'000;
  Session s = env().Login("reviewer", kDemoPassword);
  const std::int64_t sessions = env().db().Count("identity_session");
  // Each request within the idle window keeps the session alive…
  for (int i = 0; i < 3; ++i) {
    env().clock().Advance(119 * kMinute);
    ASSERT_STATUS(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 200) << "after " << i;
  }
  // …two hours without one end it, and the row goes.
  env().clock().Advance(120 * kMinute);
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.session_expired");
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_LT(env().db().Count("identity_session"), sessions);
  env().SignInAll();
}

INSTANTIATE_ROUTES_TEST(AuthRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
