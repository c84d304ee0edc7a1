// The store conformance suite: the same tests on SQLite and PostgreSQL (never skipped
// silently: without ONESTOP_TEST_PG_URL the PostgreSQL half fails unless ONESTOP_TEST_SKIP_PG=1).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/db.h"
#include "store/migrate.h"
#include "testutil/test_db.h"

namespace onestop::store {
namespace {

using testutil::TestDb;

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    Result<bool> made = Transact(db(), [](Tx& tx) -> Result<bool> {
      RETURN_IF_ERROR(tx.Exec(
          "CREATE TABLE test_item (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT,"
          " parent_id TEXT REFERENCES test_item (id), version INTEGER NOT NULL DEFAULT 1)"));
      return true;
    });
    ASSERT_TRUE(made.has_value()) << made.error().message;
  }

  Db& db() { return t_->db(); }

  Result<std::int64_t> Insert(const std::string& id, std::int64_t n) {
    return Transact(db(), [&](Tx& tx) {
      return tx.Exec("INSERT INTO test_item (id, n, s) VALUES (?, ?, ?)", {id, n, "行" + id});
    });
  }

  std::int64_t ValueOf(const std::string& id) {
    Result<std::int64_t> r = Read(db(), [&](Tx& tx) -> Result<std::int64_t> {
      ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT n FROM test_item WHERE id = ?", {id},
                                            "test.not_found", "没有"));
      return row.Int(0);
    });
    return r.has_value() ? *r : -999;
  }

  std::unique_ptr<TestDb> t_;
};

TEST_P(StoreTest, MigrationsApplyToEmptyDatabaseAndAreRecorded) {
  std::vector<Migration> all = EmbeddedMigrations(GetParam());
  ASSERT_FALSE(all.empty());
  Result<int> version = SchemaVersion(db());
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version, all.back().version);
  EXPECT_EQ(t_->Count("store_migration"), static_cast<std::int64_t>(all.size()));
  // Every table named in the migrations exists and is queryable.
  for (const char* table :
       {"identity_department", "identity_person", "identity_enterprise", "identity_user",
        "identity_session", "audit_entry", "audit_head", "calendar_override"}) {
    EXPECT_GE(t_->Count(table), 0) << table;
  }
  // Running again applies nothing.
  Result<MigrationReport> again = Migrate(db(), t_->clock());
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->to_version, all.back().version);
}

TEST_P(StoreTest, MigrateFromScratchReportsEveryMigration) {
  std::unique_ptr<TestDb> empty;
  ONESTOP_CREATE_TEST_DB(empty, GetParam(), /*migrate=*/false);
  Result<int> before = SchemaVersion(empty->db());
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(*before, 0);
  Result<MigrationReport> r = Migrate(empty->db(), empty->clock());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->from_version, 0);
  EXPECT_EQ(r->applied.size(), EmbeddedMigrations(GetParam()).size());
  EXPECT_EQ(r->applied.front(), "0001_identity");
}

TEST_P(StoreTest, EditedMigrationIsRefused) {
  Result<std::int64_t> tampered = Transact(db(), [](Tx& tx) {
    return tx.Exec("UPDATE store_migration SET checksum = 'x' WHERE version = 1");
  });
  ASSERT_TRUE(tampered.has_value());
  Result<MigrationReport> r = Migrate(db(), t_->clock());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().reason, "store.migration_edited");
  EXPECT_NE(r.error().message.find("0001_identity"), std::string::npos);
}

TEST_P(StoreTest, ValuesRoundTripWithTheirTypes) {
  const std::int64_t big = 9007199254740993;  // not representable as a double
  Result<std::int64_t> ins = Transact(db(), [&](Tx& tx) {
    return tx.Exec("INSERT INTO test_item (id, n, x, s) VALUES (?, ?, ?, ?)",
                   {std::string("a"), big, 0.1, std::string("湖南省长沙市 '引号' ?")});
  });
  ASSERT_TRUE(ins.has_value()) << ins.error().message;
  EXPECT_EQ(*ins, 1);
  Result<Row> row = Read(db(), [](Tx& tx) {
    return tx.QueryOne("SELECT id, n, x, s, parent_id FROM test_item WHERE id = ?", {"a"},
                       "test.not_found", "没有");
  });
  ASSERT_TRUE(row.has_value()) << row.error().message;
  EXPECT_EQ(row->Text(0), "a");
  EXPECT_EQ(row->Int(1), big);
  EXPECT_DOUBLE_EQ(row->Double(2), 0.1);
  EXPECT_EQ(row->Text(3), "湖南省长沙市 '引号' ?");
  EXPECT_TRUE(row->IsNull(4));
  EXPECT_EQ(row->OptText(4), std::nullopt);
}

TEST_P(StoreTest, QuestionMarksInsideLiteralsAreNotPlaceholders) {
  Result<Rows> rows = Read(db(), [](Tx& tx) {
    return tx.Query("SELECT '?' AS q, ? AS p, 'it''s ?' AS r -- what?\n", {std::int64_t{7}});
  });
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->front().Text(0), "?");
  EXPECT_EQ(rows->front().Int(1), 7);
  EXPECT_EQ(rows->front().Text(2), "it's ?");
  EXPECT_EQ(rows->columns().at(1), "p");
}

