// CaseService on both backends: the 出生一件事-shaped bundle from intake to delivery, every
// acceptance decision, the reviewer actions, suspensions and the clocks, and who may see what.
#include "cases/case_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "cases/blob_store.h"
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

// 09:00 CST on a date.
Millis At(const char* date, int hour = 9) {
  return Date::Parse(date).value().StartOfDayMs() + hour * 3600 * 1000;
}

std::string ValidUscc(const std::string& first17) { return first17 + UsccCheckChar(first17); }

// A 31-character 实施编码 for a 市级 item of 事项类型 `type`.
std::string ItemCode(const std::string& org17, const std::string& type, const std::string& n5) {
  return ValidUscc(org17) + "3" + "00" + type + n5 + "000";
}

catalog::Material Mat(const std::string& key, const std::string& name,
                      catalog::MaterialNeed need = catalog::MaterialNeed::kRequired) {
  catalog::Material m;
  m.key = key;
  m.name = name;
  m.need = need;
  m.originals = 1;
  return m;
}

catalog::FormField Field(const std::string& key, const std::string& label,
                         catalog::FieldType type = catalog::FieldType::kText,
                         bool required = true) {
  catalog::FormField f;
  f.key = key;
  f.label = label;
  f.type = type;
  f.required = required;
  return f;
}

catalog::Item BaseItem(const std::string& code, const std::string& name,
                       const std::string& department, int promised) {
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
  i.promised_limit = {promised, catalog::LimitUnit::kWorkingDays, ""};
  i.online_depth = 3;
  i.visits = 1;
  i.onsite_reason = "需核验原件";
  i.steps = {{"受理", "counter_clerk", "", 1},
             {"审查", "reviewer", "", std::nullopt},
             {"决定", "reviewer", "", std::nullopt}};
  i.fields = {Field("applicant.name", "申请人姓名"),
              Field("applicant.idNumber", "申请人身份证号", catalog::FieldType::kIdNumber)};
  i.materials = {Mat("doc.applicantIdCard", "申请人身份证")};
  return i;
}

class CaseServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    clock().Set(At("2026-02-09"));  // Monday before the 2026 Spring Festival
    audit_ = std::make_unique<audit::AuditLog>(clock());
    identity_ = std::make_unique<identity::IdentityServices>(db(), clock(), *audit_, hasher_);
    calendar_ = std::make_unique<calendar::CalendarService>(db(), clock(), *audit_);
    catalog_ = std::make_unique<catalog::CatalogService>(db(), clock(), *audit_);
    cases_ =
        std::make_unique<CaseService>(db(), clock(), *audit_, *calendar_, *catalog_, *identity_);
    root_ = std::filesystem::temp_directory_path() /
            ("onestop-case-blobs-" + std::to_string(::getpid()));
    blobs_ = std::make_unique<BlobStore>(db(), clock(), root_.string());
    SeedOrgAndPeople();
    SeedCatalog();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  store::Db& db() { return t_->db(); }
  FakeClock& clock() { return t_->clock(); }

  std::string Dept(const std::string& code, const std::string& name,
                   std::optional<std::string> parent, const std::string& level) {
    return testutil::MakeDepartment(*identity_, code, name, std::move(parent), level);
  }

  Principal User(const std::string& username, std::vector<std::string> roles,
                 std::optional<std::string> department, std::optional<std::string> person = {}) {
    return testutil::MakeUser(
        db(), *identity_, {username, std::move(roles), std::move(department), std::move(person)});
  }

  std::string Person(const std::string& name, const std::string& first17,
                     const std::string& phone) {
    Result<identity::Person> p = identity_->parties.CreatePerson(
        clerk_, {name, first17 + IdNumberCheckChar(first17), phone});
    EXPECT_TRUE(p.has_value()) << p.error().message;
    return p.has_value() ? p->id : "";
  }

  void SeedOrgAndPeople() {
    cs_ = Dept("HN-CS", "长沙市政务服务中心", std::nullopt, "city");
    wjw_ = Dept("HN-CS-WJW", "长沙市卫生健康委员会", cs_, "city");
    gaj_ = Dept("HN-CS-GAJ", "长沙市公安局", cs_, "city");
    ybj_ = Dept("HN-CS-YBJ", "长沙市医疗保障局", cs_, "city");
    clerk_ = User("clerk", {"counter_clerk"}, cs_);
    wjw_reviewer_ = User("wjw", {"reviewer"}, wjw_);
    gaj_reviewer_ = User("gaj", {"reviewer"}, gaj_);
    ybj_reviewer_ = User("ybj", {"reviewer"}, ybj_);
    supervisor_ = User("sup", {"supervisor"}, cs_);
    mother_id_ = Person("李梅", "43010419900307124", "13907460002");
    other_id_ = Person("张三", "43010419880101123", "13807310001");
    mother_ = User("limei", {"citizen"}, std::nullopt, mother_id_);
    other_ = User("zhangsan", {"citizen"}, std::nullopt, other_id_);
  }

  void SeedCatalog() {
    const Principal admin = Principal::System();
    cert_code_ = ItemCode("11430100MB1234567", "07", "00101");
    hukou_code_ = ItemCode("11430100MB7654321", "07", "00202");
    ins_code_ = ItemCode("11430100MB2468013", "20", "00303");

    catalog::Item cert = BaseItem(cert_code_, "出生医学证明签发", "HN-CS-WJW", 5);
    cert.fields.push_back(Field("child.name", "新生儿姓名"));
    cert.fields.push_back(Field("child.birthDate", "出生日期", catalog::FieldType::kDate));
    cert.materials.push_back(Mat("doc.birthRecord", "住院分娩记录"));
    cert.result = {"出生医学证明", "doc.birthCert", "", {"certNo"}};
    cert.commitment_allowed = true;

    catalog::Item hukou = BaseItem(hukou_code_, "出生户口登记", "HN-CS-GAJ", 3);
    hukou.fields.push_back(Field("child.name", "新生儿姓名"));
    hukou.fields.push_back(Field("child.birthCertNo", "出生医学证明编号"));
    hukou.materials.push_back(Mat("doc.birthCert", "出生医学证明"));
    hukou.materials.push_back(Mat("doc.householdRegister", "户口簿"));
    hukou.materials.push_back(Mat("doc.marriageCert", "结婚证", catalog::MaterialNeed::kDeferable));
    hukou.result = {"户口簿（新生儿页）", "doc.childHukou", "", {"hukouNo"}};

    catalog::Item ins = BaseItem(ins_code_, "城乡居民医保参保登记", "HN-CS-YBJ", 2);
    ins.item_type = "20";
    ins.fields.push_back(Field("child.hukouNo", "户籍登记编号"));
    ins.materials.push_back(Mat("doc.childHukou", "新生儿户口页"));
    ins.result = {"参保凭证", "", "", {}};
    ins.steps = {{"受理", "counter_clerk", "", 1}, {"办理", "reviewer", "", std::nullopt}};

    for (catalog::Item* i : {&cert, &hukou, &ins}) {
      Result<catalog::Item> saved = catalog_->SaveItem(admin, *i);
      ASSERT_TRUE(saved.has_value())
          << i->name << ": " << saved.error().message
          << (saved.error().fields.empty()
                  ? ""
                  : " " + saved.error().fields[0].field + " " + saved.error().fields[0].message);
    }
    catalog::Bundle b;
    b.code = "birth";
    b.name = "出生一件事";
    b.category = "person";
    b.department_code = "HN-CS";
    b.items = {{cert_code_, {}, true}, {hukou_code_, {}, true}, {ins_code_, {}, false}};
    b.edges = {{cert_code_, hukou_code_, {{"certNo", "child.birthCertNo"}}},
               {hukou_code_, ins_code_, {{"hukouNo", "child.hukouNo"}}}};
    Result<catalog::Bundle> saved = catalog_->SaveBundle(admin, b);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
  }

  std::string Upload(const std::string& text) {
    Result<BlobInfo> b = blobs_->Put(clerk_, "%PDF-1.7\n" + text);
    EXPECT_TRUE(b.has_value()) << b.error().message;
    return b.has_value() ? b->sha256 : "";
  }

  FormValues GoodForm() {
    return {{"applicant.name", "李梅"},
            {"applicant.idNumber",
             "43010419900307124" + std::string(1, IdNumberCheckChar("43010419900307124"))},
            {"child.name", "王小宝"},
            {"child.birthDate", "2026-02-01"}};
  }

  Submission BirthSubmission(bool with_marriage_cert = true) {
    Submission s;
    s.kind = "bundle";
    s.catalog_code = "birth";
    s.form = GoodForm();
    s.channel = Channel::kOnline;
    s.materials = {{"doc.applicantIdCard", Upload("id"), "身份证.pdf"},
                   {"doc.birthRecord", Upload("record"), "分娩记录.pdf"},
                   {"doc.householdRegister", Upload("hukou"), "户口簿.pdf"}};
    if (with_marriage_cert) s.materials.push_back({"doc.marriageCert", Upload("m"), "结婚证.pdf"});
    return s;
  }

  Case MustSubmit(const Submission& s, const Principal& who) {
    Result<Case> c = cases_->Submit(who, s);
    EXPECT_TRUE(c.has_value()) << c.error().message
                               << (c.error().fields.empty()
                                       ? ""
                                       : " " + c.error().fields[0].field + ": " +
                                             c.error().fields[0].message);
    return c.has_value() ? *c : Case{};
  }

  Case MustAccept(const std::string& id, AcceptInput in = {}) {
    Result<Case> c = cases_->Accept(clerk_, id, in);
    EXPECT_TRUE(c.has_value()) << c.error().message;
    return c.has_value() ? *c : Case{};
  }

  const Task& TaskOf(const Case& c, const std::string& item_code) {
    for (const Task& t : c.tasks) {
      if (t.item_code == item_code) return t;
    }
    ADD_FAILURE() << "no task for " << item_code;
    static Task none;
    return none;
  }

  // Row counts of every case table and the audit log ("nothing changed").
  std::map<std::string, std::int64_t> Counts() {
    std::map<std::string, std::int64_t> out;
    for (const char* table : {"case_file", "case_task", "case_material", "case_event",
                              "case_suspension", "audit_entry", "notify_outbox", "notify_inbox"}) {
      out[table] = t_->Count(table);
    }
    return out;
  }

  std::unique_ptr<testutil::TestDb> t_;
  identity::PasswordHasher hasher_ = identity::PasswordHasher::FastForTest();
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityServices> identity_;
  std::unique_ptr<calendar::CalendarService> calendar_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<CaseService> cases_;
  std::filesystem::path root_;
  std::unique_ptr<BlobStore> blobs_;
  std::string cs_, wjw_, gaj_, ybj_;
  Principal clerk_, wjw_reviewer_, gaj_reviewer_, ybj_reviewer_, supervisor_, mother_, other_;
  std::string mother_id_, other_id_;
  std::string cert_code_, hukou_code_, ins_code_;
};

