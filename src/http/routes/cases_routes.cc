// Case routes (办件): uploads, intake, acceptance decisions, corrections, the department queue
// and reviewer actions, delivery. Shapes are in docs/openapi.json; rules live in CaseService.
#include <boost/json.hpp>

#include "cases/blob_store.h"
#include "cases/case_service.h"
#include "http/app_routes.h"
#include "http/json_util.h"

namespace onestop::http {
namespace json = boost::json;
using cases::Case;

namespace {

json::value OptTime(const std::optional<Millis>& t) {
  return t ? json::value(IsoTimeCst(*t)) : json::value(nullptr);
}

json::value DeadlineJson(const std::optional<cases::Deadline>& d) {
  if (!d) return nullptr;
  return json::object{{"date", d->date.ToString()}, {"provisional", d->provisional}};
}

json::value LightJson(const std::optional<cases::Light>& l) {
  if (!l) return nullptr;
  return json::object{{"code", cases::LightCode(*l)}, {"name", cases::LightName(*l)}};
}

json::object MapJson(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::object TaskJson(const cases::Task& t) {
  json::array pre;
  for (const std::string& p : t.prerequisites) pre.emplace_back(p);
  return {{"id", t.id},
          {"itemCode", t.item_code},
          {"itemVersion", t.item_version},
          {"itemName", t.item_name},
          {"departmentId", t.department_id},
          {"departmentName", t.department_name},
          {"status", cases::TaskStatusCode(t.status)},
          {"statusName", cases::TaskStatusName(t.status)},
          {"stepIndex", t.step_index},
          {"stepCount", t.step_count},
          {"stepName", t.step_name},
          {"stepRole", t.step_role},
          {"prerequisites", std::move(pre)},
          {"blocking", t.blocking},
          {"startedAt", OptTime(t.started_at_ms)},
          {"finishedAt", OptTime(t.finished_at_ms)},
          {"deadline", DeadlineJson(t.deadline)},
          {"pausedDays", t.paused_days},
          {"light", LightJson(t.light)},
          {"reason", t.reason},
          {"mapped", MapJson(t.mapped)},
          {"result", MapJson(t.result)},
          {"version", t.version}};
}

json::object CaseJson(const Case& c) {
  json::array tasks, materials, timeline, correction;
  for (const cases::Task& t : c.tasks) tasks.push_back(TaskJson(t));
  for (const cases::CaseMaterial& m : c.materials) {
    materials.push_back(json::object{
        {"key", m.key},
        {"name", m.name},
        {"need", m.need},
        {"status", m.status},
        {"sha256", m.blob_sha256},
        {"fileName", m.file_name},
        {"contentType", m.content_type},
        {"size", m.size},
        {"pledgeDue", m.pledge_due ? json::value(m.pledge_due->ToString()) : json::value(nullptr)},
        {"pledgeOverdue", m.pledge_overdue}});
  }
  for (const cases::TimelineEvent& e : c.timeline) {
    timeline.push_back(json::object{{"at", IsoTimeCst(e.at_ms)},
                                    {"actorName", e.actor_name},
                                    {"kind", e.kind},
                                    {"taskId", e.task_id},
                                    {"message", e.message}});
  }
  for (const cases::CorrectionPoint& p : c.correction) {
    correction.push_back(json::object{{"target", p.target}, {"message", p.message}});
  }
  return {{"id", c.id},
          {"receiptNo", c.receipt_no},
          {"kind", c.kind},
          {"catalogCode", c.catalog_code},
          {"catalogVersion", c.catalog_version},
          {"title", c.title},
          {"applicant", json::object{{"partyId", c.applicant.party_id},
                                     {"kind", c.applicant.kind},
                                     {"name", c.applicant.name},
                                     {"numberMasked", c.applicant.number_masked}}},
          {"channel", cases::ChannelCode(c.channel)},
          {"channelName", cases::ChannelName(c.channel)},
          {"agentAuthorisation", c.agent_authorisation},
          {"answers", MapJson(c.answers)},
          {"form", MapJson(c.form)},
          {"status", cases::CaseStatusCode(c.status)},
          {"statusName", cases::CaseStatusName(c.status)},
          {"acceptMode", c.accept_mode ? json::value(cases::AcceptModeCode(*c.accept_mode))
                                       : json::value(nullptr)},
          {"pledge", c.pledge},
          {"submittedAt", OptTime(c.submitted_at_ms)},
          {"acceptedAt", OptTime(c.accepted_at_ms)},
          {"finishedAt", OptTime(c.finished_at_ms)},
          {"deadline", DeadlineJson(c.deadline)},
          {"limitWorkingDays", c.limit_working_days},
          {"pausedDays", c.paused_days},
          {"light", LightJson(c.light)},
          {"suspended", c.suspended},
          {"correction", std::move(correction)},
          {"outcomeReason", c.outcome_reason},
          {"delivery", cases::DeliveryMethodCode(c.delivery)},
          {"deliveryAddress", c.delivery_address},
          {"trackingNo", c.tracking_no},
          {"tasks", std::move(tasks)},
          {"materials", std::move(materials)},
          {"timeline", std::move(timeline)},
          {"version", c.version}};
}

json::object SummaryJson(const cases::CaseSummary& s) {
  return {{"id", s.id},
          {"receiptNo", s.receipt_no},
          {"title", s.title},
          {"kind", s.kind},
          {"applicantName", s.applicant_name},
          {"channel", cases::ChannelCode(s.channel)},
          {"channelName", cases::ChannelName(s.channel)},
          {"status", cases::CaseStatusCode(s.status)},
          {"statusName", cases::CaseStatusName(s.status)},
          {"submittedAt", OptTime(s.submitted_at_ms)},
          {"acceptedAt", OptTime(s.accepted_at_ms)},
          {"deadline", DeadlineJson(s.deadline)},
          {"light", LightJson(s.light)},
          {"suspended", s.suspended}};
}

// A JSON object of scalar values as form values: strings as they are, numbers and booleans
// as their JSON text. Anything else is a field error.
std::map<std::string, std::string> FormFrom(JsonReader& in, const json::object& body,
                                            std::string_view key) {
  std::map<std::string, std::string> out;
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) {
    in.AddError(key, "应为对象");
    return out;
  }
  for (const auto& [k, val] : v->as_object()) {
    const std::string name = std::string(key) + "." + std::string(k);
    if (val.is_string()) {
      out[std::string(k)] = std::string(val.as_string());
    } else if (val.is_bool()) {
      out[std::string(k)] = val.as_bool() ? "true" : "false";
    } else if (val.is_number()) {
      out[std::string(k)] = json::serialize(val);
    } else if (!val.is_null()) {
      in.AddError(name, "应为文字、数字或是否");
    }
  }
  return out;
}

std::vector<cases::MaterialInput> MaterialsFrom(JsonReader& in, const json::object& body) {
  std::vector<cases::MaterialInput> out;
  const json::value* v = body.if_contains("materials");
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    in.AddError("materials", "应为数组");
    return out;
  }
  std::size_t i = 0;
  for (const json::value& e : v->as_array()) {
    const std::string prefix = "materials[" + std::to_string(i++) + "].";
    if (!e.is_object()) {
      in.AddError(prefix.substr(0, prefix.size() - 1), "应为对象");
      continue;
    }
    JsonReader m(e.as_object(), prefix);
    cases::MaterialInput input{m.String("key"), m.String("sha256"), m.String("fileName", false)};
    for (const FieldError& f : m.errors()) in.AddError(f.field, f.message);
    out.push_back(std::move(input));
  }
  return out;
}

}  // namespace

