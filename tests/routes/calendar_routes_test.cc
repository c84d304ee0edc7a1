// Calendar routes (src/http/routes/calendar_routes.cc): the working-day calendar of a year,
// the two calculators, and administrators' overrides. Who may call what is in
// calendar_authz_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;
using ::testing::ElementsAre;

class CalendarRoutesTest : public RoutesTest {
 protected:
  Response Get(const std::string& target, const std::string& as = "clerk") {
    return env().Call("GET", target, nullptr, &env().As(as));
  }

  // The days of `year` by date.
  std::map<std::string, json::object> Days(int year) {
    std::map<std::string, json::object> out;
    Response r = Get("/api/v1/calendar/" + std::to_string(year));
    if (r.status != 200) {
      ADD_FAILURE() << r.body;
      return out;
    }
    const json::object body = Obj(r);
    for (const json::value& d : body.at("days").as_array()) out[Str(d, "date")] = d.as_object();
    return out;
  }
};

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

TEST_P(CalendarRoutesTest, Year2026IsPublishedWithHolidaysAndAdjustedWorkdays) {
  Response r = Get("/api/v1/calendar/2026", "citizen");
  ASSERT_STATUS(r, 200);
  json::object year = Obj(r);
  EXPECT_EQ(Int(year, "year"), 2026);
  EXPECT_TRUE(year.at("published").as_bool());
  EXPECT_FALSE(Str(year, "source").empty());
  const json::array& days = year.at("days").as_array();
  ASSERT_EQ(days.size(), 365u);
  EXPECT_EQ(Str(days.front(), "date"), "2026-01-01");
  EXPECT_EQ(Str(days.back(), "date"), "2026-12-31");
  std::string previous;
  for (const json::value& d : days) {
    EXPECT_LT(previous, Str(d, "date"));  // ascending, no duplicates
    previous = Str(d, "date");
    EXPECT_FALSE(Bool(d.as_object(), "provisional")) << previous;
    EXPECT_FALSE(Bool(d.as_object(), "overridden")) << previous;
  }

  std::map<std::string, json::object> by_date = Days(2026);
  const json::object& national_day = by_date["2026-10-01"];
  EXPECT_EQ(Str(national_day, "kind"), "holiday");
  EXPECT_FALSE(Bool(national_day, "workday"));
  EXPECT_EQ(Str(national_day, "name"), "国庆节");
  const json::object& adjusted = by_date["2026-10-10"];  // a Saturday
  EXPECT_EQ(Str(adjusted, "kind"), "adjusted_workday");
  EXPECT_TRUE(Bool(adjusted, "workday"));
  EXPECT_EQ(Str(adjusted, "name"), "国庆节调休上班");
  EXPECT_EQ(Str(by_date["2026-11-28"], "kind"), "weekend");  // an ordinary Saturday
  EXPECT_FALSE(Bool(by_date["2026-11-28"], "workday"));
  EXPECT_EQ(Str(by_date["2026-11-27"], "kind"), "workday");  // an ordinary Friday
  EXPECT_TRUE(Bool(by_date["2026-11-27"], "workday"));
}

TEST_P(CalendarRoutesTest, UnpublishedYearIsProvisional) {
  Response r = Get("/api/v1/calendar/2027");
  ASSERT_STATUS(r, 200);
  json::object year = Obj(r);
  EXPECT_FALSE(year.at("published").as_bool());
  const json::array& days = year.at("days").as_array();
  ASSERT_EQ(days.size(), 365u);
  for (const json::value& d : days) {
    EXPECT_TRUE(Bool(d.as_object(), "provisional")) << Str(d, "date");
    EXPECT_NE(Str(d, "kind"), "holiday") << Str(d, "date");  // weekday fallback only
  }
  EXPECT_EQ(Str(Days(2027)["2027-01-02"], "kind"), "weekend");                      // a Saturday
  EXPECT_EQ(Obj(Get("/api/v1/calendar/2028")).at("days").as_array().size(), 366u);  // leap
}

TEST_P(CalendarRoutesTest, BadYearIs400) {
  for (const char* year : {"26", "abcd", "20266", "1800", "2200"}) {
    SCOPED_TRACE(year);
    EXPECT_ERROR(Get(std::string("/api/v1/calendar/") + year), 400, "INVALID_ARGUMENT",
                 "calendar.bad_year");
  }
}

