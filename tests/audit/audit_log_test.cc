// AuditLog: the hash chain (Append), its verification (Verify), the append-only triggers,
// Search and CountByDay. Store-backed tests run on SQLite and PostgreSQL.
#include "audit/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/db.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using testutil::TestDb;

using testutil::IsError;

// 2026-11-27 00:00 China Standard Time, the day of testutil::kTestNowMs (09:00 CST).
constexpr Millis kTodayStartMs = testutil::kTestNowMs - 9 * 3'600'000;
constexpr Millis kDayMs = 86'400'000;

const Actor kClerk{"u-clerk", "窗口张三", "d-yuelu", "req-1"};
const Actor kAdmin{"u-admin", "管理员李四", "d-changsha", "req-2"};
const Actor kSystem{"system", "系统", std::nullopt, ""};

Record PersonRead(const std::string& party, const std::string& purpose = "办理户籍业务") {
  return {"identity.person.read", "person", party, party, purpose, "{}"};
}

// A Db that runs `hook` before every transaction it opens: lets a test interleave writes with
// the reads of a long operation such as Verify.
class InterleavingDb : public store::Db {
 public:
  InterleavingDb(store::Db& inner, std::function<void()> hook)
      : inner_(inner), hook_(std::move(hook)) {}
  store::Backend backend() const override { return inner_.backend(); }
  Result<std::unique_ptr<store::Tx>> Begin(store::TxMode mode) override {
    hook_();
    return inner_.Begin(mode);
  }
  std::string Describe() const override { return inner_.Describe(); }

 private:
  store::Db& inner_;
  std::function<void()> hook_;
};

class AuditLogTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    log_ = std::make_unique<AuditLog>(t_->clock());
  }

  store::Db& db() { return t_->db(); }

  Entry MustAppend(const Actor& actor, const Record& record) {
    Result<Entry> r =
        store::Transact(db(), [&](store::Tx& tx) { return log_->Append(tx, actor, record); });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : Entry{};
  }

  // Appends `n` entries, one minute apart.
  std::vector<Entry> AppendMany(int n) {
    std::vector<Entry> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(MustAppend(i % 2 == 0 ? kClerk : kAdmin,
                               PersonRead("p-" + std::to_string(i), "事由" + std::to_string(i))));
      t_->clock().Advance(60'000);
    }
    return out;
  }

  // Every entry, oldest first.
  std::vector<Entry> All() {
    Filter f;
    f.limit = 100000;
    Result<Page> page = store::Read(db(), [&](store::Tx& tx) { return log_->Search(tx, f); });
    EXPECT_TRUE(page.has_value()) << page.error().message;
    if (!page.has_value()) return {};
    std::vector<Entry> items = page->items;
    std::reverse(items.begin(), items.end());
    return items;
  }

  std::pair<std::int64_t, std::string> Head() {
    Result<store::Row> row = store::Read(db(), [](store::Tx& tx) {
      return tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1", {}, "t", "t");
    });
    EXPECT_TRUE(row.has_value());
    return row.has_value() ? std::make_pair(row->Int(0), row->Text(1))
                           : std::make_pair(std::int64_t{-1}, std::string());
  }

  Result<std::int64_t> Exec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    return store::Transact(db(), [&](store::Tx& tx) { return tx.Exec(sql, params); });
  }
  // Rows changed by `sql`, or -1 (and a test failure) when it fails.
  std::int64_t MustExec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    Result<std::int64_t> r = Exec(sql, params);
    EXPECT_TRUE(r.has_value()) << sql << ": " << r.error().message;
    return r.has_value() ? *r : -1;
  }

  // Tampering needs the append-only trigger out of the way, as an attacker with DDL rights would.
  void DropAppendOnlyTriggers() {
    if (GetParam() == store::Backend::kSqlite) {
      ASSERT_TRUE(Exec("DROP TRIGGER audit_entry_no_update").has_value());
      ASSERT_TRUE(Exec("DROP TRIGGER audit_entry_no_delete").has_value());
    } else {
      ASSERT_TRUE(Exec("DROP TRIGGER audit_entry_no_update ON audit_entry").has_value());
    }
  }

  VerifyReport MustVerify() {
    Result<VerifyReport> r = log_->Verify(db());
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : VerifyReport{};
  }

  Page MustSearch(const Filter& f) {
    Result<Page> page = store::Read(db(), [&](store::Tx& tx) { return log_->Search(tx, f); });
    EXPECT_TRUE(page.has_value()) << page.error().message;
    return page.has_value() ? *page : Page{};
  }

  static std::vector<std::int64_t> Seqs(const Page& p) {
    std::vector<std::int64_t> out;
    for (const Entry& e : p.items) out.push_back(e.seq);
    return out;
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<AuditLog> log_;
};

