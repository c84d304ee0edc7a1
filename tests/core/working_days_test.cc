#include "core/working_days.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace onestop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Date D(const char* text) {
  Result<Date> d = Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date{});
}

template <typename T>
void ExpectError(const Result<T>& r, const std::string& reason, const std::string& fragment) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, reason);
  EXPECT_THAT(r.error().message, HasSubstr(fragment));
}

const WorkingCalendar& Cal() { return WorkingCalendar::Builtin(); }

// ---------------------------------------------------------------------------------------------
// Date

TEST(DateTest, ParsesAndFormats) {
  Result<Date> d = Date::Parse(" 2026-10-08 ");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 10);
  EXPECT_EQ(d->day, 8);
  EXPECT_EQ(d->ToString(), "2026-10-08");
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_EQ((Date{5, 1, 2}).ToString(), "0005-01-02");
}

TEST(DateTest, ParseRejectsWrongShape) {
  for (const char* bad : {"", "2026/10/08", "2026-1-8", "20261008", "2026-10-08T00:00",
                          "２０２６-10-08", "abcd-ef-gh", "2026-10-0"}) {
    ExpectError(Date::Parse(bad), "core.date_format", "日期格式应为YYYY-MM-DD");
  }
  ExpectError(Date::Parse("2026.10.08"), "core.date_format", "实际为“2026.10.08”");
}

TEST(DateTest, ParseRejectsDaysThatDoNotExist) {
  ExpectError(Date::Parse("2026-02-29"), "core.date_invalid", "日期2026-02-29不存在");
  ExpectError(Date::Parse("2026-13-01"), "core.date_invalid", "2026-13-01");
  ExpectError(Date::Parse("2026-04-31"), "core.date_invalid", "2026-04-31");
  ExpectError(Date::Parse("2026-01-00"), "core.date_invalid", "2026-01-00");
  ExpectError(Date::Parse("0000-01-01"), "core.date_invalid", "0000-01-01");
  ExpectError(Date::Parse("1900-02-29"), "core.date_invalid", "1900-02-29");
}

TEST(DateTest, ComparesChronologically) {
  EXPECT_LT(D("2025-12-31"), D("2026-01-01"));
  EXPECT_LT(D("2026-01-31"), D("2026-02-01"));
  EXPECT_EQ(D("2026-10-08"), (Date{2026, 10, 8}));
  EXPECT_NE(D("2026-10-08"), D("2026-10-09"));
}

TEST(DateTest, AddDaysCrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(D("2026-12-31").AddDays(1), D("2027-01-01"));
  EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
  EXPECT_EQ(D("2025-02-28").AddDays(1), D("2025-03-01"));
  EXPECT_EQ(D("2026-03-01").AddDays(-1), D("2026-02-28"));
  EXPECT_EQ(D("2026-01-01").AddDays(365), D("2027-01-01"));
  EXPECT_EQ(D("1970-01-01").AddDays(-1), D("1969-12-31"));
}

TEST(DateTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ(D("1970-01-01").DaysSinceEpoch(), 0);
  EXPECT_EQ(D("2000-03-01").DaysSinceEpoch(), 11017);
  EXPECT_EQ(D("0001-01-01").DaysSinceEpoch(), -719162);
  EXPECT_EQ(D("9999-12-31").DaysSinceEpoch(), 2932896);
  for (std::int64_t day = -719'162; day <= 2'932'896; day += 997) {  // 0001-01-01 .. 9999-12-31
    const Date d = Date::FromDaysSinceEpoch(day);
    ASSERT_TRUE(Date::IsValid(d.year, d.month, d.day)) << day;
    ASSERT_EQ(d.DaysSinceEpoch(), day);
  }
}

TEST(DateTest, WeekdayIsIsoNumbered) {
  EXPECT_EQ(D("1970-01-01").Weekday(), 4);  // Thursday
  EXPECT_EQ(D("2026-10-10").Weekday(), 6);  // Saturday
  EXPECT_EQ(D("2026-10-11").Weekday(), 7);  // Sunday
  EXPECT_EQ(D("2026-10-12").Weekday(), 1);  // Monday
  EXPECT_EQ(D("1969-12-29").Weekday(), 1);
}

