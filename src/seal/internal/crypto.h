// OpenSSL 3 EVP helpers for seals: key generation, PEM / PKCS#8 encodings, SM2-SM3 (with the
// GB/T 32918 default user ID) and Ed25519 signatures. Private to src/seal/.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "seal/seal_service.h"

namespace onestop::seal::internal {

// GB/T 32918 / GM/T 0009 default signer ID; OpenSSL 3.0 uses an empty ID unless told.
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::shared_ptr<EVP_PKEY>;

// A new key pair of `alg`. kInternal seal.crypto on an OpenSSL failure.
Result<Pkey> GenerateKey(SignAlg alg);
// SubjectPublicKeyInfo PEM of `key` / PKCS#8 PrivateKeyInfo DER.
Result<std::string> PublicKeyPem(EVP_PKEY* key);
Result<std::string> PrivateKeyDer(EVP_PKEY* key);
// Parses either encoding and checks that the key is of `alg` (kInvalidArgument seal.bad_key).
Result<Pkey> ParsePublicKeyPem(std::string_view pem, SignAlg alg);
Result<Pkey> ParsePrivateKeyDer(std::string_view der, SignAlg alg);

// SM2: DER SEQUENCE{r,s} over SM3(Z_A || bytes); Ed25519: 64 bytes (pure EdDSA).
Result<std::string> SignBytes(EVP_PKEY* key, SignAlg alg, std::string_view bytes);
// True when `signature` is valid; false for any mismatch or malformed signature.
bool VerifyBytes(EVP_PKEY* key, SignAlg alg, std::string_view bytes, std::string_view signature);

// AES-256-GCM with a 12-byte nonce; `key` is 32 bytes.
Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view plain);
// nullopt-like failure as kFailedPrecondition seal.master_key_wrong (tag mismatch).
Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view sealed_with_tag);

}  // namespace onestop::seal::internal
