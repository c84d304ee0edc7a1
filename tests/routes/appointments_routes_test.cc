// Appointment routes (src/http/routes/appointments_routes.cc) over the demo halls: the public
// halls and slot grid, a citizen's booking to cancellation, the counter's day list and check-in,
// hall administration, every bad input with its error and nothing changed, and who may call
// what. The demo clock is Friday 2026-11-27 09:00 (testutil::kTestNowMs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include "core/id_number.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {
namespace json = boost::json;

constexpr const char* kCountyHall = "HALL-430104-01";  // 岳麓区政务服务中心 (src/app/demo.cc)
constexpr const char* kTownHall = "HALL-430104-02";  // 橘子洲街道便民服务中心
// 社会保障卡申领（新生儿）, a 长沙 人社 item: only the 社保医保窗口 lists it.
constexpr const char* kSocialItem = "11430100MB1A01047E3432005101000";

// A valid 身份证号 no demo person has, different on every call.
std::string FreshIdNumber() {
  static std::atomic<int> n{0};
  const int i = n++;
  char first17[32];
  std::snprintf(first17, sizeof first17, "43010419850%d%02d%03d", 1 + i / 28 % 9, 1 + i % 28,
                500 + i % 400);
  return std::string(first17) + IdNumberCheckChar(first17);
}

class AppointmentsRoutesTest : public RoutesTest {
 protected:
  std::string HallId(const std::string& code) {
    Response r = env().Call("GET", "/api/v1/appointments/halls?all=1", nullptr, &env().As("admin"));
    EXPECT_STATUS(r, 200);
    const json::array items = Items(r);
    const json::object* h = FindBy(items, "code", code);
    EXPECT_NE(h, nullptr) << code;
    return h == nullptr ? "" : Str(*h, "id");
  }

  json::object Booking(const std::string& hall, const std::string& date, const std::string& start,
                       const std::string& counter = "general") {
    return {{"hallId", hall}, {"counterType", counter}, {"date", date}, {"start", start}};
  }

  // A booking made at the counter for someone new.
  json::object OnBehalf(const std::string& hall, const std::string& date, const std::string& start,
                        const std::string& counter = "general") {
    json::object b = Booking(hall, date, start, counter);
    b["applicantName"] = "王小" + env().Unique("");
    b["idNumber"] = FreshIdNumber();
    b["phone"] = "13700000001";
    return b;
  }

  std::string Book(const json::object& body, const std::string& as) {
    Response r = env().Call("POST", "/api/v1/appointments", body, &env().As(as));
    EXPECT_STATUS(r, 201);
    return Str(Obj(r), "id");
  }

  // A minimal valid hall body with a unique code.
  json::object NewHall() {
    return {
        {"code", "HALL-T-" + env().Unique("")},
        {"name", "测试政务服务中心"},
        {"regionCode", "430104"},
        {"address", "测试地址"},
        {"phone", "0731-1"},
        {"schedule",
         json::object{{"slotMinutes", 60},
                      {"bookAheadDays", 7},
                      {"cancelBeforeMinutes", 60},
                      {"reminderHours", 0},
                      {"workday", json::array{json::object{{"from", "09:00"}, {"to", "12:00"}}}},
                      {"evening", json::array{}},
                      {"restday", json::array{}},
                      {"restdayOnHolidays", false}}},
        {"counterTypes", json::array{json::object{{"code", "general"},
                                                  {"name", "综合窗口"},
                                                  {"itemCodes", json::array{}},
                                                  {"bundleCodes", json::array{}},
                                                  {"slotCapacity", 1},
                                                  {"dayCapacity", 5}}}}};
  }
};

