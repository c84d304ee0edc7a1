// onestop demo load: load the demo data (idempotent).
#include <iostream>

#include "app/commands/commands.h"
#include "app/demo.h"

namespace onestop::app {

void AddDemoCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* demo = cli.add_subcommand("demo", "演示数据");
  demo->require_subcommand(1);
  CLI::App* load = demo->add_subcommand("load", "加载演示数据（已加载则跳过）");
  load->callback([&global, &exit_code] {
    Result<Config> config = LoadConfig(global);
    if (!config.has_value()) {
      exit_code = Fail(config.error());
      return;
    }
    Result<std::unique_ptr<App>> app = BuildApp(*config, SystemClock::Instance());
    if (!app.has_value()) {
      exit_code = Fail(app.error());
      return;
    }
    Result<bool> loaded = LoadDemo(**app);
    if (!loaded.has_value()) {
      exit_code = Fail(loaded.error());
      return;
    }
    std::cout << (*loaded ? "演示数据已加载。" : "演示数据已存在，未重复加载。") << "演示账号：\n";
    for (const DemoAccount& a : DemoAccounts()) {
      std::cout << "  " << a.username << "  " << a.password << "  " << a.role_name << "（"
                << a.where << "）\n";
    }
  });
}

}  // namespace onestop::app
