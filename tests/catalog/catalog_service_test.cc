// CatalogService on SQLite and PostgreSQL: versioned saves with optimistic concurrency, audit,
// permissions and data scope, retiring, search, plans, and import / export.
#include "catalog/catalog_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <memory>
#include <thread>

#include "catalog/catalog_json.h"
#include "catalog_fixtures.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::catalog {
namespace {

using testing::BirthBundle;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeBirthBundle;
using testing::ValidItem;
using testutil::IsError;
using testutil::TestDb;

identity::Principal Admin() {
  identity::Principal p;
  p.user_id = "u-admin";
  p.display_name = "目录管理员";
  p.department_id = "d-hn";
  p.data_scope = identity::DataScope::kAll;
  p.permissions = {identity::Permission::kManageCatalog};
  p.request_id = "req-1";
  return p;
}

// A 部门管理员 of 长沙 (本部门及以下).
identity::Principal ChangshaAdmin() {
  identity::Principal p = Admin();
  p.user_id = "u-cs";
  p.department_id = "d-cs";
  p.data_scope = identity::DataScope::kDeptAndBelow;
  p.scope_department_ids = {"d-cs", "d-wjw", "d-gaj", "d-ybj", "d-xspj"};
  return p;
}

identity::Principal YongzhouAdmin() {
  identity::Principal p = Admin();
  p.user_id = "u-yz";
  p.department_id = "d-yz";
  p.data_scope = identity::DataScope::kDeptAndBelow;
  p.scope_department_ids = {"d-yz"};
  return p;
}

identity::Principal Clerk() {
  identity::Principal p;
  p.user_id = "u-clerk";
  p.data_scope = identity::DataScope::kDept;
  p.permissions = {identity::Permission::kReadParties};
  return p;
}

class CatalogServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    service_ = std::make_unique<CatalogService>(t_->db(), t_->clock(), *audit_);
    struct D {
      const char *id, *code, *parent, *path;
    };
    const D departments[] = {
        {"d-hn", "HN", nullptr, "/d-hn/"},
        {"d-cs", "HN-CS", "d-hn", "/d-hn/d-cs/"},
        {"d-wjw", "HN-CS-WJW", "d-cs", "/d-hn/d-cs/d-wjw/"},
        {"d-gaj", "HN-CS-GAJ", "d-cs", "/d-hn/d-cs/d-gaj/"},
        {"d-ybj", "HN-CS-YBJ", "d-cs", "/d-hn/d-cs/d-ybj/"},
        {"d-xspj", "HN-CS-XSPJ", "d-cs", "/d-hn/d-cs/d-xspj/"},
        {"d-yz", "HN-YZ", "d-hn", "/d-hn/d-yz/"},
    };
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      for (const D& d : departments) {
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,1)",
            {d.id, d.code, d.code, d.parent ? store::Value(std::string(d.parent)) : store::kNull,
             "430100", "city", d.path, std::int64_t{0}, std::int64_t{0}}));
      }
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
  }

  Item MustSave(const Item& item, const identity::Principal& actor = Admin()) {
    Result<Item> r = service_->SaveItem(actor, item);
    EXPECT_TRUE(r.has_value()) << r.error().message
                               << (r.has_value() || r.error().fields.empty()
                                       ? ""
                                       : " " + r.error().fields[0].field + " " +
                                             r.error().fields[0].message);
    return r.has_value() ? *r : Item{};
  }

  // Saves the birth items and bundle; returns the fixture with the saved versions.
  BirthBundle SaveBirth() {
    BirthBundle b = MakeBirthBundle();
    b.cert = MustSave(b.cert);
    b.vaccine = MustSave(b.vaccine);
    b.hukou = MustSave(b.hukou);
    b.insurance = MustSave(b.insurance);
    Result<Bundle> saved = service_->SaveBundle(Admin(), b.bundle);
    EXPECT_TRUE(saved.has_value()) << saved.error().message;
    if (saved.has_value()) b.bundle = *saved;
    return b;
  }

  struct Counts {
    std::int64_t items, bundles, audit;
    bool operator==(const Counts&) const = default;
  };
  Counts Snapshot() {
    return {t_->Count("catalog_item"), t_->Count("catalog_bundle"), t_->Count("audit_entry")};
  }

  std::vector<audit::Entry> Audit() {
    audit::Filter f;
    f.limit = 100;
    Result<audit::Page> page =
        store::Read(t_->db(), [&](store::Tx& tx) { return audit_->Search(tx, f); });
    EXPECT_TRUE(page.has_value());
    return page.has_value() ? page->items : std::vector<audit::Entry>{};
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<CatalogService> service_;
};

