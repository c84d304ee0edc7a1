#include "proofs/proof_service.h"

#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "cases/appointment.h"
#include "core/canonical_json.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/working_days.h"
#include "notify/notify.h"
#include "proofs/status_list.h"
#include "render/document.h"

namespace onestop::proofs {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;

namespace {

constexpr Millis kDayMs = 86'400'000;
// Verification codes: no 0/O, 1/I/L, so a code read aloud or typed is not mistaken.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::size_t kCodeLength = 16;

// ---- small helpers -------------------------------------------------------------------------

std::string Trimmed(std::string_view s) { return std::string(text::TrimSpace(s)); }

std::string CstDate(Millis ms) { return Date::FromMillisCst(ms).ToString(); }

std::string ChineseDate(Millis ms) {
  Date d = Date::FromMillisCst(ms);
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

bool IsCodeToken(std::string_view s, std::size_t min, std::size_t max, bool upper_ok) {
  if (s.size() < min || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (upper_ok && c >= 'A' && c <= 'Z');
  });
}

Result<std::string> CheckText(std::string_view value, const char* field, const char* what,
                              std::string_view reason_prefix, std::size_t max_chars) {
  std::string t = Trimmed(value);
  if (t.empty()) {
    return InvalidArgument(std::string(reason_prefix) + "_required", std::string("请填写") + what)
        .WithField(field, std::string("请填写") + what);
  }
  if (text::CountCodePoints(t) > max_chars) {
    std::string msg = std::string(what) + "不能超过 " + std::to_string(max_chars) + " 个字";
    return InvalidArgument(std::string(reason_prefix) + "_too_long", msg).WithField(field, msg);
  }
  return t;
}

std::string RandomCode() {
  std::string out;
  while (out.size() < kCodeLength) {
    unsigned char buf[32];
    if (RAND_bytes(buf, sizeof buf) != 1) continue;
    for (unsigned char b : buf) {
      // 31 symbols: reject 248..255 so every symbol is equally likely.
      if (b >= 248 || out.size() == kCodeLength) continue;
      out.push_back(kCodeAlphabet[b % kCodeAlphabet.size()]);
    }
  }
  return out;
}

std::string ScalarText(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.as_string());
    case json::kind::int64:
      return std::to_string(v.as_int64());
    case json::kind::uint64:
      return std::to_string(v.as_uint64());
    case json::kind::double_: {
      std::string s = json::serialize(v);
      return s;
    }
    case json::kind::bool_:
      return v.as_bool() ? "是" : "否";
    default:
      return "";
  }
}

// ---- templates -----------------------------------------------------------------------------

using Vars = std::map<std::string, std::string>;

void AddDataVars(const json::object& data, Vars& vars) {
  for (const auto& [key, value] : data) {
    const std::string name = "data." + std::string(key);
    if (value.is_array()) {
      const json::array& a = value.as_array();
      vars[name + ".count"] = std::to_string(a.size());
      vars[name + ".exists"] = a.empty() ? "无" : "有";
      std::string list;
      for (const json::value& item : a) {
        std::string one;
        if (item.is_object()) {
          for (const auto& [k, v] : item.as_object()) {
            std::string s = ScalarText(v);
            if (s.empty()) continue;
            if (!one.empty()) one += "，";
            one += s;
          }
        } else {
          one = ScalarText(item);
        }
        if (!list.empty()) list += "；";
        list += one;
      }
      vars[name + ".list"] = list.empty() ? "无" : list;
    } else if (!value.is_object()) {
      vars[name] = ScalarText(value);
    }
  }
}

std::string Fill(std::string_view tpl, const Vars& vars) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    std::size_t close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(pos, open - pos));
    std::string name = Trimmed(tpl.substr(open + 2, close - open - 2));
    auto it = vars.find(name);
    out += (it == vars.end() || it->second.empty()) ? "—" : it->second;
    pos = close + 2;
  }
  out.append(tpl.substr(pos));
  return out;
}

// ---- rows ----------------------------------------------------------------------------------

constexpr const char* kTypeCols =
    "t.code, t.name, t.department_id, d.name, t.mode, t.register_code, t.holder_kind, "
    "t.body_template, t.fields_json, t.inputs_json, t.validity_days, t.seal_title, t.active";

Result<ProofType> TypeFromRow(const store::Row& r) {
  ProofType t;
  t.code = r.Text(0);
  t.name = r.Text(1);
  t.department_id = r.Text(2);
  t.department_name = r.Text(3);
  ASSIGN_OR_RETURN(t.mode, ParseProofMode(r.Text(4)));
  t.register_code = r.Text(5);
  t.holder_kind = r.Text(6);
  t.body_template = r.Text(7);
  const json::value fields = json::parse(r.Text(8));
  const json::value inputs = json::parse(r.Text(9));
  for (const json::value& f : fields.as_array()) {
    t.fields.push_back(
        {std::string(f.at("label").as_string()), std::string(f.at("value").as_string())});
  }
  for (const json::value& f : inputs.as_array()) {
    t.inputs.push_back({std::string(f.at("key").as_string()),
                        std::string(f.at("label").as_string()), f.at("required").as_bool()});
  }
  t.validity_days = static_cast<int>(r.Int(10));
  t.seal_title = r.Text(11);
  t.active = r.Bool(12);
  return t;
}

Result<ProofType> LoadType(store::Tx& tx, const std::string& code, bool active_only) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kTypeCols +
                   " FROM proof_type t JOIN identity_department d ON d.id = t.department_id "
                   "WHERE t.code = ?" +
                   (active_only ? " AND t.active = 1" : ""),
               {code}));
  if (rows.empty()) return NotFound("proofs.unknown_type", "没有这种证明类型：" + code);
  return TypeFromRow(rows.front());
}

