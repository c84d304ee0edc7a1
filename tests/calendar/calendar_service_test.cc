// CalendarService: the published working-day calendar plus audited local overrides.
#include "calendar/calendar_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::calendar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::TestDb;

using testutil::IsError;

constexpr Date kNationalDay7{2026, 10, 7};  // 国庆节, a Wednesday off
constexpr Date kOct8{2026, 10, 8};          // an ordinary Thursday
constexpr Date kSep30{2026, 9, 30};         // the last working day before the holiday

identity::Principal CalendarAdmin() {
  identity::Principal p;
  p.user_id = "u-cal";
  p.display_name = "日历管理员";
  p.department_id = "d-hn";
  p.data_scope = identity::DataScope::kAll;
  p.permissions = {identity::Permission::kManageCalendar};
  p.request_id = "req-cal";
  return p;
}

identity::Principal Reviewer() {
  identity::Principal p;
  p.user_id = "u-rev";
  p.display_name = "审批员";
  p.department_id = "d-cs";
  p.data_scope = identity::DataScope::kDept;
  p.permissions = {identity::Permission::kReadParties};
  return p;
}

class CalendarServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    service_ = std::make_unique<CalendarService>(t_->db(), t_->clock(), *audit_);
  }

  WorkingCalendar MustCurrent(CalendarService& s) {
    Result<WorkingCalendar> c = s.Current();
    EXPECT_TRUE(c.has_value()) << c.error().message;
    return c.has_value() ? *c : WorkingCalendar::Builtin();
  }
  WorkingCalendar MustCurrent() { return MustCurrent(*service_); }

  std::vector<audit::Entry> Audit() {
    audit::Filter f;
    f.limit = 100;
    Result<audit::Page> page =
        store::Read(t_->db(), [&](store::Tx& tx) { return audit_->Search(tx, f); });
    EXPECT_TRUE(page.has_value());
    return page.has_value() ? page->items : std::vector<audit::Entry>{};
  }

  std::pair<std::int64_t, std::int64_t> Counts() {
    return {t_->Count("calendar_override"), t_->Count("audit_entry")};
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<CalendarService> service_;
};

TEST_P(CalendarServiceTest, CurrentEqualsThePublishedCalendarWithoutOverrides) {
  WorkingCalendar current = MustCurrent();
  const WorkingCalendar& published = WorkingCalendar::Builtin();
  EXPECT_EQ(current.PublishedYears(), published.PublishedYears());
  for (Date d{2022, 1, 1}; d.year <= 2027; d = d.AddDays(1)) {
    DayInfo a = current.Day(d), b = published.Day(d);
    ASSERT_EQ(a.workday, b.workday) << d.ToString();
    ASSERT_EQ(a.kind, b.kind) << d.ToString();
    ASSERT_EQ(a.name, b.name) << d.ToString();
    ASSERT_FALSE(a.overridden) << d.ToString();
  }
  EXPECT_EQ(current.AddWorkingDays(kSep30, 1).date, kOct8);
  EXPECT_EQ(current.AddWorkingDays(kSep30, 5).date, published.AddWorkingDays(kSep30, 5).date);
  Result<std::vector<OverrideRecord>> overrides = service_->Overrides();
  ASSERT_TRUE(overrides.has_value());
  EXPECT_TRUE(overrides->empty());
}

