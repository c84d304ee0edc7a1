// Licence routes (src/http/routes/licence_routes.cc) on the demo: the type catalogue, issuing
// and status changes by the 公安局, the holder's own licences, public verification without a
// session, the signed bytes, and a background import with its progress and error report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "core/id_number.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::HasSubstr;

constexpr const char* kHousehold = "11100000000019713D001";  // 居民户口簿 (demo)

class LicenceRoutesTest : public RoutesTest {
 protected:
  Response Get(const std::string& target, const std::string& as) {
    return env().Call("GET", target, nullptr, &env().As(as));
  }
  Response Post(const std::string& target, const json::value& body, const std::string& as) {
    return env().Call("POST", target, body, &env().As(as));
  }

  std::string NewHolder() {
    static int n = 0;
    char first17[32];
    std::snprintf(first17, sizeof first17, "430104199101%02d%03d", 1 + n % 28, 100 + n);
    ++n;
    return std::string(first17) + IdNumberCheckChar(first17);
  }

  json::object HouseholdBody(const std::string& holder) {
    return {{"typeCode", kHousehold},
            {"holderName", "周六"},
            {"holderCode", holder},
            {"face",
             {{"householdNo", "430104099999"},
              {"householdType", "家庭户"},
              {"householder", "周六"},
              {"name", "周六"},
              {"relation", "户主"},
              {"gender", "男"},
              {"ethnicity", "汉"},
              {"birthDate", "1991-01-01"},
              {"idNumber", holder},
              {"address", "湖南省长沙市岳麓区桃子湖路1号"}}}};
  }
};

