// LoanService (融资一件事) on both databases: a bank publishes a product with eligibility
// conditions, the matcher counts the eligible enterprises, an eligible enterprise files a
// one-click request (an ineligible one is told why), the bank answers and the enterprise is
// notified; every bad input fails with its reason and changes nothing.
#include "policy/loan_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <thread>

#include "notify/inbox_service.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;

// Enterprise data held in memory: uscc → facts; an enterprise account's party id → uscc.
class MemoryFacts : public FactSource {
 public:
  void Put(const std::string& party, const std::string& uscc, const std::string& name,
           std::vector<SourcedFact> facts) {
    FactSnapshot s;
    s.enterprise_id = uscc;
    s.name = name;
    s.facts = std::move(facts);
    snapshots_[uscc] = std::move(s);
    if (!party.empty()) parties_[party] = uscc;
  }
  Result<FactStore> LoadAll() override {
    FactStore store;
    for (const auto& [id, s] : snapshots_) store.Upsert(EnterpriseLine{id, s.AsFacts()});
    store.Seal();
    return store;
  }
  Result<FactSnapshot> Snapshot(const std::string& id) override {
    auto it = snapshots_.find(id);
    if (it == snapshots_.end()) return NotFound("policy.no_such_enterprise", "没有这家企业");
    return it->second;
  }
  Result<std::string> EnterpriseIdOf(const identity::Principal& actor) override {
    if (!actor.enterprise_id || !parties_.count(*actor.enterprise_id)) {
      return FailedPrecondition("policy.not_enterprise", "请使用企业账号登录");
    }
    return parties_.at(*actor.enterprise_id);
  }

 private:
  std::map<std::string, FactSnapshot> snapshots_;
  std::map<std::string, std::string> parties_;
};

// IsError, and the message holds `text`.
template <typename T>
::testing::AssertionResult Fails(const Result<T>& r, ErrorCode code, std::string_view reason,
                                 std::string_view text = "") {
  ::testing::AssertionResult a = IsError(r, code, reason);
  if (!a) return a;
  if (r.error().message.find(text) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "message 「" << r.error().message << "」 lacks " << text;
  }
  return ::testing::AssertionSuccess();
}

SourcedFact F(std::string fact, Value v, std::string source = "市场监管") {
  return {std::move(fact), std::move(v), std::move(source), "2026-10-31"};
}

class LoanServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    identity_ =
        std::make_unique<identity::IdentityServices>(t_->db(), t_->clock(), *audit_, hasher_);
    bank_ = testutil::MakeDepartment(*identity_, "ccb", "建设银行长沙分行", std::nullopt);
    other_bank_ = testutil::MakeDepartment(*identity_, "icbc", "工商银行长沙分行", std::nullopt);
    facts_.Put("party-good", "91430100MA4L000001", "长沙星辰精密制造有限公司",
               {F("employees", 120.0, "人社"), F("high_tech", true, "科技"),
                F("credit_rating", std::string("A"), "税务"), F("bad_credit", false, "信用")});
    facts_.Put("party-small", "91430100MA4L000002", "长沙小满餐饮有限公司",
               {F("employees", 8.0, "人社"), F("high_tech", false, "科技"),
                F("credit_rating", std::string("B"), "税务")});
    facts_.Put("", "91430100MA4L000003", "长沙另一家科技有限公司",
               {F("employees", 60.0), F("high_tech", true)});
    service_ = std::make_unique<LoanService>(t_->db(), t_->clock(), *audit_, facts_, schema_);
  }

  identity::Principal Banker(const std::string& dept) const {
    identity::Principal p;
    p.user_id = "u-banker-" + dept;
    p.display_name = "客户经理";
    p.department_id = dept;
    p.data_scope = identity::DataScope::kDept;
    p.scope_department_ids = {dept};
    p.permissions = {identity::Permission::kManageCatalog, identity::Permission::kReviewCases};
    return p;
  }
  static identity::Principal Company(const std::string& party) {
    identity::Principal p;
    p.user_id = "u-" + party;
    p.display_name = "企业经办人";
    p.kind = identity::UserKind::kEnterprise;
    p.enterprise_id = party;
    p.permissions = {identity::Permission::kApplyCases};
    return p;
  }

  LoanProductInput Input() const {
    LoanProductInput in;
    in.department_id = bank_;
    in.bank_name = "中国建设银行长沙分行";
    in.name = "科技贷";
    in.rate_bp = 345;
    in.min_amount_fen = 10'000'000;     // 10 万元
    in.max_amount_fen = 1'000'000'000;  // 1000 万元
    in.max_term_months = 36;
    in.guarantee = "credit";
    in.description = "面向高新技术企业的纯信用贷款";
    in.rule_text = "high_tech and employees >= 50 and not bad_credit";
    return in;
  }

  LoanProduct MustPublish(LoanProductInput in) {
    Result<LoanProduct> p = service_->Create(Banker(in.department_id), in);
    EXPECT_TRUE(p.has_value()) << p.error().message;
    if (!p.has_value()) return {};
    Result<LoanProduct> published = service_->Publish(Banker(in.department_id), p->id);
    EXPECT_TRUE(published.has_value()) << published.error().message;
    return published.has_value() ? *published : *p;
  }

  LoanRequestInput Ask() const {
    LoanRequestInput in;
    in.amount_fen = 300'000'000;  // 300 万元
    in.term_months = 24;
    in.purpose = "购置数控机床";
    in.contact_name = "王敏";
    in.contact_phone = "13800138000";
    return in;
  }

  std::int64_t Count(const std::string& table) {
    Result<std::int64_t> n = store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
      ASSIGN_OR_RETURN(store::Rows rows, tx.Query("SELECT COUNT(*) FROM " + table));
      return rows.front().Int(0);
    });
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<identity::IdentityServices> identity_;
  std::string bank_, other_bank_;
  FactSchema schema_ = FactSchema::Default();
  MemoryFacts facts_;
  std::unique_ptr<LoanService> service_;
};

