// CampaignService on both databases: 数据比对 → 系统预审 → 人工初核 → 通知 → 意愿确认 → 拨付 → 对账
// → 公示, the exclusions, double confirmation, the budget and the one-payment rule under threads,
// reconciliation with bad rows, clawback, the trace of a payment and 快申快享 applications.
#include "policy/campaign_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/uscc.h"
#include "core/working_days.h"
#include "identity/identity_service.h"
#include "identity/password.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testutil::IsError;
using testutil::TestDb;

// The enterprise data of the test: snapshots by 信用代码, each fact with its source.
class MemorySource : public FactSource {
 public:
  Result<FactStore> LoadAll() override {
    FactStore store;
    for (const auto& [id, snap] : data) store.Upsert(EnterpriseLine{id, snap.AsFacts()});
    store.Seal();
    return store;
  }
  Result<FactSnapshot> Snapshot(const std::string& id) override {
    auto it = data.find(id);
    if (it == data.end()) return NotFound("policy.no_such_enterprise", "没有这家企业：" + id);
    return it->second;
  }
  std::map<std::string, FactSnapshot> data;
};

std::string SourceOf(const std::string& fact) {
  if (fact == "bad_credit") return "信用";
  if (fact == "contact_phone" || fact == "industry") return "市场监管";
  return "人社";
}

struct Ent {
  std::string uscc, name, party_id;
  identity::Principal who;
};

class CampaignServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 09:00 China time
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    identity_ =
        std::make_unique<identity::IdentityServices>(t_->db(), t_->clock(), *audit_, hasher_);
    dept_ = testutil::MakeDepartment(*identity_, "czj", "市财政局", std::nullopt);
    other_dept_ = testutil::MakeDepartment(*identity_, "swj", "市税务局", std::nullopt);
    policies_ = std::make_unique<PolicyService>(t_->db(), t_->clock(), *audit_);
    service_ =
        std::make_unique<CampaignService>(t_->db(), t_->clock(), *audit_, *policies_, source_);
  }

  static identity::Principal Manager() {
    identity::Principal p;
    p.user_id = "u-mgr";
    p.display_name = "财政局经办";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kManageCatalog};
    return p;
  }
  static identity::Principal Reviewer() {
    identity::Principal p;
    p.user_id = "u-rev";
    p.display_name = "初核人员";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kReviewCases};
    return p;
  }
  identity::Principal Outsider() const {
    identity::Principal p = Manager();
    p.user_id = "u-out";
    p.data_scope = identity::DataScope::kCustom;
    p.scope_department_ids = {other_dept_};
    p.permissions = {identity::Permission::kManageCatalog, identity::Permission::kReviewCases};
    return p;
  }

  // An enterprise registered as a party, with facts in the source and an account principal.
  Ent AddEnterprise(int n, const std::string& name, const Facts& facts) {
    std::string first17 = "91431300MA4L" + std::to_string(10000 + n);
    Ent e;
    e.uscc = first17 + UsccCheckChar(first17);
    e.name = name;
    identity::NewEnterprise ne;
    ne.name = name;
    ne.uscc = e.uscc;
    ne.legal_representative = "张三";
    ne.region_code = "430100";
    ne.industry = "C3911";
    Result<identity::Enterprise> created =
        identity_->parties.CreateEnterprise(identity::Principal::System(), ne);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    if (created.has_value()) e.party_id = created->id;
    e.who.user_id = "u-ent-" + std::to_string(n);
    e.who.display_name = name + "经办人";
    e.who.kind = identity::UserKind::kEnterprise;
    e.who.enterprise_id = e.party_id;
    e.who.permissions = {identity::Permission::kApplyCases};
    FactSnapshot snap;
    snap.enterprise_id = e.uscc;
    snap.name = name;
    snap.taken_at_ms = testutil::kTestNowMs;
    for (const auto& [k, v] : std::map<std::string, Value>(facts.begin(), facts.end())) {
      snap.facts.push_back({k, v, SourceOf(k), "2026-10-31"});
    }
    source_.data[e.uscc] = snap;
    return e;
  }

  // The standard cast: A and B qualify, C is on the bad-credit list, D has too few employees,
  // E has no insurance data (the formula cannot be computed).
  void SeedEnterprises() {
    a_ = AddEnterprise(1, "湖南甲制造有限公司",
                       {{"employees", 60.0},
                        {"insurance_paid_fen", 2000000.0},
                        {"bad_credit", false},
                        {"contact_phone", std::string("13800000001")}});
    b_ = AddEnterprise(2, "湖南乙科技有限公司",
                       {{"employees", 80.0}, {"insurance_paid_fen", 4000000.0}});
    c_ = AddEnterprise(
        3, "湖南丙建材有限公司",
        {{"employees", 70.0}, {"insurance_paid_fen", 1000000.0}, {"bad_credit", true}});
    d_ = AddEnterprise(4, "湖南丁商贸有限公司",
                       {{"employees", 30.0}, {"insurance_paid_fen", 900000.0}});
    e_ = AddEnterprise(5, "湖南戊物流有限公司", {{"employees", 55.0}});
  }

  // A published policy with one item; returns the item id.
  std::string MakeItem(const std::string& mode, Fen budget_fen, int publicity_days = 7) {
    PolicyInput in;
    in.title = "关于稳岗返还的通知";
    in.doc_no = "娄人社发〔2026〕8号";
    in.issuer = "娄底市人力资源和社会保障局";
    in.level = "city";
    in.category = "grant";
    in.effective_on = "2026-01-01";
    in.department_id = dept_;
    Result<Policy> p = policies_->Create(Manager(), in);
    EXPECT_TRUE(p.has_value()) << p.error().message;
    if (!p.has_value()) return "";
    EXPECT_TRUE(policies_->Publish(Manager(), p->id).has_value());
    ItemInput item;
    item.title = mode == "exempt" ? "稳岗返还" : "吸纳就业补贴";
    item.mode = mode;
    item.budget_fen = budget_fen;
    item.publicity_days = publicity_days;
    item.status = "open";
    item.rule_text = "employees >= 50";
    item.formula_text = "min(insurance_paid_fen * 50%, 50万元) round half_up";
    Result<Item> i = policies_->AddItem(Manager(), p->id, item);
    EXPECT_TRUE(i.has_value()) << i.error().message;
    return i.has_value() ? i->id : "";
  }

  CampaignInput Input(const std::string& item_id, const std::string& period = "2026") const {
    return {item_id,      period,       "2026-11-27", "2026-11-28", "2026-11-30",
            "2026-12-01", "2026-12-10", "2026-12-20", "2026-12-25"};
  }

  Campaign MustCreate(const std::string& item_id, const std::string& period = "2026") {
    Result<Campaign> c = service_->Create(Manager(), Input(item_id, period));
    EXPECT_TRUE(c.has_value()) << c.error().message;
    return c.has_value() ? *c : Campaign{};
  }

  // Compare, pre-review, approve all and notify.
  std::vector<Offer> RunToNotified(const std::string& campaign_id) {
    Result<std::vector<Offer>> r = service_->Compare(Manager(), campaign_id);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    r = service_->PreReview(Manager(), campaign_id);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    r = service_->Review(Reviewer(), campaign_id, {}, true, "");
    EXPECT_TRUE(r.has_value()) << r.error().message;
    r = service_->Notify(Manager(), campaign_id);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : std::vector<Offer>{};
  }

  static const Offer* Find(const std::vector<Offer>& offers, const std::string& uscc) {
    for (const Offer& o : offers) {
      if (o.enterprise_id == uscc) return &o;
    }
    return nullptr;
  }
  std::string OfferOf(const std::vector<Offer>& offers, const Ent& e) {
    const Offer* o = Find(offers, e.uscc);
    EXPECT_NE(o, nullptr) << e.name;
    return o != nullptr ? o->id : "";
  }

  static BankAccount AccountOf(const Ent& e) {
    return {e.name, "中国工商银行娄底分行", "6222 0219 0800 1234 567"};
  }

  Fen Committed(const std::string& item_id) {
    Result<Fen> r = store::Read(t_->db(), [&](store::Tx& tx) -> Result<Fen> {
      ASSIGN_OR_RETURN(
          store::Rows rows,
          tx.Query("SELECT committed_fen FROM policy_budget WHERE item_id = ?", {item_id}));
      return rows.empty() ? Fen{0} : rows.front().Int(0);
    });
    return r.value_or(-1);
  }
  LedgerBalances Balances(const std::string& item_id) {
    Result<LedgerBalances> r =
        store::Read(t_->db(), [&](store::Tx& tx) { return BalancesOf(tx, item_id); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(LedgerBalances{});
  }
  std::int64_t AuditCount() { return t_->Count("audit_log"); }

  std::unique_ptr<TestDb> t_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<PolicyService> policies_;
  MemorySource source_;
  std::unique_ptr<CampaignService> service_;
  std::string dept_, other_dept_;
  Ent a_, b_, c_, d_, e_;
};

TEST_P(CampaignServiceTest, WholePathFromComparisonToPublicNotice) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const Campaign c = MustCreate(item);

  Result<CampaignConsole> console = service_->Console(Manager(), c.id);
  ASSERT_TRUE(console.has_value()) << console.error().message;
  ASSERT_EQ(console->steps.size(), 7u);
  EXPECT_EQ(console->steps[0].label, "数据比对");
  EXPECT_EQ(console->steps[0].state, "current");
  EXPECT_EQ(console->steps[0].light, "yellow");  // due today
  EXPECT_EQ(console->steps[6].state, "pending");
  EXPECT_EQ(console->steps[6].light, "green");
  EXPECT_EQ(console->budget.budget_fen, 5000000);

  // 数据比对: A, B, C and E match employees >= 50; E's amount cannot be computed.
  Result<std::vector<Offer>> offers = service_->Compare(Manager(), c.id);
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  ASSERT_EQ(offers->size(), 4u);
  EXPECT_EQ(Find(*offers, d_.uscc), nullptr);
  EXPECT_EQ(Find(*offers, a_.uscc)->amount_fen, 1000000);
  EXPECT_EQ(Find(*offers, a_.uscc)->rule_version, 1);
  EXPECT_THAT(Find(*offers, a_.uscc)->snapshot_json, HasSubstr("\"source\":\"人社\""));
  EXPECT_THAT(Find(*offers, a_.uscc)->snapshot_json, HasSubstr("\"asOf\":\"2026-10-31\""));
  EXPECT_EQ(Find(*offers, e_.uscc)->status, "excluded");
  EXPECT_EQ(Find(*offers, e_.uscc)->reason_code, "policy.formula_error");

  // 系统预审: C is on the bad-credit list.
  offers = service_->PreReview(Manager(), c.id);
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  EXPECT_EQ(Find(*offers, c_.uscc)->status, "excluded");
  EXPECT_EQ(Find(*offers, c_.uscc)->reason, "列入严重失信主体名单");
  EXPECT_EQ(Find(*offers, a_.uscc)->status, "pending_review");
  EXPECT_EQ(Find(*offers, b_.uscc)->status, "pending_review");

  // 人工初核 and 通知: an SMS to A (its phone is known), in-app messages to both.
  offers = service_->Review(Reviewer(), c.id, {}, true, "");
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  EXPECT_EQ(Find(*offers, a_.uscc)->status, "approved");
  offers = service_->Notify(Manager(), c.id);
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  EXPECT_EQ(Find(*offers, a_.uscc)->status, "notified");
  EXPECT_EQ(t_->Count("notify_outbox"), 2);
  EXPECT_EQ(t_->Count("notify_inbox"), 2);
  Result<std::int64_t> sms = store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT COUNT(*) FROM notify_outbox WHERE status = 'pending'"));
    return rows.front().Int(0);
  });
  EXPECT_EQ(sms.value_or(-1), 1);

  // 意愿确认: A confirms in one click, B declines.
  Result<Offer> confirmed = service_->Confirm(a_.who, OfferOf(*offers, a_), AccountOf(a_));
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(confirmed->status, "confirmed");
  EXPECT_EQ(confirmed->account.account_no, "6222021908001234567");
  EXPECT_EQ(Committed(item), 1000000);
  LedgerBalances bal = Balances(item);
  EXPECT_EQ(bal.budget, -1000000);
  EXPECT_EQ(bal.payable, 1000000);
  Result<Offer> declined = service_->Decline(b_.who, OfferOf(*offers, b_));
  ASSERT_TRUE(declined.has_value()) << declined.error().message;
  EXPECT_EQ(declined->status, "declined");

  // 拨付: the instruction file.
  Result<PaymentBatch> batch = service_->CreateBatch(Manager(), c.id);
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ASSERT_EQ(batch->payments.size(), 1u);
  const Payment& pay = batch->payments[0];
  EXPECT_EQ(pay.enterprise_id, a_.uscc);
  EXPECT_THAT(batch->csv, StartsWith("\xEF\xBB\xBF序号,支付凭证号,收款单位,统一社会信用代码,开户行,"
                                     "账号,金额（元）,用途\r\n"));
  EXPECT_THAT(batch->csv, HasSubstr("1," + pay.voucher_no + ",湖南甲制造有限公司," + a_.uscc +
                                    ",中国工商银行娄底分行,6222021908001234567,10000.00,"
                                    "稳岗返还（2026）\r\n"));
  Result<PaymentBatch> again = service_->Batch(Manager(), batch->id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->csv, batch->csv);

  // 对账: the bank paid it.
  Result<ReconcileReport> rec =
      service_->Reconcile(Manager(), "\xEF\xBB\xBF支付凭证号,结果,银行流水号,说明\r\n" +
                                         pay.voucher_no + ",成功,BK20261128001,\r\n");
  ASSERT_TRUE(rec.has_value()) << rec.error().message;
  EXPECT_EQ(rec->paid, 1);
  EXPECT_TRUE(rec->errors.empty());
  bal = Balances(item);
  EXPECT_EQ(bal.payable, 0);
  EXPECT_EQ(bal.paid, 1000000);
  EXPECT_EQ(bal.budget + bal.payable + bal.paid + bal.clawback, 0);

  // 公示, readable without signing in.
  EXPECT_TRUE(IsError(service_->Notice(c.id), ErrorCode::kNotFound, "policy.notice_not_found"));
  Result<Campaign> published = service_->Publicize(Manager(), c.id);
  ASSERT_TRUE(published.has_value()) << published.error().message;
  EXPECT_EQ(published->publicity_from, "2026-11-27");
  EXPECT_EQ(published->publicity_to, "2026-12-03");
  Result<PublicNotice> notice = service_->Notice(c.id);
  ASSERT_TRUE(notice.has_value()) << notice.error().message;
  EXPECT_EQ(notice->item_title, "稳岗返还");
  EXPECT_EQ(notice->doc_no, "娄人社发〔2026〕8号");
  ASSERT_EQ(notice->recipients.size(), 1u);
  EXPECT_EQ(notice->recipients[0].name, "湖南甲制造有限公司");
  EXPECT_EQ(notice->recipients[0].uscc, a_.uscc);
  EXPECT_EQ(notice->total_fen, 1000000);
  Result<std::vector<PublicNotice>> notices = service_->Notices();
  ASSERT_TRUE(notices.has_value());
  ASSERT_EQ(notices->size(), 1u);
  EXPECT_EQ(notices->front().campaign_id, c.id);
  Result<std::vector<Campaign>> campaigns = service_->Campaigns(Reviewer());
  ASSERT_TRUE(campaigns.has_value());
  ASSERT_EQ(campaigns->size(), 1u);
  EXPECT_EQ(campaigns->front().item_title, "稳岗返还");
  campaigns = service_->Campaigns(Outsider());
  ASSERT_TRUE(campaigns.has_value());
  EXPECT_TRUE(campaigns->empty());
  EXPECT_TRUE(IsError(service_->Campaigns(a_.who), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  Result<std::vector<Payment>> payments = service_->Payments(Manager(), c.id);
  ASSERT_TRUE(payments.has_value());
  ASSERT_EQ(payments->size(), 1u);
  EXPECT_EQ(payments->front().status, "paid");

  // Every step done, on time.
  console = service_->Console(Manager(), c.id);
  ASSERT_TRUE(console.has_value());
  for (const CampaignStep& s : console->steps) {
    EXPECT_EQ(s.state, "done") << s.step;
    EXPECT_EQ(s.light, "green") << s.step;
  }
  EXPECT_EQ(console->budget.paid_fen, 1000000);
  EXPECT_EQ(console->budget.available_fen, 4000000);

  // 每笔资金去向.
  Result<PaymentTrace> trace = service_->Trace(Manager(), pay.id);
  ASSERT_TRUE(trace.has_value()) << trace.error().message;
  EXPECT_EQ(trace->policy_title, "关于稳岗返还的通知");
  EXPECT_EQ(trace->doc_no, "娄人社发〔2026〕8号");
  EXPECT_EQ(trace->rule_version, 1);
  EXPECT_THAT(trace->rule_text, HasSubstr("员工数"));
  EXPECT_EQ(trace->formula_text, "min(上年度失业保险缴费 × 50%, 50万元)，四舍五入");
  EXPECT_EQ(trace->snapshot.enterprise_id, a_.uscc);
  EXPECT_FALSE(trace->snapshot.facts.empty());
  EXPECT_EQ(trace->offer.confirmed_by_name, "湖南甲制造有限公司经办人");
  EXPECT_EQ(trace->offer.account.bank_name, "中国工商银行娄底分行");
  EXPECT_EQ(trace->batch_created_at_ms, batch->created_at_ms);
  EXPECT_EQ(trace->payment.bank_serial, "BK20261128001");
  ASSERT_EQ(trace->ledger.size(), 2u);
  EXPECT_EQ(trace->ledger[0].kind, "commit");
  EXPECT_EQ(trace->ledger[1].kind, "pay");
  for (const LedgerTxn& t : trace->ledger) {
    Fen sum = 0;
    for (const LedgerEntry& e : t.entries) sum += e.amount_fen;
    EXPECT_EQ(sum, 0);
    EXPECT_GE(t.entries.size(), 2u);
  }
  // A later rule change does not rewrite history: the trace keeps the version it paid by.
  ItemInput changed;
  changed.title = "稳岗返还";
  changed.mode = "exempt";
  changed.budget_fen = 5000000;
  changed.publicity_days = 7;
  changed.status = "open";
  changed.rule_text = "employees >= 100";
  ASSERT_TRUE(policies_->UpdateItem(Manager(), item, changed, 1).has_value());
  trace = service_->Trace(Manager(), pay.id);
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->rule_version, 1);
  EXPECT_THAT(trace->rule_text, HasSubstr("50"));
  EXPECT_THAT(trace->rule_text, ::testing::Not(HasSubstr("100")));
  // The enterprise sees its own trace, offers and payouts; another one does not.
  EXPECT_TRUE(service_->Trace(a_.who, pay.id).has_value());
  EXPECT_TRUE(
      IsError(service_->Trace(b_.who, pay.id), ErrorCode::kNotFound, "policy.payment_not_found"));
  Result<std::vector<Payment>> payouts = service_->MyPayouts(a_.who);
  ASSERT_TRUE(payouts.has_value());
  ASSERT_EQ(payouts->size(), 1u);
  EXPECT_EQ(payouts->front().status, "paid");
  Result<std::vector<Offer>> mine = service_->MyOffers(b_.who);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, "declined");
  mine = service_->MyOffers(c_.who);  // excluded offers are not shown to the enterprise
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(mine->empty());

  // Every change is in the audit log with a Chinese label.
  Result<audit::Page> page = store::Read(t_->db(), [&](store::Tx& tx) {
    audit::Filter f;
    f.action_prefix = "policy.";
    f.limit = 100;
    return audit_->Search(tx, f);
  });
  ASSERT_TRUE(page.has_value());
  std::set<std::string> actions;
  for (const audit::Entry& e : page->items) actions.insert(e.action);
  for (const char* a :
       {"policy.campaign.create", "policy.campaign.compare", "policy.campaign.prereview",
        "policy.offer.approve", "policy.campaign.notify", "policy.offer.confirm",
        "policy.offer.decline", "policy.batch.create", "policy.payment.reconcile",
        "policy.campaign.publicize"}) {
    EXPECT_TRUE(actions.count(a)) << a;
    EXPECT_NE(audit::ActionLabel(a), a) << a;
  }
}

