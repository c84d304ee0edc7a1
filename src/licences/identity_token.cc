#include "licences/identity_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/ids.h"

namespace onestop::licences {
namespace {

constexpr std::string_view kPrefix = "OS1";
constexpr std::size_t kMacBytes = 16;  // 128-bit tag: ample for a 60-second token
constexpr const char* kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::string Base36(std::uint64_t v) {
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v % 36]);
    v /= 36;
  } while (v != 0);
  return out;
}

std::optional<std::uint64_t> ParseBase36(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
    if (d < 0) return std::nullopt;
    v = v * 36 + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::string Mac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), kMacBytes);
}

Error Invalid() {
  return InvalidArgument("licences.token_invalid", "二维码无效或已被篡改，请持证人刷新后重新出示");
}

}  // namespace

std::string SignToken(std::string_view key, const TokenClaims& claims) {
  std::string body = std::string(kPrefix) + "." + claims.token_id + "." +
                     Base36(static_cast<std::uint64_t>(claims.expires_at_ms));
  return body + "." + seal::Base64Url(Mac(key, body));
}

Result<TokenClaims> VerifyToken(std::string_view key, std::string_view text) {
  if (text.size() > 200) return Invalid();
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 4 || parts[0] != kPrefix || !IsUlid(parts[1])) return Invalid();
  std::optional<std::uint64_t> exp = ParseBase36(parts[2]);
  if (!exp) return Invalid();
  Result<std::string> tag = seal::FromBase64(parts[3]);
  // Only the canonical spelling: unused low bits of the last character may not vary.
  if (!tag.has_value() || tag->size() != kMacBytes || seal::Base64Url(*tag) != parts[3]) {
    return Invalid();
  }
  const std::string_view body = text.substr(0, text.size() - parts[3].size() - 1);
  const std::string want = Mac(key, body);
  if (CRYPTO_memcmp(want.data(), tag->data(), kMacBytes) != 0) return Invalid();
  return TokenClaims{std::string(parts[1]), static_cast<Millis>(*exp)};
}

std::string RandomTokenKey() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    // RAND_bytes fails only when the OS has no entropy source; refuse to run with a weak key.
    std::abort();
  }
  return key;
}

Result<std::string> LoadOrCreateTokenKey(store::Db& db, const Clock& clock,
                                         const std::optional<seal::MasterKey>& master) {
  if (!master) return RandomTokenKey();
  auto load = [&]() -> Result<std::optional<std::string>> {
    return store::Read(db, [&](store::Tx& tx) -> Result<std::optional<std::string>> {
      ASSIGN_OR_RETURN(store::Rows rows,
                       tx.Query("SELECT key_enc FROM consent_token_key WHERE id = 1"));
      if (rows.empty()) return std::optional<std::string>();
      return std::optional<std::string>(rows.front().Text(0));
    });
  };
  ASSIGN_OR_RETURN(std::optional<std::string> stored, load());
  if (!stored) {
    const std::string key = RandomTokenKey();
    ASSIGN_OR_RETURN(std::string sealed, master->Encrypt(key));
    const std::string enc = seal::Base64(sealed);
    Result<std::int64_t> put = store::Transact(db, [&](store::Tx& tx) {
      return tx.Exec("INSERT INTO consent_token_key (id, key_enc, created_at_ms) VALUES (1, ?, ?)",
                     {enc, clock.NowMs()});
    });
    // Another node stored its key first: use that one.
    if (!put.has_value() && put.error().code != ErrorCode::kAlreadyExists) {
      return std::move(put).error();
    }
    ASSIGN_OR_RETURN(stored, load());
    if (!stored) return Internal("licences.token_key", "二维码签名密钥未能保存");
  }
  ASSIGN_OR_RETURN(std::string sealed, seal::FromBase64(*stored));
  return master->Decrypt(sealed);
}

}  // namespace onestop::licences