TEST_P(AppointmentsRoutesTest, HallsAndTheSlotGridArePublic) {
  Response r = env().Call("GET", "/api/v1/appointments/halls");
  ASSERT_STATUS(r, 200);
  const json::array halls = Items(r);
  const json::object* county = FindBy(halls, "code", kCountyHall);
  ASSERT_NE(county, nullptr);
  ASSERT_NE(FindBy(halls, "code", kTownHall), nullptr);
  EXPECT_EQ(Str(*county, "name"), "岳麓区政务服务中心");
  EXPECT_TRUE(county->at("active").as_bool());
  const std::string id = Str(*county, "id");
  const json::object& schedule = county->at("schedule").as_object();
  EXPECT_EQ(Int(schedule, "slotMinutes"), 30);
  EXPECT_EQ(Str(schedule.at("evening").as_array().at(0), "from"), "17:30");
  EXPECT_THAT(Column(county->at("counterTypes").as_array(), "code"),
              ::testing::ElementsAre("general", "enterprise", "social"));

  r = env().Call("GET", "/api/v1/appointments/halls/" + id);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "code"), kCountyHall);

  // Saturday and Sunday: 周末服务 mornings; Monday: working hours and 延时服务.
  r = env().Call("GET", "/api/v1/appointments/halls/" + id +
                            "/slots?counterType=general&from=2026-11-28&days=3");
  ASSERT_STATUS(r, 200);
  json::object grid = Obj(r);
  EXPECT_EQ(Str(grid, "counterType"), "general");
  EXPECT_EQ(Str(grid, "counterTypeName"), "综合受理窗口");
  const json::array& days = grid.at("days").as_array();
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(Str(days[0], "date"), "2026-11-28");
  EXPECT_EQ(Str(days[0], "kind"), "restday");
  const json::array& sat = days[0].at("slots").as_array();
  ASSERT_EQ(sat.size(), 6u);
  EXPECT_EQ(Str(sat[0], "start"), "09:00");
  EXPECT_EQ(Str(sat[0], "end"), "09:30");
  EXPECT_TRUE(sat[0].at("extended").as_bool());
  EXPECT_TRUE(sat[0].at("bookable").as_bool());
  EXPECT_EQ(Int(sat[0], "capacity"), 4);
  EXPECT_EQ(Int(days[0], "dayCapacity"), 80);
  EXPECT_EQ(Str(days[1], "kind"), "restday");
  EXPECT_EQ(Str(days[2], "kind"), "workday");
  const json::array& mon = days[2].at("slots").as_array();
  ASSERT_EQ(mon.size(), 18u);
  EXPECT_FALSE(mon.front().at("extended").as_bool());
  EXPECT_TRUE(mon.back().at("extended").as_bool());
  EXPECT_EQ(Str(mon.back(), "end"), "19:30");

  // The counter for an item or a bundle.
  r = env().Call(
      "GET", "/api/v1/appointments/halls/" + id + "/slots?bundleCode=enterprise-opening&days=1");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "counterTypeName"), "企业开办专区");
  r = env().Call("GET", "/api/v1/appointments/halls/" + id + "/slots?itemCode=" + kSocialItem);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "counterType"), "social");
  EXPECT_EQ(Obj(r).at("days").as_array().size(), 7u);

  // The 街道 centre is closed at weekends.
  r = env().Call("GET", "/api/v1/appointments/halls/" + HallId(kTownHall) +
                            "/slots?counterType=general&from=2026-11-28&days=1");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r).at("days").as_array().at(0), "kind"), "closed");

  EXPECT_ERROR(env().Call("GET", "/api/v1/appointments/halls/" + id + "/slots?days=32"), 400,
               "INVALID_ARGUMENT", "http.invalid_query");
  EXPECT_ERROR(
      env().Call("GET", "/api/v1/appointments/halls/" + id + "/slots?counterType=x&from=11-28"),
      400, "INVALID_ARGUMENT", "http.invalid_query");
  EXPECT_ERROR(env().Call("GET", "/api/v1/appointments/halls/" + id + "/slots?counterType=vip"),
               404, "NOT_FOUND", "appointments.no_such_counter");
  EXPECT_ERROR(env().Call("GET", "/api/v1/appointments/halls/nope/slots?counterType=general"), 404,
               "NOT_FOUND", "appointments.hall_not_found");
  EXPECT_ERROR(env().Call("GET", "/api/v1/appointments/halls/nope"), 404, "NOT_FOUND",
               "appointments.hall_not_found");
}

