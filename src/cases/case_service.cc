#include "cases/case_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "cases/blob_store.h"
#include "cases/form_check.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "identity/identity_service.h"
#include "notify/notify.h"

namespace onestop::cases {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using text::CountCodePoints;
using text::TrimSpace;

namespace {

// --- JSON columns -------------------------------------------------------------------------

std::string ToJson(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return json::serialize(o);
}

std::map<std::string, std::string> MapFromJson(const std::string& text) {
  std::map<std::string, std::string> m;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return m;
  for (const auto& [k, val] : v.as_object()) {
    if (val.is_string()) m[std::string(k)] = std::string(val.as_string());
  }
  return m;
}

// The elements of the JSON array in `text` that `each` turns into a T (std::nullopt skips
// one); an unreadable column reads as empty. Stored columns are written by this file only.
template <typename T, typename F>
std::vector<T> ArrayFromJson(const std::string& text, F each) {
  std::vector<T> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& e : v.as_array()) {
    std::optional<T> item = each(e);
    if (item) out.push_back(std::move(*item));
  }
  return out;
}

// The JSON array of `items`, each encoded by `each`.
template <typename T, typename F>
std::string ArrayToJson(const std::vector<T>& items, F each) {
  json::array a;
  for (const T& item : items) a.emplace_back(each(item));
  return json::serialize(a);
}

std::string ListToJson(const std::vector<std::string>& list) {
  return ArrayToJson(list, [](const std::string& x) { return json::value(x); });
}

std::vector<std::string> ListFromJson(const std::string& text) {
  return ArrayFromJson<std::string>(text, [](const json::value& e) -> std::optional<std::string> {
    if (!e.is_string()) return std::nullopt;
    return std::string(e.as_string());
  });
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A task's steps as stored: name, role and the department that acts.
struct StepDef {
  std::string name, role, department_id, department_name;
};

std::string StepsToJson(const std::vector<StepDef>& steps) {
  return ArrayToJson(steps, [](const StepDef& s) {
    return json::object{{"name", s.name},
                        {"role", s.role},
                        {"departmentId", s.department_id},
                        {"departmentName", s.department_name}};
  });
}

std::vector<StepDef> StepsFromJson(const std::string& text) {
  return ArrayFromJson<StepDef>(text, [](const json::value& e) -> std::optional<StepDef> {
    if (!e.is_object()) return std::nullopt;
    const json::object& o = e.as_object();
    return StepDef{Str(o, "name"), Str(o, "role"), Str(o, "departmentId"),
                   Str(o, "departmentName")};
  });
}

struct MappingDef {
  std::string from_task, from_field, to_field;
};

std::string MappingsToJson(const std::vector<MappingDef>& ms) {
  return ArrayToJson(ms, [](const MappingDef& m) {
    return json::object{
        {"fromTask", m.from_task}, {"fromField", m.from_field}, {"toField", m.to_field}};
  });
}

std::vector<MappingDef> MappingsFromJson(const std::string& text) {
  return ArrayFromJson<MappingDef>(text, [](const json::value& e) -> std::optional<MappingDef> {
    if (!e.is_object()) return std::nullopt;
    const json::object& o = e.as_object();
    return MappingDef{Str(o, "fromTask"), Str(o, "fromField"), Str(o, "toField")};
  });
}

std::string CorrectionToJson(const std::vector<CorrectionPoint>& points) {
  return ArrayToJson(points, [](const CorrectionPoint& p) {
    return json::object{{"target", p.target}, {"message", p.message}};
  });
}

std::vector<CorrectionPoint> CorrectionFromJson(const std::string& text) {
  return ArrayFromJson<CorrectionPoint>(
      text, [](const json::value& e) -> std::optional<CorrectionPoint> {
        if (!e.is_object()) return std::nullopt;
        return CorrectionPoint{Str(e.as_object(), "target"), Str(e.as_object(), "message")};
      });
}

const char* UnitCode(catalog::LimitUnit u) { return catalog::LimitUnitCode(u); }
catalog::LimitUnit UnitFrom(const std::string& code) {
  return code == "natural_days" ? catalog::LimitUnit::kNaturalDays
                                : catalog::LimitUnit::kWorkingDays;
}

std::optional<Deadline> DeadlineFrom(const store::Row& row, std::size_t date_col,
                                     std::size_t provisional_col) {
  if (row.IsNull(date_col)) return std::nullopt;
  Result<Date> d = Date::Parse(row.Text(date_col));
  if (!d.has_value()) return std::nullopt;
  return Deadline{*d, row.Bool(provisional_col)};
}

store::Value DeadlineDate(const std::optional<Deadline>& d) {
  return d ? store::Value(d->date.ToString()) : store::kNull;
}

Result<void> CheckText(const std::string& text, const char* field, const char* label, int min,
                       int max, const char* reason) {
  const std::size_t n = CountCodePoints(TrimSpace(text));
  if (static_cast<int>(n) < min || static_cast<int>(n) > max) {
    return InvalidArgument(reason, std::string(label) + "应为 " + std::to_string(min) + "–" +
                                       std::to_string(max) + " 个字")
        .WithField(field, std::string(label) + "应为 " + std::to_string(min) + "–" +
                              std::to_string(max) + " 个字");
  }
  return Ok();
}

int TodayYmd(Millis now) {
  Date d = Date::FromMillisCst(now);
  return d.year * 10000 + d.month * 100 + d.day;
}

}  // namespace

// --- the case as loaded for a change ------------------------------------------------------

// What a task needs besides the public Task fields.
struct TaskRecord {
  Task task;
  std::string kind;  // item / verification
  std::vector<StepDef> steps;
  std::vector<std::string> result_fields;
  std::vector<MappingDef> mappings;
  bool commitment_allowed = false;
  catalog::TimeLimit limit;
  int seq = 0;
  bool dirty = false;
  bool is_new = false;
};

struct CaseRecord {
  Case c;
  catalog::TimeLimit limit;
  std::optional<Millis> suspended_since_ms;
  std::string created_by;
  std::string applicant_phone;  // for SMS notices; "" = inbox only
  std::vector<TaskRecord> tasks;
  std::vector<TimelineEvent> new_events;
  bool materials_dirty = false;

