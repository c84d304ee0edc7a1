// onestop verify-audit: walk the audit hash chain; exit 1 naming the first broken entry.
#include <iostream>

#include "app/commands/commands.h"
#include "audit/audit_log.h"
#include "store/migrate.h"

namespace onestop::app {
namespace {

Result<void> VerifyAudit(const GlobalFlags& global) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> db, LoadDatabase(global));
  ASSIGN_OR_RETURN(int version, store::SchemaVersion(*db));
  if (version == 0) {
    return FailedPrecondition("audit.no_schema",
                              "数据库尚未初始化（没有审计日志），请先执行 migrate");
  }
  audit::AuditLog log(SystemClock::Instance());
  ASSIGN_OR_RETURN(audit::VerifyReport report, log.Verify(*db));
  if (!report.ok) {
    return FailedPrecondition(
        "audit.chain_broken",
        "审计链已损坏：第一处问题在第 " + std::to_string(*report.first_broken_seq) + " 条记录。" +
            report.problem + "（此前 " + std::to_string(report.checked) + " 条校验通过）");
  }
  std::cout << "审计链完整：共 " << report.checked << " 条记录，哈希全部一致。\n";
  return Ok();
}

}  // namespace

void AddAuditCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cmd = cli.add_subcommand("verify-audit", "校验审计日志哈希链是否完整");
  cmd->callback([&global, &exit_code] { exit_code = ExitCode(VerifyAudit(global)); });
}

}  // namespace onestop::app
