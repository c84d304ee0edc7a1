#include "identity/principal.h"

#include <algorithm>

namespace onestop::identity {

const std::vector<RoleInfo>& AllRoles() {
  using P = Permission;
  static const std::vector<RoleInfo> roles = {
      {Role::kPlatformAdmin,
       "platform_admin",
       "平台管理员",
       "配置部门、用户、角色、工作日历，查看审计",
       UserKind::kStaff,
       DataScope::kAll,
       {P::kManageDepartments, P::kManageUsers, P::kManageCalendar, P::kReadParties,
        P::kWriteParties, P::kReadAudit, P::kVerifyAudit, P::kConfirmLegacyUscc, P::kManageCatalog,
        P::kReadCases, P::kManageSeals}},
      {Role::kDeptAdmin,
       "dept_admin",
       "部门管理员",
       "管理本部门及下级部门的机构与人员",
       UserKind::kStaff,
       DataScope::kDeptAndBelow,
       {P::kManageDepartments, P::kManageUsers, P::kReadParties, P::kManageCatalog, P::kReadCases,
        P::kManageSeals, P::kIssueLicences, P::kReviewProofs}},
      {Role::kCounterClerk,
       "counter_clerk",
       "窗口人员",
       "综合窗口受理，登记群众和企业",
       UserKind::kStaff,
       DataScope::kDept,
       {P::kReadParties, P::kWriteParties, P::kIntakeCases, P::kReadCases, P::kUseLicences}},
      {Role::kReviewer,
       "reviewer",
       "审批人员",
       "后台分类审批",
       UserKind::kStaff,
       DataScope::kDept,
       {P::kReadParties, P::kReviewCases, P::kReadCases, P::kIssueLicences, P::kUseLicences,
        P::kReviewProofs}},
      {Role::kSupervisor,
       "supervisor",
       "电子监察",
       "监督办件时限与数据访问，查看并校验审计日志",
       UserKind::kStaff,
       DataScope::kAll,
       {P::kReadAudit, P::kVerifyAudit, P::kReadParties, P::kReadCases}},
      {Role::kAgent,
       "agent",
       "帮代办员",
       "受群众委托帮办代办",
       UserKind::kStaff,
       DataScope::kSelf,
       {P::kReadParties, P::kWriteParties, P::kIntakeCases, P::kReadCases, P::kUseLicences}},
      {Role::kCitizen,
       "citizen",
       "群众",
       "个人办事，查看谁访问了本人数据",
       UserKind::kCitizen,
       DataScope::kSelf,
       {P::kSelfAccessLog, P::kApplyCases, P::kSelfLicences}},
      {Role::kEnterprise,
       "enterprise",
       "企业",
       "企业办事，查看谁访问了本企业数据",
       UserKind::kEnterprise,
       DataScope::kSelf,
       {P::kSelfAccessLog, P::kApplyCases, P::kSelfLicences}},
  };
  return roles;
}

const RoleInfo& InfoOf(Role role) {
  for (const RoleInfo& r : AllRoles()) {
    if (r.role == role) return r;
  }
  return AllRoles().front();  // unreachable: every Role is in the table
}

Result<Role> ParseRole(std::string_view code) {
  for (const RoleInfo& r : AllRoles()) {
    if (r.code == code) return r.role;
  }
  std::string known;
  for (const RoleInfo& r : AllRoles()) known += (known.empty() ? "" : "、") + r.code;
  return InvalidArgument("identity.bad_role",
                         "未知角色“" + std::string(code) + "”，可选：" + known);
}

const char* PermissionCode(Permission p) {
  switch (p) {
    case Permission::kManageDepartments:
      return "departments.manage";
    case Permission::kManageUsers:
      return "users.manage";
    case Permission::kManageCalendar:
      return "calendar.manage";
    case Permission::kReadParties:
      return "parties.read";
    case Permission::kWriteParties:
      return "parties.write";
    case Permission::kReadAudit:
      return "audit.read";
    case Permission::kVerifyAudit:
      return "audit.verify";
    case Permission::kConfirmLegacyUscc:
      return "uscc.confirm_legacy";
    case Permission::kSelfAccessLog:
      return "self.access_log";
    case Permission::kManageCatalog:
      return "catalog.manage";
    case Permission::kIntakeCases:
      return "cases.intake";
    case Permission::kReviewCases:
      return "cases.review";
    case Permission::kReadCases:
      return "cases.read";
    case Permission::kApplyCases:
      return "cases.apply";
    case Permission::kManageSeals:
      return "seals.manage";
    case Permission::kIssueLicences:
      return "licences.issue";
    case Permission::kUseLicences:
      return "licences.use";
    case Permission::kReviewProofs:
      return "proofs.review";
    case Permission::kSelfLicences:
      return "self.licences";
  }
  return "";
}

const char* PermissionName(Permission p) {
  switch (p) {
    case Permission::kManageDepartments:
      return "部门管理";
    case Permission::kManageUsers:
      return "用户管理";
    case Permission::kManageCalendar:
      return "工作日历管理";
    case Permission::kReadParties:
      return "查看群众与企业信息";
    case Permission::kWriteParties:
      return "登记群众与企业";
    case Permission::kReadAudit:
      return "查看审计日志";
    case Permission::kVerifyAudit:
      return "校验审计链";
    case Permission::kConfirmLegacyUscc:
      return "确认早期试点信用代码";
    case Permission::kSelfAccessLog:
      return "查看本人数据访问记录";
    case Permission::kManageCatalog:
      return "事项与一件事配置";
    case Permission::kIntakeCases:
      return "综合窗口受理";
    case Permission::kReviewCases:
      return "办件审批";
    case Permission::kReadCases:
      return "查看办件";
    case Permission::kApplyCases:
      return "网上申办";
    case Permission::kManageSeals:
      return "电子印章管理";
    case Permission::kIssueLicences:
      return "证照签发与状态管理";
    case Permission::kUseLicences:
      return "凭授权调取证照";
    case Permission::kReviewProofs:
      return "证明审核开具";
    case Permission::kSelfLicences:
      return "我的证照与证明";
  }
  return "";
}

const char* DataScopeCode(DataScope s) {
  switch (s) {
    case DataScope::kAll:
      return "all";
    case DataScope::kCustom:
      return "custom";
    case DataScope::kDept:
      return "dept";
    case DataScope::kDeptAndBelow:
      return "dept_and_below";
    case DataScope::kSelf:
      return "self";
  }
  return "";
}

const char* DataScopeName(DataScope s) {
  switch (s) {
    case DataScope::kAll:
      return "全部数据";
    case DataScope::kCustom:
      return "自定义部门";
    case DataScope::kDept:
      return "本部门";
    case DataScope::kDeptAndBelow:
      return "本部门及以下";
    case DataScope::kSelf:
      return "仅本人";
  }
  return "";
}

Result<DataScope> ParseDataScope(std::string_view code) {
  for (DataScope s : {DataScope::kAll, DataScope::kCustom, DataScope::kDept,
                      DataScope::kDeptAndBelow, DataScope::kSelf}) {
    if (code == DataScopeCode(s)) return s;
  }
  return InvalidArgument(
      "identity.bad_scope",
      "未知数据范围“" + std::string(code) + "”，可选：all、custom、dept、dept_and_below、self");
}

const char* UserKindCode(UserKind k) {
  switch (k) {
    case UserKind::kStaff:
      return "staff";
    case UserKind::kCitizen:
      return "citizen";
    case UserKind::kEnterprise:
      return "enterprise";
  }
  return "";
}

Result<UserKind> ParseUserKind(std::string_view code) {
  for (UserKind k : {UserKind::kStaff, UserKind::kCitizen, UserKind::kEnterprise}) {
    if (code == UserKindCode(k)) return k;
  }
  return InvalidArgument("identity.bad_kind", "未知账号类型“" + std::string(code) + "”");
}

bool Principal::HasRole(Role r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

bool Principal::CoversDepartment(std::string_view department_id) const {
  switch (data_scope) {
    case DataScope::kAll:
      return true;
    case DataScope::kSelf:
      return false;
    case DataScope::kCustom:
    case DataScope::kDept:
    case DataScope::kDeptAndBelow:
      return scope_department_ids.count(std::string(department_id)) > 0;
  }
  return false;
}

std::optional<std::vector<std::string>> Principal::ScopeFilter() const {
  if (data_scope == DataScope::kAll) return std::nullopt;
  return std::vector<std::string>(scope_department_ids.begin(), scope_department_ids.end());
}

Principal Principal::System() {
  Principal p;
  p.user_id = std::string(kSystemUserId);
  p.username = std::string(kSystemUserId);
  p.display_name = "系统";
  p.data_scope = DataScope::kAll;
  for (const RoleInfo& r : AllRoles()) {
    if (r.role == Role::kPlatformAdmin)
      p.permissions.insert(r.permissions.begin(), r.permissions.end());
  }
  p.roles = {Role::kPlatformAdmin};
  return p;
}

Result<void> Require(const Principal& actor, Permission p) {
  if (!actor.Has(p)) {
    return PermissionDenied("identity.permission_denied",
                            std::string("您没有“") + PermissionName(p) + "”权限");
  }
  return Ok();
}

Result<void> RequireInScope(const Principal& actor, Permission p,
                            std::optional<std::string_view> department_id) {
  RETURN_IF_ERROR(Require(actor, p));
  if (actor.data_scope == DataScope::kAll) return Ok();
  if (!department_id || !actor.CoversDepartment(*department_id)) {
    return PermissionDenied("identity.out_of_scope", "该数据不在您的数据权限范围内");
  }
  return Ok();
}

audit::Actor ActorOf(const Principal& p) {
  return audit::Actor{p.user_id, p.display_name, p.department_id, p.request_id};
}

}  // namespace onestop::identity
