// Policy library routes (政策超市 / 政策库): public search and detail of published policies with
// their declarable items and the rule in force, the declared facts, the rule builder's text ↔
// JSON round trip and the formula parser, and the policy authors' editor (catalog.manage):
// create / update / publish / retire policies, add / update items, an item's rule versions.
#include <boost/json.hpp>
#include <map>

#include "http/app_routes.h"
#include "http/json_util.h"
#include "policy/formula.h"
#include "policy/match_service.h"
#include "policy/policy_service.h"
#include "policy/rule.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

using DepartmentNames = std::map<std::string, std::string>;  // id → name

// Names of every department by id (the org chart is public).
DepartmentNames LoadDepartmentNames(identity::DepartmentService& departments) {
  DepartmentNames names;
  Result<std::vector<identity::Department>> all = departments.List(identity::Principal::System());
  if (all.has_value()) {
    for (const identity::Department& d : *all) names.emplace(d.id, d.name);
  }
  return names;
}

std::string NameOf(const DepartmentNames& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() ? "" : it->second;
}

std::string_view ModeLabel(std::string_view mode) {
  if (mode == "exempt") return "免申即享";
  if (mode == "quick") return "快申快享";
  return "";
}

std::string_view ItemStatusLabel(std::string_view status) {
  if (status == "draft") return "草稿";
  if (status == "open") return "受理中";
  if (status == "closed") return "已截止";
  return "";
}

// The signed-in principal, or an anonymous one (no permissions) for the public reads.
identity::Principal Viewer(const SessionGuard& guard, const Request& req) {
  Result<identity::Principal> p = guard.SignedIn(req);
  return p.has_value() ? std::move(p).value() : identity::Principal{};
}

bool QueryFlag(const Request& req, std::string_view name) {
  const std::string v = req.Query(name).value_or("");
  return v == "1" || v == "true";
}

json::object PolicyJson(const policy::Policy& p, const DepartmentNames& names,
                        bool with_full_text) {
  json::object o{{"id", p.id},
                 {"title", p.title},
                 {"docNo", p.doc_no},
                 {"issuer", p.issuer},
                 {"level", p.level},
                 {"levelName", policy::LevelLabel(p.level)},
                 {"publishedOn", p.published_on},
                 {"effectiveOn", p.effective_on},
                 {"expiresOn", p.expires_on},
                 {"category", p.category},
                 {"categoryName", policy::CategoryLabel(p.category)},
                 {"tags", json::array(p.tags.begin(), p.tags.end())},
                 {"departmentId", p.department_id},
                 {"departmentName", NameOf(names, p.department_id)},
                 {"status", p.status},
                 {"statusName", policy::PolicyStatusLabel(p.status)},
                 {"version", p.version},
                 {"createdAt", IsoTimeCst(p.created_at_ms)},
                 {"updatedAt", IsoTimeCst(p.updated_at_ms)}};
  if (with_full_text) o["fullText"] = p.full_text;
  return o;
}

json::value ParsedOrString(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(text) : v;
}

json::object RuleJson(const policy::ItemRule& r, const policy::FactSchema& schema) {
  return {{"version", r.version},
          {"ruleJson", ParsedOrString(r.cond_json)},
          {"ruleText", policy::ToText(r.cond, schema)},
          {"ruleTextZh", policy::ToText(r.cond, schema, true)},
          {"formulaJson", ParsedOrString(r.formula_json)},
          {"formulaText", policy::FormulaToText(r.formula, schema)},
          {"formulaTextZh", policy::FormulaToText(r.formula, schema, true)},
          {"effectiveFrom", r.effective_from},
          {"createdBy", r.created_by},
          {"createdAt", IsoTimeCst(r.created_at_ms)}};
}

