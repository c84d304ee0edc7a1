// 统一社会信用代码 (unified social credit code, GB 32100-2015) of organisations.
// Entry point: ParseUscc. A failed check character can be accepted with a warning, because
// some legal codes from early pilot regions fail it (standards §8.1).
// Whether the organisation exists or is in good standing is not checked here.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop {

struct Uscc {
  std::string code;                    // 18 characters, upper case
  bool check_ok = true;                // false only when accepted with accept_failed_check
  std::string warning;                 // Chinese warning when check_ok is false, else empty
  std::string registration_dept;       // position 1, 登记管理部门代码, e.g. "9"
  std::string registration_dept_name;  // "工商（市场监管）" when known, else empty
  std::string org_category;            // position 2, 机构类别代码, e.g. "1"
  std::string org_category_name;       // "企业" when known for this department, else empty
  std::string region_code;  // positions 3–8, 登记管理机关行政区划码 (not validated)
};

// Parses an 18-character code (spaces around it are ignored; letters are upper-cased).
// kInvalidArgument: core.uscc_length, core.uscc_chars (names the position and character;
// I, O, Z, S, V are never used), core.uscc_check (check character wrong, only when
// !accept_failed_check; otherwise returned with check_ok = false and a warning).
Result<Uscc> ParseUscc(std::string_view s, bool accept_failed_check);

// The GB 32100-2015 check character for the first 17 characters, or '\0' unless `first17` is
// exactly 17 characters of the code charset (0-9, A-Z without I, O, Z, S, V; upper case).
char UsccCheckChar(std::string_view first17);

}  // namespace onestop
