// ScanLights on both backends: every pending task counted once across pages, lights that move
// with the clock, the data scope, agreement with the department queue, and bad page sizes.
#include "cases/light_scan.h"

#include <gtest/gtest.h>

#include <map>

#include "cases/case_service.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::cases {
namespace {

using identity::Principal;
using testutil::IsError;

// 09:00 CST on a date.
Millis At(const char* date) { return Date::Parse(date).value().StartOfDayMs() + 9 * 3600 * 1000; }

class LightScanTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    clock().Set(At("2026-03-02"));  // a Monday; no holiday near it
    audit_ = std::make_unique<audit::AuditLog>(clock());
    identity_ = std::make_unique<identity::IdentityServices>(db(), clock(), *audit_, hasher_);
    calendar_ = std::make_unique<calendar::CalendarService>(db(), clock(), *audit_);
    catalog_ = std::make_unique<catalog::CatalogService>(db(), clock(), *audit_);
    cases_ =
        std::make_unique<CaseService>(db(), clock(), *audit_, *calendar_, *catalog_, *identity_);
    const std::string root = Dept("HN-CS", "长沙市政务服务中心", std::nullopt);
    wjw_ = Dept("HN-CS-WJW", "长沙市卫生健康委员会", root);
    gaj_ = Dept("HN-CS-GAJ", "长沙市公安局", root);
    supervisor_ = User("sup", {"supervisor"}, root);
    wjw_reviewer_ = User("wjw", {"reviewer"}, wjw_);
    agent_ = User("agent", {"agent"}, root);
    SeedTasks();
  }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  std::string Dept(const std::string& code, const std::string& name,
                   std::optional<std::string> parent) {
    return testutil::MakeDepartment(*identity_, code, name, std::move(parent));
  }

  Principal User(const std::string& username, std::vector<std::string> roles,
                 std::optional<std::string> department) {
    return testutil::MakeUser(db(), *identity_,
                              {username, std::move(roles), std::move(department)});
  }

  // A case row as CaseService leaves an accepted one (in correction when `suspended`).
  void InsertCase(const std::string& id, bool suspended) {
    Result<std::int64_t> r = store::Transact(db(), [&](store::Tx& tx) {
      return tx.Exec(
          "INSERT INTO case_file (id, kind, catalog_code, catalog_version, title, "
          "applicant_party_id, applicant_kind, applicant_name, applicant_number_masked, channel, "
          "agent_authorisation, answers_json, form_json, status, pledge, limit_unit, "
          "suspended_since_ms, correction_json, outcome_reason, delivery_method, "
          "delivery_address, tracking_no, created_by, created_at_ms) VALUES (?, 'bundle', "
          "'birth', 1, '出生一件事', 'P1', 'person', '李梅', '4301**********1234', 'online', '', "
          "'{}', '{}', ?, '', 'working_days', ?, '[]', '', 'electronic', '', '', 'U1', ?)",
          {id, std::string(suspended ? "correction" : "in_progress"),
           suspended ? store::Value(At("2026-02-27")) : store::kNull, At("2026-02-20")});
    });
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  // A task of `case_id` in `status`, at `department`, due on `deadline` ("" = none stored).
  void InsertTask(const std::string& id, const std::string& case_id, const std::string& department,
                  const std::string& status, const std::string& deadline) {
    static int seq = 0;
    Result<std::int64_t> r = store::Transact(db(), [&](store::Tx& tx) {
      return tx.Exec(
          "INSERT INTO case_task (id, case_id, seq, item_code, item_version, item_name, kind, "
          "department_id, steps_json, result_fields_json, mappings_json, commitment_allowed, "
          "status, step_index, prerequisites_json, blocking, started_at_ms, limit_value, "
          "limit_unit, deadline, reason, mapped_json, result_json) VALUES (?, ?, ?, 'X', 1, "
          "'出生登记', 'item', ?, '[]', '[]', '[]', 0, ?, 1, '[]', 1, ?, 5, 'working_days', ?, "
          "'', '{}', '{}')",
          {id, case_id, std::int64_t{++seq}, department, status, At("2026-02-20"),
           deadline.empty() ? store::kNull : store::Value(deadline)});
    });
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }

  // At Mon 2026-03-02: red before today; yellow today and on the next working day (03-03);
  // green after that.
  void SeedTasks() {
    InsertCase("C1", false);
    InsertCase("C2", false);
    InsertCase("C3", true);                                  // in 补正: its clocks stand still
    InsertTask("T01", "C1", wjw_, "pending", "2026-02-27");  // red
    InsertTask("T02", "C1", wjw_, "pending", "2026-03-02");  // yellow (the deadline day)
    InsertTask("T03", "C1", wjw_, "pending", "2026-03-03");  // yellow (one working day left)
    InsertTask("T04", "C2", wjw_, "pending", "2026-03-04");  // green
    InsertTask("T05", "C2", wjw_, "pending", "2026-03-10");  // green
    InsertTask("T06", "C2", gaj_, "pending", "2026-03-20");  // green
    InsertTask("T07", "C2", gaj_, "pending", "2026-02-20");  // red
    InsertTask("T08", "C3", wjw_, "pending", "2026-02-20");  // suspended, not red
    InsertTask("T09", "C1", gaj_, "pending", "");            // no deadline stored
    InsertTask("T10", "C1", wjw_, "waiting", "");            // not started: no light
    InsertTask("T11", "C2", wjw_, "approved", "2026-02-20");
    InsertTask("T12", "C2", gaj_, "cancelled", "2026-02-20");
  }

  LightCounts MustScan(const Principal& actor, int page_size) {
    Result<LightCounts> r =
        ScanLights(db(), *calendar_, clock(), actor, {.page_size = page_size, .yellow_days = 1});
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : LightCounts{};
  }

  std::unique_ptr<testutil::TestDb> t_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<calendar::CalendarService> calendar_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<CaseService> cases_;
  std::string wjw_, gaj_;
  Principal supervisor_, wjw_reviewer_, agent_;
};

