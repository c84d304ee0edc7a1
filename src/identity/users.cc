#include "identity/users.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "core/ids.h"
#include "identity/departments.h"
#include "identity/internal/validate.h"

namespace onestop::identity {
namespace {

constexpr const char* kSelect =
    "SELECT u.id, u.username, u.display_name, u.kind, u.department_id, d.name, u.data_scope, "
    "u.status, u.locked_until_ms, u.person_id, u.enterprise_id, u.created_at_ms, u.version "
    "FROM identity_user u LEFT JOIN identity_department d ON d.id = u.department_id";

User FromRow(const store::Row& r) {
  User u;
  u.id = r.Text(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.kind = ParseUserKind(r.Text(3)).value_or(UserKind::kStaff);
  u.department_id = r.OptText(4);
  u.department_name = r.Text(5);
  u.data_scope = ParseDataScope(r.Text(6)).value_or(DataScope::kSelf);
  u.active = r.Text(7) == "active";
  u.locked_until_ms = r.OptInt(8);
  u.person_id = r.OptText(9);
  u.enterprise_id = r.OptText(10);
  u.created_at_ms = r.Int(11);
  u.version = r.Int(12);
  return u;
}

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

// Fills roles and custom scope departments for `users` with two queries.
Result<void> LoadRelations(store::Tx& tx, std::vector<User>& users) {
  if (users.empty()) return Ok();
  std::vector<store::Value> ids;
  std::map<std::string, User*> by_id;
  for (User& u : users) {
    ids.emplace_back(u.id);
    by_id[u.id] = &u;
  }
  ASSIGN_OR_RETURN(store::Rows roles,
                   tx.Query("SELECT user_id, role_code FROM identity_user_role WHERE user_id IN (" +
                                Placeholders(ids.size()) + ") ORDER BY user_id, role_code",
                            ids));
  for (const store::Row& r : roles) {
    Result<Role> role = ParseRole(r.Text(1));
    if (role.has_value()) by_id[r.Text(0)]->roles.push_back(*role);
  }
  ASSIGN_OR_RETURN(store::Rows scope,
                   tx.Query("SELECT user_id, department_id FROM identity_user_scope_department "
                            "WHERE user_id IN (" +
                                Placeholders(ids.size()) + ") ORDER BY department_id",
                            ids));
  for (const store::Row& r : scope) by_id[r.Text(0)]->custom_department_ids.push_back(r.Text(1));
  // Keep the role order of the role table (admin first), not alphabetical.
  for (User& u : users) std::sort(u.roles.begin(), u.roles.end());
  return Ok();
}

// A role whose holders see everything (平台管理员, 电子监察) is granted only by an actor who sees
// everything and holds all of its permissions; the department roles (部门管理员, 窗口, 审批,
// 帮代办) by anyone who manages users of that department (RuoYi's model).
Result<void> CheckGrantable(const Principal& actor, Role r) {
  const RoleInfo& info = InfoOf(r);
  if (info.default_scope != DataScope::kAll) return Ok();
  bool holds_all = actor.data_scope == DataScope::kAll;
  for (Permission p : info.permissions) holds_all = holds_all && actor.Has(p);
  if (!holds_all) {
    return PermissionDenied("identity.role_escalation",
                            "不能授予超出本人权限的角色“" + info.name + "”");
  }
  return Ok();
}

// An account holding such a role may be changed only by an actor who could have granted it.
Result<void> CheckManageable(const Principal& actor, const User& target) {
  for (Role r : target.roles) {
    if (!CheckGrantable(actor, r).has_value()) {
      return PermissionDenied("identity.role_escalation",
                              "不能修改权限高于本人的账号（该账号为“" + InfoOf(r).name + "”）");
    }
  }
  return Ok();
}

// The actor's data scope must cover the account. Citizen and enterprise accounts have no
// department, so only scope "all" covers them.
Result<void> RequireUserInScope(const Principal& actor, const User& u) {
  if (u.kind != UserKind::kStaff && actor.data_scope == DataScope::kAll) {
    return Require(actor, Permission::kManageUsers);
  }
  std::optional<std::string_view> department;
  if (u.department_id) department = *u.department_id;
  return RequireInScope(actor, Permission::kManageUsers, department);
}

// The validated meaning of roles + department + scope, shared by Create and Update.
struct Assignment {
  std::vector<Role> roles;
  UserKind kind = UserKind::kStaff;
  DataScope scope = DataScope::kSelf;
  std::optional<std::string> department_id;
  std::vector<std::string> custom_department_ids;
};

Result<Assignment> CheckAssignment(store::Tx& tx, const Principal& actor,
                                   const std::vector<std::string>& role_codes,
                                   const std::optional<std::string>& department_id,
                                   const std::optional<std::string>& scope_code,
                                   const std::vector<std::string>& custom_ids) {
  Assignment a;
  internal::FieldChecker check;
  if (role_codes.empty()) check.Add("roles", "至少选择一个角色");
  for (const std::string& code : role_codes) {
    Result<Role> r = ParseRole(code);
    if (!r.has_value()) {
      check.From("roles", r.error());
    } else if (std::find(a.roles.begin(), a.roles.end(), *r) == a.roles.end()) {
      a.roles.push_back(*r);
    }
  }
  RETURN_IF_ERROR(check.Finish("identity.invalid_user"));
  std::sort(a.roles.begin(), a.roles.end());
  a.kind = InfoOf(a.roles.front()).kind;
  for (Role r : a.roles) {
    if (InfoOf(r).kind != a.kind) {
      return InvalidArgument("identity.mixed_roles",
                             "工作人员角色不能与群众、企业角色分配给同一账号")
          .WithField("roles", "工作人员角色不能与群众、企业角色混用");
    }
  }
  a.scope = InfoOf(a.roles.front()).default_scope;
  if (scope_code && !scope_code->empty()) {
    Result<DataScope> s = ParseDataScope(*scope_code);
    if (!s.has_value()) return std::move(s).error().WithField("dataScope", "未知数据范围");
    a.scope = *s;
  }
  if (a.kind != UserKind::kStaff) a.scope = DataScope::kSelf;

  if (a.kind == UserKind::kStaff) {
    if (!department_id || department_id->empty()) {
      return InvalidArgument("identity.department_required", "工作人员必须属于一个部门")
          .WithField("departmentId", "请选择所属部门");
    }
    Result<Department> dept = internal::LoadDepartment(tx, *department_id);
    if (!dept.has_value()) {
      return InvalidArgument("identity.department_not_found", "所属部门不存在")
          .WithField("departmentId", "所属部门不存在");
    }
    a.department_id = dept->id;
    // Privilege: the actor must cover the department and may not grant more than it has.
    RETURN_IF_ERROR(RequireInScope(actor, Permission::kManageUsers, dept->id));
    for (Role r : a.roles) RETURN_IF_ERROR(CheckGrantable(actor, r));
    bool narrow_actor = actor.data_scope != DataScope::kAll;
    if (narrow_actor &&
        (a.scope == DataScope::kAll ||
         (a.scope == DataScope::kDeptAndBelow && actor.data_scope != DataScope::kDeptAndBelow))) {
      return PermissionDenied(
          "identity.role_escalation",
          std::string("不能授予超出本人范围的数据权限“") + DataScopeName(a.scope) + "”");
    }
    if (a.scope == DataScope::kCustom) {
      if (custom_ids.empty()) {
        return InvalidArgument("identity.custom_scope_empty", "自定义数据范围须至少选择一个部门")
            .WithField("customDepartmentIds", "请选择部门");
      }
      for (const std::string& id : custom_ids) {
        if (!internal::LoadDepartment(tx, id).has_value()) {
          return InvalidArgument("identity.department_not_found", "自定义范围中的部门不存在")
              .WithField("customDepartmentIds", "部门 " + id + " 不存在");
        }
        if (narrow_actor && !actor.CoversDepartment(id)) {
          return PermissionDenied("identity.role_escalation", "自定义范围超出了本人的数据权限");
        }
        if (std::find(a.custom_department_ids.begin(), a.custom_department_ids.end(), id) ==
            a.custom_department_ids.end()) {
          a.custom_department_ids.push_back(id);
        }
      }
    }
  } else {
    RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
    if (department_id && !department_id->empty()) {
      return InvalidArgument("identity.department_not_allowed", "群众和企业账号不属于部门")
          .WithField("departmentId", "群众和企业账号不选择部门");
    }
  }
  return a;
}

Result<void> WriteRelations(store::Tx& tx, const std::string& user_id, const Assignment& a) {
  RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_user_role WHERE user_id = ?", {user_id}));
  RETURN_IF_ERROR(
      tx.Exec("DELETE FROM identity_user_scope_department WHERE user_id = ?", {user_id}));
  for (Role r : a.roles) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO identity_user_role (user_id, role_code) VALUES (?, ?)",
                            {user_id, InfoOf(r).code}));
  }
  for (const std::string& d : a.custom_department_ids) {
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO identity_user_scope_department (user_id, department_id) VALUES (?, ?)",
                {user_id, d}));
  }
  return Ok();
}

