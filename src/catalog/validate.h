// Validation of service items (事项) and bundles (一件事) against standards.md §4: the structure
// of 基本编码 / 实施编码, code-set membership (GB/T 39046 附录A), and the guide's consistency
// rules (承诺 ≤ 法定, 全程网办 ⇒ 零跑动 …). Pure functions: whether departments exist is checked
// by CatalogService against identity_department, not here.
#pragma once

#include <string_view>
#include <vector>

#include "catalog/bundle.h"
#include "catalog/item.h"
#include "core/result.h"

namespace onestop::catalog {

// Every problem of `item`, each as {JSON path in the exchange format, Chinese message}, e.g.
// {"promisedLimit.value", "承诺办结时限（30 个工作日）不能超过法定办结时限（20 个工作日）"}.
// Paths are relative to the item ("materials[1].key"). Empty when the item is valid.
std::vector<FieldError> ItemProblems(const Item& item);

// Ok, or kInvalidArgument catalog.invalid_item carrying every ItemProblems entry.
Result<void> ValidateItem(const Item& item);

// Every problem of `bundle`, given the items it may name (looked up by code; pass the current
// versions). Paths are relative to the bundle ("edges[0].mappings[1].toField").
std::vector<FieldError> BundleProblems(const Bundle& bundle, const std::vector<Item>& items);

// Ok, or kInvalidArgument catalog.invalid_bundle carrying every BundleProblems entry.
Result<void> ValidateBundle(const Bundle& bundle, const std::vector<Item>& items);

// The errors ValidateItem / ValidateBundle return for a non-empty list of problems (also used by
// CatalogService when it adds problems it finds in the database, e.g. an unknown department).
Error InvalidItem(const Item& item, std::vector<FieldError> problems);
Error InvalidBundle(const Bundle& bundle, std::vector<FieldError> problems);

// [a-z0-9_-]{2,40}: the shape of Bundle::code (it appears in URLs).
bool IsBundleCode(std::string_view code);

// 电子证照类型代码 (standards.md §2.2): the defining body's 统一社会信用代码 (18, check character
// valid) followed by a 3-digit sequence, e.g. "11100000000013338W032".
bool IsLicenceTypeCode(std::string_view code);

}  // namespace onestop::catalog
