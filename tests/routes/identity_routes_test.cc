// Identity routes (src/http/routes/identity_routes.cc) through the real router: departments,
// users, persons and enterprises — what they answer, what they write and what they refuse.
// Who may call what is in identity_authz_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/id_number.h"
#include "core/uscc.h"
#include "http/json_util.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kLegacyUscc = "91350100M0001TGQXM";  // fails the GB 32100 check
constexpr const char* kNewPassword = "Xy7#kQ2mPz";

// A valid 身份证号 of someone born 1980-01-01 in 岳麓区; `seq` picks the sequence digits.
std::string ValidIdNumber(int seq) {
  const std::string first17 = "43010419800101" + std::to_string(1000 + seq % 1000).substr(1);
  return first17 + IdNumberCheckChar(first17);
}

// The same number with a wrong check character.
std::string BadCheckIdNumber(int seq) {
  std::string n = ValidIdNumber(seq);
  n.back() = n.back() == '1' ? '2' : '1';
  return n;
}

std::string ValidUscc(int seq) {
  const std::string first17 = "91430100MA4T" + std::to_string(100000 + seq % 100000).substr(1);
  return first17 + UsccCheckChar(first17);
}

class IdentityRoutesTest : public RoutesTest {
 protected:
  int NextSeq() {
    static int seq = 100;
    return ++seq;
  }

  Response Post(const std::string& target, json::value body, const std::string& as) {
    return env().Call("POST", target, body, &env().As(as));
  }
  Response Put(const std::string& target, json::value body, const std::string& as) {
    return env().Call("PUT", target, body, &env().As(as));
  }
  Response Get(const std::string& target, const std::string& as) {
    return env().Call("GET", target, nullptr, &env().As(as));
  }

  json::object NewUserBody(const std::string& username) {
    return {{"username", username},
            {"password", kNewPassword},
            {"displayName", "测试人员"},
            {"roles", json::array{"counter_clerk"}},
            {"departmentId", env().DepartmentId("HN-CS-XSPJ")}};
  }

  json::object EnterpriseBody(const std::string& uscc, bool confirm) {
    return {{"name", "福州早期试点贸易有限公司"}, {"uscc", uscc},
            {"legalRepresentative", "陈福州"},    {"regionCode", "430104"},
            {"industry", "F51 批发业"},           {"confirmLegacyUscc", confirm}};
  }
};

// --- departments ----------------------------------------------------------------------------

TEST_P(IdentityRoutesTest, CreateDepartmentReturnsItAndAuditsIt) {
  const std::string code = env().Unique("T-DEPT-");
  const std::int64_t departments = env().db().Count("identity_department");
  const std::int64_t audit = env().db().Count("audit_entry");
  Response r = Post("/api/v1/departments",
                    json::object{{"code", code},
                                 {"name", "岳麓区测试办"},
                                 {"parentId", env().DepartmentId("HN-CS")},
                                 {"regionCode", "430104"},
                                 {"level", "county"}},
                    "admin");
  ASSERT_STATUS(r, 200);
  json::object d = Obj(r);
  EXPECT_EQ(d.size(), 8u) << r.body;  // Department of docs/API.md, nothing more
  EXPECT_EQ(Str(d, "code"), code);
  EXPECT_EQ(Str(d, "name"), "岳麓区测试办");
  EXPECT_EQ(Str(d, "parentId"), env().DepartmentId("HN-CS"));
  EXPECT_EQ(Str(d, "regionCode"), "430104");
  EXPECT_THAT(Str(d, "regionName"), HasSubstr("岳麓区"));
  EXPECT_EQ(Str(d, "level"), "county");
  EXPECT_EQ(Int(d, "version"), 1);
  EXPECT_EQ(Str(d, "id"), env().DepartmentId(code));
  EXPECT_EQ(env().db().Count("identity_department"), departments + 1);
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 1);

  // It is listed and readable.
  EXPECT_NE(FindBy(Items(Get("/api/v1/departments", "clerk")), "code", code), nullptr);
  Response one = Get("/api/v1/departments/" + Str(d, "id"), "citizen");
  ASSERT_STATUS(one, 200);
  EXPECT_EQ(Obj(one), d);
}