constexpr const char* kProofCols =
    "id, proof_no, type_code, type_name, mode, department_id, issuer_name, holder_kind, "
    "holder_party_id, holder_user_id, holder_name, holder_code_type, holder_code, purpose, "
    "inputs_json, fields_json, body, sources_json, status, reason, verification_code, "
    "status_index, seal_id, key_id, sign_alg, signature, signed_json, qr_payload, applied_at_ms, "
    "issued_at_ms, valid_until_ms, decided_by, superseded_by, version";

Result<Proof> ProofFromRow(const store::Row& r) {
  Proof p;
  p.id = r.Text(0);
  p.number = r.Text(1);
  p.type_code = r.Text(2);
  p.type_name = r.Text(3);
  ASSIGN_OR_RETURN(p.mode, ParseProofMode(r.Text(4)));
  p.department_id = r.Text(5);
  p.issuer_name = r.Text(6);
  p.holder_kind = r.Text(7);
  p.holder_party_id = r.Text(8);
  p.holder_user_id = r.Text(9);
  p.holder_name = r.Text(10);
  p.holder_code_type = r.Text(11);
  p.holder_code = r.Text(12);
  p.purpose = r.Text(13);
  const json::value inputs = json::parse(r.Text(14));
  const json::value fields = json::parse(r.Text(15));
  for (const auto& [k, v] : inputs.as_object()) {
    p.inputs[std::string(k)] = std::string(v.as_string());
  }
  for (const json::value& f : fields.as_array()) {
    p.fields.push_back(
        {std::string(f.at("label").as_string()), std::string(f.at("value").as_string())});
  }
  p.body = r.Text(16);
  p.sources_json = r.Text(17);
  ASSIGN_OR_RETURN(p.status, ParseProofStatus(r.Text(18)));
  p.reason = r.Text(19);
  p.verification_code = r.Text(20);
  p.status_index = r.OptInt(21);
  p.seal_id = r.Text(22);
  p.key_id = r.Text(23);
  p.sign_alg = r.Text(24);
  p.signature = r.Text(25);
  p.signed_json = r.Text(26);
  p.qr_payload = r.Text(27);
  p.applied_at_ms = r.Int(28);
  p.issued_at_ms = r.OptInt(29);
  p.valid_until_ms = r.OptInt(30);
  p.decided_by = r.Text(31);
  p.superseded_by = r.Text(32);
  p.version = r.Int(33);
  return p;
}

std::string InputsJson(const Proof& p) {
  json::object o;
  for (const auto& [k, v] : p.inputs) o[k] = v;
  return json::serialize(o);
}

std::string FieldsJson(const std::vector<ProofField>& fields) {
  json::array a;
  for (const ProofField& f : fields)
    a.push_back(json::object{{"label", f.label}, {"value", f.value}});
  return json::serialize(a);
}

Result<Proof> LoadProof(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kProofCols + " FROM proof WHERE id = ?", {id}));
  if (rows.empty()) return NotFound("proofs.not_found", "证明不存在");
  return ProofFromRow(rows.front());
}

// The proof a reviewer decides on: in the actor's department scope and in status `want`, else
// kFailedPrecondition `reason` ("只有<what>，该证明<status>").
Result<Proof> LoadForDecision(store::Tx& tx, const identity::Principal& actor,
                              const std::string& id, ProofStatus want, const char* reason,
                              const char* what) {
  ASSIGN_OR_RETURN(Proof p, LoadProof(tx, id));
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewProofs, p.department_id));
  if (p.status != want) {
    return FailedPrecondition(reason,
                              std::string("只有") + what + "，该证明" + ProofStatusName(p.status));
  }
  return p;
}

// The columns issuing, deciding and superseding change, and their values, in this order.
constexpr std::string_view kMutableCols[] = {
    "proof_no",       "fields_json",       "body",          "sources_json", "status",
    "reason",         "verification_code", "status_index",  "seal_id",      "key_id",
    "sign_alg",       "signature",         "signed_json",   "qr_payload",   "issued_at_ms",
    "valid_until_ms", "decided_by",        "decided_at_ms", "superseded_by"};

std::vector<store::Value> MutableValues(const Proof& p, Millis now) {
  return {p.number.empty() ? store::kNull : store::Value(p.number),
          FieldsJson(p.fields),
          p.body,
          p.sources_json,
          std::string(ProofStatusCode(p.status)),
          p.reason,
          p.verification_code.empty() ? store::kNull : store::Value(p.verification_code),
          store::Opt(p.status_index),
          p.seal_id,
          p.key_id,
          p.sign_alg,
          p.signature,
          p.signed_json,
          p.qr_payload,
          store::Opt(p.issued_at_ms),
          store::Opt(p.valid_until_ms),
          p.decided_by,
          p.decided_by.empty() ? store::kNull : store::Value(now),
          p.superseded_by};
}

Result<void> InsertProof(store::Tx& tx, const Proof& p, Millis now) {
  std::vector<store::Value> v = {p.id,
                                 p.type_code,
                                 p.type_name,
                                 std::string(ProofModeCode(p.mode)),
                                 p.department_id,
                                 p.issuer_name,
                                 p.holder_kind,
                                 p.holder_party_id,
                                 p.holder_user_id,
                                 p.holder_name,
                                 p.holder_code_type,
                                 p.holder_code,
                                 p.purpose,
                                 InputsJson(p),
                                 p.applied_at_ms};
  std::string sql =
      "INSERT INTO proof (id, type_code, type_name, mode, department_id, issuer_name, "
      "holder_kind, holder_party_id, holder_user_id, holder_name, holder_code_type, holder_code, "
      "purpose, inputs_json, applied_at_ms";
  for (std::string_view c : kMutableCols) (sql += ", ") += c;
  sql += ", version) VALUES (?";
  for (std::size_t i = 1; i < v.size() + std::size(kMutableCols); ++i) sql += ", ?";
  sql += ", 1)";
  for (store::Value& x : MutableValues(p, now)) v.push_back(std::move(x));
  ASSIGN_OR_RETURN([[maybe_unused]] std::int64_t n, tx.Exec(sql, v));
  return Ok();
}

