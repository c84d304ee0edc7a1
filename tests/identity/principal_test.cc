// Roles, permissions and data scopes (no database).
#include "identity/principal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::IsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using P = Permission;

std::set<P> PermissionsOf(Role r) {
  const RoleInfo& info = InfoOf(r);
  return {info.permissions.begin(), info.permissions.end()};
}

Principal With(DataScope scope, std::set<std::string> departments, std::set<P> permissions) {
  Principal p;
  p.user_id = "u-1";
  p.display_name = "张三";
  p.department_id =
      departments.empty() ? std::nullopt : std::optional<std::string>(*departments.begin());
  p.data_scope = scope;
  p.scope_department_ids = std::move(departments);
  p.permissions = std::move(permissions);
  return p;
}

TEST(RoleTableTest, EveryRoleIsListedOnceWithItsCodeKindAndDefaultScope) {
  const std::vector<RoleInfo>& roles = AllRoles();
  ASSERT_EQ(roles.size(), 8u);
  std::set<std::string> codes;
  for (const RoleInfo& r : roles) {
    EXPECT_TRUE(codes.insert(r.code).second) << r.code;
    EXPECT_FALSE(r.name.empty());
    EXPECT_FALSE(r.description.empty());
    EXPECT_EQ(InfoOf(r.role).code, r.code);
    Result<Role> parsed = ParseRole(r.code);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, r.role);
  }
  struct Want {
    Role role;
    const char* code;
    UserKind kind;
    DataScope scope;
  };
  for (const Want& w :
       {Want{Role::kPlatformAdmin, "platform_admin", UserKind::kStaff, DataScope::kAll},
        Want{Role::kDeptAdmin, "dept_admin", UserKind::kStaff, DataScope::kDeptAndBelow},
        Want{Role::kCounterClerk, "counter_clerk", UserKind::kStaff, DataScope::kDept},
        Want{Role::kReviewer, "reviewer", UserKind::kStaff, DataScope::kDept},
        Want{Role::kSupervisor, "supervisor", UserKind::kStaff, DataScope::kAll},
        Want{Role::kAgent, "agent", UserKind::kStaff, DataScope::kSelf},
        Want{Role::kCitizen, "citizen", UserKind::kCitizen, DataScope::kSelf},
        Want{Role::kEnterprise, "enterprise", UserKind::kEnterprise, DataScope::kSelf}}) {
    SCOPED_TRACE(w.code);
    EXPECT_EQ(InfoOf(w.role).code, w.code);
    EXPECT_EQ(InfoOf(w.role).kind, w.kind);
    EXPECT_EQ(InfoOf(w.role).default_scope, w.scope);
  }
}

TEST(RoleTableTest, PermissionsPerRole) {
  EXPECT_EQ(
      PermissionsOf(Role::kPlatformAdmin),
      (std::set<P>{P::kManageDepartments, P::kManageUsers, P::kManageCalendar, P::kReadParties,
                   P::kWriteParties, P::kReadAudit, P::kVerifyAudit, P::kConfirmLegacyUscc,
                   P::kManageCatalog, P::kReadCases, P::kManageSeals}));
  EXPECT_EQ(PermissionsOf(Role::kDeptAdmin),
            (std::set<P>{P::kManageDepartments, P::kManageUsers, P::kReadParties, P::kManageCatalog,
                         P::kReadCases, P::kManageSeals, P::kIssueLicences, P::kReviewProofs}));
  EXPECT_EQ(PermissionsOf(Role::kCounterClerk),
            (std::set<P>{P::kReadParties, P::kWriteParties, P::kIntakeCases, P::kReadCases,
                         P::kUseLicences}));
  EXPECT_EQ(PermissionsOf(Role::kReviewer),
            (std::set<P>{P::kReadParties, P::kReviewCases, P::kReadCases, P::kIssueLicences,
                         P::kUseLicences, P::kReviewProofs}));
  EXPECT_EQ(PermissionsOf(Role::kSupervisor),
            (std::set<P>{P::kReadAudit, P::kVerifyAudit, P::kReadParties, P::kReadCases}));
  EXPECT_EQ(PermissionsOf(Role::kAgent),
            (std::set<P>{P::kReadParties, P::kWriteParties, P::kIntakeCases, P::kReadCases,
                         P::kUseLicences}));
  EXPECT_EQ(PermissionsOf(Role::kCitizen),
            (std::set<P>{P::kSelfAccessLog, P::kApplyCases, P::kSelfLicences}));
  EXPECT_EQ(PermissionsOf(Role::kEnterprise),
            (std::set<P>{P::kSelfAccessLog, P::kApplyCases, P::kSelfLicences}));
  // Only staff roles see other people's data; the self-service permission is not a staff one.
  for (const RoleInfo& r : AllRoles()) {
    bool staff = r.kind == UserKind::kStaff;
    EXPECT_EQ(PermissionsOf(r.role).count(P::kSelfAccessLog) > 0, !staff) << r.code;
    EXPECT_EQ(PermissionsOf(r.role).count(P::kReadParties) > 0, staff) << r.code;
  }
}

