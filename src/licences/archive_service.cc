#include "licences/archive_service.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <utility>

#include "core/ids.h"
#include "core/working_days.h"
#include "licences/grant_service.h"
#include "licences/internal/rows.h"
#include "licences/licence.h"
#include "licences/licence_service.h"

namespace onestop::licences {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;

namespace {

constexpr std::array<std::pair<TrustLevel, const char*>, 4> kLevels = {
    {{TrustLevel::kA, "A"}, {TrustLevel::kB, "B"}, {TrustLevel::kC, "C"}, {TrustLevel::kD, "D"}}};

// The holder an archive belongs to.
struct Party {
  std::string id;
  std::string kind;  // person / enterprise
  std::string name;
  std::string code;  // 身份证号 / 统一社会信用代码
};

Result<Party> PartyById(store::Tx& tx, const std::string& party_id) {
  ASSIGN_OR_RETURN(store::Rows p, tx.Query("SELECT name, id_number FROM identity_person "
                                           "WHERE id = ?",
                                           {party_id}));
  if (!p.empty()) return Party{party_id, "person", p.front().Text(0), p.front().Text(1)};
  ASSIGN_OR_RETURN(store::Rows e,
                   tx.Query("SELECT name, uscc FROM identity_enterprise WHERE id = ?", {party_id}));
  if (!e.empty()) return Party{party_id, "enterprise", e.front().Text(0), e.front().Text(1)};
  return NotFound("archive.no_party", "申请人不存在");
}

Result<Party> OwnParty(store::Tx& tx, const Principal& actor) {
  if (actor.person_id) return PartyById(tx, *actor.person_id);
  if (actor.enterprise_id) return PartyById(tx, *actor.enterprise_id);
  return FailedPrecondition("archive.no_party", "本账号未关联自然人或企业，没有电子档案");
}

bool IsHolder(const Principal& actor, const std::string& party_id) {
  return (actor.person_id && *actor.person_id == party_id) ||
         (actor.enterprise_id && *actor.enterprise_id == party_id);
}

// D: made by the applicant (来源渠道 申请人自备, no issuing body) and signed as a pledge
// (承诺书 / "申请人签字承诺属实").
bool SelfMadeWithPledge(const catalog::Material& m) {
  return m.source == catalog::SourceChannel::kApplicant && m.issuer.empty() &&
         (m.name.find("承诺") != std::string::npos || m.note.find("承诺") != std::string::npos);
}

constexpr const char* kItemSelect =
    "SELECT a.id, a.holder_party_id, a.holder_kind, a.material_key, a.name, a.blob_sha256, "
    "a.file_name, b.content_type, b.size, a.trust_level, a.source_case_id, f.title, "
    "a.licence_identifier, a.verified_by, a.verified_by_name, a.verified_department_id, "
    "a.verified_at_ms, a.created_at_ms, a.updated_at_ms, a.version, "
    "(SELECT COUNT(*) FROM archive_reuse r WHERE r.item_id = a.id) "
    "FROM archive_item a LEFT JOIN blob b ON b.sha256 = a.blob_sha256 "
    "LEFT JOIN case_file f ON f.id = a.source_case_id ";

ArchiveItem ItemFromRow(const store::Row& r) {
  ArchiveItem a;
  a.id = r.Text(0);
  a.holder_party_id = r.Text(1);
  a.holder_kind = r.Text(2);
  a.material_key = r.Text(3);
  a.name = r.Text(4);
  a.blob_sha256 = r.Text(5);
  a.file_name = r.Text(6);
  a.content_type = r.Text(7);
  a.size = r.Int(8);
  a.trust = ParseTrustLevel(r.Text(9)).value_or(TrustLevel::kC);
  a.source_case_id = r.Text(10);
  a.source_case_title = r.Text(11);
  a.licence_identifier = r.OptText(12);
  a.verified_by = r.OptText(13);
  a.verified_by_name = r.OptText(14);
  a.verified_department_id = r.OptText(15);
  a.verified_at_ms = r.OptInt(16);
  a.created_at_ms = r.Int(17);
  a.updated_at_ms = r.Int(18);
  a.version = r.Int(19);
  a.reuse_count = static_cast<int>(r.Int(20));
  return a;
}

Result<ArchiveItem> LoadItem(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row r, tx.QueryOne(std::string(kItemSelect) + "WHERE a.id = ?", {id},
                                             "archive.not_found", "电子档案中没有这份材料"));
  return ItemFromRow(r);
}

Error NoConsent() {
  return PermissionDenied("archive.no_consent",
                          "没有申请人的有效授权，也没有其正在办理的办件，不能使用其电子档案");
}

// A material file of a case, not archived yet.
struct Candidate {
  std::string case_id, key, name, blob, file_name, kind;
  std::optional<std::string> licence_identifier;
  std::vector<std::pair<std::string, int>> items;  // the case's catalogue items
};

}  // namespace

