// Demo proofs (证明): four proof types of 长沙 departments and the sample registers they read —
// 不动产登记 (张三 owns nothing, 李梅 a flat), 住房公积金 and 无偿献血 for 张三 — plus a seal for
// each issuing department that has none. Created only when no proof type exists yet, so
// `serve --demo` stays idempotent.
#include <spdlog/spdlog.h>

#include <map>

#include "app/demo.h"
#include "core/working_days.h"
#include "proofs/proof_service.h"

namespace onestop::app {

namespace {

struct DemoRecord {
  const char* register_code;
  const char* register_name;
  const char* person;  // demo person by name
  const char* source;  // department code
  const char* data_json;
};

const DemoRecord kRecords[] = {
    {"property", "不动产登记", "张三", "HN-CS-ZRZYJ", R"({"properties":[]})"},
    {"property", "不动产登记", "李梅", "HN-CS-ZRZYJ",
     R"({"properties":[{"location":"长沙市岳麓区麓山南路932号3栋502室","area":"89.56㎡",)"
     R"("certificate":"湘（2021）长沙市不动产权第0123456号"}]})"},
    {"property", "不动产登记", "王建华", "HN-CS-ZRZYJ", R"({"properties":[]})"},
    {"housing_fund", "住房公积金", "张三", "HN-CS-GJJ",
     R"({"account":"430100123456","employer":"湖南湘江智造科技有限公司","status":"正常缴存",)"
     R"("monthlyDeposit":"1560.00元","since":"2016年7月","paidUntil":"2026年10月"})"},
    {"blood_donation", "无偿献血", "张三", "HN-CS-WJW",
     R"({"donations":[{"date":"2024-03-12","volume":"400毫升","place":"长沙市血液中心"},)"
     R"({"date":"2025-09-20","volume":"400毫升","place":"岳麓区爱心献血屋"}],"total":"800毫升"})"},
};

std::vector<proofs::ProofType> DemoTypes(const std::map<std::string, std::string>& dept) {
  std::vector<proofs::ProofType> out;
  proofs::ProofType t;
  t.code = "no_property";
  t.name = "有无房产证明";
  t.department_id = dept.at("HN-CS-ZRZYJ");
  t.mode = proofs::ProofMode::kInstant;
  t.register_code = "property";
  t.body_template =
      "经查询{{register.name}}信息，截至{{register.asOf}}，{{holder.name}}（公民身份号码："
      "{{holder.code}}）在长沙市范围内{{data.properties.exists}}登记在册的房产。\n特此证明。";
  t.fields = {{"姓名", "{{holder.name}}"},
              {"公民身份号码", "{{holder.code}}"},
              {"有无房产", "{{data.properties.exists}}"},
              {"房产套数", "{{data.properties.count}}"},
              {"房产信息", "{{data.properties.list}}"},
              {"数据来源", "{{register.source}}（数据截至{{register.asOf}}）"}};
  t.validity_days = 30;
  out.push_back(t);

  t = {};
  t.code = "housing_fund_deposit";
  t.name = "个人住房公积金缴存证明";
  t.department_id = dept.at("HN-CS-GJJ");
  t.register_code = "housing_fund";
  t.body_template =
      "兹证明{{holder.name}}（公民身份号码：{{holder.code}}）自{{data.since}}起在{{issuer}}"
      "缴存住房公积金，缴存单位为{{data.employer}}，目前状态为{{data.status}}，月缴存额"
      "{{data.monthlyDeposit}}，已缴至{{data.paidUntil}}。\n特此证明。";
  t.fields = {{"姓名", "{{holder.name}}"},
              {"个人账号", "{{data.account}}"},
              {"缴存单位", "{{data.employer}}"},
              {"缴存状态", "{{data.status}}"},
              {"月缴存额", "{{data.monthlyDeposit}}"},
              {"缴至年月", "{{data.paidUntil}}"}};
  t.validity_days = 90;
  out.push_back(t);

  t = {};
  t.code = "blood_donation";
  t.name = "电子无偿献血证";
  t.department_id = dept.at("HN-CS-WJW");
  t.register_code = "blood_donation";
  t.body_template =
      "{{holder.name}}（公民身份号码：{{holder.code}}）自愿无偿献血{{data.donations.count}}次，"
      "累计献血量{{data.total}}。\n感谢您的无私奉献！";
  t.fields = {{"献血者", "{{holder.name}}"},
              {"献血次数", "{{data.donations.count}}"},
              {"累计献血量", "{{data.total}}"},
              {"献血记录", "{{data.donations.list}}"}};
  t.validity_days = 3650;
  t.seal_title = "献血专用章";
  out.push_back(t);

  t = {};
  t.code = "household";
  t.name = "户籍证明";
  t.department_id = dept.at("HN-CS-GAJ");
  t.mode = proofs::ProofMode::kOnline;
  t.body_template =
      "兹证明{{holder.name}}（公民身份号码：{{holder.code}}）系本辖区常住户口，户籍登记地址为"
      "{{input.address}}。\n特此证明。";
  t.fields = {{"姓名", "{{holder.name}}"},
              {"公民身份号码", "{{holder.code}}"},
              {"户籍地址", "{{input.address}}"}};
  t.inputs = {{"address", "户籍地址", true}};
  t.validity_days = 90;
  out.push_back(t);
  return out;
}

}  // namespace

Result<int> LoadDemoProofs(App& app) {
  ASSIGN_OR_RETURN(std::vector<proofs::ProofType> existing, app.proofs.ListTypes());
  if (!existing.empty()) return 0;
  const identity::Principal system = identity::Principal::System();
  std::map<std::string, std::string> dept;
  for (const char* code : {"HN-CS-ZRZYJ", "HN-CS-GJJ", "HN-CS-WJW", "HN-CS-GAJ"}) {
    ASSIGN_OR_RETURN(identity::Department d, app.identity.departments.GetByCode(code));
    dept[code] = d.id;
  }
  // Each issuing department needs a seal to sign with (one may exist from the seal demo).
  ASSIGN_OR_RETURN(std::vector<seal::Seal> seals, app.seals.List(system));
  for (const auto& [code, id] : dept) {
    bool has = false;
    for (const seal::Seal& s : seals) has = has || (s.department_id == id && s.status == "active");
    if (has) continue;
    ASSIGN_OR_RETURN(identity::Department d, app.identity.departments.GetByCode(code));
    seal::NewSeal ns;
    ns.department_id = id;
    ns.name = d.name + "证明专用章";
    ns.maker = "湖南省数据资源局";
    Result<seal::Seal> made = app.seals.Create(system, ns);
    if (!made.has_value()) {
      if (made.error().reason != "seal.no_master_key") return std::move(made).error();
      spdlog::warn("未配置印章主密钥：演示证明类型已加载，但无法开具（{}）", d.name);
    }
  }
  for (const proofs::ProofType& t : DemoTypes(dept)) {
    ASSIGN_OR_RETURN([[maybe_unused]] proofs::ProofType defined, app.proofs.DefineType(system, t));
  }
  const std::string as_of = Date::FromMillisCst(app.clock.NowMs()).AddDays(-1).ToString();
  int n = 0;
  for (const DemoRecord& r : kRecords) {
    ASSIGN_OR_RETURN(store::Rows person, store::Read(*app.db, [&](store::Tx& tx) {
                       return tx.Query("SELECT id_number FROM identity_person WHERE name = ?",
                                       {std::string(r.person)});
                     }));
    if (person.empty()) continue;
    proofs::RegisterRecord rec;
    rec.register_code = r.register_code;
    rec.register_name = r.register_name;
    rec.subject_code_type = "111";
    rec.subject_code = person.front().Text(0);
    rec.data_json = r.data_json;
    rec.source_department_id = dept.at(r.source);
    rec.as_of = as_of;
    ASSIGN_OR_RETURN([[maybe_unused]] proofs::RegisterRecord put,
                     app.proofs.PutRecord(system, rec));
    ++n;
  }
  return n;
}

}  // namespace onestop::app
