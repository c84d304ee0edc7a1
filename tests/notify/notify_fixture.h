// Shared by the notify tests: a migrated TestDb per backend, principals, and helpers that
// enqueue in a committed transaction and read the outbox.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "identity/principal.h"
#include "notify/notify.h"
#include "testutil/test_db.h"

namespace onestop::notify {

inline identity::Principal Citizen(std::string user_id, std::string person_id) {
  identity::Principal p;
  p.user_id = std::move(user_id);
  p.display_name = "张三";
  p.kind = identity::UserKind::kCitizen;
  p.roles = {identity::Role::kCitizen};
  p.person_id = std::move(person_id);
  p.permissions = {identity::Permission::kSelfAccessLog};
  p.request_id = "req-citizen";
  return p;
}

inline identity::Principal EnterpriseUser(std::string user_id, std::string enterprise_id) {
  identity::Principal p;
  p.user_id = std::move(user_id);
  p.display_name = "某公司经办人";
  p.kind = identity::UserKind::kEnterprise;
  p.roles = {identity::Role::kEnterprise};
  p.enterprise_id = std::move(enterprise_id);
  return p;
}

inline identity::Principal Staff(std::string user_id) {
  identity::Principal p;
  p.user_id = std::move(user_id);
  p.display_name = "窗口人员";
  p.kind = identity::UserKind::kStaff;
  p.roles = {identity::Role::kCounterClerk};
  p.department_id = "d-cs";
  p.data_scope = identity::DataScope::kDept;
  return p;
}

inline Message CaseAccepted(std::string user, std::string party, std::string phone) {
  Message m;
  m.recipient_user_id = std::move(user);
  m.recipient_party_id = std::move(party);
  m.phone = std::move(phone);
  m.title = "办件已受理";
  m.body = "您申请的出生一件事已受理，受理编号 HN202611270001。";
  m.template_code = "case.accepted";
  m.subject_type = "case";
  m.subject_id = "case-1";
  return m;
}

class NotifyTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
  }

  FakeClock& clock() { return t_->clock(); }

  // Enqueues `m` in its own committed transaction; "" after ADD_FAILURE.
  std::string MustEnqueue(const Message& m) {
    Result<std::string> id = store::Transact(
        t_->db(), [&](store::Tx& tx) -> Result<std::string> { return Enqueue(tx, clock(), m); });
    EXPECT_TRUE(id.has_value()) << id.error().reason << ": " << id.error().message;
    return id.has_value() ? *id : std::string();
  }

  OutboxEntry Outbox(const std::string& id) {
    Result<OutboxEntry> e = store::Read(t_->db(), [&](store::Tx& tx) { return GetOutbox(tx, id); });
    EXPECT_TRUE(e.has_value()) << id;
    return e.has_value() ? *e : OutboxEntry{};
  }

  std::int64_t Count(const std::string& table) { return t_->Count(table); }

  // Runs `sql` (an UPDATE/INSERT for test set-up) in its own transaction.
  void Exec(const std::string& sql, const std::vector<store::Value>& params) {
    Result<std::int64_t> r = store::Transact(
        t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> { return tx.Exec(sql, params); });
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  std::unique_ptr<testutil::TestDb> t_;
};

}  // namespace onestop::notify
