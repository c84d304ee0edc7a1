// GrantService: grants given and revoked by the holder, retrieval under a live grant (and every
// refused attempt audited, nothing else changed), the identity QR token scanned at the counter
// (replay, concurrent replay, expiry, tampering), the holder's purpose-bound copy; both backends.
#include "licences/grant_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "core/id_number.h"
#include "licences/identity_token.h"
#include "testutil/matchers.h"
#include "testutil/test_db.h"

namespace onestop::licences {
namespace {

using ::testing::HasSubstr;
using testutil::IsError;
using testutil::TestDb;
namespace json = boost::json;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kHousehold = "11100000000013338W001";  // 居民户口簿
constexpr const char* kMarriage = "11100000000013338W002";   // 结婚证 (never granted below)
constexpr const char* kIssuer = "11430000006122244L";
constexpr Millis kDay = 24LL * 3600 * 1000;

std::string IdNo(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }

identity::Principal Staff(const std::string& dept, std::set<identity::Permission> perms) {
  identity::Principal p;
  p.user_id = "u-" + dept;
  p.display_name = "窗口人员" + dept;
  p.department_id = dept;
  p.data_scope = identity::DataScope::kDept;
  p.scope_department_ids = {dept};
  p.permissions = std::move(perms);
  p.request_id = "req-1";
  return p;
}

identity::Principal Clerk() { return Staff("d-zj", {identity::Permission::kUseLicences}); }
identity::Principal OtherClerk() { return Staff("d-mz", {identity::Permission::kUseLicences}); }

identity::Principal Holder() {
  identity::Principal p;
  p.user_id = "u-cit";
  p.display_name = "张小三";
  p.kind = identity::UserKind::kCitizen;
  p.person_id = "p-1";
  p.permissions = {identity::Permission::kSelfLicences};
  return p;
}

LicenceType MakeType(const char* code, const char* name) {
  LicenceType t;
  t.code = code;
  t.name = name;
  t.definer_name = "中华人民共和国公安部";
  t.holder_type = HolderType::kPerson;
  t.face_fields = {{"name", "姓名", FieldType::kText, true},
                   {"address", "住址", FieldType::kText, false}};
  t.validity_years = 0;
  t.issuing_department_id = "d-ga";
  t.issuer_uscc = kIssuer;
  return t;
}

class GrantServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ONESTOP_CREATE_TEST_DB(t_, GetParam());
    t_->clock().Set(testutil::kTestNowMs);  // 2026-11-27 09:00 CST
    audit_ = std::make_unique<audit::AuditLog>(t_->clock());
    seals_ = std::make_unique<seal::SealService>(t_->db(), t_->clock(), *audit_,
                                                 *seal::MasterKey::FromHex(kHexKey));
    licences_ = std::make_unique<LicenceService>(t_->db(), t_->clock(), *audit_, *seals_);
    grants_ = std::make_unique<GrantService>(t_->db(), t_->clock(), *audit_, std::string(32, 'k'));
    Result<void> seeded = store::Transact(t_->db(), [&](store::Tx& tx) -> Result<void> {
      for (auto [id, name] :
           {std::pair{"d-ga", "长沙市公安局"}, std::pair{"d-zj", "岳麓区政务服务中心"},
            std::pair{"d-mz", "长沙市民政局"}}) {
        RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, "
            "path, created_at_ms, updated_at_ms, version) VALUES (?,?,?,NULL,?,?,?,0,0,1)",
            {std::string(id), std::string("C-") + id, std::string(name), "430100", "city",
             "/" + std::string(id) + "/"}));
      }
      RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO identity_person (id, name, id_number, gender, birth_date, region_code, "
          "created_by, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,0,0)",
          {"p-1", "张小三", holder_code_, "男", "1990-01-01", "430102", "test"}));
      return Ok();
    });
    ASSERT_TRUE(seeded.has_value()) << seeded.error().message;
    seal::NewSeal s;
    s.department_id = "d-ga";
    s.name = "长沙市公安局电子证照专用章";
    Result<seal::Seal> sealed = seals_->Create(identity::Principal::System(), s);
    ASSERT_TRUE(sealed.has_value()) << sealed.error().reason << " " << sealed.error().message;
    for (const LicenceType& t :
         {MakeType(kHousehold, "居民户口簿"), MakeType(kMarriage, "结婚证")}) {
      Result<LicenceType> made = licences_->CreateType(identity::Principal::System(), t);
      ASSERT_TRUE(made.has_value()) << made.error().reason << " " << made.error().message;
    }
    NewLicence n;
    n.type_code = kHousehold;
    n.holder_name = "张小三";
    n.holder_code = holder_code_;
    n.face = {{"name", "张小三"}, {"address", "长沙市岳麓区麓山南路1号"}};
    Result<Licence> issued =
        licences_->Issue(Staff("d-ga", {identity::Permission::kIssueLicences}), n);
    ASSERT_TRUE(issued.has_value()) << issued.error().reason << " " << issued.error().message;
    household_ = *issued;
  }

  NewGrant ToClerk(std::vector<std::string> types = {kHousehold}) {
    NewGrant g;
    g.department_id = "d-zj";
    g.item_code = "ITEM-JZZ";
    g.type_codes = std::move(types);
    g.purpose = "申领居住证";
    return g;
  }

  Grant MustGive(const NewGrant& g) {
    Result<Grant> r = grants_->Give(Holder(), g);
    EXPECT_TRUE(r.has_value()) << r.error().reason << " " << r.error().message;
    return r.has_value() ? *r : Grant{};
  }

  RetrievalRequest ByGrant(const Grant& g, const std::string& type = kHousehold) {
    RetrievalRequest r;
    r.grant_id = g.id;
    r.type_code = type;
    return r;
  }

  // Rows of every table a refusal must leave alone, and the audit entries.
  struct Snapshot {
    std::int64_t grants, used, revoked, tokens, burnt, audit;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot Snap() {
    auto count = [&](const std::string& sql) {
      return *store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(store::Rows r, tx.Query(sql));
        return r.front().Int(0);
      });
    };
    return {t_->Count("consent_grant"),
            count("SELECT COUNT(*) FROM consent_grant WHERE used_at_ms IS NOT NULL"),
            count("SELECT COUNT(*) FROM consent_grant WHERE revoked_at_ms IS NOT NULL"),
            t_->Count("consent_token"),
            t_->Count("consent_token_use"),
            t_->Count("audit_entry")};
  }

  // The newest audit entry.
  audit::Entry LastAudit() {
    audit::Filter f;
    f.limit = 1;
    return store::Read(t_->db(), [&](store::Tx& tx) { return audit_->Search(tx, f); })
        ->items.front();
  }

  // Checks that `r` was refused with `reason`, audited as `action` against p-1 (when known),
  // and that nothing but that one audit entry changed.
  template <typename T>
  void ExpectRefusedAndAudited(const Result<T>& r, const Snapshot& before, ErrorCode code,
                               const std::string& reason, const std::string& action,
                               bool party_known = true) {
    ASSERT_TRUE(IsError(r, code, reason));
    Snapshot want = before;
    ++want.audit;
    EXPECT_EQ(Snap(), want);
    audit::Entry e = LastAudit();
    EXPECT_EQ(e.action, action);
    EXPECT_EQ(e.actor_id, "u-d-zj");
    if (party_known) {
      EXPECT_EQ(e.subject_party_id.value_or(""), "p-1");
    }
    EXPECT_THAT(e.details_json, HasSubstr(r.error().message));
  }

  std::string holder_code_ = IdNo("43010219900101123");
  std::unique_ptr<TestDb> t_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<seal::SealService> seals_;
  std::unique_ptr<LicenceService> licences_;
  std::unique_ptr<GrantService> grants_;
  Licence household_;
};

