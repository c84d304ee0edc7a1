// Catalogue routes (事项目录, 一件事): public reads for the portal (search, guide, QR code, plan
// for situation answers) and, for catalog.manage, saving items and bundles, retiring items and
// importing / exporting the exchange format (docs/catalog-format.md).
#include <boost/json.hpp>
#include <map>

#include "catalog/catalog_json.h"
#include "catalog/catalog_service.h"
#include "catalog/qr_svg.h"
#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

using DepartmentNames = std::map<std::string, std::string>;  // code → name

// Names of every department by code (the org chart is public).
DepartmentNames LoadDepartmentNames(identity::DepartmentService& departments) {
  DepartmentNames names;
  Result<std::vector<identity::Department>> all = departments.List(identity::Principal::System());
  if (all.has_value()) {
    for (const identity::Department& d : *all) names.emplace(d.code, d.name);
  }
  return names;
}

std::string NameOf(const DepartmentNames& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? "" : it->second;
}

// Labels of the coded fields, for pages.
json::object Labels(const catalog::Item& item, const DepartmentNames& departments) {
  json::array objects, forms;
  for (int c : item.service_objects) objects.emplace_back(catalog::ServiceObjectName(c));
  for (int c : item.handling_forms) forms.emplace_back(catalog::HandlingFormName(c));
  return {{"department", NameOf(departments, item.department_code)},
          {"itemType", catalog::ItemTypeName(item.item_type)},
          {"level", catalog::LevelName(item.level)},
          {"caseType", catalog::CaseTypeName(item.case_type)},
          {"onlineDepth", catalog::DepthName(item.online_depth)},
          {"serviceObjects", std::move(objects)},
          {"handlingForms", std::move(forms)}};
}

json::object ItemSummaryJson(const catalog::Item& item, const DepartmentNames& departments) {
  json::object full = catalog::ItemToJson(item);
  json::object o;
  for (const char* key : {"code", "basicCode", "version", "name", "departmentCode", "itemType",
                          "level", "serviceObjects", "handlingForms", "caseType", "statutoryLimit",
                          "promisedLimit", "charged", "onlineDepth", "visits"}) {
    o[key] = full.at(key);
  }
  o["materialCount"] = item.materials.size();
  o["labels"] = Labels(item, departments);
  return o;
}

json::object ItemDetailJson(const catalog::Item& item, const DepartmentNames& departments) {
  json::object o = catalog::ItemToJson(item);
  o["labels"] = Labels(item, departments);
  return o;
}

json::object BundleSummaryJson(const catalog::Bundle& b, const DepartmentNames& departments) {
  return {{"code", b.code},
          {"version", b.version},
          {"name", b.name},
          {"category", b.category},
          {"description", b.description},
          {"departmentCode", b.department_code},
          {"departmentName", NameOf(departments, b.department_code)},
          {"itemCount", b.items.size()},
          {"situationCount", b.situations.size()}};
}

// The bundle with the name and department of each of its items (current versions).
json::object BundleDetailJson(const catalog::Bundle& b, const std::vector<catalog::Item>& items,
                              const DepartmentNames& departments) {
  json::object o = catalog::BundleToJson(b);
  o["departmentName"] = NameOf(departments, b.department_code);
  json::array details;
  for (const catalog::Item& item : items) {
    details.push_back(json::object{{"code", item.code},
                                   {"name", item.name},
                                   {"version", item.version},
                                   {"departmentCode", item.department_code},
                                   {"departmentName", NameOf(departments, item.department_code)},
                                   {"promisedLimit", catalog::ItemToJson(item).at("promisedLimit")},
                                   {"visits", item.visits}});
  }
  o["itemDetails"] = std::move(details);
  return o;
}

json::object ImportReportJson(const catalog::ImportReport& r) {
  return {{"itemsNew", r.items_new},
          {"itemsNewVersion", r.items_new_version},
          {"itemsUnchanged", r.items_unchanged},
          {"bundlesNew", r.bundles_new},
          {"bundlesNewVersion", r.bundles_new_version},
          {"bundlesUnchanged", r.bundles_unchanged}};
}

// The request body as a JSON value (an object), with the path's code filled in or checked.
Result<json::value> BodyWithCode(const Request& req, const std::string& code) {
  ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
  json::value* given = body.if_contains("code");
  if (given == nullptr || given->is_null()) {
    body["code"] = code;
  } else if (!given->is_string() || given->get_string() != code) {
    return InvalidArgument("catalog.code_mismatch", "请求体中的 code 与路径中的编码不一致")
        .WithField("code", "应为 " + code);
  }
  return json::value(std::move(body));
}

