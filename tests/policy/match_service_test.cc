// MatchService on both databases: 为我推荐 with explanations and amounts over the open items of
// published policies, the 试算 dry run against the reference evaluator, MatchingIds, and the
// re-match of just the re-imported enterprises.
#include "policy/match_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "core/uscc.h"
#include "policy/enterprise_service.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;

std::string Code(int n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "91431382MA4L%05d", n);
  return std::string(first17) + UsccCheckChar(first17);
}

class MatchServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 China time
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    identity_ =
        std::make_unique<identity::IdentityServices>(t_->db(), t_->clock(), *audit_, hasher_);
    dept_ = testutil::MakeDepartment(*identity_, "rsj", "市人社局", std::nullopt);
    policies_ = std::make_unique<PolicyService>(t_->db(), t_->clock(), *audit_);
    enterprises_ =
        std::make_unique<EnterpriseService>(t_->db(), t_->clock(), *audit_, policies_->schema());
    match_ = std::make_unique<MatchService>(*policies_, *enterprises_, t_->clock());

    PolicyInput p;
    p.title = "稳岗扩岗支持政策";
    p.issuer = "涟源市人民政府";
    p.level = "county";
    p.category = "grant";
    p.effective_on = "2026-01-01";
    p.department_id = dept_;
    Result<Policy> created = policies_->Create(Editor(), p);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    ASSERT_TRUE(policies_->Publish(Editor(), created->id).has_value());
    policy_id_ = created->id;
    jobs_item_ = MustAddItem("吸纳就业补贴", "employees >= 50 and not bad_credit",
                             "employees * 1000元 round half_up");
    tech_item_ =
        MustAddItem("高新技术企业奖励", "high_tech", "min(revenue_fen * 10%, 50万元) round down");
    MustAddItem("草稿事项", "employees >= 1", "100元 round up", "draft");

    Import("{\"id\":\"" + Code(1) +
           "\",\"name\":\"甲\",\"employees\":60,\"high_tech\":true,\"bad_credit\":false}\n"
           "{\"id\":\"" +
           Code(2) + "\",\"employees\":8,\"high_tech\":true,\"revenue_fen\":123456789}\n" +
           "{\"id\":\"" + Code(3) + "\",\"employees\":35}\n" + "{\"id\":\"" + Code(4) +
           "\",\"employees\":120,\"bad_credit\":true}\n");
  }

  static identity::Principal Editor() {
    identity::Principal p;
    p.user_id = "u-editor";
    p.display_name = "政策编辑";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kManageCatalog, identity::Permission::kReadParties,
                     identity::Permission::kWriteParties};
    return p;
  }

  std::string MustAddItem(const std::string& title, const std::string& rule,
                          const std::string& formula, const std::string& status = "open") {
    t_->clock().Advance(1000);  // items list in creation order
    ItemInput in;
    in.title = title;
    in.mode = "exempt";
    in.budget_fen = 100000000;
    in.status = status;
    in.rule_text = rule;
    in.formula_text = formula;
    Result<Item> item = policies_->AddItem(Editor(), policy_id_, in);
    EXPECT_TRUE(item.has_value()) << item.error().message;
    return item.has_value() ? item->id : "";
  }

  std::vector<std::string> Import(const std::string& data) {
    std::istringstream in(data);
    Result<ImportReport> r = enterprises_->Import(Editor(), in, {});
    EXPECT_TRUE(r.has_value()) << r.error().message;
    if (!r.has_value()) return {};
    EXPECT_EQ(r->job.error_count, 0) << (r->job.errors.empty() ? "" : r->job.errors[0].message);
    return r->changed_ids;
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<identity::IdentityServices> identity_;
  std::string dept_, policy_id_, jobs_item_, tech_item_;
  std::unique_ptr<PolicyService> policies_;
  std::unique_ptr<EnterpriseService> enterprises_;
  std::unique_ptr<MatchService> match_;
};

