// Demo licence library (演示电子证照): six licence types with realistic face fields, the
// issuing departments' seals when missing, and licences for the demo citizens and enterprises,
// issued through LicenceService so they are signed and verifiable. Idempotent: types already
// there are kept, and licences are issued only when the type had none.
#include <spdlog/spdlog.h>

#include "app/demo.h"
#include "core/id_number.h"
#include "core/uscc.h"
#include "licences/licence_service.h"

namespace onestop::app {
namespace {

using licences::FaceField;
using licences::FieldType;
using licences::HolderType;

// Demo codes: the definers' and issuers' 统一社会信用代码 are made up, with valid check
// characters (GB 32100).
constexpr const char* kMps = "11100000000019713D";   // 公安部
constexpr const char* kSamr = "11100000MB0143028R";  // 国家市场监督管理总局
constexpr const char* kMca = "111000000000142430";   // 民政部
constexpr const char* kMnr = "11100000MB16614512";   // 自然资源部

struct DemoType {
  std::string code;
  const char* name;
  const char* definer;
  HolderType holder;
  int years;
  const char* department_code;
  const char* issuer_uscc;
  std::vector<FaceField> fields;
  std::vector<std::string> materials;
};

std::vector<DemoType> DemoTypes() {
  const FieldType T = FieldType::kText, D = FieldType::kDate, N = FieldType::kNumber,
                  I = FieldType::kIdNumber, U = FieldType::kUscc;
  return {
      {std::string(kMps) + "001",
       "居民户口簿",
       "中华人民共和国公安部",
       HolderType::kPerson,
       0,
       "HN-CS-GAJ",
       "11430100006136543C",
       {{"householdNo", "户号", T, true},
        {"householdType", "户别", T, true},
        {"householder", "户主姓名", T, true},
        {"name", "姓名", T, true},
        {"relation", "与户主关系", T, true},
        {"gender", "性别", T, true},
        {"ethnicity", "民族", T, true},
        {"birthDate", "出生日期", D, true},
        {"idNumber", "公民身份号码", I, true},
        {"address", "住址", T, true},
        {"registrationAuthority", "登记机关", T, false}},
       {"doc.householdRegister"}},
      {std::string(kMps) + "002",
       "居民身份证",
       "中华人民共和国公安部",
       HolderType::kPerson,
       20,
       "HN-CS-GAJ",
       "11430100006136543C",
       {{"name", "姓名", T, true},
        {"gender", "性别", T, true},
        {"ethnicity", "民族", T, true},
        {"birthDate", "出生", D, true},
        {"address", "住址", T, true},
        {"idNumber", "公民身份号码", I, true},
        {"issuingAuthority", "签发机关", T, true}},
       // Only the applicant's own card: a parent's, a legal representative's or an agent's
       // card is another person's licence.
       {"doc.applicantIdCard"}},
      {std::string(kMps) + "003",
       "居住证",
       "中华人民共和国公安部",
       HolderType::kPerson,
       1,
       "HN-CS-GAJ",
       "11430100006136543C",
       {{"name", "姓名", T, true},
        {"gender", "性别", T, true},
        {"idNumber", "公民身份号码", I, true},
        {"address", "居住地址", T, true},
        {"cardNo", "居住证编号", T, true}},
       {"doc.residencePermit"}},
      {std::string(kSamr) + "001",
       "营业执照",
       "国家市场监督管理总局",
       HolderType::kEnterprise,
       0,
       "HN-CS-SCJGJ",
       "11430100MB1527816K",
       {{"name", "名称", T, true},
        {"uscc", "统一社会信用代码", U, true},
        {"entityType", "类型", T, true},
        {"legalRepresentative", "法定代表人", T, true},
        {"registeredCapital", "注册资本（万元）", N, true},
        {"establishedDate", "成立日期", D, true},
        {"address", "住所", T, true},
        {"businessScope", "经营范围", T, true},
        {"registrationAuthority", "登记机关", T, true}},
       {"doc.businessLicence"}},
      {std::string(kMca) + "001",
       "结婚证",
       "中华人民共和国民政部",
       HolderType::kPerson,
       0,
       "HN-CS-MZJ",
       "11430100006140102T",
       {{"certNo", "结婚证字号", T, true},
        {"holder", "持证人", T, true},
        {"registrationDate", "登记日期", D, true},
        {"husbandName", "男方姓名", T, true},
        {"husbandIdNumber", "男方身份证件号", I, true},
        {"wifeName", "女方姓名", T, true},
        {"wifeIdNumber", "女方身份证件号", I, true},
        {"registrationAuthority", "登记机关", T, true}},
       {"doc.marriageCert"}},
      {std::string(kMnr) + "001",
       "不动产权证书",
       "中华人民共和国自然资源部",
       HolderType::kPerson,
       0,
       "HN-CS-ZRZYJ",
       "11430100MB1A45126T",
       {{"certNo", "不动产权证书号", T, true},
        {"obligee", "权利人", T, true},
        {"coOwnership", "共有情况", T, true},
        {"location", "坐落", T, true},
        {"unitNo", "不动产单元号", T, true},
        {"rightType", "权利类型", T, true},
        {"rightNature", "权利性质", T, true},
        {"use", "用途", T, true},
        {"area", "面积（平方米）", N, true},
        {"term", "使用期限", T, true}},
       {"doc.propertyRecord", "doc.residenceProof"}},
  };
}

std::string IdOf(const char* first17) { return std::string(first17) + IdNumberCheckChar(first17); }

}  // namespace

Result<int> LoadDemoLicences(App& app) {
  if (!app.seals.has_master_key()) {
    spdlog::warn("未配置印章主密钥，演示数据不含电子证照");
    return 0;
  }
  // The system principal has the platform administrator's permissions; issuing is a
  // department's act, so the demo adds licences.issue for itself.
  identity::Principal system = identity::Principal::System();
  system.permissions.insert(identity::Permission::kIssueLicences);
  int issued = 0;
  for (const DemoType& d : DemoTypes()) {
    ASSIGN_OR_RETURN(identity::Department dept,
                     app.identity.departments.GetByCode(d.department_code));
    // The issuing department's seal, unless it has one.
    seal::NewSeal s;
    s.department_id = dept.id;
    s.name = dept.name + "电子证照专用章";
    s.maker = "湖南省数据资源局";
    Result<seal::Seal> made = app.seals.Create(system, s);
    if (!made.has_value() && made.error().reason != "seal.department_has_seal") {
      return std::move(made).error();
    }
    if (app.licences.GetType(system, d.code).has_value()) continue;
    licences::LicenceType t;
    t.code = d.code;
    t.name = d.name;
    t.definer_name = d.definer;
    t.holder_type = d.holder;
    t.face_fields = d.fields;
    t.validity_years = d.years;
    t.issuing_department_id = dept.id;
    t.issuer_uscc = d.issuer_uscc;
    t.material_keys = d.materials;
    ASSIGN_OR_RETURN([[maybe_unused]] licences::LicenceType created,
                     app.licences.CreateType(system, t));

    std::vector<licences::NewLicence> to_issue;
    auto add = [&](std::string holder_name, std::string holder_code, boost::json::object face,
                   std::string issue_date, std::string number) {
      licences::NewLicence n;
      n.type_code = d.code;
      n.holder_name = std::move(holder_name);
      n.holder_code = std::move(holder_code);
      n.face = std::move(face);
      n.issue_date = std::move(issue_date);
      n.number = std::move(number);
      to_issue.push_back(std::move(n));
    };
    const std::string zhang = IdOf("43010419900307123"), li = IdOf("43110219850612452"),
                      wang = IdOf("43138219920815316");
    const std::string name(d.name);
    if (name == "居民户口簿") {
      add("张三", zhang,
          {{"householdNo", "430104012345"},
           {"householdType", "家庭户"},
           {"householder", "张三"},
           {"name", "张三"},
           {"relation", "户主"},
           {"gender", "男"},
           {"ethnicity", "汉"},
           {"birthDate", "1990-03-07"},
           {"idNumber", zhang},
           {"address", "湖南省长沙市岳麓区麓山南路932号"},
           {"registrationAuthority", "长沙市公安局岳麓分局"}},
          "2016-05-12", "HK430104012345-01");
      add("李梅", li,
          {{"householdNo", "431102067890"},
           {"householdType", "家庭户"},
           {"householder", "李梅"},
           {"name", "李梅"},
           {"relation", "户主"},
           {"gender", "女"},
           {"ethnicity", "汉"},
           {"birthDate", "1985-06-12"},
           {"idNumber", li},
           {"address", "湖南省长沙市开福区湘江中路二段36号"},
           {"registrationAuthority", "长沙市公安局开福分局"}},
          "2019-09-03", "HK431102067890-01");
    } else if (name == "居民身份证") {
      add("张三", zhang,
          {{"name", "张三"},
           {"gender", "男"},
           {"ethnicity", "汉"},
           {"birthDate", "1990-03-07"},
           {"address", "湖南省长沙市岳麓区麓山南路932号"},
           {"idNumber", zhang},
           {"issuingAuthority", "长沙市公安局岳麓分局"}},
          "2018-04-20", "");
      add("李梅", li,
          {{"name", "李梅"},
           {"gender", "女"},
           {"ethnicity", "汉"},
           {"birthDate", "1985-06-12"},
           {"address", "湖南省长沙市开福区湘江中路二段36号"},
           {"idNumber", li},
           {"issuingAuthority", "长沙市公安局开福分局"}},
          "2020-11-02", "");
    } else if (name == "居住证") {
      add("王建华", wang,
          {{"name", "王建华"},
           {"gender", "男"},
           {"idNumber", wang},
           {"address", "湖南省长沙市雨花区韶山中路419号"},
           {"cardNo", "JZZ4301002025000318"}},
          "2026-03-18", "JZZ4301002025000318");
    } else if (name == "营业执照") {
      const std::string uscc =
          std::string("91430100MA4L1A2B3") + UsccCheckChar("91430100MA4L1A2B3");
      add("湖南湘江智造科技有限公司", uscc,
          {{"name", "湖南湘江智造科技有限公司"},
           {"uscc", uscc},
           {"entityType", "有限责任公司（自然人投资或控股）"},
           {"legalRepresentative", "张三"},
           {"registeredCapital", 1000},
           {"establishedDate", "2021-06-18"},
           {"address", "湖南省长沙市岳麓区麓谷大道658号麓谷信息港A座1201"},
           {"businessScope", "智能装备研发、制造与销售；软件开发；技术服务"},
           {"registrationAuthority", "长沙市市场监督管理局"}},
          "2021-06-18", "");
    } else if (name == "结婚证") {
      add("张三", zhang,
          {{"certNo", "J430104-2019-003215"},
           {"holder", "张三"},
           {"registrationDate", "2019-10-01"},
           {"husbandName", "张三"},
           {"husbandIdNumber", zhang},
           {"wifeName", "李梅"},
           {"wifeIdNumber", li},
           {"registrationAuthority", "长沙市岳麓区民政局"}},
          "2019-10-01", "J430104-2019-003215");
    } else if (name == "不动产权证书") {
      // 李梅's flat, as in the 不动产登记 register of the proofs demo (张三 owns nothing).
      add("李梅", li,
          {{"certNo", "湘（2021）长沙市不动产权第0123456号"},
           {"obligee", "李梅"},
           {"coOwnership", "单独所有"},
           {"location", "长沙市岳麓区麓山南路932号3栋502室"},
           {"unitNo", "430104005012GB00215F00030502"},
           {"rightType", "国有建设用地使用权/房屋所有权"},
           {"rightNature", "出让/市场化商品房"},
           {"use", "城镇住宅用地/住宅"},
           {"area", 89.56},
           {"term", "2008-05-01起2078-04-30止"}},
          "2021-06-18", "湘（2021）长沙市不动产权第0123456号");
    }
    for (const licences::NewLicence& n : to_issue) {
      ASSIGN_OR_RETURN([[maybe_unused]] licences::Licence l, app.licences.Issue(system, n));
      ++issued;
    }
  }
  return issued;
}

}  // namespace onestop::app
