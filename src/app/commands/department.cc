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

int AddDepartment(const GlobalFlags& global, const DepartmentFlags& f) {
  Result<Config> config = LoadConfig(global);
  if (!config.has_value()) return Fail(config.error());
  Result<std::unique_ptr<App>> app = BuildApp(*config, SystemClock::Instance());
  if (!app.has_value()) return Fail(app.error());
  identity::NewDepartment d{f.code, f.name, std::nullopt, f.region, f.level};
  if (f.parent) {
    Result<identity::Department> parent = (*app)->identity.departments.GetByCode(*f.parent);
    if (!parent.has_value()) return Fail(parent.error());
    d.parent_id = parent->id;
  }
  Result<identity::Department> created =
      (*app)->identity.departments.Create(identity::Principal::System(), d);
  if (!created.has_value()) return Fail(created.error());
  std::cout << "已创建部门 " << created->code << " " << created->name << "（"
            << identity::DeptLevelName(created->level) << "，区划 " << created->region_code
            << "）\n";
  return 0;
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
  add->callback([&global, &exit_code, f] { exit_code = AddDepartment(global, *f); });
}

}  // namespace onestop::app
