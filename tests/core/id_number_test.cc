#include "core/id_number.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace onestop {
namespace {

using ::testing::HasSubstr;

template <typename T>
void ExpectError(const Result<T>& r, const std::string& reason, const std::string& fragment) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, reason);
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
}

// A number with a correct check character, for tests of the other rules.
std::string WithCheck(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }

TEST(IdNumberTest, ParsesTheStandardTestVector) {
  Result<IdNumber> r = ParseIdNumber("11010519491231002X");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->number, "11010519491231002X");
  EXPECT_EQ(r->region_code, "110105");
  EXPECT_EQ(r->birth_year, 1949);
  EXPECT_EQ(r->birth_month, 12);
  EXPECT_EQ(r->birth_day, 31);
  EXPECT_EQ(r->BirthDate(), "1949-12-31");
  EXPECT_FALSE(r->male);  // 顺序码 002 is even
}

TEST(IdNumberTest, TrimsSpacesAndNormalisesLowerCaseX) {
  Result<IdNumber> r = ParseIdNumber("  11010519491231002x\t");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->number, "11010519491231002X");
  Result<IdNumber> fullwidth_space = ParseIdNumber(
      "\xE3\x80\x80"
      "11010519491231002X");
  EXPECT_TRUE(fullwidth_space.has_value());
}

TEST(IdNumberTest, OddSequenceNumberIsMale) {
  Result<IdNumber> r = ParseIdNumber(WithCheck("43010419900307123"));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->male);
  EXPECT_EQ(r->BirthDate(), "1990-03-07");
}

TEST(IdNumberTest, CheckCharMatchesKnownValues) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckChar("1101051949123100"), '\0');    // 16 digits
  EXPECT_EQ(IdNumberCheckChar("11010519491231002X"), '\0');  // 18
  EXPECT_EQ(IdNumberCheckChar("1101051949123100A"), '\0');
}

TEST(IdNumberTest, RejectsWrongLength) {
  ExpectError(ParseIdNumber("1234"), "core.id_number_length", "身份证号应为18位，当前为4位");
  ExpectError(ParseIdNumber(""), "core.id_number_length", "当前为0位");
  ExpectError(ParseIdNumber("11010519491231002X1"), "core.id_number_length", "当前为19位");
  ExpectError(ParseIdNumber("110105491231002"), "core.id_number_length", "15位为旧版号码");
}

TEST(IdNumberTest, LengthCountsCharactersNotBytes) {
  // 18 full-width digits: 18 characters (54 bytes), rejected for the first bad character.
  std::string fullwidth;
  for (int i = 0; i < 18; ++i) fullwidth += "\xEF\xBC\x91";  // '１'
  ExpectError(ParseIdNumber(fullwidth), "core.id_number_chars", "第1位应为数字，实际为“１”");
}

TEST(IdNumberTest, RejectsBadCharactersAndNamesThePosition) {
  ExpectError(ParseIdNumber("11010519491231002A"), "core.id_number_chars",
              "身份证号第18位应为数字或X，实际为“A”");
  ExpectError(ParseIdNumber("1101051949123100X2"), "core.id_number_chars",
              "身份证号第17位应为数字，实际为“X”");
  ExpectError(ParseIdNumber("x1010519491231002X"), "core.id_number_chars", "第1位");
  ExpectError(ParseIdNumber("110105 9491231002X"), "core.id_number_chars", "第7位");
}

TEST(IdNumberTest, RejectsUnknownProvince) {
  ExpectError(ParseIdNumber(WithCheck("99010519491231002")), "core.id_number_region",
              "99不是省级行政区划代码");
  ExpectError(ParseIdNumber(WithCheck("00000019491231002")), "core.id_number_region",
              "地址码000000无效");
  ExpectError(ParseIdNumber(WithCheck("72000019900101002")), "core.id_number_region", "72");
}