TEST_P(AppointmentsRoutesTest, ACitizenBooksSeesItAndCancelsIt) {
  const std::string hall = HallId(kCountyHall);
  json::object body = Booking(hall, "2026-11-30", "10:00");
  body["bundleCode"] = "birth";
  Response r = env().Call("POST", "/api/v1/appointments", body, &env().As("citizen"));
  ASSERT_STATUS(r, 201);
  json::object b = Obj(r);
  const std::string id = Str(b, "id");
  EXPECT_EQ(Str(b, "bookingNo").substr(0, 10), "YY20261130");
  EXPECT_EQ(Str(b, "bookingNo").size(), 13u);
  EXPECT_EQ(Str(b, "hallName"), "岳麓区政务服务中心");
  EXPECT_EQ(Str(b, "counterTypeName"), "综合受理窗口");
  EXPECT_EQ(Str(b, "date"), "2026-11-30");
  EXPECT_EQ(Str(b, "start"), "10:00");
  EXPECT_EQ(Str(b, "end"), "10:30");
  EXPECT_FALSE(b.at("extended").as_bool());
  EXPECT_EQ(Str(b, "bundleCode"), "birth");
  EXPECT_EQ(Str(b, "subjectName"), "出生一件事");
  EXPECT_EQ(Str(b, "applicantName"), "张*");
  EXPECT_EQ(Str(b, "phone"), "138****0001");
  EXPECT_EQ(Str(b, "status"), "booked");
  EXPECT_TRUE(b.at("checkedInAt").is_null());
  EXPECT_EQ(Str(b, "createdAt"), "2026-11-27T09:00:00+08:00");
  EXPECT_EQ(Int(b, "version"), 1);

  r = env().Call("GET", "/api/v1/appointments/mine", nullptr, &env().As("citizen"));
  ASSERT_STATUS(r, 200);
  ASSERT_NE(FindBy(Items(r), "id", id), nullptr);
  // 预约成功 in the inbox.
  r = env().Call("GET", "/api/v1/inbox?limit=100", nullptr, &env().As("citizen"));
  ASSERT_STATUS(r, 200);
  const json::array inbox = Items(r);
  const json::object* told = FindBy(inbox, "subjectId", id);
  ASSERT_NE(told, nullptr);
  EXPECT_EQ(Str(*told, "title"), "预约成功");
  EXPECT_EQ(Str(*told, "templateCode"), "appointment.booked");
  // The counter sees the whole name.
  r = env().Call("GET", Url("/api/v1/appointments", {{"hallId", hall}, {"date", "2026-11-30"}}),
                 nullptr, &env().As("clerk"));
  ASSERT_STATUS(r, 200);
  const json::array day = Items(r);
  const json::object* listed = FindBy(day, "id", id);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(Str(*listed, "applicantName"), "张三");
  EXPECT_EQ(Str(*listed, "phone"), "138****0001");

  // The same day again: refused, nothing changed.
  Snapshot before = Snap(env());
  r = env().Call("POST", "/api/v1/appointments", Booking(hall, "2026-11-30", "15:00"),
                 &env().As("citizen"));
  EXPECT_ERROR(r, 409, "ALREADY_EXISTS", "appointments.duplicate");
  EXPECT_EQ(Snap(env()), before);

  r = env().Call("POST", "/api/v1/appointments/" + id + "/cancel", json::object{},
                 &env().As("citizen"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "status"), "cancelled");
  EXPECT_EQ(Int(Obj(r), "version"), 2);
  before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments/" + id + "/cancel", json::object{},
                          &env().As("citizen")),
               409, "FAILED_PRECONDITION", "appointments.bad_state");
  EXPECT_EQ(Snap(env()), before);
}

