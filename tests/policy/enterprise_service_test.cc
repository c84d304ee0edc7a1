// EnterpriseService: enterprise data (企业数据) on both databases — JSON lines and CSV import
// with per-row errors, re-import that writes only what changed, null deletes, permissions,
// snapshots with sources and as-of dates, LoadAll.
#include "policy/enterprise_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "core/uscc.h"
#include "testutil/identity_helpers.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testutil::IsError;
using testutil::TestDb;

// A valid 统一社会信用代码 numbered `n` (GB 32100 check character).
std::string Code(int n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "91431300MA4L%05d", n);
  return std::string(first17) + UsccCheckChar(first17);
}

// The same code with a wrong check character.
std::string BadCode(int n) {
  std::string c = Code(n);
  c.back() = c.back() == '0' ? '1' : '0';
  return c;
}

class EnterpriseServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 China time
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    service_ = std::make_unique<EnterpriseService>(t_->db(), t_->clock(), *audit_, schema_);
  }

  static identity::Principal Importer() {
    identity::Principal p;
    p.user_id = "u-imp";
    p.display_name = "数据管理员";
    p.data_scope = identity::DataScope::kAll;
    p.permissions = {identity::Permission::kWriteParties, identity::Permission::kReadParties};
    return p;
  }

  Result<ImportReport> Import(const std::string& data, ImportOptions options = {}) {
    std::istringstream in(data);
    if (options.file_name.empty()) options.file_name = "企业.jsonl";
    return service_->Import(Importer(), in, options);
  }
  ImportReport MustImport(const std::string& data, ImportOptions options = {}) {
    Result<ImportReport> r = Import(data, std::move(options));
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? *r : ImportReport{};
  }

  std::int64_t Audits() {
    return store::Read(t_->db(),
                       [](store::Tx& tx) -> Result<std::int64_t> {
                         ASSIGN_OR_RETURN(
                             store::Row r,
                             tx.QueryOne("SELECT COUNT(*) FROM audit_entry WHERE action = ?",
                                         {std::string("policy.enterprise.import")}, "x", "x"));
                         return r.Int(0);
                       })
        .value();
  }
  void ExpectNothingWritten() {
    EXPECT_EQ(t_->Count("policy_enterprise"), 0);
    EXPECT_EQ(t_->Count("policy_enterprise_fact"), 0);
    EXPECT_EQ(t_->Count("policy_enterprise_import"), 0);
    EXPECT_EQ(Audits(), 0);
  }

  const SourcedFact* FactOf(const FactSnapshot& s, const std::string& key) {
    for (const SourcedFact& f : s.facts) {
      if (f.fact == key) return &f;
    }
    return nullptr;
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  FactSchema schema_ = FactSchema::Default();
  std::unique_ptr<EnterpriseService> service_;
};

std::string ThreeLines() {
  return "{\"id\":\"" + Code(1) +
         "\",\"name\":\"涟源甲公司\",\"industry\":\"C3911\",\"employees\":60,\"high_tech\":true}\n"
         "{\"id\":\"" +
         Code(2) +
         "\",\"industry\":\"F5123\",\"employees\":8,\"revenue_fen\":123456,\"rd_ratio\":3.5}\n"
         "\n"
         "{\"id\":\"" +
         Code(3) + "\",\"employees\":35,\"bad_credit\":false}\n";
}

