#include "app/wiring.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/policy_wiring.h"
#include "licences/case_results.h"
#include "licences/identity_token.h"
#include "store/migrate.h"

namespace onestop::app {

const char* Version() { return "0.1.0"; }

namespace {
identity::SessionOptions SessionOptionsOf(const Config& c) {
  identity::SessionOptions o;
  o.absolute_ttl_ms = Millis{c.session_hours} * 3'600'000;
  o.idle_ttl_ms = Millis{c.idle_minutes} * 60'000;
  o.max_failed_logins = c.max_failed_logins;
  o.lockout_ms = Millis{c.lockout_minutes} * 60'000;
  return o;
}

// config.master_key for Apps built without BuildApp (route tests); Validate checked its form.
std::optional<seal::MasterKey> HexMasterKey(const Config& c) {
  if (c.master_key.empty()) return std::nullopt;
  Result<seal::MasterKey> key = seal::MasterKey::FromHex(c.master_key);
  if (!key.has_value()) return std::nullopt;
  return std::move(key).value();
}
}  // namespace

PolicyServices::PolicyServices(store::Db& db, const Clock& clock, const audit::AuditLog& audit)
    : policies(db, clock, audit),
      enterprises(db, clock, audit, policies.schema()),
      matches(policies, enterprises, clock),
      campaigns(db, clock, audit, policies, enterprises),
      loans(db, clock, audit, enterprises, policies.schema()),
      enterprise_imports(enterprises, &matches) {}

App::App(const Config& config, const Clock& c, std::unique_ptr<store::Db> database,
         identity::PasswordHasher h, std::optional<seal::MasterKey> master_key)
    : clock(c),
      db(std::move(database)),
      audit(c),
      hasher(std::move(h)),
      identity(*db, c, audit, hasher, SessionOptionsOf(config)),
      calendar(*db, c, audit),
      catalog(*db, c, audit),
      inbox(*db, c),
      blobs(*db, c, ResolveUploadsDir(config),
            static_cast<std::int64_t>(config.max_body_kb) * 1024),
      cases(*db, c, audit, calendar, catalog, identity),
      appointments(*db, c, audit, calendar, catalog, identity),
      archive(*db, c, audit, catalog, cases),
      seals(*db, c, audit, master_key ? master_key : HexMasterKey(config)),
      proofs(*db, c, audit, seals, proofs::ProofServiceOptions{PublicUrlOf(config)}),
      licences(*db, c, audit, seals),
      data_sheets(*db, c, audit, licences),
      licence_importer(*db, c, audit, licences),
      licence_imports(licence_importer),
      guard(identity.auth, http::CookieOptions{config.cookie_secure}) {
  context = std::make_unique<http::AppContext>(http::AppContext{
      *db, c, audit, identity, calendar, catalog, inbox, cases, blobs, guard, appointments, seals,
      proofs, licences, licence_imports, Version(), ResolveWebRoot(config)});
  context->archive = &archive;
  context->data_sheets = &data_sheets;
  // Identity tokens are signed with a key kept in the database under the master key, so every
  // node shares it; without a master key (or if it cannot be read) a per-process random key.
  Result<std::string> token_key =
      licences::LoadOrCreateTokenKey(*db, c, master_key ? master_key : HexMasterKey(config));
  if (!token_key.has_value()) {
    spdlog::warn("二维码签名密钥读取失败（{}），本进程改用临时密钥", token_key.error().message);
  }
  grants = std::make_unique<licences::GrantService>(
      *db, c, audit, token_key.has_value() ? *token_key : licences::RandomTokenKey(), &cases,
      &blobs);
  context->grants = grants.get();
  archive.SetGrants(grants.get());
  // 办结即发证: an approved item whose result is a licence issues it in the same transaction.
  cases.SetResultIssuer(licences::CaseResultIssuer(licences));
  policy = std::make_unique<PolicyServices>(*db, c, audit);
  context->policies = &policy->policies;
  context->enterprises = &policy->enterprises;
  context->matches = &policy->matches;
  context->campaigns = &policy->campaigns;
  context->loans = &policy->loans;
  context->enterprise_imports = &policy->enterprise_imports;
  router.SetMaxBodyBytes(config.max_body_kb * 1024);
  http::AddAllRoutes(router, *context);
}

App::~App() = default;

Result<std::unique_ptr<store::Db>> OpenDatabase(const Config& config) {
  store::OpenOptions options;
  options.pool_size = config.db_pool;
  return store::Open(config.db, options);
}

Result<std::unique_ptr<App>> BuildApp(const Config& config, const Clock& clock,
                                      std::optional<identity::PasswordHasher> hasher) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> db, OpenDatabase(config));
  ASSIGN_OR_RETURN(store::MigrationReport report, store::Migrate(*db, clock));
  for (const std::string& name : report.applied) spdlog::info("已执行数据库迁移 {}", name);
  ASSIGN_OR_RETURN(std::optional<seal::MasterKey> master_key, ResolveMasterKey(config));
  return std::make_unique<App>(
      config, clock, std::move(db),
      hasher ? std::move(*hasher) : identity::PasswordHasher::Interactive(), std::move(master_key));
}

