// AppointmentService on both backends: halls and their validation, the slot grid on working
// days, 调休 Saturdays, weekends and holidays, booking and every refusal (with nothing changed),
// cancellation, the counter's day list and check-in, capacity under concurrent bookings, and the
// reminder / no-show sweep with its inbox and outbox rows.
#include "cases/appointment_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "cases/appointment_json.h"
#include "core/id_number.h"
#include "core/uscc.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::cases {
namespace {

using identity::Principal;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::IsError;

// hh:mm China Standard Time on a date.
Millis At(const char* date, int hour, int minute = 0) {
  return Date::Parse(date).value().StartOfDayMs() + (hour * 60 + minute) * 60'000LL;
}

Date D(const char* date) { return Date::Parse(date).value(); }

std::string ValidUscc(const std::string& first17) { return first17 + UsccCheckChar(first17); }

std::string ItemCode(const std::string& org17, const std::string& type, const std::string& n5) {
  return ValidUscc(org17) + "3" + "00" + type + n5 + "000";
}

// A valid 身份证号 whose sequence part is `n` (distinct people for the concurrency test).
std::string IdNumberOf(int n) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "430104199001%02d%03d", 1 + n % 28, 100 + n % 900);
  return std::string(first17) + IdNumberCheckChar(first17);
}

catalog::Item SimpleItem(const std::string& code, const std::string& name,
                         const std::string& department) {
  catalog::Item i;
  i.code = code;
  i.basic_code = code.substr(19);
  i.name = name;
  i.department_code = department;
  i.item_type = code.substr(21, 2);
  i.level = 3;
  i.service_objects = {1};
  i.handling_forms = {1, 2};
  i.case_type = 2;
  i.statutory_limit = {20, catalog::LimitUnit::kWorkingDays, "法定20个工作日"};
  i.promised_limit = {5, catalog::LimitUnit::kWorkingDays, ""};
  i.online_depth = 3;
  i.visits = 1;
  i.onsite_reason = "需核验原件";
  i.appointment = true;
  i.steps = {{"受理", "counter_clerk", "", 1}, {"审查", "reviewer", "", std::nullopt}};
  catalog::FormField f;
  f.key = "applicant.name";
  f.label = "申请人姓名";
  f.type = catalog::FieldType::kText;
  f.required = true;
  i.fields = {f};
  catalog::Material m;
  m.key = "doc.applicantIdCard";
  m.name = "申请人身份证";
  m.need = catalog::MaterialNeed::kRequired;
  m.originals = 1;
  i.materials = {m};
  return i;
}

class AppointmentServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    clock().Set(At("2026-03-02", 9));  // a Monday
    audit_ = std::make_unique<audit::AuditLog>(clock());
    identity_ = std::make_unique<identity::IdentityServices>(db(), clock(), *audit_, hasher_);
    calendar_ = std::make_unique<calendar::CalendarService>(db(), clock(), *audit_);
    catalog_ = std::make_unique<catalog::CatalogService>(db(), clock(), *audit_);
    appts_ = std::make_unique<AppointmentService>(db(), clock(), *audit_, *calendar_, *catalog_,
                                                  *identity_);
    SeedPeople();
    SeedCatalog();
    hall_ = MustCreate(CountyHall());
  }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  std::string Dept(const std::string& code, const std::string& name,
                   std::optional<std::string> parent) {
    return testutil::MakeDepartment(*identity_, code, name, std::move(parent));
  }

  Principal User(const std::string& username, std::vector<std::string> roles,
                 std::optional<std::string> department, std::optional<std::string> person = {},
                 std::optional<std::string> enterprise = {}) {
    return testutil::MakeUser(db(), *identity_,
                              {username, std::move(roles), std::move(department), std::move(person),
                               std::move(enterprise)});
  }

  void SeedPeople() {
    const std::string cs = Dept("HN-CS", "长沙市政务服务中心", std::nullopt);
    Dept("HN-CS-WJW", "长沙市卫生健康委员会", cs);
    Dept("HN-CS-YBJ", "长沙市医疗保障局", cs);
    admin_ = User("admin", {"platform_admin"}, cs);
    clerk_ = User("clerk", {"counter_clerk"}, cs);
    reviewer_ = User("reviewer", {"reviewer"}, cs);
    Result<identity::Person> zhang = identity_->parties.CreatePerson(
        clerk_,
        {"张三丰", "43010419900307123" + std::string(1, IdNumberCheckChar("43010419900307123")),
         "13807310001"});
    ASSERT_TRUE(zhang.has_value()) << zhang.error().message;
    Result<identity::Person> li = identity_->parties.CreatePerson(
        clerk_,
        {"李梅", "43110219850612452" + std::string(1, IdNumberCheckChar("43110219850612452")),
         "13907460002"});
    ASSERT_TRUE(li.has_value()) << li.error().message;
    Result<identity::Enterprise> ent = identity_->parties.CreateEnterprise(
        clerk_, {"湖南湘江智造科技有限公司", ValidUscc("91430100MA4L1A2B3"), "张三丰", "430104",
                 "制造业", false});
    ASSERT_TRUE(ent.has_value()) << ent.error().message;
    citizen_id_ = zhang->id;
    citizen_ = User("zhang", {"citizen"}, std::nullopt, zhang->id);
    other_ = User("limei", {"citizen"}, std::nullopt, li->id);
    company_ = User("company", {"enterprise"}, std::nullopt, std::nullopt, ent->id);
  }

  void SeedCatalog() {
    cert_code_ = ItemCode("11430100MB1234567", "07", "00101");
    ins_code_ = ItemCode("11430100MB2468013", "20", "00303");
    for (const catalog::Item& i : {SimpleItem(cert_code_, "出生医学证明签发", "HN-CS-WJW"),
                                   SimpleItem(ins_code_, "城乡居民医保参保登记", "HN-CS-YBJ")}) {
      Result<catalog::Item> saved = catalog_->SaveItem(Principal::System(), i);
      ASSERT_TRUE(saved.has_value()) << saved.error().message;
    }
    catalog::Bundle b;
    b.code = "birth";
    b.name = "出生一件事";
    b.category = "person";
    b.department_code = "HN-CS";
    b.items = {{cert_code_, {}, true}, {ins_code_, {}, false}};
    Result<catalog::Bundle> saved = catalog_->SaveBundle(Principal::System(), b);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
  }

  // The county hall: 综合受理窗口 for anything, 医保窗口 for the insurance item, and a 出生一件事
  // counter; 30-minute slots, weekday hours, 延时服务 17:30–19:30, 周末服务 09:00–12:00.
  Hall CountyHall() {
    Hall h;
    h.code = "HALL-430104-01";
    h.name = "岳麓区政务服务中心";
    h.region_code = "430104";
    h.address = "长沙市岳麓区金星中路 1 号";
    h.phone = "0731-88888888";
    h.schedule.slot_minutes = 30;
    h.schedule.book_ahead_days = 14;
    h.schedule.cancel_before_minutes = 30;
    h.schedule.reminder_hours = 24;
    h.schedule.workday = {{"09:00", "12:00"}, {"13:30", "17:30"}};
    h.schedule.evening = {{"17:30", "19:30"}};
    h.schedule.restday = {{"09:00", "12:00"}};
    h.counter_types = {{"general", "综合受理窗口", {}, {}, 4, 60},
                       {"insurance", "医保窗口", {ins_code_}, {}, 1, 2},
                       {"birth", "出生一件事专窗", {}, {"birth"}, 2, 10}};
    return h;
  }

  Hall MustCreate(const Hall& h) {
    Result<Hall> r = appts_->CreateHall(admin_, h);
    EXPECT_TRUE(r.has_value()) << r.error().message
                               << (r.error().fields.empty()
                                       ? ""
                                       : " " + r.error().fields[0].field + ": " +
                                             r.error().fields[0].message);
    return r.has_value() ? *r : Hall{};
  }

  BookingRequest Req(const char* date, const char* start, const std::string& counter = "general") {
    BookingRequest r;
    r.hall_id = hall_.id;
    r.counter_type = counter;
    r.date = D(date);
    r.start = start;
    return r;
  }

  // A clerk's booking on behalf of person number `n`.
  BookingRequest ForPerson(int n, const char* date, const char* start,
                           const std::string& counter = "general") {
    BookingRequest r = Req(date, start, counter);
    r.applicant_name = "代约人" + std::to_string(n);
    r.id_number = IdNumberOf(n);
    r.phone = "1390000" + std::to_string(1000 + n);
    return r;
  }

  Booking MustBook(const Principal& who, const BookingRequest& r) {
    Result<Booking> b = appts_->Book(who, r);
    EXPECT_TRUE(b.has_value()) << b.error().reason << " " << b.error().message
                               << (b.error().fields.empty()
                                       ? ""
                                       : " " + b.error().fields[0].field + ": " +
                                             b.error().fields[0].message);
    return b.has_value() ? *b : Booking{};
  }

  SlotView MustSlots(const char* from, int days, const std::string& counter = "general") {
    SlotQuery q;
    q.hall_id = hall_.id;
    q.counter_type = counter;
    q.from = D(from);
    q.days = days;
    Result<SlotView> v = appts_->Slots(q);
    EXPECT_TRUE(v.has_value()) << v.error().message;
    return v.has_value() ? *v : SlotView{};
  }

  const Slot* SlotAt(const SlotDay& day, const std::string& start) {
    for (const Slot& s : day.slots) {
      if (s.start == start) return &s;
    }
    return nullptr;
  }

  std::int64_t Scalar(const std::string& sql, const std::vector<store::Value>& params = {}) {
    Result<std::int64_t> v = store::Read(db(), [&](store::Tx& tx) -> Result<std::int64_t> {
      ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
      return rows.empty() ? std::int64_t{-1} : rows.front().Int(0);
    });
    EXPECT_TRUE(v.has_value()) << sql;
    return v.has_value() ? *v : -1;
  }

  // Row counts, seats taken and versions of every appointment table, plus audit, outbox and
  // inbox: equal snapshots mean nothing changed.
  std::map<std::string, std::int64_t> Snap() {
    std::map<std::string, std::int64_t> out;
    for (const char* table :
         {"appt_hall", "appt_booking", "appt_slot_count", "appt_day_count", "appt_booking_counter",
          "audit_entry", "notify_outbox", "notify_inbox"}) {
      out[table] = t_->Count(table);
    }
    out["slot.booked"] = Scalar("SELECT COALESCE(SUM(booked), 0) FROM appt_slot_count");
    out["day.booked"] = Scalar("SELECT COALESCE(SUM(booked), 0) FROM appt_day_count");
    out["booking.version"] = Scalar("SELECT COALESCE(SUM(version), 0) FROM appt_booking");
    out["hall.version"] = Scalar("SELECT COALESCE(SUM(version), 0) FROM appt_hall");
    return out;
  }

  std::vector<std::string> OutboxTemplates(const std::string& booking_id) {
    std::vector<std::string> out;
    Result<store::Rows> rows = store::Read(db(), [&](store::Tx& tx) {
      return tx.Query(
          "SELECT template_code FROM notify_outbox WHERE subject_type = 'appointment' AND "
          "subject_id = ? ORDER BY created_at_ms, id",
          {booking_id});
    });
    EXPECT_TRUE(rows.has_value());
    if (rows.has_value()) {
      for (const store::Row& r : *rows) out.push_back(r.Text(0));
    }
    return out;
  }

  std::unique_ptr<testutil::TestDb> t_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<calendar::CalendarService> calendar_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<AppointmentService> appts_;
  Principal admin_, clerk_, reviewer_, citizen_, other_, company_;
  std::string citizen_id_, cert_code_, ins_code_;
  Hall hall_;
};

// --- halls -----------------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, HallIsStoredWithItsScheduleAndCounterTypes) {
  EXPECT_FALSE(hall_.id.empty());
  EXPECT_EQ(hall_.version, 1);
  Result<Hall> got = appts_->GetHall(hall_.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->code, "HALL-430104-01");
  EXPECT_EQ(got->schedule, CountyHall().schedule);
  EXPECT_EQ(got->counter_types, CountyHall().counter_types);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_entry WHERE action = 'appointments.hall.create'"),
            1);
  EXPECT_TRUE(IsError(appts_->GetHall("01HZZZZZZZZZZZZZZZZZZZZZZZ"), ErrorCode::kNotFound,
                      "appointments.hall_not_found"));
}