const char* TrustLevelCode(TrustLevel t) {
  for (const auto& [level, code] : kLevels) {
    if (level == t) return code;
  }
  return "C";
}

const char* TrustLevelName(TrustLevel t) {
  switch (t) {
    case TrustLevel::kA:
      return "部门核发";
    case TrustLevel::kB:
      return "已核验原件";
    case TrustLevel::kC:
      return "申请人上传";
    case TrustLevel::kD:
      return "自制承诺";
  }
  return "";
}

Result<TrustLevel> ParseTrustLevel(std::string_view code) {
  for (const auto& [level, c] : kLevels) {
    if (code == c) return level;
  }
  return InvalidArgument("archive.bad_level", "可信等级应为 A、B、C 或 D");
}

const char* ProvisionCode(Provision p) {
  switch (p) {
    case Provision::kLicence:
      return "licence";
    case Provision::kArchive:
      return "archive";
    case Provision::kUpload:
      return "upload";
  }
  return "upload";
}

Result<std::optional<std::string>> LiveGrantOf(store::Tx& tx, const std::string& party_id,
                                               const std::string& department_id,
                                               const std::optional<std::string>& case_id,
                                               Millis now) {
  ASSIGN_OR_RETURN(std::vector<Grant> grants, GrantsTo(tx, party_id, department_id, now));
  for (const Grant& g : grants) {
    if (g.status != GrantStatus::kActive) continue;
    if (g.case_id && case_id && *g.case_id != *case_id) continue;
    if (g.case_id && !case_id) continue;  // a grant for one case does not open the archive
    return std::optional<std::string>(g.id);
  }
  return std::optional<std::string>();
}

ArchiveService::ArchiveService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                               catalog::CatalogService& catalog, cases::CaseService& cases)
    : db_(db), clock_(clock), audit_(audit), catalog_(catalog), cases_(cases) {}

