// LicenceService: licence types, issuing with the department's seal, status changes, new
// versions, verification (tampered rows and wrong keys), queries, on both backends.
#include "licences/licence_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "core/canonical_json.h"
#include "core/id_number.h"
#include "core/licence_id.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::licences {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;
namespace json = boost::json;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kTypeCode =
    "11100000000013338W001";  // 户口簿-like, definer 11100000000013338W
constexpr const char* kIssuer = "11430000006122244L";

std::string IdNo(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }

identity::Principal Staff(const std::string& dept, std::set<identity::Permission> perms,
                          identity::DataScope scope = identity::DataScope::kDeptAndBelow,
                          std::set<std::string> scope_depts = {}) {
  identity::Principal p;
  p.user_id = "u-" + dept;
  p.display_name = "办证员";
  p.department_id = dept;
  p.data_scope = scope;
  p.scope_department_ids = scope_depts.empty() ? std::set<std::string>{dept} : scope_depts;
  p.permissions = std::move(perms);
  p.request_id = "req-1";
  return p;
}

identity::Principal Issuer() {
  return Staff("d-ga", {identity::Permission::kIssueLicences}, identity::DataScope::kDeptAndBelow,
               {"d-ga", "d-ga-pcs"});
}
identity::Principal SubIssuer() {
  return Staff("d-ga-pcs", {identity::Permission::kIssueLicences}, identity::DataScope::kDept);
}
identity::Principal OtherIssuer() {
  return Staff("d-mz", {identity::Permission::kIssueLicences}, identity::DataScope::kDept);
}

identity::Principal Citizen(const std::string& person_id) {
  identity::Principal p;
  p.user_id = "u-cit";
  p.display_name = "张三";
  p.kind = identity::UserKind::kCitizen;
  p.person_id = person_id;
  p.permissions = {identity::Permission::kSelfLicences};
  return p;
}

LicenceType HouseholdType() {
  LicenceType t;
  t.code = kTypeCode;
  t.name = "居民户口簿";
  t.definer_name = "中华人民共和国公安部";
  t.holder_type = HolderType::kPerson;
  t.face_fields = {{"name", "姓名", FieldType::kText, true},
                   {"idNumber", "公民身份号码", FieldType::kIdNumber, true},
                   {"birthDate", "出生日期", FieldType::kDate, true},
                   {"address", "住址", FieldType::kText, false},
                   {"members", "户内人数", FieldType::kNumber, false}};
  t.validity_years = 10;
  t.issuing_department_id = "d-ga";
  t.issuer_uscc = kIssuer;
  t.item_codes = {};
  t.material_keys = {"doc.householdRegister"};
  return t;
}

class LicenceServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 09:00 CST
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    seals_ = std::make_unique<seal::SealService>(t_->db(), t_->clock(), *audit_,
                                                 *seal::MasterKey::FromHex(kHexKey));
    service_ = std::make_unique<LicenceService>(t_->db(), t_->clock(), *audit_, *seals_);
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      struct D {
        const char* id;
        const char* name;
        const char* path;
      };
      for (const D& d :
           {D{"d-ga", "长沙市公安局", "/d-ga/"}, D{"d-ga-pcs", "岳麓派出所", "/d-ga/d-ga-pcs/"},
            D{"d-mz", "长沙市民政局", "/d-mz/"}}) {
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,NULL,?,?,?,0,0,1)",
            {d.id, std::string("C-") + d.id, d.name, "430100", "city", d.path}));
      }
      RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO identity_person (id, name, id_number, gender, birth_date, region_code, "
          "created_by, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,0,0)",
          {"p-1", "张三", holder_, "男", "1990-01-01", "430102", "test"}));
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
    for (const char* dept : {"d-ga", "d-mz"}) {
      seal::NewSeal s;
      s.department_id = dept;
      s.name = std::string(dept) + "电子证照专用章";
      Result<seal::Seal> made = seals_->Create(identity::Principal::System(), s);
      ASSERT_TRUE(made.has_value()) << made.error().message;
    }
  }

  LicenceType MustCreateType(LicenceType t = HouseholdType()) {
    Result<LicenceType> r = service_->CreateType(Issuer(), t);
    EXPECT_TRUE(r.has_value()) << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : LicenceType{};
  }

  NewLicence Household(const std::string& holder) {
    NewLicence n;
    n.type_code = kTypeCode;
    n.holder_name = "张三";
    n.holder_code = holder;
    n.face = {{"name", "张三"},
              {"idNumber", holder},
              {"birthDate", "1990-01-01"},
              {"address", "长沙市岳麓区麓山南路1号"},
              {"members", 3}};
    return n;
  }

  Licence MustIssue(const identity::Principal& actor = Issuer()) {
    Result<Licence> r = service_->Issue(actor, Household(holder_));
    EXPECT_TRUE(r.has_value()) << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : Licence{};
  }

  std::tuple<std::int64_t, std::int64_t, std::int64_t> Counts() {
    return {t_->Count("licences_type"), t_->Count("licences_licence"), t_->Count("audit_entry")};
  }

  Result<std::int64_t> Exec(const std::string& sql, const std::vector<store::Value>& params) {
    return store::Transact(t_->db(), [&](store::Tx& tx) { return tx.Exec(sql, params); });
  }

  std::string holder_ = IdNo("43010219900101123");
  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<seal::SealService> seals_;
  std::unique_ptr<LicenceService> service_;
};

// ---- Types ---------------------------------------------------------------------------------

TEST_P(LicenceServiceTest, CreateTypeStoresAndAudits) {
  auto before = Counts();
  LicenceType t = MustCreateType();
  EXPECT_EQ(t.issuing_department_name, "长沙市公安局");
  EXPECT_EQ(t.version, 1);
  Result<LicenceType> got = service_->GetType(Issuer(), kTypeCode);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->face_fields, HouseholdType().face_fields);
  EXPECT_EQ(got->material_keys, std::vector<std::string>{"doc.householdRegister"});
  EXPECT_EQ(got->validity_years, 10);
  EXPECT_EQ(std::get<0>(Counts()), std::get<0>(before) + 1);
  EXPECT_GT(std::get<2>(Counts()), std::get<2>(before));
  Result<std::vector<LicenceType>> all = service_->ListTypes(Citizen("p-1"));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 1u);
}