TEST_P(AppointmentsRoutesTest, TheCounterBooksForSomeoneChecksInAndLinksTheCase) {
  const std::string hall = HallId(kCountyHall);
  Response r = env().Call("POST", "/api/v1/appointments",
                          OnBehalf(hall, "2026-11-27", "11:00", "social"), &env().As("clerk"));
  ASSERT_STATUS(r, 201);
  json::object b = Obj(r);
  const std::string id = Str(b, "id");
  EXPECT_EQ(Str(b, "applicantName").substr(0, 6), "王小");  // whole for the clerk
  EXPECT_EQ(Str(b, "phone"), "137****0001");
  EXPECT_EQ(Str(b, "counterTypeName"), "社保医保窗口");

  Snapshot before = Snap(env());
  EXPECT_ERROR(
      env().Call("POST", "/api/v1/appointments/" + id + "/check-in",
                 json::object{{"caseId", "01HNOSUCHCASE0000000000000"}}, &env().As("clerk")),
      400, "INVALID_ARGUMENT", "appointments.invalid_case");
  EXPECT_EQ(Snap(env()), before);
  r = env().Call("POST", "/api/v1/appointments/" + id + "/check-in", json::object{},
                 &env().As("clerk"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "status"), "checked_in");
  EXPECT_EQ(Str(Obj(r), "checkedInAt"), "2026-11-27T09:00:00+08:00");
  before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments/" + id + "/check-in", json::object{},
                          &env().As("clerk")),
               409, "FAILED_PRECONDITION", "appointments.bad_state");
  EXPECT_EQ(Snap(env()), before);

  r = env().Call("GET",
                 Url("/api/v1/appointments",
                     {{"hallId", hall}, {"date", "2026-11-27"}, {"status", "checked_in"}}),
                 nullptr, &env().As("agent"));
  ASSERT_STATUS(r, 200);
  EXPECT_NE(FindBy(Items(r), "id", id), nullptr);
  for (const json::value& item : Items(r)) EXPECT_EQ(Str(item, "status"), "checked_in");

  // Not on the booking's date; staff must say why they cancel.
  const std::string later = Book(OnBehalf(hall, "2026-11-30", "09:00"), "clerk");
  before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments/" + later + "/check-in", json::object{},
                          &env().As("clerk")),
               409, "FAILED_PRECONDITION", "appointments.not_today");
  Response no_reason = env().Call("POST", "/api/v1/appointments/" + later + "/cancel",
                                  json::object{}, &env().As("clerk"));
  EXPECT_ERROR(no_reason, 400, "INVALID_ARGUMENT", "appointments.invalid_reason");
  EXPECT_THAT(FieldsOf(no_reason), ::testing::ElementsAre("reason"));
  EXPECT_EQ(Snap(env()), before);
  r = env().Call("POST", "/api/v1/appointments/" + later + "/cancel",
                 json::object{{"reason", "群众来电取消"}}, &env().As("clerk"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Str(Obj(r), "cancelReason"), "群众来电取消");
}