boost::json::array RoleCodes(const std::vector<Role>& roles) {
  boost::json::array a;
  for (Role r : roles) a.emplace_back(InfoOf(r).code);
  return a;
}

}  // namespace

namespace internal {
Result<User> LoadUser(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(std::string(kSelect) + " WHERE u.id = ?", {id},
                                               "identity.user_not_found", "用户不存在"));
  std::vector<User> one{FromRow(row)};
  RETURN_IF_ERROR(LoadRelations(tx, one));
  return std::move(one.front());
}
}  // namespace internal

Result<UserPage> UserService::List(const Principal& actor, const UserQuery& query) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  std::string where = " WHERE 1 = 1";
  std::vector<store::Value> params;
  if (std::optional<std::vector<std::string>> scope = actor.ScopeFilter()) {
    if (actor.data_scope == DataScope::kSelf) {
      where += " AND u.id = ?";
      params.emplace_back(actor.user_id);
    } else if (scope->empty()) {
      where += " AND 1 = 0";
    } else {
      where += " AND u.department_id IN (" + Placeholders(scope->size()) + ")";
      for (const std::string& d : *scope) params.emplace_back(d);
    }
  }
  std::string q = internal::Trim(query.q);
  if (!q.empty()) {
    // Usernames are ASCII: compare them case-insensitively on both backends.
    where +=
        " AND (LOWER(u.username) LIKE LOWER(?) ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')";
    params.emplace_back(store::LikeContains(q));
    params.emplace_back(store::LikeContains(q));
  }
  if (query.department_id) {
    where += " AND u.department_id = ?";
    params.emplace_back(*query.department_id);
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<UserPage> {
    UserPage page;
    ASSIGN_OR_RETURN(store::Rows count,
                     tx.Query("SELECT COUNT(*) FROM identity_user u" + where, params));
    page.total = count.front().Int(0);
    std::vector<store::Value> p = params;
    p.emplace_back(std::int64_t{query.limit});
    p.emplace_back(std::int64_t{query.offset});
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query(std::string(kSelect) + where + " ORDER BY u.created_at_ms, u.id LIMIT ? OFFSET ?",
                 p));
    for (const store::Row& r : rows) page.items.push_back(FromRow(r));
    RETURN_IF_ERROR(LoadRelations(tx, page.items));
    return page;
  });
}

