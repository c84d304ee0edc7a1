// PolicyService: the policy library on both databases — policies, Chinese full-text search with
// filters, items with versioned rules, every bad input with its error and nothing changed.
#include "policy/policy_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;

class PolicyServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 China time
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    identity_ =
        std::make_unique<identity::IdentityServices>(t_->db(), t_->clock(), *audit_, hasher_);
    dept_ = testutil::MakeDepartment(*identity_, "fgw", "市发展改革委", std::nullopt);
    other_dept_ = testutil::MakeDepartment(*identity_, "swj", "市税务局", std::nullopt);
    service_ = std::make_unique<PolicyService>(t_->db(), t_->clock(), *audit_);
  }

  static identity::Principal Editor() {
    identity::Principal p;
    p.user_id = "u-editor";
    p.display_name = "政策编辑";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kManageCatalog};
    return p;
  }
  static identity::Principal Public() { return identity::Principal{}; }
  static identity::Principal Reviewer() {
    identity::Principal p;
    p.user_id = "u-rev";
    p.display_name = "审批员";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kReadParties};
    return p;
  }

  PolicyInput Input(std::string title) const {
    PolicyInput in;
    in.title = std::move(title);
    in.doc_no = "娄政发〔2026〕12号";
    in.issuer = "娄底市人民政府";
    in.level = "city";
    in.category = "grant";
    in.effective_on = "2026-01-01";
    in.expires_on = "2027-12-31";
    in.full_text = "第一条 为支持企业发展，制定本措施。";
    in.department_id = dept_;
    return in;
  }

  Policy MustCreate(const PolicyInput& in, bool publish = true) {
    Result<Policy> p = service_->Create(Editor(), in);
    EXPECT_TRUE(p.has_value()) << p.error().message;
    if (!p.has_value()) return {};
    if (!publish) return *p;
    Result<Policy> published = service_->Publish(Editor(), p->id);
    EXPECT_TRUE(published.has_value()) << published.error().message;
    return published.has_value() ? *published : *p;
  }

  std::vector<std::string> Titles(const PolicyQuery& q) {
    Result<PolicyPage> page = service_->Search(Public(), q);
    EXPECT_TRUE(page.has_value()) << page.error().message;
    std::vector<std::string> out;
    if (!page.has_value()) return out;
    for (const Policy& p : page->items) out.push_back(p.title);
    EXPECT_EQ(page->total, static_cast<std::int64_t>(out.size()));
    return out;
  }
  std::vector<std::string> TitlesFor(std::string text) {
    PolicyQuery q;
    q.text = std::move(text);
    return Titles(q);
  }

  // Three published policies and one draft, for the search tests.
  void SeedLibrary() {
    PolicyInput a = Input("关于支持科技创新企业研发投入的若干措施");
    a.full_text = "对高新技术企业给予研发费用补助，最高 50 万元。";
    a.tags = {"科技", "研发"};
    a.published_on = "2026-03-01";
    MustCreate(a);
    PolicyInput b = Input("稳岗返还政策");
    b.level = "province";
    b.category = "cost";
    b.issuer = "湖南省人力资源和社会保障厅";
    b.full_text = "按上年度失业保险缴费的 50% 返还。Unemployment Insurance refund.";
    b.tags = {"就业"};
    b.published_on = "2025-02-01";
    b.effective_on = "2025-01-01";
    b.expires_on = "2025-12-31";  // expired
    MustCreate(b);
    PolicyInput c = Input("小微企业税收减免");
    c.level = "central";
    c.category = "tax";
    c.full_text = "小型微利企业所得税减按 25% 计入应纳税所得额。";
    c.tags = {"税收", "小微"};
    c.published_on = "2026-10-01";
    c.effective_on = "2027-01-01";  // not yet in force
    c.expires_on = "";
    c.department_id = other_dept_;
    MustCreate(c);
    MustCreate(Input("科技创新草稿"), /*publish=*/false);
  }

  std::vector<std::string> AuditActions() {
    audit::Filter f;
    f.action_prefix = "policy.";
    f.limit = 100;
    Result<audit::Page> page =
        store::Read(t_->db(), [&](store::Tx& tx) { return audit_->Search(tx, f); });
    std::vector<std::string> out;
    if (!page.has_value()) return out;
    for (auto it = page->items.rbegin(); it != page->items.rend(); ++it) out.push_back(it->action);
    return out;
  }

  std::vector<std::int64_t> Counts() {
    return {t_->Count("policy"), t_->Count("policy_item"), t_->Count("policy_item_rule"),
            t_->Count("audit_entry")};
  }

  ItemInput Item1() const {
    ItemInput in;
    in.title = "稳岗返还";
    in.mode = "exempt";
    in.budget_fen = 100'000'000;
    in.window_from = "2026-01-01";
    in.window_to = "2026-12-31";
    in.publicity_days = 5;
    in.status = "open";
    in.rule_text = "employees >= 50 and not bad_credit";
    in.formula_text = "min(insurance_paid_fen * 50%, 50万元) round half_up";
    in.effective_from = "2026-01-01";
    return in;
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<PolicyService> service_;
  std::string dept_, other_dept_;
};

