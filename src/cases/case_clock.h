// Case clocks (办件时限): deadlines in working days or natural days from acceptance, extended by
// suspensions (补正 and other pauses), and the supervision light green / yellow / red.
// Pure functions over a WorkingCalendar; the service stores their results.
#pragma once

#include <optional>
#include <vector>

#include "catalog/item.h"
#include "core/clock.h"
#include "core/working_days.h"

namespace onestop::cases {

enum class Light { kGreen, kYellow, kRed };

const char* LightCode(Light light);  // "green" / "yellow" / "red"
const char* LightName(Light light);  // "正常" / "即将到期" / "已超期"

struct Deadline {
  Date date;                 // the period ends at 24:00 CST of this day
  bool provisional = false;  // counted through a year whose calendar is not published
};

// The end of a period of `limit` that starts on the CST day of `start_ms`, with `paused_days`
// added (days of the same unit during which the clock stood still).
// Working days: 民法典 art. 201 — the start day is not counted, day 1 is the next working day.
// Natural days: the start day is not counted; a last day that is not a working day moves to the
// next working day (art. 203). A limit of 0 (即办件) ends on the start day.
Deadline ComputeDeadline(const WorkingCalendar& calendar, Millis start_ms,
                         const catalog::TimeLimit& limit, int paused_days);

// Days of `unit` that a suspension from `from_ms` to `to_ms` took off the clock: working days
// in (day(from), day(to)] for working-day limits, natural days for natural-day limits.
int PausedDays(const WorkingCalendar& calendar, catalog::LimitUnit unit, Millis from_ms,
               Millis to_ms);

// The light of a running clock at `now_ms`: red after the deadline day, yellow when no more
// than `yellow_days` working days are left after today (so on the deadline day itself, and
// `yellow_days` working days before it), green otherwise.
Light LightOf(const WorkingCalendar& calendar, const Deadline& deadline, Millis now_ms,
              int yellow_days = 1);

// Working days left after today until the deadline (0 on the deadline day, negative once it
// has passed: minus the working days since).
int WorkingDaysLeft(const WorkingCalendar& calendar, const Deadline& deadline, Millis now_ms);

}  // namespace onestop::cases