// ---- Grants ---------------------------------------------------------------------------------

TEST_P(GrantServiceTest, GiveStoresDefaultsAndAudits) {
  Snapshot before = Snap();
  Grant g = MustGive(ToClerk());
  EXPECT_EQ(g.holder_party_id, "p-1");
  EXPECT_EQ(g.holder_code, holder_code_);
  EXPECT_EQ(g.department_name, "岳麓区政务服务中心");
  EXPECT_EQ(g.status, GrantStatus::kActive);
  EXPECT_EQ(g.mode, GrantMode::kSingleUse);
  EXPECT_EQ(g.expires_at_ms, testutil::kTestNowMs + 7 * kDay);
  EXPECT_EQ(g.type_codes, std::vector<std::string>{kHousehold});
  EXPECT_EQ(Snap().grants, before.grants + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "licences.grant.create");
  EXPECT_EQ(e.subject_party_id.value_or(""), "p-1");
  EXPECT_EQ(e.purpose, "申领居住证");
  Result<std::vector<Grant>> mine = grants_->Mine(Holder());
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().id, g.id);
}

TEST_P(GrantServiceTest, GiveRejectsMissingOrTooLongPurposeAndChangesNothing) {
  Snapshot before = Snap();
  NewGrant g = ToClerk();
  g.purpose = "   ";
  Result<Grant> r = grants_->Give(Holder(), g);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_grant"));
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "purpose");
  EXPECT_EQ(r.error().fields[0].message, "请填写申请事由");

  std::string long_purpose;
  for (int i = 0; i < 201; ++i) long_purpose += "事";
  g.purpose = long_purpose;
  r = grants_->Give(Holder(), g);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_grant"));
  EXPECT_EQ(r.error().fields[0].message, "申请事由不能超过200个字");
  EXPECT_EQ(Snap(), before);

  g.purpose = long_purpose.substr(3);  // exactly 200 characters is allowed
  EXPECT_TRUE(grants_->Give(Holder(), g).has_value());
}

