// In-process cost of whole requests through the real application (app::App: router, session
// guard, services, SQLite, access log) without sockets or Beast: the part of bench/http.sh's
// figures that is OneStop's own. One thread and no wrk, so it is much steadier than the HTTP
// benchmark on a shared machine. BM_Baseline_CopyRequest copies the request template, which
// every other benchmark does too; quote the others as multiples of it.
//   build/bench/request_bench 2>/dev/null     (stderr gets the access log, as from serve)
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/demo.h"
#include "app/logging.h"
#include "app/wiring.h"
#include "http/auth_middleware.h"
#include "http/message.h"

namespace onestop {
namespace {

app::App* g_app = nullptr;
std::string g_session;  // onestop_session cookie of the demo admin

http::Request Get(std::string target) {
  http::Request r;
  r.method = "GET";
  r.target = std::move(target);
  r.remote_addr = "127.0.0.1";
  r.headers.emplace("Host", "127.0.0.1:8080");
  r.headers.emplace("User-Agent", "request_bench");
  r.headers.emplace("Accept", "*/*");
  return r;
}

// What the server does per request above the socket: parse the target, then route.
void Serve(const http::Request& request_template, benchmark::State& state) {
  for (auto _ : state) {
    http::Request request = request_template;
    if (!http::ParseTarget(request).has_value()) state.SkipWithError("bad target");
    http::Response response = g_app->router.Handle(request);
    if (response.status != 200) state.SkipWithError("status is not 200");
    benchmark::DoNotOptimize(response);
  }
}

void BM_Baseline_CopyRequest(benchmark::State& state) {
  const http::Request request_template = Get("/api/v1/healthz");
  for (auto _ : state) {
    http::Request request = request_template;
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_Baseline_CopyRequest);

void BM_Healthz(benchmark::State& state) { Serve(Get("/api/v1/healthz"), state); }
BENCHMARK(BM_Healthz);

void BM_AuthMe(benchmark::State& state) {
  http::Request r = Get("/api/v1/auth/me");
  r.headers.emplace("Cookie", std::string(http::kSessionCookie) + "=" + g_session);
  Serve(r, state);
}
BENCHMARK(BM_AuthMe);

// The demo database in a temporary directory, and a session of the demo admin.
bool SetUp(const std::filesystem::path& dir) {
  app::Config config;
  config.db = "sqlite:" + (dir / "bench.db").string();
  Result<std::unique_ptr<app::App>> built =
      app::BuildApp(config, SystemClock::Instance(), identity::PasswordHasher::FastForTest());
  if (!built.has_value()) {
    std::cerr << "cannot build the app: " << built.error().message << "\n";
    return false;
  }
  static std::unique_ptr<app::App> owner = std::move(*built);
  g_app = owner.get();
  if (Result<bool> demo = app::LoadDemo(*g_app); !demo.has_value()) {
    std::cerr << "cannot load the demo: " << demo.error().message << "\n";
    return false;
  }
  Result<identity::SessionGrant> grant =
      g_app->identity.auth.LoginWithPassword("admin", "Admin@2026", {"127.0.0.1", "bench", ""});
  if (!grant.has_value()) {
    std::cerr << "cannot sign in: " << grant.error().message << "\n";
    return false;
  }
  g_session = grant->token;
  return true;
}

}  // namespace
}  // namespace onestop

int main(int argc, char** argv) {
  onestop::app::InitLogging();
  char pattern[] = "/tmp/onestop-request-bench.XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 1;
  const std::filesystem::path dir = pattern;
  int rc = 1;
  if (onestop::SetUp(dir)) {
    benchmark::Initialize(&argc, argv);
    onestop::app::BufferedLogging buffered;  // as while `onestop serve` runs
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    rc = 0;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return rc;
}
