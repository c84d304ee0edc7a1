// UserService: accounts, their roles and data scopes, and the privilege rules for granting them.
#include "identity/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::FieldsOf;
using fixture::IsError;
using fixture::kPassword;
using fixture::ValidId;
using fixture::ValidUscc;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

UserQuery Query(std::string q, std::optional<std::string> department_id = std::nullopt,
                int offset = 0, int limit = 20) {
  UserQuery r;
  r.q = std::move(q);
  r.department_id = std::move(department_id);
  r.offset = offset;
  r.limit = limit;
  return r;
}

class UsersTest : public fixture::IdentityTest {
 protected:
  NewUser NewStaff(const std::string& username, std::vector<std::string> roles,
                   std::optional<std::string> department) {
    NewUser u;
    u.username = username;
    u.password = kPassword;
    u.display_name = "员工" + username;
    u.roles = std::move(roles);
    u.department_id = std::move(department);
    return u;
  }

  User MustGet(const std::string& id) {
    Result<User> u = svc_->users.Get(Principal::System(), id);
    EXPECT_TRUE(u.has_value()) << id;
    return u.has_value() ? *u : User{};
  }

  // An update that changes nothing.
  UserUpdate UpdateOf(const User& u) {
    UserUpdate up;
    up.id = u.id;
    up.display_name = u.display_name;
    for (Role r : u.roles) up.roles.push_back(InfoOf(r).code);
    up.department_id = u.department_id;
    up.data_scope = DataScopeCode(u.data_scope);
    up.custom_department_ids = u.custom_department_ids;
    up.status = u.active ? "active" : "disabled";
    up.version = u.version;
    return up;
  }

  std::string PasswordHashOf(const std::string& id) {
    return Column("identity_user", "password_hash", id);
  }

  std::string MustCreatePerson(const std::string& first17 = "43010219900307123") {
    Result<Person> p =
        svc_->parties.CreatePerson(Principal::System(), {"张三", ValidId(first17), ""});
    EXPECT_TRUE(p.has_value()) << p.error().message;
    return p.has_value() ? p->id : "";
  }

  std::string MustCreateEnterprise() {
    Result<Enterprise> e = svc_->parties.CreateEnterprise(
        Principal::System(),
        {"长沙某某科技有限公司", ValidUscc("91430100MA4L00001"), "李四", "430104", "软件", false});
    EXPECT_TRUE(e.has_value()) << e.error().message;
    return e.has_value() ? e->id : "";
  }

  std::string MustCreateCitizen(const std::string& username, const std::string& person_id) {
    NewUser u;
    u.username = username;
    u.password = kPassword;
    u.display_name = "群众" + username;
    u.roles = {"citizen"};
    u.person_id = person_id;
    Result<User> r = svc_->users.Create(Principal::System(), u);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? r->id : "";
  }

  Result<SessionGrant> Login(const std::string& username, const std::string& password = kPassword) {
    return svc_->auth.LoginWithPassword(username, password, {"10.0.0.1", "test", "req-login"});
  }

  std::int64_t SessionsOf(const std::string& user_id) {
    Result<store::Rows> rows = store::Read(db(), [&](store::Tx& tx) {
      return tx.Query("SELECT COUNT(*) FROM identity_session WHERE user_id = ?", {user_id});
    });
    return rows.has_value() ? rows->front().Int(0) : -1;
  }
};

// --- Create ---------------------------------------------------------------------------------

TEST_P(UsersTest, CreatesAStaffAccountWithTheRoleDefaultScope) {
  std::int64_t audits = AuditCount();
  Result<User> u =
      svc_->users.Create(Principal::System(), NewStaff("zhang.san", {"counter_clerk"}, yuelu_));
  ASSERT_TRUE(u.has_value()) << u.error().message;
  EXPECT_EQ(u->username, "zhang.san");
  EXPECT_EQ(u->display_name, "员工zhang.san");
  EXPECT_EQ(u->kind, UserKind::kStaff);
  EXPECT_EQ(u->department_id, yuelu_);
  EXPECT_EQ(u->department_name, "岳麓区政务服务中心");
  EXPECT_THAT(u->roles, ElementsAre(Role::kCounterClerk));
  EXPECT_EQ(u->data_scope, DataScope::kDept);
  EXPECT_TRUE(u->active);
  EXPECT_EQ(u->version, 1);
  EXPECT_EQ(u->created_at_ms, testutil::kTestNowMs);
  EXPECT_EQ(u->person_id, std::nullopt);
  // The password is stored hashed, and it is the one given.
  std::string hash = PasswordHashOf(u->id);
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  EXPECT_TRUE(hasher_.Verify(hash, kPassword));

  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.user.create");
  EXPECT_EQ(e.subject_type, "user");
  EXPECT_EQ(e.subject_id, u->id);
  EXPECT_EQ(boost::json::parse(e.details_json),
            boost::json::parse(
                R"({"username":"zhang.san","roles":["counter_clerk"],"dataScope":"dept"})"));
  EXPECT_EQ(e.details_json.find(kPassword), std::string::npos);
}