TEST_P(MatchServiceTest, RecommendsOpenItemsWithExplanationsAndAmounts) {
  Result<std::vector<Recommendation>> r = match_->Recommend(Editor(), Code(1));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);  // the draft item is not offered
  const Recommendation& jobs = (*r)[0];
  EXPECT_EQ(jobs.item_id, jobs_item_);
  EXPECT_EQ(jobs.item_title, "吸纳就业补贴");
  EXPECT_EQ(jobs.policy_title, "稳岗扩岗支持政策");
  EXPECT_EQ(jobs.category, "grant");
  EXPECT_EQ(jobs.mode, "exempt");
  EXPECT_EQ(jobs.rule_version, 1);
  EXPECT_TRUE(jobs.eligible);
  EXPECT_EQ(jobs.amount_fen, std::optional<Fen>(6000000));  // 60 × 1000 元
  EXPECT_TRUE(jobs.explanation.eligible);
  ASSERT_EQ(jobs.explanation.leaves.size(), 2u);
  EXPECT_THAT(jobs.explanation.leaves[0].text, HasSubstr("员工数 60"));
  const Recommendation& tech = (*r)[1];
  EXPECT_TRUE(tech.eligible);
  EXPECT_EQ(tech.amount_fen, std::nullopt);  // no revenue: the formula lacks a fact

  // Enterprise 3 qualifies for nothing; it sees why not.
  Result<std::vector<Recommendation>> three = match_->Recommend(Editor(), Code(3));
  ASSERT_TRUE(three.has_value());
  ASSERT_EQ(three->size(), 2u);
  EXPECT_FALSE((*three)[0].eligible);
  EXPECT_EQ((*three)[0].amount_fen, std::nullopt);
  EXPECT_EQ((*three)[0].explanation.leaves[0].text, "员工数 35 < 50");
  // Enterprise 2: the tech item first (eligible): 10% of 1,234,567.89 元, under the 50 万元 cap.
  Result<std::vector<Recommendation>> two = match_->Recommend(Editor(), Code(2));
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ((*two)[0].item_id, tech_item_);
  EXPECT_TRUE((*two)[0].eligible);
  EXPECT_EQ((*two)[0].amount_fen, std::optional<Fen>(12345678));
  EXPECT_FALSE((*two)[1].eligible);

  EXPECT_TRUE(IsError(match_->Recommend(Editor(), Code(9)), ErrorCode::kNotFound,
                      "policy.no_such_enterprise"));
}

