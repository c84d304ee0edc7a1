// Electronic seals (电子印章) of issuing departments, in the spirit of GB/T 38540-2020: each
// seal has an SM2 key pair (signatures SM2 with SM3, the GB/T 32918 default user ID
// "1234567812345678" set explicitly on sign and verify), optionally an Ed25519 key for
// W3C-VC-style exports, a seal record (esID, name, validity, maker) and a red round picture.
// Private keys are kept encrypted under the operator's master key (MasterKey). Rotation adds a
// new key and retires the old one for signing only: old signatures stay verifiable.
// Entry points: SealService::Sign (inside the caller's transaction) and SealService::Verify.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::seal {

enum class SignAlg { kSm2Sm3, kEd25519 };
const char* SignAlgCode(SignAlg a);                   // "SM2-SM3" / "Ed25519"
Result<SignAlg> ParseSignAlg(std::string_view code);  // kInvalidArgument seal.bad_alg

// The operator's 32-byte master key that encrypts seal private keys at rest (AES-256-GCM).
class MasterKey {
 public:
  // From a file holding 32 raw bytes or 64 hex characters (whitespace ignored).
  // kInvalidArgument seal.master_key_format; kUnavailable seal.master_key_io.
  static Result<MasterKey> FromFile(const std::string& path);
  // From 64 hex characters (the ONESTOP_MASTER_KEY environment variable).
  static Result<MasterKey> FromHex(std::string_view hex);
  // Creates a new random key file with mode 0600 (for `onestop seal init-master-key` and the demo).
  // Never overwrites: kAlreadyExists seal.master_key_exists; kUnavailable seal.master_key_io.
  static Result<MasterKey> Generate(const std::string& path);

  Result<std::string> Encrypt(std::string_view plain) const;
  // kFailedPrecondition seal.master_key_wrong when the key does not open the data.
  Result<std::string> Decrypt(std::string_view sealed) const;

 private:
  explicit MasterKey(std::string key) : key_(std::move(key)) {}
  std::string key_;  // 32 bytes
};

struct SealKey {
  std::string key_id;  // "<seal id>-k<n>"
  SignAlg alg = SignAlg::kSm2Sm3;
  std::string public_key_pem;  // SubjectPublicKeyInfo PEM, what `openssl` verifies with
  Millis created_at_ms = 0;
  std::optional<Millis> retired_at_ms;  // set by rotation; still verifies, never signs
};

struct Seal {
  std::string id;  // esID, 印章唯一标识, e.g. "ES430104000001"
  std::string department_id;
  std::string department_name;
  std::string name;  // 印章名称, e.g. "长沙市岳麓区行政审批服务局电子证照专用章"
  std::string maker;  // 制章者
  Millis valid_from_ms = 0;
  Millis valid_to_ms = 0;
  std::string status;         // "active" / "revoked"
  std::vector<SealKey> keys;  // every key the seal ever had, the active ones first
  Millis created_at_ms = 0;
  std::int64_t version = 1;
};

struct NewSeal {
  std::string department_id;
  std::string name;
  std::string maker;
  Millis valid_to_ms = 0;  // 0 = five years from now
  bool with_ed25519 = false;
};

struct SealSignature {
  std::string seal_id;
  std::string key_id;
  SignAlg alg = SignAlg::kSm2Sm3;
  std::string signature;  // raw: SM2 DER SEQUENCE{r,s}; Ed25519 64 bytes
  Millis signed_at_ms = 0;
};

class SealService {
 public:
  SealService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
              std::optional<MasterKey> master);

  // seals.manage within the actor's department scope. kInvalidArgument seal.invalid (field
  // errors); kAlreadyExists seal.department_has_seal (one active seal per department);
  // kFailedPrecondition seal.no_master_key.
  Result<Seal> Create(const identity::Principal& actor, const NewSeal& s);
  // New keys; the old ones are retired for signing and kept for verification.
  Result<Seal> Rotate(const identity::Principal& actor, const std::string& seal_id);
  Result<std::vector<Seal>> List(const identity::Principal& actor);
  // Public: the seal and its public keys (no private material), for verifiers.
  Result<Seal> Get(const std::string& seal_id);
  Result<SealKey> PublicKey(const std::string& key_id);  // kNotFound seal.no_such_key

  // Signs `bytes` with the active key of `alg` of the department's active seal, inside the
  // caller's transaction. kFailedPrecondition seal.department_has_no_seal,
  // seal.no_master_key, seal.expired; kFailedPrecondition seal.no_ed25519_key.
  Result<SealSignature> Sign(store::Tx& tx, const std::string& department_id,
                             std::string_view bytes, SignAlg alg = SignAlg::kSm2Sm3);
  // kFailedPrecondition seal.bad_signature (tampered bytes or a wrong key);
  // kNotFound seal.no_such_key.
  Result<void> Verify(store::Tx& tx, std::string_view bytes, const SealSignature& sig);
  Result<void> Verify(std::string_view bytes, const SealSignature& sig);  // own read tx

  // False when no master key was configured (Create, Rotate and a first Sign then fail).
  bool has_master_key() const { return master_.has_value(); }

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  std::optional<MasterKey> master_;
  // Decrypted private keys and parsed public keys by key id (loaded on first use).
  struct KeyCache;
  std::shared_ptr<KeyCache> cache_;
};

// Verifies `signature` over `bytes` with a bare public key (SubjectPublicKeyInfo PEM), as an
// offline verifier does. kInvalidArgument seal.bad_key; kFailedPrecondition seal.bad_signature.
Result<void> VerifyWithPublicKeyPem(std::string_view public_key_pem, SignAlg alg,
                                    std::string_view bytes, std::string_view signature);

// Base64 (standard alphabet, padded) and base64url (no padding) for signatures on the wire.
std::string Base64(std::string_view bytes);
std::string Base64Url(std::string_view bytes);
Result<std::string> FromBase64(std::string_view text);  // either alphabet; seal.bad_base64

}  // namespace onestop::seal