TEST_P(CalendarServiceTest, SetOverrideMakesAHolidayAWorkingDayAndIsAudited) {
  ASSERT_FALSE(MustCurrent().IsWorkday(kNationalDay7));
  ASSERT_EQ(MustCurrent().AddWorkingDays(kSep30, 1).date, kOct8);

  Result<DayInfo> r = service_->SetOverride(CalendarAdmin(), kNationalDay7, true, " 防汛调休上班 ",
                                            "  市政府通知：防汛抢险期间照常上班  ");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->workday);
  EXPECT_TRUE(r->overridden);
  EXPECT_EQ(r->kind, DayKind::kWorkday);  // a weekday that is worked
  EXPECT_EQ(r->name, "防汛调休上班");
  EXPECT_EQ(r->date, kNationalDay7);

  WorkingCalendar now = MustCurrent();
  EXPECT_TRUE(now.IsWorkday(kNationalDay7));
  // Deadlines counted across the holiday move one day earlier.
  EXPECT_EQ(now.AddWorkingDays(kSep30, 1).date, kNationalDay7);
  EXPECT_EQ(now.AddWorkingDays(kSep30, 2).date, kOct8);
  // Only that day changed.
  EXPECT_FALSE(now.IsWorkday(Date{2026, 10, 6}));

  Result<std::vector<OverrideRecord>> overrides = service_->Overrides();
  ASSERT_TRUE(overrides.has_value());
  ASSERT_EQ(overrides->size(), 1u);
  const OverrideRecord& o = overrides->front();
  EXPECT_EQ(o.date, kNationalDay7);
  EXPECT_TRUE(o.workday);
  EXPECT_EQ(o.name, "防汛调休上班");
  EXPECT_EQ(o.reason, "市政府通知：防汛抢险期间照常上班");
  EXPECT_EQ(o.updated_by, "u-cal");
  EXPECT_EQ(o.updated_at_ms, testutil::kTestNowMs);

  std::vector<audit::Entry> entries = Audit();
  ASSERT_EQ(entries.size(), 1u);
  const audit::Entry& e = entries.front();
  EXPECT_EQ(e.action, "calendar.override.set");
  EXPECT_EQ(e.subject_type, "calendar_day");
  EXPECT_EQ(e.subject_id, "2026-10-07");
  EXPECT_EQ(e.purpose, "市政府通知：防汛抢险期间照常上班");
  EXPECT_EQ(e.actor_id, "u-cal");
  EXPECT_EQ(e.actor_department_id, "d-hn");
  EXPECT_EQ(e.request_id, "req-cal");
  EXPECT_EQ(
      boost::json::parse(e.details_json),
      boost::json::parse(R"({"before":{"date":"2026-10-07","workday":false,"name":"国庆节"},)"
                         R"("after":{"date":"2026-10-07","workday":true,"name":"防汛调休上班"}})"));
}

TEST_P(CalendarServiceTest, SetOverrideMakesAWorkingDayADayOff) {
  Result<DayInfo> r =
      service_->SetOverride(CalendarAdmin(), kOct8, false, "台风停工", "台风红色预警");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->workday);
  EXPECT_EQ(r->kind, DayKind::kHoliday);
  WorkingCalendar now = MustCurrent();
  EXPECT_EQ(now.AddWorkingDays(kSep30, 1).date, (Date{2026, 10, 9}));
  EXPECT_EQ(now.AddWorkingDays(kSep30, 2).date, (Date{2026, 10, 10}));  // 调休上班 Saturday
  boost::json::value details = boost::json::parse(Audit().front().details_json);
  EXPECT_EQ(details.at("before").at("workday").as_bool(), true);
  EXPECT_EQ(details.at("after").at("workday").as_bool(), false);

  // Confirming an ordinary working day as a working day is still recorded as an override.
  Result<DayInfo> same =
      service_->SetOverride(CalendarAdmin(), Date{2026, 10, 9}, true, "照常上班", "确认上班");
  ASSERT_TRUE(same.has_value());
  EXPECT_TRUE(same->workday);
  EXPECT_TRUE(same->overridden);
}

TEST_P(CalendarServiceTest, SettingAnOverrideAgainReplacesIt) {
  ASSERT_TRUE(
      service_->SetOverride(CalendarAdmin(), kOct8, false, "台风停工", "台风红色预警").has_value());
  t_->clock().Advance(60'000);
  Result<DayInfo> r = service_->SetOverride(CalendarAdmin(), kOct8, true, "恢复上班", "预警解除");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->workday);
  EXPECT_EQ(Counts(), std::make_pair(std::int64_t{1}, std::int64_t{2}));
  Result<std::vector<OverrideRecord>> overrides = service_->Overrides();
  ASSERT_TRUE(overrides.has_value());
  ASSERT_EQ(overrides->size(), 1u);
  EXPECT_EQ(overrides->front().name, "恢复上班");
  EXPECT_EQ(overrides->front().updated_at_ms, testutil::kTestNowMs + 60'000);
  // The second entry records the first override as "before".
  boost::json::value details = boost::json::parse(Audit().front().details_json);
  EXPECT_EQ(details.at("before").at("name").as_string(), "台风停工");
  EXPECT_EQ(details.at("before").at("workday").as_bool(), false);
}

TEST_P(CalendarServiceTest, RemoveOverrideRestoresThePublishedDayAndIsAudited) {
  ASSERT_TRUE(
      service_->SetOverride(CalendarAdmin(), kNationalDay7, true, "防汛调休上班", "防汛抢险")
          .has_value());
  Result<DayInfo> r = service_->RemoveOverride(CalendarAdmin(), kNationalDay7, " 防汛结束 ");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->workday);
  EXPECT_FALSE(r->overridden);
  EXPECT_EQ(r->name, "国庆节");
  EXPECT_EQ(MustCurrent().AddWorkingDays(kSep30, 1).date, kOct8);
  EXPECT_EQ(Counts(), std::make_pair(std::int64_t{0}, std::int64_t{2}));
  audit::Entry e = Audit().front();
  EXPECT_EQ(e.action, "calendar.override.remove");
  EXPECT_EQ(e.subject_id, "2026-10-07");
  EXPECT_EQ(e.purpose, "防汛结束");
  EXPECT_EQ(boost::json::parse(e.details_json),
            boost::json::parse(
                R"({"before":{"date":"2026-10-07","workday":true,"name":"防汛调休上班"}})"));
}

