// Proofs (证明): the values of the proofs module — proof types (instant from a data register,
// or applied for online and reviewed), data-register records, and issued proofs with their
// verification code, status-list slot and seal signature. ProofService (proof_service.h) acts
// on them; the QR payload is qr_payload.h and the revocation list status_list.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace onestop::proofs {

enum class ProofMode {
  kInstant,  // 即时开具: generated at once from a data register
  kOnline,   // 网上申请: apply → department review → issue
};
const char* ProofModeCode(ProofMode m);                   // "instant" / "online"
Result<ProofMode> ParseProofMode(std::string_view code);  // kInvalidArgument proofs.bad_mode

enum class ProofStatus {
  kPending,     // 待审核 (online, applied)
  kValid,       // 有效
  kRejected,    // 不予出具
  kRevoked,     // 已撤销 (its status-list bit is set)
  kSuperseded,  // 已被新证明替代 (a newer proof of the same type and purpose)
};
const char* ProofStatusCode(ProofStatus s);  // "pending" / "valid" / …
const char* ProofStatusName(ProofStatus s);  // Chinese
Result<ProofStatus> ParseProofStatus(std::string_view code);

// A line of the proof's table: `value` in a type is a template ({{holder.name}} …).
struct FieldTemplate {
  std::string label;
  std::string value;
};

// A value the applicant gives when applying online (e.g. 户籍地址).
struct InputField {
  std::string key;    // [a-zA-Z0-9_]{1,32}; used as {{input.<key>}}
  std::string label;  // Chinese
  bool required = true;
};

// 证明类型. Templates use {{name}} placeholders: holder.name, holder.code, holder.codeType,
// purpose, issuer, issuedDate, validUntil, register.name, register.source, register.asOf,
// data.<key> (a scalar), data.<key>.count, data.<key>.exists (有 / 无), data.<key>.list (the
// items of an array of objects, "；"-joined), input.<key>. An unknown name renders as "—".
struct ProofType {
  std::string code;  // [a-z0-9_]{2,40}, e.g. "no_property"
  std::string name;  // e.g. "有无房产证明"
  std::string department_id;
  std::string department_name;  // read from the department; ignored on DefineType
  ProofMode mode = ProofMode::kInstant;
  std::string register_code;           // instant: the register it reads; "" for online
  std::string holder_kind = "person";  // person / enterprise
  std::string body_template;           // paragraphs separated by "\n"
  std::vector<FieldTemplate> fields;
  std::vector<InputField> inputs;  // online only
  int validity_days = 90;          // 1–3650
  std::string seal_title = "证明专用章";
  bool active = true;
};

// One record of a data register the platform holds (不动产登记, 住房公积金, 无偿献血 …).
struct RegisterRecord {
  std::string id;
  std::string register_code;  // e.g. "property"
  std::string register_name;  // e.g. "不动产登记"
  std::string
      subject_code_type;  // GB/T 36903 持证主体代码类型: "111" 身份证, "001" 统一社会信用代码
  std::string subject_code;      // the 身份证号 / 统一社会信用代码
  std::string data_json = "{}";  // a JSON object
  std::string source_department_id;
  std::string source_name;  // the department's name (read on PutRecord)
  std::string as_of;        // YYYY-MM-DD: the data is true as of this day
  Millis updated_at_ms = 0;
};

// A filled line of an issued proof.
struct ProofField {
  std::string label;
  std::string value;
};

struct Proof {
  std::string id;      // ULID
  std::string number;  // 证明编号 ZM<YYYYMMDD><6 digits>; "" until issued
  std::string type_code, type_name;
  ProofMode mode = ProofMode::kInstant;
  std::string department_id, issuer_name;
  std::string holder_kind;  // person / enterprise
  std::string holder_party_id, holder_user_id, holder_name;
  std::string holder_code_type, holder_code;  // whole; masked wherever shown publicly
  std::string purpose;                        // 事由, 1–200 characters
  std::map<std::string, std::string> inputs;  // online application values
  std::vector<ProofField> fields;             // as issued
  std::string body;                           // as issued, paragraphs separated by "\n"
  std::string sources_json = "[]";            // [{register, registerName, source, asOf}]
  ProofStatus status = ProofStatus::kPending;
  std::string reason;                        // why rejected / revoked
  std::string verification_code;             // 16 characters, unambiguous alphabet; "" until issued
  std::optional<std::int64_t> status_index;  // bit in the issuer's status list
  std::string seal_id, key_id, sign_alg;
  std::string signature;    // base64 of the seal signature over signed_json
  std::string signed_json;  // the RFC 8785 canonical JSON that was signed
  std::string qr_payload;   // OSP1.<claims>.<signature>
  Millis applied_at_ms = 0;
  std::optional<Millis> issued_at_ms, valid_until_ms;
  std::string decided_by;     // reviewer user id (online), "" otherwise
  std::string superseded_by;  // id of the newer proof
  std::int64_t version = 1;
};

// What the public verification page shows: the status and the minimum fields, masked.
struct PublicVerification {
  std::string status;       // valid / revoked / superseded / expired / pending / unknown
  std::string status_name;  // Chinese
  std::string verification_code;
  std::string number, type_name, issuer_name;
  std::string holder_name_masked;  // 张*三
  std::string holder_code_masked;  // 430104********1234
  std::optional<Millis> issued_at_ms, valid_until_ms;
  std::string seal_id, key_id;
};

}  // namespace onestop::proofs