TEST_P(LicenceServiceTest, CreateTypeRejectsBadFieldsAndChangesNothing) {
  auto before = Counts();
  LicenceType t = HouseholdType();
  t.code = "11100000000013338X001";  // check character wrong
  t.name = "";
  t.face_fields.push_back({"name", "重复", FieldType::kText, false});
  t.face_fields.push_back({"holderCode", "保留", FieldType::kText, false});
  t.issuer_uscc = "123";
  Result<LicenceType> r = service_->CreateType(Issuer(), t);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_type"));
  std::set<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("code"));
  EXPECT_TRUE(fields.count("name"));
  EXPECT_TRUE(fields.count("issuerUscc"));
  EXPECT_TRUE(fields.count("faceFields[5].key"));
  EXPECT_TRUE(fields.count("faceFields[6].key"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(LicenceServiceTest, CreateTypeTwiceIsAlreadyExists) {
  MustCreateType();
  auto before = Counts();
  EXPECT_TRUE(IsError(service_->CreateType(Issuer(), HouseholdType()), ErrorCode::kAlreadyExists,
                      "licences.type_exists"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(LicenceServiceTest, CreateTypeNeedsPermissionAndScope) {
  auto before = Counts();
  EXPECT_TRUE(IsError(service_->CreateType(Citizen("p-1"), HouseholdType()),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->CreateType(OtherIssuer(), HouseholdType()),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  LicenceType t = HouseholdType();
  t.issuing_department_id = "d-none";
  EXPECT_TRUE(IsError(service_->CreateType(identity::Principal::System(), t), ErrorCode::kNotFound,
                      "licences.no_such_department"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(LicenceServiceTest, UpdateTypeChecksVersion) {
  LicenceType t = MustCreateType();
  t.name = "居民户口簿（新）";
  Result<LicenceType> u = service_->UpdateType(Issuer(), t);
  ASSERT_TRUE(u.has_value()) << u.error().message;
  EXPECT_EQ(u->version, 2);
  EXPECT_EQ(u->name, "居民户口簿（新）");
  t.name = "过期的修改";  // still version 1
  EXPECT_TRUE(
      IsError(service_->UpdateType(Issuer(), t), ErrorCode::kAborted, "store.version_conflict"));
  EXPECT_EQ(service_->GetType(Issuer(), kTypeCode)->name, "居民户口簿（新）");
  t.code = "11100000000013338W999";
  EXPECT_TRUE(
      IsError(service_->UpdateType(Issuer(), t), ErrorCode::kNotFound, "licences.no_such_type"));
}

// ---- Issue ---------------------------------------------------------------------------------

TEST_P(LicenceServiceTest, IssueSignsWithTheDepartmentSeal) {
  MustCreateType();
  auto before = Counts();
  Licence l = MustIssue();
  Result<LicenceId> id = ParseLicenceId(l.identifier);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_EQ(id->type_code, kTypeCode);
  EXPECT_EQ(id->issuer_uscc, kIssuer);
  EXPECT_EQ(id->serial, "20261127000001");
  EXPECT_EQ(id->version, 1);
  EXPECT_EQ(l.number, "20261127000001");
  EXPECT_EQ(l.issue_date, "2026-11-27");
  EXPECT_EQ(l.valid_from, "2026-11-27");
  EXPECT_EQ(l.valid_to, "2036-11-26");
  EXPECT_EQ(l.region_code, "430100");
  EXPECT_EQ(l.issuer_name, "长沙市公安局");
  EXPECT_EQ(l.status, LicenceStatus::kValid);
  EXPECT_EQ(l.sign_alg, "SM2-SM3");
  EXPECT_FALSE(l.signature_b64.empty());
  EXPECT_THAT(l.key_id, HasSubstr("-k1"));
  EXPECT_EQ(std::get<1>(Counts()), std::get<1>(before) + 1);
  EXPECT_GT(std::get<2>(Counts()), std::get<2>(before));
  Licence second = MustIssue(SubIssuer());  // a 派出所 below the 公安局 may issue too
  EXPECT_EQ(ParseLicenceId(second.identifier)->serial, "20261127000002");
  EXPECT_EQ(second.issued_by_department_id, "d-ga-pcs");
  EXPECT_EQ(second.issuing_department_id, "d-ga");
}

TEST_P(LicenceServiceTest, IssueUnknownTypeIsNotFound) {
  auto before = Counts();
  NewLicence n = Household(holder_);
  n.type_code = "11100000000013338W777";
  EXPECT_TRUE(IsError(service_->Issue(Issuer(), n), ErrorCode::kNotFound, "licences.no_such_type"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(LicenceServiceTest, IssueReportsEveryFaceFieldError) {
  MustCreateType();
  auto before = Counts();
  NewLicence n = Household(holder_);
  n.face.erase("name");
  n.face["idNumber"] = "430102199001011230";
  n.face["birthDate"] = "1990/01/01";
  n.face["members"] = "三";
  n.face["colour"] = "红";
  n.holder_code = "12345";
  n.valid_to = "2020-01-01";
  Result<Licence> r = service_->Issue(Issuer(), n);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_licence"));
  std::map<std::string, std::string> fields;
  for (const FieldError& f : r.error().fields) fields[f.field] = f.message;
  EXPECT_EQ(fields["face.name"], "请填写“姓名”");
  EXPECT_THAT(fields["face.idNumber"], HasSubstr("公民身份号码"));
  EXPECT_THAT(fields["face.birthDate"], HasSubstr("YYYY-MM-DD"));
  EXPECT_EQ(fields["face.members"], "“户内人数”应为数字");
  EXPECT_THAT(fields["face.colour"], HasSubstr("没有照面字段"));
  EXPECT_THAT(fields["holderCode"], HasSubstr("公民身份号码"));
  EXPECT_EQ(fields["validTo"], "有效期截止不能早于起始");
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(t_->Count("licences_serial"), 0);
}

TEST_P(LicenceServiceTest, IssueByAnotherDepartmentIsRefused) {
  MustCreateType();
  auto before = Counts();
  Result<Licence> r = service_->Issue(OtherIssuer(), Household(holder_));
  ASSERT_TRUE(IsError(r, ErrorCode::kPermissionDenied, "licences.wrong_department"));
  EXPECT_THAT(r.error().message, HasSubstr("长沙市公安局"));
  EXPECT_TRUE(IsError(service_->Issue(Citizen("p-1"), Household(holder_)),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(LicenceServiceTest, IssueWithoutSealRollsBackTheSerial) {
  LicenceType t = HouseholdType();
  t.code = "11100000000013338W002";
  t.issuing_department_id = "d-ga-pcs";  // no seal there
  Result<LicenceType> made = service_->CreateType(identity::Principal::System(), t);
  ASSERT_TRUE(made.has_value()) << made.error().message;
  auto before = Counts();
  NewLicence n = Household(holder_);
  n.type_code = t.code;
  EXPECT_TRUE(IsError(service_->Issue(SubIssuer(), n), ErrorCode::kFailedPrecondition,
                      "seal.department_has_no_seal"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(t_->Count("licences_serial"), 0);
}

TEST_P(LicenceServiceTest, DuplicateNumberIsAlreadyExists) {
  MustCreateType();
  NewLicence n = Household(holder_);
  n.number = "HK-0001";
  ASSERT_TRUE(service_->Issue(Issuer(), n).has_value());
  auto before = Counts();
  EXPECT_TRUE(
      IsError(service_->Issue(Issuer(), n), ErrorCode::kAlreadyExists, "licences.number_taken"));
  EXPECT_EQ(Counts(), before);
}

// ---- Status and versions ------------------------------------------------------------------

TEST_P(LicenceServiceTest, SuspendThenReinstate) {
  MustCreateType();
  Licence l = MustIssue();
  Result<Licence> s =
      service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kSuspended, "涉嫌违规待查");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->status, LicenceStatus::kSuspended);
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kSuspended);
  Result<Licence> back =
      service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kValid, "核查无误恢复");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->status, LicenceStatus::kValid);
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kValid);
}

TEST_P(LicenceServiceTest, RevokedIsFinal) {
  MustCreateType();
  Licence l = MustIssue();
  ASSERT_TRUE(service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kRevoked, "材料虚假")
                  .has_value());
  auto before = Counts();
  Result<Licence> r =
      service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kValid, "想要恢复");
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "licences.bad_transition"));
  EXPECT_THAT(r.error().message, HasSubstr("撤销"));
  EXPECT_TRUE(IsError(
      service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kSuperseded, "不能手工设"),
      ErrorCode::kFailedPrecondition, "licences.bad_transition"));
  EXPECT_TRUE(
      IsError(service_->NewVersion(Issuer(), l.identifier, {std::nullopt, "李四", {}, "更名换发"}),
              ErrorCode::kFailedPrecondition, "licences.bad_transition"));
  EXPECT_EQ(Counts(), before);
  Verification v = *service_->Verify(l.identifier);
  EXPECT_EQ(v.result, VerifyResult::kRevoked);
}

TEST_P(LicenceServiceTest, ChangeStatusChecksReasonScopeAndExistence) {
  MustCreateType();
  Licence l = MustIssue();
  auto before = Counts();
  EXPECT_TRUE(IsError(service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kRevoked, "x"),
                      ErrorCode::kInvalidArgument, "licences.invalid_reason"));
  EXPECT_TRUE(IsError(
      service_->ChangeStatus(OtherIssuer(), l.identifier, LicenceStatus::kRevoked, "越权撤销"),
      ErrorCode::kNotFound, "licences.not_found"));
  EXPECT_TRUE(IsError(service_->ChangeStatus(Issuer(), "1.2.156.3005.2.nope",
                                             LicenceStatus::kRevoked, "没有这个证"),
                      ErrorCode::kNotFound, "licences.not_found"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kValid);
}

TEST_P(LicenceServiceTest, NewVersionSupersedesTheOld) {
  MustCreateType();
  Licence l = MustIssue();
  json::object face = l.face;
  face["address"] = "长沙市开福区湘江中路2号";
  Result<Licence> v2 =
      service_->NewVersion(Issuer(), l.identifier, {face, std::nullopt, {}, "迁移换发"});
  ASSERT_TRUE(v2.has_value()) << v2.error().reason << " " << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(ParseLicenceId(v2->identifier)->version, 2);
  EXPECT_EQ(ParseLicenceId(v2->identifier)->serial, l.serial);
  EXPECT_EQ(v2->number, l.number);
  EXPECT_EQ(v2->previous_identifier, l.identifier);
  EXPECT_EQ(v2->face.at("address").as_string(), "长沙市开福区湘江中路2号");
  Verification old = *service_->Verify(l.identifier);
  EXPECT_EQ(old.result, VerifyResult::kSuperseded);
  ASSERT_TRUE(old.licence.has_value());
  EXPECT_EQ(old.licence->superseded_by, v2->identifier);
  EXPECT_EQ(service_->Verify(v2->identifier)->result, VerifyResult::kValid);
  // The old one is final now.
  EXPECT_TRUE(
      IsError(service_->ChangeStatus(Issuer(), l.identifier, LicenceStatus::kValid, "恢复旧版"),
              ErrorCode::kFailedPrecondition, "licences.bad_transition"));
  // Only the current version is listed for the holder.
  Result<std::vector<Licence>> mine = service_->Mine(Citizen("p-1"), false);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].identifier, v2->identifier);
}

TEST_P(LicenceServiceTest, NewVersionWithBadFaceChangesNothing) {
  MustCreateType();
  Licence l = MustIssue();
  auto before = Counts();
  json::object face = l.face;
  face["birthDate"] = "明天";
  Result<Licence> r =
      service_->NewVersion(Issuer(), l.identifier, {face, std::nullopt, {}, "更正"});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_licence"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "face.birthDate");
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kValid);
}

// ---- Verification -------------------------------------------------------------------------

TEST_P(LicenceServiceTest, VerifyValidShowsMaskedSummaryAndSeal) {
  MustCreateType();
  Licence l = MustIssue();
  Result<Verification> v = service_->Verify(l.identifier);
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v->result, VerifyResult::kValid);
  ASSERT_TRUE(v->licence.has_value());
  EXPECT_EQ(v->licence->holder_name_masked, "张*");
  EXPECT_EQ(v->licence->holder_code_masked, MaskIdNumber(holder_));
  EXPECT_EQ(v->licence->name, "居民户口簿");
  ASSERT_TRUE(v->seal.has_value());
  EXPECT_EQ(v->seal->seal_id, l.seal_id);
  EXPECT_EQ(v->seal->department_name, "长沙市公安局");
  EXPECT_THAT(v->seal->public_key_pem, HasSubstr("BEGIN PUBLIC KEY"));
}

TEST_P(LicenceServiceTest, VerifyDetectsATamperedFaceField) {
  MustCreateType();
  Licence l = MustIssue();
  json::object face = l.face;
  face["address"] = "北京市东城区1号";
  ASSERT_TRUE(Exec("UPDATE licences_licence SET face_json = ? WHERE identifier = ?",
                   {json::serialize(face), l.identifier})
                  .has_value());
  Verification v = *service_->Verify(l.identifier);
  EXPECT_EQ(v.result, VerifyResult::kTampered);
  EXPECT_THAT(v.message, HasSubstr("篡改"));
}

TEST_P(LicenceServiceTest, VerifyDetectsATamperedMetadataField) {
  MustCreateType();
  Licence l = MustIssue();
  ASSERT_TRUE(Exec("UPDATE licences_licence SET valid_to = '2099-12-31' WHERE identifier = ?",
                   {l.identifier})
                  .has_value());
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kTampered);
}

TEST_P(LicenceServiceTest, VerifyFailsWithAWrongKey) {
  MustCreateType();
  Licence l = MustIssue();
  Result<std::vector<seal::Seal>> seals = seals_->List(identity::Principal::System());
  ASSERT_TRUE(seals.has_value());
  std::string other_key;
  for (const seal::Seal& s : *seals) {
    if (s.department_id == "d-mz") other_key = s.keys.at(0).key_id;
  }
  ASSERT_FALSE(other_key.empty());
  ASSERT_TRUE(
      Exec("UPDATE licences_licence SET key_id = ? WHERE identifier = ?", {other_key, l.identifier})
          .has_value());
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kTampered);
  ASSERT_TRUE(Exec("UPDATE licences_licence SET key_id = 'ES000000000000-k9' WHERE identifier = ?",
                   {l.identifier})
                  .has_value());
  EXPECT_EQ(service_->Verify(l.identifier)->result, VerifyResult::kTampered);
}

TEST_P(LicenceServiceTest, VerifyRefusesASignatureByAnotherDepartmentsSeal) {
  // Re-signed with the 民政局's own valid key: the signature checks, but not as the issuer's.
  MustCreateType();
  Licence l = MustIssue();
  Result<seal::SealSignature> sig = store::Transact(t_->db(), [&](store::Tx& tx) {
    return seals_->Sign(tx, "d-mz", LicenceService::CanonicalBytes(l));
  });
  ASSERT_TRUE(sig.has_value()) << sig.error().message;
  ASSERT_TRUE(Exec("UPDATE licences_licence SET seal_id = ?, key_id = ?, signature = ? WHERE "
                   "identifier = ?",
                   {sig->seal_id, sig->key_id, seal::Base64(sig->signature), l.identifier})
                  .has_value());
  Verification v = *service_->Verify(l.identifier);
  EXPECT_EQ(v.result, VerifyResult::kTampered);
  EXPECT_THAT(v.message, HasSubstr("不属于颁发部门"));
}

TEST_P(LicenceServiceTest, VerifyUnknownAndMalformedIdentifiers) {
  MustCreateType();
  Licence l = MustIssue();
  Result<LicenceId> id = ParseLicenceId(l.identifier);
  Result<LicenceId> other = BuildLicenceId(id->type_code, id->issuer_uscc, "20261127999999", 1);
  Verification unknown = *service_->Verify(other->str());
  EXPECT_EQ(unknown.result, VerifyResult::kUnknown);
  EXPECT_FALSE(unknown.licence.has_value());
  std::string bad = l.identifier;
  bad.back() = bad.back() == 'A' ? 'B' : 'A';
  Verification malformed = *service_->Verify(bad);
  EXPECT_EQ(malformed.result, VerifyResult::kUnknown);
  EXPECT_THAT(malformed.message, HasSubstr("校验位"));
}

TEST_P(LicenceServiceTest, VerifyAfterValidToIsExpired) {
  MustCreateType();
  Licence l = MustIssue();
  t_->clock().Advance(Millis{11} * 366 * 86400000);
  Verification v = *service_->Verify(l.identifier);
  EXPECT_EQ(v.result, VerifyResult::kExpired);
  Result<std::vector<Licence>> valid = service_->Mine(Citizen("p-1"), true);
  ASSERT_TRUE(valid.has_value());
  EXPECT_TRUE(valid->empty());
}

TEST_P(LicenceServiceTest, SignedBytesVerifyWithThePublicKeyAlone) {
  MustCreateType();
  Licence l = MustIssue();
  Result<std::string> bytes = service_->SignedBytes(l.identifier);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, LicenceService::CanonicalBytes(l));
  EXPECT_THAT(*bytes, HasSubstr("\"holderCodeType\":\"111\""));
  Result<seal::SealKey> key = seals_->PublicKey(l.key_id);
  ASSERT_TRUE(key.has_value());
  std::string sig = *seal::FromBase64(l.signature_b64);
  EXPECT_TRUE(seal::VerifyWithPublicKeyPem(key->public_key_pem, seal::SignAlg::kSm2Sm3, *bytes, sig)
                  .has_value());
  std::string changed = *bytes;
  changed[changed.find("张三")] = 'X';
  EXPECT_FALSE(
      seal::VerifyWithPublicKeyPem(key->public_key_pem, seal::SignAlg::kSm2Sm3, changed, sig)
          .has_value());
}