TEST_P(AppointmentServiceTest, HallValidationReportsEveryProblemAtOnceAndSavesNothing) {
  Hall h = CountyHall();
  h.code = "HALL 01";            // a space
  h.name = "";                   // required
  h.region_code = "439999";      // unknown
  h.schedule.slot_minutes = 25;  // 25 does not divide 09:00–12:00 … but first: ok range
  h.schedule.book_ahead_days = 90;
  h.schedule.workday = {{"09:00", "12:00"}, {"11:00", "13:00"}, {"14:00", "13:00"}, {"9:00", "10"}};
  h.schedule.evening = {{"12:30", "14:00"}};  // before the end of the working hours (13:00)
  h.counter_types = {{"general", "综合受理窗口", {}, {}, 5, 3},
                     {"general", "重", {"NO-SUCH-ITEM"}, {"no-such-bundle"}, 0, 1000}};
  const auto before = Snap();
  Result<Hall> r = appts_->CreateHall(admin_, h);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "appointments.invalid_hall"));
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(
      fields,
      ::testing::IsSupersetOf(
          {"code", "name", "regionCode", "schedule.bookAheadDays", "schedule.workday[0].to",
           "schedule.workday[2].to", "schedule.workday[3].from", "schedule.workday[3].to",
           "schedule.evening[0].from", "counterTypes[0].slotCapacity", "counterTypes[1].code",
           "counterTypes[1].name", "counterTypes[1].slotCapacity", "counterTypes[1].dayCapacity",
           "counterTypes[1].itemCodes[0]", "counterTypes[1].bundleCodes[0]"}));
  for (const FieldError& f : r.error().fields) EXPECT_FALSE(f.message.empty()) << f.field;
  EXPECT_EQ(Snap(), before);

  // Overlapping periods, each well-formed.
  h = CountyHall();
  h.code = "HALL-430104-09";
  h.schedule.workday = {{"09:00", "12:00"}, {"11:00", "13:00"}};
  r = appts_->CreateHall(admin_, h);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "appointments.invalid_hall"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "schedule.workday");
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("重叠"));
  EXPECT_EQ(Snap(), before);
}

TEST_P(AppointmentServiceTest, HallUpdatesAreVersionedAndOnlyForCatalogueManagers) {
  const auto before = Snap();
  Hall h = CountyHall();
  h.code = "HALL-430104-02";
  EXPECT_TRUE(IsError(appts_->CreateHall(clerk_, h), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  h.code = hall_.code;
  EXPECT_TRUE(IsError(appts_->CreateHall(admin_, h), ErrorCode::kAlreadyExists,
                      "appointments.hall_code_taken"));
  EXPECT_EQ(Snap(), before);

  Hall edit = hall_;
  edit.schedule.evening = {{"17:30", "20:00"}};
  Result<Hall> saved = appts_->UpdateHall(admin_, edit);
  ASSERT_TRUE(saved.has_value()) << saved.error().message;
  EXPECT_EQ(saved->version, 2);
  // Someone who edited version 1 too late.
  const auto after = Snap();
  edit.name = "岳麓区政务服务中心（新）";
  EXPECT_TRUE(IsError(appts_->UpdateHall(admin_, edit), ErrorCode::kAborted,
                      "appointments.version_conflict"));
  EXPECT_EQ(Snap(), after);
  EXPECT_EQ(appts_->GetHall(hall_.id)->schedule.evening.back().to, "20:00");

  // Deactivated: out of the public list, still in the managers' one.
  Hall off = *saved;
  off.active = false;
  ASSERT_TRUE(appts_->UpdateHall(admin_, off).has_value());
  Result<std::vector<Hall>> pub = appts_->ListHalls(false);
  ASSERT_TRUE(pub.has_value());
  EXPECT_TRUE(pub->empty());
  Result<std::vector<Hall>> all = appts_->ListHalls(true, &admin_);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_FALSE(all->front().active);
  EXPECT_TRUE(IsError(appts_->ListHalls(true, &clerk_), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(
      IsError(appts_->ListHalls(true), ErrorCode::kUnauthenticated, "identity.unauthenticated"));
}

TEST_P(AppointmentServiceTest, HallJsonRoundTripsAndNamesShapeProblems) {
  const boost::json::object o = HallToJson(hall_);
  Result<Hall> back = HallFromJson(o);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->schedule, hall_.schedule);
  EXPECT_EQ(back->counter_types, hall_.counter_types);
  boost::json::object bad = o;
  bad["schedule"].as_object()["slotMinutes"] = "30";
  bad["counterTypes"].as_array()[0].as_object()["itemCodes"] = boost::json::array{1};
  bad.erase("code");
  Result<Hall> r = HallFromJson(bad);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "appointments.invalid_hall"));
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("code", "schedule.slotMinutes",
                                                      "counterTypes[0].itemCodes[0]"));
}