TEST_P(PolicyServiceTest, CreatePublishRetireAndWhoSeesWhat) {
  PolicyInput in = Input("  稳岗返还政策  ");
  in.tags = {"就业", "就业", " 稳岗 "};
  Result<Policy> created = service_->Create(Editor(), in);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->title, "稳岗返还政策");
  EXPECT_EQ(created->status, "draft");
  EXPECT_EQ(created->version, 1);
  EXPECT_THAT(created->tags, ElementsAre("就业", "稳岗"));
  EXPECT_EQ(created->published_on, "");

  // A draft is not public, and is not found by a public search.
  EXPECT_TRUE(
      IsError(service_->Get(Public(), created->id), ErrorCode::kNotFound, "policy.not_found"));
  EXPECT_TRUE(TitlesFor("稳岗").empty());
  Result<Policy> staff = service_->Get(Editor(), created->id);
  ASSERT_TRUE(staff.has_value());
  EXPECT_EQ(staff->doc_no, "娄政发〔2026〕12号");

  Result<Policy> published = service_->Publish(Editor(), created->id);
  ASSERT_TRUE(published.has_value()) << published.error().message;
  EXPECT_EQ(published->status, "published");
  EXPECT_EQ(published->published_on, "2026-11-27");  // today, China time
  EXPECT_EQ(published->version, 2);
  Result<Policy> pub = service_->Get(Public(), created->id);
  ASSERT_TRUE(pub.has_value());
  EXPECT_EQ(pub->status, "published");
  EXPECT_THAT(pub->tags, ElementsAre("就业", "稳岗"));
  EXPECT_THAT(TitlesFor("稳岗"), ElementsAre("稳岗返还政策"));
  EXPECT_TRUE(IsError(service_->Publish(Editor(), created->id), ErrorCode::kFailedPrecondition,
                      "policy.not_draft"));

  Result<Policy> retired = service_->Retire(Editor(), created->id);
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(retired->status, "retired");
  EXPECT_TRUE(service_->Get(Public(), created->id).has_value());  // history stays readable
  EXPECT_TRUE(TitlesFor("稳岗").empty());                         // but leaves the listing
  EXPECT_TRUE(IsError(service_->Retire(Editor(), created->id), ErrorCode::kFailedPrecondition,
                      "policy.not_published"));
  EXPECT_TRUE(IsError(service_->Update(Editor(), created->id, in, retired->version),
                      ErrorCode::kFailedPrecondition, "policy.retired"));
  EXPECT_THAT(AuditActions(),
              ElementsAre("policy.policy.create", "policy.policy.publish", "policy.policy.retire"));
}

