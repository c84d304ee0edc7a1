#include "core/money.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace onestop {
namespace {

using ::testing::HasSubstr;

constexpr Fen kMax = std::numeric_limits<Fen>::max();
constexpr Fen kMin = std::numeric_limits<Fen>::min();

void ExpectError(const Result<Fen>& r, const std::string& reason, const std::string& fragment) {
  ASSERT_FALSE(r.has_value()) << "unexpected value " << *r;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, reason);
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
}

TEST(MoneyTest, FormatYuanAlwaysHasTwoDecimals) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(50), "0.50");
  EXPECT_EQ(FormatYuan(123450), "1234.50");
  EXPECT_EQ(FormatYuan(-5), "-0.05");
  EXPECT_EQ(FormatYuan(-123456), "-1234.56");
}

TEST(MoneyTest, FormatYuanHandlesTheExtremes) {
  EXPECT_EQ(FormatYuan(kMax), "92233720368547758.07");
  EXPECT_EQ(FormatYuan(kMin), "-92233720368547758.08");
}

TEST(MoneyTest, ParseYuanAcceptsUsualForms) {
  EXPECT_EQ(*ParseYuan("1234.50"), 123450);
  EXPECT_EQ(*ParseYuan("1234.5"), 123450);
  EXPECT_EQ(*ParseYuan("12"), 1200);
  EXPECT_EQ(*ParseYuan(" 0.05 "), 5);
  EXPECT_EQ(*ParseYuan("-0.05"), -5);
  EXPECT_EQ(*ParseYuan("+1"), 100);
  EXPECT_EQ(*ParseYuan("007.10"), 710);
  EXPECT_EQ(*ParseYuan("-0"), 0);
}

TEST(MoneyTest, ParseYuanReachesButDoesNotPassTheLimits) {
  EXPECT_EQ(*ParseYuan("92233720368547758.07"), kMax);
  EXPECT_EQ(*ParseYuan("-92233720368547758.08"), kMin);
  ExpectError(ParseYuan("92233720368547758.08"), "core.money_overflow", "超出可处理的范围");
  ExpectError(ParseYuan("-92233720368547758.09"), "core.money_overflow", "超出");
  ExpectError(ParseYuan("99999999999999999999"), "core.money_overflow", "99999999999999999999");
}

TEST(MoneyTest, ParseYuanRoundTripsFormatYuan) {
  for (Fen fen : {Fen{0}, Fen{1}, Fen{-1}, Fen{99}, Fen{100}, Fen{123456789}, kMax, kMin}) {
    EXPECT_EQ(*ParseYuan(FormatYuan(fen)), fen) << fen;
  }
}

TEST(MoneyTest, ParseYuanRejectsEmptyInput) {
  ExpectError(ParseYuan(""), "core.money_format", "金额不能为空");
  ExpectError(ParseYuan("   "), "core.money_format", "金额不能为空");
}

TEST(MoneyTest, ParseYuanRejectsMalformedNumbers) {
  for (const char* bad : {"abc", "1,234.00", "1.", ".5", "1e3", "--1", "-", "¥12", "12元", "1.2.3",
                          "1 000", "0x10", "１２"}) {
    ExpectError(ParseYuan(bad), "core.money_format", "金额格式不正确");
  }
  ExpectError(ParseYuan("1,234"), "core.money_format", "最多两位小数");
}

TEST(MoneyTest, ParseYuanRejectsFractionsOfAFen) {
  ExpectError(ParseYuan("1.234"), "core.money_precision", "超过两位小数");
  ExpectError(ParseYuan("0.001"), "core.money_precision", "最小单位为分");
}

}  // namespace
}  // namespace onestop
