// Demo loan products (融资一件事, after 永州's 融资一件事 in ../shared/seed/): three products of
// the 中国建设银行永州分行 demo department with eligibility conditions over the enterprise facts —
// the demo enterprise account qualifies for 科技贷 and not for 惠农贷, so the page can show both
// "一键申请" and "为什么不符合".
#include "app/demo.h"
#include "app/policy_wiring.h"
#include "policy/loan_service.h"

namespace onestop::app {

namespace {

struct DemoLoan {
  const char* name;
  int rate_bp;
  std::int64_t min_fen, max_fen;
  int max_term_months;
  const char* guarantee;
  const char* description;
  const char* rule;
};

constexpr DemoLoan kLoans[] = {
    {"科技贷", 345, 10'000'000, 1'000'000'000, 36, "credit",
     "面向高新技术企业、专精特新企业的纯信用贷款，线上申请，三个工作日内答复",
     "(high_tech or specialized) and not bad_credit"},
    {"惠农贷", 320, 5'000'000, 300'000'000, 24, "guarantee",
     "支持农林牧渔企业和合作社春耕备耕、扩大生产，政府性融资担保增信",
     "industry prefix \"A\" and not bad_credit"},
    {"税易贷", 385, 10'000'000, 500'000'000, 12, "credit",
     "按纳税信用等级授信，纳税信用 A、B 级企业可申请",
     "credit_rating in [\"A\", \"B\"] and tax_paid_fen >= 5000000 and not bad_credit"},
};

}  // namespace

Result<int> LoadDemoLoans(App& app) {
  policy::LoanService& svc = app.policy->loans;
  const identity::Principal system = identity::Principal::System();
  ASSIGN_OR_RETURN(std::vector<policy::LoanProduct> existing, svc.Products(system, true));
  if (!existing.empty()) return 0;
  Result<identity::Department> bank = app.identity.departments.GetByCode("HN-YZ-CCB");
  if (!bank.has_value()) return 0;  // a database from before the bank was in the demo
  int made = 0;
  for (const DemoLoan& l : kLoans) {
    policy::LoanProductInput in;
    in.department_id = bank->id;
    in.bank_name = bank->name;
    in.name = l.name;
    in.rate_bp = l.rate_bp;
    in.min_amount_fen = l.min_fen;
    in.max_amount_fen = l.max_fen;
    in.max_term_months = l.max_term_months;
    in.guarantee = l.guarantee;
    in.description = l.description;
    in.rule_text = l.rule;
    ASSIGN_OR_RETURN(policy::LoanProduct p, svc.Create(system, in));
    ASSIGN_OR_RETURN([[maybe_unused]] policy::LoanProduct published, svc.Publish(system, p.id));
    ++made;
  }
  return made;
}

}  // namespace onestop::app
