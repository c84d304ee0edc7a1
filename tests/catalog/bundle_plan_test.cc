// PlanBundle and LimitInWorkingDays: what the 出生一件事 fixture becomes for given answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/bundle.h"
#include "catalog_fixtures.h"
#include "testutil/matchers.h"

namespace onestop::catalog {
namespace {

using testing::BirthBundle;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeBirthBundle;
using testutil::IsError;

BundlePlan MustPlan(const BirthBundle& b, const Answers& answers) {
  Result<BundlePlan> plan = PlanBundle(b.bundle, b.Items(), answers);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  return plan.has_value() ? *plan : BundlePlan{};
}

std::vector<std::string> Keys(const std::vector<MergedField>& fields) {
  std::vector<std::string> out;
  for (const MergedField& f : fields) out.push_back(f.field.key);
  return out;
}

std::vector<std::string> Keys(const std::vector<MergedMaterial>& materials) {
  std::vector<std::string> out;
  for (const MergedMaterial& m : materials) out.push_back(m.material.key);
  return out;
}

TEST(LimitInWorkingDaysTest, NaturalDaysCountFiveSeventhsRoundedUp) {
  EXPECT_EQ(LimitInWorkingDays({20, LimitUnit::kWorkingDays, ""}), 20);
  EXPECT_EQ(LimitInWorkingDays({0, LimitUnit::kNaturalDays, ""}), 0);
  EXPECT_EQ(LimitInWorkingDays({1, LimitUnit::kNaturalDays, ""}), 1);
  EXPECT_EQ(LimitInWorkingDays({7, LimitUnit::kNaturalDays, ""}), 5);
  EXPECT_EQ(LimitInWorkingDays({8, LimitUnit::kNaturalDays, ""}), 6);
  EXPECT_EQ(LimitInWorkingDays({10, LimitUnit::kNaturalDays, ""}), 8);  // ⌈50/7⌉
  EXPECT_EQ(LimitInWorkingDays({30, LimitUnit::kNaturalDays, ""}), 22);
}

TEST(PlanBundleTest, AllItemsSelectedMergesFormsAndMaterialsAndFindsTheCriticalPath) {
  BirthBundle b = MakeBirthBundle();
  BundlePlan plan = MustPlan(b, {{"married", "yes"}, {"insure", "yes"}});

  EXPECT_THAT(plan.item_codes,
              ElementsAre(b.cert.code, b.vaccine.code, b.hukou.code, b.insurance.code));
  ASSERT_EQ(plan.edges.size(), 2u);
  EXPECT_EQ(plan.edges[0].from, b.cert.code);

  // Fields: de-duplicated by key in plan order; the first label wins.
  EXPECT_THAT(Keys(plan.fields),
              ElementsAre("applicant.idNumber", "child.name", "child.birthDate", "guardian.phone",
                          "child.birthCertNo", "child.householdNo"));
  EXPECT_EQ(plan.fields[0].field.label, "申请人身份证号");
  EXPECT_THAT(plan.fields[0].item_codes, ElementsAre(b.cert.code, b.hukou.code));
  EXPECT_EQ(plan.fields[1].field.label, "新生儿姓名");
  EXPECT_EQ(plan.fields[1].item_codes.size(), 4u);
  EXPECT_FALSE(plan.fields[0].filled_by_prerequisite);
  EXPECT_FALSE(plan.fields[1].filled_by_prerequisite);
  EXPECT_TRUE(plan.fields[4].filled_by_prerequisite);  // 出生医学证明 certNo
  EXPECT_TRUE(plan.fields[5].filled_by_prerequisite);  // 户口登记 householdNo

  // Materials: 身份证 once (largest counts), 结婚证 once (strongest need), produced ones dropped.
  EXPECT_THAT(Keys(plan.materials), ElementsAre("doc.idCard", "doc.marriageCert", "doc.birthRecord",
                                                "doc.householdRegister"));
  const MergedMaterial& id = plan.materials[0];
  EXPECT_THAT(id.item_codes,
              ElementsAre(b.cert.code, b.vaccine.code, b.hukou.code, b.insurance.code));
  EXPECT_EQ(id.material.originals, 1);
  EXPECT_EQ(id.material.copies, 2);  // 预防接种 asks for two copies
  EXPECT_EQ(id.material.name, "父母身份证");
  const MergedMaterial& marriage = plan.materials[1];
  EXPECT_EQ(marriage.material.need, MaterialNeed::kRequired);  // 必要 beats 容缺后补
  EXPECT_EQ(marriage.material.originals, 1);
  EXPECT_EQ(marriage.material.copies, 1);
  ASSERT_EQ(plan.dropped.size(), 2u);
  EXPECT_EQ(plan.dropped[0].material.key, "doc.birthCert");
  EXPECT_EQ(plan.dropped[0].item_code, b.hukou.code);
  EXPECT_EQ(plan.dropped[0].reason, "由《出生医学证明签发》办结后生成，无需提交");
  EXPECT_EQ(plan.dropped[1].material.key, "doc.householdPage");
  EXPECT_EQ(plan.dropped[1].item_code, b.insurance.code);
  EXPECT_EQ(plan.dropped[1].reason, "由《出生户口登记》办结后生成，无需提交");

  EXPECT_THAT(plan.critical_path, ElementsAre(b.cert.code, b.hukou.code, b.insurance.code));
  const BundleFigures& f = plan.figures;
  EXPECT_EQ(f.materials_before, 10);
  EXPECT_EQ(f.materials_after, 4);
  EXPECT_EQ(f.days_before, 5 + 1 + 10 + 5);  // 7 自然日 = 5 工作日
  EXPECT_EQ(f.days_after, 5 + 10 + 5);
  EXPECT_EQ(f.visits_before, 3);
  EXPECT_EQ(f.visits_after, 1);
  EXPECT_EQ(f.items, 4);
  EXPECT_EQ(f.departments, 3);
}

TEST(PlanBundleTest, SituationsDeselectItemsAndSkipMaterials) {
  BirthBundle b = MakeBirthBundle();
  BundlePlan plan = MustPlan(b, {{"married", "no"}, {"insure", "no"}});

  EXPECT_THAT(plan.item_codes, ElementsAre(b.cert.code, b.vaccine.code, b.hukou.code));
  ASSERT_EQ(plan.edges.size(), 1u);  // 户口 → 医保 is gone with 医保
  EXPECT_THAT(Keys(plan.fields), ElementsAre("applicant.idNumber", "child.name", "child.birthDate",
                                             "guardian.phone", "child.birthCertNo"));
  EXPECT_THAT(Keys(plan.materials),
              ElementsAre("doc.idCard", "doc.birthRecord", "doc.householdRegister"));
  ASSERT_EQ(plan.dropped.size(), 3u);
  EXPECT_EQ(plan.dropped[0].material.key, "doc.marriageCert");
  EXPECT_EQ(plan.dropped[0].item_code, b.cert.code);
  EXPECT_EQ(plan.dropped[0].reason, "情形「父母是否已登记结婚？」选择「否」时无需提供");
  EXPECT_EQ(plan.dropped[1].material.key, "doc.birthCert");
  EXPECT_EQ(plan.dropped[2].material.key, "doc.marriageCert");
  EXPECT_EQ(plan.dropped[2].item_code, b.hukou.code);

  EXPECT_THAT(plan.critical_path, ElementsAre(b.cert.code, b.hukou.code));
  EXPECT_EQ(plan.figures.materials_before, 8);
  EXPECT_EQ(plan.figures.materials_after, 3);
  EXPECT_EQ(plan.figures.days_before, 16);
  EXPECT_EQ(plan.figures.days_after, 15);
  EXPECT_EQ(plan.figures.visits_before, 3);
  EXPECT_EQ(plan.figures.items, 3);
  EXPECT_EQ(plan.figures.departments, 2);
}

TEST(PlanBundleTest, ProducedMaterialsAreDroppedTransitivelyButOnlyThroughSelectedItems) {
  BirthBundle b = MakeBirthBundle();
  b.insurance.materials.push_back(testing::Mat("doc.birthCert", "出生医学证明"));
  BundlePlan plan = MustPlan(b, {{"married", "yes"}, {"insure", "yes"}});
  ASSERT_EQ(plan.dropped.size(), 3u);
  EXPECT_EQ(plan.dropped[2].material.key, "doc.birthCert");
  EXPECT_EQ(plan.dropped[2].item_code, b.insurance.code);  // via 户口登记
  EXPECT_EQ(plan.dropped[2].reason, "由《出生医学证明签发》办结后生成，无需提交");

  // Without 户口登记 in between, 医保 does not wait for 出生医学证明: the paper is needed.
  b.bundle.items[2].when = {"married=no"};
  b.bundle.situations[0].options[1].skip_materials.clear();
  plan = MustPlan(b, {{"married", "yes"}, {"insure", "yes"}});
  EXPECT_THAT(plan.item_codes, ElementsAre(b.cert.code, b.vaccine.code, b.insurance.code));
  EXPECT_TRUE(plan.edges.empty());
  EXPECT_THAT(Keys(plan.materials), ElementsAre("doc.idCard", "doc.marriageCert", "doc.birthRecord",
                                                "doc.householdPage", "doc.birthCert"));
  EXPECT_TRUE(plan.dropped.empty());
  EXPECT_FALSE(plan.fields.back().filled_by_prerequisite);    // child.householdNo is asked
  EXPECT_THAT(plan.critical_path, ElementsAre(b.cert.code));  // 5 = 5, the earlier one wins
  EXPECT_EQ(plan.figures.days_after, 5);
}

TEST(PlanBundleTest, AFieldIsAskedWhenAnyItemNeedsItWithoutAMapping) {
  BirthBundle b = MakeBirthBundle();
  b.vaccine.fields.push_back(testing::Text("child.birthCertNo", "出生医学证明编号"));
  BundlePlan plan = MustPlan(b, {{"married", "yes"}, {"insure", "no"}});
  auto it = std::find_if(plan.fields.begin(), plan.fields.end(),
                         [](const MergedField& f) { return f.field.key == "child.birthCertNo"; });
  ASSERT_NE(it, plan.fields.end());
  EXPECT_THAT(it->item_codes, ElementsAre(b.vaccine.code, b.hukou.code));
  EXPECT_FALSE(it->filled_by_prerequisite);
  EXPECT_EQ(it->field.label, "出生医学证明编号");
}

TEST(PlanBundleTest, OrderIsTopologicalWithTiesInBundleOrder) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.items = {{b.insurance.code, {"insure=yes"}, false},
                    {b.hukou.code, {}, true},
                    {b.cert.code, {}, true},
                    {b.vaccine.code, {}, false}};
  BundlePlan plan = MustPlan(b, {{"married", "yes"}, {"insure", "yes"}});
  EXPECT_THAT(plan.item_codes,
              ElementsAre(b.cert.code, b.hukou.code, b.insurance.code, b.vaccine.code));
  // Same input, same output.
  BundlePlan again = MustPlan(b, {{"married", "yes"}, {"insure", "yes"}});
  EXPECT_EQ(again.item_codes, plan.item_codes);
  EXPECT_EQ(Keys(again.fields), Keys(plan.fields));
  EXPECT_EQ(Keys(again.materials), Keys(plan.materials));
}

TEST(PlanBundleTest, ParallelItemsOnlyCountTheLongestBranch) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.edges.clear();
  b.bundle.items[3].when.clear();
  BundlePlan plan = MustPlan(b, {{"married", "yes"}, {"insure", "no"}});
  EXPECT_THAT(plan.critical_path, ElementsAre(b.hukou.code));
  EXPECT_EQ(plan.figures.days_before, 21);
  EXPECT_EQ(plan.figures.days_after, 10);
  EXPECT_EQ(plan.dropped.size(), 0u);  // nothing precedes anything: papers are needed
  EXPECT_EQ(plan.figures.materials_after, 6);
}

