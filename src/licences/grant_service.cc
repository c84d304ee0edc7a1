#include "licences/grant_service.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <tuple>
#include <utility>

#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/working_days.h"
#include "licences/identity_token.h"
#include "render/document.h"

namespace onestop::licences {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using text::CodePointAt;
using text::CountCodePoints;
using text::TrimSpace;

namespace {

constexpr std::array<std::pair<GrantMode, const char*>, 2> kModes = {
    {{GrantMode::kSingleUse, "single_use"}, {GrantMode::kUntilCaseCloses, "until_case_closes"}}};
constexpr std::array<std::pair<GrantStatus, const char*>, 4> kStatuses = {
    {{GrantStatus::kActive, "active"},
     {GrantStatus::kUsed, "used"},
     {GrantStatus::kExpired, "expired"},
     {GrantStatus::kRevoked, "revoked"}}};

constexpr Millis kDayMs = 24LL * 3600 * 1000;
constexpr Millis kScanGrantMs = kDayMs;  // a grant made by scanning lives one day

// The holder an account speaks for.
struct Holder {
  std::string party_id;
  std::string kind;  // person / enterprise
  std::string name;
  std::string code;  // 身份证号 / USCC
  HolderType type = HolderType::kPerson;
};

Result<Holder> HolderOfParty(store::Tx& tx, const std::string& party_id, const std::string& kind) {
  Holder h;
  h.party_id = party_id;
  h.kind = kind;
  if (kind == "person") {
    ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT name, id_number FROM identity_person "
                                               "WHERE id = ?",
                                               {party_id}, "licences.no_party", "持证人不存在"));
    h.name = r.Text(0);
    h.code = r.Text(1);
    h.type = HolderType::kPerson;
  } else {
    ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT name, uscc FROM identity_enterprise "
                                               "WHERE id = ?",
                                               {party_id}, "licences.no_party", "持证企业不存在"));
    h.name = r.Text(0);
    h.code = r.Text(1);
    h.type = HolderType::kEnterprise;
  }
  return h;
}

Result<Holder> HolderOf(store::Tx& tx, const Principal& actor) {
  if (actor.person_id) return HolderOfParty(tx, *actor.person_id, "person");
  if (actor.enterprise_id) return HolderOfParty(tx, *actor.enterprise_id, "enterprise");
  return FailedPrecondition("licences.no_party", "本账号未关联自然人或企业，不能管理证照授权");
}

