// Seal routes (src/http/routes/seal_routes.cc): the managers' list, create and rotate
// (seals.manage within the data scope) and the public seal record and picture for verifiers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class SealRoutesTest : public RoutesTest {
 protected:
  // A fresh county department (no seal yet) under `parent_code` in `region`, by id.
  std::string NewDepartment(const std::string& parent_code = "HN-CS",
                            const std::string& region = "430104") {
    identity::NewDepartment d{env().Unique("SEAL-T-"), env().Unique("测试印章部门"),
                              env().DepartmentId(parent_code), region, "county"};
    Result<identity::Department> made =
        env().app().identity.departments.Create(identity::Principal::System(), d);
    EXPECT_TRUE(made.has_value()) << made.error().message;
    return made.has_value() ? made->id : "";
  }

  Response Create(const json::value& body, const std::string& as = "admin") {
    return env().Call("POST", "/api/v1/seals", body, &env().As(as));
  }
};

TEST_P(SealRoutesTest, DemoHasASealForEveryIssuingDepartment) {
  Response r = env().Call("GET", "/api/v1/seals", nullptr, &env().As("admin"));
  ASSERT_STATUS(r, 200);
  json::array items = Items(r);
  ASSERT_FALSE(items.empty());
  std::vector<std::string> departments = Column(items, "departmentId");
  EXPECT_THAT(departments, ::testing::Contains(env().DepartmentId("HN-CS-GAJ")));
  EXPECT_THAT(departments, ::testing::Contains(env().DepartmentId("HN-CS-YBJ")));
  for (const json::value& s : items) {
    EXPECT_THAT(Str(s, "id"), StartsWith("ES"));
    EXPECT_EQ(Str(s, "name"), Str(s, "departmentName") + "电子证照专用章");
    EXPECT_EQ(Str(s, "status"), "active");
    const json::array& keys = s.at("keys").as_array();
    ASSERT_FALSE(keys.empty());
    EXPECT_EQ(Str(keys[0], "alg"), "SM2-SM3");
    EXPECT_THAT(Str(keys[0], "publicKeyPem"), HasSubstr("-----BEGIN PUBLIC KEY-----"));
    EXPECT_EQ(s.as_object().if_contains("privateKey"), nullptr);
  }
  // hr_admin (本部门及以下 of 长沙) sees only 长沙's seals.
  Response scoped = env().Call("GET", "/api/v1/seals", nullptr, &env().As("hr_admin"));
  ASSERT_STATUS(scoped, 200);
  json::array mine = Items(scoped);
  EXPECT_FALSE(mine.empty());
  EXPECT_LT(mine.size(), items.size());
  EXPECT_EQ(FindBy(mine, "departmentId", env().DepartmentId("HN-YZ-GAJ")), nullptr);
  EXPECT_ERROR(env().Call("GET", "/api/v1/seals", nullptr, &env().As("clerk")), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(env().Call("GET", "/api/v1/seals", nullptr, nullptr).status, 401);
}

TEST_P(SealRoutesTest, CreateThenPublicRecordAndPicture) {
  const std::string dept = NewDepartment();
  Response r =
      Create({{"departmentId", dept}, {"name", "测试部门电子证照专用章"}, {"ed25519", true}});
  ASSERT_STATUS(r, 201);
  json::object s = Obj(r);
  const std::string id = Str(s, "id");
  EXPECT_THAT(id, StartsWith("ES430104"));
  EXPECT_EQ(Str(s, "departmentId"), dept);
  ASSERT_EQ(s.at("keys").as_array().size(), 2u);
  EXPECT_EQ(Str(s.at("keys").as_array()[1], "alg"), "Ed25519");
  EXPECT_EQ(Str(s, "pictureUrl"), "/api/v1/seals/" + id + "/picture.png");

  // Public: no session needed.
  Response pub = env().Call("GET", "/api/v1/seals/" + id, nullptr, nullptr);
  ASSERT_STATUS(pub, 200);
  EXPECT_EQ(Str(Obj(pub), "name"), "测试部门电子证照专用章");
  EXPECT_THAT(Str(Obj(pub).at("keys").as_array()[0], "publicKeyPem"), HasSubstr("PUBLIC KEY"));
  Response pic = env().Call("GET", "/api/v1/seals/" + id + "/picture.png", nullptr, nullptr);
  ASSERT_EQ(pic.status, 200);
  EXPECT_EQ(pic.content_type, "image/png");
  EXPECT_EQ(pic.body.substr(0, 8), "\x89PNG\r\n\x1a\n");

  // The same department cannot get a second active seal; nothing changed.
  Snapshot before = Snap(env());
  EXPECT_ERROR(Create({{"departmentId", dept}, {"name", "第二枚电子证照专用章"}}), 409,
               "ALREADY_EXISTS", "seal.department_has_seal");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(SealRoutesTest, CreateErrorsChangeNothing) {
  const std::string dept = NewDepartment();
  const std::string yz_dept = NewDepartment("HN-YZ", "431102");
  Snapshot before = Snap(env());
  Response missing = Create({{"departmentId", dept}});
  EXPECT_ERROR(missing, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(missing), ::testing::ElementsAre("name"));
  Response short_name = Create({{"departmentId", dept}, {"name", "章"}});
  EXPECT_ERROR(short_name, 400, "INVALID_ARGUMENT", "seal.invalid");
  EXPECT_THAT(FieldsOf(short_name), ::testing::ElementsAre("name"));
  Response past = Create({{"departmentId", dept}, {"name", "过期的专用章"}, {"validToMs", 1}});
  EXPECT_ERROR(past, 400, "INVALID_ARGUMENT", "seal.invalid");
  EXPECT_THAT(FieldsOf(past), ::testing::ElementsAre("validTo"));
  EXPECT_ERROR(Create({{"departmentId", "no-such-dept"}, {"name", "不存在部门专用章"}}), 400,
               "INVALID_ARGUMENT", "seal.invalid");
  EXPECT_ERROR(Create({{"departmentId", yz_dept}, {"name", "永州测试专用章"}}, "hr_admin"), 403,
               "PERMISSION_DENIED", "identity.out_of_scope");
  EXPECT_ERROR(Create({{"departmentId", dept}, {"name", "窗口不可制章"}}, "clerk"), 403,
               "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(SealRoutesTest, RotateKeepsOldKeysAndErrorsChangeNothing) {
  const std::string dept = NewDepartment();
  Response made = Create({{"departmentId", dept}, {"name", "轮换测试电子证照专用章"}});
  ASSERT_STATUS(made, 201);
  const std::string id = Str(Obj(made), "id");
  const std::string old_key = Str(Obj(made).at("keys").as_array()[0], "keyId");
  Snapshot before = Snap(env());
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/seals/" + id + "/rotate", json::object{}, &env().As("clerk")),
      403, "PERMISSION_DENIED", "identity.permission_denied");
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/seals/ES000000999999/rotate", json::object{}, &env().As("admin")),
      404, "NOT_FOUND", "seal.not_found");
  EXPECT_EQ(Snap(env()), before);
  Response r =
      env().Call("POST", "/api/v1/seals/" + id + "/rotate", json::object{}, &env().As("admin"));
  ASSERT_STATUS(r, 200);
  json::array keys = Obj(r).at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_TRUE(keys[0].as_object().at("retiredAtMs").is_null());
  EXPECT_NE(Str(keys[0], "keyId"), old_key);
  EXPECT_EQ(Str(keys[1], "keyId"), old_key);
  EXPECT_TRUE(keys[1].as_object().at("retiredAtMs").is_int64());
  EXPECT_EQ(Int(Obj(r), "version"), 2);
}

TEST_P(SealRoutesTest, UnknownSealIsNotFound) {
  EXPECT_ERROR(env().Call("GET", "/api/v1/seals/ES000000999999", nullptr, nullptr), 404,
               "NOT_FOUND", "seal.not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/seals/ES000000999999/picture.png", nullptr, nullptr), 404,
               "NOT_FOUND", "seal.not_found");
}

INSTANTIATE_ROUTES_TEST(SealRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