  TaskRecord* FindTask(const std::string& id) {
    for (TaskRecord& t : tasks) {
      if (t.task.id == id) return &t;
    }
    return nullptr;
  }
};

namespace {

constexpr const char* kCaseColumns =
    "id, receipt_no, kind, catalog_code, catalog_version, title, applicant_party_id, "
    "applicant_kind, applicant_name, applicant_number_masked, applicant_user_id, channel, "
    "agent_user_id, agent_authorisation, answers_json, form_json, status, accept_mode, pledge, "
    "intake_department_id, submitted_at_ms, accepted_at_ms, finished_at_ms, deadline, "
    "deadline_provisional, limit_value, limit_unit, paused_days, suspended_since_ms, "
    "correction_json, outcome_reason, delivery_method, delivery_address, tracking_no, "
    "created_by, version, applicant_phone";

constexpr const char* kTaskColumns =
    "id, seq, item_code, item_version, item_name, kind, department_id, steps_json, "
    "result_fields_json, mappings_json, commitment_allowed, status, step_index, "
    "prerequisites_json, blocking, started_at_ms, finished_at_ms, limit_value, limit_unit, "
    "paused_days, deadline, deadline_provisional, reason, mapped_json, result_json, version";

// kTaskColumns with the "t." prefix, for queries that join case_task as t.
const std::string& QualifiedTaskColumns() {
  static const std::string columns = [] {
    std::string out;
    std::string_view rest = kTaskColumns;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view col = rest.substr(0, comma);
      while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
      out += (out.empty() ? "t." : ", t.") + std::string(col);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return out;
  }();
  return columns;
}

void FillCase(const store::Row& r, CaseRecord& rec) {
  Case& c = rec.c;
  c.id = r.Text(0);
  c.receipt_no = r.Text(1);
  c.kind = r.Text(2);
  c.catalog_code = r.Text(3);
  c.catalog_version = static_cast<int>(r.Int(4));
  c.title = r.Text(5);
  c.applicant = {r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
  c.applicant_user_id = r.Text(10);
  c.channel = ParseChannel(r.Text(11)).value_or(Channel::kOnline);
  c.agent_user_id = r.Text(12);
  c.agent_authorisation = r.Text(13);
  c.answers = MapFromJson(r.Text(14));
  c.form = MapFromJson(r.Text(15));
  c.status = ParseCaseStatus(r.Text(16)).value_or(CaseStatus::kSubmitted);
  if (!r.IsNull(17)) {
    Result<AcceptMode> m = ParseAcceptMode(r.Text(17));
    if (m.has_value()) c.accept_mode = *m;
  }
  c.pledge = r.Text(18);
  c.intake_department_id = r.Text(19);
  c.submitted_at_ms = r.OptInt(20);
  c.accepted_at_ms = r.OptInt(21);
  c.finished_at_ms = r.OptInt(22);
  c.deadline = DeadlineFrom(r, 23, 24);
  rec.limit.value = static_cast<int>(r.Int(25));
  rec.limit.unit = UnitFrom(r.Text(26));
  c.limit_working_days = LimitInWorkingDays(rec.limit);
  c.paused_days = static_cast<int>(r.Int(27));
  rec.suspended_since_ms = r.OptInt(28);
  c.suspended = rec.suspended_since_ms.has_value();
  c.correction = CorrectionFromJson(r.Text(29));
  c.outcome_reason = r.Text(30);
  c.delivery = ParseDeliveryMethod(r.Text(31)).value_or(DeliveryMethod::kElectronic);
  c.delivery_address = r.Text(32);
  c.tracking_no = r.Text(33);
  rec.created_by = r.Text(34);
  c.version = r.Int(35);
  rec.applicant_phone = r.Text(36);
}

TaskRecord TaskFromRow(const store::Row& r) {
  TaskRecord t;
  Task& k = t.task;
  k.id = r.Text(0);
  t.seq = static_cast<int>(r.Int(1));
  k.item_code = r.Text(2);
  k.item_version = static_cast<int>(r.Int(3));
  k.item_name = r.Text(4);
  t.kind = r.Text(5);
  k.department_id = r.Text(6);
  t.steps = StepsFromJson(r.Text(7));
  t.result_fields = ListFromJson(r.Text(8));
  t.mappings = MappingsFromJson(r.Text(9));
  t.commitment_allowed = r.Bool(10);
  k.status = ParseTaskStatus(r.Text(11)).value_or(TaskStatus::kWaiting);
  k.step_index = static_cast<int>(r.Int(12));
  k.prerequisites = ListFromJson(r.Text(13));
  k.blocking = r.Bool(14);
  k.started_at_ms = r.OptInt(15);
  k.finished_at_ms = r.OptInt(16);
  t.limit.value = static_cast<int>(r.Int(17));
  t.limit.unit = UnitFrom(r.Text(18));
  k.paused_days = static_cast<int>(r.Int(19));
  k.deadline = DeadlineFrom(r, 20, 21);
  k.reason = r.Text(22);
  k.mapped = MapFromJson(r.Text(23));
  k.result = MapFromJson(r.Text(24));
  k.version = r.Int(25);
  k.step_count = static_cast<int>(t.steps.size());
  if (k.step_index >= 0 && k.step_index < k.step_count) {
    const StepDef& s = t.steps[static_cast<std::size_t>(k.step_index)];
    k.step_name = s.name;
    k.step_role = s.role;
    k.department_name = s.department_name;
  }
  return t;
}

Result<CaseRecord> LoadCase(store::Tx& tx, const std::string& id) {
  CaseRecord rec;
  ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string("SELECT ") + kCaseColumns +
                                                   " FROM case_file WHERE id = ?",
                                               {id}, "cases.not_found", "办件不存在"));
  FillCase(row, rec);
  ASSIGN_OR_RETURN(store::Rows tasks, tx.Query(std::string("SELECT ") + kTaskColumns +
                                                   " FROM case_task WHERE case_id = ? ORDER BY seq",
                                               {id}));
  for (const store::Row& r : tasks) rec.tasks.push_back(TaskFromRow(r));
  ASSIGN_OR_RETURN(
      store::Rows mats,
      tx.Query("SELECT m.material_key, m.name, m.need, m.status, m.blob_sha256, m.file_name, "
               "b.content_type, b.size, m.pledge_due, m.pledge_overdue FROM case_material m "
               "LEFT JOIN blob b ON b.sha256 = m.blob_sha256 WHERE m.case_id = ? "
               "ORDER BY m.material_key",
               {id}));
  for (const store::Row& r : mats) {
    CaseMaterial m;
    m.key = r.Text(0);
    m.name = r.Text(1);
    m.need = r.Text(2);
    m.status = r.Text(3);
    m.blob_sha256 = r.Text(4);
    m.file_name = r.Text(5);
    m.content_type = r.Text(6);
    m.size = r.Int(7);
    if (!r.IsNull(8)) {
      Result<Date> d = Date::Parse(r.Text(8));
      if (d.has_value()) m.pledge_due = *d;
    }
    m.pledge_overdue = r.Bool(9);
    rec.c.materials.push_back(std::move(m));
  }
  ASSIGN_OR_RETURN(store::Rows events,
                   tx.Query("SELECT at_ms, actor_name, kind, task_id, message FROM case_event "
                            "WHERE case_id = ? ORDER BY seq",
                            {id}));
  for (const store::Row& r : events) {
    rec.c.timeline.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
  }
  return rec;
}

// Writes back what a change did: the case row (guarded by its version), dirty and new tasks,
// materials when touched, and the new timeline events.
Result<void> SaveCase(store::Tx& tx, CaseRecord& rec, Millis now, const Principal& actor) {
  const Case& c = rec.c;
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      tx.Exec(
          "UPDATE case_file SET receipt_no = ?, status = ?, accept_mode = ?, pledge = ?, "
          "intake_department_id = ?, accepted_at_ms = ?, finished_at_ms = ?, deadline = ?, "
          "deadline_provisional = ?, paused_days = ?, suspended_since_ms = ?, "
          "correction_json = ?, outcome_reason = ?, tracking_no = ?, form_json = ?, "
          "version = version + 1 WHERE id = ? AND version = ?",
          {c.receipt_no.empty() ? store::kNull : store::Value(c.receipt_no),
           std::string(CaseStatusCode(c.status)),
           c.accept_mode ? store::Value(std::string(AcceptModeCode(*c.accept_mode))) : store::kNull,
           c.pledge,
           c.intake_department_id.empty() ? store::kNull : store::Value(c.intake_department_id),
           store::Opt(c.accepted_at_ms), store::Opt(c.finished_at_ms), DeadlineDate(c.deadline),
           std::int64_t{c.deadline && c.deadline->provisional ? 1 : 0}, std::int64_t{c.paused_days},
           store::Opt(rec.suspended_since_ms), CorrectionToJson(c.correction), c.outcome_reason,
           c.tracking_no, ToJson(c.form), c.id, c.version}));
  RETURN_IF_ERROR(store::CheckVersion(changed));
  for (TaskRecord& t : rec.tasks) {
    const Task& k = t.task;
    if (t.is_new) {
      RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO case_task (id, case_id, seq, item_code, item_version, item_name, kind, "
          "department_id, steps_json, result_fields_json, mappings_json, commitment_allowed, "
          "status, step_index, prerequisites_json, blocking, started_at_ms, finished_at_ms, "
          "limit_value, limit_unit, paused_days, deadline, deadline_provisional, reason, "
          "mapped_json, result_json, version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "1)",
          {k.id,
           c.id,
           std::int64_t{t.seq},
           k.item_code,
           std::int64_t{k.item_version},
           k.item_name,
           t.kind,
           k.department_id,
           StepsToJson(t.steps),
           ListToJson(t.result_fields),
           MappingsToJson(t.mappings),
           std::int64_t{t.commitment_allowed ? 1 : 0},
           std::string(TaskStatusCode(k.status)),
           std::int64_t{k.step_index},
           ListToJson(k.prerequisites),
           std::int64_t{k.blocking ? 1 : 0},
           store::Opt(k.started_at_ms),
           store::Opt(k.finished_at_ms),
           std::int64_t{t.limit.value},
           std::string(UnitCode(t.limit.unit)),
           std::int64_t{k.paused_days},
           DeadlineDate(k.deadline),
           std::int64_t{k.deadline && k.deadline->provisional ? 1 : 0},
           k.reason,
           ToJson(k.mapped),
           ToJson(k.result)}));
    } else if (t.dirty) {
      ASSIGN_OR_RETURN(
          std::int64_t n,
          tx.Exec(
              "UPDATE case_task SET department_id = ?, status = ?, step_index = ?, "
              "started_at_ms = ?, finished_at_ms = ?, paused_days = ?, deadline = ?, "
              "deadline_provisional = ?, reason = ?, mapped_json = ?, result_json = ?, "
              "version = version + 1 WHERE id = ? AND version = ?",
              {k.department_id, std::string(TaskStatusCode(k.status)), std::int64_t{k.step_index},
               store::Opt(k.started_at_ms), store::Opt(k.finished_at_ms),
               std::int64_t{k.paused_days}, DeadlineDate(k.deadline),
               std::int64_t{k.deadline && k.deadline->provisional ? 1 : 0}, k.reason,
               ToJson(k.mapped), ToJson(k.result), k.id, k.version}));
      RETURN_IF_ERROR(store::CheckVersion(n));
    }
  }
  if (rec.materials_dirty) {
    for (const CaseMaterial& m : c.materials) {
      RETURN_IF_ERROR(tx.Exec(
          "UPDATE case_material SET status = ?, blob_sha256 = ?, file_name = ?, pledge_due = ?, "
          "pledge_overdue = ?, updated_at_ms = ? WHERE case_id = ? AND material_key = ?",
          {m.status, m.blob_sha256.empty() ? store::kNull : store::Value(m.blob_sha256),
           m.file_name, m.pledge_due ? store::Value(m.pledge_due->ToString()) : store::kNull,
           std::int64_t{m.pledge_overdue ? 1 : 0}, now, c.id, m.key}));
    }
  }
  std::int64_t seq = static_cast<std::int64_t>(c.timeline.size() - rec.new_events.size());
  for (const TimelineEvent& e : rec.new_events) {
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO case_event (id, case_id, seq, task_id, at_ms, actor_id, actor_name, kind, "
        "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {NewUlid(now), c.id, ++seq, e.task_id.empty() ? store::kNull : store::Value(e.task_id),
         e.at_ms, actor.user_id.empty() ? std::string("system") : actor.user_id, e.actor_name,
         e.kind, e.message}));
  }
  return Ok();
}

void AddEvent(CaseRecord& rec, const Principal& actor, Millis now, std::string kind,
              std::string message, std::string task_id = "") {
  TimelineEvent e{now, actor.display_name.empty() ? actor.username : actor.display_name,
                  std::move(kind), std::move(task_id), std::move(message)};
  rec.c.timeline.push_back(e);
  rec.new_events.push_back(std::move(e));
}