Result<User> UserService::Get(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  return store::Read(db_, [&](store::Tx& tx) -> Result<User> {
    ASSIGN_OR_RETURN(User u, internal::LoadUser(tx, id));
    RETURN_IF_ERROR(RequireUserInScope(actor, u));
    return u;
  });
}

Result<User> UserService::Create(const Principal& actor, const NewUser& in) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  std::string username = internal::Trim(in.username);
  std::string display_name = internal::Trim(in.display_name);
  internal::FieldChecker check;
  check.Text("username", "用户名", username, 3, 32);
  for (char c : username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) {
      check.Add("username", "用户名只能包含字母、数字、“_”、“.”和“-”");
      break;
    }
  }
  check.Text("displayName", "姓名", display_name, 1, 32);
  Result<void> policy = CheckPasswordPolicy(in.password, username);
  if (!policy.has_value()) check.From("password", policy.error());
  RETURN_IF_ERROR(check.Finish("identity.invalid_user"));
  // Hash outside the transaction: ~90 ms that must not hold the write lock.
  ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(in.password));

  return store::Transact(db_, [&](store::Tx& tx) -> Result<User> {
    ASSIGN_OR_RETURN(Assignment a, CheckAssignment(tx, actor, in.roles, in.department_id,
                                                   in.data_scope, in.custom_department_ids));
    if (a.kind == UserKind::kCitizen && !in.person_id) {
      return InvalidArgument("identity.person_required", "群众账号须关联已登记的自然人")
          .WithField("personId", "请选择自然人");
    }
    if (a.kind == UserKind::kEnterprise && !in.enterprise_id) {
      return InvalidArgument("identity.enterprise_required", "企业账号须关联已登记的企业")
          .WithField("enterpriseId", "请选择企业");
    }
    ASSIGN_OR_RETURN(store::Rows taken,
                     tx.Query("SELECT id FROM identity_user WHERE username = ?", {username}));
    if (!taken.empty()) {
      return AlreadyExists("identity.username_taken", "用户名“" + username + "”已被使用")
          .WithField("username", "用户名已被使用");
    }
    Millis now = clock_.NowMs();
    std::string id = NewUlid(now);
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO identity_user (id, username, password_hash, display_name, kind, "
        "department_id, person_id, enterprise_id, data_scope, status, failed_logins, "
        "created_at_ms, updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,'active',0,?,?,1)",
        {id, username, hash, display_name, UserKindCode(a.kind), store::Opt(a.department_id),
         a.kind == UserKind::kCitizen ? store::Opt(in.person_id) : store::kNull,
         a.kind == UserKind::kEnterprise ? store::Opt(in.enterprise_id) : store::kNull,
         DataScopeCode(a.scope), now, now}));
    RETURN_IF_ERROR(WriteRelations(tx, id, a));
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor),
        {"identity.user.create", "user", id, std::nullopt, "",
         boost::json::serialize(boost::json::object{{"username", username},
                                                    {"roles", RoleCodes(a.roles)},
                                                    {"dataScope", DataScopeCode(a.scope)}})}));
    return internal::LoadUser(tx, id);
  });
}

