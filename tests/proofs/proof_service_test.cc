// ProofService on both backends: instant generation, online application and review,
// revocation with the status list, public verification, the signed QR payload and the PDF.
#include "proofs/proof_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "proof_fixture.h"
#include "proofs/qr_payload.h"
#include "proofs/status_list.h"
#include "testutil/matchers.h"

namespace onestop::proofs::testing {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;

constexpr const char* kPurpose = "申请长沙市公共租赁住房";

class ProofServiceTest : public ProofFixture {
 protected:
  Proof MustGenerate(const identity::Principal& who, const std::string& purpose = kPurpose) {
    Result<Proof> p = proofs_->Generate(who, "no_property", purpose);
    EXPECT_TRUE(p.has_value()) << p.error().reason << " " << p.error().message;
    return p.has_value() ? *p : Proof{};
  }
  Proof MustApply() {
    Result<Proof> p = proofs_->Apply(zhang_, "household", "办理子女入学",
                                     {{"address", "长沙市岳麓区麓山南路1号"}});
    EXPECT_TRUE(p.has_value()) << p.error().reason << " " << p.error().message;
    return p.has_value() ? *p : Proof{};
  }
  std::string PemOf(const std::string& key_id) {
    Result<seal::SealKey> k = seals_->PublicKey(key_id);
    EXPECT_TRUE(k.has_value());
    return k.has_value() ? k->public_key_pem : "";
  }
};

TEST_P(ProofServiceTest, GeneratesAnInstantProofFromTheRegisterSignedAndAudited) {
  std::int64_t audits = AuditCount();
  Proof p = MustGenerate(zhang_);
  EXPECT_EQ(p.status, ProofStatus::kValid);
  EXPECT_TRUE(std::regex_match(p.number, std::regex("ZM20261127[0-9]{6}"))) << p.number;
  EXPECT_TRUE(IsVerificationCode(p.verification_code)) << p.verification_code;
  EXPECT_EQ(p.status_index, 0);
  EXPECT_EQ(p.issuer_name, "长沙市不动产登记中心");
  EXPECT_EQ(p.holder_name, "张小三");
  EXPECT_EQ(p.issued_at_ms, testutil::kTestNowMs);
  EXPECT_EQ(p.valid_until_ms, testutil::kTestNowMs + 30LL * 86'400'000);
  EXPECT_THAT(p.body, HasSubstr("截至2026年11月26日，张小三（公民身份号码：11010519491231002X）在长"
                                "沙市有登记在册的房产"));
  ASSERT_EQ(p.fields.size(), 5u);
  EXPECT_EQ(p.fields[2].value, "有");
  EXPECT_EQ(p.fields[3].value, "1");
  EXPECT_EQ(p.fields[4].value, "岳麓区麓山南路1号3栋502，89.5㎡");
  EXPECT_TRUE(proofs_->VerifyStoredSignature(p.id).has_value());
  EXPECT_THAT(p.signed_json, HasSubstr("\"verificationCode\":\"" + p.verification_code + "\""));
  EXPECT_EQ(AuditCount(), audits + 1);
  Result<Proof> again = proofs_->Get(zhang_, p.id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->signed_json, p.signed_json);
  EXPECT_EQ(again->fields[4].value, p.fields[4].value);
}

TEST_P(ProofServiceTest, APersonWithoutPropertyGetsNo) {
  Proof p = MustGenerate(li_);
  EXPECT_EQ(p.fields[2].value, "无");
  EXPECT_EQ(p.fields[3].value, "0");
  EXPECT_THAT(p.body, HasSubstr("在长沙市无登记在册的房产"));
}

TEST_P(ProofServiceTest, GenerateRefusesBadInputAndChangesNothing) {
  std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(proofs_->Generate(zhang_, "no_such_type", kPurpose), ErrorCode::kNotFound,
                      "proofs.unknown_type"));
  EXPECT_TRUE(IsError(proofs_->Generate(zhang_, "no_property", "   "), ErrorCode::kInvalidArgument,
                      "proofs.purpose_required"));
  Result<Proof> long_purpose = proofs_->Generate(zhang_, "no_property", std::string(201 * 3, 'x'));
  EXPECT_TRUE(IsError(long_purpose, ErrorCode::kInvalidArgument, "proofs.purpose_too_long"));
  std::string chinese201;
  for (int i = 0; i < 201; ++i) chinese201 += "证";
  Result<Proof> long_cn = proofs_->Generate(zhang_, "no_property", chinese201);
  ASSERT_TRUE(IsError(long_cn, ErrorCode::kInvalidArgument, "proofs.purpose_too_long"));
  EXPECT_EQ(long_cn.error().fields.front().field, "purpose");
  EXPECT_TRUE(IsError(proofs_->Generate(zhang_, "household", kPurpose),
                      ErrorCode::kFailedPrecondition, "proofs.not_instant"));
  identity::Principal clerk = Reviewer(kHousing);
  EXPECT_TRUE(IsError(proofs_->Generate(clerk, "no_property", kPurpose),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_EQ(Count("proof"), 0);
  EXPECT_EQ(AuditCount(), audits);
  // 200 characters are accepted.
  std::string chinese200 = chinese201.substr(3);
  EXPECT_TRUE(proofs_->Generate(zhang_, "no_property", chinese200).has_value());
}

TEST_P(ProofServiceTest, GenerateWithoutRegisterDataIsRefused) {
  ProofType blood;
  blood.code = "blood_donation";
  blood.name = "电子献血证";
  blood.department_id = kHousing;
  blood.register_code = "blood_donation";
  blood.body_template = "{{holder.name}}累计献血{{data.times}}次。";
  ASSERT_TRUE(proofs_->DefineType(identity::Principal::System(), blood).has_value());
  std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(proofs_->Generate(zhang_, "blood_donation", kPurpose), ErrorCode::kNotFound,
                      "proofs.no_register_data"));
  EXPECT_EQ(Count("proof"), 0);
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(ProofServiceTest, ANewProofForTheSamePurposeSupersedesTheOld) {
  Proof first = MustGenerate(zhang_);
  t_->clock().Advance(60'000);
  Proof other_purpose = MustGenerate(zhang_, "办理银行贷款");
  t_->clock().Advance(60'000);
  Proof second = MustGenerate(zhang_);
  EXPECT_EQ(StatusOf(first.id), "superseded");
  EXPECT_EQ(StatusOf(other_purpose.id), "valid");
  EXPECT_EQ(StatusOf(second.id), "valid");
  EXPECT_NE(first.number, second.number);
  EXPECT_EQ(second.status_index, 2);
  Result<PublicVerification> v = proofs_->VerifyCode(first.verification_code);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->status, "superseded");
  Result<std::vector<Proof>> mine = proofs_->Mine(zhang_);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 3u);
  EXPECT_EQ(mine->front().id, second.id);
  Result<std::vector<Proof>> lis = proofs_->Mine(li_);
  ASSERT_TRUE(lis.has_value());
  EXPECT_TRUE(lis->empty());
}

TEST_P(ProofServiceTest, OnlineApplicationIsReviewedInTheIssuingDepartmentOnly) {
  std::int64_t audits = AuditCount();
  Result<Proof> missing = proofs_->Apply(zhang_, "household", "办理子女入学", {});
  ASSERT_TRUE(IsError(missing, ErrorCode::kInvalidArgument, "proofs.input_required"));
  EXPECT_EQ(missing.error().fields.front().field, "inputs.address");
  EXPECT_TRUE(IsError(proofs_->Apply(zhang_, "no_property", kPurpose, {}),
                      ErrorCode::kFailedPrecondition, "proofs.not_online"));
  EXPECT_EQ(Count("proof"), 0);
  EXPECT_EQ(AuditCount(), audits);

  Proof p = MustApply();
  EXPECT_EQ(p.status, ProofStatus::kPending);
  EXPECT_TRUE(p.number.empty());
  EXPECT_TRUE(p.verification_code.empty());

  Result<std::vector<Proof>> police_queue = proofs_->ReviewQueue(Reviewer(kPolice));
  ASSERT_TRUE(police_queue.has_value());
  ASSERT_EQ(police_queue->size(), 1u);
  EXPECT_EQ(police_queue->front().id, p.id);
  Result<std::vector<Proof>> housing_queue = proofs_->ReviewQueue(Reviewer(kHousing));
  ASSERT_TRUE(housing_queue.has_value());
  EXPECT_TRUE(housing_queue->empty());

  // Another department's reviewer can neither approve nor reject it.
  audits = AuditCount();
  EXPECT_TRUE(IsError(proofs_->Approve(Reviewer(kHousing), p.id), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_TRUE(IsError(proofs_->Reject(Reviewer(kHousing), p.id, "材料不全"),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(proofs_->Approve(zhang_, p.id), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(StatusOf(p.id), "pending");
  EXPECT_EQ(AuditCount(), audits);
  EXPECT_EQ(Count("notify_outbox"), 0);

  Result<Proof> issued = proofs_->Approve(Reviewer(kPolice), p.id);
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  EXPECT_EQ(issued->status, ProofStatus::kValid);
  EXPECT_EQ(issued->decided_by, "u-rev-D-POLICE");
  EXPECT_THAT(issued->body, HasSubstr("户籍登记地址为长沙市岳麓区麓山南路1号"));
  EXPECT_EQ(issued->fields[1].value, "长沙市岳麓区麓山南路1号");
  EXPECT_TRUE(proofs_->VerifyStoredSignature(p.id).has_value());
  EXPECT_EQ(Count("notify_outbox"), 1);
  EXPECT_EQ(AuditCount(), audits + 1);

  // Approving twice is refused and changes nothing.
  EXPECT_TRUE(IsError(proofs_->Approve(Reviewer(kPolice), p.id), ErrorCode::kFailedPrecondition,
                      "proofs.not_pending"));
  EXPECT_TRUE(IsError(proofs_->Reject(Reviewer(kPolice), p.id, "重复"),
                      ErrorCode::kFailedPrecondition, "proofs.not_pending"));
  EXPECT_EQ(Count("notify_outbox"), 1);
  EXPECT_EQ(AuditCount(), audits + 1);
  EXPECT_TRUE(IsError(proofs_->Approve(Reviewer(kPolice), "01NOSUCHPROOF0000000000000"),
                      ErrorCode::kNotFound, "proofs.not_found"));
}

TEST_P(ProofServiceTest, RejectNeedsAReasonAndTellsTheHolder) {
  Proof p = MustApply();
  EXPECT_TRUE(IsError(proofs_->Reject(Reviewer(kPolice), p.id, " "), ErrorCode::kInvalidArgument,
                      "proofs.reason_required"));
  EXPECT_EQ(StatusOf(p.id), "pending");
  Result<Proof> r = proofs_->Reject(Reviewer(kPolice), p.id, "户籍地址与登记信息不符");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, ProofStatus::kRejected);
  EXPECT_EQ(r->reason, "户籍地址与登记信息不符");
  EXPECT_EQ(Count("notify_outbox"), 1);
  EXPECT_TRUE(
      IsError(proofs_->Pdf(zhang_, p.id), ErrorCode::kFailedPrecondition, "proofs.not_issued"));
}

TEST_P(ProofServiceTest, RevocationSetsTheStatusListBitAndVerificationSaysRevoked) {
  Proof a = MustGenerate(zhang_);
  Proof b = MustGenerate(li_);
  ASSERT_EQ(b.status_index, 1);
  Result<StatusListDoc> before = proofs_->StatusList(kHousing);
  ASSERT_TRUE(before.has_value());
  Result<std::string> bits = DecodeStatusList(before->encoded_list);
  ASSERT_TRUE(bits.has_value());
  EXPECT_EQ(bits->size(), 16384u);
  EXPECT_FALSE(StatusBit(*bits, 1));

  EXPECT_TRUE(IsError(proofs_->Revoke(Reviewer(kPolice), b.id, "数据有误"),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(proofs_->Revoke(Reviewer(kHousing), b.id, ""), ErrorCode::kInvalidArgument,
                      "proofs.reason_required"));
  EXPECT_EQ(StatusOf(b.id), "valid");
  Result<Proof> revoked = proofs_->Revoke(Reviewer(kHousing), b.id, "登记信息更正，原证明作废");
  ASSERT_TRUE(revoked.has_value()) << revoked.error().message;
  EXPECT_EQ(revoked->status, ProofStatus::kRevoked);
  std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(proofs_->Revoke(Reviewer(kHousing), b.id, "再次撤销"),
                      ErrorCode::kFailedPrecondition, "proofs.not_valid"));
  EXPECT_EQ(AuditCount(), audits);

  Result<StatusListDoc> after = proofs_->StatusList(kHousing);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->revoked, 1);
  bits = DecodeStatusList(after->encoded_list);
  ASSERT_TRUE(bits.has_value());
  EXPECT_TRUE(StatusBit(*bits, *b.status_index));
  EXPECT_FALSE(StatusBit(*bits, *a.status_index));
  Result<StatusListDoc> police = proofs_->StatusList(kPolice);
  ASSERT_TRUE(police.has_value());
  EXPECT_EQ(police->revoked, 0);
  EXPECT_TRUE(
      IsError(proofs_->StatusList("D-NONE"), ErrorCode::kNotFound, "proofs.no_such_department"));

  Result<PublicVerification> v = proofs_->VerifyCode(b.verification_code);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->status, "revoked");
  // The QR code still proves who issued it; the status says it no longer holds.
  Result<QrVerification> q = proofs_->VerifyQr(b.qr_payload);
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->current.status, "revoked");
}

TEST_P(ProofServiceTest, PublicVerificationShowsMaskedFieldsAndExpiry) {
  Proof p = MustGenerate(zhang_);
  Result<PublicVerification> v = proofs_->VerifyCode(" " + p.verification_code + " ");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->status, "valid");
  EXPECT_EQ(v->number, p.number);
  EXPECT_EQ(v->type_name, "有无房产证明");
  EXPECT_EQ(v->issuer_name, "长沙市不动产登记中心");
  EXPECT_EQ(v->holder_name_masked, "张*三");
  EXPECT_EQ(v->holder_code_masked, "110105********002X");
  std::string lower = p.verification_code;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(proofs_->VerifyCode(lower)->status, "valid");

  Result<PublicVerification> unknown = proofs_->VerifyCode("ABCDEFGHJKMNPQRS");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, "unknown");
  EXPECT_TRUE(unknown->number.empty());
  EXPECT_TRUE(IsError(proofs_->VerifyCode("ABC"), ErrorCode::kInvalidArgument, "proofs.bad_code"));
  EXPECT_TRUE(IsError(proofs_->VerifyCode("0000000000000000"), ErrorCode::kInvalidArgument,
                      "proofs.bad_code"));

  t_->clock().Advance(31LL * 86'400'000);
  EXPECT_EQ(proofs_->VerifyCode(p.verification_code)->status, "expired");
}

TEST_P(ProofServiceTest, QrPayloadVerifiesOfflineAndFailsWhenTamperedOrWithTheWrongKey) {
  Proof p = MustGenerate(zhang_);
  Proof other = MustApply();
  ASSERT_TRUE(proofs_->Approve(Reviewer(kPolice), other.id).has_value());
  Result<Proof> police_proof = proofs_->Get(zhang_, other.id);
  ASSERT_TRUE(police_proof.has_value());

  const std::string pem = PemOf(p.key_id);
  Result<QrClaims> ok = VerifyQrPayload(p.qr_payload, pem);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->code, p.verification_code);
  EXPECT_EQ(ok->number, p.number);
  EXPECT_EQ(ok->holder, "张*三 110105********002X");
  EXPECT_EQ(ok->valid_until_ms, *p.valid_until_ms);

