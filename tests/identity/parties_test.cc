// PartyService: registering persons and enterprises, scoped search, and audited reads.
#include "identity/parties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::FieldsOf;
using fixture::IsError;
using fixture::ValidId;
using fixture::ValidUscc;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// 张三, 1990-03-07, 长沙市芙蓉区, male.
const std::string kIdA = ValidId("43010219900307123");
const std::string kIdB = ValidId("43010419851120456");
const std::string kIdC = ValidId("43110219700101002");
const std::string kIdD = ValidId("43010520000229001");
PartyQuery Query(std::string q, int offset = 0, int limit = 20) {
  PartyQuery r;
  r.q = std::move(q);
  r.offset = offset;
  r.limit = limit;
  return r;
}

constexpr const char* kLegacyUscc = "91350100M0001TGQXM";  // fails the GB 32100 check

class PartiesTest : public fixture::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    yl_clerk_ = Staff("yl_clerk", {"counter_clerk"}, yuelu_);
    cs_clerk_ = Staff("cs_clerk", {"counter_clerk"}, changsha_);
    yz_clerk_ = Staff("yz_clerk", {"counter_clerk"}, yongzhou_);
    agent_ = Staff("agent01", {"agent"}, yuelu_);
    platform_ = Staff("platform", {"platform_admin"}, hunan_);
    yl_reviewer_ = Staff("yl_reviewer", {"reviewer"}, yuelu_);
  }

  Person MustCreatePerson(const Principal& actor, const std::string& name,
                          const std::string& id_number, const std::string& phone = "") {
    Result<Person> p = svc_->parties.CreatePerson(actor, {name, id_number, phone});
    EXPECT_TRUE(p.has_value()) << p.error().message;
    return p.has_value() ? *p : Person{};
  }

  std::vector<std::string> Names(const Result<PartyPage<Person>>& page) {
    EXPECT_TRUE(page.has_value()) << page.error().message;
    std::vector<std::string> out;
    if (page.has_value()) {
      for (const Person& p : page->items) out.push_back(p.name);
    }
    return out;
  }

  NewEnterprise NewEnt(const std::string& uscc, bool confirm = false) {
    return {"长沙某某科技有限公司", uscc, "李四", "430104", "软件和信息技术服务业", confirm};
  }

  Principal yl_clerk_, cs_clerk_, yz_clerk_, agent_, platform_, yl_reviewer_;
};

// --- CreatePerson ----------------------------------------------------------------------------

TEST_P(PartiesTest, CreatePersonDerivesFieldsFromTheIdNumberAndIsAudited) {
  std::string lower_x = ValidId("11010519491231002");  // ends in X
  ASSERT_EQ(lower_x.back(), 'X');
  lower_x.back() = 'x';
  std::int64_t audits = AuditCount();
  Result<Person> r =
      svc_->parties.CreatePerson(yl_clerk_, {" 王小花 ", " " + lower_x + " ", " 13800138000 "});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->name, "王小花");
  EXPECT_EQ(r->id_number, "11010519491231002X");
  EXPECT_EQ(r->gender, "女");
  EXPECT_EQ(r->birth_date, "1949-12-31");
  EXPECT_EQ(r->region_code, "110105");
  EXPECT_EQ(r->phone, "13800138000");
  EXPECT_EQ(r->department_id, yuelu_);
  EXPECT_EQ(r->created_at_ms, testutil::kTestNowMs);
  EXPECT_EQ(Column("identity_person", "created_by", r->id), yl_clerk_.user_id);
  EXPECT_EQ(Column("identity_person", "id_number", r->id), "11010519491231002X");

  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.person.create");
  EXPECT_EQ(e.subject_id, r->id);
  EXPECT_EQ(e.subject_party_id, r->id);
  EXPECT_EQ(e.actor_id, yl_clerk_.user_id);
  EXPECT_EQ(e.actor_department_id, yuelu_);
  // The audit log never holds the whole number.
  EXPECT_THAT(e.details_json, Not(HasSubstr("11010519491231002X")));
  EXPECT_THAT(e.details_json, HasSubstr("110105"));

  Person male = MustCreatePerson(yl_clerk_, "张三", kIdA);
  EXPECT_EQ(male.gender, "男");
  EXPECT_EQ(male.phone, "");
}

