#include "app/demo.h"

#include <spdlog/spdlog.h>

#include "core/id_number.h"
#include "core/uscc.h"

namespace onestop::app {
namespace {

struct DemoDepartment {
  const char* code;
  const char* name;
  const char* parent_code;  // "" for the root
  const char* region;
  const char* level;
};

// Province → city → county → township, with the bureaus the source cases name.
const DemoDepartment kDepartments[] = {
    {"HN", "湖南省政务服务中心", "", "430000", "province"},
    {"HN-SJZYJ", "湖南省数据资源局", "HN", "430000", "province"},
    // 长沙市 (无证明城市)
    {"HN-CS", "长沙市政务服务中心", "HN", "430100", "city"},
    {"HN-CS-XSPJ", "长沙市行政审批服务局", "HN-CS", "430100", "city"},
    {"HN-CS-SCJGJ", "长沙市市场监督管理局", "HN-CS", "430100", "city"},
    {"HN-CS-GAJ", "长沙市公安局", "HN-CS", "430100", "city"},
    {"HN-CS-RSJ", "长沙市人力资源和社会保障局", "HN-CS", "430100", "city"},
    {"HN-CS-YBJ", "长沙市医疗保障局", "HN-CS", "430100", "city"},
    {"HN-CS-WJW", "长沙市卫生健康委员会", "HN-CS", "430100", "city"},
    {"HN-CS-ZJJ", "长沙市住房和城乡建设局", "HN-CS", "430100", "city"},
    {"HN-CS-SWJ", "国家税务总局长沙市税务局", "HN-CS", "430100", "city"},
    {"HN-CS-SJZYJ", "长沙市数据资源管理局", "HN-CS", "430100", "city"},
    {"HN-CS-GJJ", "长沙住房公积金管理中心", "HN-CS", "430100", "city"},
    {"HN-CS-MZJ", "长沙市民政局", "HN-CS", "430100", "city"},
    {"HN-CS-JYJ", "长沙市教育局", "HN-CS", "430100", "city"},
    {"HN-CS-ZRZYJ", "长沙市自然资源和规划局", "HN-CS", "430100", "city"},
    {"HN-CS-YL", "岳麓区政务服务中心", "HN-CS", "430104", "county"},
    {"HN-CS-YL-JZ", "岳麓区橘子洲街道便民服务中心", "HN-CS-YL", "430104", "township"},
    // 永州市 (一件事 一网办)
    {"HN-YZ", "永州市政务服务中心", "HN", "431100", "city"},
    {"HN-YZ-XSPJ", "永州市行政审批服务局", "HN-YZ", "431100", "city"},
    {"HN-YZ-RSJ", "永州市人力资源和社会保障局", "HN-YZ", "431100", "city"},
    {"HN-YZ-YBJ", "永州市医疗保障局", "HN-YZ", "431100", "city"},
    {"HN-YZ-GAJ", "永州市公安局", "HN-YZ", "431100", "city"},
    {"HN-YZ-GJJ", "永州市住房公积金管理中心", "HN-YZ", "431100", "city"},
    {"HN-YZ-LL", "零陵区政务服务中心", "HN-YZ", "431102", "county"},
    // 娄底市 → 涟源市 (政策超市)
    {"HN-LD", "娄底市政务服务中心", "HN", "431300", "city"},
    {"HN-LD-LY", "涟源市政务服务中心", "HN-LD", "431382", "county"},
    {"HN-LD-LY-GXJ", "涟源市工业和信息化局", "HN-LD-LY", "431382", "county"},
    // 衡阳市 → 耒阳市 (清廉审批)
    {"HN-HY", "衡阳市政务服务中心", "HN", "430400", "city"},
    {"HN-HY-LY", "耒阳市行政审批服务局", "HN-HY", "430481", "county"},
    // 岳阳市 → 华容县 (一件事一次办)
    {"HN-YY", "岳阳市政务服务中心", "HN", "430600", "city"},
    {"HN-YY-HR", "华容县政务服务中心", "HN-YY", "430623", "county"},
    {"HN-YY-HR-SCJGJ", "华容县市场监督管理局", "HN-YY-HR", "430623", "county"},
    {"HN-YY-HR-MZJ", "华容县民政局", "HN-YY-HR", "430623", "county"},
    {"HN-YY-HR-CL", "华容县残疾人联合会", "HN-YY-HR", "430623", "county"},
    // 郴州市 (免申即享 惠企通)
    {"HN-CZ", "郴州市政务服务中心", "HN", "431000", "city"},
    {"HN-CZ-XSPJ", "郴州市行政审批服务局", "HN-CZ", "431000", "city"},
    {"HN-CZ-GXJ", "郴州市工业和信息化局", "HN-CZ", "431000", "city"},
    {"HN-CZ-CZJ", "郴州市财政局", "HN-CZ", "431000", "city"},
    {"HN-CZ-SWJ", "国家税务总局郴州市税务局", "HN-CZ", "431000", "city"},
};

struct DemoStaff {
  const char* username;
  const char* display_name;
  const char* role;
  const char* department_code;
};

const DemoStaff kStaff[] = {
    {"admin", "系统管理员", "platform_admin", "HN"},
    {"hr_admin", "陈志强", "dept_admin", "HN-CS"},
    {"clerk", "刘晓燕", "counter_clerk", "HN-CS-XSPJ"},
    {"reviewer", "周建国", "reviewer", "HN-CS-SCJGJ"},
    {"supervisor", "吴敏", "supervisor", "HN-CS"},
    {"agent", "黄丽", "agent", "HN-CS-YL-JZ"},
    {"yz_clerk", "蒋文", "counter_clerk", "HN-YZ-XSPJ"},
    {"hr_clerk", "邓华", "counter_clerk", "HN-YY-HR"},
    {"cz_reviewer", "曹磊", "reviewer", "HN-CZ-GXJ"},
};

constexpr const char* kAdminPassword = "Admin@2026";
constexpr const char* kDemoPassword = "Demo@2026";

struct DemoPerson {
  const char* name;
  const char* first17;  // the 18th character is computed (GB 11643 check digit)
  const char* phone;
};

const DemoPerson kPersons[] = {
    {"张三", "43010419900307123", "13807310001"},
    {"李梅", "43110219850612452", "13907460002"},
    {"王建华", "43138219920815316", "15173880003"},
    {"赵德明", "43048119780203281", "18007340004"},
    {"孙丽娟", "43062319881130527", "13574000005"},
    {"欧阳小雨", "43100219950420004", "17711350006"},
};

struct DemoEnterprise {
  const char* name;
  const char* first17;  // the 18th character is computed (GB 32100 check character)
  const char* legal_representative;
  const char* region;
  const char* industry;
};

const DemoEnterprise kEnterprises[] = {
    {"湖南湘江智造科技有限公司", "91430100MA4L1A2B3", "张三", "430104",
     "C39 计算机、通信和其他电子设备制造业"},
    {"永州市潇湘农业发展有限公司", "91431100MA4P5C6D7", "李梅", "431102", "A01 农业"},
    {"郴州有色新材料有限公司", "91431000MA4R8E9F0", "欧阳小雨", "431002",
     "C32 有色金属冶炼和压延加工业"},
    {"华容县洞庭湖渔业专业合作社", "93430623MA4M2G3H4", "孙丽娟", "430623", "A04 渔业"},
    {"涟源市湘中机械制造有限公司", "91431382MA4Q7J8K9", "王建华", "431382", "C34 通用设备制造业"},
};

Result<identity::Principal> PrincipalOf(App& app, const std::string& username) {
  return store::Read(*app.db, [&](store::Tx& tx) -> Result<identity::Principal> {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryOne("SELECT id FROM identity_user WHERE username = ?", {username},
                                 "identity.user_not_found", "用户不存在"));
    return identity::AuthService::LoadPrincipal(tx, row.Text(0));
  });
}

// Prefixes an error with the demo step that failed.
Error InStep(Error e, const std::string& step) {
  e.message = "加载演示数据失败（" + step + "）：" + e.message;
  return e;
}

#define DEMO_TRY(lhs, expr, step)                                               \
  auto ONESTOP_CONCAT_(demo_r_, __LINE__) = (expr);                             \
  if (!ONESTOP_CONCAT_(demo_r_, __LINE__).has_value())                          \
    return InStep(std::move(ONESTOP_CONCAT_(demo_r_, __LINE__)).error(), step); \
  lhs = std::move(ONESTOP_CONCAT_(demo_r_, __LINE__)).value()

}  // namespace

