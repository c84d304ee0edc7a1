#include "catalog/item.h"

namespace onestop::catalog {

const char* ItemTypeName(const std::string& code) {
  static const char* const kNames[] = {
      "行政权力事项", "行政许可", "行政处罚", "行政强制", "行政征收",     "行政给付",
      "行政检查",     "行政确认", "行政奖励", "行政裁决", "其他类别事项",
  };
  if (code.size() != 2 || code[0] < '0' || code[0] > '2' || code[1] < '0' || code[1] > '9') {
    return "";
  }
  const int n = (code[0] - '0') * 10 + (code[1] - '0');
  if (n <= 10) return kNames[n];
  // GB/T 39046 表A.1 leaves 11… and 21… open for local extensions (e.g. 政府内部审批).
  if (n < 20) return "其他行政权力事项";
  if (n == 20) return "公共服务事项";
  return "其他公共服务事项";
}

const char* LevelName(int level) {
  switch (level) {
    case 1:
      return "国家级";
    case 2:
      return "省级";
    case 3:
      return "市级";
    case 4:
      return "县级";
    case 5:
      return "镇（乡、街道）级";
    case 6:
      return "村（社区）级";
    case 7:
      return "分级管理";
  }
  return "";
}

const char* ServiceObjectName(int code) {
  switch (code) {
    case 1:
      return "自然人";
    case 2:
      return "企业法人";
    case 3:
      return "事业法人";
    case 4:
      return "社会组织法人";
    case 5:
      return "行政机关";
    case 6:
      return "其他组织";
  }
  return "";
}

const char* HandlingFormName(int code) {
  switch (code) {
    case 1:
      return "窗口办理";
    case 2:
      return "电脑端网上办理";
    case 3:
      return "移动端网上申请";
    case 4:
      return "快递申请";
    case 9:
      return "其他";
  }
  return "";
}

const char* CaseTypeName(int code) {
  switch (code) {
    case 1:
      return "即办件";
    case 2:
      return "承诺件";
    case 9:
      return "其他";
  }
  return "";
}

const char* DepthName(int depth) {
  switch (depth) {
    case 1:
      return "事项公开（Ⅰ级）";
    case 2:
      return "在线预审（Ⅱ级）";
    case 3:
      return "在线申办（Ⅲ级）";
    case 4:
      return "全程网办（Ⅳ级）";
  }
  return "";
}

const char* LimitUnitCode(LimitUnit u) {
  switch (u) {
    case LimitUnit::kWorkingDays:
      return "working_days";
    case LimitUnit::kNaturalDays:
      return "natural_days";
  }
  return "";
}

const char* MaterialNeedCode(MaterialNeed n) {
  switch (n) {
    case MaterialNeed::kRequired:
      return "required";
    case MaterialNeed::kOptional:
      return "optional";
    case MaterialNeed::kDeferable:
      return "deferable";
  }
  return "";
}

const char* FieldTypeCode(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kNumber:
      return "number";
    case FieldType::kDate:
      return "date";
    case FieldType::kIdNumber:
      return "idNumber";
    case FieldType::kUscc:
      return "uscc";
    case FieldType::kPhone:
      return "phone";
    case FieldType::kRegion:
      return "region";
    case FieldType::kSelect:
      return "select";
    case FieldType::kBoolean:
      return "boolean";
  }
  return "";
}

Result<LimitUnit> ParseLimitUnit(std::string_view code) {
  for (LimitUnit u : {LimitUnit::kWorkingDays, LimitUnit::kNaturalDays}) {
    if (code == LimitUnitCode(u)) return u;
  }
  return InvalidArgument("catalog.bad_limit_unit",
                         "时限单位应为 working_days（工作日）或 natural_days（自然日）");
}

Result<MaterialNeed> ParseMaterialNeed(std::string_view code) {
  for (MaterialNeed n :
       {MaterialNeed::kRequired, MaterialNeed::kOptional, MaterialNeed::kDeferable}) {
    if (code == MaterialNeedCode(n)) return n;
  }
  return InvalidArgument(
      "catalog.bad_material_need",
      "是否必备应为 required（必要）、optional（非必要）或 deferable（容缺后补）");
}

Result<FieldType> ParseFieldType(std::string_view code) {
  for (FieldType t : {FieldType::kText, FieldType::kNumber, FieldType::kDate, FieldType::kIdNumber,
                      FieldType::kUscc, FieldType::kPhone, FieldType::kRegion, FieldType::kSelect,
                      FieldType::kBoolean}) {
    if (code == FieldTypeCode(t)) return t;
  }
  return InvalidArgument("catalog.bad_field_type",
                         "字段类型应为 text、number、date、idNumber、uscc、phone、region、select "
                         "或 boolean");
}

}  // namespace onestop::catalog