TEST_P(EnterpriseServiceTest, ImportsJsonLinesWithSourcesAndAsOf) {
  std::vector<std::int64_t> progress;
  ImportOptions o;
  o.on_progress = [&](const EnterpriseImport& j) { progress.push_back(j.rows_ok); };
  ImportReport r = MustImport(ThreeLines(), o);
  EXPECT_EQ(r.job.status, "done");
  EXPECT_EQ(r.job.lines, 4);
  EXPECT_EQ(r.job.rows_ok, 3);
  EXPECT_EQ(r.job.added, 3);
  EXPECT_EQ(r.job.changed, 0);
  EXPECT_EQ(r.job.error_count, 0);
  EXPECT_EQ(r.job.as_of, "2026-11-27");
  EXPECT_THAT(r.changed_ids, ElementsAre(Code(1), Code(2), Code(3)));
  EXPECT_THAT(progress, ElementsAre(3));
  EXPECT_EQ(t_->Count("policy_enterprise"), 3);
  EXPECT_EQ(t_->Count("policy_enterprise_fact"), 9);
  EXPECT_EQ(Audits(), 1);

  Result<FactSnapshot> s = service_->Snapshot(Code(1));
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->name, "涟源甲公司");
  EXPECT_EQ(s->taken_at_ms, testutil::kTestNowMs);
  ASSERT_EQ(s->facts.size(), 3u);
  const SourcedFact* employees = FactOf(*s, "employees");
  ASSERT_NE(employees, nullptr);
  EXPECT_EQ(employees->value, Value(60.0));
  EXPECT_EQ(employees->source, "人社");
  EXPECT_EQ(employees->as_of, "2026-11-27");
  EXPECT_EQ(FactOf(*s, "industry")->source, "市场监管");
  EXPECT_EQ(FactOf(*s, "high_tech")->value, Value(true));
  Result<FactSnapshot> s2 = service_->Snapshot(Code(2));
  ASSERT_TRUE(s2.has_value());
  EXPECT_EQ(FactOf(*s2, "rd_ratio")->value, Value(3.5));
  EXPECT_EQ(FactOf(*s2, "revenue_fen")->source, "税务");

  Result<EnterpriseImport> job = service_->Job(Importer(), r.job.id);
  ASSERT_TRUE(job.has_value()) << job.error().message;
  EXPECT_EQ(job->status, "done");
  EXPECT_EQ(job->rows_ok, 3);
  EXPECT_EQ(job->file_name, "企业.jsonl");
  EXPECT_TRUE(job->finished_at_ms.has_value());
  Result<std::vector<EnterpriseImport>> jobs = service_->Jobs(Importer(), 10);
  ASSERT_TRUE(jobs.has_value());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].id, r.job.id);
  EXPECT_TRUE(
      IsError(service_->Snapshot(Code(9)), ErrorCode::kNotFound, "policy.no_such_enterprise"));
}

TEST_P(EnterpriseServiceTest, ImportsCsvWithChineseLabelsAsHeaders) {
  ImportOptions o;
  o.format = "csv";
  o.file_name = "人社.csv";
  o.source = "人社局";
  o.as_of = "2026-10-31";
  ImportReport r = MustImport(
      "\xEF\xBB\xBF统一社会信用代码,企业名称,员工数,行业代码,高新技术企业\r\n" + Code(1) +
          ",\"甲,公司\",60,C3911,是\r\n" + Code(2) + ",,8,,否\n" + Code(3) + ",丙,,,\n",
      o);
  EXPECT_EQ(r.job.rows_ok, 3);
  EXPECT_EQ(r.job.added, 3);
  EXPECT_EQ(r.job.error_count, 0);
  EXPECT_EQ(r.job.lines, 4);
  Result<FactSnapshot> a = service_->Snapshot(Code(1));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->name, "甲,公司");
  EXPECT_EQ(FactOf(*a, "employees")->value, Value(60.0));
  EXPECT_EQ(FactOf(*a, "industry")->value, Value(std::string("C3911")));
  EXPECT_EQ(FactOf(*a, "high_tech")->value, Value(true));
  EXPECT_EQ(FactOf(*a, "employees")->source, "人社局");
  EXPECT_EQ(FactOf(*a, "employees")->as_of, "2026-10-31");
  Result<FactSnapshot> b = service_->Snapshot(Code(2));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->facts.size(), 2u);  // the empty industry cell is "not given"
  EXPECT_EQ(FactOf(*b, "high_tech")->value, Value(false));
  Result<FactSnapshot> c = service_->Snapshot(Code(3));
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->facts.empty());
  EXPECT_EQ(c->name, "丙");
}

