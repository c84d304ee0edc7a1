#include "cases/light_scan.h"

#include <optional>
#include <string>
#include <vector>

#include "cases/case_clock.h"

namespace onestop::cases {

Result<LightCounts> ScanLights(store::Db& db, calendar::CalendarService& calendar,
                               const Clock& clock, const identity::Principal& actor,
                               const LightScanOptions& options) {
  RETURN_IF_ERROR(identity::Require(actor, identity::Permission::kReadCases));
  if (options.page_size < 1 || options.page_size > kMaxLightScanPage) {
    return InvalidArgument("cases.bad_page_size",
                           "每页读取的任务数应为 1–" + std::to_string(kMaxLightScanPage))
        .WithField("pageSize", "应为 1–" + std::to_string(kMaxLightScanPage));
  }
  LightCounts counts;
  // The same rows as a department queue (CaseService::Queue): pending tasks, by the department
  // of their current step.
  std::string sql =
      "SELECT t.id, t.deadline, t.deadline_provisional, c.suspended_since_ms FROM case_task t "
      "JOIN case_file c ON c.id = t.case_id WHERE t.status = 'pending' AND t.id > ?";
  std::vector<store::Value> scope_params;
  if (std::optional<std::vector<std::string>> scope = actor.ScopeFilter()) {
    if (scope->empty()) return counts;
    std::string marks;
    for (const std::string& d : *scope) {
      marks += marks.empty() ? "?" : ", ?";
      scope_params.emplace_back(d);
    }
    sql += " AND t.department_id IN (" + marks + ")";
  }
  sql += " ORDER BY t.id LIMIT ?";

  ASSIGN_OR_RETURN(WorkingCalendar cal, calendar.Current());
  const Millis now = clock.NowMs();
  std::string after;  // keyset: the last task id of the previous page
  for (;;) {
    std::vector<store::Value> params;
    params.reserve(scope_params.size() + 2);
    params.emplace_back(after);
    params.insert(params.end(), scope_params.begin(), scope_params.end());
    params.emplace_back(std::int64_t{options.page_size});
    ASSIGN_OR_RETURN(store::Rows rows, store::Read(db, [&](store::Tx& tx) -> Result<store::Rows> {
                       return tx.Query(sql, params);
                     }));
    ++counts.pages;
    for (const store::Row& r : rows) {
      ++counts.scanned;
      if (!r.IsNull(3)) {
        ++counts.suspended;
        continue;
      }
      std::optional<Date> date;
      if (!r.IsNull(1)) {
        Result<Date> parsed = Date::Parse(r.Text(1));
        if (parsed.has_value()) date = *parsed;
      }
      if (!date) {
        ++counts.without_deadline;
        continue;
      }
      switch (LightOf(cal, Deadline{*date, r.Bool(2)}, now, options.yellow_days)) {
        case Light::kGreen:
          ++counts.green;
          break;
        case Light::kYellow:
          ++counts.yellow;
          break;
        case Light::kRed:
          ++counts.red;
          break;
      }
    }
    if (rows.size() < static_cast<std::size_t>(options.page_size)) break;
    after = rows[rows.size() - 1].Text(0);
  }
  return counts;
}

}  // namespace onestop::cases