TEST_P(CampaignServiceTest, PreReviewExcludesDuplicatesAndWhatTheBudgetCannotCover) {
  SeedEnterprises();
  // 2.5 万元: A (1 万) fits, then B (2 万) does not — smallest amounts first.
  const std::string item = MakeItem("exempt", 2500000);
  const Campaign q3 = MustCreate(item, "2026Q3");
  std::vector<Offer> offers = RunToNotified(q3.id);
  const Offer* b = Find(offers, b_.uscc);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->status, "excluded");
  EXPECT_EQ(b->reason_code, "policy.insufficient_budget");
  EXPECT_THAT(b->reason, HasSubstr("预算不足"));
  ASSERT_TRUE(service_->Confirm(a_.who, OfferOf(offers, a_), AccountOf(a_)).has_value());

  // The year 2026 overlaps 2026Q3: A is payable there already (重复享受).
  const Campaign year = MustCreate(item, "2026");
  ASSERT_TRUE(service_->Compare(Manager(), year.id).has_value());
  Result<std::vector<Offer>> again = service_->PreReview(Manager(), year.id);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(Find(*again, a_.uscc)->reason_code, "policy.duplicate");
  EXPECT_THAT(Find(*again, a_.uscc)->reason, HasSubstr("重复享受"));
  // 2.5 万 − 1 万 committed = 1.5 万 left: B (2 万) still does not fit.
  EXPECT_EQ(Find(*again, b_.uscc)->reason_code, "policy.insufficient_budget");
  EXPECT_EQ(Find(*again, c_.uscc)->reason_code, "policy.bad_credit");
}

