#include "licences/licence_service.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "core/canonical_json.h"
#include "core/id_number.h"
#include "core/licence_id.h"
#include "core/text.h"
#include "core/uscc.h"
#include "core/working_days.h"
#include "identity/departments.h"
#include "licences/internal/rows.h"

namespace onestop::licences {

namespace json = boost::json;
using identity::Permission;
using identity::Principal;

namespace {

constexpr int kMaxPage = 200;

std::string Trim(std::string_view s) { return std::string(text::TrimSpace(s)); }

Result<void> CheckReason(const std::string& reason) {
  std::size_t n = text::CountCodePoints(text::TrimSpace(reason));
  if (n < 2 || n > 200) {
    return InvalidArgument("licences.invalid_reason", "原因须为 2–200 个字")
        .WithField("reason", "原因须为 2–200 个字");
  }
  return Ok();
}

bool IsDate(const std::string& s) { return Date::Parse(s).has_value() && s.size() == 10; }

// Checks the whole face against the type's fields; every problem as "face.<key>".
void CheckFace(const LicenceType& t, const json::object& face, Error& e, bool& bad) {
  auto add = [&](const std::string& field, const std::string& message) {
    e = std::move(e).WithField(field, message);
    bad = true;
  };
  for (const FaceField& f : t.face_fields) {
    const std::string path = "face." + f.key;
    const json::value* v = face.if_contains(f.key);
    if (v == nullptr || v->is_null() ||
        (v->is_string() && text::TrimSpace(v->as_string()).empty())) {
      if (f.required) add(path, "请填写“" + f.label + "”");
      continue;
    }
    if (f.type == FieldType::kNumber) {
      if (v->is_number()) continue;
      if (v->is_string()) {
        std::string s(v->as_string());
        char* end = nullptr;
        errno = 0;
        std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) continue;
      }
      add(path, "“" + f.label + "”应为数字");
      continue;
    }
    if (!v->is_string()) {
      add(path, "“" + f.label + "”应为文字");
      continue;
    }
    const std::string s(v->as_string());
    switch (f.type) {
      case FieldType::kText:
        if (text::CountCodePoints(s) > 500) add(path, "“" + f.label + "”不能超过 500 个字");
        break;
      case FieldType::kDate:
        if (!IsDate(s)) add(path, "“" + f.label + "”应为日期 YYYY-MM-DD");
        break;
      case FieldType::kIdNumber: {
        Result<IdNumber> id = ParseIdNumber(s);
        if (!id.has_value()) add(path, "“" + f.label + "”：" + id.error().message);
        break;
      }
      case FieldType::kUscc: {
        Result<Uscc> u = ParseUscc(s, /*accept_failed_check=*/false);
        if (!u.has_value()) add(path, "“" + f.label + "”：" + u.error().message);
        break;
      }
      case FieldType::kNumber:
        break;
    }
  }
  for (const auto& kv : face) {
    const std::string key(kv.key());
    bool known = std::any_of(t.face_fields.begin(), t.face_fields.end(),
                             [&](const FaceField& f) { return f.key == key; });
    if (!known) add("face." + key, "“" + t.name + "”没有照面字段“" + key + "”");
  }
}

Result<void> CheckHolder(HolderType type, const std::string& code, const std::string& name,
                         Error& e, bool& bad) {
  if (text::TrimSpace(name).empty() || text::CountCodePoints(name) > 100) {
    e = std::move(e).WithField("holderName", "持证主体名称须为 1–100 个字");
    bad = true;
  }
  if (type == HolderType::kPerson) {
    Result<IdNumber> id = ParseIdNumber(code);
    if (!id.has_value()) {
      e = std::move(e).WithField("holderCode", "持证主体公民身份号码：" + id.error().message);
      bad = true;
    }
  } else {
    Result<Uscc> u = ParseUscc(code, /*accept_failed_check=*/true);
    if (!u.has_value()) {
      e = std::move(e).WithField("holderCode", "持证主体统一社会信用代码：" + u.error().message);
      bad = true;
    }
  }
  return Ok();
}

// Today's date (China Standard Time) as YYYY-MM-DD.
std::string Today(const Clock& clock) { return Date::FromMillisCst(clock.NowMs()).ToString(); }

std::string ValidToFor(const LicenceType& t, const std::string& from) {
  if (t.validity_years <= 0) return "";
  Result<Date> d = Date::Parse(from);
  if (!d.has_value()) return "";
  // The day before the same date `years` later (a period of N years ends the day before).
  Date end{d->year + t.validity_years, d->month, d->day};
  if (!Date::IsValid(end.year, end.month, end.day)) end = Date{end.year, 3, 1};
  return end.AddDays(-1).ToString();
}

// Serial 流水号: YYYYMMDD + 6-digit sequence per type, issuer and day.
Result<std::string> NextSerial(store::Tx& tx, const std::string& type_code,
                               const std::string& issuer, const std::string& date) {
  std::string day = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO licences_serial (type_code, issuer_uscc, day, last) VALUES (?, ?, ?, 0) "
              "ON CONFLICT (type_code, issuer_uscc, day) DO NOTHING",
              {type_code, issuer, day}));
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE licences_serial SET last = last + 1 WHERE type_code = ? AND issuer_uscc = ? AND "
      "day = ?",
      {type_code, issuer, day}));
  ASSIGN_OR_RETURN(store::Row row,
                   tx.QueryOne("SELECT last FROM licences_serial WHERE type_code = ? AND "
                               "issuer_uscc = ? AND day = ?",
                               {type_code, issuer, day}, "licences.serial", "流水号计数器缺失"));
  char seq[16];
  std::snprintf(seq, sizeof seq, "%06lld", static_cast<long long>(row.Int(0)));
  return day + seq;
}

