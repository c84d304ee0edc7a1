#include "policy/loan_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "core/id_number.h"
#include "core/ids.h"
#include "core/text.h"
#include "notify/notify.h"
#include "policy/internal/service_util.h"
#include "policy/matcher.h"

namespace onestop::policy {
namespace json = boost::json;
using identity::Permission;
using identity::Principal;
using internal::CheckDepartment;
using internal::Code;
using internal::FieldErrors;
using internal::LabelOf;
using internal::Trimmed;

namespace {

constexpr const char* kProductCols =
    "id, department_id, bank_name, name, rate_bp, min_amount_fen, max_amount_fen, "
    "max_term_months, guarantee, description, cond_json, status, version, created_at_ms, "
    "updated_at_ms";
constexpr const char* kRequestCols =
    "r.id, r.product_id, p.name, p.bank_name, r.enterprise_id, r.enterprise_name, r.amount_fen, "
    "r.term_months, r.purpose, r.contact_name, r.contact_phone, r.snapshot_json, r.status, "
    "r.answer, r.approved_amount_fen, r.approved_rate_bp, r.answered_by, r.answered_at_ms, "
    "r.created_at_ms, r.updated_at_ms, r.version";
constexpr const char* kRequestFrom =
    " FROM policy_loan_request r JOIN policy_loan_product p ON p.id = r.product_id";

constexpr Code kGuarantees[] = {
    {"credit", "信用"}, {"mortgage", "抵押"}, {"guarantee", "担保"}, {"pledge", "质押"}};
constexpr Code kProductStatuses[] = {
    {"draft", "草稿"}, {"published", "已发布"}, {"withdrawn", "已下架"}};
constexpr Code kRequestStatuses[] = {{"submitted", "已提交"},
                                     {"accepted", "银行已受理"},
                                     {"approved", "已获批"},
                                     {"rejected", "未获批"},
                                     {"withdrawn", "已撤回"}};

std::string Yuan(std::int64_t fen) {
  std::string s = std::to_string(fen / 100) + ".";
  const std::int64_t cents = fen % 100;
  if (cents < 10) s += "0";
  return s + std::to_string(cents);
}

// Validates a product; fills the condition. Field errors under policy.invalid_loan_product.
Result<LoanProduct> CheckProduct(const LoanProductInput& in, const FactSchema& schema) {
  LoanProduct p;
  p.department_id = Trimmed(in.department_id);
  p.bank_name = Trimmed(in.bank_name);
  p.name = Trimmed(in.name);
  p.rate_bp = in.rate_bp;
  p.min_amount_fen = in.min_amount_fen;
  p.max_amount_fen = in.max_amount_fen;
  p.max_term_months = in.max_term_months;
  p.guarantee = Trimmed(in.guarantee);
  p.description = Trimmed(in.description);
  FieldErrors errors;
  if (p.bank_name.empty()) errors.Add("bankName", "请填写银行名称");
  if (text::CountCodePoints(p.bank_name) > kMaxLoanNameChars) {
    errors.Add("bankName", "银行名称不能超过 " + std::to_string(kMaxLoanNameChars) + " 个字");
  }
  if (p.name.empty()) errors.Add("name", "请填写产品名称");
  if (text::CountCodePoints(p.name) > kMaxLoanNameChars) {
    errors.Add("name", "产品名称不能超过 " + std::to_string(kMaxLoanNameChars) + " 个字");
  }
  if (p.rate_bp <= 0 || p.rate_bp > kMaxRateBp) {
    errors.Add("rateBp", "年化利率应大于 0 且不超过 36%");
  }
  if (p.min_amount_fen <= 0) errors.Add("minAmountFen", "最低金额应大于 0");
  if (p.max_amount_fen < p.min_amount_fen) errors.Add("maxAmountFen", "最高金额不能低于最低金额");
  if (p.max_term_months < 1 || p.max_term_months > 360) {
    errors.Add("maxTermMonths", "最长期限应在 1 到 360 个月之间");
  }
  if (LabelOf(kGuarantees, p.guarantee).empty()) {
    errors.Add("guarantee", "担保方式只能是信用、抵押、担保或质押：" + p.guarantee);
  }
  if (text::CountCodePoints(p.description) > kMaxLoanTextChars) {
    errors.Add("description", "产品说明不能超过 " + std::to_string(kMaxLoanTextChars) + " 个字");
  }
  const bool has_json = !Trimmed(in.rule_json).empty();
  const bool has_text = !Trimmed(in.rule_text).empty();
  if (has_json && has_text) {
    errors.Add("rule", "准入条件请只填写一种形式（JSON 或文本）");
  } else if (!has_json && !has_text) {
    errors.Add("rule", "请填写准入条件");
  }
  if (!errors.empty()) return errors.ToError("policy.invalid_loan_product");
  Result<Cond> c = has_json ? FromJsonText(in.rule_json, &schema) : ParseText(in.rule_text, schema);
  if (!c.has_value()) {
    Error e = std::move(c).error();
    std::string message = "准入条件：" + e.message;
    e.message = message;
    return std::move(e).WithField("rule", message);
  }
  p.cond = std::move(*c);
  p.rule_json = json::serialize(ToJson(p.cond));
  p.rule_text = ToText(p.cond, schema);
  p.rule_text_zh = ToText(p.cond, schema, /*chinese=*/true);
  return p;
}

Result<LoanProduct> ProductFromRow(const store::Row& r, const FactSchema& schema) {
  LoanProduct p;
  p.id = r.Text(0);
  p.department_id = r.Text(1);
  p.bank_name = r.Text(2);
  p.name = r.Text(3);
  p.rate_bp = static_cast<int>(r.Int(4));
  p.min_amount_fen = r.Int(5);
  p.max_amount_fen = r.Int(6);
  p.max_term_months = static_cast<int>(r.Int(7));
  p.guarantee = r.Text(8);
  p.description = r.Text(9);
  p.rule_json = r.Text(10);
  ASSIGN_OR_RETURN(p.cond, FromJsonText(p.rule_json, nullptr));
  p.rule_text = ToText(p.cond, schema);
  p.rule_text_zh = ToText(p.cond, schema, /*chinese=*/true);
  p.status = r.Text(11);
  p.version = r.Int(12);
  p.created_at_ms = r.Int(13);
  p.updated_at_ms = r.Int(14);
  return p;
}

LoanRequest RequestFromRow(const store::Row& r) {
  LoanRequest q;
  q.id = r.Text(0);
  q.product_id = r.Text(1);
  q.product_name = r.Text(2);
  q.bank_name = r.Text(3);
  q.enterprise_id = r.Text(4);
  q.enterprise_name = r.Text(5);
  q.amount_fen = r.Int(6);
  q.term_months = static_cast<int>(r.Int(7));
  q.purpose = r.Text(8);
  q.contact_name = r.Text(9);
  q.contact_phone = r.Text(10);
  q.snapshot_json = r.Text(11);
  q.status = r.Text(12);
  q.answer = r.Text(13);
  q.approved_amount_fen = r.Int(14);
  q.approved_rate_bp = static_cast<int>(r.Int(15));
  q.answered_by = r.Text(16);
  q.answered_at_ms = r.Int(17);
  q.created_at_ms = r.Int(18);
  q.updated_at_ms = r.Int(19);
  q.version = r.Int(20);
  return q;
}

Result<LoanProduct> LoadProduct(store::Tx& tx, const std::string& id, const FactSchema& schema) {
  ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + kProductCols +
                                                  " FROM policy_loan_product WHERE id = ?",
                                              {id}));
  if (rows.empty()) return NotFound("policy.no_such_loan_product", "没有这个贷款产品：" + id);
  return ProductFromRow(rows.front(), schema);
}

