#include "policy/ledger.h"

#include "core/ids.h"

namespace onestop::policy {

std::string_view AccountLabel(std::string_view account) {
  if (account == kAccountBudget) return "预算";
  if (account == kAccountPayable) return "应付";
  if (account == kAccountPaid) return "已付";
  if (account == kAccountClawback) return "追回";
  return {};
}

Result<std::string> PostLedger(store::Tx& tx, Millis now, LedgerTxn txn) {
  if (txn.entries.size() < 2) {
    return InvalidArgument("policy.ledger_unbalanced", "记账凭证至少需要两条分录");
  }
  Fen sum = 0;
  for (const LedgerEntry& e : txn.entries) {
    if (AccountLabel(e.account).empty()) {
      return InvalidArgument("policy.ledger_unbalanced", "没有这个会计科目：" + e.account);
    }
    if (e.amount_fen == 0) {
      return InvalidArgument("policy.ledger_unbalanced", "分录金额不能为零");
    }
    sum += e.amount_fen;
  }
  if (sum != 0) {
    return InvalidArgument("policy.ledger_unbalanced",
                           "记账凭证借贷不平衡，差额 " + FormatYuan(sum) + " 元");
  }
  txn.id = NewUlid(now);
  // Movements of one offer happen one after another (each changes the offer's row first), so
  // the next number is free; it orders them even within one millisecond.
  ASSIGN_OR_RETURN(store::Rows last,
                   tx.Query("SELECT COALESCE(MAX(offer_seq), 0) FROM policy_ledger_txn "
                            "WHERE offer_id = ?",
                            {txn.offer_id}));
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO policy_ledger_txn (id, item_id, kind, offer_id, offer_seq, payment_id, memo, "
      "created_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {txn.id, txn.item_id, txn.kind, txn.offer_id, last.front().Int(0) + 1, txn.payment_id,
       txn.memo, txn.created_by, now}));
  std::int64_t seq = 0;
  for (const LedgerEntry& e : txn.entries) {
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO policy_ledger_entry (txn_id, seq, account, amount_fen) VALUES (?, ?, ?, ?)",
        {txn.id, ++seq, e.account, e.amount_fen}));
  }
  return txn.id;
}

Result<std::vector<LedgerTxn>> LedgerOfOffer(store::Tx& tx, const std::string& offer_id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT t.id, t.item_id, t.kind, t.offer_id, t.payment_id, t.memo, "
               "t.created_by, t.created_at_ms, e.account, e.amount_fen "
               "FROM policy_ledger_txn t JOIN policy_ledger_entry e ON e.txn_id = t.id "
               "WHERE t.offer_id = ? ORDER BY t.offer_seq, e.seq",
               {offer_id}));
  std::vector<LedgerTxn> out;
  for (const store::Row& r : rows) {
    if (out.empty() || out.back().id != r.Text(0)) {
      LedgerTxn t;
      t.id = r.Text(0);
      t.item_id = r.Text(1);
      t.kind = r.Text(2);
      t.offer_id = r.Text(3);
      t.payment_id = r.Text(4);
      t.memo = r.Text(5);
      t.created_by = r.Text(6);
      t.created_at_ms = r.Int(7);
      out.push_back(std::move(t));
    }
    out.back().entries.push_back({r.Text(8), r.Int(9)});
  }
  return out;
}

Result<LedgerBalances> BalancesOf(store::Tx& tx, const std::string& item_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT e.account, SUM(e.amount_fen) FROM policy_ledger_entry e "
                            "JOIN policy_ledger_txn t ON t.id = e.txn_id WHERE t.item_id = ? "
                            "GROUP BY e.account",
                            {item_id}));
  LedgerBalances b;
  for (const store::Row& r : rows) {
    const std::string a = r.Text(0);
    if (a == kAccountBudget) b.budget = r.Int(1);
    if (a == kAccountPayable) b.payable = r.Int(1);
    if (a == kAccountPaid) b.paid = r.Int(1);
    if (a == kAccountClawback) b.clawback = r.Int(1);
  }
  return b;
}

}  // namespace onestop::policy
