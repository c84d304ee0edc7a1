// Test helpers that create departments and users through the identity services, shared by the
// service tests of cases/ and licences/ (each test keeps thin member wrappers). Header-only:
// the suites that include it link onestop_identity.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "identity/identity_service.h"
#include "identity/principal.h"
#include "identity/sessions.h"
#include "store/db.h"

namespace onestop::testutil {

// A department under `parent` in region 430100; its id ("" and a test failure when refused).
inline std::string MakeDepartment(identity::IdentityServices& identity, const std::string& code,
                                  const std::string& name, std::optional<std::string> parent,
                                  const std::string& level = "city") {
  Result<identity::Department> d = identity.departments.Create(
      identity::Principal::System(), {code, name, std::move(parent), "430100", level});
  EXPECT_TRUE(d.has_value()) << code << ": " << d.error().message;
  return d.has_value() ? d->id : "";
}

struct UserSpec {
  std::string username;
  std::vector<std::string> roles;
  std::optional<std::string> department = {};
  std::optional<std::string> person = {};
  std::optional<std::string> enterprise = {};
};

// Creates the user and loads its principal as a login would.
inline identity::Principal MakeUser(store::Db& db, identity::IdentityServices& identity,
                                    UserSpec spec) {
  identity::NewUser u;
  u.username = spec.username;
  u.password = "Xy7#kQ2mPz";
  u.display_name = "用户" + spec.username;
  u.roles = std::move(spec.roles);
  u.department_id = std::move(spec.department);
  u.person_id = std::move(spec.person);
  u.enterprise_id = std::move(spec.enterprise);
  Result<identity::User> r = identity.users.Create(identity::Principal::System(), u);
  EXPECT_TRUE(r.has_value()) << spec.username << ": " << r.error().message;
  if (!r.has_value()) return identity::Principal{};
  Result<identity::Principal> p = store::Read(
      db, [&](store::Tx& tx) { return identity::AuthService::LoadPrincipal(tx, r->id); });
  EXPECT_TRUE(p.has_value());
  return p.has_value() ? *p : identity::Principal{};
}

}  // namespace onestop::testutil