TEST(DateTest, ConvertsInstantsInChinaStandardTime) {
  const Millis jan2_start = 1'767'283'200'000;  // 2026-01-01T16:00:00Z = 2026-01-02 00:00 CST
  EXPECT_EQ(Date::FromMillisCst(jan2_start), D("2026-01-02"));
  EXPECT_EQ(Date::FromMillisCst(jan2_start - 1), D("2026-01-01"));
  EXPECT_EQ(D("2026-01-02").StartOfDayMs(), jan2_start);
  EXPECT_EQ(D("2026-01-01").EndOfDayMs(), jan2_start);
  EXPECT_EQ(Date::FromMillisCst(-8 * 3'600'000), D("1970-01-01"));
  EXPECT_EQ(Date::FromMillisCst(-8 * 3'600'000 - 1), D("1969-12-31"));
}

// ---------------------------------------------------------------------------------------------
// WorkingCalendar: examples from the brief and standards §5

TEST(WorkingCalendarTest, BuiltinPublishes2022To2026) {
  EXPECT_THAT(Cal().PublishedYears(), ElementsAre(2022, 2023, 2024, 2025, 2026));
  EXPECT_FALSE(Cal().IsPublished(2021));
  EXPECT_TRUE(Cal().IsPublished(2022));
  EXPECT_TRUE(Cal().IsPublished(2026));
  EXPECT_FALSE(Cal().IsPublished(2027));
}

TEST(WorkingCalendarTest, SourceNoteNamesPackageVersionAndLicence) {
  EXPECT_THAT(Cal().SourceNote(), HasSubstr("chinese-days 1.5.7"));
  EXPECT_THAT(Cal().SourceNote(), HasSubstr("MIT"));
}

TEST(WorkingCalendarTest, NationalDay2026) {
  const WorkingCalendar::Counted r = Cal().AddWorkingDays(D("2026-09-30"), 1);
  EXPECT_EQ(r.date, D("2026-10-08"));
  EXPECT_FALSE(r.provisional);
}

TEST(WorkingCalendarTest, AdjustedSaturdayAfterNationalDay2026) {
  const WorkingCalendar::Counted r = Cal().AddWorkingDays(D("2026-10-09"), 1);
  EXPECT_EQ(r.date, D("2026-10-10"));
  EXPECT_FALSE(r.provisional);
}

TEST(WorkingCalendarTest, AdjustedSaturdayBeforeSpringFestival2026) {
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-02-13"), 1).date, D("2026-02-14"));
  // Then the 9-day 春节 break 2/15–2/23.
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-02-13"), 2).date, D("2026-02-24"));
}

TEST(WorkingCalendarTest, UnpublishedYearIsProvisional) {
  const WorkingCalendar::Counted r = Cal().AddWorkingDays(D("2026-12-31"), 1);
  EXPECT_EQ(r.date, D("2027-01-01"));
  EXPECT_TRUE(r.provisional);
}

TEST(WorkingCalendarTest, LabourDay2025) {
  // 4/30 (Wed) is the start day and not counted; 5/1–5/5 off; 5/6, 5/7, 5/8.
  const WorkingCalendar::Counted r = Cal().AddWorkingDays(D("2025-04-30"), 3);
  EXPECT_EQ(r.date, D("2025-05-08"));
  EXPECT_FALSE(r.provisional);
}

TEST(WorkingCalendarTest, NonPositiveCountReturnsStart) {
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-10-01"), 0).date, D("2026-10-01"));
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-10-01"), -3).date, D("2026-10-01"));
  EXPECT_FALSE(Cal().AddWorkingDays(D("2030-10-01"), 0).provisional);
}

TEST(WorkingCalendarTest, StartingOnAHolidayCountsFromTheNextWorkingDay) {
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-10-01"), 1).date, D("2026-10-08"));
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-10-11"), 1).date, D("2026-10-12"));  // from a Sunday
}

