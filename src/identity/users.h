// Accounts (用户): staff with roles, departments and data scopes; citizen and enterprise
// accounts linked to their party. UserService is the entry point; sign-in is in sessions.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/password.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::identity {

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  UserKind kind = UserKind::kStaff;
  std::optional<std::string> department_id;
  std::string department_name;
  std::vector<Role> roles;
  DataScope data_scope = DataScope::kSelf;
  std::vector<std::string> custom_department_ids;
  bool active = true;
  std::optional<Millis> locked_until_ms;
  std::optional<std::string> person_id;
  std::optional<std::string> enterprise_id;
  Millis created_at_ms = 0;
  std::int64_t version = 1;
};

struct NewUser {
  std::string username;
  std::string password;
  std::string display_name;
  std::vector<std::string> roles;            // role codes
  std::optional<std::string> department_id;  // staff: required
  std::optional<std::string> data_scope;     // default: the first role's default
  std::vector<std::string> custom_department_ids;
  std::optional<std::string> person_id;      // citizen accounts
  std::optional<std::string> enterprise_id;  // enterprise accounts
};

struct UserUpdate {
  std::string id;
  std::string display_name;
  std::vector<std::string> roles;
  std::optional<std::string> department_id;
  std::string data_scope;
  std::vector<std::string> custom_department_ids;
  std::string status;  // "active" / "disabled"
  std::int64_t version = 0;
};

struct UserQuery {
  std::string q;  // matches username or display name
  std::optional<std::string> department_id;
  int offset = 0;
  int limit = 20;
};

struct UserPage {
  std::vector<User> items;
  std::int64_t total = 0;
};

class UserService {
 public:
  UserService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
              const PasswordHasher& hasher)
      : db_(db), clock_(clock), audit_(audit), hasher_(hasher) {}

  // Accounts in the actor's data scope. kPermissionDenied without users.manage.
  Result<UserPage> List(const Principal& actor, const UserQuery& query);
  Result<User> Get(const Principal& actor, const std::string& id);

  // Creates an account. kInvalidArgument (fields, weak password, roles of mixed kinds, staff
  // without department …); kPermissionDenied (department out of scope; granting a role or
  // scope beyond the actor's own: identity.role_escalation); kAlreadyExists
  // identity.username_taken.
  Result<User> Create(const Principal& actor, const NewUser& u);
  // Changes roles, department, scope, status. Disabling ends the user's sessions.
  // kPermissionDenied identity.out_of_scope as in Get (citizen and enterprise accounts need
  // scope "all"); kAborted store.version_conflict when stale.
  Result<User> Update(const Principal& actor, const UserUpdate& u);
  // Sets a new password (policy checked) and ends the user's sessions. Scope as in Update.
  Result<void> ResetPassword(const Principal& actor, const std::string& id,
                             const std::string& password);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const PasswordHasher& hasher_;
};

namespace internal {
// Loads one account with its roles and custom scope departments.
Result<User> LoadUser(store::Tx& tx, const std::string& id);
}  // namespace internal

}  // namespace onestop::identity