// ---- Items ----

TEST_P(CatalogServiceTest, SaveItemStoresVersionOneAndAuditsIt) {
  Item saved = MustSave(ValidItem());
  EXPECT_EQ(saved.version, 1);
  Result<Item> got = service_->GetItem(saved.code);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(*got, saved);
  EXPECT_EQ(got->version, 1);
  Item expected = ValidItem();
  expected.version = 1;
  EXPECT_EQ(*got, expected);  // every field survives the JSON body

  std::vector<audit::Entry> entries = Audit();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "catalog.item.save");
  EXPECT_EQ(audit::ActionLabel(entries[0].action), "保存事项");
  EXPECT_EQ(entries[0].subject_type, "catalog_item");
  EXPECT_EQ(entries[0].subject_id, saved.code);
  EXPECT_EQ(entries[0].actor_id, "u-admin");
  EXPECT_EQ(entries[0].request_id, "req-1");
  boost::json::value details = boost::json::parse(entries[0].details_json);
  EXPECT_EQ(details.at("version").as_int64(), 1);
  EXPECT_EQ(details.at("name").as_string(), "测试许可事项");
}

TEST_P(CatalogServiceTest, EditingStoresANewVersionAndKeepsTheOldOneReadable) {
  Item v1 = MustSave(ValidItem());
  Item edit = v1;
  edit.promised_limit.value = 3;
  edit.name = "测试许可事项（新）";
  Item v2 = MustSave(edit);
  EXPECT_EQ(v2.version, 2);

  Result<Item> current = service_->GetItem(v1.code);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->promised_limit.value, 3);
  Result<Item> old = service_->GetItem(v1.code, 1);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(*old, v1);  // a case filed under version 1 still reads version 1
  EXPECT_EQ(old->promised_limit.value, 5);
  EXPECT_TRUE(
      IsError(service_->GetItem(v1.code, 3), ErrorCode::kNotFound, "catalog.item_not_found"));
  EXPECT_EQ(t_->Count("catalog_item"), 2);
  EXPECT_EQ(Audit().size(), 2u);
  EXPECT_EQ(boost::json::parse(Audit()[0].details_json).at("previousVersion").as_int64(), 1);
}

