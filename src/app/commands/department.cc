// onestop department add: create a department from the command line (bootstrapping a new
// deployment before any administrator exists).
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"

namespace onestop::app {
namespace {

struct DepartmentFlags {
  std::string code;
  std::string name;
  std::string region;
  std::string level;
  std::optional<std::string> parent;
};

Result<void> AddDepartment(const GlobalFlags& global, const DepartmentFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  identity::NewDepartment d{f.code, f.name, std::nullopt, f.region, f.level};
  if (f.parent) {
    ASSIGN_OR_RETURN(identity::Department parent, app->identity.departments.GetByCode(*f.parent));
    d.parent_id = parent.id;
  }
  ASSIGN_OR_RETURN(identity::Department created,
                   app->identity.departments.Create(identity::Principal::System(), d));
  std::cout << "已创建部门 " << created.code << " " << created.name << "（"
            << identity::DeptLevelName(created.level) << "，区划 " << created.region_code << "）\n";
  return Ok();
}

}  // namespace

void AddDepartmentCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* department = cli.add_subcommand("department", "部门管理");
  department->require_subcommand(1);
  auto f = std::make_shared<DepartmentFlags>();
  CLI::App* add = department->add_subcommand("add", "新增部门");
  add->add_option("--code", f->code, "部门编码，如 HN-CS-XSPJ")->required();
  add->add_option("--name", f->name, "部门名称")->required();
  add->add_option("--region", f->region, "6 位行政区划代码，如 430100")->required();
  add->add_option("--level", f->level, "层级：province city county township village")->required();
  add->add_option("--parent", f->parent, "上级部门编码（省级根部门可省略）");
  add->callback([&global, &exit_code, f] { exit_code = ExitCode(AddDepartment(global, *f)); });
}

}  // namespace onestop::app