TEST_P(CalendarServiceTest, RemovingAMissingOverrideIsNotFoundAndNotAudited) {
  ASSERT_TRUE(
      service_->SetOverride(CalendarAdmin(), kOct8, false, "台风停工", "台风红色预警").has_value());
  auto before = Counts();
  Result<DayInfo> r = service_->RemoveOverride(CalendarAdmin(), kNationalDay7, "误操作恢复");
  ASSERT_TRUE(IsError(r, ErrorCode::kNotFound, "calendar.no_override"));
  EXPECT_THAT(r.error().message, HasSubstr("2026-10-07"));
  EXPECT_EQ(Counts(), before);
  EXPECT_FALSE(MustCurrent().IsWorkday(kOct8));
}

TEST_P(CalendarServiceTest, RefusesBadNamesAndReasons) {
  std::string long_name, long_reason;
  for (int i = 0; i < 33; ++i) long_name += "节";
  for (int i = 0; i < 201; ++i) long_reason += "因";
  struct Case {
    std::string name, reason, field;
  };
  for (const Case& c : {Case{"", "防汛抢险", "name"}, Case{"\xE3\x80\x80 ", "防汛抢险", "name"},
                        Case{long_name, "防汛抢险", "name"}, Case{"防汛", "", "reason"},
                        Case{"防汛", "防", "reason"}, Case{"防汛", " 防 ", "reason"},
                        Case{"防汛", long_reason, "reason"}}) {
    SCOPED_TRACE(c.name + " / " + c.reason);
    Result<DayInfo> r = service_->SetOverride(CalendarAdmin(), kOct8, false, c.name, c.reason);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "calendar.invalid_override"));
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, c.field);
    EXPECT_EQ(Counts(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  }
  ASSERT_TRUE(
      service_
          ->SetOverride(CalendarAdmin(), kOct8, false, long_name.substr(3), long_reason.substr(3))
          .has_value());  // 32 and 200 characters
  auto before = Counts();
  Result<DayInfo> r = service_->RemoveOverride(CalendarAdmin(), kOct8, "防");
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "calendar.invalid_override"));
  EXPECT_EQ(r.error().fields[0].field, "reason");
  EXPECT_EQ(Counts(), before);
}

