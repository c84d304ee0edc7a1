// Every identity endpoint tried as every demo role (and anonymously): the status and reason
// each gets, and that a refused call changes nothing. Data scopes: hr_admin is dept_admin at
// 长沙市政务服务中心 (HN-CS, 本部门及以下); clerk/reviewer are 本部门; agent is 仅本人;
// admin and supervisor see everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "core/id_number.h"
#include "core/uscc.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::Contains;
using ::testing::IsSupersetOf;
using ::testing::Not;

const Outcome kOk = Allowed();
const Outcome kNoPermission = Denied();
const Outcome kOutOfScope = Denied("identity.out_of_scope");
const Outcome kEscalation = Denied("identity.role_escalation");

// Outcomes for everybody: `allowed` get 200, everyone else 403 identity.permission_denied.
std::map<std::string, Outcome> Only(std::set<std::string> allowed) {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = allowed.count(role) ? kOk : kNoPermission;
  return m;
}
std::map<std::string, Outcome> Everyone() { return Only({DemoRoles().begin(), DemoRoles().end()}); }

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

std::string NewIdNumber() {
  static int seq = 500;
  const std::string first17 = "43010419850505" + std::to_string(1000 + (++seq % 1000)).substr(1);
  return first17 + IdNumberCheckChar(first17);
}

std::string NewUscc() {
  static int seq = 70000;
  const std::string first17 = "91430100MA4Q" + std::to_string(100000 + (++seq % 100000)).substr(1);
  return first17 + UsccCheckChar(first17);
}

std::set<std::string> Usernames(const Response& r) {
  std::set<std::string> out;
  for (const std::string& u : Column(Items(r), "username")) out.insert(u);
  return out;
}

class IdentityAuthzTest : public RoutesTest {};

TEST_P(IdentityAuthzTest, Me) {
  RunAuthz(env(), {.name = "/auth/me",
                   .method = "GET",
                   .target = Fixed("/api/v1/auth/me"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string& role, const Response& r) {
                     EXPECT_EQ(Str(Obj(r).at("user"), "username"), role);
                   }});
}

TEST_P(IdentityAuthzTest, Logout) {
  // Fresh sessions: the shared ones stay signed in. Anonymous: 401.
  Response anonymous = env().Call("POST", "/api/v1/auth/logout");
  EXPECT_ERROR(anonymous, 401, "UNAUTHENTICATED", "identity.unauthenticated");
  for (const std::string& role : DemoRoles()) {
    SCOPED_TRACE(role);
    Session s = env().Login(role, role == "admin" ? kAdminPassword : kDemoPassword);
    EXPECT_STATUS(env().Call("POST", "/api/v1/auth/logout", nullptr, &s), 200);
  }
}

TEST_P(IdentityAuthzTest, RegionsArePublic) {
  RunAuthz(env(), {.name = "/regions",
                   .method = "GET",
                   .target = Fixed("/api/v1/regions?parent=430000"),
                   .outcomes = Everyone(),
                   .is_public = true});
  RunAuthz(env(), {.name = "/regions/{code}",
                   .method = "GET",
                   .target = Fixed("/api/v1/regions/430104"),
                   .outcomes = Everyone(),
                   .is_public = true});
}

TEST_P(IdentityAuthzTest, DepartmentsAreReadableByEveryoneSignedIn) {
  RunAuthz(env(), {.name = "/departments",
                   .method = "GET",
                   .target = Fixed("/api/v1/departments"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_NE(FindBy(Items(r), "code", "HN-YZ"), nullptr);
                   }});
  RunAuthz(env(),
           {.name = "/departments/{HN-YZ}",
            .method = "GET",
            .target = [](DemoEnv& e) { return "/api/v1/departments/" + e.DepartmentId("HN-YZ"); },
            .outcomes = Everyone()});
}

TEST_P(IdentityAuthzTest, CreateDepartmentUnderChangsha) {
  RunAuthz(env(), {.name = "/departments (under HN-CS)",
                   .method = "POST",
                   .target = Fixed("/api/v1/departments"),
                   .body = [](DemoEnv& e) -> json::value {
                     return json::object{{"code", e.Unique("T-AZ-CS-")},
                                         {"name", "长沙市权限测试局"},
                                         {"parentId", e.DepartmentId("HN-CS")},
                                         {"regionCode", "430100"},
                                         {"level", "city"}};
                   },
                   .outcomes = Only({"admin", "hr_admin"})});
}

