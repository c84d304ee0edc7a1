// Money (金额): amounts are integer fen (分, 0.01 yuan) everywhere; SQL columns are `*_fen`.
// FormatYuan/ParseYuan convert to and from the "1234.50" text used in forms and JSON.
// No currency other than CNY and no rounding rules (fees are set in fen) live here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop {

// An amount in fen (分). Range ±9,223,372,036,854,775,807 fen.
using Fen = std::int64_t;

// "1234.50" for 123450; "-0.05" for -5; always two decimals, no grouping, no currency sign.
std::string FormatYuan(Fen fen);

// Parses a yuan amount: optional sign, digits, optionally '.' and one or two decimals
// ("12", "12.5", "-0.05"). Surrounding spaces are ignored; grouping commas, currency signs
// and exponents are not accepted.
// kInvalidArgument: core.money_format (not a number), core.money_precision (more than two
// decimals, i.e. finer than 1 分), core.money_overflow (does not fit in Fen).
Result<Fen> ParseYuan(std::string_view text);

}  // namespace onestop
