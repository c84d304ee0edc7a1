// Issue from cases: approving the last step of an item whose catalogue result is a licence type
// issues that licence to the applicant in the same transaction (end to end through CaseService).
#include "licences/case_results.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cases/blob_store.h"
#include "core/id_number.h"
#include "core/uscc.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::licences {
namespace {

using identity::Principal;
using testutil::IsError;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kTypeCode = "11100000000013338W020";

catalog::FormField Field(const std::string& key, const std::string& label,
                         catalog::FieldType type = catalog::FieldType::kText) {
  catalog::FormField f;
  f.key = key;
  f.label = label;
  f.type = type;
  f.required = true;
  return f;
}

class CaseResultsTest : public ::testing::TestWithParam<store::Backend> {
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
    cases_->SetResultIssuer(CaseResultIssuer(*licences_));
    root_ = std::filesystem::temp_directory_path() /
            ("onestop-lic-blobs-" + std::to_string(::getpid()));
    blobs_ = std::make_unique<cases::BlobStore>(db(), clock(), root_.string());

    cs_ = Dept("HN-CS", "长沙市政务服务中心", std::nullopt);
    gaj_ = Dept("HN-CS-GAJ", "长沙市公安局", cs_);
    clerk_ = User("clerk", {"counter_clerk"}, cs_);
    reviewer_ = User("gaj", {"reviewer"}, gaj_);
    const std::string first17 = "43010419900307124";
    id_number_ = first17 + IdNumberCheckChar(first17);
    Result<identity::Person> p =
        identity_->parties.CreatePerson(clerk_, {"李梅", id_number_, "13907460002"});
    ASSERT_TRUE(p.has_value()) << p.error().message;
    citizen_ = User("limei", {"citizen"}, std::nullopt, p->id);

    seal::NewSeal s;
    s.department_id = gaj_;
    s.name = "长沙市公安局电子证照专用章";
    ASSERT_TRUE(seals_->Create(Principal::System(), s).has_value());
    LicenceType t;
    t.code = kTypeCode;
    t.name = "居住证";
    t.definer_name = "中华人民共和国公安部";
    t.face_fields = {{"name", "姓名", FieldType::kText, true},
                     {"idNumber", "公民身份号码", FieldType::kIdNumber, true},
                     {"address", "居住地址", FieldType::kText, true},
                     {"cardNo", "居住证编号", FieldType::kText, true}};
    t.validity_years = 1;
    t.issuing_department_id = gaj_;
    t.issuer_uscc = "11430100MB7654321";
    t.issuer_uscc += UsccCheckChar(t.issuer_uscc);
    ASSERT_TRUE(licences_->CreateType(Principal::System(), t).has_value());

    std::string org17 = "11430100MB7654321";
    item_code_ = org17 + UsccCheckChar(org17) + "3" + "00" + "07" + "00909" + "000";
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
    i.fields = {Field("applicant.name", "申请人姓名"),
                Field("applicant.idNumber", "申请人身份证号", catalog::FieldType::kIdNumber),
                Field("residence.address", "居住地址")};
    catalog::Material m;
    m.key = "doc.applicantIdCard";
    m.name = "申请人身份证";
    m.need = catalog::MaterialNeed::kRequired;
    m.originals = 1;
    i.materials = {m};
    i.result = {"居住证", "doc.residencePermit", kTypeCode, {"cardNo"}};
    Result<catalog::Item> saved = catalog_->SaveItem(Principal::System(), i);
    ASSERT_TRUE(saved.has_value())
        << saved.error().message
        << (saved.error().fields.empty() ? "" : " " + saved.error().fields[0].field);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  std::string Dept(const std::string& code, const std::string& name,
                   std::optional<std::string> parent) {
    return testutil::MakeDepartment(*identity_, code, name, std::move(parent));
  }

  Principal User(const std::string& username, std::vector<std::string> roles,
                 std::optional<std::string> department, std::optional<std::string> person = {}) {
    return testutil::MakeUser(
        db(), *identity_, {username, std::move(roles), std::move(department), std::move(person)});
  }