json::object LicenceAuditDetails(const Licence& l) {
  return {{"identifier", l.identifier},
          {"typeCode", l.type_code},
          {"number", l.number},
          {"version", l.version},
          {"status", LicenceStatusCode(l.status)}};
}

}  // namespace

LicenceService::LicenceService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                               seal::SealService& seals)
    : db_(db), clock_(clock), audit_(audit), seals_(seals) {}

// ---- 证照目录 ---------------------------------------------------------------------------

namespace {

Result<void> CheckType(store::Tx& tx, LicenceType& t) {
  Error e = InvalidArgument("licences.invalid_type", "证照类型填写有误");
  bool bad = false;
  auto add = [&](const std::string& f, const std::string& m) {
    e = std::move(e).WithField(f, m);
    bad = true;
  };
  t.code = Trim(t.code);
  t.name = Trim(t.name);
  t.definer_name = Trim(t.definer_name);
  t.issuer_uscc = Trim(t.issuer_uscc);
  {
    bool ok = t.code.size() == 21 && std::all_of(t.code.begin() + 18, t.code.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
    if (ok) {
      Result<Uscc> u = ParseUscc(t.code.substr(0, 18), /*accept_failed_check=*/false);
      ok = u.has_value() && u->code == t.code.substr(0, 18);
    }
    if (!ok) add("code", "证照类型代码应为定义机构统一社会信用代码（18位，校验正确）加3位数字");
  }
  if (t.name.empty() || text::CountCodePoints(t.name) > 50)
    add("name", "证照类型名称须为 1–50 个字");
  if (t.definer_name.empty() || text::CountCodePoints(t.definer_name) > 100) {
    add("definerName", "证照定义机构须为 1–100 个字");
  }
  {
    Result<Uscc> u = ParseUscc(t.issuer_uscc, /*accept_failed_check=*/true);
    if (!u.has_value() || u->code != t.issuer_uscc) {
      add("issuerUscc", "颁发机构代码应为18位统一社会信用代码");
    }
  }
  if (t.validity_years < 0 || t.validity_years > 100) {
    add("validityYears", "有效期年数须为 0（长期）至 100");
  }
  if (t.face_fields.empty()) add("faceFields", "至少需要一个照面字段");
  for (std::size_t i = 0; i < t.face_fields.size(); ++i) {
    FaceField& f = t.face_fields[i];
    const std::string base = "faceFields[" + std::to_string(i) + "]";
    f.key = Trim(f.key);
    f.label = Trim(f.label);
    bool key_ok = !f.key.empty() && f.key.size() <= 40 &&
                  std::all_of(f.key.begin(), f.key.end(),
                              [](char c) {
                                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                       (c >= '0' && c <= '9') || c == '_';
                              }) &&
                  !(f.key[0] >= '0' && f.key[0] <= '9');
    if (!key_ok) add(base + ".key", "字段键须为 1–40 位字母、数字或下划线，且不以数字开头");
    for (std::size_t j = 0; j < i; ++j) {
      if (t.face_fields[j].key == f.key) add(base + ".key", "字段键“" + f.key + "”重复");
    }
    static const char* const kReserved[] = {"holderName", "holderCode", "number",    "issueDate",
                                            "validFrom",  "validTo",    "regionCode"};
    for (const char* r : kReserved) {
      if (f.key == r) add(base + ".key", "字段键“" + f.key + "”与证照元数据列重名");
    }
    if (f.label.empty() || text::CountCodePoints(f.label) > 30) {
      add(base + ".label", "字段名称须为 1–30 个字");
    }
  }
  for (std::size_t i = 0; i < t.material_keys.size(); ++i) {
    if (Trim(t.material_keys[i]).empty()) {
      add("materialKeys[" + std::to_string(i) + "]", "材料键不能为空");
    }
  }
  for (std::size_t i = 0; i < t.item_codes.size(); ++i) {
    if (Trim(t.item_codes[i]).empty())
      add("itemCodes[" + std::to_string(i) + "]", "事项编码不能为空");
  }
  if (t.issuing_department_id.empty()) add("issuingDepartmentId", "请选择颁发部门");
  if (bad) return e;
  Result<identity::Department> d = identity::internal::LoadDepartment(tx, t.issuing_department_id);
  if (!d.has_value()) {
    return NotFound("licences.no_such_department", "颁发部门不存在")
        .WithField("issuingDepartmentId", "颁发部门不存在");
  }
  t.issuing_department_name = d->name;
  return Ok();
}

Result<void> RequireTypeManager(const Principal& actor, const std::string& department_id) {
  if (actor.Has(Permission::kManageCatalog)) {
    return identity::RequireInScope(actor, Permission::kManageCatalog, department_id);
  }
  return identity::RequireInScope(actor, Permission::kIssueLicences, department_id);
}

json::object TypeAuditDetails(const LicenceType& t) {
  return {{"code", t.code},
          {"name", t.name},
          {"issuingDepartmentId", t.issuing_department_id},
          {"faceFields", static_cast<std::int64_t>(t.face_fields.size())},
          {"validityYears", t.validity_years}};
}

}  // namespace

Result<LicenceType> LicenceService::CreateType(const Principal& actor, const LicenceType& in) {
  RETURN_IF_ERROR(RequireTypeManager(actor, in.issuing_department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LicenceType> {
    LicenceType t = in;
    RETURN_IF_ERROR(CheckType(tx, t));
    const Millis now = clock_.NowMs();
    t.created_at_ms = t.updated_at_ms = now;
    t.version = 1;
    Result<std::int64_t> ins = internal::InsertType(tx, t);
    if (!ins.has_value()) {
      if (ins.error().code == ErrorCode::kAlreadyExists) {
        return AlreadyExists("licences.type_exists", "证照类型代码“" + t.code + "”已存在")
            .WithField("code", "该代码已被使用");
      }
      return std::move(ins).error();
    }
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"licences.type.create", "licence_type", t.code, std::nullopt, "",
                                   json::serialize(TypeAuditDetails(t))}));
    return t;
  });
}