TEST_P(UsersTest, DeduplicatesRolesAndOrdersThemByTheRoleTable) {
  NewUser in = NewStaff("li_si", {"reviewer", "counter_clerk", "reviewer"}, yuelu_);
  in.username = "  li_si ";
  in.display_name = " 李四 ";
  Result<User> u = svc_->users.Create(Principal::System(), in);
  ASSERT_TRUE(u.has_value()) << u.error().message;
  EXPECT_EQ(u->username, "li_si");
  EXPECT_EQ(u->display_name, "李四");
  EXPECT_THAT(u->roles, ElementsAre(Role::kCounterClerk, Role::kReviewer));
  EXPECT_THAT(MustGet(u->id).roles, ElementsAre(Role::kCounterClerk, Role::kReviewer));
  EXPECT_EQ(t_->Count("identity_user_role"), 2);
}

TEST_P(UsersTest, CreatesAStaffAccountWithACustomScope) {
  NewUser in = NewStaff("wang-wu", {"reviewer"}, changsha_);
  in.data_scope = "custom";
  in.custom_department_ids = {yongzhou_, yuelu_, yongzhou_};
  Result<User> u = svc_->users.Create(Principal::System(), in);
  ASSERT_TRUE(u.has_value()) << u.error().message;
  EXPECT_EQ(u->data_scope, DataScope::kCustom);
  EXPECT_THAT(u->custom_department_ids, UnorderedElementsAre(yongzhou_, yuelu_));
  Principal p = PrincipalOf(u->id);
  EXPECT_EQ(p.scope_department_ids, (std::set<std::string>{yongzhou_, yuelu_}));
}

TEST_P(UsersTest, CreatesCitizenAndEnterpriseAccountsLinkedToTheirParty) {
  std::string person = MustCreatePerson();
  NewUser c;
  c.username = "citizen01";
  c.password = kPassword;
  c.display_name = "张三";
  c.roles = {"citizen"};
  c.data_scope = "all";  // ignored: citizens see only their own data
  c.person_id = person;
  c.enterprise_id = "ignored";
  Result<User> citizen = svc_->users.Create(Principal::System(), c);
  ASSERT_TRUE(citizen.has_value()) << citizen.error().message;
  EXPECT_EQ(citizen->kind, UserKind::kCitizen);
  EXPECT_EQ(citizen->data_scope, DataScope::kSelf);
  EXPECT_EQ(citizen->department_id, std::nullopt);
  EXPECT_EQ(citizen->person_id, person);
  EXPECT_EQ(citizen->enterprise_id, std::nullopt);
  EXPECT_THAT(citizen->roles, ElementsAre(Role::kCitizen));

  std::string enterprise = MustCreateEnterprise();
  NewUser e;
  e.username = "enterprise01";
  e.password = kPassword;
  e.display_name = "长沙某某科技有限公司";
  e.roles = {"enterprise"};
  e.enterprise_id = enterprise;
  Result<User> ent = svc_->users.Create(Principal::System(), e);
  ASSERT_TRUE(ent.has_value()) << ent.error().message;
  EXPECT_EQ(ent->kind, UserKind::kEnterprise);
  EXPECT_EQ(ent->enterprise_id, enterprise);
  EXPECT_EQ(ent->person_id, std::nullopt);
  Principal p = PrincipalOf(ent->id);
  EXPECT_EQ(p.enterprise_id, enterprise);
  EXPECT_TRUE(p.Has(Permission::kSelfAccessLog));
  EXPECT_FALSE(p.Has(Permission::kReadParties));
}