TEST_P(CalendarServiceTest, RefusesActorsWithoutCalendarManage) {
  Result<DayInfo> set = service_->SetOverride(Reviewer(), kOct8, false, "台风停工", "台风红色预警");
  ASSERT_TRUE(IsError(set, ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_EQ(Counts(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  ASSERT_TRUE(
      service_->SetOverride(identity::Principal::System(), kOct8, false, "台风停工", "台风红色预警")
          .has_value());
  auto before = Counts();
  Result<DayInfo> remove = service_->RemoveOverride(Reviewer(), kOct8, "预警解除");
  ASSERT_TRUE(IsError(remove, ErrorCode::kPermissionDenied, "identity.permission_denied"));
  EXPECT_EQ(Counts(), before);
  EXPECT_FALSE(MustCurrent().IsWorkday(kOct8));
}

TEST_P(CalendarServiceTest, RefusesDatesOutsideTheSupportedYearsAndInvalidDates) {
  for (Date d : {Date{1899, 12, 31}, Date{2200, 1, 1}}) {
    Result<DayInfo> r = service_->SetOverride(CalendarAdmin(), d, true, "测试", "测试原因");
    EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "calendar.bad_year")) << d.ToString();
  }
  for (Date d : {Date{2026, 2, 30}, Date{2026, 13, 1}, Date{2026, 4, 31}, Date{2026, 1, 0}}) {
    Result<DayInfo> r = service_->SetOverride(CalendarAdmin(), d, true, "测试", "测试原因");
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "calendar.bad_date")) << d.ToString();
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "date");
  }
  EXPECT_EQ(Counts(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_TRUE(service_->SetOverride(CalendarAdmin(), Date{2024, 2, 29}, false, "闰日", "测试原因")
                  .has_value());
}

TEST_P(CalendarServiceTest, YearOfAPublishedYear) {
  Result<YearView> y = service_->Year(2026);
  ASSERT_TRUE(y.has_value()) << y.error().message;
  EXPECT_EQ(y->year, 2026);
  EXPECT_TRUE(y->published);
  EXPECT_THAT(y->source, HasSubstr("chinese-days"));
  ASSERT_EQ(y->days.size(), 365u);
  EXPECT_EQ(y->days.front().date, (Date{2026, 1, 1}));
  EXPECT_EQ(y->days.back().date, (Date{2026, 12, 31}));
  const DayInfo& oct1 = y->days[273];
  EXPECT_EQ(oct1.date, (Date{2026, 10, 1}));
  EXPECT_FALSE(oct1.workday);
  EXPECT_EQ(oct1.name, "国庆节");
  for (const DayInfo& d : y->days) EXPECT_FALSE(d.provisional) << d.date.ToString();
}

TEST_P(CalendarServiceTest, YearOfAnUnpublishedYearIsProvisionalWeekdays) {
  Result<YearView> y = service_->Year(2027);
  ASSERT_TRUE(y.has_value());
  EXPECT_FALSE(y->published);
  ASSERT_EQ(y->days.size(), 365u);
  for (const DayInfo& d : y->days) {
    ASSERT_TRUE(d.provisional) << d.date.ToString();
    ASSERT_EQ(d.workday, d.date.Weekday() <= 5) << d.date.ToString();
    ASSERT_TRUE(d.name.empty()) << d.date.ToString();
  }
  EXPECT_EQ(y->days[0].kind, DayKind::kWorkday);  // 2027-01-01 is a Friday: no 元旦 yet
  Result<YearView> leap = service_->Year(2028);
  ASSERT_TRUE(leap.has_value());
  EXPECT_EQ(leap->days.size(), 366u);

  // An override in an unpublished year applies but does not publish the year.
  ASSERT_TRUE(service_->SetOverride(CalendarAdmin(), Date{2027, 1, 1}, false, "元旦", "预先安排")
                  .has_value());
  y = service_->Year(2027);
  ASSERT_TRUE(y.has_value());
  EXPECT_FALSE(y->published);
  EXPECT_FALSE(y->days[0].workday);
  EXPECT_TRUE(y->days[0].overridden);
  EXPECT_TRUE(y->days[0].provisional);
}

TEST_P(CalendarServiceTest, YearRefusesYearsOutsideTheRange) {
  for (int year : {1899, 2200, 0, -1, 10000}) {
    EXPECT_TRUE(IsError(service_->Year(year), ErrorCode::kInvalidArgument, "calendar.bad_year"))
        << year;
  }
  EXPECT_TRUE(service_->Year(1900).has_value());
  EXPECT_TRUE(service_->Year(2199).has_value());
}

TEST_P(CalendarServiceTest, AnotherNodeSeesAChangeWithinItsCacheTime) {
  CalendarService other(t_->db(), t_->clock(), *audit_, WorkingCalendar::Builtin(), 5000);
  ASSERT_FALSE(MustCurrent(other).IsWorkday(kNationalDay7));  // loaded and cached at t0
  ASSERT_TRUE(
      service_->SetOverride(CalendarAdmin(), kNationalDay7, true, "防汛调休上班", "防汛抢险")
          .has_value());
  // The node that made the change sees it at once.
  EXPECT_TRUE(MustCurrent().IsWorkday(kNationalDay7));
  t_->clock().Advance(4999);
  EXPECT_FALSE(MustCurrent(other).IsWorkday(kNationalDay7));
  t_->clock().Advance(1);
  EXPECT_TRUE(MustCurrent(other).IsWorkday(kNationalDay7));
  Result<YearView> y = other.Year(2026);
  ASSERT_TRUE(y.has_value());
  EXPECT_TRUE(y->days[279].workday);  // 10-07

  // And a removal, the same way.
  ASSERT_TRUE(service_->RemoveOverride(CalendarAdmin(), kNationalDay7, "防汛结束").has_value());
  EXPECT_TRUE(MustCurrent(other).IsWorkday(kNationalDay7));
  t_->clock().Advance(5000);
  EXPECT_FALSE(MustCurrent(other).IsWorkday(kNationalDay7));
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarServiceTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::calendar