TEST(WorkingCalendarTest, DaysBeforeThePublishedRangeFallBackToWeekdays) {
  const WorkingCalendar::Counted a = Cal().AddWorkingDays(D("2021-12-30"), 1);
  EXPECT_EQ(a.date, D("2021-12-31"));
  EXPECT_TRUE(a.provisional);
  // Counted days all in 2022 (元旦 1/1–1/3): not provisional even though the start is 2021.
  const WorkingCalendar::Counted b = Cal().AddWorkingDays(D("2021-12-31"), 1);
  EXPECT_EQ(b.date, D("2022-01-04"));
  EXPECT_FALSE(b.provisional);
  const WorkingCalendar::Counted c = Cal().AddWorkingDays(D("2021-12-30"), 2);
  EXPECT_EQ(c.date, D("2022-01-04"));
  EXPECT_TRUE(c.provisional);
  EXPECT_EQ(Cal().AddWorkingDays(D("2010-01-01"), 10).date, D("2010-01-15"));
}

TEST(WorkingCalendarTest, LongPeriodsRunThroughAndPastTheTable) {
  // 2026 has 248 working days: 261 weekdays - 19 weekday holidays + 6 adjusted weekend days.
  const WorkingCalendar::Counted year = Cal().AddWorkingDays(D("2025-12-31"), 248);
  EXPECT_EQ(year.date, D("2026-12-31"));
  EXPECT_FALSE(year.provisional);
  const WorkingCalendar::Counted r = Cal().AddWorkingDays(D("2025-12-31"), 249);
  EXPECT_EQ(r.date, D("2027-01-01"));
  EXPECT_TRUE(r.provisional);
  EXPECT_EQ(Cal().AddWorkingDays(D("2025-12-31"), 254).date, D("2027-01-08"));
}

TEST(WorkingCalendarTest, AddWorkingDaysMatchesADayByDayCount) {
  std::mt19937 gen(2026);
  std::uniform_int_distribution<int> start_day(0, 365 * 10);
  std::uniform_int_distribution<int> count(1, 400);
  const Date origin = D("2019-06-01");
  for (int i = 0; i < 300; ++i) {
    const Date start = origin.AddDays(start_day(gen));
    const int n = count(gen);
    Date d = start;
    bool provisional = false;
    for (int left = n; left > 0;) {
      d = d.AddDays(1);
      provisional = provisional || !Cal().IsPublished(d.year);
      if (Cal().IsWorkday(d)) --left;
    }
    const WorkingCalendar::Counted r = Cal().AddWorkingDays(start, n);
    ASSERT_EQ(r.date, d) << start.ToString() << " + " << n;
    ASSERT_EQ(r.provisional, provisional) << start.ToString() << " + " << n;
    const WorkingCalendar::Span span =
        Cal().WorkingDaysBetween(start.StartOfDayMs() + 1234, r.date.StartOfDayMs() + 99);
    ASSERT_EQ(span.working_days, n) << start.ToString() << " + " << n;
    ASSERT_EQ(span.provisional, provisional);
  }
}

TEST(WorkingCalendarTest, WorkingDaysBetweenCountsEndButNotStartDay) {
  const Millis from = D("2026-09-30").StartOfDayMs() + 12 * 3'600'000;  // 9/30 12:00 CST
  const Millis to = D("2026-10-08").StartOfDayMs() + 9 * 3'600'000;     // 10/8 09:00 CST
  const WorkingCalendar::Span s = Cal().WorkingDaysBetween(from, to);
  EXPECT_EQ(s.working_days, 1);
  EXPECT_FALSE(s.provisional);
  EXPECT_EQ(Cal().WorkingDaysBetween(to, from).working_days, 0);
  EXPECT_EQ(Cal().WorkingDaysBetween(from, from).working_days, 0);
  EXPECT_EQ(Cal().WorkingDaysBetween(from, from + 3'600'000).working_days, 0);  // same day
  EXPECT_FALSE(Cal().WorkingDaysBetween(to, from).provisional);
  const WorkingCalendar::Span year_end =
      Cal().WorkingDaysBetween(D("2026-12-30").StartOfDayMs(), D("2027-01-04").StartOfDayMs());
  EXPECT_EQ(year_end.working_days, 3);  // 12/31, 1/1 (fallback), 1/4
  EXPECT_TRUE(year_end.provisional);
}