Result<void> Audit(store::Tx& tx, const audit::AuditLog& audit, const Principal& actor,
                   const std::string& action, const Case& c, json::object details = {}) {
  details["status"] = CaseStatusCode(c.status);
  if (!c.receipt_no.empty()) details["receiptNo"] = c.receipt_no;
  audit::Record r;
  r.action = action;
  r.subject_type = "case";
  r.subject_id = c.id;
  r.subject_party_id = c.applicant.party_id;
  r.details_json = json::serialize(details);
  RETURN_IF_ERROR(audit.Append(tx, identity::ActorOf(actor), r));
  return Ok();
}

// Tells the applicant (inbox, and SMS when a mobile number is known) about `c`, in `tx`.
Result<void> Tell(store::Tx& tx, const Clock& clock, const CaseRecord& rec,
                  const std::string& template_code, const std::string& title,
                  const std::string& body) {
  notify::Message m;
  m.recipient_user_id = rec.c.applicant_user_id;
  m.recipient_party_id = rec.c.applicant.party_id;
  m.phone = rec.applicant_phone;
  m.title = title;
  m.body = body;
  m.template_code = template_code;
  m.subject_type = "case";
  m.subject_id = rec.c.id;
  RETURN_IF_ERROR(notify::Enqueue(tx, clock, m));
  return Ok();
}

// The notice for the status `rec` reached in this change, if the applicant should hear of it.
Result<void> TellStatus(store::Tx& tx, const Clock& clock, const CaseRecord& rec,
                        CaseStatus before) {
  const Case& c = rec.c;
  const std::string what = "您申请的《" + c.title + "》";
  if (c.status == before) return Ok();
  switch (c.status) {
    case CaseStatus::kInProgress:
      if (before == CaseStatus::kSubmitted) {
        return Tell(tx, clock, rec, "case.accepted", "办件已受理",
                    what + "已受理，受理编号 " + c.receipt_no + "，承诺办结期限 " +
                        (c.deadline ? c.deadline->date.ToString() : std::string("—")) + "。");
      }
      return Ok();
    case CaseStatus::kCorrection: {
      std::string list;
      for (const CorrectionPoint& p : c.correction) list += (list.empty() ? "" : "；") + p.message;
      std::string body = what + "需要补正：" + list;
      if (CountCodePoints(body) > 450)
        body = what + "需要补正（共 " + std::to_string(c.correction.size()) + " 项），请登录查看。";
      return Tell(tx, clock, rec, "case.correction", "请补正材料", body);
    }
    case CaseStatus::kRefused:
      return Tell(tx, clock, rec, "case.refused", "办件不予受理",
                  what + "不予受理：" + c.outcome_reason.substr(0, 600));
    case CaseStatus::kCompleted:
      return Tell(
          tx, clock, rec, "case.completed", "办件已办结",
          what + "已全部办结" +
              (c.delivery == DeliveryMethod::kWindow    ? "，请到综合窗口领取结果。"
               : c.delivery == DeliveryMethod::kExpress ? "，结果将邮寄送达。"
                                                        : "，电子结果可在“我的办件”查看。"));
    case CaseStatus::kRejected:
      return Tell(tx, clock, rec, "case.rejected", "办件办理终止",
                  what + "办理终止：" + c.outcome_reason.substr(0, 600));
    default:
      return Ok();
  }
}

Error WrongState(const Case& c, const std::string& what) {
  return FailedPrecondition(
      "cases.wrong_state",
      "办件当前状态为“" + std::string(CaseStatusName(c.status)) + "”，不能" + what);
}

// Any counter clerk may act on a case not yet accepted, or ready to hand out, wherever it was
// filed (无差别一窗受理, 统一窗口出件): CanSee and List both follow this.
constexpr CaseStatus kAnyCounterStatuses[] = {CaseStatus::kSubmitted, CaseStatus::kCorrection,
                                              CaseStatus::kCompleted};

bool IsApplicant(const Principal& actor, const Case& c) {
  if (!c.applicant_user_id.empty() && c.applicant_user_id == actor.user_id) return true;
  if (actor.person_id && *actor.person_id == c.applicant.party_id) return true;
  if (actor.enterprise_id && *actor.enterprise_id == c.applicant.party_id) return true;
  return false;
}

bool StaffSees(const Principal& actor, const CaseRecord& rec) {
  if (actor.kind != identity::UserKind::kStaff || !actor.Has(Permission::kReadCases)) return false;
  if (actor.data_scope == identity::DataScope::kAll) return true;
  if (rec.created_by == actor.user_id) return true;
  if (!rec.c.intake_department_id.empty() && actor.CoversDepartment(rec.c.intake_department_id))
    return true;
  // A department sees a case once one of its tasks has reached it.
  for (const TaskRecord& t : rec.tasks) {
    if (t.task.status == TaskStatus::kWaiting) continue;
    for (const StepDef& s : t.steps) {
      if (actor.CoversDepartment(s.department_id)) return true;
    }
  }
  return false;
}

// Starts `t` now: pending at its first review step, with its own clock.
void StartTask(TaskRecord& t, const WorkingCalendar& cal, Millis now) {
  Task& k = t.task;
  k.status = TaskStatus::kPending;
  k.step_index = t.steps.size() > 1 ? 1 : 0;
  const StepDef& s = t.steps[static_cast<std::size_t>(k.step_index)];
  k.department_id = s.department_id;
  k.department_name = s.department_name;
  k.step_name = s.name;
  k.step_role = s.role;
  k.started_at_ms = now;
  k.deadline = ComputeDeadline(cal, now, t.limit, 0);
  t.dirty = true;
}

bool IsOpen(const Task& k) {
  return k.status == TaskStatus::kWaiting || k.status == TaskStatus::kPending;
}

// Starts every waiting item task whose prerequisites are all approved, copying mapped result
// fields; cancels waiting tasks whose prerequisite was rejected or cancelled.
void Advance(CaseRecord& rec, const WorkingCalendar& cal, Millis now, const Principal& actor) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (TaskRecord& t : rec.tasks) {
      if (t.task.status != TaskStatus::kWaiting) continue;
      bool ready = true;
      std::string blocked_by;
      for (const std::string& pre : t.task.prerequisites) {
        TaskRecord* p = rec.FindTask(pre);
        if (p == nullptr) continue;
        if (p->task.status == TaskStatus::kRejected || p->task.status == TaskStatus::kCancelled) {
          blocked_by = p->task.item_name;
          break;
        }
        if (p->task.status != TaskStatus::kApproved) ready = false;
      }
      if (!blocked_by.empty()) {
        t.task.status = TaskStatus::kCancelled;
        t.task.reason = "前置事项《" + blocked_by + "》未办结，本事项终止";
        t.task.finished_at_ms = now;
        t.dirty = true;
        AddEvent(rec, actor, now, "task_cancelled", "《" + t.task.item_name + "》" + t.task.reason,
                 t.task.id);
        changed = true;
        continue;
      }
      if (!ready) continue;
      for (const MappingDef& m : t.mappings) {
        TaskRecord* p = rec.FindTask(m.from_task);
        if (p == nullptr) continue;
        auto it = p->task.result.find(m.from_field);
        if (it != p->task.result.end()) t.task.mapped[m.to_field] = it->second;
      }
      StartTask(t, cal, now);
      AddEvent(rec, actor, now, "task_started",
               "《" + t.task.item_name + "》前置事项已办结，已自动推送至" + t.task.department_name +
                   "（" + t.task.step_name + "）",
               t.task.id);
      changed = true;
    }
  }
  // The case completes when no item task is open.
  if (rec.c.status != CaseStatus::kInProgress) return;
  bool open = false, approved = false;
  for (const TaskRecord& t : rec.tasks) {
    if (t.kind != "item") continue;
    open = open || IsOpen(t.task);
    approved = approved || t.task.status == TaskStatus::kApproved;
  }
  if (open) return;
  rec.c.finished_at_ms = now;
  if (approved) {
    rec.c.status = CaseStatus::kCompleted;
    AddEvent(rec, actor, now, "completed", "全部事项已办结，办件办结");
  } else {
    rec.c.status = CaseStatus::kRejected;
    rec.c.outcome_reason = "所有事项均未获批准";
    AddEvent(rec, actor, now, "rejected", "所有事项均未获批准，办件终止");
  }
}

// Lights at `now` for a case read by someone.
void SetLights(Case& c, const WorkingCalendar& cal, Millis now, int yellow_days) {
  c.light.reset();
  if (c.status == CaseStatus::kInProgress && c.deadline && !c.suspended) {
    c.light = LightOf(cal, *c.deadline, now, yellow_days);
  }
  for (Task& t : c.tasks) {
    t.light.reset();
    if (t.status == TaskStatus::kPending && t.deadline && !c.suspended) {
      t.light = LightOf(cal, *t.deadline, now, yellow_days);
    }
  }
}

Case Publish(CaseRecord& rec, const WorkingCalendar& cal, Millis now, int yellow_days) {
  Case c = rec.c;
  c.tasks.clear();
  for (const TaskRecord& t : rec.tasks) c.tasks.push_back(t.task);
  SetLights(c, cal, now, yellow_days);
  return c;
}

// The next 受理编号 for the CST day of `now`: "SL" + YYYYMMDD + 6-digit sequence.
Result<std::string> NextReceiptNo(store::Tx& tx, Millis now) {
  const Date d = Date::FromMillisCst(now);
  const std::string day = d.ToString();
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("INSERT INTO case_receipt_counter (day, n) VALUES (?, 1) "
                            "ON CONFLICT (day) DO UPDATE SET n = case_receipt_counter.n + 1 "
                            "RETURNING n",
                            {day}));
  const std::int64_t n = rows.front().Int(0);
  std::string seq = std::to_string(n);
  if (seq.size() < 6) seq.insert(0, 6 - seq.size(), '0');
  std::string ymd = day;
  ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());
  return "SL" + ymd + seq;
}

}  // namespace

