// ValidateItem / ValidateBundle: one case per rule of standards.md §4 (and the bundle rules),
// each naming the JSON path and the Chinese message it must produce.
#include "catalog/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "catalog_fixtures.h"
#include "testutil/matchers.h"

namespace onestop::catalog {
namespace {

using ::testing::HasSubstr;
using testing::MakeBirthBundle;
using testing::MakeItemCode;
using testing::MakeUscc;
using testing::ValidItem;
using testutil::IsError;

// Success when `problems` holds an entry for `path` whose message contains `text`.
::testing::AssertionResult HasProblem(const std::vector<FieldError>& problems,
                                      const std::string& path, const std::string& text) {
  for (const FieldError& f : problems) {
    if (f.field == path && f.message.find(text) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  ::testing::AssertionResult r = ::testing::AssertionFailure();
  r << "no problem {" << path << ", …" << text << "…}; got:";
  for (const FieldError& f : problems) r << "\n  {" << f.field << ", " << f.message << "}";
  return r;
}

TEST(ValidateItemTest, TheFixtureItemsAreValid) {
  EXPECT_TRUE(ItemProblems(ValidItem()).empty());
  for (const Item& item : MakeBirthBundle().Items()) {
    std::vector<FieldError> p = ItemProblems(item);
    EXPECT_TRUE(p.empty()) << item.name << ": " << (p.empty() ? "" : p.front().message);
  }
  EXPECT_TRUE(ValidateItem(ValidItem()).has_value());
}

TEST(ValidateItemTest, ARealImplementationCodeFromGuangxiIsAccepted) {
  // 广西灵山县: 11450721MB15580811 + 4 + 000104002000 (standards.md §4.3).
  Item item = ValidItem();
  item.code = "11450721MB155808114000104002000";
  item.basic_code = "000104002000";
  item.item_type = "01";
  item.level = 4;
  EXPECT_TRUE(ItemProblems(item).empty());
}

struct ItemCase {
  const char* name;
  std::function<void(Item&)> change;
  const char* path;
  const char* message;
};

class ItemRuleTest : public ::testing::TestWithParam<ItemCase> {};

TEST_P(ItemRuleTest, ReportsTheProblemAtItsPath) {
  Item item = ValidItem();
  GetParam().change(item);
  Result<void> r = ValidateItem(item);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_item"));
  EXPECT_TRUE(HasProblem(r.error().fields, GetParam().path, GetParam().message));
  EXPECT_THAT(r.error().message, HasSubstr("处问题："));
}

TEST(ValidateItemTest, TheMessageNamesTheItemAndTheFirstProblem) {
  Item item = ValidItem();
  item.visits = -1;
  Result<void> r = ValidateItem(item);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "事项《测试许可事项》有 1 处问题：到办事现场次数应为 0–99");
}

const ItemCase kItemCases[] = {
    // 基本编码 and 实施编码 (standards.md §4.3).
    {"BasicCodeNotTwelveDigits", [](Item& i) { i.basic_code = "00010000100"; }, "basicCode",
     "基本编码应为 12 位数字"},
    {"BasicCodeWithLetters", [](Item& i) { i.basic_code = "00010000100A"; }, "basicCode",
     "12 位数字"},
    {"BasicCodeTypeDiffersFromItemType", [](Item& i) { i.item_type = "07"; }, "basicCode",
     "事项类型）为 01，与事项类型 07 不一致"},
    {"CodeNot31Characters", [](Item& i) { i.code.pop_back(); }, "code", "实施编码应为 31 位"},
    {"CodeWithBadUsccCheckCharacter", [](Item& i) { i.code[17] = i.code[17] == '0' ? '1' : '0'; },
     "code", "实施编码前 18 位应为实施主体的统一社会信用代码"},
    {"CodeWithLowerCaseUscc",
     [](Item& i) {
       i.code = MakeItemCode(MakeUscc("11430100MB1A2B3C4"), 3, i.basic_code);
       for (char& c : i.code) c = static_cast<char>(std::tolower(c));
     },
     "code", "大写"},
    {"CodeLevelDiffersFromLevel", [](Item& i) { i.level = 4; }, "code",
     "实施编码第 19 位（行使层级）为 3，与行使层级 4 不一致"},
    {"CodeTailDiffersFromBasicCode", [](Item& i) { i.basic_code = "000100002000"; }, "code",
     "实施编码后 12 位应与基本编码 000100002000 一致"},
    // Required texts.
    {"NameMissing", [](Item& i) { i.name = " "; }, "name", "事项名称必填"},
    {"NameTooLong", [](Item& i) { i.name = std::string(101 * 3, 'x'); }, "name",
     "不能超过 100 个字"},
    {"DepartmentMissing", [](Item& i) { i.department_code = ""; }, "departmentCode",
     "实施主体（部门编码）必填"},
    // Code sets A.1, A.2, A.4, A.5, A.6.
    {"ItemTypeUnknown",
     [](Item& i) {
       i.item_type = "30";
       i.basic_code = "003000001000";
       i.code = i.code.substr(0, 19) + i.basic_code;
     },
     "itemType", "事项类型 30 不在 GB/T 39046 表A.1 中"},
    {"LevelOutOfRange",
     [](Item& i) {
       i.level = 8;
       i.code[18] = '8';
     },
     "level", "行使层级应为 1–7"},
    {"NoServiceObject", [](Item& i) { i.service_objects.clear(); }, "serviceObjects",
     "服务对象至少选一项"},
    {"UnknownServiceObject",
     [](Item& i) {
       i.service_objects = {1, 7};
     },
     "serviceObjects[1]", "服务对象代码 7 不在 表A.4（1–6） 中"},
    {"RepeatedServiceObject",
     [](Item& i) {
       i.service_objects = {2, 2};
     },
     "serviceObjects[1]", "服务对象 企业法人 重复"},
    {"NoHandlingForm", [](Item& i) { i.handling_forms.clear(); }, "handlingForms",
     "办理形式至少选一项"},
    {"UnknownHandlingForm",
     [](Item& i) {
       i.handling_forms = {1, 5};
     },
     "handlingForms[1]", "办理形式代码 5 不在"},
    {"RepeatedHandlingForm",
     [](Item& i) {
       i.handling_forms = {1, 1};
     },
     "handlingForms[1]", "办理形式 窗口办理 重复"},
    {"UnknownCaseType", [](Item& i) { i.case_type = 3; }, "caseType",
     "办件类型应为 1（即办件）、2（承诺件）或 9（其他）"},
    // Time limits.
    {"NegativeStatutoryLimit", [](Item& i) { i.statutory_limit.value = -1; },
     "statutoryLimit.value", "法定办结时限应为 0–3650 天"},
    {"HugePromisedLimit", [](Item& i) { i.promised_limit.value = 4000; }, "promisedLimit.value",
     "承诺办结时限应为 0–3650 天"},
    {"PromisedOverStatutory", [](Item& i) { i.promised_limit.value = 21; }, "promisedLimit.value",
     "承诺办结时限（21 个工作日）不能超过法定办结时限（20 个工作日）"},
    {"PromisedOverStatutoryAcrossUnits",
     [](Item& i) {
       // 20 natural days = ⌈100/7⌉ = 15 working days < 16.
       i.statutory_limit = {20, LimitUnit::kNaturalDays, ""};
       i.promised_limit = {16, LimitUnit::kWorkingDays, ""};
     },
     "promisedLimit.value", "承诺办结时限（16 个工作日）不能超过法定办结时限（20 个自然日）"},
    {"OnTheSpotItemWithALongPromise",
     [](Item& i) {
       i.case_type = 1;
       i.promised_limit.value = 2;
     },
     "promisedLimit.value", "即办件的承诺办结时限应为 0 或 1 天"},
    // Fees.
    {"ChargedWithoutBasis",
     [](Item& i) {
       i.charged = true;
       i.fee_fen = 1000;
     },
     "feeBasis", "收费事项须填写收费依据"},
    {"ChargedWithoutFee",
     [](Item& i) {
       i.charged = true;
       i.fee_basis = "发改价格〔2019〕1号";
     },
     "feeFen", "收费事项的收费标准应大于 0"},
    {"FreeWithAFee", [](Item& i) { i.fee_fen = 500; }, "feeFen", "不收费事项的收费标准应为 0"},
    {"FreeWithOnlinePayment", [](Item& i) { i.online_payment = true; }, "onlinePayment",
     "不收费事项不能设置网上支付"},
    // Depth and visits (standards.md §4.5).
    {"DepthZero", [](Item& i) { i.online_depth = 0; }, "onlineDepth", "网上办理深度应为 1–4"},
    {"DepthFive", [](Item& i) { i.online_depth = 5; }, "onlineDepth", "网上办理深度应为 1–4"},
    {"NegativeVisits", [](Item& i) { i.visits = -1; }, "visits", "到办事现场次数应为 0–99"},
    {"FullyOnlineWithAVisit", [](Item& i) { i.online_depth = 4; }, "visits",
     "全程网办（Ⅳ级）事项的到办事现场次数应为 0，现为 1"},
    {"ZeroVisitsOfflineWithoutMail",
     [](Item& i) {
       i.visits = 0;
       i.onsite_reason = "";
       i.handling_forms = {1, 4};
     },
     "mailApplication", "须支持邮寄申请"},
    {"ZeroVisitsWithAnOnsiteReason", [](Item& i) { i.visits = 0; }, "onsiteReason",
     "零跑动事项不应填写必须现场办理原因"},
    {"VisitsWithoutAnOnsiteReason", [](Item& i) { i.onsite_reason = ""; }, "onsiteReason",
     "需要到现场办理的事项须说明必须现场办理的原因"},
    // 超时默认.
    {"DeemedApprovalWithoutDays", [](Item& i) { i.deemed_approval_allowed = true; },
     "deemedApprovalDays", "允许超时默认的事项须设置超时默认时限"},
    {"DeemedApprovalDaysWithoutPermission", [](Item& i) { i.deemed_approval_days = 5; },
     "deemedApprovalDays", "不允许超时默认的事项不应设置超时默认时限"},
    {"DeemedApprovalDaysOutOfRange",
     [](Item& i) {
       i.deemed_approval_allowed = true;
       i.deemed_approval_days = 61;
     },
     "deemedApprovalDays", "超时默认时限应为 1–60 个工作日"},
    // Result.
    {"ResultLicenceTypeMalformed", [](Item& i) { i.result.licence_type = "11100000000013338W03"; },
     "result.licenceType", "电子证照类型代码应为 21 位"},
    {"ResultFieldRepeated",
     [](Item& i) {
       i.result.fields = {"certNo", "certNo"};
     },
     "result.fields[1]", "结果字段 certNo 重复"},
    {"ResultFieldEmpty", [](Item& i) { i.result.fields = {""}; }, "result.fields[0]",
     "结果字段名必填"},
    {"ResultMaterialKeyWithSpace", [](Item& i) { i.result.material_key = "doc birth"; },
     "result.materialKey", "结果材料键不能含空白字符"},
    // Materials.
    {"MaterialKeyMissing", [](Item& i) { i.materials[0].key = ""; }, "materials[0].key",
     "材料键必填"},
    {"MaterialKeyRepeated", [](Item& i) { i.materials.push_back(i.materials[0]); },
     "materials[1].key", "材料键 doc.idCard 与 materials[0] 重复"},
    {"MaterialNameMissing", [](Item& i) { i.materials[0].name = ""; }, "materials[0].name",
     "材料名称必填"},
    {"MaterialOriginalsOver99", [](Item& i) { i.materials[0].originals = 100; },
     "materials[0].originals", "原件份数应为 0–99"},
    {"MaterialCopiesNegative", [](Item& i) { i.materials[0].copies = -1; }, "materials[0].copies",
     "复印件份数应为 0–99"},
    {"MaterialPaperSizeUnknown", [](Item& i) { i.materials[0].paper_size = "B5"; },
     "materials[0].paperSize", "纸质规格应为 A4、A3 或空"},
    {"MaterialSourceUnknown",
     [](Item& i) { i.materials[0].source = static_cast<SourceChannel>(30); }, "materials[0].source",
     "来源渠道应为 10"},
    {"MaterialLicenceTypeShort", [](Item& i) { i.materials[0].licence_type = "123"; },
     "materials[0].licenceType", "电子证照类型代码应为 21 位"},
    {"MaterialLicenceTypeWithBadUscc",
     [](Item& i) { i.materials[0].licence_type = "11100000000013338X032"; },
     "materials[0].licenceType", "定义机构的统一社会信用代码 18 位 + 3 位数字"},
    // Form fields.
    {"FieldKeyMissing", [](Item& i) { i.fields[0].key = ""; }, "fields[0].key", "字段键必填"},
    {"FieldKeyRepeated", [](Item& i) { i.fields.push_back(i.fields[0]); }, "fields[1].key",
     "字段键 applicant.idNumber 与 fields[0] 重复"},
    {"FieldLabelMissing", [](Item& i) { i.fields[0].label = ""; }, "fields[0].label",
     "字段名称必填"},
    {"SelectWithoutOptions", [](Item& i) { i.fields[0].type = FieldType::kSelect; },
     "fields[0].options", "下拉选择字段须列出选项"},
    {"SelectWithRepeatedOption",
     [](Item& i) {
       i.fields[0].type = FieldType::kSelect;
       i.fields[0].options = {"男", "男"};
     },
     "fields[0].options[1]", "选项 男 重复"},
    {"OptionsOnAText", [](Item& i) { i.fields[0].options = {"a"}; }, "fields[0].options",
     "只有下拉选择字段可以设置选项"},
    {"MaxLengthZero", [](Item& i) { i.fields[0].max_length = 0; }, "fields[0].maxLength",
     "最大长度应为 1–10000"},
    {"MinAboveMax",
     [](Item& i) {
       i.fields[0].type = FieldType::kNumber;
       i.fields[0].min = 10;
       i.fields[0].max = 1;
     },
     "fields[0].min", "最小值不能大于最大值"},
    // Steps.
    {"NoSteps", [](Item& i) { i.steps.clear(); }, "steps", "至少需要一个办理环节"},
    {"StepNameMissing", [](Item& i) { i.steps[1].name = ""; }, "steps[1].name", "环节名称必填"},
    {"StepRoleUnknown", [](Item& i) { i.steps[1].role = "approver"; }, "steps[1].role",
     "办理角色 approver 不存在"},
    {"StepLimitNegative", [](Item& i) { i.steps[1].limit_working_days = -1; },
     "steps[1].limitWorkingDays", "环节时限应为 0–365 个工作日"},
};

INSTANTIATE_TEST_SUITE_P(Rules, ItemRuleTest, ::testing::ValuesIn(kItemCases),
                         [](const ::testing::TestParamInfo<ItemCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ValidateItemTest, CollectsEveryProblemAtOnce) {
  Item item = ValidItem();
  item.name = "";
  item.online_depth = 9;
  item.materials[0].copies = 100;
  item.steps.clear();
  std::vector<FieldError> p = ItemProblems(item);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_TRUE(HasProblem(p, "name", "必填"));
  EXPECT_TRUE(HasProblem(p, "onlineDepth", "1–4"));
  EXPECT_TRUE(HasProblem(p, "materials[0].copies", "0–99"));
  EXPECT_TRUE(HasProblem(p, "steps", "至少"));
  Result<void> r = ValidateItem(item);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "事项有 4 处问题：事项名称必填");
}

TEST(ValidateItemTest, ExtensionItemTypesAndAllowedEdgeValuesPass) {
  Item item = ValidItem();
  item.item_type = "20";  // 公共服务事项
  item.basic_code = "002000001000";
  item.code = item.code.substr(0, 19) + item.basic_code;
  item.case_type = 1;
  item.promised_limit = {1, LimitUnit::kWorkingDays, ""};
  item.statutory_limit = {0, LimitUnit::kWorkingDays, ""};
  EXPECT_TRUE(HasProblem(ItemProblems(item), "promisedLimit.value", "不能超过法定"));
  item.statutory_limit = {1, LimitUnit::kWorkingDays, ""};
  item.charged = true;
  item.fee_fen = 1;
  item.fee_basis = "湘价费〔2020〕1号";
  item.online_payment = true;
  item.online_depth = 4;
  item.visits = 0;
  item.onsite_reason = "";
  item.deemed_approval_allowed = true;
  item.deemed_approval_days = 60;
  item.materials[0].originals = 99;
  item.materials[0].paper_size = "";
  item.materials[0].licence_type = "11100000000013338W032";  // 住建部 定义的证照类型
  item.result.licence_type = "11100000MB0341032Y002";
  EXPECT_TRUE(ItemProblems(item).empty()) << ItemProblems(item).front().message;
  EXPECT_STREQ(ItemTypeName("20"), "公共服务事项");
  EXPECT_STREQ(ItemTypeName("15"), "其他行政权力事项");
  EXPECT_STREQ(ItemTypeName("2x"), "");
}

TEST(ItemNamesTest, CodeSetsAndEnumCodes) {
  EXPECT_STREQ(ItemTypeName("01"), "行政许可");
  EXPECT_STREQ(ItemTypeName("10"), "其他类别事项");
  EXPECT_STREQ(ItemTypeName("1"), "");
  EXPECT_STREQ(LevelName(5), "镇（乡、街道）级");
  EXPECT_STREQ(LevelName(0), "");
  EXPECT_STREQ(ServiceObjectName(4), "社会组织法人");
  EXPECT_STREQ(HandlingFormName(9), "其他");
  EXPECT_STREQ(HandlingFormName(5), "");
  EXPECT_STREQ(CaseTypeName(1), "即办件");
  EXPECT_STREQ(DepthName(4), "全程网办（Ⅳ级）");
  for (LimitUnit u : {LimitUnit::kWorkingDays, LimitUnit::kNaturalDays}) {
    EXPECT_EQ(*ParseLimitUnit(LimitUnitCode(u)), u);
  }
  for (MaterialNeed n :
       {MaterialNeed::kRequired, MaterialNeed::kOptional, MaterialNeed::kDeferable}) {
    EXPECT_EQ(*ParseMaterialNeed(MaterialNeedCode(n)), n);
  }
  for (FieldType t : {FieldType::kText, FieldType::kNumber, FieldType::kDate, FieldType::kIdNumber,
                      FieldType::kUscc, FieldType::kPhone, FieldType::kRegion, FieldType::kSelect,
                      FieldType::kBoolean}) {
    EXPECT_EQ(*ParseFieldType(FieldTypeCode(t)), t);
  }
  EXPECT_TRUE(
      IsError(ParseLimitUnit("days"), ErrorCode::kInvalidArgument, "catalog.bad_limit_unit"));
  EXPECT_TRUE(
      IsError(ParseMaterialNeed("must"), ErrorCode::kInvalidArgument, "catalog.bad_material_need"));
  EXPECT_TRUE(
      IsError(ParseFieldType("IdNumber"), ErrorCode::kInvalidArgument, "catalog.bad_field_type"));
}

// ---- Bundles ----

TEST(ValidateBundleTest, TheBirthBundleIsValid) {
  testing::BirthBundle b = MakeBirthBundle();
  std::vector<FieldError> p = BundleProblems(b.bundle, b.Items());
  EXPECT_TRUE(p.empty()) << (p.empty() ? "" : p.front().field + " " + p.front().message);
  EXPECT_TRUE(ValidateBundle(b.bundle, b.Items()).has_value());
}

struct BundleCase {
  const char* name;
  std::function<void(testing::BirthBundle&)> change;
  const char* path;
  const char* message;
};

class BundleRuleTest : public ::testing::TestWithParam<BundleCase> {};

TEST_P(BundleRuleTest, ReportsTheProblemAtItsPath) {
  testing::BirthBundle b = MakeBirthBundle();
  GetParam().change(b);
  Result<void> r = ValidateBundle(b.bundle, b.Items());
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "catalog.invalid_bundle"));
  EXPECT_TRUE(HasProblem(r.error().fields, GetParam().path, GetParam().message));
}

using BB = testing::BirthBundle;
const BundleCase kBundleCases[] = {
    {"CodeWithUpperCase", [](BB& b) { b.bundle.code = "Birth"; }, "code",
     "一件事编码应为 2–40 位小写字母、数字、下划线或连字符"},
    {"CodeTooShort", [](BB& b) { b.bundle.code = "b"; }, "code", "2–40 位"},
    {"CodeTooLong", [](BB& b) { b.bundle.code = std::string(41, 'b'); }, "code", "2–40 位"},
    {"NameMissing", [](BB& b) { b.bundle.name = ""; }, "name", "一件事名称必填"},
    {"CategoryUnknown", [](BB& b) { b.bundle.category = "family"; }, "category", "类别应为 person"},
    {"DepartmentMissing", [](BB& b) { b.bundle.department_code = ""; }, "departmentCode",
     "牵头部门（部门编码）必填"},
    {"NoItems",
     [](BB& b) {
       b.bundle.items.clear();
       b.bundle.edges.clear();
       b.bundle.situations[0].options[1].skip_materials.clear();
     },
     "items", "一件事至少包含一个事项"},
    {"UnknownItem", [](BB& b) { b.bundle.items[1].item_code = std::string(31, '9'); },
     "items[1].itemCode", "不存在或已停用"},
    {"RepeatedItem", [](BB& b) { b.bundle.items.push_back(b.bundle.items[1]); },
     "items[4].itemCode", "事项 《预防接种证办理》 重复"},
    {"SituationCodeRepeated", [](BB& b) { b.bundle.situations[1].code = "married"; },
     "situations[1].code", "情形编码 married 重复"},
    {"SituationCodeWithEquals", [](BB& b) { b.bundle.situations[1].code = "a=b"; },
     "situations[1].code", "情形编码不能含“=”"},
    {"SituationWithoutQuestion", [](BB& b) { b.bundle.situations[0].question = ""; },
     "situations[0].question", "情形问题必填"},
    {"SituationWithOneOption", [](BB& b) { b.bundle.situations[1].options.pop_back(); },
     "situations[1].options", "每个情形至少需要两个选项"},
    {"OptionCodeRepeated", [](BB& b) { b.bundle.situations[1].options[1].code = "yes"; },
     "situations[1].options[1].code", "选项编码 yes 重复"},
    {"OptionWithoutLabel", [](BB& b) { b.bundle.situations[1].options[0].label = ""; },
     "situations[1].options[0].label", "选项名称必填"},
    {"SkippedMaterialUnknown",
     [](BB& b) { b.bundle.situations[0].options[1].skip_materials = {"doc.marriageCertificate"}; },
     "situations[0].options[1].skipMaterials[0]",
     "材料键 doc.marriageCertificate 不属于本一件事的任何事项"},
    {"ConditionWithoutEquals", [](BB& b) { b.bundle.items[3].when = {"insure"}; },
     "items[3].when[0]", "条件应写作 情形编码=选项编码"},
    {"ConditionOnUnknownSituation", [](BB& b) { b.bundle.items[3].when = {"insured=yes"}; },
     "items[3].when[0]", "情形 insured 不存在"},
    {"ConditionOnUnknownOption", [](BB& b) { b.bundle.items[3].when = {"insure=maybe"}; },
     "items[3].when[0]", "情形「是否为新生儿办理医保参保？」没有选项 maybe"},
    {"EdgeFromOutsideTheBundle", [](BB& b) { b.bundle.edges[0].from = std::string(31, '1'); },
     "edges[0].from", "前置事项 1111111111111111111111111111111 不在本一件事中"},
    {"EdgeToOutsideTheBundle", [](BB& b) { b.bundle.edges[0].to = std::string(31, '1'); },
     "edges[0].to", "后续事项"},
    {"EdgeToItself", [](BB& b) { b.bundle.edges[0].to = b.bundle.edges[0].from; }, "edges[0].to",
     "事项不能以自身为前置"},
    {"EdgeRepeated", [](BB& b) { b.bundle.edges.push_back(b.bundle.edges[0]); }, "edges[2]",
     "前置关系 《出生医学证明签发》 → 《出生户口登记》 重复"},
    {"MappingFromAFieldTheResultLacks",
     [](BB& b) { b.bundle.edges[0].mappings[0].from_field = "certNumber"; },
     "edges[0].mappings[0].fromField", "《出生医学证明签发》的办理结果没有字段 certNumber"},
    {"MappingToAFieldTheFormLacks",
     [](BB& b) { b.bundle.edges[0].mappings[0].to_field = "child.certNo"; },
     "edges[0].mappings[0].toField", "《出生户口登记》的表单没有字段 child.certNo"},
    {"Cycle",
     [](BB& b) {
       b.bundle.edges.push_back({b.insurance.code, b.cert.code, {}});
     },
     "edges",
     "前置关系形成循环：《出生医学证明签发》 → 《出生户口登记》 → 《城乡居民医保参保登记》 → "
     "《出生医学证明签发》"},
};

INSTANTIATE_TEST_SUITE_P(Rules, BundleRuleTest, ::testing::ValuesIn(kBundleCases),
                         [](const ::testing::TestParamInfo<BundleCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ValidateBundleTest, CodesAndLicenceTypes) {
  EXPECT_TRUE(IsBundleCode("birth"));
  EXPECT_TRUE(IsBundleCode("enterprise-open_2"));
  EXPECT_FALSE(IsBundleCode("出生"));
  EXPECT_FALSE(IsBundleCode("a b"));
  EXPECT_TRUE(IsLicenceTypeCode("11100000000013338W032"));
  EXPECT_FALSE(IsLicenceTypeCode("11100000000013338W03A"));
  EXPECT_FALSE(IsLicenceTypeCode("11100000000013338w032"));
}

}  // namespace
}  // namespace onestop::catalog