TEST_P(PartiesTest, CreatePersonRefusesBadInputWithTheValidatorsReasonAndField) {
  std::string wrong_check = kIdA;
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  struct Case {
    std::string name, id_number, phone, reason, field;
  };
  const std::vector<Case> cases = {
      {"张三", wrong_check, "", "core.id_number_check", "idNumber"},
      {"张三", "43010219900307123", "", "core.id_number_length", "idNumber"},
      {"张三", kIdA + "1", "", "core.id_number_length", "idNumber"},
      {"张三", "", "", "core.id_number_length", "idNumber"},
      {"张三", "4301021990030712AX", "", "core.id_number_chars", "idNumber"},
      {"张三", ValidId("99010219900307123"), "", "core.id_number_region", "idNumber"},
      {"张三", ValidId("43010219901307123"), "", "core.id_number_birth_date", "idNumber"},
      {"张三", ValidId("43010219900230123"), "", "core.id_number_birth_date", "idNumber"},
      // The clock says 2026-11-27: a birth date of 2026-12-01 is in the future.
      {"张三", ValidId("43010220261201123"), "", "core.id_number_birth_future", "idNumber"},
      {"张三", kIdA, "1380013800", "core.mobile_format", "phone"},
      {"张三", kIdA, "23800138000", "core.mobile_format", "phone"},
      {"张三", kIdA, "1380013800a", "core.mobile_format", "phone"},
      {"张", kIdA, "", "identity.invalid_person", "name"},
      {"   ", kIdA, "", "identity.invalid_person", "name"},
      {std::string(51, 'a'), kIdA, "", "identity.invalid_person", "name"},
  };
  auto before = Counts();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name + " / " + c.id_number + " / " + c.phone);
    Result<Person> r = svc_->parties.CreatePerson(yl_clerk_, {c.name, c.id_number, c.phone});
    ExpectRefused(r, ErrorCode::kInvalidArgument, c.reason, before, c.field);
    EXPECT_THAT(FieldsOf(r.error()), ElementsAre(c.field));
  }
  // A birth date of today is fine.
  EXPECT_TRUE(svc_->parties.CreatePerson(yl_clerk_, {"新生儿", ValidId("43010220261127123"), ""})
                  .has_value());
}

TEST_P(PartiesTest, CreatePersonReportsEveryBadFieldAtOnce) {
  auto before = Counts();
  Result<Person> r = svc_->parties.CreatePerson(yl_clerk_, {"张", "123", "1"});
  // The first problem is not a validator's, so the reason is the service's own.
  ExpectRefused(r, ErrorCode::kInvalidArgument, "identity.invalid_person", before);
  EXPECT_THAT(FieldsOf(r.error()), ElementsAre("name", "idNumber", "phone"));
  Result<Person> id_first = svc_->parties.CreatePerson(yl_clerk_, {"张三", "123", "1"});
  ExpectRefused(id_first, ErrorCode::kInvalidArgument, "core.id_number_length", before);
  EXPECT_THAT(FieldsOf(id_first.error()), ElementsAre("idNumber", "phone"));
}

TEST_P(PartiesTest, CreatePersonRefusesADuplicateWithoutRevealingTheNumber) {
  MustCreatePerson(yl_clerk_, "张三", kIdA);
  auto before = Counts();
  // Registered elsewhere, by someone who cannot see the first registration.
  Result<Person> r = svc_->parties.CreatePerson(yz_clerk_, {"张三", " " + kIdA, ""});
  ExpectRefused(r, ErrorCode::kAlreadyExists, "identity.person_exists", before, "idNumber");
  EXPECT_THAT(r.error().message, Not(HasSubstr(kIdA)));
}