CaseService::CaseService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                         calendar::CalendarService& calendar, catalog::CatalogService& catalog,
                         identity::IdentityServices& identity, Options options)
    : db_(db),
      clock_(clock),
      audit_(audit),
      calendar_(calendar),
      catalog_(catalog),
      identity_(identity),
      options_(options) {}

// --- what an application is made of --------------------------------------------------------

struct CaseService::Blueprint {
  std::string title;
  int version = 0;
  catalog::TimeLimit limit;
  std::vector<catalog::FormField> fields;
  std::vector<catalog::Material> materials;
  std::vector<catalog::Item> items;  // selected, in order
  std::vector<catalog::Edge> edges;
  std::map<std::string, bool> blocking;  // item code → blocking
};

Result<CaseService::Blueprint> CaseService::BlueprintOf(const std::string& kind,
                                                        const std::string& code, int version,
                                                        const catalog::Answers& answers,
                                                        const std::map<std::string, int>& pinned) {
  Blueprint b;
  if (kind == "item") {
    ASSIGN_OR_RETURN(catalog::Item item, catalog_.GetItem(code, version));
    b.title = item.name;
    b.version = item.version;
    b.limit = item.promised_limit;
    b.fields = item.fields;
    b.materials = item.materials;
    b.blocking[item.code] = true;
    b.items.push_back(std::move(item));
    return b;
  }
  if (kind != "bundle") {
    return InvalidArgument("cases.invalid_submission",
                           "申请类型应为 item（单个事项）或 bundle（一件事）")
        .WithField("kind", "应为 item 或 bundle");
  }
  ASSIGN_OR_RETURN(catalog::Bundle bundle, catalog_.GetBundle(code, version));
  // Every item the bundle names (PlanBundle needs the unselected ones too), at the versions
  // the case was filed under where it has them.
  ASSIGN_OR_RETURN(std::vector<catalog::Item> items, catalog_.ItemsOf(bundle));
  for (catalog::Item& item : items) {
    auto it = pinned.find(item.code);
    if (it != pinned.end() && it->second != item.version) {
      ASSIGN_OR_RETURN(item, catalog_.GetItem(item.code, it->second));
    }
  }
  ASSIGN_OR_RETURN(catalog::BundlePlan plan, catalog::PlanBundle(bundle, items, answers));
  b.title = bundle.name;
  b.version = bundle.version;
  b.limit = {plan.figures.days_after, catalog::LimitUnit::kWorkingDays, "一件事关键路径"};
  for (const catalog::MergedField& f : plan.fields) {
    if (!f.filled_by_prerequisite) b.fields.push_back(f.field);
  }
  for (const catalog::MergedMaterial& m : plan.materials) b.materials.push_back(m.material);
  for (const std::string& c : plan.item_codes) {
    for (const catalog::Item& item : items) {
      if (item.code == c) b.items.push_back(item);
    }
  }
  b.edges = plan.edges;
  for (const catalog::BundleItem& bi : bundle.items) b.blocking[bi.item_code] = bi.blocking;
  return b;
}

// --- intake --------------------------------------------------------------------------------

Result<Case> CaseService::Submit(const Principal& actor, const Submission& s) {
  const Millis now = clock_.NowMs();
  const bool staff = actor.kind == identity::UserKind::kStaff;
  std::string party_id = s.applicant_party_id;
  if (staff) {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
    if (s.channel == Channel::kOnline || s.channel == Channel::kMobile) {
      return InvalidArgument("cases.bad_channel",
                             "工作人员代为申请的渠道应为窗口、自助终端、帮代办或上门办")
          .WithField("channel", "渠道不适用于工作人员");
    }
    if (s.channel == Channel::kAgent) {
      RETURN_IF_ERROR(CheckText(s.agent_authorisation, "agentAuthorisation", "委托授权说明", 4, 500,
                                "cases.invalid_submission"));
    }
    if (party_id.empty()) {
      return InvalidArgument("cases.invalid_submission", "请选择申请人")
          .WithField("applicantPartyId", "请选择已登记的自然人或企业");
    }
  } else {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kApplyCases));
    if (s.channel != Channel::kOnline && s.channel != Channel::kMobile &&
        s.channel != Channel::kKiosk) {
      return InvalidArgument("cases.bad_channel", "群众和企业可通过网上、移动端或自助终端申请")
          .WithField("channel", "渠道不适用");
    }
    const std::optional<std::string>& own =
        actor.kind == identity::UserKind::kCitizen ? actor.person_id : actor.enterprise_id;
    if (!own) {
      return FailedPrecondition("cases.no_party",
                                "您的账号尚未关联实名信息，请先到窗口办理实名登记");
    }
    if (!party_id.empty() && party_id != *own) {
      return PermissionDenied("cases.not_own_party",
                              "只能为本人（本企业）申请；代他人申请请到窗口或找帮代办员");
    }
    party_id = *own;
  }
  if (s.delivery == DeliveryMethod::kExpress) {
    RETURN_IF_ERROR(CheckText(s.delivery_address, "deliveryAddress", "邮寄地址", 6, 200,
                              "cases.invalid_submission"));
  }

  // The applicant, read with the purpose of this intake (audited for staff).
  Applicant applicant;
  applicant.party_id = party_id;
  std::string applicant_phone;
  Result<identity::Person> person = identity_.parties.GetPerson(actor, party_id, "办件申请受理");
  if (person.has_value()) {
    applicant.kind = "person";
    applicant.name = person->name;
    applicant.number_masked = MaskIdNumber(person->id_number);
    applicant_phone = person->phone;
  } else if (person.error().code == ErrorCode::kNotFound) {
    Result<identity::Enterprise> ent =
        identity_.parties.GetEnterprise(actor, party_id, "办件申请受理");
    if (!ent.has_value()) {
      if (ent.error().code == ErrorCode::kNotFound) {
        return NotFound("cases.no_such_party", "申请人不存在，请先登记")
            .WithField("applicantPartyId", "申请人不存在");
      }
      return ent.error();
    }
    applicant.kind = "enterprise";
    applicant.name = ent->name;
    applicant.number_masked = ent->uscc;
  } else {
    return person.error();
  }

  ASSIGN_OR_RETURN(Blueprint b, BlueprintOf(s.kind, s.catalog_code, 0, s.answers, {}));
  RETURN_IF_ERROR(CheckForm(b.fields, s.form, TodayYmd(now)));

  // Steps resolved to departments, once, so a case keeps them even if the catalogue changes.
  std::map<std::string, identity::Department> departments;
  auto department = [&](const std::string& code) -> Result<identity::Department> {
    auto it = departments.find(code);
    if (it != departments.end()) return it->second;
    ASSIGN_OR_RETURN(identity::Department d, identity_.departments.GetByCode(code));
    departments.emplace(code, d);
    return d;
  };

  const std::string case_id = NewUlid(now);
  CaseRecord rec;
  Case& c = rec.c;
  c.id = case_id;
  c.kind = s.kind;
  c.catalog_code = s.catalog_code;
  c.catalog_version = b.version;
  c.title = b.title;
  c.applicant = applicant;
  c.applicant_user_id = staff ? "" : actor.user_id;
  c.channel = s.channel;
  c.agent_user_id = staff ? actor.user_id : "";
  c.agent_authorisation = s.agent_authorisation;
  c.answers = s.answers;
  c.form = s.form;
  c.status = CaseStatus::kSubmitted;
  c.submitted_at_ms = now;
  c.delivery = s.delivery;
  c.delivery_address = s.delivery_address;
  rec.limit = b.limit;
  rec.created_by = actor.user_id;

  std::map<std::string, std::string> task_of_item;
  int seq = 0;
  for (const catalog::Item& item : b.items) {
    TaskRecord t;
    t.is_new = true;
    t.seq = ++seq;
    t.kind = "item";
    t.task.id = NewUlid(now);
    t.task.item_code = item.code;
    t.task.item_version = item.version;
    t.task.item_name = item.name;
    t.task.blocking = b.blocking.count(item.code) ? b.blocking[item.code] : true;
    t.limit = item.promised_limit;
    t.commitment_allowed = item.commitment_allowed;
    t.result_fields = item.result.fields;
    ASSIGN_OR_RETURN(identity::Department home, department(item.department_code));
    for (const catalog::Step& step : item.steps) {
      identity::Department d = home;
      if (!step.department_code.empty()) {
        ASSIGN_OR_RETURN(d, department(step.department_code));
      }
      t.steps.push_back({step.name, step.role, d.id, d.name});
    }
    if (t.steps.empty()) t.steps.push_back({"办理", "reviewer", home.id, home.name});
    t.task.department_id = t.steps.front().department_id;
    t.task.department_name = t.steps.front().department_name;
    t.task.step_count = static_cast<int>(t.steps.size());
    task_of_item[item.code] = t.task.id;
    rec.tasks.push_back(std::move(t));
  }
  for (const catalog::Edge& e : b.edges) {
    auto from = task_of_item.find(e.from);
    auto to = task_of_item.find(e.to);
    if (from == task_of_item.end() || to == task_of_item.end()) continue;
    TaskRecord* t = rec.FindTask(to->second);
    t->task.prerequisites.push_back(from->second);
    for (const catalog::FieldMapping& m : e.mappings) {
      t->mappings.push_back({from->second, m.from_field, m.to_field});
    }
  }

  // Materials: every one of the blueprint, provided or missing.
  std::map<std::string, const MaterialInput*> given;
  Error bad = InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改");
  bool has_bad = false;
  for (const MaterialInput& m : s.materials) {
    const bool known = std::any_of(b.materials.begin(), b.materials.end(),
                                   [&](const catalog::Material& x) { return x.key == m.key; });
    if (!known) {
      bad = std::move(bad).WithField("materials." + m.key, "本申请不需要这项材料");
      has_bad = true;
    } else if (given.count(m.key)) {
      bad = std::move(bad).WithField("materials." + m.key, "同一材料重复提交");
      has_bad = true;
    }
    given[m.key] = &m;
  }
  if (has_bad) return bad;
  for (const catalog::Material& m : b.materials) {
    CaseMaterial cm;
    cm.key = m.key;
    cm.name = m.name;
    cm.need = catalog::MaterialNeedCode(m.need);
    auto it = given.find(m.key);
    cm.status = it == given.end() ? "missing" : "provided";
    if (it != given.end()) {
      cm.blob_sha256 = it->second->blob_sha256;
      cm.file_name = it->second->file_name;
    }
    c.materials.push_back(std::move(cm));
  }

  AddEvent(rec, actor, now, "submitted",
           std::string("通过") + ChannelName(s.channel) + "提交申请《" + c.title + "》");

  return store::Transact(db_, [&](store::Tx& tx) -> Result<Case> {
    for (CaseMaterial& m : c.materials) {
      if (m.blob_sha256.empty()) continue;
      Result<BlobInfo> blob = BlobStore::Lookup(tx, m.blob_sha256);
      if (!blob.has_value()) {
        return InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改")
            .WithField("materials." + m.key, "材料文件不存在，请重新上传");
      }
      m.content_type = blob->content_type;
      m.size = blob->size;
    }
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO case_file (id, kind, catalog_code, catalog_version, title, "
        "applicant_party_id, applicant_kind, applicant_name, applicant_number_masked, "
        "applicant_user_id, channel, agent_user_id, agent_authorisation, answers_json, "
        "form_json, status, pledge, submitted_at_ms, limit_value, limit_unit, correction_json, "
        "outcome_reason, delivery_method, delivery_address, tracking_no, created_by, "
        "created_at_ms, version, applicant_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, '', ?, ?, ?, '[]', '', ?, ?, '', ?, ?, 0, ?)",
        {c.id,
         c.kind,
         c.catalog_code,
         std::int64_t{c.catalog_version},
         c.title,
         c.applicant.party_id,
         c.applicant.kind,
         c.applicant.name,
         c.applicant.number_masked,
         c.applicant_user_id.empty() ? store::kNull : store::Value(c.applicant_user_id),
         std::string(ChannelCode(c.channel)),
         c.agent_user_id.empty() ? store::kNull : store::Value(c.agent_user_id),
         c.agent_authorisation,
         ToJson(c.answers),
         ToJson(c.form),
         std::string("submitted"),
         now,
         std::int64_t{rec.limit.value},
         std::string(UnitCode(rec.limit.unit)),
         std::string(DeliveryMethodCode(c.delivery)),
         c.delivery_address,
         actor.user_id,
         now,
         applicant_phone}));
    for (const CaseMaterial& m : c.materials) {
      RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO case_material (case_id, material_key, name, need, status, blob_sha256, "
          "file_name, pledge_overdue, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
          {c.id, m.key, m.name, m.need, m.status,
           m.blob_sha256.empty() ? store::kNull : store::Value(m.blob_sha256), m.file_name, now}));
    }
    // The row was inserted at version 0 so SaveCase's guarded update brings it to 1.
    c.version = 0;
    RETURN_IF_ERROR(SaveCase(tx, rec, now, actor));
    c.version = 1;
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "cases.case.submit", c,
                          {{"channel", ChannelCode(c.channel)}, {"catalog", c.catalog_code}}));
    ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
    Case out = c;
    out.tasks.clear();
    for (const TaskRecord& t : rec.tasks) out.tasks.push_back(t.task);
    SetLights(out, cal, now, options_.yellow_days);
    return out;
  });
}

