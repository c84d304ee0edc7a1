// Identity tokens (动态二维码): the compact signed text the holder's QR code carries. A token
// names a row of consent_token (who, which licence types) and its expiry; it is signed with
// HMAC-SHA256 under the installation's token key. The key is 32 random bytes made once and
// kept in consent_token_key encrypted under the seal master key, so every server node signs and
// checks with the same key; without a master key the key is random per process (tokens then
// die with the process). Issuing and burning tokens is GrantService's (grant_service.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "seal/seal_service.h"
#include "store/db.h"

namespace onestop::licences {

struct TokenClaims {
  std::string token_id;  // ULID (26 characters)
  Millis expires_at_ms = 0;
};

// "OS1.<token id>.<expiry ms, base 36 upper case>.<HMAC-SHA256 truncated to 16 bytes,
// base64url>": ASCII, no spaces, about 66 characters. REQUIRES: key non-empty.
std::string SignToken(std::string_view key, const TokenClaims& claims);

// Parses and checks the signature (constant time); the expiry is the caller's to check.
// kInvalidArgument licences.token_invalid for anything malformed or a wrong signature.
Result<TokenClaims> VerifyToken(std::string_view key, std::string_view text);

// 32 random bytes (OpenSSL RAND_bytes).
std::string RandomTokenKey();

// The installation's token key: read from consent_token_key and decrypted with `master`, or
// made, encrypted and stored when there is none (two nodes racing keep the first one stored).
// Without a master key: a random per-process key (nothing stored).
// kFailedPrecondition seal.master_key_wrong when the stored key does not open; store errors.
Result<std::string> LoadOrCreateTokenKey(store::Db& db, const Clock& clock,
                                         const std::optional<seal::MasterKey>& master);

}  // namespace onestop::licences