TEST_P(GrantServiceTest, GiveRejectsBadExpiryModeTypesAndChangesNothing) {
  Snapshot before = Snap();
  NewGrant g = ToClerk({});
  g.expires_at_ms = testutil::kTestNowMs + 91 * kDay;
  g.mode = GrantMode::kUntilCaseCloses;  // without a case
  Result<Grant> r = grants_->Give(Holder(), g);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_grant"));
  std::set<std::string> fields;
  for (const FieldError& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"typeCodes", "expiresAt", "mode"}));

  g = ToClerk({"11100000000013338W999"});
  EXPECT_TRUE(IsError(grants_->Give(Holder(), g), ErrorCode::kNotFound, "licences.no_such_type"));
  g = ToClerk();
  g.department_id = "d-none";
  EXPECT_TRUE(
      IsError(grants_->Give(Holder(), g), ErrorCode::kNotFound, "licences.no_such_department"));
  g = ToClerk();
  g.case_id = "C-NOT-MINE";
  EXPECT_TRUE(IsError(grants_->Give(Holder(), g), ErrorCode::kNotFound, "licences.no_such_case"));
  EXPECT_TRUE(IsError(grants_->Give(Clerk(), ToClerk()), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(Snap(), before);

  g = ToClerk();
  g.expires_at_ms = testutil::kTestNowMs + 90 * kDay;  // the longest allowed
  EXPECT_TRUE(grants_->Give(Holder(), g).has_value());
}

TEST_P(GrantServiceTest, MineListsByStatus) {
  Grant active = MustGive(ToClerk());
  Grant used = MustGive(ToClerk());
  ASSERT_TRUE(grants_->Retrieve(Clerk(), ByGrant(used)).has_value());
  Grant revoked = MustGive(ToClerk());
  ASSERT_TRUE(grants_->Revoke(Holder(), revoked.id).has_value());
  NewGrant short_one = ToClerk();
  short_one.expires_at_ms = testutil::kTestNowMs + 3600 * 1000;
  Grant expired = MustGive(short_one);
  t_->clock().Advance(2 * 3600 * 1000);
  auto ids = [&](GrantStatus s) {
    std::vector<std::string> out;
    Result<std::vector<Grant>> mine = grants_->Mine(Holder(), s);
    EXPECT_TRUE(mine.has_value());
    if (mine.has_value()) {
      for (const Grant& g : *mine) out.push_back(g.id);
    }
    return out;
  };
  EXPECT_EQ(ids(GrantStatus::kActive), std::vector<std::string>{active.id});
  EXPECT_EQ(ids(GrantStatus::kUsed), std::vector<std::string>{used.id});
  EXPECT_EQ(ids(GrantStatus::kRevoked), std::vector<std::string>{revoked.id});
  EXPECT_EQ(ids(GrantStatus::kExpired), std::vector<std::string>{expired.id});
  EXPECT_EQ(grants_->Mine(Holder())->size(), 4u);
}

// ---- Retrieval ------------------------------------------------------------------------------

TEST_P(GrantServiceTest, RetrieveReturnsGrantedLicencesAndAuditsAgainstTheHolder) {
  Grant g = MustGive(ToClerk());
  Snapshot before = Snap();
  Result<std::vector<Licence>> r = grants_->Retrieve(Clerk(), ByGrant(g));
  ASSERT_TRUE(r.has_value()) << r.error().reason << " " << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().identifier, household_.identifier);
  EXPECT_EQ(Snap().audit, before.audit + 1);
  EXPECT_EQ(Snap().used, before.used + 1);  // single use: consumed
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "licences.licence.retrieve");
  EXPECT_EQ(e.subject_party_id.value_or(""), "p-1");
  EXPECT_EQ(e.purpose, "申领居住证");
  json::object d = json::parse(e.details_json).as_object();
  EXPECT_EQ(d.at("licenceIdentifier").as_string(), household_.identifier);
  EXPECT_EQ(d.at("typeName").as_string(), "居民户口簿");
  EXPECT_EQ(d.at("grantId").as_string(), g.id);
  EXPECT_EQ(d.at("itemCode").as_string(), "ITEM-JZZ");
  // It is what the holder's "谁查看了我的数据" page lists.
  audit::Filter mine;
  mine.subject_party_id = "p-1";
  mine.action_prefix = "licences.licence.retrieve";
  EXPECT_EQ(store::Read(t_->db(), [&](store::Tx& tx) { return audit_->Search(tx, mine); })->total,
            1);
}