// Runs `change(rec, tx, calendar, now, details)` on the case `case_id` in one transaction
// (retried on a lost race, which then sees the new state) and returns the case afterwards.
template <typename F>
Result<Case> CaseService::Change(const Principal& actor, const std::string& case_id,
                                 const std::string& action, F&& change) {
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Case> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(CaseRecord rec, LoadCase(tx, case_id));
    if (!CanSee(actor, rec)) return NotFound("cases.not_found", "办件不存在");
    json::object details;
    const CaseStatus before = rec.c.status;
    RETURN_IF_ERROR(change(rec, tx, cal, now, details));
    RETURN_IF_ERROR(SaveCase(tx, rec, now, actor));
    ++rec.c.version;  // what SaveCase wrote
    RETURN_IF_ERROR(TellStatus(tx, clock_, rec, before));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, action, rec.c, std::move(details)));
    return Publish(rec, cal, now, options_.yellow_days);
  });
}

bool CaseService::CanSee(const Principal& actor, const CaseRecord& rec) const {
  if (actor.IsSystem()) return true;
  if (actor.kind != identity::UserKind::kStaff) return IsApplicant(actor, rec.c);
  if (actor.Has(Permission::kIntakeCases) &&
      std::ranges::find(kAnyCounterStatuses, rec.c.status) != std::end(kAnyCounterStatuses)) {
    return true;
  }
  return StaffSees(actor, rec);
}

Result<Case> CaseService::Accept(const Principal& actor, const std::string& case_id,
                                 const AcceptInput& in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  if (in.mode != AcceptMode::kNormal) {
    RETURN_IF_ERROR(CheckText(in.pledge, "pledge", "承诺内容", 4, 500, "cases.invalid_pledge"));
  }
  return Change(
      actor, case_id, "cases.case.accept",
      [&](CaseRecord& rec, store::Tx& tx, const WorkingCalendar& cal, Millis now,
          json::object& details) -> Result<void> {
        Case& c = rec.c;
        if (c.status != CaseStatus::kSubmitted) return WrongState(c, "受理");
        // Materials: required ones must be there; deferable ones may be pledged (容缺).
        Error missing = FailedPrecondition("cases.materials_missing",
                                           "申请材料不齐全，不能受理；请一次性告知申请人补正");
        bool any_missing = false, any_deferred = false;
        for (CaseMaterial& m : c.materials) {
          if (m.status == "provided" || m.need == "optional") continue;
          if (m.need == "deferable" && in.mode == AcceptMode::kDeferred) {
            m.status = "pledged";
            m.pledge_due = in.pledge_due;
            any_deferred = true;
            continue;
          }
          missing = std::move(missing).WithField(
              "materials." + m.key,
              m.name + (m.need == "deferable" ? "（可容缺受理：选择容缺受理并由申请人书面承诺）"
                                              : "（必须提交）"));
          any_missing = true;
        }
        if (any_missing) return missing;
        if (in.mode == AcceptMode::kDeferred) {
          if (!any_deferred) {
            return InvalidArgument("cases.invalid_pledge", "没有可容缺的缺失材料，请按正常受理")
                .WithField("mode", "无需容缺受理");
          }
          const Date today = Date::FromMillisCst(now);
          if (!in.pledge_due || *in.pledge_due <= today) {
            return InvalidArgument("cases.invalid_pledge",
                                   "请填写补交材料的承诺期限（今天之后的日期）")
                .WithField("pledgeDue", "应为今天之后的日期");
          }
          rec.materials_dirty = true;
        }
        if (in.mode == AcceptMode::kCommitment) {
          for (const TaskRecord& t : rec.tasks) {
            if (!t.commitment_allowed) {
              return FailedPrecondition(
                  "cases.commitment_not_allowed",
                  "事项《" + t.task.item_name + "》不适用告知承诺制，不能按告知承诺受理");
            }
          }
        }
        ASSIGN_OR_RETURN(c.receipt_no, NextReceiptNo(tx, now));
        c.status = CaseStatus::kInProgress;
        c.accept_mode = in.mode;
        c.pledge = in.mode == AcceptMode::kNormal ? "" : std::string(TrimSpace(in.pledge));
        c.accepted_at_ms = now;
        c.intake_department_id = actor.department_id.value_or("");
        c.deadline = ComputeDeadline(cal, now, rec.limit, 0);
        details["mode"] = AcceptModeCode(in.mode);
        std::string msg = "受理，受理编号 " + c.receipt_no + "，办结期限 " +
                          c.deadline->date.ToString() + (c.deadline->provisional ? "（暂定）" : "");
        if (in.mode == AcceptMode::kDeferred)
          msg += "；容缺受理，承诺 " + in.pledge_due->ToString() + " 前补齐材料";
        if (in.mode == AcceptMode::kCommitment) msg += "；告知承诺制审批";
        AddEvent(rec, actor, now, "accepted", msg);

        if (in.mode == AcceptMode::kCommitment) {
          // Approved on the commitment; each department verifies afterwards (核查任务).
          std::vector<TaskRecord> checks;
          for (TaskRecord& t : rec.tasks) {
            t.task.status = TaskStatus::kApproved;
            t.task.started_at_ms = now;
            t.task.finished_at_ms = now;
            t.task.reason = "告知承诺制：依申请人承诺直接作出决定";
            t.dirty = true;
            AddEvent(rec, actor, now, "task_approved",
                     "《" + t.task.item_name + "》按告知承诺直接办结", t.task.id);
            TaskRecord v;
            v.is_new = true;
            v.kind = "verification";
            v.seq = static_cast<int>(rec.tasks.size() + checks.size()) + 1;
            v.task.id = NewUlid(now);
            v.task.item_code = t.task.item_code;
            v.task.item_version = t.task.item_version;
            v.task.item_name = "告知承诺核查：" + t.task.item_name;
            v.task.blocking = false;
            const StepDef& home = t.steps.size() > 1 ? t.steps[1] : t.steps.front();
            v.steps = {{"核查", "reviewer", home.department_id, home.department_name}};
            v.limit = {20, catalog::LimitUnit::kWorkingDays, "告知承诺事后核查"};
            StartTask(v, cal, now);
            checks.push_back(std::move(v));
          }
          for (TaskRecord& v : checks) {
            AddEvent(rec, actor, now, "task_started",
                     "已生成核查任务并推送至" + v.task.department_name, v.task.id);
            rec.tasks.push_back(std::move(v));
          }
        } else {
          for (TaskRecord& t : rec.tasks) {
            if (t.task.prerequisites.empty()) {
              StartTask(t, cal, now);
              AddEvent(rec, actor, now, "task_started",
                       "《" + t.task.item_name + "》已推送至" + t.task.department_name + "（" +
                           t.task.step_name + "）",
                       t.task.id);
            }
          }
        }
        Advance(rec, cal, now, actor);
        return Ok();
      });
}

