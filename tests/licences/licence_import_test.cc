// LicenceImporter: CSV and JSON lines, per-row error reports, batches that roll back as a
// whole, progress in the job row and --resume, on both backends.
#include "licences/licence_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "core/id_number.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::licences {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kTypeCode = "11100000000013338W001";

std::string IdNo(int i) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "4301021990%02d%02d%03d", 1 + i / 28 % 12, 1 + i % 28,
                (i % 1000 + 1000) % 1000);
  return std::string(first17) + IdNumberCheckChar(first17);
}

identity::Principal Issuer() {
  identity::Principal p;
  p.user_id = "u-ga";
  p.display_name = "办证员";
  p.department_id = "d-ga";
  p.data_scope = identity::DataScope::kDept;
  p.scope_department_ids = {"d-ga"};
  p.permissions = {identity::Permission::kIssueLicences};
  return p;
}

identity::Principal Other() {
  identity::Principal p = Issuer();
  p.user_id = "u-mz";
  p.department_id = "d-mz";
  p.scope_department_ids = {"d-mz"};
  return p;
}

class LicenceImportTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    seals_ = std::make_unique<seal::SealService>(t_->db(), t_->clock(), *audit_,
                                                 *seal::MasterKey::FromHex(kHexKey));
    service_ = std::make_unique<LicenceService>(t_->db(), t_->clock(), *audit_, *seals_);
    importer_ = std::make_unique<LicenceImporter>(t_->db(), t_->clock(), *audit_, *service_);
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      for (const char* d : {"d-ga", "d-mz"}) {
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,NULL,?,?,?,0,0,1)",
            {std::string(d), std::string("C-") + d, std::string(d) + "局", "430100", "city",
             std::string("/") + d + "/"}));
      }
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
    seal::NewSeal s;
    s.department_id = "d-ga";
    s.name = "长沙市公安局电子证照专用章";
    ASSERT_TRUE(seals_->Create(identity::Principal::System(), s).has_value());
    LicenceType t;
    t.code = kTypeCode;
    t.name = "居民户口簿";
    t.definer_name = "中华人民共和国公安部";
    t.face_fields = {{"name", "姓名", FieldType::kText, true},
                     {"birthDate", "出生日期", FieldType::kDate, true},
                     {"address", "住址", FieldType::kText, false}};
    t.issuing_department_id = "d-ga";
    t.issuer_uscc = "11430000006122244L";
    Result<LicenceType> made = service_->CreateType(Issuer(), t);
    ASSERT_TRUE(made.has_value()) << made.error().message;
  }

  std::string Csv(int rows, int first = 0) {
    std::string s = "holderName,holderCode,name,birthDate,address,number\n";
    for (int i = first; i < first + rows; ++i) {
      s += "张" + std::to_string(i) + "," + IdNo(i) + ",张" + std::to_string(i) +
           ",1990-01-01,\"长沙市岳麓区, 麓山南路" + std::to_string(i) + "号\",HK" +
           std::to_string(i) + "\n";
    }
    return s;
  }

  Result<ImportJob> Import(const std::string& data, ImportFormat format = ImportFormat::kCsv,
                           int batch = 1000, std::vector<ImportProgress>* progress = nullptr) {
    ASSIGN_OR_RETURN(ImportJob job, importer_->Start(Issuer(), kTypeCode, "d-ga", format, "f",
                                                     static_cast<std::int64_t>(data.size())));
    std::istringstream in(data);
    ImportOptions o;
    o.batch_size = batch;
    if (progress) o.on_progress = [progress](const ImportProgress& p) { progress->push_back(p); };
    return importer_->Run(Issuer(), job.id, in, o);
  }

  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<seal::SealService> seals_;
  std::unique_ptr<LicenceService> service_;
  std::unique_ptr<LicenceImporter> importer_;
};