TEST_P(CaseServiceTest, ACitizenAppliesOnceAndDepartmentsActInOrderWithAutomaticPush) {
  Case c = MustSubmit(BirthSubmission(), mother_);
  EXPECT_EQ(c.status, CaseStatus::kSubmitted);
  EXPECT_EQ(c.channel, Channel::kOnline);
  EXPECT_EQ(c.applicant.name, "李梅");
  EXPECT_EQ(c.applicant.number_masked.find("0307"), std::string::npos);  // masked
  ASSERT_EQ(c.tasks.size(), 3u);
  for (const Task& t : c.tasks) EXPECT_EQ(t.status, TaskStatus::kWaiting);
  // The merged material list has no 出生医学证明: the first item produces it.
  for (const CaseMaterial& m : c.materials) EXPECT_NE(m.key, "doc.birthCert");

  c = MustAccept(c.id);
  EXPECT_EQ(c.status, CaseStatus::kInProgress);
  EXPECT_EQ(c.receipt_no, "SL20260209000001");
  ASSERT_TRUE(c.deadline.has_value());
  // Critical path 5 + 3 + 2 = 10 working days from Mon 02-09 across the Spring Festival
  // (02-14 Sat worked; 02-15..02-23 off): 02-10..02-14 (5), 02-24..02-28 (5, 02-28 Sat worked).
  EXPECT_EQ(c.deadline->date.ToString(), "2026-02-28");
  EXPECT_EQ(TaskOf(c, cert_code_).status, TaskStatus::kPending);
  EXPECT_EQ(TaskOf(c, cert_code_).step_name, "审查");
  EXPECT_EQ(TaskOf(c, cert_code_).department_id, wjw_);
  EXPECT_EQ(TaskOf(c, hukou_code_).status, TaskStatus::kWaiting);
  EXPECT_EQ(TaskOf(c, cert_code_).deadline->date.ToString(), "2026-02-14");  // 调休上班

  // 卫健委: 审查 → 决定 → 办结 with the certificate number.
  const std::string cert_task = TaskOf(c, cert_code_).id;
  Result<Case> r = cases_->Approve(wjw_reviewer_, cert_task, "材料齐全", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(TaskOf(*r, cert_code_).step_name, "决定");
  auto before = Counts();
  r = cases_->Approve(wjw_reviewer_, cert_task, "", {});
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "cases.result_missing"));
  EXPECT_EQ(r.error().fields.at(0).field, "result.certNo");
  EXPECT_EQ(Counts(), before);
  r = cases_->Approve(wjw_reviewer_, cert_task, "", {{"certNo", "R430012345"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  // 公安局's task started by itself, with the number mapped in.
  const Task hukou = TaskOf(*r, hukou_code_);
  EXPECT_EQ(hukou.status, TaskStatus::kPending);
  EXPECT_EQ(hukou.department_id, gaj_);
  EXPECT_EQ(hukou.mapped.at("child.birthCertNo"), "R430012345");
  EXPECT_EQ(TaskOf(*r, ins_code_).status, TaskStatus::kWaiting);

  // Another department cannot act on it (nor learn that it exists).
  EXPECT_TRUE(IsError(cases_->Approve(ybj_reviewer_, hukou.id, "", {}), ErrorCode::kNotFound,
                      "cases.not_found"));

  r = cases_->Approve(gaj_reviewer_, hukou.id, "", {});
  ASSERT_TRUE(r.has_value());
  r = cases_->Approve(gaj_reviewer_, hukou.id, "", {{"hukouNo", "H2026-001"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const Task ins = TaskOf(*r, ins_code_);
  EXPECT_EQ(ins.status, TaskStatus::kPending);
  EXPECT_EQ(ins.step_name, "办理");
  EXPECT_EQ(ins.mapped.at("child.hukouNo"), "H2026-001");
  r = cases_->Approve(ybj_reviewer_, ins.id, "", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, CaseStatus::kCompleted);

  // The timeline tells the story, and the citizen sees it.
  Result<Case> seen = cases_->Get(mother_, c.id);
  ASSERT_TRUE(seen.has_value());
  std::vector<std::string> kinds;
  for (const TimelineEvent& e : seen->timeline) kinds.push_back(e.kind);
  EXPECT_THAT(kinds, ElementsAre("submitted", "accepted", "task_started", "task_step",
                                 "task_approved", "task_started", "task_step", "task_approved",
                                 "task_started", "task_approved", "completed"));
  // The applicant was told at acceptance and completion: inbox and SMS, in the same
  // transactions as the events.
  Result<store::Rows> notices = store::Read(db(), [&](store::Tx& tx) {
    return tx.Query(
        "SELECT template_code, status, recipient_party_id FROM notify_outbox "
        "WHERE subject_id = ? ORDER BY created_at_ms, id",
        {c.id});
  });
  ASSERT_TRUE(notices.has_value()) << notices.error().message;
  std::vector<std::string> templates;
  for (const store::Row& row : *notices) {
    templates.push_back(row.Text(0));
    EXPECT_EQ(row.Text(1), "pending");  // a phone is known: an SMS waits for the worker
    EXPECT_EQ(row.Text(2), mother_id_);
  }
  EXPECT_THAT(templates, ::testing::UnorderedElementsAre("case.accepted", "case.completed"));
  // Electronic delivery: the applicant confirms receipt.
  Result<Case> done = cases_->ConfirmReceipt(mother_, c.id);
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->status, CaseStatus::kDelivered);
}

TEST_P(CaseServiceTest, BadFormIsRefusedWithEveryFieldAndNothingStored) {
  Submission s = BirthSubmission();
  s.form["applicant.idNumber"] = "430104199003071235";  // wrong check digit
  s.form.erase("child.name");
  s.form["child.birthDate"] = "2026-02-30";
  s.form["unknown.field"] = "x";
  auto before = Counts();
  Result<Case> r = cases_->Submit(mother_, s);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "cases.invalid_form"));
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("applicant.idNumber", "child.name",
                                                      "child.birthDate", "unknown.field"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(CaseServiceTest, CitizensApplyOnlyForThemselvesThroughTheirChannels) {
  Submission s = BirthSubmission();
  s.applicant_party_id = other_id_;
  auto before = Counts();
  EXPECT_TRUE(
      IsError(cases_->Submit(mother_, s), ErrorCode::kPermissionDenied, "cases.not_own_party"));
  s.applicant_party_id.clear();
  s.channel = Channel::kCounter;
  EXPECT_TRUE(
      IsError(cases_->Submit(mother_, s), ErrorCode::kInvalidArgument, "cases.bad_channel"));
  s.channel = Channel::kOnline;
  s.materials.push_back({"doc.nonsense", Upload("zz"), "x.pdf"});
  EXPECT_TRUE(
      IsError(cases_->Submit(mother_, s), ErrorCode::kInvalidArgument, "cases.invalid_submission"));
  s.materials.pop_back();
  s.materials[0].blob_sha256 = std::string(64, 'f');  // never uploaded
  EXPECT_TRUE(
      IsError(cases_->Submit(mother_, s), ErrorCode::kInvalidArgument, "cases.invalid_submission"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(CaseServiceTest, AgentIntakeNeedsTheApplicantsAuthorisation) {
  Submission s = BirthSubmission();
  s.channel = Channel::kAgent;
  s.applicant_party_id = mother_id_;
  EXPECT_TRUE(
      IsError(cases_->Submit(clerk_, s), ErrorCode::kInvalidArgument, "cases.invalid_submission"));
  s.agent_authorisation = "委托书编号 WT-2026-018，委托办理出生一件事";
  Case c = MustSubmit(s, clerk_);
  EXPECT_EQ(c.channel, Channel::kAgent);
  EXPECT_EQ(c.agent_user_id, clerk_.user_id);
  EXPECT_TRUE(c.applicant_user_id.empty());
  // The mother still sees the case filed for her.
  EXPECT_TRUE(cases_->Get(mother_, c.id).has_value());
}

TEST_P(CaseServiceTest, MissingMaterialsBlockAcceptanceUnlessDeferredOnAPledge) {
  Case c = MustSubmit(BirthSubmission(/*with_marriage_cert=*/false), mother_);
  auto before = Counts();
  Result<Case> r = cases_->Accept(clerk_, c.id, {});
  ASSERT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, "cases.materials_missing"));
  EXPECT_EQ(r.error().fields.at(0).field, "materials.doc.marriageCert");
  EXPECT_THAT(r.error().fields.at(0).message, HasSubstr("容缺"));
  EXPECT_EQ(Counts(), before);
  // 容缺受理 needs a pledge and a future due date.
  AcceptInput deferred{AcceptMode::kDeferred, "三日内补交结婚证",
                       Date::Parse("2026-02-09").value()};
  EXPECT_TRUE(IsError(cases_->Accept(clerk_, c.id, deferred), ErrorCode::kInvalidArgument,
                      "cases.invalid_pledge"));
  deferred.pledge = "";
  EXPECT_TRUE(IsError(cases_->Accept(clerk_, c.id, deferred), ErrorCode::kInvalidArgument,
                      "cases.invalid_pledge"));
  EXPECT_EQ(Counts(), before);
  deferred = {AcceptMode::kDeferred, "三日内补交结婚证", Date::Parse("2026-02-12").value()};
  Case accepted = MustAccept(c.id, deferred);
  EXPECT_EQ(accepted.accept_mode, AcceptMode::kDeferred);
  for (const CaseMaterial& m : accepted.materials) {
    if (m.key == "doc.marriageCert") {
      EXPECT_EQ(m.status, "pledged");
    }
  }
  // The pledge falls due; the scheduler flags it once.
  clock().Set(At("2026-02-13"));
  Result<int> flagged = cases_->FlagOverduePledges();
  ASSERT_TRUE(flagged.has_value());
  EXPECT_EQ(*flagged, 1);
  EXPECT_EQ(*cases_->FlagOverduePledges(), 0);
  Result<Case> after = cases_->Get(clerk_, c.id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->timeline.back().kind, "pledge_overdue");
}

TEST_P(CaseServiceTest, RefusalAndIntakeCorrectionBeforeAcceptance) {
  Case c = MustSubmit(BirthSubmission(), mother_);
  auto before = Counts();
  EXPECT_TRUE(IsError(cases_->RequestCorrection(clerk_, c.id, {}), ErrorCode::kInvalidArgument,
                      "cases.invalid_correction"));
  EXPECT_TRUE(IsError(cases_->Refuse(clerk_, c.id, "x"), ErrorCode::kInvalidArgument,
                      "cases.invalid_reason"));
  EXPECT_EQ(Counts(), before);
  Result<Case> r =
      cases_->RequestCorrection(clerk_, c.id,
                                {{"doc.householdRegister", "户口簿首页不清晰，请重新扫描"},
                                 {"child.name", "新生儿姓名与分娩记录不一致"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, CaseStatus::kCorrection);
  EXPECT_EQ(r->correction.size(), 2u);
  // The notice as stored names what each point is about.
  Result<Case> stored = cases_->Get(mother_, c.id);
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->correction.size(), 2u);
  EXPECT_EQ(stored->correction[0].target, "doc.householdRegister");
  EXPECT_EQ(stored->correction[1].target, "child.name");
  EXPECT_FALSE(r->suspended);  // no clock runs before acceptance
  EXPECT_TRUE(IsError(cases_->Accept(clerk_, c.id, {}), ErrorCode::kFailedPrecondition,
                      "cases.wrong_state"));
  r = cases_->Resubmit(mother_, c.id, {{"child.name", "王小宝"}},
                       {{"doc.householdRegister", Upload("hukou-clear"), "户口簿.pdf"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, CaseStatus::kSubmitted);
  EXPECT_TRUE(r->correction.empty());
  r = cases_->Refuse(clerk_, c.id, "不属于本中心受理范围");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kRefused);
  EXPECT_TRUE(IsError(cases_->Accept(clerk_, c.id, {}), ErrorCode::kFailedPrecondition,
                      "cases.wrong_state"));
}

TEST_P(CaseServiceTest, ACorrectionDuringReviewStopsTheClocksAndExtendsTheDeadlines) {
  Case c = MustAccept(MustSubmit(BirthSubmission(), mother_).id);
  const std::string cert_task = TaskOf(c, cert_code_).id;
  EXPECT_EQ(TaskOf(c, cert_code_).deadline->date.ToString(), "2026-02-14");
  clock().Set(At("2026-02-11"));
  Result<Case> r =
      cases_->RequestCorrection(wjw_reviewer_, c.id, {{"doc.birthRecord", "分娩记录缺少医院盖章"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->suspended);
  EXPECT_FALSE(r->light.has_value());
  EXPECT_TRUE(IsError(cases_->Approve(wjw_reviewer_, cert_task, "", {}),
                      ErrorCode::kFailedPrecondition, "cases.case_suspended"));
  // Resubmitted on 02-13: (02-11, 02-13] = 2 working days stood still.
  clock().Set(At("2026-02-13"));
  r = cases_->Resubmit(mother_, c.id, {}, {{"doc.birthRecord", Upload("stamped"), "记录.pdf"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, CaseStatus::kInProgress);
  EXPECT_EQ(r->paused_days, 2);
  EXPECT_EQ(TaskOf(*r, cert_code_).paused_days, 2);
  // 5 + 2 working days from 02-09: 02-10..02-14, then 02-24, 02-25 after the festival.
  EXPECT_EQ(TaskOf(*r, cert_code_).deadline->date.ToString(), "2026-02-25");
  // 10 + 2: 02-28 (调休上班) was day 10; Monday 03-02 and Tuesday 03-03 follow.
  EXPECT_EQ(r->deadline->date.ToString(), "2026-03-03");
  EXPECT_EQ(t_->Count("case_suspension"), 1);
}

TEST_P(CaseServiceTest, RejectingABlockingItemEndsTheCase) {
  Case c = MustAccept(MustSubmit(BirthSubmission(), mother_).id);
  const std::string cert_task = TaskOf(c, cert_code_).id;
  Result<Case> r = cases_->Reject(wjw_reviewer_, cert_task, "分娩记录与医院登记不符");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, CaseStatus::kRejected);
  EXPECT_THAT(r->outcome_reason, HasSubstr("出生医学证明签发"));
  EXPECT_EQ(TaskOf(*r, hukou_code_).status, TaskStatus::kCancelled);
  EXPECT_EQ(TaskOf(*r, ins_code_).status, TaskStatus::kCancelled);
  EXPECT_TRUE(IsError(cases_->Approve(wjw_reviewer_, cert_task, "", {}),
                      ErrorCode::kFailedPrecondition, "cases.wrong_state"));
}

TEST_P(CaseServiceTest, ReturnGoesBackOneStepButNotPastTheFirstReview) {
  Case c = MustAccept(MustSubmit(BirthSubmission(), mother_).id);
  const std::string t = TaskOf(c, cert_code_).id;
  EXPECT_TRUE(IsError(cases_->Return(wjw_reviewer_, t, "请复核"), ErrorCode::kFailedPrecondition,
                      "cases.cannot_return"));
  ASSERT_TRUE(cases_->Approve(wjw_reviewer_, t, "", {}).has_value());
  Result<Case> r = cases_->Return(wjw_reviewer_, t, "出生日期需复核");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(TaskOf(*r, cert_code_).step_name, "审查");
  EXPECT_EQ(TaskOf(*r, cert_code_).reason, "出生日期需复核");
}

TEST_P(CaseServiceTest, CommitmentApprovesAtOnceAndLeavesAVerificationTask) {
  Submission s;
  s.kind = "item";
  s.catalog_code = cert_code_;
  s.form = GoodForm();
  s.materials = {{"doc.applicantIdCard", Upload("id"), "id.pdf"},
                 {"doc.birthRecord", Upload("r"), "r.pdf"}};
  Case c = MustSubmit(s, mother_);
  Case accepted = MustAccept(c.id, {AcceptMode::kCommitment, "本人承诺所报信息真实有效", {}});
  EXPECT_EQ(accepted.status, CaseStatus::kCompleted);
  ASSERT_EQ(accepted.tasks.size(), 2u);
  EXPECT_EQ(accepted.tasks[0].status, TaskStatus::kApproved);
  EXPECT_EQ(accepted.tasks[1].status, TaskStatus::kPending);
  EXPECT_THAT(accepted.tasks[1].item_name, HasSubstr("告知承诺核查"));
  EXPECT_EQ(accepted.tasks[1].department_id, wjw_);
  // A bundle with an item that does not allow it is refused.
  Case bundle = MustSubmit(BirthSubmission(), mother_);
  auto before = Counts();
  EXPECT_TRUE(IsError(cases_->Accept(clerk_, bundle.id, {AcceptMode::kCommitment, "承诺真实", {}}),
                      ErrorCode::kFailedPrecondition, "cases.commitment_not_allowed"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(CaseServiceTest, OthersCannotSeeOrTouchACase) {
  Case c = MustSubmit(BirthSubmission(), mother_);
  EXPECT_TRUE(IsError(cases_->Get(other_, c.id), ErrorCode::kNotFound, "cases.not_found"));
  Result<CasePage> mine = cases_->List(other_, {});
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->total, 0);
  mine = cases_->List(mother_, {});
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->total, 1);
  EXPECT_TRUE(IsError(cases_->Accept(mother_, c.id, {}), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  // A reviewer sees nothing until the case reaches their department.
  EXPECT_TRUE(IsError(cases_->Get(gaj_reviewer_, c.id), ErrorCode::kNotFound, "cases.not_found"));
  MustAccept(c.id);
  Result<std::vector<QueueEntry>> q = cases_->Queue(wjw_reviewer_);
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ(q->front().case_id, c.id);
  EXPECT_EQ(q->front().task.light, Light::kGreen);
  EXPECT_TRUE(cases_->Queue(gaj_reviewer_)->empty());
  EXPECT_TRUE(cases_->Get(wjw_reviewer_, c.id).has_value());
  EXPECT_TRUE(cases_->Get(supervisor_, c.id).has_value());
  EXPECT_TRUE(IsError(cases_->ConfirmReceipt(clerk_, c.id), ErrorCode::kPermissionDenied,
                      "cases.not_applicant"));
}

TEST_P(CaseServiceTest, AnyCounterListsOnlineSubmissionsUntilAccepted) {
  const std::string town = Dept("HN-CS-KF", "长沙经开区政务服务中心", std::nullopt, "city");
  const Principal town_clerk = User("town_clerk", {"counter_clerk"}, town);
  Case c = MustSubmit(BirthSubmission(), mother_);
  // 无差别一窗受理: an online submission waits in every counter's list, whatever its scope.
  CaseFilter submitted;
  submitted.status = CaseStatus::kSubmitted;
  Result<CasePage> waiting = cases_->List(town_clerk, submitted);
  ASSERT_TRUE(waiting.has_value()) << waiting.error().message;
  ASSERT_EQ(waiting->total, 1);
  EXPECT_EQ(waiting->items.front().id, c.id);
  EXPECT_TRUE(cases_->Get(town_clerk, c.id).has_value());
  // Once another counter accepted it, it is that counter's and the departments' case.
  MustAccept(c.id);
  Result<CasePage> after = cases_->List(town_clerk, {});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->total, 0);
  EXPECT_TRUE(IsError(cases_->Get(town_clerk, c.id), ErrorCode::kNotFound, "cases.not_found"));
  EXPECT_EQ(cases_->List(clerk_, {})->total, 1);
}

TEST_P(CaseServiceTest, LightsFollowTheClock) {
  Case c = MustAccept(MustSubmit(BirthSubmission(), mother_).id);
  EXPECT_EQ(c.light, Light::kGreen);
  clock().Set(At("2026-02-27"));  // one working day (02-28, 调休上班) before the deadline
  EXPECT_EQ(cases_->Get(clerk_, c.id)->light, Light::kYellow);
  EXPECT_EQ(cases_->Get(clerk_, c.id)->tasks.front().light, Light::kRed);  // due 02-14
  clock().Set(At("2026-03-02"));
  EXPECT_EQ(cases_->Get(clerk_, c.id)->light, Light::kRed);
}

TEST_P(CaseServiceTest, WindowAndExpressDelivery) {
  Submission s;
  s.kind = "item";
  s.catalog_code = ins_code_;
  s.form = {{"applicant.name", "李梅"},
            {"applicant.idNumber", GoodForm()["applicant.idNumber"]},
            {"child.hukouNo", "H1"}};
  s.materials = {{"doc.applicantIdCard", Upload("id"), "id.pdf"},
                 {"doc.childHukou", Upload("h"), "h.pdf"}};
  s.delivery = DeliveryMethod::kExpress;
  EXPECT_TRUE(
      IsError(cases_->Submit(mother_, s), ErrorCode::kInvalidArgument, "cases.invalid_submission"));
  s.delivery_address = "长沙市岳麓区麓山南路 1 号";
  Case c = MustAccept(MustSubmit(s, mother_).id);
  Result<Case> r = cases_->Approve(ybj_reviewer_, c.tasks[0].id, "", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->status, CaseStatus::kCompleted);
  EXPECT_TRUE(IsError(cases_->ConfirmReceipt(mother_, c.id), ErrorCode::kFailedPrecondition,
                      "cases.not_shipped"));
  EXPECT_TRUE(IsError(cases_->HandOut(clerk_, c.id, ""), ErrorCode::kInvalidArgument,
                      "cases.tracking_required"));
  ASSERT_TRUE(cases_->HandOut(clerk_, c.id, "SF1234567890").has_value());
  r = cases_->ConfirmReceipt(mother_, c.id);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kDelivered);
}

TEST_P(CaseServiceTest, ConcurrentApprovalsOfParallelTasksBothLand) {
  // Two items without an edge run in parallel; two reviewers approve at the same moment.
  catalog::Bundle b;
  b.code = "parallel";
  b.name = "并联测试";
  b.category = "person";
  b.department_code = "HN-CS";
  b.items = {{cert_code_, {}, true}, {ins_code_, {}, true}};
  ASSERT_TRUE(catalog_->SaveBundle(Principal::System(), b).has_value());
  Submission s;
  s.kind = "bundle";
  s.catalog_code = "parallel";
  s.form = GoodForm();
  s.form["child.hukouNo"] = "H9";
  s.materials = {{"doc.applicantIdCard", Upload("id"), "id.pdf"},
                 {"doc.birthRecord", Upload("r"), "r.pdf"},
                 {"doc.childHukou", Upload("h"), "h.pdf"}};
  Case c = MustAccept(MustSubmit(s, mother_).id);
  ASSERT_EQ(TaskOf(c, ins_code_).status, TaskStatus::kPending);
  ASSERT_TRUE(cases_->Approve(wjw_reviewer_, TaskOf(c, cert_code_).id, "", {}).has_value());
  Result<Case> a = Internal("test.unset", ""), b2 = Internal("test.unset", "");
  std::thread t1([&] {
    a = cases_->Approve(wjw_reviewer_, TaskOf(c, cert_code_).id, "", {{"certNo", "C1"}});
  });
  std::thread t2([&] { b2 = cases_->Approve(ybj_reviewer_, TaskOf(c, ins_code_).id, "", {}); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.has_value()) << a.error().message;
  ASSERT_TRUE(b2.has_value()) << b2.error().message;
  Result<Case> after = cases_->Get(clerk_, c.id);
  EXPECT_EQ(after->status, CaseStatus::kCompleted);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::cases
