// LicenceService: the licence library (电子证照库) — licence types (证照目录), issuing with the
// issuing department's electronic seal (seal::SealService), status changes, new versions,
// public verification, and the queries the consent module (grants) calls inside its own
// transactions. Staff read licences only of their own issuing department; everyone else reads
// through a holder's grant (consent module) or as the holder (self.licences).
// Bulk import is in licences/licence_import.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "licences/licence.h"
#include "seal/seal_service.h"
#include "store/db.h"

namespace onestop::licences {

// What a department clerk (or a case approval, or an import row) issues.
struct NewLicence {
  std::string type_code;
  std::string holder_name;
  std::string holder_code;  // 身份证号 or USCC, by the type's holder type
  std::string number;       // 证照编号; "" = the identifier's serial
  std::string issue_date;   // "YYYY-MM-DD"; "" = today (China Standard Time)
  std::string valid_from;   // "" = the issue date
  std::string valid_to;     // "" = by the type's validity rule ("" stays 长期 when permanent)
  std::string region_code;  // "" = the issuing department's region
  std::string item_code, item_name;  // 关联事项, may be ""
  boost::json::object face;
  std::optional<std::string> case_id;
};

// A change that issues version + 1 (换发). Empty / absent members keep the old value.
struct LicenceChange {
  std::optional<boost::json::object> face;  // the whole new face data
  std::optional<std::string> holder_name;
  std::optional<std::string> valid_to;
  std::string reason;  // 2–200 characters, audited
};

struct LicenceFilter {
  std::string type_code;  // "" = every type the department issues
  std::optional<LicenceStatus> status;
  std::string holder_code;  // exact
  std::string q;            // holder name or 证照编号 fragment
  bool include_superseded = false;
  int offset = 0;
  int limit = 20;  // 1–200
};

struct LicencePage {
  std::vector<Licence> items;  // newest first
  std::int64_t total = 0;
};

class LicenceService {
 public:
  LicenceService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                 seal::SealService& seals);

  // ---- 证照目录 -------------------------------------------------------------------------
  // Creates a licence type (licences.issue or catalog.manage; the issuing department must be in
  // the actor's scope). kInvalidArgument licences.invalid_type (field errors: code, name,
  // faceFields[i].key …); kNotFound licences.no_such_department; kAlreadyExists
  // licences.type_exists.
  Result<LicenceType> CreateType(const identity::Principal& actor, const LicenceType& t);
  // Replaces a type's fields (not its code); `t.version` must be the stored one
  // (kAborted store.version_conflict). kNotFound licences.no_such_type.
  Result<LicenceType> UpdateType(const identity::Principal& actor, const LicenceType& t);
  // Any signed-in user (the catalogue is public information).
  Result<std::vector<LicenceType>> ListTypes(const identity::Principal& actor);
  Result<LicenceType> GetType(const identity::Principal& actor, const std::string& code);
  Result<LicenceType> GetType(store::Tx& tx, const std::string& code);  // no permission check
  // Types that stand in for material `material_key` (for 免证办 in the catalogue / cases).
  Result<std::vector<LicenceType>> TypesForMaterial(store::Tx& tx, const std::string& material_key);

  // ---- Issue and change ----------------------------------------------------------------
  // Issues version 001 signed with the type's issuing department's seal (licences.issue; the
  // actor's department must be that department or below, the system principal may always).
  // Errors: kNotFound licences.no_such_type; kPermissionDenied identity.permission_denied,
  // licences.wrong_department; kInvalidArgument licences.invalid_licence (field errors:
  // holderCode, face.<key> …); kFailedPrecondition seal.department_has_no_seal and other
  // seal errors.
  Result<Licence> Issue(const identity::Principal& actor, const NewLicence& n);
  // The same inside the caller's transaction (import).
  Result<Licence> Issue(store::Tx& tx, const identity::Principal& actor, const NewLicence& n);
  // Issues the result licence of an approved case item inside the case's transaction, as
  // `reviewer` (who approved it; no licences.issue or department check: the approval is the
  // legal basis). REQUIRES: n.case_id set. Errors as Issue.
  Result<Licence> IssueForCase(store::Tx& tx, const identity::Principal& reviewer,
                               const NewLicence& n);
  // For the importer: checks and stores one licence of type `t` in `tx`, without the
  // permission check and the per-licence audit entry (the importer audits each batch).
  // kInvalidArgument licences.invalid_licence for a bad row, before anything is written.
  Result<Licence> IssueImported(store::Tx& tx, const LicenceType& t, const NewLicence& n,
                                const std::string& by_department);

