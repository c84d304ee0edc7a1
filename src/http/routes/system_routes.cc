// System routes: health, metrics, the OpenAPI document, and the region table.
#include <boost/json.hpp>

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

json::object RegionJson(const Region& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"fullName", r.full_name},
          {"level", RegionLevelCode(r.level)},
          {"hasChildren", r.level != Region::Level::kCounty && !ChildRegions(r.code).empty()}};
}

}  // namespace

void AddSystemRoutes(Router& router, AppContext& app) {
  router.Get("/api/v1/healthz", [&app](Request&) -> Result<json::value> {
    ASSIGN_OR_RETURN(int schema, store::SchemaVersion(app.db));
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
