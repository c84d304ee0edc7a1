// Personal e-archive (材料复用) and licence-linked materials (减证办): archiving a holder's case
// files with trust levels, C → B on checking the original, reuse in a later case by the holder or
// by a clerk under a grant, the applicant's own material list; every refusal changes nothing.
#include "licences/archive_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cases/blob_store.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "core/uscc.h"
#include "licences/licence_service.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::licences {
namespace {

using identity::Principal;
using testutil::IsError;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kTypeCode = "11100000000013338W030";  // 居民户口簿 (test type)

class ArchiveServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(clock());
    identity_ = std::make_unique<identity::IdentityServices>(db(), clock(), *audit_, hasher_);
    calendar_ = std::make_unique<calendar::CalendarService>(db(), clock(), *audit_);
    catalog_ = std::make_unique<catalog::CatalogService>(db(), clock(), *audit_);
    cases_ = std::make_unique<cases::CaseService>(db(), clock(), *audit_, *calendar_, *catalog_,
                                                  *identity_);
    seals_ = std::make_unique<seal::SealService>(db(), clock(), *audit_,
                                                 *seal::MasterKey::FromHex(kHexKey));
    licences_ = std::make_unique<LicenceService>(db(), clock(), *audit_, *seals_);
    archive_ = std::make_unique<ArchiveService>(db(), clock(), *audit_, *catalog_, *cases_);
    root_ = std::filesystem::temp_directory_path() /
            ("onestop-archive-blobs-" + std::to_string(::getpid()));
    blobs_ = std::make_unique<cases::BlobStore>(db(), clock(), root_.string());

    cs_ = Dept("HN-CS", "长沙市政务服务中心", std::nullopt);
    yl_ = Dept("HN-CS-YL", "岳麓区政务服务中心", std::nullopt);
    gaj_ = Dept("HN-CS-GAJ", "长沙市公安局", cs_);
    clerk_ = User("clerk", {"counter_clerk"}, cs_);
    yl_clerk_ = User("ylclerk", {"counter_clerk"}, yl_);
    reviewer_ = User("gaj", {"reviewer"}, gaj_);
    limei_id_ = IdNumber("43010419900307124");
    Result<identity::Person> p =
        identity_->parties.CreatePerson(clerk_, {"李梅", limei_id_, "13907460002"});
    ASSERT_TRUE(p.has_value()) << p.error().message;
    limei_party_ = p->id;
    limei_ = User("limei", {"citizen"}, std::nullopt, p->id);
    Result<identity::Person> q = identity_->parties.CreatePerson(
        clerk_, {"王强", IdNumber("43010419851111203"), "13907460003"});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    wang_party_ = q->id;
    wang_ = User("wangqiang", {"citizen"}, std::nullopt, q->id);

    seal::NewSeal s;
    s.department_id = gaj_;
    s.name = "长沙市公安局电子证照专用章";
    ASSERT_TRUE(seals_->Create(Principal::System(), s).has_value());
    LicenceType t;
    t.code = kTypeCode;
    t.name = "居民户口簿";
    t.definer_name = "中华人民共和国公安部";
    t.face_fields = {{"name", "姓名", FieldType::kText, true}};
    t.issuing_department_id = gaj_;
    t.issuer_uscc = "11430100MB7654321";
    t.issuer_uscc += UsccCheckChar(t.issuer_uscc);
    ASSERT_TRUE(licences_->CreateType(Principal::System(), t).has_value());