TEST_P(IdentityAuthzTest, CreateDepartmentUnderYongzhou) {
  std::map<std::string, Outcome> outcomes = Only({"admin"});
  outcomes["hr_admin"] = kOutOfScope;  // HN-YZ is not below HN-CS
  RunAuthz(env(), {.name = "/departments (under HN-YZ)",
                   .method = "POST",
                   .target = Fixed("/api/v1/departments"),
                   .body = [](DemoEnv& e) -> json::value {
                     return json::object{{"code", e.Unique("T-AZ-YZ-")},
                                         {"name", "永州市权限测试局"},
                                         {"parentId", e.DepartmentId("HN-YZ")},
                                         {"regionCode", "431100"},
                                         {"level", "city"}};
                   },
                   .outcomes = outcomes});
}

TEST_P(IdentityAuthzTest, CreateRootDepartmentNeedsScopeAll) {
  std::map<std::string, Outcome> outcomes = Only({"admin"});
  outcomes["hr_admin"] = kOutOfScope;
  RunAuthz(env(), {.name = "/departments (root)",
                   .method = "POST",
                   .target = Fixed("/api/v1/departments"),
                   .body = [](DemoEnv& e) -> json::value {
                     return json::object{{"code", e.Unique("T-AZ-ROOT-")},
                                         {"name", "江西省测试中心"},
                                         {"regionCode", "360000"},
                                         {"level", "province"}};
                   },
                   .outcomes = outcomes});
}

// Renames a department to its own name with its current version (so every allowed call
// succeeds and the next one reads the new version).
AuthzCase RenameCase(std::string code, std::map<std::string, Outcome> outcomes) {
  auto id = [code](DemoEnv& e) { return e.DepartmentId(code); };
  return {.name = "/departments/{" + code + "}",
          .method = "PUT",
          .target = [id](DemoEnv& e) { return "/api/v1/departments/" + id(e); },
          .body = [id](DemoEnv& e) -> json::value {
            json::object d =
                Obj(e.Call("GET", "/api/v1/departments/" + id(e), nullptr, &e.As("admin")));
            return json::object{
                {"name", d["name"]}, {"regionCode", d["regionCode"]}, {"version", d["version"]}};
          },
          .outcomes = std::move(outcomes)};
}

TEST_P(IdentityAuthzTest, UpdateDepartment) {
  RunAuthz(env(), RenameCase("HN-CS-YL-JZ", Only({"admin", "hr_admin"})));
  std::map<std::string, Outcome> yz = Only({"admin"});
  yz["hr_admin"] = kOutOfScope;
  RunAuthz(env(), RenameCase("HN-YZ-LL", yz));
}

TEST_P(IdentityAuthzTest, Roles) {
  RunAuthz(env(), {.name = "/roles",
                   .method = "GET",
                   .target = Fixed("/api/v1/roles"),
                   .outcomes = Only({"admin", "hr_admin"})});
}

TEST_P(IdentityAuthzTest, ListUsersIsScoped) {
  RunAuthz(env(), {.name = "/users",
                   .method = "GET",
                   .target = Fixed("/api/v1/users?pageSize=100"),
                   .outcomes = Only({"admin", "hr_admin"}),
                   .check = [](DemoEnv&, const std::string& role, const Response& r) {
                     std::set<std::string> users = Usernames(r);
                     const std::set<std::string> changsha = {"hr_admin", "clerk", "reviewer",
                                                             "supervisor", "agent"};
                     EXPECT_THAT(users, IsSupersetOf(changsha));
                     if (role == "admin") {
                       EXPECT_THAT(users, IsSupersetOf({"admin", "yz_clerk", "hr_clerk",
                                                        "cz_reviewer", "citizen", "enterprise"}));
                     } else {
                       // Only 长沙's subtree: not 永州, 岳阳, 郴州, the province, or accounts
                       // without a department.
                       for (const char* outside : {"admin", "yz_clerk", "hr_clerk", "cz_reviewer",
                                                   "citizen", "enterprise"}) {
                         EXPECT_THAT(users, Not(Contains(outside)));
                       }
                       EXPECT_EQ(Int(Obj(r), "total"), static_cast<std::int64_t>(users.size()));
                     }
                   }});
}