// --- Append ---------------------------------------------------------------------------------

TEST_P(AuditLogTest, AppendBuildsGapFreeChainLinkedByPrevHash) {
  std::vector<Entry> appended = AppendMany(5);
  std::vector<Entry> stored = All();
  ASSERT_EQ(stored.size(), 5u);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const Entry& e = stored[i];
    SCOPED_TRACE("seq " + std::to_string(e.seq));
    EXPECT_EQ(e.seq, static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(e.prev_hash, i == 0 ? std::string(kGenesisHash) : stored[i - 1].hash);
    EXPECT_EQ(e.hash, AuditLog::ComputeHash(e));
    EXPECT_EQ(e.hash.size(), 64u);
    EXPECT_EQ(e.hash.find_first_not_of("0123456789abcdef"), std::string::npos);
    // What Append returned is what was stored.
    EXPECT_EQ(e.hash, appended[i].hash);
    EXPECT_EQ(e.at_ms, testutil::kTestNowMs + static_cast<Millis>(i) * 60'000);
    EXPECT_EQ(e.purpose, "事由" + std::to_string(i));
  }
  EXPECT_EQ(Head(), std::make_pair(std::int64_t{5}, stored.back().hash));
}

TEST_P(AuditLogTest, AppendStoresEveryFieldAndNormalisesDetails) {
  Entry e = MustAppend(kClerk, {"identity.person.read", "person", "p-1", "party-1", "办理户籍业务",
                                R"({ "reason" : "复核",  "n": 2 })"});
  std::vector<Entry> stored = All();
  ASSERT_EQ(stored.size(), 1u);
  const Entry& s = stored[0];
  EXPECT_EQ(s.seq, 1);
  EXPECT_EQ(s.at_ms, testutil::kTestNowMs);
  EXPECT_EQ(s.actor_id, "u-clerk");
  EXPECT_EQ(s.actor_name, "窗口张三");
  EXPECT_EQ(s.actor_department_id, "d-yuelu");
  EXPECT_EQ(s.action, "identity.person.read");
  EXPECT_EQ(s.subject_type, "person");
  EXPECT_EQ(s.subject_id, "p-1");
  EXPECT_EQ(s.subject_party_id, "party-1");
  EXPECT_EQ(s.purpose, "办理户籍业务");
  EXPECT_EQ(s.details_json, R"({"reason":"复核","n":2})");
  EXPECT_EQ(s.request_id, "req-1");
  EXPECT_EQ(s.prev_hash, kGenesisHash);
  EXPECT_EQ(s.hash, e.hash);
  EXPECT_EQ(s.details_json, e.details_json);

  // Optional fields round-trip as NULL, not "".
  MustAppend(kSystem, {"audit.verify", "audit", "chain", std::nullopt, "", "{}"});
  stored = All();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].actor_department_id, std::nullopt);
  EXPECT_EQ(stored[1].subject_party_id, std::nullopt);
  EXPECT_EQ(stored[1].hash, AuditLog::ComputeHash(stored[1]));
}

TEST_P(AuditLogTest, AppendRejectsDetailsThatAreNotAJsonObjectAndWritesNothing) {
  MustAppend(kClerk, PersonRead("p-0"));
  const auto head = Head();
  for (const char* bad : {"", "not json", "[1, 2]", "\"text\"", "42", "null", "{\"a\":", "{} {}"}) {
    SCOPED_TRACE(bad);
    // Commit the transaction regardless: Append itself must not have written anything.
    Result<bool> committed = store::Transact(db(), [&](store::Tx& tx) -> Result<bool> {
      Record r = PersonRead("p-1");
      r.details_json = bad;
      EXPECT_TRUE(
          IsError(log_->Append(tx, kClerk, r), ErrorCode::kInvalidArgument, "audit.bad_details"));
      return true;
    });
    ASSERT_TRUE(committed.has_value());
    EXPECT_EQ(t_->Count("audit_entry"), 1);
    EXPECT_EQ(Head(), head);
  }
  // The chain continues without a gap.
  EXPECT_EQ(MustAppend(kClerk, PersonRead("p-2")).seq, 2);
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(AuditLogTest, AppendInARolledBackTransactionLeavesNoGap) {
  MustAppend(kClerk, PersonRead("p-0"));
  Result<bool> r = store::Transact(db(), [&](store::Tx& tx) -> Result<bool> {
    Result<Entry> e = log_->Append(tx, kClerk, PersonRead("p-1"));
    EXPECT_TRUE(e.has_value());
    if (e.has_value()) {
      EXPECT_EQ(e->seq, 2);
    }
    return FailedPrecondition("test.rollback", "回滚");  // the recorded change failed
  });
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "test.rollback"));
  EXPECT_EQ(t_->Count("audit_entry"), 1);
  EXPECT_EQ(Head().first, 1);
  EXPECT_EQ(MustAppend(kClerk, PersonRead("p-2")).seq, 2);
  VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 2);
}

