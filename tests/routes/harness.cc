#include "routes/harness.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>

#include "app/demo.h"
#include "http/auth_middleware.h"
#include "http/router.h"

namespace onestop::routes_test {
namespace json = boost::json;

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// True if `text` holds at least one CJK unified ideograph (U+4E00..U+9FFF).
bool HasChinese(std::string_view text) {
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if ((b0 & 0xF0) != 0xE0) continue;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) continue;
    const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    if (cp >= 0x4E00 && cp <= 0x9FFF) return true;
  }
  return false;
}

std::string Abbrev(const std::string& body) {
  return body.size() > 600 ? body.substr(0, 600) + "…" : body;
}

// The ErrorCode name each status stands for (docs/API.md "Conventions").
bool CodeFitsStatus(std::string_view code, int status) {
  static const std::map<std::string_view, int> kStatus = {
      {"INVALID_ARGUMENT", 400}, {"UNAUTHENTICATED", 401},    {"PERMISSION_DENIED", 403},
      {"NOT_FOUND", 404},        {"ALREADY_EXISTS", 409},     {"FAILED_PRECONDITION", 409},
      {"ABORTED", 409},          {"RESOURCE_EXHAUSTED", 429}, {"UNAVAILABLE", 503},
      {"INTERNAL", 500}};
  auto it = kStatus.find(code);
  if (it == kStatus.end()) return false;
  // 405 and 413 are answered in the error shape with the code of the nearest status.
  if (status == 405) return code == "INVALID_ARGUMENT";
  if (status == 413) return code == "RESOURCE_EXHAUSTED";
  return it->second == status;
}

}  // namespace

// --- targets --------------------------------------------------------------------------------

std::string Decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string Url(std::string_view path,
                const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out(path);
  char sep = '?';
  for (const auto& [key, value] : query) {
    out += sep;
    out += Encode(key) + "=" + Encode(value);
    sep = '&';
  }
  return out;
}

void FillTarget(Request& request) {
  const std::string_view target = request.target;
  const std::size_t q = target.find('?');
  request.path = Decode(target.substr(0, q), /*plus_is_space=*/false);
  request.query.clear();
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string key = Decode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1), true);
    request.query.emplace(std::move(key), std::move(value));
  }
}

// --- DemoEnv --------------------------------------------------------------------------------

std::unique_ptr<DemoEnv> DemoEnv::Create(store::Backend backend) {
  spdlog::set_level(spdlog::level::warn);  // the router logs every request at info
  std::unique_ptr<DemoEnv> env(new DemoEnv());
  env->db_ = testutil::TestDb::Create(backend);
  if (env->db_ == nullptr) return nullptr;
  env->db_->clock().Set(testutil::kTestNowMs);
  Result<std::unique_ptr<store::Db>> db = store::Open(env->db_->url(), {.pool_size = 4});
  if (!db.has_value()) {
    ADD_FAILURE() << "cannot open " << env->db_->url() << ": " << db.error().message;
    return nullptr;
  }
  app::Config config;
  config.db = env->db_->url();
  // Seal private keys (the demo makes a seal per issuing department).
  config.master_key = "6f6e6573746f702d726f7574652d74657374732d6d61737465722d6b65792121";
  env->app_ = std::make_unique<app::App>(config, env->db_->clock(), std::move(db).value(),
                                         identity::PasswordHasher::FastForTest());
  Result<bool> loaded = app::LoadDemo(*env->app_);
  if (!loaded.has_value() || !*loaded) {
    ADD_FAILURE() << "LoadDemo failed: "
                  << (loaded.has_value() ? "already loaded" : loaded.error().message);
    return nullptr;
  }
  // Sign every role in now, so that a test's "nothing changed" snapshot never sees a login.
  env->SignInAll();
  for (const auto& [role, session] : env->sessions_) {
    if (session.token.empty()) return nullptr;
  }
  return env;
}

void DemoEnv::SignInAll() {
  sessions_.clear();
  for (const std::string& role : DemoRoles()) As(role);
}

Response DemoEnv::Call(std::string_view method, std::string_view target, const json::value& body,
                       const Session* session) {
  std::map<std::string, std::string, http::HeaderLess> headers;
  if (!body.is_null()) headers["Content-Type"] = "application/json";
  return CallRaw(method, target, body.is_null() ? std::string() : json::serialize(body), session,
                 headers);
}