Result<LoanRequest> LoadRequest(store::Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query(std::string("SELECT ") + kRequestCols + kRequestFrom + " WHERE r.id = ?", {id}));
  if (rows.empty()) return NotFound("policy.no_such_loan_request", "没有这个融资需求：" + id);
  return RequestFromRow(rows.front());
}

Result<std::vector<LoanRequest>> LoadRequests(store::Tx& tx, const std::string& where,
                                              std::vector<store::Value> params) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query(std::string("SELECT ") + kRequestCols + kRequestFrom + " WHERE " +
                                where + " ORDER BY r.created_at_ms DESC, r.id DESC",
                            params));
  std::vector<LoanRequest> out;
  for (const store::Row& r : rows) out.push_back(RequestFromRow(r));
  return out;
}

Result<void> WriteProduct(store::Tx& tx, const LoanProduct& p, std::int64_t expected_version) {
  ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Exec("UPDATE policy_loan_product SET department_id = ?, bank_name = ?, name = ?, "
              "rate_bp = ?, min_amount_fen = ?, max_amount_fen = ?, max_term_months = ?, "
              "guarantee = ?, description = ?, cond_json = ?, status = ?, version = ?, "
              "updated_at_ms = ? WHERE id = ? AND version = ?",
              {p.department_id, p.bank_name, p.name, std::int64_t{p.rate_bp}, p.min_amount_fen,
               p.max_amount_fen, std::int64_t{p.max_term_months}, p.guarantee, p.description,
               p.rule_json, p.status, p.version, p.updated_at_ms, p.id, expected_version}));
  if (n != 1) return Aborted("store.version_conflict", "贷款产品已被他人修改，请刷新后重试");
  return {};
}

