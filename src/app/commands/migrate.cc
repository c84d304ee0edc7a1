// onestop migrate: apply the embedded schema migrations and report what ran.
#include "store/migrate.h"

#include <iostream>

#include "app/commands/commands.h"

namespace onestop::app {
namespace {

Result<void> Migrate(const GlobalFlags& global) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> db, LoadDatabase(global));
  ASSIGN_OR_RETURN(store::MigrationReport r, store::Migrate(*db, SystemClock::Instance()));
  for (const std::string& name : r.applied) std::cout << "已执行 " << name << "\n";
  std::cout << db->Describe() << "：结构版本 " << r.from_version << " → " << r.to_version
            << (r.applied.empty() ? "（已是最新）" : "") << "\n";
  return Ok();
}

}  // namespace

void AddMigrateCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cmd = cli.add_subcommand("migrate", "执行数据库迁移（建表、升级结构）");
  cmd->callback([&global, &exit_code] { exit_code = ExitCode(Migrate(global)); });
}

}  // namespace onestop::app