TEST_P(EnterpriseServiceTest, BadRowsAreReportedWithTheirLinesAndNothingOfThemIsWritten) {
  std::string data = "{\"id\":\"" + Code(1) + "\",\"employees\":60}\n" +        // 1 ok
                     "{\"id\":\"" + Code(2) + "\",\"employees\":\n" +           // 2 bad JSON
                     "{\"employees\":3}\n" +                                    // 3 no id
                     "{\"id\":\"" + BadCode(4) + "\",\"employees\":3}\n" +      // 4 check char
                     "{\"id\":\"" + Code(5) + "\",\"staff\":3}\n" +             // 5 unknown fact
                     "{\"id\":\"" + Code(6) + "\",\"employees\":\"many\"}\n" +  // 6 type
                     "{\"id\":\"" + Code(7) + "\",\"high_tech\":true}\n";       // 7 ok
  ImportReport r = MustImport(data);
  EXPECT_EQ(r.job.rows_ok, 2);
  EXPECT_EQ(r.job.error_count, 5);
  EXPECT_EQ(r.job.added, 2);
  ASSERT_EQ(r.job.errors.size(), 5u);
  EXPECT_EQ(r.job.errors[0].line, 2);
  EXPECT_THAT(r.job.errors[0].message, StartsWith("第2行：不是合法的 JSON 对象"));
  EXPECT_EQ(r.job.errors[1].line, 3);
  EXPECT_THAT(r.job.errors[1].message, HasSubstr("缺少企业标识 id"));
  EXPECT_EQ(r.job.errors[2].line, 4);
  EXPECT_THAT(r.job.errors[2].message, StartsWith("第4行：统一社会信用代码"));
  EXPECT_THAT(r.job.errors[2].message, HasSubstr("校验"));
  EXPECT_THAT(r.job.errors[3].message, StartsWith("第5行：未声明的数据项“staff”"));
  EXPECT_THAT(r.job.errors[4].message, StartsWith("第6行：“员工数”应为数值，实为文本"));
  EXPECT_THAT(r.changed_ids, ElementsAre(Code(1), Code(7)));
  EXPECT_EQ(t_->Count("policy_enterprise"), 2);
  EXPECT_EQ(t_->Count("policy_enterprise_fact"), 2);
  EXPECT_TRUE(
      IsError(service_->Snapshot(Code(5)), ErrorCode::kNotFound, "policy.no_such_enterprise"));
  // The stored job has the same report.
  Result<EnterpriseImport> job = service_->Job(Importer(), r.job.id);
  ASSERT_TRUE(job.has_value());
  ASSERT_EQ(job->errors.size(), 5u);
  EXPECT_EQ(job->errors[4].line, 6);
  EXPECT_EQ(job->errors[4].message, r.job.errors[4].message);

  // CSV: a bad number, a wrong column count.
  ImportOptions o;
  o.format = "csv";
  ImportReport c = MustImport("id,employees\n" + Code(8) + ",abc\n" + Code(9) + ",1,2\n", o);
  EXPECT_EQ(c.job.rows_ok, 0);
  ASSERT_EQ(c.job.errors.size(), 2u);
  EXPECT_EQ(c.job.errors[0].message, "第2行：“员工数”应为数值：abc");
  EXPECT_EQ(c.job.errors[1].message, "第3行：列数应为 2，实为 3");
  EXPECT_EQ(t_->Count("policy_enterprise"), 2);
}

TEST_P(EnterpriseServiceTest, UnknownCsvHeaderFailsBeforeAnythingIsWritten) {
  ImportOptions o;
  o.format = "csv";
  EXPECT_TRUE(IsError(Import("id,员工数,职工人数\n" + Code(1) + ",3,4\n", o),
                      ErrorCode::kInvalidArgument, "policy.import_header"));
  EXPECT_TRUE(IsError(Import("name,employees\n甲,3\n", o), ErrorCode::kInvalidArgument,
                      "policy.import_header"));
  EXPECT_TRUE(IsError(Import("id,employees,员工数\n" + Code(1) + ",3,4\n", o),
                      ErrorCode::kInvalidArgument, "policy.import_header"));
  Result<ImportReport> r = Import("id,职工人数\n", o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "表头有误：表头“职工人数”不是已声明的数据项");
  ImportOptions bad_format;
  bad_format.format = "xlsx";
  EXPECT_TRUE(IsError(Import("", bad_format), ErrorCode::kInvalidArgument, "policy.import_format"));
  ImportOptions bad_date;
  bad_date.as_of = "2026-02-30";
  EXPECT_TRUE(
      IsError(Import(ThreeLines(), bad_date), ErrorCode::kInvalidArgument, "policy.bad_date"));
  ExpectNothingWritten();
}