TEST_P(PolicyServiceTest, UpdateRewritesTheSearchIndexAndChecksTheVersion) {
  Policy p = MustCreate(Input("研发费用补助办法"));
  PolicyInput in = Input("技术改造奖补办法");
  in.full_text = "对技术改造投入给予奖补。";
  Result<Policy> updated = service_->Update(Editor(), p.id, in, p.version);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->version, p.version + 1);
  EXPECT_EQ(updated->status, "published");
  EXPECT_TRUE(TitlesFor("研发费用").empty());
  EXPECT_THAT(TitlesFor("技术改造"), ElementsAre("技术改造奖补办法"));

  const auto before = Counts();
  EXPECT_TRUE(IsError(service_->Update(Editor(), p.id, Input("又一个标题"), p.version),
                      ErrorCode::kAborted, "store.version_conflict"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(service_->Get(Public(), p.id)->title, "技术改造奖补办法");
}

TEST_P(PolicyServiceTest, SearchFindsChineseTextOfTwoAndMoreCharacters) {
  SeedLibrary();
  // Two characters: below the trigram length, a plain scan on SQLite.
  EXPECT_THAT(TitlesFor("科技"), ElementsAre("关于支持科技创新企业研发投入的若干措施"));
  EXPECT_THAT(TitlesFor("研发"), ElementsAre("关于支持科技创新企业研发投入的若干措施"));
  EXPECT_THAT(TitlesFor("企业"),
              ElementsAre("小微企业税收减免", "关于支持科技创新企业研发投入的若干措施"));
  // Three and four characters, in the title or only in the full text.
  EXPECT_THAT(TitlesFor("稳岗返还"), ElementsAre("稳岗返还政策"));
  EXPECT_THAT(TitlesFor("所得税"), ElementsAre("小微企业税收减免"));
  EXPECT_THAT(TitlesFor("高新技术企业"), ElementsAre("关于支持科技创新企业研发投入的若干措施"));
  EXPECT_THAT(TitlesFor("失业保险缴费"), ElementsAre("稳岗返还政策"));
  EXPECT_TRUE(TitlesFor("专精特新").empty());
  EXPECT_TRUE(TitlesFor("草稿").empty());  // drafts are not public
  // Latin text: any letter case; % and _ are literal.
  EXPECT_THAT(TitlesFor("unemployment insurance"), ElementsAre("稳岗返还政策"));
  EXPECT_THAT(TitlesFor("50%"), ElementsAre("稳岗返还政策"));
  EXPECT_TRUE(TitlesFor("5_%").empty());
  // Everything published, newest first.
  EXPECT_THAT(TitlesFor(""), ElementsAre("小微企业税收减免",
                                         "关于支持科技创新企业研发投入的若干措施", "稳岗返还政策"));
}

TEST_P(PolicyServiceTest, SearchFiltersAndPages) {
  SeedLibrary();
  PolicyQuery q;
  q.text = "企业";
  q.category = "tax";
  EXPECT_THAT(Titles(q), ElementsAre("小微企业税收减免"));
  q = {};
  q.level = "province";
  EXPECT_THAT(Titles(q), ElementsAre("稳岗返还政策"));
  q = {};
  q.department_id = other_dept_;
  EXPECT_THAT(Titles(q), ElementsAre("小微企业税收减免"));
  q = {};
  q.tag = "小微";
  EXPECT_THAT(Titles(q), ElementsAre("小微企业税收减免"));
  q.tag = "小";  // tags match whole
  EXPECT_TRUE(Titles(q).empty());
  q = {};
  q.open_only = true;  // 2026-11-27: the expired and the not-yet-effective ones drop out
  EXPECT_THAT(Titles(q), ElementsAre("关于支持科技创新企业研发投入的若干措施"));
  t_->clock().Set(testutil::kTestNowMs + 40LL * 86'400'000);  // 2027-01-06
  EXPECT_THAT(Titles(q), ElementsAre("小微企业税收减免", "关于支持科技创新企业研发投入的若干措施"));

  q = {};
  q.limit = 2;
  q.offset = 1;
  Result<PolicyPage> page = service_->Search(Public(), q);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].title, "关于支持科技创新企业研发投入的若干措施");

  // Staff see drafts too.
  q = {};
  q.text = "科技创新";
  q.include_unpublished = true;
  Result<PolicyPage> staff = service_->Search(Editor(), q);
  ASSERT_TRUE(staff.has_value());
  EXPECT_EQ(staff->total, 2);
  EXPECT_TRUE(IsError(service_->Search(Public(), q), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));

  q = {};
  q.category = "lottery";
  EXPECT_TRUE(
      IsError(service_->Search(Public(), q), ErrorCode::kInvalidArgument, "policy.bad_query"));
  q = {};
  q.level = "village";
  EXPECT_TRUE(
      IsError(service_->Search(Public(), q), ErrorCode::kInvalidArgument, "policy.bad_query"));
  q = {};
  q.limit = 101;
  EXPECT_TRUE(
      IsError(service_->Search(Public(), q), ErrorCode::kInvalidArgument, "policy.bad_query"));
}