TEST_P(LicenceImportTest, CsvImportsEveryRowInBatchesWithProgress) {
  std::vector<ImportProgress> progress;
  Result<ImportJob> j = Import(Csv(25), ImportFormat::kCsv, 10, &progress);
  ASSERT_TRUE(j.has_value()) << j.error().reason << " " << j.error().message;
  EXPECT_EQ(j->state, "done");
  EXPECT_EQ(j->rows_read, 25);
  EXPECT_EQ(j->imported, 25);
  EXPECT_EQ(j->failed, 0);
  EXPECT_EQ(j->last_committed_line, 26);
  EXPECT_EQ(t_->Count("licences_licence"), 25);
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(progress[0].imported, 10);
  EXPECT_EQ(progress[2].imported, 25);
  EXPECT_EQ(progress[2].bytes_read, progress[2].total_bytes);
  LicenceFilter f;
  f.q = "HK7";
  Result<LicencePage> p = service_->List(Issuer(), f);
  ASSERT_EQ(p->total, 1);
  EXPECT_EQ(p->items[0].face.at("address").as_string(), "长沙市岳麓区, 麓山南路7号");
  EXPECT_EQ(service_->Verify(p->items[0].identifier)->result, VerifyResult::kValid);
}

TEST_P(LicenceImportTest, BadRowsAreReportedAndSkipped) {
  std::string data = Csv(3);
  data += "李四,430102199001011230,李四,1990-01-01,地址,HK-bad1\n";  // check digit
  data += "王五," + IdNo(50) + ",,1990-13-01,地址,HK-bad2\n";        // name missing, bad date
  data += "赵六," + IdNo(51) + ",赵六,1990-01-01\n";                 // too few columns
  data += Csv(2, 10).substr(Csv(0).size());
  Result<ImportJob> j = Import(data);
  ASSERT_TRUE(j.has_value()) << j.error().message;
  EXPECT_EQ(j->state, "done");
  EXPECT_EQ(j->rows_read, 8);
  EXPECT_EQ(j->imported, 5);
  EXPECT_EQ(j->failed, 3);
  std::vector<std::tuple<std::int64_t, std::string>> got;
  for (const ImportRowError& e : j->errors) got.emplace_back(e.line, e.field);
  EXPECT_THAT(got, ::testing::UnorderedElementsAre(
                       std::make_tuple(5, "holderCode"), std::make_tuple(6, "face.name"),
                       std::make_tuple(6, "face.birthDate"), std::make_tuple(7, "")));
  for (const ImportRowError& e : j->errors) {
    if (e.line == 7) {
      EXPECT_THAT(e.message, HasSubstr("列数应为 6"));
    }
    if (e.field == "face.name") {
      EXPECT_EQ(e.message, "请填写“姓名”");
    }
  }
  EXPECT_EQ(t_->Count("licences_licence"), 5);
}

TEST_P(LicenceImportTest, JsonLinesImport) {
  std::string data = "{\"holderName\":\"张三\",\"holderCode\":\"" + IdNo(1) +
                     "\",\"name\":\"张三\",\"birthDate\":\"1990-01-01\"}\n"
                     "\n"
                     "not json\n"
                     "{\"holderName\":\"李四\",\"holderCode\":\"" +
                     IdNo(2) +
                     "\",\"name\":\"李四\",\"birthDate\":\"1990-01-02\",\"colour\":\"红\"}\n";
  Result<ImportJob> j = Import(data, ImportFormat::kJsonLines);
  ASSERT_TRUE(j.has_value()) << j.error().message;
  EXPECT_EQ(j->imported, 1);
  EXPECT_EQ(j->failed, 2);
  ASSERT_EQ(j->errors.size(), 2u);
  EXPECT_EQ(j->errors[0].line, 3);
  EXPECT_THAT(j->errors[0].message, HasSubstr("JSON"));
  EXPECT_EQ(j->errors[1].line, 4);
  EXPECT_EQ(j->errors[1].field, "face.colour");
}

TEST_P(LicenceImportTest, BadHeaderIsRefusedBeforeAnyRow) {
  std::string data = "holderName,colour,name\n张三,红,张三\n";
  Result<ImportJob> j = Import(data);
  ASSERT_TRUE(IsError(j, ErrorCode::kInvalidArgument, "licences.import_header"));
  std::set<std::string> fields;
  for (const FieldError& f : j.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("colour"));
  EXPECT_TRUE(fields.count("holderCode"));
  EXPECT_EQ(t_->Count("licences_licence"), 0);
}