json::object ProductDetails(const LoanProduct& p) {
  return {{"bankName", p.bank_name},
          {"name", p.name},
          {"rateBp", p.rate_bp},
          {"status", p.status},
          {"rule", p.rule_json},
          {"departmentId", p.department_id},
          {"maxAmountFen", p.max_amount_fen}};
}

// The failed conditions of an explanation, one per line ("员工数 35 < 50").
std::string FailedText(const Explanation& e) {
  std::string out;
  for (const LeafExplanation& l : e.leaves) {
    if (l.held != l.negated) continue;  // this leaf is as the rule wants it
    if (!out.empty()) out += "；";
    out += l.text;
  }
  return out;
}

}  // namespace

std::string_view GuaranteeLabel(std::string_view code) { return LabelOf(kGuarantees, code); }
std::string_view LoanProductStatusLabel(std::string_view status) {
  return LabelOf(kProductStatuses, status);
}
std::string_view LoanRequestStatusLabel(std::string_view status) {
  return LabelOf(kRequestStatuses, status);
}

LoanService::LoanService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                         FactSource& facts, const FactSchema& schema)
    : db_(db), clock_(clock), audit_(audit), facts_(facts), schema_(schema) {}

Result<LoanProduct> LoanService::Create(const Principal& actor, const LoanProductInput& input) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(LoanProduct p, CheckProduct(input, schema_));
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanProduct> {
    RETURN_IF_ERROR(CheckDepartment(tx, p.department_id));
    const Millis now = clock_.NowMs();
    p.id = NewUlid(now);
    p.status = "draft";
    p.version = 1;
    p.created_at_ms = p.updated_at_ms = now;
    RETURN_IF_ERROR(tx.Exec(
        std::string("INSERT INTO policy_loan_product (") + kProductCols +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {p.id, p.department_id, p.bank_name, p.name, std::int64_t{p.rate_bp}, p.min_amount_fen,
         p.max_amount_fen, std::int64_t{p.max_term_months}, p.guarantee, p.description, p.rule_json,
         p.status, p.version, p.created_at_ms, p.updated_at_ms}));
    RETURN_IF_ERROR(
        internal::Audit(tx, audit_, actor, "policy.loan.create", "loan", p.id, ProductDetails(p)));
    return p;
  });
}

Result<LoanProduct> LoanService::Update(const Principal& actor, const std::string& id,
                                        const LoanProductInput& input,
                                        std::int64_t expected_version) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(LoanProduct checked, CheckProduct(input, schema_));
  RETURN_IF_ERROR(
      identity::RequireInScope(actor, Permission::kManageCatalog, checked.department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanProduct> {
    ASSIGN_OR_RETURN(LoanProduct p, LoadProduct(tx, id, schema_));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status == "withdrawn") {
      return FailedPrecondition("policy.loan_withdrawn", "已下架的贷款产品不能修改");
    }
    if (p.version != expected_version) {
      return Aborted("store.version_conflict", "贷款产品已被他人修改，请刷新后重试");
    }
    RETURN_IF_ERROR(CheckDepartment(tx, checked.department_id));
    checked.id = p.id;
    checked.status = p.status;
    checked.created_at_ms = p.created_at_ms;
    checked.version = expected_version + 1;
    checked.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WriteProduct(tx, checked, expected_version));
    RETURN_IF_ERROR(internal::Audit(tx, audit_, actor, "policy.loan.update", "loan", checked.id,
                                    ProductDetails(checked)));
    return checked;
  });
}