TEST_P(IdentityAuthzTest, ListUsersOfAnotherSubtreeIsEmptyForTheDeptAdmin) {
  Response r = env().Call("GET", "/api/v1/users?departmentId=" + env().DepartmentId("HN-YZ-XSPJ"),
                          nullptr, &env().As("hr_admin"));
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(Items(r).empty());
  EXPECT_EQ(Int(Obj(r), "total"), 0);
  r = env().Call("GET", "/api/v1/users?departmentId=" + env().DepartmentId("HN-YZ-XSPJ"), nullptr,
                 &env().As("admin"));
  EXPECT_THAT(Usernames(r), Contains("yz_clerk"));
}

json::value NewUser(DemoEnv& e, const std::string& role, const std::string& dept) {
  return json::object{{"username", e.Unique("az_user_")},
                      {"password", "Xy7#kQ2mPz"},
                      {"displayName", "权限测试"},
                      {"roles", json::array{json::value(role)}},
                      {"departmentId", e.DepartmentId(dept)}};
}

TEST_P(IdentityAuthzTest, CreateUser) {
  RunAuthz(env(), {.name = "/users (reviewer at HN-CS-SCJGJ)",
                   .method = "POST",
                   .target = Fixed("/api/v1/users"),
                   .body = [](DemoEnv& e) { return NewUser(e, "reviewer", "HN-CS-SCJGJ"); },
                   .outcomes = Only({"admin", "hr_admin"})});
  std::map<std::string, Outcome> yz = Only({"admin"});
  yz["hr_admin"] = kOutOfScope;
  RunAuthz(env(), {.name = "/users (reviewer at HN-YZ-XSPJ)",
                   .method = "POST",
                   .target = Fixed("/api/v1/users"),
                   .body = [](DemoEnv& e) { return NewUser(e, "reviewer", "HN-YZ-XSPJ"); },
                   .outcomes = yz});
  // Department roles may be granted by anyone managing the department's users, even with
  // permissions the granter lacks (counter_clerk: parties.write)…
  RunAuthz(env(), {.name = "/users (counter_clerk at HN-CS-XSPJ)",
                   .method = "POST",
                   .target = Fixed("/api/v1/users"),
                   .body = [](DemoEnv& e) { return NewUser(e, "counter_clerk", "HN-CS-XSPJ"); },
                   .outcomes = Only({"admin", "hr_admin"})});
  // …but the see-everything roles only by an actor with scope "all" (docs/API.md "Granting").
  for (const char* role : {"platform_admin", "supervisor"}) {
    std::map<std::string, Outcome> up = Only({"admin"});
    up["hr_admin"] = kEscalation;
    RunAuthz(env(), {.name = std::string("/users (") + role + " at HN-CS)",
                     .method = "POST",
                     .target = Fixed("/api/v1/users"),
                     .body = [role](DemoEnv& e) { return NewUser(e, role, "HN-CS"); },
                     .outcomes = up});
  }
}

// An update of `username` that keeps everything, at its current version.
AuthzCase UpdateUserCase(std::string username, std::map<std::string, Outcome> outcomes) {
  auto find = [username](DemoEnv& e) {
    json::array users =
        Items(e.Call("GET", Url("/api/v1/users", {{"q", username}}), nullptr, &e.As("admin")));
    const json::object* u = FindBy(users, "username", username);
    return u != nullptr ? *u : json::object{};
  };
  return {.name = "/users/{" + username + "}",
          .method = "PUT",
          .target = [username](DemoEnv& e) { return "/api/v1/users/" + e.UserId(username); },
          .body = [find](DemoEnv& e) -> json::value {
            json::object u = find(e);
            return json::object{{"displayName", u["displayName"]},
                                {"roles", u["roles"]},
                                {"departmentId", u["departmentId"]},
                                {"dataScope", u["dataScope"]},
                                {"customDepartmentIds", u["customDepartmentIds"]},
                                {"status", u["status"]},
                                {"version", u["version"]}};
          },
          .outcomes = std::move(outcomes)};
}