std::string ToJsonText(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> FromJsonText(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

bool CaseClosed(const std::string& status) {
  for (cases::CaseStatus s : {cases::CaseStatus::kRefused, cases::CaseStatus::kCompleted,
                              cases::CaseStatus::kRejected, cases::CaseStatus::kDelivered}) {
    if (status == cases::CaseStatusCode(s)) return true;
  }
  return false;
}

constexpr const char* kGrantSelect =
    "SELECT g.id, g.holder_party_id, g.holder_kind, g.holder_name, g.holder_code, "
    "g.department_id, d.name, g.item_code, g.case_id, g.type_codes_json, g.purpose, g.mode, "
    "g.source, g.token_id, g.created_by, g.created_at_ms, g.expires_at_ms, g.revoked_at_ms, "
    "g.used_at_ms, g.version, cf.status FROM consent_grant g "
    "LEFT JOIN identity_department d ON d.id = g.department_id "
    "LEFT JOIN case_file cf ON cf.id = g.case_id ";

Grant GrantFromRow(const store::Row& r, Millis now) {
  Grant g;
  g.id = r.Text(0);
  g.holder_party_id = r.Text(1);
  g.holder_kind = r.Text(2);
  g.holder_name = r.Text(3);
  g.holder_code = r.Text(4);
  g.department_id = r.Text(5);
  g.department_name = r.Text(6);
  g.item_code = r.Text(7);
  g.case_id = r.OptText(8);
  g.type_codes = FromJsonText(r.Text(9));
  g.purpose = r.Text(10);
  g.mode = ParseGrantMode(r.Text(11)).value_or(GrantMode::kSingleUse);
  g.source = r.Text(12);
  g.token_id = r.OptText(13);
  g.created_by = r.Text(14);
  g.created_at_ms = r.Int(15);
  g.expires_at_ms = r.Int(16);
  g.revoked_at_ms = r.OptInt(17);
  g.used_at_ms = r.OptInt(18);
  g.version = r.Int(19);
  const bool closed = g.mode == GrantMode::kUntilCaseCloses && CaseClosed(r.Text(20));
  if (g.revoked_at_ms) {
    g.status = GrantStatus::kRevoked;
  } else if ((g.mode == GrantMode::kSingleUse && g.used_at_ms) || closed) {
    g.status = GrantStatus::kUsed;
  } else if (now >= g.expires_at_ms) {
    g.status = GrantStatus::kExpired;
  } else {
    g.status = GrantStatus::kActive;
  }
  return g;
}

// Why `g` does not allow `actor` to retrieve a licence of `type_code` for item / case, or ""
// when it does.
std::string WhyNot(const Grant& g, const Principal& actor, const std::string& type_code,
                   const std::string& item_code, const std::optional<std::string>& case_id) {
  switch (g.status) {
    case GrantStatus::kRevoked:
      return "持证人已撤回该授权";
    case GrantStatus::kUsed:
      return g.mode == GrantMode::kSingleUse ? "该授权为单次使用，已经使用过"
                                             : "授权所属办件已办结，授权已失效";
    case GrantStatus::kExpired:
      return "该授权已过期";
    case GrantStatus::kActive:
      break;
  }
  if (!actor.department_id || *actor.department_id != g.department_id) {
    return "该授权不是给本部门的";
  }
  if (std::find(g.type_codes.begin(), g.type_codes.end(), type_code) == g.type_codes.end()) {
    return "持证人未授权调取该类证照";
  }
  if (!g.item_code.empty() && !item_code.empty() && item_code != g.item_code) {
    return "该授权不适用于本事项";
  }
  if (g.case_id && case_id && *case_id != *g.case_id) return "该授权不适用于本办件";
  return "";
}

Error NoGrant(const std::string& why) {
  return PermissionDenied("licences.no_grant", "没有持证人的有效授权，不能调取证照：" + why);
}

Result<void> CheckPurpose(const std::string& purpose, Error& bad, bool& any) {
  const std::string_view p = TrimSpace(purpose);
  if (p.empty()) {
    bad = std::move(bad).WithField("purpose", "请填写申请事由");
    any = true;
  } else if (CountCodePoints(p) > static_cast<std::size_t>(kMaxPurposeChars)) {
    bad = std::move(bad).WithField("purpose", "申请事由不能超过200个字");
    any = true;
  }
  return Ok();
}

Result<bool> TypeExists(store::Tx& tx, const std::string& code) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT code FROM licences_type WHERE code = ?", {code}));
  return !rows.empty();
}

// "张*三": the first and last characters kept (two-character names keep the first only).
std::string MaskPersonName(std::string_view name) {
  const std::size_t n = CountCodePoints(name);
  if (n <= 1) return std::string(name);
  std::string out(CodePointAt(name, 0));
  if (n == 2) return out + "*";
  for (std::size_t i = 1; i + 1 < n; ++i) out += "*";
  return out + std::string(CodePointAt(name, n - 1));
}

std::string CstDate(Millis ms) { return Date::FromMillisCst(ms).ToString(); }

std::string ChineseDate(const std::string& ymd) {
  Result<Date> d = Date::Parse(ymd);
  if (!d.has_value()) return ymd;
  return std::to_string(d->year) + "年" + std::to_string(d->month) + "月" + std::to_string(d->day) +
         "日";
}

std::string FaceText(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

// "此件由张三提供，仅供办理居住证申领使用，有效期至2026年12月4日".
std::string Watermark(const std::string& holder, const std::string& use, const std::string& until) {
  return "此件由" + holder + "提供，仅供办理" + use + "使用，有效期至" + ChineseDate(until);
}

// A licence laid out as a purpose-bound copy (加注件).
Result<std::string> RenderCopy(store::Tx& tx, const Licence& l, const std::string& watermark) {
  render::Document doc;
  doc.title = l.name;
  doc.number_line = "证照编号：" + l.number;
  doc.fields.push_back({"持证主体", l.holder_name});
  doc.fields.push_back({HolderTypeName(l.holder_type), l.holder_code});
  // Face fields in the type's order with its labels; keys the type does not name follow.
  std::vector<std::string> shown;
  ASSIGN_OR_RETURN(
      store::Rows type_rows,
      tx.Query("SELECT face_fields_json FROM licences_type WHERE code = ?", {l.type_code}));
  if (!type_rows.empty()) {
    boost::system::error_code ec;
    json::value fields = json::parse(type_rows.front().Text(0), ec);
    if (!ec && fields.is_array()) {
      for (const json::value& f : fields.as_array()) {
        if (!f.is_object()) continue;
        const json::object& o = f.as_object();
        const json::value* key = o.if_contains("key");
        const json::value* label = o.if_contains("label");
        if (!key || !key->is_string()) continue;
        const std::string k(key->as_string());
        const json::value* v = l.face.if_contains(k);
        doc.fields.push_back({label && label->is_string() ? std::string(label->as_string()) : k,
                              v ? FaceText(*v) : ""});
        shown.push_back(k);
      }
    }
  }
  for (const auto& [k, v] : l.face) {
    if (std::find(shown.begin(), shown.end(), std::string(k)) == shown.end()) {
      doc.fields.push_back({std::string(k), FaceText(v)});
    }
  }
  doc.fields.push_back({"颁发机构", l.issuer_name});
  doc.fields.push_back({"颁发日期", l.issue_date});
  doc.fields.push_back(
      {"有效期", l.valid_from + " 至 " + (l.valid_to.empty() ? std::string("长期") : l.valid_to)});
  doc.fields.push_back({"证照标识", l.identifier});
  doc.issuer_name = l.issuer_name;
  doc.issued_date = ChineseDate(l.issue_date);
  doc.seal = render::SealMark{l.issuer_name, "电子证照专用章"};
  doc.qr_text = l.identifier;
  doc.verification_code = l.identifier;
  doc.footer = "本件为电子证照加注件，可凭证照标识在政务服务平台“证照核验”页面核验真伪";
  doc.watermark = watermark;
  doc.header_note = "加注件：" + watermark;
  doc.pdf_title = l.name + "（加注件）";
  return render::RenderPdf(doc);
}

json::object RetrievalDetails(const Licence& l, const Grant& g) {
  return {{"licenceIdentifier", l.identifier},
          {"typeCode", l.type_code},
          {"typeName", l.type_name},
          {"grantId", g.id},
          {"itemCode", g.item_code},
          {"caseId", g.case_id ? json::value(*g.case_id) : json::value(nullptr)}};
}

}  // namespace

const char* GrantModeCode(GrantMode m) {
  for (const auto& [v, code] : kModes) {
    if (v == m) return code;
  }
  return "single_use";
}

const char* GrantModeName(GrantMode m) {
  return m == GrantMode::kSingleUse ? "单次使用" : "办结前有效";
}

Result<GrantMode> ParseGrantMode(std::string_view code) {
  for (const auto& [v, c] : kModes) {
    if (code == c) return v;
  }
  return InvalidArgument("licences.bad_grant_mode", "授权方式应为单次使用或办结前有效");
}

const char* GrantStatusCode(GrantStatus s) {
  for (const auto& [v, code] : kStatuses) {
    if (v == s) return code;
  }
  return "active";
}

const char* GrantStatusName(GrantStatus s) {
  switch (s) {
    case GrantStatus::kActive:
      return "有效";
    case GrantStatus::kUsed:
      return "已使用";
    case GrantStatus::kExpired:
      return "已过期";
    case GrantStatus::kRevoked:
      return "已撤回";
  }
  return "有效";
}

Result<GrantStatus> ParseGrantStatus(std::string_view code) {
  for (const auto& [v, c] : kStatuses) {
    if (code == c) return v;
  }
  return InvalidArgument("licences.bad_grant_status",
                         "授权状态应为 active、used、expired 或 revoked");
}

GrantService::GrantService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                           std::string token_key, cases::CaseService* cases,
                           cases::BlobStore* blobs)
    : db_(db),
      clock_(clock),
      audit_(audit),
      token_key_(std::move(token_key)),
      cases_(cases),
      blobs_(blobs) {}