Result<LicenceType> LicenceService::UpdateType(const Principal& actor, const LicenceType& in) {
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LicenceType> {
    ASSIGN_OR_RETURN(LicenceType before, internal::LoadType(tx, in.code));
    RETURN_IF_ERROR(RequireTypeManager(actor, before.issuing_department_id));
    LicenceType t = in;
    t.code = before.code;
    RETURN_IF_ERROR(CheckType(tx, t));
    RETURN_IF_ERROR(RequireTypeManager(actor, t.issuing_department_id));
    t.created_at_ms = before.created_at_ms;
    t.updated_at_ms = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t n, internal::UpdateType(tx, t, in.version));
    RETURN_IF_ERROR(store::CheckVersion(n));
    t.version = in.version + 1;
    json::object details = TypeAuditDetails(t);
    details["beforeName"] = before.name;
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"licences.type.update", "licence_type", t.code, std::nullopt, "",
                                   json::serialize(details)}));
    return t;
  });
}

Result<std::vector<LicenceType>> LicenceService::ListTypes(const Principal&) {
  return store::Read(db_, [](store::Tx& tx) { return internal::ListTypes(tx, ""); });
}

Result<LicenceType> LicenceService::GetType(const Principal&, const std::string& code) {
  return store::Read(db_, [&](store::Tx& tx) { return internal::LoadType(tx, code); });
}

Result<LicenceType> LicenceService::GetType(store::Tx& tx, const std::string& code) {
  return internal::LoadType(tx, code);
}