const std::vector<DemoAccount>& DemoAccounts() {
  static const std::vector<DemoAccount> accounts = [] {
    std::vector<DemoAccount> out;
    for (const DemoStaff& s : kStaff) {
      const char* dept = "";
      for (const DemoDepartment& d : kDepartments) {
        if (std::string(d.code) == s.department_code) dept = d.name;
      }
      Result<identity::Role> role = identity::ParseRole(s.role);
      out.push_back({s.username,
                     std::string(s.role) == "platform_admin" ? kAdminPassword : kDemoPassword,
                     role.has_value() ? identity::InfoOf(*role).name : s.role, dept});
    }
    out.push_back({"citizen", kDemoPassword, "群众", std::string(kPersons[0].name) + "（自然人）"});
    out.push_back({"enterprise", kDemoPassword, "企业", std::string(kEnterprises[0].name)});
    return out;
  }();
  return accounts;
}

Result<bool> LoadDemo(App& app) {
  if (app.identity.departments.GetByCode("HN").has_value()) return false;
  // The demo is many service calls, not one transaction: refuse up front rather than stop
  // half-way on a database that already has accounts of the same names.
  std::string marks;
  std::vector<store::Value> names;
  for (const DemoAccount& a : DemoAccounts()) {
    marks += marks.empty() ? "?" : ", ?";
    names.emplace_back(a.username);
  }
  DEMO_TRY(store::Rows clash,
           store::Read(*app.db,
                       [&](store::Tx& tx) {
                         return tx.Query("SELECT username FROM identity_user WHERE username IN (" +
                                             marks + ") ORDER BY username",
                                         names);
                       }),
           "检查账号");
  if (!clash.empty()) {
    return FailedPrecondition("app.demo_conflict",
                              "数据库中已有用户“" + clash.front().Text(0) +
                                  "”，演示数据只能加载到新的数据库（请换用 --db 指定新库）");
  }
  const identity::Principal system = identity::Principal::System();

  std::map<std::string, std::string> dept_ids;
  for (const DemoDepartment& d : kDepartments) {
    identity::NewDepartment nd{d.code, d.name, std::nullopt, d.region, d.level};
    if (*d.parent_code != '\0') nd.parent_id = dept_ids.at(d.parent_code);
    DEMO_TRY(identity::Department created, app.identity.departments.Create(system, nd),
             std::string("部门 ") + d.name);
    dept_ids[d.code] = created.id;
  }

  for (const DemoStaff& s : kStaff) {
    identity::NewUser u;
    u.username = s.username;
    u.password = std::string(s.role) == "platform_admin" ? kAdminPassword : kDemoPassword;
    u.display_name = s.display_name;
    u.roles = {s.role};
    u.department_id = dept_ids.at(s.department_code);
    DEMO_TRY([[maybe_unused]] identity::User created, app.identity.users.Create(system, u),
             std::string("用户 ") + s.username);
  }

  // Citizens and enterprises are registered at the 长沙 counter, as they would be.
  DEMO_TRY(identity::Principal clerk, PrincipalOf(app, "clerk"), "窗口人员");
  std::vector<identity::Person> persons;
  for (const DemoPerson& p : kPersons) {
    std::string number = std::string(p.first17) + IdNumberCheckChar(p.first17);
    DEMO_TRY(identity::Person created,
             app.identity.parties.CreatePerson(clerk, {p.name, number, p.phone}),
             std::string("自然人 ") + p.name);
    persons.push_back(created);
  }
  std::vector<identity::Enterprise> enterprises;
  for (const DemoEnterprise& e : kEnterprises) {
    identity::NewEnterprise ne{e.name,
                               std::string(e.first17) + UsccCheckChar(e.first17),
                               e.legal_representative,
                               e.region,
                               e.industry,
                               false};
    DEMO_TRY(identity::Enterprise created, app.identity.parties.CreateEnterprise(clerk, ne),
             std::string("企业 ") + e.name);
    enterprises.push_back(created);
  }

  identity::NewUser citizen;
  citizen.username = "citizen";
  citizen.password = kDemoPassword;
  citizen.display_name = persons.front().name;
  citizen.roles = {"citizen"};
  citizen.person_id = persons.front().id;
  DEMO_TRY([[maybe_unused]] identity::User c, app.identity.users.Create(system, citizen),
           "群众账号");
  identity::NewUser company;
  company.username = "enterprise";
  company.password = kDemoPassword;
  company.display_name = enterprises.front().name;
  company.roles = {"enterprise"};
  company.enterprise_id = enterprises.front().id;
  DEMO_TRY([[maybe_unused]] identity::User e, app.identity.users.Create(system, company),
           "企业账号");

  // A few real accesses, so that "谁查看了我的数据" shows what it is for.
  DEMO_TRY([[maybe_unused]] identity::Person r1,
           app.identity.parties.GetPerson(clerk, persons.front().id,
                                          "办理出生一件事，核验申请人身份信息"),
           "访问记录");
  DEMO_TRY(identity::Principal supervisor, PrincipalOf(app, "supervisor"), "电子监察");
  DEMO_TRY([[maybe_unused]] identity::Person r2,
           app.identity.parties.GetPerson(supervisor, persons.front().id,
                                          "12345 工单核查：群众反映办件超时"),
           "访问记录");
  DEMO_TRY([[maybe_unused]] identity::Enterprise r3,
           app.identity.parties.GetEnterprise(clerk, enterprises.front().id,
                                              "企业开办一件事：核对企业登记信息"),
           "访问记录");
  spdlog::info("演示数据已加载：{} 个部门，{} 个账号，{} 位群众，{} 家企业",
               std::size(kDepartments), DemoAccounts().size(), persons.size(), enterprises.size());
  return true;
}

}  // namespace onestop::app