Response DemoEnv::CallRaw(std::string_view method, std::string_view target, std::string body,
                          const Session* session,
                          const std::map<std::string, std::string, http::HeaderLess>& headers) {
  Request request;
  request.method = std::string(method);
  request.target = std::string(target);
  FillTarget(request);
  request.body = std::move(body);
  request.remote_addr = "127.0.0.1";
  request.request_id = "test-" + std::to_string(++request_seq_);
  request.headers["User-Agent"] = "routes_tests";
  if (session != nullptr) {
    request.headers["Cookie"] = std::string(http::kSessionCookie) + "=" + session->token;
    if (ChangesState(method) && !session->csrf.empty()) {
      request.headers[http::kCsrfHeader] = session->csrf;
    }
  }
  for (const auto& [name, value] : headers) request.headers[name] = value;
  return app_->router.Handle(request);
}

Session DemoEnv::Login(const std::string& username, const std::string& password) {
  Session s;
  s.username = username;
  Response r = Call("POST", "/api/v1/auth/login",
                    json::object{{"username", username}, {"password", password}});
  if (r.status != 200) {
    ADD_FAILURE() << "login of " << username << " answered " << r.status << ": " << r.body;
    return s;
  }
  const std::string prefix = std::string(http::kSessionCookie) + "=";
  for (const std::string& cookie : SetCookies(r)) {
    if (cookie.rfind(prefix, 0) == 0) {
      s.token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    }
  }
  json::object body = Obj(r);
  s.csrf = Str(body, "csrfToken");
  if (const json::value* user = body.if_contains("user"); user != nullptr && user->is_object()) {
    s.user = user->as_object();
  }
  if (s.token.empty() || s.csrf.empty()) {
    ADD_FAILURE() << "login of " << username << " gave no session cookie or CSRF token: " << r.body;
  }
  return s;
}

const Session& DemoEnv::As(const std::string& username) {
  auto it = sessions_.find(username);
  if (it == sessions_.end()) {
    it = sessions_
             .emplace(username,
                      Login(username, username == "admin" ? kAdminPassword : kDemoPassword))
             .first;
  }
  return it->second;
}

std::string DemoEnv::Scalar(const std::string& sql, const std::string& arg) {
  Result<std::string> v = store::Read(db_->db(), [&](store::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(store::Row row, tx.QueryOne(sql, {arg}, "test.not_found", "not found"));
    return row.Text(0);
  });
  if (!v.has_value()) {
    ADD_FAILURE() << sql << " [" << arg << "]: " << v.error().message;
    return "";
  }
  return *v;
}

std::string DemoEnv::UserId(const std::string& username) {
  return Scalar("SELECT id FROM identity_user WHERE username = ?", username);
}
std::string DemoEnv::DepartmentId(const std::string& code) {
  return Scalar("SELECT id FROM identity_department WHERE code = ?", code);
}
std::string DemoEnv::PersonId(const std::string& name) {
  return Scalar("SELECT id FROM identity_person WHERE name = ?", name);
}
std::string DemoEnv::EnterpriseId(const std::string& name) {
  return Scalar("SELECT id FROM identity_enterprise WHERE name = ?", name);
}
std::string DemoEnv::PersonIdNumber(const std::string& name) {
  return Scalar("SELECT id_number FROM identity_person WHERE name = ?", name);
}

std::string DemoEnv::Unique(std::string_view prefix) {
  static std::atomic<int> seq{0};
  return std::string(prefix) + std::to_string(++seq);
}

Snapshot Snap(DemoEnv& env) {
  static const char* const kTables[] = {"identity_department", "identity_user",
                                        "identity_user_role",  "identity_user_scope_department",
                                        "identity_person",     "identity_enterprise",
                                        "identity_session",    "calendar_override",
                                        "audit_entry",         "notify_outbox",
                                        "notify_inbox"};
  static const char* const kVersioned[] = {
      "identity_department", "identity_user", "identity_person", "identity_enterprise",
      "notify_inbox",        "appt_hall",     "appt_booking"};
  Snapshot s;
  for (const char* t : kTables) s[t] = env.db().Count(t);
  for (const char* t : {"catalog_item", "catalog_bundle"}) s[t] = env.db().Count(t);
  for (const char* t : {"case_file", "case_task", "case_material", "case_event", "blob"}) {
    s[t] = env.db().Count(t);
  }
  for (const char* t :
       {"appt_hall", "appt_booking", "appt_slot_count", "appt_day_count", "appt_booking_counter"}) {
    s[t] = env.db().Count(t);
  }
  for (const char* t : kVersioned) {
    Result<std::int64_t> sum =
        store::Read(env.db().db(), [&](store::Tx& tx) -> Result<std::int64_t> {
          ASSIGN_OR_RETURN(store::Rows rows,
                           tx.Query(std::string("SELECT COALESCE(SUM(version), 0) FROM ") + t));
          return rows.front().Int(0);
        });
    s[std::string(t) + ".version"] = sum.has_value() ? *sum : -1;
  }
  return s;
}