Result<LoanProduct> LoanService::Publish(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanProduct> {
    ASSIGN_OR_RETURN(LoanProduct p, LoadProduct(tx, id, schema_));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status != "draft") {
      return FailedPrecondition("policy.not_draft", "只有草稿状态的贷款产品可以发布");
    }
    const std::int64_t old = p.version;
    p.status = "published";
    p.version = old + 1;
    p.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WriteProduct(tx, p, old));
    RETURN_IF_ERROR(
        internal::Audit(tx, audit_, actor, "policy.loan.publish", "loan", p.id, ProductDetails(p)));
    return p;
  });
}

Result<LoanProduct> LoanService::Withdraw(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanProduct> {
    ASSIGN_OR_RETURN(LoanProduct p, LoadProduct(tx, id, schema_));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
    if (p.status != "published") {
      return FailedPrecondition("policy.not_published", "只有已发布的贷款产品可以下架");
    }
    const std::int64_t old = p.version;
    p.status = "withdrawn";
    p.version = old + 1;
    p.updated_at_ms = clock_.NowMs();
    RETURN_IF_ERROR(WriteProduct(tx, p, old));
    RETURN_IF_ERROR(internal::Audit(tx, audit_, actor, "policy.loan.withdraw", "loan", p.id,
                                    ProductDetails(p)));
    return p;
  });
}

Result<std::vector<LoanProduct>> LoanService::Products(const Principal& actor, bool mine) {
  if (mine) RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<LoanProduct>> {
    ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query(std::string("SELECT ") + kProductCols + " FROM policy_loan_product WHERE status " +
                     (mine ? "<> ''" : "= 'published'") + " ORDER BY rate_bp, created_at_ms, id",
                 {}));
    std::vector<LoanProduct> out;
    for (const store::Row& r : rows) {
      ASSIGN_OR_RETURN(LoanProduct p, ProductFromRow(r, schema_));
      if (mine && !actor.CoversDepartment(p.department_id)) continue;
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<LoanProduct> LoanService::Get(const Principal& actor, const std::string& id) {
  ASSIGN_OR_RETURN(LoanProduct p,
                   store::Read(db_, [&](store::Tx& tx) { return LoadProduct(tx, id, schema_); }));
  if (p.status == "draft" &&
      !(actor.Has(Permission::kManageCatalog) && actor.CoversDepartment(p.department_id))) {
    return NotFound("policy.no_such_loan_product", "没有这个贷款产品：" + id);
  }
  return p;
}

Result<LoanService::Eligible> LoanService::EligibleEnterprises(const Principal& actor,
                                                               const std::string& product_id,
                                                               std::size_t sample) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kManageCatalog));
  ASSIGN_OR_RETURN(LoanProduct p, Get(actor, product_id));
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kManageCatalog, p.department_id));
  ASSIGN_OR_RETURN(FactStore store, facts_.LoadAll());
  const std::vector<Cond> rules{p.cond};
  Matcher matcher = Matcher::Compile(rules);
  matcher.Run(store);
  Eligible out;
  out.count = matcher.Count(0);
  out.enterprises = store.size();
  for (FactStore::Row row = 0; row < store.size() && out.sample.size() < sample; ++row) {
    if (matcher.Matches(0, row)) out.sample.push_back(store.IdOf(row));
  }
  return out;
}

Result<std::vector<LoanOffer>> LoanService::ForMe(const Principal& actor) {
  ASSIGN_OR_RETURN(std::string enterprise_id, facts_.EnterpriseIdOf(actor));
  ASSIGN_OR_RETURN(std::vector<LoanProduct> products, Products(actor, /*mine=*/false));
  Result<FactSnapshot> snapshot = facts_.Snapshot(enterprise_id);
  Facts facts;
  if (snapshot.has_value()) {
    facts = snapshot->AsFacts();
  } else if (snapshot.error().code != ErrorCode::kNotFound) {
    return std::move(snapshot).error();
  }
  ASSIGN_OR_RETURN(std::vector<LoanRequest> requests, MyRequests(actor));
  std::vector<LoanOffer> out;
  for (LoanProduct& p : products) {
    LoanOffer o;
    o.explanation = Explain(p.cond, facts, schema_);
    o.has_open_request = std::any_of(requests.begin(), requests.end(), [&](const LoanRequest& r) {
      return r.product_id == p.id && (r.status == "submitted" || r.status == "accepted");
    });
    o.product = std::move(p);
    out.push_back(std::move(o));
  }
  std::stable_sort(out.begin(), out.end(), [](const LoanOffer& a, const LoanOffer& b) {
    return a.explanation.eligible > b.explanation.eligible;
  });
  return out;
}

