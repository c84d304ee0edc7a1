// onestop enterprises import FILE: bulk import of enterprise data (企业数据) for the policy
// matcher — CSV (header: id, name, fact keys or Chinese labels) or JSON lines, streamed, 1,000
// rows per transaction, a progress line on stderr, the report with every row error on stdout.
// Exit 1 when any row failed (the good rows are imported all the same).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"
#include "policy/enterprise_service.h"

namespace onestop::app {
namespace {

struct EnterpriseImportArgs {
  std::string file;
  std::string format;  // "" = by the file's extension
  std::string source;
  std::string as_of;
};

Result<void> ImportEnterprises(const GlobalFlags& global, const EnterpriseImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return Unavailable("policy.import_io", "无法打开文件 " + a.file);
  std::string format = a.format;
  if (format.empty()) format = a.file.ends_with(".csv") ? "csv" : "jsonl";
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  const policy::FactSchema schema = policy::FactSchema::Default();
  policy::EnterpriseService enterprises(*app->db, app->clock, app->audit, schema);

  policy::ImportOptions options;
  options.format = format;
  options.file_name = std::filesystem::path(a.file).filename().string();
  options.source = a.source;
  options.as_of = a.as_of;
  const auto start = std::chrono::steady_clock::now();
  options.on_progress = [&](const policy::EnterpriseImport& j) {
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = s > 0 ? static_cast<double>(j.rows_ok + j.error_count) / s : 0.0;
    std::fprintf(stderr, "\r%lld 行  新增 %lld  变更 %lld  未变 %lld  错误 %lld  %.0f 行/秒",
                 static_cast<long long>(j.rows_ok + j.error_count), static_cast<long long>(j.added),
                 static_cast<long long>(j.changed), static_cast<long long>(j.unchanged),
                 static_cast<long long>(j.error_count), rate);
    std::fflush(stderr);
  };
  Result<policy::ImportReport> report =
      enterprises.Import(identity::Principal::System(), in, options);
  std::cerr << "\n";
  if (!report.has_value()) return std::move(report).error();
  const policy::EnterpriseImport& job = report->job;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "导入任务 " << job.id << "：读取 " << job.lines << " 行，成功 " << job.rows_ok
            << " 行（新增 " << job.added << " 家，变更 " << job.changed << " 家，未变 "
            << job.unchanged << " 家），错误 " << job.error_count << " 行，用时 "
            << static_cast<long long>(seconds * 1000) << " 毫秒\n";
  for (const policy::ImportRowError& e : job.errors) std::cout << e.message << "\n";
  if (job.error_count > static_cast<std::int64_t>(job.errors.size())) {
    std::cout << "（仅列出前 " << job.errors.size() << " 条错误）\n";
  }
  if (job.error_count > 0) {
    return InvalidArgument("policy.import_rows",
                           std::to_string(job.error_count) + " 行有错误，已跳过（其余已导入）");
  }
  return Ok();
}

}  // namespace

void AddEnterpriseCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* ent = cli.add_subcommand("enterprises", "企业数据（政策匹配用）：批量导入");
  ent->require_subcommand(1);
  auto args = std::make_shared<EnterpriseImportArgs>();
  CLI::App* imp = ent->add_subcommand(
      "import", "导入企业数据（CSV 首行为表头：id、name、数据项或其中文名；或 JSON lines）");
  imp->add_option("FILE", args->file, "CSV 或 JSON lines 文件")->required();
  imp->add_option("--format", args->format, "csv 或 jsonl（默认按扩展名）");
  imp->add_option("--source", args->source, "数据来源部门（默认按数据项的声明）");
  imp->add_option("--as-of", args->as_of, "数据日期 YYYY-MM-DD（默认今天）");
  imp->callback(
      [&global, &exit_code, args] { exit_code = ExitCode(ImportEnterprises(global, *args)); });
}

}  // namespace onestop::app