Result<int> ArchiveService::Sync(const std::string& party_id) {
  // 1. The material files of the party's cases that no archive item holds yet. A file attached
  // from a licence (consent_case_material) is a department's copy: A.
  ASSIGN_OR_RETURN(
      std::vector<Candidate> found,
      store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<Candidate>> {
        ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(
                "SELECT m.case_id, m.material_key, m.name, m.blob_sha256, m.file_name, "
                "f.applicant_kind, (SELECT MIN(cm.licence_identifier) FROM consent_case_material "
                "cm WHERE cm.case_id = m.case_id AND cm.material_key = m.material_key AND "
                "cm.blob_sha256 = m.blob_sha256) "
                "FROM case_material m JOIN case_file f ON f.id = m.case_id "
                "WHERE f.applicant_party_id = ? AND m.blob_sha256 IS NOT NULL "
                "AND m.blob_sha256 <> '' AND NOT EXISTS (SELECT 1 FROM archive_item a WHERE "
                "a.holder_party_id = f.applicant_party_id AND a.blob_sha256 = m.blob_sha256) "
                "ORDER BY f.created_at_ms, m.case_id, m.material_key",
                {party_id}));
        std::vector<Candidate> out;
        std::set<std::string> blobs;
        std::map<std::string, std::vector<std::pair<std::string, int>>> items_of;
        for (const store::Row& r : rows) {
          if (!blobs.insert(r.Text(3)).second) continue;  // the same file in two cases: the first
          Candidate c{r.Text(0), r.Text(1), r.Text(2),    r.Text(3),
                      r.Text(4), r.Text(5), r.OptText(6), {}};
          auto it = items_of.find(c.case_id);
          if (it == items_of.end()) {
            ASSIGN_OR_RETURN(store::Rows tasks,
                             tx.Query("SELECT DISTINCT item_code, item_version FROM case_task "
                                      "WHERE case_id = ? AND kind = 'item'",
                                      {c.case_id}));
            std::vector<std::pair<std::string, int>> items;
            for (const store::Row& t : tasks)
              items.emplace_back(t.Text(0), static_cast<int>(t.Int(1)));
            it = items_of.emplace(c.case_id, std::move(items)).first;
          }
          c.items = it->second;
          out.push_back(std::move(c));
        }
        return out;
      }));
  if (found.empty()) return 0;

  // 2. Trust levels from the catalogue versions the cases were filed under.
  std::map<std::pair<std::string, int>, std::optional<catalog::Item>> items;
  std::vector<TrustLevel> levels;
  for (const Candidate& c : found) {
    TrustLevel level = TrustLevel::kC;
    if (c.licence_identifier) {
      level = TrustLevel::kA;
    } else {
      for (const auto& key : c.items) {
        auto it = items.find(key);
        if (it == items.end()) {
          Result<catalog::Item> item = catalog_.GetItem(key.first, key.second);
          it = items
                   .emplace(key, item.has_value() ? std::optional<catalog::Item>(*std::move(item))
                                                  : std::nullopt)
                   .first;
        }
        if (!it->second) continue;
        for (const catalog::Material& m : it->second->materials) {
          if (m.key == c.key && SelfMadeWithPledge(m)) level = TrustLevel::kD;
        }
      }
    }
    levels.push_back(level);
  }

  // 3. Insert; a concurrent sync of the same party may have inserted some: those are skipped.
  return store::Transact(db_, [&](store::Tx& tx) -> Result<int> {
    int added = 0;
    const Millis now = clock_.NowMs();
    for (std::size_t i = 0; i < found.size(); ++i) {
      const Candidate& c = found[i];
      ASSIGN_OR_RETURN(
          std::int64_t n,
          tx.Exec("INSERT INTO archive_item (id, holder_party_id, holder_kind, material_key, name, "
                  "blob_sha256, file_name, trust_level, source_case_id, licence_identifier, "
                  "created_at_ms, updated_at_ms, version) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING",
                  {NewUlid(now), party_id, c.kind, c.key, c.name, c.blob, c.file_name,
                   std::string(TrustLevelCode(levels[i])), c.case_id,
                   store::Opt(c.licence_identifier), now, now}));
      added += static_cast<int>(n);
    }
    return added;
  });
}

Result<std::vector<ArchiveItem>> ArchiveService::List(store::Tx& tx, const std::string& party_id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string(kItemSelect) +
                   "WHERE a.holder_party_id = ? ORDER BY a.created_at_ms DESC, a.id DESC",
               {party_id}));
  std::vector<ArchiveItem> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) out.push_back(ItemFromRow(r));
  return out;
}

