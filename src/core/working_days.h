// Working days (工作日): calendar dates in China Standard Time and the statutory holiday
// calendar (法定节假日 and 调休). Entry point: WorkingCalendar::Builtin().AddWorkingDays.
// Rules are standards §5.1 (民法典 art. 201/203). Storing local overrides (e.g. a city's extra
// day off) is for calendar/; this file only applies the overrides it is given.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace onestop {

// A proleptic Gregorian calendar date, years 1..9999. Plain value; compare with <, ==.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Parses "YYYY-MM-DD" (exactly that shape, spaces around it ignored).
  // kInvalidArgument: core.date_format (wrong shape), core.date_invalid (no such day).
  static Result<Date> Parse(std::string_view text);
  // True if year/month/day name a real day in 1..9999.
  static bool IsValid(int year, int month, int day);
  // The date `days` after 1970-01-01 (negative = before).
  static Date FromDaysSinceEpoch(std::int64_t days);
  // The China Standard Time (UTC+8, no DST) date of the UTC instant `utc_ms`.
  static Date FromMillisCst(Millis utc_ms);

  // "2026-10-08".
  std::string ToString() const;
  // Days since 1970-01-01 (negative before it).
  std::int64_t DaysSinceEpoch() const;
  // This date moved by `days` (may be negative).
  Date AddDays(int days) const;
  // ISO weekday: 1 = Monday … 7 = Sunday.
  int Weekday() const;
  // The UTC instant of 00:00 CST on this date.
  Millis StartOfDayMs() const;
  // The UTC instant of 24:00 CST on this date (= start of the next day), i.e. when a period
  // whose last day is this date ends (民法典 art. 203).
  Millis EndOfDayMs() const;

  friend auto operator<=>(const Date&, const Date&) = default;
};

// One day whose status is set explicitly: published data or a local override.
struct CalendarOverride {
  Date date;
  bool workday = false;  // true: a working day (调休上班); false: a day off
  std::string name;      // "国庆节", "春节调休上班", "台风停工"
};

enum class DayKind : std::uint8_t {
  kWorkday,          // Monday–Friday, nothing special
  kWeekend,          // Saturday or Sunday, nothing special
  kHoliday,          // a day off set by the calendar (法定节假日, 调休放假, local day off)
  kAdjustedWorkday,  // a Saturday or Sunday that is worked (调休上班)
};

struct DayInfo {
  Date date;
  bool workday = false;
  DayKind kind = DayKind::kWorkday;
  std::string name;          // holiday or adjustment name; empty for ordinary days
  bool provisional = false;  // the year is not published: weekday fallback
  bool overridden = false;   // set by WithOverrides, not by published data
};

// The working-day calendar. An immutable value: copies share the same tables, so it is cheap
// to copy and safe to use from many threads.
// Dates in a year that is not published fall back to Monday–Friday and are marked
// provisional: deadlines that reach such years must be recomputed once the 国务院办公厅
// notice is out (standards §5.1, published around November for the next year).
class WorkingCalendar {
 public:
  struct Counted {
    Date date;
    bool provisional = false;  // some day counted lies in an unpublished year
  };
  struct Span {
    int working_days = 0;
    bool provisional = false;
  };

  // The calendar compiled in from datasrc (2022–2026). Parsed once; thread-safe.
  static const WorkingCalendar& Builtin();

  // A calendar from published data: `published_years` are complete; `days` are their
  // holidays and adjusted working days (every other day follows Monday–Friday).
  // kInvalidArgument: core.calendar_day_unpublished (a day outside the published years),
  // core.calendar_day_duplicate (the same date twice), core.date_invalid.
  static Result<WorkingCalendar> Create(std::vector<int> published_years,
                                        std::vector<CalendarOverride> days,
                                        std::string source_note);

  // Parses the calendar_cn.json format written by datasrc/generate.mjs:
  // {"source":{…},"years":[…],"days":[{"date":"2026-01-01","off":true,"name":"元旦"},…]}.
  // kInvalidArgument: core.calendar_json (not that shape) and the reasons of Create.
  static Result<WorkingCalendar> FromJson(std::string_view json);

  // A copy with `overrides` applied on top (an override wins over published data; among
  // overrides of the same date, the last one wins). Overrides do not publish a year.
  // REQUIRES: valid dates (Date::Parse output); invalid ones are skipped. Tables span every
  // year from the first to the last with data, 8 bytes a day.
  WorkingCalendar WithOverrides(std::vector<CalendarOverride> overrides) const;

  bool IsPublished(int year) const;
  std::vector<int> PublishedYears() const;
  // Where the published data come from (package, version, licence, note).
  const std::string& SourceNote() const;

  DayInfo Day(Date date) const;
  bool IsWorkday(Date date) const;

  // The n-th working day strictly after `start` (民法典 art. 201: the start day is not
  // counted); a period of n working days starting on `start` ends at the end of that day.
  // n <= 0 returns {start, false}: there is no period to count. No allocation.
  Counted AddWorkingDays(Date start, int n) const;

  // Working days in (date(from), date(to)], dates in CST: the start day is not counted, the
  // end day is. {0, false} if to <= from. No allocation.
  Span WorkingDaysBetween(Millis from, Millis to) const;

 private:
  struct Tables;
  explicit WorkingCalendar(std::shared_ptr<const Tables> tables) : t_(std::move(tables)) {}

  // The date of day number `day` (a table lookup inside the tables).
  Date DateOf(std::int64_t day) const;
  // Working days in [-∞, day) relative to an arbitrary origin; differences count ranges.
  std::int64_t CountBefore(std::int64_t day) const;
  // True if some year in [first_year, last_year] is not published.
  bool AnyUnpublished(int first_year, int last_year) const;

  std::shared_ptr<const Tables> t_;
};

}  // namespace onestop
