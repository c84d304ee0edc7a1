// Password hashing (argon2id) and the password policy (no database).
#include "identity/password.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::IsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class PasswordHasherTest : public ::testing::Test {
 protected:
  PasswordHasher hasher_ = PasswordHasher::FastForTest();
};

TEST_F(PasswordHasherTest, HashVerifiesTheSamePasswordOnly) {
  Result<std::string> hash = hasher_.Hash("Xy7#kQ2mPz");
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  EXPECT_THAT(*hash, StartsWith("$argon2id$"));
  EXPECT_EQ(hash->find("Xy7#kQ2mPz"), std::string::npos);
  EXPECT_TRUE(hasher_.Verify(*hash, "Xy7#kQ2mPz"));
  EXPECT_FALSE(hasher_.Verify(*hash, "Xy7#kQ2mPZ"));
  EXPECT_FALSE(hasher_.Verify(*hash, "Xy7#kQ2mP"));
  EXPECT_FALSE(hasher_.Verify(*hash, "Xy7#kQ2mPz "));
  EXPECT_FALSE(hasher_.Verify(*hash, ""));
}

TEST_F(PasswordHasherTest, HashesAreSaltedAndInterchangeableAcrossHashers) {
  Result<std::string> a = hasher_.Hash("Xy7#kQ2mPz");
  Result<std::string> b = hasher_.Hash("Xy7#kQ2mPz");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
  // The limits are in the hash string: any hasher verifies it.
  PasswordHasher other = PasswordHasher::FastForTest();
  EXPECT_TRUE(other.Verify(*a, "Xy7#kQ2mPz"));
  EXPECT_TRUE(other.Verify(*b, "Xy7#kQ2mPz"));
}

TEST_F(PasswordHasherTest, PasswordsWithNulAndUtf8Bytes) {
  const std::string with_nul("Ab1!\0tail", 9);
  Result<std::string> hash = hasher_.Hash(with_nul);
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(hasher_.Verify(*hash, with_nul));
  EXPECT_FALSE(hasher_.Verify(*hash, "Ab1!"));  // not truncated at the NUL
  Result<std::string> chinese = hasher_.Hash("密码Ab1!长沙");
  ASSERT_TRUE(chinese.has_value());
  EXPECT_TRUE(hasher_.Verify(*chinese, "密码Ab1!长沙"));
  EXPECT_FALSE(hasher_.Verify(*chinese, "密码Ab1!长"));
}

TEST_F(PasswordHasherTest, MalformedHashesNeverVerify) {
  Result<std::string> good = hasher_.Hash("Xy7#kQ2mPz");
  ASSERT_TRUE(good.has_value());
  std::string truncated = good->substr(0, good->size() - 5);
  std::string altered = *good;
  char& c = altered[altered.size() - 10];  // inside the digest (the last char has spare bits)
  c = c == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string(), std::string("not a hash"), std::string("$argon2id$"), truncated, altered,
        std::string("Xy7#kQ2mPz")}) {
    EXPECT_FALSE(hasher_.Verify(bad, "Xy7#kQ2mPz")) << bad;
  }
  hasher_.BurnVerifyTime("anything");  // must not crash
}

TEST(PasswordPolicyTest, AcceptsThreeClassesOfEightToSixtyFourCharacters) {
  EXPECT_TRUE(CheckPasswordPolicy("abcDEF12", "zhangsan").has_value());  // 8, 3 classes
  EXPECT_TRUE(CheckPasswordPolicy("abcdef1!", "zhangsan").has_value());  // lower+digit+sym
  EXPECT_TRUE(CheckPasswordPolicy("ABCDEF1!", "zhangsan").has_value());  // upper+digit+sym
  EXPECT_TRUE(CheckPasswordPolicy("abcDEF!!", "zhangsan").has_value());  // no digit
  EXPECT_TRUE(CheckPasswordPolicy("aB3$" + std::string(60, 'x'), "u").has_value());  // 64
  EXPECT_TRUE(CheckPasswordPolicy("Xy7#kQ2mPz", "").has_value());                    // no username
}

void ExpectWeak(const std::string& password, const std::string& username,
                const std::string& fragment) {
  SCOPED_TRACE(password);
  Result<void> r = CheckPasswordPolicy(password, username);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "identity.weak_password"));
  EXPECT_THAT(fixture::FieldsOf(r.error()), ElementsAre("password"));
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
  EXPECT_EQ(r.error().fields.front().message, r.error().message);
}

TEST(PasswordPolicyTest, RejectsTooShort) {
  ExpectWeak("", "zhangsan", "至少 8 位");
  ExpectWeak("aB3$xyz", "zhangsan", "至少 8 位");  // 7
}

TEST(PasswordPolicyTest, RejectsTooLong) {
  ExpectWeak("aB3$" + std::string(61, 'x'), "zhangsan", "不能超过 64 位");  // 65
}

TEST(PasswordPolicyTest, RejectsOnlyTwoClasses) {
  ExpectWeak("abcdefgh", "zhangsan", "至少三类");
  ExpectWeak("abcdefg1", "zhangsan", "至少三类");
  ExpectWeak("ABCDEFG1", "zhangsan", "至少三类");
  ExpectWeak("12345678!", "zhangsan", "至少三类");
  ExpectWeak("abcdEFGH", "zhangsan", "至少三类");
}

TEST(PasswordPolicyTest, RejectsPasswordsContainingTheUsername) {
  ExpectWeak("zhangsan1A!", "zhangsan", "用户名");
  ExpectWeak("A1!zhangsan", "zhangsan", "用户名");
  ExpectWeak("Xy7#zhangsanQ", "zhangsan", "用户名");
}

}  // namespace
}  // namespace onestop::identity