// --- slots -----------------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, WeekdaysHaveWorkingHoursAndEveningServiceWeekendsMorningService) {
  SlotView v = MustSlots("2026-03-06", 3);  // Friday, Saturday, Sunday
  ASSERT_EQ(v.days.size(), 3u);
  EXPECT_EQ(v.counter_type, "general");
  EXPECT_EQ(v.counter_type_name, "综合受理窗口");
  const SlotDay& fri = v.days[0];
  EXPECT_EQ(fri.kind, HallDayKind::kWorkday);
  EXPECT_EQ(fri.day_capacity, 60);
  ASSERT_EQ(fri.slots.size(), 6u + 8u + 4u);  // 09:00–12:00, 13:30–17:30, 17:30–19:30
  EXPECT_EQ(fri.slots.front().start, "09:00");
  EXPECT_EQ(fri.slots.front().end, "09:30");
  EXPECT_FALSE(fri.slots.front().extended);
  EXPECT_EQ(fri.slots.front().capacity, 4);
  EXPECT_EQ(fri.slots.front().available, 4);
  EXPECT_TRUE(fri.slots.front().bookable);
  const Slot* evening = SlotAt(fri, "18:00");
  ASSERT_NE(evening, nullptr);
  EXPECT_TRUE(evening->extended);            // 延时服务
  EXPECT_EQ(SlotAt(fri, "12:00"), nullptr);  // lunch break

  const SlotDay& sat = v.days[1];
  EXPECT_EQ(sat.kind, HallDayKind::kRestday);
  ASSERT_EQ(sat.slots.size(), 6u);  // 周末服务 09:00–12:00
  for (const Slot& s : sat.slots) {
    EXPECT_TRUE(s.extended) << s.start;
    EXPECT_TRUE(s.bookable) << s.start;
  }
  EXPECT_EQ(v.days[2].kind, HallDayKind::kRestday);  // Sunday: rest days have the same hours

  // A Saturday booking is an extended one.
  Booking b = MustBook(citizen_, Req("2026-03-07", "10:00"));
  EXPECT_TRUE(b.extended);
  EXPECT_EQ(b.end, "10:30");
}

TEST_P(AppointmentServiceTest, AnAdjustedWorkingSaturdayHasWorkdayHours) {
  clock().Set(At("2026-02-09", 9));
  SlotView v = MustSlots("2026-02-14", 1);  // Saturday, 调休上班 in the 2026 calendar
  ASSERT_EQ(v.days.size(), 1u);
  EXPECT_EQ(v.days[0].kind, HallDayKind::kWorkday);
  ASSERT_EQ(v.days[0].slots.size(), 18u);
  EXPECT_FALSE(v.days[0].slots.front().extended);
  EXPECT_TRUE(v.days[0].slots.back().extended);  // its evening service
  Booking b = MustBook(citizen_, Req("2026-02-14", "09:00"));
  EXPECT_FALSE(b.extended);
  EXPECT_EQ(b.booking_no, "YY20260214001");
}

TEST_P(AppointmentServiceTest, HolidaysAreClosedUnlessTheHallOpensOnThem) {
  clock().Set(At("2026-02-09", 9));
  SlotView v = MustSlots("2026-02-16", 1);  // 春节
  EXPECT_EQ(v.days[0].kind, HallDayKind::kClosed);
  EXPECT_TRUE(v.days[0].slots.empty());
  EXPECT_EQ(v.days[0].day_capacity, 0);
  const auto before = Snap();
  Result<Booking> r = appts_->Book(citizen_, Req("2026-02-16", "09:00"));
  EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "appointments.closed_day"));
  EXPECT_THAT(r.error().message, HasSubstr("春节"));
  EXPECT_EQ(Snap(), before);

  Hall open = hall_;
  open.schedule.restday_on_holidays = true;
  ASSERT_TRUE(appts_->UpdateHall(admin_, open).has_value());
  v = MustSlots("2026-02-16", 1);
  EXPECT_EQ(v.days[0].kind, HallDayKind::kRestday);
  EXPECT_EQ(v.days[0].slots.size(), 6u);
}

TEST_P(AppointmentServiceTest, ATownshipCentreWithWorkdayHoursOnlyIsClosedAtWeekends) {
  Hall town;
  town.code = "HALL-430104-JZ";
  town.name = "橘子洲街道便民服务中心";
  town.region_code = "430104";
  town.schedule.workday = {{"08:30", "12:00"}, {"14:30", "17:30"}};
  town.counter_types = {{"general", "综合窗口", {}, {}, 2, 20}};
  Hall t = MustCreate(town);
  SlotQuery q;
  q.hall_id = t.id;
  q.counter_type = "general";
  q.from = D("2026-03-06");
  q.days = 2;
  Result<SlotView> v = appts_->Slots(q);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->days[0].kind, HallDayKind::kWorkday);
  EXPECT_EQ(v->days[0].slots.size(), 7u + 6u);
  for (const Slot& s : v->days[0].slots) EXPECT_FALSE(s.extended);
  EXPECT_EQ(v->days[1].kind, HallDayKind::kClosed);
}

TEST_P(AppointmentServiceTest, SlotsShowSeatsTakenAndWhatCanNoLongerBeBooked) {
  clock().Set(At("2026-03-06", 10, 15));  // Friday mid-morning
  MustBook(citizen_, Req("2026-03-06", "11:00"));
  SlotView v = MustSlots("2026-03-05", 17);
  const SlotDay& yesterday = v.days[0];
  for (const Slot& s : yesterday.slots) EXPECT_FALSE(s.bookable) << s.start;
  const SlotDay& today = v.days[1];
  EXPECT_EQ(today.day_booked, 1);
  EXPECT_FALSE(SlotAt(today, "10:00")->bookable);  // started
  EXPECT_TRUE(SlotAt(today, "10:30")->bookable);
  EXPECT_EQ(SlotAt(today, "11:00")->booked, 1);
  EXPECT_EQ(SlotAt(today, "11:00")->available, 3);
  // Today counts as day 0: 14 days ahead is the last bookable day.
  EXPECT_EQ(v.days[15].date.ToString(), "2026-03-20");
  EXPECT_TRUE(v.days[15].slots.front().bookable);
  EXPECT_EQ(v.days[16].date.ToString(), "2026-03-21");
  for (const Slot& s : v.days[16].slots) EXPECT_FALSE(s.bookable);

  // The counter for an item: the one that lists it, before the general one.
  SlotQuery q;
  q.hall_id = hall_.id;
  q.item_code = ins_code_;
  Result<SlotView> by_item = appts_->Slots(q);
  ASSERT_TRUE(by_item.has_value());
  EXPECT_EQ(by_item->counter_type, "insurance");
  q.item_code = cert_code_;
  EXPECT_EQ(appts_->Slots(q)->counter_type, "general");
  q.item_code.clear();
  q.bundle_code = "birth";
  EXPECT_EQ(appts_->Slots(q)->counter_type, "birth");

  q = {};
  q.hall_id = hall_.id;
  q.days = 32;
  Result<SlotView> bad = appts_->Slots(q);
  ASSERT_TRUE(IsError(bad, ErrorCode::kInvalidArgument, "appointments.invalid_query"));
  EXPECT_EQ(bad.error().fields.at(0).field, "days");
  q.days = 1;
  bad = appts_->Slots(q);
  ASSERT_TRUE(IsError(bad, ErrorCode::kInvalidArgument, "appointments.invalid_query"));
  EXPECT_EQ(bad.error().fields.at(0).field, "counterType");
  q.hall_id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  EXPECT_TRUE(IsError(appts_->Slots(q), ErrorCode::kNotFound, "appointments.hall_not_found"));
  q.hall_id = hall_.id;
  q.counter_type = "nope";
  q.days = 1;
  EXPECT_TRUE(IsError(appts_->Slots(q), ErrorCode::kNotFound, "appointments.no_such_counter"));
}