TEST_P(PartiesTest, CreatePersonNeedsPartiesWrite) {
  auto before = Counts();
  ExpectRefused(svc_->parties.CreatePerson(yl_reviewer_, {"张三", kIdA, ""}),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);
}

// --- SearchPersons ---------------------------------------------------------------------------

class PartySearchTest : public PartiesTest {
 protected:
  void SetUp() override {
    PartiesTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    a_ = MustCreatePerson(yl_clerk_, "张三", kIdA);  // 岳麓
    clock().Advance(1);
    b_ = MustCreatePerson(cs_clerk_, "张三丰", kIdB);  // 长沙
    clock().Advance(1);
    c_ = MustCreatePerson(yz_clerk_, "张三峰", kIdC);  // 永州
    clock().Advance(1);
    d_ = MustCreatePerson(agent_, "李四", kIdD);  // 岳麓, by the agent
  }
  Person a_, b_, c_, d_;
};

TEST_P(PartySearchTest, ByNameRespectsEachDataScope) {
  // dept: 岳麓 only (the agent works in 岳麓 too).
  EXPECT_THAT(Names(svc_->parties.SearchPersons(yl_clerk_, Query("张"))), ElementsAre("张三"));
  EXPECT_THAT(Names(svc_->parties.SearchPersons(yl_clerk_, {})),
              UnorderedElementsAre("张三", "李四"));
  // dept_and_below: 长沙 and 岳麓.
  Principal cs_below = Staff("cs_below", {"reviewer"}, changsha_, "dept_and_below");
  EXPECT_THAT(Names(svc_->parties.SearchPersons(cs_below, Query("张三"))),
              UnorderedElementsAre("张三", "张三丰"));
  // custom: exactly the listed departments.
  Principal custom = Staff("custom", {"reviewer"}, changsha_, "custom", {yongzhou_});
  EXPECT_THAT(Names(svc_->parties.SearchPersons(custom, {})), ElementsAre("张三峰"));
  // self: what the actor registered.
  EXPECT_THAT(Names(svc_->parties.SearchPersons(agent_, {})), ElementsAre("李四"));
  EXPECT_THAT(Names(svc_->parties.SearchPersons(agent_, Query("张"))), IsEmpty());
  // all.
  EXPECT_THAT(Names(svc_->parties.SearchPersons(platform_, Query(" 张三 "))),
              UnorderedElementsAre("张三", "张三丰", "张三峰"));
}

TEST_P(PartySearchTest, ByNameIsNewestFirstPagedAndNotAudited) {
  std::int64_t audits = AuditCount();
  Result<PartyPage<Person>> page = svc_->parties.SearchPersons(platform_, Query("", 1, 2));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 4);
  EXPECT_THAT(Names(page), ElementsAre("张三峰", "张三丰"));
  EXPECT_EQ(AuditCount(), audits);
}

TEST_P(PartySearchTest, ByWholeIdNumberFindsAcrossScopesAndIsAudited) {
  std::int64_t audits = AuditCount();
  // 永州's clerk cannot find 张三 by name, but can when the person gives the number.
  EXPECT_THAT(Names(svc_->parties.SearchPersons(yz_clerk_, Query("张三"))), ElementsAre("张三峰"));
  EXPECT_EQ(AuditCount(), audits);
  Result<PartyPage<Person>> r = svc_->parties.SearchPersons(yz_clerk_, Query(" " + kIdA + " "));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, a_.id);
  EXPECT_EQ(r->items[0].id_number, kIdA);
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.person.search");
  EXPECT_EQ(e.subject_party_id, a_.id);
  EXPECT_EQ(e.actor_id, yz_clerk_.user_id);
  EXPECT_EQ(e.purpose, "按身份证号查找");
  EXPECT_THAT(e.details_json, Not(HasSubstr(kIdA)));

  // A valid number of nobody registered: nothing found, nothing audited.
  Result<PartyPage<Person>> none =
      svc_->parties.SearchPersons(yz_clerk_, Query(ValidId("43010219900307999")));
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->total, 0);
  EXPECT_EQ(AuditCount(), audits + 1);
}

