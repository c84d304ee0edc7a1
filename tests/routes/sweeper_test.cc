// app::Sweeper (src/app/sweeper.h) on the demo: one round sends the due appointment reminders
// and marks no-shows; the background thread runs a round at once and stops when told.
// (In routes_tests because that suite links the app library and has the demo database.)
#include "app/sweeper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/id_number.h"
#include "routes/harness.h"

namespace onestop::routes_test {
namespace {

class SweeperTest : public RoutesTest {
 protected:
  std::string CountyHall() {
    Result<std::vector<cases::Hall>> halls = env().app().appointments.ListHalls(false);
    EXPECT_TRUE(halls.has_value());
    for (const cases::Hall& h : *halls) {
      if (h.code == "HALL-430104-01") return h.id;
    }
    ADD_FAILURE() << "no demo county hall";
    return "";
  }

  // A booking at the counter for a new person on `date` at `start`.
  std::string BookAtCounter(const char* date, const char* start, int person) {
    Result<identity::Principal> clerk = store::Read(env().db().db(), [&](store::Tx& tx) {
      return identity::AuthService::LoadPrincipal(tx, env().UserId("clerk"));
    });
    EXPECT_TRUE(clerk.has_value());
    const std::string first17 = "4301041970010" + std::to_string(1000 + person);
    cases::BookingRequest r;
    r.hall_id = CountyHall();
    r.counter_type = "general";
    r.date = Date::Parse(date).value();
    r.start = start;
    r.applicant_name = "扫描测试";
    r.id_number = first17 + IdNumberCheckChar(first17);
    r.phone = "13700000003";
    Result<cases::Booking> b = env().app().appointments.Book(*clerk, r);
    EXPECT_TRUE(b.has_value()) << b.error().message;
    return b.has_value() ? b->id : "";
  }

  std::int64_t Reminders(const std::string& booking) {
    Result<std::int64_t> n =
        store::Read(env().db().db(), [&](store::Tx& tx) -> Result<std::int64_t> {
          ASSIGN_OR_RETURN(store::Rows rows,
                           tx.Query("SELECT COUNT(*) FROM notify_outbox WHERE subject_id = ? AND "
                                    "template_code = 'appointment.reminder'",
                                    {booking}));
          return rows.front().Int(0);
        });
    return n.has_value() ? *n : -1;
  }
};

TEST_P(SweeperTest, ARoundRemindsOnceAndTheThreadStartsAndStops) {
  // Booked on Friday 09:00 for Monday 15:00: the reminder is due on Sunday 15:00.
  const std::string id =
      BookAtCounter("2026-11-30", "15:00", GetParam() == store::Backend::kSqlite ? 1 : 2);
  app::Sweeper sweeper(env().app().appointments, env().app().cases, env().clock(),
                       app::SweeperOptions{.interval_ms = 50});
  ASSERT_TRUE(sweeper.RunOnce().has_value());
  EXPECT_EQ(Reminders(id), 0);

  const Millis before = env().clock().NowMs();
  env().clock().Set(Date{2026, 11, 29}.StartOfDayMs() + 15 * 3'600'000 + 60'000);
  ASSERT_TRUE(sweeper.RunOnce().has_value());
  EXPECT_EQ(Reminders(id), 1);
  // The thread runs rounds until stopped; none of them sends it again.
  sweeper.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  sweeper.Stop();
  sweeper.Stop();  // idempotent
  EXPECT_EQ(Reminders(id), 1);
  env().clock().Set(before);
  env().SignInAll();
}

INSTANTIATE_ROUTES_TEST(SweeperTest);

}  // namespace
}  // namespace onestop::routes_test