Result<std::vector<LicenceType>> LicenceService::TypesForMaterial(store::Tx& tx,
                                                                  const std::string& material_key) {
  ASSIGN_OR_RETURN(std::vector<LicenceType> all, internal::ListTypes(tx, ""));
  std::vector<LicenceType> out;
  for (LicenceType& t : all) {
    if (std::find(t.material_keys.begin(), t.material_keys.end(), material_key) !=
        t.material_keys.end()) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

// ---- Issue --------------------------------------------------------------------------------

std::string LicenceService::CanonicalBytes(const Licence& l) {
  return CanonicalJson(SignedDocument(l));
}

Result<void> LicenceService::SignInto(store::Tx& tx, Licence& l) {
  ASSIGN_OR_RETURN(seal::SealSignature sig,
                   seals_.Sign(tx, l.issuing_department_id, CanonicalBytes(l)));
  l.seal_id = sig.seal_id;
  l.key_id = sig.key_id;
  l.sign_alg = seal::SignAlgCode(sig.alg);
  l.signature_b64 = seal::Base64(sig.signature);
  l.signed_at_ms = sig.signed_at_ms;
  return Ok();
}

Result<Licence> LicenceService::Issue(const Principal& actor, const NewLicence& n) {
  return store::Transact(db_, [&](store::Tx& tx) { return Issue(tx, actor, n); });
}

Result<Licence> LicenceService::Issue(store::Tx& tx, const Principal& actor, const NewLicence& n) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  ASSIGN_OR_RETURN(LicenceType t, internal::LoadType(tx, n.type_code));
  std::string by_department;
  if (!actor.IsSystem()) {
    if (!actor.department_id) {
      return PermissionDenied(
          "licences.wrong_department",
          "只有“" + t.issuing_department_name + "”及其下级部门可以颁发“" + t.name + "”");
    }
    ASSIGN_OR_RETURN(identity::Department mine,
                     identity::internal::LoadDepartment(tx, *actor.department_id));
    if (mine.path.find("/" + t.issuing_department_id + "/") == std::string::npos) {
      return PermissionDenied(
          "licences.wrong_department",
          "只有“" + t.issuing_department_name + "”及其下级部门可以颁发“" + t.name + "”");
    }
    by_department = mine.id;
  }
  return IssueChecked(tx, actor, t, n, by_department);
}

Result<Licence> LicenceService::IssueForCase(store::Tx& tx, const Principal& reviewer,
                                             const NewLicence& n) {
  ASSIGN_OR_RETURN(LicenceType t, internal::LoadType(tx, n.type_code));
  return IssueChecked(tx, reviewer, t, n, reviewer.department_id.value_or(""));
}

Result<Licence> LicenceService::IssueImported(store::Tx& tx, const LicenceType& t,
                                              const NewLicence& n,
                                              const std::string& by_department) {
  ASSIGN_OR_RETURN(Licence l, Prepare(tx, t, n));
  l.issued_by_department_id = by_department;
  RETURN_IF_ERROR(Store(tx, l));
  return l;
}

Result<Licence> LicenceService::IssueChecked(store::Tx& tx, const Principal& actor,
                                             const LicenceType& t, const NewLicence& n,
                                             const std::string& by_department) {
  ASSIGN_OR_RETURN(Licence l, Prepare(tx, t, n));
  l.issued_by_department_id = by_department;
  RETURN_IF_ERROR(Store(tx, l));
  RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                {"licences.licence.issue", "licence", l.identifier, std::nullopt,
                                 "", json::serialize(LicenceAuditDetails(l))}));
  return l;
}

