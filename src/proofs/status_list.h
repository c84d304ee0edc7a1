// Revocation status list (撤销状态列表) in the spirit of the W3C Bitstring Status List v1.0:
// one bit per issued proof (its status index within the issuer), 1 = revoked. The list is
// GZIP-compressed and base64url-encoded with the multibase prefix "u" ("encodedList"). Bit 0
// is the most significant bit of the first byte, as the W3C draft specifies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace onestop::proofs {

// 131,072 bits = 16 KB, the W3C minimum that gives herd privacy.
inline constexpr std::int64_t kStatusListBits = 131072;

// The encodedList with the bits of `set_indices` set. Indices outside the list are ignored.
std::string EncodeStatusList(const std::vector<std::int64_t>& set_indices);
// The raw bitstring of an encodedList. kInvalidArgument proofs.bad_status_list.
Result<std::string> DecodeStatusList(std::string_view encoded);
// The bit at `index` of a raw bitstring (false outside it).
bool StatusBit(std::string_view bits, std::int64_t index);

}  // namespace onestop::proofs
