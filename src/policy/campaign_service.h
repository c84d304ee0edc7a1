// 免申即享 campaigns (兑现批次), 快申快享 applications and payments: 数据比对 → 系统预审 → 人工初核
// → 通知 → 意愿确认 → 拨付 → 公示, the 国库集中支付 instruction file and the bank's reconciliation,
// clawback (追回), the public notice and the trace of every payment (每笔资金去向). Money moves
// through the double-entry ledger (policy/ledger.h). The enterprise data comes from a FactSource;
// rules and items from PolicyService. Tables: policy_campaign*, policy_offer, policy_budget,
// policy_payment*, policy_ledger_* (migration 0018). HTTP routes are not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/fact_source.h"
#include "policy/ledger.h"
#include "policy/policy_service.h"
#include "store/db.h"

namespace onestop::policy {

// The steps of a campaign, in order.
inline constexpr const char* kCampaignSteps[] = {"compare", "prereview", "review",   "notify",
                                                 "confirm", "pay",       "publicize"};
// "数据比对" / "系统预审" / "人工初核" / "通知" / "意愿确认" / "拨付" / "公示" ("" if unknown).
std::string_view StepLabel(std::string_view step);
// "待初核", "已排除", "已确认" … for an offer status ("" if unknown).
std::string_view OfferStatusLabel(std::string_view status);

// Create: the item, the period and one due date (YYYY-MM-DD) per step, not decreasing.
struct CampaignInput {
  std::string item_id;
  std::string period;  // "2026", "2026Q3" or "2026-07"
  std::string due_compare, due_prereview, due_review, due_notify, due_confirm, due_pay,
      due_publicize;
};

struct Campaign {
  std::string id, item_id, period, department_id;
  std::string item_title;                    // 申报事项名称 (read from the item)
  std::string publicity_from, publicity_to;  // '' until Publicize
  std::string created_by;
  Millis created_at_ms = 0, updated_at_ms = 0;
};

// One step as the console shows it.
struct CampaignStep {
  std::string step, label;  // "confirm", "意愿确认"
  std::string due_on;
  std::optional<Millis> done_at_ms;
  std::string state;  // done / current / pending
  // green: done on time, or not due within 2 days; yellow: due within 2 calendar days
  // (today … today + 2); red: overdue, or done after its due date.
  std::string light;
};

struct BudgetFigures {
  Fen budget_fen = 0;     // the item's budget
  Fen committed_fen = 0;  // confirmed and not released (payable + paid)
  Fen payable_fen = 0;    // ledger: committed, not yet paid
  Fen paid_fen = 0;       // ledger: paid out (clawed back included)
  Fen clawback_fen = 0;   // ledger: recovered
  Fen available_fen = 0;  // budget − committed
};

struct CampaignConsole {
  Campaign campaign;
  std::string item_title, policy_title;
  std::vector<CampaignStep> steps;
  std::vector<std::pair<std::string, std::int64_t>> offer_counts;  // status → count, by status
  Fen offered_fen = 0;  // sum of notified … paid offers
  BudgetFigures budget;
};

struct BankAccount {
  std::string account_name;  // 户名: the enterprise's name
  std::string bank_name;     // 开户行
  std::string account_no;    // 账号: 8–30 digits (spaces ignored)
};

struct Offer {
  std::string id, campaign_id, item_id, period, kind;  // kind exempt / quick
  std::string enterprise_id, enterprise_name;          // 统一社会信用代码, 名称
  int rule_version = 0;
  std::string snapshot_json;
  Fen amount_fen = 0;
  std::string status;
  std::string reason_code, reason;  // exclusion / rejection
  bool committed = false;
  BankAccount account;
  std::string reviewed_by;
  std::optional<Millis> reviewed_at_ms, notified_at_ms, confirmed_at_ms;
  std::string confirmed_by, confirmed_by_name;
  Millis created_at_ms = 0, updated_at_ms = 0;
};

struct Payment {
  std::string id, voucher_no, batch_id, offer_id, item_id, period;
  std::string enterprise_id, enterprise_name;
  Fen amount_fen = 0;
  BankAccount account;
  std::string status;  // pending / paid / failed / clawed_back
  std::string bank_serial, bank_note;
  std::optional<Millis> result_at_ms;
  std::string clawback_reason;
  std::optional<Millis> clawback_at_ms;
  Millis created_at_ms = 0;
};

struct PaymentBatch {
  std::string id, item_id, period, campaign_id;
  std::vector<Payment> payments;
  Fen total_fen = 0;
  Millis created_at_ms = 0;
  std::string csv;  // the 国库集中支付 instruction file (UTF-8 with BOM, CRLF)
  // Confirmed offers left out because the budget could no longer cover them (re-batched
  // offers whose commitment was released), as "企业名称：原因".
  std::vector<std::string> skipped;
};

struct ReconcileReport {
  int paid = 0, failed = 0;
  std::vector<std::string> errors;  // "第N行：…", the row changed nothing
};

// 公示: readable without sign-in.
struct PublicNotice {
  std::string campaign_id;
  std::string policy_title, doc_no, item_title, period;
  std::string publicity_from, publicity_to;
  struct Recipient {
    std::string name, uscc;
    Fen amount_fen = 0;
  };
  std::vector<Recipient> recipients;  // by 信用代码
  Fen total_fen = 0;
};

// 每笔资金去向.
struct PaymentTrace {
  std::string policy_id, policy_title, doc_no;
  std::string item_id, item_title, period;
  int rule_version = 0;
  std::string rule_text, formula_text;  // policy::ToText / FormulaToText with Chinese labels
  std::string rule_effective_from;
  FactSnapshot snapshot;
  Offer offer;  // confirmation: confirmed_by(_name), confirmed_at_ms, account
  Payment payment;
  Millis batch_created_at_ms = 0;
  std::vector<LedgerTxn> ledger;
};

// 快申快享 pre-fill: the facts the rule and formula read.
struct PrefillField {
  std::string fact, label, unit;
  std::optional<Value> value;  // nullopt: no data
  std::string source, as_of;
};
struct ApplicationForm {
  std::string item_id, item_title;
  int rule_version = 0;
  std::string enterprise_id, enterprise_name;
  std::vector<PrefillField> fields;
  bool eligible = false;
  Explanation explanation;
  std::optional<Fen> amount_fen;  // nullopt when the formula cannot be computed
};

class CampaignService {
 public:
  CampaignService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                  PolicyService& policies, FactSource& facts);