// Writes every mutable column of `p`, guarded by its version (kAborted on a lost race).
Result<void> UpdateProof(store::Tx& tx, Proof& p, Millis now) {
  std::string sql = "UPDATE proof SET ";
  for (std::string_view c : kMutableCols) (sql += c) += " = ?, ";
  sql += "version = version + 1 WHERE id = ? AND version = ?";
  std::vector<store::Value> v = MutableValues(p, now);
  v.push_back(p.id);
  v.push_back(p.version);
  ASSIGN_OR_RETURN(std::int64_t n, tx.Exec(sql, v));
  RETURN_IF_ERROR(store::CheckVersion(n));
  ++p.version;
  return Ok();
}

// ---- holders, registers, counters -----------------------------------------------------------

struct Holder {
  std::string kind, party_id, name, code_type, code;
};

Result<Holder> HolderOf(store::Tx& tx, const Principal& actor) {
  Holder h;
  if (actor.person_id.has_value()) {
    ASSIGN_OR_RETURN(store::Row r,
                     tx.QueryOne("SELECT name, id_number FROM identity_person WHERE id = ?",
                                 {*actor.person_id}, "proofs.no_holder", "找不到您的实名信息"));
    h = {"person", *actor.person_id, r.Text(0), "111", r.Text(1)};
  } else if (actor.enterprise_id.has_value()) {
    ASSIGN_OR_RETURN(store::Row r,
                     tx.QueryOne("SELECT name, uscc FROM identity_enterprise WHERE id = ?",
                                 {*actor.enterprise_id}, "proofs.no_holder", "找不到企业信息"));
    h = {"enterprise", *actor.enterprise_id, r.Text(0), "001", r.Text(1)};
  } else {
    return NotFound("proofs.no_holder", "当前账号没有关联自然人或企业，不能申请证明");
  }
  return h;
}

Result<std::string> DepartmentName(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT name FROM identity_department WHERE id = ?",
                                             {id}, "proofs.no_such_department", "部门不存在"));
  return r.Text(0);
}

constexpr const char* kRecordCols =
    "id, register_code, register_name, subject_code_type, subject_code, data_json, "
    "source_department_id, source_name, as_of, updated_at_ms";

RegisterRecord RecordFromRow(const store::Row& r) {
  return RegisterRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                        r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Int(9)};
}

Result<std::int64_t> NextCounter(store::Tx& tx, const std::string& name) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("INSERT INTO proof_counter (name, value) VALUES (?, 1) "
                            "ON CONFLICT (name) DO UPDATE SET value = proof_counter.value + 1 "
                            "RETURNING value",
                            {name}));
  return rows.front().Int(0);
}

// ---- audit and notices ---------------------------------------------------------------------

Result<void> Audit(store::Tx& tx, const audit::AuditLog& audit, const Principal& actor,
                   const std::string& action, const Proof& p, json::object details = {}) {
  details["status"] = ProofStatusCode(p.status);
  details["type"] = p.type_code;
  if (!p.number.empty()) details["number"] = p.number;
  if (!p.reason.empty()) details["reason"] = p.reason;
  audit::Record r;
  r.action = action;
  r.subject_type = "proof";
  r.subject_id = p.id;
  r.subject_party_id = p.holder_party_id;
  r.purpose = p.purpose;
  r.details_json = json::serialize(details);
  RETURN_IF_ERROR(audit.Append(tx, identity::ActorOf(actor), r));
  return Ok();
}

Result<void> Tell(store::Tx& tx, const Clock& clock, const Proof& p, const std::string& code,
                  const std::string& title, const std::string& body) {
  notify::Message m;
  m.recipient_user_id = p.holder_user_id;
  m.recipient_party_id = p.holder_party_id;
  m.title = title;
  m.body = body;
  m.template_code = code;
  m.subject_type = "proof";
  m.subject_id = p.id;
  RETURN_IF_ERROR(notify::Enqueue(tx, clock, m));
  return Ok();
}

std::string HolderMaskedName(const Proof& p) {
  return p.holder_kind == "person" ? cases::MaskName(p.holder_name) : p.holder_name;
}
std::string HolderMaskedCode(const Proof& p) {
  return p.holder_kind == "person" ? MaskIdNumber(p.holder_code) : p.holder_code;
}

bool IsHolder(const Principal& actor, const Proof& p) {
  if (!actor.Has(Permission::kSelfLicences)) return false;
  return (actor.person_id && *actor.person_id == p.holder_party_id) ||
         (actor.enterprise_id && *actor.enterprise_id == p.holder_party_id);
}

PublicVerification PublicView(const Proof& p, Millis now) {
  PublicVerification v;
  std::string status = ProofStatusCode(p.status);
  if (p.status == ProofStatus::kValid && p.valid_until_ms && now > *p.valid_until_ms) {
    status = "expired";
  }
  v.status = status;
  v.status_name = status == "expired" ? "已过期" : ProofStatusName(p.status);
  v.verification_code = p.verification_code;
  v.number = p.number;
  v.type_name = p.type_name;
  v.issuer_name = p.issuer_name;
  v.holder_name_masked = HolderMaskedName(p);
  v.holder_code_masked = HolderMaskedCode(p);
  v.issued_at_ms = p.issued_at_ms;
  v.valid_until_ms = p.valid_until_ms;
  v.seal_id = p.seal_id;
  v.key_id = p.key_id;
  return v;
}

std::string StatusListUrl(const ProofServiceOptions& o, const std::string& dept) {
  return o.public_base_url + "/api/v1/status-lists/" + dept;
}

}  // namespace

// ---- enums and free functions ------------------------------------------------------------------

const char* ProofModeCode(ProofMode m) {
  switch (m) {
    case ProofMode::kInstant:
      return "instant";
    case ProofMode::kOnline:
      return "online";
  }
  return "instant";
}

