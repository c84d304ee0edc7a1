// The payment ledger: every transaction has at least two entries summing to zero, in integer fen;
// a bad one is refused and writes nothing. Both databases.
#include "policy/ledger.h"

#include <gtest/gtest.h>

#include <memory>

#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using testutil::IsError;
using testutil::TestDb;

class LedgerTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    // The ledger's item must exist (foreign key): a department, a policy and an item.
    ASSERT_TRUE(store::Transact(t_->db(), [](store::Tx& tx) -> Result<void> {
                  RETURN_IF_ERROR(tx.Exec(
                      "INSERT INTO identity_department (id, code, name, parent_id, region_code, "
                      "level, path, created_at_ms, updated_at_ms) VALUES ('d1', 'czj', "
                      "'市财政局', NULL, '430100', 'city', '/d1/', 0, 0)"));
                  RETURN_IF_ERROR(tx.Exec(
                      "INSERT INTO policy (id, title, doc_no, issuer, level, published_on, "
                      "effective_on, expires_on, category, tags_json, full_text, department_id, "
                      "status, version, created_at_ms, updated_at_ms) VALUES ('p1', '政策', '', "
                      "'市政府', 'city', '', '', '', 'grant', '[]', '', 'd1', 'published', 1, 0, "
                      "0)"));
                  RETURN_IF_ERROR(tx.Exec(
                      "INSERT INTO policy_item (id, policy_id, title, mode, budget_fen, "
                      "window_from, window_to, publicity_days, department_id, status, version, "
                      "created_at_ms, updated_at_ms) VALUES ('i1', 'p1', '稳岗返还', 'exempt', "
                      "100000, '', '', 7, 'd1', 'open', 1, 0, 0)"));
                  return Ok();
                }).has_value());
  }

  Result<std::string> Post(std::vector<LedgerEntry> entries, std::string kind = "commit") {
    return store::Transact(t_->db(), [&](store::Tx& tx) {
      LedgerTxn txn;
      txn.item_id = "i1";
      txn.kind = kind;
      txn.offer_id = "o1";
      txn.memo = "测试";
      txn.created_by = "u1";
      txn.entries = entries;
      return PostLedger(tx, 1000, txn);
    });
  }

  std::unique_ptr<TestDb> t_;
};

TEST_P(LedgerTest, RefusesUnbalancedTransactionsAndWritesNothing) {
  EXPECT_TRUE(
      IsError(Post({{"budget", -100}}), ErrorCode::kInvalidArgument, "policy.ledger_unbalanced"));
  EXPECT_TRUE(IsError(Post({{"budget", -100}, {"payable", 99}}), ErrorCode::kInvalidArgument,
                      "policy.ledger_unbalanced"));
  EXPECT_TRUE(IsError(Post({{"budget", 0}, {"payable", 0}}), ErrorCode::kInvalidArgument,
                      "policy.ledger_unbalanced"));
  EXPECT_TRUE(IsError(Post({{"cash", -100}, {"payable", 100}}), ErrorCode::kInvalidArgument,
                      "policy.ledger_unbalanced"));
  EXPECT_EQ(t_->Count("policy_ledger_txn"), 0);
  EXPECT_EQ(t_->Count("policy_ledger_entry"), 0);
}

TEST_P(LedgerTest, BalancesFollowCommitPayAndClawback) {
  ASSERT_TRUE(Post({{"budget", -30000}, {"payable", 30000}}).has_value());
  ASSERT_TRUE(Post({{"payable", -30000}, {"paid", 30000}}, "pay").has_value());
  ASSERT_TRUE(Post({{"paid", -10000}, {"clawback", 10000}}, "clawback").has_value());
  Result<LedgerBalances> b =
      store::Read(t_->db(), [](store::Tx& tx) { return BalancesOf(tx, "i1"); });
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->budget, -30000);
  EXPECT_EQ(b->payable, 0);
  EXPECT_EQ(b->paid, 20000);
  EXPECT_EQ(b->clawback, 10000);
  Result<std::vector<LedgerTxn>> txns =
      store::Read(t_->db(), [](store::Tx& tx) { return LedgerOfOffer(tx, "o1"); });
  ASSERT_TRUE(txns.has_value());
  ASSERT_EQ(txns->size(), 3u);
  EXPECT_EQ((*txns)[1].kind, "pay");
  ASSERT_EQ((*txns)[1].entries.size(), 2u);
  EXPECT_EQ((*txns)[1].entries[0].account, "payable");
  EXPECT_EQ((*txns)[1].entries[0].amount_fen, -30000);
  EXPECT_EQ(AccountLabel("payable"), "应付");
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