TEST_P(CatalogServiceTest, SavingAnIdenticalItemWritesNothing) {
  Item v1 = MustSave(ValidItem());
  const Counts before = Snapshot();
  Item again = MustSave(v1);
  EXPECT_EQ(again.version, 1);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(CatalogServiceTest, AStaleVersionIsAConflictAndChangesNothing) {
  Item v1 = MustSave(ValidItem());
  Item mine = v1, theirs = v1;
  theirs.name = "他人修改";
  MustSave(theirs);
  const Counts before = Snapshot();
  mine.name = "我的修改";
  Result<Item> r = service_->SaveItem(Admin(), mine);
  ASSERT_TRUE(IsError(r, ErrorCode::kAborted, "catalog.version_conflict"));
  EXPECT_THAT(r.error().message, HasSubstr("当前为第 2 版，您编辑的是第 1 版"));
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(service_->GetItem(v1.code)->name, "他人修改");

  // A "new" item whose code exists, and an edit of an item that does not exist.
  Item fresh = ValidItem();
  EXPECT_TRUE(
      IsError(service_->SaveItem(Admin(), fresh), ErrorCode::kAborted, "catalog.version_conflict"));
  Item ghost = ValidItem(testing::kGajUscc, "000100009000", "不存在的事项", "HN-CS-GAJ");
  ghost.version = 4;
  EXPECT_TRUE(
      IsError(service_->SaveItem(Admin(), ghost), ErrorCode::kAborted, "catalog.version_conflict"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(CatalogServiceTest, ConcurrentEditsOfOneVersionLetExactlyOneWin) {
  Item v1 = MustSave(ValidItem());
  const int kWriters = 4;
  std::atomic<int> won{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Item edit = v1;
      edit.name = "并发修改 " + std::to_string(w);
      Result<Item> r = service_->SaveItem(Admin(), edit);
      if (r.has_value()) {
        ++won;
      } else if (r.error().reason == "catalog.version_conflict") {
        ++conflicts;
      } else {
        ++other;
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kWriters - 1);
  EXPECT_EQ(t_->Count("catalog_item"), 2);
  EXPECT_EQ(Audit().size(), 2u);
  EXPECT_EQ(service_->GetItem(v1.code)->version, 2);
}

TEST_P(CatalogServiceTest, AnInvalidItemIsRefusedWithEveryProblem) {
  Item item = ValidItem();
  item.promised_limit.value = 30;
  item.department_code = "HN-CS-NOPE";
  item.steps[1].department_code = "HN-XX";
  const Counts before = Snapshot();
  Result<Item> r = service_->SaveItem(Admin(), item);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_item"));
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].field, "promisedLimit.value");
  EXPECT_EQ(r.error().fields[1].field, "departmentCode");
  EXPECT_EQ(r.error().fields[1].message, "部门 HN-CS-NOPE 不存在");
  EXPECT_EQ(r.error().fields[2].field, "steps[1].departmentCode");
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(CatalogServiceTest, SavingNeedsCatalogManageAndTheDepartmentInScope) {
  const Counts before = Snapshot();
  EXPECT_TRUE(IsError(service_->SaveItem(Clerk(), ValidItem()), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->SaveItem(YongzhouAdmin(), ValidItem()),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_EQ(Snapshot(), before);
  // 长沙's administrator may; 永州's may not take the item over into its own department.
  Item v1 = MustSave(ValidItem(), ChangshaAdmin());
  Item moved = v1;
  moved.department_code = "HN-YZ";
  EXPECT_TRUE(IsError(service_->SaveItem(YongzhouAdmin(), moved), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_EQ(service_->GetItem(v1.code)->department_code, "HN-CS-WJW");
}

// ---- Bundles ----

TEST_P(CatalogServiceTest, SaveBundleVersionsAndPlansIt) {
  BirthBundle b = SaveBirth();
  EXPECT_EQ(b.bundle.version, 1);
  Result<Bundle> got = service_->GetBundle("birth");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, b.bundle);

  Result<std::vector<Bundle>> all = service_->ListBundles();
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().name, "出生一件事");

  Result<std::vector<Item>> items = service_->ItemsOf(b.bundle);
  ASSERT_TRUE(items.has_value());
  ASSERT_EQ(items->size(), 4u);
  EXPECT_EQ((*items)[2], b.hukou);

  Result<PlannedBundle> planned = service_->PlanOf("birth", {{"married", "no"}, {"insure", "yes"}});
  ASSERT_TRUE(planned.has_value()) << planned.error().message;
  EXPECT_EQ(planned->bundle, b.bundle);
  EXPECT_EQ(planned->plan.figures.items, 4);
  EXPECT_EQ(planned->plan.figures.materials_before, 10);
  EXPECT_EQ(planned->plan.figures.materials_after, 3);
  EXPECT_EQ(planned->plan.figures.days_after, 20);
  EXPECT_EQ(planned->plan.figures.visits_after, 1);

  Bundle edit = b.bundle;
  edit.description = "新说明";
  Result<Bundle> v2 = service_->SaveBundle(Admin(), edit);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(service_->GetBundle("birth", 1)->description, b.bundle.description);
  EXPECT_EQ(service_->GetBundle("birth")->description, "新说明");
  EXPECT_EQ(Audit().front().action, "catalog.bundle.save");
  EXPECT_EQ(audit::ActionLabel("catalog.bundle.save"), "保存一件事");
}

TEST_P(CatalogServiceTest, BundleErrorsChangeNothing) {
  BirthBundle b = SaveBirth();
  const Counts before = Snapshot();

  Bundle stale = b.bundle;
  stale.version = 0;
  EXPECT_TRUE(IsError(service_->SaveBundle(Admin(), stale), ErrorCode::kAborted,
                      "catalog.version_conflict"));
  Bundle unchanged = b.bundle;
  EXPECT_EQ(service_->SaveBundle(Admin(), unchanged)->version, 1);

  Bundle bad = b.bundle;
  bad.items.push_back({std::string(31, '9'), {}, true});
  bad.department_code = "HN-NOPE";
  Result<Bundle> r = service_->SaveBundle(Admin(), bad);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_bundle"));
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "items[4].itemCode");
  EXPECT_EQ(r.error().fields[1].message, "部门 HN-NOPE 不存在");

  EXPECT_TRUE(IsError(service_->SaveBundle(Clerk(), b.bundle), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->SaveBundle(YongzhouAdmin(), b.bundle), ErrorCode::kPermissionDenied,
                      "identity.out_of_scope"));
  EXPECT_EQ(Snapshot(), before);

  EXPECT_TRUE(
      IsError(service_->GetBundle("death"), ErrorCode::kNotFound, "catalog.bundle_not_found"));
  EXPECT_TRUE(
      IsError(service_->GetBundle("birth", 2), ErrorCode::kNotFound, "catalog.bundle_not_found"));
  EXPECT_TRUE(
      IsError(service_->PlanOf("death", {}), ErrorCode::kNotFound, "catalog.bundle_not_found"));
  EXPECT_TRUE(IsError(service_->PlanOf("birth", {{"married", "maybe"}}),
                      ErrorCode::kInvalidArgument, "catalog.bad_answer"));
  EXPECT_TRUE(IsError(service_->PlanOf("birth", {}), ErrorCode::kInvalidArgument,
                      "catalog.missing_answer"));
}

TEST_P(CatalogServiceTest, AnItemEditThatWouldBreakABundleIsRefused) {
  BirthBundle b = SaveBirth();
  const Counts before = Snapshot();
  Item cert = b.cert;
  cert.result.fields = {"childName"};  // the bundle maps certNo into 户口登记
  Result<Item> r = service_->SaveItem(Admin(), cert);
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "catalog.breaks_bundle"));
  EXPECT_THAT(r.error().message, HasSubstr("一件事「出生一件事」将不再有效"));
  EXPECT_THAT(r.error().message, HasSubstr("没有字段 certNo"));
  EXPECT_EQ(r.error().fields[0].field, "birth");
  EXPECT_EQ(Snapshot(), before);
}

// ---- Retiring ----

TEST_P(CatalogServiceTest, RetiredItemsLeaveSearchesButOldVersionsStayReadable) {
  Item v1 = MustSave(ValidItem());
  Result<Item> r = service_->RetireItem(Admin(), v1.code, 1, "事项已取消（湘政发〔2026〕1号）");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(IsError(service_->GetItem(v1.code), ErrorCode::kNotFound, "catalog.item_retired"));
  EXPECT_TRUE(service_->GetItem(v1.code, 1).has_value());
  EXPECT_EQ(service_->SearchItems({})->total, 0);
  ItemQuery all;
  all.include_retired = true;
  EXPECT_EQ(service_->SearchItems(all)->total, 1);
  EXPECT_EQ(Audit().front().action, "catalog.item.retire");
  EXPECT_EQ(audit::ActionLabel("catalog.item.retire"), "停用事项");
  EXPECT_EQ(Audit().front().purpose, "事项已取消（湘政发〔2026〕1号）");

  const Counts before = Snapshot();
  EXPECT_TRUE(IsError(service_->RetireItem(Admin(), v1.code, 1, "再次停用"),
                      ErrorCode::kFailedPrecondition, "catalog.item_retired"));
  EXPECT_EQ(Snapshot(), before);

  // Saving it again brings it back as version 2.
  Item back = MustSave(v1);
  EXPECT_EQ(back.version, 2);
  EXPECT_TRUE(service_->GetItem(v1.code).has_value());
}

TEST_P(CatalogServiceTest, RetireErrorsChangeNothing) {
  BirthBundle b = SaveBirth();
  const Counts before = Snapshot();
  EXPECT_TRUE(IsError(service_->RetireItem(Admin(), b.vaccine.code, 1, "不再办理"),
                      ErrorCode::kFailedPrecondition, "catalog.item_in_use"));
  EXPECT_TRUE(IsError(service_->RetireItem(Admin(), b.vaccine.code, 2, "不再办理"),
                      ErrorCode::kAborted, "catalog.version_conflict"));
  EXPECT_TRUE(IsError(service_->RetireItem(Admin(), b.vaccine.code, 1, "停"),
                      ErrorCode::kInvalidArgument, "catalog.invalid_reason"));
  EXPECT_TRUE(IsError(service_->RetireItem(Admin(), std::string(31, '9'), 1, "不再办理"),
                      ErrorCode::kNotFound, "catalog.item_not_found"));
  EXPECT_TRUE(IsError(service_->RetireItem(Clerk(), b.vaccine.code, 1, "不再办理"),
                      ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->RetireItem(YongzhouAdmin(), b.vaccine.code, 1, "不再办理"),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_EQ(Snapshot(), before);
}

// ---- Search ----

TEST_P(CatalogServiceTest, SearchByTextDepartmentServiceObjectAndPage) {
  BirthBundle b = SaveBirth();
  Item enterprise = ValidItem(testing::kGajUscc, "000100005000", "印章刻制备案", "HN-CS-GAJ");
  enterprise.service_objects = {2, 4};
  MustSave(enterprise);

  ItemQuery q;
  q.text = "户口";
  Result<ItemPage> page = service_->SearchItems(q);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].name, "出生户口登记");

  q.text = b.hukou.code.substr(0, 13);
  for (char& c : q.text) c = static_cast<char>(std::tolower(c));  // codes match any case
  EXPECT_EQ(service_->SearchItems(q)->total, 2);  // 户口 and 印章 share the 公安局 USCC

  q = {};
  q.department_code = "HN-CS-WJW";
  EXPECT_EQ(service_->SearchItems(q)->total, 2);
  q = {};
  q.service_object = 2;
  page = service_->SearchItems(q);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].name, "印章刻制备案");
  q.service_object = 1;
  EXPECT_EQ(service_->SearchItems(q)->total, 4);

  q = {};
  q.limit = 2;
  q.offset = 4;
  page = service_->SearchItems(q);
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 1u);
  q.offset = 0;
  page = service_->SearchItems(q);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_LT(page->items[0].code, page->items[1].code);

  q.text = "100%_";  // LIKE wildcards are literal
  EXPECT_EQ(service_->SearchItems(q)->total, 0);
  q = {};
  q.limit = 101;
  EXPECT_TRUE(IsError(service_->SearchItems(q), ErrorCode::kInvalidArgument, "catalog.bad_query"));
  q.limit = 10;
  q.offset = -1;
  EXPECT_TRUE(IsError(service_->SearchItems(q), ErrorCode::kInvalidArgument, "catalog.bad_query"));
}