Result<Licence> LicenceService::Prepare(store::Tx& tx, const LicenceType& t, const NewLicence& n) {
  Error e = InvalidArgument("licences.invalid_licence", "证照信息填写有误");
  bool bad = false;
  Licence l;
  l.type_code = t.code;
  l.type_name = t.name;
  l.name = t.name;
  l.holder_type = t.holder_type;
  l.holder_name = Trim(n.holder_name);
  l.holder_code = Trim(n.holder_code);
  if (l.holder_type == HolderType::kPerson && !l.holder_code.empty() &&
      l.holder_code.back() == 'x') {
    l.holder_code.back() = 'X';
  }
  RETURN_IF_ERROR(CheckHolder(l.holder_type, l.holder_code, l.holder_name, e, bad));
  CheckFace(t, n.face, e, bad);
  l.face = n.face;
  l.issue_date = Trim(n.issue_date).empty() ? Today(clock_) : Trim(n.issue_date);
  if (!IsDate(l.issue_date)) {
    e = std::move(e).WithField("issueDate", "颁发日期应为 YYYY-MM-DD");
    bad = true;
  }
  l.valid_from = Trim(n.valid_from).empty() ? l.issue_date : Trim(n.valid_from);
  if (!IsDate(l.valid_from)) {
    e = std::move(e).WithField("validFrom", "有效期起始应为 YYYY-MM-DD");
    bad = true;
  }
  l.valid_to = Trim(n.valid_to).empty() ? ValidToFor(t, l.valid_from) : Trim(n.valid_to);
  if (!l.valid_to.empty() && !IsDate(l.valid_to)) {
    e = std::move(e).WithField("validTo", "有效期截止应为 YYYY-MM-DD，长期请留空");
    bad = true;
  } else if (!l.valid_to.empty() && IsDate(l.valid_from) && l.valid_to < l.valid_from) {
    e = std::move(e).WithField("validTo", "有效期截止不能早于起始");
    bad = true;
  }
  std::string region = Trim(n.region_code);
  if (!region.empty() &&
      (region.size() != 6 ||
       !std::all_of(region.begin(), region.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    e = std::move(e).WithField("regionCode", "管辖属地编码应为6位行政区划代码");
    bad = true;
  }
  std::string number = Trim(n.number);
  if (text::CountCodePoints(number) > 64) {
    e = std::move(e).WithField("number", "证照编号不能超过 64 个字");
    bad = true;
  }
  if (bad) return e;

  ASSIGN_OR_RETURN(identity::Department issuer,
                   identity::internal::LoadDepartment(tx, t.issuing_department_id));
  l.issuing_department_id = issuer.id;
  l.issuer_name = issuer.name;
  l.issuer_uscc = t.issuer_uscc;
  l.region_code = region.empty() ? issuer.region_code : region;
  l.item_code = Trim(n.item_code);
  l.item_name = Trim(n.item_name);
  l.case_id = n.case_id;
  ASSIGN_OR_RETURN(l.serial, NextSerial(tx, t.code, t.issuer_uscc, l.issue_date));
  ASSIGN_OR_RETURN(LicenceId id, BuildLicenceId(t.code, t.issuer_uscc, l.serial, 1));
  l.identifier = id.str();
  l.version = 1;
  l.number = number.empty() ? l.serial : number;
  return l;
}

Result<void> LicenceService::Store(store::Tx& tx, Licence& l) {
  RETURN_IF_ERROR(SignInto(tx, l));
  const Millis now = clock_.NowMs();
  l.created_at_ms = l.updated_at_ms = now;
  l.status = LicenceStatus::kValid;
  l.row_version = 1;
  Result<std::int64_t> ins = internal::InsertLicence(tx, l);
  if (!ins.has_value()) {
    if (ins.error().code == ErrorCode::kAlreadyExists) {
      return AlreadyExists("licences.number_taken",
                           "“" + l.type_name + "”编号“" + l.number + "”已存在")
          .WithField("number", "该证照编号已存在");
    }
    return std::move(ins).error();
  }
  return Ok();
}

// ---- Status and versions --------------------------------------------------------------------

Result<Licence> LicenceService::LoadForChange(store::Tx& tx, const Principal& actor,
                                              const std::string& identifier) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  ASSIGN_OR_RETURN(Licence l, internal::LoadLicence(tx, identifier));
  if (!MaySee(actor, l)) return NotFound("licences.not_found", "证照不存在");
  return l;
}

bool LicenceService::MaySee(const Principal& actor, const Licence& l) {
  if (actor.IsSystem()) return true;
  if (!actor.Has(Permission::kIssueLicences)) return false;
  return actor.CoversDepartment(l.issuing_department_id) ||
         (!l.issued_by_department_id.empty() && actor.CoversDepartment(l.issued_by_department_id));
}

Result<Licence> LicenceService::ChangeStatus(const Principal& actor, const std::string& identifier,
                                             LicenceStatus to, const std::string& reason) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  RETURN_IF_ERROR(CheckReason(reason));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Licence> {
    ASSIGN_OR_RETURN(Licence l, LoadForChange(tx, actor, identifier));
    const LicenceStatus from = l.status;
    bool allowed = false;
    if (to == LicenceStatus::kSuperseded || to == from) {
      allowed = false;
    } else if (from == LicenceStatus::kValid) {
      allowed = true;
    } else if (from == LicenceStatus::kSuspended) {
      allowed = true;  // reinstate, or any final status
    }
    if (!allowed) {
      return FailedPrecondition("licences.bad_transition",
                                std::string("证照状态为“") + LicenceStatusName(from) +
                                    "”，不能改为“" + LicenceStatusName(to) + "”");
    }
    const Millis now = clock_.NowMs();
    const std::string why = Trim(reason);
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE licences_licence SET status = ?, status_reason = ?, "
                "updated_at_ms = ?, row_version = row_version + 1 "
                "WHERE identifier = ? AND row_version = ?",
                {std::string(LicenceStatusCode(to)), why, now, l.identifier, l.row_version}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    l.status = to;
    l.status_reason = why;
    l.updated_at_ms = now;
    ++l.row_version;
    json::object details = LicenceAuditDetails(l);
    details["from"] = LicenceStatusCode(from);
    details["to"] = LicenceStatusCode(to);
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"licences.licence.status", "licence", l.identifier, std::nullopt,
                                   why, json::serialize(details)}));
    return l;
  });
}