TEST_P(MatchServiceTest, EnterpriseAccountsGetRecommendationsOnlyForThemselves) {
  Result<identity::Enterprise> party = identity_->parties.CreateEnterprise(
      identity::Principal::System(), {"涟源甲公司", Code(1), "张三", "431382", "C3911", false});
  ASSERT_TRUE(party.has_value()) << party.error().message;
  identity::Principal account =
      testutil::MakeUser(t_->db(), *identity_, {"ent1", {"enterprise"}, {}, {}, party->id});
  EXPECT_TRUE(match_->Recommend(account, Code(1)).has_value());
  EXPECT_TRUE(IsError(match_->Recommend(account, Code(2)), ErrorCode::kPermissionDenied,
                      "policy.not_own_enterprise"));
  EXPECT_TRUE(IsError(match_->Recommend(identity::Principal{}, Code(1)),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
}

TEST_P(MatchServiceTest, DryRunCountsEqualTheReferenceEvaluator) {
  Result<Cond> cond = ParseText("employees >= 30 or high_tech", policies_->schema());
  ASSERT_TRUE(cond.has_value());
  Result<Formula> formula = ParseFormula("employees * 100元 round half_up", policies_->schema());
  ASSERT_TRUE(formula.has_value());
  Result<DryRunResult> r = match_->DryRun(Editor(), *cond, *formula, 1500000, 2);
  ASSERT_TRUE(r.has_value()) << r.error().message;

  std::int64_t expected = 0;
  Fen total = 0;
  for (int i = 1; i <= 4; ++i) {
    Result<FactSnapshot> s = enterprises_->Snapshot(Code(i));
    ASSERT_TRUE(s.has_value());
    if (!Evaluate(*cond, s->AsFacts())) continue;
    ++expected;
    total += Evaluate(*formula, s->AsFacts()).value();
  }
  EXPECT_EQ(expected, 4);
  EXPECT_EQ(r->enterprises, 4);
  EXPECT_EQ(r->matching, expected);
  EXPECT_EQ(r->total_fen, total);  // (60 + 8 + 35 + 120) × 100 元
  EXPECT_EQ(r->total_fen, 2230000);
  EXPECT_TRUE(r->over_budget);
  ASSERT_EQ(r->matches.size(), 2u);
  EXPECT_TRUE(r->matches[0].explanation.eligible);
  EXPECT_TRUE(r->matches[0].amount_fen.has_value());
  EXPECT_TRUE(r->non_matches.empty());

  Result<Cond> narrow = ParseText("employees >= 100", policies_->schema());
  Result<DryRunResult> n = match_->DryRun(Editor(), *narrow, *formula, 0, 10);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->matching, 1);
  EXPECT_FALSE(n->over_budget);
  ASSERT_EQ(n->matches.size(), 1u);
  EXPECT_EQ(n->matches[0].enterprise_id, Code(4));
  EXPECT_EQ(n->matches[0].amount_fen, std::optional<Fen>(1200000));
  ASSERT_EQ(n->non_matches.size(), 3u);
  EXPECT_FALSE(n->non_matches[0].explanation.eligible);

  identity::Principal reader;
  reader.permissions = {identity::Permission::kReadParties};
  EXPECT_TRUE(IsError(match_->DryRun(reader, *cond, *formula, 0, 2), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(match_->DryRun(Editor(), *cond, *formula, 0, 101),
                      ErrorCode::kInvalidArgument, "policy.bad_query"));
}

TEST_P(MatchServiceTest, ReimportedEnterprisesAreRematchedAlone) {
  Result<std::vector<std::string>> before = match_->MatchingIds(jobs_item_);
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_THAT(*before, ElementsAre(Code(1)));

  std::vector<std::string> changed =
      Import("{\"id\":\"" + Code(3) + "\",\"employees\":55}\n{\"id\":\"" + Code(1) +
             "\",\"employees\":60}\n{\"id\":\"" + Code(5) + "\",\"employees\":70}\n");
  EXPECT_THAT(changed, ElementsAre(Code(3), Code(5)));
  // Until told, the service keeps what it loaded.
  EXPECT_THAT(match_->MatchingIds(jobs_item_).value(), ElementsAre(Code(1)));
  ASSERT_TRUE(match_->OnEnterprisesChanged(changed).has_value());
  EXPECT_THAT(match_->MatchingIds(jobs_item_).value(), ElementsAre(Code(1), Code(3), Code(5)));
  // And back.
  changed = Import("{\"id\":\"" + Code(3) + "\",\"employees\":20}\n");
  ASSERT_TRUE(match_->OnEnterprisesChanged(changed).has_value());
  EXPECT_THAT(match_->MatchingIds(jobs_item_).value(), ElementsAre(Code(1), Code(5)));
  EXPECT_THAT(match_->MatchingIds(tech_item_).value(), ElementsAre(Code(1), Code(2)));

  EXPECT_TRUE(
      IsError(match_->MatchingIds("no-such-item"), ErrorCode::kNotFound, "policy.item_not_open"));
}

TEST_P(MatchServiceTest, InvalidateSeesNewItems) {
  ASSERT_EQ(match_->Recommend(Editor(), Code(4)).value().size(), 2u);
  std::string bad = MustAddItem("失信提醒", "bad_credit", "0 round down");
  EXPECT_EQ(match_->Recommend(Editor(), Code(4)).value().size(), 2u);
  match_->Invalidate();
  Result<std::vector<Recommendation>> r = match_->Recommend(Editor(), Code(4));
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].item_id, bad);
  EXPECT_EQ((*r)[0].amount_fen, std::optional<Fen>(0));
  EXPECT_THAT(match_->MatchingIds(bad).value(), ElementsAre(Code(4)));
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