// ---- Queries ------------------------------------------------------------------------------

TEST_P(LicenceServiceTest, ByHolderAndMine) {
  MustCreateType();
  Licence a = MustIssue();
  Licence b = MustIssue();
  ASSERT_TRUE(
      service_->ChangeStatus(Issuer(), b.identifier, LicenceStatus::kCancelled, "本人申请注销")
          .has_value());
  Result<std::vector<Licence>> all = store::Read(t_->db(), [&](store::Tx& tx) {
    return LicenceService::ByHolder(tx, HolderType::kPerson, holder_, false, "2026-11-27");
  });
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 2u);
  Result<std::vector<Licence>> valid = store::Read(t_->db(), [&](store::Tx& tx) {
    return LicenceService::ByHolder(tx, HolderType::kPerson, holder_, true, "2026-11-27");
  });
  ASSERT_EQ(valid->size(), 1u);
  EXPECT_EQ((*valid)[0].identifier, a.identifier);
  Result<Licence> one = store::Read(
      t_->db(), [&](store::Tx& tx) { return LicenceService::ByIdentifier(tx, a.identifier); });
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->face.at("address").as_string(), "长沙市岳麓区麓山南路1号");
  EXPECT_EQ(service_->Mine(Citizen("p-1"), true)->size(), 1u);
  EXPECT_EQ(service_->Mine(Citizen("p-1"), false)->size(), 2u);
  EXPECT_TRUE(IsError(service_->Mine(Issuer(), true), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST_P(LicenceServiceTest, DepartmentListFiltersPagesAndScopes) {
  MustCreateType();
  for (int i = 0; i < 5; ++i) MustIssue(i % 2 ? SubIssuer() : Issuer());
  LicenceFilter f;
  f.limit = 2;
  Result<LicencePage> p = service_->List(Issuer(), f);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->total, 5);
  EXPECT_EQ(p->items.size(), 2u);
  f.offset = 4;
  EXPECT_EQ(service_->List(Issuer(), f)->items.size(), 1u);
  LicenceFilter q;
  q.q = "张";
  EXPECT_EQ(service_->List(Issuer(), q)->total, 5);
  q.q = "李";
  EXPECT_EQ(service_->List(Issuer(), q)->total, 0);
  // A 派出所 sees what it issued; another bureau sees nothing.
  EXPECT_EQ(service_->List(SubIssuer(), {})->total, 2);
  EXPECT_EQ(service_->List(OtherIssuer(), {})->total, 0);
  LicenceFilter bad;
  bad.limit = 500;
  EXPECT_TRUE(
      IsError(service_->List(Issuer(), bad), ErrorCode::kInvalidArgument, "licences.bad_page"));
  Licence l = *service_->List(Issuer(), {})->items.begin();
  EXPECT_TRUE(service_->Get(Issuer(), l.identifier).has_value());
  EXPECT_TRUE(IsError(service_->Get(OtherIssuer(), l.identifier), ErrorCode::kNotFound,
                      "licences.not_found"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LicenceServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::licences