TEST_P(LoanServiceTest, ABankPublishesAProductAndTheMatcherCountsWhoQualifies) {
  const LoanProduct p = MustPublish(Input());
  EXPECT_EQ(p.status, "published");
  EXPECT_EQ(p.rule_text, "high_tech and employees >= 50 and not bad_credit");
  EXPECT_THAT(p.rule_text_zh, HasSubstr("员工数"));

  Result<LoanService::Eligible> e = service_->EligibleEnterprises(Banker(bank_), p.id);
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->enterprises, 3u);
  EXPECT_EQ(e->count, 2u);  // 星辰 and 另一家: high-tech, ≥ 50 staff, not listed
  EXPECT_THAT(e->sample, ElementsAre("91430100MA4L000001", "91430100MA4L000003"));

  // Everyone sees published products; another bank cannot count for this one.
  Result<std::vector<LoanProduct>> all = service_->Products(identity::Principal{}, false);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_TRUE(Fails(service_->EligibleEnterprises(Banker(other_bank_), p.id),
                    ErrorCode::kPermissionDenied, "identity.out_of_scope"));
}

TEST_P(LoanServiceTest, BadProductsAreRefusedWithTheFieldAndNothingIsWritten) {
  LoanProductInput in = Input();
  in.rate_bp = 5000;
  in.max_amount_fen = 1;
  in.guarantee = "friendship";
  EXPECT_TRUE(Fails(service_->Create(Banker(bank_), in), ErrorCode::kInvalidArgument,
                    "policy.invalid_loan_product", "年化利率"));
  in = Input();
  in.rule_text = "employees >=";
  EXPECT_TRUE(Fails(service_->Create(Banker(bank_), in), ErrorCode::kInvalidArgument,
                    "policy.rule_syntax", "第1行"));
  in = Input();
  in.rule_text = "turnover > 5";
  EXPECT_TRUE(Fails(service_->Create(Banker(bank_), in), ErrorCode::kInvalidArgument,
                    "policy.unknown_fact"));
  in = Input();
  in.rule_text = "employees == \"many\"";
  EXPECT_TRUE(Fails(service_->Create(Banker(bank_), in), ErrorCode::kInvalidArgument,
                    "policy.type_mismatch"));
  // Another bank's staff cannot publish in this bank's name.
  EXPECT_TRUE(Fails(service_->Create(Banker(other_bank_), Input()), ErrorCode::kPermissionDenied,
                    "identity.out_of_scope"));
  EXPECT_TRUE(Fails(service_->Create(Company("party-good"), Input()), ErrorCode::kPermissionDenied,
                    "identity.permission_denied"));
  EXPECT_EQ(Count("policy_loan_product"), 0);
}

