// System routes (src/http/routes/system_routes.cc): health and Prometheus metrics. The OpenAPI
// document is in openapi_test.cc, regions in identity_routes_test.cc, who may call them in
// system_authz_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

class SystemRoutesTest : public RoutesTest {};

// The value of the metric line starting with `prefix` ("name{labels}"), or 0.
std::int64_t MetricValue(const std::string& text, const std::string& prefix) {
  std::size_t at = 0;
  while ((at = text.find(prefix, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      const std::size_t space = at + prefix.size();
      if (space < text.size() && text[space] == ' ') {
        return std::stoll(text.substr(space + 1, text.find('\n', space) - space - 1));
      }
    }
    at += prefix.size();
  }
  return 0;
}

TEST_P(SystemRoutesTest, HealthzNamesTheDatabase) {
  Response r = env().Call("GET", "/api/v1/healthz");
  ASSERT_STATUS(r, 200);
  json::object h = Obj(r);
  EXPECT_EQ(Str(h, "status"), "ok");
  EXPECT_EQ(Str(h, "database"), GetParam() == store::Backend::kSqlite ? "sqlite" : "postgresql");
  EXPECT_GE(Int(h, "schemaVersion"), 3);  // 0001_identity … 0003_calendar
  EXPECT_EQ(Str(h, "version"), app::Version());
}

TEST_P(SystemRoutesTest, MetricsCountRequestsByRoutePattern) {
  const std::string ok_line =
      R"(onestop_http_requests_total{method="GET",route="/api/v1/persons/{id}",status="2xx"})";
  const std::string denied_line =
      R"(onestop_http_requests_total{method="GET",route="/api/v1/persons/{id}",status="4xx"})";
  Response before = env().Call("GET", "/metrics");
  ASSERT_STATUS(before, 200);
  EXPECT_THAT(before.content_type, HasSubstr("text/plain"));
  const std::int64_t ok0 = MetricValue(before.body, ok_line);
  const std::int64_t denied0 = MetricValue(before.body, denied_line);

  const std::string id = env().PersonId("张三");
  for (int i = 0; i < 3; ++i) {
    ASSERT_STATUS(env().Call("GET", Url("/api/v1/persons/" + id, {{"purpose", "指标测试核验"}}),
                             nullptr, &env().As("clerk")),
                  200);
  }
  EXPECT_ERROR(env().Call("GET", "/api/v1/persons/" + id, nullptr, &env().As("clerk")), 400,
               "INVALID_ARGUMENT", "identity.purpose_required");
  EXPECT_ERROR(env().Call("GET", "/api/v1/no-such-route"), 404, "NOT_FOUND", "http.not_found");

  Response after = env().Call("GET", "/metrics");
  ASSERT_STATUS(after, 200);
  EXPECT_THAT(after.body, HasSubstr("# TYPE onestop_http_requests_total counter"));
  EXPECT_EQ(MetricValue(after.body, ok_line), ok0 + 3) << after.body;
  EXPECT_EQ(MetricValue(after.body, denied_line), denied0 + 1);
  EXPECT_THAT(after.body, HasSubstr("onestop_http_request_duration_seconds_bucket{"));
  EXPECT_THAT(after.body, HasSubstr(R"x(route="(unmatched)")x"));
  // Labels are route patterns: no ids, purposes or unknown paths (bounded, no personal data).
  EXPECT_THAT(after.body, Not(HasSubstr(id)));
  EXPECT_THAT(after.body, Not(HasSubstr("no-such-route")));
}

TEST_P(SystemRoutesTest, HeadAnswersLikeGetWithoutABody) {
  Response get = env().Call("GET", "/api/v1/healthz");
  Response head = env().Call("HEAD", "/api/v1/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
}

INSTANTIATE_ROUTES_TEST(SystemRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