TEST_P(AppointmentsRoutesTest, BadBookingsSayWhatIsWrongAndChangeNothing) {
  const std::string hall = HallId(kCountyHall);
  const std::string town = HallId(kTownHall);
  struct Bad {
    const char* name;
    json::object body;
    int status;
    const char* code;
    const char* reason;
  };
  json::object bad_date = Booking(hall, "2026/11/30", "09:00");
  const std::vector<Bad> cases = {
      {"empty", json::object{}, 400, "INVALID_ARGUMENT", "appointments.invalid_booking"},
      {"date shape", bad_date, 400, "INVALID_ARGUMENT", "http.invalid_body"},
      {"now", Booking(hall, "2026-11-27", "09:00"), 400, "INVALID_ARGUMENT",
       "appointments.slot_past"},
      {"far", Booking(hall, "2026-12-12", "09:00"), 400, "INVALID_ARGUMENT",
       "appointments.too_far_ahead"},
      {"sunday afternoon", Booking(hall, "2026-11-29", "14:00"), 400, "INVALID_ARGUMENT",
       "appointments.no_such_slot"},
      {"town saturday", Booking(town, "2026-11-28", "09:00"), 400, "INVALID_ARGUMENT",
       "appointments.closed_day"},
      {"no hall", Booking("nope", "2026-11-30", "09:00"), 404, "NOT_FOUND",
       "appointments.hall_not_found"},
      {"no counter", Booking(hall, "2026-11-30", "09:00", "vip"), 404, "NOT_FOUND",
       "appointments.no_such_counter"},
  };
  for (const Bad& c : cases) {
    const Snapshot before = Snap(env());
    Response r = env().Call("POST", "/api/v1/appointments", c.body, &env().As("citizen"));
    EXPECT_ERROR(r, c.status, c.code, c.reason) << c.name;
    EXPECT_EQ(Snap(env()), before) << c.name;
  }
  Response r = env().Call("POST", "/api/v1/appointments", json::object{}, &env().As("citizen"));
  EXPECT_THAT(FieldsOf(r), ::testing::ElementsAre("hallId", "date", "start", "counterType"));
  r = env().Call("POST", "/api/v1/appointments", bad_date, &env().As("citizen"));
  EXPECT_THAT(FieldsOf(r), ::testing::ElementsAre("date"));
  json::object wrong = Booking(hall, "2026-11-30", "09:00", "social");
  wrong["itemCode"] = "11430100MB1A0106343432001201000";  // 出生医学证明: not 社保医保
  Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments", wrong, &env().As("citizen")), 400,
               "INVALID_ARGUMENT", "appointments.counter_not_for_item");
  EXPECT_EQ(Snap(env()), before);

  // 社保医保窗口 takes two a slot: the third is refused.
  Book(OnBehalf(hall, "2026-12-01", "09:00", "social"), "clerk");
  Book(OnBehalf(hall, "2026-12-01", "09:00", "social"), "agent");
  before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments",
                          OnBehalf(hall, "2026-12-01", "09:00", "social"), &env().As("clerk")),
               409, "FAILED_PRECONDITION", "appointments.slot_full");
  EXPECT_EQ(Snap(env()), before);
  r = env().Call("GET", "/api/v1/appointments/halls/" + hall +
                            "/slots?counterType=social&from=2026-12-01&days=1");
  ASSERT_STATUS(r, 200);
  const json::object grid = Obj(r);
  const json::value& first = grid.at("days").as_array().at(0).at("slots").as_array().at(0);
  EXPECT_EQ(Int(first, "available"), 0);
  EXPECT_FALSE(first.at("bookable").as_bool());

  // The day list's query.
  EXPECT_ERROR(env().Call("GET", "/api/v1/appointments", nullptr, &env().As("clerk")), 400,
               "INVALID_ARGUMENT", "appointments.invalid_query");
  EXPECT_ERROR(env().Call("GET", Url("/api/v1/appointments", {{"hallId", hall}, {"status", "x"}}),
                          nullptr, &env().As("clerk")),
               400, "INVALID_ARGUMENT", "appointments.bad_status");
}

