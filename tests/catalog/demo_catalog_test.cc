// The demo catalogue (src/app/demo_catalog.json): every item and bundle parses and validates,
// and PlanBundle derives the before / after figures the portal shows — the same figures
// scripts/check-demo-catalog.py prints (default answers = the first option of each question).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/audit_log.h"
#include "catalog/bundle.h"
#include "catalog/catalog_json.h"
#include "catalog/catalog_service.h"
#include "catalog/validate.h"
#include "testutil/test_db.h"

namespace onestop::catalog {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

// ONESTOP_SOURCE_DIR (set by ctest), else the nearest ancestor of the working directory that
// holds the file (a test binary run by hand from a build directory).
std::filesystem::path CatalogPath() {
  const std::filesystem::path rel = "src/app/demo_catalog.json";
  if (const char* dir = std::getenv("ONESTOP_SOURCE_DIR")) return std::filesystem::path(dir) / rel;
  for (std::filesystem::path p = std::filesystem::current_path(); !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / rel)) return p / rel;
    if (p == p.parent_path()) break;
  }
  return rel;
}

struct DemoCatalog {
  std::string text;  // the file as read
  std::vector<Item> items;
  std::vector<Bundle> bundles;

  const Bundle& BundleByCode(const std::string& code) const {
    auto it = std::find_if(bundles.begin(), bundles.end(),
                           [&](const Bundle& b) { return b.code == code; });
    if (it == bundles.end()) throw std::runtime_error("no bundle " + code);
    return *it;
  }
  const Item& ItemNamed(const std::string& name) const {
    auto it =
        std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.name == name; });
    if (it == items.end()) throw std::runtime_error("no item " + name);
    return *it;
  }
};

// Parses the file once; a parse error fails the calling test with every problem named.
const DemoCatalog& Catalog() {
  static const DemoCatalog catalog = [] {
    DemoCatalog c;
    std::ifstream in(CatalogPath());
    EXPECT_TRUE(in) << "cannot open " << CatalogPath();
    std::stringstream text;
    text << in.rdbuf();
    c.text = text.str();
    boost::json::value root = boost::json::parse(c.text);
    for (const boost::json::value& v : root.at("items").as_array()) {
      Result<Item> item = ItemFromJson(v);
      if (!item.has_value()) {
        ADD_FAILURE() << item.error().message;
        for (const FieldError& f : item.error().fields)
          ADD_FAILURE() << f.field << ": " << f.message;
        continue;
      }
      c.items.push_back(*item);
    }
    for (const boost::json::value& v : root.at("bundles").as_array()) {
      Result<Bundle> bundle = BundleFromJson(v);
      if (!bundle.has_value()) {
        ADD_FAILURE() << bundle.error().message;
        for (const FieldError& f : bundle.error().fields)
          ADD_FAILURE() << f.field << ": " << f.message;
        continue;
      }
      c.bundles.push_back(*bundle);
    }
    return c;
  }();
  return catalog;
}

// The first option of every question, as the check script and the portal's defaults answer.
Answers DefaultAnswers(const Bundle& b) {
  Answers a;
  for (const Situation& s : b.situations) a[s.code] = s.options.front().code;
  return a;
}

BundlePlan MustPlan(const Bundle& b, const Answers& answers) {
  Result<BundlePlan> plan = PlanBundle(b, Catalog().items, answers);
  EXPECT_TRUE(plan.has_value()) << b.code << ": " << plan.error().message;
  return plan.has_value() ? *plan : BundlePlan{};
}

std::vector<std::string> Names(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  for (const std::string& code : codes) {
    for (const Item& i : Catalog().items) {
      if (i.code == code) out.push_back(i.name);
    }
  }
  return out;
}

std::vector<std::string> MaterialKeys(const BundlePlan& plan) {
  std::vector<std::string> out;
  for (const MergedMaterial& m : plan.materials) out.push_back(m.material.key);
  return out;
}

