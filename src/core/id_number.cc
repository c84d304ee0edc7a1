#include "core/id_number.h"

#include <cstdio>

#include "core/region.h"
#include "core/text.h"

namespace onestop {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int Digits(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// First code point of `s` that fails `ok(index, code_point)`, as {index, bytes}; index -1
// if all pass.
template <typename Pred>
std::pair<int, std::string_view> FirstBad(std::string_view s, Pred ok) {
  int index = 0;
  for (std::size_t i = 0; i < s.size(); ++index) {
    const std::string_view cp = s.substr(i, text::Utf8SequenceLength(s[i]));
    if (!ok(index, cp)) return {index, cp};
    i += cp.size();
  }
  return {-1, {}};
}

std::string MaskMiddle(std::string_view s, std::size_t keep_front, std::size_t keep_back) {
  const std::size_t n = text::CountCodePoints(s);
  std::string out;
  std::size_t index = 0;
  for (std::size_t i = 0; i < s.size(); ++index) {
    const std::size_t len = text::Utf8SequenceLength(s[i]);
    if (n > keep_front + keep_back && (index < keep_front || index >= n - keep_back)) {
      out.append(s.substr(i, len));
    } else {
      out.push_back('*');
    }
    i += len;
  }
  return out;
}

}  // namespace

std::string IdNumber::BirthDate() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", birth_year, birth_month, birth_day);
  return buf;
}

char IdNumberCheckChar(std::string_view first17) {
  // GB 11643-1999 / ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, S mod 11 -> "10X98765432".
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (!IsDigit(first17[i])) return '\0';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

Result<IdNumber> ParseIdNumber(std::string_view s, int today_yyyymmdd) {
  const std::string_view id = text::TrimSpace(s);
  // Fast path for the usual, well-formed input; the slow path explains what is wrong.
  bool well_formed = id.size() == 18;
  for (std::size_t i = 0; well_formed && i < 17; ++i) well_formed = IsDigit(id[i]);
  well_formed = well_formed && (IsDigit(id[17]) || id[17] == 'X' || id[17] == 'x');
  if (!well_formed) {
    const std::size_t length = text::CountCodePoints(id);
    if (length != 18) {
      std::string message = "身份证号应为18位，当前为" + std::to_string(length) + "位";
      if (length == 15) message += "（15位为旧版号码，请提供18位号码）";
      return InvalidArgument("core.id_number_length", std::move(message));
    }
    const auto [bad, cp] = FirstBad(id, [](int index, std::string_view c) {
      return c.size() == 1 && (IsDigit(c[0]) || (index == 17 && (c[0] == 'X' || c[0] == 'x')));
    });
    if (bad >= 0) {
      const std::string position = "身份证号第" + std::to_string(bad + 1) + "位";
      const std::string expected = bad == 17 ? "应为数字或X" : "应为数字";
      return InvalidArgument("core.id_number_chars",
                             position + expected + "，实际为“" + std::string(cp) + "”");
    }
  }

  IdNumber out;
  out.number = std::string(id);
  if (out.number[17] == 'x') out.number[17] = 'X';
  out.region_code = out.number.substr(0, 6);

  // 地址码: only the province part is checked. Codes are retired, never reused, so a person
  // may legitimately carry a county code that no longer exists (standards §8.2). 830000 is
  // the 地址码 of 台湾居民居住证 (国办发〔2018〕81号), not a GB/T 2260 code.
  const char province_chars[6] = {out.region_code[0], out.region_code[1], '0', '0', '0', '0'};
  const std::string_view province_code(province_chars, 6);
  const Region* province = FindRegion(province_code);
  const bool province_ok = (province != nullptr && province->level == Region::Level::kProvince) ||
                           province_code == "830000";
  if (!province_ok) {
    return InvalidArgument("core.id_number_region", "身份证号前6位地址码" + out.region_code +
                                                        "无效：" + out.region_code.substr(0, 2) +
                                                        "不是省级行政区划代码");
  }

  const std::string_view birth = std::string_view(out.number).substr(6, 8);
  out.birth_year = Digits(birth.substr(0, 4));
  out.birth_month = Digits(birth.substr(4, 2));
  out.birth_day = Digits(birth.substr(6, 2));
  // GB 11643-1999 numbers were first issued in 1999; nobody alive was born before 1900.
  if (out.birth_year < 1900 || out.birth_month < 1 || out.birth_month > 12 || out.birth_day < 1 ||
      out.birth_day > DaysInMonth(out.birth_year, out.birth_month)) {
    return InvalidArgument("core.id_number_birth_date",
                           "身份证号中的出生日期" + std::string(birth) + "不是有效日期");
  }
  if (today_yyyymmdd > 0 && Digits(birth) > today_yyyymmdd) {
    return InvalidArgument("core.id_number_birth_future",
                           "身份证号中的出生日期" + std::string(birth) + "晚于今天（" +
                               std::to_string(today_yyyymmdd) + "）");
  }

  const char expected = IdNumberCheckChar(std::string_view(out.number).substr(0, 17));
  if (expected != out.number[17]) {
    return InvalidArgument("core.id_number_check", std::string("身份证号校验位应为") + expected +
                                                       "，实际为" + out.number[17]);
  }
  out.male = (out.number[16] - '0') % 2 == 1;
  return out;
}

std::string MaskIdNumber(std::string_view id_number) { return MaskMiddle(id_number, 6, 4); }

std::string MaskPhone(std::string_view phone) { return MaskMiddle(phone, 3, 4); }

Result<std::string> ValidateMobile(std::string_view phone) {
  const std::string_view p = text::TrimSpace(phone);
  const std::size_t length = text::CountCodePoints(p);
  if (length != 11) {
    return InvalidArgument("core.mobile_format",
                           "手机号应为11位数字，当前为" + std::to_string(length) + "位");
  }
  const auto [bad, cp] =
      FirstBad(p, [](int, std::string_view c) { return c.size() == 1 && IsDigit(c[0]); });
  if (bad >= 0) {
    return InvalidArgument("core.mobile_format", "手机号第" + std::to_string(bad + 1) +
                                                     "位应为数字，实际为“" + std::string(cp) + "”");
  }
  if (p[0] != '1' || p[1] < '3') {
    return InvalidArgument("core.mobile_format",
                           "手机号" + std::string(p) + "不是有效的手机号码，应以13–19开头");
  }
  return std::string(p);
}

}  // namespace onestop
