#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace onestop {
namespace {

constexpr Millis kMaxTime = (Millis{1} << 48) - 1;

TEST(UlidTest, NewUlidIsCanonicalAndCarriesTheTime) {
  const Millis now = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  const std::string id = NewUlid(now);
  EXPECT_EQ(id.size(), 26u);
  EXPECT_TRUE(IsUlid(id)) << id;
  EXPECT_EQ(UlidTimeMs(id), now);
}

TEST(UlidTest, TimePartMatchesTheSpecExample) {
  // github.com/ulid/spec: 01ARYZ6S41TSV4RRFFQ69G5FAV has timestamp 1469918176385.
  EXPECT_EQ(NewUlid(1'469'918'176'385).substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(UlidTimeMs("01ARYZ6S41TSV4RRFFQ69G5FAV"), 1'469'918'176'385);
}

TEST(UlidTest, TimeIsClampedTo48Bits) {
  EXPECT_EQ(NewUlid(0).substr(0, 10), "0000000000");
  EXPECT_EQ(NewUlid(-5).substr(0, 10), "0000000000");
  EXPECT_EQ(NewUlid(kMaxTime).substr(0, 10), "7ZZZZZZZZZ");
  EXPECT_EQ(NewUlid(kMaxTime + 1000).substr(0, 10), "7ZZZZZZZZZ");
  EXPECT_TRUE(IsUlid(NewUlid(kMaxTime)));
}

TEST(UlidTest, IdsSortByTime) {
  const std::string earlier = NewUlid(1'700'000'000'000);
  const std::string later = NewUlid(1'700'000'000'001);
  EXPECT_LT(earlier, later);
}

TEST(UlidTest, IdsAreUniqueWithinTheSameMillisecond) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) seen.insert(NewUlid(1'700'000'000'000));
  EXPECT_EQ(seen.size(), 20000u);
}

TEST(UlidTest, ThreadsGetDifferentRandomStreams) {
  std::vector<std::string> a, b;
  std::thread ta([&a] {
    for (int i = 0; i < 1000; ++i) a.push_back(NewUlid(42));
  });
  std::thread tb([&b] {
    for (int i = 0; i < 1000; ++i) b.push_back(NewUlid(42));
  });
  ta.join();
  tb.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 2000u);
}

TEST(UlidTest, RandomPartUsesTheWholeAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = NewUlid(1);
    chars.insert(id.begin() + 10, id.end());
  }
  EXPECT_EQ(chars.size(), 32u);
}

TEST(UlidTest, IsUlidRejectsNonCanonicalText) {
  const std::string good = "01ARYZ6S41TSV4RRFFQ69G5FAV";
  EXPECT_TRUE(IsUlid(good));
  EXPECT_FALSE(IsUlid(""));
  EXPECT_FALSE(IsUlid(good.substr(0, 25)));
  EXPECT_FALSE(IsUlid(good + "0"));
  EXPECT_FALSE(IsUlid("01aryz6s41tsv4rrffq69g5fav"));  // lower case is not canonical
  for (char bad : {'I', 'L', 'O', 'U', '-', ' '}) {
    std::string s = good;
    s[20] = bad;
    EXPECT_FALSE(IsUlid(s)) << bad;
  }
  EXPECT_FALSE(IsUlid("81ARYZ6S41TSV4RRFFQ69G5FAV"));  // time would overflow 48 bits
}

}  // namespace
}  // namespace onestop