Result<std::vector<Grant>> GrantsTo(store::Tx& tx, const std::string& party_id,
                                    const std::string& department_id, Millis now) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string(kGrantSelect) + "WHERE g.holder_party_id = ? AND g.department_id = ? "
                                           "ORDER BY g.created_at_ms DESC, g.id DESC",
               {party_id, department_id}));
  std::vector<Grant> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) out.push_back(GrantFromRow(r, now));
  return out;
}

Result<Grant> GrantService::LoadGrant(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string(kGrantSelect) + "WHERE g.id = ?", {id}));
  if (rows.empty()) return NotFound("licences.no_such_grant", "授权不存在");
  return GrantFromRow(rows.front(), clock_.NowMs());
}

void GrantService::AuditRefusal(const Principal& actor, const std::string& action,
                                const std::optional<std::string>& party,
                                const std::string& subject_id, const std::string& purpose,
                                const std::string& details_json) {
  // The refused attempt's own transaction: the one that failed has rolled back.
  Result<audit::Entry> r = store::Transact(db_, [&](store::Tx& tx) {
    return audit_.Append(tx, identity::ActorOf(actor),
                         {action, "grant", subject_id, party, purpose, details_json});
  });
  (void)r;  // the refusal stands whether or not its record could be written
}

// ---- The holder -----------------------------------------------------------------------------

Result<Grant> GrantService::Give(const Principal& actor, const NewGrant& in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  const Millis now = clock_.NowMs();
  Error bad = InvalidArgument("licences.invalid_grant", "授权内容有误，请按提示修改");
  bool any = false;
  RETURN_IF_ERROR(CheckPurpose(in.purpose, bad, any));
  if (in.type_codes.empty()) {
    bad = std::move(bad).WithField("typeCodes", "请至少选择一种证照");
    any = true;
  }
  const Millis expires = in.expires_at_ms.value_or(now + kDefaultGrantMs);
  if (expires <= now) {
    bad = std::move(bad).WithField("expiresAt", "授权截止时间应晚于现在");
    any = true;
  } else if (expires > now + kMaxGrantMs) {
    bad = std::move(bad).WithField("expiresAt", "授权有效期不能超过90天");
    any = true;
  }
  if (in.mode == GrantMode::kUntilCaseCloses && !in.case_id) {
    bad = std::move(bad).WithField("mode", "“办结前有效”的授权须指定办件");
    any = true;
  }
  if (in.department_id.empty()) {
    bad = std::move(bad).WithField("departmentId", "请选择被授权部门");
    any = true;
  }
  if (any) return bad;

  return store::Transact(db_, [&](store::Tx& tx) -> Result<Grant> {
    ASSIGN_OR_RETURN(Holder h, HolderOf(tx, actor));
    ASSIGN_OR_RETURN(store::Rows dept, tx.Query("SELECT id FROM identity_department WHERE id = ?",
                                                {in.department_id}));
    if (dept.empty()) {
      return NotFound("licences.no_such_department", "被授权部门不存在")
          .WithField("departmentId", "部门不存在");
    }
    std::vector<std::string> types;
    for (std::size_t i = 0; i < in.type_codes.size(); ++i) {
      const std::string& code = in.type_codes[i];
      ASSIGN_OR_RETURN(bool exists, TypeExists(tx, code));
      if (!exists) {
        return NotFound("licences.no_such_type", "证照类型不存在：" + code)
            .WithField("typeCodes[" + std::to_string(i) + "]", "证照类型不存在");
      }
      if (std::find(types.begin(), types.end(), code) == types.end()) types.push_back(code);
    }
    if (in.case_id) {
      ASSIGN_OR_RETURN(
          store::Rows c,
          tx.Query("SELECT applicant_party_id FROM case_file WHERE id = ?", {*in.case_id}));
      if (c.empty() || c.front().Text(0) != h.party_id) {
        return NotFound("licences.no_such_case", "办件不存在或不是您的办件")
            .WithField("caseId", "办件不存在或不是您的办件");
      }
    }
    const std::string id = NewUlid(now);
    const std::string purpose(TrimSpace(in.purpose));
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO consent_grant (id, holder_party_id, holder_kind, holder_name, holder_code, "
        "department_id, item_code, case_id, type_codes_json, purpose, mode, source, token_id, "
        "created_by, created_at_ms, expires_at_ms, revoked_at_ms, used_at_ms, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'holder', NULL, ?, ?, ?, NULL, NULL, 1)",
        {id, h.party_id, h.kind, h.name, h.code, in.department_id, in.item_code,
         store::Opt(in.case_id), ToJsonText(types), purpose, std::string(GrantModeCode(in.mode)),
         actor.user_id, now, expires}));
    json::object details{{"departmentId", in.department_id},
                         {"itemCode", in.item_code},
                         {"typeCodes", json::value_from(types)},
                         {"mode", GrantModeCode(in.mode)},
                         {"expiresAtMs", expires}};
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"licences.grant.create", "grant", id, h.party_id, purpose, json::serialize(details)}));
    return LoadGrant(tx, id);
  });
}

