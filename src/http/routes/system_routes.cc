// System routes: health, metrics, the OpenAPI document, and the region table.
#include <atomic>
#include <boost/json.hpp>
#include <limits>
#include <memory>

#include "core/region.h"
#include "http/app_routes.h"
#include "http/json_util.h"
#include "store/migrate.h"

namespace onestop::http {
namespace json = boost::json;
namespace {

const char* RegionLevelCode(Region::Level l) {
  switch (l) {
    case Region::Level::kProvince:
      return "province";
    case Region::Level::kCity:
      return "city";
    case Region::Level::kCounty:
      return "county";
  }
  return "";
}

// The schema version healthz reports, read from store_migration at most once a second: a
// migration run by another node shows within a second, while every probe still checks that
// the database answers. Thread-safe; two threads may both refresh, which is harmless.
class SchemaVersionCache {
 public:
  Result<int> Get(store::Db& db, const Clock& clock) {
    const Millis now = clock.NowMs();
    const Millis read_at = read_at_ms_.load(std::memory_order_acquire);
    if (read_at != kNever && now >= read_at && now - read_at < kMaxAgeMs) {
      RETURN_IF_ERROR(store::Ping(db));
      return version_.load(std::memory_order_relaxed);
    }
    ASSIGN_OR_RETURN(int version, store::AppliedSchemaVersion(db));
    version_.store(version, std::memory_order_relaxed);
    read_at_ms_.store(now, std::memory_order_release);
    return version;
  }

 private:
  static constexpr Millis kMaxAgeMs = 1000;
  static constexpr Millis kNever = std::numeric_limits<Millis>::min();
  std::atomic<int> version_{0};
  std::atomic<Millis> read_at_ms_{kNever};
};

json::object RegionJson(const Region& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"fullName", r.full_name},
          {"level", RegionLevelCode(r.level)},
          {"hasChildren", r.level != Region::Level::kCounty && !ChildRegions(r.code).empty()}};
}

}  // namespace

void AddSystemRoutes(Router& router, AppContext& app) {
  // Load balancers probe this all the time: keep it to one SELECT 1 per request.
  auto schema_version = std::make_shared<SchemaVersionCache>();
  router.Get("/api/v1/healthz", [&app, schema_version](Request&) -> Result<json::value> {
    ASSIGN_OR_RETURN(int schema, schema_version->Get(app.db, app.clock));
    return json::object{{"status", "ok"},
                        {"database", store::BackendName(app.db.backend())},
                        {"schemaVersion", schema},
                        {"version", app.version}};
  });

  router.Add("GET", "/metrics", [&router](Request&) -> Result<Response> {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = router.metrics().Render();
    return r;
  });

  router.Add("GET", "/api/v1/openapi.json", [](Request&) -> Result<Response> {
    Response r;
    r.body = OpenApiDocument();
    return r;
  });

  router.Get("/api/v1/regions", [](Request& req) -> Result<json::value> {
    std::string parent = req.Query("parent").value_or("");
    if (!parent.empty()) RETURN_IF_ERROR(ValidateRegionCode(parent));
    json::array items;
    for (const Region* r : ChildRegions(parent)) items.push_back(RegionJson(*r));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/regions/{code}", [](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(const Region* r, ValidateRegionCode(req.PathParam("code")));
    return RegionJson(*r);
  });
}

}  // namespace onestop::http
