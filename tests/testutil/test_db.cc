#include "testutil/test_db.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/result.h"
#include "store/migrate.h"

namespace onestop::testutil {
namespace {

std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 12; ++i) s += alphabet[rng() % 36];
  return s;
}

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

}  // namespace

bool PgNotConfigured() { return Env("ONESTOP_TEST_PG_URL") == nullptr; }
bool PgSkipAllowed() {
  const char* v = Env("ONESTOP_TEST_SKIP_PG");
  return v != nullptr && std::string(v) == "1";
}

std::vector<store::Backend> AllBackends() {
  return {store::Backend::kSqlite, store::Backend::kPostgres};
}

std::string BackendParamName(store::Backend backend) {
  return backend == store::Backend::kSqlite ? "sqlite" : "postgresql";
}

std::unique_ptr<TestDb> TestDb::Create(store::Backend backend, bool migrate) {
  std::unique_ptr<TestDb> t(new TestDb());
  t->backend_ = backend;
  if (backend == store::Backend::kSqlite) {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("onestop-test-" + RandomSuffix());
    std::filesystem::create_directories(dir);
    t->cleanup_ = dir.string();
    t->url_ = "sqlite:" + (dir / "test.db").string();
  } else {
    const char* base = Env("ONESTOP_TEST_PG_URL");
    if (base == nullptr) {
      ADD_FAILURE() << "ONESTOP_TEST_PG_URL is not set";
      return nullptr;
    }
    Result<std::unique_ptr<store::Db>> admin = store::Open(base, {.pool_size = 1});
    if (!admin.has_value()) {
      ADD_FAILURE() << "cannot connect to ONESTOP_TEST_PG_URL: " << admin.error().message;
      return nullptr;
    }
    std::string schema = "t_" + RandomSuffix();
    Result<bool> made = store::Transact(**admin, [&](store::Tx& tx) -> Result<bool> {
      RETURN_IF_ERROR(tx.Exec("CREATE SCHEMA " + schema));
      return true;
    });
    if (!made.has_value()) {
      ADD_FAILURE() << "cannot create schema: " << made.error().message;
      return nullptr;
    }
    t->cleanup_ = schema;
    std::string url = base;
    url += (url.find('?') == std::string::npos ? "?" : "&");
    url += "options=-csearch_path%3D" + schema;
    t->url_ = url;
  }
  Result<std::unique_ptr<store::Db>> db = store::Open(t->url_, {.pool_size = 4});
  if (!db.has_value()) {
    ADD_FAILURE() << "cannot open test database " << t->url_ << ": " << db.error().message;
    return nullptr;
  }
  t->db_ = std::move(db).value();
  if (migrate) {
    Result<store::MigrationReport> r = store::Migrate(*t->db_, t->clock_);
    if (!r.has_value()) {
      ADD_FAILURE() << "migration failed: " << r.error().message;
      return nullptr;
    }
  }
  return t;
}

TestDb::~TestDb() {
  db_.reset();
  if (cleanup_.empty()) return;
  if (backend_ == store::Backend::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(cleanup_, ec);
  } else if (const char* base = Env("ONESTOP_TEST_PG_URL")) {
    Result<std::unique_ptr<store::Db>> admin = store::Open(base, {.pool_size = 1});
    if (admin.has_value()) {
      (void)store::Transact(**admin, [&](store::Tx& tx) -> Result<bool> {
        RETURN_IF_ERROR(tx.Exec("DROP SCHEMA IF EXISTS " + cleanup_ + " CASCADE"));
        return true;
      });
    }
  }
}

std::int64_t TestDb::Count(const std::string& table) {
  Result<std::int64_t> n = store::Read(*db_, [&](store::Tx& tx) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(store::Rows rows, tx.Query("SELECT COUNT(*) FROM " + table));
    return rows.front().Int(0);
  });
  return n.has_value() ? *n : -1;
}

}  // namespace onestop::testutil