Result<User> UserService::Update(const Principal& actor, const UserUpdate& in) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  std::string display_name = internal::Trim(in.display_name);
  internal::FieldChecker check;
  check.Text("displayName", "姓名", display_name, 1, 32);
  if (in.status != "active" && in.status != "disabled") {
    check.Add("status", "状态只能是 active（启用）或 disabled（停用）");
  }
  RETURN_IF_ERROR(check.Finish("identity.invalid_user"));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<User> {
    ASSIGN_OR_RETURN(User before, internal::LoadUser(tx, in.id));
    RETURN_IF_ERROR(RequireUserInScope(actor, before));
    RETURN_IF_ERROR(CheckManageable(actor, before));
    if (in.id == actor.user_id && in.status == "disabled") {
      return FailedPrecondition("identity.cannot_disable_self", "不能停用自己的账号");
    }
    ASSIGN_OR_RETURN(Assignment a, CheckAssignment(tx, actor, in.roles, in.department_id,
                                                   in.data_scope, in.custom_department_ids));
    if (a.kind != before.kind) {
      return InvalidArgument("identity.kind_change", "不能更改账号类型（工作人员 / 群众 / 企业）")
          .WithField("roles", "角色须与账号类型一致");
    }
    ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Exec("UPDATE identity_user SET display_name = ?, department_id = ?, data_scope = ?, "
                "status = ?, updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
                {display_name, store::Opt(a.department_id), DataScopeCode(a.scope), in.status,
                 clock_.NowMs(), in.id, in.version}));
    RETURN_IF_ERROR(store::CheckVersion(changed));
    RETURN_IF_ERROR(WriteRelations(tx, in.id, a));
    if (in.status == "disabled") {
      RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_session WHERE user_id = ?", {in.id}));
    }
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor),
        {"identity.user.update", "user", in.id, std::nullopt, "",
         boost::json::serialize(boost::json::object{{"roles", RoleCodes(a.roles)},
                                                    {"dataScope", DataScopeCode(a.scope)},
                                                    {"status", in.status}})}));
    return internal::LoadUser(tx, in.id);
  });
}

Result<void> UserService::ResetPassword(const Principal& actor, const std::string& id,
                                        const std::string& password) {
  RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  ASSIGN_OR_RETURN(User target,
                   store::Read(db_, [&](store::Tx& tx) { return internal::LoadUser(tx, id); }));
  RETURN_IF_ERROR(RequireUserInScope(actor, target));
  RETURN_IF_ERROR(CheckManageable(actor, target));
  Result<void> policy = CheckPasswordPolicy(password, target.username);
  if (!policy.has_value()) return std::move(policy).error();
  ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(password));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(tx.Exec(
        "UPDATE identity_user SET password_hash = ?, failed_logins = 0, locked_until_ms = NULL, "
        "updated_at_ms = ?, version = version + 1 WHERE id = ?",
        {hash, clock_.NowMs(), id}));
    RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_session WHERE user_id = ?", {id}));
    RETURN_IF_ERROR(audit_.Append(
        tx, ActorOf(actor), {"identity.user.password_reset", "user", id, std::nullopt, "", "{}"}));
    return Ok();
  });
}

}  // namespace onestop::identity
