// Licence library (电子证照库) plain types: licence types (证照目录), licences with their
// GB/T 36903 metadata and face data (照面信息), statuses and verification answers.
// The service is in licences/licence_service.h; bulk import in licences/licence_import.h.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace onestop::licences {

// 持证主体代码类型 (GB/T 36903-2018 Annex A).
enum class HolderType {
  kPerson,      // "111" 公民身份号码
  kEnterprise,  // "001" 统一社会信用代码
};
const char* HolderTypeCode(HolderType t);  // "111" / "001"
const char* HolderTypeName(HolderType t);  // "公民身份号码" / "统一社会信用代码"
Result<HolderType> ParseHolderType(std::string_view code);  // licences.bad_holder_type

// The type of one face field; values are checked against it on issue and import.
enum class FieldType {
  kText,
  kDate,      // "YYYY-MM-DD"
  kNumber,    // a JSON number, or a string of a decimal number
  kIdNumber,  // 公民身份号码 (GB 11643 check)
  kUscc,      // 统一社会信用代码 (GB 32100 check)
};
const char* FieldTypeCode(FieldType t);  // "text" / "date" / "number" / "id_number" / "uscc"
Result<FieldType> ParseFieldType(std::string_view code);  // licences.bad_field_type

struct FaceField {
  std::string key;    // JSON key in the face data, e.g. "name", "address"
  std::string label;  // Chinese label, e.g. "住址"
  FieldType type = FieldType::kText;
  bool required = false;
  bool operator==(const FaceField&) const = default;
};

// 证照目录 entry.
struct LicenceType {
  std::string code;          // 证照类型代码: definer's USCC (18) + 3 digits
  std::string name;          // 证照类型名称, e.g. "居民户口簿"
  std::string definer_name;  // 证照定义机构, e.g. "中华人民共和国公安部"
  HolderType holder_type = HolderType::kPerson;
  std::vector<FaceField> face_fields;
  int validity_years = 0;               // 0 = 长期 (permanent)
  std::string issuing_department_id;    // its clerks (and those below) issue it; its seal signs
  std::string issuing_department_name;  // read only
  std::string issuer_uscc;              // 颁发机构代码 of the issuing department (18)
  std::vector<std::string> item_codes;  // catalogue items (实施编码) whose result it is
  std::vector<std::string>
      material_keys;  // materials it stands in for, e.g. "doc.householdRegister"
  Millis created_at_ms = 0;
  Millis updated_at_ms = 0;
  std::int64_t version = 1;  // optimistic lock; send it back on update
};

enum class LicenceStatus {
  kValid,       // 有效
  kSuspended,   // 暂扣 (may be reinstated)
  kRevoked,     // 撤销
  kCancelled,   // 注销
  kExpired,     // 失效
  kWithdrawn,   // 吊销
  kSuperseded,  // 已换发新版本 (set by NewVersion only)
};
const char* LicenceStatusCode(LicenceStatus s);  // "valid", "suspended", …, "superseded"
const char* LicenceStatusName(LicenceStatus s);  // "有效", "暂扣", …, "已换发"
Result<LicenceStatus> ParseLicenceStatus(std::string_view code);  // licences.bad_status

// One licence version (a row). Dates are "YYYY-MM-DD" (China Standard Time).
struct Licence {
  // GB/T 36903 metadata.
  std::string identifier;  // 证照标识 (GB/T 36904)
  std::string name;        // 证照名称 (the type's name)
  std::string type_code, type_name;
  std::string number;                    // 证照编号
  int version = 1;                       // 证照版本号 (001…)
  std::string serial;                    // 流水号 of the identifier
  std::string issuer_name, issuer_uscc;  // 证照颁发机构 / 代码
  std::string issuing_department_id;     // whose seal signed it (the type's issuing department)
  std::string issued_by_department_id;   // the clerk's department (the same or below)
  std::string issue_date;                // 证照颁发日期
  std::string valid_from;                // 证照有效期起始
  std::string valid_to;                  // 证照有效期截止; "" = 长期
  std::string region_code;               // 证照所属管辖属地编码 (6 digits)
  std::string holder_name;               // 持证主体
  std::string holder_code;               // 持证主体代码
  HolderType holder_type = HolderType::kPerson;  // 持证主体代码类型
  std::string item_code, item_name;              // 关联事项代码 / 名称, may be ""
  boost::json::object face;                      // 照面信息

  LicenceStatus status = LicenceStatus::kValid;
  std::string status_reason;                       // of the last status change
  std::optional<std::string> previous_identifier;  // the version this one replaced
  std::optional<std::string> superseded_by;        // the version that replaced this one
  std::optional<std::string> case_id;              // when issued on approval of a case item

  // Signature (数字签名) over CanonicalJson(SignedDocument(licence)).
  std::string seal_id, key_id, sign_alg;  // sign_alg "SM2-SM3"
  std::string signature_b64;              // base64 of the raw signature
  Millis signed_at_ms = 0;

  Millis created_at_ms = 0;
  Millis updated_at_ms = 0;
  std::int64_t row_version = 1;  // optimistic lock of the row
};

// The JSON document whose RFC 8785 canonical form is signed: {"metadata":{…},"face":{…}}.
// Status, signature and bookkeeping fields are not part of it.
boost::json::value SignedDocument(const Licence& l);

// What Verify answers.
enum class VerifyResult {
  kValid,
  kSuspended,
  kRevoked,
  kCancelled,
  kExpired,  // status 失效, or valid_to has passed
  kWithdrawn,
  kSuperseded,
  kTampered,  // the stored row no longer matches its signature (or a wrong key signed it)
  kUnknown,   // no such identifier (or not a well-formed one)
};
const char* VerifyResultCode(VerifyResult r);  // "valid" … "tampered", "unknown"
const char* VerifyResultName(VerifyResult r);  // "有效" … "数据被篡改", "查无此证"

// The minimum a public verifier sees; the holder's code is masked.
struct LicenceSummary {
  std::string identifier, name, type_code, number;
  int version = 1;
  std::string issuer_name, issuer_uscc, issue_date, valid_from, valid_to, region_code;
  std::string holder_name_masked;  // "张*"
  std::string holder_code_masked;  // "430102********123X" / USCC with the middle masked
  HolderType holder_type = HolderType::kPerson;
  LicenceStatus status = LicenceStatus::kValid;
  std::optional<std::string> superseded_by;
};

struct SealSummary {
  std::string seal_id, seal_name, department_name, key_id, alg;
  std::string public_key_pem;
};

struct Verification {
  VerifyResult result = VerifyResult::kUnknown;
  std::string message;  // Chinese, e.g. "证照有效" / "证照数据与签名不符，可能被篡改"
  std::optional<LicenceSummary> licence;
  std::optional<SealSummary> seal;
  Millis checked_at_ms = 0;
};

// Masks for public answers: "张*" / "欧阳**"; id numbers as MaskIdNumber; a USCC keeps the
// first 8 and last 2 characters.
std::string MaskHolderName(std::string_view name);
std::string MaskHolderCode(HolderType t, std::string_view code);

}  // namespace onestop::licences