TEST_P(AppointmentsRoutesTest, AdministratorsManageHallsWithVersions) {
  const Session& admin = env().As("admin");
  json::object body = NewHall();
  Response r = env().Call("POST", "/api/v1/appointments/halls", body, &admin);
  ASSERT_STATUS(r, 200);
  json::object hall = Obj(r);
  const std::string id = Str(hall, "id");
  EXPECT_EQ(Int(hall, "version"), 1);
  EXPECT_EQ(Str(hall.at("schedule").at("workday").as_array().at(0), "to"), "12:00");

  Snapshot before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments/halls", body, &admin), 409,
               "ALREADY_EXISTS", "appointments.hall_code_taken");
  json::object shape = NewHall();
  shape["schedule"].as_object()["slotMinutes"] = "60";
  shape.erase("name");
  r = env().Call("POST", "/api/v1/appointments/halls", shape, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "appointments.invalid_hall");
  EXPECT_THAT(FieldsOf(r), ::testing::UnorderedElementsAre("name", "schedule.slotMinutes"));
  json::object meaning = NewHall();
  meaning["schedule"].as_object()["workday"] =
      json::array{json::object{{"from", "09:00"}, {"to", "11:30"}}};      // not whole hours
  meaning["counterTypes"].as_array()[0].as_object()["slotCapacity"] = 9;  // more than a day
  r = env().Call("POST", "/api/v1/appointments/halls", meaning, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "appointments.invalid_hall");
  EXPECT_THAT(FieldsOf(r), ::testing::UnorderedElementsAre("schedule.workday[0].to",
                                                           "counterTypes[0].slotCapacity"));
  EXPECT_EQ(Snap(env()), before);

  // Replace with the version read; a second editor with the same version is too late.
  json::object edit = NewHall();
  edit["code"] = Str(hall, "code");
  edit["version"] = 1;
  edit["schedule"].as_object()["evening"] =
      json::array{json::object{{"from", "17:00"}, {"to", "19:00"}}};
  r = env().Call("PUT", "/api/v1/appointments/halls/" + id, edit, &admin);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(Int(Obj(r), "version"), 2);
  before = Snap(env());
  EXPECT_ERROR(env().Call("PUT", "/api/v1/appointments/halls/" + id, edit, &admin), 409, "ABORTED",
               "appointments.version_conflict");
  edit.erase("version");
  r = env().Call("PUT", "/api/v1/appointments/halls/" + id, edit, &admin);
  EXPECT_ERROR(r, 400, "INVALID_ARGUMENT", "http.invalid_body");
  EXPECT_THAT(FieldsOf(r), ::testing::ElementsAre("version"));
  EXPECT_EQ(Snap(env()), before);

  // Deactivated: gone from the portal, no bookings, still listed for administrators.
  edit["version"] = 2;
  edit["active"] = false;
  ASSERT_STATUS(env().Call("PUT", "/api/v1/appointments/halls/" + id, edit, &admin), 200);
  EXPECT_EQ(FindBy(Items(env().Call("GET", "/api/v1/appointments/halls")), "id", id), nullptr);
  EXPECT_NE(FindBy(Items(env().Call("GET", "/api/v1/appointments/halls?all=1", nullptr, &admin)),
                   "id", id),
            nullptr);
  before = Snap(env());
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments", Booking(id, "2026-11-30", "09:00"),
                          &env().As("citizen")),
               409, "FAILED_PRECONDITION", "appointments.hall_inactive");
  EXPECT_EQ(Snap(env()), before);
}

// --- who may call what -----------------------------------------------------------------------

std::function<std::string(DemoEnv&)> Fixed(std::string target) {
  return [target](DemoEnv&) { return target; };
}

std::map<std::string, Outcome> Only(std::initializer_list<const char*> allowed,
                                    Outcome others = Denied()) {
  std::map<std::string, Outcome> m;
  for (const std::string& role : DemoRoles()) {
    m[role] = others;
    for (const char* a : allowed) {
      if (role == a) m[role] = Allowed();
    }
  }
  return m;
}

class AppointmentsAuthzTest : public AppointmentsRoutesTest {
 protected:
  // A booking made at the counter (by the clerk) for someone new, today at a later slot.
  std::string TodaysBooking(DemoEnv& e, const std::string& hall) {
    static std::atomic<int> n{0};
    static const char* kStarts[] = {"10:00", "10:30", "11:00", "11:30", "13:30", "14:00",
                                    "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"};
    cases::BookingRequest r;
    r.hall_id = hall;
    r.counter_type = "general";
    r.date = Date{2026, 11, 27};
    r.start = kStarts[n++ % 12];
    r.applicant_name = "测试人";
    r.id_number = FreshIdNumber();
    r.phone = "13700000002";
    Result<identity::Principal> clerk = store::Read(e.db().db(), [&](store::Tx& tx) {
      return identity::AuthService::LoadPrincipal(tx, e.UserId("clerk"));
    });
    EXPECT_TRUE(clerk.has_value());
    if (!clerk.has_value()) return "";
    Result<cases::Booking> b = e.app().appointments.Book(*clerk, r);
    EXPECT_TRUE(b.has_value()) << b.error().message;
    return b.has_value() ? b->id : "";
  }
};