// --- booking ---------------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, ACitizenBooksIsToldAndTheSeatIsTaken) {
  BookingRequest r = Req("2026-03-06", "09:30", "birth");
  r.bundle_code = "birth";
  Booking b = MustBook(citizen_, r);
  EXPECT_EQ(b.booking_no, "YY20260306001");
  EXPECT_EQ(b.status, BookingStatus::kBooked);
  EXPECT_EQ(b.hall_name, "岳麓区政务服务中心");
  EXPECT_EQ(b.counter_type_name, "出生一件事专窗");
  EXPECT_EQ(b.subject_name, "出生一件事");
  EXPECT_EQ(b.start, "09:30");
  EXPECT_EQ(b.end, "10:00");
  EXPECT_FALSE(b.extended);
  EXPECT_EQ(b.applicant_name, "张*丰");  // masked for the citizen
  EXPECT_EQ(b.phone_masked, "138****0001");
  EXPECT_EQ(b.version, 1);

  // Told in the same transaction: inbox of the account and the person, SMS to the phone.
  EXPECT_THAT(OutboxTemplates(b.id), ElementsAre("appointment.booked"));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM notify_outbox WHERE subject_id = ? AND "
                   "status = 'pending' AND phone = '13807310001'",
                   {b.id}),
            1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM notify_inbox WHERE subject_id = ? AND title = '预约成功' "
                   "AND recipient_user_id = ? AND recipient_party_id = ?",
                   {b.id, citizen_.user_id, citizen_id_}),
            1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_entry WHERE action = "
                   "'appointments.booking.create' AND subject_id = ?",
                   {b.id}),
            1);
  SlotView v = MustSlots("2026-03-06", 1, "birth");
  EXPECT_EQ(SlotAt(v.days[0], "09:30")->booked, 1);
  EXPECT_EQ(v.days[0].day_booked, 1);

  // The numbers count per hall and slot date.
  Booking second = MustBook(other_, Req("2026-03-06", "09:30"));
  EXPECT_EQ(second.booking_no, "YY20260306002");
  Booking other_day = MustBook(other_, Req("2026-03-09", "09:30"));
  EXPECT_EQ(other_day.booking_no, "YY20260309001");

  // An enterprise books with the phone it gives.
  BookingRequest er = Req("2026-03-06", "14:00");
  const auto before = Snap();
  Result<Booking> no_phone = appts_->Book(company_, er);
  ASSERT_TRUE(IsError(no_phone, ErrorCode::kInvalidArgument, "appointments.invalid_booking"));
  EXPECT_EQ(no_phone.error().fields.at(0).field, "phone");
  EXPECT_EQ(Snap(), before);
  er.phone = "13600000009";
  Booking eb = MustBook(company_, er);
  EXPECT_EQ(eb.applicant_name, "湖南湘江智造科技有限公司");  // an enterprise name is public
  EXPECT_EQ(eb.phone_masked, "136****0009");
}

TEST_P(AppointmentServiceTest, EveryRefusedBookingSaysWhyAndChangesNothing) {
  MustBook(citizen_, Req("2026-03-06", "09:00"));
  const auto before = Snap();
  struct Bad {
    const char* name;
    const Principal* who;
    BookingRequest req;
    ErrorCode code;
    const char* reason;
  };
  BookingRequest empty;
  BookingRequest past = Req("2026-03-02", "09:00");  // today 09:00 = now
  BookingRequest yesterday = Req("2026-03-01", "09:00");
  BookingRequest far = Req("2026-03-17", "09:00");  // 15 days ahead
  BookingRequest odd = Req("2026-03-06", "09:10");
  BookingRequest lunch = Req("2026-03-06", "12:00");
  BookingRequest wrong_counter = Req("2026-03-06", "09:00", "insurance");
  wrong_counter.item_code = cert_code_;
  BookingRequest no_counter = Req("2026-03-06", "09:00", "vip");
  BookingRequest no_hall = Req("2026-03-06", "09:00");
  no_hall.hall_id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  BookingRequest no_item = Req("2026-03-06", "10:00");
  no_item.item_code = "NO-SUCH-ITEM";
  BookingRequest duplicate = Req("2026-03-06", "15:00");  // same person, hall and day
  BookingRequest staff_incomplete = Req("2026-03-06", "10:00");
  const std::string first17 = "43010419900101123";
  staff_incomplete.id_number = first17 + (IdNumberCheckChar(first17) == '0' ? '1' : '0');
  BookingRequest bad_phone = Req("2026-03-06", "10:00");
  bad_phone.phone = "12345";
  const std::vector<Bad> cases = {
      {"empty", &citizen_, empty, ErrorCode::kInvalidArgument, "appointments.invalid_booking"},
      {"past", &citizen_, past, ErrorCode::kInvalidArgument, "appointments.slot_past"},
      {"yesterday", &citizen_, yesterday, ErrorCode::kInvalidArgument, "appointments.slot_past"},
      {"far", &citizen_, far, ErrorCode::kInvalidArgument, "appointments.too_far_ahead"},
      {"odd", &citizen_, odd, ErrorCode::kInvalidArgument, "appointments.no_such_slot"},
      {"lunch", &citizen_, lunch, ErrorCode::kInvalidArgument, "appointments.no_such_slot"},
      {"wrong counter", &other_, wrong_counter, ErrorCode::kInvalidArgument,
       "appointments.counter_not_for_item"},
      {"no counter", &other_, no_counter, ErrorCode::kNotFound, "appointments.no_such_counter"},
      {"no hall", &other_, no_hall, ErrorCode::kNotFound, "appointments.hall_not_found"},
      {"no item", &other_, no_item, ErrorCode::kInvalidArgument, "appointments.invalid_booking"},
      {"duplicate", &citizen_, duplicate, ErrorCode::kAlreadyExists, "appointments.duplicate"},
      {"staff fields", &clerk_, staff_incomplete, ErrorCode::kInvalidArgument,
       "appointments.invalid_booking"},
      {"bad phone", &other_, bad_phone, ErrorCode::kInvalidArgument,
       "appointments.invalid_booking"},
      {"reviewer", &reviewer_, Req("2026-03-06", "10:00"), ErrorCode::kPermissionDenied,
       "identity.permission_denied"},
  };
  for (const Bad& c : cases) {
    Result<Booking> r = appts_->Book(*c.who, c.req);
    EXPECT_TRUE(IsError(r, c.code, c.reason)) << c.name;
    if (!r.has_value()) {
      EXPECT_FALSE(r.error().message.empty()) << c.name;
    }
    EXPECT_EQ(Snap(), before) << c.name;
  }
  Result<Booking> r = appts_->Book(citizen_, empty);
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("hallId", "date", "start", "counterType"));
  r = appts_->Book(clerk_, staff_incomplete);
  fields.clear();
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("applicantName", "idNumber", "phone"));

  // An inactive hall takes no bookings.
  Hall off = hall_;
  off.active = false;
  ASSERT_TRUE(appts_->UpdateHall(admin_, off).has_value());
  const auto inactive = Snap();
  EXPECT_TRUE(IsError(appts_->Book(other_, Req("2026-03-06", "10:00")),
                      ErrorCode::kFailedPrecondition, "appointments.hall_inactive"));
  EXPECT_EQ(Snap(), inactive);
}

