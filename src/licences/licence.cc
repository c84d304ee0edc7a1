#include "licences/licence.h"

#include "core/id_number.h"
#include "core/text.h"

namespace onestop::licences {

const char* HolderTypeCode(HolderType t) {
  switch (t) {
    case HolderType::kPerson:
      return "111";
    case HolderType::kEnterprise:
      return "001";
  }
  return "";
}

const char* HolderTypeName(HolderType t) {
  switch (t) {
    case HolderType::kPerson:
      return "公民身份号码";
    case HolderType::kEnterprise:
      return "统一社会信用代码";
  }
  return "";
}

Result<HolderType> ParseHolderType(std::string_view code) {
  if (code == "111") return HolderType::kPerson;
  if (code == "001") return HolderType::kEnterprise;
  return InvalidArgument("licences.bad_holder_type",
                         "持证主体代码类型“" + std::string(code) +
                             "”应为 111（公民身份号码）或 001（统一社会信用代码）");
}

const char* FieldTypeCode(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kDate:
      return "date";
    case FieldType::kNumber:
      return "number";
    case FieldType::kIdNumber:
      return "id_number";
    case FieldType::kUscc:
      return "uscc";
  }
  return "";
}

Result<FieldType> ParseFieldType(std::string_view code) {
  for (FieldType t : {FieldType::kText, FieldType::kDate, FieldType::kNumber, FieldType::kIdNumber,
                      FieldType::kUscc}) {
    if (code == FieldTypeCode(t)) return t;
  }
  return InvalidArgument(
      "licences.bad_field_type",
      "照面字段类型“" + std::string(code) + "”应为 text、date、number、id_number 或 uscc");
}

namespace {
constexpr LicenceStatus kStatuses[] = {LicenceStatus::kValid,     LicenceStatus::kSuspended,
                                       LicenceStatus::kRevoked,   LicenceStatus::kCancelled,
                                       LicenceStatus::kExpired,   LicenceStatus::kWithdrawn,
                                       LicenceStatus::kSuperseded};
}  // namespace

const char* LicenceStatusCode(LicenceStatus s) {
  switch (s) {
    case LicenceStatus::kValid:
      return "valid";
    case LicenceStatus::kSuspended:
      return "suspended";
    case LicenceStatus::kRevoked:
      return "revoked";
    case LicenceStatus::kCancelled:
      return "cancelled";
    case LicenceStatus::kExpired:
      return "expired";
    case LicenceStatus::kWithdrawn:
      return "withdrawn";
    case LicenceStatus::kSuperseded:
      return "superseded";
  }
  return "";
}

const char* LicenceStatusName(LicenceStatus s) {
  switch (s) {
    case LicenceStatus::kValid:
      return "有效";
    case LicenceStatus::kSuspended:
      return "暂扣";
    case LicenceStatus::kRevoked:
      return "撤销";
    case LicenceStatus::kCancelled:
      return "注销";
    case LicenceStatus::kExpired:
      return "失效";
    case LicenceStatus::kWithdrawn:
      return "吊销";
    case LicenceStatus::kSuperseded:
      return "已换发";
  }
  return "";
}

Result<LicenceStatus> ParseLicenceStatus(std::string_view code) {
  for (LicenceStatus s : kStatuses) {
    if (code == LicenceStatusCode(s)) return s;
  }
  return InvalidArgument("licences.bad_status",
                         "证照状态“" + std::string(code) +
                             "”应为 valid、suspended、revoked、cancelled、expired、withdrawn 之一");
}

boost::json::value SignedDocument(const Licence& l) {
  // GB/T 36903 element names in camelCase; every value a string except the version.
  boost::json::object metadata{
      {"identifier", l.identifier},
      {"name", l.name},
      {"typeCode", l.type_code},
      {"typeName", l.type_name},
      {"number", l.number},
      {"version", l.version},
      {"issuerName", l.issuer_name},
      {"issuerCode", l.issuer_uscc},
      {"issueDate", l.issue_date},
      {"validFrom", l.valid_from},
      {"validTo", l.valid_to},
      {"regionCode", l.region_code},
      {"holderName", l.holder_name},
      {"holderCode", l.holder_code},
      {"holderCodeType", HolderTypeCode(l.holder_type)},
      {"itemCode", l.item_code},
      {"itemName", l.item_name},
  };
  return boost::json::object{{"metadata", std::move(metadata)}, {"face", l.face}};
}

const char* VerifyResultCode(VerifyResult r) {
  switch (r) {
    case VerifyResult::kValid:
      return "valid";
    case VerifyResult::kSuspended:
      return "suspended";
    case VerifyResult::kRevoked:
      return "revoked";
    case VerifyResult::kCancelled:
      return "cancelled";
    case VerifyResult::kExpired:
      return "expired";
    case VerifyResult::kWithdrawn:
      return "withdrawn";
    case VerifyResult::kSuperseded:
      return "superseded";
    case VerifyResult::kTampered:
      return "tampered";
    case VerifyResult::kUnknown:
      return "unknown";
  }
  return "";
}

const char* VerifyResultName(VerifyResult r) {
  switch (r) {
    case VerifyResult::kValid:
      return "有效";
    case VerifyResult::kSuspended:
      return "暂扣";
    case VerifyResult::kRevoked:
      return "已撤销";
    case VerifyResult::kCancelled:
      return "已注销";
    case VerifyResult::kExpired:
      return "已失效";
    case VerifyResult::kWithdrawn:
      return "已吊销";
    case VerifyResult::kSuperseded:
      return "已换发新版本";
    case VerifyResult::kTampered:
      return "数据被篡改";
    case VerifyResult::kUnknown:
      return "查无此证";
  }
  return "";
}

std::string MaskHolderName(std::string_view name) {
  const std::size_t n = text::CountCodePoints(name);
  if (n == 0) return "";
  std::string out(text::CodePointAt(name, 0));
  for (std::size_t i = 1; i < n; ++i) out += "*";
  return out;
}

std::string MaskHolderCode(HolderType t, std::string_view code) {
  if (t == HolderType::kPerson) return MaskIdNumber(code);
  if (code.size() <= 10) return std::string(code.size(), '*');
  return std::string(code.substr(0, 8)) + std::string(code.size() - 10, '*') +
         std::string(code.substr(code.size() - 2));
}

}  // namespace onestop::licences
