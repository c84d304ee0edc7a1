// 行政区划代码 (administrative division codes, GB/T 2260): the embedded province, prefecture
// and county table, built from the 国家统计局 code list at build time (datasrc/README.md).
// Entry points: FindRegion, ValidateRegionCode, ChildRegions. Towns (乡镇) and retired codes
// are not here: a code that was valid years ago may be unknown today.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace onestop {

struct Region {
  enum class Level { kProvince, kCity, kCounty };

  std::string code;       // 6 digits, e.g. "430104"
  std::string name;       // "岳麓区"
  std::string full_name;  // "湖南省长沙市岳麓区" (province, then prefecture, then county)
  std::string parent_code;  // "430100"; empty for provinces
  Level level = Level::kProvince;
};

// The region with this exact 6-digit code, or nullptr. Thread-safe; the table is parsed once.
const Region* FindRegion(std::string_view code);

// Looks `code` up after trimming spaces.
// kInvalidArgument: core.region_format (not 6 digits), core.region_unknown (not in the table).
Result<const Region*> ValidateRegionCode(std::string_view code);

// Direct children of `parent_code` in code order; the provinces if `parent_code` is empty.
// Districts of the municipalities (北京, 天津, 上海, 重庆) and 省直辖县级 units are children
// of their province: the table has no 市辖区/县 pseudo-prefectures. Empty if unknown.
std::vector<const Region*> ChildRegions(std::string_view parent_code);

// Where the table comes from (package, version, licence, data year, what was dropped).
std::string RegionSourceNote();

}  // namespace onestop