Result<Grant> GrantService::Revoke(const Principal& actor, const std::string& grant_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Grant> {
    ASSIGN_OR_RETURN(Holder h, HolderOf(tx, actor));
    Result<Grant> g = LoadGrant(tx, grant_id);
    if (!g.has_value() || g->holder_party_id != h.party_id) {
      return NotFound("licences.no_such_grant", "授权不存在");
    }
    if (g->status != GrantStatus::kActive) {
      return FailedPrecondition("licences.grant_not_active",
                                "该授权" + std::string(GrantStatusName(g->status)) + "，无需撤回");
    }
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(std::int64_t n,
                     tx.Exec("UPDATE consent_grant SET revoked_at_ms = ?, version = version + 1 "
                             "WHERE id = ? AND version = ?",
                             {now, grant_id, g->version}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    RETURN_IF_ERROR(
        audit_.Append(tx, identity::ActorOf(actor),
                      {"licences.grant.revoke", "grant", grant_id, h.party_id, g->purpose, "{}"}));
    return LoadGrant(tx, grant_id);
  });
}

Result<std::vector<Grant>> GrantService::Mine(const Principal& actor,
                                              std::optional<GrantStatus> status) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Grant>> {
    ASSIGN_OR_RETURN(Holder h, HolderOf(tx, actor));
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string(kGrantSelect) +
                                  "WHERE g.holder_party_id = ? ORDER BY g.created_at_ms DESC, g.id "
                                  "DESC",
                              {h.party_id}));
    std::vector<Grant> out;
    const Millis now = clock_.NowMs();
    for (const store::Row& r : rows) {
      Grant g = GrantFromRow(r, now);
      if (!status || g.status == *status) out.push_back(std::move(g));
    }
    return out;
  });
}

Result<IdentityToken> GrantService::IssueToken(const Principal& actor,
                                               const std::vector<std::string>& type_codes) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  const Millis now = clock_.NowMs();
  return store::Transact(db_, [&](store::Tx& tx) -> Result<IdentityToken> {
    ASSIGN_OR_RETURN(Holder h, HolderOf(tx, actor));
    std::vector<std::string> types;
    for (std::size_t i = 0; i < type_codes.size(); ++i) {
      ASSIGN_OR_RETURN(bool exists, TypeExists(tx, type_codes[i]));
      if (!exists) {
        return NotFound("licences.no_such_type", "证照类型不存在：" + type_codes[i])
            .WithField("types[" + std::to_string(i) + "]", "证照类型不存在");
      }
      if (std::find(types.begin(), types.end(), type_codes[i]) == types.end()) {
        types.push_back(type_codes[i]);
      }
    }
    IdentityToken t;
    t.token_id = NewUlid(now);
    t.expires_at_ms = now + kTokenLifetimeMs;
    t.type_codes = types;
    // Issuing is not audited (the page asks every 30 s); using a token is.
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO consent_token (id, holder_party_id, holder_kind, type_codes_json, "
        "issued_by, issued_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {t.token_id, h.party_id, h.kind, ToJsonText(types), actor.user_id, now, t.expires_at_ms}));
    t.token = SignToken(token_key_, {t.token_id, t.expires_at_ms});
    return t;
  });
}