TEST_P(IdentityRoutesTest, DepartmentListIsFlatAndOrderedByTree) {
  json::array items = Items(Get("/api/v1/departments", "reviewer"));
  ASSERT_GE(items.size(), 32u);  // the demo's 32 departments, and those other tests added
  EXPECT_EQ(Str(items[0], "code"), "HN");
  EXPECT_TRUE(items[0].at("parentId").is_null());
  EXPECT_EQ(Str(items[0], "level"), "province");
  // Every parent comes before its children.
  std::set<std::string> seen;
  for (const json::value& d : items) {
    if (!d.at("parentId").is_null()) {
      EXPECT_EQ(seen.count(Str(d, "parentId")), 1u) << Str(d, "code") << " before its parent";
    }
    seen.insert(Str(d, "id"));
  }
}

TEST_P(IdentityRoutesTest, UnknownDepartmentIs404) {
  EXPECT_ERROR(Get("/api/v1/departments/01ARZ3NDEKTSV4RRFFQ69G5FAV", "admin"), 404, "NOT_FOUND",
               "identity.department_not_found");
  const Snapshot before = Snap(env());
  EXPECT_ERROR(
      Put("/api/v1/departments/01ARZ3NDEKTSV4RRFFQ69G5FAV",
          json::object{{"name", "不存在"}, {"regionCode", "430100"}, {"version", 1}}, "admin"),
      404, "NOT_FOUND", "identity.department_not_found");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, UpdateDepartmentChecksTheVersion) {
  const std::string code = env().Unique("T-VER-");
  Response created = Post("/api/v1/departments",
                          json::object{{"code", code},
                                       {"name", "长沙市版本测试局"},
                                       {"parentId", env().DepartmentId("HN-CS")},
                                       {"regionCode", "430100"},
                                       {"level", "city"}},
                          "admin");
  ASSERT_STATUS(created, 200);
  const std::string url = "/api/v1/departments/" + Str(Obj(created), "id");
  // A node trusts a loaded principal for 2 s; after that hr_admin's scope includes the new one.
  env().clock().Advance(3000);

  Response v2 = Put(
      url,
      json::object{{"name", "长沙市版本测试局（改）"}, {"regionCode", "430100"}, {"version", 1}},
      "hr_admin");
  ASSERT_STATUS(v2, 200);
  EXPECT_EQ(Int(Obj(v2), "version"), 2);
  EXPECT_EQ(Str(Obj(v2), "name"), "长沙市版本测试局（改）");

  // A second editor who read version 1 loses.
  const Snapshot before = Snap(env());
  Response stale = Put(
      url,
      json::object{{"name", "长沙市版本测试局（旧）"}, {"regionCode", "430100"}, {"version", 1}},
      "admin");
  EXPECT_ERROR(stale, 409, "ABORTED", "store.version_conflict");
  EXPECT_EQ(Snap(env()), before);
  Response now = Get(url, "admin");
  EXPECT_EQ(Str(Obj(now), "name"), "长沙市版本测试局（改）");
  EXPECT_EQ(Int(Obj(now), "version"), 2);

  // A version from the future is as stale as an old one.
  EXPECT_ERROR(
      Put(url,
          json::object{
              {"name", "长沙市版本测试局（新）"}, {"regionCode", "430100"}, {"version", 7}},
          "admin"),
      409, "ABORTED", "store.version_conflict");
  EXPECT_ERROR(
      Put(url,
          json::object{
              {"name", "长沙市版本测试局（新）"}, {"regionCode", "430100"}, {"version", 0}},
          "admin"),
      400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, DepartmentValidationListsEveryBadField) {
  const Snapshot before = Snap(env());
  Response r = Post("/api/v1/departments",
                    json::object{{"code", "bad code!"},
                                 {"name", "局"},
                                 {"parentId", env().DepartmentId("HN-CS")},
                                 {"regionCode", "430100"},
                                 {"level", "galaxy"}},
                    "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.invalid_department");
  EXPECT_THAT(FieldsOf(r), ElementsAre("code", "name", "level"));

  // The region must lie within the parent's.
  r = Post("/api/v1/departments",
           json::object{{"code", env().Unique("T-REG-")},
                        {"name", "跨区测试局"},
                        {"parentId", env().DepartmentId("HN-CS")},
                        {"regionCode", "431100"},
                        {"level", "city"}},
           "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.invalid_department");
  EXPECT_THAT(FieldsOf(r), ElementsAre("regionCode"));

  // Missing fields, all at once.
  r = Post("/api/v1/departments", json::object{}, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("code", "name", "regionCode", "level"));

  // An unknown parent.
  r = Post("/api/v1/departments",
           json::object{{"code", env().Unique("T-PAR-")},
                        {"name", "无上级测试局"},
                        {"parentId", "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
                        {"regionCode", "430100"},
                        {"level", "city"}},
           "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.parent_not_found");
  EXPECT_THAT(FieldsOf(r), ElementsAre("parentId"));

  // A taken code.
  r = Post("/api/v1/departments",
           json::object{{"code", "HN-CS-XSPJ"},
                        {"name", "重复编码测试局"},
                        {"parentId", env().DepartmentId("HN-CS")},
                        {"regionCode", "430100"},
                        {"level", "city"}},
           "admin");
  EXPECT_ERROR(r, 409, "ALREADY_EXISTS", "identity.department_code_taken");
  EXPECT_THAT(FieldsOf(r), ElementsAre("code"));

  // Updates: a one-character name and a region outside the parent's.
  r = Put("/api/v1/departments/" + env().DepartmentId("HN-CS-YL"),
          json::object{{"name", "岳"}, {"regionCode", "430104"}, {"version", 1}}, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.invalid_department");
  EXPECT_THAT(FieldsOf(r), ElementsAre("name"));
  r = Put("/api/v1/departments/" + env().DepartmentId("HN-CS-YL"),
          json::object{{"name", "岳麓区政务服务中心"}, {"regionCode", "431102"}, {"version", 1}},
          "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.invalid_department");
  EXPECT_THAT(FieldsOf(r), ElementsAre("regionCode"));
  EXPECT_EQ(Snap(env()), before);
}

// --- users ----------------------------------------------------------------------------------

TEST_P(IdentityRoutesTest, CreateUserReturnsTheUserWithoutSecrets) {
  const std::string username = env().Unique("new_clerk_");
  const std::int64_t users = env().db().Count("identity_user");
  Response r = Post("/api/v1/users", NewUserBody(username), "admin");
  ASSERT_STATUS(r, 200);
  json::object u = Obj(r);
  EXPECT_EQ(Str(u, "username"), username);
  EXPECT_EQ(Str(u, "displayName"), "测试人员");
  EXPECT_EQ(Str(u, "kind"), "staff");
  EXPECT_EQ(Str(u, "departmentId"), env().DepartmentId("HN-CS-XSPJ"));
  EXPECT_EQ(Str(u, "departmentName"), "长沙市行政审批服务局");
  EXPECT_EQ(json::serialize(u.at("roles")), R"(["counter_clerk"])");
  EXPECT_EQ(Str(u, "dataScope"), "dept");  // the role's default
  EXPECT_EQ(json::serialize(u.at("customDepartmentIds")), "[]");
  EXPECT_EQ(Str(u, "status"), "active");
  EXPECT_TRUE(u.at("lockedUntil").is_null());
  EXPECT_EQ(Str(u, "createdAt"), http::IsoTimeCst(env().clock().NowMs()));
  EXPECT_EQ(Int(u, "version"), 1);
  EXPECT_THAT(r.body, Not(HasSubstr(kNewPassword)));
  EXPECT_THAT(r.body, Not(HasSubstr("argon")));
  EXPECT_FALSE(u.contains("password"));
  EXPECT_FALSE(u.contains("passwordHash"));
  EXPECT_EQ(env().db().Count("identity_user"), users + 1);

  // The account works.
  Session s = env().Login(username, kNewPassword);
  EXPECT_EQ(Str(s.user, "id"), Str(u, "id"));

  // The same name again is refused, and changes nothing.
  const Snapshot before = Snap(env());
  Response again = Post("/api/v1/users", NewUserBody(username), "admin");
  EXPECT_ERROR(again, 409, "ALREADY_EXISTS", "identity.username_taken");
  EXPECT_THAT(FieldsOf(again), ElementsAre("username"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, CreateUserValidation) {
  const Snapshot before = Snap(env());
  Response r = Post("/api/v1/users", json::object{}, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("username", "password", "displayName", "roles"));

  json::object weak = NewUserBody(env().Unique("weak_"));
  weak["password"] = "12345678";
  r = Post("/api/v1/users", weak, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.weak_password");
  EXPECT_THAT(FieldsOf(r), ElementsAre("password"));

  json::object role = NewUserBody(env().Unique("role_"));
  role["roles"] = json::array{"emperor"};
  r = Post("/api/v1/users", role, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.bad_role");
  EXPECT_THAT(FieldsOf(r), ElementsAre("roles"));

  json::object no_dept = NewUserBody(env().Unique("nodept_"));
  no_dept.erase("departmentId");
  r = Post("/api/v1/users", no_dept, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.department_required");

  json::object roles_type = NewUserBody(env().Unique("types_"));
  roles_type["roles"] = json::array{"counter_clerk", 3};
  r = Post("/api/v1/users", roles_type, "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("roles[1]"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, UpdateUserChangesRolesAndChecksTheVersion) {
  Response created = Post("/api/v1/users", NewUserBody(env().Unique("upd_")), "admin");
  ASSERT_STATUS(created, 200);
  const std::string url = "/api/v1/users/" + Str(Obj(created), "id");
  json::object update{{"displayName", "改名人员"},
                      {"roles", json::array{"reviewer"}},
                      {"departmentId", env().DepartmentId("HN-CS-SCJGJ")},
                      {"dataScope", "dept"},
                      {"customDepartmentIds", json::array{}},
                      {"status", "active"},
                      {"version", 1}};
  Response r = Put(url, update, "hr_admin");
  ASSERT_STATUS(r, 200);
  json::object u = Obj(r);
  EXPECT_EQ(Str(u, "displayName"), "改名人员");
  EXPECT_EQ(json::serialize(u.at("roles")), R"(["reviewer"])");
  EXPECT_EQ(Str(u, "departmentName"), "长沙市市场监督管理局");
  EXPECT_EQ(Int(u, "version"), 2);

  const Snapshot before = Snap(env());
  update["displayName"] = "第二个编辑";
  EXPECT_ERROR(Put(url, update, "admin"), 409, "ABORTED", "store.version_conflict");
  update["version"] = 2;
  update["status"] = "frozen";
  Response bad = Put(url, update, "admin");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "identity.invalid_user");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("status"));
  EXPECT_EQ(Snap(env()), before);
  json::array listed = Items(Get(Url("/api/v1/users", {{"q", Str(u, "username")}}), "admin"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(Str(listed[0], "displayName"), "改名人员");
}

TEST_P(IdentityRoutesTest, DisablingAUserEndsSignIn) {
  const std::string username = env().Unique("dis_");
  Response created = Post("/api/v1/users", NewUserBody(username), "admin");
  ASSERT_STATUS(created, 200);
  Session s = env().Login(username, kNewPassword);
  ASSERT_STATUS(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 200);
  Response r = Put("/api/v1/users/" + Str(Obj(created), "id"),
                   json::object{{"displayName", "测试人员"},
                                {"roles", json::array{"counter_clerk"}},
                                {"departmentId", env().DepartmentId("HN-CS-XSPJ")},
                                {"dataScope", "dept"},
                                {"status", "disabled"},
                                {"version", 1}},
                   "admin");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "status"), "disabled");
  // A node trusts a loaded principal for principal_cache_ms (2 s); after that the session is gone.
  env().clock().Advance(3000);
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");
  Response login = env().Call("POST", "/api/v1/auth/login",
                              json::object{{"username", username}, {"password", kNewPassword}});
  EXPECT_ERROR(login, 403, "PERMISSION_DENIED", "identity.disabled");
}

TEST_P(IdentityRoutesTest, PasswordResetReplacesThePasswordAndEndsSessions) {
  const std::string username = env().Unique("pwd_");
  Response created = Post("/api/v1/users", NewUserBody(username), "admin");
  ASSERT_STATUS(created, 200);
  const std::string url = "/api/v1/users/" + Str(Obj(created), "id") + "/password";
  Session s = env().Login(username, kNewPassword);

  const Snapshot before = Snap(env());
  Response weak = Post(url, json::object{{"password", "short"}}, "admin");
  EXPECT_ERROR(weak, 400, "INVALID_ARGUMENT", "identity.weak_password");
  EXPECT_THAT(FieldsOf(weak), ElementsAre("password"));
  Response missing = Post(url, json::object{}, "admin");
  EXPECT_ERROR(missing, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(missing), ElementsAre("password"));
  EXPECT_EQ(Snap(env()), before);
  EXPECT_FALSE(env().Login(username, kNewPassword).token.empty());  // unchanged

  Response r = Post(url, json::object{{"password", "Reset#2026ab"}}, "hr_admin");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_ERROR(env().Call("POST", "/api/v1/auth/login",
                          json::object{{"username", username}, {"password", kNewPassword}}),
               401, "UNAUTHENTICATED", "identity.bad_credentials");
  EXPECT_FALSE(env().Login(username, "Reset#2026ab").token.empty());
  env().clock().Advance(3000);  // past the principal cache
  EXPECT_ERROR(env().Call("GET", "/api/v1/auth/me", nullptr, &s), 401, "UNAUTHENTICATED",
               "identity.unauthenticated");

  EXPECT_ERROR(Post("/api/v1/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/password",
                    json::object{{"password", "Reset#2026ab"}}, "admin"),
               404, "NOT_FOUND", "identity.user_not_found");
}

TEST_P(IdentityRoutesTest, RolesListsEveryRoleWithItsPermissions) {
  Response r = Get("/api/v1/roles", "hr_admin");
  ASSERT_STATUS(r, 200);
  json::array roles = Items(r);
  EXPECT_THAT(Column(roles, "code"),
              ElementsAre("platform_admin", "dept_admin", "counter_clerk", "reviewer", "supervisor",
                          "agent", "citizen", "enterprise"));
  const json::object* citizen = FindBy(roles, "code", "citizen");
  ASSERT_NE(citizen, nullptr);
  EXPECT_EQ(Str(*citizen, "name"), "群众");
  EXPECT_EQ(Str(*citizen, "defaultDataScope"), "self");
  EXPECT_EQ(Column(citizen->at("permissions").as_array(), "code"),
            (std::vector<std::string>{"self.access_log", "cases.apply", "self.licences"}));
}

// --- persons --------------------------------------------------------------------------------

TEST_P(IdentityRoutesTest, PersonWithABadCheckDigitIsRefusedAndNothingWritten) {
  const Snapshot before = Snap(env());
  Response r = Post(
      "/api/v1/persons",
      json::object{
          {"name", "王五"}, {"idNumber", BadCheckIdNumber(NextSeq())}, {"phone", "13800000000"}},
      "clerk");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "core.id_number_check");
  EXPECT_THAT(FieldsOf(r), ElementsAre("idNumber"));
  EXPECT_THAT(Str(Obj(r).at("error"), "message"), HasSubstr("校验位"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, PersonValidationListsEveryBadField) {
  const Snapshot before = Snap(env());
  Response r =
      Post("/api/v1/persons",
           json::object{{"name", "王"}, {"idNumber", "4301041980"}, {"phone", "12345"}}, "clerk");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.invalid_person");
  EXPECT_THAT(FieldsOf(r), ElementsAre("name", "idNumber", "phone"));
  r = Post("/api/v1/persons", json::object{{"phone", 13800000000}}, "clerk");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("name", "idNumber", "phone"));
  // Already registered: 张三.
  r = Post("/api/v1/persons",
           json::object{{"name", "张三"}, {"idNumber", env().PersonIdNumber("张三")}}, "clerk");
  EXPECT_ERROR(r, 409, "ALREADY_EXISTS", "identity.person_exists");
  EXPECT_THAT(FieldsOf(r), ElementsAre("idNumber"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, CreatePersonDerivesGenderAndBirthDateAndMasks) {
  const std::string number = ValidIdNumber(NextSeq());
  const std::int64_t audit = env().db().Count("audit_entry");
  Response r = Post(
      "/api/v1/persons",
      json::object{{"name", " 王五 "}, {"idNumber", number}, {"phone", "13812345678"}}, "clerk");
  ASSERT_STATUS(r, 200);
  json::object p = Obj(r);
  EXPECT_EQ(Str(p, "name"), "王五");
  EXPECT_EQ(Str(p, "birthDate"), "1980-01-01");
  EXPECT_EQ(Str(p, "gender"), (number[16] - '0') % 2 == 1 ? "男" : "女");
  EXPECT_EQ(Str(p, "regionCode"), "430104");
  EXPECT_THAT(Str(p, "regionName"), HasSubstr("岳麓区"));
  EXPECT_EQ(Str(p, "idNumberMasked").substr(0, 6), "430104");
  EXPECT_EQ(Str(p, "idNumberMasked").size(), 18u);
  EXPECT_EQ(Str(p, "phoneMasked").substr(0, 3), "138");
  EXPECT_THAT(r.body, Not(HasSubstr(number)));
  EXPECT_THAT(r.body, Not(HasSubstr(number.substr(6, 8))));  // the birth date digits
  EXPECT_THAT(r.body, Not(HasSubstr("13812345678")));
  EXPECT_FALSE(p.contains("idNumber"));
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 1);
}

TEST_P(IdentityRoutesTest, PersonListMasksEveryNumber) {
  Response r = Get("/api/v1/persons?pageSize=100", "clerk");
  ASSERT_STATUS(r, 200);
  json::object page = Obj(r);
  json::array items = page.at("items").as_array();
  EXPECT_EQ(Int(page, "total"), static_cast<std::int64_t>(items.size()));
  ASSERT_NE(FindBy(items, "name", "张三"), nullptr);
  for (const char* name : {"张三", "李梅", "王建华", "赵德明", "孙丽娟", "欧阳小雨"}) {
    SCOPED_TRACE(name);
    const std::string whole = env().PersonIdNumber(name);
    ASSERT_EQ(whole.size(), 18u);
    EXPECT_THAT(r.body, Not(HasSubstr(whole)));
    const json::object* p = FindBy(items, "name", name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(Str(*p, "idNumberMasked"), whole.substr(0, 6) + "********" + whole.substr(14));
    EXPECT_FALSE(p->contains("idNumber"));
    EXPECT_FALSE(p->contains("phone"));
  }
  // Paging.
  json::object first = Obj(Get("/api/v1/persons?page=1&pageSize=2", "clerk"));
  EXPECT_EQ(first.at("items").as_array().size(), 2u);
  EXPECT_EQ(Int(first, "total"), Int(page, "total"));
  json::object second = Obj(Get("/api/v1/persons?page=2&pageSize=2", "clerk"));
  EXPECT_NE(Str(first.at("items").as_array()[0], "id"),
            Str(second.at("items").as_array()[0], "id"));
  Response bad = Get("/api/v1/persons?pageSize=101&page=0", "clerk");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "http.invalid_query");
  EXPECT_THAT(FieldsOf(bad), ::testing::UnorderedElementsAre("page", "pageSize"));
}

TEST_P(IdentityRoutesTest, PersonSearchByNameAndByWholeNumber) {
  json::array by_name = Items(Get(Url("/api/v1/persons", {{"q", "欧阳"}}), "clerk"));
  EXPECT_THAT(Column(by_name, "name"), ElementsAre("欧阳小雨"));
  // A whole number finds the person (the lookup is audited against them), still masked.
  const std::string whole = env().PersonIdNumber("李梅");
  const std::int64_t audit = env().db().Count("audit_entry");
  Response r = Get(Url("/api/v1/persons", {{"q", whole}}), "clerk");
  ASSERT_STATUS(r, 200);
  EXPECT_THAT(Column(Items(r), "name"), ElementsAre("李梅"));
  EXPECT_THAT(r.body, Not(HasSubstr(whole)));
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 1);
}

TEST_P(IdentityRoutesTest, PersonDetailWithPurposeShowsTheNumberAndIsAudited) {
  const std::string id = env().PersonId("张三");
  const std::string purpose = env().Unique("办理社保卡补领，核验身份 #");
  const std::int64_t audit = env().db().Count("audit_entry");
  Response r = Get(Url("/api/v1/persons/" + id, {{"purpose", purpose}}), "clerk");
  ASSERT_STATUS(r, 200);
  json::object p = Obj(r);
  EXPECT_EQ(Str(p, "idNumber"), env().PersonIdNumber("张三"));
  EXPECT_EQ(Str(p, "phone"), "13807310001");
  EXPECT_EQ(Str(p, "name"), "张三");
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 1);

  // 张三 sees who read the data, and why.
  json::array seen = Items(
      env().Call("GET", "/api/v1/audit/my-access?pageSize=100", nullptr, &env().As("citizen")));
  const json::object* entry = FindBy(seen, "purpose", purpose);
  ASSERT_NE(entry, nullptr) << "the read is not in 张三's my-access";
  EXPECT_EQ(Str(*entry, "action"), "identity.person.read");
  EXPECT_EQ(Str(*entry, "actorName"), "刘晓燕");
  EXPECT_EQ(Str(*entry, "actorId"), env().UserId("clerk"));
  EXPECT_EQ(Str(*entry, "subjectId"), id);
  EXPECT_EQ(Str(*entry, "actorDepartmentName"), "长沙市行政审批服务局");
  EXPECT_EQ(Str(*entry, "at"), http::IsoTimeCst(env().clock().NowMs()));
}

TEST_P(IdentityRoutesTest, PersonDetailWithoutPurposeIsRefused) {
  const std::string url = "/api/v1/persons/" + env().PersonId("张三");
  const Snapshot before = Snap(env());
  for (const std::string& target :
       {url, url + "?purpose=", url + "?purpose=%20%20", url + "?purpose=a"}) {
    SCOPED_TRACE(target);
    Response r = Get(target, "clerk");
    EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.purpose_required");
    EXPECT_THAT(FieldsOf(r), ElementsAre("purpose"));
    EXPECT_THAT(r.body, Not(HasSubstr(env().PersonIdNumber("张三"))));
  }
  Response long_purpose = Get(Url(url, {{"purpose", std::string(201, 'x')}}), "clerk");
  EXPECT_ERROR(long_purpose, 400, "INVALID_ARGUMENT", "identity.purpose_too_long");
  EXPECT_EQ(Snap(env()), before);  // no audit entry for a refused read
  EXPECT_ERROR(Get("/api/v1/persons/01ARZ3NDEKTSV4RRFFQ69G5FAV?purpose=核验身份", "clerk"), 404,
               "NOT_FOUND", "identity.person_not_found");
  EXPECT_EQ(Snap(env()), before);
}

// --- enterprises ----------------------------------------------------------------------------

TEST_P(IdentityRoutesTest, LegacyUsccNeedsAnAdministratorsConfirmation) {
  const Snapshot before = Snap(env());
  // A clerk cannot register it…
  Response r = Post("/api/v1/enterprises", EnterpriseBody(kLegacyUscc, false), "clerk");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "core.uscc_check");
  EXPECT_THAT(FieldsOf(r), ElementsAre("uscc"));
  // …nor confirm it.
  r = Post("/api/v1/enterprises", EnterpriseBody(kLegacyUscc, true), "clerk");
  EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
  // An administrator must confirm it explicitly.
  r = Post("/api/v1/enterprises", EnterpriseBody(kLegacyUscc, false), "admin");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "core.uscc_check");
  EXPECT_EQ(Snap(env()), before);

  const std::int64_t audit = env().db().Count("audit_entry");
  r = Post("/api/v1/enterprises", EnterpriseBody(kLegacyUscc, true), "admin");
  ASSERT_STATUS(r, 200);
  json::object e = Obj(r);
  EXPECT_EQ(Str(e, "uscc"), kLegacyUscc);
  EXPECT_FALSE(Str(e, "usccWarning").empty()) << r.body;
  EXPECT_EQ(Str(e, "name"), "福州早期试点贸易有限公司");
  EXPECT_EQ(env().db().Count("identity_enterprise"), before.at("identity_enterprise") + 1);
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 2);  // created, and the confirmation

  // Registered once only.
  const Snapshot after = Snap(env());
  r = Post("/api/v1/enterprises", EnterpriseBody(kLegacyUscc, true), "admin");
  EXPECT_ERROR(r, 409, "ALREADY_EXISTS", "identity.enterprise_exists");
  EXPECT_EQ(Snap(env()), after);
}

TEST_P(IdentityRoutesTest, EnterpriseWithAValidUsccHasNoWarning) {
  const std::string uscc = ValidUscc(NextSeq());
  Response r = Post("/api/v1/enterprises", EnterpriseBody(uscc, false), "clerk");
  ASSERT_STATUS(r, 200);
  json::object e = Obj(r);
  EXPECT_EQ(Str(e, "uscc"), uscc);
  EXPECT_TRUE(e.at("usccWarning").is_null());
  EXPECT_EQ(Str(e, "legalRepresentative"), "陈福州");
  EXPECT_EQ(Str(e, "industry"), "F51 批发业");
  EXPECT_THAT(Str(e, "regionName"), HasSubstr("岳麓区"));
  EXPECT_EQ(Int(e, "version"), 1);

  // Found by its whole code.
  json::array found = Items(Get(Url("/api/v1/enterprises", {{"q", uscc}}), "clerk"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(Str(found[0], "id"), Str(e, "id"));

  const Snapshot before = Snap(env());
  Response bad = Post(
      "/api/v1/enterprises",
      json::object{
          {"name", "企"}, {"uscc", "123"}, {"legalRepresentative", "陈"}, {"regionCode", "999999"}},
      "clerk");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "identity.invalid_enterprise");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("name", "uscc", "legalRepresentative", "regionCode"));
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityRoutesTest, EnterpriseDetailNeedsAPurposeAndIsAudited) {
  const std::string id = env().EnterpriseId("湖南湘江智造科技有限公司");
  const Snapshot before = Snap(env());
  Response r = Get("/api/v1/enterprises/" + id, "clerk");
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "identity.purpose_required");
  EXPECT_EQ(Snap(env()), before);
  r = Get(Url("/api/v1/enterprises/" + id, {{"purpose", "企业开办核验"}}), "clerk");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "name"), "湖南湘江智造科技有限公司");
  EXPECT_EQ(env().db().Count("audit_entry"), before.at("audit_entry") + 1);
  EXPECT_ERROR(Get("/api/v1/enterprises/01ARZ3NDEKTSV4RRFFQ69G5FAV?purpose=核验", "clerk"), 404,
               "NOT_FOUND", "identity.enterprise_not_found");
}

TEST_P(IdentityRoutesTest, RegionsListChildren) {
  json::array provinces = Items(env().Call("GET", "/api/v1/regions"));
  const json::object* hunan = FindBy(provinces, "code", "430000");
  ASSERT_NE(hunan, nullptr);
  EXPECT_EQ(Str(*hunan, "name"), "湖南省");
  EXPECT_EQ(Str(*hunan, "level"), "province");
  json::array cities = Items(env().Call("GET", "/api/v1/regions?parent=430000"));
  EXPECT_NE(FindBy(cities, "code", "430100"), nullptr);
  EXPECT_NE(FindBy(cities, "code", "431100"), nullptr);
  EXPECT_EQ(FindBy(cities, "code", "430000"), nullptr);
  Response bad = env().Call("GET", "/api/v1/regions?parent=43");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "core.region_format");
  EXPECT_ERROR(env().Call("GET", "/api/v1/regions/999999"), 400, "INVALID_ARGUMENT",
               "core.region_unknown");
}

INSTANTIATE_ROUTES_TEST(IdentityRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