Result<LoanRequest> LoanService::Request(const Principal& actor, const std::string& product_id,
                                         const LoanRequestInput& input) {
  ASSIGN_OR_RETURN(std::string enterprise_id, facts_.EnterpriseIdOf(actor));
  ASSIGN_OR_RETURN(LoanProduct p, Get(actor, product_id));
  if (p.status != "published") {
    return FailedPrecondition("policy.loan_not_published", "该贷款产品已下架，不能申请");
  }
  LoanRequest q;
  q.amount_fen = input.amount_fen;
  q.term_months = input.term_months;
  q.purpose = Trimmed(input.purpose);
  q.contact_name = Trimmed(input.contact_name);
  q.contact_phone = Trimmed(input.contact_phone);
  FieldErrors errors;
  if (q.amount_fen < p.min_amount_fen || q.amount_fen > p.max_amount_fen) {
    errors.Add("amountFen", "申请金额应在 " + Yuan(p.min_amount_fen) + " 元到 " +
                                Yuan(p.max_amount_fen) + " 元之间");
  }
  if (q.term_months < 1 || q.term_months > p.max_term_months) {
    errors.Add("termMonths",
               "贷款期限应在 1 到 " + std::to_string(p.max_term_months) + " 个月之间");
  }
  if (q.purpose.empty()) errors.Add("purpose", "请填写资金用途");
  if (text::CountCodePoints(q.purpose) > kMaxLoanTextChars) {
    errors.Add("purpose", "资金用途不能超过 " + std::to_string(kMaxLoanTextChars) + " 个字");
  }
  if (q.contact_name.empty()) errors.Add("contactName", "请填写联系人");
  if (Result<std::string> phone = ValidateMobile(q.contact_phone); !phone.has_value()) {
    errors.Add("contactPhone", phone.error().message);
  } else {
    q.contact_phone = *phone;
  }
  if (!errors.empty()) return errors.ToError("policy.invalid_loan_request");

  ASSIGN_OR_RETURN(FactSnapshot snapshot, facts_.Snapshot(enterprise_id));
  const Explanation why = Explain(p.cond, snapshot.AsFacts(), schema_);
  if (!why.eligible) {
    return FailedPrecondition("policy.not_eligible",
                              "不符合「" + p.name + "」的准入条件：" + FailedText(why));
  }
  Result<LoanRequest> filed = store::Transact(db_, [&](store::Tx& tx) -> Result<LoanRequest> {
    ASSIGN_OR_RETURN(store::Rows open,
                     tx.Query("SELECT id FROM policy_loan_request WHERE product_id = ? AND "
                              "enterprise_id = ? AND status IN ('submitted', 'accepted')",
                              {p.id, enterprise_id}));
    if (!open.empty()) {
      return FailedPrecondition("policy.loan_request_open",
                                "已向该产品提交过融资需求，请等待银行答复");
    }
    const Millis now = clock_.NowMs();
    q.id = NewUlid(now);
    q.product_id = p.id;
    q.product_name = p.name;
    q.bank_name = p.bank_name;
    q.enterprise_id = enterprise_id;
    q.enterprise_name = snapshot.name;
    q.snapshot_json = SnapshotToJson(snapshot);
    q.status = "submitted";
    q.created_at_ms = q.updated_at_ms = now;
    q.version = 1;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO policy_loan_request (id, product_id, enterprise_id, enterprise_name, "
        "party_id, amount_fen, term_months, purpose, contact_name, contact_phone, snapshot_json, "
        "status, answer, approved_amount_fen, approved_rate_bp, answered_by, answered_at_ms, "
        "created_by, created_at_ms, updated_at_ms, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, 0, '', 0, ?, ?, ?, ?)",
        {q.id, q.product_id, q.enterprise_id, q.enterprise_name, actor.enterprise_id.value_or(""),
         q.amount_fen, std::int64_t{q.term_months}, q.purpose, q.contact_name, q.contact_phone,
         q.snapshot_json, q.status, actor.user_id, q.created_at_ms, q.updated_at_ms, q.version}));
    RETURN_IF_ERROR(internal::Audit(tx, audit_, actor, "policy.loan.request", "loan", q.id,
                                    {{"productId", p.id},
                                     {"enterpriseId", enterprise_id},
                                     {"amountFen", q.amount_fen},
                                     {"termMonths", q.term_months}}));
    return q;
  });
  // Two clicks at once: the second one meets the unique index.
  if (!filed.has_value() && filed.error().code == ErrorCode::kAlreadyExists) {
    return FailedPrecondition("policy.loan_request_open",
                              "已向该产品提交过融资需求，请等待银行答复");
  }
  return filed;
}

