// Shared set-up for the proofs tests: two departments with seals, two persons (one with a
// property, one without), the demo-like proof types and register records.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "identity/principal.h"
#include "proofs/proof_service.h"
#include "seal/seal_service.h"
#include "testutil/test_db.h"

namespace onestop::proofs::testing {

inline constexpr const char* kHousing = "D-HOUSING";  // 长沙市不动产登记中心
inline constexpr const char* kPolice = "D-POLICE";    // 长沙市公安局岳麓分局
inline constexpr const char* kZhang = "P-ZHANG";      // owns a flat
inline constexpr const char* kLi = "P-LI";            // owns nothing
inline constexpr const char* kZhangId = "11010519491231002X";
inline constexpr const char* kLiId = "430104199003071234";

inline identity::Principal Citizen(const std::string& person_id, const std::string& user_id) {
  identity::Principal p;
  p.user_id = user_id;
  p.display_name = "群众";
  p.kind = identity::UserKind::kCitizen;
  p.person_id = person_id;
  p.permissions = {identity::Permission::kSelfLicences};
  p.request_id = "req-citizen";
  return p;
}

inline identity::Principal Reviewer(const std::string& dept) {
  identity::Principal p;
  p.user_id = "u-rev-" + dept;
  p.display_name = "审核员";
  p.department_id = dept;
  p.data_scope = identity::DataScope::kDept;
  p.scope_department_ids = {dept};
  p.permissions = {identity::Permission::kReviewProofs, identity::Permission::kReadParties};
  p.request_id = "req-rev";
  return p;
}

class ProofFixture : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override;

  std::int64_t Count(const std::string& table) { return t_->Count(table); }
  std::int64_t AuditCount() { return t_->Count("audit_entry"); }
  std::string StatusOf(const std::string& proof_id);

  std::unique_ptr<testutil::TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<seal::SealService> seals_;
  std::unique_ptr<ProofService> proofs_;
  identity::Principal zhang_ = Citizen(kZhang, "u-zhang");
  identity::Principal li_ = Citizen(kLi, "u-li");
};

}  // namespace onestop::proofs::testing
