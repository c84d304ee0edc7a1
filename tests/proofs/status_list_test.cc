// The status list bitstring: 16 KB, GZIP + base64url with the multibase "u", MSB-first bits.
#include "proofs/status_list.h"

#include <gtest/gtest.h>

#include "testutil/matchers.h"

namespace onestop::proofs {
namespace {

using testutil::IsError;

TEST(StatusListTest, RoundTripsTheSetBits) {
  std::string encoded = EncodeStatusList({0, 7, 8, 131071, 131072, -1});
  ASSERT_EQ(encoded.front(), 'u');
  EXPECT_LT(encoded.size(), 400u);  // 16 KB of mostly zeros compresses well
  Result<std::string> bits = DecodeStatusList(encoded);
  ASSERT_TRUE(bits.has_value()) << bits.error().message;
  ASSERT_EQ(bits->size(), 16384u);
  EXPECT_EQ(static_cast<unsigned char>((*bits)[0]), 0x81);  // bits 0 and 7, MSB first
  EXPECT_EQ(static_cast<unsigned char>((*bits)[1]), 0x80);  // bit 8
  EXPECT_TRUE(StatusBit(*bits, 0));
  EXPECT_TRUE(StatusBit(*bits, 131071));
  EXPECT_FALSE(StatusBit(*bits, 1));
  EXPECT_FALSE(StatusBit(*bits, 131072));
  EXPECT_FALSE(StatusBit(*bits, -1));
}

TEST(StatusListTest, RefusesWhatIsNotAnEncodedList) {
  EXPECT_TRUE(IsError(DecodeStatusList(""), ErrorCode::kInvalidArgument, "proofs.bad_status_list"));
  EXPECT_TRUE(
      IsError(DecodeStatusList("zH4sI"), ErrorCode::kInvalidArgument, "proofs.bad_status_list"));
  EXPECT_TRUE(IsError(DecodeStatusList("uAAAAAAAA"), ErrorCode::kInvalidArgument,
                      "proofs.bad_status_list"));
}

}  // namespace
}  // namespace onestop::proofs
