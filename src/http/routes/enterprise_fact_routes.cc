// Enterprise data routes (企业数据): bulk imports of enterprise facts in the background, an
// enterprise's fact snapshot, 为我推荐 with explanations ("why not") and the author's 试算 (dry
// run of an unsaved rule). Registered only when the enterprise fact store and the match
// service are wired.
#include <boost/json.hpp>

#include "http/app_routes.h"
#include "http/enterprise_import_jobs.h"
#include "http/json_util.h"
#include "http/policy_json.h"
#include "policy/enterprise_service.h"
#include "policy/match_service.h"
#include "policy/policy_service.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::object JobJson(const policy::EnterpriseImport& j) {
  json::array errors;
  for (const policy::ImportRowError& e : j.errors) {
    errors.push_back(json::object{{"line", e.line}, {"message", e.message}});
  }
  return {{"id", j.id},
          {"fileName", j.file_name},
          {"format", j.format},
          {"source", j.source},
          {"asOf", j.as_of},
          {"status", j.status},
          {"statusName", j.status == "running" ? "导入中"
                         : j.status == "done"  ? "已完成"
                                               : "失败"},
          {"lines", j.lines},
          {"rowsOk", j.rows_ok},
          {"added", j.added},
          {"changed", j.changed},
          {"unchanged", j.unchanged},
          {"errorCount", j.error_count},
          {"errors", std::move(errors)},
          {"failure", j.failure},
          {"startedAt", IsoTimeCst(j.started_at_ms)},
          {"finishedAt",
           j.finished_at_ms ? json::value(IsoTimeCst(*j.finished_at_ms)) : json::value(nullptr)}};
}

json::value ValueJson(const policy::Value& v) {
  if (const bool* b = std::get_if<bool>(&v)) return *b;
  if (const double* d = std::get_if<double>(&v)) {
    const double whole = static_cast<double>(static_cast<std::int64_t>(*d));
    if (whole == *d && *d > -9e15 && *d < 9e15) return static_cast<std::int64_t>(*d);
    return *d;
  }
  if (const std::string* s = std::get_if<std::string>(&v)) return json::value(*s);
  return nullptr;
}

json::value OptFen(const std::optional<Fen>& f) {
  return f ? json::value(static_cast<std::int64_t>(*f)) : json::value(nullptr);
}

std::string_view ModeLabel(std::string_view mode) {
  if (mode == "exempt") return "免申即享";
  if (mode == "quick") return "快申快享";
  return "";
}

json::object RecommendationsJson(const std::string& enterprise_id,
                                 const std::vector<policy::Recommendation>& list) {
  json::array items;
  for (const policy::Recommendation& r : list) {
    items.push_back(json::object{{"itemId", r.item_id},
                                 {"itemTitle", r.item_title},
                                 {"mode", r.mode},
                                 {"modeName", ModeLabel(r.mode)},
                                 {"policyId", r.policy_id},
                                 {"policyTitle", r.policy_title},
                                 {"category", r.category},
                                 {"categoryName", policy::CategoryLabel(r.category)},
                                 {"ruleVersion", r.rule_version},
                                 {"eligible", r.eligible},
                                 {"amountFen", OptFen(r.amount_fen)},
                                 {"explanation", ExplanationJson(r.explanation)}});
  }
  return {{"enterpriseId", enterprise_id}, {"items", std::move(items)}};
}

// A rule or formula given as a JSON value or as a string holding JSON.
std::string JsonOrString(const json::object& body, std::string_view key, JsonReader& in) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_object() || v->is_array()) return json::serialize(*v);
  in.AddError(key, "应为 JSON 对象或字符串");
  return "";
}

// A rule / formula error reported on the request's field.
Error OnField(Error e, const std::string& field) {
  if (e.fields.empty()) e.fields.push_back({field, e.message});
  return e;
}

}  // namespace