// --- Canonical encoding and hash -------------------------------------------------------------

TEST(AuditHashTest, ComputeHashMatchesIndependentSm3OfTheCanonicalEncoding) {
  Entry e;
  e.seq = 1;
  e.at_ms = 1795741200000;
  e.actor_id = "u-1";
  e.actor_name = "张三";
  e.actor_department_id = "d-1";
  e.action = "identity.person.read";
  e.subject_type = "person";
  e.subject_id = "p-1";
  e.subject_party_id = "p-1";
  e.purpose = "办理户籍业务";
  e.details_json = R"({"k":"v"})";
  e.request_id = "req-1";
  e.prev_hash = std::string(kGenesisHash);
  EXPECT_EQ(AuditLog::CanonicalEncoding(e),
            R"([1,1795741200000,"u-1","张三","d-1","identity.person.read","person","p-1","p-1",)"
            R"("办理户籍业务","{\"k\":\"v\"}","req-1"])");
  // printf '%s\n%s' "$prev_hash" "$canonical" | openssl dgst -sm3
  EXPECT_EQ(AuditLog::ComputeHash(e),
            "8faf11362b73b57d5ac6b7505ecf0366575afcf07c9849de1221a52f3dbe4e96");

  Entry next;
  next.seq = 2;
  next.at_ms = 1795741260000;
  next.actor_id = "system";
  next.actor_name = "系统";
  next.action = "audit.verify";
  next.subject_type = "audit";
  next.subject_id = "chain";
  next.details_json = "{}";
  next.prev_hash = AuditLog::ComputeHash(e);
  EXPECT_EQ(
      AuditLog::CanonicalEncoding(next),
      R"([2,1795741260000,"system","系统",null,"audit.verify","audit","chain",null,"","{}",""])");
  EXPECT_EQ(AuditLog::ComputeHash(next),
            "6d0e39d0b5735461cd6469c35779803fa35eb528892a640c02740b578afeb6de");
}

TEST(AuditHashTest, EveryHashedFieldChangesTheHash) {
  Entry base;
  base.seq = 7;
  base.at_ms = 1;
  base.actor_id = "a";
  base.actor_name = "n";
  base.actor_department_id = "d";
  base.action = "x.y";
  base.subject_type = "t";
  base.subject_id = "s";
  base.subject_party_id = "p";
  base.purpose = "pp";
  base.details_json = "{}";
  base.request_id = "r";
  base.prev_hash = std::string(kGenesisHash);
  const std::string h = AuditLog::ComputeHash(base);
  std::vector<std::function<void(Entry&)>> changes = {
      [](Entry& e) { e.seq = 8; },
      [](Entry& e) { e.at_ms = 2; },
      [](Entry& e) { e.actor_id = "b"; },
      [](Entry& e) { e.actor_name = "m"; },
      [](Entry& e) { e.actor_department_id = std::nullopt; },
      [](Entry& e) { e.actor_department_id = ""; },  // "" and NULL differ
      [](Entry& e) { e.action = "x.z"; },
      [](Entry& e) { e.subject_type = "u"; },
      [](Entry& e) { e.subject_id = "S"; },
      [](Entry& e) { e.subject_party_id = std::nullopt; },
      [](Entry& e) { e.purpose = "pq"; },
      [](Entry& e) { e.details_json = R"({"a":1})"; },
      [](Entry& e) { e.request_id = "q"; },
      [](Entry& e) { e.prev_hash[0] = '1'; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Entry e = base;
    changes[i](e);
    EXPECT_NE(AuditLog::ComputeHash(e), h) << "change #" << i;
  }
  // The stored hash is not part of what is hashed.
  Entry e = base;
  e.hash = "whatever";
  EXPECT_EQ(AuditLog::ComputeHash(e), h);
}

TEST(AuditActionLabelTest, KnownActionsHaveChineseLabelsOthersFallBackToTheCode) {
  EXPECT_EQ(ActionLabel("identity.person.read"), "查看自然人信息");
  EXPECT_EQ(ActionLabel("calendar.override.set"), "调整工作日历");
  EXPECT_EQ(ActionLabel("cases.unknown"), "cases.unknown");
}

// --- Verify ---------------------------------------------------------------------------------

TEST_P(AuditLogTest, VerifyAcceptsEmptyAndIntactChains) {
  VerifyReport empty = MustVerify();
  EXPECT_TRUE(empty.ok) << empty.problem;
  EXPECT_EQ(empty.checked, 0);
  EXPECT_EQ(empty.first_broken_seq, std::nullopt);

  AppendMany(6);
  VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 6);
  EXPECT_EQ(report.first_broken_seq, std::nullopt);
  EXPECT_EQ(report.problem, "");
}