Result<Licence> LicenceService::NewVersion(const Principal& actor, const std::string& identifier,
                                           const LicenceChange& change) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  RETURN_IF_ERROR(CheckReason(change.reason));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Licence> {
    ASSIGN_OR_RETURN(Licence old, LoadForChange(tx, actor, identifier));
    if (old.status != LicenceStatus::kValid && old.status != LicenceStatus::kSuspended) {
      return FailedPrecondition(
          "licences.bad_transition",
          std::string("证照状态为“") + LicenceStatusName(old.status) + "”，不能换发新版本");
    }
    if (old.version >= 999) {
      return FailedPrecondition("licences.bad_transition", "证照版本号已达 999，不能再换发");
    }
    ASSIGN_OR_RETURN(LicenceType t, internal::LoadType(tx, old.type_code));
    Error e = InvalidArgument("licences.invalid_licence", "证照信息填写有误");
    bool bad = false;
    Licence l = old;
    if (change.face) l.face = *change.face;
    if (change.holder_name) l.holder_name = Trim(*change.holder_name);
    if (change.valid_to) l.valid_to = Trim(*change.valid_to);
    RETURN_IF_ERROR(CheckHolder(l.holder_type, l.holder_code, l.holder_name, e, bad));
    CheckFace(t, l.face, e, bad);
    if (!l.valid_to.empty() && !IsDate(l.valid_to)) {
      e = std::move(e).WithField("validTo", "有效期截止应为 YYYY-MM-DD，长期请留空");
      bad = true;
    } else if (!l.valid_to.empty() && l.valid_to < l.valid_from) {
      e = std::move(e).WithField("validTo", "有效期截止不能早于起始");
      bad = true;
    }
    if (bad) return e;
    l.version = old.version + 1;
    ASSIGN_OR_RETURN(LicenceId id, BuildLicenceId(l.type_code, l.issuer_uscc, l.serial, l.version));
    l.identifier = id.str();
    l.issue_date = Today(clock_);
    l.previous_identifier = old.identifier;
    l.superseded_by.reset();
    l.status_reason = "";
    if (actor.department_id) l.issued_by_department_id = *actor.department_id;
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t n,
                     tx.Exec("UPDATE licences_licence SET status = ?, status_reason = ?, "
                             "superseded_by = ?, updated_at_ms = ?, row_version = row_version + 1 "
                             "WHERE identifier = ? AND row_version = ?",
                             {std::string("superseded"), Trim(change.reason), l.identifier, now,
                              old.identifier, old.row_version}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    RETURN_IF_ERROR(Store(tx, l));
    json::object details = LicenceAuditDetails(l);
    details["previous"] = old.identifier;
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"licences.licence.new_version", "licence", l.identifier,
                                   std::nullopt, Trim(change.reason), json::serialize(details)}));
    return l;
  });
}

// ---- Reading ----------------------------------------------------------------------------

Result<Licence> LicenceService::Get(const Principal& actor, const std::string& identifier) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  return store::Read(db_, [&](store::Tx& tx) { return LoadForChange(tx, actor, identifier); });
}

Result<LicencePage> LicenceService::List(const Principal& actor, const LicenceFilter& f) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  if (f.limit < 1 || f.limit > kMaxPage || f.offset < 0) {
    return InvalidArgument("licences.bad_page", "分页参数有误：每页 1–200 条");
  }
  std::string where = " WHERE 1 = 1";
  std::vector<store::Value> params;
  std::optional<std::vector<std::string>> scope = actor.ScopeFilter();
  if (scope) {
    if (scope->empty() && actor.department_id) scope->push_back(*actor.department_id);
    if (scope->empty()) return LicencePage{};
    where += " AND (issuing_department_id IN (";
    for (std::size_t i = 0; i < scope->size(); ++i) {
      where += i ? ", ?" : "?";
      params.push_back((*scope)[i]);
    }
    where += ") OR issued_by_department_id IN (";
    for (std::size_t i = 0; i < scope->size(); ++i) {
      where += i ? ", ?" : "?";
      params.push_back((*scope)[i]);
    }
    where += "))";
  }
  if (!f.type_code.empty()) {
    where += " AND type_code = ?";
    params.push_back(f.type_code);
  }
  if (f.status) {
    where += " AND status = ?";
    params.push_back(std::string(LicenceStatusCode(*f.status)));
  } else if (!f.include_superseded) {
    where += " AND status <> 'superseded'";
  }
  if (!f.holder_code.empty()) {
    where += " AND holder_code = ?";
    params.push_back(Trim(f.holder_code));
  }
  if (!Trim(f.q).empty()) {
    where += " AND (holder_name LIKE ? ESCAPE '\\' OR number LIKE ? ESCAPE '\\')";
    params.push_back(store::LikeContains(Trim(f.q)));
    params.push_back(store::LikeContains(Trim(f.q)));
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<LicencePage> {
    LicencePage page;
    ASSIGN_OR_RETURN(store::Row count, tx.QueryOne("SELECT COUNT(*) FROM licences_licence" + where,
                                                   params, "licences.count", "计数失败"));
    page.total = count.Int(0);
    std::vector<store::Value> p = params;
    p.push_back(std::int64_t{f.limit});
    p.push_back(std::int64_t{f.offset});
    ASSIGN_OR_RETURN(page.items,
                     internal::QueryLicences(tx,
                                             where + " ORDER BY created_at_ms DESC, identifier "
                                                     "DESC LIMIT ? OFFSET ?",
                                             p));
    return page;
  });
}

