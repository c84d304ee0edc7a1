// Demo policies (政策超市 / 免申即享): five real-looking policies after 涟源's 政策超市 and 郴州's
// 惠企通 (../shared/seed/), each split into declarable items with an eligibility rule and a
// benefit formula, written and published through PolicyService as an author would; and the
// enterprise facts (企业数据) of the demo enterprises plus 200 generated ones, imported as a
// department's JSON lines file would be.
#include <cstdio>
#include <sstream>

#include "app/demo.h"
#include "app/policy_wiring.h"
#include "core/uscc.h"

namespace onestop::app {

namespace {

struct DemoItem {
  const char* title;
  const char* mode;  // exempt / quick
  std::int64_t budget_fen;
  int publicity_days;
  const char* rule;
  const char* formula;
};

struct DemoPolicy {
  const char* title;
  const char* doc_no;
  const char* issuer;
  const char* level;
  const char* category;
  const char* published_on;
  const char* effective_on;
  const char* expires_on;
  std::vector<std::string> tags;
  const char* department_code;
  const char* full_text;
  std::vector<DemoItem> items;
};

const std::vector<DemoPolicy>& DemoPolicies() {
  static const std::vector<DemoPolicy> policies = {
      {"关于做好失业保险稳岗返还工作有关问题的通知",
       "湘人社规〔2026〕3号",
       "湖南省人力资源和社会保障厅",
       "province",
       "cost",
       "2026-02-10",
       "2026-01-01",
       "2026-12-31",
       {"稳岗", "就业", "免申即享"},
       "HN-CS-RSJ",
       "一、参保企业上年度未裁员或裁员率不高于 5.5%（参保职工 30 人以下的企业不高于参保职工总数"
       "20%），且未列入严重失信主体名单的，可享受稳岗返还。\n二、大型企业按企业及其职工上年度"
       "实际缴纳失业保险费的 30% 返还，中小微企业按 60% 返还，单户最高 300 万元。\n三、实行"
       "“免申即享”：人社部门通过数据比对确定名单，经公示后直接返还至企业银行账户。",
       {{"稳岗返还（中小微企业）", "exempt", 3'000'000'000, 5,
         "insured_employees >= 1 and layoff_rate <= 5.5 and small_micro and not bad_credit",
         "min(insurance_paid_fen * 60%, 300万元) round half_up"}}},
      {"郴州高新区促进高新技术企业发展奖励办法",
       "郴高新管发〔2026〕5号",
       "郴州高新技术产业开发区管理委员会",
       "city",
       "grant",
       "2026-03-01",
       "2026-03-01",
       "2028-02-29",
       {"高新技术企业", "科技", "惠企通"},
       "HN-CZ-GXJ",
       "第三条 对首次通过高新技术企业认定的企业，一次性奖励 20 万元；重新认定通过的，奖励 5 万元。"
       "\n第四条 奖励资金实行“免申即享”，由工信部门根据科技部门认定名单直接兑现。",
       {{"高新技术企业认定奖励", "exempt", 400'000'000, 7, "high_tech and not bad_credit",
         "20万元 round half_up"}}},
      {"涟源市支持专精特新中小企业高质量发展若干措施",
       "涟政发〔2026〕11号",
       "涟源市人民政府",
       "county",
       "grant",
       "2026-04-15",
       "2026-05-01",
       "2028-04-30",
       {"专精特新", "中小企业", "政策超市"},
       "HN-LD-LY-GXJ",
       "一、对新认定的省级专精特新“小巨人”企业给予一次性奖补 30 万元。\n二、奖补对象应在"
       "涟源市内登记注册、正常经营，员工不少于 10 人，且无严重失信记录。",
       {{"专精特新企业奖补", "exempt", 300'000'000, 5,
         "specialized and employees >= 10 and region prefix \"4313\" and not bad_credit",
         "30万元 round half_up"}}},
      {"关于进一步支持小微企业融资的贷款贴息实施细则",
       "湘财金〔2026〕7号",
       "湖南省财政厅",
       "province",
       "finance",
       "2026-01-20",
       "2026-01-01",
       "2026-12-31",
       {"小微企业", "贷款贴息", "融资"},
       "HN-CZ-GXJ",
       "第二条 对纳税信用等级为 A 级或 B 级的小微企业，按其上年度纳税额的 10% 给予贷款贴息，"
       "单户最高 10 万元。\n第三条 企业在线申报，系统根据纳税数据预填申报表（快申快享）。",
       {{"小微企业贷款贴息", "quick", 500'000'000, 5,
         "small_micro and credit_rating in [\"A\", \"B\"] and not bad_credit",
         "min(tax_paid_fen * 10%, 10万元) round down"}}},
      {"涟源市企业研发费用后补助实施办法",
       "涟科发〔2026〕2号",
       "涟源市科学技术局",
       "county",
       "grant",
       "2026-05-20",
       "2026-06-01",
       "2027-12-31",
       {"研发", "科技", "政策超市"},
       "HN-LD-LY-GXJ",
       "第五条 研发投入占营业收入比例不低于 3% 且营业收入不超过 2 亿元的企业，按营业收入的 1% "
       "给予研发费用后补助，最高 100 万元。",
       {{"研发费用奖补", "exempt", 1'000'000'000, 5,
         "rd_ratio >= 3 and revenue_fen <= 20000000000 and not bad_credit",
         "min(revenue_fen * 1%, 100万元) round half_up"}}},
  };
  return policies;
}

}  // namespace

Result<int> LoadDemoPolicies(App& app) {
  policy::PolicyService& svc = app.policy->policies;
  const identity::Principal system = identity::Principal::System();
  policy::PolicyQuery any;
  any.include_unpublished = true;
  any.limit = 1;
  ASSIGN_OR_RETURN(policy::PolicyPage existing, svc.Search(system, any));
  if (existing.total > 0) return 0;
  int items = 0;
  for (const DemoPolicy& d : DemoPolicies()) {
    ASSIGN_OR_RETURN(identity::Department dept,
                     app.identity.departments.GetByCode(d.department_code));
    policy::PolicyInput in;
    in.title = d.title;
    in.doc_no = d.doc_no;
    in.issuer = d.issuer;
    in.level = d.level;
    in.category = d.category;
    in.published_on = d.published_on;
    in.effective_on = d.effective_on;
    in.expires_on = d.expires_on;
    in.tags = d.tags;
    in.full_text = d.full_text;
    in.department_id = dept.id;
    ASSIGN_OR_RETURN(policy::Policy p, svc.Create(system, in));
    for (const DemoItem& i : d.items) {
      policy::ItemInput item;
      item.title = i.title;
      item.mode = i.mode;
      item.budget_fen = i.budget_fen;
      item.window_from = d.effective_on;
      item.window_to = d.expires_on;
      item.publicity_days = i.publicity_days;
      item.status = "open";
      item.rule_text = i.rule;
      item.formula_text = i.formula;
      item.effective_from = d.effective_on;
      ASSIGN_OR_RETURN([[maybe_unused]] policy::Item added, svc.AddItem(system, p.id, item));
      ++items;
    }
    ASSIGN_OR_RETURN([[maybe_unused]] policy::Policy published, svc.Publish(system, p.id));
  }
  return items;
}

namespace {

// One demo enterprise's facts as a JSON line of the neutral format.
std::string FactLine(const std::string& id, const std::string& name, const std::string& facts) {
  return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"," + facts + "}\n";
}

}  // namespace

Result<int> LoadDemoEnterpriseFacts(App& app) {
  policy::EnterpriseService& svc = app.policy->enterprises;
  const identity::Principal system = identity::Principal::System();
  ASSIGN_OR_RETURN(std::vector<policy::EnterpriseImport> jobs, svc.Jobs(system, 1));
  if (!jobs.empty()) return 0;
  std::string file;
  // The five demo enterprises (demo.cc): the first, the demo enterprise account's company, is a
  // high-tech enterprise in 长沙 (高新技术企业认定奖励, 稳岗返还) but not 专精特新 and not in 涟源.
  const std::vector<std::pair<std::string, std::string>> named = {
      {"91430100MA4L1A2B3", "湖南湘江智造科技有限公司"},
      {"91431100MA4P5C6D7", "永州市潇湘农业发展有限公司"},
      {"91431000MA4R8E9F0", "郴州有色新材料有限公司"},
      {"93430623MA4M2G3H4", "华容县洞庭湖渔业专业合作社"},
      {"91431382MA4Q7J8K9", "涟源市湘中机械制造有限公司"}};
  const char* const named_facts[] = {
      "\"industry\":\"C3911\",\"region\":\"430104\",\"registered_on\":20180315,"
      "\"employees\":86,\"insured_employees\":82,\"insurance_paid_fen\":41200000,"
      "\"layoff_rate\":1.2,\"revenue_fen\":12800000000,\"tax_paid_fen\":61000000,"
      "\"rd_ratio\":6.5,\"high_tech\":true,\"specialized\":false,\"small_micro\":true,"
      "\"credit_rating\":\"A\",\"patents\":23,\"bad_credit\":false",
      "\"industry\":\"A0141\",\"region\":\"431102\",\"registered_on\":20150620,"
      "\"employees\":35,\"insured_employees\":30,\"insurance_paid_fen\":9800000,"
      "\"layoff_rate\":0,\"revenue_fen\":2600000000,\"tax_paid_fen\":3900000,"
      "\"rd_ratio\":0.4,\"high_tech\":false,\"specialized\":false,\"small_micro\":true,"
      "\"credit_rating\":\"B\",\"patents\":1,\"bad_credit\":false",
      "\"industry\":\"C3240\",\"region\":\"431002\",\"registered_on\":20120901,"
      "\"employees\":420,\"insured_employees\":410,\"insurance_paid_fen\":198000000,"
      "\"layoff_rate\":3.1,\"revenue_fen\":98000000000,\"tax_paid_fen\":1250000000,"
      "\"rd_ratio\":3.4,\"high_tech\":true,\"specialized\":true,\"small_micro\":false,"
      "\"credit_rating\":\"A\",\"patents\":57,\"bad_credit\":false",
      "\"industry\":\"A0411\",\"region\":\"430623\",\"registered_on\":20190410,"
      "\"employees\":12,\"insured_employees\":6,\"insurance_paid_fen\":1200000,"
      "\"layoff_rate\":0,\"revenue_fen\":480000000,\"tax_paid_fen\":0,"
      "\"rd_ratio\":0,\"high_tech\":false,\"specialized\":false,\"small_micro\":true,"
      "\"credit_rating\":\"M\",\"patents\":0,\"bad_credit\":false",
      "\"industry\":\"C3411\",\"region\":\"431382\",\"registered_on\":20100128,"
      "\"employees\":156,\"insured_employees\":150,\"insurance_paid_fen\":52000000,"
      "\"layoff_rate\":2.0,\"revenue_fen\":15600000000,\"tax_paid_fen\":310000000,"
      "\"rd_ratio\":4.2,\"high_tech\":false,\"specialized\":true,\"small_micro\":false,"
      "\"credit_rating\":\"A\",\"patents\":18,\"bad_credit\":false"};
  for (std::size_t i = 0; i < named.size(); ++i) {
    const std::string& first17 = named[i].first;  // as in demo.cc, with the check character
    file += FactLine(first17 + UsccCheckChar(first17), named[i].second, named_facts[i]);
  }
  // ~200 generated enterprises of 娄底 / 郴州 / 长沙, deterministic (a fixed linear congruential
  // sequence), so that 试算 and campaigns have something to count.
  static const char* const kRegions[] = {"431382", "431302", "431002",
                                         "431003", "430104", "430111"};
  static const char* const kIndustries[] = {"C3411", "C3911", "C3240", "C2614", "A0141",
                                            "F5123", "I6510", "C1391", "E4890", "M7320"};
  static const char* const kNames[] = {"机械", "电子", "新材料", "化工", "农业",
                                       "商贸", "软件", "食品",   "建筑", "科技服务"};
  static const char* const kRatings[] = {"A", "B", "B", "M", "C", "A", "B", "D"};
  std::uint64_t x = 20260601;
  auto next = [&x](std::uint64_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((x >> 33) % n);
  };
  for (int i = 1; i <= 200; ++i) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "91431382MA4%06d", 100000 + i);
    const std::string id = std::string(first17) + UsccCheckChar(first17);
    const int kind = static_cast<int>(next(10));
    const std::int64_t employees = 3 + next(next(10) == 0 ? 900 : 120);
    const std::int64_t revenue = (50 + next(20000)) * 1'000'000;  // fen
    const std::string name = std::string(kRegions[i % 6]).starts_with("4313") ? "娄底" : "湖南";
    std::string facts =
        "\"industry\":\"" + std::string(kIndustries[kind]) + "\",\"region\":\"" +
        kRegions[next(6)] + "\",\"registered_on\":" + std::to_string(20000101 + next(24) * 10000) +
        ",\"employees\":" + std::to_string(employees) +
        ",\"insured_employees\":" + std::to_string(employees - next(3)) +
        ",\"insurance_paid_fen\":" + std::to_string(employees * (300'000 + next(400'000))) +
        ",\"layoff_rate\":" + std::to_string(next(90) / 10) +
        ",\"revenue_fen\":" + std::to_string(revenue) +
        ",\"tax_paid_fen\":" + std::to_string(revenue / (20 + next(30))) +
        ",\"rd_ratio\":" + std::to_string(next(80) / 10) +
        ",\"high_tech\":" + (next(8) == 0 ? "true" : "false") +
        ",\"specialized\":" + (next(12) == 0 ? "true" : "false") +
        ",\"small_micro\":" + (employees < 100 ? "true" : "false") + ",\"credit_rating\":\"" +
        kRatings[next(8)] + "\",\"patents\":" + std::to_string(next(30)) +
        ",\"bad_credit\":" + (next(25) == 0 ? "true" : "false");
    file +=
        FactLine(id, name + kNames[kind] + "示范企业" + std::to_string(i) + "号有限公司", facts);
  }
  std::istringstream in(file);
  policy::ImportOptions options;
  options.format = "jsonl";
  options.file_name = "演示企业数据.jsonl";
  options.as_of = "2026-10-31";
  ASSIGN_OR_RETURN(policy::ImportReport report, svc.Import(system, in, options));
  return static_cast<int>(report.job.rows_ok);
}

}  // namespace onestop::app
