// The identity module's services, wired together (used by the app and the tests).
#pragma once

#include "identity/departments.h"
#include "identity/parties.h"
#include "identity/sessions.h"
#include "identity/users.h"

namespace onestop::identity {

struct IdentityServices {
  IdentityServices(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                   const PasswordHasher& hasher, SessionOptions options = {})
      : auth(db, clock, audit, hasher, options),
        departments(db, clock, audit),
        users(db, clock, audit, hasher),
        parties(db, clock, audit) {}

  AuthService auth;
  DepartmentService departments;
  UserService users;
  PartyService parties;
};

}  // namespace onestop::identity