TEST_P(UsersTest, RefusesBadUsernames) {
  auto before = Counts();
  const std::vector<std::string> bad = {
      "ab", std::string(33, 'a'), "zhang san", "张三丰", "a/b", "x@y.z", ""};
  for (const std::string& name : bad) {
    SCOPED_TRACE(name);
    NewUser in = NewStaff(name, {"reviewer"}, yuelu_);
    ExpectRefused(svc_->users.Create(Principal::System(), in), ErrorCode::kInvalidArgument,
                  "identity.invalid_user", before, "username");
  }
}

TEST_P(UsersTest, RefusesBadDisplayNames) {
  auto before = Counts();
  for (const std::string& name : {std::string(""), std::string("  "), std::string(33, 'x')}) {
    NewUser in = NewStaff("zhao_liu", {"reviewer"}, yuelu_);
    in.display_name = name;
    Result<User> r = svc_->users.Create(Principal::System(), in);
    ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_user", before, "displayName");
    EXPECT_THAT(FieldsOf(r.error()), ElementsAre("displayName"));
  }
  NewUser ok = NewStaff("zhao_liu", {"reviewer"}, yuelu_);
  ok.display_name = std::string(32, 'x');
  EXPECT_TRUE(svc_->users.Create(Principal::System(), ok).has_value());
}

TEST_P(UsersTest, RefusesWeakPasswords) {
  auto before = Counts();
  for (const std::string& pw : {std::string("short1A"), std::string("alllowercase"),
                                std::string("zhao_liu#A1"), std::string(65, 'a') + "A1"}) {
    SCOPED_TRACE(pw);
    NewUser in = NewStaff("zhao_liu", {"reviewer"}, yuelu_);
    in.password = pw;
    Result<User> r = svc_->users.Create(Principal::System(), in);
    ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.weak_password", before, "password");
    EXPECT_THAT(FieldsOf(r.error()), ElementsAre("password"));
  }
  // With a username problem first, the overall reason is the generic one; both fields listed.
  NewUser both = NewStaff("a b", {"reviewer"}, yuelu_);
  both.password = "weak";
  Result<User> r = svc_->users.Create(Principal::System(), both);
  ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_user", before);
  EXPECT_THAT(FieldsOf(r.error()), ElementsAre("username", "password"));
}

TEST_P(UsersTest, RefusesBadRoleAssignments) {
  auto before = Counts();
  ExpectRefused(svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {}, yuelu_)),
                ErrorCode::kInvalidArgument, "identity.invalid_user", before, "roles");
  ExpectRefused(svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {"root"}, yuelu_)),
                ErrorCode::kInvalidArgument, "identity.bad_role", before, "roles");
  ExpectRefused(svc_->users.Create(Principal::System(),
                                   NewStaff("zhao_liu", {"reviewer", "citizen"}, yuelu_)),
                ErrorCode::kInvalidArgument, "identity.mixed_roles", before, "roles");
  ExpectRefused(
      svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {"citizen", "enterprise"}, {})),
      ErrorCode::kInvalidArgument, "identity.mixed_roles", before, "roles");
  ExpectRefused(svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {"reviewer"}, {})),
                ErrorCode::kInvalidArgument, "identity.department_required", before,
                "departmentId");
  ExpectRefused(svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {"reviewer"}, "")),
                ErrorCode::kInvalidArgument, "identity.department_required", before,
                "departmentId");
  ExpectRefused(svc_->users.Create(Principal::System(), NewStaff("zhao_liu", {"reviewer"}, "nope")),
                ErrorCode::kInvalidArgument, "identity.department_not_found", before,
                "departmentId");
  NewUser bad_scope = NewStaff("zhao_liu", {"reviewer"}, yuelu_);
  bad_scope.data_scope = "everything";
  ExpectRefused(svc_->users.Create(Principal::System(), bad_scope), ErrorCode::kInvalidArgument,
                "identity.bad_scope", before, "dataScope");
  NewUser custom = NewStaff("zhao_liu", {"reviewer"}, yuelu_);
  custom.data_scope = "custom";
  ExpectRefused(svc_->users.Create(Principal::System(), custom), ErrorCode::kInvalidArgument,
                "identity.custom_scope_empty", before, "customDepartmentIds");
  custom.custom_department_ids = {yuelu_, "nope"};
  ExpectRefused(svc_->users.Create(Principal::System(), custom), ErrorCode::kInvalidArgument,
                "identity.department_not_found", before, "customDepartmentIds");
}

