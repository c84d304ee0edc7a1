// onestop calendar add DATE N / calendar is-workday DATE: the working-day calendar from the
// command line. Uses the administrators' overrides when the database exists, else only the
// published calendar.
#include <filesystem>
#include <iostream>

#include "app/commands/commands.h"
#include "app/wiring.h"
#include "calendar/calendar_service.h"
#include "store/migrate.h"

namespace onestop::app {
namespace {

// The calendar with overrides from the configured database, if there is one.
Result<WorkingCalendar> CurrentCalendar(const GlobalFlags& global) {
  ASSIGN_OR_RETURN(Config config, LoadConfig(global));
  if (config.db.starts_with("sqlite:")) {
    std::error_code ec;
    if (!std::filesystem::exists(config.db.substr(7), ec)) return WorkingCalendar::Builtin();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> db, OpenDatabase(config));
  ASSIGN_OR_RETURN(int version, store::SchemaVersion(*db));
  if (version == 0) return WorkingCalendar::Builtin();
  audit::AuditLog log(SystemClock::Instance());
  calendar::CalendarService service(*db, SystemClock::Instance(), log);
  return service.Current();
}

void ProvisionalNote(const WorkingCalendar& cal, int first_year, int last_year) {
  for (int y = first_year; y <= last_year; ++y) {
    if (!cal.IsPublished(y)) {
      std::cerr << "注意：" << y
                << " 年的节假日安排尚未收录，该年按周一至周五推算，结果为临时结果，"
                << "请在国务院办公厅发布通知后复核。\n";
    }
  }
}

const char* KindName(DayKind k) {
  switch (k) {
    case DayKind::kWorkday:
      return "工作日";
    case DayKind::kWeekend:
      return "周末休息日";
    case DayKind::kHoliday:
      return "节假日";
    case DayKind::kAdjustedWorkday:
      return "调休上班日";
  }
  return "";
}

Result<void> AddDays(const GlobalFlags& global, const std::string& date_text, int n) {
  ASSIGN_OR_RETURN(Date start, Date::Parse(date_text));
  if (n < 1 || n > 3650) {
    return InvalidArgument("calendar.bad_days", "工作日数 N 应在 1–3650 之间");
  }
  ASSIGN_OR_RETURN(WorkingCalendar calendar, CurrentCalendar(global));
  WorkingCalendar::Counted r = calendar.AddWorkingDays(start, n);
  std::cout << r.date.ToString() << "\n";
  if (r.provisional) ProvisionalNote(calendar, start.year, r.date.year);
  return Ok();
}

Result<void> IsWorkday(const GlobalFlags& global, const std::string& date_text) {
  ASSIGN_OR_RETURN(Date date, Date::Parse(date_text));
  ASSIGN_OR_RETURN(WorkingCalendar calendar, CurrentCalendar(global));
  DayInfo d = calendar.Day(date);
  std::cout << (d.workday ? "yes" : "no") << "\t" << d.date.ToString() << " "
            << (d.workday ? "是工作日" : "不是工作日") << "（" << KindName(d.kind)
            << (d.name.empty() ? "" : "：" + d.name) << (d.overridden ? "，人工调整" : "")
            << "）\n";
  if (d.provisional) ProvisionalNote(calendar, date.year, date.year);
  return Ok();
}

}  // namespace

void AddCalendarCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  CLI::App* cal = cli.add_subcommand("calendar", "工作日历计算");
  cal->require_subcommand(1);

  auto add_date = std::make_shared<std::string>();
  auto add_n = std::make_shared<int>(0);
  CLI::App* add = cal->add_subcommand(
      "add", "打印 DATE 之后第 N 个工作日（民法典第二百零一条：开始的当日不计入）");
  add->add_option("DATE", *add_date, "起算日期 YYYY-MM-DD")->required();
  add->add_option("N", *add_n, "工作日数（1–3650）")->required();
  add->callback([&global, &exit_code, add_date, add_n] {
    exit_code = ExitCode(AddDays(global, *add_date, *add_n));
  });

  auto day_text = std::make_shared<std::string>();
  CLI::App* is_workday = cal->add_subcommand("is-workday", "判断 DATE 是否为工作日");
  is_workday->add_option("DATE", *day_text, "日期 YYYY-MM-DD")->required();
  is_workday->callback(
      [&global, &exit_code, day_text] { exit_code = ExitCode(IsWorkday(global, *day_text)); });
}

}  // namespace onestop::app