Result<ProofMode> ParseProofMode(std::string_view code) {
  if (code == "instant") return ProofMode::kInstant;
  if (code == "online") return ProofMode::kOnline;
  return InvalidArgument("proofs.bad_mode",
                         "开具方式应为 instant（即时开具）或 online（网上申请）");
}

const char* ProofStatusCode(ProofStatus s) {
  switch (s) {
    case ProofStatus::kPending:
      return "pending";
    case ProofStatus::kValid:
      return "valid";
    case ProofStatus::kRejected:
      return "rejected";
    case ProofStatus::kRevoked:
      return "revoked";
    case ProofStatus::kSuperseded:
      return "superseded";
  }
  return "pending";
}

const char* ProofStatusName(ProofStatus s) {
  switch (s) {
    case ProofStatus::kPending:
      return "待审核";
    case ProofStatus::kValid:
      return "有效";
    case ProofStatus::kRejected:
      return "不予出具";
    case ProofStatus::kRevoked:
      return "已撤销";
    case ProofStatus::kSuperseded:
      return "已被新证明替代";
  }
  return "";
}

Result<ProofStatus> ParseProofStatus(std::string_view code) {
  for (ProofStatus s : {ProofStatus::kPending, ProofStatus::kValid, ProofStatus::kRejected,
                        ProofStatus::kRevoked, ProofStatus::kSuperseded}) {
    if (code == ProofStatusCode(s)) return s;
  }
  return InvalidArgument("proofs.bad_status", "未知的证明状态：" + std::string(code));
}

Result<std::string> CheckPurpose(const std::string& purpose) {
  return CheckText(purpose, "purpose", "申请事由", "proofs.purpose", kMaxPurposeChars);
}

bool IsVerificationCode(std::string_view code) {
  return code.size() == kCodeLength && std::all_of(code.begin(), code.end(), [](char c) {
           return kCodeAlphabet.find(c) != std::string_view::npos;
         });
}

// ---- the service -----------------------------------------------------------------------------

ProofService::ProofService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                           seal::SealService& seals, ProofServiceOptions options)
    : db_(db), clock_(clock), audit_(audit), seals_(seals), options_(std::move(options)) {}

namespace {

// Fills, numbers, signs and marks `p` valid (in `tx`). `record` is the register record of an
// instant proof.
Result<void> Issue(store::Tx& tx, seal::SealService& seals, const ProofServiceOptions& options,
                   Proof& p, const ProofType& t, const std::optional<RegisterRecord>& record,
                   Millis now) {
  p.issued_at_ms = now;
  p.valid_until_ms = now + static_cast<Millis>(t.validity_days) * kDayMs;
  Vars vars = {
      {"holder.name", p.holder_name},
      {"holder.code", p.holder_code},
      {"holder.codeType", p.holder_code_type == "111" ? "公民身份号码" : "统一社会信用代码"},
      {"purpose", p.purpose},
      {"issuer", p.issuer_name},
      {"issuedDate", ChineseDate(now)},
      {"validUntil", ChineseDate(*p.valid_until_ms)}};
  json::array sources;
  if (record.has_value()) {
    vars["register.name"] = record->register_name;
    vars["register.source"] = record->source_name;
    Result<Date> as_of = Date::Parse(record->as_of);
    vars["register.asOf"] = as_of.has_value() ? std::to_string(as_of->year) + "年" +
                                                    std::to_string(as_of->month) + "月" +
                                                    std::to_string(as_of->day) + "日"
                                              : record->as_of;
    const json::value data = json::parse(record->data_json);
    AddDataVars(data.as_object(), vars);
    sources.push_back(json::object{{"register", record->register_code},
                                   {"registerName", record->register_name},
                                   {"source", record->source_name},
                                   {"asOf", record->as_of}});
  }
  for (const auto& [k, v] : p.inputs) vars["input." + k] = v;
  p.body = Fill(t.body_template, vars);
  p.fields.clear();
  for (const FieldTemplate& f : t.fields) p.fields.push_back({f.label, Fill(f.value, vars)});
  p.sources_json = json::serialize(sources);

  ASSIGN_OR_RETURN(std::int64_t seq, NextCounter(tx, "no:" + CstDate(now)));
  std::string ymd = CstDate(now);
  ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());
  std::string digits = std::to_string(seq);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  p.number = "ZM" + ymd + digits;

  ASSIGN_OR_RETURN(std::int64_t slot, NextCounter(tx, "slot:" + p.department_id));
  if (slot > kStatusListBits) {
    return ResourceExhausted("proofs.status_list_full", "出具部门的状态列表已满，请联系管理员");
  }
  p.status_index = slot - 1;

  for (int attempt = 0;; ++attempt) {
    p.verification_code = RandomCode();
    ASSIGN_OR_RETURN(store::Rows taken, tx.Query("SELECT 1 FROM proof WHERE verification_code = ?",
                                                 {p.verification_code}));
    if (taken.empty()) break;
    if (attempt >= 5) return Internal("proofs.code_collision", "核验码生成失败，请重试");
  }

  json::array fields;
  for (const ProofField& f : p.fields) fields.push_back({{"label", f.label}, {"value", f.value}});
  json::object signed_fields{
      {"v", 1},
      {"number", p.number},
      {"type", p.type_code},
      {"typeName", p.type_name},
      {"holder",
       {{"kind", p.holder_kind},
        {"name", p.holder_name},
        {"codeType", p.holder_code_type},
        {"code", p.holder_code}}},
      {"purpose", p.purpose},
      {"fields", fields},
      {"body", p.body},
      {"sources", json::parse(p.sources_json)},
      {"issuer", {{"departmentId", p.department_id}, {"name", p.issuer_name}}},
      {"issuedAt", *p.issued_at_ms},
      {"validUntil", *p.valid_until_ms},
      {"verificationCode", p.verification_code},
      {"status", {{"list", StatusListUrl(options, p.department_id)}, {"index", *p.status_index}}}};
  p.signed_json = CanonicalJson(signed_fields);
  ASSIGN_OR_RETURN(seal::SealSignature sig, seals.Sign(tx, p.department_id, p.signed_json));
  p.seal_id = sig.seal_id;
  p.key_id = sig.key_id;
  p.sign_alg = seal::SignAlgCode(sig.alg);
  p.signature = seal::Base64(sig.signature);