TEST_P(GrantServiceTest, RetrieveByHolderAndItemFindsTheLiveGrant) {
  NewGrant n = ToClerk();
  n.mode = GrantMode::kSingleUse;
  MustGive(n);
  RetrievalRequest r;
  r.holder_party_id = "p-1";
  r.item_code = "ITEM-JZZ";
  r.type_code = kHousehold;
  Result<std::vector<Licence>> got = grants_->Retrieve(Clerk(), r);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->size(), 1u);
  Snapshot before = Snap();
  ExpectRefusedAndAudited(grants_->Retrieve(Clerk(), r), before, ErrorCode::kPermissionDenied,
                          "licences.no_grant", "licences.retrieve.refused");
}

TEST_P(GrantServiceTest, RetrieveWithoutAnyGrantIsRefusedAndAudited) {
  RetrievalRequest r;
  r.holder_party_id = "p-1";
  r.type_code = kHousehold;
  Snapshot before = Snap();
  ExpectRefusedAndAudited(grants_->Retrieve(Clerk(), r), before, ErrorCode::kPermissionDenied,
                          "licences.no_grant", "licences.retrieve.refused");
  r.holder_party_id = "";
  r.grant_id = "01J0000000000000000000000X";
  before = Snap();
  ExpectRefusedAndAudited(grants_->Retrieve(Clerk(), r), before, ErrorCode::kPermissionDenied,
                          "licences.no_grant", "licences.retrieve.refused", false);
}