TEST_P(AppointmentServiceTest, FullSlotsAndFullDaysRefuseAndACancellationGivesTheSeatBack) {
  // 医保窗口: one seat a slot, two a day.
  Booking first = MustBook(clerk_, ForPerson(1, "2026-03-06", "09:00", "insurance"));
  EXPECT_EQ(first.applicant_name, "代约人1");  // whole for the clerk
  auto before = Snap();
  EXPECT_TRUE(IsError(appts_->Book(clerk_, ForPerson(2, "2026-03-06", "09:00", "insurance")),
                      ErrorCode::kFailedPrecondition, "appointments.slot_full"));
  EXPECT_EQ(Snap(), before);
  MustBook(clerk_, ForPerson(2, "2026-03-06", "09:30", "insurance"));
  before = Snap();
  EXPECT_TRUE(IsError(appts_->Book(clerk_, ForPerson(3, "2026-03-06", "10:00", "insurance")),
                      ErrorCode::kFailedPrecondition, "appointments.day_full"));
  EXPECT_EQ(Snap(), before);
  SlotView v = MustSlots("2026-03-06", 1, "insurance");
  EXPECT_EQ(v.days[0].day_booked, 2);
  for (const Slot& s : v.days[0].slots) EXPECT_FALSE(s.bookable) << s.start;

  // The first one is cancelled by the clerk (a reason is required), and its seat is free again.
  clock().Advance(60'000);
  Result<Booking> c = appts_->Cancel(clerk_, first.id, "");
  EXPECT_TRUE(IsError(c, ErrorCode::kInvalidArgument, "appointments.invalid_reason"));
  c = appts_->Cancel(clerk_, first.id, "群众来电取消");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->status, BookingStatus::kCancelled);
  EXPECT_EQ(c->cancel_reason, "群众来电取消");
  v = MustSlots("2026-03-06", 1, "insurance");
  EXPECT_EQ(v.days[0].day_booked, 1);
  EXPECT_TRUE(SlotAt(v.days[0], "09:00")->bookable);
  Booking again = MustBook(clerk_, ForPerson(3, "2026-03-06", "09:00", "insurance"));
  EXPECT_EQ(again.booking_no, "YY20260306003");  // numbers are not reused
  // Told by SMS only: no account or person is linked to a booking made on someone's behalf.
  EXPECT_THAT(OutboxTemplates(first.id),
              ElementsAre("appointment.booked", "appointment.cancelled"));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM notify_inbox WHERE subject_id = ?", {first.id}), 0);
}

TEST_P(AppointmentServiceTest, ConcurrentBookingsNeverTakeMoreSeatsThanThereAre) {
  // 出生一件事专窗: 2 seats a slot, 10 a day. 8 people race for the 09:00 slot, then 16 people
  // race for the rest of the day at different slots.
  constexpr int kRacers = 8;
  std::atomic<int> ok{0}, full{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      Result<Booking> r = appts_->Book(clerk_, ForPerson(100 + i, "2026-03-06", "09:00", "birth"));
      if (r.has_value()) {
        ++ok;
      } else if (r.error().reason == "appointments.slot_full") {
        ++full;
      } else {
        ++other;
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(full.load(), kRacers - 2);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Scalar("SELECT booked FROM appt_slot_count WHERE counter_type = 'birth' AND "
                   "slot_date = '2026-03-06' AND slot_start = '09:00'"),
            2);

  threads.clear();
  ok = 0;
  std::atomic<int> day_full{0};
  const char* starts[] = {"09:30", "10:00", "10:30", "11:00"};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      Result<Booking> r =
          appts_->Book(clerk_, ForPerson(200 + i, "2026-03-06", starts[i % 4], "birth"));
      if (r.has_value()) {
        ++ok;
      } else if (r.error().reason == "appointments.day_full" ||
                 r.error().reason == "appointments.slot_full") {
        ++day_full;
      } else {
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);  // 4 slots × 2 seats = 8 = the 10 a day less the 2 at 09:00
  EXPECT_EQ(Scalar("SELECT booked FROM appt_day_count WHERE counter_type = 'birth' AND "
                   "slot_date = '2026-03-06'"),
            10);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM appt_booking WHERE counter_type = 'birth' AND "
                   "status = 'booked'"),
            10);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT booking_no) FROM appt_booking"), 10);
}