Result<Case> CaseService::Refuse(const Principal& actor, const std::string& case_id,
                                 const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  RETURN_IF_ERROR(CheckText(reason, "reason", "不予受理理由", 2, 500, "cases.invalid_reason"));
  return Change(actor, case_id, "cases.case.refuse",
                [&](CaseRecord& rec, store::Tx&, const WorkingCalendar&, Millis now,
                    json::object& details) -> Result<void> {
                  Case& c = rec.c;
                  if (c.status != CaseStatus::kSubmitted && c.status != CaseStatus::kCorrection) {
                    return WrongState(c, "作不予受理决定");
                  }
                  if (c.accepted_at_ms) return WrongState(c, "作不予受理决定（已受理）");
                  c.status = CaseStatus::kRefused;
                  if (c.intake_department_id.empty())
                    c.intake_department_id = actor.department_id.value_or("");
                  c.outcome_reason = std::string(TrimSpace(reason));
                  c.finished_at_ms = now;
                  c.correction.clear();
                  details["reason"] = c.outcome_reason;
                  AddEvent(rec, actor, now, "refused", "不予受理：" + c.outcome_reason);
                  return Ok();
                });
}

Result<Case> CaseService::RequestCorrection(const Principal& actor, const std::string& case_id,
                                            const std::vector<CorrectionPoint>& points) {
  if (points.empty()) {
    return InvalidArgument("cases.invalid_correction", "请列出需要补正的全部内容（一次性告知）");
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::size_t n = CountCodePoints(TrimSpace(points[i].message));
    if (n < 2 || n > 200) {
      return InvalidArgument("cases.invalid_correction", "每一项补正要求应为 2–200 个字")
          .WithField("points[" + std::to_string(i) + "].message", "应为 2–200 个字");
    }
  }
  if (!actor.Has(Permission::kIntakeCases) && !actor.Has(Permission::kReviewCases)) {
    return PermissionDenied("identity.permission_denied", "您没有“综合窗口受理”或“办件审批”权限");
  }
  return Change(actor, case_id, "cases.case.correction",
                [&](CaseRecord& rec, store::Tx& tx, const WorkingCalendar&, Millis now,
                    json::object& details) -> Result<void> {
                  Case& c = rec.c;
                  if (c.status == CaseStatus::kSubmitted) {
                    RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
                    if (c.intake_department_id.empty()) {
                      c.intake_department_id = actor.department_id.value_or("");
                    }
                  } else if (c.status == CaseStatus::kInProgress) {
                    RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
                    const bool mine =
                        std::any_of(rec.tasks.begin(), rec.tasks.end(), [&](const TaskRecord& t) {
                          return t.task.status == TaskStatus::kPending &&
                                 actor.CoversDepartment(t.task.department_id);
                        });
                    if (!mine) {
                      return PermissionDenied("cases.not_your_task",
                                              "只有正在办理本办件事项的部门可以要求补正");
                    }
                    rec.suspended_since_ms = now;
                    c.suspended = true;
                    RETURN_IF_ERROR(tx.Exec(
                        "INSERT INTO case_suspension (id, case_id, kind, reason, started_at_ms) "
                        "VALUES (?, ?, 'correction', ?, ?)",
                        {NewUlid(now), c.id, points.front().message, now}));
                  } else {
                    return WrongState(c, "要求补正");
                  }
                  c.correction.clear();
                  std::string list;
                  for (const CorrectionPoint& p : points) {
                    c.correction.push_back({p.target, std::string(TrimSpace(p.message))});
                    list += (list.empty() ? "" : "；") + std::string(TrimSpace(p.message));
                  }
                  c.status = CaseStatus::kCorrection;
                  details["points"] = static_cast<std::int64_t>(points.size());
                  AddEvent(rec, actor, now, "correction",
                           "一次性告知补正（共 " + std::to_string(points.size()) + " 项）：" +
                               list + (c.suspended ? "。补正期间办理时限暂停计算" : ""));
                  return Ok();
                });
}

Result<Case> CaseService::Resubmit(const Principal& actor, const std::string& case_id,
                                   const FormValues& form,
                                   const std::vector<MaterialInput>& materials) {
  // The form is checked against the fields of the version the case was filed under.
  ASSIGN_OR_RETURN(Case current, Get(actor, case_id));
  const bool applicant = IsApplicant(actor, current);
  if (!applicant) RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  if (current.status != CaseStatus::kCorrection) return WrongState(current, "补正");
  std::map<std::string, int> pinned;
  if (current.kind == "bundle") {
    for (const Task& t : current.tasks) pinned[t.item_code] = t.item_version;
  }
  ASSIGN_OR_RETURN(Blueprint b, BlueprintOf(current.kind, current.catalog_code,
                                            current.catalog_version, current.answers, pinned));
  FormValues merged = current.form;
  for (const auto& [k, v] : form) merged[k] = v;
  RETURN_IF_ERROR(CheckForm(b.fields, merged, TodayYmd(clock_.NowMs())));

  return Change(
      actor, case_id, "cases.case.resubmit",
      [&](CaseRecord& rec, store::Tx& tx, const WorkingCalendar& cal, Millis now,
          json::object& details) -> Result<void> {
        Case& c = rec.c;
        if (c.status != CaseStatus::kCorrection) return WrongState(c, "补正");
        for (const MaterialInput& in : materials) {
          auto it = std::find_if(c.materials.begin(), c.materials.end(),
                                 [&](const CaseMaterial& m) { return m.key == in.key; });
          if (it == c.materials.end()) {
            return InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改")
                .WithField("materials." + in.key, "本申请不需要这项材料");
          }
          Result<BlobInfo> blob = BlobStore::Lookup(tx, in.blob_sha256);
          if (!blob.has_value()) {
            return InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改")
                .WithField("materials." + in.key, "材料文件不存在，请重新上传");
          }
          it->status = "provided";
          it->blob_sha256 = in.blob_sha256;
          it->file_name = in.file_name;
          it->content_type = blob->content_type;
          it->size = blob->size;
          it->pledge_due.reset();
          it->pledge_overdue = false;
          rec.materials_dirty = true;
        }
        c.form = merged;
        c.correction.clear();
        if (rec.suspended_since_ms) {
          // The clocks restart, extended by the days they stood still (suspension ledger).
          const Millis since = *rec.suspended_since_ms;
          const int case_paused = PausedDays(cal, rec.limit.unit, since, now);
          c.paused_days += case_paused;
          c.deadline = ComputeDeadline(cal, *c.accepted_at_ms, rec.limit, c.paused_days);
          for (TaskRecord& t : rec.tasks) {
            if (t.task.status != TaskStatus::kPending || !t.task.started_at_ms) continue;
            t.task.paused_days +=
                PausedDays(cal, t.limit.unit, std::max(since, *t.task.started_at_ms), now);
            t.task.deadline =
                ComputeDeadline(cal, *t.task.started_at_ms, t.limit, t.task.paused_days);
            t.dirty = true;
          }
          RETURN_IF_ERROR(
              tx.Exec("UPDATE case_suspension SET ended_at_ms = ?, paused_days = ? "
                      "WHERE case_id = ? AND ended_at_ms IS NULL",
                      {now, std::int64_t{case_paused}, c.id}));
          rec.suspended_since_ms.reset();
          c.suspended = false;
          c.status = CaseStatus::kInProgress;
          details["pausedDays"] = case_paused;
          AddEvent(rec, actor, now, "resubmitted",
                   "申请人已补正，办理时限恢复计算（暂停 " + std::to_string(case_paused) +
                       " 个工作日），办结期限顺延至 " + c.deadline->date.ToString());
        } else {
          c.status = CaseStatus::kSubmitted;
          AddEvent(rec, actor, now, "resubmitted", "申请人已补正，等待受理");
        }
        return Ok();
      });
}

// --- review ----------------------------------------------------------------------------------

// The case of `task_id`, for Change.
Result<std::string> CaseService::CaseOfTask(const std::string& task_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryOne("SELECT case_id FROM case_task WHERE id = ?", {task_id},
                                 "cases.task_not_found", "办理任务不存在"));
    return row.Text(0);
  });
}