TEST_P(AppointmentsAuthzTest, HallsAreReadByAnyoneAndManagedWithCatalogManage) {
  RunAuthz(env(), {.name = "/appointments/halls",
                   .method = "GET",
                   .target = Fixed("/api/v1/appointments/halls"),
                   .outcomes = Only({"admin", "hr_admin", "clerk", "reviewer", "supervisor",
                                     "agent", "citizen", "enterprise"}),
                   .is_public = true});
  RunAuthz(env(), {.name = "/appointments/halls?all=1",
                   .method = "GET",
                   .target = Fixed("/api/v1/appointments/halls?all=1"),
                   .outcomes = Only({"admin", "hr_admin"})});
  RunAuthz(env(), {.name = "POST /appointments/halls",
                   .method = "POST",
                   .target = Fixed("/api/v1/appointments/halls"),
                   .body = [this](DemoEnv&) { return json::value(NewHall()); },
                   .outcomes = Only({"admin", "hr_admin"})});
  const std::string hall = HallId(kTownHall);
  RunAuthz(env(), {.name = "PUT /appointments/halls/{id}",
                   .method = "PUT",
                   .target = Fixed("/api/v1/appointments/halls/" + hall),
                   .body =
                       [hall](DemoEnv& e) {
                         Response r = e.Call("GET", "/api/v1/appointments/halls/" + hall);
                         return json::value(Obj(r));  // as read, with its version
                       },
                   .outcomes = Only({"admin", "hr_admin"})});
}

TEST_P(AppointmentsAuthzTest, BookingsAreForApplicantsAndTheCounter) {
  const std::string hall = HallId(kCountyHall);
  RunAuthz(env(), {.name = "/appointments/mine",
                   .method = "GET",
                   .target = Fixed("/api/v1/appointments/mine"),
                   .outcomes = Only({"citizen", "enterprise"})});
  RunAuthz(env(), {.name = "/appointments (day list)",
                   .method = "GET",
                   .target = Fixed(Url("/api/v1/appointments", {{"hallId", hall}})),
                   .outcomes = Only({"clerk", "agent"})});
  RunAuthz(env(), {.name = "/appointments/{id}/check-in",
                   .method = "POST",
                   .target =
                       [this, hall](DemoEnv& e) {
                         return "/api/v1/appointments/" + TodaysBooking(e, hall) + "/check-in";
                       },
                   .body = [](DemoEnv&) { return json::value(json::object{}); },
                   .outcomes = Only({"clerk", "agent"})});
  // Someone else's booking does not exist for an applicant; staff need cases.intake.
  std::map<std::string, Outcome> cancel = Only({"clerk", "agent"});
  cancel["citizen"] = {404, "appointments.not_found"};
  cancel["enterprise"] = {404, "appointments.not_found"};
  RunAuthz(env(), {.name = "/appointments/{id}/cancel",
                   .method = "POST",
                   .target =
                       [this, hall](DemoEnv& e) {
                         return "/api/v1/appointments/" + TodaysBooking(e, hall) + "/cancel";
                       },
                   .body =
                       [](DemoEnv&) {
                         return json::value(json::object{{"reason", "来电取消"}});
                       },
                   .outcomes = cancel});
  // Booking: refusals only (a booking answers 201, which RunAuthz does not expect).
  for (const char* role : {"admin", "hr_admin", "reviewer", "supervisor"}) {
    const Snapshot before = Snap(env());
    EXPECT_ERROR(env().Call("POST", "/api/v1/appointments", OnBehalf(hall, "2026-11-30", "16:00"),
                            &env().As(role)),
                 403, "PERMISSION_DENIED", "identity.permission_denied")
        << role;
    EXPECT_EQ(Snap(env()), before) << role;
  }
  EXPECT_ERROR(env().Call("POST", "/api/v1/appointments", Booking(hall, "2026-11-30", "16:00")),
               401, "UNAUTHENTICATED", "identity.unauthenticated");
}

INSTANTIATE_ROUTES_TEST(AppointmentsRoutesTest);
INSTANTIATE_ROUTES_TEST(AppointmentsAuthzTest);

}  // namespace
}  // namespace onestop::routes_test