  // Tampered: the claims re-encoded with a later expiry, the old signature kept.
  Result<ParsedQr> parsed = ParseQrPayload(p.qr_payload);
  ASSERT_TRUE(parsed.has_value());
  QrClaims forged = parsed->claims;
  forged.valid_until_ms += 365LL * 86'400'000;
  std::string tampered = EncodeQrPayload(CanonicalClaims(forged), parsed->signature);
  EXPECT_TRUE(IsError(VerifyQrPayload(tampered, pem), ErrorCode::kFailedPrecondition,
                      "proofs.bad_signature"));
  EXPECT_TRUE(
      IsError(proofs_->VerifyQr(tampered), ErrorCode::kFailedPrecondition, "proofs.bad_signature"));
  // The wrong key: the police seal's public key does not verify the housing centre's payload.
  EXPECT_TRUE(IsError(VerifyQrPayload(p.qr_payload, PemOf(police_proof->key_id)),
                      ErrorCode::kFailedPrecondition, "proofs.bad_signature"));
  EXPECT_TRUE(IsError(VerifyQrPayload("OSP1.abc", pem), ErrorCode::kInvalidArgument,
                      "proofs.bad_qr_payload"));
  EXPECT_TRUE(IsError(VerifyQrPayload("XYZ9.e30.AAAA", pem), ErrorCode::kInvalidArgument,
                      "proofs.bad_qr_payload"));