TEST_P(CalendarRoutesTest, AddCountsWorkingDaysAfterTheDate) {
  Response r = Get("/api/v1/calendar/add?date=2026-09-30&days=1");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(
      Obj(r),
      (json::object{
          {"date", "2026-09-30"}, {"days", 1}, {"result", "2026-10-08"}, {"provisional", false}}));
  // 10-08, 10-09, 10-10 (adjusted workday), 10-12, 10-13.
  EXPECT_EQ(Str(Obj(Get("/api/v1/calendar/add?date=2026-09-30&days=5")), "result"), "2026-10-13");
  // Into the unpublished 2027: marked provisional.
  json::object next_year = Obj(Get("/api/v1/calendar/add?date=2026-12-30&days=5"));
  EXPECT_TRUE(next_year.at("provisional").as_bool());
}

TEST_P(CalendarRoutesTest, AddRejectsBadInput) {
  const Snapshot before = Snap(env());
  struct Case {
    const char* query;
    const char* reason;
    const char* field;
  };
  for (const Case& c : {Case{"date=2026-9-30&days=1", "core.date_format", "date"},
                        Case{"date=2026%2F09%2F30&days=1", "core.date_format", "date"},
                        Case{"date=2026-02-30&days=1", "core.date_invalid", "date"},
                        Case{"date=2026-13-01&days=1", "core.date_invalid", "date"},
                        Case{"days=1", "http.invalid_query", "date"},
                        Case{"date=2026-09-30", "http.invalid_query", "days"},  // required
                        Case{"date=2026-09-30&days=", "http.invalid_query", "days"},
                        Case{"date=2026-09-30&days=0", "http.invalid_query", "days"},
                        Case{"date=2026-09-30&days=-3", "http.invalid_query", "days"},
                        Case{"date=2026-09-30&days=3651", "http.invalid_query", "days"},
                        Case{"date=2026-09-30&days=two", "http.invalid_query", "days"}}) {
    SCOPED_TRACE(c.query);
    Response r = Get(std::string("/api/v1/calendar/add?") + c.query);
    EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", c.reason);
    EXPECT_THAT(FieldsOf(r), ElementsAre(c.field));
  }
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(CalendarRoutesTest, BetweenCountsWorkingDays) {
  Response r = Get("/api/v1/calendar/between?from=2026-09-30&to=2026-10-08");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Obj(r), (json::object{{"from", "2026-09-30"},
                                  {"to", "2026-10-08"},
                                  {"workingDays", 1},
                                  {"provisional", false}}));
  EXPECT_EQ(Int(Obj(Get("/api/v1/calendar/between?from=2026-10-08&to=2026-10-12")), "workingDays"),
            3);  // 10-09, 10-10 (adjusted), 10-12
  Response bad = Get("/api/v1/calendar/between?from=2026-10-8&to=2026-10-12");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "core.date_format");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("from"));
  bad = Get("/api/v1/calendar/between?from=2026-10-08");
  EXPECT_ERROR(bad, 400, "INVALID_ARGUMENT", "http.invalid_query");
  EXPECT_THAT(FieldsOf(bad), ElementsAre("to"));
}

