// onestop demo load: load the demo data (idempotent).
#include <iostream>

#include "app/commands/commands.h"
#include "app/demo.h"

namespace onestop::app {
namespace {

Result<void> LoadDemoCommand(const GlobalFlags& global) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  ASSIGN_OR_RETURN(bool loaded, LoadDemo(*app));
  std::cout << (loaded ? "演示数据已加载。" : "演示数据已存在，未重复加载。") << "演示账号：\n";
  for (const DemoAccount& a : DemoAccounts()) {
    std::cout << "  " << a.username << "  " << a.password << "  " << a.role_name << "（" << a.where
              << "）\n";
  }
  return Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* demo = cli.add_subcommand("demo", "演示数据");
  demo->require_subcommand(1);
  CLI::App* load = demo->add_subcommand("load", "加载演示数据（已加载则跳过）");
  load->callback([&global, &exit_code] { exit_code = ExitCode(LoadDemoCommand(global)); });
}

}  // namespace onestop::app
