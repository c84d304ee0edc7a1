// onestop migrate: apply the embedded schema migrations and report what ran.
#include "store/migrate.h"

#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"

namespace onestop::app {

void AddMigrateCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cmd = cli.add_subcommand("migrate", "执行数据库迁移（建表、升级结构）");
  cmd->callback([&global, &exit_code] {
    Result<Config> config = LoadConfig(global);
    if (!config.has_value()) {
      exit_code = Fail(config.error());
      return;
    }
    Result<std::unique_ptr<store::Db>> db = OpenDatabase(*config);
    if (!db.has_value()) {
      exit_code = Fail(db.error());
      return;
    }
    Result<store::MigrationReport> r = store::Migrate(**db, SystemClock::Instance());
    if (!r.has_value()) {
      exit_code = Fail(r.error());
      return;
    }
    for (const std::string& name : r->applied) std::cout << "已执行 " << name << "\n";
    std::cout << (*db)->Describe() << "：结构版本 " << r->from_version << " → " << r->to_version
              << (r->applied.empty() ? "（已是最新）" : "") << "\n";
  });
}

}  // namespace onestop::app
