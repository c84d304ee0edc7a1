// Consent routes (src/http/routes/consent_routes.cc) over the demo: 张三 gives and revokes a
// grant to the counter's department, the clerk retrieves under it (403 and audited without),
// the retrieval shows on 张三's "谁查看了我的数据"; the identity QR token scanned once (replayed,
// tampered and expired tokens refused); a licence attached to 张三's case; the 加注件 PDF.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

// 老年人优待证办理 (长沙市民政局): materials doc.applicantIdCard and doc.photo.
constexpr const char* kItem = "11430100MB1A01098N3432030101000";

class ConsentRoutesTest : public RoutesTest {
 protected:
  const Session& Citizen() { return env().As("citizen"); }
  const Session& Clerk() { return env().As("clerk"); }
  std::string ClerkDepartment() { return Str(Clerk().user.at("department"), "id"); }

  // One of 张三's valid licences.
  json::object ALicence() {
    Response r = env().Call("GET", "/api/v1/me/licences", nullptr, &Citizen());
    EXPECT_STATUS(r, 200);
    json::array items = Items(r);
    EXPECT_FALSE(items.empty());
    return items.empty() ? json::object{} : items.front().as_object();
  }

  json::object GiveGrant(const std::string& type_code,
                         const std::string& purpose = "办理老年人优待证") {
    json::object body{{"departmentId", ClerkDepartment()},
                      {"itemCode", kItem},
                      {"typeCodes", json::array{json::value(type_code)}},
                      {"purpose", purpose}};
    Response r = env().Call("POST", "/api/v1/me/grants", body, &Citizen());
    EXPECT_STATUS(r, 201);
    return Obj(r);
  }

  Response Query(const std::string& grant_id, const std::string& type_code) {
    return env().Call("POST", "/api/v1/licence-retrievals/query",
                      json::object{{"grantId", grant_id}, {"typeCode", type_code}}, &Clerk());
  }

  std::string Token() {
    Response r = env().Call("GET", "/api/v1/me/identity-token", nullptr, &Citizen());
    EXPECT_STATUS(r, 200);
    return Str(Obj(r), "token");
  }

  Response Scan(const std::string& token, const std::string& case_id = "") {
    json::object body{{"token", token}, {"itemCode", kItem}, {"purpose", "办理老年人优待证"}};
    if (!case_id.empty()) body["caseId"] = case_id;
    return env().Call("POST", "/api/v1/licence-retrievals/scan", body, &Clerk());
  }
};

TEST_P(ConsentRoutesTest, GrantRetrieveRevokeAndTheAccessLog) {
  json::object lic = ALicence();
  const std::string type = Str(lic, "typeCode");
  json::object g = GiveGrant(type);
  EXPECT_EQ(Str(g, "status"), "active");
  EXPECT_EQ(Str(g, "mode"), "single_use");
  Response list = env().Call("GET", "/api/v1/me/grants?status=active", nullptr, &Citizen());
  ASSERT_STATUS(list, 200);
  json::array listed = Items(list);
  EXPECT_NE(FindBy(listed, "id", Str(g, "id")), nullptr);

  Response got = Query(Str(g, "id"), type);
  ASSERT_STATUS(got, 200);
  json::array items = Items(got);
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(Str(items.front(), "typeCode"), type);

  // Single use: the second retrieval is refused, and the refusal is audited against 张三.
  Snapshot before = Snap(env());
  EXPECT_ERROR(Query(Str(g, "id"), type), 403, "PERMISSION_DENIED", "licences.no_grant");
  Snapshot after = Snap(env());
  EXPECT_EQ(after["audit_entry"], before["audit_entry"] + 1);
  after["audit_entry"] = before["audit_entry"];
  EXPECT_EQ(after, before);

  Response log = env().Call("GET", "/api/v1/audit/my-access?pageSize=50", nullptr, &Citizen());
  ASSERT_STATUS(log, 200);
  json::array entries = Items(log);
  const json::object* seen = FindBy(entries, "action", "licences.licence.retrieve");
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(Str(*seen, "purpose"), "办理老年人优待证");
  EXPECT_EQ(Str(seen->at("details"), "licenceIdentifier"), Str(items.front(), "identifier"));
  EXPECT_NE(FindBy(entries, "action", "licences.retrieve.refused"), nullptr);

  // Revoked at once.
  json::object g2 = GiveGrant(type);
  Response revoked =
      env().Call("POST", "/api/v1/me/grants/" + Str(g2, "id") + "/revoke", nullptr, &Citizen());
  ASSERT_STATUS(revoked, 200);
  EXPECT_EQ(Str(Obj(revoked), "status"), "revoked");
  EXPECT_ERROR(Query(Str(g2, "id"), type), 403, "PERMISSION_DENIED", "licences.no_grant");
}