// --- fixture --------------------------------------------------------------------------------

namespace {
std::map<store::Backend, std::unique_ptr<DemoEnv>>& SharedEnvs() {
  static std::map<store::Backend, std::unique_ptr<DemoEnv>> envs;
  return envs;
}
}  // namespace

void RoutesTest::SetUp() {
  const store::Backend backend = GetParam();
  if (backend == store::Backend::kPostgres && testutil::PgNotConfigured()) {
    if (testutil::PgSkipAllowed()) GTEST_SKIP() << "ONESTOP_TEST_SKIP_PG=1";
    FAIL() << "ONESTOP_TEST_PG_URL is not set: PostgreSQL tests cannot run. Use "
              "scripts/with-throwaway-pg.sh or set ONESTOP_TEST_SKIP_PG=1 to skip them.";
  }
  std::unique_ptr<DemoEnv>& slot = SharedEnvs()[backend];
  if (slot == nullptr) slot = DemoEnv::Create(backend);
  ASSERT_NE(slot, nullptr);
  env_ = slot.get();
}

void RoutesTest::TearDownTestSuite() { SharedEnvs().clear(); }

std::string BackendName(const ::testing::TestParamInfo<store::Backend>& info) {
  return testutil::BackendParamName(info.param);
}

// --- JSON helpers ---------------------------------------------------------------------------

json::value Json(const Response& response) {
  boost::system::error_code ec;
  json::value v = json::parse(response.body, ec);
  if (ec) {
    ADD_FAILURE() << "body is not JSON (" << ec.message() << "): " << Abbrev(response.body);
    return nullptr;
  }
  return v;
}

json::object Obj(const Response& response) {
  json::value v = Json(response);
  if (!v.is_object()) {
    if (!v.is_null()) ADD_FAILURE() << "body is not an object: " << Abbrev(response.body);
    return {};
  }
  return std::move(v.as_object());
}