TEST_P(PartySearchTest, NeedsPartiesRead) {
  std::string person = MustCreatePerson(platform_, "王五", ValidId("43010219800101005")).id;
  NewUser c{"citizen01", fixture::kPassword, "王五", {"citizen"}, {}, {}, {}, person, {}};
  Result<User> citizen = svc_->users.Create(Principal::System(), c);
  ASSERT_TRUE(citizen.has_value()) << citizen.error().message;
  Principal p = PrincipalOf(citizen->id);
  auto before = Counts();
  ExpectRefused(svc_->parties.SearchPersons(p, Query(kIdA)), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
  ExpectRefused(svc_->parties.SearchEnterprises(p, {}), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
}

// --- GetPerson -------------------------------------------------------------------------------

TEST_P(PartySearchTest, GetPersonAuditsTheReadWithItsPurpose) {
  std::int64_t audits = AuditCount();
  Result<Person> r = svc_->parties.GetPerson(yl_clerk_, a_.id, "  办理居住证  ");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->id_number, kIdA);
  EXPECT_EQ(r->name, "张三");
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.person.read");
  EXPECT_EQ(e.subject_type, "person");
  EXPECT_EQ(e.subject_id, a_.id);
  EXPECT_EQ(e.subject_party_id, a_.id);
  EXPECT_EQ(e.purpose, "办理居住证");
  EXPECT_EQ(e.actor_id, yl_clerk_.user_id);
  EXPECT_EQ(e.actor_department_id, yuelu_);

  // Every scope reads what it covers.
  EXPECT_TRUE(svc_->parties.GetPerson(agent_, d_.id, "代办社保").has_value());
  EXPECT_TRUE(svc_->parties.GetPerson(platform_, c_.id, "核查信息").has_value());
  EXPECT_EQ(AuditCount(), audits + 3);
}

TEST_P(PartySearchTest, GetPersonByStaffNeedsAPurpose) {
  auto before = Counts();
  for (const std::string& purpose : {std::string(""), std::string("  "), std::string("查"),
                                     std::string("\xE3\x80\x80查\xE3\x80\x80")}) {
    SCOPED_TRACE(purpose);
    ExpectRefused(svc_->parties.GetPerson(yl_clerk_, a_.id, purpose), ErrorCode::kInvalidArgument,
                  "identity.purpose_required", before, "purpose");
  }
  std::string long_purpose;
  for (int i = 0; i < 201; ++i) long_purpose += "查";
  ExpectRefused(svc_->parties.GetPerson(yl_clerk_, a_.id, long_purpose),
                ErrorCode::kInvalidArgument, "identity.purpose_too_long", before, "purpose");
  long_purpose.resize(200 * 3);
  EXPECT_TRUE(svc_->parties.GetPerson(yl_clerk_, a_.id, long_purpose).has_value());
}

TEST_P(PartySearchTest, GetPersonOutOfScopeIsRefusedAndNotAudited) {
  auto before = Counts();
  ExpectRefused(svc_->parties.GetPerson(yz_clerk_, a_.id, "办理居住证"),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  ExpectRefused(svc_->parties.GetPerson(yl_clerk_, b_.id, "办理居住证"),
                ErrorCode::kPermissionDenied, "identity.out_of_scope", before);
  // self scope: only what the agent registered, even within its department.
  ExpectRefused(svc_->parties.GetPerson(agent_, a_.id, "代办社保"), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  ExpectRefused(svc_->parties.GetPerson(yl_clerk_, "missing", "办理居住证"), ErrorCode::kNotFound,
                "identity.person_not_found", before);
}

TEST_P(PartySearchTest, APersonReadsTheirOwnRecordWithoutPurposeOrAudit) {
  NewUser c{"zhangsan01", fixture::kPassword, "张三", {"citizen"}, {}, {}, {}, a_.id, {}};
  Result<User> citizen = svc_->users.Create(Principal::System(), c);
  ASSERT_TRUE(citizen.has_value()) << citizen.error().message;
  Principal me = PrincipalOf(citizen->id);
  auto before = Counts();
  Result<Person> r = svc_->parties.GetPerson(me, a_.id, "");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->id_number, kIdA);
  EXPECT_EQ(Counts(), before);
  // …but nobody else's.
  ExpectRefused(svc_->parties.GetPerson(me, b_.id, "好奇"), ErrorCode::kPermissionDenied,
                "identity.permission_denied", before);
}

// --- Enterprises -----------------------------------------------------------------------------

TEST_P(PartiesTest, CreateEnterpriseWithAValidCodeIsAuditedOnce) {
  std::string uscc = ValidUscc("91430100MA4L00001");
  std::string lower = uscc;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::int64_t audits = AuditCount();
  Result<Enterprise> e = svc_->parties.CreateEnterprise(yl_clerk_, NewEnt(" " + lower + " "));
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->uscc, uscc);
  EXPECT_EQ(e->uscc_warning, std::nullopt);
  EXPECT_EQ(e->department_id, yuelu_);
  EXPECT_EQ(e->region_code, "430104");
  EXPECT_EQ(Column("identity_enterprise", "uscc_confirmed_by", e->id), "");
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry a = LastAudit();
  EXPECT_EQ(a.action, "identity.enterprise.create");
  EXPECT_EQ(a.subject_party_id, e->id);

  Result<Enterprise> other =
      svc_->parties.CreateEnterprise(yl_clerk_, NewEnt("11100000000013338W"));
  ASSERT_TRUE(other.has_value()) << other.error().message;
}

TEST_P(PartiesTest, CreateEnterpriseRefusesALegacyCodeUnlessConfirmedByAnAdministrator) {
  auto before = Counts();
  Result<Enterprise> plain = svc_->parties.CreateEnterprise(yl_clerk_, NewEnt(kLegacyUscc));
  ExpectRefused(plain, ErrorCode::kInvalidArgument, "core.uscc_check", before, "uscc");
  // Even an administrator must say so explicitly.
  ExpectRefused(svc_->parties.CreateEnterprise(platform_, NewEnt(kLegacyUscc)),
                ErrorCode::kInvalidArgument, "core.uscc_check", before, "uscc");
  // A clerk may not confirm.
  ExpectRefused(svc_->parties.CreateEnterprise(yl_clerk_, NewEnt(kLegacyUscc, true)),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);

  Result<Enterprise> e = svc_->parties.CreateEnterprise(platform_, NewEnt(kLegacyUscc, true));
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->uscc, kLegacyUscc);
  ASSERT_TRUE(e->uscc_warning.has_value());
  EXPECT_FALSE(e->uscc_warning->empty());
  EXPECT_EQ(Column("identity_enterprise", "uscc_warning", e->id), *e->uscc_warning);
  EXPECT_EQ(Column("identity_enterprise", "uscc_confirmed_by", e->id), platform_.user_id);
  std::vector<audit::Entry> entries = AuditEntries();
  ASSERT_EQ(static_cast<std::int64_t>(entries.size()), before["audit_entry"] + 2);
  EXPECT_EQ(entries[0].action, "identity.enterprise.legacy_uscc_confirmed");
  EXPECT_EQ(entries[0].subject_party_id, e->id);
  EXPECT_EQ(entries[0].actor_id, platform_.user_id);
  EXPECT_EQ(std::string(boost::json::parse(entries[0].details_json).at("uscc").as_string()),
            kLegacyUscc);
  EXPECT_EQ(entries[1].action, "identity.enterprise.create");
  EXPECT_EQ(entries[1].subject_party_id, e->id);
}