Result<LicenceCopy> GrantService::HolderCopy(const Principal& actor, const std::string& identifier,
                                             const std::string& purpose, const std::string& until) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  const Millis now = clock_.NowMs();
  const Date today = Date::FromMillisCst(now);
  Error bad = InvalidArgument("licences.invalid_copy", "加注件信息有误，请按提示修改");
  bool any = false;
  RETURN_IF_ERROR(CheckPurpose(purpose, bad, any));
  Date last = today.AddDays(30);
  if (!until.empty()) {
    Result<Date> d = Date::Parse(until);
    if (!d.has_value()) {
      bad = std::move(bad).WithField("until", "有效期至应为 YYYY-MM-DD 格式的日期");
      any = true;
    } else if (*d < today || *d > today.AddDays(90)) {
      bad = std::move(bad).WithField("until", "加注件有效期应在今天至90天内");
      any = true;
    } else {
      last = *d;
    }
  }
  if (any) return bad;
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LicenceCopy> {
    ASSIGN_OR_RETURN(Holder h, HolderOf(tx, actor));
    Result<Licence> l = LicenceService::ByIdentifier(tx, identifier);
    if (!l.has_value() || l->holder_code != h.code || l->holder_type != h.type ||
        l->status == LicenceStatus::kSuperseded) {
      return NotFound("licences.not_found", "证照不存在");
    }
    LicenceCopy copy;
    copy.watermark = Watermark(h.name, std::string(TrimSpace(purpose)), last.ToString());
    ASSIGN_OR_RETURN(copy.pdf, RenderCopy(tx, *l, copy.watermark));
    copy.file_name = l->name + "-加注件.pdf";
    json::object details{{"licenceIdentifier", l->identifier},
                         {"typeCode", l->type_code},
                         {"typeName", l->type_name},
                         {"until", last.ToString()}};
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"licences.licence.copy", "licence", l->identifier, h.party_id,
                                   std::string(TrimSpace(purpose)), json::serialize(details)}));
    return copy;
  });
}

// ---- The relying department -----------------------------------------------------------------

Result<std::vector<Licence>> GrantService::Retrieve(const Principal& actor,
                                                    const RetrievalRequest& r) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kUseLicences));
  // What the refusal record says, filled in as far as the attempt got.
  std::optional<std::string> party =
      r.holder_party_id.empty() ? std::nullopt : std::optional<std::string>(r.holder_party_id);
  std::string grant_ref = r.grant_id, purpose;
  Result<std::vector<Licence>> out =
      store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<Licence>> {
        const Millis now = clock_.NowMs();
        std::optional<Grant> chosen;
        std::string why = "没有找到持证人的授权";
        if (!r.grant_id.empty()) {
          Result<Grant> g = LoadGrant(tx, r.grant_id);
          if (!g.has_value()) return NoGrant("授权不存在");
          party = g->holder_party_id;
          purpose = g->purpose;
          if (!r.holder_party_id.empty() && r.holder_party_id != g->holder_party_id) {
            return NoGrant("授权不是该持证人的");
          }
          why = WhyNot(*g, actor, r.type_code, r.item_code, r.case_id);
          if (!why.empty()) return NoGrant(why);
          chosen = std::move(*g);
        } else {
          ASSIGN_OR_RETURN(store::Rows rows,
                           tx.Query(std::string(kGrantSelect) +
                                        "WHERE g.holder_party_id = ? AND g.department_id = ? "
                                        "ORDER BY g.created_at_ms DESC, g.id DESC",
                                    {r.holder_party_id, actor.department_id.value_or("")}));
          for (const store::Row& row : rows) {
            Grant g = GrantFromRow(row, now);
            if (r.item_code.empty() || g.item_code.empty() || g.item_code == r.item_code) {
              std::string w = WhyNot(g, actor, r.type_code, r.item_code, r.case_id);
              if (w.empty()) {
                chosen = std::move(g);
                break;
              }
              why = w;
            }
          }
          if (!chosen) return NoGrant(why);
        }
        const Grant& g = *chosen;
        grant_ref = g.id;
        purpose = g.purpose;
        if (g.mode == GrantMode::kSingleUse) {
          // Consumed once: a concurrent retrieval under the same grant finds it used.
          ASSIGN_OR_RETURN(std::int64_t n,
                           tx.Exec("UPDATE consent_grant SET used_at_ms = ?, version = version + 1 "
                                   "WHERE id = ? AND used_at_ms IS NULL AND revoked_at_ms IS NULL",
                                   {now, g.id}));
          if (n != 1) return NoGrant("该授权为单次使用，已经使用过");
        }
        const HolderType type =
            g.holder_kind == "person" ? HolderType::kPerson : HolderType::kEnterprise;
        ASSIGN_OR_RETURN(std::vector<Licence> all,
                         LicenceService::ByHolder(tx, type, g.holder_code, true, CstDate(now)));
        std::vector<Licence> found;
        for (Licence& l : all) {
          if (l.type_code == r.type_code) found.push_back(std::move(l));
        }
        for (const Licence& l : found) {
          RETURN_IF_ERROR(audit_.Append(
              tx, identity::ActorOf(actor),
              {"licences.licence.retrieve", "licence", l.identifier, g.holder_party_id, g.purpose,
               json::serialize(RetrievalDetails(l, g))}));
        }
        if (found.empty()) {
          // Looking and finding nothing is still a look at the holder's data.
          json::object details{{"licenceIdentifier", ""},
                               {"typeCode", r.type_code},
                               {"typeName", ""},
                               {"grantId", g.id},
                               {"itemCode", g.item_code}};
          RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                        {"licences.licence.retrieve", "grant", g.id,
                                         g.holder_party_id, g.purpose, json::serialize(details)}));
        }
        return found;
      });
  if (!out.has_value() && out.error().reason == "licences.no_grant") {
    json::object details{{"reason", out.error().message},
                         {"grantId", grant_ref},
                         {"typeCode", r.type_code},
                         {"itemCode", r.item_code},
                         {"caseId", r.case_id ? json::value(*r.case_id) : json::value(nullptr)}};
    AuditRefusal(actor, "licences.retrieve.refused", party, grant_ref, purpose,
                 json::serialize(details));
  }
  return out;
}