TEST_P(LoanServiceTest, AnEligibleEnterpriseRequestsInOneClickAndTheBankAnswers) {
  const LoanProduct p = MustPublish(Input());
  Result<std::vector<LoanOffer>> offers = service_->ForMe(Company("party-good"));
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  ASSERT_EQ(offers->size(), 1u);
  EXPECT_TRUE(offers->front().explanation.eligible);

  Result<LoanRequest> q = service_->Request(Company("party-good"), p.id, Ask());
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->status, "submitted");
  EXPECT_EQ(q->enterprise_name, "长沙星辰精密制造有限公司");
  Result<FactSnapshot> kept = SnapshotFromJson(q->snapshot_json);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->facts.size(), 4u);

  // The same click again: one open request per product.
  EXPECT_TRUE(Fails(service_->Request(Company("party-good"), p.id, Ask()),
                    ErrorCode::kFailedPrecondition, "policy.loan_request_open"));
  EXPECT_EQ(Count("policy_loan_request"), 1);
  offers = service_->ForMe(Company("party-good"));
  ASSERT_TRUE(offers.has_value());
  EXPECT_TRUE(offers->front().has_open_request);

  // The bank sees it, accepts, then approves; the enterprise is told each time.
  Result<std::vector<LoanRequest>> queue = service_->BankRequests(Banker(bank_), "submitted");
  ASSERT_TRUE(queue.has_value());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_TRUE(service_->BankRequests(Banker(other_bank_), "")->empty());
  Result<LoanRequest> accepted =
      service_->Answer(Banker(bank_), q->id, {"accept", "客户经理将在两个工作日内联系您"}, 1);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_EQ(accepted->status, "accepted");
  Result<LoanRequest> approved =
      service_->Answer(Banker(bank_), q->id, {"approve", "", 250'000'000, 330}, 2);
  ASSERT_TRUE(approved.has_value()) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->approved_amount_fen, 250'000'000);
  EXPECT_EQ(Count("notify_inbox"), 2);

  Result<std::vector<LoanRequest>> mine = service_->MyRequests(Company("party-good"));
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, "approved");
  // Closed: no more answers, no withdrawal; a new request is possible again.
  EXPECT_TRUE(Fails(service_->Answer(Banker(bank_), q->id, {"reject", "额度已满"}, 3),
                    ErrorCode::kFailedPrecondition, "policy.loan_request_closed"));
  EXPECT_TRUE(Fails(service_->WithdrawRequest(Company("party-good"), q->id),
                    ErrorCode::kFailedPrecondition, "policy.loan_request_closed"));
  EXPECT_TRUE(service_->Request(Company("party-good"), p.id, Ask()).has_value());
}

TEST_P(LoanServiceTest, AnIneligibleEnterpriseIsToldWhichConditionsFailed) {
  const LoanProduct p = MustPublish(Input());
  Result<std::vector<LoanOffer>> offers = service_->ForMe(Company("party-small"));
  ASSERT_TRUE(offers.has_value());
  EXPECT_FALSE(offers->front().explanation.eligible);
  Result<LoanRequest> q = service_->Request(Company("party-small"), p.id, Ask());
  EXPECT_TRUE(Fails(q, ErrorCode::kFailedPrecondition, "policy.not_eligible", "员工数 8 < 50"));
  EXPECT_EQ(Count("policy_loan_request"), 0);
  // Staff are not enterprises.
  EXPECT_TRUE(Fails(service_->Request(Banker(bank_), p.id, Ask()), ErrorCode::kFailedPrecondition,
                    "policy.not_enterprise"));
}

TEST_P(LoanServiceTest, BadRequestsAndAnswersChangeNothing) {
  const LoanProduct p = MustPublish(Input());
  LoanRequestInput in = Ask();
  in.amount_fen = 2'000'000'000;  // above the product's 1000 万元
  in.contact_phone = "12345";
  EXPECT_TRUE(Fails(service_->Request(Company("party-good"), p.id, in), ErrorCode::kInvalidArgument,
                    "policy.invalid_loan_request", "申请金额"));
  EXPECT_EQ(Count("policy_loan_request"), 0);

  Result<LoanRequest> q = service_->Request(Company("party-good"), p.id, Ask());
  ASSERT_TRUE(q.has_value());
  EXPECT_TRUE(Fails(service_->Answer(Banker(bank_), q->id, {"reject", ""}, 1),
                    ErrorCode::kInvalidArgument, "policy.invalid_loan_answer"));
  EXPECT_TRUE(Fails(service_->Answer(Banker(bank_), q->id, {"approve", "", 0, 330}, 1),
                    ErrorCode::kInvalidArgument, "policy.invalid_loan_answer"));
  EXPECT_TRUE(Fails(service_->Answer(Banker(bank_), q->id, {"accept", ""}, 7), ErrorCode::kAborted,
                    "store.version_conflict"));
  EXPECT_TRUE(Fails(service_->Answer(Banker(other_bank_), q->id, {"accept", ""}, 1),
                    ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_EQ(service_->MyRequests(Company("party-good"))->front().status, "submitted");
  EXPECT_EQ(Count("notify_inbox"), 0);

  // Withdrawn products take no new requests; the enterprise withdraws its open one.
  ASSERT_TRUE(service_->Withdraw(Banker(bank_), p.id).has_value());
  EXPECT_TRUE(Fails(service_->Request(Company("party-good"), p.id, Ask()),
                    ErrorCode::kFailedPrecondition, "policy.loan_not_published"));
  Result<LoanRequest> withdrawn = service_->WithdrawRequest(Company("party-good"), q->id);
  ASSERT_TRUE(withdrawn.has_value()) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->status, "withdrawn");
  EXPECT_TRUE(Fails(service_->WithdrawRequest(Company("party-small"), q->id), ErrorCode::kNotFound,
                    "policy.no_such_loan_request"));
}

TEST_P(LoanServiceTest, ConcurrentClicksFileOneRequest) {
  const LoanProduct p = MustPublish(Input());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (service_->Request(Company("party-good"), p.id, Ask()).has_value()) ++ok;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Count("policy_loan_request"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, LoanServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