TEST_P(UsersTest, RefusesCitizenAndEnterpriseAccountsWithoutTheirParty) {
  auto before = Counts();
  NewUser c = NewStaff("citizen01", {"citizen"}, {});
  ExpectRefused(svc_->users.Create(Principal::System(), c), ErrorCode::kInvalidArgument,
                "identity.person_required", before, "personId");
  NewUser e = NewStaff("enterprise01", {"enterprise"}, {});
  e.person_id = "a-person";  // the wrong kind of party
  ExpectRefused(svc_->users.Create(Principal::System(), e), ErrorCode::kInvalidArgument,
                "identity.enterprise_required", before, "enterpriseId");
  NewUser with_dept = NewStaff("citizen01", {"citizen"}, yuelu_);
  with_dept.person_id = "p";
  ExpectRefused(svc_->users.Create(Principal::System(), with_dept), ErrorCode::kInvalidArgument,
                "identity.department_not_allowed", before, "departmentId");
}

TEST_P(UsersTest, RefusesATakenUsername) {
  MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  auto before = Counts();
  NewUser again = NewStaff(" zhao_liu ", {"counter_clerk"}, changsha_);
  Result<User> r = svc_->users.Create(Principal::System(), again);
  ExpectRefused(r, ErrorCode::kAlreadyExists, "identity.username_taken", before, "username");
}