Result<std::vector<Licence>> LicenceService::Mine(const Principal& actor, bool only_valid) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Licence>> {
    if (actor.person_id) {
      ASSIGN_OR_RETURN(store::Row row,
                       tx.QueryOne("SELECT id_number FROM identity_person WHERE id = ?",
                                   {*actor.person_id}, "licences.no_holder", "账号未关联自然人"));
      return ByHolder(tx, HolderType::kPerson, row.Text(0), only_valid, Today(clock_));
    }
    if (actor.enterprise_id) {
      ASSIGN_OR_RETURN(store::Row row,
                       tx.QueryOne("SELECT uscc FROM identity_enterprise WHERE id = ?",
                                   {*actor.enterprise_id}, "licences.no_holder", "账号未关联企业"));
      return ByHolder(tx, HolderType::kEnterprise, row.Text(0), only_valid, Today(clock_));
    }
    return std::vector<Licence>{};
  });
}

Result<std::vector<Licence>> LicenceService::ByHolder(store::Tx& tx, HolderType type,
                                                      const std::string& holder_code,
                                                      bool only_valid,
                                                      std::optional<std::string> today_in) {
  std::vector<store::Value> params{Trim(holder_code), std::string(HolderTypeCode(type))};
  std::string where = " WHERE holder_code = ? AND holder_type = ? AND status ";
  where += only_valid ? "= 'valid'" : "<> 'superseded'";
  ASSIGN_OR_RETURN(std::vector<Licence> all,
                   internal::QueryLicences(tx, where + " ORDER BY created_at_ms DESC", params));
  if (!only_valid) return all;
  // A licence whose 有效期截止 has passed is no longer usable, whatever its stored status.
  const std::string today =
      today_in.value_or(Date::FromMillisCst(SystemClock::Instance().NowMs()).ToString());
  std::vector<Licence> out;
  for (Licence& l : all) {
    if (l.valid_to.empty() || l.valid_to >= today) out.push_back(std::move(l));
  }
  return out;
}

Result<Licence> LicenceService::ByIdentifier(store::Tx& tx, const std::string& identifier) {
  return internal::LoadLicence(tx, Trim(identifier));
}

// ---- Verification -----------------------------------------------------------------------