Result<ScanResult> GrantService::Scan(const Principal& actor, const ScanInput& in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kUseLicences));
  if (!actor.department_id) {
    return FailedPrecondition("licences.no_department", "本账号不属于任何部门，不能扫码用证");
  }
  Error bad = InvalidArgument("licences.invalid_grant", "扫码用证信息有误，请按提示修改");
  bool any = false;
  RETURN_IF_ERROR(CheckPurpose(in.purpose, bad, any));
  if (TrimSpace(in.item_code).empty()) {
    bad = std::move(bad).WithField("itemCode", "请选择办理事项");
    any = true;
  }
  if (any) return bad;
  const std::string purpose(TrimSpace(in.purpose));

  Result<TokenClaims> claims = VerifyToken(token_key_, TrimSpace(in.token));
  if (!claims.has_value()) {
    json::object details{{"reason", claims.error().message}, {"itemCode", in.item_code}};
    AuditRefusal(actor, "licences.token.refused", std::nullopt, "", purpose,
                 json::serialize(details));
    return std::move(claims).error();
  }
  std::optional<std::string> party;
  Result<ScanResult> out = store::Transact(db_, [&](store::Tx& tx) -> Result<ScanResult> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(store::Row t,
                     tx.QueryOne("SELECT holder_party_id, holder_kind, type_codes_json "
                                 "FROM consent_token WHERE id = ?",
                                 {claims->token_id}, "licences.token_invalid",
                                 "二维码无效或已被篡改，请持证人刷新后重新出示"));
    party = t.Text(0);
    if (now >= claims->expires_at_ms) {
      return FailedPrecondition("licences.token_expired",
                                "二维码已过期，请持证人刷新页面后重新出示");
    }
    const std::string grant_id = NewUlid(now);
    // Burn first: the primary key lets exactly one scan of this token through.
    Result<std::int64_t> burnt = tx.Exec(
        "INSERT INTO consent_token_use (token_id, used_by, department_id, grant_id, used_at_ms) "
        "VALUES (?, ?, ?, ?, ?)",
        {claims->token_id, actor.user_id, *actor.department_id, grant_id, now});
    if (!burnt.has_value()) {
      if (burnt.error().code == ErrorCode::kAlreadyExists) {
        return AlreadyExists("licences.token_used", "二维码已使用过，请持证人刷新后重新出示");
      }
      return std::move(burnt).error();
    }
    ASSIGN_OR_RETURN(Holder h, HolderOfParty(tx, t.Text(0), t.Text(1)));
    if (in.case_id) {
      ASSIGN_OR_RETURN(
          store::Rows c,
          tx.Query("SELECT applicant_party_id FROM case_file WHERE id = ?", {*in.case_id}));
      if (c.empty() || c.front().Text(0) != h.party_id) {
        return NotFound("licences.no_such_case", "办件不存在或申请人不是出示二维码的持证人")
            .WithField("caseId", "办件不存在或申请人不是出示二维码的持证人");
      }
    }
    ASSIGN_OR_RETURN(std::vector<Licence> held,
                     LicenceService::ByHolder(tx, h.type, h.code, true, CstDate(now)));
    std::vector<std::string> types = FromJsonText(t.Text(2));
    if (types.empty()) {
      for (const Licence& l : held) {
        if (std::find(types.begin(), types.end(), l.type_code) == types.end()) {
          types.push_back(l.type_code);
        }
      }
    }
    if (types.empty()) {
      return FailedPrecondition("licences.nothing_to_share", "持证人没有可共享的有效电子证照");
    }
    const GrantMode mode = in.case_id ? GrantMode::kUntilCaseCloses : GrantMode::kSingleUse;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO consent_grant (id, holder_party_id, holder_kind, holder_name, holder_code, "
        "department_id, item_code, case_id, type_codes_json, purpose, mode, source, token_id, "
        "created_by, created_at_ms, expires_at_ms, revoked_at_ms, used_at_ms, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'token', ?, ?, ?, ?, NULL, NULL, 1)",
        {grant_id, h.party_id, h.kind, h.name, h.code, *actor.department_id,
         std::string(TrimSpace(in.item_code)), store::Opt(in.case_id), ToJsonText(types), purpose,
         std::string(GrantModeCode(mode)), claims->token_id, actor.user_id, now,
         now + kScanGrantMs}));
    ScanResult res;
    ASSIGN_OR_RETURN(res.grant, LoadGrant(tx, grant_id));
    res.holder_kind = h.kind;
    res.holder_name_masked = MaskPersonName(h.name);
    res.holder_code_masked = MaskHolderCode(h.type, h.code);
    json::array shown;
    for (const Licence& l : held) {
      if (std::find(types.begin(), types.end(), l.type_code) == types.end()) continue;
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
      s.holder_name_masked = res.holder_name_masked;
      s.holder_code_masked = res.holder_code_masked;
      s.holder_type = l.holder_type;
      s.status = l.status;
      res.licences.push_back(std::move(s));
      shown.push_back(json::object{{"licenceIdentifier", l.identifier}, {"typeName", l.type_name}});
    }
    json::object details{{"grantId", grant_id},
                         {"tokenId", claims->token_id},
                         {"itemCode", res.grant.item_code},
                         {"typeCodes", json::value_from(types)},
                         {"licences", std::move(shown)}};
    RETURN_IF_ERROR(audit_.Append(
        tx, identity::ActorOf(actor),
        {"licences.token.scan", "grant", grant_id, h.party_id, purpose, json::serialize(details)}));
    return res;
  });
  if (!out.has_value() && (out.error().reason == "licences.token_used" ||
                           out.error().reason == "licences.token_expired" ||
                           out.error().reason == "licences.token_invalid")) {
    json::object details{
        {"reason", out.error().message}, {"tokenId", claims->token_id}, {"itemCode", in.item_code}};
    AuditRefusal(actor, "licences.token.refused", party, claims->token_id, purpose,
                 json::serialize(details));
  }
  return out;
}

