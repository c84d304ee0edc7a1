// Proofs (证明): ProofService is the entry point — proof types and data registers, instant
// generation (即时开具) from the registers, online application → review → issue, revocation,
// the proof PDF, public verification by code or QR payload, and the per-issuer revocation status
// list. Every issued proof is signed with the issuing department's seal (seal/seal_service.h)
// over the RFC 8785 canonical JSON of its fields. Layout is render/document.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "proofs/proof.h"
#include "proofs/qr_payload.h"
#include "seal/seal_service.h"
#include "store/db.h"

namespace onestop::proofs {

inline constexpr std::size_t kMaxPurposeChars = 200;

struct ProofServiceOptions {
  // Absolute base of the public pages, for the QR code's URL (…/verify?code=…&p=…) and the
  // status list ids.
  std::string public_base_url = "https://onestop.example.gov.cn";
};

// The status list document served at GET /api/v1/status-lists/{issuerId}.
struct StatusListDoc {
  std::string department_id, department_name;
  std::string encoded_list;  // "u" + base64url(gzip(bits))
  std::int64_t bits = 0;     // list length in bits
  std::int64_t revoked = 0;  // bits set
  Millis generated_at_ms = 0;
};

// What VerifyQr answers: the signed claims plus the proof's status now (if the platform knows it).
struct QrVerification {
  QrClaims claims;
  PublicVerification current;
};

class ProofService {
 public:
  ProofService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
               seal::SealService& seals, ProofServiceOptions options = {});

  // Creates or replaces a proof type (catalog.manage). kInvalidArgument proofs.invalid_type
  // (field errors); kNotFound proofs.no_such_department.
  Result<ProofType> DefineType(const identity::Principal& actor, const ProofType& type);
  // Active proof types, by code (public).
  Result<std::vector<ProofType>> ListTypes();
  // Creates or replaces a subject's record in a register (parties.write).
  // kInvalidArgument proofs.invalid_record; kNotFound proofs.no_such_department.
  Result<RegisterRecord> PutRecord(const identity::Principal& actor, const RegisterRecord& r);

  // 即时开具: the holder (self.licences) generates an instant proof from the register data now.
  // A valid earlier proof of the same type and purpose is superseded. kNotFound
  // proofs.unknown_type, proofs.no_register_data, proofs.no_holder; kInvalidArgument
  // proofs.purpose_required, proofs.purpose_too_long; kFailedPrecondition proofs.not_instant,
  // proofs.wrong_holder_kind, seal.department_has_no_seal.
  Result<Proof> Generate(const identity::Principal& actor, const std::string& type_code,
                         const std::string& purpose);
  // 网上申请: the holder applies for an online proof. As Generate, plus kFailedPrecondition
  // proofs.not_online and kInvalidArgument proofs.input_required (field errors).
  Result<Proof> Apply(const identity::Principal& actor, const std::string& type_code,
                      const std::string& purpose, const std::map<std::string, std::string>& inputs);
  // The holder's own proofs, newest first (self.licences).
  Result<std::vector<Proof>> Mine(const identity::Principal& actor);
  // Pending applications of the departments in the actor's scope, oldest first (proofs.review).
  Result<std::vector<Proof>> ReviewQueue(const identity::Principal& actor);
  // Staff lookup (proofs.review, departments in scope), newest first, at most 200: by status
  // and by `text` — a proof number, a verification code or a holder's 身份证号 / 统一社会信用代码
  // (exact, any letter case) or part of the holder's name. kInvalidArgument proofs.bad_status.
  Result<std::vector<Proof>> Search(const identity::Principal& actor, const std::string& status,
                                    const std::string& text);
  // Approves and issues (signs) a pending proof. kPermissionDenied identity.out_of_scope
  // (another department's proof); kFailedPrecondition proofs.not_pending; kNotFound
  // proofs.not_found.
  Result<Proof> Approve(const identity::Principal& actor, const std::string& id);
  // Refuses a pending proof with a reason (1–200 characters, proofs.reason_required).
  Result<Proof> Reject(const identity::Principal& actor, const std::string& id,
                       const std::string& reason);
  // Revokes a valid proof (proofs.review in scope): its status-list bit is set.
  // kFailedPrecondition proofs.not_valid (already revoked, superseded or never issued).
  Result<Proof> Revoke(const identity::Principal& actor, const std::string& id,
                       const std::string& reason);
  // One proof: its holder, or staff with proofs.review over its department.
  Result<Proof> Get(const identity::Principal& actor, const std::string& id);
  // The proof as a PDF (holder or issuing staff); audited. kFailedPrecondition
  // proofs.not_issued for a pending or rejected one.
  Result<std::string> Pdf(const identity::Principal& actor, const std::string& id);

  // Public (no login): the status of the proof with verification code `code` and its minimum
  // fields, masked. An unknown code answers status "unknown". kInvalidArgument proofs.bad_code
  // when `code` cannot be a verification code.
  Result<PublicVerification> VerifyCode(const std::string& code);
  // Public: checks a QR payload's signature with the key it names (seal.no_such_key) and
  // reports the proof's current status. kInvalidArgument proofs.bad_qr_payload;
  // kFailedPrecondition proofs.bad_signature.
  Result<QrVerification> VerifyQr(const std::string& payload);
  // Public: the revocation status list of issuing department `department_id`.
  // kNotFound proofs.no_such_department.
  Result<StatusListDoc> StatusList(const std::string& department_id);
  // Checks a stored proof's seal signature over its signed JSON (for tests and operators).
  Result<void> VerifyStoredSignature(const std::string& id);

  const ProofServiceOptions& options() const { return options_; }

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  seal::SealService& seals_;
  ProofServiceOptions options_;
};

// Checks a 事由: trimmed, 1–200 characters. kInvalidArgument proofs.purpose_required,
// proofs.purpose_too_long (field "purpose").
Result<std::string> CheckPurpose(const std::string& purpose);

// True when `code` is 16 characters of the verification alphabet (no 0 O 1 I L).
bool IsVerificationCode(std::string_view code);

}  // namespace onestop::proofs