TEST(DemoCatalogTest, EveryItemAndBundleParsesAndValidates) {
  const DemoCatalog& c = Catalog();
  EXPECT_EQ(c.items.size(), 59u);
  EXPECT_EQ(c.bundles.size(), 8u);
  std::set<std::string> codes;
  for (const Item& item : c.items) {
    EXPECT_TRUE(codes.insert(item.code).second) << "duplicate code " << item.code;
    for (const FieldError& f : ItemProblems(item)) {
      ADD_FAILURE() << item.name << " " << f.field << ": " << f.message;
    }
  }
  for (const Bundle& b : c.bundles) {
    for (const FieldError& f : BundleProblems(b, c.items)) {
      ADD_FAILURE() << b.name << " " << f.field << ": " << f.message;
    }
  }
}

// The figures with default answers, as scripts/check-demo-catalog.py prints them.
struct Expected {
  const char* code;
  int items, departments, materials_before, materials_after, days_before, days_after, visits_before,
      visits_after;
};

void PrintTo(const Expected& e, std::ostream* os) { *os << e.code; }

const Expected kExpected[] = {
    {"birth", 4, 3, 11, 5, 1, 1, 3, 1},
    {"enterprise-opening", 6, 5, 18, 6, 4, 2, 2, 1},
    {"employment", 9, 4, 24, 7, 2, 1, 8, 1},
    {"retirement", 5, 4, 14, 5, 14, 8, 2, 1},
    {"after-death", 6, 6, 24, 5, 12, 5, 6, 1},
    {"school-entry", 4, 4, 10, 4, 5, 5, 2, 1},
    {"project-start", 4, 1, 24, 11, 24, 13, 2, 1},
    {"special-groups", 4, 2, 13, 5, 33, 20, 4, 1},
};

void ExpectFigures(const BundleFigures& f, const Expected& e) {
  EXPECT_EQ(f.items, e.items) << e.code;
  EXPECT_EQ(f.departments, e.departments) << e.code;
  EXPECT_EQ(f.materials_before, e.materials_before) << e.code;
  EXPECT_EQ(f.materials_after, e.materials_after) << e.code;
  EXPECT_EQ(f.days_before, e.days_before) << e.code;
  EXPECT_EQ(f.days_after, e.days_after) << e.code;
  EXPECT_EQ(f.visits_before, e.visits_before) << e.code;
  EXPECT_EQ(f.visits_after, e.visits_after) << e.code;
}

class DemoBundleFiguresTest : public ::testing::TestWithParam<Expected> {};

TEST_P(DemoBundleFiguresTest, DefaultAnswersGiveTheReportedFigures) {
  const Expected& e = GetParam();
  const Bundle& b = Catalog().BundleByCode(e.code);
  const BundleFigures f = MustPlan(b, DefaultAnswers(b)).figures;
  ExpectFigures(f, e);
  // What makes them a reform: no more materials, no longer, at most one visit.
  EXPECT_LE(f.materials_after * 2, f.materials_before + 1);
  EXPECT_LE(f.days_after, f.days_before);
  EXPECT_EQ(f.visits_after, 1);
}