Result<Attachment> GrantService::Attach(const Principal& actor, const AttachInput& in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kUseLicences));
  if (!cases_ || !blobs_) return Internal("licences.no_cases", "办件服务未配置");
  Error bad = InvalidArgument("licences.invalid_attachment", "附加材料信息有误，请按提示修改");
  bool any = false;
  for (const auto& [value, field, label] : {std::tuple{&in.grant_id, "grantId", "授权"},
                                            std::tuple{&in.identifier, "identifier", "证照标识"},
                                            std::tuple{&in.case_id, "caseId", "办件"},
                                            std::tuple{&in.material_key, "materialKey", "材料"}}) {
    if (TrimSpace(*value).empty()) {
      bad = std::move(bad).WithField(field, std::string("请指定") + label);
      any = true;
    }
  }
  if (any) return bad;

  // Checks the grant for this licence and case; fills `g` and `l`.
  std::optional<std::string> party;
  std::string purpose;
  auto check = [&](store::Tx& tx, Grant& g, Licence& l) -> Result<void> {
    Result<Grant> loaded = LoadGrant(tx, in.grant_id);
    if (!loaded.has_value()) return NoGrant("授权不存在");
    g = std::move(*loaded);
    party = g.holder_party_id;
    purpose = g.purpose;
    Result<Licence> found = LicenceService::ByIdentifier(tx, in.identifier);
    if (!found.has_value() || found->holder_code != g.holder_code) {
      return NotFound("licences.not_found", "证照不存在或不属于授权人");
    }
    l = std::move(*found);
    std::string why = WhyNot(g, actor, l.type_code, "", in.case_id);
    if (!why.empty()) return NoGrant(why);
    if (l.status != LicenceStatus::kValid) {
      return FailedPrecondition(
          "licences.not_valid",
          "该证照状态为“" + std::string(LicenceStatusName(l.status)) + "”，不能作为申请材料");
    }
    return Ok();
  };
  auto refused = [&](const Error& e) {
    json::object details{{"reason", e.message},
                         {"grantId", in.grant_id},
                         {"licenceIdentifier", in.identifier},
                         {"caseId", in.case_id}};
    AuditRefusal(actor, "licences.retrieve.refused", party, in.grant_id, purpose,
                 json::serialize(details));
  };

  // 1. Check and render outside the case's transaction (rendering takes a while).
  Grant g;
  Licence l;
  std::string case_title;
  Result<std::string> pdf = store::Read(db_, [&](store::Tx& tx) -> Result<std::string> {
    RETURN_IF_ERROR(check(tx, g, l));
    ASSIGN_OR_RETURN(store::Row c, tx.QueryOne("SELECT title FROM case_file WHERE id = ?",
                                               {in.case_id}, "cases.not_found", "办件不存在"));
    case_title = c.Text(0);
    return RenderCopy(tx, l, Watermark(g.holder_name, case_title, CstDate(g.expires_at_ms)));
  });
  if (!pdf.has_value()) {
    if (pdf.error().reason == "licences.no_grant") refused(pdf.error());
    return std::move(pdf).error();
  }
  ASSIGN_OR_RETURN(cases::BlobInfo blob, blobs_->Put(actor, *pdf));

  // 2. Attach, consume and audit in one transaction; the grant is checked again in it.
  Attachment a;
  a.material_key = in.material_key;
  a.licence_identifier = l.identifier;
  a.blob_sha256 = blob.sha256;
  a.file_name = l.name + "（电子证照）.pdf";
  const std::string note =
      "取自电子证照 " + l.identifier + "（持证人授权，事由：" + g.purpose + "）";
  Result<cases::Case> attached = cases_->AttachMaterial(
      actor, in.case_id, {in.material_key, blob.sha256, a.file_name}, note,
      [&](store::Tx& tx, const cases::Case&) -> Result<void> {
        Grant g2;
        Licence l2;
        RETURN_IF_ERROR(check(tx, g2, l2));
        const Millis now = clock_.NowMs();
        if (g2.mode == GrantMode::kSingleUse) {
          ASSIGN_OR_RETURN(std::int64_t n,
                           tx.Exec("UPDATE consent_grant SET used_at_ms = ?, version = version + 1 "
                                   "WHERE id = ? AND used_at_ms IS NULL AND revoked_at_ms IS NULL",
                                   {now, g2.id}));
          if (n != 1) return NoGrant("该授权为单次使用，已经使用过");
        }
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO consent_case_material (case_id, material_key, licence_identifier, "
            "grant_id, blob_sha256, attached_by, attached_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {in.case_id, in.material_key, l2.identifier, g2.id, blob.sha256, actor.user_id, now}));
        json::object details = RetrievalDetails(l2, g2);
        details["caseId"] = in.case_id;
        details["materialKey"] = in.material_key;
        RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                      {"licences.licence.retrieve", "licence", l2.identifier,
                                       g2.holder_party_id, g2.purpose, json::serialize(details)}));
        return Ok();
      });
  if (!attached.has_value()) {
    if (attached.error().reason == "licences.no_grant") refused(attached.error());
    return std::move(attached).error();
  }
  a.c = std::move(*attached);
  return a;
}