TEST(RoleTableTest, CodesAndNamesOfPermissionsScopesAndKinds) {
  EXPECT_STREQ(PermissionCode(P::kManageDepartments), "departments.manage");
  EXPECT_STREQ(PermissionCode(P::kManageUsers), "users.manage");
  EXPECT_STREQ(PermissionCode(P::kManageCalendar), "calendar.manage");
  EXPECT_STREQ(PermissionCode(P::kReadParties), "parties.read");
  EXPECT_STREQ(PermissionCode(P::kWriteParties), "parties.write");
  EXPECT_STREQ(PermissionCode(P::kReadAudit), "audit.read");
  EXPECT_STREQ(PermissionCode(P::kVerifyAudit), "audit.verify");
  EXPECT_STREQ(PermissionCode(P::kConfirmLegacyUscc), "uscc.confirm_legacy");
  EXPECT_STREQ(PermissionCode(P::kSelfAccessLog), "self.access_log");
  EXPECT_STREQ(PermissionCode(P::kManageCatalog), "catalog.manage");
  EXPECT_STREQ(PermissionCode(P::kIntakeCases), "cases.intake");
  EXPECT_STREQ(PermissionCode(P::kReviewCases), "cases.review");
  EXPECT_STREQ(PermissionCode(P::kReadCases), "cases.read");
  EXPECT_STREQ(PermissionCode(P::kApplyCases), "cases.apply");
  EXPECT_STREQ(PermissionName(P::kManageCalendar), "工作日历管理");
  for (DataScope s : {DataScope::kAll, DataScope::kCustom, DataScope::kDept,
                      DataScope::kDeptAndBelow, DataScope::kSelf}) {
    Result<DataScope> parsed = ParseDataScope(DataScopeCode(s));
    ASSERT_TRUE(parsed.has_value()) << DataScopeCode(s);
    EXPECT_EQ(*parsed, s);
    EXPECT_STRNE(DataScopeName(s), "");
  }
  for (UserKind k : {UserKind::kStaff, UserKind::kCitizen, UserKind::kEnterprise}) {
    Result<UserKind> parsed = ParseUserKind(UserKindCode(k));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, k);
  }
}

TEST(RoleTableTest, ParseRoleRejectsUnknownCodesAndListsTheKnownOnes) {
  for (const char* bad : {"", "admin", "Platform_Admin", "platform_admin ", "citizen,agent"}) {
    Result<Role> r = ParseRole(bad);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "identity.bad_role")) << bad;
    EXPECT_THAT(r.error().message, HasSubstr("platform_admin"));
    EXPECT_THAT(r.error().message, HasSubstr("enterprise"));
  }
}

TEST(RoleTableTest, ParseDataScopeAndUserKindRejectUnknownCodes) {
  for (const char* bad : {"", "ALL", "department", "dept-and-below"}) {
    EXPECT_TRUE(IsError(ParseDataScope(bad), ErrorCode::kInvalidArgument, "identity.bad_scope"))
        << bad;
  }
  EXPECT_TRUE(IsError(ParseUserKind("robot"), ErrorCode::kInvalidArgument, "identity.bad_kind"));
}