TEST(WorkingCalendarTest, DayDescribesTheDay) {
  const DayInfo national = Cal().Day(D("2026-10-01"));
  EXPECT_FALSE(national.workday);
  EXPECT_EQ(national.kind, DayKind::kHoliday);
  EXPECT_EQ(national.name, "国庆节");
  EXPECT_FALSE(national.provisional);
  EXPECT_FALSE(national.overridden);

  const DayInfo adjusted = Cal().Day(D("2026-10-10"));
  EXPECT_TRUE(adjusted.workday);
  EXPECT_EQ(adjusted.kind, DayKind::kAdjustedWorkday);
  EXPECT_EQ(adjusted.name, "国庆节调休上班");

  const DayInfo monday = Cal().Day(D("2026-10-12"));
  EXPECT_TRUE(monday.workday);
  EXPECT_EQ(monday.kind, DayKind::kWorkday);
  EXPECT_EQ(monday.name, "");

  EXPECT_EQ(Cal().Day(D("2026-10-11")).kind, DayKind::kWeekend);
  EXPECT_EQ(Cal().Day(D("2025-10-06")).name, "中秋");

  const DayInfo next_year = Cal().Day(D("2027-01-01"));
  EXPECT_TRUE(next_year.workday);
  EXPECT_EQ(next_year.kind, DayKind::kWorkday);
  EXPECT_TRUE(next_year.provisional);
}

// ---------------------------------------------------------------------------------------------
// Overrides

TEST(WorkingCalendarTest, OverrideAddsALocalDayOff) {
  const WorkingCalendar local = Cal().WithOverrides({{D("2026-10-12"), false, "台风停工"}});
  EXPECT_EQ(local.AddWorkingDays(D("2026-10-09"), 2).date, D("2026-10-13"));
  const DayInfo info = local.Day(D("2026-10-12"));
  EXPECT_FALSE(info.workday);
  EXPECT_EQ(info.kind, DayKind::kHoliday);
  EXPECT_EQ(info.name, "台风停工");
  EXPECT_TRUE(info.overridden);
  // The builtin calendar is a value and is unchanged.
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-10-09"), 2).date, D("2026-10-12"));
}

TEST(WorkingCalendarTest, OverrideWinsOverPublishedData) {
  const WorkingCalendar local = Cal().WithOverrides(
      {{D("2026-10-10"), false, "取消调休"}, {D("2026-10-07"), true, "国庆值班"}});
  EXPECT_EQ(local.AddWorkingDays(D("2026-10-09"), 1).date, D("2026-10-12"));
  EXPECT_EQ(local.AddWorkingDays(D("2026-09-30"), 1).date, D("2026-10-07"));
  EXPECT_EQ(local.Day(D("2026-10-07")).kind, DayKind::kWorkday);  // a worked Wednesday
  EXPECT_EQ(local.Day(D("2026-10-10")).kind, DayKind::kHoliday);
}

TEST(WorkingCalendarTest, LaterOverrideOfTheSameDateWins) {
  const WorkingCalendar a = Cal().WithOverrides({{D("2026-10-12"), false, "停工"}});
  const WorkingCalendar b = a.WithOverrides({{D("2026-10-12"), true, "复工"}});
  EXPECT_FALSE(a.IsWorkday(D("2026-10-12")));
  EXPECT_TRUE(b.IsWorkday(D("2026-10-12")));
  EXPECT_EQ(b.Day(D("2026-10-12")).name, "复工");
  const WorkingCalendar c =
      Cal().WithOverrides({{D("2026-10-12"), false, "停工"}, {D("2026-10-12"), true, "复工"}});
  EXPECT_TRUE(c.IsWorkday(D("2026-10-12")));
}

