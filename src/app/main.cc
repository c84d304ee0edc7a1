// onestop: the OneStop server and its administration commands.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app/commands/commands.h"
#include "app/logging.h"
#include "app/wiring.h"

namespace onestop::app {

Result<Config> LoadConfig(const GlobalFlags& flags) {
  Config config;
  std::string file = flags.config.value_or("onestop.json");
  std::error_code ec;
  if (flags.config || std::filesystem::exists(file, ec))
    RETURN_IF_ERROR(ApplyJsonFile(config, file));
  RETURN_IF_ERROR(ApplyEnvironment(config, ProcessEnvironment()));
  if (flags.db) config.db = *flags.db;
  if (flags.log_level) config.log_level = *flags.log_level;
  RETURN_IF_ERROR(Validate(config));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  return config;
}

int Fail(const Error& error) {
  std::cerr << "错误：" << error.message << "\n";
  for (const FieldError& f : error.fields) {
    if (f.message != error.message || error.fields.size() > 1) {
      std::cerr << "  - " << f.field << "：" << f.message << "\n";
    }
  }
  std::cerr << "（" << ErrorCodeName(error.code) << " " << error.reason << "）\n";
  return 1;
}

int ExitCode(const Result<void>& result) { return result.has_value() ? 0 : Fail(result.error()); }

Result<std::unique_ptr<store::Db>> LoadDatabase(const GlobalFlags& flags) {
  ASSIGN_OR_RETURN(Config config, LoadConfig(flags));
  return OpenDatabase(config);
}

Result<std::unique_ptr<App>> LoadApp(const GlobalFlags& flags) {
  ASSIGN_OR_RETURN(Config config, LoadConfig(flags));
  return BuildApp(config, SystemClock::Instance());
}

}  // namespace onestop::app

int main(int argc, char** argv) {
  using namespace onestop::app;
  InitLogging();

  CLI::App cli{"OneStop 一网通办：一件事一次办政务服务平台", "onestop"};
  cli.require_subcommand(1);
  cli.fallthrough();  // "onestop serve --db …": global flags after the command name
  cli.set_version_flag("--version", Version());
  GlobalFlags flags;
  cli.add_option("--config", flags.config, "配置文件（JSON），默认读取 ./onestop.json（若存在）");
  cli.add_option("--db", flags.db,
                 "数据库：sqlite:路径 或 postgresql://用户:密码@主机:端口/库名"
                 "（默认 sqlite:./data/onestop.db）");
  cli.add_option("--log-level", flags.log_level, "日志级别：trace/debug/info/warn/error");
  cli.failure_message([](const CLI::App* app, const CLI::Error& e) {
    return std::string("参数错误：") + e.what() + "\n用法见 " + app->get_name() + " --help\n";
  });
  int exit_code = 0;
  AddServeCommand(cli, flags, exit_code);
  AddMigrateCommand(cli, flags, exit_code);
  AddDemoCommand(cli, flags, exit_code);
  AddUserCommand(cli, flags, exit_code);
  AddDepartmentCommand(cli, flags, exit_code);
  AddAuditCommand(cli, flags, exit_code);
  AddCalendarCommand(cli, flags, exit_code);
  AddCatalogCommand(cli, flags, exit_code);
  AddSealCommand(cli, flags, exit_code);
  AddLicenceCommand(cli, flags, exit_code);
  AddMatchCommand(cli, flags, exit_code);
  AddEnterpriseCommand(cli, flags, exit_code);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return exit_code;
}