TEST_P(PolicyServiceTest, BadPolicyInputIsRefusedAndNothingChanges) {
  Policy existing = MustCreate(Input("已有政策"));
  const auto before = Counts();
  struct Case {
    std::function<void(PolicyInput&)> change;
    std::string field, message;
  };
  const std::vector<Case> cases = {
      {[](PolicyInput& in) { in.title = "   "; }, "title", "请填写政策标题"},
      {[](PolicyInput& in) { in.title = std::string(201, 'x'); }, "title", "不能超过 200 个字"},
      {[](PolicyInput& in) { in.doc_no = "娄政发" + std::string(58, '1'); }, "docNo",
       "文号不能超过 60 个字"},
      {[](PolicyInput& in) { in.issuer = ""; }, "issuer", "请填写发文机关"},
      {[](PolicyInput& in) { in.level = "village"; }, "level", "政策层级"},
      {[](PolicyInput& in) { in.category = "lottery"; }, "category", "政策类别"},
      {[](PolicyInput& in) { in.published_on = "2026-02-30"; }, "publishedOn",
       "发布日期不是有效的日期"},
      {[](PolicyInput& in) { in.effective_on = "2026/01/01"; }, "effectiveOn", "施行日期"},
      {[](PolicyInput& in) { in.expires_on = "2025-12-31"; }, "expiresOn",
       "失效日期不能早于施行日期"},
      {[](PolicyInput& in) {
         in.tags = {"ok", ""};
       },
       "tags", "标签不能为空"},
      {[](PolicyInput& in) { in.department_id = ""; }, "department", "请选择责任部门"},
  };
  for (const Case& c : cases) {
    PolicyInput in = Input("新政策");
    c.change(in);
    Result<Policy> r = service_->Create(Editor(), in);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.invalid_policy")) << c.field;
    ASSERT_FALSE(r.error().fields.empty());
    EXPECT_EQ(r.error().fields[0].field, c.field);
    EXPECT_THAT(r.error().fields[0].message, HasSubstr(c.message));
    EXPECT_THAT(r.error().message, HasSubstr(c.message));
    EXPECT_TRUE(IsError(service_->Update(Editor(), existing.id, in, existing.version),
                        ErrorCode::kInvalidArgument, "policy.invalid_policy"))
        << c.field;
  }
  // Several bad fields at once: each one named.
  PolicyInput many = Input("");
  many.level = "x";
  many.category = "y";
  Result<Policy> r = service_->Create(Editor(), many);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "policy.invalid_policy"));
  EXPECT_EQ(r.error().fields.size(), 3u);

  PolicyInput no_dept = Input("新政策");
  no_dept.department_id = "no-such-dept";
  EXPECT_TRUE(IsError(service_->Create(Editor(), no_dept), ErrorCode::kNotFound,
                      "policy.no_such_department"));
  EXPECT_TRUE(IsError(service_->Get(Editor(), "nope"), ErrorCode::kNotFound, "policy.not_found"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(service_->Get(Public(), existing.id)->title, "已有政策");
}

TEST_P(PolicyServiceTest, WithoutCatalogManageNothingChanges) {
  Policy p = MustCreate(Input("已有政策"));
  Policy draft = MustCreate(Input("草稿政策"), /*publish=*/false);
  Result<Item> item = service_->AddItem(Editor(), p.id, Item1());
  ASSERT_TRUE(item.has_value()) << item.error().message;
  const auto before = Counts();
  for (const identity::Principal& who : {Reviewer(), Public()}) {
    EXPECT_TRUE(IsError(service_->Create(who, Input("新政策")), ErrorCode::kPermissionDenied,
                        "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->Update(who, p.id, Input("改"), p.version),
                        ErrorCode::kPermissionDenied, "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->Publish(who, draft.id), ErrorCode::kPermissionDenied,
                        "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->Retire(who, p.id), ErrorCode::kPermissionDenied,
                        "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->AddItem(who, p.id, Item1()), ErrorCode::kPermissionDenied,
                        "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->UpdateItem(who, item->id, Item1(), item->version),
                        ErrorCode::kPermissionDenied, "identity.permission_denied"));
    EXPECT_TRUE(IsError(service_->Items(who, draft.id), ErrorCode::kNotFound, "policy.not_found"));
  }
  // An editor scoped to another department may not touch this one's policies.
  identity::Principal scoped = Editor();
  scoped.data_scope = identity::DataScope::kDept;
  scoped.department_id = other_dept_;
  scoped.scope_department_ids = {other_dept_};
  EXPECT_TRUE(IsError(service_->Retire(scoped, p.id), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_TRUE(IsError(service_->Create(scoped, Input("新政策")), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(service_->Get(Public(), p.id)->status, "published");
}

TEST_P(PolicyServiceTest, RulesAreVersionedAndPickedByDate) {
  Policy p = MustCreate(Input("稳岗返还政策"));
  Result<Item> item = service_->AddItem(Editor(), p.id, Item1());
  ASSERT_TRUE(item.has_value()) << item.error().message;
  EXPECT_EQ(item->department_id, dept_);  // the policy's by default
  EXPECT_EQ(item->mode, "exempt");
  EXPECT_EQ(item->budget_fen, 100'000'000);

  // v2: the rule as neutral JSON, from 2026-07-01.
  ItemInput v2 = Item1();
  v2.rule_text = "";
  v2.rule_json = R"({"all":[{"fact":"employees","op":">=","value":100}]})";
  v2.formula_text = "";
  v2.effective_from = "2026-07-01";
  Result<Item> updated = service_->UpdateItem(Editor(), item->id, v2, item->version);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  // v3: only the formula, in Chinese, from 2027-01-01.
  ItemInput v3 = Item1();
  v3.title = "稳岗返还（2027）";
  v3.rule_text = "";
  v3.formula_text = "min(上年度失业保险缴费 × 60%, 60万元)，舍去";
  v3.effective_from = "2027-01-01";
  updated = service_->UpdateItem(Editor(), item->id, v3, updated->version);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->title, "稳岗返还（2027）");
  // The same rule and formula again: the item changes, no new rule version.
  ItemInput same = v3;
  same.formula_text = "min(insurance_paid_fen * 60%, 60万元) round down";
  updated = service_->UpdateItem(Editor(), item->id, same, updated->version);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  // No rule or formula given: fields only.
  ItemInput fields_only = v3;
  fields_only.rule_text = fields_only.formula_text = "";
  fields_only.budget_fen = 5;
  updated = service_->UpdateItem(Editor(), item->id, fields_only, updated->version);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->budget_fen, 5);

  Result<std::vector<ItemRule>> versions = service_->RuleVersions(Public(), item->id);
  ASSERT_TRUE(versions.has_value());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].created_by, "u-editor");

  const FactSchema schema = FactSchema::Default();
  const Cond v1_cond = *ParseText("employees >= 50 and not bad_credit", schema);
  const Cond v2_cond = *FromJsonText(v2.rule_json, &schema);
  const Formula v1_formula = *ParseFormula(Item1().formula_text, schema);
  const Formula v3_formula = *ParseFormula(v3.formula_text, schema);

  EXPECT_TRUE(IsError(service_->CurrentRule(Public(), item->id, "2025-12-31"), ErrorCode::kNotFound,
                      "policy.no_rule_in_force"));
  Result<ItemRule> r = service_->CurrentRule(Public(), item->id, "2026-01-01");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->cond, v1_cond);
  EXPECT_EQ(r->formula, v1_formula);
  r = service_->CurrentRule(Public(), item->id, "2026-06-30");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->version, 1);
  r = service_->CurrentRule(Public(), item->id, "2026-07-01");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->cond, v2_cond);
  EXPECT_EQ(r->formula, v1_formula);  // kept from v1
  EXPECT_EQ(r->effective_from, "2026-07-01");
  r = service_->CurrentRule(Public(), item->id, "2027-06-01");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(r->cond, v2_cond);  // kept from v2
  EXPECT_EQ(r->formula, v3_formula);
  EXPECT_EQ(r->formula.rounding, Rounding::kDown);
  EXPECT_TRUE(IsError(service_->CurrentRule(Public(), item->id, "2027-02-30"),
                      ErrorCode::kInvalidArgument, "policy.bad_date"));

  Result<std::vector<Item>> items = service_->Items(Public(), p.id);
  ASSERT_TRUE(items.has_value());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].title, "稳岗返还（2027）");
  EXPECT_THAT(AuditActions(),
              ElementsAre("policy.policy.create", "policy.policy.publish", "policy.item.create",
                          "policy.item.update", "policy.item.update", "policy.item.update",
                          "policy.item.update"));
}