TEST(WorkingCalendarTest, OverrideInAnUnpublishedYearStaysProvisional) {
  const WorkingCalendar local = Cal().WithOverrides({{D("2027-01-04"), false, "地方假日"}});
  EXPECT_FALSE(local.IsPublished(2027));
  const WorkingCalendar::Counted r = local.AddWorkingDays(D("2026-12-31"), 2);
  EXPECT_EQ(r.date, D("2027-01-05"));
  EXPECT_TRUE(r.provisional);
  const DayInfo info = local.Day(D("2027-01-04"));
  EXPECT_FALSE(info.workday);
  EXPECT_TRUE(info.overridden);
  EXPECT_TRUE(info.provisional);
  // Far beyond the override the weekday fallback continues.
  EXPECT_EQ(local.AddWorkingDays(D("2027-12-31"), 1).date, D("2028-01-03"));
}

// ---------------------------------------------------------------------------------------------
// Create / FromJson

TEST(WorkingCalendarTest, CreateRejectsDaysOutsideThePublishedYears) {
  ExpectError(WorkingCalendar::Create({2026}, {{D("2027-01-01"), false, "元旦"}}, ""),
              "core.calendar_day_unpublished", "日期2027-01-01不在已发布的年份中");
}

TEST(WorkingCalendarTest, CreateRejectsDuplicateDays) {
  ExpectError(WorkingCalendar::Create(
                  {2026}, {{D("2026-01-01"), false, "元旦"}, {D("2026-01-01"), true, "x"}}, ""),
              "core.calendar_day_duplicate", "日期2026-01-01重复出现");
}

TEST(WorkingCalendarTest, CreateRejectsInvalidDates) {
  ExpectError(WorkingCalendar::Create({2026}, {{Date{2026, 2, 30}, false, ""}}, ""),
              "core.date_invalid", "2026-02-30");
  ExpectError(WorkingCalendar::Create({0}, {}, ""), "core.date_invalid", "年份0超出范围");
}

TEST(WorkingCalendarTest, EmptyCalendarIsWeekdaysOnly) {
  Result<WorkingCalendar> empty = WorkingCalendar::Create({}, {}, "none");
  ASSERT_TRUE(empty.has_value());
  const WorkingCalendar::Counted r = empty->AddWorkingDays(D("2026-09-30"), 1);
  EXPECT_EQ(r.date, D("2026-10-01"));
  EXPECT_TRUE(r.provisional);
  EXPECT_TRUE(empty->PublishedYears().empty());
  EXPECT_EQ(
      empty->WorkingDaysBetween(D("2026-10-02").StartOfDayMs(), D("2026-10-05").StartOfDayMs())
          .working_days,
      1);
}

TEST(WorkingCalendarTest, FromJsonReadsTheGeneratedFormat) {
  Result<WorkingCalendar> cal = WorkingCalendar::FromJson(
      R"({"source":{"package":"p","version":"1","licence":"MIT","url":"u","note":"n"},
          "years":[2030],
          "days":[{"date":"2030-01-01","off":true,"name":"元旦"},
                  {"date":"2030-01-05","off":false}]})");
  ASSERT_TRUE(cal.has_value()) << cal.error().message;
  EXPECT_EQ(cal->SourceNote(), "p 1 (MIT, u): n");
  EXPECT_FALSE(cal->IsWorkday(D("2030-01-01")));
  EXPECT_TRUE(cal->IsWorkday(D("2030-01-05")));
  EXPECT_EQ(cal->Day(D("2030-01-05")).kind, DayKind::kAdjustedWorkday);
}

TEST(WorkingCalendarTest, FromJsonRejectsMalformedInput) {
  ExpectError(WorkingCalendar::FromJson("not json"), "core.calendar_json", "节假日数据格式不正确");
  ExpectError(WorkingCalendar::FromJson("[]"), "core.calendar_json", "顶层应为对象");
  ExpectError(WorkingCalendar::FromJson(R"({"years":[2026]})"), "core.calendar_json",
              "缺少years或days数组");
  ExpectError(WorkingCalendar::FromJson(R"({"years":["2026"],"days":[]})"), "core.calendar_json",
              "years应为整数");
  ExpectError(WorkingCalendar::FromJson(R"({"years":[2026],"days":[{"date":"2026-01-01"}]})"),
              "core.calendar_json", "date和off");
  ExpectError(
      WorkingCalendar::FromJson(R"({"years":[2026],"days":[{"date":"2026/01/01","off":true}]})"),
      "core.date_format", "2026/01/01");
}

