#include "cases/case_clock.h"

#include <gtest/gtest.h>

namespace onestop::cases {
namespace {

using catalog::LimitUnit;
using catalog::TimeLimit;

const WorkingCalendar& Cal() { return WorkingCalendar::Builtin(); }

// 09:00 China Standard Time on `date` (YYYY-MM-DD).
Millis At(const char* date, int hour = 9) {
  return Date::Parse(date).value().StartOfDayMs() + hour * 3600 * 1000;
}

Date D(const char* date) { return Date::Parse(date).value(); }

TEST(CaseClockTest, WorkingDaysSkipTheSpringFestivalAndCountTheAdjustedSaturday) {
  // Accepted Tue 2026-02-10; day 1 is 02-11; 02-14 (Sat) is worked (调休); 02-15..02-23 off.
  Deadline d = ComputeDeadline(Cal(), At("2026-02-10"), {5, LimitUnit::kWorkingDays, ""}, 0);
  EXPECT_EQ(d.date, D("2026-02-24"));
  EXPECT_FALSE(d.provisional);
  // Accepted on the adjusted Saturday itself: the start day is not counted.
  EXPECT_EQ(ComputeDeadline(Cal(), At("2026-02-14"), {1, LimitUnit::kWorkingDays, ""}, 0).date,
            D("2026-02-24"));
}

TEST(CaseClockTest, PausedDaysExtendTheDeadline) {
  EXPECT_EQ(ComputeDeadline(Cal(), At("2026-02-10"), {5, LimitUnit::kWorkingDays, ""}, 2).date,
            D("2026-02-26"));
  // A negative pause is ignored rather than shortening the limit.
  EXPECT_EQ(ComputeDeadline(Cal(), At("2026-02-10"), {5, LimitUnit::kWorkingDays, ""}, -3).date,
            D("2026-02-24"));
}

TEST(CaseClockTest, NaturalDaysEndingOnAHolidayMoveToTheNextWorkingDay) {
  // 2026-09-28 + 3 natural days = 10-01 (国庆); the next working day is 10-08.
  Deadline d = ComputeDeadline(Cal(), At("2026-09-28"), {3, LimitUnit::kNaturalDays, ""}, 0);
  EXPECT_EQ(d.date, D("2026-10-08"));
  // Ending on an ordinary weekday stays there.
  EXPECT_EQ(ComputeDeadline(Cal(), At("2026-03-02"), {10, LimitUnit::kNaturalDays, ""}, 0).date,
            D("2026-03-12"));
}

TEST(CaseClockTest, OnTheSpotLimitEndsTheSameDay) {
  EXPECT_EQ(ComputeDeadline(Cal(), At("2026-03-02"), {0, LimitUnit::kWorkingDays, ""}, 0).date,
            D("2026-03-02"));
}

TEST(CaseClockTest, DeadlinesIntoAnUnpublishedYearAreProvisional) {
  Deadline d = ComputeDeadline(Cal(), At("2026-12-28"), {5, LimitUnit::kWorkingDays, ""}, 0);
  EXPECT_TRUE(d.provisional);
  EXPECT_EQ(d.date.year, 2027);
  EXPECT_FALSE(
      ComputeDeadline(Cal(), At("2026-12-01"), {5, LimitUnit::kWorkingDays, ""}, 0).provisional);
}

TEST(CaseClockTest, PausedDaysCountWorkingOrNaturalDays) {
  // (02-12, 02-24]: 02-13, 02-14 (调休上班), 02-24.
  EXPECT_EQ(PausedDays(Cal(), LimitUnit::kWorkingDays, At("2026-02-12"), At("2026-02-24")), 3);
  EXPECT_EQ(PausedDays(Cal(), LimitUnit::kNaturalDays, At("2026-02-12"), At("2026-02-24")), 12);
  EXPECT_EQ(PausedDays(Cal(), LimitUnit::kWorkingDays, At("2026-02-24"), At("2026-02-12")), 0);
  EXPECT_EQ(PausedDays(Cal(), LimitUnit::kWorkingDays, At("2026-02-12", 9), At("2026-02-12", 17)),
            0);
}

TEST(CaseClockTest, LightTurnsYellowOneWorkingDayBeforeAndRedAfter) {
  const Deadline d{D("2026-02-24"), false};
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-12")), Light::kGreen);       // 3 working days left
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-13")), Light::kGreen);       // 2 left (02-14, 02-24)
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-14")), Light::kYellow);      // 1 left across the festival
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-20")), Light::kYellow);      // holiday, 1 left
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-24", 23)), Light::kYellow);  // the last day itself
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-25", 0)), Light::kRed);
  // A wider yellow band.
  EXPECT_EQ(LightOf(Cal(), d, At("2026-02-12"), 3), Light::kYellow);
  EXPECT_EQ(WorkingDaysLeft(Cal(), d, At("2026-02-26")), -2);
  EXPECT_STREQ(LightCode(Light::kRed), "red");
  EXPECT_STREQ(LightName(Light::kYellow), "即将到期");
}

}  // namespace
}  // namespace onestop::cases