TEST(RequireTest, ChecksThePermissionOnly) {
  Principal p = With(DataScope::kSelf, {}, {P::kReadParties});
  EXPECT_TRUE(Require(p, P::kReadParties).has_value());
  Result<void> denied = Require(p, P::kManageUsers);
  ASSERT_TRUE(IsError(denied, ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_THAT(denied.error().message, HasSubstr("用户管理"));
  EXPECT_TRUE(IsError(Require(Principal{}, P::kSelfAccessLog), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST(RequireInScopeTest, ScopeAllCoversEverythingIncludingNoDepartment) {
  Principal p = With(DataScope::kAll, {}, {P::kReadParties});
  EXPECT_TRUE(RequireInScope(p, P::kReadParties, "d-any").has_value());
  EXPECT_TRUE(RequireInScope(p, P::kReadParties, std::nullopt).has_value());
  EXPECT_TRUE(p.CoversDepartment("d-any"));
}

TEST(RequireInScopeTest, ScopeDeptCoversOnlyTheResolvedDepartments) {
  for (DataScope scope : {DataScope::kDept, DataScope::kDeptAndBelow, DataScope::kCustom}) {
    SCOPED_TRACE(DataScopeCode(scope));
    Principal p = With(scope, {"d-1", "d-2"}, {P::kReadParties});
    EXPECT_TRUE(RequireInScope(p, P::kReadParties, "d-1").has_value());
    EXPECT_TRUE(RequireInScope(p, P::kReadParties, "d-2").has_value());
    EXPECT_TRUE(IsError(RequireInScope(p, P::kReadParties, "d-3"), ErrorCode::kPermissionDenied,
                        "identity.out_of_scope"));
    EXPECT_TRUE(IsError(RequireInScope(p, P::kReadParties, std::nullopt),
                        ErrorCode::kPermissionDenied, "identity.out_of_scope"));
    EXPECT_TRUE(IsError(RequireInScope(p, P::kReadParties, ""), ErrorCode::kPermissionDenied,
                        "identity.out_of_scope"));
  }
}

TEST(RequireInScopeTest, ScopeSelfCoversNoDepartment) {
  // kSelf records are matched by user, never by department.
  Principal p = With(DataScope::kSelf, {}, {P::kReadParties});
  p.department_id = "d-1";
  p.scope_department_ids = {"d-1"};  // even if something filled it in
  EXPECT_FALSE(p.CoversDepartment("d-1"));
  EXPECT_TRUE(IsError(RequireInScope(p, P::kReadParties, "d-1"), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
}

TEST(RequireInScopeTest, MissingPermissionWinsOverScope) {
  Principal p = With(DataScope::kAll, {}, {P::kReadParties});
  EXPECT_TRUE(IsError(RequireInScope(p, P::kManageUsers, "d-1"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  Principal narrow = With(DataScope::kDept, {"d-1"}, {});
  EXPECT_TRUE(IsError(RequireInScope(narrow, P::kManageUsers, "d-9"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST(ScopeFilterTest, PerScope) {
  EXPECT_EQ(With(DataScope::kAll, {"d-1"}, {}).ScopeFilter(), std::nullopt);
  std::optional<std::vector<std::string>> dept = With(DataScope::kDept, {"d-1"}, {}).ScopeFilter();
  ASSERT_TRUE(dept.has_value());
  EXPECT_THAT(*dept, ElementsAre("d-1"));
  std::optional<std::vector<std::string>> below =
      With(DataScope::kDeptAndBelow, {"d-2", "d-1", "d-3"}, {}).ScopeFilter();
  ASSERT_TRUE(below.has_value());
  EXPECT_THAT(*below, UnorderedElementsAre("d-1", "d-2", "d-3"));
  std::optional<std::vector<std::string>> custom =
      With(DataScope::kCustom, {"d-7"}, {}).ScopeFilter();
  ASSERT_TRUE(custom.has_value());
  EXPECT_THAT(*custom, ElementsAre("d-7"));
  // Self: an empty list (callers filter by user), never "everything".
  std::optional<std::vector<std::string>> self = With(DataScope::kSelf, {}, {}).ScopeFilter();
  ASSERT_TRUE(self.has_value());
  EXPECT_TRUE(self->empty());
  // A narrow scope that resolved to nothing is an empty filter, not "no filter".
  std::optional<std::vector<std::string>> empty = With(DataScope::kDept, {}, {}).ScopeFilter();
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(PrincipalTest, SystemHasEveryPlatformAdminPermissionAndScopeAll) {
  Principal s = Principal::System();
  EXPECT_EQ(s.user_id, "system");
  EXPECT_EQ(s.display_name, "系统");
  EXPECT_EQ(s.data_scope, DataScope::kAll);
  EXPECT_EQ(s.ScopeFilter(), std::nullopt);
  EXPECT_EQ(s.department_id, std::nullopt);
  EXPECT_TRUE(s.HasRole(Role::kPlatformAdmin));
  EXPECT_FALSE(s.HasRole(Role::kCitizen));
  EXPECT_EQ(s.permissions, PermissionsOf(Role::kPlatformAdmin));
  EXPECT_FALSE(s.Has(P::kSelfAccessLog));
  EXPECT_TRUE(RequireInScope(s, P::kManageCalendar, std::nullopt).has_value());
  EXPECT_EQ(s.session_id, "");
  EXPECT_TRUE(s.IsSystem());
  // A signed-in user is never the system, nor is an empty principal.
  Principal user = s;
  user.user_id = "01JD0000000000000000000000";
  user.session_id = "s1";
  EXPECT_FALSE(user.IsSystem());
  EXPECT_FALSE(Principal{}.IsSystem());
}

TEST(PrincipalTest, ActorOfCarriesIdNameDepartmentAndRequest) {
  Principal p = With(DataScope::kDept, {"d-1"}, {});
  p.request_id = "req-9";
  audit::Actor a = ActorOf(p);
  EXPECT_EQ(a.id, "u-1");
  EXPECT_EQ(a.name, "张三");
  EXPECT_EQ(a.department_id, "d-1");
  EXPECT_EQ(a.request_id, "req-9");
  audit::Actor sys = ActorOf(Principal::System());
  EXPECT_EQ(sys.id, "system");
  EXPECT_EQ(sys.department_id, std::nullopt);
}

}  // namespace
}  // namespace onestop::identity