TEST_P(IdentityAuthzTest, UpdateUser) {
  // reviewer (HN-CS-SCJGJ) is in hr_admin's subtree; yz_clerk (HN-YZ-XSPJ) is not.
  RunAuthz(env(), UpdateUserCase("reviewer", Only({"admin", "hr_admin"})));
  std::map<std::string, Outcome> yz = Only({"admin"});
  yz["hr_admin"] = kOutOfScope;
  RunAuthz(env(), UpdateUserCase("yz_clerk", yz));
  // Citizen accounts have no department: only scope "all" may change them.
  std::map<std::string, Outcome> citizen = Only({"admin"});
  citizen["hr_admin"] = kOutOfScope;
  RunAuthz(env(), UpdateUserCase("citizen", citizen));
  // supervisor (电子监察, at HN-CS) sees everything: a dept_admin may not change the account.
  std::map<std::string, Outcome> supervisor = Only({"admin"});
  supervisor["hr_admin"] = kEscalation;
  RunAuthz(env(), UpdateUserCase("supervisor", supervisor));
}

AuthzCase ResetPasswordCase(std::string username, std::map<std::string, Outcome> outcomes) {
  return {.name = "/users/{" + username + "}/password",
          .method = "POST",
          .target = [username](
                        DemoEnv& e) { return "/api/v1/users/" + e.UserId(username) + "/password"; },
          .body = [](DemoEnv&) -> json::value {
            return json::object{{"password", "Reset#2026xy"}};
          },
          .outcomes = std::move(outcomes)};
}

TEST_P(IdentityAuthzTest, ResetPassword) {
  // Fresh accounts: resetting a demo user's password would end the shared sessions.
  auto make = [this](const std::string& dept, const std::string& role = "reviewer") {
    json::value body = NewUser(env(), role, dept);
    EXPECT_STATUS(env().Call("POST", "/api/v1/users", body, &env().As("admin")), 200);
    return Str(body, "username");
  };
  RunAuthz(env(), ResetPasswordCase(make("HN-CS-SCJGJ"), Only({"admin", "hr_admin"})));
  std::map<std::string, Outcome> yz = Only({"admin"});
  yz["hr_admin"] = kOutOfScope;
  RunAuthz(env(), ResetPasswordCase(make("HN-YZ-XSPJ"), yz));
  std::map<std::string, Outcome> supervisor = Only({"admin"});
  supervisor["hr_admin"] = kEscalation;  // a see-everything account inside hr_admin's subtree
  RunAuthz(env(), ResetPasswordCase(make("HN-CS", "supervisor"), supervisor));
}

TEST_P(IdentityAuthzTest, ListPersonsIsScoped) {
  RunAuthz(env(),
           {.name = "/persons",
            .method = "GET",
            .target = Fixed("/api/v1/persons?pageSize=100"),
            .outcomes = Only({"admin", "hr_admin", "clerk", "reviewer", "supervisor", "agent"}),
            .check = [](DemoEnv&, const std::string& role, const Response& r) {
              std::set<std::string> names;
              for (const std::string& n : Column(Items(r), "name")) names.insert(n);
              // The demo persons were registered by clerk at HN-CS-XSPJ.
              if (role == "reviewer" || role == "agent") {
                EXPECT_THAT(names, Not(Contains("张三")));
              } else {
                EXPECT_THAT(names, IsSupersetOf({"张三", "李梅", "欧阳小雨"}));
              }
            }});
}

TEST_P(IdentityAuthzTest, CreatePerson) {
  RunAuthz(env(), {.name = "/persons",
                   .method = "POST",
                   .target = Fixed("/api/v1/persons"),
                   .body = [](DemoEnv&) -> json::value {
                     return json::object{{"name", "权限测试人"}, {"idNumber", NewIdNumber()}};
                   },
                   .outcomes = Only({"admin", "clerk", "agent"})});
}

