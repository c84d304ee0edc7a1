// The compact signed QR payload of a proof, for offline verification (离线核验):
//   OSP1.<base64url(canonical JSON claims)>.<base64url(seal signature over those bytes)>
// Claims are the minimum a verifier needs: code, number, type, masked holder, issuer seal and
// key id, issued and valid-until instants, status index. A verifier holding the issuer's
// public key (GET /api/v1/seals/… or a published key file) checks it without the platform.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace onestop::proofs {

inline constexpr std::string_view kQrPrefix = "OSP1";

struct QrClaims {
  std::string code;               // c: verification code
  std::string number;             // n: 证明编号
  std::string type;               // t: proof type code
  std::string holder;             // h: masked name and code, "张*三 430104********1234"
  std::string seal_id;            // s
  std::string key_id;             // k
  Millis issued_at_ms = 0;        // i
  Millis valid_until_ms = 0;      // v
  std::int64_t status_index = 0;  // x
};

// The canonical JSON (RFC 8785) bytes of `claims`: what is signed.
std::string CanonicalClaims(const QrClaims& claims);
// "OSP1.<claims>.<signature>" from the claim bytes and the raw signature.
std::string EncodeQrPayload(std::string_view canonical_claims, std::string_view signature);

struct ParsedQr {
  QrClaims claims;
  std::string claims_bytes;  // as signed
  std::string signature;     // raw
};
// Splits and decodes a payload without checking the signature.
// kInvalidArgument proofs.bad_qr_payload.
Result<ParsedQr> ParseQrPayload(std::string_view payload);

// Parses `payload` and checks its SM2-with-SM3 signature with the issuer's public key (PEM),
// as an offline verifier does. kInvalidArgument proofs.bad_qr_payload;
// kFailedPrecondition proofs.bad_signature (tampered payload or a wrong key).
Result<QrClaims> VerifyQrPayload(std::string_view payload, std::string_view public_key_pem);

}  // namespace onestop::proofs