TEST_P(PolicyServiceTest, BadItemInputIsRefusedAndNothingChanges) {
  Policy p = MustCreate(Input("稳岗返还政策"));
  Result<Item> item = service_->AddItem(Editor(), p.id, Item1());
  ASSERT_TRUE(item.has_value()) << item.error().message;
  const auto before = Counts();
  struct Case {
    std::function<void(ItemInput&)> change;
    std::string reason, field, message;
  };
  const std::vector<Case> cases = {
      {[](ItemInput& in) { in.title = ""; }, "policy.invalid_item", "title", "请填写申报事项名称"},
      {[](ItemInput& in) { in.mode = "auto"; }, "policy.invalid_item", "mode", "免申即享"},
      {[](ItemInput& in) { in.budget_fen = -1; }, "policy.invalid_item", "budgetFen",
       "预算金额不能为负数"},
      {[](ItemInput& in) { in.window_to = "2025-12-31"; }, "policy.invalid_item", "windowTo",
       "申报截止日期不能早于开始日期"},
      {[](ItemInput& in) { in.window_from = "2026-13-01"; }, "policy.invalid_item", "windowFrom",
       "申报开始日期不是有效的日期"},
      {[](ItemInput& in) { in.publicity_days = 91; }, "policy.invalid_item", "publicityDays",
       "公示天数"},
      {[](ItemInput& in) { in.status = "paused"; }, "policy.invalid_item", "status",
       "申报事项状态"},
      {[](ItemInput& in) { in.effective_from = "someday"; }, "policy.invalid_item", "effectiveFrom",
       "规则生效日期"},
      {[](ItemInput& in) { in.rule_text = "employees >= "; }, "policy.rule_syntax", "rule",
       "第1行第"},
      {[](ItemInput& in) { in.rule_text = "员工数 >= 50 且\n  利润 > 1"; }, "policy.unknown_fact",
       "rule", "利润"},
      {[](ItemInput& in) { in.rule_text = "industry >= 5"; }, "policy.rule_op", "rule",
       "第1行第10列"},
      {[](ItemInput& in) { in.rule_text = "employees == \"多\""; }, "policy.type_mismatch", "rule",
       ""},
      {[](ItemInput& in) {
         in.rule_text = "";
         in.rule_json = R"({"fact":"employees","op":"~","value":1})";
       },
       "policy.rule_op", "rule.op", ""},
      {[](ItemInput& in) { in.rule_json = R"({"all":[]})"; }, "policy.invalid_item", "rule",
       "只填写一种形式"},
      {[](ItemInput& in) { in.formula_text = "min(insurance_paid_fen * 50%"; },
       "policy.formula_syntax", "formula", "第1行第"},
      {[](ItemInput& in) { in.formula_text = "industry * 2 round up"; }, "policy.type_mismatch",
       "formula", ""},
  };
  for (const Case& c : cases) {
    ItemInput in = Item1();
    c.change(in);
    Result<Item> added = service_->AddItem(Editor(), p.id, in);
    ASSERT_TRUE(IsError(added, ErrorCode::kInvalidArgument, c.reason)) << c.field;
    ASSERT_FALSE(added.error().fields.empty()) << c.field;
    EXPECT_THAT(added.error().fields[0].field, ::testing::StartsWith(c.field));
    EXPECT_THAT(added.error().fields[0].message, HasSubstr(c.message));
    EXPECT_TRUE(IsError(service_->UpdateItem(Editor(), item->id, in, item->version),
                        ErrorCode::kInvalidArgument, c.reason))
        << c.field;
  }
  // A new item needs both a rule and a formula.
  ItemInput no_rule = Item1();
  no_rule.rule_text = "";
  EXPECT_TRUE(IsError(service_->AddItem(Editor(), p.id, no_rule), ErrorCode::kInvalidArgument,
                      "policy.invalid_item"));
  ItemInput no_formula = Item1();
  no_formula.formula_text = "";
  EXPECT_TRUE(IsError(service_->AddItem(Editor(), p.id, no_formula), ErrorCode::kInvalidArgument,
                      "policy.invalid_item"));
  EXPECT_TRUE(IsError(service_->UpdateItem(Editor(), item->id, Item1(), item->version + 7),
                      ErrorCode::kAborted, "store.version_conflict"));
  EXPECT_TRUE(IsError(service_->AddItem(Editor(), "nope", Item1()), ErrorCode::kNotFound,
                      "policy.not_found"));
  EXPECT_TRUE(IsError(service_->UpdateItem(Editor(), "nope", Item1(), 1), ErrorCode::kNotFound,
                      "policy.item_not_found"));
  EXPECT_EQ(Counts(), before);

  // A retired policy takes no new items.
  ASSERT_TRUE(service_->Retire(Editor(), p.id).has_value());
  const auto retired = Counts();
  EXPECT_TRUE(IsError(service_->AddItem(Editor(), p.id, Item1()), ErrorCode::kFailedPrecondition,
                      "policy.retired"));
  EXPECT_EQ(Counts(), retired);
}

INSTANTIATE_TEST_SUITE_P(Backends, PolicyServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
