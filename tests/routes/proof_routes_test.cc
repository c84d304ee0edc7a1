// Proof routes (证明) on the demo: instant generation, online application and review, revocation
// with the status list, the PDF, and public verification by code and by QR payload.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "proofs/status_list.h"

namespace onestop::routes_test {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class ProofRoutesTest : public RoutesTest {
 protected:
  json::object Generate(const std::string& type, const std::string& purpose) {
    Response r =
        env().Call("POST", "/api/v1/proofs/generate",
                   json::object{{"type", type}, {"purpose", purpose}}, &env().As("citizen"));
    EXPECT_STATUS(r, 200);
    return Obj(r);
  }
  std::string Field(const json::object& proof, const std::string& label) {
    for (const json::value& f : proof.at("fields").as_array()) {
      if (Str(f, "label") == label) return Str(f, "value");
    }
    return "<none>";
  }
};

TEST_P(ProofRoutesTest, ProofTypesArePublic) {
  Response r = env().Call("GET", "/api/v1/proof-types");
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  const json::object* house = FindBy(items, "code", "no_property");
  ASSERT_NE(house, nullptr);
  EXPECT_EQ(Str(*house, "mode"), "instant");
  EXPECT_EQ(Str(*house, "departmentName"), "长沙市自然资源和规划局");
  const json::object* hukou = FindBy(items, "code", "household");
  ASSERT_NE(hukou, nullptr);
  EXPECT_EQ(Str(*hukou, "mode"), "online");
  EXPECT_EQ(hukou->at("inputs").as_array().size(), 1u);
}

TEST_P(ProofRoutesTest, TheDemoCitizenGeneratesANoPropertyProofAndAnyoneVerifiesIt) {
  json::object p = Generate("no_property", env().Unique("申请公租房"));
  EXPECT_EQ(Str(p, "status"), "valid");
  EXPECT_EQ(Field(p, "有无房产"), "无");
  EXPECT_EQ(Field(p, "房产套数"), "0");
  EXPECT_THAT(Str(p, "body"), HasSubstr("在长沙市范围内无登记在册的房产"));
  const std::string code = Str(p, "verificationCode");
  ASSERT_EQ(code.size(), 16u);

  Response pdf = env().Call("GET", Str(p, "pdfUrl"), nullptr, &env().As("citizen"));
  ASSERT_STATUS(pdf, 200);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  EXPECT_ERROR(env().Call("GET", Str(p, "pdfUrl")), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  EXPECT_ERROR(env().Call("GET", Str(p, "pdfUrl"), nullptr, &env().As("enterprise")), 403,
               "PERMISSION_DENIED", "identity.permission_denied");

  Response v = env().Call("GET", "/api/v1/verify/proofs/" + code);  // no login
  ASSERT_STATUS(v, 200);
  json::object ver = Obj(v);
  EXPECT_EQ(Str(ver, "status"), "valid");
  EXPECT_EQ(Str(ver, "holderName"), "张*");
  EXPECT_THAT(Str(ver, "holderCode"), HasSubstr("********"));
  EXPECT_EQ(Str(ver, "typeName"), "有无房产证明");

  Response q =
      env().Call("POST", "/api/v1/verify/proofs", json::object{{"payload", Str(p, "qrPayload")}});
  ASSERT_STATUS(q, 200);
  EXPECT_EQ(Obj(q).at("signatureValid").as_bool(), true);
  std::string tampered = Str(p, "qrPayload");
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  // A changed character in the claims no longer decodes to the signed JSON object.
  EXPECT_ERROR(env().Call("POST", "/api/v1/verify/proofs", json::object{{"payload", tampered}}),
               400, "INVALID_ARGUMENT", "proofs.bad_qr_payload");

  Response mine = env().Call("GET", "/api/v1/me/proofs", nullptr, &env().As("citizen"));
  ASSERT_STATUS(mine, 200);
  EXPECT_NE(FindBy(Items(mine), "id", Str(p, "id")), nullptr);
}

TEST_P(ProofRoutesTest, GenerateErrorsChangeNothing) {
  Snapshot before = Snap(env());
  const Session& citizen = env().As("citizen");
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/generate",
                          json::object{{"type", "no_such"}, {"purpose", "测试"}}, &citizen),
               404, "NOT_FOUND", "proofs.unknown_type");
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/generate", json::object{{"type", "no_property"}},
                          &citizen),
               400, "INVALID_ARGUMENT", "proofs.purpose_required");
  std::string long_purpose;
  for (int i = 0; i < 201; ++i) long_purpose += "长";
  Response too_long =
      env().Call("POST", "/api/v1/proofs/generate",
                 json::object{{"type", "no_property"}, {"purpose", long_purpose}}, &citizen);
  EXPECT_ERROR(too_long, 400, "INVALID_ARGUMENT", "proofs.purpose_too_long");
  EXPECT_THAT(FieldsOf(too_long), ::testing::ElementsAre("purpose"));
  // The enterprise has no property record: instant proofs are for persons here.
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/generate",
                          json::object{{"type", "no_property"}, {"purpose", "测试"}},
                          &env().As("enterprise")),
               409, "FAILED_PRECONDITION", "proofs.wrong_holder_kind");
  EXPECT_ERROR(env().Call("GET", "/api/v1/verify/proofs/abc"), 400, "INVALID_ARGUMENT",
               "proofs.bad_code");
  EXPECT_EQ(Snap(env()), before);
  Response unknown = env().Call("GET", "/api/v1/verify/proofs/ABCDEFGHJKMNPQRS");
  ASSERT_STATUS(unknown, 200);
  EXPECT_EQ(Str(Obj(unknown), "status"), "unknown");
}

