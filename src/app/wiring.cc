#include "app/wiring.h"

#include <spdlog/spdlog.h>

#include <filesystem>

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
}  // namespace

App::App(const Config& config, const Clock& c, std::unique_ptr<store::Db> database,
         identity::PasswordHasher h)
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
      guard(identity.auth, http::CookieOptions{config.cookie_secure}) {
  context = std::make_unique<http::AppContext>(
      http::AppContext{*db, c, audit, identity, calendar, catalog, inbox, cases, blobs, guard,
                       appointments, Version(), ResolveWebRoot(config)});
  router.SetMaxBodyBytes(config.max_body_kb * 1024);
  http::AddAllRoutes(router, *context);
}

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
  return std::make_unique<App>(
      config, clock, std::move(db),
      hasher ? std::move(*hasher) : identity::PasswordHasher::Interactive());
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