Result<Case> CaseService::AttachMaterial(
    const Principal& actor, const std::string& case_id, const MaterialInput& material,
    const std::string& note, const std::function<Result<void>(store::Tx&, const Case&)>& within) {
  return Change(actor, case_id, "cases.case.attach_material",
                [&](CaseRecord& rec, store::Tx& tx, const WorkingCalendar&, Millis now,
                    json::object& details) -> Result<void> {
                  Case& c = rec.c;
                  if (!IsApplicant(actor, c))
                    RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
                  if (c.status != CaseStatus::kSubmitted && c.status != CaseStatus::kCorrection) {
                    return WrongState(c, "补充材料");
                  }
                  auto it =
                      std::find_if(c.materials.begin(), c.materials.end(),
                                   [&](const CaseMaterial& m) { return m.key == material.key; });
                  if (it == c.materials.end()) {
                    return InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改")
                        .WithField("materials." + material.key, "本申请不需要这项材料");
                  }
                  Result<BlobInfo> blob = BlobStore::Lookup(tx, material.blob_sha256);
                  if (!blob.has_value()) {
                    return InvalidArgument("cases.invalid_submission", "申请材料有误，请按提示修改")
                        .WithField("materials." + material.key, "材料文件不存在，请重新上传");
                  }
                  it->status = "provided";
                  it->blob_sha256 = material.blob_sha256;
                  it->file_name = material.file_name;
                  it->content_type = blob->content_type;
                  it->size = blob->size;
                  it->pledge_due.reset();
                  it->pledge_overdue = false;
                  rec.materials_dirty = true;
                  AddEvent(rec, actor, now, "material_attached", "《" + it->name + "》" + note);
                  details["materialKey"] = material.key;
                  details["note"] = note;
                  if (within) RETURN_IF_ERROR(within(tx, c));
                  return Ok();
                });
}

// Checks that `actor` may act on task `t` of `rec` now.
static Result<void> CheckReviewer(const Principal& actor, const CaseRecord& rec,
                                  const TaskRecord& t) {
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewCases, t.task.department_id));
  Result<identity::Role> role = identity::ParseRole(t.task.step_role);
  if (role.has_value() && !actor.HasRole(*role)) {
    return PermissionDenied("cases.wrong_role", "当前环节“" + t.task.step_name + "”应由" +
                                                    identity::InfoOf(*role).name + "办理");
  }
  if (rec.c.status == CaseStatus::kCorrection) {
    return FailedPrecondition("cases.case_suspended", "办件正在补正，暂停办理，待申请人补正后继续");
  }
  if (rec.c.status != CaseStatus::kInProgress) return WrongState(rec.c, "办理");
  if (t.task.status != TaskStatus::kPending) {
    return FailedPrecondition(
        "cases.wrong_state",
        "该事项当前状态为“" + std::string(TaskStatusName(t.task.status)) + "”，不能办理");
  }
  return Ok();
}

Result<Case> CaseService::Approve(const Principal& actor, const std::string& task_id,
                                  const std::string& comment, const FormValues& result) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  ASSIGN_OR_RETURN(std::string case_id, CaseOfTask(task_id));
  // The licence type the item issues as its result, when a result issuer is installed.
  std::string licence_type;
  if (result_issuer_) {
    ASSIGN_OR_RETURN(store::Row task, store::Read(db_, [&](store::Tx& tx) {
                       return tx.QueryOne(
                           "SELECT item_code, item_version FROM case_task WHERE id = ?", {task_id},
                           "cases.task_not_found", "办理任务不存在");
                     }));
    Result<catalog::Item> item = catalog_.GetItem(task.Text(0), static_cast<int>(task.Int(1)));
    if (item.has_value()) licence_type = item->result.licence_type;
  }
  return Change(
      actor, case_id, "cases.task.approve",
      [&](CaseRecord& rec, store::Tx& tx, const WorkingCalendar& cal, Millis now,
          json::object& details) -> Result<void> {
        TaskRecord* t = rec.FindTask(task_id);
        RETURN_IF_ERROR(CheckReviewer(actor, rec, *t));
        Task& k = t->task;
        details["taskId"] = k.id;
        details["step"] = k.step_name;
        const std::string note =
            TrimSpace(comment).empty() ? "" : "，意见：" + std::string(TrimSpace(comment));
        if (k.step_index + 1 < k.step_count) {
          const std::string done = k.step_name;
          ++k.step_index;
          const StepDef& s = t->steps[static_cast<std::size_t>(k.step_index)];
          k.step_name = s.name;
          k.step_role = s.role;
          k.department_id = s.department_id;
          k.department_name = s.department_name;
          t->dirty = true;
          AddEvent(rec, actor, now, "task_step",
                   "《" + k.item_name + "》" + done + "通过" + note + "，转入“" + k.step_name + "”",
                   k.id);
          return Ok();
        }
        // The last step: the result fields later items and the applicant rely on.
        Error missing = InvalidArgument("cases.result_missing", "请填写办理结果");
        bool any_missing = false;
        for (const std::string& f : t->result_fields) {
          auto it = result.find(f);
          if (it == result.end() || TrimSpace(it->second).empty()) {
            missing = std::move(missing).WithField("result." + f, "请填写结果字段“" + f + "”");
            any_missing = true;
          }
        }
        if (any_missing) return missing;
        for (const auto& [key, value] : result) {
          if (std::find(t->result_fields.begin(), t->result_fields.end(), key) ==
              t->result_fields.end()) {
            return InvalidArgument("cases.result_missing", "办理结果中有本事项没有的字段")
                .WithField("result." + key, "本事项的结果没有这一项");
          }
        }
        k.result = result;
        k.status = TaskStatus::kApproved;
        k.finished_at_ms = now;
        t->dirty = true;
        if (!licence_type.empty() && t->kind == "item") {
          RETURN_IF_ERROR(
              result_issuer_(tx, ItemApproved{&actor, rec.c.id, k.id, k.item_code, k.item_name,
                                              licence_type, rec.c.applicant, rec.c.form, result}));
        }
        AddEvent(rec, actor, now, "task_approved", "《" + k.item_name + "》已办结" + note, k.id);
        Advance(rec, cal, now, actor);
        return Ok();
      });
}

Result<Case> CaseService::Reject(const Principal& actor, const std::string& task_id,
                                 const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  RETURN_IF_ERROR(CheckText(reason, "reason", "不予许可理由", 2, 500, "cases.invalid_reason"));
  ASSIGN_OR_RETURN(std::string case_id, CaseOfTask(task_id));
  return Change(actor, case_id, "cases.task.reject",
                [&](CaseRecord& rec, store::Tx&, const WorkingCalendar& cal, Millis now,
                    json::object& details) -> Result<void> {
                  TaskRecord* t = rec.FindTask(task_id);
                  RETURN_IF_ERROR(CheckReviewer(actor, rec, *t));
                  Task& k = t->task;
                  const std::string why = std::string(TrimSpace(reason));
                  k.status = TaskStatus::kRejected;
                  k.reason = why;
                  k.finished_at_ms = now;
                  t->dirty = true;
                  details["taskId"] = k.id;
                  details["reason"] = why;
                  AddEvent(rec, actor, now, "task_rejected",
                           "《" + k.item_name + "》不予许可：" + why, k.id);
                  if (k.blocking && t->kind == "item") {
                    for (TaskRecord& other : rec.tasks) {
                      if (other.kind != "item" || !IsOpen(other.task)) continue;
                      other.task.status = TaskStatus::kCancelled;
                      other.task.reason = "因《" + k.item_name + "》不予许可，办理终止";
                      other.task.finished_at_ms = now;
                      other.dirty = true;
                    }
                    rec.c.status = CaseStatus::kRejected;
                    rec.c.outcome_reason = "《" + k.item_name + "》不予许可：" + why;
                    rec.c.finished_at_ms = now;
                    AddEvent(rec, actor, now, "rejected", "办件终止：" + rec.c.outcome_reason);
                    return Ok();
                  }
                  Advance(rec, cal, now, actor);
                  return Ok();
                });
}

Result<Case> CaseService::Return(const Principal& actor, const std::string& task_id,
                                 const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  RETURN_IF_ERROR(CheckText(reason, "reason", "退回理由", 2, 500, "cases.invalid_reason"));
  ASSIGN_OR_RETURN(std::string case_id, CaseOfTask(task_id));
  return Change(
      actor, case_id, "cases.task.return",
      [&](CaseRecord& rec, store::Tx&, const WorkingCalendar&, Millis now,
          json::object& details) -> Result<void> {
        TaskRecord* t = rec.FindTask(task_id);
        RETURN_IF_ERROR(CheckReviewer(actor, rec, *t));
        Task& k = t->task;
        if (k.step_index <= 1) {
          return FailedPrecondition(
              "cases.cannot_return",
              "已是第一个审批环节，不能再退回；如需申请人补正，请发起一次性告知补正");
        }
        const std::string from = k.step_name;
        --k.step_index;
        const StepDef& s = t->steps[static_cast<std::size_t>(k.step_index)];
        k.step_name = s.name;
        k.step_role = s.role;
        k.department_id = s.department_id;
        k.department_name = s.department_name;
        k.reason = std::string(TrimSpace(reason));
        t->dirty = true;
        details["taskId"] = k.id;
        AddEvent(rec, actor, now, "task_returned",
                 "《" + k.item_name + "》由“" + from + "”退回“" + k.step_name + "”：" + k.reason,
                 k.id);
        return Ok();
      });
}

// --- delivery --------------------------------------------------------------------------------