Result<void> ArchiveService::CheckAccess(store::Tx& tx, const Principal& actor,
                                         const std::string& party_id) {
  if (actor.IsSystem()) return Ok();
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  if (actor.department_id) {
    ASSIGN_OR_RETURN(std::optional<std::string> grant,
                     LiveGrantOf(tx, party_id, *actor.department_id, std::nullopt, clock_.NowMs()));
    if (grant) return Ok();
  }
  // An open case of the party: 待受理 / 待补正 are open to every counter (一窗受理); a case in
  // progress to the clerks whose scope covers its intake department.
  ASSIGN_OR_RETURN(store::Rows open,
                   tx.Query("SELECT status, intake_department_id, created_by FROM case_file "
                            "WHERE applicant_party_id = ? AND status IN "
                            "('submitted', 'correction', 'in_progress')",
                            {party_id}));
  for (const store::Row& r : open) {
    if (r.Text(0) != "in_progress") return Ok();
    if (r.Text(2) == actor.user_id) return Ok();
    if (!r.Text(1).empty() && actor.CoversDepartment(r.Text(1))) return Ok();
  }
  return NoConsent();
}

Result<std::vector<ArchiveItem>> ArchiveService::Mine(const Principal& actor) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  ASSIGN_OR_RETURN(Party party,
                   store::Read(db_, [&](store::Tx& tx) { return OwnParty(tx, actor); }));
  RETURN_IF_ERROR(Sync(party.id));
  return store::Read(db_, [&](store::Tx& tx) { return List(tx, party.id); });
}

Result<std::vector<ArchiveItem>> ArchiveService::OfParty(const Principal& actor,
                                                         const std::string& party_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  RETURN_IF_ERROR(store::Read(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(PartyById(tx, party_id));
    return CheckAccess(tx, actor, party_id);
  }));
  RETURN_IF_ERROR(Sync(party_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<std::vector<ArchiveItem>> {
    ASSIGN_OR_RETURN(std::vector<ArchiveItem> items, List(tx, party_id));
    audit::Record rec;
    rec.action = "licences.archive.read";
    rec.subject_type = "archive";
    rec.subject_id = party_id;
    rec.subject_party_id = party_id;
    rec.purpose = "查看电子档案";
    rec.details_json = json::serialize(json::object{{"items", items.size()}});
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), rec));
    return items;
  });
}

Result<ArchiveItem> ArchiveService::VerifyOriginal(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<ArchiveItem> {
    ASSIGN_OR_RETURN(ArchiveItem item, LoadItem(tx, id));
    RETURN_IF_ERROR(CheckAccess(tx, actor, item.holder_party_id));
    switch (item.trust) {
      case TrustLevel::kC:
        break;
      case TrustLevel::kB:
        return FailedPrecondition("archive.already_verified", "这份材料已核验过原件（B级）");
      case TrustLevel::kA:
        return FailedPrecondition("archive.not_uploaded",
                                  "这份材料由部门核发（A级），无需核验原件");
      case TrustLevel::kD:
        return FailedPrecondition("archive.not_uploaded",
                                  "这份材料为申请人自制并承诺（D级），无需核验原件");
    }
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE archive_item SET trust_level = 'B', verified_by = ?, verified_by_name = ?, "
                "verified_department_id = ?, verified_at_ms = ?, updated_at_ms = ?, "
                "version = version + 1 WHERE id = ? AND version = ?",
                {actor.user_id, actor.display_name, store::Opt(actor.department_id), now, now,
                 item.id, item.version}));
    RETURN_IF_ERROR(store::CheckVersion(n));
    audit::Record rec;
    rec.action = "licences.archive.verify_original";
    rec.subject_type = "archive_item";
    rec.subject_id = item.id;
    rec.subject_party_id = item.holder_party_id;
    rec.purpose = "核验原件";
    rec.details_json = json::serialize(json::object{{"materialKey", item.material_key},
                                                    {"from", "C"},
                                                    {"to", "B"},
                                                    {"blob", item.blob_sha256}});
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), rec));
    return LoadItem(tx, item.id);
  });
}