// "<scheme>://<host>" of the request, for links in QR codes. kInvalidArgument catalog.bad_host
// for a missing or odd Host header (it ends up in a link people scan).
Result<std::string> BaseUrl(const Request& req) {
  const std::string host = req.Header("Host");
  const bool ok = !host.empty() && host.size() <= 255 &&
                  host.find_first_not_of(
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789.-:[]") == std::string::npos;
  if (!ok) return InvalidArgument("catalog.bad_host", "请求的 Host 头无效，无法生成二维码链接");
  const std::string proto = req.Header("X-Forwarded-Proto");
  return (proto == "https" ? "https://" : "http://") + host;
}

Response SvgResponse(std::string svg) {
  Response r;
  r.content_type = "image/svg+xml";
  r.body = std::move(svg);
  r.SetHeader("Cache-Control", "public, max-age=300");
  return r;
}

Result<int> VersionParam(const Request& req) { return QueryInt(req, "version", 0, 0, 1'000'000); }

}  // namespace

void AddCatalogRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  catalog::CatalogService& catalog = app.catalog;
  identity::DepartmentService& departments = app.identity.departments;

  // --- public reads ------------------------------------------------------------------------
  router.Get("/api/v1/catalog/items", [&](Request& req) -> Result<json::value> {
    catalog::ItemQuery q;
    q.text = req.Query("q").value_or("");
    q.department_code = req.Query("department").value_or("");
    ASSIGN_OR_RETURN(int object, QueryInt(req, "object", 0, 0, 6));
    if (object != 0) q.service_object = object;
    ASSIGN_OR_RETURN(q.offset, QueryInt(req, "offset", 0, 0, 1'000'000'000));
    ASSIGN_OR_RETURN(q.limit, QueryInt(req, "limit", 20, 1, 100));
    ASSIGN_OR_RETURN(catalog::ItemPage page, catalog.SearchItems(q));
    const DepartmentNames names = LoadDepartmentNames(departments);
    json::array items;
    for (const catalog::Item& item : page.items) items.push_back(ItemSummaryJson(item, names));
    return json::object{{"items", std::move(items)}, {"total", page.total}};
  });

  router.Get("/api/v1/catalog/items/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(int version, VersionParam(req));
    ASSIGN_OR_RETURN(catalog::Item item, catalog.GetItem(req.PathParam("code"), version));
    return ItemDetailJson(item, LoadDepartmentNames(departments));
  });

  router.Add("GET", "/api/v1/catalog/items/{code}/qr.svg", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(catalog::Item item, catalog.GetItem(req.PathParam("code")));
    ASSIGN_OR_RETURN(std::string base, BaseUrl(req));
    ASSIGN_OR_RETURN(std::string svg, catalog::QrSvg(base + "/guide/item/" + item.code));
    return SvgResponse(std::move(svg));
  });

  router.Get("/api/v1/catalog/bundles", [&](Request&) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::vector<catalog::Bundle> bundles, catalog.ListBundles());
    const DepartmentNames names = LoadDepartmentNames(departments);
    json::array items;
    for (const catalog::Bundle& b : bundles) items.push_back(BundleSummaryJson(b, names));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/catalog/bundles/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(int version, VersionParam(req));
    ASSIGN_OR_RETURN(catalog::Bundle bundle, catalog.GetBundle(req.PathParam("code"), version));
    ASSIGN_OR_RETURN(std::vector<catalog::Item> items, catalog.ItemsOf(bundle));
    return BundleDetailJson(bundle, items, LoadDepartmentNames(departments));
  });

  router.Post("/api/v1/catalog/bundles/{code}/plan", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    catalog::Answers answers;
    if (const json::value* a = body.if_contains("answers"); a != nullptr && !a->is_null()) {
      ASSIGN_OR_RETURN(answers, catalog::AnswersFromJson(*a));
    }
    for (const auto& [key, value] : body) {
      if (key != "answers") {
        return InvalidArgument("http.invalid_body", "请求参数有误")
            .WithField(std::string(key), "未知的键（应为 answers）");
      }
    }
    ASSIGN_OR_RETURN(catalog::PlannedBundle planned,
                     catalog.PlanOf(req.PathParam("code"), answers));
    json::object o = catalog::PlanToJson(planned.plan, planned.items);
    o["bundle"] = json::object{{"code", planned.bundle.code},
                               {"version", planned.bundle.version},
                               {"name", planned.bundle.name}};
    return o;
  });

  // The plan of an unsaved bundle (the editor's live graph and figures); writes nothing. Field
  // errors are relative to the body: "bundle.items[0].when[0]", "answers.<situation>".
  router.Post("/api/v1/catalog/plan-preview", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    // Refused before the body is read: a clerk learns nothing about the catalogue's rules.
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    for (const auto& [key, value] : body) {
      if (key != "bundle" && key != "answers") {
        return InvalidArgument("http.invalid_body", "请求参数有误")
            .WithField(std::string(key), "未知的键（应为 bundle、answers）");
      }
    }
    catalog::Answers answers;
    if (const json::value* a = body.if_contains("answers"); a != nullptr && !a->is_null()) {
      ASSIGN_OR_RETURN(answers, catalog::AnswersFromJson(*a));
    }
    const json::value* given = body.if_contains("bundle");
    if (given == nullptr || !given->is_object()) {
      return InvalidArgument("http.invalid_body", "请求参数有误")
          .WithField("bundle", "应为一件事（交换格式的对象）");
    }
    // The bundle's own errors (reading, validation) are placed under "bundle.".
    auto under_bundle = [](Error e) {
      for (FieldError& f : e.fields) f.field = f.field.empty() ? "bundle" : "bundle." + f.field;
      return e;
    };
    Result<catalog::Bundle> bundle = catalog::BundleFromJson(*given);
    if (!bundle.has_value()) return under_bundle(std::move(bundle).error());
    Result<catalog::PlannedBundle> planned = catalog.PreviewPlan(actor, *bundle, answers);
    if (!planned.has_value()) {
      Error e = std::move(planned).error();
      return e.reason == "catalog.invalid_bundle" ? under_bundle(std::move(e)) : e;
    }
    json::object o = catalog::PlanToJson(planned->plan, planned->items);
    o["bundle"] = json::object{{"code", planned->bundle.code},
                               {"version", planned->bundle.version},
                               {"name", planned->bundle.name}};
    return o;
  });

  router.Add("GET", "/api/v1/catalog/bundles/{code}/qr.svg", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(catalog::Bundle bundle, catalog.GetBundle(req.PathParam("code")));
    ASSIGN_OR_RETURN(std::string base, BaseUrl(req));
    ASSIGN_OR_RETURN(std::string svg, catalog::QrSvg(base + "/guide/bundle/" + bundle.code));
    return SvgResponse(std::move(svg));
  });

  // --- administration (catalog.manage) -----------------------------------------------------
  router.Put("/api/v1/catalog/items/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::value body, BodyWithCode(req, req.PathParam("code")));
    ASSIGN_OR_RETURN(catalog::Item item, catalog::ItemFromJson(body));
    ASSIGN_OR_RETURN(catalog::Item saved, catalog.SaveItem(actor, item));
    return ItemDetailJson(saved, LoadDepartmentNames(departments));
  });

  router.Post("/api/v1/catalog/items/{code}/retire", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const int version = static_cast<int>(in.Int("version", true, 1, 1'000'000));
    const std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(catalog::Item item,
                     catalog.RetireItem(actor, req.PathParam("code"), version, reason));
    return json::object{{"code", item.code}, {"version", item.version}, {"retired", true}};
  });

  router.Put("/api/v1/catalog/bundles/{code}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::value body, BodyWithCode(req, req.PathParam("code")));
    ASSIGN_OR_RETURN(catalog::Bundle bundle, catalog::BundleFromJson(body));
    ASSIGN_OR_RETURN(catalog::Bundle saved, catalog.SaveBundle(actor, bundle));
    ASSIGN_OR_RETURN(std::vector<catalog::Item> items, catalog.ItemsOf(saved));
    return BundleDetailJson(saved, items, LoadDepartmentNames(departments));
  });

  router.Post("/api/v1/catalog/import", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    // Only the content type is checked here: syntax errors are the import's, with their line.
    Result<json::object> shape = ParseJsonBody(req);
    if (!shape.has_value() && shape.error().reason == "http.unsupported_media_type") {
      return std::move(shape).error();
    }
    ASSIGN_OR_RETURN(catalog::ImportReport report, catalog.Import(actor, req.body));
    return ImportReportJson(report);
  });

  router.Add("GET", "/api/v1/catalog/export", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string text, catalog.Export(actor));
    Response r;
    r.body = std::move(text);
    r.SetHeader("Content-Disposition", "attachment; filename=\"catalog.json\"");
    return r;
  });
}

}  // namespace onestop::http
