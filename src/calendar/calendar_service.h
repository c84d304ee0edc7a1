// Calendar (工作日历): the published working-day calendar (core/working_days.h) plus the
// administrators' overrides stored in calendar_override, audited. CalendarService::Current()
// is what every deadline computation uses.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/working_days.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::calendar {

struct YearView {
  int year = 0;
  bool published = false;  // false: weekday fallback, every day provisional
  std::string source;      // provenance of the published data
  std::vector<DayInfo> days;
};

struct OverrideRecord {
  Date date;
  bool workday = false;
  std::string name;
  std::string reason;
  std::string updated_by;
  Millis updated_at_ms = 0;
};

class CalendarService {
 public:
  // `cache_ms`: how long a node trusts its copy of the overrides (other nodes' changes show
  // up within this time; this node's own changes at once).
  CalendarService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                  const WorkingCalendar& published = WorkingCalendar::Builtin(),
                  Millis cache_ms = 5000);

  // The published calendar with every override applied.
  Result<WorkingCalendar> Current();

  // Every day of `year` (1900–2199) as the current calendar sees it.
  // kInvalidArgument calendar.bad_year.
  Result<YearView> Year(int year);

  // Sets `date` to a working day or a day off. kPermissionDenied without calendar.manage;
  // kInvalidArgument calendar.invalid_override (name 1–32 characters, reason 2–200),
  // calendar.bad_year, calendar.bad_date (no such day, e.g. 2026-02-30).
  Result<DayInfo> SetOverride(const identity::Principal& actor, Date date, bool workday,
                              const std::string& name, const std::string& reason);
  // Removes the override of `date`. kNotFound calendar.no_override.
  Result<DayInfo> RemoveOverride(const identity::Principal& actor, Date date,
                                 const std::string& reason);

  Result<std::vector<OverrideRecord>> Overrides();

 private:
  Result<std::vector<CalendarOverride>> LoadOverrides();
  void Invalidate();

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  WorkingCalendar published_;
  Millis cache_ms_;
  std::mutex mu_;
  std::optional<WorkingCalendar> cached_;
  Millis cached_at_ms_ = 0;
};

}  // namespace onestop::calendar