  Result<QrVerification> online = proofs_->VerifyQr(p.qr_payload);
  ASSERT_TRUE(online.has_value()) << online.error().message;
  EXPECT_EQ(online->current.status, "valid");
  EXPECT_EQ(online->claims.seal_id, p.seal_id);
}

TEST_P(ProofServiceTest, PdfForTheHolderAndTheIssuingStaffOnly) {
  Proof p = MustGenerate(zhang_);
  std::int64_t audits = AuditCount();
  EXPECT_TRUE(
      IsError(proofs_->Pdf(li_, p.id), ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_TRUE(IsError(proofs_->Pdf(Reviewer(kPolice), p.id), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_EQ(AuditCount(), audits);
  Result<std::string> staff = proofs_->Pdf(Reviewer(kHousing), p.id);
  ASSERT_TRUE(staff.has_value()) << staff.error().message;
  Result<std::string> pdf = proofs_->Pdf(zhang_, p.id);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(AuditCount(), audits + 2);
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  }
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("onestop_proof_" + testutil::BackendParamName(GetParam()) + ".pdf");
  std::ofstream(file, std::ios::binary) << *pdf;
  std::string text;
  FILE* pipe = popen(("pdftotext " + file.string() + " -").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  pclose(pipe);
  EXPECT_THAT(text, HasSubstr("有无房产证明"));
  EXPECT_THAT(text, HasSubstr(p.number));
  EXPECT_THAT(text, HasSubstr(p.verification_code));
  EXPECT_THAT(text, HasSubstr("仅供办理申请长沙市公共租赁住房使用"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProofServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::proofs::testing
