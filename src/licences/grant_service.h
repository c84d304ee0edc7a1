// Consent (授权, 免证办): a holder's grants that let a relying department retrieve the holder's
// licences, retrieval under a live grant (every retrieval and every refused attempt audited
// against the holder, so it shows on "谁查看了我的数据"), the dynamic identity QR token
// (动态二维码) a counter scans, attaching a retrieved licence to a case as a purpose-bound PDF
// copy, and the holder's own purpose-bound copy (加注件). GrantService is the entry point; the
// token format is licences/identity_token.h; the licence library is licence_service.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "cases/blob_store.h"
#include "cases/case_service.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "licences/licence.h"
#include "licences/licence_service.h"
#include "store/db.h"

namespace onestop::licences {

enum class GrantMode {
  kSingleUse,        // consumed by the first retrieval or attachment
  kUntilCaseCloses,  // lives until its case is refused, completed, rejected or delivered
};
const char* GrantModeCode(GrantMode m);  // "single_use" / "until_case_closes"
const char* GrantModeName(GrantMode m);  // "单次使用" / "办结前有效"
Result<GrantMode> ParseGrantMode(
    std::string_view code);  // kInvalidArgument licences.bad_grant_mode

enum class GrantStatus { kActive, kUsed, kExpired, kRevoked };
const char* GrantStatusCode(GrantStatus s);  // "active" / "used" / "expired" / "revoked"
const char* GrantStatusName(GrantStatus s);  // "有效" / "已使用" / "已过期" / "已撤回"
Result<GrantStatus> ParseGrantStatus(std::string_view code);  // licences.bad_grant_status

inline constexpr int kMaxPurposeChars = 200;
inline constexpr Millis kDefaultGrantMs = 7LL * 24 * 3600 * 1000;
inline constexpr Millis kMaxGrantMs = 90LL * 24 * 3600 * 1000;
inline constexpr Millis kTokenLifetimeMs = 60 * 1000;

struct Grant {
  std::string id;
  std::string holder_party_id;
  std::string holder_kind;  // "person" / "enterprise"
  std::string holder_name;
  std::string holder_code;                     // whole; mask it for anyone but the holder
  std::string department_id, department_name;  // relying department
  std::string item_code;                       // "" = any item of the department
  std::optional<std::string> case_id;
  std::vector<std::string> type_codes;
  std::string purpose;  // 申请事由
  GrantMode mode = GrantMode::kSingleUse;
  std::string source;  // "holder" / "token"
  std::optional<std::string> token_id;
  std::string created_by;
  Millis created_at_ms = 0;
  Millis expires_at_ms = 0;
  std::optional<Millis> revoked_at_ms, used_at_ms;
  GrantStatus status = GrantStatus::kActive;  // as of the clock when read
  std::int64_t version = 1;
};

// What a holder gives on 我的授权.
struct NewGrant {
  std::string department_id;
  std::string item_code;  // optional
  std::optional<std::string> case_id;
  std::vector<std::string> type_codes;  // one or more
  std::string purpose;                  // required, ≤ 200 characters
  std::optional<Millis> expires_at_ms;  // default now + 7 days; at most now + 90 days
  GrantMode mode = GrantMode::kSingleUse;
};

// Which grant a retrieval runs under: `grant_id`, or the live grant of `holder_party_id` to
// the actor's department for `item_code` / `case_id` (empty / absent = any).
struct RetrievalRequest {
  std::string grant_id;
  std::string holder_party_id;
  std::string item_code;
  std::optional<std::string> case_id;
  std::string type_code;  // required
};

struct IdentityToken {
  std::string token;  // the QR text (identity_token.h)
  std::string token_id;
  Millis expires_at_ms = 0;
  int refresh_after_seconds = 30;
  std::vector<std::string> type_codes;  // [] = every type the holder holds
};

struct ScanInput {
  std::string token;
  std::string item_code;
  std::optional<std::string> case_id;
  std::string purpose;
};

struct ScanResult {
  Grant grant;
  std::string holder_kind;
  std::string holder_name_masked;  // "张*三"
  std::string holder_code_masked;
  std::vector<LicenceSummary> licences;  // the valid licences of the shared types
};

struct AttachInput {
  std::string grant_id;
  std::string identifier;
  std::string case_id;
  std::string material_key;
};

struct Attachment {
  cases::Case c;
  std::string material_key;
  std::string licence_identifier;
  std::string blob_sha256;
  std::string file_name;
};

struct LicenceCopy {
  std::string pdf;
  std::string file_name;  // "<证照名称>-加注件.pdf"
  std::string watermark;
};

// The grants of `party_id` to `department_id`, newest first, with their status as of `now`
// (one rule for active / used / expired / revoked, also used by the archive's consent check).
Result<std::vector<Grant>> GrantsTo(store::Tx& tx, const std::string& party_id,
                                    const std::string& department_id, Millis now);

class GrantService {
 public:
  // `token_key`: the HMAC key for identity tokens (LoadOrCreateTokenKey). `cases` and `blobs`
  // are needed by Attach only.
  GrantService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
               std::string token_key, cases::CaseService* cases = nullptr,
               cases::BlobStore* blobs = nullptr);