Result<LoanRequest> LoanService::WithdrawRequest(const Principal& actor, const std::string& id) {
  ASSIGN_OR_RETURN(std::string enterprise_id, facts_.EnterpriseIdOf(actor));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanRequest> {
    ASSIGN_OR_RETURN(LoanRequest q, LoadRequest(tx, id));
    if (q.enterprise_id != enterprise_id) {
      return NotFound("policy.no_such_loan_request", "没有这个融资需求：" + id);
    }
    if (q.status != "submitted" && q.status != "accepted") {
      return FailedPrecondition("policy.loan_request_closed", "该融资需求已办结，不能撤回");
    }
    const Millis now = clock_.NowMs();
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE policy_loan_request SET status = 'withdrawn', "
                "updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
                {now, q.id, q.version}));
    if (n != 1) return Aborted("store.version_conflict", "融资需求已变化，请刷新后重试");
    q.status = "withdrawn";
    q.updated_at_ms = now;
    ++q.version;
    RETURN_IF_ERROR(internal::Audit(tx, audit_, actor, "policy.loan.request_withdraw", "loan", q.id,
                                    {{"productId", q.product_id}}));
    return q;
  });
}

Result<std::vector<LoanRequest>> LoanService::MyRequests(const Principal& actor) {
  ASSIGN_OR_RETURN(std::string enterprise_id, facts_.EnterpriseIdOf(actor));
  return store::Read(db_, [&](store::Tx& tx) {
    return LoadRequests(tx, "r.enterprise_id = ?", {store::Value(enterprise_id)});
  });
}

Result<std::vector<LoanRequest>> LoanService::BankRequests(const Principal& actor,
                                                           const std::string& status) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  if (!status.empty() && LoanRequestStatusLabel(status).empty()) {
    return InvalidArgument("policy.bad_query", "未知的融资需求状态：" + status);
  }
  ASSIGN_OR_RETURN(std::vector<LoanRequest> all, store::Read(db_, [&](store::Tx& tx) {
                     return status.empty()
                                ? LoadRequests(tx, "1 = 1", {})
                                : LoadRequests(tx, "r.status = ?", {store::Value(status)});
                   }));
  // Keep the requests to products of departments the actor's scope covers.
  ASSIGN_OR_RETURN(
      std::vector<LoanProduct> products,
      store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<LoanProduct>> {
        ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(std::string("SELECT ") + kProductCols + " FROM policy_loan_product", {}));
        std::vector<LoanProduct> out;
        for (const store::Row& r : rows) {
          ASSIGN_OR_RETURN(LoanProduct p, ProductFromRow(r, schema_));
          out.push_back(std::move(p));
        }
        return out;
      }));
  std::vector<LoanRequest> out;
  for (LoanRequest& q : all) {
    auto p = std::find_if(products.begin(), products.end(),
                          [&](const LoanProduct& x) { return x.id == q.product_id; });
    if (p != products.end() &&
        identity::RequireInScope(actor, Permission::kReviewCases, p->department_id).has_value()) {
      out.push_back(std::move(q));
    }
  }
  return out;
}

