// Audit routes: "谁查看了我的数据" for citizens and enterprises, search and chain verification
// for supervisors and administrators.
#include <boost/json.hpp>

#include "core/working_days.h"
#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;

namespace {

json::object EntryJson(const audit::Entry& e) {
  boost::system::error_code ec;
  json::value details = json::parse(e.details_json, ec);
  if (ec) details = json::object{};
  return {{"seq", e.seq},
          {"at", IsoTimeCst(e.at_ms)},
          {"actorId", e.actor_id},
          {"actorName", e.actor_name},
          {"actorDepartmentId",
           e.actor_department_id ? json::value(*e.actor_department_id) : json::value(nullptr)},
          {"action", e.action},
          {"actionLabel", audit::ActionLabel(e.action)},
          {"subjectType", e.subject_type},
          {"subjectId", e.subject_id},
          {"subjectPartyId",
           e.subject_party_id ? json::value(*e.subject_party_id) : json::value(nullptr)},
          {"purpose", e.purpose},
          {"details", std::move(details)},
          {"requestId", e.request_id},
          {"hash", e.hash}};
}

// A query date ("2026-11-27") as the instant its CST day starts; `end` = the next day's start.
Result<std::optional<Millis>> DayBound(const Request& req, const char* name, bool end) {
  std::optional<std::string> v = req.Query(name);
  if (!v || v->empty()) return std::optional<Millis>();
  Result<Date> d = Date::Parse(*v);
  if (!d.has_value()) {
    return std::move(d).error().WithField(name, "日期格式应为 YYYY-MM-DD");
  }
  return std::optional<Millis>(end ? d->EndOfDayMs() : d->StartOfDayMs());
}

json::object PageJson(const audit::Page& page, const std::map<std::string, std::string>& depts) {
  json::array items;
  for (const audit::Entry& e : page.items) {
    json::object o = EntryJson(e);
    auto it = e.actor_department_id ? depts.find(*e.actor_department_id) : depts.end();
    o["actorDepartmentName"] = it != depts.end() ? json::value(it->second) : json::value("");
    items.push_back(std::move(o));
  }
  return {{"items", std::move(items)}, {"total", page.total}};
}

Result<std::map<std::string, std::string>> DepartmentNames(AppContext& app,
                                                           const identity::Principal& actor) {
  ASSIGN_OR_RETURN(std::vector<identity::Department> all, app.identity.departments.List(actor));
  std::map<std::string, std::string> names;
  for (const identity::Department& d : all) names[d.id] = d.name;
  return names;
}

// One page of entries matching `f` (paged from the request), with department names.
Result<json::value> SearchJson(AppContext& app, const identity::Principal& actor,
                               const Request& req, audit::Filter f) {
  ASSIGN_OR_RETURN(Page page, ParsePage(req));
  f.offset = page.offset();
  f.limit = page.page_size;
  ASSIGN_OR_RETURN(audit::Page found,
                   store::Read(app.db, [&](store::Tx& tx) { return app.audit.Search(tx, f); }));
  ASSIGN_OR_RETURN(auto names, DepartmentNames(app, actor));
  return PageJson(found, names);
}

}  // namespace

void AddAuditRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;

  router.Get("/api/v1/audit/my-access", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kSelfAccessLog));
    std::optional<std::string> party = actor.person_id ? actor.person_id : actor.enterprise_id;
    if (!party) {
      return FailedPrecondition("audit.no_party", "本账号未关联自然人或企业，没有数据访问记录");
    }
    audit::Filter f;
    f.subject_party_id = party;
    return SearchJson(app, actor, req, std::move(f));
  });

  router.Get("/api/v1/audit/entries", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kReadAudit));
    audit::Filter f;
    auto nonempty = [&](const char* name) -> std::optional<std::string> {
      std::optional<std::string> v = req.Query(name);
      return v && !v->empty() ? v : std::nullopt;
    };
    f.actor_id = nonempty("actor");
    f.action_prefix = nonempty("action");
    f.subject_id = nonempty("subject");
    f.subject_party_id = nonempty("party");
    ASSIGN_OR_RETURN(f.from_ms, DayBound(req, "from", false));
    ASSIGN_OR_RETURN(f.to_ms, DayBound(req, "to", true));
    f.actor_department_ids = actor.ScopeFilter();
    return SearchJson(app, actor, req, std::move(f));
  });

  router.Get("/api/v1/audit/stats", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kReadAudit));
    ASSIGN_OR_RETURN(int days, QueryInt(req, "days", 14, 1, 366));
    ASSIGN_OR_RETURN(auto counts, store::Read(app.db, [&](store::Tx& tx) {
                       return app.audit.CountByDay(tx, days, actor.ScopeFilter());
                     }));
    json::array out;
    for (const auto& [day, n] : counts) out.push_back(json::object{{"date", day}, {"count", n}});
    return json::object{{"days", std::move(out)}};
  });

  router.Post("/api/v1/audit/verify", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kVerifyAudit));
    ASSIGN_OR_RETURN(audit::VerifyReport report, app.audit.Verify(app.db));
    // The check itself is a decision worth recording (and extends the chain it just checked).
    RETURN_IF_ERROR(store::Transact(app.db, [&](store::Tx& tx) {
      return app.audit.Append(
          tx, identity::ActorOf(actor),
          {"audit.verify", "audit_chain", "audit_entry", std::nullopt, "",
           json::serialize(json::object{{"ok", report.ok}, {"checked", report.checked}})});
    }));
    json::value broken = nullptr;
    if (report.first_broken_seq) {
      broken = json::object{{"seq", *report.first_broken_seq}, {"reason", report.problem}};
    }
    return json::object{{"ok", report.ok}, {"checked", report.checked}, {"firstBroken", broken}};
  });
}

}  // namespace onestop::http