TEST_P(AuditLogTest, VerifyDetectsAnAlteredRowAndNamesIt) {
  AppendMany(5);
  DropAppendOnlyTriggers();
  const Entry original = All()[2];  // seq 3
  ASSERT_EQ(original.seq, 3);
  // Each column that is hashed, changed on its own, is detected at seq 3.
  const std::vector<std::string> alterations = {
      "purpose = '无事由'",
      "actor_id = 'u-other'",
      "actor_name = '王五'",
      "actor_department_id = NULL",
      "action = 'identity.person.search'",
      "subject_id = 'p-x'",
      "subject_party_id = NULL",
      "details = '{\"a\":1}'",
      "request_id = 'req-forged'",
      "at_ms = at_ms + 1",
  };
  for (const std::string& change : alterations) {
    SCOPED_TRACE(change);
    ASSERT_EQ(MustExec("UPDATE audit_entry SET " + change + " WHERE seq = 3"), 1);
    VerifyReport report = MustVerify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_broken_seq, 3);
    EXPECT_EQ(report.checked, 2);
    EXPECT_THAT(report.problem, HasSubstr("第 3 条"));
    EXPECT_THAT(report.problem, HasSubstr("篡改"));
    // Restore the row: the chain verifies again (the detection was about exactly this change).
    ASSERT_EQ(MustExec("UPDATE audit_entry SET at_ms = ?, actor_id = ?, actor_name = ?, "
                       "actor_department_id = ?, action = ?, subject_id = ?, subject_party_id = ?, "
                       "purpose = ?, details = ?, request_id = ? WHERE seq = 3",
                       {original.at_ms, original.actor_id, original.actor_name,
                        store::Opt(original.actor_department_id), original.action,
                        original.subject_id, store::Opt(original.subject_party_id),
                        original.purpose, original.details_json, original.request_id}),
              1);
    EXPECT_TRUE(MustVerify().ok);
  }
}

TEST_P(AuditLogTest, VerifyDetectsAnAlteredRowWhoseHashWasRecomputed) {
  AppendMany(5);
  DropAppendOnlyTriggers();
  Entry forged = All()[2];
  forged.purpose = "伪造的事由";
  forged.hash = AuditLog::ComputeHash(forged);
  ASSERT_EQ(MustExec("UPDATE audit_entry SET purpose = ?, hash = ? WHERE seq = 3",
                     {forged.purpose, forged.hash}),
            1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 4);  // row 3 is self-consistent; row 4 no longer links
  EXPECT_EQ(report.checked, 3);
  EXPECT_THAT(report.problem, HasSubstr("前序哈希"));
}

TEST_P(AuditLogTest, VerifyDetectsADeletedMiddleRow) {
  AppendMany(5);
  DropAppendOnlyTriggers();
  ASSERT_EQ(MustExec("DELETE FROM audit_entry WHERE seq = 3"), 1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 3);
  EXPECT_EQ(report.checked, 2);
  EXPECT_THAT(report.problem, HasSubstr("第 3 条审计记录缺失"));
}

TEST_P(AuditLogTest, VerifyDetectsADeletedFirstRow) {
  AppendMany(3);
  DropAppendOnlyTriggers();
  ASSERT_EQ(MustExec("DELETE FROM audit_entry WHERE seq = 1"), 1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 1);
  EXPECT_EQ(report.checked, 0);
}