TEST_P(UsersTest, RequiresUsersManage) {
  Principal clerk = Staff("clerk", {"counter_clerk"}, yuelu_);
  auto before = Counts();
  ExpectRefused(svc_->users.Create(clerk, NewStaff("zhao_liu", {"reviewer"}, yuelu_)),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);
  ExpectRefused(svc_->users.List(clerk, {}), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
  ExpectRefused(svc_->users.Get(clerk, clerk.user_id), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
  ExpectRefused(svc_->users.ResetPassword(clerk, clerk.user_id, "Abcdefg1!x"),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);
}

// --- Privilege: what a department administrator may grant ------------------------------------

class UserPrivilegeTest : public UsersTest {
 protected:
  void SetUp() override {
    UsersTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    admin_ = Staff("cs_admin", {"dept_admin"}, changsha_);
  }
  Principal admin_;
};

TEST_P(UserPrivilegeTest, DeptAdminCreatesAccountsWithinItsRightsAndSubtree) {
  Result<User> reviewer = svc_->users.Create(admin_, NewStaff("yl_reviewer", {"reviewer"}, yuelu_));
  ASSERT_TRUE(reviewer.has_value()) << reviewer.error().message;
  EXPECT_EQ(reviewer->data_scope, DataScope::kDept);
  Result<User> sub_admin = svc_->users.Create(admin_, NewStaff("yl_admin", {"dept_admin"}, yuelu_));
  ASSERT_TRUE(sub_admin.has_value()) << sub_admin.error().message;
  EXPECT_EQ(sub_admin->data_scope, DataScope::kDeptAndBelow);
  NewUser custom = NewStaff("cs_custom", {"reviewer"}, changsha_);
  custom.data_scope = "custom";
  custom.custom_department_ids = {yuelu_};
  ASSERT_TRUE(svc_->users.Create(admin_, custom).has_value());
  EXPECT_EQ(LastAudit().actor_id, admin_.user_id);
}

TEST_P(UserPrivilegeTest, DeptAdminCannotGrantRolesWithPermissionsItLacks) {
  auto before = Counts();
  for (const char* role : {"platform_admin", "supervisor"}) {
    SCOPED_TRACE(role);
    Result<User> r = svc_->users.Create(admin_, NewStaff("yl_x", {role}, yuelu_));
    ExpectRefused(r, ErrorCode::kPermissionDenied, "identity.role_escalation", before);
  }
  ExpectRefused(
      svc_->users.Create(admin_, NewStaff("yl_x", {"reviewer", "platform_admin"}, yuelu_)),
      ErrorCode::kPermissionDenied, "identity.role_escalation", before);
}

TEST_P(UserPrivilegeTest, DeptAdminCannotGrantAWiderScope) {
  auto before = Counts();
  NewUser all = NewStaff("yl_x", {"reviewer"}, yuelu_);
  all.data_scope = "all";
  ExpectRefused(svc_->users.Create(admin_, all), ErrorCode::kPermissionDenied,
                "identity.role_escalation", before);
  NewUser custom = NewStaff("yl_x", {"reviewer"}, yuelu_);
  custom.data_scope = "custom";
  custom.custom_department_ids = {yuelu_, yongzhou_};
  ExpectRefused(svc_->users.Create(admin_, custom), ErrorCode::kPermissionDenied,
                "identity.role_escalation", before);

  // An administrator limited to its own department may not hand out "and below".
  Principal dept_only = Staff("cs_admin2", {"dept_admin"}, changsha_, "dept");
  ASSERT_EQ(dept_only.data_scope, DataScope::kDept);
  before = Counts();
  NewUser below = NewStaff("cs_x", {"reviewer"}, changsha_);
  below.data_scope = "dept_and_below";
  ExpectRefused(svc_->users.Create(dept_only, below), ErrorCode::kPermissionDenied,
                "identity.role_escalation", before);
  // …nor create accounts in a child department it does not cover.
  ExpectRefused(svc_->users.Create(dept_only, NewStaff("yl_x", {"reviewer"}, yuelu_)),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
}

TEST_P(UserPrivilegeTest, DeptAdminCannotCreateAccountsOutsideItsSubtree) {
  auto before = Counts();
  ExpectRefused(svc_->users.Create(admin_, NewStaff("yz_x", {"reviewer"}, yongzhou_)),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  ExpectRefused(svc_->users.Create(admin_, NewStaff("hn_x", {"reviewer"}, hunan_)),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
}

// --- List and Get ----------------------------------------------------------------------------

class UserListTest : public UsersTest {
 protected:
  void SetUp() override {
    UsersTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    hn_ = MustCreateStaff("hn_staff", {"reviewer"}, hunan_);
    clock().Advance(1);
    cs_admin_ = MustCreateStaff("cs_admin", {"dept_admin"}, changsha_);
    clock().Advance(1);
    cs_ = MustCreateStaff("cs_clerk", {"counter_clerk"}, changsha_);
    clock().Advance(1);
    yl_ = MustCreateStaff("yl_clerk", {"counter_clerk"}, yuelu_);
    clock().Advance(1);
    yz_ = MustCreateStaff("yz_clerk", {"counter_clerk"}, yongzhou_);
    clock().Advance(1);
    citizen_ = MustCreateCitizen("citizen01", MustCreatePerson());
  }

  std::vector<std::string> Ids(const UserPage& p) {
    std::vector<std::string> out;
    for (const User& u : p.items) out.push_back(u.id);
    return out;
  }

  std::string hn_, cs_admin_, cs_, yl_, yz_, citizen_;
};

TEST_P(UserListTest, DeptAdminSeesOnlyItsSubtree) {
  Principal admin = PrincipalOf(cs_admin_);
  Result<UserPage> page = svc_->users.List(admin, {});
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->total, 3);
  EXPECT_THAT(Ids(*page), ElementsAre(cs_admin_, cs_, yl_));  // creation order
  // Roles come with the page.
  EXPECT_THAT(page->items[0].roles, ElementsAre(Role::kDeptAdmin));
  EXPECT_EQ(page->items[2].department_name, "岳麓区政务服务中心");

  Principal yl_admin = Staff("yl_admin", {"dept_admin"}, yuelu_);
  Result<UserPage> yl_page = svc_->users.List(yl_admin, {});
  ASSERT_TRUE(yl_page.has_value());
  EXPECT_THAT(Ids(*yl_page), ElementsAre(yl_, yl_admin.user_id));
}

TEST_P(UserListTest, PlatformAdminSeesEveryoneIncludingCitizens) {
  Principal platform = Staff("platform", {"platform_admin"}, hunan_);
  Result<UserPage> page = svc_->users.List(platform, Query("", std::nullopt, 0, 100));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 7);
  EXPECT_THAT(Ids(*page), Contains(citizen_));
}

TEST_P(UserListTest, SelfScopeSeesOnlyItself) {
  Principal self = Staff("self_admin", {"dept_admin"}, changsha_, "self");
  Result<UserPage> page = svc_->users.List(self, {});
  ASSERT_TRUE(page.has_value());
  EXPECT_THAT(Ids(*page), ElementsAre(self.user_id));
}

TEST_P(UserListTest, SearchesUsernameAndDisplayNameAndFiltersByDepartment) {
  Principal platform = Principal::System();
  Result<UserPage> clerks = svc_->users.List(platform, Query(" clerk "));
  ASSERT_TRUE(clerks.has_value());
  EXPECT_THAT(Ids(*clerks), ElementsAre(cs_, yl_, yz_));
  Result<UserPage> by_display = svc_->users.List(platform, Query("群众"));
  ASSERT_TRUE(by_display.has_value());
  EXPECT_THAT(Ids(*by_display), ElementsAre(citizen_));
  Result<UserPage> in_dept = svc_->users.List(platform, Query("", changsha_));
  ASSERT_TRUE(in_dept.has_value());
  EXPECT_THAT(Ids(*in_dept), ElementsAre(cs_admin_, cs_));
  // A search within a dept admin's scope does not leak other departments.
  Result<UserPage> scoped = svc_->users.List(PrincipalOf(cs_admin_), Query("clerk"));
  ASSERT_TRUE(scoped.has_value());
  EXPECT_THAT(Ids(*scoped), ElementsAre(cs_, yl_));
  Result<UserPage> other_dept = svc_->users.List(PrincipalOf(cs_admin_), Query("", yongzhou_));
  ASSERT_TRUE(other_dept.has_value());
  EXPECT_EQ(other_dept->total, 0);
}

TEST_P(UserListTest, PagesWithTheFullTotal) {
  Result<UserPage> page = svc_->users.List(Principal::System(), Query("", std::nullopt, 1, 2));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 6);
  EXPECT_THAT(Ids(*page), ElementsAre(cs_admin_, cs_));
}

TEST_P(UserListTest, GetRespectsTheScope) {
  Principal admin = PrincipalOf(cs_admin_);
  Result<User> yl = svc_->users.Get(admin, yl_);
  ASSERT_TRUE(yl.has_value());
  EXPECT_EQ(yl->username, "yl_clerk");
  EXPECT_TRUE(
      IsError(svc_->users.Get(admin, yz_), ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(svc_->users.Get(admin, citizen_), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_TRUE(
      IsError(svc_->users.Get(admin, "missing"), ErrorCode::kNotFound, "identity.user_not_found"));
  EXPECT_TRUE(svc_->users.Get(Principal::System(), citizen_).has_value());
}

// --- Update ---------------------------------------------------------------------------------

TEST_P(UsersTest, UpdateChangesRolesScopeAndNameAndIsAudited) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  User before = MustGet(id);
  UserUpdate up = UpdateOf(before);
  up.display_name = "赵六";
  up.roles = {"reviewer", "counter_clerk"};
  up.department_id = changsha_;
  up.data_scope = "dept_and_below";
  std::int64_t audits = AuditCount();
  Result<User> r = svc_->users.Update(Principal::System(), up);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->display_name, "赵六");
  EXPECT_THAT(r->roles, ElementsAre(Role::kCounterClerk, Role::kReviewer));
  EXPECT_EQ(r->department_id, changsha_);
  EXPECT_EQ(r->data_scope, DataScope::kDeptAndBelow);
  EXPECT_EQ(r->version, before.version + 1);
  EXPECT_EQ(t_->Count("identity_user_role"), 2);  // the only account
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.user.update");
  EXPECT_EQ(e.subject_id, id);
  EXPECT_EQ(boost::json::parse(e.details_json),
            boost::json::parse(R"({"roles":["counter_clerk","reviewer"],)"
                               R"("dataScope":"dept_and_below","status":"active"})"));
  // The new scope takes effect at the next sign-in.
  EXPECT_EQ(PrincipalOf(id).scope_department_ids, (std::set<std::string>{changsha_, yuelu_}));
}

TEST_P(UsersTest, DisablingAnAccountEndsItsSessionsAndBlocksSignIn) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  Result<SessionGrant> g1 = Login("zhao_liu");
  Result<SessionGrant> g2 = Login("zhao_liu");
  ASSERT_TRUE(g1.has_value()) << g1.error().message;
  ASSERT_TRUE(g2.has_value());
  MustCreateStaff("other", {"reviewer"}, yuelu_);
  ASSERT_TRUE(Login("other").has_value());
  ASSERT_EQ(SessionsOf(id), 2);

  UserUpdate up = UpdateOf(MustGet(id));
  up.status = "disabled";
  Result<User> r = svc_->users.Update(Principal::System(), up);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->active);
  EXPECT_EQ(SessionsOf(id), 0);
  EXPECT_EQ(t_->Count("identity_session"), 1);  // the other user's session stays
  svc_->auth.ClearCache();
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g1->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  EXPECT_TRUE(IsError(Login("zhao_liu"), ErrorCode::kPermissionDenied, "identity.disabled"));

  // Re-enabling lets the user back in.
  up = UpdateOf(MustGet(id));
  up.status = "active";
  ASSERT_TRUE(svc_->users.Update(Principal::System(), up).has_value());
  EXPECT_TRUE(Login("zhao_liu").has_value());
}

TEST_P(UsersTest, CannotDisableOneself) {
  Principal platform = Staff("platform", {"platform_admin"}, hunan_);
  ASSERT_TRUE(Login("platform").has_value());
  User me = MustGet(platform.user_id);
  UserUpdate up = UpdateOf(me);
  up.status = "disabled";
  auto before = Counts();
  ExpectRefused(svc_->users.Update(platform, up), ErrorCode::kFailedPrecondition,
                "identity.cannot_disable_self", before);
  User after = MustGet(platform.user_id);
  EXPECT_TRUE(after.active);
  EXPECT_EQ(after.version, me.version);
}

TEST_P(UsersTest, UpdateWithAStaleVersionIsAVersionConflict) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  User v1 = MustGet(id);
  UserUpdate first = UpdateOf(v1);
  first.display_name = "第一次";
  ASSERT_TRUE(svc_->users.Update(Principal::System(), first).has_value());
  UserUpdate stale = UpdateOf(v1);
  stale.display_name = "第二次";
  stale.roles = {"counter_clerk"};
  stale.status = "disabled";
  auto before = Counts();
  ExpectRefused(svc_->users.Update(Principal::System(), stale), ErrorCode::kAborted,
                "store.version_conflict", before);
  User after = MustGet(id);
  EXPECT_EQ(after.display_name, "第一次");
  EXPECT_THAT(after.roles, ElementsAre(Role::kReviewer));
  EXPECT_TRUE(after.active);
  EXPECT_EQ(after.version, v1.version + 1);
}