Result<Case> CaseService::HandOut(const Principal& actor, const std::string& case_id,
                                  const std::string& tracking_no) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  return Change(
      actor, case_id, "cases.case.hand_out",
      [&](CaseRecord& rec, store::Tx&, const WorkingCalendar&, Millis now,
          json::object& details) -> Result<void> {
        Case& c = rec.c;
        if (c.status != CaseStatus::kCompleted) return WrongState(c, "出件");
        if (c.delivery == DeliveryMethod::kElectronic) {
          return FailedPrecondition("cases.wrong_state", "电子结果已推送给申请人，无需窗口出件");
        }
        if (c.delivery == DeliveryMethod::kExpress) {
          const std::string no(TrimSpace(tracking_no));
          if (no.size() < 6 || no.size() > 40) {
            return InvalidArgument("cases.tracking_required", "请填写快递单号（6–40 位）")
                .WithField("trackingNo", "请填写快递单号");
          }
          if (!c.tracking_no.empty()) return WrongState(c, "重复寄出");
          c.tracking_no = no;
          details["trackingNo"] = no;
          AddEvent(rec, actor, now, "shipped", "办理结果已寄出，快递单号 " + no);
          return Ok();
        }
        c.status = CaseStatus::kDelivered;
        AddEvent(rec, actor, now, "delivered", "办理结果已在综合窗口交付申请人（统一窗口出件）");
        return Ok();
      });
}

Result<Case> CaseService::ConfirmReceipt(const Principal& actor, const std::string& case_id) {
  return Change(actor, case_id, "cases.case.confirm_receipt",
                [&](CaseRecord& rec, store::Tx&, const WorkingCalendar&, Millis now,
                    json::object&) -> Result<void> {
                  Case& c = rec.c;
                  if (!IsApplicant(actor, c)) {
                    return PermissionDenied("cases.not_applicant", "只有申请人本人可以确认收件");
                  }
                  if (c.status != CaseStatus::kCompleted) return WrongState(c, "确认收件");
                  if (c.delivery == DeliveryMethod::kExpress && c.tracking_no.empty()) {
                    return FailedPrecondition("cases.not_shipped", "办理结果尚未寄出");
                  }
                  if (c.delivery == DeliveryMethod::kWindow) {
                    return FailedPrecondition("cases.wrong_state",
                                              "窗口领取的结果由窗口人员在出件时确认");
                  }
                  c.status = CaseStatus::kDelivered;
                  AddEvent(rec, actor, now, "delivered", "申请人已确认收到办理结果");
                  return Ok();
                });
}

// --- reads -----------------------------------------------------------------------------------

Result<Case> CaseService::Get(const Principal& actor, const std::string& case_id) {
  if (actor.kind == identity::UserKind::kStaff && !actor.Has(Permission::kReadCases) &&
      !actor.Has(Permission::kReviewCases)) {
    return identity::Require(actor, Permission::kReadCases).error();
  }
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  return store::Read(db_, [&](store::Tx& tx) -> Result<Case> {
    Result<CaseRecord> rec = LoadCase(tx, case_id);
    if (!rec.has_value() || !CanSee(actor, *rec)) {
      return NotFound("cases.not_found", "办件不存在");
    }
    return Publish(*rec, cal, clock_.NowMs(), options_.yellow_days);
  });
}

Result<CasePage> CaseService::List(const Principal& actor, const CaseFilter& filter) {
  std::string where = " WHERE 1 = 1";
  std::vector<store::Value> params;
  if (actor.kind != identity::UserKind::kStaff) {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kApplyCases));
    const std::string party = actor.person_id.value_or(actor.enterprise_id.value_or(""));
    where += " AND (applicant_user_id = ? OR applicant_party_id = ?)";
    params.push_back(actor.user_id);
    params.push_back(party);
  } else {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kReadCases));
    std::optional<std::vector<std::string>> scope = actor.ScopeFilter();
    if (scope) {
      where += " AND (created_by = ?";
      params.push_back(actor.user_id);
      // As CanSee: any counter clerk acts on a case not yet accepted, or ready to hand out,
      // wherever it was filed (无差别一窗受理, 统一窗口出件).
      if (actor.Has(Permission::kIntakeCases)) {
        std::string marks;
        for (CaseStatus st : kAnyCounterStatuses) {
          marks += marks.empty() ? "?" : ", ?";
          params.push_back(std::string(CaseStatusCode(st)));
        }
        where += " OR status IN (" + marks + ")";
      }
      if (!scope->empty()) {
        std::string in;
        for (const std::string& d : *scope) {
          in += in.empty() ? "?" : ", ?";
          params.push_back(d);
        }
        for (const std::string& d : *scope) params.push_back(d);
        where += " OR intake_department_id IN (" + in +
                 ") OR EXISTS (SELECT 1 FROM case_task t WHERE t.case_id = case_file.id AND "
                 "t.department_id IN (" +
                 in + "))";
      }
      where += ")";
    }
  }
  if (filter.status) {
    where += " AND status = ?";
    params.push_back(std::string(CaseStatusCode(*filter.status)));
  }
  if (!TrimSpace(filter.q).empty()) {
    const std::string like = store::LikeContains(std::string(TrimSpace(filter.q)));
    where +=
        " AND (receipt_no LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR applicant_name "
        "LIKE ? ESCAPE '\\')";
    params.insert(params.end(), {like, like, like});
  }
  const int limit = std::clamp(filter.limit, 1, 100);
  const int offset = std::max(filter.offset, 0);
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  const Millis now = clock_.NowMs();
  return store::Read(db_, [&](store::Tx& tx) -> Result<CasePage> {
    CasePage page;
    ASSIGN_OR_RETURN(store::Rows count, tx.Query("SELECT COUNT(*) FROM case_file" + where, params));
    page.total = count.front().Int(0);
    std::vector<store::Value> p = params;
    p.push_back(std::int64_t{limit});
    p.push_back(std::int64_t{offset});
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("SELECT id, receipt_no, title, kind, applicant_name, channel, status, "
                 "submitted_at_ms, accepted_at_ms, deadline, deadline_provisional, "
                 "suspended_since_ms FROM case_file" +
                     where + " ORDER BY created_at_ms DESC, id DESC LIMIT ? OFFSET ?",
                 p));
    for (const store::Row& r : rows) {
      CaseSummary s;
      s.id = r.Text(0);
      s.receipt_no = r.Text(1);
      s.title = r.Text(2);
      s.kind = r.Text(3);
      s.applicant_name = r.Text(4);
      s.channel = ParseChannel(r.Text(5)).value_or(Channel::kOnline);
      s.status = ParseCaseStatus(r.Text(6)).value_or(CaseStatus::kSubmitted);
      s.submitted_at_ms = r.OptInt(7);
      s.accepted_at_ms = r.OptInt(8);
      s.deadline = DeadlineFrom(r, 9, 10);
      s.suspended = !r.IsNull(11);
      if (s.status == CaseStatus::kInProgress && s.deadline && !s.suspended) {
        s.light = LightOf(cal, *s.deadline, now, options_.yellow_days);
      }
      page.items.push_back(std::move(s));
    }
    return page;
  });
}

Result<std::vector<QueueEntry>> CaseService::Queue(const Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  std::string where = " WHERE t.status = 'pending' AND c.status IN ('in_progress', 'correction')";
  std::vector<store::Value> params;
  std::optional<std::vector<std::string>> scope = actor.ScopeFilter();
  if (scope) {
    if (scope->empty()) return std::vector<QueueEntry>{};
    std::string in;
    for (const std::string& d : *scope) {
      in += in.empty() ? "?" : ", ?";
      params.push_back(d);
    }
    where += " AND t.department_id IN (" + in + ")";
  }
  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar_.Current());
  const Millis now = clock_.NowMs();
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<QueueEntry>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT " + QualifiedTaskColumns() +
                                  ", c.id, c.receipt_no, c.title, c.applicant_name, "
                                  "c.suspended_since_ms FROM case_task t JOIN case_file c ON "
                                  "c.id = t.case_id" +
                                  where + " ORDER BY t.deadline, t.started_at_ms LIMIT 500",
                              params));
    std::vector<QueueEntry> out;
    for (const store::Row& r : rows) {
      QueueEntry e;
      e.task = TaskFromRow(r).task;
      e.case_id = r.Text(26);
      e.receipt_no = r.Text(27);
      e.case_title = r.Text(28);
      e.applicant_name = r.Text(29);
      e.suspended = !r.IsNull(30);
      if (e.task.deadline && !e.suspended) {
        e.task.light = LightOf(cal, *e.task.deadline, now, options_.yellow_days);
      }
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<int> CaseService::FlagOverduePledges() {
  const Millis now = clock_.NowMs();
  const std::string today = Date::FromMillisCst(now).ToString();
  const Principal system = Principal::System();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<int> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT case_id, material_key, name, pledge_due FROM case_material "
                              "WHERE status = 'pledged' AND pledge_overdue = 0 AND pledge_due < ?",
                              {today}));
    for (const store::Row& r : rows) {
      RETURN_IF_ERROR(
          tx.Exec("UPDATE case_material SET pledge_overdue = 1, updated_at_ms = ? "
                  "WHERE case_id = ? AND material_key = ?",
                  {now, r.Text(0), r.Text(1)}));
      RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO case_event (id, case_id, seq, task_id, at_ms, actor_id, actor_name, kind, "
          "message) SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, NULL, ?, 'system', '系统', "
          "'pledge_overdue', ? FROM case_event WHERE case_id = ?",
          {NewUlid(now), r.Text(0), now,
           "容缺材料“" + r.Text(2) + "”已超过承诺期限 " + r.Text(3) + " 仍未补交", r.Text(0)}));
    }
    return static_cast<int>(rows.size());
  });
}

}  // namespace onestop::cases