TEST_P(AuditLogTest, VerifyDetectsDeletedTailRowsByTheHead) {
  AppendMany(5);
  DropAppendOnlyTriggers();
  ASSERT_EQ(MustExec("DELETE FROM audit_entry WHERE seq = 5"), 1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 5);
  EXPECT_EQ(report.checked, 4);
  EXPECT_THAT(report.problem, HasSubstr("末尾"));

  ASSERT_EQ(MustExec("DELETE FROM audit_entry WHERE seq = 4"), 1);
  report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 4);
  EXPECT_THAT(report.problem, HasSubstr("第 4 至第 5 条"));
}

TEST_P(AuditLogTest, VerifyDetectsTwoSwappedRows) {
  AppendMany(5);
  DropAppendOnlyTriggers();
  // Rows 2 and 3 trade places: contents intact, order changed.
  ASSERT_EQ(MustExec("UPDATE audit_entry SET seq = -1 WHERE seq = 2"), 1);
  ASSERT_EQ(MustExec("UPDATE audit_entry SET seq = 2 WHERE seq = 3"), 1);
  ASSERT_EQ(MustExec("UPDATE audit_entry SET seq = 3 WHERE seq = -1"), 1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 2);
  EXPECT_EQ(report.checked, 1);
}

TEST_P(AuditLogTest, VerifyDetectsATamperedHead) {
  std::vector<Entry> entries = AppendMany(3);
  ASSERT_EQ(MustExec("UPDATE audit_head SET hash = ? WHERE id = 1", {entries[0].hash}), 1);
  VerifyReport report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 3);
  EXPECT_EQ(report.checked, 3);
  EXPECT_THAT(report.problem, HasSubstr("链头"));
}

TEST_P(AuditLogTest, VerifyWalksPastTheFirstBatch) {
  // Verify reads 2000 rows at a time; break the chain in the second batch.
  ASSERT_TRUE(store::Transact(db(), [&](store::Tx& tx) -> Result<bool> {
                for (int i = 0; i < 2005; ++i) {
                  RETURN_IF_ERROR(log_->Append(tx, kClerk, PersonRead("p-" + std::to_string(i))));
                }
                return true;
              }).has_value());
  VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 2005);

  DropAppendOnlyTriggers();
  ASSERT_EQ(MustExec("UPDATE audit_entry SET purpose = '改' WHERE seq = 2003"), 1);
  report = MustVerify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 2003);
  EXPECT_EQ(report.checked, 2002);
}

TEST_P(AuditLogTest, VerifyIsNotFooledByAppendsWhileItRuns) {
  AppendMany(5);
  // Another request appends before each transaction Verify opens (a busy live system).
  int appended = 0;
  InterleavingDb busy(db(), [&] {
    ++appended;
    MustAppend(kClerk, PersonRead("p-live-" + std::to_string(appended)));
  });
  Result<VerifyReport> report = log_->Verify(busy);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_GE(report->checked, 5);
  ASSERT_GT(appended, 0);
  // And the log is still intact afterwards.
  VerifyReport after = MustVerify();
  EXPECT_TRUE(after.ok) << after.problem;
  EXPECT_EQ(after.checked, 5 + appended);
}

// --- Append-only triggers --------------------------------------------------------------------

TEST_P(AuditLogTest, AppendOnlyTriggerRejectsUpdateAndDelete) {
  std::vector<Entry> entries = AppendMany(3);
  Result<std::int64_t> update = Exec("UPDATE audit_entry SET purpose = '改' WHERE seq = 2");
  EXPECT_TRUE(IsError(update, ErrorCode::kFailedPrecondition, "store.constraint"));
  Result<std::int64_t> del = Exec("DELETE FROM audit_entry WHERE seq = 3");
  EXPECT_TRUE(IsError(del, ErrorCode::kFailedPrecondition, "store.constraint"));
  Result<std::int64_t> del_all = Exec("DELETE FROM audit_entry");
  EXPECT_TRUE(IsError(del_all, ErrorCode::kFailedPrecondition, "store.constraint"));
  std::vector<Entry> after = All();
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[1].purpose, entries[1].purpose);
  VerifyReport report = MustVerify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 3);
}

// --- Search ---------------------------------------------------------------------------------

