// Identifiers: ULIDs (https://github.com/ulid/spec) for every OneStop row id.
// 26 characters of Crockford base32: 48-bit millisecond time, then 80 random bits, so ids
// sort by creation time. Human-facing numbers (办件编号) are not made here.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"

namespace onestop {

// A new ULID for the instant `now_ms` (upper-case Crockford base32, 26 characters).
// Randomness comes from a thread-local generator seeded from std::random_device.
// `now_ms` outside [0, 2^48) is clamped into that range.
std::string NewUlid(Millis now_ms);

// True if `s` is a canonical ULID: 26 upper-case Crockford base32 characters whose first
// character is 0–7 (the time part fits in 48 bits).
bool IsUlid(std::string_view s);

// The millisecond time stored in a ULID. REQUIRES: IsUlid(ulid).
Millis UlidTimeMs(std::string_view ulid);

}  // namespace onestop