TEST_P(GrantServiceTest, RetrieveUnderAnExpiredGrantIsRefusedAndAudited) {
  Grant g = MustGive(ToClerk());
  t_->clock().Advance(7 * kDay);
  Snapshot before = Snap();
  auto r = grants_->Retrieve(Clerk(), ByGrant(g));
  ExpectRefusedAndAudited(r, before, ErrorCode::kPermissionDenied, "licences.no_grant",
                          "licences.retrieve.refused");
  EXPECT_THAT(r.error().message, HasSubstr("已过期"));
}

TEST_P(GrantServiceTest, RevocationTakesEffectAtOnce) {
  Grant g = MustGive(ToClerk());
  Result<Grant> revoked = grants_->Revoke(Holder(), g.id);
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->status, GrantStatus::kRevoked);
  EXPECT_EQ(LastAudit().action, "licences.grant.revoke");
  Snapshot before = Snap();
  auto r = grants_->Retrieve(Clerk(), ByGrant(g));
  ExpectRefusedAndAudited(r, before, ErrorCode::kPermissionDenied, "licences.no_grant",
                          "licences.retrieve.refused");
  EXPECT_THAT(r.error().message, HasSubstr("撤回"));
  before = Snap();
  EXPECT_TRUE(IsError(grants_->Revoke(Holder(), g.id), ErrorCode::kFailedPrecondition,
                      "licences.grant_not_active"));
  identity::Principal stranger = Holder();
  stranger.person_id = "p-2";
  EXPECT_FALSE(grants_->Revoke(stranger, g.id).has_value());
  EXPECT_EQ(Snap(), before);
}

TEST_P(GrantServiceTest, UsedSingleUseGrantIsRefusedAndAudited) {
  Grant g = MustGive(ToClerk());
  ASSERT_TRUE(grants_->Retrieve(Clerk(), ByGrant(g)).has_value());
  Snapshot before = Snap();
  auto r = grants_->Retrieve(Clerk(), ByGrant(g));
  ExpectRefusedAndAudited(r, before, ErrorCode::kPermissionDenied, "licences.no_grant",
                          "licences.retrieve.refused");
  EXPECT_THAT(r.error().message, HasSubstr("单次使用"));
}

TEST_P(GrantServiceTest, AnotherDepartmentIsRefusedAndAudited) {
  Grant g = MustGive(ToClerk());
  Snapshot before = Snap();
  auto r = grants_->Retrieve(OtherClerk(), ByGrant(g));
  ASSERT_TRUE(IsError(r, ErrorCode::kPermissionDenied, "licences.no_grant"));
  Snapshot want = before;
  ++want.audit;
  EXPECT_EQ(Snap(), want);  // the grant is not consumed either
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "licences.retrieve.refused");
  EXPECT_EQ(e.actor_id, "u-d-mz");
  EXPECT_EQ(e.subject_party_id.value_or(""), "p-1");
  EXPECT_TRUE(grants_->Retrieve(Clerk(), ByGrant(g)).has_value());  // still live for d-zj
}

TEST_P(GrantServiceTest, TypeNotGrantedIsRefusedAndAudited) {
  Grant g = MustGive(ToClerk());
  Snapshot before = Snap();
  auto r = grants_->Retrieve(Clerk(), ByGrant(g, kMarriage));
  ExpectRefusedAndAudited(r, before, ErrorCode::kPermissionDenied, "licences.no_grant",
                          "licences.retrieve.refused");
  EXPECT_THAT(r.error().message, HasSubstr("未授权调取该类证照"));
}

TEST_P(GrantServiceTest, RetrieveNeedsLicencesUse) {
  Grant g = MustGive(ToClerk());
  Snapshot before = Snap();
  EXPECT_TRUE(IsError(grants_->Retrieve(Holder(), ByGrant(g)), ErrorCode::kPermissionDenied,
                      "identity.permission_denied"));
  EXPECT_EQ(Snap(), before);
}

// ---- Identity QR token ----------------------------------------------------------------------