// ---- Import / export ----

std::string ExchangeText(const std::vector<Item>& items, const std::vector<Bundle>& bundles) {
  boost::json::array is, bs;
  for (const Item& i : items) is.push_back(ItemToJson(i));
  for (const Bundle& b : bundles) bs.push_back(BundleToJson(b));
  return PrettyJson(boost::json::object{{"items", std::move(is)}, {"bundles", std::move(bs)}});
}

TEST_P(CatalogServiceTest, ImportCreatesNewVersionsOnlyForChangedEntries) {
  BirthBundle b = MakeBirthBundle();
  const std::string text = ExchangeText(b.Items(), {b.bundle});
  Result<ImportReport> r = service_->Import(Admin(), text);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->items_new, 4);
  EXPECT_EQ(r->bundles_new, 1);
  EXPECT_EQ(r->items_unchanged, 0);
  EXPECT_EQ(t_->Count("catalog_item"), 4);
  EXPECT_EQ(t_->Count("audit_entry"), 6);  // 4 items, 1 bundle, 1 summary
  EXPECT_EQ(Audit().front().action, "catalog.import");
  EXPECT_EQ(audit::ActionLabel("catalog.import"), "导入事项目录");

  r = service_->Import(Admin(), text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->items_unchanged, 4);
  EXPECT_EQ(r->bundles_unchanged, 1);
  EXPECT_EQ(r->items_new + r->items_new_version + r->bundles_new + r->bundles_new_version, 0);
  EXPECT_EQ(t_->Count("catalog_item"), 4);

  b.hukou.promised_limit.value = 8;
  r = service_->Import(Admin(), ExchangeText(b.Items(), {b.bundle}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->items_new_version, 1);
  EXPECT_EQ(r->items_unchanged, 3);
  EXPECT_EQ(service_->GetItem(b.hukou.code)->version, 2);
  EXPECT_EQ(service_->GetItem(b.hukou.code)->promised_limit.value, 8);
}

