#include "core/licence_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testutil/matchers.h"

namespace onestop {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;

constexpr std::string_view kReal =
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U";

TEST(LicenceIdTest, ParsesARealIdentifier) {
  Result<LicenceId> r = ParseLicenceId(kReal);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->type_code, "11100000000013338W011");
  EXPECT_EQ(r->issuer_uscc, "11430000006122244L");
  EXPECT_EQ(r->serial, "20230000403");
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->check, 'U');
  EXPECT_EQ(r->str(), kReal);
}

TEST(LicenceIdTest, CheckCharOfTheRealBody) {
  EXPECT_EQ(LicenceIdCheckChar("11100000000013338W01111430000006122244L20230000403001"), 'U');
  EXPECT_EQ(LicenceIdCheckChar(""), '\0');
  EXPECT_EQ(LicenceIdCheckChar("abc"), '\0');
  EXPECT_EQ(LicenceIdCheckChar("12.3"), '\0');
}

TEST(LicenceIdTest, BuildComputesTheSameCheck) {
  Result<LicenceId> r =
      BuildLicenceId("11100000000013338W011", "11430000006122244L", "20230000403", 1);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->str(), kReal);
}

TEST(LicenceIdTest, BuildThenParseRoundTripsEveryVersionAndSerial) {
  for (int v : {1, 2, 10, 999}) {
    for (std::string serial : {"A", "2026011500000001", "0123456789ABCDEFGHIJKLMNOPQRSTUV"}) {
      Result<LicenceId> b =
          BuildLicenceId("11100000000013338W011", "11430000006122244L", serial, v);
      ASSERT_TRUE(b.has_value()) << b.error().message;
      Result<LicenceId> p = ParseLicenceId(b->str());
      ASSERT_TRUE(p.has_value()) << p.error().message;
      EXPECT_EQ(*p, *b);
    }
  }
}

TEST(LicenceIdTest, EverySingleCharacterChangeIsCaught) {
  // MOD 37,36 detects every single substitution: change each character of the body.
  std::string s(kReal);
  const std::size_t body_start = std::string(kLicenceIdRoot).size() + 1;
  int caught = 0, tried = 0;
  for (std::size_t i = body_start; i + 2 < s.size(); ++i) {
    if (s[i] == '.') continue;
    std::string t = s;
    t[i] = t[i] == '7' ? '8' : '7';
    ++tried;
    Result<LicenceId> r = ParseLicenceId(t);
    if (!r.has_value()) ++caught;
  }
  EXPECT_EQ(caught, tried);
}

TEST(LicenceIdTest, TamperedSerialFailsTheCheck) {
  std::string t(kReal);
  t.replace(t.find("20230000403"), 11, "20230000404");
  Result<LicenceId> r = ParseLicenceId(t);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "core.licence_id_check"));
  EXPECT_THAT(r.error().message, HasSubstr("校验位错误"));
  EXPECT_THAT(r.error().message, HasSubstr("实为“U”"));
}

TEST(LicenceIdTest, WrongCheckCharacterNamesTheRightOne) {
  std::string t(kReal);
  t.back() = 'V';
  Result<LicenceId> r = ParseLicenceId(t);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "core.licence_id_check"));
  EXPECT_THAT(r.error().message, HasSubstr("应为“U”"));
}

TEST(LicenceIdTest, SwappedAdjacentCharactersAreCaught) {
  std::string t(kReal);
  std::size_t at = t.find("6122244L");
  std::swap(t[at], t[at + 1]);  // "16…"
  EXPECT_TRUE(IsError(ParseLicenceId(t), ErrorCode::kInvalidArgument, "core.licence_id_check"));
}

TEST(LicenceIdTest, OtherRootIsRejected) {
  // zfsoft's 1.2.156.3003.2 is not conformant (standards §2.2).
  std::string t(kReal);
  t.replace(0, 14, "1.2.156.3003.2");
  Result<LicenceId> r = ParseLicenceId(t);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "core.licence_id_root"));
  EXPECT_THAT(r.error().message, HasSubstr("根代码"));
  EXPECT_TRUE(IsError(ParseLicenceId(""), ErrorCode::kInvalidArgument, "core.licence_id_root"));
}

TEST(LicenceIdTest, WrongNumberOfPartsIsRejected) {
  Result<LicenceId> r =
      ParseLicenceId("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.U");
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "core.licence_id_parts"));
  EXPECT_THAT(r.error().message, HasSubstr("实有4段"));
}

TEST(LicenceIdTest, EachBadPartIsNamed) {
  struct Case {
    const char* id;
    const char* reason;
    const char* fragment;
  };
  const Case cases[] = {
      {"1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U",
       "core.licence_id_type", "证照类型代码"},
      {"1.2.156.3005.2.11100000000013338WABC.11430000006122244L.20230000403.001.U",
       "core.licence_id_type", "3位数字"},
      {"1.2.156.3005.2.11100000000013338W011.1143000000612224.20230000403.001.U",
       "core.licence_id_issuer", "颁发机构代码"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244O.20230000403.001.U",
       "core.licence_id_issuer", "颁发机构代码"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U",
       "core.licence_id_serial", "流水号"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L..001.U", "core.licence_id_serial",
       "流水号"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U",
       "core.licence_id_version", "版本号"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.000.U",
       "core.licence_id_version", "版本号"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.u",
       "core.licence_id_check", "校验位"},
      {"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.UU",
       "core.licence_id_check", "校验位"},
  };
  for (const Case& c : cases) {
    Result<LicenceId> r = ParseLicenceId(c.id);
    EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, c.reason)) << c.id;
    if (!r.has_value()) {
      EXPECT_THAT(r.error().message, HasSubstr(c.fragment)) << c.id;
    }
  }
}

TEST(LicenceIdTest, BuildRejectsBadParts) {
  EXPECT_TRUE(IsError(BuildLicenceId("111", "11430000006122244L", "1", 1),
                      ErrorCode::kInvalidArgument, "core.licence_id_type"));
  EXPECT_TRUE(IsError(BuildLicenceId("11100000000013338W011", "x", "1", 1),
                      ErrorCode::kInvalidArgument, "core.licence_id_issuer"));
  EXPECT_TRUE(IsError(
      BuildLicenceId("11100000000013338W011", "11430000006122244L", std::string(33, 'A'), 1),
      ErrorCode::kInvalidArgument, "core.licence_id_serial"));
  EXPECT_TRUE(IsError(BuildLicenceId("11100000000013338W011", "11430000006122244L", "a1", 1),
                      ErrorCode::kInvalidArgument, "core.licence_id_serial"));
  EXPECT_TRUE(IsError(BuildLicenceId("11100000000013338W011", "11430000006122244L", "1", 0),
                      ErrorCode::kInvalidArgument, "core.licence_id_version"));
  EXPECT_TRUE(IsError(BuildLicenceId("11100000000013338W011", "11430000006122244L", "1", 1000),
                      ErrorCode::kInvalidArgument, "core.licence_id_version"));
}

TEST(LicenceIdTest, SpacesAroundAreIgnored) {
  Result<LicenceId> r = ParseLicenceId("  " + std::string(kReal) + " ");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->str(), kReal);
}

}  // namespace
}  // namespace onestop
