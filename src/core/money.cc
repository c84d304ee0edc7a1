#include "core/money.h"

#include <limits>

#include "core/text.h"

namespace onestop {

std::string FormatYuan(Fen fen) {
  // Work on the unsigned magnitude so that the most negative value does not overflow.
  const bool negative = fen < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(fen)
                                           : static_cast<std::uint64_t>(fen);
  std::string out = std::to_string(magnitude / 100);
  const auto cents = static_cast<int>(magnitude % 100);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + cents / 10));
  out.push_back(static_cast<char>('0' + cents % 10));
  if (negative) out.insert(out.begin(), '-');
  return out;
}

Result<Fen> ParseYuan(std::string_view text) {
  const std::string_view trimmed = text::TrimSpace(text);
  std::string_view s = trimmed;
  auto format_error = [&] {
    return InvalidArgument("core.money_format", "金额格式不正确：“" + std::string(trimmed) +
                                                    "”，应为数字，最多两位小数，如 1234.50");
  };
  if (s.empty()) return InvalidArgument("core.money_format", "金额不能为空");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return format_error();
  for (std::string_view part : {whole, frac}) {
    for (char c : part) {
      if (c < '0' || c > '9') return format_error();
    }
  }
  if (frac.size() > 2) {
    return InvalidArgument("core.money_precision", "金额“" + std::string(trimmed) +
                                                       "”超过两位小数，最小单位为分（0.01元）");
  }
  // Accumulate fen as an unsigned magnitude; the limit is the largest Fen of that sign.
  const std::uint64_t limit = negative
                                  ? std::uint64_t{1} << 63
                                  : static_cast<std::uint64_t>(std::numeric_limits<Fen>::max());
  std::uint64_t magnitude = 0;
  auto push_digit = [&](char c) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
    return true;
  };
  bool ok = true;
  for (char c : whole) ok = ok && push_digit(c);
  for (std::size_t i = 0; i < 2; ++i) ok = ok && push_digit(i < frac.size() ? frac[i] : '0');
  if (!ok) {
    return InvalidArgument("core.money_overflow",
                           "金额“" + std::string(trimmed) + "”超出可处理的范围");
  }
  if (negative) return static_cast<Fen>(std::uint64_t{0} - magnitude);
  return static_cast<Fen>(magnitude);
}

}  // namespace onestop
