// The payment ledger (资金台账) of policy items: double entry in integer fen. Each item has four
// accounts — budget 预算, payable 应付, paid 已付, clawback 追回 — and every movement is one
// transaction of at least two entries summing to zero, recorded with the offer and payment it
// belongs to. CampaignService posts; nothing else writes these tables (migration 0018).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/money.h"
#include "core/result.h"
#include "store/db.h"

namespace onestop::policy {

inline constexpr std::string_view kAccountBudget = "budget";
inline constexpr std::string_view kAccountPayable = "payable";
inline constexpr std::string_view kAccountPaid = "paid";
inline constexpr std::string_view kAccountClawback = "clawback";
// "预算" / "应付" / "已付" / "追回" ("" for an unknown account).
std::string_view AccountLabel(std::string_view account);

struct LedgerEntry {
  std::string account;  // one of the kAccount* names
  Fen amount_fen = 0;   // signed
};

struct LedgerTxn {
  std::string id;
  std::string item_id;
  std::string kind;  // commit 占用预算 / release 释放 / pay 支付 / clawback 追回
  std::string offer_id, payment_id;
  std::string memo;
  std::string created_by;
  Millis created_at_ms = 0;
  std::vector<LedgerEntry> entries;
};

// Writes `txn` (its id is made here) in `tx`. kInvalidArgument policy.ledger_unbalanced when
// there are fewer than two entries, the entries do not sum to zero, an amount is zero, or an
// account is unknown. Returns the new transaction id.
Result<std::string> PostLedger(store::Tx& tx, Millis now, LedgerTxn txn);

// The transactions of an offer (and its payments), oldest first, with their entries.
Result<std::vector<LedgerTxn>> LedgerOfOffer(store::Tx& tx, const std::string& offer_id);

// The balance of every account of an item (account → fen); accounts without entries are 0.
struct LedgerBalances {
  Fen budget = 0, payable = 0, paid = 0, clawback = 0;
};
Result<LedgerBalances> BalancesOf(store::Tx& tx, const std::string& item_id);

}  // namespace onestop::policy
