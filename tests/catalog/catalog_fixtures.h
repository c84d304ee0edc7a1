// Test data for the catalog tests: valid items built from real code structures, and a small
// 出生一件事 (birth bundle) with a dependency chain, a mapping and two situations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/bundle.h"
#include "catalog/item.h"
#include "core/uscc.h"

namespace onestop::catalog::testing {

// A 统一社会信用代码 with a correct check character for the 17 characters given.
inline std::string MakeUscc(const std::string& first17) { return first17 + UsccCheckChar(first17); }

// 实施编码 = USCC (18) + 行使层级 (1) + 基本编码 (12).
inline std::string MakeItemCode(const std::string& uscc, int level, const std::string& basic) {
  return uscc + std::to_string(level) + basic;
}

inline const std::string kWjwUscc = MakeUscc("11430100MB1A2B3C4");  // 卫健委
inline const std::string kGajUscc = MakeUscc("11430100MB2D4E5F6");  // 公安局
inline const std::string kYbjUscc = MakeUscc("11430100MB3G6H7J8");  // 医保局

inline Material Mat(const std::string& key, const std::string& name, int originals = 1,
                    int copies = 0, MaterialNeed need = MaterialNeed::kRequired) {
  Material m;
  m.key = key;
  m.name = name;
  m.need = need;
  m.originals = originals;
  m.copies = copies;
  return m;
}

inline FormField Field(const std::string& key, const std::string& label,
                       FieldType type = FieldType::kText) {
  FormField f;
  f.key = key;
  f.label = label;
  f.type = type;
  return f;
}
inline FormField Text(const std::string& key, const std::string& label) {
  return Field(key, label);
}

inline Step StepOf(const std::string& name, const std::string& role,
                   std::optional<int> limit = std::nullopt) {
  Step s;
  s.name = name;
  s.role = role;
  s.limit_working_days = limit;
  return s;
}

// A valid 行政许可 of the city level with one material, one field and one step.
inline Item ValidItem(const std::string& uscc = kWjwUscc, const std::string& basic = "000100001000",
                      const std::string& name = "测试许可事项",
                      const std::string& department = "HN-CS-WJW") {
  Item item;
  item.basic_code = basic;
  item.item_type = basic.substr(2, 2);
  item.level = 3;
  item.code = MakeItemCode(uscc, item.level, basic);
  item.name = name;
  item.department_code = department;
  item.service_objects = {1};
  item.handling_forms = {1, 2};
  item.case_type = 2;
  item.statutory_limit = {20, LimitUnit::kWorkingDays, "受理之日起20个工作日"};
  item.promised_limit = {5, LimitUnit::kWorkingDays, "受理之日起5个工作日"};
  item.online_depth = 3;
  item.visits = 1;
  item.onsite_reason = "须现场核验身份";
  item.conditions = "申请人为本市户籍居民";
  item.legal_basis = "《中华人民共和国行政许可法》";
  item.materials = {Mat("doc.idCard", "申请人身份证", 1, 1)};
  item.fields = {Field("applicant.idNumber", "申请人身份证号", FieldType::kIdNumber)};
  item.steps = {StepOf("受理", "counter_clerk"), StepOf("审查", "reviewer", 3)};
  return item;
}

// 出生一件事: 出生医学证明 → 户口登记 → 医保参保; 预防接种 on its own.
struct BirthBundle {
  Item cert, vaccine, hukou, insurance;
  Bundle bundle;

  std::vector<Item> Items() const { return {cert, vaccine, hukou, insurance}; }
};

inline BirthBundle MakeBirthBundle() {
  BirthBundle b;
  b.cert = ValidItem(kWjwUscc, "000700001000", "出生医学证明签发", "HN-CS-WJW");
  b.cert.promised_limit = {5, LimitUnit::kWorkingDays, ""};
  b.cert.result = {"出生医学证明", "doc.birthCert", "", {"certNo", "childName"}};
  b.cert.materials = {Mat("doc.idCard", "父母身份证", 1, 1), Mat("doc.marriageCert", "结婚证"),
                      Mat("doc.birthRecord", "住院分娩记录")};
  b.cert.fields = {Field("applicant.idNumber", "申请人身份证号", FieldType::kIdNumber),
                   Text("child.name", "新生儿姓名"),
                   Field("child.birthDate", "出生日期", FieldType::kDate)};

  b.vaccine = ValidItem(kWjwUscc, "002000002000", "预防接种证办理", "HN-CS-WJW");
  b.vaccine.promised_limit = {1, LimitUnit::kWorkingDays, ""};
  b.vaccine.case_type = 1;
  b.vaccine.materials = {Mat("doc.idCard", "监护人身份证", 1, 2)};
  b.vaccine.fields = {Text("child.name", "儿童姓名"), Text("guardian.phone", "联系电话")};

  b.hukou = ValidItem(kGajUscc, "000700003000", "出生户口登记", "HN-CS-GAJ");
  b.hukou.promised_limit = {10, LimitUnit::kWorkingDays, ""};
  b.hukou.result = {"居民户口簿（新生儿页）", "doc.householdPage", "", {"householdNo"}};
  b.hukou.materials = {Mat("doc.idCard", "父母身份证"), Mat("doc.birthCert", "出生医学证明"),
                       Mat("doc.householdRegister", "户口簿"),
                       Mat("doc.marriageCert", "结婚证", 0, 1, MaterialNeed::kDeferable)};
  b.hukou.fields = {Field("applicant.idNumber", "申报人身份证号", FieldType::kIdNumber),
                    Text("child.name", "新生儿姓名"),
                    Text("child.birthCertNo", "出生医学证明编号")};

  b.insurance = ValidItem(kYbjUscc, "002000004000", "城乡居民医保参保登记", "HN-CS-YBJ");
  b.insurance.promised_limit = {7, LimitUnit::kNaturalDays, ""};  // = 5 working days
  b.insurance.statutory_limit = {15, LimitUnit::kNaturalDays, ""};
  b.insurance.visits = 0;
  b.insurance.onsite_reason = "";
  b.insurance.materials = {Mat("doc.householdPage", "户口簿新生儿页"),
                           Mat("doc.idCard", "监护人身份证")};
  b.insurance.fields = {Text("child.name", "参保人姓名"), Text("child.householdNo", "户号")};

  Bundle& d = b.bundle;
  d.code = "birth";
  d.name = "出生一件事";
  d.category = "person";
  d.description = "新生儿出生医学证明、预防接种、户口登记、医保参保一次办";
  d.department_code = "HN-CS-XSPJ";
  d.situations = {
      {"married", "父母是否已登记结婚？", {{"yes", "是", {}}, {"no", "否", {"doc.marriageCert"}}}},
      {"insure", "是否为新生儿办理医保参保？", {{"yes", "是", {}}, {"no", "否", {}}}},
  };
  d.items = {{b.cert.code, {}, true},
             {b.vaccine.code, {}, false},
             {b.hukou.code, {}, true},
             {b.insurance.code, {"insure=yes"}, false}};
  d.edges = {{b.cert.code, b.hukou.code, {{"certNo", "child.birthCertNo"}}},
             {b.hukou.code, b.insurance.code, {{"householdNo", "child.householdNo"}}}};
  return b;
}

}  // namespace onestop::catalog::testing