void AddEnterpriseFactRoutes(Router& router, AppContext& app) {
  if (app.enterprises == nullptr || app.matches == nullptr || app.policies == nullptr ||
      app.enterprise_imports == nullptr) {
    return;
  }
  SessionGuard& guard = app.guard;
  policy::EnterpriseService& enterprises = *app.enterprises;
  policy::MatchService& matches = *app.matches;
  policy::PolicyService& policies = *app.policies;
  EnterpriseImportJobs& jobs = *app.enterprise_imports;

  // The file as the raw body (CSV or JSON lines); parameters in the query. 202: the job runs on.
  router.Add("POST", "/api/v1/enterprise-imports", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    policy::ImportOptions options;
    options.format = req.Query("format").value_or("csv");
    options.file_name = req.Query("fileName").value_or("");
    options.source = req.Query("source").value_or("");
    options.as_of = req.Query("asOf").value_or("");
    ASSIGN_OR_RETURN(policy::EnterpriseImport job, jobs.Start(actor, options, req.body));
    return JsonResponse(JobJson(job), 202);
  });

  router.Get("/api/v1/enterprise-imports", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(int limit, QueryInt(req, "limit", 20, 1, 100));
    ASSIGN_OR_RETURN(std::vector<policy::EnterpriseImport> list, enterprises.Jobs(actor, limit));
    json::array items;
    for (const policy::EnterpriseImport& j : list) items.push_back(JobJson(j));
    return json::object{{"items", std::move(items)}};
  });

  router.Get("/api/v1/enterprise-imports/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::EnterpriseImport job, enterprises.Job(actor, req.PathParam("id")));
    return JobJson(job);
  });

  router.Get("/api/v1/enterprises/{id}/facts", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(policy::FactSnapshot s, enterprises.Facts(actor, req.PathParam("id")));
    json::array facts;
    for (const policy::SourcedFact& f : s.facts) {
      const policy::FactDef* def = enterprises.schema().Find(f.fact);
      facts.push_back(json::object{{"fact", f.fact},
                                   {"label", def != nullptr ? def->label : f.fact},
                                   {"unit", def != nullptr ? def->unit : ""},
                                   {"value", ValueJson(f.value)},
                                   {"source", f.source},
                                   {"asOf", f.as_of}});
    }
    return json::object{{"enterpriseId", s.enterprise_id},
                        {"name", s.name},
                        {"facts", std::move(facts)},
                        {"takenAt", IsoTimeCst(s.taken_at_ms)}};
  });

  // 为我推荐: the signed-in enterprise's open items, eligible first, each with why (not).
  router.Get("/api/v1/me/policy-recommendations", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::string id, enterprises.EnterpriseIdOf(actor));
    ASSIGN_OR_RETURN(std::vector<policy::Recommendation> list, matches.Recommend(actor, id));
    return RecommendationsJson(id, list);
  });

  // The same for staff (parties.read), e.g. at the 政策兑现 counter.
  router.Get(
      "/api/v1/enterprises/{id}/policy-recommendations", [&](Request& req) -> Result<json::value> {
        ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
        const std::string id = req.PathParam("id");
        ASSIGN_OR_RETURN(std::vector<policy::Recommendation> list, matches.Recommend(actor, id));
        return RecommendationsJson(id, list);
      });

  // 试算: an unsaved rule and formula over every enterprise (catalog.manage).
  router.Post("/api/v1/policy-dry-run", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string rule_json = JsonOrString(body, "ruleJson", in);
    const std::string rule_text = in.String("ruleText", false);
    const std::string formula_json = JsonOrString(body, "formulaJson", in);
    const std::string formula_text = in.String("formulaText", false);
    const std::int64_t budget = in.Int("budgetFen", false, 0, INT64_MAX, 0);
    const int sample = static_cast<int>(in.Int("sample", false, 0, 100, 10));
    if (rule_json.empty() == rule_text.empty()) {
      in.AddError("ruleText", "请给出规则文本 ruleText 或 JSON ruleJson 之一");
    }
    if (formula_json.empty() == formula_text.empty()) {
      in.AddError("formulaText", "请给出公式文本 formulaText 或 JSON formulaJson 之一");
    }
    RETURN_IF_ERROR(in.Finish());
    const policy::FactSchema& schema = policies.schema();
    Result<policy::Cond> cond = rule_text.empty() ? policy::FromJsonText(rule_json, &schema)
                                                  : policy::ParseText(rule_text, schema);
    if (!cond.has_value())
      return OnField(cond.error(), rule_text.empty() ? "ruleJson" : "ruleText");
    Result<policy::Formula> formula = formula_text.empty()
                                          ? policy::FormulaFromJsonText(formula_json, &schema)
                                          : policy::ParseFormula(formula_text, schema);
    if (!formula.has_value()) {
      return OnField(formula.error(), formula_text.empty() ? "formulaJson" : "formulaText");
    }
    ASSIGN_OR_RETURN(policy::DryRunResult r,
                     matches.DryRun(actor, *cond, *formula, Fen{budget}, sample));
    auto sample_json = [&](const std::vector<policy::DryRunSample>& list) {
      json::array out;
      for (const policy::DryRunSample& s : list) {
        Result<policy::FactSnapshot> snap = enterprises.Snapshot(s.enterprise_id);
        out.push_back(json::object{{"enterpriseId", s.enterprise_id},
                                   {"name", snap.has_value() ? snap->name : ""},
                                   {"eligible", s.eligible},
                                   {"amountFen", OptFen(s.amount_fen)},
                                   {"explanation", ExplanationJson(s.explanation)}});
      }
      return out;
    };
    return json::object{{"enterprises", r.enterprises},
                        {"count", r.matching},
                        {"totalFen", static_cast<std::int64_t>(r.total_fen)},
                        {"amountMissing", r.amount_missing},
                        {"budgetFen", budget},
                        {"overBudget", r.over_budget},
                        {"sample", sample_json(r.matches)},
                        {"misses", sample_json(r.non_matches)}};
  });
}

}  // namespace onestop::http