  // --- campaigns (catalog.manage over the item's department) ---
  // kInvalidArgument policy.invalid_campaign (fields period, dueCompare … duePublicize);
  // kNotFound policy.item_not_found; kFailedPrecondition policy.not_exempt (a quick item),
  // policy.not_published; kAlreadyExists policy.campaign_exists (same item and period).
  Result<Campaign> Create(const identity::Principal& actor, const CampaignInput& input);
  // Steps with state and light, offer counts, budget figures. kNotFound policy.campaign_not_found.
  Result<CampaignConsole> Console(const identity::Principal& actor, const std::string& id);
  // 数据比对: matches the rule in force today against every enterprise and writes one offer per
  // match (status matched, or excluded policy.formula_error / policy.zero_amount). Re-running
  // replaces the offers; kFailedPrecondition policy.already_notified after Notify.
  Result<std::vector<Offer>> Compare(const identity::Principal& actor, const std::string& id);
  // 系统预审: matched offers → excluded (policy.bad_credit, policy.duplicate,
  // policy.insufficient_budget — by amount ascending, then 信用代码) or pending_review.
  // kFailedPrecondition policy.not_compared, policy.already_notified.
  Result<std::vector<Offer>> PreReview(const identity::Principal& actor, const std::string& id);
  // 人工初核 (cases.review over the item's department): approve or reject the pending offers
  // `offer_ids` (empty: all pending). A rejection needs a reason (kInvalidArgument
  // policy.reason_required). kFailedPrecondition policy.not_pending_review.
  Result<std::vector<Offer>> Review(const identity::Principal& actor, const std::string& id,
                                    const std::vector<std::string>& offer_ids, bool approve,
                                    const std::string& reason);
  // 通知: every approved offer → notified; an SMS (when the enterprise's facts carry a
  // contact_phone) and an in-app message to its accounts, in the same transaction.
  // kFailedPrecondition policy.review_pending, policy.nothing_to_notify.
  Result<std::vector<Offer>> Notify(const identity::Principal& actor, const std::string& id);
  // 拨付: all confirmed offers → payments and a batch with its CSV. Offers whose commitment was
  // released (a failed payment) are committed again first. kFailedPrecondition
  // policy.nothing_to_pay. Concurrent calls never pay an enterprise twice.
  Result<PaymentBatch> CreateBatch(const identity::Principal& actor, const std::string& id);
  // 公示: publishes the notice from today for the item's publicity_days. kFailedPrecondition
  // policy.nothing_paid (no paid payment yet), policy.already_publicized.
  Result<Campaign> Publicize(const identity::Principal& actor, const std::string& id);
  // The campaigns of the departments in the actor's scope (catalog.manage or cases.review),
  // newest first.
  Result<std::vector<Campaign>> Campaigns(const identity::Principal& actor);
  // The payments of a campaign's item and period, every status, by 信用代码 (catalog.manage
  // or cases.review in scope).
  Result<std::vector<Payment>> Payments(const identity::Principal& actor, const std::string& id);
  // The offers of a campaign (catalog.manage or cases.review in scope), by 信用代码.
  Result<std::vector<Offer>> Offers(const identity::Principal& actor, const std::string& id);