TEST_P(IdentityAuthzTest, PersonDetail) {
  std::map<std::string, Outcome> outcomes =
      Only({"admin", "hr_admin", "clerk", "supervisor", "citizen"});
  outcomes["reviewer"] = kOutOfScope;  // 本部门 HN-CS-SCJGJ; 张三 was registered at HN-CS-XSPJ
  outcomes["agent"] = kOutOfScope;     // 仅本人: registered by someone else
  RunAuthz(env(), {.name = "/persons/{张三}?purpose",
                   .method = "GET",
                   .target =
                       [](DemoEnv& e) {
                         return Url("/api/v1/persons/" + e.PersonId("张三"),
                                    {{"purpose", "权限测试：核验申请人身份"}});
                       },
                   .outcomes = outcomes,
                   .check =
                       [](DemoEnv& e, const std::string&, const Response& r) {
                         EXPECT_EQ(Str(Obj(r), "idNumber"), e.PersonIdNumber("张三"));
                       }});
}

TEST_P(IdentityAuthzTest, CitizenReadsOnlTheirOwnPersonRecord) {
  const Session& citizen = env().As("citizen");
  const Snapshot before = Snap(env());
  // Their own record, without a purpose, and not recorded as an access by someone else.
  Response own = env().Call("GET", "/api/v1/persons/" + env().PersonId("张三"), nullptr, &citizen);
  ASSERT_STATUS(own, 200);
  EXPECT_EQ(Str(Obj(own), "idNumber"), env().PersonIdNumber("张三"));
  EXPECT_EQ(Snap(env()), before);
  // Someone else's: refused, with or without a purpose.
  for (const std::string& target :
       {"/api/v1/persons/" + env().PersonId("李梅"),
        Url("/api/v1/persons/" + env().PersonId("李梅"), {{"purpose", "想看看邻居"}})}) {
    SCOPED_TRACE(target);
    Response r = env().Call("GET", target, nullptr, &citizen);
    EXPECT_ERROR(r, 403, "PERMISSION_DENIED", "identity.permission_denied");
    EXPECT_THAT(r.body, Not(::testing::HasSubstr(env().PersonIdNumber("李梅"))));
  }
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(IdentityAuthzTest, ListEnterprises) {
  RunAuthz(env(),
           {.name = "/enterprises",
            .method = "GET",
            .target = Fixed("/api/v1/enterprises?pageSize=100"),
            .outcomes = Only({"admin", "hr_admin", "clerk", "reviewer", "supervisor", "agent"})});
}

TEST_P(IdentityAuthzTest, CreateEnterprise) {
  RunAuthz(env(), {.name = "/enterprises",
                   .method = "POST",
                   .target = Fixed("/api/v1/enterprises"),
                   .body = [](DemoEnv&) -> json::value {
                     return json::object{{"name", "权限测试有限公司"},
                                         {"uscc", NewUscc()},
                                         {"legalRepresentative", "权限测"},
                                         {"regionCode", "430104"}};
                   },
                   .outcomes = Only({"admin", "clerk", "agent"})});
}

TEST_P(IdentityAuthzTest, EnterpriseDetail) {
  std::map<std::string, Outcome> outcomes =
      Only({"admin", "hr_admin", "clerk", "supervisor", "enterprise"});
  outcomes["reviewer"] = kOutOfScope;
  outcomes["agent"] = kOutOfScope;
  RunAuthz(env(), {.name = "/enterprises/{湘江智造}?purpose",
                   .method = "GET",
                   .target =
                       [](DemoEnv& e) {
                         return Url(
                             "/api/v1/enterprises/" + e.EnterpriseId("湖南湘江智造科技有限公司"),
                             {{"purpose", "权限测试：核对企业登记信息"}});
                       },
                   .outcomes = outcomes});
  // An enterprise account reads only its own record.
  Response other =
      env().Call("GET",
                 Url("/api/v1/enterprises/" + env().EnterpriseId("永州市潇湘农业发展有限公司"),
                     {{"purpose", "同行了解"}}),
                 nullptr, &env().As("enterprise"));
  EXPECT_ERROR(other, 403, "PERMISSION_DENIED", "identity.permission_denied");
}

INSTANTIATE_ROUTES_TEST(IdentityAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