TEST_P(CalendarRoutesTest, OverrideIsAppliedAuditedAndRemovable) {
  const Session& admin = env().As("admin");
  const std::int64_t audit = env().db().Count("audit_entry");
  // 2026-12-14 is a Monday: make it a day off.
  Response r = env().Call(
      "PUT", "/api/v1/calendar/days/2026-12-14",
      json::object{
          {"workday", false}, {"name", " 防汛停工 "}, {"reason", "市防指通知：全市停工一天"}},
      &admin);
  ASSERT_STATUS(r, 200);
  json::object day = Obj(r);
  EXPECT_EQ(Str(day, "date"), "2026-12-14");
  EXPECT_FALSE(Bool(day, "workday"));
  EXPECT_TRUE(Bool(day, "overridden"));
  EXPECT_EQ(Str(day, "name"), "防汛停工");
  EXPECT_EQ(env().db().Count("calendar_override"), 1);
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 1);

  // Everyone's calendar and calculators see it at once.
  EXPECT_TRUE(Bool(Days(2026)["2026-12-14"], "overridden"));
  EXPECT_EQ(Str(Obj(Get("/api/v1/calendar/add?date=2026-12-11&days=1")), "result"), "2026-12-15");

  // The audit entry records who and why.
  json::array entries = Items(env().Call(
      "GET", "/api/v1/audit/entries?action=calendar.override&subject=2026-12-14", nullptr, &admin));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(Str(entries[0], "action"), "calendar.override.set");
  EXPECT_EQ(Str(entries[0], "purpose"), "市防指通知：全市停工一天");
  EXPECT_EQ(Str(entries[0], "actorName"), "系统管理员");

  // Setting it again updates the same override.
  ASSERT_STATUS(
      env().Call(
          "PUT", "/api/v1/calendar/days/2026-12-14",
          json::object{{"workday", false}, {"name", "防汛停工（延长）"}, {"reason", "延长一天"}},
          &admin),
      200);
  EXPECT_EQ(env().db().Count("calendar_override"), 1);

  // Back to the published calendar.
  r = env().Call("DELETE",
                 Url("/api/v1/calendar/days/2026-12-14", {{"reason", "汛情解除，恢复上班"}}),
                 nullptr, &admin);
  ASSERT_STATUS(r, 200);
  day = Obj(r);
  EXPECT_TRUE(Bool(day, "workday"));
  EXPECT_FALSE(Bool(day, "overridden"));
  EXPECT_EQ(Str(day, "kind"), "workday");
  EXPECT_EQ(env().db().Count("calendar_override"), 0);
  EXPECT_EQ(env().db().Count("audit_entry"), audit + 3);
  EXPECT_EQ(Str(Obj(Get("/api/v1/calendar/add?date=2026-12-11&days=1")), "result"), "2026-12-14");

  // Nothing left to remove.
  const Snapshot before = Snap(env());
  EXPECT_ERROR(
      env().Call("DELETE", "/api/v1/calendar/days/2026-12-14?reason=再次恢复", nullptr, &admin),
      404, "NOT_FOUND", "calendar.no_override");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(CalendarRoutesTest, OverrideValidation) {
  const Session& admin = env().As("admin");
  const Snapshot before = Snap(env());
  Response r = env().Call("PUT", "/api/v1/calendar/days/2026-12-15", json::object{}, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("workday", "name", "reason"));

  r = env().Call("PUT", "/api/v1/calendar/days/2026-12-15",
                 json::object{{"workday", "no"}, {"name", "停工"}, {"reason", "测试原因"}}, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ElementsAre("workday"));

  r = env().Call("PUT", "/api/v1/calendar/days/2026-12-15",
                 json::object{{"workday", false}, {"name", "停工"}, {"reason", "短"}}, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "calendar.invalid_override");
  EXPECT_THAT(FieldsOf(r), ElementsAre("reason"));

  r = env().Call(
      "PUT", "/api/v1/calendar/days/2026-12-15",
      json::object{{"workday", false}, {"name", std::string(33, 'x')}, {"reason", "测试原因"}},
      &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "calendar.invalid_override");
  EXPECT_THAT(FieldsOf(r), ElementsAre("name"));

  for (auto [date, reason] :
       {std::pair{"2026-02-30", "core.date_invalid"}, std::pair{"20261215", "core.date_format"},
        std::pair{"2026-12-1", "core.date_format"}}) {
    SCOPED_TRACE(date);
    r = env().Call("PUT", std::string("/api/v1/calendar/days/") + date,
                   json::object{{"workday", false}, {"name", "停工"}, {"reason", "测试原因"}},
                   &admin);
    EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", reason);
    EXPECT_THAT(FieldsOf(r), ElementsAre("date"));
  }
  r = env().Call("PUT", "/api/v1/calendar/days/2300-01-02",
                 json::object{{"workday", false}, {"name", "停工"}, {"reason", "测试原因"}},
                 &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "calendar.bad_year");

  // Removing needs a reason too.
  r = env().Call("DELETE", "/api/v1/calendar/days/2026-12-15", nullptr, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "calendar.invalid_override");
  EXPECT_THAT(FieldsOf(r), ElementsAre("reason"));
  EXPECT_EQ(Snap(env()), before);
}

INSTANTIATE_ROUTES_TEST(CalendarRoutesTest);

}  // namespace
}  // namespace onestop::routes_test