  // Sets the status with a reason (2–200 characters), audited. Allowed: valid → suspended,
  // revoked, cancelled, expired, withdrawn; suspended → valid (reinstate) or any final one.
  // Final statuses and superseded never change. kInvalidArgument licences.invalid_reason;
  // kFailedPrecondition licences.bad_transition; kNotFound licences.not_found.
  Result<Licence> ChangeStatus(const identity::Principal& actor, const std::string& identifier,
                               LicenceStatus to, const std::string& reason);
  // 换发: issues version + 1 with the change applied and a new signature; the old row stays,
  // status superseded (still verifiable as superseded). Only a valid or suspended licence.
  // kFailedPrecondition licences.bad_transition; licences.invalid_licence as Issue.
  Result<Licence> NewVersion(const identity::Principal& actor, const std::string& identifier,
                             const LicenceChange& change);

  // ---- Reading -------------------------------------------------------------------------
  // Staff of the issuing department (or above, within scope) with licences.issue.
  // kNotFound licences.not_found (also when out of scope).
  Result<Licence> Get(const identity::Principal& actor, const std::string& identifier);
  // The department's list with filters and paging (licences.issue, scope).
  Result<LicencePage> List(const identity::Principal& actor, const LicenceFilter& filter);
  // The holder's own licences (self.licences; the account's person 身份证号 / enterprise USCC).
  Result<std::vector<Licence>> Mine(const identity::Principal& actor, bool only_valid);

  // Public verification (no login): recomputes the canonical bytes from the stored row and
  // checks the seal signature. Never an error for a bad or unknown identifier (kUnknown);
  // store errors only.
  Result<Verification> Verify(const std::string& identifier);
  // The exact bytes that were signed (RFC 8785 JSON), for `openssl` verification. Public.
  // kNotFound licences.not_found.
  Result<std::string> SignedBytes(const std::string& identifier);
  // The same for the HTTP export: staff who may Get it, or its holder (self.licences); the
  // bytes carry the whole face data. kNotFound licences.not_found otherwise.
  Result<std::string> SignedBytes(const identity::Principal& actor,
                                  const std::string& identifier);

  // ---- For the consent module: no permission checks, the caller decides ------------------
  // Licences of a holder, newest first; `only_valid` drops every status but valid (and
  // valid_to before `today`, "YYYY-MM-DD"; default: today by the system clock in CST).
  // Superseded versions are never listed.
  static Result<std::vector<Licence>> ByHolder(store::Tx& tx, HolderType type,
                                               const std::string& holder_code, bool only_valid,
                                               std::optional<std::string> today = std::nullopt);
  // kNotFound licences.not_found.
  static Result<Licence> ByIdentifier(store::Tx& tx, const std::string& identifier);

  // The canonical bytes of a licence (what Issue signs and Verify recomputes).
  static std::string CanonicalBytes(const Licence& l);

 private:
  Result<void> SignInto(store::Tx& tx, Licence& l);
  Result<Licence> Prepare(store::Tx& tx, const LicenceType& t, const NewLicence& n);
  Result<Licence> IssueChecked(store::Tx& tx, const identity::Principal& actor,
                               const LicenceType& t, const NewLicence& n,
                               const std::string& by_department);
  Result<void> Store(store::Tx& tx, Licence& l);
  Result<Licence> LoadForChange(store::Tx& tx, const identity::Principal& actor,
                                const std::string& identifier);
  static bool MaySee(const identity::Principal& actor, const Licence& l);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  seal::SealService& seals_;
};

}  // namespace onestop::licences
