// 政务数据查询单: fields from the subject's licences and the registers, each with its source and
// as-of date; staff with parties.read only; audited with the purpose.
#include "proofs/data_sheet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/id_number.h"
#include "licences/licence_service.h"
#include "proof_fixture.h"
#include "testutil/matchers.h"

namespace onestop::proofs::testing {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;

class DataSheetTest : public ProofFixture {
 protected:
  void SetUp() override {
    ProofFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    licences_ = std::make_unique<licences::LicenceService>(t_->db(), t_->clock(), *audit_, *seals_);
    sheets_ = std::make_unique<DataSheetService>(t_->db(), t_->clock(), *audit_, *licences_);
    licences::LicenceType t;
    t.code = "11100000000013338W001";
    t.name = "居民户口簿";
    t.definer_name = "中华人民共和国公安部";
    t.holder_type = licences::HolderType::kPerson;
    t.face_fields = {{"name", "姓名", licences::FieldType::kText, true},
                     {"address", "住址", licences::FieldType::kText, false}};
    t.validity_years = 10;
    t.issuing_department_id = kPolice;
    t.issuer_uscc = "11430000006122244L";
    identity::Principal system = identity::Principal::System();
    system.permissions.insert(
        identity::Permission::kIssueLicences);  // issuing is a department's act
    Result<licences::LicenceType> made = licences_->CreateType(system, t);
    ASSERT_TRUE(made.has_value()) << made.error().reason << " " << made.error().message;
    licences::NewLicence n;
    n.type_code = t.code;
    n.holder_name = "张小三";
    n.holder_code = kZhangId;
    n.face = {{"name", "张小三"}, {"address", "长沙市岳麓区麓山南路1号"}};
    Result<licences::Licence> issued = licences_->Issue(system, n);
    ASSERT_TRUE(issued.has_value()) << issued.error().reason << " " << issued.error().message;
  }

  std::unique_ptr<licences::LicenceService> licences_;
  std::unique_ptr<DataSheetService> sheets_;
};

TEST_P(DataSheetTest, GathersLicenceAndRegisterFieldsWithSourcesAndIsAudited) {
  std::int64_t audits = AuditCount();
  Result<DataSheet> s = sheets_->Build(Reviewer(kHousing), kZhangId, "核实公租房申请人住房情况");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->subject_name, "张小三");
  EXPECT_EQ(s->subject_kind, "person");
  bool address = false, property = false;
  for (const DataSheetRow& r : s->rows) {
    if (r.section == "居民户口簿" && r.label == "住址") {
      address = true;
      EXPECT_EQ(r.value, "长沙市岳麓区麓山南路1号");
      EXPECT_EQ(r.source, "长沙市公安局岳麓分局");
      EXPECT_EQ(r.as_of, "2026-11-27");
    }
    // The key "properties" is labelled by the proof type that reads the register.
    if (r.section == "不动产登记" && r.label == "房产坐落") {
      property = true;
      EXPECT_EQ(r.value, "岳麓区麓山南路1号3栋502，89.5㎡");
      EXPECT_EQ(r.source, "长沙市不动产登记中心");
      EXPECT_EQ(r.as_of, "2026-11-26");
    }
  }
  EXPECT_TRUE(address);
  EXPECT_TRUE(property);
  EXPECT_EQ(AuditCount(), audits + 1);

  Result<std::string> pdf = sheets_->Pdf(Reviewer(kHousing), kZhangId, "核实公租房申请人住房情况");
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(AuditCount(), audits + 2);
}

TEST_P(DataSheetTest, RefusesWithoutPermissionPurposeOrSubjectAndWritesNothing) {
  std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(sheets_->Build(zhang_, kZhangId, "查询"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(sheets_->Build(Reviewer(kHousing), kZhangId, ""), ErrorCode::kInvalidArgument,
                      "proofs.purpose_required"));
  EXPECT_TRUE(IsError(sheets_->Build(Reviewer(kHousing), " ", "查询"), ErrorCode::kInvalidArgument,
                      "proofs.subject_required"));
  EXPECT_TRUE(IsError(sheets_->Build(Reviewer(kHousing), "430104199001011111", "查询"),
                      ErrorCode::kNotFound, "proofs.no_subject"));
  EXPECT_EQ(AuditCount(), audits);
}

INSTANTIATE_TEST_SUITE_P(Backends, DataSheetTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::proofs::testing