TEST_P(EnterpriseServiceTest, ReimportOfTheSameDataChangesNothing) {
  MustImport(ThreeLines());
  t_->clock().Advance(86400000);
  ImportOptions later;
  later.as_of = "2026-12-15";
  ImportReport again = MustImport(ThreeLines(), later);
  EXPECT_EQ(again.job.added, 0);
  EXPECT_EQ(again.job.changed, 0);
  EXPECT_EQ(again.job.unchanged, 3);
  EXPECT_TRUE(again.changed_ids.empty());
  Result<FactSnapshot> s = service_->Snapshot(Code(1));
  ASSERT_TRUE(s.has_value());
  for (const SourcedFact& f : s->facts) EXPECT_EQ(f.as_of, "2026-11-27") << f.fact;
  EXPECT_EQ(Audits(), 2);
}

TEST_P(EnterpriseServiceTest, AChangedFactChangesOnlyThatEnterpriseAndItsAsOf) {
  MustImport(ThreeLines());
  std::string data = ThreeLines();
  data.replace(data.find("\"employees\":8"), 13, "\"employees\":9");
  ImportOptions later;
  later.as_of = "2026-12-01";
  ImportReport r = MustImport(data, later);
  EXPECT_EQ(r.job.added, 0);
  EXPECT_EQ(r.job.changed, 1);
  EXPECT_EQ(r.job.unchanged, 2);
  EXPECT_THAT(r.changed_ids, ElementsAre(Code(2)));
  Result<FactSnapshot> s = service_->Snapshot(Code(2));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(FactOf(*s, "employees")->value, Value(9.0));
  EXPECT_EQ(FactOf(*s, "employees")->as_of, "2026-12-01");
  EXPECT_EQ(FactOf(*s, "industry")->as_of, "2026-11-27");

  // A partial file (only tax facts, 税务) sets just those; a repeated id in one file counts once.
  ImportOptions tax;
  tax.source = "税务";
  ImportReport t = MustImport("{\"id\":\"" + Code(3) + "\",\"tax_paid_fen\":5000}\n{\"id\":\"" +
                                  Code(3) + "\",\"tax_paid_fen\":6000}\n",
                              tax);
  EXPECT_EQ(t.job.changed, 1);
  EXPECT_EQ(t.job.rows_ok, 2);
  EXPECT_THAT(t.changed_ids, ElementsAre(Code(3)));
  Result<FactSnapshot> s3 = service_->Snapshot(Code(3));
  ASSERT_TRUE(s3.has_value());
  EXPECT_EQ(s3->facts.size(), 3u);
  EXPECT_EQ(FactOf(*s3, "tax_paid_fen")->value, Value(6000.0));
  EXPECT_EQ(FactOf(*s3, "employees")->value, Value(35.0));
}