TEST(PlanBundleTest, AQuestionThatDecidesNothingNeedNotBeAnswered) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.situations.push_back({"twins", "是否多胞胎？", {{"yes", "是", {}}, {"no", "否", {}}}});
  EXPECT_TRUE(PlanBundle(b.bundle, b.Items(), {{"married", "yes"}, {"insure", "no"}}).has_value());
}

TEST(PlanBundleTest, UnknownSituationOrOptionIsABadAnswer) {
  BirthBundle b = MakeBirthBundle();
  Result<BundlePlan> r =
      PlanBundle(b.bundle, b.Items(), {{"married", "yes"}, {"insure", "no"}, {"pets", "yes"}});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.bad_answer"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "answers.pets");
  EXPECT_EQ(r.error().fields[0].message, "没有这个情形");

  r = PlanBundle(b.bundle, b.Items(), {{"married", "maybe"}, {"insure", "no"}});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.bad_answer"));
  EXPECT_EQ(r.error().fields[0].message, "情形「父母是否已登记结婚？」没有选项 maybe");
  EXPECT_THAT(r.error().message, HasSubstr("情形回答有误"));
}

TEST(PlanBundleTest, EveryDecidingQuestionMustBeAnswered) {
  BirthBundle b = MakeBirthBundle();
  Result<BundlePlan> r = PlanBundle(b.bundle, b.Items(), {});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.missing_answer"));
  ASSERT_EQ(r.error().fields.size(), 2u);
  // 婚否 decides a material, 医保 an item.
  EXPECT_EQ(r.error().fields[0].field, "answers.married");
  EXPECT_EQ(r.error().fields[0].message, "请回答：父母是否已登记结婚？");
  EXPECT_EQ(r.error().fields[1].field, "answers.insure");
  EXPECT_EQ(r.error().message, "请回答：父母是否已登记结婚？");
}