Result<cases::Case> ArchiveService::Reuse(const Principal& actor, const ReuseInput& in) {
  Error bad =
      InvalidArgument("archive.invalid_reuse", "请选择电子档案中的材料和要使用它的申请材料");
  bool any = false;
  if (in.archive_id.empty()) {
    bad = std::move(bad).WithField("archiveId", "请选择电子档案中的材料");
    any = true;
  }
  if (in.material_key.empty()) {
    bad = std::move(bad).WithField("materialKey", "请选择要使用它的申请材料");
    any = true;
  }
  if (any) return bad;
  ASSIGN_OR_RETURN(cases::Case c, cases_.Get(actor, in.case_id));
  ASSIGN_OR_RETURN(ArchiveItem item,
                   store::Read(db_, [&](store::Tx& tx) { return LoadItem(tx, in.archive_id); }));

  std::string consent = "holder";
  std::optional<std::string> grant;
  if (actor.kind != identity::UserKind::kStaff) {
    // Another holder's item does not exist for a holder.
    if (!IsHolder(actor, item.holder_party_id)) {
      return NotFound("archive.not_found", "电子档案中没有这份材料");
    }
  } else {
    RETURN_IF_ERROR(identity::Require(actor, Permission::kIntakeCases));
  }
  if (item.holder_party_id != c.applicant.party_id) {
    return FailedPrecondition("archive.not_applicant", "这份档案材料不属于本办件的申请人");
  }
  if (actor.kind == identity::UserKind::kStaff && !actor.IsSystem()) {
    if (actor.department_id) {
      ASSIGN_OR_RETURN(grant, store::Read(db_, [&](store::Tx& tx) {
                         return LiveGrantOf(tx, item.holder_party_id, *actor.department_id, c.id,
                                            clock_.NowMs());
                       }));
    }
    if (!grant) {
      return PermissionDenied("archive.no_consent",
                              "没有申请人的有效授权，不能复用其电子档案中的材料");
    }
    consent = "grant";
  }
  if (item.material_key != in.material_key) {
    return FailedPrecondition("archive.wrong_material",
                              "这份档案材料是《" + item.name + "》，不能用作本项申请材料");
  }
  const std::string note = "（复用电子档案材料，可信等级" +
                           std::string(TrustLevelCode(item.trust)) + "：" +
                           TrustLevelName(item.trust) + "）";
  return cases_.AttachMaterial(
      actor, c.id, cases::MaterialInput{in.material_key, item.blob_sha256, item.file_name}, note,
      [&](store::Tx& tx, const cases::Case&) -> Result<void> {
        const Millis now = clock_.NowMs();
        RETURN_IF_ERROR(
            tx.Exec("INSERT INTO archive_reuse (id, item_id, case_id, material_key, consent, "
                    "grant_id, reused_by, reused_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    {NewUlid(now), item.id, c.id, in.material_key, consent, store::Opt(grant),
                     actor.user_id, now}));
        audit::Record rec;
        rec.action = "licences.archive.reuse";
        rec.subject_type = "archive_item";
        rec.subject_id = item.id;
        rec.subject_party_id = item.holder_party_id;
        rec.purpose = "复用电子档案材料办理《" + c.title + "》";
        json::object details{{"caseId", c.id},
                             {"materialKey", in.material_key},
                             {"trustLevel", TrustLevelCode(item.trust)},
                             {"consent", consent}};
        if (grant) details["grantId"] = *grant;
        rec.details_json = json::serialize(details);
        RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor), rec));
        return Ok();
      });
}