TEST(IdNumberTest, AcceptsRetiredCountyCodesWithinAProvince) {
  // 430199 is not a current code; numbers issued under retired codes stay valid (§8.2).
  EXPECT_TRUE(ParseIdNumber(WithCheck("43019919800101001")).has_value());
  // 港澳台居民居住证 address codes.
  EXPECT_TRUE(ParseIdNumber(WithCheck("81000019800101001")).has_value());
  EXPECT_TRUE(ParseIdNumber(WithCheck("82000019800101001")).has_value());
  EXPECT_TRUE(ParseIdNumber(WithCheck("83000019800101001")).has_value());
}

TEST(IdNumberTest, RejectsImpossibleBirthDates) {
  ExpectError(ParseIdNumber(WithCheck("11010519990231002")), "core.id_number_birth_date",
              "出生日期19990231不是有效日期");
  ExpectError(ParseIdNumber(WithCheck("11010519991301002")), "core.id_number_birth_date",
              "19991301");
  ExpectError(ParseIdNumber(WithCheck("11010519990100002")), "core.id_number_birth_date",
              "19990100");
  ExpectError(ParseIdNumber(WithCheck("11010519000229002")), "core.id_number_birth_date",
              "19000229");  // 1900 is not a leap year
  ExpectError(ParseIdNumber(WithCheck("11010518991231002")), "core.id_number_birth_date",
              "18991231");
  EXPECT_TRUE(ParseIdNumber(WithCheck("11010520000229002")).has_value());
}

TEST(IdNumberTest, RejectsBirthDateAfterToday) {
  ExpectError(ParseIdNumber(WithCheck("43010420260116002"), 20260115),
              "core.id_number_birth_future", "出生日期20260116晚于今天（20260115）");
  EXPECT_TRUE(ParseIdNumber(WithCheck("43010420260115002"), 20260115).has_value());
  EXPECT_TRUE(ParseIdNumber(WithCheck("43010420260116002")).has_value());  // check off
}

TEST(IdNumberTest, RejectsWrongCheckCharacter) {
  ExpectError(ParseIdNumber("110105194912310021"), "core.id_number_check", "校验位应为X，实际为1");
  ExpectError(ParseIdNumber("43010419900307123x"), "core.id_number_check", "实际为X");
}

TEST(IdNumberTest, MaskIdNumberKeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskIdNumber("43010219900307123X"), "430102********123X");
  EXPECT_EQ(MaskIdNumber("12345678901"), "123456*8901");
  EXPECT_EQ(MaskIdNumber("1234567890"), "**********");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(IdNumberTest, MaskPhoneKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(MaskPhone("13812341234"), "138****1234");
  EXPECT_EQ(MaskPhone("1234567"), "*******");
  EXPECT_EQ(MaskPhone("12345678"), "123*5678");
}

TEST(MobileTest, AcceptsMainlandMobileNumbers) {
  EXPECT_EQ(*ValidateMobile("13812341234"), "13812341234");
  EXPECT_EQ(*ValidateMobile(" 19912345678 "), "19912345678");
}

TEST(MobileTest, RejectsWrongLength) {
  ExpectError(ValidateMobile("1381234123"), "core.mobile_format", "手机号应为11位数字，当前为10位");
  ExpectError(ValidateMobile("+8613812341234"), "core.mobile_format", "当前为14位");
}

TEST(MobileTest, RejectsNonDigits) {
  ExpectError(ValidateMobile("1381234123a"), "core.mobile_format",
              "手机号第11位应为数字，实际为“a”");
  ExpectError(ValidateMobile("138-1234123"), "core.mobile_format", "第4位");
}

TEST(MobileTest, RejectsWrongPrefix) {
  ExpectError(ValidateMobile("12812341234"), "core.mobile_format", "应以13–19开头");
  ExpectError(ValidateMobile("23812341234"), "core.mobile_format", "不是有效的手机号码");
}

}  // namespace
}  // namespace onestop