ScanInput ScanOf(const std::string& token) {
  ScanInput in;
  in.token = token;
  in.item_code = "ITEM-JZZ";
  in.purpose = "申领居住证";
  return in;
}

TEST_P(GrantServiceTest, ScanCreatesAGrantAndShowsMaskedHolderAndSharedLicences) {
  Result<IdentityToken> t = grants_->IssueToken(Holder(), {kHousehold});
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_LT(t->token.size(), 200u);
  EXPECT_EQ(t->token.find(' '), std::string::npos);
  EXPECT_EQ(t->expires_at_ms, testutil::kTestNowMs + 60000);
  Snapshot before = Snap();
  Result<ScanResult> s = grants_->Scan(Clerk(), ScanOf(t->token));
  ASSERT_TRUE(s.has_value()) << s.error().reason << " " << s.error().message;
  EXPECT_EQ(s->holder_name_masked, "张*三");
  EXPECT_EQ(s->holder_code_masked, MaskIdNumber(holder_code_));
  ASSERT_EQ(s->licences.size(), 1u);
  EXPECT_EQ(s->licences[0].identifier, household_.identifier);
  EXPECT_EQ(s->grant.department_id, "d-zj");
  EXPECT_EQ(s->grant.source, "token");
  EXPECT_EQ(s->grant.mode, GrantMode::kSingleUse);
  EXPECT_EQ(s->grant.type_codes, std::vector<std::string>{kHousehold});
  EXPECT_EQ(Snap().grants, before.grants + 1);
  EXPECT_EQ(Snap().burnt, before.burnt + 1);
  EXPECT_EQ(LastAudit().action, "licences.token.scan");
  EXPECT_EQ(LastAudit().subject_party_id.value_or(""), "p-1");
  // The grant retrieves the shared licence once.
  EXPECT_TRUE(grants_->Retrieve(Clerk(), ByGrant(s->grant)).has_value());
  EXPECT_TRUE(IsError(grants_->Retrieve(Clerk(), ByGrant(s->grant, kMarriage)),
                      ErrorCode::kPermissionDenied, "licences.no_grant"));
}

TEST_P(GrantServiceTest, ReplayedTokenIsRefusedAndAudited) {
  IdentityToken t = *grants_->IssueToken(Holder(), {});
  ASSERT_TRUE(grants_->Scan(Clerk(), ScanOf(t.token)).has_value());
  Snapshot before = Snap();
  ExpectRefusedAndAudited(grants_->Scan(Clerk(), ScanOf(t.token)), before,
                          ErrorCode::kAlreadyExists, "licences.token_used",
                          "licences.token.refused");
}