class AuditSearchTest : public AuditLogTest {
 protected:
  void SetUp() override {
    AuditLogTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const Actor clerk_cs{"u-clerk2", "窗口王五", "d-changsha", "req-3"};
    // seq: actor, action, party, time (minutes after kTestNowMs), actor department
    Add(kClerk, "identity.person.read", "party-a", 0);        // 1 d-yuelu
    Add(kAdmin, "identity.person.search", "party-a", 10);     // 2 d-changsha
    Add(kClerk, "identity.login", std::nullopt, 20);          // 3 d-yuelu
    Add(clerk_cs, "identity.person.read", "party-b", 30);     // 4 d-changsha
    Add(kSystem, "calendar.override.set", std::nullopt, 40);  // 5 no department
    Add(kClerk, "identity.enterprise.read", "party-c", 50);   // 6 d-yuelu
    Add(kAdmin, "identity.person.read", "party-b", 60);       // 7 d-changsha
  }

  void Add(const Actor& actor, const std::string& action, std::optional<std::string> party,
           int minutes) {
    t_->clock().Set(testutil::kTestNowMs + minutes * 60'000);
    MustAppend(actor, {action, "thing", "s-" + std::to_string(minutes), party, "", "{}"});
  }
};

TEST_P(AuditSearchTest, NoFilterReturnsEverythingNewestFirst) {
  Page p = MustSearch({});
  EXPECT_EQ(p.total, 7);
  EXPECT_THAT(Seqs(p), ElementsAre(7, 6, 5, 4, 3, 2, 1));
}

TEST_P(AuditSearchTest, FiltersByActor) {
  Filter f;
  f.actor_id = "u-clerk";
  Page p = MustSearch(f);
  EXPECT_EQ(p.total, 3);
  EXPECT_THAT(Seqs(p), ElementsAre(6, 3, 1));
  f.actor_id = "nobody";
  EXPECT_EQ(MustSearch(f).total, 0);
}

TEST_P(AuditSearchTest, FiltersByActionPrefix) {
  Filter f;
  f.action_prefix = "identity.";
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(7, 6, 4, 3, 2, 1));
  f.action_prefix = "identity.person.";
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(7, 4, 2, 1));
  f.action_prefix = "identity.person.search";
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(2));
  f.action_prefix = "identity.person.read";
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(7, 4, 1));
  f.action_prefix = "calendar.";
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(5));
  f.action_prefix = "cases.";
  EXPECT_EQ(MustSearch(f).total, 0);
}

TEST_P(AuditSearchTest, FiltersBySubjectPartyAndSubject) {
  Filter f;
  f.subject_party_id = "party-b";
  Page p = MustSearch(f);
  EXPECT_EQ(p.total, 2);
  EXPECT_THAT(Seqs(p), ElementsAre(7, 4));
  for (const Entry& e : p.items) EXPECT_EQ(e.subject_party_id, "party-b");
  Filter s;
  s.subject_id = "s-20";
  EXPECT_THAT(Seqs(MustSearch(s)), ElementsAre(3));
}

TEST_P(AuditSearchTest, FiltersByHalfOpenTimeRange) {
  Filter f;
  f.from_ms = testutil::kTestNowMs + 20 * 60'000;  // inclusive
  f.to_ms = testutil::kTestNowMs + 50 * 60'000;    // exclusive
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(5, 4, 3));
  Filter from_only;
  from_only.from_ms = testutil::kTestNowMs + 50 * 60'000;
  EXPECT_THAT(Seqs(MustSearch(from_only)), ElementsAre(7, 6));
  Filter to_only;
  to_only.to_ms = testutil::kTestNowMs + 10 * 60'000;
  EXPECT_THAT(Seqs(MustSearch(to_only)), ElementsAre(1));
}

TEST_P(AuditSearchTest, FiltersByActorDepartmentList) {
  Filter f;
  f.actor_department_ids = std::vector<std::string>{"d-yuelu"};
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(6, 3, 1));
  f.actor_department_ids = std::vector<std::string>{"d-yuelu", "d-changsha"};
  Page both = MustSearch(f);
  EXPECT_EQ(both.total, 6);  // not the system entry, which has no department
  EXPECT_THAT(Seqs(both), ElementsAre(7, 6, 4, 3, 2, 1));
  // An empty scope sees nothing (it is not "no filter").
  f.actor_department_ids = std::vector<std::string>{};
  Page none = MustSearch(f);
  EXPECT_EQ(none.total, 0);
  EXPECT_TRUE(none.items.empty());
}

