// onestop licence import / licence verify: bulk import of a department's licence register
// (streamed, 1,000 rows per transaction, a progress bar on stderr, a per-row error report,
// --resume after a crash) and the verification of one licence by its identifier.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"
#include "licences/licence_import.h"
#include "licences/licence_service.h"

namespace onestop::app {
namespace {

struct ImportArgs {
  std::string type_code;
  std::string department;
  std::string file;
  std::string format;  // "" = by the file's extension
  std::string errors;  // report CSV path, "" = none
  std::string resume;  // job id
};

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "[##########----------]  50.0%  12345 行  已导入 12000  错误 345  3210 行/秒"
void DrawProgress(const licences::ImportProgress& p, double seconds) {
  const double fraction =
      p.total_bytes > 0 ? static_cast<double>(p.bytes_read) / static_cast<double>(p.total_bytes)
                        : 0.0;
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar += std::string(static_cast<std::size_t>(width - filled), '-');
  const double rate = seconds > 0 ? static_cast<double>(p.rows_read) / seconds : 0.0;
  std::fprintf(stderr, "\r[%s] %5.1f%%  %lld 行  已导入 %lld  错误 %lld  %.0f 行/秒", bar.c_str(),
               fraction * 100.0, static_cast<long long>(p.rows_read),
               static_cast<long long>(p.imported), static_cast<long long>(p.failed), rate);
  std::fflush(stderr);
}

Result<void> Import(const GlobalFlags& global, const ImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return Unavailable("licences.import_io", "无法打开文件 " + a.file);
  std::error_code ec;
  const auto size = std::filesystem::file_size(a.file, ec);
  std::string format = a.format;
  if (format.empty()) {
    format = a.file.ends_with(".jsonl") || a.file.ends_with(".ndjson") ? "jsonl" : "csv";
  }
  ASSIGN_OR_RETURN(licences::ImportFormat f, licences::ParseImportFormat(format));
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  // The operator imports on the department's behalf (the system principal lacks licences.issue).
  identity::Principal system = identity::Principal::System();
  system.permissions.insert(identity::Permission::kIssueLicences);
  std::string job_id = a.resume;
  if (job_id.empty()) {
    ASSIGN_OR_RETURN(licences::ImportJob job,
                     app->licence_importer.Start(system, a.type_code, a.department, f,
                                                 std::filesystem::path(a.file).filename().string(),
                                                 ec ? 0 : static_cast<std::int64_t>(size)));
    job_id = job.id;
    std::cerr << "导入任务 " << job_id << "（中断后可用 --resume " << job_id << " 继续）\n";
  }
  const auto start = std::chrono::steady_clock::now();
  licences::ImportOptions options;
  options.on_progress = [&](const licences::ImportProgress& p) {
    DrawProgress(p,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  ASSIGN_OR_RETURN(licences::ImportJob job, app->licence_importer.Run(system, job_id, in, options));
  std::cerr << "\n";
  if (!a.errors.empty()) {
    std::ofstream report(a.errors, std::ios::trunc);
    report << "line,field,message\n";
    for (const licences::ImportRowError& e : job.errors) {
      report << e.line << "," << CsvCell(e.field) << "," << CsvCell(e.message) << "\n";
    }
  }
  std::cout << "读取 " << job.rows_read << " 行，导入 " << job.imported << " 条，错误 "
            << job.failed << " 行" << (a.errors.empty() ? "" : "（错误报告：" + a.errors + "）")
            << "\n";
  if (job.state == "failed") {
    return Aborted("licences.import_failed", "导入中止：" + job.failure + "；已提交到第 " +
                                                 std::to_string(job.last_committed_line) +
                                                 " 行，可用 --resume " + job.id + " 继续");
  }
  return Ok();
}

Result<void> Verify(const GlobalFlags& global, const std::string& identifier) {
  ASSIGN_OR_RETURN(std::unique_ptr<App> app, LoadApp(global));
  ASSIGN_OR_RETURN(licences::Verification v, app->licences.Verify(identifier));
  std::cout << licences::VerifyResultCode(v.result) << "\t" << licences::VerifyResultName(v.result)
            << "：" << v.message << "\n";
  if (v.licence) {
    std::cout << "证照：" << v.licence->name << " " << v.licence->number << " 第"
              << v.licence->version << "版\n持证主体：" << v.licence->holder_name_masked << " "
              << v.licence->holder_code_masked << "\n颁发机构：" << v.licence->issuer_name << " "
              << v.licence->issue_date << "\n";
  }
  if (v.seal) std::cout << "印章：" << v.seal->seal_name << "（" << v.seal->key_id << "）\n";
  if (v.result != licences::VerifyResult::kValid) {
    return FailedPrecondition("licences.not_valid",
                              std::string("证照不可用：") + licences::VerifyResultName(v.result));
  }
  return Ok();
}

}  // namespace

void AddLicenceCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* lic = cli.add_subcommand("licence", "电子证照库：批量导入与验证");
  lic->require_subcommand(1);

  auto args = std::make_shared<ImportArgs>();
  CLI::App* imp =
      lic->add_subcommand("import", "从部门存量登记簿批量导入电子证照（CSV / JSON lines）");
  imp->add_option("--type", args->type_code, "证照类型代码（21位）")->required();
  imp->add_option("--department", args->department, "颁发部门 ID");
  imp->add_option("--file", args->file, "CSV（首行为表头）或 JSON lines 文件")->required();
  imp->add_option("--format", args->format, "csv 或 jsonl（默认按扩展名）");
  imp->add_option("--errors", args->errors, "逐行错误报告输出文件（CSV）");
  imp->add_option("--resume", args->resume, "继续中断的导入任务 ID");
  imp->callback([&global, &exit_code, args] {
    if (args->department.empty() && args->resume.empty()) {
      exit_code =
          Fail(InvalidArgument("licences.department_required", "请用 --department 指定颁发部门"));
      return;
    }
    exit_code = ExitCode(Import(global, *args));
  });

  auto identifier = std::make_shared<std::string>();
  CLI::App* ver = lic->add_subcommand("verify", "验证电子证照（签名与状态）");
  ver->add_option("IDENTIFIER", *identifier, "电子证照标识 1.2.156.3005.2.…")->required();
  ver->callback(
      [&global, &exit_code, identifier] { exit_code = ExitCode(Verify(global, *identifier)); });
}

}  // namespace onestop::app
