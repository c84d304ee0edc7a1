// onestop user add: create an account from the command line (e.g. the first administrator).
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"

namespace onestop::app {
namespace {

struct UserFlags {
  std::string username;
  std::string password;
  std::vector<std::string> roles;
  std::optional<std::string> department;
  std::optional<std::string> display_name;
  std::optional<std::string> scope;
};

Result<void> AddUser(const GlobalFlags& global, const UserFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  identity::NewUser u;
  u.username = f.username;
  u.password = f.password;
  u.display_name = f.display_name.value_or(f.username);
  u.roles = f.roles;
  u.data_scope = f.scope;
  if (f.department) {
    ASSIGN_OR_RETURN(identity::Department d, app->identity.departments.GetByCode(*f.department));
    u.department_id = d.id;
  }
  ASSIGN_OR_RETURN(identity::User created,
                   app->identity.users.Create(identity::Principal::System(), u));
  std::cout << "已创建用户 " << created.username << "（" << created.id << "），角色：";
  for (std::size_t i = 0; i < created.roles.size(); ++i) {
    std::cout << (i ? "、" : "") << identity::InfoOf(created.roles[i]).name;
  }
  std::cout << "，数据范围：" << identity::DataScopeName(created.data_scope) << "\n";
  return Ok();
}

}  // namespace

void AddUserCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* user = cli.add_subcommand("user", "用户管理");
  user->require_subcommand(1);
  auto f = std::make_shared<UserFlags>();
  CLI::App* add = user->add_subcommand("add", "新增用户");
  add->add_option("--username", f->username, "用户名")->required();
  add->add_option("--password", f->password, "密码（至少 8 位，含三类字符）")->required();
  add->add_option("--role", f->roles,
                  "角色，可重复：platform_admin dept_admin counter_clerk reviewer supervisor agent")
      ->required();
  add->add_option("--department", f->department, "所属部门编码（工作人员必填），如 HN-CS");
  add->add_option("--display-name", f->display_name, "姓名，默认同用户名");
  add->add_option("--scope", f->scope, "数据范围：all custom dept dept_and_below self");
  add->callback([&global, &exit_code, f] { exit_code = ExitCode(AddUser(global, *f)); });
}

}  // namespace onestop::app
