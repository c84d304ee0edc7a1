// Passwords: argon2id hashes (libsodium crypto_pwhash_str) and the password policy.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop::identity {

class PasswordHasher {
 public:
  // Interactive limits (~90 ms per hash on this machine class) in production.
  static PasswordHasher Interactive();
  // The smallest limits libsodium allows: only for tests and demo seeding in tests.
  static PasswordHasher FastForTest();

  // kInternal if libsodium fails (out of memory).
  Result<std::string> Hash(std::string_view password) const;
  // True when `password` matches `hash`; false for a malformed hash.
  bool Verify(std::string_view hash, std::string_view password) const;
  // Spends the same time as a Verify, for unknown usernames (no timing oracle).
  void BurnVerifyTime(std::string_view password) const;

 private:
  PasswordHasher(unsigned long long ops, std::size_t mem);
  unsigned long long ops_;
  std::size_t mem_;
  std::string dummy_hash_;
};

// Policy (等保二级 style): 8–64 characters, at least three of lower case, upper case, digits
// and symbols, not containing the username. kInvalidArgument identity.weak_password.
Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username);

}  // namespace onestop::identity