TEST_P(EnterpriseServiceTest, NullDeletesAFact) {
  MustImport(ThreeLines());
  ImportReport r = MustImport("{\"id\":\"" + Code(1) + "\",\"high_tech\":null,\"patents\":null}\n");
  EXPECT_EQ(r.job.changed, 1);
  EXPECT_THAT(r.changed_ids, ElementsAre(Code(1)));
  Result<FactSnapshot> s = service_->Snapshot(Code(1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(FactOf(*s, "high_tech"), nullptr);
  EXPECT_EQ(s->facts.size(), 2u);
  // Deleting what is not there changes nothing.
  ImportReport again =
      MustImport("{\"id\":\"" + Code(1) + "\",\"high_tech\":null,\"patents\":null}\n");
  EXPECT_EQ(again.job.unchanged, 1);
  EXPECT_TRUE(again.changed_ids.empty());
}

TEST_P(EnterpriseServiceTest, ImportWithoutPartiesWriteIsRefusedAndChangesNothing) {
  identity::Principal reader = Importer();
  reader.permissions = {identity::Permission::kReadParties};
  std::istringstream in(ThreeLines());
  EXPECT_TRUE(IsError(service_->Import(reader, in, {}), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  ExpectNothingWritten();
  EXPECT_TRUE(IsError(service_->Jobs(reader, 10), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST_P(EnterpriseServiceTest, BatchesCommitOneByOneWithProgress) {
  std::string data;
  for (int i = 1; i <= 5; ++i) {
    data += "{\"id\":\"" + Code(i) + "\",\"employees\":" + std::to_string(i) + "}\n";
  }
  ImportOptions o;
  o.batch_size = 2;
  std::vector<std::int64_t> rows;
  std::vector<std::string> statuses;
  o.on_progress = [&](const EnterpriseImport& j) {
    rows.push_back(j.rows_ok);
    // The job row is already updated when the callback runs (the page polls it).
    Result<EnterpriseImport> stored = service_->Job(Importer(), j.id);
    statuses.push_back(stored.has_value() ? stored->status + ":" + std::to_string(stored->rows_ok)
                                          : stored.error().message);
  };
  ImportReport r = MustImport(data, o);
  EXPECT_THAT(rows, ElementsAre(2, 4, 5));
  EXPECT_THAT(statuses, ElementsAre("running:2", "running:4", "running:5"));
  EXPECT_EQ(r.job.added, 5);
}

TEST_P(EnterpriseServiceTest, LoadAllHoldsEveryEnterpriseWithItsFacts) {
  MustImport(ThreeLines());
  MustImport("{\"id\":\"" + Code(4) + "\"}\n");  // no facts at all
  Result<FactStore> store = service_->LoadAll();
  ASSERT_TRUE(store.has_value()) << store.error().message;
  ASSERT_EQ(store->size(), 4u);
  for (int i = 1; i <= 4; ++i) {
    std::optional<FactStore::Row> row = store->FindRow(Code(i));
    ASSERT_TRUE(row.has_value()) << i;
    Result<FactSnapshot> s = service_->Snapshot(Code(i));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(store->FactsOf(*row), s->AsFacts()) << i;
  }
}

TEST_P(EnterpriseServiceTest, EnterpriseAccountsReadOnlyTheirOwnFacts) {
  identity::PasswordHasher hasher = identity::PasswordHasher::FastForTest();
  identity::IdentityServices identity(t_->db(), t_->clock(), *audit_, hasher);
  Result<identity::Enterprise> party = identity.parties.CreateEnterprise(
      identity::Principal::System(), {"涟源甲公司", Code(1), "张三", "431382", "C3911", false});
  ASSERT_TRUE(party.has_value()) << party.error().message;
  identity::Principal account =
      testutil::MakeUser(t_->db(), identity, {"ent1", {"enterprise"}, {}, {}, party->id});
  MustImport(ThreeLines());

  Result<std::string> own = service_->EnterpriseIdOf(account);
  ASSERT_TRUE(own.has_value()) << own.error().message;
  EXPECT_EQ(*own, Code(1));
  Result<FactSnapshot> s = service_->Facts(account, Code(1));
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->facts.size(), 3u);
  EXPECT_TRUE(IsError(service_->Facts(account, Code(2)), ErrorCode::kPermissionDenied,
                      "policy.not_own_enterprise"));
  EXPECT_TRUE(IsError(service_->EnterpriseIdOf(Importer()), ErrorCode::kFailedPrecondition,
                      "policy.not_enterprise"));
  EXPECT_TRUE(service_->Facts(Importer(), Code(2)).has_value());
  identity::Principal nobody;
  EXPECT_TRUE(IsError(service_->Facts(nobody, Code(2)), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
}

TEST(EnterpriseValueJsonTest, OneSpellingPerValue) {
  EXPECT_EQ(ValueJson(Value(45.0)), "45");
  EXPECT_EQ(ValueJson(Value(12.5)), "12.5");
  EXPECT_EQ(ValueJson(Value(std::string("C\"39"))), "\"C\\\"39\"");
  EXPECT_EQ(ValueJson(Value(true)), "true");
  for (const Value& v :
       {Value(45.0), Value(0.1), Value(-3.25), Value(std::string("行业")), Value(false)}) {
    Result<Value> back = ValueFromJson(ValueJson(v));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, v);
  }
  EXPECT_TRUE(IsError(ValueFromJson("[1]"), ErrorCode::kInvalidArgument, "policy.bad_value"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EnterpriseServiceTest,
                         ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::policy
