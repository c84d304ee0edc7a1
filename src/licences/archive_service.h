// Personal e-archive (个人电子档案, 材料复用) and licence-linked materials (减证办):
// every material file of a holder's cases is kept for the holder with a trust level (可信等级,
// 国办函〔2016〕108号) and can be reused in a later case with the holder's consent; a
// material the catalogue links to a licence type is satisfied by the holder's valid licence.
// ArchiveService is the entry point. Grants are the consent module's (grant_service.h); the
// archive only reads them. Licence copies are attached by GrantService::Attach.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "cases/case_service.h"
#include "catalog/catalog_service.h"
#include "core/clock.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::licences {

// 可信等级 (standards.md §2.4).
enum class TrustLevel {
  kA,  // issued by a department (a licence copy): usable directly
  kB,  // checked against the original by a clerk: reusable
  kC,  // uploaded by the applicant: the original must be checked before use
  kD,  // self-made by the applicant with a pledge (承诺): usable directly
};
const char* TrustLevelCode(TrustLevel t);  // "A" / "B" / "C" / "D"
const char* TrustLevelName(TrustLevel t);  // "部门核发" / "已核验原件" / "申请人上传" / "自制承诺"
Result<TrustLevel> ParseTrustLevel(std::string_view code);  // kInvalidArgument archive.bad_level

struct ArchiveItem {
  std::string id;
  std::string holder_party_id;
  std::string holder_kind;  // "person" / "enterprise"
  std::string material_key, name;
  std::string blob_sha256, file_name, content_type;
  std::int64_t size = 0;
  TrustLevel trust = TrustLevel::kC;
  std::string source_case_id, source_case_title;
  std::optional<std::string> licence_identifier;  // A: the licence it copies
  std::optional<std::string> verified_by, verified_by_name, verified_department_id;  // B
  std::optional<Millis> verified_at_ms;
  int reuse_count = 0;  // times used in later cases
  Millis created_at_ms = 0;
  Millis updated_at_ms = 0;
  std::int64_t version = 1;
};

// POST /cases/{id}/reuse: archived item `archive_id` as material `material_key` of the case.
struct ReuseInput {
  std::string case_id;
  std::string archive_id;
  std::string material_key;
};

// How a material of a personal material list is provided.
enum class Provision {
  kLicence,  // 由电子证照自动提供: the holder holds a valid licence of its type
  kArchive,  // an archived file with the same key can be reused
  kUpload,   // to be uploaded
};
const char* ProvisionCode(Provision p);  // "licence" / "archive" / "upload"

struct PersonalMaterial {
  catalog::Material material;
  std::vector<std::string> item_codes;  // bundles: the items that need it
  Provision provision = Provision::kUpload;
  std::string note;  // "由电子证照自动提供" / "可复用电子档案中的材料" / ""
  std::string licence_identifier;     // kLicence: the holder's licence
  std::string licence_name;           // kLicence: its name
  std::vector<ArchiveItem> archived;  // archived files with the same key, best level first
};

// The applicant's own material list for an item or a bundle (减证办 / 免证办).
struct PersonalMaterialList {
  std::vector<PersonalMaterial> materials;
  int by_licence = 0;    // satisfied by a licence: not asked for
  int from_archive = 0;  // can be reused from the archive
  int to_upload = 0;     // everything else
};

class GrantService;  // grant_service.h

class ArchiveService {
 public:
  ArchiveService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                 catalog::CatalogService& catalog, cases::CaseService& cases);

  // The actor's own archive (self.licences; the account's person / enterprise), newest first.
  // kFailedPrecondition archive.no_party (account without a party).
  Result<std::vector<ArchiveItem>> Mine(const identity::Principal& actor);
  // A party's archive for a clerk (cases.intake) who holds a live grant of the party to the
  // clerk's department or works on an open case of the party (待受理 / 待补正 at any counter,
  // 办理中 within the clerk's scope). Audited as a read of the party's data.
  // kPermissionDenied identity.permission_denied, archive.no_consent; kNotFound
  // archive.no_party.
  Result<std::vector<ArchiveItem>> OfParty(const identity::Principal& actor,
                                           const std::string& party_id);
  // The clerk checked the original (核验原件): C → B, audited. Access as OfParty.
  // kNotFound archive.not_found; kPermissionDenied archive.no_consent;
  // kFailedPrecondition archive.already_verified (B), archive.not_uploaded (A or D).
  Result<ArchiveItem> VerifyOriginal(const identity::Principal& actor, const std::string& id);
  // Uses an archived file as material `material_key` of a case in 待受理 / 待补正: the case
  // references the same blob (CaseService::AttachMaterial) and the reuse is recorded and
  // audited. The holder acting on their own case consents by acting; a clerk (cases.intake)
  // needs a live grant of the holder to the clerk's department (for this case or any case).
  // kInvalidArgument archive.invalid_reuse (fields archiveId, materialKey);
  // kNotFound archive.not_found (also another holder's item for a holder), cases.not_found;
  // kPermissionDenied archive.no_consent; kFailedPrecondition archive.not_applicant (the item
  // is not the case applicant's), archive.wrong_material (another material key);
  // errors of AttachMaterial (cases.wrong_state, cases.invalid_submission).
  Result<cases::Case> Reuse(const identity::Principal& actor, const ReuseInput& in);

  // The actor's material list for item `code` (kind "item") or bundle `code` with `answers`
  // (kind "bundle"), each material marked by how it is provided (cases.apply; the holder
  // applying online consents to the use of their own licences). Catalog errors;
  // kInvalidArgument archive.bad_kind; kFailedPrecondition archive.no_party.
  Result<PersonalMaterialList> MaterialList(const identity::Principal& actor,
                                            const std::string& kind, const std::string& code,
                                            const catalog::Answers& answers);

  // Archives the material files of `party_id`'s cases that are not archived yet (idempotent,
  // safe to run concurrently). Mine / OfParty / VerifyOriginal / Reuse / MaterialList run it
  // first. Returns how many items were added.
  Result<int> Sync(const std::string& party_id);

  // 减证办 for the applicant's own case in 待受理 / 待补正: every material the list marks
  // 由电子证照自动提供 that the case still lacks is provided from the applicant's licence
  // (GrantService::ProvideOwn: a grant until the case closes, a purpose-bound copy). Returns the
  // case and how many materials were provided (0 when nothing was missing). Errors of
  // CaseService::Get, MaterialList and ProvideOwn; kInternal archive.no_grants when no
  // GrantService is set.
  struct LicencesUsed {
    cases::Case c;
    std::vector<std::string> material_keys;  // provided now
  };
  Result<LicencesUsed> UseLicences(const identity::Principal& actor, const std::string& case_id);
  // UseLicences needs the consent module's GrantService (wired after both exist).
  void SetGrants(GrantService* grants) { grants_ = grants; }

 private:
  Result<void> CheckAccess(store::Tx& tx, const identity::Principal& actor,
                           const std::string& party_id);
  Result<std::vector<ArchiveItem>> List(store::Tx& tx, const std::string& party_id);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  catalog::CatalogService& catalog_;
  cases::CaseService& cases_;
  GrantService* grants_ = nullptr;
};

// The live grant (grant_service.h) of `party_id` to `department_id` that covers `case_id`
// (a grant naming no case covers every case), or nullopt. Reads consent_grant only.
Result<std::optional<std::string>> LiveGrantOf(store::Tx& tx, const std::string& party_id,
                                               const std::string& department_id,
                                               const std::optional<std::string>& case_id,
                                               Millis now);

}  // namespace onestop::licences