TEST_P(PartiesTest, CreateEnterpriseRefusesDuplicatesAndBadFields) {
  std::string uscc = ValidUscc("91430100MA4L00001");
  ASSERT_TRUE(svc_->parties.CreateEnterprise(yl_clerk_, NewEnt(uscc)).has_value());
  auto before = Counts();
  Result<Enterprise> dup = svc_->parties.CreateEnterprise(yz_clerk_, NewEnt(uscc));
  ExpectRefused(dup, ErrorCode::kAlreadyExists, "identity.enterprise_exists", before, "uscc");

  std::string other = ValidUscc("91430100MA4L00002");
  NewEnterprise region = NewEnt(other);
  region.region_code = "439999";
  Result<Enterprise> r = svc_->parties.CreateEnterprise(yl_clerk_, region);
  ExpectRefused(r, ErrorCode::kInvalidArgument, "core.region_unknown", before, "regionCode");
  EXPECT_THAT(FieldsOf(r.error()), ElementsAre("regionCode"));
  NewEnterprise short_code = NewEnt("91430100MA4L0000");
  ExpectRefused(svc_->parties.CreateEnterprise(yl_clerk_, short_code), ErrorCode::kInvalidArgument,
                "core.uscc_length", before, "uscc");
  NewEnterprise bad_char = NewEnt("91430100MA4L0000I" + std::string(1, 'X'));
  ExpectRefused(svc_->parties.CreateEnterprise(yl_clerk_, bad_char), ErrorCode::kInvalidArgument,
                "core.uscc_chars", before, "uscc");
  NewEnterprise names = NewEnt(other);
  names.name = "某";
  names.legal_representative = "";
  Result<Enterprise> n = svc_->parties.CreateEnterprise(yl_clerk_, names);
  ExpectRefused(n, ErrorCode::kInvalidArgument, "identity.invalid_enterprise", before);
  EXPECT_THAT(FieldsOf(n.error()), ElementsAre("name", "legalRepresentative"));
  ExpectRefused(svc_->parties.CreateEnterprise(yl_reviewer_, NewEnt(other)),
                ErrorCode::kPermissionDenied, "identity.permission_denied", before);
}