TEST_P(UsersTest, UpdateRefusesBadInput) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  User u = MustGet(id);
  auto before = Counts();
  UserUpdate status = UpdateOf(u);
  status.status = "locked";
  ExpectRefused(svc_->users.Update(Principal::System(), status), ErrorCode::kInvalidArgument,
                "identity.invalid_user", before, "status");
  UserUpdate name = UpdateOf(u);
  name.display_name = "";
  ExpectRefused(svc_->users.Update(Principal::System(), name), ErrorCode::kInvalidArgument,
                "identity.invalid_user", before, "displayName");
  UserUpdate no_roles = UpdateOf(u);
  no_roles.roles.clear();
  ExpectRefused(svc_->users.Update(Principal::System(), no_roles), ErrorCode::kInvalidArgument,
                "identity.invalid_user", before, "roles");
  UserUpdate kind = UpdateOf(u);
  kind.roles = {"citizen"};
  kind.department_id.reset();
  ExpectRefused(svc_->users.Update(Principal::System(), kind), ErrorCode::kInvalidArgument,
                "identity.kind_change", before, "roles");
  UserUpdate missing = UpdateOf(u);
  missing.id = "missing";
  ExpectRefused(svc_->users.Update(Principal::System(), missing), ErrorCode::kNotFound,
                "identity.user_not_found", before);
  EXPECT_EQ(MustGet(id).version, u.version);
}