void AddCasesRoutes(Router& router, AppContext& app) {
  SessionGuard& guard = app.guard;
  cases::CaseService& svc = app.cases;
  cases::BlobStore& blobs = app.blobs;

  // Uploads take the file's bytes as the body (any Content-Type: the type is decided by content).
  router.Add("POST", "/api/v1/blobs", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(cases::BlobInfo b, blobs.Put(actor, req.body));
    return JsonResponse(
        json::object{{"sha256", b.sha256}, {"size", b.size}, {"contentType", b.content_type}}, 200);
  });

  router.Post("/api/v1/cases", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    cases::Submission s;
    s.kind = in.String("kind");
    s.catalog_code = in.String("catalogCode");
    s.answers = FormFrom(in, body, "answers");
    s.form = FormFrom(in, body, "form");
    s.materials = MaterialsFrom(in, body);
    const std::string channel = in.String("channel");
    s.applicant_party_id = in.String("applicantPartyId", false);
    s.agent_authorisation = in.String("agentAuthorisation", false);
    const std::string delivery = in.OptString("delivery").value_or("electronic");
    s.delivery_address = in.String("deliveryAddress", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(s.channel, cases::ParseChannel(channel));
    ASSIGN_OR_RETURN(s.delivery, cases::ParseDeliveryMethod(delivery));
    ASSIGN_OR_RETURN(Case c, svc.Submit(actor, s));
    return CaseJson(c);
  });

  router.Get("/api/v1/cases", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Page page, ParsePage(req));
    cases::CaseFilter f;
    f.offset = page.offset();
    f.limit = page.page_size;
    f.q = req.Query("q").value_or("");
    const std::string status = req.Query("status").value_or("");
    if (!status.empty()) {
      ASSIGN_OR_RETURN(f.status, cases::ParseCaseStatus(status));
    }
    ASSIGN_OR_RETURN(cases::CasePage p, svc.List(actor, f));
    json::array items;
    for (const cases::CaseSummary& s : p.items) items.push_back(SummaryJson(s));
    return json::object{{"items", std::move(items)},
                        {"total", p.total},
                        {"page", page.page},
                        {"pageSize", page.page_size}};
  });

  router.Get("/api/v1/cases/{id}", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Case c, svc.Get(actor, req.PathParam("id")));
    return CaseJson(c);
  });

  // A material's file, for whoever may see the case.
  router.Add("GET", "/api/v1/cases/{id}/materials/{key}", [&](Request& req) -> Result<Response> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Case c, svc.Get(actor, req.PathParam("id")));
    for (const cases::CaseMaterial& m : c.materials) {
      if (m.key != req.PathParam("key") || m.blob_sha256.empty()) continue;
      ASSIGN_OR_RETURN(std::string bytes, blobs.Read(m.blob_sha256));
      Response r;
      r.content_type = m.content_type;
      r.body = std::move(bytes);
      r.SetHeader("Cache-Control", "private, no-store");
      r.SetHeader("X-Content-Type-Options", "nosniff");
      return r;
    }
    return NotFound("cases.no_such_material", "该材料未提交");
  });

  router.Post("/api/v1/cases/{id}/accept", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    const std::string mode = in.OptString("mode").value_or("normal");
    cases::AcceptInput a;
    a.pledge = in.String("pledge", false);
    std::optional<std::string> due = in.OptString("pledgeDue");
    if (due && !due->empty()) {
      Result<Date> d = Date::Parse(*due);
      if (d.has_value()) {
        a.pledge_due = *d;
      } else {
        in.AddError("pledgeDue", "日期格式应为 YYYY-MM-DD");
      }
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(a.mode, cases::ParseAcceptMode(mode));
    ASSIGN_OR_RETURN(Case c, svc.Accept(actor, req.PathParam("id"), a));
    return CaseJson(c);
  });

  router.Post("/api/v1/cases/{id}/refuse", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.Refuse(actor, req.PathParam("id"), reason));
    return CaseJson(c);
  });

  router.Post("/api/v1/cases/{id}/correction", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::vector<cases::CorrectionPoint> points;
    const json::value* v = body.if_contains("points");
    if (v == nullptr || !v->is_array()) {
      in.AddError("points", "应为数组");
    } else {
      std::size_t i = 0;
      for (const json::value& e : v->as_array()) {
        const std::string prefix = "points[" + std::to_string(i++) + "].";
        if (!e.is_object()) {
          in.AddError(prefix.substr(0, prefix.size() - 1), "应为对象");
          continue;
        }
        JsonReader p(e.as_object(), prefix);
        cases::CorrectionPoint point{p.String("target", false), p.String("message")};
        for (const FieldError& f : p.errors()) in.AddError(f.field, f.message);
        points.push_back(std::move(point));
      }
    }
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.RequestCorrection(actor, req.PathParam("id"), points));
    return CaseJson(c);
  });

  router.Post("/api/v1/cases/{id}/resubmit", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::map<std::string, std::string> form = FormFrom(in, body, "form");
    std::vector<cases::MaterialInput> materials = MaterialsFrom(in, body);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.Resubmit(actor, req.PathParam("id"), form, materials));
    return CaseJson(c);
  });

  router.Post("/api/v1/cases/{id}/hand-out", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string tracking = in.String("trackingNo", false);
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.HandOut(actor, req.PathParam("id"), tracking));
    return CaseJson(c);
  });

  router.Post("/api/v1/cases/{id}/confirm-receipt", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(Case c, svc.ConfirmReceipt(actor, req.PathParam("id")));
    return CaseJson(c);
  });

  router.Get("/api/v1/tasks/queue", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(std::vector<cases::QueueEntry> q, svc.Queue(actor));
    json::array items;
    for (const cases::QueueEntry& e : q) {
      json::object o = TaskJson(e.task);
      o["caseId"] = e.case_id;
      o["receiptNo"] = e.receipt_no;
      o["caseTitle"] = e.case_title;
      o["applicantName"] = e.applicant_name;
      o["suspended"] = e.suspended;
      items.push_back(std::move(o));
    }
    return json::object{{"items", std::move(items)}};
  });

  router.Post("/api/v1/tasks/{id}/approve", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string comment = in.String("comment", false);
    std::map<std::string, std::string> result = FormFrom(in, body, "result");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.Approve(actor, req.PathParam("id"), comment, result));
    return CaseJson(c);
  });

  router.Post("/api/v1/tasks/{id}/reject", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.Reject(actor, req.PathParam("id"), reason));
    return CaseJson(c);
  });

  router.Post("/api/v1/tasks/{id}/return", [&](Request& req) -> Result<json::value> {
    ASSIGN_OR_RETURN(identity::Principal actor, guard.SignedIn(req));
    ASSIGN_OR_RETURN(json::object body, ParseJsonBody(req));
    JsonReader in(body);
    std::string reason = in.String("reason");
    RETURN_IF_ERROR(in.Finish());
    ASSIGN_OR_RETURN(Case c, svc.Return(actor, req.PathParam("id"), reason));
    return CaseJson(c);
  });
}

}  // namespace onestop::http