    std::string org17 = "11430100MB7654321";
    item_code_ = org17 + UsccCheckChar(org17) + "3" + "00" + "07" + "00910" + "000";
    catalog::Item i;
    i.code = item_code_;
    i.basic_code = item_code_.substr(19);
    i.name = "居住证签发";
    i.department_code = "HN-CS-GAJ";
    i.item_type = "07";
    i.level = 3;
    i.service_objects = {1};
    i.handling_forms = {1, 2};
    i.case_type = 2;
    i.statutory_limit = {15, catalog::LimitUnit::kWorkingDays, "法定15个工作日"};
    i.promised_limit = {5, catalog::LimitUnit::kWorkingDays, ""};
    i.online_depth = 3;
    i.visits = 1;
    i.onsite_reason = "需采集照片";
    i.steps = {{"受理", "counter_clerk", "", 1}, {"决定", "reviewer", "", std::nullopt}};
    catalog::FormField f;
    f.key = "applicant.name";
    f.label = "申请人姓名";
    i.fields = {f};
    catalog::Material id_card;
    id_card.key = "doc.applicantIdCard";
    id_card.name = "申请人身份证";
    id_card.source = catalog::SourceChannel::kGovernment;
    id_card.issuer = "公安机关";
    id_card.originals = 1;
    catalog::Material pledge;
    pledge.key = "doc.residencePledge";
    pledge.name = "居住情况承诺书";
    pledge.source = catalog::SourceChannel::kApplicant;
    pledge.originals = 1;
    catalog::Material household;
    household.key = "doc.householdRegister";
    household.name = "居民户口簿";
    household.source = catalog::SourceChannel::kGovernment;
    household.issuer = "公安机关";
    household.licence_type = kTypeCode;
    household.originals = 1;
    i.materials = {id_card, pledge, household};
    Result<catalog::Item> saved = catalog_->SaveItem(Principal::System(), i);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  static std::string IdNumber(const std::string& first17) {
    return first17 + IdNumberCheckChar(first17);
  }

  std::string Dept(const std::string& code, const std::string& name,
                   std::optional<std::string> parent) {
    return testutil::MakeDepartment(*identity_, code, name, std::move(parent));
  }

  Principal User(const std::string& username, std::vector<std::string> roles,
                 std::optional<std::string> department, std::optional<std::string> person = {}) {
    return testutil::MakeUser(
        db(), *identity_, {username, std::move(roles), std::move(department), std::move(person)});
  }

  std::string Blob(const std::string& text) {
    Result<cases::BlobInfo> blob = blobs_->Put(clerk_, "%PDF-1.7\n" + text);
    EXPECT_TRUE(blob.has_value());
    return blob.has_value() ? blob->sha256 : "";
  }

  // A case filed online by `who` with `materials` (key → blob).
  cases::Case Submit(const Principal& who, const std::string& name,
                     std::vector<cases::MaterialInput> materials) {
    cases::Submission s;
    s.kind = "item";
    s.catalog_code = item_code_;
    s.form = {{"applicant.name", name}};
    s.materials = std::move(materials);
    Result<cases::Case> c = cases_->Submit(who, s);
    EXPECT_TRUE(c.has_value()) << c.error().reason << " " << c.error().message;
    return c.has_value() ? *c : cases::Case{};
  }

  // 李梅's first case: 身份证 (C) and 承诺书 (D), both uploaded.
  cases::Case FirstCase() {
    return Submit(limei_, "李梅",
                  {{"doc.applicantIdCard", Blob("id card"), "身份证.pdf"},
                   {"doc.residencePledge", Blob("pledge"), "承诺书.pdf"}});
  }

  // A live grant of `party` to `department` (as GrantService::Give would store it).
  std::string Grant(const std::string& party, const std::string& department,
                    std::optional<std::string> case_id = std::nullopt, bool revoked = false) {
    const std::string id = NewUlid(clock().NowMs());
    Result<std::int64_t> n = store::Transact(db(), [&](store::Tx& tx) {
      return tx.Exec(
          "INSERT INTO consent_grant (id, holder_party_id, holder_kind, holder_name, holder_code, "
          "department_id, item_code, case_id, type_codes_json, purpose, mode, source, token_id, "
          "created_by, created_at_ms, expires_at_ms, revoked_at_ms, used_at_ms, version) VALUES "
          "(?, ?, 'person', '李梅', ?, ?, '', ?, ?, '办理居住证', 'until_case_closes', 'holder', "
          "NULL, 'u', ?, ?, ?, NULL, 1)",
          {id, party, limei_id_, department, store::Opt(case_id),
           std::string("[\"") + kTypeCode + "\"]", clock().NowMs(),
           clock().NowMs() + 24 * 3600 * 1000,
           revoked ? store::Value(clock().NowMs()) : store::kNull});
    });
    EXPECT_TRUE(n.has_value()) << n.error().message;
    return id;
  }

