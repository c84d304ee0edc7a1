// Assertions on Result<T> shared by the module tests:
// `EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "identity.bad_id"));`.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "core/result.h"

namespace onestop::testutil {

// Success when `r` failed with exactly `code` and `reason`; otherwise says what came instead.
template <typename T>
::testing::AssertionResult IsError(const Result<T>& r, ErrorCode code, std::string_view reason) {
  if (r.has_value()) {
    return ::testing::AssertionFailure() << "expected " << reason << ", got a value";
  }
  if (r.error().code != code || r.error().reason != reason) {
    return ::testing::AssertionFailure()
           << "expected " << ErrorCodeName(code) << " " << reason << ", got "
           << ErrorCodeName(r.error().code) << " " << r.error().reason << ": " << r.error().message;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace onestop::testutil