  QrClaims claims;
  claims.code = p.verification_code;
  claims.number = p.number;
  claims.type = p.type_code;
  claims.holder = HolderMaskedName(p) + " " + HolderMaskedCode(p);
  claims.seal_id = sig.seal_id;
  claims.key_id = sig.key_id;
  claims.issued_at_ms = *p.issued_at_ms;
  claims.valid_until_ms = *p.valid_until_ms;
  claims.status_index = *p.status_index;
  std::string claim_bytes = CanonicalClaims(claims);
  ASSIGN_OR_RETURN(seal::SealSignature qr_sig, seals.Sign(tx, p.department_id, claim_bytes));
  p.qr_payload = EncodeQrPayload(claim_bytes, qr_sig.signature);
  p.status = ProofStatus::kValid;
  return Ok();
}

Result<void> CheckTypeDef(const ProofType& t) {
  Error e = InvalidArgument("proofs.invalid_type", "证明类型填写有误");
  bool bad = false;
  auto add = [&](const std::string& f, const std::string& m) {
    e = std::move(e).WithField(f, m);
    bad = true;
  };
  if (!IsCodeToken(t.code, 2, 40, false)) add("code", "编码为 2–40 位小写字母、数字或下划线");
  if (Trimmed(t.name).empty() || text::CountCodePoints(t.name) > 60)
    add("name", "名称为 1–60 个字");
  if (t.mode == ProofMode::kInstant && !IsCodeToken(t.register_code, 2, 40, false)) {
    add("registerCode", "即时开具的证明须指定数据登记簿");
  }
  if (t.holder_kind != "person" && t.holder_kind != "enterprise") {
    add("holderKind", "持有人类型应为 person 或 enterprise");
  }
  if (Trimmed(t.body_template).empty()) add("bodyTemplate", "请填写证明正文模板");
  if (t.validity_days < 1 || t.validity_days > 3650) add("validityDays", "有效期为 1–3650 天");
  for (std::size_t i = 0; i < t.fields.size(); ++i) {
    if (Trimmed(t.fields[i].label).empty()) {
      add("fields[" + std::to_string(i) + "].label", "请填写栏目名称");
    }
  }
  for (std::size_t i = 0; i < t.inputs.size(); ++i) {
    if (!IsCodeToken(t.inputs[i].key, 1, 32, true) || Trimmed(t.inputs[i].label).empty()) {
      add("inputs[" + std::to_string(i) + "]", "申请项须有键（字母、数字、下划线）和名称");
    }
  }
  if (Trimmed(t.seal_title).empty()) add("sealTitle", "请填写印章下方文字，如“证明专用章”");
  if (bad) return e;
  return Ok();
}

}  // namespace

Result<ProofType> ProofService::DefineType(const Principal& actor, const ProofType& type) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  RETURN_IF_ERROR(CheckTypeDef(type));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<ProofType> {
    ProofType t = type;
    ASSIGN_OR_RETURN(t.department_name, DepartmentName(tx, t.department_id));
    if (t.mode == ProofMode::kOnline) t.register_code.clear();
    json::array fields, inputs;
    for (const FieldTemplate& f : t.fields)
      fields.push_back({{"label", f.label}, {"value", f.value}});
    for (const InputField& f : t.inputs) {
      inputs.push_back({{"key", f.key}, {"label", f.label}, {"required", f.required}});
    }
    const Millis now = clock_.NowMs();
    std::vector<store::Value> v = {t.name,
                                   t.department_id,
                                   std::string(ProofModeCode(t.mode)),
                                   t.register_code,
                                   t.holder_kind,
                                   t.body_template,
                                   json::serialize(fields),
                                   json::serialize(inputs),
                                   std::int64_t{t.validity_days},
                                   t.seal_title,
                                   std::int64_t{t.active ? 1 : 0},
                                   now,
                                   t.code};
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE proof_type SET name = ?, department_id = ?, mode = ?, register_code = ?, "
                "holder_kind = ?, body_template = ?, fields_json = ?, inputs_json = ?, "
                "validity_days = ?, seal_title = ?, active = ?, updated_at_ms = ? WHERE code = ?",
                v));
    if (n == 0) {
      ASSIGN_OR_RETURN(
          n, tx.Exec("INSERT INTO proof_type (name, department_id, mode, register_code, "
                     "holder_kind, body_template, fields_json, inputs_json, validity_days, "
                     "seal_title, active, updated_at_ms, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?, ?, ?)",
                     v));
    }
    audit::Record r;
    r.action = "proofs.type.define";
    r.subject_type = "proof_type";
    r.subject_id = t.code;
    r.details_json = json::serialize(json::object{
        {"name", t.name}, {"mode", ProofModeCode(t.mode)}, {"departmentId", t.department_id}});
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), r));
    return t;
  });
}

Result<std::vector<ProofType>> ProofService::ListTypes() {
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<ProofType>> {
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query(std::string("SELECT ") + kTypeCols +
                 " FROM proof_type t JOIN identity_department d ON d.id = t.department_id "
                 "WHERE t.active = 1 ORDER BY t.code"));
    std::vector<ProofType> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(ProofType t, TypeFromRow(r));
      out.push_back(std::move(t));
    }
    return out;
  });
}