Result<Verification> LicenceService::Verify(const std::string& identifier) {
  Verification v;
  v.checked_at_ms = clock_.NowMs();
  Result<LicenceId> id = ParseLicenceId(identifier);
  if (!id.has_value()) {
    v.result = VerifyResult::kUnknown;
    v.message = "证照标识有误：" + id.error().message;
    return v;
  }
  std::string issuing_department_id;
  ASSIGN_OR_RETURN(
      v, store::Read(db_, [&](store::Tx& tx) -> Result<Verification> {
        Result<Licence> found = internal::LoadLicence(tx, id->str());
        if (!found.has_value()) {
          if (found.error().code != ErrorCode::kNotFound) return std::move(found).error();
          v.result = VerifyResult::kUnknown;
          v.message = "查无此证：证照库中没有这个证照标识";
          return v;
        }
        const Licence& l = *found;
        issuing_department_id = l.issuing_department_id;
        LicenceSummary s;
        s.identifier = l.identifier;
        s.name = l.name;
        s.type_code = l.type_code;
        s.number = l.number;
        s.version = l.version;
        s.issuer_name = l.issuer_name;
        s.issuer_uscc = l.issuer_uscc;
        s.issue_date = l.issue_date;
        s.valid_from = l.valid_from;
        s.valid_to = l.valid_to;
        s.region_code = l.region_code;
        s.holder_type = l.holder_type;
        s.holder_name_masked =
            l.holder_type == HolderType::kPerson ? MaskHolderName(l.holder_name) : l.holder_name;
        s.holder_code_masked = MaskHolderCode(l.holder_type, l.holder_code);
        s.status = l.status;
        s.superseded_by = l.superseded_by;
        v.licence = s;

        seal::SealSignature sig;
        sig.seal_id = l.seal_id;
        sig.key_id = l.key_id;
        sig.signed_at_ms = l.signed_at_ms;
        Result<seal::SignAlg> alg = seal::ParseSignAlg(l.sign_alg);
        Result<std::string> raw = seal::FromBase64(l.signature_b64);
        Result<void> ok = Internal("licences.bad_signature", "签名无法解析");
        if (alg.has_value() && raw.has_value()) {
          sig.alg = *alg;
          sig.signature = *raw;
          ok = seals_.Verify(tx, CanonicalBytes(l), sig);
        }
        SealSummary ss;
        ss.seal_id = l.seal_id;
        ss.key_id = l.key_id;
        ss.alg = l.sign_alg;
        v.seal = ss;
        if (!ok.has_value()) {
          if (ok.error().code != ErrorCode::kFailedPrecondition &&
              ok.error().code != ErrorCode::kNotFound && ok.error().code != ErrorCode::kInternal &&
              ok.error().code != ErrorCode::kInvalidArgument) {
            return std::move(ok).error();
          }
          v.result = VerifyResult::kTampered;
          v.message = "证照数据与电子印章签名不符，可能被篡改或非本部门印章签发";
          return v;
        }
        const std::string today = Date::FromMillisCst(v.checked_at_ms).ToString();
        switch (l.status) {
          case LicenceStatus::kValid:
            if (!l.valid_to.empty() && l.valid_to < today) {
              v.result = VerifyResult::kExpired;
              v.message = "证照已超过有效期（截止 " + l.valid_to + "）";
            } else {
              v.result = VerifyResult::kValid;
              v.message = "证照有效，签名验证通过";
            }
            return v;
          case LicenceStatus::kSuspended:
            v.result = VerifyResult::kSuspended;
            break;
          case LicenceStatus::kRevoked:
            v.result = VerifyResult::kRevoked;
            break;
          case LicenceStatus::kCancelled:
            v.result = VerifyResult::kCancelled;
            break;
          case LicenceStatus::kExpired:
            v.result = VerifyResult::kExpired;
            break;
          case LicenceStatus::kWithdrawn:
            v.result = VerifyResult::kWithdrawn;
            break;
          case LicenceStatus::kSuperseded:
            v.result = VerifyResult::kSuperseded;
            v.message = "签名验证通过，但此版本已换发，最新版本为 " + l.superseded_by.value_or("");
            return v;
        }
        v.message = std::string("签名验证通过，证照状态：") + LicenceStatusName(l.status);
        return v;
      }));
  // The seal's name and public key, outside the read transaction (the seal service opens its
  // own). A signature by a valid key of some other department's seal is no signature of the
  // issuer: the key must belong to the seal named, and the seal to the issuing department.
  if (v.seal) {
    Result<seal::Seal> sl = seals_.Get(v.seal->seal_id);
    if (sl.has_value()) {
      v.seal->seal_name = sl->name;
      v.seal->department_name = sl->department_name;
    }
    const bool own_key = v.seal->key_id.rfind(v.seal->seal_id + "-k", 0) == 0 && sl.has_value() &&
                         sl->department_id == issuing_department_id;
    if (!own_key && v.result != VerifyResult::kTampered) {
      v.result = VerifyResult::kTampered;
      v.message = "证照签名所用印章不属于颁发部门，可能被篡改";
    }
    Result<seal::SealKey> key = seals_.PublicKey(v.seal->key_id);
    if (key.has_value()) v.seal->public_key_pem = key->public_key_pem;
  }
  return v;
}

Result<std::string> LicenceService::SignedBytes(const std::string& identifier) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(Licence l, internal::LoadLicence(tx, Trim(identifier)));
    return CanonicalBytes(l);
  });
}

Result<std::string> LicenceService::SignedBytes(const Principal& actor,
                                                const std::string& identifier) {
  if (actor.Has(Permission::kIssueLicences)) {
    Result<Licence> l = Get(actor, identifier);
    if (l.has_value()) return CanonicalBytes(*l);
  }
  if (actor.Has(Permission::kSelfLicences)) {
    ASSIGN_OR_RETURN(std::vector<Licence> mine, Mine(actor, /*only_valid=*/false));
    for (const Licence& l : mine) {
      if (l.identifier == Trim(identifier)) return CanonicalBytes(l);
    }
  }
  return NotFound("licences.not_found", "证照不存在");
}

}  // namespace onestop::licences