  // Submitted by the citizen, accepted at the counter: the 决定 task is pending.
  std::string PendingTask(const std::string& address) {
    Result<cases::BlobInfo> blob = blobs_->Put(clerk_, "%PDF-1.7\nid");
    EXPECT_TRUE(blob.has_value());
    cases::Submission s;
    s.kind = "item";
    s.catalog_code = item_code_;
    s.form = {{"applicant.name", "李梅"},
              {"applicant.idNumber", id_number_},
              {"residence.address", address}};
    s.materials = {{"doc.applicantIdCard", blob->sha256, "身份证.pdf"}};
    Result<cases::Case> c = cases_->Submit(citizen_, s);
    EXPECT_TRUE(c.has_value()) << c.error().message;
    Result<cases::Case> a = cases_->Accept(clerk_, c->id, {});
    EXPECT_TRUE(a.has_value()) << a.error().message;
    return a->tasks.at(0).id;
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
  std::filesystem::path root_;
  std::unique_ptr<cases::BlobStore> blobs_;
  std::string cs_, gaj_, item_code_, id_number_;
  Principal clerk_, reviewer_, citizen_;
};

TEST_P(CaseResultsTest, ApprovingTheItemIssuesTheLicenceToTheApplicant) {
  std::string task = PendingTask("长沙市岳麓区麓山南路1号");
  Result<cases::Case> done = cases_->Approve(reviewer_, task, "同意", {{"cardNo", "JZZ-2026-001"}});
  ASSERT_TRUE(done.has_value()) << done.error().reason << " " << done.error().message;
  Result<std::vector<Licence>> mine = licences_->Mine(citizen_, true);
  ASSERT_TRUE(mine.has_value()) << mine.error().message;
  ASSERT_EQ(mine->size(), 1u);
  const Licence& l = (*mine)[0];
  EXPECT_EQ(l.type_code, kTypeCode);
  EXPECT_EQ(l.holder_name, "李梅");
  EXPECT_EQ(l.holder_code, id_number_);
  EXPECT_EQ(l.case_id, done->id);
  EXPECT_EQ(l.item_code, item_code_);
  EXPECT_EQ(l.item_name, "居住证签发");
  EXPECT_EQ(l.face.at("cardNo").as_string(), "JZZ-2026-001");
  EXPECT_EQ(l.face.at("address").as_string(), "长沙市岳麓区麓山南路1号");
  EXPECT_EQ(l.face.at("name").as_string(), "李梅");
  EXPECT_EQ(l.valid_to, "2027-11-26");
  EXPECT_EQ(licences_->Verify(l.identifier)->result, VerifyResult::kValid);
}

TEST_P(CaseResultsTest, ALicenceThatCannotBeIssuedRollsTheApprovalBack) {
  // The type now needs a face field neither the form nor the result has: the licence is refused,
  // and so is the approval.
  Result<LicenceType> t = licences_->GetType(Principal::System(), kTypeCode);
  ASSERT_TRUE(t.has_value());
  t->face_fields.push_back({"photoNo", "照片编号", FieldType::kText, true});
  ASSERT_TRUE(licences_->UpdateType(Principal::System(), *t).has_value());
  std::string task = PendingTask("长沙市岳麓区麓山南路1号");
  std::int64_t audits = t_->Count("audit_entry");
  Result<cases::Case> r = cases_->Approve(reviewer_, task, "同意", {{"cardNo", "JZZ-2026-002"}});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_licence"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "face.photoNo");
  EXPECT_EQ(t_->Count("licences_licence"), 0);
  EXPECT_EQ(t_->Count("audit_entry"), audits);
  Result<store::Row> status = store::Read(db(), [&](store::Tx& tx) {
    return tx.QueryOne("SELECT status FROM case_task WHERE id = ?", {task}, "x", "x");
  });
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->Text(0), "pending");
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseResultsTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::licences
