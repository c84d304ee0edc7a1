// 融资一件事: banks publish loan products with eligibility conditions (the neutral rule language
// of policy/rule.h) and terms; the matcher finds the enterprises that qualify; an enterprise
// sends a one-click financing request (its facts are checked and kept as a snapshot) that the
// bank sees and answers; the enterprise is told in its inbox. A bank is a department: its staff
// with catalog.manage publish products, with cases.review answer requests, each within the data
// scope. Tables: policy_loan_product, policy_loan_request (migration 0019).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/fact_source.h"
#include "policy/rule.h"
#include "store/db.h"

namespace onestop::policy {

inline constexpr std::size_t kMaxLoanNameChars = 60;
inline constexpr std::size_t kMaxLoanTextChars = 1000;
inline constexpr int kMaxRateBp = 3600;  // 36 %: the legal cap on private lending rates

struct LoanProductInput {
  std::string department_id;  // the bank (branch) department
  std::string bank_name;      // 银行名称
  std::string name;           // 产品名称
  int rate_bp = 0;            // 年化利率（参考）, basis points: 365 = 3.65 %
  std::int64_t min_amount_fen = 0, max_amount_fen = 0;
  int max_term_months = 0;  // 1…360
  std::string guarantee;    // credit 信用 / mortgage 抵押 / guarantee 担保 / pledge 质押
  std::string description;
  std::string rule_json, rule_text;  // 准入条件: exactly one
};

struct LoanProduct : LoanProductInput {
  std::string id;
  Cond cond;
  std::string rule_text_zh;  // the condition in the text form with Chinese labels
  std::string status;        // draft / published / withdrawn
  std::int64_t version = 0;
  Millis created_at_ms = 0, updated_at_ms = 0;
};

std::string_view GuaranteeLabel(std::string_view code);  // "信用" … ("" unknown)
std::string_view LoanProductStatusLabel(std::string_view status);
std::string_view LoanRequestStatusLabel(std::string_view status);  // "已提交" …

// A product as an enterprise sees it: with whether it qualifies and why (not).
struct LoanOffer {
  LoanProduct product;
  Explanation explanation;
  bool has_open_request = false;
};

struct LoanRequestInput {
  std::int64_t amount_fen = 0;
  int term_months = 0;
  std::string purpose;
  std::string contact_name;
  std::string contact_phone;  // mainland mobile number
};

struct LoanRequest {
  std::string id, product_id, product_name, bank_name;
  std::string enterprise_id, enterprise_name;
  std::int64_t amount_fen = 0;
  int term_months = 0;
  std::string purpose, contact_name, contact_phone;
  std::string snapshot_json;
  std::string status;  // submitted / accepted (受理) / approved (已放款审批) / rejected / withdrawn
  std::string answer;
  std::int64_t approved_amount_fen = 0;
  int approved_rate_bp = 0;
  std::string answered_by;
  Millis answered_at_ms = 0;
  Millis created_at_ms = 0, updated_at_ms = 0;
  std::int64_t version = 0;
};

// The bank's answer: accept (受理, "we will contact you"), approve (with amount and rate) or
// reject (with a reason).
struct LoanAnswer {
  std::string decision;  // accept / approve / reject
  std::string message;   // required for reject
  std::int64_t approved_amount_fen = 0;
  int approved_rate_bp = 0;
};

class LoanService {
 public:
  LoanService(store::Db& db, const Clock& clock, const audit::AuditLog& audit, FactSource& facts,
              const FactSchema& schema);

  // A draft product (catalog.manage in scope of its department). kInvalidArgument
  // policy.invalid_loan_product with field errors (bankName, name, rateBp, minAmountFen,
  // maxAmountFen, maxTermMonths, guarantee, description, rule — rule errors keep their
  // policy.rule_syntax / unknown_fact / type_mismatch reasons); kNotFound
  // policy.no_such_department.
  Result<LoanProduct> Create(const identity::Principal& actor, const LoanProductInput& input);
  // kAborted store.version_conflict; kFailedPrecondition policy.loan_withdrawn.
  Result<LoanProduct> Update(const identity::Principal& actor, const std::string& id,
                             const LoanProductInput& input, std::int64_t expected_version);
  // draft → published (kFailedPrecondition policy.not_draft); published → withdrawn
  // (policy.not_published). Withdrawing keeps the open requests for the bank to answer.
  Result<LoanProduct> Publish(const identity::Principal& actor, const std::string& id);
  Result<LoanProduct> Withdraw(const identity::Principal& actor, const std::string& id);
  // Published products for everyone; with `mine`, the actor's banks' products in any status.
  Result<std::vector<LoanProduct>> Products(const identity::Principal& actor, bool mine);
  // kNotFound policy.no_such_loan_product (also a draft the actor may not see).
  Result<LoanProduct> Get(const identity::Principal& actor, const std::string& id);

  // How many enterprises qualify for a product, and the first `sample` of them (the bank's
  // view, catalog.manage in scope), by the bulk matcher over every enterprise's facts.
  struct Eligible {
    std::size_t count = 0;
    std::size_t enterprises = 0;
    std::vector<std::string> sample;  // 统一社会信用代码
  };
  Result<Eligible> EligibleEnterprises(const identity::Principal& actor,
                                       const std::string& product_id, std::size_t sample = 20);

  // Every published product for the signed-in enterprise, those it qualifies for first, each
  // with the explanation. kFailedPrecondition policy.not_enterprise.
  Result<std::vector<LoanOffer>> ForMe(const identity::Principal& actor);

  // The one-click request of the signed-in enterprise. The facts are checked now and kept:
  // kFailedPrecondition policy.not_eligible (message: the failed conditions),
  // policy.loan_not_published, policy.loan_request_open (one open request per product —
  // enforced by a unique index, so a double click files one); kInvalidArgument
  // policy.invalid_loan_request (amountFen outside the product's range, termMonths,
  // purpose, contactName, contactPhone). The request shows in the bank's queue
  // (BankRequests); the enterprise gets an inbox notice on every answer.
  Result<LoanRequest> Request(const identity::Principal& actor, const std::string& product_id,
                              const LoanRequestInput& input);
  // The enterprise withdraws its own open request. kFailedPrecondition policy.loan_request_closed.
  Result<LoanRequest> WithdrawRequest(const identity::Principal& actor, const std::string& id);
  // The signed-in enterprise's requests, newest first.
  Result<std::vector<LoanRequest>> MyRequests(const identity::Principal& actor);
  // The requests to the actor's banks (cases.review in scope), newest first; status "" = all.
  Result<std::vector<LoanRequest>> BankRequests(const identity::Principal& actor,
                                                const std::string& status);
  // The bank answers (cases.review in scope of the product's department): submitted →
  // accepted / approved / rejected, accepted → approved / rejected; the enterprise is notified.
  // kFailedPrecondition policy.loan_request_closed; kInvalidArgument policy.invalid_loan_answer;
  // kAborted store.version_conflict.
  Result<LoanRequest> Answer(const identity::Principal& actor, const std::string& id,
                             const LoanAnswer& answer, std::int64_t expected_version);

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  FactSource& facts_;
  const FactSchema& schema_;
};

}  // namespace onestop::policy
