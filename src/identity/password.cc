#include "identity/password.h"

#include <sodium.h>

#include <cctype>

namespace onestop::identity {
namespace {
bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}
}  // namespace

PasswordHasher::PasswordHasher(unsigned long long ops, std::size_t mem) : ops_(ops), mem_(mem) {
  SodiumReady();
  char out[crypto_pwhash_STRBYTES];
  const char kDummy[] = "onestop-dummy-password";
  if (crypto_pwhash_str_alg(out, kDummy, sizeof kDummy - 1, ops_, mem_,
                            crypto_pwhash_ALG_ARGON2ID13) == 0) {
    dummy_hash_ = out;
  }
}

PasswordHasher PasswordHasher::Interactive() {
  return PasswordHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

PasswordHasher PasswordHasher::FastForTest() {
  return PasswordHasher(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_, mem_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("identity.hash_failed", "密码加密失败（内存不足）");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  std::string h(hash);  // crypto_pwhash_str_verify needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::BurnVerifyTime(std::string_view password) const {
  if (!dummy_hash_.empty()) (void)Verify(dummy_hash_, password);
}

Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username) {
  auto weak = [](std::string message) {
    return InvalidArgument("identity.weak_password", message)
        .WithField("password", std::move(message));
  };
  if (password.size() < 8) return weak("密码至少 8 位");
  if (password.size() > 64) return weak("密码不能超过 64 位");
  int lower = 0, upper = 0, digit = 0, other = 0;
  for (unsigned char c : password) {
    if (std::islower(c)) {
      lower = 1;
    } else if (std::isupper(c)) {
      upper = 1;
    } else if (std::isdigit(c)) {
      digit = 1;
    } else {
      other = 1;
    }
  }
  if (lower + upper + digit + other < 3) {
    return weak("密码须包含大写字母、小写字母、数字、符号中的至少三类");
  }
  if (!username.empty() && password.find(username) != std::string_view::npos) {
    return weak("密码不能包含用户名");
  }
  return Ok();
}

}  // namespace onestop::identity