TEST_P(ProofRoutesTest, OnlineApplicationIsApprovedByTheIssuingDepartment) {
  Response applied =
      env().Call("POST", "/api/v1/proofs",
                 json::object{{"type", "household"},
                              {"purpose", env().Unique("子女入学")},
                              {"inputs", json::object{{"address", "长沙市岳麓区麓山南路932号"}}}},
                 &env().As("citizen"));
  ASSERT_STATUS(applied, 200);
  const std::string id = Str(Obj(applied), "id");
  EXPECT_EQ(Str(Obj(applied), "status"), "pending");

  Response queue = env().Call("GET", "/api/v1/proofs/review", nullptr, &env().As("gaj_reviewer"));
  ASSERT_STATUS(queue, 200);
  EXPECT_NE(FindBy(Items(queue), "id", id), nullptr);
  Response other = env().Call("GET", "/api/v1/proofs/review", nullptr, &env().As("reviewer"));
  ASSERT_STATUS(other, 200);
  EXPECT_EQ(FindBy(Items(other), "id", id), nullptr);

  Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/" + id + "/approve", json::object{},
                          &env().As("reviewer")),
               403, "PERMISSION_DENIED", "identity.out_of_scope");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/proofs/" + id + "/approve", json::object{}, &env().As("citizen")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);

  Response ok = env().Call("POST", "/api/v1/proofs/" + id + "/approve", json::object{},
                           &env().As("gaj_reviewer"));
  ASSERT_STATUS(ok, 200);
  EXPECT_EQ(Str(Obj(ok), "status"), "valid");
  EXPECT_EQ(Field(Obj(ok), "户籍地址"), "长沙市岳麓区麓山南路932号");
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/" + id + "/approve", json::object{},
                          &env().As("gaj_reviewer")),
               409, "FAILED_PRECONDITION", "proofs.not_pending");
  Response pdf =
      env().Call("GET", "/api/v1/proofs/" + id + "/pdf", nullptr, &env().As("gaj_reviewer"));
  EXPECT_STATUS(pdf, 200);
}

TEST_P(ProofRoutesTest, RevocationShowsInTheStatusListAndTheVerification) {
  json::object p = Generate("no_property", env().Unique("撤销测试"));
  const std::string id = Str(p, "id");
  const std::string dept = Str(p, "departmentId");
  Response rev = env().Call("POST", "/api/v1/proofs/" + id + "/revoke",
                            json::object{{"reason", "登记信息更正"}}, &env().As("zrzyj_reviewer"));
  ASSERT_STATUS(rev, 200);
  EXPECT_EQ(Str(Obj(rev), "status"), "revoked");
  EXPECT_ERROR(env().Call("POST", "/api/v1/proofs/" + id + "/revoke",
                          json::object{{"reason", "再次撤销"}}, &env().As("zrzyj_reviewer")),
               409, "FAILED_PRECONDITION", "proofs.not_valid");

  Response list = env().Call("GET", "/api/v1/status-lists/" + dept);  // no login
  ASSERT_STATUS(list, 200);
  EXPECT_EQ(list.Header("Cache-Control"), "public, max-age=300");
  json::object doc = Obj(list);
  std::string encoded = Str(doc.at("credentialSubject"), "encodedList");
  Result<std::string> bits = proofs::DecodeStatusList(encoded);
  ASSERT_TRUE(bits.has_value());
  EXPECT_TRUE(proofs::StatusBit(*bits, Int(p, "statusIndex")));
  EXPECT_ERROR(env().Call("GET", "/api/v1/status-lists/nope"), 404, "NOT_FOUND",
               "proofs.no_such_department");

  Response v = env().Call("GET", "/api/v1/verify/proofs/" + Str(p, "verificationCode"));
  ASSERT_STATUS(v, 200);
  EXPECT_EQ(Str(Obj(v), "status"), "revoked");
}