TEST_P(CampaignServiceTest, CompareAgainReplacesUnsentOffersButNotAfterNotification) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const Campaign c = MustCreate(item);
  ASSERT_TRUE(service_->Compare(Manager(), c.id).has_value());
  ASSERT_TRUE(service_->PreReview(Manager(), c.id).has_value());
  // D hires people; the next comparison finds it and the pre-review is to be done again.
  source_.data[d_.uscc].facts[0].value = 51.0;  // employees
  Result<std::vector<Offer>> offers = service_->Compare(Manager(), c.id);
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  EXPECT_EQ(offers->size(), 5u);
  EXPECT_EQ(t_->Count("policy_offer"), 5);
  EXPECT_EQ(Find(*offers, a_.uscc)->status, "matched");
  Result<CampaignConsole> console = service_->Console(Manager(), c.id);
  ASSERT_TRUE(console.has_value());
  EXPECT_EQ(console->steps[1].state, "current");  // 系统预审 again

  RunToNotified(c.id);
  const std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(service_->Compare(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.already_notified"));
  EXPECT_TRUE(IsError(service_->PreReview(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.already_notified"));
  EXPECT_EQ(t_->Count("policy_offer"), 5);
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(CampaignServiceTest, BadCampaignInputAndPermissionsChangeNothing) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const std::string quick = MakeItem("quick", 5000000);
  const std::int64_t audits = AuditCount();

  CampaignInput bad = Input(item, "2026Q5");
  bad.due_review = "2026-11-20";  // before 系统预审
  bad.due_pay = "2026-13-01";
  Result<Campaign> r = service_->Create(Manager(), bad);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.invalid_campaign"));
  std::set<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"period", "dueReview", "duePay"}));
  EXPECT_TRUE(IsError(service_->Create(Manager(), Input(quick)), ErrorCode::kFailedPrecondition,
                      "policy.not_exempt"));
  EXPECT_TRUE(IsError(service_->Create(Manager(), Input("nope")), ErrorCode::kNotFound,
                      "policy.item_not_found"));
  EXPECT_TRUE(IsError(service_->Create(Outsider(), Input(item)), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_TRUE(IsError(service_->Create(a_.who, Input(item)), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(t_->Count("policy_campaign"), 0);
  EXPECT_EQ(AuditCount(), audits);

  const Campaign c = MustCreate(item);
  EXPECT_TRUE(IsError(service_->Create(Manager(), Input(item)), ErrorCode::kAlreadyExists,
                      "policy.campaign_exists"));
  EXPECT_TRUE(IsError(service_->PreReview(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.not_compared"));
  EXPECT_TRUE(IsError(service_->Notify(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.not_prereviewed"));
  EXPECT_TRUE(IsError(service_->Compare(Outsider(), c.id), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_TRUE(IsError(service_->Console(a_.who, c.id), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  ASSERT_TRUE(service_->Compare(Manager(), c.id).has_value());
  ASSERT_TRUE(service_->PreReview(Manager(), c.id).has_value());
  const std::int64_t before = AuditCount();
  EXPECT_TRUE(IsError(service_->Review(Reviewer(), c.id, {}, false, "  "),
                      ErrorCode::kInvalidArgument, "policy.reason_required"));
  EXPECT_TRUE(IsError(service_->Review(Manager(), c.id, {}, true, ""), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->Notify(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.review_pending"));
  EXPECT_EQ(AuditCount(), before);

  // Reject B with a reason, approve the rest; a second decision on B is refused.
  Result<std::vector<Offer>> offers = service_->Offers(Reviewer(), c.id);
  ASSERT_TRUE(offers.has_value());
  const std::string b = OfferOf(*offers, b_);
  offers = service_->Review(Reviewer(), c.id, {b}, false, "经核实已停产");
  ASSERT_TRUE(offers.has_value()) << offers.error().message;
  EXPECT_EQ(Find(*offers, b_.uscc)->status, "rejected");
  EXPECT_EQ(Find(*offers, b_.uscc)->reason, "经核实已停产");
  EXPECT_TRUE(IsError(service_->Review(Reviewer(), c.id, {b}, true, ""),
                      ErrorCode::kFailedPrecondition, "policy.not_pending_review"));
  ASSERT_TRUE(service_->Review(Reviewer(), c.id, {}, true, "").has_value());
  offers = service_->Notify(Manager(), c.id);
  ASSERT_TRUE(offers.has_value());
  EXPECT_EQ(Find(*offers, b_.uscc)->status, "rejected");
  EXPECT_EQ(t_->Count("notify_outbox"), 1);  // A only
}

TEST_P(CampaignServiceTest, ConfirmChecksTheAccountAndConfirmsOnlyOnce) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const Campaign c = MustCreate(item);
  const std::vector<Offer> offers = RunToNotified(c.id);
  const std::string a = OfferOf(offers, a_);
  const std::int64_t audits = AuditCount();

  BankAccount bad{"湖南甲制造公司", "", "12ab"};
  Result<Offer> r = service_->Confirm(a_.who, a, bad);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.invalid_account"));
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].field, "accountName");
  EXPECT_EQ(r.error().fields[2].message, "账号应为 8 到 30 位数字");
  EXPECT_TRUE(IsError(service_->Confirm(a_.who, a, {a_.name, "工行", "1234567"}),
                      ErrorCode::kInvalidArgument, "policy.invalid_account"));
  EXPECT_TRUE(IsError(service_->Confirm(b_.who, a, AccountOf(b_)), ErrorCode::kNotFound,
                      "policy.offer_not_found"));
  EXPECT_TRUE(IsError(service_->Confirm(Manager(), a, AccountOf(a_)), ErrorCode::kPermissionDenied,
                      "policy.not_enterprise"));
  EXPECT_EQ(Committed(item), 0);
  EXPECT_EQ(t_->Count("policy_ledger_txn"), 0);
  EXPECT_EQ(AuditCount(), audits);

  ASSERT_TRUE(service_->Confirm(a_.who, a, AccountOf(a_)).has_value());
  const std::int64_t after = AuditCount();
  EXPECT_TRUE(IsError(service_->Confirm(a_.who, a, AccountOf(a_)), ErrorCode::kFailedPrecondition,
                      "policy.already_confirmed"));
  EXPECT_TRUE(IsError(service_->Decline(a_.who, a), ErrorCode::kFailedPrecondition,
                      "policy.already_confirmed"));
  EXPECT_EQ(Committed(item), 1000000);
  EXPECT_EQ(t_->Count("policy_ledger_txn"), 1);
  EXPECT_EQ(AuditCount(), after);

  // After the deadline (2026-12-10) B can no longer confirm.
  t_->clock().Set(Date{2026, 12, 11}.StartOfDayMs() + 3600000);
  EXPECT_TRUE(IsError(service_->Confirm(b_.who, OfferOf(offers, b_), AccountOf(b_)),
                      ErrorCode::kFailedPrecondition, "policy.confirm_closed"));
  Result<CampaignConsole> console = service_->Console(Manager(), c.id);
  ASSERT_TRUE(console.has_value());
  EXPECT_EQ(console->steps[4].state, "current");  // B never answered
  EXPECT_EQ(console->steps[4].light, "red");
}

TEST_P(CampaignServiceTest, BudgetIsNeverOverCommittedByConcurrentConfirmations) {
  std::vector<Ent> ents;
  for (int i = 0; i < 8; ++i) {
    ents.push_back(AddEnterprise(10 + i, "湖南并发" + std::to_string(i) + "号有限公司",
                                 {{"employees", 100.0}, {"insurance_paid_fen", 2000000.0}}));
  }
  // Pre-review sees the full budget; then the budget is cut to 5 万元 (five confirmations).
  const std::string item = MakeItem("exempt", 100000000);
  const Campaign c = MustCreate(item);
  const std::vector<Offer> offers = RunToNotified(c.id);
  ASSERT_EQ(offers.size(), 8u);
  ASSERT_TRUE(store::Transact(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
                return tx.Exec("UPDATE policy_item SET budget_fen = 5000000 WHERE id = ?", {item});
              }).has_value());

  std::atomic<int> ok{0}, over{0}, other{0};
  std::vector<std::thread> threads;
  for (const Ent& e : ents) {
    threads.emplace_back([&, e] {
      Result<Offer> r = service_->Confirm(e.who, OfferOf(offers, e), AccountOf(e));
      if (r.has_value()) {
        ++ok;
      } else if (r.error().reason == "policy.over_budget") {
        ++over;
      } else {
        ++other;
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(over.load(), 3);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Committed(item), 5000000);
  LedgerBalances bal = Balances(item);
  EXPECT_EQ(bal.budget, -5000000);
  EXPECT_EQ(bal.payable, 5000000);
  EXPECT_EQ(t_->Count("policy_ledger_txn"), 5);
}

TEST_P(CampaignServiceTest, TwoClicksAtOnceConfirmOnce) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const Campaign c = MustCreate(item);
  const std::vector<Offer> offers = RunToNotified(c.id);
  const std::string a = OfferOf(offers, a_);
  std::atomic<int> ok{0}, twice{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Result<Offer> r = service_->Confirm(a_.who, a, AccountOf(a_));
      if (r.has_value()) {
        ++ok;
      } else {
        EXPECT_EQ(r.error().reason, "policy.already_confirmed") << r.error().message;
        ++twice;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(twice.load(), 3);
  EXPECT_EQ(Committed(item), 1000000);
  EXPECT_EQ(t_->Count("policy_ledger_txn"), 1);
}

TEST_P(CampaignServiceTest, ConcurrentBatchesPayEachEnterpriseOnce) {
  std::vector<Ent> ents;
  for (int i = 0; i < 6; ++i) {
    ents.push_back(AddEnterprise(20 + i, "湖南拨付" + std::to_string(i) + "号有限公司",
                                 {{"employees", 100.0}, {"insurance_paid_fen", 2000000.0}}));
  }
  const std::string item = MakeItem("exempt", 100000000);
  const Campaign c = MustCreate(item);
  const std::vector<Offer> offers = RunToNotified(c.id);
  for (const Ent& e : ents) {
    ASSERT_TRUE(service_->Confirm(e.who, OfferOf(offers, e), AccountOf(e)).has_value());
  }
  std::atomic<int> batches{0}, empty{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Result<PaymentBatch> r = service_->CreateBatch(Manager(), c.id);
      if (r.has_value()) {
        ++batches;
      } else {
        EXPECT_EQ(r.error().reason, "policy.nothing_to_pay") << r.error().message;
        ++empty;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_GE(batches.load(), 1);
  EXPECT_EQ(batches.load() + empty.load(), 4);
  EXPECT_EQ(t_->Count("policy_payment"), 6);
  Result<std::int64_t> distinct = store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT COUNT(DISTINCT enterprise_id) FROM policy_payment"));
    return rows.front().Int(0);
  });
  EXPECT_EQ(distinct.value_or(-1), 6);
  // A retry finds nothing left to pay.
  EXPECT_TRUE(IsError(service_->CreateBatch(Manager(), c.id), ErrorCode::kFailedPrecondition,
                      "policy.nothing_to_pay"));

  // The database itself refuses a second live payment of the same item, period and enterprise.
  Result<std::int64_t> dup = store::Transact(t_->db(), [&](store::Tx& tx) {
    return tx.Exec(
        "INSERT INTO policy_payment (id, voucher_no, batch_id, offer_id, item_id, period, "
        "enterprise_id, enterprise_name, amount_fen, account_name, bank_name, account_no, "
        "status, bank_serial, bank_note, clawback_reason, created_at_ms) "
        "SELECT 'dup', 'ZFdup', batch_id, offer_id, item_id, period, enterprise_id, "
        "enterprise_name, amount_fen, account_name, bank_name, account_no, 'pending', '', '', "
        "'', 0 FROM policy_payment WHERE enterprise_id = ?",
        {ents[0].uscc});
  });
  EXPECT_TRUE(IsError(dup, ErrorCode::kAlreadyExists, "store.unique_violation"));
  EXPECT_EQ(t_->Count("policy_payment"), 6);
}

TEST_P(CampaignServiceTest, ReconciliationReportsBadRowsAndRebatchesFailedPayments) {
  SeedEnterprises();
  const std::string item = MakeItem("exempt", 5000000);
  const Campaign c = MustCreate(item);
  const std::vector<Offer> offers = RunToNotified(c.id);
  ASSERT_TRUE(service_->Confirm(a_.who, OfferOf(offers, a_), AccountOf(a_)).has_value());
  ASSERT_TRUE(service_->Confirm(b_.who, OfferOf(offers, b_), AccountOf(b_)).has_value());
  Result<PaymentBatch> batch = service_->CreateBatch(Manager(), c.id);
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ASSERT_EQ(batch->payments.size(), 2u);
  std::string va, vb;
  for (const Payment& p : batch->payments) (p.enterprise_id == a_.uscc ? va : vb) = p.voucher_no;

  EXPECT_TRUE(IsError(service_->Reconcile(Manager(), "凭证号,结果\r\n"),
                      ErrorCode::kInvalidArgument, "policy.reconcile_file"));
  const std::string file = "支付凭证号,结果,银行流水号,说明\n" + va + ",成功,BK001,\n" +
                           "ZFNOSUCH,成功,BK002,\n" + vb + ",OK,BK003,\n" + va +
                           ",成功,BK004,重复\n" + vb + ",成功,,\n";
  Result<ReconcileReport> rep = service_->Reconcile(Manager(), file);
  ASSERT_TRUE(rep.has_value()) << rep.error().message;
  EXPECT_EQ(rep->paid, 1);
  EXPECT_EQ(rep->failed, 0);
  ASSERT_EQ(rep->errors.size(), 4u);
  EXPECT_EQ(rep->errors[0], "第3行：没有这个支付凭证号：ZFNOSUCH");
  EXPECT_THAT(rep->errors[1], StartsWith("第4行：结果只能是"));
  EXPECT_THAT(rep->errors[2], StartsWith("第5行：支付凭证号 " + va + " 已对账"));
  EXPECT_EQ(rep->errors[3], "第6行：支付成功须有银行流水号");
  LedgerBalances bal = Balances(item);
  EXPECT_EQ(bal.paid, 1000000);
  EXPECT_EQ(bal.payable, 2000000);  // B untouched by its bad rows

  // B's bank rejects the transfer: the commitment is released and B can be batched again.
  rep = service_->Reconcile(
      Manager(), "支付凭证号,结果,银行流水号,说明\n" + vb + ",失败,,\"账户已销户,请核实\"\n");
  ASSERT_TRUE(rep.has_value());
  EXPECT_EQ(rep->failed, 1);
  EXPECT_EQ(Committed(item), 1000000);
  bal = Balances(item);
  EXPECT_EQ(bal.payable, 0);
  EXPECT_EQ(bal.budget, -1000000);
  Result<PaymentBatch> rebatch = service_->CreateBatch(Manager(), c.id);
  ASSERT_TRUE(rebatch.has_value()) << rebatch.error().message;
  ASSERT_EQ(rebatch->payments.size(), 1u);
  EXPECT_EQ(rebatch->payments[0].enterprise_id, b_.uscc);
  EXPECT_NE(rebatch->payments[0].voucher_no, vb);
  EXPECT_EQ(Committed(item), 3000000);
  Result<ReconcileReport> again =
      service_->Reconcile(Manager(), "支付凭证号,结果,银行流水号,说明\n" + vb + ",成功,BK009,\n");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->errors.size(), 1u);  // the failed voucher stays failed

  // 追回 of A's payment.
  std::string pa;
  for (const Payment& p : batch->payments) {
    if (p.enterprise_id == a_.uscc) pa = p.id;
  }
  const std::int64_t audits = AuditCount();
  EXPECT_TRUE(IsError(service_->Clawback(Manager(), pa, " "), ErrorCode::kInvalidArgument,
                      "policy.reason_required"));
  EXPECT_TRUE(IsError(service_->Clawback(Manager(), rebatch->payments[0].id, "虚报"),
                      ErrorCode::kFailedPrecondition, "policy.not_paid"));
  EXPECT_TRUE(IsError(service_->Clawback(Outsider(), pa, "虚报"), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_EQ(AuditCount(), audits);
  Result<Payment> clawed = service_->Clawback(Manager(), pa, "虚报参保人数");
  ASSERT_TRUE(clawed.has_value()) << clawed.error().message;
  EXPECT_EQ(clawed->status, "clawed_back");
  EXPECT_TRUE(IsError(service_->Clawback(Manager(), pa, "虚报参保人数"),
                      ErrorCode::kFailedPrecondition, "policy.not_paid"));
  bal = Balances(item);
  EXPECT_EQ(bal.paid, 0);
  EXPECT_EQ(bal.clawback, 1000000);
  Result<PaymentTrace> trace = service_->Trace(Manager(), pa);
  ASSERT_TRUE(trace.has_value());
  ASSERT_EQ(trace->ledger.size(), 3u);
  EXPECT_EQ(trace->ledger[2].kind, "clawback");
  EXPECT_EQ(trace->payment.clawback_reason, "虚报参保人数");
}

TEST_P(CampaignServiceTest, QuickApplicationIsPrefilledCheckedReviewedAndPaid) {
  SeedEnterprises();
  const std::string item = MakeItem("quick", 5000000);

  Result<ApplicationForm> form = service_->Prefill(a_.who, item);
  ASSERT_TRUE(form.has_value()) << form.error().message;
  EXPECT_TRUE(form->eligible);
  EXPECT_EQ(form->amount_fen, 1000000);
  ASSERT_EQ(form->fields.size(), 2u);
  EXPECT_EQ(form->fields[0].fact, "employees");
  EXPECT_EQ(form->fields[0].label, "员工数");
  EXPECT_EQ(form->fields[0].source, "人社");
  EXPECT_EQ(form->fields[0].as_of, "2026-10-31");
  ASSERT_TRUE(form->fields[0].value.has_value());
  EXPECT_EQ(std::get<double>(*form->fields[0].value), 60.0);
  EXPECT_EQ(form->fields[1].label, "上年度失业保险缴费");

  const std::int64_t audits = AuditCount();
  Result<Offer> refused = service_->Apply(d_.who, item, "2026");
  ASSERT_TRUE(IsError(refused, ErrorCode::kFailedPrecondition, "policy.not_eligible"));
  EXPECT_THAT(refused.error().message, HasSubstr("员工数 30 < 50"));
  EXPECT_TRUE(IsError(service_->Apply(a_.who, item, "26"), ErrorCode::kInvalidArgument,
                      "policy.invalid_application"));
  EXPECT_TRUE(IsError(service_->Apply(Manager(), item, "2026"), ErrorCode::kPermissionDenied,
                      "policy.not_enterprise"));
  EXPECT_EQ(t_->Count("policy_offer"), 0);
  EXPECT_EQ(AuditCount(), audits);

  Result<Offer> app = service_->Apply(a_.who, item, "2026");
  ASSERT_TRUE(app.has_value()) << app.error().message;
  EXPECT_EQ(app->status, "pending_review");
  EXPECT_EQ(app->amount_fen, 1000000);
  EXPECT_TRUE(IsError(service_->Apply(a_.who, item, "2026"), ErrorCode::kFailedPrecondition,
                      "policy.already_applied"));
  EXPECT_TRUE(IsError(service_->Confirm(a_.who, app->id, AccountOf(a_)),
                      ErrorCode::kFailedPrecondition, "policy.not_confirmable"));

  Result<std::vector<Offer>> queue = service_->ReviewQueue(Reviewer());
  ASSERT_TRUE(queue.has_value());
  ASSERT_EQ(queue->size(), 1u);
  Result<std::vector<Offer>> outside = service_->ReviewQueue(Outsider());
  ASSERT_TRUE(outside.has_value());
  EXPECT_TRUE(outside->empty());
  EXPECT_TRUE(IsError(service_->ReviewApplication(Reviewer(), app->id, false, ""),
                      ErrorCode::kInvalidArgument, "policy.reason_required"));
  EXPECT_TRUE(IsError(service_->ReviewApplication(Outsider(), app->id, true, ""),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  Result<Offer> approved = service_->ReviewApplication(Reviewer(), app->id, true, "");
  ASSERT_TRUE(approved.has_value()) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(t_->Count("notify_inbox"), 1);

  Result<Offer> confirmed = service_->Confirm(a_.who, app->id, AccountOf(a_));
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  Result<PaymentBatch> batch = service_->CreateApplicationBatch(Manager(), item, "2026");
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  ASSERT_EQ(batch->payments.size(), 1u);
  EXPECT_THAT(batch->csv, HasSubstr("吸纳就业补贴（2026）"));
  Result<ReconcileReport> rep =
      service_->Reconcile(Manager(), "支付凭证号,结果,银行流水号,说明\n" +
                                         batch->payments[0].voucher_no + ",成功,BK100,\n");
  ASSERT_TRUE(rep.has_value());
  EXPECT_EQ(rep->paid, 1);
  Result<std::vector<Offer>> mine = service_->MyOffers(a_.who);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, "paid");
  EXPECT_EQ(Balances(item).paid, 1000000);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignServiceTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