  const ArchiveItem* Find(const std::vector<ArchiveItem>& items, const std::string& key) {
    for (const ArchiveItem& a : items) {
      if (a.material_key == key) return &a;
    }
    return nullptr;
  }

  std::string MaterialStatus(const std::string& case_id, const std::string& key) {
    Result<store::Row> r = store::Read(db(), [&](store::Tx& tx) {
      return tx.QueryOne(
          "SELECT status, blob_sha256 FROM case_material WHERE case_id = ? AND material_key = ?",
          {case_id, key}, "x", "x");
    });
    return r.has_value() ? r->Text(0) + ":" + r->Text(1) : "none";
  }

  std::string LevelOf(const std::string& id) {
    Result<store::Row> r = store::Read(db(), [&](store::Tx& tx) {
      return tx.QueryOne("SELECT trust_level FROM archive_item WHERE id = ?", {id}, "x", "x");
    });
    return r.has_value() ? r->Text(0) : "none";
  }

  std::unique_ptr<testutil::TestDb> t_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<calendar::CalendarService> calendar_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<cases::CaseService> cases_;
  std::unique_ptr<seal::SealService> seals_;
  std::unique_ptr<LicenceService> licences_;
  std::unique_ptr<ArchiveService> archive_;
  std::filesystem::path root_;
  std::unique_ptr<cases::BlobStore> blobs_;
  std::string cs_, yl_, gaj_, item_code_, limei_id_, limei_party_, wang_party_;
  Principal clerk_, yl_clerk_, reviewer_, limei_, wang_;
};

TEST_P(ArchiveServiceTest, EveryUploadedFileIsArchivedOnceWithItsTrustLevel) {
  cases::Case first = FirstCase();
  // A licence copy attached under a grant (GrantService::Attach records the source): A.
  const std::string copy = Blob("licence copy");
  ASSERT_TRUE(cases_
                  ->AttachMaterial(clerk_, first.id, {"doc.householdRegister", copy, "户口簿.pdf"},
                                   "（调取电子证照）")
                  .has_value());
  const std::string g = Grant(limei_party_, cs_);
  ASSERT_TRUE(store::Transact(db(), [&](store::Tx& tx) -> Result<void> {
                RETURN_IF_ERROR(tx.Exec(
                    "INSERT INTO consent_case_material (case_id, material_key, licence_identifier, "
                    "grant_id, blob_sha256, attached_by, attached_at_ms) VALUES (?, ?, ?, ?, ?, "
                    "?, ?)",
                    {first.id, "doc.householdRegister", "1.2.156.3005.2.x", g, copy, clerk_.user_id,
                     clock().NowMs()}));
                return Ok();
              }).has_value());

  Result<std::vector<ArchiveItem>> mine = archive_->Mine(limei_);
  ASSERT_TRUE(mine.has_value()) << mine.error().message;
  ASSERT_EQ(mine->size(), 3u);
  const ArchiveItem* id_card = Find(*mine, "doc.applicantIdCard");
  const ArchiveItem* pledge = Find(*mine, "doc.residencePledge");
  const ArchiveItem* household = Find(*mine, "doc.householdRegister");
  ASSERT_TRUE(id_card && pledge && household);
  EXPECT_EQ(id_card->trust, TrustLevel::kC);
  EXPECT_EQ(pledge->trust, TrustLevel::kD);
  EXPECT_EQ(household->trust, TrustLevel::kA);
  EXPECT_EQ(household->licence_identifier, "1.2.156.3005.2.x");
  EXPECT_EQ(id_card->holder_party_id, limei_party_);
  EXPECT_EQ(id_card->holder_kind, "person");
  EXPECT_EQ(id_card->source_case_id, first.id);
  EXPECT_EQ(id_card->source_case_title, "居住证签发");
  EXPECT_EQ(id_card->file_name, "身份证.pdf");
  EXPECT_EQ(id_card->content_type, "application/pdf");
  EXPECT_GT(id_card->size, 0);

  // Idempotent: nothing new, nothing doubled; 王强 has an empty archive.
  EXPECT_EQ(*archive_->Sync(limei_party_), 0);
  EXPECT_EQ(archive_->Mine(limei_)->size(), 3u);
  EXPECT_EQ(t_->Count("archive_item"), 3);
  EXPECT_TRUE(archive_->Mine(wang_)->empty());
}