TEST_P(LicenceRoutesTest, CatalogueListsTheDemoTypes) {
  Response r = Get("/api/v1/licence-types", "citizen");
  ASSERT_STATUS(r, 200);
  std::set<std::string> names;
  json::object body = Obj(r);  // the loop must not range over a temporary's member
  for (const json::value& t : body.at("items").as_array()) names.insert(Str(t, "name"));
  for (const char* n :
       {"居民户口簿", "居民身份证", "居住证", "营业执照", "结婚证", "不动产权证书"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  Response one = Get(std::string("/api/v1/licence-types/") + kHousehold, "clerk");
  ASSERT_STATUS(one, 200);
  EXPECT_EQ(Str(Obj(one), "issuingDepartmentName"), "长沙市公安局");
  EXPECT_ERROR(Get("/api/v1/licence-types/11100000000019713D999", "clerk"), 404, "NOT_FOUND",
               "licences.no_such_type");
}

TEST_P(LicenceRoutesTest, TheCitizenSeesOwnLicencesAndAnyoneVerifiesThem) {
  Response mine = Get("/api/v1/me/licences", "citizen");
  ASSERT_STATUS(mine, 200);
  json::array items = Obj(mine).at("items").as_array();
  ASSERT_GE(items.size(), 3u);
  std::string household;
  for (const json::value& l : items) {
    EXPECT_EQ(Str(l, "holderName"), "张三");
    if (Str(l, "typeCode") == kHousehold) household = Str(l, "identifier");
  }
  ASSERT_FALSE(household.empty());
  // No session at all.
  Response v = env().Call("GET", "/api/v1/licences/" + household + "/verify");
  ASSERT_STATUS(v, 200);
  json::object body = Obj(v);
  EXPECT_EQ(Str(body, "result"), "valid");
  EXPECT_EQ(Str(body.at("licence"), "holderName"), "张*");
  EXPECT_EQ(Str(body.at("licence"), "holderCode").find("0307"), std::string::npos);
  EXPECT_THAT(Str(body.at("seal"), "publicKeyPem"), HasSubstr("BEGIN PUBLIC KEY"));
  Response unknown = env().Call("GET", "/api/v1/licences/1.2.156.3005.2.x/verify");
  ASSERT_STATUS(unknown, 200);
  EXPECT_EQ(Str(Obj(unknown), "result"), "unknown");
  // The signed bytes for the holder; not for another citizen's account or a stranger.
  Response bytes = Get("/api/v1/licences/" + household + "/signed", "citizen");
  ASSERT_STATUS(bytes, 200);
  EXPECT_THAT(bytes.body, HasSubstr("\"metadata\""));
  EXPECT_ERROR(Get("/api/v1/licences/" + household + "/signed", "enterprise"), 404, "NOT_FOUND",
               "licences.not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/licences/" + household + "/signed"), 401,
               "UNAUTHENTICATED", "identity.unauthenticated");
  Response company = Get("/api/v1/me/licences", "enterprise");
  ASSERT_STATUS(company, 200);
  ASSERT_EQ(Obj(company).at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(Obj(company).at("items").as_array()[0], "typeName"), "营业执照");
}

TEST_P(LicenceRoutesTest, ThePoliceIssueSuspendAndReissue) {
  for (const char* who : {"clerk", "reviewer", "gaj_reviewer"}) env().As(who);  // sign in first
  Snapshot before = Snap(env());
  // 窗口人员 of 行政审批服务局 has no licences.issue.
  EXPECT_ERROR(Post("/api/v1/licences", HouseholdBody(NewHolder()), "clerk"), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
  // 市场监管 reviewer may issue, but not the 公安局's 户口簿.
  EXPECT_ERROR(Post("/api/v1/licences", HouseholdBody(NewHolder()), "reviewer"), 403,
               "PERMISSION_DENIED", "licences.wrong_department");
  json::object bad = HouseholdBody(NewHolder());
  bad["face"].as_object().erase("address");
  Response invalid = Post("/api/v1/licences", bad, "gaj_reviewer");
  EXPECT_ERROR(invalid, 400, "INVALID_ARGUMENT", "licences.invalid_licence");
  EXPECT_THAT(invalid.body, HasSubstr("face.address"));
  EXPECT_EQ(Snap(env()), before);

  Response issued = Post("/api/v1/licences", HouseholdBody(NewHolder()), "gaj_reviewer");
  ASSERT_STATUS(issued, 200);
  const std::string id = Str(Obj(issued), "identifier");
  EXPECT_EQ(Str(Obj(issued), "status"), "valid");
  EXPECT_EQ(Str(Obj(issued).at("signature"), "alg"), "SM2-SM3");
  ASSERT_STATUS(Get("/api/v1/licences/" + id, "gaj_reviewer"), 200);
  EXPECT_ERROR(Get("/api/v1/licences/" + id, "reviewer"), 404, "NOT_FOUND", "licences.not_found");

  Response suspended =
      Post("/api/v1/licences/" + id + "/status",
           json::object{{"status", "suspended"}, {"reason", "户籍信息核查中"}}, "gaj_reviewer");
  ASSERT_STATUS(suspended, 200);
  EXPECT_EQ(Str(Obj(env().Call("GET", "/api/v1/licences/" + id + "/verify")), "result"),
            "suspended");
  EXPECT_ERROR(Post("/api/v1/licences/" + id + "/status",
                    json::object{{"status", "bogus"}, {"reason", "原因"}}, "gaj_reviewer"),
               400, "INVALID_ARGUMENT", "licences.bad_status");

  json::object face = Obj(issued).at("face").as_object();
  face["address"] = "湖南省长沙市开福区新河路8号";
  Response v2 = Post("/api/v1/licences/" + id + "/versions",
                     json::object{{"face", face}, {"reason", "户籍迁移换发"}}, "gaj_reviewer");
  ASSERT_STATUS(v2, 200);
  EXPECT_EQ(Int(Obj(v2), "version"), 2);
  EXPECT_EQ(Str(Obj(env().Call("GET", "/api/v1/licences/" + id + "/verify")), "result"),
            "superseded");
  Response revoke_old =
      Post("/api/v1/licences/" + id + "/status",
           json::object{{"status", "valid"}, {"reason", "恢复旧版"}}, "gaj_reviewer");
  EXPECT_ERROR(revoke_old, 409, "FAILED_PRECONDITION", "licences.bad_transition");

  Response list =
      Get(std::string("/api/v1/licences?typeCode=") + kHousehold + "&pageSize=100", "gaj_reviewer");
  ASSERT_STATUS(list, 200);
  EXPECT_GE(Int(Obj(list), "total"), 3);
}

TEST_P(LicenceRoutesTest, ImportRunsInTheBackgroundWithAReport) {
  std::string csv =
      "holderName,holderCode,householdNo,householdType,householder,name,relation,"
      "gender,ethnicity,birthDate,idNumber,address\n";
  for (int i = 0; i < 3; ++i) {
    const std::string h = NewHolder();
    csv += "吴" + std::to_string(i) + "," + h + ",4301040" + std::to_string(i) + ",家庭户,吴" +
           std::to_string(i) + ",吴" + std::to_string(i) + ",户主,男,汉,1991-01-01," + h +
           ",长沙市岳麓区\n";
  }
  csv += "坏行," + NewHolder() + ",1,家庭户,x,x,户主,男,汉,1991-13-01,123,长沙\n";
  Response started = env().CallRaw(
      "POST", std::string("/api/v1/licence-imports?typeCode=") + kHousehold + "&fileName=hk.csv",
      csv, &env().As("gaj_reviewer"),
      {{"Content-Type", "text/csv"}, {"X-CSRF-Token", env().As("gaj_reviewer").csrf}});
  ASSERT_STATUS(started, 201);
  const std::string job = Str(Obj(started), "id");
  json::object progress;
  for (int i = 0; i < 200; ++i) {
    progress = Obj(Get("/api/v1/licence-imports/" + job, "gaj_reviewer"));
    if (Str(progress, "state") != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Str(progress, "state"), "done");
  EXPECT_EQ(Int(progress, "imported"), 3);
  EXPECT_EQ(Int(progress, "failed"), 1);
  const json::array& errors = progress.at("errors").as_array();
  ASSERT_GE(errors.size(), 2u);
  EXPECT_EQ(Int(errors[0], "line"), 5);
  EXPECT_ERROR(Get("/api/v1/licence-imports/" + job, "reviewer"), 404, "NOT_FOUND",
               "licences.no_such_import");
  EXPECT_ERROR(
      env().CallRaw("POST", "/api/v1/licence-imports?typeCode=" + std::string(kHousehold), csv,
                    &env().As("reviewer"),
                    {{"Content-Type", "text/csv"}, {"X-CSRF-Token", env().As("reviewer").csrf}}),
      403, "PERMISSION_DENIED", "licences.wrong_department");
}

INSTANTIATE_ROUTES_TEST(LicenceRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
