// 减证办 in the bundle figures: materials a licence type stands in for (Material::licence_type)
// drop from the "with licences" number; the existing before / after numbers stay as they were.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/bundle.h"
#include "catalog/catalog_fixtures.h"
#include "catalog/catalog_json.h"

namespace onestop::licences {
namespace {

using catalog::testing::BirthBundle;
using catalog::testing::MakeBirthBundle;

constexpr const char* kHouseholdType = "11100000000013338W030";
constexpr const char* kMarriageType = "11100000000013338W040";

void Link(catalog::Item& item, const std::string& key, const std::string& type) {
  for (catalog::Material& m : item.materials) {
    if (m.key == key) m.licence_type = type;
  }
}

TEST(ArchiveFiguresTest, MaterialsWithLicencesDropThoseALicenceStandsInFor) {
  BirthBundle b = MakeBirthBundle();
  const catalog::Answers answers{{"married", "yes"}, {"insure", "yes"}};
  Result<catalog::BundlePlan> plain = catalog::PlanBundle(b.bundle, b.Items(), answers);
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  // Without any licence link the number equals the merged list.
  EXPECT_EQ(plain->figures.materials_with_licences, plain->figures.materials_after);

  for (catalog::Item* i : {&b.cert, &b.vaccine, &b.hukou, &b.insurance}) {
    Link(*i, "doc.householdRegister", kHouseholdType);
    Link(*i, "doc.marriageCert", kMarriageType);
  }
  Result<catalog::BundlePlan> linked = catalog::PlanBundle(b.bundle, b.Items(), answers);
  ASSERT_TRUE(linked.has_value()) << linked.error().message;
  const catalog::BundleFigures& f = linked->figures;
  EXPECT_EQ(f.materials_before, 10);        // unchanged
  EXPECT_EQ(f.materials_after, 4);          // unchanged
  EXPECT_EQ(f.materials_with_licences, 2);  // 身份证 and 出生记录 are still brought
  EXPECT_EQ(f.days_before, plain->figures.days_before);
  EXPECT_EQ(f.visits_after, plain->figures.visits_after);

  boost::json::object j = catalog::FiguresToJson(f);
  EXPECT_EQ(j.at("materialsWithLicences").as_int64(), 2);
  EXPECT_EQ(j.at("materialsAfter").as_int64(), 4);
}

}  // namespace
}  // namespace onestop::licences