Result<RegisterRecord> ProofService::PutRecord(const Principal& actor, const RegisterRecord& in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kWriteParties));
  Error e = InvalidArgument("proofs.invalid_record", "登记簿记录填写有误");
  bool bad = false;
  auto add = [&](const std::string& f, const std::string& m) {
    e = std::move(e).WithField(f, m);
    bad = true;
  };
  if (!IsCodeToken(in.register_code, 2, 40, false)) add("registerCode", "登记簿编码格式不对");
  if (Trimmed(in.register_name).empty()) add("registerName", "请填写登记簿名称");
  if (in.subject_code_type != "111" && in.subject_code_type != "001") {
    add("subjectCodeType", "主体代码类型应为 111（身份证）或 001（统一社会信用代码）");
  }
  if (Trimmed(in.subject_code).empty()) add("subjectCode", "请填写主体代码");
  boost::system::error_code ec;
  json::value data = json::parse(in.data_json, ec);
  if (ec || !data.is_object()) add("data", "数据应为 JSON 对象");
  if (!Date::Parse(in.as_of).has_value()) add("asOf", "数据日期应为 YYYY-MM-DD");
  if (bad) return e;
  return store::Transact(db_, [&](store::Tx& tx) -> Result<RegisterRecord> {
    RegisterRecord r = in;
    r.subject_code = Trimmed(in.subject_code);
    ASSIGN_OR_RETURN(r.source_name, DepartmentName(tx, r.source_department_id));
    r.updated_at_ms = clock_.NowMs();
    r.data_json = json::serialize(data);
    ASSIGN_OR_RETURN(store::Rows old,
                     tx.Query("SELECT id FROM proof_register_record WHERE register_code = ? AND "
                              "subject_code_type = ? AND subject_code = ?",
                              {r.register_code, r.subject_code_type, r.subject_code}));
    if (old.empty()) {
      r.id = NewUlid(r.updated_at_ms);
      RETURN_IF_ERROR(
          tx.Exec(std::string("INSERT INTO proof_register_record (") + kRecordCols +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {r.id, r.register_code, r.register_name, r.subject_code_type, r.subject_code,
                   r.data_json, r.source_department_id, r.source_name, r.as_of, r.updated_at_ms}));
    } else {
      r.id = old.front().Text(0);
      RETURN_IF_ERROR(
          tx.Exec("UPDATE proof_register_record SET register_name = ?, data_json = ?, "
                  "source_department_id = ?, source_name = ?, as_of = ?, "
                  "updated_at_ms = ? WHERE id = ?",
                  {r.register_name, r.data_json, r.source_department_id, r.source_name, r.as_of,
                   r.updated_at_ms, r.id}));
    }
    audit::Record a;
    a.action = "proofs.register.put";
    a.subject_type = "register_record";
    a.subject_id = r.id;
    a.details_json =
        json::serialize(json::object{{"register", r.register_code}, {"asOf", r.as_of}});
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), a));
    return r;
  });
}

namespace {

// The common start of Generate and Apply: permission, purpose, type, holder.
struct Start {
  ProofType type;
  Holder holder;
};

Result<Start> Begin(store::Tx& tx, const Principal& actor, const std::string& type_code,
                    ProofMode mode) {
  Start s;
  ASSIGN_OR_RETURN(s.type, LoadType(tx, type_code, true));
  if (s.type.mode != mode) {
    return mode == ProofMode::kInstant
               ? FailedPrecondition("proofs.not_instant",
                                    "“" + s.type.name + "”不能即时开具，请在网上申请")
               : FailedPrecondition("proofs.not_online",
                                    "“" + s.type.name + "”可即时开具，无需申请");
  }
  ASSIGN_OR_RETURN(s.holder, HolderOf(tx, actor));
  if (s.holder.kind != s.type.holder_kind) {
    return FailedPrecondition("proofs.wrong_holder_kind", s.type.holder_kind == "person"
                                                              ? "该证明只为个人出具"
                                                              : "该证明只为企业出具");
  }
  return s;
}

Proof NewProof(const Principal& actor, const Start& s, const std::string& purpose, Millis now) {
  Proof p;
  p.id = NewUlid(now);
  p.type_code = s.type.code;
  p.type_name = s.type.name;
  p.mode = s.type.mode;
  p.department_id = s.type.department_id;
  p.issuer_name = s.type.department_name;
  p.holder_kind = s.holder.kind;
  p.holder_party_id = s.holder.party_id;
  p.holder_user_id = actor.user_id;
  p.holder_name = s.holder.name;
  p.holder_code_type = s.holder.code_type;
  p.holder_code = s.holder.code;
  p.purpose = purpose;
  p.applied_at_ms = now;
  return p;
}

}  // namespace

Result<Proof> ProofService::Generate(const Principal& actor, const std::string& type_code,
                                     const std::string& purpose_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  ASSIGN_OR_RETURN(std::string purpose, CheckPurpose(purpose_in));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(Start s, Begin(tx, actor, type_code, ProofMode::kInstant));
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kRecordCols +
                                  " FROM proof_register_record WHERE register_code = ? AND "
                                  "subject_code_type = ? AND subject_code = ?",
                              {s.type.register_code, s.holder.code_type, s.holder.code}));
    if (rows.empty()) {
      return NotFound("proofs.no_register_data", "平台没有您在该登记簿中的数据，无法即时开具“" +
                                                     s.type.name + "”，请向" +
                                                     s.type.department_name + "咨询");
    }
    RegisterRecord record = RecordFromRow(rows.front());
    Proof p = NewProof(actor, s, purpose, now);
    RETURN_IF_ERROR(Issue(tx, seals_, options_, p, s.type, record, now));
    RETURN_IF_ERROR(InsertProof(tx, p, now));
    // A newer proof of the same type for the same purpose replaces the earlier one.
    ASSIGN_OR_RETURN(store::Rows older,
                     tx.Query(std::string("SELECT ") + kProofCols +
                                  " FROM proof WHERE holder_party_id = ? AND type_code = ? AND "
                                  "purpose = ? AND status = 'valid' AND id <> ?",
                              {p.holder_party_id, p.type_code, p.purpose, p.id}));
    json::array superseded;
    for (const store::Row& r : older) {
      ASSIGN_OR_RETURN(Proof o, ProofFromRow(r));
      o.status = ProofStatus::kSuperseded;
      o.superseded_by = p.id;
      RETURN_IF_ERROR(UpdateProof(tx, o, now));
      superseded.push_back(json::value(o.number));
    }
    json::object details{{"register", record.register_code}, {"asOf", record.as_of}};
    if (!superseded.empty()) details["superseded"] = superseded;
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.generate", p, details));
    return p;
  });
}