TEST_P(ArchiveServiceTest, TheHolderReusesAnArchivedFileInALaterCase) {
  cases::Case first = FirstCase();
  ASSERT_TRUE(cases_->Refuse(clerk_, first.id, "材料不全").has_value());
  const ArchiveItem id_card = *Find(*archive_->Mine(limei_), "doc.applicantIdCard");
  cases::Case second = Submit(limei_, "李梅", {});
  EXPECT_EQ(MaterialStatus(second.id, "doc.applicantIdCard"), "missing:");
  const std::int64_t audits = t_->Count("audit_entry");

  Result<cases::Case> c = archive_->Reuse(limei_, {second.id, id_card.id, "doc.applicantIdCard"});
  ASSERT_TRUE(c.has_value()) << c.error().reason << " " << c.error().message;
  EXPECT_EQ(MaterialStatus(second.id, "doc.applicantIdCard"),
            "provided:" + id_card.blob_sha256);  // the same blob
  EXPECT_EQ(t_->Count("archive_reuse"), 1);
  EXPECT_EQ(t_->Count("audit_entry"), audits + 2);  // the case's attach and the reuse
  Result<store::Row> reuse = store::Read(db(), [&](store::Tx& tx) {
    return tx.QueryOne("SELECT consent, grant_id, case_id FROM archive_reuse", {}, "x", "x");
  });
  ASSERT_TRUE(reuse.has_value());
  EXPECT_EQ(reuse->Text(0), "holder");
  EXPECT_TRUE(reuse->IsNull(1));
  EXPECT_EQ(reuse->Text(2), second.id);
  // Still one archive item for the file, now reused once.
  Result<std::vector<ArchiveItem>> mine = archive_->Mine(limei_);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(Find(*mine, "doc.applicantIdCard")->reuse_count, 1);
}

