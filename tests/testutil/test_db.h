// TestDb: a fresh, migrated database per test on SQLite or PostgreSQL.
// PostgreSQL comes from ONESTOP_TEST_PG_URL (make test starts a throwaway server). When it is
// unset, PostgreSQL tests FAIL, unless ONESTOP_TEST_SKIP_PG=1 says to skip them on purpose.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/db.h"

namespace onestop::testutil {

// The backends every store-level suite runs on: always both.
std::vector<store::Backend> AllBackends();
// "sqlite" / "postgresql", for INSTANTIATE_TEST_SUITE_P names.
std::string BackendParamName(store::Backend backend);

class TestDb {
 public:
  // Creates an empty database (a temp file, or a fresh schema on PostgreSQL). When `migrate`,
  // applies every migration. Returns nullptr (after ADD_FAILURE) when that fails; use
  // ONESTOP_CREATE_TEST_DB in SetUp().
  static std::unique_ptr<TestDb> Create(store::Backend backend, bool migrate = true);
  ~TestDb();

  store::Db& db() { return *db_; }
  store::Backend backend() const { return backend_; }
  const std::string& url() const { return url_; }
  FakeClock& clock() { return clock_; }

  // Count of rows in `table` (for "nothing changed" assertions).
  std::int64_t Count(const std::string& table);

 private:
  TestDb() = default;
  store::Backend backend_ = store::Backend::kSqlite;
  std::string url_;
  std::string cleanup_;  // temp dir to delete, or PostgreSQL schema to drop
  std::unique_ptr<store::Db> db_;
  FakeClock clock_{1798761600000};  // 2027-01-01T00:00:00Z; tests set their own instants
};

// True when ONESTOP_TEST_PG_URL is unset or empty.
bool PgNotConfigured();
// True when ONESTOP_TEST_SKIP_PG=1.
bool PgSkipAllowed();

// A fixed instant for tests: 2026-11-27 09:00 China Standard Time.
constexpr Millis kTestNowMs = 1795741200000;

}  // namespace onestop::testutil

// In a fixture's SetUp(): creates `member` = TestDb for `backend`, or skips (when
// ONESTOP_TEST_SKIP_PG=1 and PostgreSQL is not configured) or fails the test.
#define ONESTOP_CREATE_TEST_DB(member, backend, ...)                                        \
  do {                                                                                      \
    if ((backend) == ::onestop::store::Backend::kPostgres &&                                \
        ::onestop::testutil::PgNotConfigured()) {                                           \
      if (::onestop::testutil::PgSkipAllowed()) GTEST_SKIP() << "ONESTOP_TEST_SKIP_PG=1";   \
      FAIL() << "ONESTOP_TEST_PG_URL is not set: PostgreSQL tests cannot run. Use "         \
                "`make test` (it starts a throwaway server) or set ONESTOP_TEST_SKIP_PG=1 " \
                "to skip them on purpose.";                                                 \
    }                                                                                       \
    member = ::onestop::testutil::TestDb::Create((backend)__VA_OPT__(, ) __VA_ARGS__);      \
    ASSERT_NE(member, nullptr);                                                             \
  } while (false)
