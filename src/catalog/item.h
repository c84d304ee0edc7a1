// Catalogue (事项目录): one service item (政务服务事项) as a county publishes it in its 办事指南
// (standards.md §4), with its materials, form fields and process steps. Plain values: the
// service (catalog_service.h) validates, stores and versions them; cases/ files against a
// fixed version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace onestop::catalog {

// Unit of a time limit. Cases count 工作日 on the working-day calendar (Civil Code art. 201:
// the day of acceptance is not counted) and 自然日 on the plain calendar.
enum class LimitUnit { kWorkingDays, kNaturalDays };

struct TimeLimit {
  int value = 0;  // 0 = decided on the spot (即办件)
  LimitUnit unit = LimitUnit::kWorkingDays;
  std::string note;  // 说明, e.g. "受理之日起20个工作日"
  bool operator==(const TimeLimit&) const = default;
};

// 是否必备 as implementations extend it: 必要 / 非必要 / 容缺后补.
enum class MaterialNeed {
  kRequired,   // 必要
  kOptional,   // 非必要
  kDeferable,  // 容缺后补: may be missing at acceptance on a written pledge (容缺受理)
};

// 来源渠道 (GB/T 39046): 10 申请人自备, 20 政府部门核发, 99 其他.
enum class SourceChannel { kApplicant = 10, kGovernment = 20, kOther = 99 };

struct Material {
  std::string key;   // semantic key for merging in bundles, e.g. "doc.householdRegister"
  std::string name;  // 材料名称
  MaterialNeed need = MaterialNeed::kRequired;
  int originals = 0;               // 原件份数 0–99
  int copies = 0;                  // 复印件份数 0–99
  std::string paper_size = "A4";   // 纸质规格: "A4" / "A3" / "" (electronic only)
  SourceChannel source = SourceChannel::kApplicant;
  std::string issuer;              // 出具机构, may be ""
  std::string licence_type;        // 电子证照 type code that can stand in for it, or ""
  std::string blank_form_url;      // 空白表格, may be ""
  std::string sample_url;          // 示例样表, may be ""
  std::string note;                // 填报须知 / 受理标准
  bool operator==(const Material&) const = default;
};

enum class FieldType {
  kText,      // max_length applies
  kNumber,    // min/max apply
  kDate,      // YYYY-MM-DD
  kIdNumber,  // 公民身份号码, checked (core/id_number.h)
  kUscc,      // 统一社会信用代码, checked (core/uscc.h)
  kPhone,     // 11-digit mobile number starting with 1
  kRegion,    // 行政区划代码 in the shipped table
  kSelect,    // one of `options`
  kBoolean,
};

struct FormField {
  std::string key;    // semantic key, e.g. "applicant.idNumber", "child.birthDate"
  std::string label;  // Chinese label shown on the form
  FieldType type = FieldType::kText;
  bool required = true;
  std::vector<std::string> options;  // kSelect only
  int max_length = 100;              // kText only
  std::optional<double> min, max;    // kNumber only
  std::string hint;                  // help text under the field, may be ""
  bool operator==(const FormField&) const = default;
};

// One step of an item's back-office process (受理 → 审查 → 决定 → 办结 or the item's own).
struct Step {
  std::string name;             // "审查"
  std::string role;             // identity role code that acts on it, e.g. "reviewer"
  std::string department_code;  // department that acts; "" = the item's department
  std::optional<int> limit_working_days;  // 环节时限, may be absent
  bool operator==(const Step&) const = default;
};

// What the item issues when it is approved (结果名称 / 审批结果类型).
struct ItemResult {
  std::string name;           // "出生医学证明"
  std::string material_key;   // the material it produces for later items, e.g. "doc.birthCert"
  std::string licence_type;   // 电子证照 type issued, or ""
  std::vector<std::string> fields;  // result field names later items may map from
  bool operator==(const ItemResult&) const = default;
};

struct Item {
  // Identity. `code` is the 实施编码 (31 characters); versions count from 1.
  std::string code;        // 实施编码 = 实施主体 USCC (18) + 行使层级 (1) + 基本编码 (12)
  std::string basic_code;  // 基本编码 (12) = catalogue prefix (2) + 事项类型 (2) + 主项 (5) + 子项 (3)
  int version = 0;
  std::string name;             // 事项名称
  std::string department_code;  // 实施主体 (a department code in identity)

  // GB/T 39046 附录A code sets.
  std::string item_type = "01";           // A.1 事项类型 "01" 行政许可 … "20" 公共服务
  int level = 4;                          // A.2 行使层级 1–7
  std::vector<int> service_objects{1};    // A.4 服务对象 1–6
  std::vector<int> handling_forms{1};     // A.5 办理形式 1,2,3,4,9
  int case_type = 2;                      // A.6 办件类型 1 即办件, 2 承诺件, 9 其他

  TimeLimit statutory_limit;  // 法定办结时限
  TimeLimit promised_limit;   // 承诺办结时限 (≤ 法定)

  bool charged = false;          // 是否收费
  std::int64_t fee_fen = 0;      // 收费标准 in fen
  std::string fee_basis;         // 收费依据 (required when charged)
  bool online_payment = false;   // 是否支持网上支付

  int online_depth = 1;          // 网上办理深度 1–4 (Ⅳ = 全程网办 ⇒ 0 visits)
  int visits = 1;                // 到办事现场次数
  std::string onsite_reason;     // 必须现场办理原因说明 (only when visits > 0)
  bool mail_application = false; // 物流快递 / 邮寄申请

  std::string conditions;   // 受理条件
  std::string legal_basis;  // 设定依据
  std::string explanation;  // 一说明: free text for the applicant
  ItemResult result;

  bool appointment = false;         // 是否支持预约
  bool express_delivery = false;    // 结果快递送达
  bool commitment_allowed = false;  // 告知承诺 allowed
  bool deemed_approval_allowed = false;       // 超时默认 allowed
  std::optional<int> deemed_approval_days;    // its own limit in working days

  std::vector<Material> materials;
  std::vector<FormField> fields;
  std::vector<Step> steps;  // at least one; the first is 受理

  bool operator==(const Item&) const = default;
};

// Short names for the code sets, for messages and pages ("行政许可", "承诺件" …).
const char* ItemTypeName(const std::string& code);
const char* LevelName(int level);
const char* ServiceObjectName(int code);
const char* HandlingFormName(int code);
const char* CaseTypeName(int code);
const char* DepthName(int depth);  // "事项公开（Ⅰ级）" … "全程网办（Ⅳ级）"
const char* LimitUnitCode(LimitUnit u);      // "working_days" / "natural_days"
const char* MaterialNeedCode(MaterialNeed n);  // "required" / "optional" / "deferable"
const char* FieldTypeCode(FieldType t);        // "text", "number", "date", "idNumber", …
Result<LimitUnit> ParseLimitUnit(std::string_view code);
Result<MaterialNeed> ParseMaterialNeed(std::string_view code);
Result<FieldType> ParseFieldType(std::string_view code);

}  // namespace onestop::catalog