TEST_P(AppointmentServiceTest, TheSamePersonRacingForTwoSlotsGetsOneBooking) {
  std::atomic<int> ok{0}, dup{0};
  std::vector<std::thread> threads;
  const char* starts[] = {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"};
  for (const char* start : starts) {
    threads.emplace_back([&, start] {
      Result<Booking> r = appts_->Book(clerk_, ForPerson(7, "2026-03-06", start));
      if (r.has_value()) {
        ++ok;
      } else if (r.error().reason == "appointments.duplicate") {
        ++dup;
      } else {
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(dup.load(), 5);
  EXPECT_EQ(Scalar("SELECT COALESCE(SUM(booked), 0) FROM appt_slot_count"), 1);
  EXPECT_EQ(Scalar("SELECT booked FROM appt_day_count"), 1);
}

// --- cancellation ------------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, TheBookerCancelsInTimeOthersCannotAndLateIsTooLate) {
  Booking b = MustBook(citizen_, Req("2026-03-06", "09:00"));
  auto before = Snap();
  EXPECT_TRUE(
      IsError(appts_->Cancel(other_, b.id, ""), ErrorCode::kNotFound, "appointments.not_found"));
  EXPECT_TRUE(IsError(appts_->Cancel(reviewer_, b.id, "不来了"), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(Snap(), before);

  // 30 minutes before the slot is the last moment.
  clock().Set(At("2026-03-06", 8, 31));
  EXPECT_TRUE(IsError(appts_->Cancel(citizen_, b.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.too_late_to_cancel"));
  EXPECT_EQ(Snap(), before);
  clock().Set(At("2026-03-06", 8, 30));
  Result<Booking> c = appts_->Cancel(citizen_, b.id, "");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->status, BookingStatus::kCancelled);
  EXPECT_EQ(c->version, 2);
  EXPECT_THAT(OutboxTemplates(b.id), ElementsAre("appointment.booked", "appointment.cancelled"));
  EXPECT_EQ(
      Scalar("SELECT COUNT(*) FROM notify_inbox WHERE subject_id = ? AND title = '预约已取消'",
             {b.id}),
      1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_entry WHERE action = "
                   "'appointments.booking.cancel' AND subject_id = ?",
                   {b.id}),
            1);
  before = Snap();
  EXPECT_TRUE(IsError(appts_->Cancel(citizen_, b.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.bad_state"));
  EXPECT_EQ(Snap(), before);

  // Having cancelled, the same person may book that day again.
  MustBook(citizen_, Req("2026-03-06", "10:00"));
}

// --- lists and check-in ------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, MineListsOwnBookingsNewestFirstAndTheCounterSeesItsDay) {
  Booking a = MustBook(citizen_, Req("2026-03-06", "10:00"));
  clock().Advance(1000);
  Booking b = MustBook(citizen_, Req("2026-03-05", "09:00"));
  MustBook(other_, Req("2026-03-06", "09:00"));
  Result<std::vector<Booking>> mine = appts_->Mine(citizen_);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].id, b.id);
  EXPECT_EQ((*mine)[1].id, a.id);
  EXPECT_EQ((*mine)[0].applicant_name, "张*丰");
  EXPECT_TRUE(
      IsError(appts_->Mine(clerk_), ErrorCode::kPermissionDenied, "identity.permission_denied"));

  BookingFilter f;
  f.hall_id = hall_.id;
  f.date = D("2026-03-06");
  Result<std::vector<Booking>> day = appts_->DayList(clerk_, f);
  ASSERT_TRUE(day.has_value());
  ASSERT_EQ(day->size(), 2u);
  EXPECT_EQ((*day)[0].start, "09:00");
  EXPECT_EQ((*day)[0].applicant_name, "李梅");  // whole for the counter
  EXPECT_EQ((*day)[0].phone_masked, "139****0002");
  EXPECT_EQ((*day)[1].applicant_name, "张三丰");
  f.status = BookingStatus::kCheckedIn;
  EXPECT_TRUE(appts_->DayList(clerk_, f)->empty());
  EXPECT_TRUE(IsError(appts_->DayList(citizen_, f), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  f.hall_id = "";
  EXPECT_TRUE(IsError(appts_->DayList(clerk_, f), ErrorCode::kInvalidArgument,
                      "appointments.invalid_query"));
}

TEST_P(AppointmentServiceTest, CheckInOnlyOnTheDayAndACaseIsLinkedLater) {
  Booking b = MustBook(citizen_, Req("2026-03-06", "10:00"));
  auto before = Snap();
  EXPECT_TRUE(IsError(appts_->CheckIn(clerk_, b.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.not_today"));
  EXPECT_TRUE(IsError(appts_->CheckIn(citizen_, b.id, ""), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_TRUE(IsError(appts_->CheckIn(clerk_, "01HZZZZZZZZZZZZZZZZZZZZZZZ", ""),
                      ErrorCode::kNotFound, "appointments.not_found"));
  EXPECT_EQ(Snap(), before);

  clock().Set(At("2026-03-06", 9, 40));
  Result<Booking> in = appts_->CheckIn(clerk_, b.id, "");
  ASSERT_TRUE(in.has_value()) << in.error().message;
  EXPECT_EQ(in->status, BookingStatus::kCheckedIn);
  ASSERT_TRUE(in->checked_in_at_ms.has_value());
  EXPECT_EQ(*in->checked_in_at_ms, At("2026-03-06", 9, 40));
  EXPECT_EQ(in->applicant_name, "张三丰");

  before = Snap();
  EXPECT_TRUE(IsError(appts_->CheckIn(clerk_, b.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.bad_state"));
  Result<Booking> link = appts_->CheckIn(clerk_, b.id, "01HNOSUCHCASE0000000000000");
  ASSERT_TRUE(IsError(link, ErrorCode::kInvalidArgument, "appointments.invalid_case"));
  EXPECT_EQ(link.error().fields.at(0).field, "caseId");
  EXPECT_TRUE(IsError(appts_->Cancel(citizen_, b.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.bad_state"));
  EXPECT_EQ(Snap(), before);

  // A case filed at the counter is linked afterwards.
  const std::string case_id = "01HCASE0000000000000000000";
  ASSERT_TRUE(store::Transact(db(), [&](store::Tx& tx) -> Result<void> {
                RETURN_IF_ERROR(tx.Exec(
                    "INSERT INTO case_file (id, kind, catalog_code, catalog_version, title, "
                    "applicant_party_id, applicant_kind, applicant_name, applicant_number_masked, "
                    "channel, agent_authorisation, answers_json, form_json, status, pledge, "
                    "limit_unit, correction_json, outcome_reason, delivery_method, "
                    "delivery_address, tracking_no, created_by, created_at_ms) VALUES (?, 'item', "
                    "'x', 1, '测试', ?, 'person', '张三丰', '4301', 'counter', '', '{}', '{}', "
                    "'submitted', '', 'working_days', '[]', '', 'electronic', '', '', 'u', 0)",
                    {case_id, citizen_id_}));
                return Ok();
              }).has_value());
  link = appts_->CheckIn(clerk_, b.id, case_id);
  ASSERT_TRUE(link.has_value()) << link.error().message;
  EXPECT_EQ(link->case_id, case_id);
  EXPECT_EQ(link->status, BookingStatus::kCheckedIn);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_entry WHERE subject_id = ? AND action IN "
                   "('appointments.booking.check_in', 'appointments.booking.link_case')",
                   {b.id}),
            2);
}

// --- the sweep ---------------------------------------------------------------------------------

TEST_P(AppointmentServiceTest, RemindersGoOutOnceAndNotForBookingsMadeInsideTheWindow) {
  Booking early = MustBook(citizen_, Req("2026-03-06", "09:00"));  // due 03-05 09:00
  Booking cancelled = MustBook(other_, Req("2026-03-06", "09:30"));
  clock().Advance(60'000);
  ASSERT_TRUE(appts_->Cancel(other_, cancelled.id, "").has_value());
  // Made 12 hours before its slot: the confirmation is all it gets.
  clock().Set(At("2026-03-05", 21));
  Booking late = MustBook(other_, Req("2026-03-06", "09:00"));

  Result<SweepReport> r = appts_->SendDueReminders(At("2026-03-05", 8, 59));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reminded, 0);
  r = appts_->SendDueReminders(At("2026-03-05", 21, 1));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reminded, 1);
  EXPECT_EQ(r->failed, 0);
  EXPECT_THAT(OutboxTemplates(early.id), ElementsAre("appointment.booked", "appointment.reminder"));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM notify_inbox WHERE subject_id = ? AND title = '预约提醒'",
                   {early.id}),
            1);
  const auto after = Snap();
  r = appts_->SendDueReminders(At("2026-03-06", 8, 0));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reminded, 0);  // never twice
  EXPECT_EQ(Snap(), after);
  EXPECT_THAT(OutboxTemplates(late.id), ElementsAre("appointment.booked"));
  EXPECT_THAT(OutboxTemplates(cancelled.id),
              ElementsAre("appointment.booked", "appointment.cancelled"));
}

TEST_P(AppointmentServiceTest, BookingsNotCheckedInAreNoShowsHalfAnHourAfterTheirSlot) {
  Booking came = MustBook(citizen_, Req("2026-03-06", "09:00"));
  Booking missed = MustBook(other_, Req("2026-03-06", "09:00"));
  Booking later = MustBook(clerk_, ForPerson(5, "2026-03-06", "11:00"));
  clock().Set(At("2026-03-06", 8, 50));
  ASSERT_TRUE(appts_->CheckIn(clerk_, came.id, "").has_value());
  // 09:30 + 30 minutes has not passed yet at 10:00.
  Result<SweepReport> r = appts_->SendDueReminders(At("2026-03-06", 10, 0));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->no_shows, 0);
  r = appts_->SendDueReminders(At("2026-03-06", 10, 1));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->no_shows, 1);
  BookingFilter f;
  f.hall_id = hall_.id;
  f.date = D("2026-03-06");
  std::map<std::string, BookingStatus> status;
  Result<std::vector<Booking>> day = appts_->DayList(clerk_, f);
  ASSERT_TRUE(day.has_value());
  for (const Booking& b : *day) status[b.id] = b.status;
  EXPECT_EQ(status[came.id], BookingStatus::kCheckedIn);
  EXPECT_EQ(status[missed.id], BookingStatus::kNoShow);
  EXPECT_EQ(status[later.id], BookingStatus::kBooked);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_entry WHERE action = 'appointments.booking.no_show' "
                   "AND subject_id = ? AND actor_id = 'system'",
                   {missed.id}),
            1);
  r = appts_->SendDueReminders(At("2026-03-06", 10, 2));
  EXPECT_EQ(r->no_shows, 0);
  // A no-show can be neither checked in nor cancelled.
  EXPECT_TRUE(IsError(appts_->CheckIn(clerk_, missed.id, ""), ErrorCode::kFailedPrecondition,
                      "appointments.bad_state"));
}

TEST(AppointmentValuesTest, NamesAreMaskedByCodePoint) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("张三丰"), "张*丰");
  EXPECT_EQ(MaskName("欧阳小雨"), "欧**雨");
  EXPECT_EQ(MaskName(" 李 "), "李");
  EXPECT_EQ(MaskName(""), "");
  for (BookingStatus s : {BookingStatus::kBooked, BookingStatus::kCancelled,
                          BookingStatus::kCheckedIn, BookingStatus::kNoShow}) {
    Result<BookingStatus> back = ParseBookingStatus(BookingStatusCode(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_TRUE(
      IsError(ParseBookingStatus("done"), ErrorCode::kInvalidArgument, "appointments.bad_status"));
  EXPECT_EQ(audit::ActionLabel("appointments.booking.create"), "预约");
  EXPECT_EQ(audit::ActionLabel("appointments.booking.no_show"), "预约未到");
}

INSTANTIATE_TEST_SUITE_P(Backends, AppointmentServiceTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const ::testing::TestParamInfo<store::Backend>& info) {
                           return testutil::BackendParamName(info.param);
                         });

}  // namespace
}  // namespace onestop::cases
