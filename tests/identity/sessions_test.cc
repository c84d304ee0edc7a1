// AuthService: password sign-in, lock-out and throttling, sessions shared through the database.
#include "identity/sessions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "identity/identity_fixture.h"

namespace onestop::identity {
namespace {

using fixture::FieldsOf;
using fixture::IsError;
using fixture::kPassword;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr Millis kMinute = 60'000;
constexpr Millis kHour = 60 * kMinute;

const ClientInfo kClient{"10.1.2.3", "Mozilla/5.0 (测试)", "req-42"};

class SessionsTest : public fixture::IdentityTest {
 protected:
  // No principal cache: every Authenticate reads the database (the cache has its own test).
  SessionOptions Options() const override {
    SessionOptions o;
    o.principal_cache_ms = 0;
    return o;
  }

  void SetUp() override {
    IdentityTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    admin_id_ = MustCreateStaff("cs_admin", {"dept_admin"}, changsha_);
  }

  Result<SessionGrant> Login(const std::string& username, const std::string& password = kPassword,
                             const ClientInfo& client = kClient) {
    return svc_->auth.LoginWithPassword(username, password, client);
  }

  std::int64_t SessionsOf(const std::string& user_id) {
    Result<store::Rows> rows = store::Read(db(), [&](store::Tx& tx) {
      return tx.Query("SELECT COUNT(*) FROM identity_session WHERE user_id = ?", {user_id});
    });
    return rows.has_value() ? rows->front().Int(0) : -1;
  }

  std::string FailedLogins(const std::string& user_id) {
    return Column("identity_user", "failed_logins", user_id);
  }