Result<std::optional<seal::MasterKey>> ResolveMasterKey(const Config& config) {
  namespace fs = std::filesystem;
  if (!config.master_key_file.empty()) {
    ASSIGN_OR_RETURN(seal::MasterKey key, seal::MasterKey::FromFile(config.master_key_file));
    return std::optional<seal::MasterKey>(std::move(key));
  }
  if (!config.master_key.empty()) {
    ASSIGN_OR_RETURN(seal::MasterKey key, seal::MasterKey::FromHex(config.master_key));
    return std::optional<seal::MasterKey>(std::move(key));
  }
  if (!config.demo) {
    spdlog::warn("未配置印章主密钥（--master-key-file 或 ONESTOP_MASTER_KEY），电子印章无法签章");
    return std::optional<seal::MasterKey>();
  }
  fs::path dir = "data";
  if (config.db.starts_with("sqlite:")) {
    const fs::path file = config.db.substr(7);
    if (file.string() != ":memory:" && !file.empty() && file.has_parent_path())
      dir = file.parent_path();
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string path = (dir / "master.key").string();
  if (fs::exists(path, ec)) {
    spdlog::warn("正在使用演示主密钥 {}（仅供演示，生产环境请用 --master-key-file）", path);
    ASSIGN_OR_RETURN(seal::MasterKey key, seal::MasterKey::FromFile(path));
    return std::optional<seal::MasterKey>(std::move(key));
  }
  ASSIGN_OR_RETURN(seal::MasterKey key, seal::MasterKey::Generate(path));
  spdlog::warn("已生成演示主密钥 {}（权限 0600，仅供演示，生产环境请用 --master-key-file）", path);
  return std::optional<seal::MasterKey>(std::move(key));
}

std::string ResolveWebRoot(const Config& config) {
  namespace fs = std::filesystem;
  if (!config.web_root.empty()) return config.web_root;
  std::error_code ec;
  std::vector<fs::path> candidates = {fs::path("web/dist")};
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(self.parent_path() / "../../../web/dist");
  for (const fs::path& p : candidates) {
    if (fs::exists(p / "index.html", ec)) return fs::weakly_canonical(p, ec).string();
  }
  return "";
}

std::string ResolveUploadsDir(const Config& config) {
  namespace fs = std::filesystem;
  if (!config.uploads.empty()) return config.uploads;
  if (config.db.starts_with("sqlite:")) {
    const fs::path file = config.db.substr(7);
    if (file.string() != ":memory:" && !file.empty())
      return (file.parent_path() / "uploads").string();
  }
  return "data/uploads";
}

}  // namespace onestop::app