std::string Str(const json::value& v, std::string_view key) {
  if (!v.is_object()) return "";
  const json::value* f = v.as_object().if_contains(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::int64_t Int(const json::value& v, std::string_view key) {
  if (!v.is_object()) return -1;
  const json::value* f = v.as_object().if_contains(key);
  if (f == nullptr) return -1;
  if (f->is_int64()) return f->as_int64();
  if (f->is_uint64()) return static_cast<std::int64_t>(f->as_uint64());
  return -1;
}

json::array Items(const Response& response) {
  json::object o = Obj(response);
  const json::value* items = o.if_contains("items");
  if (items == nullptr || !items->is_array()) {
    ADD_FAILURE() << "no items array: " << Abbrev(response.body);
    return {};
  }
  return items->as_array();
}

std::vector<std::string> Column(const json::array& array, std::string_view key) {
  std::vector<std::string> out;
  for (const json::value& v : array) out.push_back(Str(v, key));
  return out;
}

const json::object* FindBy(const json::array& array, std::string_view key, std::string_view value) {
  for (const json::value& v : array) {
    if (v.is_object() && Str(v, key) == value) return &v.as_object();
  }
  return nullptr;
}

std::vector<std::string> SetCookies(const Response& response) {
  std::vector<std::string> out;
  for (const auto& [name, value] : response.headers) {
    if (strcasecmp(name.c_str(), "Set-Cookie") == 0) out.push_back(value);
  }
  return out;
}

// --- error checks ---------------------------------------------------------------------------

::testing::AssertionResult HasStatus(const Response& response, int status) {
  if (response.status == status) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected status " << status << ", got "
                                       << response.status << ": " << Abbrev(response.body);
}

::testing::AssertionResult ExpectError(const Response& response, int status, std::string_view code,
                                       std::string_view reason) {
  auto fail = [&]() {
    return ::testing::AssertionFailure()
           << "expected " << status << " " << code << " " << reason << "; got " << response.status
           << " " << Abbrev(response.body) << "\n  problem: ";
  };
  if (response.status != status) return fail() << "status";
  if (response.content_type.rfind("application/json", 0) != 0) {
    return fail() << "content type " << response.content_type;
  }
  if (response.Header("X-Request-Id").empty()) return fail() << "no X-Request-Id header";
  boost::system::error_code ec;
  json::value v = json::parse(response.body, ec);
  if (ec || !v.is_object()) return fail() << "body is not a JSON object";
  const json::object& top = v.as_object();
  if (top.size() != 1 || !top.contains("error") || !top.at("error").is_object()) {
    return fail() << "body must be exactly {\"error\":{…}}";
  }
  const json::object& e = top.at("error").as_object();
  static const std::set<std::string_view> kKeys = {"code", "reason", "message", "fields"};
  for (const auto& kv : e) {
    if (kKeys.count(kv.key()) == 0) return fail() << "unexpected key error." << kv.key();
  }
  for (std::string_view k : kKeys) {
    if (!e.contains(k)) return fail() << "missing error." << k;
  }
  if (!e.at("code").is_string() || e.at("code").as_string() != code) return fail() << "code";
  if (!e.at("reason").is_string() || e.at("reason").as_string() != reason) {
    return fail() << "reason";
  }
  if (!CodeFitsStatus(code, status)) return fail() << "code does not fit the status";
  if (!e.at("message").is_string() || !HasChinese(e.at("message").as_string())) {
    return fail() << "message must be non-empty Chinese";
  }
  if (!e.at("fields").is_array()) return fail() << "fields must be an array";
  for (const json::value& f : e.at("fields").as_array()) {
    if (!f.is_object() || f.as_object().size() != 2 || Str(f, "field").empty() ||
        !HasChinese(Str(f, "message"))) {
      return fail() << "each field error must be {field, message (Chinese)}: "
                    << json::serialize(f);
    }
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> FieldsOf(const Response& response) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(response.body, ec);
  if (ec || !v.is_object()) return out;
  const json::value* e = v.as_object().if_contains("error");
  if (e == nullptr || !e->is_object()) return out;
  const json::value* fields = e->as_object().if_contains("fields");
  if (fields == nullptr || !fields->is_array()) return out;
  for (const json::value& f : fields->as_array()) out.push_back(Str(f, "field"));
  return out;
}

// --- authorization tables -------------------------------------------------------------------

const std::vector<std::string>& DemoRoles() {
  static const std::vector<std::string> roles = {"admin",      "hr_admin", "clerk",   "reviewer",
                                                 "supervisor", "agent",    "citizen", "enterprise"};
  return roles;
}

std::string CodeForStatus(int status) {
  switch (status) {
    case 400:
    case 405:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 413:
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 500:
      return "INTERNAL";
    case 503:
      return "UNAVAILABLE";
    default:
      return "?";
  }
}

namespace {

void CheckOutcome(DemoEnv& env, const AuthzCase& c, const std::string& who, const Session* session,
                  const Outcome& want) {
  SCOPED_TRACE(c.method + " " + c.name + " as " + who);
  // Target and body first: making them may sign in or read (not part of the call under test).
  const std::string target = c.target(env);
  const json::value body = c.body ? c.body(env) : json::value(nullptr);
  const Snapshot before = Snap(env);
  Response r = env.Call(c.method, target, body, session);
  if (want.status == 200) {
    EXPECT_STATUS(r, 200) << " (" << c.method << " " << target << ")";
    if (r.status == 200 && c.check) c.check(env, who, r);
  } else {
    EXPECT_ERROR(r, want.status, CodeForStatus(want.status), want.reason)
        << " (" << c.method << " " << target << ")";
    EXPECT_EQ(Snap(env), before) << "a refused call changed the database";
  }
}

}  // namespace

void RunAuthz(DemoEnv& env, const AuthzCase& c) {
  for (const auto& [role, outcome] : c.outcomes) {
    EXPECT_NE(std::find(DemoRoles().begin(), DemoRoles().end(), role), DemoRoles().end())
        << c.name << ": unknown role " << role;
  }
  CheckOutcome(env, c, "anonymous", nullptr,
               c.is_public ? Allowed() : Outcome{401, "identity.unauthenticated"});
  for (const std::string& role : DemoRoles()) {
    auto it = c.outcomes.find(role);
    if (it == c.outcomes.end()) {
      ADD_FAILURE() << c.method << " " << c.name << ": the table has no outcome for " << role;
      continue;
    }
    CheckOutcome(env, c, role, &env.As(role), it->second);
  }
}

}  // namespace onestop::routes_test