INSTANTIATE_TEST_SUITE_P(Bundles, DemoBundleFiguresTest, ::testing::ValuesIn(kExpected),
                         [](const ::testing::TestParamInfo<Expected>& info) {
                           std::string name = info.param.code;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(DemoCatalogTest, BirthChainsCertificateHukouAndInsuranceWithVaccinationInParallel) {
  const Bundle& b = Catalog().BundleByCode("birth");
  const BundlePlan plan = MustPlan(b, DefaultAnswers(b));
  EXPECT_THAT(Names(plan.item_codes),
              ElementsAre("出生医学证明首次签发", "预防接种证办理", "出生登记（新生儿落户）",
                          "城乡居民基本医疗保险参保登记及缴费（新生儿）"));
  EXPECT_THAT(Names(plan.critical_path),
              ElementsAre("出生医学证明首次签发", "出生登记（新生儿落户）"));
  // The certificate and the household page are produced in the bundle, not asked for.
  EXPECT_THAT(MaterialKeys(plan),
              ElementsAre("doc.motherIdCard", "doc.fatherIdCard", "doc.neonatalVaccinationRecord",
                          "doc.householdRegister", "doc.marriageCert"));
  ASSERT_EQ(plan.dropped.size(), 2u);
  EXPECT_EQ(plan.dropped[0].material.key, "doc.birthMedicalCert");
  EXPECT_THAT(plan.dropped[0].reason, HasSubstr("出生医学证明首次签发"));
  EXPECT_EQ(plan.dropped[1].material.key, "doc.childHouseholdPage");
  // The certificate number reaches the 户口 form from the first item's result.
  auto cert_no = std::find_if(plan.fields.begin(), plan.fields.end(), [](const MergedField& f) {
    return f.field.key == "child.birthCertNo";
  });
  ASSERT_NE(cert_no, plan.fields.end());
  EXPECT_TRUE(cert_no->filled_by_prerequisite);
}

TEST(DemoCatalogTest,
     BirthOutsideTheCityAsksForTheCertificateAndUnmarriedParentsSkipTheMarriageCert) {
  const Bundle& b = Catalog().BundleByCode("birth");
  const BundlePlan plan =
      MustPlan(b, {{"birthplace", "elsewhere"}, {"parents_married", "no"}, {"social_card", "yes"}});
  EXPECT_THAT(Names(plan.item_codes), Not(Contains("出生医学证明首次签发")));
  EXPECT_THAT(Names(plan.item_codes), Contains("社会保障卡申领（新生儿）"));
  EXPECT_THAT(MaterialKeys(plan), Contains("doc.birthMedicalCert"));
  EXPECT_THAT(MaterialKeys(plan), Not(Contains("doc.marriageCert")));
  EXPECT_THAT(plan.dropped, Contains(Field(&DroppedMaterial::reason, HasSubstr("未登记结婚"))));
  EXPECT_EQ(plan.figures.materials_before, 12);
  EXPECT_EQ(plan.figures.materials_after, 6);
  EXPECT_EQ(plan.figures.days_after, 6);  // 户口登记 (1) → 社会保障卡 (5)
}

TEST(DemoCatalogTest, EmploymentHasTheArticlesEighteenItemsFromFourDepartments) {
  const Bundle& b = Catalog().BundleByCode("employment");
  EXPECT_EQ(b.items.size(), 18u);
  std::set<std::string> departments;
  for (const BundleItem& bi : b.items) {
    for (const Item& i : Catalog().items) {
      if (i.code == bi.item_code) departments.insert(i.department_code);
    }
  }
  EXPECT_THAT(departments, ElementsAre("HN-YZ-GAJ", "HN-YZ-GJJ", "HN-YZ-RSJ", "HN-YZ-YBJ"));
  // A 就业困难人员 in flexible employment gets another package of items.
  const BundlePlan plan = MustPlan(b, {{"group", "hardship"},
                                       {"mode", "flexible"},
                                       {"settle", "no"},
                                       {"social_card", "yes"},
                                       {"transfer", "no"}});
  EXPECT_THAT(Names(plan.item_codes),
              ElementsAre("就业登记", "灵活就业人员基本养老保险参保登记",
                          "灵活就业人员职工基本医疗保险参保登记", "就业困难人员认定",
                          "就业困难人员社会保险补贴申领", "职业技能培训补贴申领"));
  EXPECT_EQ(plan.figures.materials_before, 19);
  EXPECT_EQ(plan.figures.materials_after, 9);
  EXPECT_EQ(plan.figures.days_after, 15);  // 认定 (5) → 社保补贴 (10)
}

TEST(DemoCatalogTest, ProjectWithoutPlanningPermitAddsItAndSkipsTheFireOpinion) {
  const Bundle& b = Catalog().BundleByCode("project-start");
  const BundlePlan plan = MustPlan(b, {{"planning_permit", "no"}, {"special_fire", "no"}});
  EXPECT_THAT(Names(plan.critical_path),
              ElementsAre("建设工程规划许可证核发", "施工图设计文件联合审查（多图联审）",
                          "建筑工程施工许可证核发"));
  EXPECT_EQ(plan.figures.days_after, 23);
  EXPECT_EQ(plan.figures.materials_after, 10);
  EXPECT_THAT(MaterialKeys(plan), Not(Contains("doc.planningPermit")));
  EXPECT_THAT(MaterialKeys(plan), Not(Contains("doc.fireReviewOpinion")));
  // The permit and the supervision registration allow 超时默认.
  EXPECT_TRUE(Catalog().ItemNamed("建筑工程施工许可证核发").deemed_approval_allowed);
}

// The file through CatalogService::Import, as the demo loader imports it. The service only
// checks that the departments exist, so the test seeds the ones the file names; that they are
// the demo's (src/app/demo.cc) with the right regions is scripts/check-demo-catalog.py's job.
class DemoCatalogImportTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    service_ = std::make_unique<CatalogService>(t_->db(), t_->clock(), *audit_);
    std::set<std::string> codes;
    for (const Item& i : Catalog().items) {
      codes.insert(i.department_code);
      for (const Step& s : i.steps) {
        if (!s.department_code.empty()) codes.insert(s.department_code);
      }
    }
    for (const Bundle& b : Catalog().bundles) codes.insert(b.department_code);
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      for (const std::string& code : codes) {
        const std::string id = "d-" + code;
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,?,?,?,?,?,?,1)",
            {id, code, code, store::kNull, "430000", "province", "/" + id + "/", std::int64_t{0},
             std::int64_t{0}}));
      }
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
  }

  static identity::Principal Admin() {
    identity::Principal p;
    p.user_id = "u-admin";
    p.display_name = "目录管理员";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kManageCatalog};
    p.request_id = "req-demo";
    return p;
  }

  std::unique_ptr<testutil::TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<CatalogService> service_;
};

