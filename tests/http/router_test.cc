#include "http/router.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace onestop::http {
namespace {

Request MakeRequest(std::string method, std::string target, std::string body = "") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  Result<void> ok = ParseTarget(r);
  EXPECT_TRUE(ok.has_value()) << r.target;
  return r;
}

boost::json::object ErrorOf(const Response& r) {
  return boost::json::parse(r.body).at("error").as_object();
}

std::string Str(const boost::json::object& o, std::string_view key) {
  return std::string(o.at(key).as_string());
}

class RouterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { spdlog::set_level(spdlog::level::warn); }

  Response Call(std::string method, std::string target, std::string body = "") {
    Request r = MakeRequest(std::move(method), std::move(target), std::move(body));
    return router_.Handle(r);
  }

  Router router_;
};

TEST_F(RouterTest, JsonHandlerResultIs200Json) {
  router_.Get("/api/v1/healthz", [](Request&) -> Result<boost::json::value> {
    return boost::json::object{{"status", "ok"}};
  });
  Response r = Call("GET", "/api/v1/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
}

TEST_F(RouterTest, StaticSegmentWinsOverParameter) {
  router_.Get("/api/v1/users/{id}", [](Request& r) -> Result<boost::json::value> {
    return boost::json::object{{"id", r.PathParam("id")}};
  });
  router_.Get("/api/v1/users/me", [](Request&) -> Result<boost::json::value> {
    return boost::json::object{{"me", true}};
  });
  EXPECT_EQ(Call("GET", "/api/v1/users/me").body, R"({"me":true})");
  EXPECT_EQ(Call("GET", "/api/v1/users/42").body, R"({"id":"42"})");
  EXPECT_EQ(Call("GET", "/api/v1/users/42/").body, R"({"id":"42"})");  // trailing slash
  EXPECT_EQ(Call("GET", "/api/v1/users").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/users/42/x").status, 404);
}

TEST_F(RouterTest, PathParametersArePercentDecodedAfterSplitting) {
  std::string seen;
  std::string route;
  router_.Get("/api/v1/persons/{id}/cases/{case}", [&](Request& r) -> Result<boost::json::value> {
    seen = r.PathParam("id") + "|" + r.PathParam("case");
    route = r.route;
    return boost::json::object{};
  });
  Response r = Call("GET", "/api/v1/persons/%E5%BC%A0%2F1/cases/a+b?x=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen, "张/1|a+b");  // %2F stays inside the parameter; '+' is literal in a path
  EXPECT_EQ(route, "/api/v1/persons/{id}/cases/{case}");
}

TEST_F(RouterTest, UnknownApiPathIs404InErrorShape) {
  Request req = MakeRequest("GET", "/api/v1/nope");
  req.request_id = "rid-404";
  Response r = router_.Handle(req);
  EXPECT_EQ(r.status, 404);
  boost::json::object e = ErrorOf(r);
  EXPECT_EQ(Str(e, "code"), "NOT_FOUND");
  EXPECT_EQ(Str(e, "reason"), "http.not_found");
  EXPECT_EQ(Str(e, "message"), "请求的接口不存在");
  EXPECT_TRUE(e.at("fields").as_array().empty());
  EXPECT_EQ(r.Header("X-Request-Id"), "rid-404");
}

TEST_F(RouterTest, WrongMethodIs405WithAllowHeader) {
  router_.Get("/api/v1/things", [](Request&) -> Result<boost::json::value> { return nullptr; });
  router_.Delete("/api/v1/things", [](Request&) -> Result<boost::json::value> { return nullptr; });
  Response r = Call("POST", "/api/v1/things");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "DELETE, GET, HEAD");
  EXPECT_EQ(Str(ErrorOf(r), "reason"), "http.method_not_allowed");
  EXPECT_EQ(Str(ErrorOf(r), "message"), "不支持该请求方法");
  EXPECT_EQ(Call("BREW", "/api/v1/things").status, 405);
}

TEST_F(RouterTest, HeadOnGetRouteAnswersLikeGetWithoutBody) {
  int calls = 0;
  router_.Get("/api/v1/items/{id}", [&](Request&) -> Result<boost::json::value> {
    ++calls;
    return boost::json::object{{"name", "营业执照"}};
  });
  Response get = Call("GET", "/api/v1/items/1");
  Response head = Call("HEAD", "/api/v1/items/1");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_type, get.content_type);
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
}

TEST_F(RouterTest, BodyOverLimitIs413) {
  bool called = false;
  router_.Post("/api/v1/upload", [&](Request&) -> Result<boost::json::value> {
    called = true;
    return nullptr;
  });
  router_.SetMaxBodyBytes(1000);
  Response r = Call("POST", "/api/v1/upload", std::string(1001, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_FALSE(called);
  boost::json::object e = ErrorOf(r);
  EXPECT_EQ(Str(e, "code"), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(Str(e, "reason"), "http.body_too_large");
  EXPECT_EQ(Str(e, "message"), "请求体过大（上限 1 KB）");
  EXPECT_EQ(Call("POST", "/api/v1/upload", std::string(1000, 'x')).status, 200);
}

TEST_F(RouterTest, MiddlewareRunsInOrderAndCanShortCircuit) {
  std::vector<std::string> log;
  bool handler_called = false;
  router_.Use([&](Request& r) -> Result<void> {
    log.push_back("first " + r.route);
    return Ok();
  });
  router_.Use([&](Request& r) -> Result<void> {
    log.push_back("second " + r.PathParam("id"));
    if (r.Cookie("onestop_session") != "good") {
      return Unauthenticated("identity.unauthenticated", "请先登录");
    }
    return Ok();
  });
  router_.Get("/api/v1/cases/{id}", [&](Request&) -> Result<boost::json::value> {
    handler_called = true;
    return boost::json::object{};
  });

  Response denied = Call("GET", "/api/v1/cases/7");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(Str(ErrorOf(denied), "reason"), "identity.unauthenticated");
  EXPECT_FALSE(handler_called);
  EXPECT_EQ(log, (std::vector<std::string>{"first /api/v1/cases/{id}", "second 7"}));

  Request ok = MakeRequest("GET", "/api/v1/cases/7");
  ok.headers["cookie"] = "theme=dark; onestop_session=good";
  EXPECT_EQ(router_.Handle(ok).status, 200);
  EXPECT_TRUE(handler_called);
}

TEST_F(RouterTest, ErrorResultMapsToStatusAndFields) {
  router_.Post("/api/v1/cases/{id}/accept", [](Request&) -> Result<boost::json::value> {
    return FailedPrecondition("cases.not_submitted", "只有已提交的办件可以受理")
        .WithField("state", "应为已提交");
  });
  Response r = Call("POST", "/api/v1/cases/1/accept");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(
      boost::json::serialize(boost::json::parse(r.body)),
      R"({"error":{"code":"FAILED_PRECONDITION","reason":"cases.not_submitted",)"
      R"("message":"只有已提交的办件可以受理","fields":[{"field":"state","message":"应为已提交"}]}})");
}

TEST_F(RouterTest, ExceptionBecomes500WithRequestId) {
  router_.Get("/api/v1/boom", [](Request&) -> Result<boost::json::value> {
    throw std::runtime_error("database exploded");
  });
  Request req = MakeRequest("GET", "/api/v1/boom");
  req.request_id = "abc123";
  Response r = router_.Handle(req);
  EXPECT_EQ(r.status, 500);
  boost::json::object e = ErrorOf(r);
  EXPECT_EQ(Str(e, "code"), "INTERNAL");
  EXPECT_EQ(Str(e, "reason"), "http.internal");
  EXPECT_EQ(Str(e, "message"), "服务器内部错误，请稍后重试（请求编号 abc123）");
  EXPECT_EQ(r.Header("X-Request-Id"), "abc123");
  EXPECT_EQ(r.body.find("exploded"), std::string::npos);  // details only in the log
}

TEST_F(RouterTest, ExceptionInMiddlewareBecomes500) {
  router_.Use([](Request&) -> Result<void> { throw 42; });
  router_.Get("/api/v1/x", [](Request&) -> Result<boost::json::value> { return nullptr; });
  EXPECT_EQ(Call("GET", "/api/v1/x").status, 500);
}

TEST_F(RouterTest, FallbackServesNonApiPathsOnly) {
  router_.SetFallback([](Request& r) -> Result<Response> {
    Response res;
    res.content_type = "text/html; charset=utf-8";
    res.body = "ui:" + r.path;
    return res;
  });
  Response ui = Call("GET", "/cases/12");
  EXPECT_EQ(ui.status, 200);
  EXPECT_EQ(ui.body, "ui:/cases/12");
  EXPECT_EQ(ui.Header("Cache-Control"), "");  // the fallback decides about caching
  EXPECT_EQ(Call("GET", "/api/v1/unknown").status, 404);
  EXPECT_EQ(Call("GET", "/api").status, 404);
}

TEST_F(RouterTest, WithoutFallbackEverythingUnknownIs404) {
  EXPECT_EQ(Call("GET", "/").status, 404);
}

TEST_F(RouterTest, RawHandlerControlsTheResponse) {
  router_.Add("POST", "/api/v1/auth/logout", [](Request&) -> Result<Response> {
    Response r = JsonResponse(boost::json::object{{"ok", true}});
    r.headers.emplace_back("Set-Cookie", "onestop_session=; Max-Age=0; Path=/");
    r.status = 201;
    return r;
  });
  Response r = Call("POST", "/api/v1/auth/logout");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.Header("Set-Cookie"), "onestop_session=; Max-Age=0; Path=/");
}

TEST_F(RouterTest, GeneratesRequestIdWhenMissing) {
  router_.Get("/api/v1/id", [](Request& r) -> Result<boost::json::value> {
    return boost::json::value(r.request_id);
  });
  Response r = Call("GET", "/api/v1/id");
  EXPECT_EQ(r.Header("X-Request-Id").size(), 16u);
  EXPECT_EQ(r.body, "\"" + r.Header("X-Request-Id") + "\"");
}

TEST_F(RouterTest, MetricsCountRequestsByRoutePattern) {
  router_.Get("/api/v1/users/{id}", [](Request&) -> Result<boost::json::value> { return nullptr; });
  (void)Call("GET", "/api/v1/users/1");
  (void)Call("GET", "/api/v1/users/2");
  (void)Call("POST", "/api/v1/users/2");
  (void)Call("GET", "/api/v1/missing");
  const std::string text = router_.metrics().Render();
  EXPECT_NE(text.find(R"(onestop_http_requests_total{method="GET",route="/api/v1/users/{id}",)"
                      R"(status="2xx"} 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(onestop_http_requests_total{method="POST",route="/api/v1/users/{id}",)"
                      R"(status="4xx"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"m(onestop_http_requests_total{method="GET",route="(unmatched)",)m"
                      R"(status="4xx"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(onestop_http_request_duration_seconds_bucket{method="GET",)"
                      R"(route="/api/v1/users/{id}",le="+Inf"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(onestop_http_request_duration_seconds_count{method="GET",)"
                      R"(route="/api/v1/users/{id}"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE onestop_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("onestop_build_info{"), std::string::npos);
  EXPECT_EQ(text.find("/api/v1/users/1"), std::string::npos);  // raw paths never become labels
}

TEST(MetricsTest, BuildInfoLabelsAndCollectorsAndEscaping) {
  Metrics m;
  m.SetBuildInfo({{"version", "1.2.3"}, {"database", "sqlite"}});
  m.AddCollector([](std::string& out) { out += "# TYPE onestop_db_up gauge\nonestop_db_up 1\n"; });
  m.Record("GET", "/a\"b", 200, std::chrono::microseconds(1500));
  m.Record("FROB", "/x", 503, std::chrono::microseconds(7'000'000));
  const std::string text = m.Render();
  EXPECT_NE(text.find(R"(onestop_build_info{database="sqlite",version="1.2.3"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("onestop_db_up 1\n"), std::string::npos);
  EXPECT_NE(text.find(R"(route="/a\"b")"), std::string::npos);
  EXPECT_NE(text.find(R"(method="OTHER",route="/x",status="5xx"} 1)"), std::string::npos);
  // 1.5 ms falls in the 0.0025 bucket, not in 0.001.
  EXPECT_NE(text.find(R"(route="/a\"b",le="0.001"} 0)"), std::string::npos);
  EXPECT_NE(text.find(R"(route="/a\"b",le="0.0025"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(route="/x",le="5"} 0)"), std::string::npos);
  EXPECT_NE(text.find(R"(route="/x",le="+Inf"} 1)"), std::string::npos);
}

TEST_F(RouterTest, RoutesListsRegistrationsAndRejectsDuplicates) {
  router_.Get("/api/v1/a/{id}", [](Request&) -> Result<boost::json::value> { return nullptr; });
  router_.Put("/api/v1/a/{id}", [](Request&) -> Result<boost::json::value> { return nullptr; });
  std::vector<RouteInfo> routes = router_.Routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1].method, "PUT");
  EXPECT_EQ(routes[1].pattern, "/api/v1/a/{id}");
  auto noop = [](Request&) -> Result<boost::json::value> { return nullptr; };
  EXPECT_THROW(router_.Get("/api/v1/a/{other}", noop), std::logic_error);
  EXPECT_THROW(router_.Get("api/v1/b", noop), std::logic_error);
  EXPECT_THROW(router_.Get("/api/{x}/{x}", noop), std::logic_error);
  EXPECT_THROW(router_.Get("/api/a{x}", noop), std::logic_error);
}

TEST(ErrorMappingTest, EveryCodeHasItsStatus) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kAborted), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
}

TEST(MessageTest, CookieParsing) {
  Request r;
  r.headers["Cookie"] = "a=1;onestop_session=\"tok en\" ;  b = 2 ; flag; onestop_session=later";
  EXPECT_EQ(r.Cookie("a"), "1");
  EXPECT_EQ(r.Cookie("onestop_session"), "tok en");
  EXPECT_EQ(r.Cookie("b"), "2");
  EXPECT_EQ(r.Cookie("flag"), std::nullopt);
  EXPECT_EQ(r.Cookie("missing"), std::nullopt);
  EXPECT_EQ(Request().Cookie("a"), std::nullopt);
}

TEST(MessageTest, HeadersAreCaseInsensitive) {
  Request r;
  r.headers["X-CSRF-Token"] = "t";
  EXPECT_EQ(r.Header("x-csrf-token"), "t");
  EXPECT_EQ(r.Header("absent"), "");
  Response res;
  res.SetHeader("Cache-Control", "a");
  res.SetHeader("cache-control", "b");
  res.headers.emplace_back("Set-Cookie", "x=1");
  res.headers.emplace_back("Set-Cookie", "y=2");
  EXPECT_EQ(res.Header("CACHE-CONTROL"), "b");
  EXPECT_EQ(res.headers.size(), 3u);
  res.SetHeader("Content-Type", "text/plain");
  EXPECT_EQ(res.content_type, "text/plain");
}

TEST(MessageTest, ParseTargetDecodesPathAndQuery) {
  Request r;
  r.target = "/api/v1/persons?q=%E5%BC%A0+%E4%B8%89&page=2&tag=a&tag=b&empty";
  ASSERT_TRUE(ParseTarget(r).has_value());
  EXPECT_EQ(r.path, "/api/v1/persons");
  EXPECT_EQ(r.Query("q"), "张 三");
  EXPECT_EQ(r.Query("page"), "2");
  EXPECT_EQ(r.query.count("tag"), 2u);
  EXPECT_EQ(r.Query("empty"), "");
  EXPECT_EQ(r.Query("none"), std::nullopt);

  Request bad;
  bad.target = "http://evil.example/x";
  Result<void> res = ParseTarget(bad);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().reason, "http.bad_target");
  bad.target = "/a%00b";
  EXPECT_FALSE(ParseTarget(bad).has_value());
}

TEST(MessageTest, ParseTargetPlainPathsDecodeToThemselves) {
  // ParseTarget's fast path (no '%', no '?') must agree with the URL parser it skips.
  for (const char* target : {"/", "//a", "/api/v1/auth/me", "/a/b;c=d/@x:y/~!$&'()*+,=-._"}) {
    Request r;
    r.target = target;
    r.query.emplace("stale", "x");
    ASSERT_TRUE(ParseTarget(r).has_value()) << target;
    EXPECT_EQ(r.path, target);
    EXPECT_TRUE(r.query.empty()) << target;
  }
  for (const char* target : {"/a b", "/\xE5\xBC\xA0", "/a\"b", "/a#b", "/a\\b", "/a{b}"}) {
    Request r;
    r.target = target;
    EXPECT_FALSE(ParseTarget(r).has_value()) << target;
  }
  Request escaped;
  escaped.target = "/persons/%E5%BC%A0";
  ASSERT_TRUE(ParseTarget(escaped).has_value());
  EXPECT_EQ(escaped.path, "/persons/张");
}

TEST(MessageTest, RequestIdsAndDates) {
  EXPECT_TRUE(IsSaneRequestId("req-1_2.3:4"));
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId("a b"));
  EXPECT_FALSE(IsSaneRequestId("a\nb"));
  EXPECT_FALSE(IsSaneRequestId(std::string(65, 'a')));
  EXPECT_NE(NewRequestId(), NewRequestId());
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(PercentDecode("%E5%BC%A0%zz%4"), "张%zz%4");
}

}  // namespace
}  // namespace onestop::http
