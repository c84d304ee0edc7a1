// Shared fixture for the identity suites: a migrated TestDb per backend, the identity services
// wired with fast password hashing, a small org tree (湖南省 → 长沙市 → 岳麓区, 湖南省 → 永州市),
// helpers to create accounts and load their principals, and "nothing changed" snapshots.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/id_number.h"
#include "core/uscc.h"
#include "identity/identity_service.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::identity::fixture {

// A 身份证号 with a correct GB 11643 check character.
inline std::string ValidId(const std::string& first17) {
  return first17 + IdNumberCheckChar(first17);
}
// A 统一社会信用代码 with a correct GB 32100 check character.
inline std::string ValidUscc(const std::string& first17) {
  return first17 + UsccCheckChar(first17);
}

// A password that passes the policy for any username used in these tests.
inline constexpr const char* kPassword = "Xy7#kQ2mPz";

using testutil::IsError;

// The field names of an error, in order.
inline std::vector<std::string> FieldsOf(const Error& e) {
  std::vector<std::string> out;
  for (const FieldError& f : e.fields) out.push_back(f.field);
  return out;
}

inline std::string BackendName(const ::testing::TestParamInfo<store::Backend>& info) {
  return testutil::BackendParamName(info.param);
}

class IdentityTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    svc_ = std::make_unique<IdentityServices>(t_->db(), t_->clock(), *audit_, hasher_, Options());
    SeedOrg();
  }

  virtual SessionOptions Options() const { return {}; }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  // 湖南省 (province) → 长沙市 (city) → 岳麓区 (county); 湖南省 → 永州市 (city).
  void SeedOrg() {
    hunan_ = MustCreateDepartment(Principal::System(), "HN", "湖南省政务服务中心", std::nullopt,
                                  "430000", "province");
    changsha_ = MustCreateDepartment(Principal::System(), "HN-CS", "长沙市政务服务中心", hunan_,
                                     "430100", "city");
    yuelu_ = MustCreateDepartment(Principal::System(), "HN-CS-YL", "岳麓区政务服务中心", changsha_,
                                  "430104", "county");
    yongzhou_ = MustCreateDepartment(Principal::System(), "HN-YZ", "永州市政务服务中心", hunan_,
                                     "431100", "city");
  }

  std::string MustCreateDepartment(const Principal& actor, const std::string& code,
                                   const std::string& name, std::optional<std::string> parent,
                                   const std::string& region, const std::string& level) {
    Result<Department> d = svc_->departments.Create(actor, {code, name, parent, region, level});
    EXPECT_TRUE(d.has_value()) << code << ": " << d.error().message;
    return d.has_value() ? d->id : "";
  }

  // Creates a staff account (by the system) and returns its id.
  std::string MustCreateStaff(const std::string& username, std::vector<std::string> roles,
                              const std::string& department_id,
                              std::optional<std::string> scope = std::nullopt,
                              std::vector<std::string> custom = {}) {
    NewUser u;
    u.username = username;
    u.password = kPassword;
    u.display_name = "员工" + username;
    u.roles = std::move(roles);
    u.department_id = department_id;
    u.data_scope = std::move(scope);
    u.custom_department_ids = std::move(custom);
    Result<User> r = svc_->users.Create(Principal::System(), u);
    EXPECT_TRUE(r.has_value()) << username << ": " << r.error().message;
    return r.has_value() ? r->id : "";
  }

  // The principal of an account as a sign-in would build it (resolved data scope).
  Principal PrincipalOf(const std::string& user_id) {
    Result<Principal> p =
        store::Read(db(), [&](store::Tx& tx) { return AuthService::LoadPrincipal(tx, user_id); });
    EXPECT_TRUE(p.has_value()) << user_id << ": " << p.error().message;
    return p.has_value() ? *p : Principal{};
  }

  // A staff principal in one step.
  Principal Staff(const std::string& username, std::vector<std::string> roles,
                  const std::string& department_id, std::optional<std::string> scope = std::nullopt,
                  std::vector<std::string> custom = {}) {
    return PrincipalOf(MustCreateStaff(username, std::move(roles), department_id, std::move(scope),
                                       std::move(custom)));
  }

  // Row counts of every identity table and the audit log ("nothing changed" checks).
  std::map<std::string, std::int64_t> Counts() {
    std::map<std::string, std::int64_t> out;
    for (const char* table :
         {"identity_department", "identity_person", "identity_enterprise", "identity_user",
          "identity_user_role", "identity_user_scope_department", "identity_session",
          "audit_entry"}) {
      out[table] = t_->Count(table);
    }
    return out;
  }

  std::int64_t AuditCount() { return t_->Count("audit_entry"); }

  // Asserts that `r` failed with `code` and `reason`, naming `field` when given, and that no
  // row of any identity table or the audit log was added or removed.
  template <typename T>
  void ExpectRefused(const Result<T>& r, ErrorCode code, const std::string& reason,
                     const std::map<std::string, std::int64_t>& before,
                     std::optional<std::string> field = std::nullopt) {
    ASSERT_TRUE(IsError(r, code, reason));
    if (field) {
      EXPECT_THAT(FieldsOf(r.error()), ::testing::Contains(*field));
    }
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_EQ(Counts(), before);
  }

  // Audit entries, newest first, optionally only those whose action starts with `prefix`.
  std::vector<audit::Entry> AuditEntries(std::optional<std::string> prefix = std::nullopt) {
    audit::Filter f;
    f.action_prefix = std::move(prefix);
    f.limit = 1000;
    Result<audit::Page> page =
        store::Read(db(), [&](store::Tx& tx) { return audit_->Search(tx, f); });
    EXPECT_TRUE(page.has_value()) << page.error().message;
    return page.has_value() ? page->items : std::vector<audit::Entry>{};
  }

  audit::Entry LastAudit() {
    std::vector<audit::Entry> all = AuditEntries();
    EXPECT_FALSE(all.empty());
    return all.empty() ? audit::Entry{} : all.front();
  }

  // One column of one row, as text ("" when missing or NULL).
  std::string Column(const std::string& table, const std::string& column, const std::string& id) {
    Result<store::Rows> rows = store::Read(db(), [&](store::Tx& tx) {
      return tx.Query("SELECT " + column + " FROM " + table + " WHERE id = ?", {id});
    });
    EXPECT_TRUE(rows.has_value());
    if (!rows.has_value() || rows->empty()) return "";
    return rows->front().Text(0);
  }

  std::unique_ptr<testutil::TestDb> t_;
  PasswordHasher hasher_ = PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<IdentityServices> svc_;
  std::string hunan_, changsha_, yuelu_, yongzhou_;
};

}  // namespace onestop::identity::fixture