TEST_P(AuditSearchTest, CombinesFilters) {
  Filter f;
  f.action_prefix = "identity.person.";
  f.actor_department_ids = std::vector<std::string>{"d-changsha"};
  f.from_ms = testutil::kTestNowMs + 15 * 60'000;
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(7, 4));
}

TEST_P(AuditSearchTest, PagesWithOffsetAndLimitAndReportsTheFullTotal) {
  Filter f;
  f.limit = 3;
  Page first = MustSearch(f);
  EXPECT_EQ(first.total, 7);
  EXPECT_THAT(Seqs(first), ElementsAre(7, 6, 5));
  f.offset = 3;
  EXPECT_THAT(Seqs(MustSearch(f)), ElementsAre(4, 3, 2));
  f.offset = 6;
  Page last = MustSearch(f);
  EXPECT_EQ(last.total, 7);
  EXPECT_THAT(Seqs(last), ElementsAre(1));
  f.offset = 7;
  Page beyond = MustSearch(f);
  EXPECT_EQ(beyond.total, 7);
  EXPECT_TRUE(beyond.items.empty());
  // Paging with a filter counts the filtered set.
  Filter g;
  g.actor_id = "u-clerk";
  g.limit = 1;
  g.offset = 1;
  Page filtered = MustSearch(g);
  EXPECT_EQ(filtered.total, 3);
  EXPECT_THAT(Seqs(filtered), ElementsAre(3));
}

// --- CountByDay ------------------------------------------------------------------------------

TEST_P(AuditLogTest, CountByDayBucketsByChinaStandardTimeDay) {
  auto at = [&](Millis ms, const Actor& actor) {
    t_->clock().Set(ms);
    MustAppend(actor, PersonRead("p"));
  };
  at(kTodayStartMs - 7 * kDayMs, kClerk);  // 11-20: outside a 7-day window
  at(kTodayStartMs - 3 * kDayMs, kClerk);  // 11-24
  at(kTodayStartMs - 1, kClerk);           // 11-26 23:59:59.999 CST (still 11-26 15:59 UTC)
  at(kTodayStartMs - 1, kAdmin);           // 11-26
  at(kTodayStartMs, kAdmin);               // 11-27 00:00 CST (= 11-26 16:00 UTC)
  at(testutil::kTestNowMs, kClerk);        // 11-27 09:00 CST
  at(testutil::kTestNowMs + 1, kSystem);   // 11-27
  t_->clock().Set(testutil::kTestNowMs + 2);

  auto count = [&](int days, std::optional<std::vector<std::string>> depts) {
    Result<std::vector<std::pair<std::string, std::int64_t>>> r =
        store::Read(db(), [&](store::Tx& tx) { return log_->CountByDay(tx, days, depts); });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : std::vector<std::pair<std::string, std::int64_t>>{};
  };
  EXPECT_THAT(count(7, std::nullopt),
              ElementsAre(Pair("2026-11-21", 0), Pair("2026-11-22", 0), Pair("2026-11-23", 0),
                          Pair("2026-11-24", 1), Pair("2026-11-25", 0), Pair("2026-11-26", 2),
                          Pair("2026-11-27", 3)));
  EXPECT_THAT(count(1, std::nullopt), ElementsAre(Pair("2026-11-27", 3)));
  EXPECT_THAT(count(2, std::vector<std::string>{"d-yuelu"}),
              ElementsAre(Pair("2026-11-26", 1), Pair("2026-11-27", 1)));
  EXPECT_THAT(count(2, std::vector<std::string>{"d-yuelu", "d-changsha"}),
              ElementsAre(Pair("2026-11-26", 2), Pair("2026-11-27", 2)));
  EXPECT_THAT(count(2, std::vector<std::string>{}),
              ElementsAre(Pair("2026-11-26", 0), Pair("2026-11-27", 0)));

  // Just before midnight CST the 11-27 bucket is still "today"; one ms later it is yesterday.
  t_->clock().Set(kTodayStartMs + kDayMs - 1);
  EXPECT_THAT(count(1, std::nullopt), ElementsAre(Pair("2026-11-27", 3)));
  t_->clock().Set(kTodayStartMs + kDayMs);
  EXPECT_THAT(count(2, std::nullopt), ElementsAre(Pair("2026-11-27", 3), Pair("2026-11-28", 0)));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });
INSTANTIATE_TEST_SUITE_P(Backends, AuditSearchTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::audit