// ---------------------------------------------------------------------------------------------
// The embedded data against standards §5.2 (国务院办公厅 notices).

struct OffRange {
  const char* first;
  const char* last;
};

std::set<std::string> WeekendWorkdays(int year) {
  std::set<std::string> out;
  for (Date d{year, 1, 1}; d.year == year; d = d.AddDays(1)) {
    if (d.Weekday() > 5 && Cal().IsWorkday(d)) out.insert(d.ToString().substr(5));
  }
  return out;
}

// Every day of `year`: off inside a range, worked on a listed adjusted day, else Mon–Fri.
void ExpectYear(int year, const std::vector<OffRange>& off, const std::set<std::string>& worked) {
  for (Date d{year, 1, 1}; d.year == year; d = d.AddDays(1)) {
    bool expected = d.Weekday() <= 5;
    for (const OffRange& r : off) {
      if (D(r.first) <= d && d <= D(r.last)) expected = false;
    }
    if (worked.count(d.ToString().substr(5)) > 0) expected = true;
    EXPECT_EQ(Cal().IsWorkday(d), expected) << d.ToString();
    EXPECT_FALSE(Cal().Day(d).provisional) << d.ToString();
  }
}

TEST(BuiltinCalendarDataTest, Matches2025Notice) {
  ExpectYear(2025,
             {{"2025-01-01", "2025-01-01"},
              {"2025-01-28", "2025-02-04"},
              {"2025-04-04", "2025-04-06"},
              {"2025-05-01", "2025-05-05"},
              {"2025-05-31", "2025-06-02"},
              {"2025-10-01", "2025-10-08"}},
             {"01-26", "02-08", "04-27", "09-28", "10-11"});
}

TEST(BuiltinCalendarDataTest, Matches2026Notice) {
  ExpectYear(2026,
             {{"2026-01-01", "2026-01-03"},
              {"2026-02-15", "2026-02-23"},
              {"2026-04-04", "2026-04-06"},
              {"2026-05-01", "2026-05-05"},
              {"2026-06-19", "2026-06-21"},
              {"2026-09-25", "2026-09-27"},
              {"2026-10-01", "2026-10-07"}},
             {"01-04", "02-14", "02-28", "05-09", "09-20", "10-10"});
}

TEST(BuiltinCalendarDataTest, AdjustedWorkdays2022To2024MatchNotices) {
  EXPECT_EQ(WeekendWorkdays(2022),
            (std::set<std::string>{"01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"}));
  EXPECT_EQ(WeekendWorkdays(2023),
            (std::set<std::string>{"01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"}));
  EXPECT_EQ(WeekendWorkdays(2024), (std::set<std::string>{"02-04", "02-18", "04-07", "04-28",
                                                          "05-11", "09-14", "09-29", "10-12"}));
}

TEST(BuiltinCalendarDataTest, EveryPublishedYearHasItsStatutoryHolidays) {
  // Since 2025: 13 statutory days (standards §5.1); before, 11. Each lands on a named day off.
  for (int year = 2022; year <= 2026; ++year) {
    std::set<std::string> names;
    for (Date d{year, 1, 1}; d.year == year; d = d.AddDays(1)) {
      const DayInfo info = Cal().Day(d);
      if (info.kind == DayKind::kHoliday) names.insert(info.name);
    }
    for (const char* name : {"元旦", "春节", "清明", "劳动节", "端午", "中秋"}) {
      EXPECT_EQ(names.count(name), 1u) << year << " " << name;
    }
    EXPECT_EQ(names.count("国庆节"), 1u) << year;
  }
}

}  // namespace
}  // namespace onestop