TEST_P(GrantServiceTest, ConcurrentScansOfOneTokenLetExactlyOneThrough) {
  IdentityToken t = *grants_->IssueToken(Holder(), {kHousehold});
  Snapshot before = Snap();
  std::atomic<int> ok{0}, used{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Result<ScanResult> r = grants_->Scan(Clerk(), ScanOf(t.token));
      if (r.has_value()) {
        ++ok;
      } else if (r.error().reason == "licences.token_used") {
        ++used;
      } else {
        ++other;
        ADD_FAILURE() << r.error().reason << " " << r.error().message;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(used.load(), 3);
  EXPECT_EQ(Snap().grants, before.grants + 1);
  EXPECT_EQ(Snap().burnt, before.burnt + 1);
}

TEST_P(GrantServiceTest, ExpiredTokenIsRefusedAndAudited) {
  IdentityToken t = *grants_->IssueToken(Holder(), {kHousehold});
  t_->clock().Advance(60 * 1000);
  Snapshot before = Snap();
  ExpectRefusedAndAudited(grants_->Scan(Clerk(), ScanOf(t.token)), before,
                          ErrorCode::kFailedPrecondition, "licences.token_expired",
                          "licences.token.refused");
}

TEST_P(GrantServiceTest, TamperedTokenIsRefusedAndAudited) {
  IdentityToken t = *grants_->IssueToken(Holder(), {kHousehold});
  // Another token id, a later expiry, a flipped signature character, another key.
  IdentityToken other = *grants_->IssueToken(Holder(), {});
  std::vector<std::string> bad;
  std::string swapped = t.token;
  swapped.replace(4, 26, other.token_id);
  bad.push_back(swapped);
  bad.push_back(SignToken(std::string(32, 'x'), {t.token_id, t.expires_at_ms}));
  std::string later = t.token;
  later[31] = later[31] == 'Z' ? 'Y' : 'Z';
  bad.push_back(later);
  std::string flipped = t.token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  bad.push_back(flipped);
  bad.push_back("not a token");
  for (const std::string& b : bad) {
    Snapshot before = Snap();
    ExpectRefusedAndAudited(grants_->Scan(Clerk(), ScanOf(b)), before, ErrorCode::kInvalidArgument,
                            "licences.token_invalid", "licences.token.refused", false);
  }
  EXPECT_TRUE(grants_->Scan(Clerk(), ScanOf(t.token)).has_value());  // the real one still works
}

TEST_P(GrantServiceTest, ScanNeedsPurposeAndItemAndChangesNothing) {
  IdentityToken t = *grants_->IssueToken(Holder(), {kHousehold});
  ScanInput in = ScanOf(t.token);
  in.purpose = "";
  in.item_code = "";
  Snapshot before = Snap();
  Result<ScanResult> r = grants_->Scan(Clerk(), in);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, "licences.invalid_grant"));
  EXPECT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(Snap(), before);
  EXPECT_TRUE(grants_->Scan(Clerk(), ScanOf(t.token)).has_value());  // not burnt
}

TEST_P(GrantServiceTest, TokenKeyIsStoredEncryptedAndReused) {
  std::optional<seal::MasterKey> master = *seal::MasterKey::FromHex(kHexKey);
  Result<std::string> a = LoadOrCreateTokenKey(t_->db(), t_->clock(), master);
  Result<std::string> b = LoadOrCreateTokenKey(t_->db(), t_->clock(), master);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(*a, *b);
  std::string stored = *store::Read(t_->db(), [&](store::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(store::Row r,
                     tx.QueryOne("SELECT key_enc FROM consent_token_key", {}, "x", "x"));
    return r.Text(0);
  });
  EXPECT_EQ(stored.find(seal::Base64(*a)), std::string::npos);
  std::optional<seal::MasterKey> wrong = *seal::MasterKey::FromHex(std::string(64, 'f'));
  EXPECT_FALSE(LoadOrCreateTokenKey(t_->db(), t_->clock(), wrong).has_value());
}

// ---- Purpose-bound copy ---------------------------------------------------------------------

TEST_P(GrantServiceTest, HolderCopyIsAPdfWithTheWatermarkAndIsAudited) {
  Result<LicenceCopy> c =
      grants_->HolderCopy(Holder(), household_.identifier, "办理居住证", "2026-12-04");
  ASSERT_TRUE(c.has_value()) << c.error().reason << " " << c.error().message;
  EXPECT_EQ(c->pdf.substr(0, 5), "%PDF-");
  EXPECT_EQ(c->watermark, "此件由张小三提供，仅供办理办理居住证使用，有效期至2026年12月4日");
  EXPECT_EQ(LastAudit().action, "licences.licence.copy");
  Snapshot before = Snap();
  EXPECT_TRUE(IsError(grants_->HolderCopy(Holder(), household_.identifier, "", "2027-06-01"),
                      ErrorCode::kInvalidArgument, "licences.invalid_copy"));
  identity::Principal stranger = Holder();
  stranger.person_id = "p-2";
  EXPECT_FALSE(grants_->HolderCopy(stranger, household_.identifier, "x", "").has_value());
  EXPECT_EQ(Snap(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, GrantServiceTest, ::testing::ValuesIn(testutil::AllBackends()),
                         [](const auto& info) { return testutil::BackendParamName(info.param); });

}  // namespace
}  // namespace onestop::licences
