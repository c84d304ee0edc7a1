// Every calendar endpoint tried as every demo role (and anonymously): everyone signed in reads
// the calendar and uses the calculators; only calendar.manage (platform_admin) overrides.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

std::map<std::string, Outcome> Everyone() {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = Allowed();
  return m;
}

std::map<std::string, Outcome> AdminOnly() {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) m[role] = role == "admin" ? Allowed() : Denied();
  return m;
}

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

class CalendarAuthzTest : public RoutesTest {};

TEST_P(CalendarAuthzTest, ReadingIsForEveryoneSignedIn) {
  RunAuthz(env(), {.name = "/calendar/{year}",
                   .method = "GET",
                   .target = Fixed("/api/v1/calendar/2026"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_EQ(Obj(r).at("days").as_array().size(), 365u);
                   }});
  RunAuthz(env(), {.name = "/calendar/add",
                   .method = "GET",
                   .target = Fixed("/api/v1/calendar/add?date=2026-09-30&days=1"),
                   .outcomes = Everyone(),
                   .check = [](DemoEnv&, const std::string&, const Response& r) {
                     EXPECT_EQ(Str(Obj(r), "result"), "2026-10-08");
                   }});
  RunAuthz(env(), {.name = "/calendar/between",
                   .method = "GET",
                   .target = Fixed("/api/v1/calendar/between?from=2026-09-30&to=2026-10-08"),
                   .outcomes = Everyone()});
}

TEST_P(CalendarAuthzTest, SettingAnOverrideIsForAdministrators) {
  RunAuthz(
      env(),
      {.name = "/calendar/days/{date}",
       .method = "PUT",
       .target = Fixed("/api/v1/calendar/days/2026-12-21"),
       .body = [](DemoEnv&) -> json::value {
         return json::object{{"workday", false}, {"name", "权限测试"}, {"reason", "权限测试调整"}};
       },
       .outcomes = AdminOnly(),
       .check = [](DemoEnv&, const std::string&,
                   const Response& r) { EXPECT_TRUE(Obj(r).at("overridden").as_bool()); }});
}

TEST_P(CalendarAuthzTest, RemovingAnOverrideIsForAdministrators) {
  // The target makes sure there is an override to remove (as admin, before the call).
  RunAuthz(
      env(),
      {.name = "/calendar/days/{date}",
       .method = "DELETE",
       .target =
           [](DemoEnv& e) {
             Response set = e.Call(
                 "PUT", "/api/v1/calendar/days/2026-12-22",
                 json::object{{"workday", false}, {"name", "权限测试"}, {"reason", "权限测试调整"}},
                 &e.As("admin"));
             EXPECT_STATUS(set, 200);
             return Url("/api/v1/calendar/days/2026-12-22", {{"reason", "权限测试恢复"}});
           },
       .outcomes = AdminOnly(),
       .check = [](DemoEnv&, const std::string&,
                   const Response& r) { EXPECT_FALSE(Obj(r).at("overridden").as_bool()); }});
}

INSTANTIATE_ROUTES_TEST(CalendarAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