// An item with the rule in force today (or, when every version starts later, the latest one).
json::object ItemJson(const policy::Item& i, const std::vector<policy::ItemRule>& rules,
                      const std::string& today, const DepartmentNames& names,
                      const policy::FactSchema& schema) {
  json::object o{{"id", i.id},
                 {"policyId", i.policy_id},
                 {"title", i.title},
                 {"mode", i.mode},
                 {"modeName", ModeLabel(i.mode)},
                 {"budgetFen", i.budget_fen},
                 {"windowFrom", i.window_from},
                 {"windowTo", i.window_to},
                 {"publicityDays", i.publicity_days},
                 {"departmentId", i.department_id},
                 {"departmentName", NameOf(names, i.department_id)},
                 {"status", i.status},
                 {"statusName", ItemStatusLabel(i.status)},
                 {"version", i.version}};
  const policy::ItemRule* current = nullptr;
  for (const policy::ItemRule& r : rules) {
    if (r.effective_from <= today &&
        (current == nullptr || r.effective_from > current->effective_from ||
         (r.effective_from == current->effective_from && r.version > current->version))) {
      current = &r;
    }
  }
  if (current == nullptr && !rules.empty()) current = &rules.back();
  if (current != nullptr) {
    json::object rule = RuleJson(*current, schema);
    o["ruleVersion"] = rule["version"];
    for (const char* key : {"ruleJson", "ruleText", "ruleTextZh", "formulaJson", "formulaText",
                            "formulaTextZh", "effectiveFrom"}) {
      o[key] = rule[key];
    }
  } else {
    o["ruleVersion"] = nullptr;
  }
  return o;
}

policy::PolicyInput PolicyFrom(JsonReader& in) {
  policy::PolicyInput p;
  p.title = in.String("title", false);
  p.doc_no = in.String("docNo", false);
  p.issuer = in.String("issuer", false);
  p.level = in.String("level", false);
  p.published_on = in.String("publishedOn", false);
  p.effective_on = in.String("effectiveOn", false);
  p.expires_on = in.String("expiresOn", false);
  p.category = in.String("category", false);
  p.tags = in.StringList("tags", false);
  p.full_text = in.String("fullText", false);
  p.department_id = in.String("departmentId", false);
  return p;
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

policy::ItemInput ItemFrom(const json::object& body, JsonReader& in) {
  policy::ItemInput i;
  i.title = in.String("title", false);
  i.mode = in.String("mode", false);
  i.budget_fen = in.Int("budgetFen", false, 0);
  i.window_from = in.String("windowFrom", false);
  i.window_to = in.String("windowTo", false);
  i.publicity_days = static_cast<int>(in.Int("publicityDays", false, 0, 365, 0));
  i.department_id = in.String("departmentId", false);
  if (std::optional<std::string> s = in.OptString("status")) i.status = *s;
  i.rule_json = JsonOrString(body, "ruleJson", in);
  i.rule_text = in.String("ruleText", false);
  i.formula_text = in.String("formulaText", false);
  i.formula_json = JsonOrString(body, "formulaJson", in);
  i.effective_from = in.String("effectiveFrom", false);
  return i;
}

}  // namespace

