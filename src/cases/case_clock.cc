#include "cases/case_clock.h"

namespace onestop::cases {

const char* LightCode(Light light) {
  switch (light) {
    case Light::kGreen:
      return "green";
    case Light::kYellow:
      return "yellow";
    case Light::kRed:
      return "red";
  }
  return "";
}

const char* LightName(Light light) {
  switch (light) {
    case Light::kGreen:
      return "正常";
    case Light::kYellow:
      return "即将到期";
    case Light::kRed:
      return "已超期";
  }
  return "";
}

Deadline ComputeDeadline(const WorkingCalendar& calendar, Millis start_ms,
                         const catalog::TimeLimit& limit, int paused_days) {
  const Date start = Date::FromMillisCst(start_ms);
  const int n = limit.value + (paused_days > 0 ? paused_days : 0);
  if (limit.unit == catalog::LimitUnit::kWorkingDays) {
    if (n <= 0) return {start, !calendar.IsPublished(start.year)};
    WorkingCalendar::Counted c = calendar.AddWorkingDays(start, n);
    return {c.date, c.provisional};
  }
  Date end = start.AddDays(n);
  bool provisional = !calendar.IsPublished(end.year);
  // Art. 203: a period whose last day is a day off ends on the next working day.
  if (n > 0 && !calendar.IsWorkday(end)) {
    WorkingCalendar::Counted next = calendar.AddWorkingDays(end, 1);
    end = next.date;
    provisional = provisional || next.provisional;
  }
  return {end, provisional};
}

int PausedDays(const WorkingCalendar& calendar, catalog::LimitUnit unit, Millis from_ms,
               Millis to_ms) {
  if (to_ms <= from_ms) return 0;
  if (unit == catalog::LimitUnit::kWorkingDays) {
    return calendar.WorkingDaysBetween(from_ms, to_ms).working_days;
  }
  return static_cast<int>(Date::FromMillisCst(to_ms).DaysSinceEpoch() -
                          Date::FromMillisCst(from_ms).DaysSinceEpoch());
}

int WorkingDaysLeft(const WorkingCalendar& calendar, const Deadline& deadline, Millis now_ms) {
  const Date today = Date::FromMillisCst(now_ms);
  if (today <= deadline.date) {
    return calendar.WorkingDaysBetween(today.StartOfDayMs(), deadline.date.StartOfDayMs())
        .working_days;
  }
  return -calendar.WorkingDaysBetween(deadline.date.StartOfDayMs(), today.StartOfDayMs())
              .working_days;
}

Light LightOf(const WorkingCalendar& calendar, const Deadline& deadline, Millis now_ms,
              int yellow_days) {
  if (Date::FromMillisCst(now_ms) > deadline.date) return Light::kRed;
  return WorkingDaysLeft(calendar, deadline, now_ms) <= yellow_days ? Light::kYellow
                                                                    : Light::kGreen;
}

}  // namespace onestop::cases