  std::string admin_id_;
};

// --- Sign-in --------------------------------------------------------------------------------

TEST_P(SessionsTest, LoginReturnsATokenAndTheResolvedPrincipal) {
  std::int64_t audits = AuditCount();
  Result<SessionGrant> g = Login("cs_admin");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_GE(g->token.size(), 43u);  // 32 random bytes, base64url
  EXPECT_EQ(g->token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(g->csrf_token.size(), 32u);
  EXPECT_EQ(g->expires_at_ms, testutil::kTestNowMs + 12 * kHour);

  const Principal& p = g->principal;
  EXPECT_EQ(p.user_id, admin_id_);
  EXPECT_EQ(p.username, "cs_admin");
  EXPECT_EQ(p.kind, UserKind::kStaff);
  EXPECT_THAT(p.roles, ElementsAre(Role::kDeptAdmin));
  EXPECT_EQ(p.permissions,
            (std::set<Permission>{Permission::kManageDepartments, Permission::kManageUsers,
                                  Permission::kReadParties, Permission::kManageCatalog,
                                  Permission::kManageSeals, Permission::kIssueLicences,
                                  Permission::kReviewProofs, Permission::kReadCases}));
  EXPECT_EQ(p.department_id, changsha_);
  EXPECT_EQ(p.department_name, "长沙市政务服务中心");
  EXPECT_EQ(p.data_scope, DataScope::kDeptAndBelow);
  // 本部门及以下: 长沙 and 岳麓, not the parent 湖南 nor the sibling 永州.
  EXPECT_EQ(p.scope_department_ids, (std::set<std::string>{changsha_, yuelu_}));
  EXPECT_EQ(p.session_id, AuthService::TokenId(g->token));
  EXPECT_EQ(p.csrf_token, g->csrf_token);
  EXPECT_EQ(p.request_id, "req-42");

  // The row is keyed by the token's hash; the token itself is not stored.
  EXPECT_EQ(Column("identity_session", "user_id", p.session_id), admin_id_);
  EXPECT_EQ(Column("identity_session", "remote_addr", p.session_id), "10.1.2.3");
  EXPECT_EQ(Column("identity_session", "auth_method", p.session_id), "password");
  EXPECT_EQ(Column("identity_session", "csrf_token", p.session_id), g->csrf_token);
  EXPECT_EQ(Column("identity_session", "user_id", g->token), "");

  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.login");
  EXPECT_EQ(e.actor_id, admin_id_);
  EXPECT_EQ(e.subject_id, admin_id_);
  EXPECT_EQ(e.request_id, "req-42");
  EXPECT_EQ(e.actor_department_id, changsha_);
  EXPECT_THAT(e.details_json, HasSubstr("10.1.2.3"));
  EXPECT_EQ(e.details_json.find(g->token), std::string::npos);
}

TEST_P(SessionsTest, ScopesResolveAtSignIn) {
  MustCreateStaff("dept_user", {"reviewer"}, changsha_);
  MustCreateStaff("all_user", {"supervisor"}, yuelu_);
  MustCreateStaff("custom_user", {"reviewer"}, changsha_, "custom", {yongzhou_, hunan_});
  MustCreateStaff("hn_admin", {"dept_admin"}, hunan_);
  Result<SessionGrant> dept = Login("dept_user");
  ASSERT_TRUE(dept.has_value());
  EXPECT_EQ(dept->principal.scope_department_ids, (std::set<std::string>{changsha_}));
  Result<SessionGrant> all = Login("all_user");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->principal.data_scope, DataScope::kAll);
  EXPECT_TRUE(all->principal.scope_department_ids.empty());
  EXPECT_TRUE(all->principal.Has(Permission::kVerifyAudit));
  Result<SessionGrant> custom = Login("custom_user");
  ASSERT_TRUE(custom.has_value());
  EXPECT_EQ(custom->principal.scope_department_ids, (std::set<std::string>{yongzhou_, hunan_}));
  Result<SessionGrant> hn = Login("hn_admin");
  ASSERT_TRUE(hn.has_value());
  EXPECT_EQ(hn->principal.scope_department_ids,
            (std::set<std::string>{hunan_, changsha_, yuelu_, yongzhou_}));
}

TEST_P(SessionsTest, WrongPasswordIsBadCredentialsAndCountsTheFailure) {
  auto before = Counts();
  Result<SessionGrant> r = Login("cs_admin", "Wrong-pass1");
  ASSERT_TRUE(IsError(r, ErrorCode::kUnauthenticated, "identity.bad_credentials"));
  EXPECT_EQ(FailedLogins(admin_id_), "1");
  EXPECT_EQ(SessionsOf(admin_id_), 0);
  // The failure is audited against the account.
  EXPECT_EQ(AuditCount(), before["audit_entry"] + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.login_failed");
  EXPECT_EQ(e.subject_id, admin_id_);
  boost::json::value details = boost::json::parse(e.details_json);
  EXPECT_EQ(details.at("failures").as_int64(), 1);
  EXPECT_EQ(details.at("locked").as_bool(), false);
  EXPECT_EQ(e.details_json.find("Wrong-pass1"), std::string::npos);

  ASSERT_TRUE(IsError(Login("cs_admin", "Wrong-pass2"), ErrorCode::kUnauthenticated,
                      "identity.bad_credentials"));
  EXPECT_EQ(FailedLogins(admin_id_), "2");
  // A success resets the count.
  ASSERT_TRUE(Login("cs_admin").has_value());
  EXPECT_EQ(FailedLogins(admin_id_), "0");
}

TEST_P(SessionsTest, UnknownUserGetsTheSameAnswerAndNothingIsWritten) {
  Result<SessionGrant> wrong = Login("cs_admin", "Wrong-pass1");
  auto before = Counts();
  Result<SessionGrant> unknown = Login("nobody", "Wrong-pass1");
  ASSERT_TRUE(IsError(unknown, ErrorCode::kUnauthenticated, "identity.bad_credentials"));
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(Counts(), before);
}

TEST_P(SessionsTest, EmptyCredentialsAreInvalidInput) {
  auto before = Counts();
  Result<SessionGrant> both = Login("", "");
  ASSERT_TRUE(IsError(both, ErrorCode::kInvalidArgument, "identity.credentials_required"));
  EXPECT_THAT(FieldsOf(both.error()), ElementsAre("username", "password"));
  Result<SessionGrant> pw = Login("cs_admin", "");
  ASSERT_TRUE(IsError(pw, ErrorCode::kInvalidArgument, "identity.credentials_required"));
  EXPECT_THAT(FieldsOf(pw.error()), ElementsAre("password"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(FailedLogins(admin_id_), "0");
}

TEST_P(SessionsTest, FiveFailuresLockTheAccountUntilTheLockOutPasses) {
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(IsError(Login("cs_admin", "Wrong-pass1"), ErrorCode::kUnauthenticated,
                        "identity.bad_credentials"))
        << i;
  }
  Result<SessionGrant> fifth = Login("cs_admin", "Wrong-pass1");
  ASSERT_TRUE(IsError(fifth, ErrorCode::kResourceExhausted, "identity.locked"));
  EXPECT_THAT(fifth.error().message, HasSubstr("15 分钟"));
  EXPECT_EQ(Column("identity_user", "locked_until_ms", admin_id_),
            std::to_string(testutil::kTestNowMs + 15 * kMinute));
  EXPECT_EQ(boost::json::parse(LastAudit().details_json).at("locked").as_bool(), true);

  // While locked even the right password fails, and nothing is written.
  clock().Advance(15 * kMinute - 1);
  auto before = Counts();
  ASSERT_TRUE(IsError(Login("cs_admin"), ErrorCode::kResourceExhausted, "identity.locked"));
  ASSERT_TRUE(
      IsError(Login("cs_admin", "Wrong-pass1"), ErrorCode::kResourceExhausted, "identity.locked"));
  EXPECT_EQ(Counts(), before);

  clock().Advance(1);
  Result<SessionGrant> ok = Login("cs_admin");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(Column("identity_user", "locked_until_ms", admin_id_), "");
  EXPECT_EQ(FailedLogins(admin_id_), "0");
}

TEST_P(SessionsTest, AfterALockOutFailuresCountFromZeroAgain) {
  for (int i = 0; i < 5; ++i) (void)Login("cs_admin", "Wrong-pass1");
  clock().Advance(15 * kMinute);
  // One more failure after the lock-out does not re-lock: the count restarted.
  ASSERT_TRUE(IsError(Login("cs_admin", "Wrong-pass1"), ErrorCode::kUnauthenticated,
                      "identity.bad_credentials"));
  EXPECT_EQ(FailedLogins(admin_id_), "1");
  EXPECT_TRUE(Login("cs_admin").has_value());
}

TEST_P(SessionsTest, DisabledAccountsCannotSignIn) {
  Result<User> u = svc_->users.Get(Principal::System(), admin_id_);
  ASSERT_TRUE(u.has_value());
  UserUpdate up{admin_id_, u->display_name, {"dept_admin"}, changsha_, "dept_and_below",
                {},        "disabled",      u->version};
  ASSERT_TRUE(svc_->users.Update(Principal::System(), up).has_value());
  auto before = Counts();
  ASSERT_TRUE(IsError(Login("cs_admin"), ErrorCode::kPermissionDenied, "identity.disabled"));
  EXPECT_EQ(Counts(), before);
  // A wrong password still says only "bad credentials".
  ASSERT_TRUE(IsError(Login("cs_admin", "Wrong-pass1"), ErrorCode::kUnauthenticated,
                      "identity.bad_credentials"));
}

class ThrottledSessionsTest : public SessionsTest {
 protected:
  SessionOptions Options() const override {
    SessionOptions o = SessionsTest::Options();
    o.max_failures_per_addr = 3;
    o.addr_window_ms = 10 * kMinute;
    return o;
  }
};

TEST_P(ThrottledSessionsTest, TooManyFailuresFromOneAddressBlockIt) {
  const ClientInfo attacker{"203.0.113.7", "curl", ""};
  (void)Login("nobody", "x", attacker);
  clock().Advance(kMinute);
  (void)Login("cs_admin", "Wrong-pass1", attacker);
  (void)Login("someone", "y", attacker);
  auto before = Counts();
  // Even the right password is refused from that address, without checking it.
  Result<SessionGrant> blocked = Login("cs_admin", kPassword, attacker);
  ASSERT_TRUE(IsError(blocked, ErrorCode::kResourceExhausted, "identity.too_many_attempts"));
  EXPECT_EQ(Counts(), before);
  EXPECT_EQ(FailedLogins(admin_id_), "1");
  // Other addresses are unaffected.
  EXPECT_TRUE(Login("cs_admin", kPassword, kClient).has_value());
  // The window slides: still blocked while the first failure is within 10 minutes…
  clock().Advance(9 * kMinute);
  EXPECT_TRUE(IsError(Login("cs_admin", kPassword, attacker), ErrorCode::kResourceExhausted,
                      "identity.too_many_attempts"));
  // …and once it is older, one more try is allowed.
  clock().Advance(1);
  EXPECT_TRUE(Login("cs_admin", kPassword, attacker).has_value());
}

// --- Authenticate ----------------------------------------------------------------------------

TEST_P(SessionsTest, AuthenticateReturnsThePrincipalOfAValidToken) {
  Result<SessionGrant> g = Login("cs_admin");
  ASSERT_TRUE(g.has_value());
  clock().Advance(kMinute);
  Result<Principal> p = svc_->auth.Authenticate(g->token);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->user_id, admin_id_);
  EXPECT_EQ(p->session_id, g->principal.session_id);
  EXPECT_EQ(p->csrf_token, g->csrf_token);
  EXPECT_EQ(p->scope_department_ids, (std::set<std::string>{changsha_, yuelu_}));
  EXPECT_EQ(p->permissions, g->principal.permissions);
  EXPECT_EQ(Column("identity_session", "last_seen_at_ms", p->session_id),
            std::to_string(testutil::kTestNowMs + kMinute));
}

TEST_P(SessionsTest, AuthenticateRefusesUnknownAndMalformedTokens) {
  Result<SessionGrant> g = Login("cs_admin");
  ASSERT_TRUE(g.has_value());
  std::string altered = g->token;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  for (const std::string& token : {std::string(), std::string("nope"), altered,
                                   g->principal.session_id, g->csrf_token, std::string(129, 'a')}) {
    EXPECT_TRUE(IsError(svc_->auth.Authenticate(token), ErrorCode::kUnauthenticated,
                        "identity.unauthenticated"))
        << token;
  }
  EXPECT_EQ(SessionsOf(admin_id_), 1);
}

TEST_P(SessionsTest, SessionsExpireAfterTheAbsoluteLifetimeEvenWhenActive) {
  Result<SessionGrant> g = Login("cs_admin");
  ASSERT_TRUE(g.has_value());
  for (int h = 1; h < 12; ++h) {
    clock().Set(testutil::kTestNowMs + h * kHour);
    ASSERT_TRUE(svc_->auth.Authenticate(g->token).has_value()) << h << " h";
  }
  clock().Set(testutil::kTestNowMs + 12 * kHour - 1);
  ASSERT_TRUE(svc_->auth.Authenticate(g->token).has_value());
  clock().Set(testutil::kTestNowMs + 12 * kHour);
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.session_expired"));
  EXPECT_EQ(SessionsOf(admin_id_), 0);  // the expired row is removed
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
}

TEST_P(SessionsTest, SessionsExpireAfterTwoIdleHours) {
  Result<SessionGrant> g = Login("cs_admin");
  ASSERT_TRUE(g.has_value());
  clock().Advance(2 * kHour - 1);
  ASSERT_TRUE(svc_->auth.Authenticate(g->token).has_value());  // renews last_seen
  clock().Advance(2 * kHour - 1);
  ASSERT_TRUE(svc_->auth.Authenticate(g->token).has_value());
  clock().Advance(2 * kHour);
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.session_expired"));
  EXPECT_EQ(SessionsOf(admin_id_), 0);
}

TEST_P(SessionsTest, ANewSignInClearsTheUsersExpiredSessions) {
  ASSERT_TRUE(Login("cs_admin").has_value());
  clock().Advance(13 * kHour);
  ASSERT_TRUE(Login("cs_admin").has_value());
  EXPECT_EQ(SessionsOf(admin_id_), 1);
}

// --- Logout and several nodes ----------------------------------------------------------------

TEST_P(SessionsTest, LogoutEndsTheSessionAndIsAudited) {
  Result<SessionGrant> g = Login("cs_admin");
  Result<SessionGrant> other = Login("cs_admin");
  ASSERT_TRUE(g.has_value());
  ASSERT_TRUE(other.has_value());
  Result<Principal> p = svc_->auth.Authenticate(g->token);
  ASSERT_TRUE(p.has_value());
  std::int64_t audits = AuditCount();
  ASSERT_TRUE(svc_->auth.Logout(*p).has_value());
  EXPECT_TRUE(IsError(svc_->auth.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  // Only that session ended.
  EXPECT_EQ(SessionsOf(admin_id_), 1);
  EXPECT_TRUE(svc_->auth.Authenticate(other->token).has_value());
  ASSERT_EQ(AuditCount(), audits + 1);
  audit::Entry e = LastAudit();
  EXPECT_EQ(e.action, "identity.logout");
  EXPECT_EQ(e.actor_id, admin_id_);
  EXPECT_EQ(e.subject_id, admin_id_);
}

TEST_P(SessionsTest, SessionsAreSharedByEveryNodeOnTheSameDatabase) {
  SessionOptions opts = Options();
  AuthService node_a(db(), clock(), *audit_, hasher_, opts);
  AuthService node_b(db(), clock(), *audit_, hasher_, opts);
  Result<SessionGrant> g = node_a.LoginWithPassword("cs_admin", kPassword, kClient);
  ASSERT_TRUE(g.has_value());
  Result<Principal> on_b = node_b.Authenticate(g->token);
  ASSERT_TRUE(on_b.has_value()) << on_b.error().message;
  EXPECT_EQ(on_b->user_id, admin_id_);
  EXPECT_EQ(on_b->csrf_token, g->csrf_token);
  ASSERT_TRUE(node_b.Logout(*on_b).has_value());
  EXPECT_TRUE(IsError(node_a.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  // Lock-outs are shared too (they live in the account row).
  for (int i = 0; i < 5; ++i) {
    (void)(i % 2 == 0 ? node_a : node_b)
        .LoginWithPassword("cs_admin", "Wrong-pass1", {"10.0.0." + std::to_string(i), "", ""});
  }
  EXPECT_TRUE(IsError(node_b.LoginWithPassword("cs_admin", kPassword, kClient),
                      ErrorCode::kResourceExhausted, "identity.locked"));
}

TEST_P(SessionsTest, ANodeTrustsItsCachedPrincipalOnlyForTheCacheTime) {
  SessionOptions opts = Options();
  opts.principal_cache_ms = 2000;
  AuthService node_a(db(), clock(), *audit_, hasher_, opts);
  AuthService node_b(db(), clock(), *audit_, hasher_, opts);
  Result<SessionGrant> g = node_a.LoginWithPassword("cs_admin", kPassword, kClient);
  ASSERT_TRUE(g.has_value());
  ASSERT_TRUE(node_a.Authenticate(g->token).has_value());  // cached on A
  Result<Principal> on_b = node_b.Authenticate(g->token);
  ASSERT_TRUE(on_b.has_value());
  ASSERT_TRUE(node_b.Logout(*on_b).has_value());
  // B forgot it at once; A still trusts its copy for up to 2 s, then asks the database.
  EXPECT_TRUE(IsError(node_b.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  clock().Advance(1999);
  EXPECT_TRUE(node_a.Authenticate(g->token).has_value());
  clock().Advance(1);
  EXPECT_TRUE(IsError(node_a.Authenticate(g->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
  // ClearCache makes a node ask at once.
  Result<SessionGrant> g2 = node_a.LoginWithPassword("cs_admin", kPassword, kClient);
  ASSERT_TRUE(g2.has_value());
  ASSERT_TRUE(node_a.Authenticate(g2->token).has_value());
  ASSERT_TRUE(node_b.Logout(g2->principal).has_value());
  node_a.ClearCache();
  EXPECT_TRUE(IsError(node_a.Authenticate(g2->token), ErrorCode::kUnauthenticated,
                      "identity.unauthenticated"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionsTest, ::testing::ValuesIn(testutil::AllBackends()),
                         fixture::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, ThrottledSessionsTest,
                         ::testing::ValuesIn(testutil::AllBackends()), fixture::BackendName);

}  // namespace
}  // namespace onestop::identity