Result<LoanRequest> LoanService::Answer(const Principal& actor, const std::string& id,
                                        const LoanAnswer& answer, std::int64_t expected_version) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kReviewCases));
  const std::string decision = Trimmed(answer.decision);
  const std::string message = Trimmed(answer.message);
  if (decision != "accept" && decision != "approve" && decision != "reject") {
    return InvalidArgument("policy.invalid_loan_answer",
                           "答复只能是受理（accept）、批准（approve）或不予批准（reject）")
        .WithField("decision", "请选择答复");
  }
  if (decision == "reject" && message.empty()) {
    return InvalidArgument("policy.invalid_loan_answer", "不予批准时请说明原因")
        .WithField("message", "不予批准时请说明原因");
  }
  if (text::CountCodePoints(message) > kMaxLoanTextChars) {
    return InvalidArgument("policy.invalid_loan_answer", "答复不能超过 1000 个字")
        .WithField("message", "答复不能超过 1000 个字");
  }
  return store::Transact(db_, [&](store::Tx& tx) -> Result<LoanRequest> {
    ASSIGN_OR_RETURN(LoanRequest q, LoadRequest(tx, id));
    ASSIGN_OR_RETURN(LoanProduct p, LoadProduct(tx, q.product_id, schema_));
    RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kReviewCases, p.department_id));
    if (q.status != "submitted" && q.status != "accepted") {
      return FailedPrecondition("policy.loan_request_closed", "该融资需求已办结，不能再答复");
    }
    if (decision == "accept" && q.status != "submitted") {
      return FailedPrecondition("policy.loan_request_closed", "该融资需求已受理");
    }
    if (q.version != expected_version) {
      return Aborted("store.version_conflict", "融资需求已变化，请刷新后重试");
    }
    if (decision == "approve") {
      if (answer.approved_amount_fen <= 0 || answer.approved_amount_fen > p.max_amount_fen) {
        return InvalidArgument(
                   "policy.invalid_loan_answer",
                   "批准金额应大于 0 且不超过产品最高额度 " + Yuan(p.max_amount_fen) + " 元")
            .WithField("approvedAmountFen", "批准金额超出范围");
      }
      if (answer.approved_rate_bp <= 0 || answer.approved_rate_bp > kMaxRateBp) {
        return InvalidArgument("policy.invalid_loan_answer", "批准利率应大于 0 且不超过 36%")
            .WithField("approvedRateBp", "批准利率超出范围");
      }
    }
    const Millis now = clock_.NowMs();
    q.status = decision == "accept" ? "accepted" : decision == "approve" ? "approved" : "rejected";
    q.answer = message;
    q.approved_amount_fen = decision == "approve" ? answer.approved_amount_fen : 0;
    q.approved_rate_bp = decision == "approve" ? answer.approved_rate_bp : 0;
    q.answered_by = actor.user_id;
    q.answered_at_ms = now;
    q.updated_at_ms = now;
    ASSIGN_OR_RETURN(
        std::int64_t n,
        tx.Exec("UPDATE policy_loan_request SET status = ?, answer = ?, "
                "approved_amount_fen = ?, approved_rate_bp = ?, answered_by = ?, "
                "answered_at_ms = ?, updated_at_ms = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                {q.status, q.answer, q.approved_amount_fen, std::int64_t{q.approved_rate_bp},
                 q.answered_by, q.answered_at_ms, q.updated_at_ms, q.id, expected_version}));
    if (n != 1) return Aborted("store.version_conflict", "融资需求已变化，请刷新后重试");
    q.version = expected_version + 1;
    ASSIGN_OR_RETURN(store::Rows party,
                     tx.Query("SELECT party_id FROM policy_loan_request WHERE id = ?", {q.id}));
    notify::Message m;
    m.recipient_party_id = party.front().Text(0);
    m.title = "融资需求答复：" + p.name;
    m.body = p.bank_name + "对您的融资需求（" + Yuan(q.amount_fen) + " 元）答复：" +
             std::string(LoanRequestStatusLabel(q.status)) +
             (q.status == "approved" ? "，批准金额 " + Yuan(q.approved_amount_fen) + " 元" : "") +
             (message.empty() ? "" : "。" + message);
    m.template_code = "policy.loan.answer";
    m.subject_type = "loan_request";
    m.subject_id = q.id;
    if (!m.recipient_party_id.empty()) {
      Result<std::string> queued = notify::Enqueue(tx, clock_, m);
      if (!queued.has_value()) return std::move(queued).error();
    }
    RETURN_IF_ERROR(internal::Audit(tx, audit_, actor, "policy.loan.answer", "loan", q.id,
                                    {{"decision", decision},
                                     {"status", q.status},
                                     {"approvedAmountFen", q.approved_amount_fen}}));
    return q;
  });
}

}  // namespace onestop::policy
