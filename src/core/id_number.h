// 公民身份号码 (citizen identity number, GB 11643-1999) and mobile-number checks and masks.
// Entry point: ParseIdNumber. The 15-digit numbers of GB 11643-1989 are rejected (no check
// digit); whether a person exists is for identity/, not here.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop {

struct IdNumber {
  std::string number;       // 18 characters, a final 'x' normalised to 'X'
  std::string region_code;  // first 6 digits (地址码); may be a retired code
  int birth_year = 0;
  int birth_month = 0;
  int birth_day = 0;
  bool male = false;  // 顺序码 odd = male

  // "YYYY-MM-DD".
  std::string BirthDate() const;
};

// Parses and checks an 18-character number (spaces around it are ignored; 'x' is accepted).
// `today_yyyymmdd` (e.g. 20260115) rejects birth dates after that day; 0 skips the check.
// kInvalidArgument, reasons: core.id_number_length, core.id_number_chars (names the position),
// core.id_number_region (province part not a province code), core.id_number_birth_date,
// core.id_number_birth_future, core.id_number_check (GB 11643 check character wrong).
Result<IdNumber> ParseIdNumber(std::string_view s, int today_yyyymmdd = 0);

// The GB 11643-1999 (ISO 7064 MOD 11-2) check character for the first 17 digits: '0'–'9'
// or 'X'. Returns '\0' unless `first17` is exactly 17 ASCII digits.
char IdNumberCheckChar(std::string_view first17);

// "430102********123X": keeps the first 6 and last 4 characters, masks the rest. Inputs of
// 10 characters or fewer are masked entirely. Counts code points, not bytes.
std::string MaskIdNumber(std::string_view id_number);

// "138****1234": keeps the first 3 and last 4 characters, masks the rest. Inputs of 7
// characters or fewer are masked entirely.
std::string MaskPhone(std::string_view phone);

// Checks a mainland mobile number (11 digits, 1[3-9]…) and returns it trimmed.
// kInvalidArgument: core.mobile_format, the message says what is wrong.
Result<std::string> ValidateMobile(std::string_view phone);

}  // namespace onestop
