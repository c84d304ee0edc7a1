// The OpenAPI document (docs/openapi.json, embedded) against the real router: every route is
// documented, every documented operation is a route, and the document is served.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <regex>
#include <set>
#include <string>

#include "http/app_routes.h"
#include "routes/harness.h"
#include "store/db.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const std::set<std::string>& HttpMethods() {
  static const std::set<std::string> m = {"get",     "put",  "post",  "delete",
                                          "options", "head", "patch", "trace"};
  return m;
}

// An App on an empty migrated SQLite database: the route table does not depend on the data.
class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, store::Backend::kSqlite);
    Result<std::unique_ptr<store::Db>> db = store::Open(t_->url());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    app_ = std::make_unique<app::App>(app::Config{}, t_->clock(), std::move(db).value(),
                                      identity::PasswordHasher::FastForTest());
    boost::system::error_code ec;
    doc_ = json::parse(http::OpenApiDocument(), ec);
    ASSERT_FALSE(ec) << "docs/openapi.json does not parse: " << ec.message();
    ASSERT_TRUE(doc_.is_object());
    ASSERT_TRUE(doc_.as_object().contains("paths"));
  }

  const json::object& Paths() const { return doc_.at("paths").as_object(); }

  // "METHOD pattern" of every route.
  std::set<std::string> RouteOperations() const {
    std::set<std::string> out;
    for (const http::RouteInfo& r : app_->router.Routes()) out.insert(r.method + " " + r.pattern);
    return out;
  }

  // "METHOD pattern" of every documented operation.
  std::set<std::string> DocumentedOperations() const {
    std::set<std::string> out;
    for (const auto& path : Paths()) {
      if (!path.value().is_object()) continue;
      for (const auto& op : path.value().as_object()) {
        std::string method(op.key());
        if (HttpMethods().count(method) == 0) continue;
        std::transform(method.begin(), method.end(), method.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        out.insert(method + " " + std::string(path.key()));
      }
    }
    return out;
  }

  std::unique_ptr<testutil::TestDb> t_;
  std::unique_ptr<app::App> app_;
  json::value doc_;
};

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += "\n  " + s;
  return out;
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  std::set<std::string> missing;
  for (const http::RouteInfo& r : app_->router.Routes()) {
    const json::value* path = Paths().if_contains(r.pattern);
    if (path == nullptr || !path->is_object() || !path->as_object().contains(Lower(r.method))) {
      missing.insert(r.method + " " + r.pattern);
    }
  }
  EXPECT_TRUE(missing.empty()) << "routes missing from docs/openapi.json:" << Join(missing);
  EXPECT_GE(app_->router.Routes().size(), 30u);  // the API of docs/API.md, not an empty router
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  std::set<std::string> routes = RouteOperations();
  std::set<std::string> extra;
  for (const std::string& op : DocumentedOperations()) {
    if (routes.count(op) == 0) extra.insert(op);
  }
  EXPECT_TRUE(extra.empty()) << "documented in docs/openapi.json but not routed:" << Join(extra);
}

TEST_F(OpenApiTest, EveryRouteIsRegisteredOnce) {
  std::vector<http::RouteInfo> routes = app_->router.Routes();
  EXPECT_EQ(RouteOperations().size(), routes.size());
}

TEST_F(OpenApiTest, PathParametersAreDeclaredAndResponsesDescribed) {
  static const std::regex kParam(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  for (const auto& path : Paths()) {
    const std::string pattern(path.key());
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(pattern.begin(), pattern.end(), kParam);
         it != std::sregex_iterator(); ++it) {
      names.insert((*it)[1].str());
    }
    for (const auto& op : path.value().as_object()) {
      if (HttpMethods().count(std::string(op.key())) == 0) continue;
      const std::string where = std::string(op.key()) + " " + pattern;
      const json::object& operation = op.value().as_object();
      std::set<std::string> declared;
      if (const json::value* params = operation.if_contains("parameters")) {
        for (const json::value& p : params->as_array()) {
          if (Str(p, "in") == "path") {
            declared.insert(Str(p, "name"));
            const json::value* required = p.as_object().if_contains("required");
            EXPECT_TRUE(required != nullptr && required->is_bool() && required->as_bool())
                << where << ": path parameter " << Str(p, "name") << " must be required";
          }
        }
      }
      EXPECT_EQ(declared, names) << where << ": path parameters in the document";
      const json::value* responses = operation.if_contains("responses");
      ASSERT_NE(responses, nullptr) << where;
      EXPECT_TRUE(responses->as_object().contains("200") ||
                  responses->as_object().contains("201") ||
                  responses->as_object().contains("202"))  // 202: a job runs on (imports)
          << where << ": no 200 (or 201, 202) response";
    }
  }
}

// Every "$ref" names a component that exists.
void CheckRefs(const json::value& v, const json::object& components, std::set<std::string>& bad) {
  if (v.is_object()) {
    for (const auto& kv : v.as_object()) {
      if (kv.key() == "$ref" && kv.value().is_string()) {
        const std::string ref(kv.value().as_string());
        const std::string prefix = "#/components/";
        bool ok = ref.rfind(prefix, 0) == 0;
        if (ok) {
          const std::string rest = ref.substr(prefix.size());
          const std::size_t slash = rest.find('/');
          const json::value* group = components.if_contains(rest.substr(0, slash));
          ok = slash != std::string::npos && group != nullptr && group->is_object() &&
               group->as_object().contains(rest.substr(slash + 1));
        }
        if (!ok) bad.insert(ref);
      } else {
        CheckRefs(kv.value(), components, bad);
      }
    }
  } else if (v.is_array()) {
    for (const json::value& e : v.as_array()) CheckRefs(e, components, bad);
  }
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  ASSERT_TRUE(doc_.as_object().contains("components"));
  std::set<std::string> bad;
  CheckRefs(doc_, doc_.at("components").as_object(), bad);
  EXPECT_TRUE(bad.empty()) << "dangling $ref:" << Join(bad);
}

TEST_F(OpenApiTest, DocumentIsServed) {
  Request req;
  req.method = "GET";
  req.target = "/api/v1/openapi.json";
  FillTarget(req);
  req.request_id = "openapi-1";
  Response r = app_->router.Handle(req);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, http::OpenApiDocument());
  EXPECT_TRUE(r.content_type.rfind("application/json", 0) == 0) << r.content_type;
  json::value served = Json(r);
  EXPECT_EQ(Str(served, "openapi").substr(0, 2), "3.");
  EXPECT_TRUE(served.as_object().contains("paths"));
  // Anyone may read it: no session was sent.
}

}  // namespace
}  // namespace onestop::routes_test