TEST_P(DemoCatalogImportTest, ImportsOnceAndPlansFromTheStoredVersions) {
  Result<ImportReport> r = service_->Import(Admin(), Catalog().text);
  ASSERT_TRUE(r.has_value()) << r.error().message
                             << (r.error().fields.empty() ? "" : " " + r.error().fields[0].message);
  EXPECT_EQ(r->items_new, 59);
  EXPECT_EQ(r->bundles_new, 8);
  EXPECT_EQ(t_->Count("catalog_item"), 59);
  EXPECT_EQ(t_->Count("catalog_bundle"), 8);

  // The portal's figures come from the stored versions: the same as from the file.
  for (const Expected& e : kExpected) {
    const Bundle& b = Catalog().BundleByCode(e.code);
    Result<PlannedBundle> planned = service_->PlanOf(e.code, DefaultAnswers(b));
    ASSERT_TRUE(planned.has_value()) << e.code << ": " << planned.error().message;
    EXPECT_EQ(planned->bundle.version, 1);
    ExpectFigures(planned->plan.figures, e);
  }

  // Importing the same file again, or the export of it, writes nothing but the import entries.
  const std::int64_t audit = t_->Count("audit_entry");
  r = service_->Import(Admin(), Catalog().text);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->items_unchanged, 59);
  EXPECT_EQ(r->bundles_unchanged, 8);
  Result<std::string> exported = service_->Export(Admin());
  ASSERT_TRUE(exported.has_value()) << exported.error().message;
  r = service_->Import(Admin(), *exported);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->items_unchanged, 59);
  EXPECT_EQ(r->bundles_unchanged, 8);
  EXPECT_EQ(t_->Count("catalog_item"), 59);
  EXPECT_EQ(t_->Count("audit_entry"), audit + 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoCatalogImportTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::catalog