TEST_P(CatalogServiceTest, ExportThenImportChangesNothing) {
  SaveBirth();
  Item extra = ValidItem(testing::kGajUscc, "000100005000", "印章刻制备案", "HN-CS-GAJ");
  extra.fields[0].type = FieldType::kNumber;
  extra.fields[0].min = 0.5;
  extra.fields[0].max = 10;
  extra.deemed_approval_allowed = true;
  extra.deemed_approval_days = 5;
  MustSave(extra);
  Result<std::string> text = service_->Export(Admin());
  ASSERT_TRUE(text.has_value());
  EXPECT_THAT(*text, HasSubstr("\"name\": \"出生一件事\""));
  EXPECT_THAT(*text, HasSubstr("\"version\": 1"));
  const Counts before = Snapshot();
  Result<ImportReport> r = service_->Import(Admin(), *text);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->items_unchanged, 5);
  EXPECT_EQ(r->bundles_unchanged, 1);
  EXPECT_EQ(t_->Count("catalog_item"), before.items);
  EXPECT_EQ(t_->Count("catalog_bundle"), before.bundles);
  EXPECT_EQ(t_->Count("audit_entry"), before.audit + 1);  // the import itself
  // Export is the same text again.
  EXPECT_EQ(*service_->Export(Admin()), *text);
  EXPECT_TRUE(IsError(service_->Export(Clerk()), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST_P(CatalogServiceTest, ImportErrorsNameTheLineAndWriteNothing) {
  BirthBundle b = MakeBirthBundle();
  b.hukou.promised_limit.value = 30;  // > 法定 20
  b.bundle.edges[0].mappings[0].to_field = "child.certNumber";
  const std::string text = ExchangeText(b.Items(), {b.bundle});
  const Counts before = Snapshot();
  Result<ImportReport> r = service_->Import(Admin(), text);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_import"));
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(Snapshot(), before);

  // Find the lines by hand: the third item's promisedLimit "value" and the mapping's toField.
  auto line_of = [&](const std::string& needle, std::size_t nth) {
    std::size_t at = 0;
    for (std::size_t k = 0; k <= nth; ++k) at = text.find(needle, k == 0 ? 0 : at + 1);
    return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  };
  const auto promised_line = line_of("\"promisedLimit\"", 2) + 1;  // value is the next line
  const auto mapping_line = line_of("\"child.certNumber\"", 0);
  EXPECT_EQ(r.error().fields[0].field, "items[2].promisedLimit.value");
  EXPECT_EQ(r.error().fields[0].message,
            "第 " + std::to_string(promised_line) +
                " 行 items[2].promisedLimit.value：承诺办结时限（30 个工作日）不能超过法定办结时限"
                "（20 个工作日）");
  EXPECT_EQ(r.error().fields[1].field, "bundles[0].edges[0].mappings[0].toField");
  EXPECT_EQ(r.error().fields[1].message,
            "第 " + std::to_string(mapping_line) +
                " 行 bundles[0].edges[0].mappings[0].toField：《出生户口登记》的表单没有字段 "
                "child.certNumber");
  EXPECT_THAT(r.error().message, HasSubstr("导入文件有 2 处问题，未导入任何内容"));
}

TEST_P(CatalogServiceTest, ImportReportsSyntaxTyposDuplicatesAndUnknownDepartments) {
  const Counts before = Snapshot();
  Result<ImportReport> r =
      service_->Import(Admin(), "{\n  \"items\": [\n    {\"code\": 1,}\n  ]\n}");
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_import"));
  EXPECT_EQ(r.error().fields[0].message, "第 3 行第 16 列：此处应为用英文双引号括起的键");

  r = service_->Import(Admin(), "{\"items\": [], \"items\": []}");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("键 \"items\" 重复"));

  // Shape problems (typos) are reported first; an item with them is not checked further.
  Item typo = ValidItem();
  boost::json::object o = ItemToJson(typo);
  o["promisedLimt"] = 3;
  o["department"] = "x";
  std::string text = PrettyJson(
      boost::json::object{{"items", boost::json::array{o}}, {"bundle", boost::json::array{}}});
  r = service_->Import(Admin(), text);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_import"));
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("items[0].promisedLimt", "items[0].department", "bundle"));
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("未知的键（拼写错误？）"));
  EXPECT_THAT(r.error().fields[2].message, HasSubstr("未知的键（应为 items 或 bundles）"));

  // Unknown departments and repeated codes.
  Item elsewhere = typo;
  elsewhere.department_code = "HN-NOPE";
  r = service_->Import(Admin(), ExchangeText({elsewhere, typo}, {}));
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_import"));
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "items[0].departmentCode");
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("部门 HN-NOPE 不存在"));
  EXPECT_EQ(r.error().fields[1].field, "items[1].code");
  EXPECT_THAT(r.error().fields[1].message, HasSubstr("实施编码与 items[0] 重复"));
  EXPECT_EQ(Snapshot(), before);

  EXPECT_TRUE(IsError(service_->Import(Clerk(), "{}"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(service_->Import(YongzhouAdmin(), ExchangeText({ValidItem()}, {})),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(CatalogServiceTest, ImportValidatesBundlesAgainstTheCatalogueAsItWillBe) {
  BirthBundle b = SaveBirth();
  const Counts before = Snapshot();
  // Dropping certNo from the result breaks the stored bundle that is not in the file.
  Item cert = b.cert;
  cert.result.fields = {"childName"};
  Result<ImportReport> r = service_->Import(Admin(), ExchangeText({cert}, {}));
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_import"));
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("数据库中的一件事「出生一件事」将不再有效"));
  EXPECT_EQ(Snapshot(), before);
  // With the bundle fixed in the same file it goes through.
  Bundle fixed = b.bundle;
  fixed.edges[0].mappings.clear();
  r = service_->Import(Admin(), ExchangeText({cert}, {fixed}));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->items_new_version, 1);
  EXPECT_EQ(r->bundles_new_version, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::catalog
