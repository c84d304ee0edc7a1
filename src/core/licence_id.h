// 电子证照标识 (licence identifier, GB/T 36904-2018):
//   1.2.156.3005.2.<证照类型代码 21>.<颁发机构代码 USCC 18>.<流水号>.<版本号 3 digits>.<校验位>
// The check character is ISO/IEC 7064 MOD 37,36 (hybrid system) over type + issuer + serial +
// version with the root and the dots removed (alphabet 0-9A-Z). Entry points: BuildLicenceId,
// ParseLicenceId. Whether the licence exists is for licences/, not here.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop {

// 电子证照根代码.
inline constexpr std::string_view kLicenceIdRoot = "1.2.156.3005.2";

struct LicenceId {
  std::string type_code;    // 证照类型代码: definer's USCC (18) + 3 digits
  std::string issuer_uscc;  // 证照颁发机构代码 (18)
  std::string serial;       // 流水号: 1–32 characters of 0-9A-Z
  int version = 1;          // 版本号 1–999
  char check = '\0';        // 校验位

  // The whole identifier, "1.2.156.3005.2.….001.U".
  std::string str() const;
  bool operator==(const LicenceId&) const = default;
};

// The MOD 37,36 check character of `body` (type + issuer + serial + 3-digit version, no dots),
// or '\0' when `body` is empty or holds a character outside 0-9A-Z.
char LicenceIdCheckChar(std::string_view body);

// Builds an identifier and computes its check character. kInvalidArgument, reasons:
// core.licence_id_type (not 18 USCC characters + 3 digits), core.licence_id_issuer (not a USCC),
// core.licence_id_serial (empty, longer than 32, or outside 0-9A-Z), core.licence_id_version
// (outside 1–999).
Result<LicenceId> BuildLicenceId(std::string_view type_code, std::string_view issuer_uscc,
                                 std::string_view serial, int version);

// Parses and checks a whole identifier (spaces around it ignored; letters must be upper case).
// kInvalidArgument, reasons: core.licence_id_root (does not start with 1.2.156.3005.2),
// core.licence_id_parts (not five parts after the root), core.licence_id_type,
// core.licence_id_issuer, core.licence_id_serial, core.licence_id_version,
// core.licence_id_check (the check character is wrong; the message gives the right one).
Result<LicenceId> ParseLicenceId(std::string_view s);

}  // namespace onestop