void AddPolicyRoutes(Router& router, AppContext& app) {
  if (app.policies == nullptr) return;
  SessionGuard& guard = app.guard;
  policy::PolicyService& svc = *app.policies;
  identity::DepartmentService& departments = app.identity.departments;
  const Clock& clock = app.clock;
  // Published, retired or changed items: the matcher rebuilds its items on the next call.
  policy::MatchService* matches = app.matches;
  auto items_changed = [matches] {
    if (matches != nullptr) matches->Invalidate();
  };

  auto detail = [&svc, &departments, &clock](const identity::Principal& actor,
                                             const policy::Policy& p) -> Result<json::value> {
    const DepartmentNames names = LoadDepartmentNames(departments);
    ASSIGN_OR_RETURN(std::vector<policy::Item> items, svc.Items(actor, p.id));
    const std::string today = IsoDateCst(clock.NowMs());
    json::array out;
    for (const policy::Item& i : items) {
      ASSIGN_OR_RETURN(std::vector<policy::ItemRule> rules, svc.RuleVersions(actor, i.id));
      out.push_back(ItemJson(i, rules, today, names, svc.schema()));
    }
    json::object o = PolicyJson(p, names, true);
    o["items"] = std::move(out);
    return o;
  };

  // Public: the library (published policies); ?all=1 adds drafts and retired ones for authors.
  router.Get("/api/v1/policies", [&](Request& req) -> Result<json::value> {
    identity::Principal actor = Viewer(guard, req);
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    policy::PolicyQuery q;
    q.text = req.Query("q").value_or("");
    q.category = req.Query("category").value_or("");
    q.level = req.Query("level").value_or("");
    q.department_id = req.Query("departmentId").value_or("");
    q.tag = req.Query("tag").value_or("");
    q.open_only = QueryFlag(req, "open");
    q.include_unpublished = QueryFlag(req, "all");
    if (q.include_unpublished) {
      ASSIGN_OR_RETURN(actor, guard.SignedIn(req));
    }
    q.offset = page.offset();
    q.limit = page.page_size;
    // The draft contract's offset / limit are accepted too (the page's own paging).
    if (req.Query("offset").has_value() || req.Query("limit").has_value()) {
      ASSIGN_OR_RETURN(q.offset, QueryInt(req, "offset", 0, 0, 100'000'000));
      ASSIGN_OR_RETURN(q.limit,
                       QueryInt(req, "limit", Page::kDefaultPageSize, 1, Page::kMaxPageSize));
    }
    ASSIGN_OR_RETURN(policy::PolicyPage found, svc.Search(actor, q));
    const DepartmentNames names = LoadDepartmentNames(departments);
    json::array items;
    for (const policy::Policy& p : found.items) items.push_back(PolicyJson(p, names, false));
    return json::object{{"items", std::move(items)},  {"total", found.total}, {"page", page.page},
                        {"pageSize", page.page_size}, {"offset", q.offset},   {"limit", q.limit}};
  });

  router.Get("/api/v1/policies/{id}", [&, detail](Request& req) -> Result<json::value> {
    identity::Principal actor = Viewer(guard, req);
    ASSIGN_OR_RETURN(policy::Policy p, svc.Get(actor, req.PathParam("id")));
    return detail(actor, p);
  });

  // The declared facts a rule may read (the rule builder's palette).
  router.Get("/api/v1/policy-facts", [&](Request&) -> Result<json::value> {
    json::array items;
    for (const policy::FactDef& f : svc.schema().facts()) {
      const char* type = f.type == policy::FactType::kNumber   ? "number"
                         : f.type == policy::FactType::kString ? "string"
                                                               : "bool";
      items.push_back(json::object{{"key", f.key},
                                   {"label", f.label},
                                   {"type", type},
                                   {"typeName", policy::FactTypeLabel(f.type)},
                                   {"source", f.source},
                                   {"unit", f.unit}});
    }
    return json::object{{"items", std::move(items)}};
  });

  router.Post("/api/v1/policies", [&, detail](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    policy::PolicyInput input = PolicyFrom(in);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(policy::Policy p, svc.Create(actor, input));
    return detail(actor, p);
  });

  router.Put(
      "/api/v1/policies/{id}", [&, detail, items_changed](Request& req) -> Result<json::value> {
        ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
        ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
        JsonReader in(body);
        policy::PolicyInput input = PolicyFrom(in);
        const std::int64_t version = in.Int("version", true, 1);
        RETURN_IF_ERROR(in.Finish());
        ASSIGN_OR_RETURN(policy::Policy p, svc.Update(actor, req.PathParam("id"), input, version));
        items_changed();
        return detail(actor, p);
      });

  router.Post("/api/v1/policies/{id}/publish",
              [&, detail, items_changed](Request& req) -> Result<json::value> {
                ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
                ASSIGN_OR_RETURN(policy::Policy p, svc.Publish(actor, req.PathParam("id")));
                items_changed();
                return detail(actor, p);
              });

  router.Post("/api/v1/policies/{id}/retire",
              [&, detail, items_changed](Request& req) -> Result<json::value> {
                ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
                ASSIGN_OR_RETURN(policy::Policy p, svc.Retire(actor, req.PathParam("id")));
                items_changed();
                return detail(actor, p);
              });

  auto item_json = [&svc, &departments, &clock](const identity::Principal& actor,
                                                const policy::Item& i) -> Result<json::value> {
    ASSIGN_OR_RETURN(std::vector<policy::ItemRule> rules, svc.RuleVersions(actor, i.id));
    return ItemJson(i, rules, IsoDateCst(clock.NowMs()), LoadDepartmentNames(departments),
                    svc.schema());
  };

  router.Post("/api/v1/policies/{id}/items",
              [&, item_json, items_changed](Request& req) -> Result<json::value> {
                ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
                ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
                JsonReader in(body);
                policy::ItemInput input = ItemFrom(body, in);
                RETURN_IF_ERROR(in.Finish());
                ASSIGN_OR_RETURN(policy::Item i, svc.AddItem(actor, req.PathParam("id"), input));
                items_changed();
                return item_json(actor, i);
              });

  router.Put("/api/v1/policy-items/{id}",
             [&, item_json, items_changed](Request& req) -> Result<json::value> {
               ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
               ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
               JsonReader in(body);
               policy::ItemInput input = ItemFrom(body, in);
               const std::int64_t version = in.Int("version", true, 1);
               RETURN_IF_ERROR(in.Finish());
               ASSIGN_OR_RETURN(policy::Item i,
                                svc.UpdateItem(actor, req.PathParam("id"), input, version));
               items_changed();
               return item_json(actor, i);
             });

  router.Get("/api/v1/policy-items/{id}/rules", [&](Request& req) -> Result<json::value> {
    identity::Principal actor = Viewer(guard, req);
    ASSIGN_OR_RETURN(std::vector<policy::ItemRule> rules,
                     svc.RuleVersions(actor, req.PathParam("id")));
    json::array items;
    for (const policy::ItemRule& r : rules) items.push_back(RuleJson(r, svc.schema()));
    return json::object{{"items", std::move(items)}};
  });

  // The rule builder: text → JSON or JSON → text (catalog.manage; nothing is stored).
  router.Post("/api/v1/policy-rules/parse", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string text = in.String("text", false);
    const std::string rule_json = JsonOrString(body, "json", in);
    if (text.empty() == rule_json.empty())
      in.AddError("text", "请给出规则文本 text 或 JSON json 之一");
    RETURN_IF_ERROR(in.Finish());
    Result<policy::Cond> cond = text.empty() ? policy::FromJsonText(rule_json, &svc.schema())
                                             : policy::ParseText(text, svc.schema());
    if (!cond.has_value()) {
      Error e = cond.error();
      if (e.fields.empty()) e.fields.push_back({text.empty() ? "json" : "text", e.message});
      return e;
    }
    const std::vector<std::string> read = policy::FactsRead(*cond);
    return json::object{{"json", policy::ToJson(*cond)},
                        {"text", policy::ToText(*cond, svc.schema())},
                        {"textZh", policy::ToText(*cond, svc.schema(), true)},
                        {"facts", json::array(read.begin(), read.end())}};
  });

  router.Post("/api/v1/policy-formulas/parse", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kManageCatalog));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string text = in.String("text", false);
    const std::string formula_json = JsonOrString(body, "json", in);
    if (text.empty() == formula_json.empty()) {
      in.AddError("text", "请给出公式文本 text 或 JSON json 之一");
    }
    RETURN_IF_ERROR(in.Finish());
    Result<policy::Formula> f = text.empty()
                                    ? policy::FormulaFromJsonText(formula_json, &svc.schema())
                                    : policy::ParseFormula(text, svc.schema());
    if (!f.has_value()) {
      Error e = f.error();
      if (e.fields.empty()) e.fields.push_back({text.empty() ? "json" : "text", e.message});
      return e;
    }
    const std::vector<std::string> read = policy::FactsRead(*f);
    return json::object{{"json", policy::FormulaToJson(*f)},
                        {"text", policy::FormulaToText(*f, svc.schema())},
                        {"textZh", policy::FormulaToText(*f, svc.schema(), true)},
                        {"rounding", policy::RoundingKey(f->rounding)},
                        {"roundingName", policy::RoundingLabel(f->rounding)},
                        {"facts", json::array(read.begin(), read.end())}};
  });
}

}  // namespace onestop::http