TEST_P(StoreTest, AggregatesReadAsIntegers) {
  ASSERT_TRUE(Insert("a", 2).has_value());
  ASSERT_TRUE(Insert("b", 3).has_value());
  Result<Row> row = Read(db(), [](Tx& tx) {
    return tx.QueryOne("SELECT COUNT(*), SUM(n), MAX(n) FROM test_item", {}, "x", "x");
  });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Int(0), 2);
  EXPECT_EQ(row->Int(1), 5);
  EXPECT_EQ(row->Int(2), 3);
}

TEST_P(StoreTest, ErrorRollsBackTheWholeTransaction) {
  Result<bool> r = Transact(db(), [](Tx& tx) -> Result<bool> {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO test_item (id, n) VALUES ('a', 1)"));
    return FailedPrecondition("test.stop", "停止");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "test.stop");
  EXPECT_EQ(t_->Count("test_item"), 0);
}

TEST_P(StoreTest, UncommittedTransactionRollsBackOnDestruction) {
  {
    Result<std::unique_ptr<Tx>> tx = db().Begin();
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE((*tx)->Exec("INSERT INTO test_item (id, n) VALUES ('a', 1)").has_value());
  }
  EXPECT_EQ(t_->Count("test_item"), 0);
  // The connection went back to the pool in a usable state.
  EXPECT_TRUE(Insert("b", 1).has_value());
  EXPECT_EQ(t_->Count("test_item"), 1);
}

TEST_P(StoreTest, UniqueViolationIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(Insert("a", 1).has_value());
  Result<bool> r = Transact(db(), [](Tx& tx) -> Result<bool> {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO test_item (id, n) VALUES ('b', 2)"));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO test_item (id, n) VALUES ('a', 3)"));
    return true;
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().reason, "store.unique_violation");
  EXPECT_EQ(t_->Count("test_item"), 1);
  EXPECT_EQ(ValueOf("a"), 1);
}

TEST_P(StoreTest, FailedStatementPoisonsTheTransactionOnBothBackends) {
  ASSERT_TRUE(Insert("a", 1).has_value());
  Result<std::unique_ptr<Tx>> tx = db().Begin();
  ASSERT_TRUE(tx.has_value());
  Result<std::int64_t> dup = (*tx)->Exec("INSERT INTO test_item (id, n) VALUES ('a', 2)");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  // PostgreSQL aborts the transaction here; SQLite is made to behave the same.
  Result<std::int64_t> next = (*tx)->Exec("INSERT INTO test_item (id, n) VALUES ('b', 3)");
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().reason, "store.tx_aborted");
  Result<void> commit = (*tx)->Commit();
  ASSERT_FALSE(commit.has_value());
  EXPECT_EQ(commit.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(t_->Count("test_item"), 1);
  EXPECT_TRUE(Insert("c", 4).has_value());  // the connection is usable again
}

TEST_P(StoreTest, LikePatternsTreatWildcardsInUserTextLiterally) {
  for (const char* s : {"50%_off", "500 off", "a\\b", "ab"}) {
    ASSERT_TRUE(Transact(db(), [&](Tx& tx) {
                  return tx.Exec("INSERT INTO test_item (id, s) VALUES (?, ?)", {s, s});
                }).has_value());
  }
  auto count = [&](const std::string& pattern) {
    Result<Row> r = Read(db(), [&](Tx& tx) {
      return tx.QueryOne("SELECT COUNT(*) FROM test_item WHERE s LIKE ? ESCAPE '\\'", {pattern},
                         "x", "x");
    });
    return r.has_value() ? r->Int(0) : -1;
  };
  EXPECT_EQ(count(LikeContains("0%_")), 1);  // only "50%_off", not "500 off"
  EXPECT_EQ(count(LikeContains("\\")), 1);   // only "a\b"
  EXPECT_EQ(count(LikePrefix("50")), 2);
  EXPECT_EQ(count(LikeContains("")), 4);
}