TEST_P(UserPrivilegeTest, UpdateKeepsTheGrantRulesAndTheScope) {
  std::string yl = MustCreateStaff("yl_reviewer", {"reviewer"}, yuelu_);
  std::string yz = MustCreateStaff("yz_reviewer", {"reviewer"}, yongzhou_);
  auto before = Counts();
  UserUpdate promote = UpdateOf(MustGet(yl));
  promote.roles = {"reviewer", "platform_admin"};
  ExpectRefused(svc_->users.Update(admin_, promote), ErrorCode::kPermissionDenied,
                "identity.role_escalation", before);
  UserUpdate widen = UpdateOf(MustGet(yl));
  widen.data_scope = "all";
  ExpectRefused(svc_->users.Update(admin_, widen), ErrorCode::kPermissionDenied,
                "identity.role_escalation", before);
  UserUpdate move_out = UpdateOf(MustGet(yl));
  move_out.department_id = yongzhou_;
  ExpectRefused(svc_->users.Update(admin_, move_out), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  UserUpdate other = UpdateOf(MustGet(yz));
  other.display_name = "改名";
  ExpectRefused(svc_->users.Update(admin_, other), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  EXPECT_THAT(MustGet(yl).roles, ElementsAre(Role::kReviewer));

  UserUpdate ok = UpdateOf(MustGet(yl));
  ok.display_name = "岳麓审批员";
  ASSERT_TRUE(svc_->users.Update(admin_, ok).has_value());
}

TEST_P(UserPrivilegeTest, DeptAdminCannotChangeCitizenAccountsItCannotSee) {
  std::string citizen = MustCreateCitizen("citizen01", MustCreatePerson());
  ASSERT_TRUE(IsError(svc_->users.Get(admin_, citizen), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  std::string hash = PasswordHashOf(citizen);
  auto before = Counts();
  UserUpdate disable = UpdateOf(MustGet(citizen));
  disable.status = "disabled";
  ExpectRefused(svc_->users.Update(admin_, disable), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  ExpectRefused(svc_->users.ResetPassword(admin_, citizen, "Taken0ver!"),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  EXPECT_EQ(PasswordHashOf(citizen), hash);
  EXPECT_TRUE(MustGet(citizen).active);
  // A platform administrator may.
  Principal platform = Staff("platform", {"platform_admin"}, hunan_);
  EXPECT_TRUE(svc_->users.ResetPassword(platform, citizen, "Rec0vered!").has_value());
}

// --- ResetPassword ---------------------------------------------------------------------------

TEST_P(UsersTest, ResetPasswordEndsSessionsAndClearsTheLock) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  Result<SessionGrant> g = Login("zhao_liu");
  ASSERT_TRUE(g.has_value());
  // Lock the account with five wrong passwords.
  for (int i = 0; i < 5; ++i) (void)Login("zhao_liu", "Wrong-pass1");
  ASSERT_TRUE(IsError(Login("zhao_liu"), ErrorCode::kResourceExhausted, "identity.locked"));
  ASSERT_NE(Column("identity_user", "locked_until_ms", id), "");
  std::int64_t version = MustGet(id).version;

  std::int64_t audits = AuditCount();
  ASSERT_TRUE(svc_->users.ResetPassword(Principal::System(), id, "N3w-Secret").has_value());
  EXPECT_EQ(SessionsOf(id), 0);
  EXPECT_EQ(Column("identity_user", "locked_until_ms", id), "");
  EXPECT_EQ(Column("identity_user", "failed_logins", id), "0");
  EXPECT_EQ(MustGet(id).version, version + 1);
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.user.password_reset");
  EXPECT_EQ(e.subject_id, id);
  EXPECT_EQ(e.details_json.find("N3w-Secret"), std::string::npos);
  svc_->auth.ClearCache();
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  // Without waiting for the lock-out to pass, the new password works and the old one does not.
  EXPECT_TRUE(IsError(Login("zhao_liu"), ErrorCode::kUnauthenticated, "identity.bad_credentials"));
  EXPECT_TRUE(Login("zhao_liu", "N3w-Secret").has_value());
}

TEST_P(UsersTest, ResetPasswordChecksThePolicyAndChangesNothingWhenRefused) {
  std::string id = MustCreateStaff("zhao_liu", {"reviewer"}, yuelu_);
  ASSERT_TRUE(Login("zhao_liu").has_value());
  std::string hash = PasswordHashOf(id);
  auto before = Counts();
  for (const char* weak : {"short1!", "onlylowercase", "Zhao_liu1!zhao_liu"}) {
    SCOPED_TRACE(weak);
    Result<void> r = svc_->users.ResetPassword(Principal::System(), id, weak);
    ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.weak_password", before, "password");
  }
  EXPECT_EQ(PasswordHashOf(id), hash);
  EXPECT_EQ(SessionsOf(id), 1);
  ExpectRefused(svc_->users.ResetPassword(Principal::System(), "missing", "N3w-Secret"),
                ErrorCode::kNotFound, "identity.user_not_found", before);
}

TEST_P(UserPrivilegeTest, ResetPasswordRespectsTheScope) {
  std::string yz = MustCreateStaff("yz_reviewer", {"reviewer"}, yongzhou_);
  std::string hash = PasswordHashOf(yz);
  auto before = Counts();
  ExpectRefused(svc_->users.ResetPassword(admin_, yz, "N3w-Secret"), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  EXPECT_EQ(PasswordHashOf(yz), hash);
  std::string yl = MustCreateStaff("yl_reviewer", {"reviewer"}, yuelu_);
  EXPECT_TRUE(svc_->users.ResetPassword(admin_, yl, "N3w-Secret").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, UsersTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, UserPrivilegeTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, UserListTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);

}  // namespace
}  // namespace onestop::identity
