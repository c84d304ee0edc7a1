// Identity (身份与权限): roles, permissions and data scopes, and the Principal every service
// call takes. Services call Require()/RequireInScope() before doing anything. Accounts,
// departments, parties and sessions are in the other identity headers.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/result.h"

namespace onestop::identity {

enum class Role {
  kPlatformAdmin,  // 平台管理员
  kDeptAdmin,      // 部门管理员
  kCounterClerk,   // 窗口人员
  kReviewer,       // 审批人员
  kSupervisor,     // 电子监察
  kAgent,          // 帮代办员
  kCitizen,        // 群众
  kEnterprise,     // 企业
};

// RuoYi-style data scopes: which departments' records a user may see.
enum class DataScope {
  kAll,           // 全部数据
  kCustom,        // 自定义部门
  kDept,          // 本部门
  kDeptAndBelow,  // 本部门及以下
  kSelf,          // 仅本人
};

enum class Permission {
  kManageDepartments,  // departments.manage
  kManageUsers,        // users.manage
  kManageCalendar,     // calendar.manage
  kReadParties,        // parties.read
  kWriteParties,       // parties.write
  kReadAudit,          // audit.read
  kVerifyAudit,        // audit.verify
  kConfirmLegacyUscc,  // uscc.confirm_legacy
  kSelfAccessLog,      // self.access_log: "谁查看了我的数据"
  kManageCatalog,      // catalog.manage: items, bundles, situations, halls
  kIntakeCases,        // cases.intake: register and accept any item or bundle (一窗受理)
  kReviewCases,        // cases.review: act on tasks in the department's queue
  kReadCases,          // cases.read: see cases within the data scope
  kApplyCases,         // cases.apply: apply for oneself (citizen / enterprise)
  kManageSeals,        // seals.manage: the department's electronic seals and their keys
  kIssueLicences,      // licences.issue: issue, import, suspend and revoke 电子证照
  kUseLicences,        // licences.use: retrieve a holder's licences under the holder's grant
  kReviewProofs,       // proofs.review: review and issue 证明 applied for online
  kSelfLicences,       // self.licences: 我的证照, grants, proofs and the identity QR code
};

enum class UserKind { kStaff, kCitizen, kEnterprise };

struct RoleInfo {
  Role role;
  std::string code;         // "platform_admin"
  std::string name;         // "平台管理员"
  std::string description;  // one line, Chinese
  UserKind kind;
  DataScope default_scope;
  std::vector<Permission> permissions;
};

const std::vector<RoleInfo>& AllRoles();
const RoleInfo& InfoOf(Role role);
Result<Role> ParseRole(std::string_view code);  // kInvalidArgument identity.bad_role
const char* PermissionCode(Permission p);
const char* PermissionName(Permission p);  // Chinese
const char* DataScopeCode(DataScope s);
const char* DataScopeName(DataScope s);
Result<DataScope> ParseDataScope(std::string_view code);  // kInvalidArgument identity.bad_scope
const char* UserKindCode(UserKind k);
Result<UserKind> ParseUserKind(std::string_view code);

// The signed-in user (or the system) on whose behalf a service call runs.
struct Principal {
  std::string user_id;
  std::string username;
  std::string display_name;
  UserKind kind = UserKind::kStaff;
  std::vector<Role> roles;
  std::optional<std::string> department_id;
  std::string department_name;
  DataScope data_scope = DataScope::kSelf;
  // Departments the scope covers, resolved at sign-in (empty for kAll and kSelf).
  std::set<std::string> scope_department_ids;
  std::optional<std::string> person_id;      // citizen accounts
  std::optional<std::string> enterprise_id;  // enterprise accounts
  std::set<Permission> permissions;          // union over roles
  std::string session_id;                    // "" for the system principal
  std::string csrf_token;                    // of the session; checked on state changes
  std::string request_id;                    // for audit entries

  bool Has(Permission p) const { return permissions.count(p) > 0; }
  bool HasRole(Role r) const;
  // True when the data scope covers records owned by `department_id`.
  bool CoversDepartment(std::string_view department_id) const;
  // The department ids to filter lists by, or nullopt when the scope is "all".
  // For kSelf this is an empty list (callers then filter by the user instead).
  std::optional<std::vector<std::string>> ScopeFilter() const;

  // The principal for the CLI and scheduled jobs: every permission, scope all.
  static Principal System();
  // True for the principal System() made (no real user has the id "system": user ids are ULIDs).
  bool IsSystem() const { return user_id == kSystemUserId && session_id.empty(); }
  static constexpr std::string_view kSystemUserId = "system";
};

// kPermissionDenied identity.permission_denied ("您没有“…”权限") unless `actor` has `p`.
Result<void> Require(const Principal& actor, Permission p);
// As Require, and the record's department must be within the actor's data scope
// (kPermissionDenied identity.out_of_scope).
Result<void> RequireInScope(const Principal& actor, Permission p,
                            std::optional<std::string_view> department_id);

// The audit actor for `p`.
audit::Actor ActorOf(const Principal& p);

}  // namespace onestop::identity