Result<Proof> ProofService::Apply(const Principal& actor, const std::string& type_code,
                                  const std::string& purpose_in,
                                  const std::map<std::string, std::string>& inputs) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  ASSIGN_OR_RETURN(std::string purpose, CheckPurpose(purpose_in));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(Start s, Begin(tx, actor, type_code, ProofMode::kOnline));
    Proof p = NewProof(actor, s, purpose, now);
    Error e = InvalidArgument("proofs.input_required", "请填写申请所需的信息");
    bool bad = false;
    for (const InputField& f : s.type.inputs) {
      auto it = inputs.find(f.key);
      std::string v = it == inputs.end() ? "" : Trimmed(it->second);
      if (v.empty() && f.required) {
        e = std::move(e).WithField("inputs." + f.key, "请填写" + f.label);
        bad = true;
      } else if (text::CountCodePoints(v) > 200) {
        e = std::move(e).WithField("inputs." + f.key, f.label + "不能超过 200 个字");
        bad = true;
      } else if (!v.empty()) {
        p.inputs[f.key] = v;
      }
    }
    if (bad) return e;
    RETURN_IF_ERROR(InsertProof(tx, p, now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.apply", p));
    return p;
  });
}

Result<std::vector<Proof>> ProofService::Mine(const Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Proof>> {
    std::string party = actor.person_id.value_or(actor.enterprise_id.value_or(""));
    if (party.empty()) return std::vector<Proof>{};
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kProofCols +
                                  " FROM proof WHERE holder_party_id = ? ORDER BY applied_at_ms "
                                  "DESC, id DESC",
                              {party}));
    std::vector<Proof> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Proof p, ProofFromRow(r));
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<Proof>> ProofService::ReviewQueue(const Principal& actor) {
  ASSIGN_OR_RETURN(std::vector<Proof> out, Search(actor, "pending", ""));
  std::reverse(out.begin(), out.end());  // oldest first
  return out;
}

Result<std::vector<Proof>> ProofService::Search(const Principal& actor, const std::string& status,
                                                const std::string& text_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewProofs));
  static constexpr std::string_view kStatuses[] = {"pending", "valid", "rejected", "revoked",
                                                   "superseded"};
  if (!status.empty() &&
      std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
    return InvalidArgument("proofs.bad_status",
                           "状态应为 pending、valid、rejected、revoked 或 superseded")
        .WithField("status", "未知的状态");
  }
  const std::string text(text::TrimSpace(text_in));
  std::string upper = text;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string sql = std::string("SELECT ") + kProofCols + " FROM proof WHERE 1 = 1";
  std::vector<store::Value> params;
  if (!status.empty()) {
    sql += " AND status = ?";
    params.emplace_back(status);
  }
  if (!text.empty()) {
    sql += " AND (proof_no = ? OR verification_code = ? OR holder_code = ? OR holder_name LIKE ?)";
    params.emplace_back(upper);
    params.emplace_back(upper);
    params.emplace_back(upper);
    params.emplace_back("%" + text + "%");
  }
  sql += " ORDER BY applied_at_ms DESC, id DESC";
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Proof>> {
    ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
    std::vector<Proof> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(Proof p, ProofFromRow(r));
      if (!actor.CoversDepartment(p.department_id)) continue;
      out.push_back(std::move(p));
      if (out.size() == 200) break;
    }
    return out;
  });
}

Result<Proof> ProofService::Approve(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewProofs));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(Proof p, LoadForDecision(tx, actor, id, ProofStatus::kPending,
                                              "proofs.not_pending", "待审核的申请可以审核"));
    ASSIGN_OR_RETURN(ProofType t, LoadType(tx, p.type_code, false));
    p.issuer_name = t.department_name;
    p.decided_by = actor.user_id;
    RETURN_IF_ERROR(Issue(tx, seals_, options_, p, t, std::nullopt, now));
    RETURN_IF_ERROR(UpdateProof(tx, p, now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.approve", p));
    RETURN_IF_ERROR(Tell(tx, clock_, p, "proofs.issued", "证明已出具",
                         "您申请的《" + p.type_name + "》已由" + p.issuer_name + "出具，编号" +
                             p.number + "，可在“我的证明”中下载。"));
    return p;
  });
}

Result<Proof> ProofService::Reject(const Principal& actor, const std::string& id,
                                   const std::string& reason_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewProofs));
  ASSIGN_OR_RETURN(std::string reason,
                   CheckText(reason_in, "reason", "不予出具的理由", "proofs.reason", 200));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(Proof p, LoadForDecision(tx, actor, id, ProofStatus::kPending,
                                              "proofs.not_pending", "待审核的申请可以审核"));
    p.status = ProofStatus::kRejected;
    p.reason = reason;
    p.decided_by = actor.user_id;
    RETURN_IF_ERROR(UpdateProof(tx, p, now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.reject", p));
    RETURN_IF_ERROR(Tell(tx, clock_, p, "proofs.rejected", "证明申请未通过",
                         "您申请的《" + p.type_name + "》未获出具，理由：" + reason));
    return p;
  });
}

Result<Proof> ProofService::Revoke(const Principal& actor, const std::string& id,
                                   const std::string& reason_in) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewProofs));
  ASSIGN_OR_RETURN(std::string reason,
                   CheckText(reason_in, "reason", "撤销理由", "proofs.reason", 200));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(Proof p, LoadForDecision(tx, actor, id, ProofStatus::kValid,
                                              "proofs.not_valid", "有效的证明可以撤销"));
    p.status = ProofStatus::kRevoked;
    p.reason = reason;
    RETURN_IF_ERROR(UpdateProof(tx, p, now));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.revoke", p));
    RETURN_IF_ERROR(
        Tell(tx, clock_, p, "proofs.revoked", "证明已撤销",
             "您的《" + p.type_name + "》（编号" + p.number + "）已被撤销，理由：" + reason));
    return p;
  });
}