TEST_P(ArchiveServiceTest, ReuseRefusalsChangeNothing) {
  cases::Case first = FirstCase();
  const std::vector<ArchiveItem> items = *archive_->Mine(limei_);
  const ArchiveItem id_card = *Find(items, "doc.applicantIdCard");
  cases::Case second = Submit(limei_, "李梅", {});
  cases::Case wangs = Submit(wang_, "王强", {});
  const std::int64_t audits = t_->Count("audit_entry");
  auto unchanged = [&] {
    EXPECT_EQ(MaterialStatus(second.id, "doc.applicantIdCard"), "missing:");
    EXPECT_EQ(MaterialStatus(wangs.id, "doc.applicantIdCard"), "missing:");
    EXPECT_EQ(t_->Count("archive_reuse"), 0);
    EXPECT_EQ(t_->Count("audit_entry"), audits);
  };

  // Another holder's item: it does not exist for 王强.
  EXPECT_TRUE(IsError(archive_->Reuse(wang_, {wangs.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kNotFound, "archive.not_found"));
  unchanged();
  // 李梅's item into someone else's case: not hers to see.
  EXPECT_TRUE(IsError(archive_->Reuse(limei_, {wangs.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kNotFound, "cases.not_found"));
  unchanged();
  // Unknown id, empty input, another material key.
  EXPECT_TRUE(IsError(archive_->Reuse(limei_, {second.id, "01JUNKNOWNUNKNOWNUNKNOWN00", "x"}),
                      ErrorCode::kNotFound, "archive.not_found"));
  Result<cases::Case> empty = archive_->Reuse(limei_, {second.id, "", ""});
  ASSERT_TRUE(IsError(empty, ErrorCode::kInvalidArgument, "archive.invalid_reuse"));
  EXPECT_EQ(empty.error().fields.size(), 2u);
  EXPECT_TRUE(IsError(archive_->Reuse(limei_, {second.id, id_card.id, "doc.householdRegister"}),
                      ErrorCode::kFailedPrecondition, "archive.wrong_material"));
  unchanged();
  // A clerk without the holder's grant; with a revoked one; with one for another case.
  EXPECT_TRUE(IsError(archive_->Reuse(clerk_, {second.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kPermissionDenied, "archive.no_consent"));
  Grant(limei_party_, cs_, std::nullopt, /*revoked=*/true);
  Grant(limei_party_, cs_, first.id);
  Grant(limei_party_, yl_);  // to another department
  EXPECT_TRUE(IsError(archive_->Reuse(clerk_, {second.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kPermissionDenied, "archive.no_consent"));
  // A clerk putting 李梅's file into 王强's case, even with her grant.
  Grant(limei_party_, cs_);
  EXPECT_TRUE(IsError(archive_->Reuse(clerk_, {wangs.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kFailedPrecondition, "archive.not_applicant"));
  // A case that was accepted cannot take materials any more.
  ASSERT_TRUE(cases_->Refuse(clerk_, second.id, "不符合条件").has_value());
  const std::int64_t after_refuse = t_->Count("audit_entry");
  EXPECT_TRUE(IsError(archive_->Reuse(limei_, {second.id, id_card.id, "doc.applicantIdCard"}),
                      ErrorCode::kFailedPrecondition, "cases.wrong_state"));
  EXPECT_EQ(t_->Count("archive_reuse"), 0);
  EXPECT_EQ(t_->Count("audit_entry"), after_refuse);
}

TEST_P(ArchiveServiceTest, AClerkReusesUnderTheHoldersGrant) {
  FirstCase();
  const ArchiveItem id_card = *Find(*archive_->Mine(limei_), "doc.applicantIdCard");
  cases::Case second = Submit(limei_, "李梅", {});
  const std::string grant = Grant(limei_party_, cs_, second.id);
  Result<cases::Case> c = archive_->Reuse(clerk_, {second.id, id_card.id, "doc.applicantIdCard"});
  ASSERT_TRUE(c.has_value()) << c.error().reason << " " << c.error().message;
  EXPECT_EQ(MaterialStatus(second.id, "doc.applicantIdCard"), "provided:" + id_card.blob_sha256);
  Result<store::Row> reuse = store::Read(db(), [&](store::Tx& tx) {
    return tx.QueryOne("SELECT consent, grant_id, reused_by FROM archive_reuse", {}, "x", "x");
  });
  ASSERT_TRUE(reuse.has_value());
  EXPECT_EQ(reuse->Text(0), "grant");
  EXPECT_EQ(reuse->Text(1), grant);
  EXPECT_EQ(reuse->Text(2), clerk_.user_id);
  // The reuse shows on 李梅's "谁查看了我的数据".
  Result<std::int64_t> seen = store::Read(db(), [&](store::Tx& tx) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT COUNT(*) FROM audit_entry WHERE action = "
                                               "'licences.archive.reuse' AND subject_party_id = ?",
                                               {limei_party_}, "x", "x"));
    return r.Int(0);
  });
  EXPECT_EQ(*seen, 1);
}

TEST_P(ArchiveServiceTest, AClerkChecksTheOriginalRaisingCToB) {
  cases::Case first = FirstCase();
  const std::vector<ArchiveItem> items = *archive_->Mine(limei_);
  const ArchiveItem id_card = *Find(items, "doc.applicantIdCard");
  const ArchiveItem pledge = *Find(items, "doc.residencePledge");
  const std::int64_t audits = t_->Count("audit_entry");

  // The case is 待受理: any counter may check the original.
  Result<ArchiveItem> b = archive_->VerifyOriginal(yl_clerk_, id_card.id);
  ASSERT_TRUE(b.has_value()) << b.error().reason << " " << b.error().message;
  EXPECT_EQ(b->trust, TrustLevel::kB);
  EXPECT_EQ(b->verified_by, yl_clerk_.user_id);
  EXPECT_EQ(b->verified_by_name, "用户ylclerk");
  EXPECT_EQ(b->verified_department_id, yl_);
  EXPECT_EQ(b->verified_at_ms, clock().NowMs());
  EXPECT_EQ(b->version, id_card.version + 1);
  EXPECT_EQ(t_->Count("audit_entry"), audits + 1);

  const std::int64_t after = t_->Count("audit_entry");
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(clerk_, id_card.id), ErrorCode::kFailedPrecondition,
                      "archive.already_verified"));
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(clerk_, pledge.id), ErrorCode::kFailedPrecondition,
                      "archive.not_uploaded"));
  EXPECT_EQ(LevelOf(pledge.id), "D");
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(clerk_, "01JUNKNOWNUNKNOWNUNKNOWN00"),
                      ErrorCode::kNotFound, "archive.not_found"));
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(limei_, id_card.id), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(reviewer_, id_card.id), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(t_->Count("audit_entry"), after);

  // Once the case is closed, a clerk needs a grant.
  ASSERT_TRUE(cases_->Refuse(clerk_, first.id, "材料不全").has_value());
  // A new ID card file (C) in a later case, also closed: no access without a grant.
  clock().Set(testutil::kTestNowMs + 60'000);
  cases::Case third = Submit(limei_, "李梅", {{"doc.applicantIdCard", Blob("new id"), "新.pdf"}});
  ASSERT_TRUE(cases_->Refuse(clerk_, third.id, "材料不全").has_value());
  const ArchiveItem fresh = *Find(*archive_->Mine(limei_), "doc.applicantIdCard");
  ASSERT_EQ(fresh.trust, TrustLevel::kC);
  const std::int64_t before = t_->Count("audit_entry");
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(clerk_, fresh.id), ErrorCode::kPermissionDenied,
                      "archive.no_consent"));
  EXPECT_EQ(LevelOf(fresh.id), "C");
  EXPECT_EQ(t_->Count("audit_entry"), before);
  Grant(limei_party_, cs_);
  EXPECT_TRUE(archive_->VerifyOriginal(clerk_, fresh.id).has_value());
  EXPECT_EQ(LevelOf(fresh.id), "B");
}