  // ---- The holder (self.licences) -----------------------------------------------------------
  // Gives a grant from the actor's person / enterprise. kInvalidArgument licences.invalid_grant
  // (fields purpose, typeCodes, expiresAt, mode, caseId); kNotFound licences.no_such_department,
  // licences.no_such_type, licences.no_such_case (not the holder's case);
  // kFailedPrecondition licences.no_party (account without a person / enterprise).
  Result<Grant> Give(const identity::Principal& actor, const NewGrant& g);
  // Revokes at once. kNotFound licences.no_such_grant (also another holder's);
  // kFailedPrecondition licences.grant_not_active (already revoked, used or expired).
  Result<Grant> Revoke(const identity::Principal& actor, const std::string& grant_id);
  // The holder's grants, newest first, optionally of one status.
  Result<std::vector<Grant>> Mine(const identity::Principal& actor,
                                  std::optional<GrantStatus> status = std::nullopt);
  // A signed one-time token valid 60 s for the QR code, optionally limited to `type_codes`
  // (each must be a known type: kNotFound licences.no_such_type).
  Result<IdentityToken> IssueToken(const identity::Principal& actor,
                                   const std::vector<std::string>& type_codes);
  // The holder's purpose-bound copy (加注件) as PDF: watermark "此件由<持证人>提供，仅供办理
  // <purpose>使用，有效期至<until>" on every page. `until` "YYYY-MM-DD", today … +90 days,
  // default +30 days. kInvalidArgument licences.invalid_copy (fields purpose, until);
  // kNotFound licences.not_found (not the holder's, or superseded).
  Result<LicenceCopy> HolderCopy(const identity::Principal& actor, const std::string& identifier,
                                 const std::string& purpose, const std::string& until);

  // ---- The relying department (licences.use) ------------------------------------------------
  // The holder's valid licences of `type_code` under a live grant to the actor's department;
  // each one returned is audited against the holder with the grant's purpose; a single-use
  // grant is consumed. No live grant → kPermissionDenied licences.no_grant, and the refused
  // attempt is audited in a transaction of its own.
  Result<std::vector<Licence>> Retrieve(const identity::Principal& actor,
                                        const RetrievalRequest& r);
  // The counter scans a holder's QR token: verifies it (licences.token_invalid, kFailed-
  // Precondition licences.token_expired), burns it (kAlreadyExists licences.token_used, also
  // for a concurrent replay), and creates a grant for the actor's department (until the case
  // closes when `case_id` is given, else single use; 1 day) with the shared types and
  // `purpose`. Returns the masked holder and summaries of the shareable licences (audited as a
  // preview). kInvalidArgument licences.invalid_grant (purpose, itemCode).
  Result<ScanResult> Scan(const identity::Principal& actor, const ScanInput& in);
  // Attaches licence `identifier` retrieved under the grant to the case as material
  // `material_key`, as a purpose-bound PDF copy stored in the BlobStore; records the source in
  // consent_case_material. Errors of Retrieve (licences.no_grant, audited), of
  // CaseService::AttachMaterial, kNotFound licences.not_found.
  Result<Attachment> Attach(const identity::Principal& actor, const AttachInput& in);

  // ---- The applicant's own licences (减证办 / 免证办) -----------------------------------------
  // The holder provides their valid licence `identifier` for material `material_key` of their
  // own case in 待受理 / 待补正: a grant "until the case closes" to the department of the case's
  // first task is given (purpose 办理<case title>), and the licence is attached as a purpose-bound
  // PDF copy, audited as a retrieval under that grant — all in one transaction.
  // kNotFound licences.not_found (not the actor's licence), licences.no_such_case (not the
  // actor's case); kFailedPrecondition licences.not_valid; errors of CaseService::AttachMaterial.
  Result<Attachment> ProvideOwn(const identity::Principal& actor, const std::string& case_id,
                                const std::string& material_key, const std::string& identifier);

 private:
  Result<Grant> LoadGrant(store::Tx& tx, const std::string& id);
  void AuditRefusal(const identity::Principal& actor, const std::string& action,
                    const std::optional<std::string>& party, const std::string& subject_id,
                    const std::string& purpose, const std::string& details_json);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  std::string token_key_;
  cases::CaseService* cases_;
  cases::BlobStore* blobs_;
};

}  // namespace onestop::licences