TEST_P(LicenceImportTest, FailedBatchRollsBackWholeAndStops) {
  // Batches of 5: lines 2–6 commit; line 9 repeats line 7's number: the second batch fails in
  // the database and rolls back (lines 7–11), the third is never read.
  std::string data = Csv(7);
  data += "重复," + IdNo(90) + ",重复,1990-01-01,地址,HK5\n";
  data += Csv(7, 20).substr(Csv(0).size());
  Result<ImportJob> j = Import(data, ImportFormat::kCsv, 5);
  ASSERT_TRUE(j.has_value()) << j.error().message;
  EXPECT_EQ(j->state, "failed");
  EXPECT_THAT(j->failure, HasSubstr("第9行"));
  EXPECT_EQ(j->imported, 5);
  EXPECT_EQ(j->last_committed_line, 6);
  EXPECT_EQ(t_->Count("licences_licence"), 5);
  EXPECT_EQ(t_->Count("licences_serial"), 1);
  // Resume after fixing nothing fails again at the same place; nothing more is written.
  std::istringstream again(data);
  ImportOptions o;
  o.batch_size = 5;
  Result<ImportJob> r = importer_->Run(Issuer(), j->id, again, o);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state, "failed");
  EXPECT_EQ(t_->Count("licences_licence"), 5);
  // Resume with the bad line fixed continues after the committed line.
  std::string fixed = data;
  fixed.replace(fixed.find("地址,HK5\n"), std::string("地址,HK5\n").size(), "地址,HK98\n");
  std::istringstream in(fixed);
  Result<ImportJob> done = importer_->Run(Issuer(), j->id, in, o);
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->state, "done");
  EXPECT_EQ(done->imported, 15);
  EXPECT_EQ(t_->Count("licences_licence"), 15);
}

TEST_P(LicenceImportTest, ResumeSkipsCommittedLines) {
  std::string data = Csv(12);
  Result<ImportJob> job = importer_->Start(Issuer(), kTypeCode, "d-ga", ImportFormat::kCsv, "f",
                                           static_cast<std::int64_t>(data.size()));
  ASSERT_TRUE(job.has_value());
  // A crash after the first batch: only 5 data lines of the file had arrived.
  std::string head = data.substr(0, data.find(IdNo(5)));
  head = head.substr(0, head.rfind('\n') + 1);
  std::istringstream part(head);
  ImportOptions o;
  o.batch_size = 5;
  ASSERT_TRUE(importer_->Run(Issuer(), job->id, part, o).has_value());
  EXPECT_EQ(t_->Count("licences_licence"), 5);
  std::istringstream whole(data);
  Result<ImportJob> r = importer_->Run(Issuer(), job->id, whole, o);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->imported, 12);
  EXPECT_EQ(r->rows_read, 12);
  EXPECT_EQ(t_->Count("licences_licence"), 12);
}

TEST_P(LicenceImportTest, StartChecksDepartmentAndType) {
  EXPECT_TRUE(IsError(importer_->Start(Other(), kTypeCode, "d-mz", ImportFormat::kCsv, "f", 0),
                      ErrorCode::kPermissionDenied, "licences.wrong_department"));
  EXPECT_TRUE(IsError(importer_->Start(Other(), kTypeCode, "d-ga", ImportFormat::kCsv, "f", 0),
                      ErrorCode::kPermissionDenied, "identity.out_of_scope"));
  EXPECT_TRUE(IsError(
      importer_->Start(Issuer(), "11100000000013338W555", "d-ga", ImportFormat::kCsv, "f", 0),
      ErrorCode::kNotFound, "licences.no_such_type"));
  EXPECT_EQ(t_->Count("licences_import_job"), 0);
  EXPECT_TRUE(IsError(ParseImportFormat("xlsx"), ErrorCode::kInvalidArgument,
                      "licences.bad_import_format"));
  Result<ImportJob> j = Import(Csv(1));
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(
      IsError(importer_->Get(Other(), j->id), ErrorCode::kNotFound, "licences.no_such_import"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LicenceImportTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::licences