Result<Attachment> GrantService::ProvideOwn(const Principal& actor, const std::string& case_id,
                                            const std::string& material_key,
                                            const std::string& identifier) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  if (!cases_ || !blobs_) return Internal("licences.no_cases", "办件服务未配置");
  const Millis now = clock_.NowMs();
  const Millis expires = now + kMaxGrantMs;
  struct Target {
    Holder holder;
    Licence licence;
    std::string title, department_id, item_code;
  };
  // The licence and the case must both be the actor's; checked again when attaching.
  auto check = [&](store::Tx& tx) -> Result<Target> {
    Target t;
    ASSIGN_OR_RETURN(t.holder, HolderOf(tx, actor));
    Result<Licence> found = LicenceService::ByIdentifier(tx, identifier);
    if (!found.has_value() || found->holder_code != t.holder.code) {
      return NotFound("licences.not_found", "证照不存在或不属于您")
          .WithField("identifier", "证照不存在或不属于您");
    }
    t.licence = std::move(*found);
    if (t.licence.status != LicenceStatus::kValid) {
      return FailedPrecondition("licences.not_valid",
                                "该证照状态为“" + std::string(LicenceStatusName(t.licence.status)) +
                                    "”，不能作为申请材料");
    }
    ASSIGN_OR_RETURN(store::Rows c,
                     tx.Query("SELECT f.applicant_party_id, f.title, t.department_id, t.item_code "
                              "FROM case_file f JOIN case_task t ON t.case_id = f.id "
                              "WHERE f.id = ? ORDER BY t.seq LIMIT 1",
                              {case_id}));
    if (c.empty() || c.front().Text(0) != t.holder.party_id) {
      return NotFound("licences.no_such_case", "办件不存在或不是您的办件")
          .WithField("caseId", "办件不存在或不是您的办件");
    }
    t.title = c.front().Text(1);
    t.department_id = c.front().Text(2);
    t.item_code = c.front().Text(3);
    return t;
  };

  // 1. Check and render outside the case's transaction (rendering takes a while).
  Target t;
  Result<std::string> pdf = store::Read(db_, [&](store::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(t, check(tx));
    return RenderCopy(tx, t.licence, Watermark(t.holder.name, t.title, CstDate(expires)));
  });
  if (!pdf.has_value()) return std::move(pdf).error();
  ASSIGN_OR_RETURN(cases::BlobInfo blob, blobs_->Put(actor, *pdf));

  // 2. The grant, the attachment and the audit in one transaction.
  Attachment a;
  a.material_key = material_key;
  a.licence_identifier = t.licence.identifier;
  a.blob_sha256 = blob.sha256;
  a.file_name = t.licence.name + "（电子证照）.pdf";
  const std::string purpose = "办理" + t.title;
  const std::string note = "申请人授权使用电子证照 " + t.licence.identifier;
  ASSIGN_OR_RETURN(
      a.c,
      cases_->AttachMaterial(
          actor, case_id, {material_key, blob.sha256, a.file_name}, note,
          [&](store::Tx& tx, const cases::Case&) -> Result<void> {
            ASSIGN_OR_RETURN(Target again, check(tx));
            const std::string grant_id = NewUlid(now);
            const std::vector<std::string> types{again.licence.type_code};
            RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO consent_grant (id, holder_party_id, holder_kind, holder_name, "
                "holder_code, department_id, item_code, case_id, type_codes_json, purpose, mode, "
                "source, token_id, created_by, created_at_ms, expires_at_ms, revoked_at_ms, "
                "used_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'holder', NULL, ?, "
                "?, ?, NULL, NULL, 1)",
                {grant_id, again.holder.party_id, again.holder.kind, again.holder.name,
                 again.holder.code, again.department_id, again.item_code, case_id,
                 ToJsonText(types), purpose,
                 std::string(GrantModeCode(GrantMode::kUntilCaseCloses)), actor.user_id, now,
                 expires}));
            json::object grant_details{{"departmentId", again.department_id},
                                       {"itemCode", again.item_code},
                                       {"caseId", case_id},
                                       {"typeCodes", json::value_from(types)},
                                       {"mode", GrantModeCode(GrantMode::kUntilCaseCloses)},
                                       {"expiresAtMs", expires}};
            RETURN_IF_ERROR(
                audit_.Append(tx, identity::ActorOf(actor),
                              {"licences.grant.create", "grant", grant_id, again.holder.party_id,
                               purpose, json::serialize(grant_details)}));
            RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO consent_case_material (case_id, material_key, licence_identifier, "
                "grant_id, blob_sha256, attached_by, attached_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {case_id, material_key, again.licence.identifier, grant_id, blob.sha256,
                 actor.user_id, now}));
            ASSIGN_OR_RETURN(Grant g, LoadGrant(tx, grant_id));
            json::object details = RetrievalDetails(again.licence, g);
            details["caseId"] = case_id;
            details["materialKey"] = material_key;
            RETURN_IF_ERROR(
                audit_.Append(tx, identity::ActorOf(actor),
                              {"licences.licence.provide", "licence", again.licence.identifier,
                               again.holder.party_id, purpose, json::serialize(details)}));
            return Ok();
          }));
  return a;
}

}  // namespace onestop::licences
