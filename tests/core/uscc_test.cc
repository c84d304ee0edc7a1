#include "core/uscc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace onestop {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

void ExpectError(const Result<Uscc>& r, const std::string& reason, const std::string& fragment) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, reason);
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
}

TEST(UsccTest, ParsesTheStandardTestVector) {
  Result<Uscc> r = ParseUscc("11100000000013338W", false);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->code, "11100000000013338W");
  EXPECT_TRUE(r->check_ok);
  EXPECT_EQ(r->warning, "");
  EXPECT_EQ(r->registration_dept, "1");
  EXPECT_EQ(r->registration_dept_name, "机构编制");
  EXPECT_EQ(r->org_category, "1");
  EXPECT_EQ(r->org_category_name, "机关");
  EXPECT_EQ(r->region_code, "100000");
}

TEST(UsccTest, TrimsSpacesAndUpperCases) {
  Result<Uscc> r = ParseUscc(" 11100000000013338w ", false);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->code, "11100000000013338W");
}

TEST(UsccTest, CheckCharMatchesKnownValues) {
  EXPECT_EQ(UsccCheckChar("11100000000013338"), 'W');
  EXPECT_EQ(UsccCheckChar("1110000000001333"), '\0');
  EXPECT_EQ(UsccCheckChar("1110000000001333I"), '\0');
  EXPECT_EQ(UsccCheckChar("1110000000001333w"), '\0');  // lower case is not the charset
}

TEST(UsccTest, RandomCodesWithComputedCheckPassAndAlteredOnesFail) {
  std::mt19937 gen(7);
  std::uniform_int_distribution<std::size_t> pick(0, kCharset.size() - 1);
  for (int i = 0; i < 500; ++i) {
    std::string first17;
    for (int j = 0; j < 17; ++j) first17.push_back(kCharset[pick(gen)]);
    const char check = UsccCheckChar(first17);
    ASSERT_NE(check, '\0');
    EXPECT_TRUE(ParseUscc(first17 + check, false).has_value()) << first17 << check;
    const char other = kCharset[(kCharset.find(check) + 1) % kCharset.size()];
    EXPECT_FALSE(ParseUscc(first17 + other, false).has_value()) << first17 << other;
  }
}

TEST(UsccTest, LegacyPilotCodeFailsTheCheck) {
  ExpectError(ParseUscc("91350100M0001TGQXM", false), "core.uscc_check",
              "统一社会信用代码校验位应为");
  Result<Uscc> r = ParseUscc("91350100M0001TGQXM", false);
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("实际为M"));
  EXPECT_THAT(r.error().message, HasSubstr("如为早期试点地区代码，请由管理员确认后登记"));
}

TEST(UsccTest, LegacyPilotCodeCanBeAcceptedWithAWarning) {
  Result<Uscc> r = ParseUscc("91350100M0001TGQXM", true);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->check_ok);
  EXPECT_THAT(r->warning, HasSubstr("校验位应为"));
  EXPECT_THAT(r->warning, HasSubstr("早期试点地区"));
  EXPECT_EQ(r->registration_dept, "9");
  EXPECT_EQ(r->registration_dept_name, "工商（市场监管）");
  EXPECT_EQ(r->org_category_name, "企业");
  EXPECT_EQ(r->region_code, "350100");
}

TEST(UsccTest, UnknownDepartmentHasNoName) {
  const std::string first17 = "G1430100MA4L00001";
  Result<Uscc> r = ParseUscc(first17 + UsccCheckChar(first17), false);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->registration_dept, "G");
  EXPECT_EQ(r->registration_dept_name, "");
  EXPECT_EQ(r->org_category_name, "");
}

TEST(UsccTest, RejectsWrongLength) {
  ExpectError(ParseUscc("11100000000013338", false), "core.uscc_length",
              "统一社会信用代码应为18位，当前为17位");
  ExpectError(ParseUscc("", true), "core.uscc_length", "当前为0位");
  ExpectError(ParseUscc("11100000000013338WW", true), "core.uscc_length", "当前为19位");
}

TEST(UsccTest, RejectsForbiddenLettersEvenWhenAcceptingFailedChecks) {
  ExpectError(ParseUscc("11100000000013338I", true), "core.uscc_chars",
              "统一社会信用代码第18位“I”不是有效字符");
  ExpectError(ParseUscc("91350100O0001TGQXM", true), "core.uscc_chars", "第9位“O”");
  ExpectError(ParseUscc("913501000000Z1TGQX", true), "core.uscc_chars", "不使用I、O、Z、S、V");
  ExpectError(ParseUscc("9135010000001TGQX-", true), "core.uscc_chars", "第18位“-”");
  ExpectError(ParseUscc("913501000000１TGQXM", true), "core.uscc_chars", "第13位“１”");
}

}  // namespace
}  // namespace onestop