TEST_P(LightScanTest, CountsEveryPendingTaskOnceWhateverThePageSize) {
  for (int page_size : {1, 2, 9, 10000}) {
    SCOPED_TRACE(page_size);
    const LightCounts c = MustScan(supervisor_, page_size);
    EXPECT_EQ(c.red, 2);
    EXPECT_EQ(c.yellow, 2);
    EXPECT_EQ(c.green, 3);
    EXPECT_EQ(c.suspended, 1);
    EXPECT_EQ(c.without_deadline, 1);
    EXPECT_EQ(c.scanned, 9);  // waiting, approved and cancelled tasks have no light
  }
  // Nine rows: full pages, then one short (or empty) page that ends the scan.
  EXPECT_EQ(MustScan(supervisor_, 2).pages, 5);
  EXPECT_EQ(MustScan(supervisor_, 9).pages, 2);
  EXPECT_EQ(MustScan(supervisor_, 10000).pages, 1);
  EXPECT_EQ(MustScan(Principal::System(), 10000).scanned, 9);
}

TEST_P(LightScanTest, LightsMoveWithTheClock) {
  clock().Set(At("2026-03-04"));  // Wednesday
  const LightCounts c = MustScan(supervisor_, 3);
  EXPECT_EQ(c.red, 4);     // 02-27, 03-02, 03-03, 02-20
  EXPECT_EQ(c.yellow, 1);  // 03-04, the deadline day
  EXPECT_EQ(c.green, 2);   // 03-10 (four working days left), 03-20
  EXPECT_EQ(c.suspended, 1);
  clock().Set(At("2026-03-21"));  // Saturday, after every deadline
  EXPECT_EQ(MustScan(supervisor_, 3).red, 7);
}

TEST_P(LightScanTest, ScopeDecidesWhichTasksAreCounted) {
  // A reviewer of 卫健委 sees the tasks at 卫健委's steps only.
  const LightCounts mine = MustScan(wjw_reviewer_, 2);
  EXPECT_EQ(mine.red, 1);
  EXPECT_EQ(mine.yellow, 2);
  EXPECT_EQ(mine.green, 2);
  EXPECT_EQ(mine.suspended, 1);
  EXPECT_EQ(mine.without_deadline, 0);
  EXPECT_EQ(mine.scanned, 6);
  // The same lights as that department's queue.
  Result<std::vector<QueueEntry>> queue = cases_->Queue(wjw_reviewer_);
  ASSERT_TRUE(queue.has_value()) << queue.error().message;
  std::map<std::string, int> by_light;
  for (const QueueEntry& e : *queue) {
    by_light[e.task.light ? LightCode(*e.task.light) : "none"]++;
  }
  EXPECT_EQ(by_light,
            (std::map<std::string, int>{{"red", 1}, {"yellow", 2}, {"green", 2}, {"none", 1}}));
  // Scope self (帮代办员): no department, so nothing; no query is run.
  const LightCounts none = MustScan(agent_, 100);
  EXPECT_EQ(none.scanned, 0);
  EXPECT_EQ(none.pages, 0);
}

TEST_P(LightScanTest, RefusesWithoutCasesReadAndBadPageSizesChangingNothing) {
  const std::int64_t audit_before = t_->Count("audit_entry");
  Principal citizen;
  citizen.user_id = "01J0000000000000000000CITZ";
  citizen.kind = identity::UserKind::kCitizen;
  citizen.permissions = {identity::Permission::kApplyCases};
  EXPECT_TRUE(IsError(ScanLights(db(), *calendar_, clock(), citizen), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  for (int page_size : {0, -1, kMaxLightScanPage + 1}) {
    Result<LightCounts> r = ScanLights(db(), *calendar_, clock(), supervisor_,
                                       {.page_size = page_size, .yellow_days = 1});
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "cases.bad_page_size")) << page_size;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "pageSize");
    EXPECT_EQ(r.error().message, "每页读取的任务数应为 1–100000");
  }
  EXPECT_EQ(t_->Count("audit_entry"), audit_before);
  EXPECT_EQ(t_->Count("case_task"), 12);
}

INSTANTIATE_TEST_SUITE_P(Backends, LightScanTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::cases