TEST_P(ArchiveServiceTest, AnAItemNeedsNoOriginalCheck) {
  FirstCase();
  ASSERT_TRUE(archive_->Sync(limei_party_).has_value());
  ASSERT_TRUE(store::Transact(db(), [&](store::Tx& tx) -> Result<void> {
                RETURN_IF_ERROR(
                    tx.Exec("UPDATE archive_item SET trust_level = 'A' WHERE "
                            "material_key = 'doc.applicantIdCard'"));
                return Ok();
              }).has_value());
  const ArchiveItem a = *Find(*archive_->Mine(limei_), "doc.applicantIdCard");
  ASSERT_EQ(a.trust, TrustLevel::kA);
  const std::int64_t audits = t_->Count("audit_entry");
  EXPECT_TRUE(IsError(archive_->VerifyOriginal(clerk_, a.id), ErrorCode::kFailedPrecondition,
                      "archive.not_uploaded"));
  EXPECT_EQ(LevelOf(a.id), "A");
  EXPECT_EQ(t_->Count("audit_entry"), audits);
}

TEST_P(ArchiveServiceTest, AClerkReadsAPartysArchiveOnlyWithAGrantOrAnOpenCase) {
  cases::Case first = FirstCase();
  Result<std::vector<ArchiveItem>> seen = archive_->OfParty(clerk_, limei_party_);
  ASSERT_TRUE(seen.has_value()) << seen.error().reason;
  EXPECT_EQ(seen->size(), 2u);
  // The read is on 李梅's access log.
  Result<store::Row> logged = store::Read(db(), [&](store::Tx& tx) {
    return tx.QueryOne(
        "SELECT actor_id, subject_party_id FROM audit_entry WHERE action = "
        "'licences.archive.read'",
        {}, "x", "x");
  });
  ASSERT_TRUE(logged.has_value());
  EXPECT_EQ(logged->Text(0), clerk_.user_id);
  EXPECT_EQ(logged->Text(1), limei_party_);

  ASSERT_TRUE(cases_->Refuse(clerk_, first.id, "材料不全").has_value());
  const std::int64_t audits = t_->Count("audit_entry");
  EXPECT_TRUE(IsError(archive_->OfParty(clerk_, limei_party_), ErrorCode::kPermissionDenied,
                      "archive.no_consent"));
  EXPECT_TRUE(IsError(archive_->OfParty(clerk_, "01JUNKNOWNUNKNOWNUNKNOWN00"), ErrorCode::kNotFound,
                      "archive.no_party"));
  EXPECT_TRUE(IsError(archive_->OfParty(wang_, limei_party_), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(
      IsError(archive_->Mine(clerk_), ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_EQ(t_->Count("audit_entry"), audits);
  // 王强's archive is not opened by 李梅's grant.
  Grant(limei_party_, cs_);
  EXPECT_EQ(archive_->OfParty(clerk_, limei_party_)->size(), 2u);
  EXPECT_TRUE(IsError(archive_->OfParty(clerk_, wang_party_), ErrorCode::kPermissionDenied,
                      "archive.no_consent"));
  // The grant is to 市政务服务中心, not to 岳麓区.
  EXPECT_TRUE(IsError(archive_->OfParty(yl_clerk_, limei_party_), ErrorCode::kPermissionDenied,
                      "archive.no_consent"));
}

TEST_P(ArchiveServiceTest, TheMaterialListMarksWhatALicenceProvides) {
  FirstCase();
  NewLicence n;
  n.type_code = kTypeCode;
  n.holder_name = "李梅";
  n.holder_code = limei_id_;
  n.face = {{"name", "李梅"}};
  Result<Licence> l = licences_->Issue(reviewer_, n);
  ASSERT_TRUE(l.has_value()) << l.error().reason << " " << l.error().message;

  Result<PersonalMaterialList> list = archive_->MaterialList(limei_, "item", item_code_, {});
  ASSERT_TRUE(list.has_value()) << list.error().reason << " " << list.error().message;
  ASSERT_EQ(list->materials.size(), 3u);
  EXPECT_EQ(list->by_licence, 1);
  EXPECT_EQ(list->from_archive, 2);
  EXPECT_EQ(list->to_upload, 0);
  for (const PersonalMaterial& m : list->materials) {
    if (m.material.key == "doc.householdRegister") {
      EXPECT_EQ(m.provision, Provision::kLicence);
      EXPECT_EQ(m.note, "由电子证照自动提供");
      EXPECT_EQ(m.licence_identifier, l->identifier);
      EXPECT_EQ(m.licence_name, "居民户口簿");
    } else {
      EXPECT_EQ(m.provision, Provision::kArchive) << m.material.key;
      ASSERT_EQ(m.archived.size(), 1u);
      EXPECT_EQ(m.archived[0].material_key, m.material.key);
    }
  }

  // 王强 holds no licence and has no archive: everything is to be uploaded.
  Result<PersonalMaterialList> his = archive_->MaterialList(wang_, "item", item_code_, {});
  ASSERT_TRUE(his.has_value());
  EXPECT_EQ(his->by_licence, 0);
  EXPECT_EQ(his->to_upload, 3);

  // A revoked licence provides nothing.
  ASSERT_TRUE(licences_->ChangeStatus(reviewer_, l->identifier, LicenceStatus::kRevoked, "信息有误")
                  .has_value());
  EXPECT_EQ(archive_->MaterialList(limei_, "item", item_code_, {})->by_licence, 0);

  EXPECT_TRUE(IsError(archive_->MaterialList(limei_, "case", item_code_, {}),
                      ErrorCode::kInvalidArgument, "archive.bad_kind"));
  EXPECT_TRUE(IsError(archive_->MaterialList(clerk_, "item", item_code_, {}),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ArchiveServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::licences