TEST_P(PartiesTest, EnterpriseSearchAndReadFollowTheSameRules) {
  std::string uscc = ValidUscc("91430100MA4L00001");
  Result<Enterprise> e = svc_->parties.CreateEnterprise(yl_clerk_, NewEnt(uscc));
  ASSERT_TRUE(e.has_value());
  // By name within scope only; by whole code from anywhere (public register data).
  Result<PartyPage<Enterprise>> by_name = svc_->parties.SearchEnterprises(yz_clerk_, Query("长沙"));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->total, 0);
  Result<PartyPage<Enterprise>> by_code = svc_->parties.SearchEnterprises(yz_clerk_, Query(uscc));
  ASSERT_TRUE(by_code.has_value());
  ASSERT_EQ(by_code->total, 1);
  EXPECT_EQ(by_code->items[0].id, e->id);

  auto before = Counts();
  ExpectRefused(svc_->parties.GetEnterprise(yz_clerk_, e->id, "核查"), ErrorCode::kPermissionDenied,
                "identity.out_of_scope", before);
  ExpectRefused(svc_->parties.GetEnterprise(yl_clerk_, e->id, ""), ErrorCode::kInvalidArgument,
                "identity.purpose_required", before, "purpose");
  Result<Enterprise> read = svc_->parties.GetEnterprise(yl_clerk_, e->id, "办理营业执照变更");
  ASSERT_TRUE(read.has_value());
  audit::Entry a = LastAudit();
  EXPECT_EQ(a.action, "identity.enterprise.read");
  EXPECT_EQ(a.purpose, "办理营业执照变更");
  EXPECT_EQ(a.subject_party_id, e->id);
}

INSTANTIATE_TEST_SUITE_P(Backends, PartiesTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, PartySearchTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);

}  // namespace
}  // namespace onestop::identity
