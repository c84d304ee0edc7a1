// The onestop command line (CLI11): one Add*Command per file in commands/. Each command sets
// the process exit code: 0 on success, 1 with a Chinese message on stderr on failure.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/wiring.h"
#include "core/result.h"

namespace onestop::app {

// Flags every command accepts.
struct GlobalFlags {
  std::optional<std::string> config;  // --config FILE (default ./onestop.json if present)
  std::optional<std::string> db;      // --db URL
  std::optional<std::string> log_level;
};

// default < config file < environment < flags.
Result<Config> LoadConfig(const GlobalFlags& flags);

// Prints "错误：<message>" (and field errors) to stderr and returns 1.
int Fail(const Error& error);
// 0 for success, else Fail(error): the exit code of a command body.
int ExitCode(const Result<void>& result);

// LoadConfig, then open the configured database (no migration).
Result<std::unique_ptr<store::Db>> LoadDatabase(const GlobalFlags& flags);
// LoadConfig, then BuildApp (migrates) with the system clock.
Result<std::unique_ptr<App>> LoadApp(const GlobalFlags& flags);

void AddServeCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddMigrateCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddDemoCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddUserCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddDepartmentCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddAuditCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddCalendarCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddCatalogCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddSealCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddLicenceCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);
void AddMatchCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);  // no database
void AddEnterpriseCommand(CLI::App& cli, GlobalFlags& flags, int& exit_code);

}  // namespace onestop::app
