// onestop verify-audit: walk the audit hash chain; exit 1 naming the first broken entry.
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"
#include "audit/audit_log.h"
#include "store/migrate.h"

namespace onestop::app {

void AddAuditCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cmd = cli.add_subcommand("verify-audit", "校验审计日志哈希链是否完整");
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
    Result<int> version = store::SchemaVersion(**db);
    if (!version.has_value() || *version == 0) {
      exit_code =
          Fail(version.has_value()
                   ? FailedPrecondition("audit.no_schema",
                                        "数据库尚未初始化（没有审计日志），请先执行 migrate")
                   : version.error());
      return;
    }
    audit::AuditLog log(SystemClock::Instance());
    Result<audit::VerifyReport> report = log.Verify(**db);
    if (!report.has_value()) {
      exit_code = Fail(report.error());
      return;
    }
    if (report->ok) {
      std::cout << "审计链完整：共 " << report->checked << " 条记录，哈希全部一致。\n";
      return;
    }
    std::cerr << "审计链已损坏：第一处问题在第 " << *report->first_broken_seq << " 条记录。"
              << report->problem << "\n（已校验通过 " << report->checked << " 条）\n";
    exit_code = 1;
  });
}

}  // namespace onestop::app