// The issuing department finds a proof by number, verification code or holder; other
// departments and citizens do not.
TEST_P(ProofRoutesTest, StaffFindAProofByNumberCodeOrHolder) {
  json::object p = Generate("no_property", env().Unique("查找测试"));
  const Session& staff = env().As("zrzyj_reviewer");
  for (const std::string& q : {Str(p, "number"), Str(p, "verificationCode"),
                               env().PersonIdNumber("张三"), std::string("张")}) {
    Response r = env().Call("GET", Url("/api/v1/proofs/search", {{"q", q}}), nullptr, &staff);
    ASSERT_STATUS(r, 200);
    json::array items = Items(r);
    EXPECT_NE(FindBy(items, "id", Str(p, "id")), nullptr) << q;
  }
  Response valid = env().Call(
      "GET", Url("/api/v1/proofs/search", {{"status", "revoked"}, {"q", Str(p, "number")}}),
      nullptr, &staff);
  ASSERT_STATUS(valid, 200);
  EXPECT_TRUE(Items(valid).empty());
  EXPECT_ERROR(
      env().Call("GET", Url("/api/v1/proofs/search", {{"status", "nope"}}), nullptr, &staff), 400,
      "INVALID_ARGUMENT", "proofs.bad_status");
  Response other = env().Call("GET", Url("/api/v1/proofs/search", {{"q", Str(p, "number")}}),
                              nullptr, &env().As("gaj_reviewer"));
  ASSERT_STATUS(other, 200);
  EXPECT_TRUE(Items(other).empty());
  EXPECT_ERROR(env().Call("GET", "/api/v1/proofs/search", nullptr, &env().As("citizen")), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
}

// 政务数据查询单: a clerk gathers 张三's fields with their sources; reading is audited against
// him; no purpose or an unknown subject is refused and changes nothing.
TEST_P(ProofRoutesTest, DataSheetGathersFieldsWithTheirSources) {
  const Session& clerk = env().As("clerk");
  const std::string code = env().PersonIdNumber("张三");
  Response r = env().Call("POST", "/api/v1/data-sheets",
                          json::object{{"subjectCode", code}, {"purpose", "办理居住证"}}, &clerk);
  ASSERT_STATUS(r, 200);
  json::object sheet = Obj(r);
  EXPECT_EQ(Str(sheet, "subjectName"), "张三");
  EXPECT_EQ(Str(sheet, "purpose"), "办理居住证");
  ASSERT_FALSE(sheet.at("rows").as_array().empty());
  for (const json::value& row : sheet.at("rows").as_array()) {
    EXPECT_FALSE(Str(row, "source").empty());
    EXPECT_EQ(Str(row, "asOf").size(), 10u);
  }
  // Register keys carry the labels of the proof types that read them.
  const json::object* property = FindBy(sheet.at("rows").as_array(), "label", "房产信息");
  ASSERT_NE(property, nullptr);
  EXPECT_EQ(Str(*property, "value"), "无");
  EXPECT_EQ(FindBy(sheet.at("rows").as_array(), "label", "properties"), nullptr);
  Response pdf = env().Call("POST", "/api/v1/data-sheets/pdf",
                            json::object{{"subjectCode", code}, {"purpose", "办理居住证"}}, &clerk);
  ASSERT_STATUS(pdf, 200);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  Snapshot before = Snap(env());
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/data-sheets", json::object{{"subjectCode", code}}, &clerk), 400,
      "INVALID_ARGUMENT", "proofs.purpose_required");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/data-sheets",
                 json::object{{"subjectCode", "430104199003071230"}, {"purpose", "核查"}}, &clerk),
      404, "NOT_FOUND", "proofs.no_subject");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/data-sheets",
                 json::object{{"subjectCode", code}, {"purpose", "核查"}}, &env().As("citizen")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);
}

INSTANTIATE_ROUTES_TEST(ProofRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