TEST(PlanBundleTest, AMissingItemIsAFailedPrecondition) {
  BirthBundle b = MakeBirthBundle();
  std::vector<Item> items = {b.cert, b.vaccine, b.insurance};
  Result<BundlePlan> r = PlanBundle(b.bundle, items, {{"married", "yes"}, {"insure", "no"}});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "catalog.unknown_item"));
  EXPECT_THAT(r.error().message, HasSubstr(b.hukou.code));
}

TEST(PlanBundleTest, AnEdgeToAnItemOutsideTheBundleIsAFailedPrecondition) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.edges.push_back({b.cert.code, std::string(31, '1'), {}});
  EXPECT_TRUE(IsError(PlanBundle(b.bundle, b.Items(), {{"married", "yes"}, {"insure", "no"}}),
                      ErrorCode::kFailedPrecondition, "catalog.unknown_item"));
}

TEST(PlanBundleTest, ALoopIsAFailedPreconditionEvenThroughUnselectedItems) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.edges.push_back({b.insurance.code, b.cert.code, {}});
  Result<BundlePlan> r = PlanBundle(b.bundle, b.Items(), {{"married", "yes"}, {"insure", "no"}});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "catalog.cycle"));
  EXPECT_THAT(r.error().message, HasSubstr("出生一件事"));
}

TEST(PlanBundleTest, NoSelectedItemGivesAnEmptyPlan) {
  BirthBundle b = MakeBirthBundle();
  b.bundle.items = {{b.insurance.code, {"insure=yes"}, false}};
  b.bundle.edges.clear();
  b.bundle.situations[0].options[1].skip_materials.clear();
  BundlePlan plan = MustPlan(b, {{"insure", "no"}});
  EXPECT_TRUE(plan.item_codes.empty());
  EXPECT_TRUE(plan.critical_path.empty());
  EXPECT_EQ(plan.figures.items, 0);
  EXPECT_EQ(plan.figures.days_after, 0);
  EXPECT_EQ(plan.figures.visits_after, 0);
}

}  // namespace
}  // namespace onestop::catalog