TEST_P(StoreTest, ForeignKeyViolationIsFailedPrecondition) {
  Result<std::int64_t> r = Transact(db(), [](Tx& tx) {
    return tx.Exec("INSERT INTO test_item (id, n, parent_id) VALUES ('a', 1, 'missing')");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().reason, "store.foreign_key");
  EXPECT_EQ(t_->Count("test_item"), 0);
}

TEST_P(StoreTest, SqlErrorIsInternal) {
  Result<Rows> r = Read(db(), [](Tx& tx) { return tx.Query("SELECT nope FROM test_item"); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(r.error().reason, "store.sql_error");
}

TEST_P(StoreTest, StaleVersionIsAbortedAndChangesNothing) {
  ASSERT_TRUE(Insert("a", 1).has_value());
  auto update = [&](std::int64_t n, std::int64_t version) {
    return Transact(db(), [&](Tx& tx) -> Result<void> {
      ASSIGN_OR_RETURN(std::int64_t changed,
                       tx.Exec("UPDATE test_item SET n = ?, version = version + 1 "
                               "WHERE id = ? AND version = ?",
                               {n, std::string("a"), version}));
      return CheckVersion(changed);
    });
  };
  ASSERT_TRUE(update(10, 1).has_value());  // clerk A read version 1 and wins
  Result<void> lost = update(20, 1);       // clerk B also read version 1
  ASSERT_FALSE(lost.has_value());
  EXPECT_EQ(lost.error().code, ErrorCode::kAborted);
  EXPECT_EQ(lost.error().reason, "store.version_conflict");
  EXPECT_EQ(ValueOf("a"), 10);
}

TEST_P(StoreTest, TransactRetriesAbortedWork) {
  int calls = 0;
  Result<int> r = Transact(db(), [&](Tx& tx) -> Result<int> {
    ++calls;
    RETURN_IF_ERROR(tx.Exec("INSERT INTO test_item (id, n) VALUES (?, ?)",
                            {"try" + std::to_string(calls), std::int64_t{calls}}));
    if (calls < 3) return Aborted("store.busy", "繁忙");
    return calls;
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 3);
  EXPECT_EQ(t_->Count("test_item"), 1);  // the two aborted attempts left nothing behind
  EXPECT_EQ(ValueOf("try3"), 3);
}

TEST_P(StoreTest, ConcurrentWritersDoNotLoseUpdates) {
  ASSERT_TRUE(Insert("counter", 0).has_value());
  std::atomic<int> failures{0};
  std::atomic<int> other_errors{0};
  auto worker = [&] {
    for (int i = 0; i < 50; ++i) {
      Result<void> r = Transact(db(), [&](Tx& tx) -> Result<void> {
        ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT n, version FROM test_item WHERE id = ?",
                                              {"counter"}, "x", "x"));
        ASSIGN_OR_RETURN(std::int64_t changed,
                         tx.Exec("UPDATE test_item SET n = ?, version = version + 1 "
                                 "WHERE id = ? AND version = ?",
                                 {row.Int(0) + 1, std::string("counter"), row.Int(1)}));
        return CheckVersion(changed);
      });
      if (r.has_value()) continue;
      ++failures;
      if (r.error().reason != "store.version_conflict") ++other_errors;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  // No update is lost: every transaction either counted or failed with a version conflict.
  EXPECT_EQ(ValueOf("counter") + failures.load(), 100);
  EXPECT_EQ(other_errors.load(), 0);
  // Transact makes 3 attempts, and each failed attempt saw a distinct commit of the other
  // worker inside its read → update window; so a give-up costs the other side ≥ 3 commits.
  EXPECT_LE(3 * failures.load(), ValueOf("counter"));
}

TEST_P(StoreTest, LockWaitTimeoutIsAborted) {
  ASSERT_TRUE(Insert("a", 1).has_value());
  Result<std::unique_ptr<Db>> impatient = Open(t_->url(), {.pool_size = 2, .busy_timeout_ms = 200});
  ASSERT_TRUE(impatient.has_value()) << impatient.error().message;
  Result<std::unique_ptr<Tx>> holder = db().Begin();
  ASSERT_TRUE(holder.has_value());
  ASSERT_TRUE((*holder)->Exec("UPDATE test_item SET n = 2 WHERE id = 'a'").has_value());

  Result<std::int64_t> blocked = [&]() -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, (*impatient)->Begin());
    return tx->Exec("UPDATE test_item SET n = 3 WHERE id = 'a'");
  }();
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::kAborted);
  EXPECT_EQ(blocked.error().reason, "store.busy");
  ASSERT_TRUE((*holder)->Commit().has_value());
  EXPECT_EQ(ValueOf("a"), 2);
}

TEST_P(StoreTest, UnreachableDatabaseIsUnavailable) {
  std::string url = GetParam() == Backend::kSqlite
                        ? "sqlite:/proc/onestop-no-such-dir/x.db"
                        : "postgresql://nobody:wrong@127.0.0.1:1/none?connect_timeout=2";
  Result<std::unique_ptr<Db>> r = Open(url);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST_P(StoreTest, DescribeNamesBackendWithoutSecrets) {
  EXPECT_EQ(db().backend(), GetParam());
  std::string d = db().Describe();
  EXPECT_EQ(d.rfind(BackendName(GetParam()), 0), 0u) << d;
  if (GetParam() == Backend::kPostgres) {
    EXPECT_EQ(d.find(":onestop@"), std::string::npos) << "password leaked: " << d;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

TEST(StoreOpenTest, UnknownSchemeIsInvalidArgument) {
  Result<std::unique_ptr<Db>> r = Open("mysql://x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "store.bad_url");
}

TEST(StoreOpenTest, SqliteFileThatIsNotADatabaseIsUnavailable) {
  std::string path = ::testing::TempDir() + "/not-a-db.txt";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not sqlite, just text that is long enough to be read as a header......\n", f);
  std::fclose(f);
  Result<std::unique_ptr<Db>> r = Open("sqlite:" + path);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace onestop::store