TEST_P(ConsentRoutesTest, BadGrantsChangeNothing) {
  const std::string type = Str(ALicence(), "typeCode");
  Snapshot before = Snap(env());
  json::object body{{"departmentId", ClerkDepartment()},
                    {"typeCodes", json::array{json::value(type)}},
                    {"purpose", ""}};
  Response r = env().Call("POST", "/api/v1/me/grants", body, &Citizen());
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "licences.invalid_grant");
  EXPECT_EQ(FieldsOf(r), std::vector<std::string>{"purpose"});
  std::string long_purpose;
  for (int i = 0; i < 201; ++i) long_purpose += "由";
  body["purpose"] = long_purpose;
  EXPECT_ERROR(env().Call("POST", "/api/v1/me/grants", body, &Citizen()), 400, "INVALID_ARGUMENT",
               "licences.invalid_grant");
  body["purpose"] = "办事";
  body["validDays"] = 91;
  EXPECT_ERROR(env().Call("POST", "/api/v1/me/grants", body, &Citizen()), 400, "INVALID_ARGUMENT",
               "http.invalid_body");
  body["validDays"] = 7;
  EXPECT_ERROR(env().Call("POST", "/api/v1/me/grants", body, &Clerk()), 403, "PERMISSION_DENIED",
               "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(ConsentRoutesTest, IdentityTokenIsScannedOnce) {
  std::string token = Token();
  EXPECT_LT(token.size(), 200u);
  EXPECT_EQ(token.find(' '), std::string::npos);
  Response r = Scan(token);
  ASSERT_STATUS(r, 200);
  json::object o = Obj(r);
  EXPECT_EQ(Str(o.at("holder"), "name"), "张*");
  EXPECT_NE(Str(o.at("holder"), "code").find('*'), std::string::npos);
  EXPECT_FALSE(o.at("licences").as_array().empty());
  EXPECT_EQ(Str(o.at("grant"), "source"), "token");

  EXPECT_ERROR(Scan(token), 409, "ALREADY_EXISTS", "licences.token_used");
  std::string tampered = Token();
  tampered[5] = tampered[5] == '1' ? '2' : '1';
  EXPECT_ERROR(Scan(tampered), 400, "INVALID_ARGUMENT", "licences.token_invalid");
  std::string late = Token();
  env().clock().Advance(61 * 1000);
  EXPECT_ERROR(Scan(late), 409, "FAILED_PRECONDITION", "licences.token_expired");
  EXPECT_ERROR(env().Call("GET", "/api/v1/me/identity-token", nullptr, &Clerk()), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
}

TEST_P(ConsentRoutesTest, ScannedLicenceIsAttachedToTheCase) {
  json::object body{{"kind", "item"},
                    {"catalogCode", kItem},
                    {"form", json::object{{"applicant.name", "张三"},
                                          {"applicant.idNumber", env().PersonIdNumber("张三")},
                                          {"applicant.phone", "13800000001"}}},
                    {"materials", json::array{}},
                    {"channel", "online"},
                    {"delivery", "electronic"}};
  Response filed = env().Call("POST", "/api/v1/cases", body, &Citizen());
  ASSERT_STATUS(filed, 200);
  const std::string case_id = Str(Obj(filed), "id");
  Response scanned = Scan(Token(), case_id);
  ASSERT_STATUS(scanned, 200);
  json::object s = Obj(scanned);
  EXPECT_EQ(Str(s.at("grant"), "mode"), "until_case_closes");
  const std::string identifier = Str(s.at("licences").as_array().front(), "identifier");
  json::object attach{{"grantId", Str(s.at("grant"), "id")},
                      {"identifier", identifier},
                      {"caseId", case_id},
                      {"materialKey", "doc.applicantIdCard"}};
  Response a = env().Call("POST", "/api/v1/licence-retrievals", attach, &Clerk());
  ASSERT_STATUS(a, 201);
  EXPECT_EQ(Str(Obj(a), "licenceIdentifier"), identifier);
  Response c = env().Call("GET", "/api/v1/cases/" + case_id, nullptr, &Clerk());
  ASSERT_STATUS(c, 200);
  json::object filed_case = Obj(c);
  const json::object* m =
      FindBy(filed_case.at("materials").as_array(), "key", "doc.applicantIdCard");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(Str(*m, "status"), "provided");
  EXPECT_EQ(Str(*m, "contentType"), "application/pdf");
}

TEST_P(ConsentRoutesTest, HolderDownloadsAPurposeBoundCopy) {
  const std::string identifier = Str(ALicence(), "identifier");
  Response r = env().Call(
      "GET", Url("/api/v1/me/licences/" + identifier + "/copy", {{"purpose", "银行开户"}}), nullptr,
      &Citizen());
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
  Snapshot before = Snap(env());
  EXPECT_ERROR(
      env().Call("GET", "/api/v1/me/licences/" + identifier + "/copy", nullptr, &Citizen()), 400,
      "INVALID_ARGUMENT", "licences.invalid_copy");
  EXPECT_EQ(Snap(env()), before);
}

INSTANTIATE_ROUTES_TEST(ConsentRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