Result<Proof> ProofService::Get(const Principal& actor, const std::string& id) {
  return store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
    ASSIGN_OR_RETURN(Proof p, LoadProof(tx, id));
    if (IsHolder(actor, p)) return p;
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewProofs, p.department_id));
    RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.read", p));
    return p;
  });
}

Result<std::string> ProofService::Pdf(const Principal& actor, const std::string& id) {
  ASSIGN_OR_RETURN(Proof p, store::Transact(db_, [&](store::Tx& tx) -> Result<Proof> {
                     ASSIGN_OR_RETURN(Proof p, LoadProof(tx, id));
                     if (!IsHolder(actor, p)) {
                       RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewProofs,
                                                                p.department_id));
                     }
                     if (p.status == ProofStatus::kPending || p.status == ProofStatus::kRejected) {
                       return FailedPrecondition("proofs.not_issued", "该证明尚未出具，没有文件");
                     }
                     RETURN_IF_ERROR(Audit(tx, audit_, actor, "proofs.proof.download", p));
                     return p;
                   }));
  ASSIGN_OR_RETURN(ProofType t, store::Read(db_, [&](store::Tx& tx) {
                     return LoadType(tx, p.type_code, false);
                   }));
  const Millis now = clock_.NowMs();
  const std::string valid_until = ChineseDate(p.valid_until_ms.value_or(now));
  render::Document d;
  d.title = p.type_name;
  d.number_line = "编号：" + p.number;
  std::size_t start = 0;
  while (start <= p.body.size()) {
    std::size_t nl = p.body.find('\n', start);
    std::string line = p.body.substr(start, nl == std::string::npos ? nl : nl - start);
    if (!Trimmed(line).empty()) d.paragraphs.push_back(Trimmed(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  for (const ProofField& f : p.fields) d.fields.push_back({f.label, f.value});
  d.fields.push_back({"申请事由", p.purpose});
  d.fields.push_back({"有效期至", valid_until});
  d.issuer_name = p.issuer_name;
  d.issued_date = ChineseDate(p.issued_at_ms.value_or(now));
  d.seal = render::SealMark{p.issuer_name, t.seal_title};
  d.qr_text =
      options_.public_base_url + "/verify?code=" + p.verification_code + "&p=" + p.qr_payload;
  d.verification_code = p.verification_code;
  d.header_note =
      "此件由" + p.issuer_name + "提供，仅供办理" + p.purpose + "使用，有效期至" + valid_until;
  d.footer = "核验：扫描二维码，或在 " + options_.public_base_url + "/verify 输入核验码 " +
             p.verification_code;
  PublicVerification now_view = PublicView(p, now);
  if (now_view.status != "valid") d.watermark = now_view.status_name + " · 仅供存档";
  d.pdf_title = p.type_name + " " + p.number;
  return render::RenderPdf(d);
}

Result<PublicVerification> ProofService::VerifyCode(const std::string& code_in) {
  std::string code = Trimmed(code_in);
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!IsVerificationCode(code)) {
    return InvalidArgument("proofs.bad_code", "核验码应为 16 位字母和数字（不含 0、O、1、I、L）")
        .WithField("code", "核验码格式不对");
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<PublicVerification> {
    ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + kProofCols +
                                                    " FROM proof WHERE verification_code = ?",
                                                {code}));
    if (rows.empty()) {
      PublicVerification v;
      v.status = "unknown";
      v.status_name = "查无此证明";
      v.verification_code = code;
      return v;
    }
    ASSIGN_OR_RETURN(Proof p, ProofFromRow(rows.front()));
    return PublicView(p, clock_.NowMs());
  });
}

Result<QrVerification> ProofService::VerifyQr(const std::string& payload) {
  ASSIGN_OR_RETURN(ParsedQr parsed, ParseQrPayload(payload));
  ASSIGN_OR_RETURN(seal::SealKey key, seals_.PublicKey(parsed.claims.key_id));
  ASSIGN_OR_RETURN(QrClaims claims, VerifyQrPayload(payload, key.public_key_pem));
  QrVerification out;
  out.claims = claims;
  ASSIGN_OR_RETURN(out.current, VerifyCode(claims.code));
  return out;
}

Result<StatusListDoc> ProofService::StatusList(const std::string& department_id) {
  return store::Read(db_, [&](store::Tx& tx) -> Result<StatusListDoc> {
    StatusListDoc doc;
    doc.department_id = department_id;
    ASSIGN_OR_RETURN(doc.department_name, DepartmentName(tx, department_id));
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT status_index FROM proof WHERE department_id = ? AND "
                              "status = 'revoked' AND status_index IS NOT NULL",
                              {department_id}));
    std::vector<std::int64_t> set;
    for (const store::Row& r : rows) set.push_back(r.Int(0));
    doc.encoded_list = EncodeStatusList(set);
    doc.bits = kStatusListBits;
    doc.revoked = static_cast<std::int64_t>(set.size());
    doc.generated_at_ms = clock_.NowMs();
    return doc;
  });
}

Result<void> ProofService::VerifyStoredSignature(const std::string& id) {
  ASSIGN_OR_RETURN(Proof p, store::Read(db_, [&](store::Tx& tx) { return LoadProof(tx, id); }));
  if (p.signature.empty()) {
    return FailedPrecondition("proofs.not_issued", "该证明尚未出具，没有签名");
  }
  seal::SealSignature sig;
  sig.seal_id = p.seal_id;
  sig.key_id = p.key_id;
  ASSIGN_OR_RETURN(sig.alg, seal::ParseSignAlg(p.sign_alg));
  ASSIGN_OR_RETURN(sig.signature, seal::FromBase64(p.signature));
  return seals_.Verify(p.signed_json, sig);
}

}  // namespace onestop::proofs