  // --- the enterprise (its own offers only; others are kNotFound policy.offer_not_found) ---
  // 意愿确认: a notified exempt offer or an approved quick application → confirmed, its amount
  // committed against the item's budget. kInvalidArgument policy.invalid_account (fields
  // accountName, bankName, accountNo); kFailedPrecondition policy.already_confirmed,
  // policy.already_declined, policy.not_confirmable, policy.confirm_closed (after the
  // deadline), policy.over_budget; kPermissionDenied policy.not_enterprise.
  Result<Offer> Confirm(const identity::Principal& actor, const std::string& offer_id,
                        const BankAccount& account);
  // Declines a notified offer. kFailedPrecondition policy.already_confirmed,
  // policy.already_declined, policy.not_confirmable.
  Result<Offer> Decline(const identity::Principal& actor, const std::string& offer_id);
  // My offers and applications (from notification on; quick ones all), newest first.
  Result<std::vector<Offer>> MyOffers(const identity::Principal& actor);
  // My payments, newest first.
  Result<std::vector<Payment>> MyPayouts(const identity::Principal& actor);

  // --- 快申快享 ---
  // The pre-filled form for the actor's enterprise (rule in force today).
  // kFailedPrecondition policy.not_quick, policy.item_not_open.
  Result<ApplicationForm> Prefill(const identity::Principal& actor, const std::string& item_id);
  // Applies for `period`: the rule is checked now (kFailedPrecondition policy.not_eligible with
  // the explanation; policy.already_applied; policy.window_closed; policy.formula_error).
  Result<Offer> Apply(const identity::Principal& actor, const std::string& item_id,
                      const std::string& period);
  // The department's review (cases.review): approve, or reject with a reason.
  Result<Offer> ReviewApplication(const identity::Principal& actor, const std::string& offer_id,
                                  bool approve, const std::string& reason);
  // Pending applications of the items in the actor's scope (cases.review), oldest first.
  Result<std::vector<Offer>> ReviewQueue(const identity::Principal& actor);
  // Confirmed quick applications of an item and period → a payment batch, as CreateBatch.
  Result<PaymentBatch> CreateApplicationBatch(const identity::Principal& actor,
                                              const std::string& item_id,
                                              const std::string& period);

  // --- payments (catalog.manage over the item's department) ---
  // The instruction file of a batch again. kNotFound policy.batch_not_found.
  Result<PaymentBatch> Batch(const identity::Principal& actor, const std::string& batch_id);
  // The bank's CSV (支付凭证号, 结果 成功/失败, 银行流水号, 说明; UTF-8, BOM optional): 成功 →
  // paid (payable → paid); 失败 → failed, the commitment released (payable → budget) and the
  // offer confirmed again for a new batch. A bad row is reported ("第N行：…") and changes
  // nothing. kInvalidArgument policy.reconcile_file (missing or wrong header).
  Result<ReconcileReport> Reconcile(const identity::Principal& actor, const std::string& csv);
  // 追回: a paid payment → clawed_back (paid → clawback). kInvalidArgument
  // policy.reason_required; kFailedPrecondition policy.not_paid.
  Result<Payment> Clawback(const identity::Principal& actor, const std::string& payment_id,
                           const std::string& reason);
  // 每笔资金去向 (catalog.manage or cases.review in scope, or the enterprise itself).
  // kNotFound policy.payment_not_found.
  Result<PaymentTrace> Trace(const identity::Principal& actor, const std::string& payment_id);

  // --- public ---
  // The 公示 of a campaign, without sign-in. kNotFound policy.notice_not_found (not published).
  Result<PublicNotice> Notice(const std::string& campaign_id);
  // Every published 公示, newest first.
  Result<std::vector<PublicNotice>> Notices();

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  PolicyService& policies_;
  FactSource& facts_;
};

}  // namespace onestop::policy