Result<PersonalMaterialList> ArchiveService::MaterialList(const Principal& actor,
                                                          const std::string& kind,
                                                          const std::string& code,
                                                          const catalog::Answers& answers) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kApplyCases));
  PersonalMaterialList out;
  if (kind == "item") {
    ASSIGN_OR_RETURN(catalog::Item item, catalog_.GetItem(code));
    for (const catalog::Material& m : item.materials) {
      out.materials.push_back({m, {item.code}, Provision::kUpload, "", "", "", {}});
    }
  } else if (kind == "bundle") {
    ASSIGN_OR_RETURN(catalog::PlannedBundle planned, catalog_.PlanOf(code, answers));
    for (const catalog::MergedMaterial& m : planned.plan.materials) {
      out.materials.push_back({m.material, m.item_codes, Provision::kUpload, "", "", "", {}});
    }
  } else {
    return InvalidArgument("archive.bad_kind", "申请类型应为 item（单个事项）或 bundle（一件事）");
  }
  ASSIGN_OR_RETURN(Party party,
                   store::Read(db_, [&](store::Tx& tx) { return OwnParty(tx, actor); }));
  RETURN_IF_ERROR(Sync(party.id));
  const std::string today = Date::FromMillisCst(clock_.NowMs()).ToString();
  return store::Read(db_, [&](store::Tx& tx) -> Result<PersonalMaterialList> {
    const HolderType type = party.kind == "person" ? HolderType::kPerson : HolderType::kEnterprise;
    ASSIGN_OR_RETURN(std::vector<Licence> held,
                     LicenceService::ByHolder(tx, type, party.code, true, today));
    ASSIGN_OR_RETURN(std::vector<ArchiveItem> archive, List(tx, party.id));
    ASSIGN_OR_RETURN(std::vector<LicenceType> all_types, internal::ListTypes(tx, ""));
    for (PersonalMaterial& pm : out.materials) {
      // The catalogue's link first, then the types that say they stand in for this key.
      std::vector<std::string> types;
      if (!pm.material.licence_type.empty()) types.push_back(pm.material.licence_type);
      for (const LicenceType& t : all_types) {
        if (std::find(t.material_keys.begin(), t.material_keys.end(), pm.material.key) !=
            t.material_keys.end()) {
          types.push_back(t.code);
        }
      }
      for (const std::string& t : types) {
        auto l = std::find_if(held.begin(), held.end(),
                              [&](const Licence& x) { return x.type_code == t; });
        if (l == held.end()) continue;
        pm.provision = Provision::kLicence;
        pm.note = "由电子证照自动提供";
        pm.licence_identifier = l->identifier;
        pm.licence_name = l->name;
        break;
      }
      for (const ArchiveItem& a : archive) {
        if (a.material_key == pm.material.key) pm.archived.push_back(a);
      }
      // Best level first: A, B, D (usable directly or reusable), then C.
      auto rank = [](TrustLevel t) {
        switch (t) {
          case TrustLevel::kA:
            return 0;
          case TrustLevel::kB:
            return 1;
          case TrustLevel::kD:
            return 2;
          case TrustLevel::kC:
            return 3;
        }
        return 4;
      };
      std::stable_sort(pm.archived.begin(), pm.archived.end(),
                       [&](const ArchiveItem& a, const ArchiveItem& b) {
                         return rank(a.trust) < rank(b.trust);
                       });
      if (pm.provision == Provision::kLicence) {
        ++out.by_licence;
      } else if (!pm.archived.empty()) {
        pm.provision = Provision::kArchive;
        pm.note = "可复用电子档案中的材料";
        ++out.from_archive;
      } else {
        ++out.to_upload;
      }
    }
    return out;
  });
}

Result<ArchiveService::LicencesUsed> ArchiveService::UseLicences(const Principal& actor,
                                                                 const std::string& case_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kSelfLicences));
  if (grants_ == nullptr) return Internal("archive.no_grants", "授权服务未配置");
  LicencesUsed out;
  ASSIGN_OR_RETURN(out.c, cases_.Get(actor, case_id));
  ASSIGN_OR_RETURN(PersonalMaterialList list,
                   MaterialList(actor, out.c.kind, out.c.catalog_code, out.c.answers));
  for (const PersonalMaterial& pm : list.materials) {
    if (pm.provision != Provision::kLicence) continue;
    auto m = std::find_if(out.c.materials.begin(), out.c.materials.end(),
                          [&](const cases::CaseMaterial& x) { return x.key == pm.material.key; });
    if (m == out.c.materials.end() || m->status == "provided") continue;
    ASSIGN_OR_RETURN(Attachment a,
                     grants_->ProvideOwn(actor, case_id, pm.material.key, pm.licence_identifier));
    out.material_keys.push_back(pm.material.key);
    out.c = std::move(a.c);
  }
  return out;
}

}  // namespace onestop::licences
