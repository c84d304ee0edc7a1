// Case throughput (办件吞吐) and the clock scan (红黄绿灯巡检), on SQLite and PostgreSQL.
//
//   build/bench/case_bench                                  SQLite only (PostgreSQL skipped)
//   scripts/with-throwaway-pg.sh build/bench/case_bench     SQLite and PostgreSQL
//   build/bench/case_bench --scan_tasks=100000              a smaller clock scan, for a quick look
//
// PostgreSQL runs when ONESTOP_TEST_PG_URL is set (as for the tests), each database in a fresh
// schema that is dropped at the end; SQLite in a temporary directory.
//
// 1. BM_Case_Birth{3,4}Items/<db>: the real CaseService path for the demo's 出生一件事 — Submit
//    (online, by the demo citizen, merged form and uploaded materials), Accept (综合窗口), then
//    Approve every step of every task as it is pushed, until the case is 办结. One iteration is one
//    case. Three items: 新生儿在市外出生 (预防接种证, 出生登记, 医保参保); four: the defaults
//    (plus 出生医学证明). The baseline, BM_Baseline_RawInsert/<db>, inserts one row of the shape
//    of case_event (9 columns, ~300 bytes, a unique index) per transaction into the same database
//    through the same store::Db, so with the same durability settings; it runs before and after
//    the cases. BM_Paired_Birth3ItemsAndRawInserts does one case and 50 raw inserts in every
//    iteration, timed apart, so both see the same moments of a shared machine: its ratio is the
//    headline. Statements and transactions per case come from a counting store::Db wrapper; the
//    breakdown by call and table is printed before the benchmarks.
// 2. BM_Lights_*: the pure clock computation (case_clock.h) for 1,000,000 in-memory task
//    records, against BM_Baseline_ReadClockRecords (the same loop that only reads them).
// 3. BM_ScanLights/<db>/page:N: cases::ScanLights over --scan_tasks (1,000,000) pending
//    case_task rows bulk-inserted with SQL (not through the service). Peak RSS is VmHWM of
//    /proc/self/status, reset (clear_refs 5) before the scan; growth is that peak minus VmRSS
//    before the scan (after malloc_trim). BM_Paired_ScanLightsAndBareScan runs, in every
//    iteration, the same page queries without the lights and then ScanLights, timed apart.
// The summary at the end prints every figure as a ratio to its baseline of the same run.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/demo.h"
#include "app/logging.h"
#include "app/wiring.h"
#include "cases/case_clock.h"
#include "cases/light_scan.h"
#include "core/id_number.h"
#include "core/ids.h"
#include "store/migrate.h"

namespace onestop {
namespace {

namespace fs = std::filesystem;
using identity::Principal;

// 2026-03-02 09:00 CST, a Monday: every case and scan runs on the published 2026 calendar.
const Millis kNowMs = Date{2026, 3, 2}.StartOfDayMs() + 9 * 3600 * 1000;

// --- a store::Db that counts what goes through it ------------------------------------------

struct StatementCounts {
  std::atomic<std::int64_t> begin_rw{0}, begin_ro{0}, query{0}, exec{0}, commit{0}, rollback{0};
  std::int64_t Statements() const { return query + exec; }
  std::int64_t Transactions() const { return begin_rw + begin_ro; }
};

// When set, every statement is also tallied under "<phase>|<VERB table>" (one case, at setup).
std::map<std::string, int>* g_tally = nullptr;
std::string g_phase;

// "SELECT case_file", "INSERT case_event", "UPDATE case_task": the verb and the first table.
std::string Classify(std::string_view sql) {
  auto word_after = [&](std::string_view key) -> std::string {
    std::size_t at = sql.find(key);
    if (at == std::string_view::npos) return "?";
    at += key.size();
    std::size_t end = sql.find_first_of(" (\n", at);
    return std::string(sql.substr(at, end == std::string_view::npos ? end : end - at));
  };
  if (sql.starts_with("INSERT")) return "INSERT " + word_after("INTO ");
  if (sql.starts_with("UPDATE")) return "UPDATE " + word_after("UPDATE ");
  if (sql.starts_with("DELETE")) return "DELETE " + word_after("FROM ");
  if (sql.starts_with("SELECT") || sql.starts_with("WITH")) return "SELECT " + word_after("FROM ");
  return std::string(sql.substr(0, sql.find(' ')));
}

void Tally(std::string_view what) {
  if (g_tally != nullptr) ++(*g_tally)[g_phase + "|" + std::string(what)];
}

class CountingTx final : public store::Tx {
 public:
  CountingTx(std::unique_ptr<store::Tx> inner, StatementCounts& counts)
      : inner_(std::move(inner)), counts_(counts) {}
  store::Backend backend() const override { return inner_->backend(); }
  Result<store::Rows> Query(std::string_view sql,
                            const std::vector<store::Value>& params) override {
    ++counts_.query;
    Tally(Classify(sql));
    return inner_->Query(sql, params);
  }
  Result<std::int64_t> Exec(std::string_view sql,
                            const std::vector<store::Value>& params) override {
    ++counts_.exec;
    Tally(Classify(sql));
    return inner_->Exec(sql, params);
  }
  Result<void> ExecScript(std::string_view sql) override { return inner_->ExecScript(sql); }
  Result<void> Commit() override {
    ++counts_.commit;
    return inner_->Commit();
  }
  Result<void> Rollback() override {
    ++counts_.rollback;
    return inner_->Rollback();
  }

 private:
  std::unique_ptr<store::Tx> inner_;
  StatementCounts& counts_;
};

class CountingDb final : public store::Db {
 public:
  explicit CountingDb(std::unique_ptr<store::Db> inner) : inner_(std::move(inner)) {}
  store::Backend backend() const override { return inner_->backend(); }
  Result<std::unique_ptr<store::Tx>> Begin(store::TxMode mode) override {
    ++(mode == store::TxMode::kReadWrite ? counts_.begin_rw : counts_.begin_ro);
    Tally(mode == store::TxMode::kReadWrite ? "BEGIN read-write" : "BEGIN read-only");
    ASSIGN_OR_RETURN(std::unique_ptr<store::Tx> tx, inner_->Begin(mode));
    return std::unique_ptr<store::Tx>(std::make_unique<CountingTx>(std::move(tx), counts_));
  }
  std::string Describe() const override { return inner_->Describe(); }
  StatementCounts& counts() { return counts_; }

 private:
  std::unique_ptr<store::Db> inner_;
  StatementCounts counts_;
};

// --- databases -------------------------------------------------------------------------------

const char* PgUrl() {
  const char* v = std::getenv("ONESTOP_TEST_PG_URL");
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

fs::path g_tmp;                         // SQLite files and uploads
std::vector<std::string> g_pg_schemas;  // dropped at exit

bool Check(const Error& e, const std::string& what) {
  std::cerr << "case_bench: " << what << ": " << e.reason << " " << e.message << "\n";
  return false;
}

// A URL for an empty database called `name`: a SQLite file, or a fresh PostgreSQL schema.
Result<std::string> FreshDatabase(store::Backend backend, const std::string& name) {
  if (backend == store::Backend::kSqlite) return "sqlite:" + (g_tmp / (name + ".db")).string();
  const std::string schema = "bench_" + name + "_" + std::to_string(::getpid());
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> admin, store::Open(PgUrl(), {.pool_size = 1}));
  RETURN_IF_ERROR(store::Transact(*admin, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(tx.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    RETURN_IF_ERROR(tx.Exec("CREATE SCHEMA " + schema));
    return Ok();
  }));
  g_pg_schemas.push_back(schema);
  std::string url = PgUrl();
  url += (url.find('?') == std::string::npos ? "?" : "&");
  return url + "options=-csearch_path%3D" + schema;
}

void DropSchemas() {
  if (g_pg_schemas.empty()) return;
  Result<std::unique_ptr<store::Db>> admin = store::Open(PgUrl(), {.pool_size = 1});
  if (!admin.has_value()) return;
  for (const std::string& schema : g_pg_schemas) {
    (void)store::Transact(**admin, [&](store::Tx& tx) -> Result<void> {
      RETURN_IF_ERROR(tx.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
      return Ok();
    });
  }
}

// Resident set size and its high-water mark (/proc/self/status), in KiB.
std::int64_t StatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(key)) return std::atoll(line.c_str() + std::string_view(key).size());
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux ≥ 4.0).
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// --- 1. case throughput ----------------------------------------------------------------------

struct CaseEnv {
  FakeClock clock{kNowMs};
  std::unique_ptr<app::App> app;
  CountingDb* db = nullptr;  // owned by app
  Principal citizen, clerk;
  std::map<std::string, Principal> reviewer_of;                   // department id → reviewer
  std::map<std::string, std::vector<std::string>> result_fields;  // item code → fields
  std::map<int, cases::Submission> submission;                    // by item count
  std::int64_t insert_seq = 0;
  std::string insert_case = NewUlid(kNowMs);
};

std::map<store::Backend, std::unique_ptr<CaseEnv>> g_case_envs;

Result<Principal> PrincipalOf(app::App& app, const std::string& username) {
  return store::Read(*app.db, [&](store::Tx& tx) -> Result<Principal> {
    ASSIGN_OR_RETURN(store::Row row, tx.QueryOne("SELECT id FROM identity_user WHERE username = ?",
                                                 {username}, "bench.no_user", "no such user"));
    return identity::AuthService::LoadPrincipal(tx, row.Text(0));
  });
}

// A value of the right shape for a field of the merged form.
std::string ValueFor(const catalog::FormField& f) {
  using catalog::FieldType;
  switch (f.type) {
    case FieldType::kIdNumber: {
      const std::string first17 = f.key.starts_with("father")  ? "43010419880101123"
                                  : f.key.starts_with("child") ? "43010420260201002"
                                                               : "43010419900307124";
      return first17 + IdNumberCheckChar(first17);
    }
    case FieldType::kDate:
      return "2026-02-01";
    case FieldType::kPhone:
      return "13807310001";
    case FieldType::kRegion:
      return "430104";
    case FieldType::kSelect:
      return f.options.empty() ? "" : f.options.front();
    case FieldType::kBoolean:
      return "true";
    case FieldType::kNumber:
      if (f.key.find("Year") != std::string::npos) return "2026";
      return f.min ? std::to_string(static_cast<long long>(*f.min)) : "1";
    case FieldType::kUscc:
    case FieldType::kText:
      break;
  }
  if (f.key == "mother.name") return "李梅";
  if (f.key == "father.name") return "王建华";
  if (f.key == "child.name") return "王小宝";
  if (f.key.find("address") != std::string::npos || f.key.find("Address") != std::string::npos)
    return "长沙市岳麓区麓山南路 1 号";
  if (f.key.find("Hospital") != std::string::npos) return "湖南省妇幼保健院";
  return "测试";
}

// The submission of the 出生一件事 for `answers`: every asked field, every material uploaded.
Result<cases::Submission> BirthSubmission(CaseEnv& env, const catalog::Answers& answers) {
  ASSIGN_OR_RETURN(catalog::PlannedBundle planned, env.app->catalog.PlanOf("birth", answers));
  cases::Submission s;
  s.kind = "bundle";
  s.catalog_code = "birth";
  s.answers = answers;
  s.channel = cases::Channel::kOnline;
  for (const catalog::MergedField& f : planned.plan.fields) {
    if (!f.filled_by_prerequisite) s.form[f.field.key] = ValueFor(f.field);
  }
  for (const catalog::MergedMaterial& m : planned.plan.materials) {
    ASSIGN_OR_RETURN(cases::BlobInfo blob,
                     env.app->blobs.Put(env.citizen, "%PDF-1.7\n" + m.material.key + "\n" +
                                                         std::string(20000, 'x')));
    s.materials.push_back({m.material.key, blob.sha256, m.material.name + ".pdf"});
  }
  for (const catalog::Item& item : planned.items) env.result_fields[item.code] = item.result.fields;
  return s;
}

// One case from submission to 办结. Returns the case's final state.
Result<cases::Case> RunCase(CaseEnv& env, const cases::Submission& s) {
  g_phase = "Submit";
  ASSIGN_OR_RETURN(cases::Case c, env.app->cases.Submit(env.citizen, s));
  g_phase = "Accept";
  ASSIGN_OR_RETURN(c, env.app->cases.Accept(env.clerk, c.id, {}));
  g_phase = "Approve";
  while (c.status == cases::CaseStatus::kInProgress) {
    const cases::Task* pending = nullptr;
    for (const cases::Task& t : c.tasks) {
      if (t.status == cases::TaskStatus::kPending) {
        pending = &t;
        break;
      }
    }
    if (pending == nullptr) return Internal("bench.stuck", "no pending task in progress");
    auto reviewer = env.reviewer_of.find(pending->department_id);
    if (reviewer == env.reviewer_of.end()) {
      return Internal("bench.no_reviewer", "no reviewer for " + pending->department_name);
    }
    cases::FormValues result;
    if (pending->step_index + 1 >= pending->step_count) {
      for (const std::string& f : env.result_fields[pending->item_code]) result[f] = "R-" + f;
    }
    ASSIGN_OR_RETURN(c, env.app->cases.Approve(reviewer->second, pending->id, "同意", result));
  }
  g_phase.clear();
  return c;
}

Result<std::unique_ptr<CaseEnv>> MakeCaseEnv(store::Backend backend) {
  auto env = std::make_unique<CaseEnv>();
  const std::string name = std::string("cases_") + store::BackendName(backend);
  app::Config config;
  ASSIGN_OR_RETURN(config.db, FreshDatabase(backend, name));
  config.uploads = (g_tmp / (name + "-uploads")).string();
  ASSIGN_OR_RETURN(std::unique_ptr<store::Db> raw, app::OpenDatabase(config));
  ASSIGN_OR_RETURN([[maybe_unused]] store::MigrationReport migrated,
                   store::Migrate(*raw, env->clock));
  auto counting = std::make_unique<CountingDb>(std::move(raw));
  env->db = counting.get();
  env->app = std::make_unique<app::App>(config, env->clock, std::move(counting),
                                        identity::PasswordHasher::FastForTest());
  // Departments, staff with their roles, citizens, the catalogue with its bundles: the demo.
  ASSIGN_OR_RETURN([[maybe_unused]] bool loaded, app::LoadDemo(*env->app));
  ASSIGN_OR_RETURN(env->citizen, PrincipalOf(*env->app, "citizen"));
  ASSIGN_OR_RETURN(env->clerk, PrincipalOf(*env->app, "clerk"));
  for (const char* username : {"wjw_reviewer", "gaj_reviewer", "ybj_reviewer"}) {
    ASSIGN_OR_RETURN(Principal p, PrincipalOf(*env->app, username));
    env->reviewer_of[p.department_id.value_or("")] = p;
  }
  ASSIGN_OR_RETURN(env->submission[3], BirthSubmission(*env, {{"birthplace", "elsewhere"},
                                                              {"parents_married", "yes"},
                                                              {"social_card", "no"}}));
  ASSIGN_OR_RETURN(env->submission[4], BirthSubmission(*env, {{"birthplace", "local"},
                                                              {"parents_married", "yes"},
                                                              {"social_card", "no"}}));
  // The baseline's table: the shape of case_event, the row a case writes most often.
  RETURN_IF_ERROR(store::Transact(*env->app->db, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(
        tx.Exec("CREATE TABLE bench_insert (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
                "seq INTEGER NOT NULL, task_id TEXT, at_ms BIGINT NOT NULL, actor_id TEXT NOT "
                "NULL, actor_name TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL)"));
    RETURN_IF_ERROR(
        tx.Exec("CREATE UNIQUE INDEX bench_insert_case ON bench_insert (case_id, seq)"));
    return Ok();
  }));
  return env;
}

CaseEnv* CaseEnvFor(store::Backend backend) {
  auto it = g_case_envs.find(backend);
  if (it != g_case_envs.end()) return it->second.get();
  Result<std::unique_ptr<CaseEnv>> env = MakeCaseEnv(backend);
  if (!env.has_value()) {
    Check(env.error(), std::string("setting up the case database on ") + BackendName(backend));
    g_case_envs[backend] = nullptr;
    return nullptr;
  }
  return (g_case_envs[backend] = std::move(*env)).get();
}

// What one case costs in statements, by call and table (one instrumented case, not timed).
void PrintBreakdown(store::Backend backend, int items) {
  CaseEnv* env = CaseEnvFor(backend);
  if (env == nullptr) return;
  std::map<std::string, int> tally;
  g_tally = &tally;
  Result<cases::Case> c = RunCase(*env, env->submission[items]);
  g_tally = nullptr;
  if (!c.has_value()) {
    Check(c.error(), "breakdown case");
    return;
  }
  std::map<std::string, std::map<std::string, int>> by_phase;  // phase → what → n
  std::map<std::string, int> phase_total;
  for (const auto& [key, n] : tally) {
    const std::size_t bar = key.find('|');
    by_phase[key.substr(0, bar)][key.substr(bar + 1)] += n;
    if (!key.substr(bar + 1).starts_with("BEGIN")) phase_total[key.substr(0, bar)] += n;
  }
  std::printf("\n# one %d-item 出生一件事 case on %s: statements by call (BEGIN = transactions)\n",
              items, BackendName(backend));
  int all = 0;
  for (const auto& [phase, whats] : by_phase) {
    std::printf("%-8s %3d statements:", phase.c_str(), phase_total[phase]);
    all += phase_total[phase];
    for (const auto& [what, n] : whats) std::printf("  %s ×%d", what.c_str(), n);
    std::printf("\n");
  }
  std::printf("total    %3d statements\n\n", all);
}

// Wall-clock and CPU time (this process) spent in the calls timed into it.
struct Split {
  double wall = 0, cpu = 0;

  template <typename F>
  auto Time(F&& f) {
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = ProcessCpuSeconds();
    auto r = f();
    cpu += ProcessCpuSeconds() - cpu0;
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return r;
  }
  static double ProcessCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
};

// The baseline row: one INSERT of the shape of case_event in its own transaction.
Result<std::int64_t> RawInsert(CaseEnv& env) {
  static const std::string message =
      "《出生登记（新生儿落户）》前置事项已办结，已自动推送至长沙市公安局（审查）";
  return store::Transact(*env.app->db, [&](store::Tx& tx) {
    return tx.Exec(
        "INSERT INTO bench_insert (id, case_id, seq, task_id, at_ms, actor_id, actor_name, "
        "kind, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {NewUlid(kNowMs), env.insert_case, ++env.insert_seq, NewUlid(kNowMs), kNowMs,
         env.clerk.user_id, std::string("刘晓燕"), std::string("task_started"), message});
  });
}

void BM_Baseline_RawInsert(benchmark::State& state, store::Backend backend) {
  CaseEnv* env = CaseEnvFor(backend);
  if (env == nullptr) return state.SkipWithError("no database");
  for (auto _ : state) {
    Result<std::int64_t> r = RawInsert(*env);
    if (!r.has_value()) return state.SkipWithError(r.error().message.c_str());
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Case(benchmark::State& state, store::Backend backend, int items) {
  CaseEnv* env = CaseEnvFor(backend);
  if (env == nullptr) return state.SkipWithError("no database");
  const cases::Submission& s = env->submission[items];
  StatementCounts& counts = env->db->counts();
  const std::int64_t statements = counts.Statements(), transactions = counts.Transactions();
  for (auto _ : state) {
    Result<cases::Case> c = RunCase(*env, s);
    if (!c.has_value()) return state.SkipWithError(c.error().message.c_str());
    if (c->status != cases::CaseStatus::kCompleted) return state.SkipWithError("not completed");
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["cases/s"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  state.counters["stmts/case"] = static_cast<double>(counts.Statements() - statements) / n;
  state.counters["tx/case"] = static_cast<double>(counts.Transactions() - transactions) / n;
}

// One case, then kPairedInserts raw inserts, timed apart, in every iteration: both see the same
// moments of a shared machine, so their ratio holds still when the machine's speed does not.
constexpr int kPairedInserts = 50;

void BM_Paired_Birth3ItemsAndRawInserts(benchmark::State& state, store::Backend backend) {
  CaseEnv* env = CaseEnvFor(backend);
  if (env == nullptr) return state.SkipWithError("no database");
  const cases::Submission& s = env->submission[3];
  Split cases, inserts;
  for (auto _ : state) {
    Result<cases::Case> c = cases.Time([&] { return RunCase(*env, s); });
    if (!c.has_value()) return state.SkipWithError(c.error().message.c_str());
    Result<std::int64_t> r = inserts.Time([&]() -> Result<std::int64_t> {
      for (int i = 0; i < kPairedInserts; ++i) RETURN_IF_ERROR(RawInsert(*env));
      return kPairedInserts;
    });
    if (!r.has_value()) return state.SkipWithError(r.error().message.c_str());
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["case_ms"] = cases.wall / n * 1e3;
  state.counters["insert_us"] = inserts.wall / (n * kPairedInserts) * 1e6;
  state.counters["ratio"] = (inserts.wall / kPairedInserts) / cases.wall;
  state.counters["cpu_case_ms"] = cases.cpu / n * 1e3;
  state.counters["cpu_insert_us"] = inserts.cpu / (n * kPairedInserts) * 1e6;
  state.counters["cpu_ratio"] = (inserts.cpu / kPairedInserts) / cases.cpu;
}

// --- 2. the clock computation in memory --------------------------------------------------

// What recomputing a task's light needs: when it started, its limit, and a finished
// suspension (补正) if it had one.
struct ClockRecord {
  Millis started_at_ms = 0;
  catalog::TimeLimit limit;
  Millis suspended_from_ms = 0;  // 0 = never suspended
  Millis suspended_to_ms = 0;
};

constexpr int kClockRecords = 1'000'000;

// Deterministic: tasks started over the 40 days before now, limits as in the demo catalogue
// (0–20 working days, one in ten in natural days), one in twenty suspended for a while. Made
// per call (outside the timed loop) and freed after, so they do not count in the scan's RSS.
std::vector<ClockRecord> ClockRecords() {
  std::mt19937_64 rng(20260302);
  const int limits[] = {0, 1, 1, 2, 3, 5, 5, 10, 15, 20};
  std::vector<ClockRecord> out(kClockRecords);
  for (ClockRecord& r : out) {
    r.started_at_ms = kNowMs - static_cast<Millis>(rng() % (40LL * 86'400'000));
    r.limit.value = limits[rng() % 10];
    r.limit.unit =
        rng() % 10 == 0 ? catalog::LimitUnit::kNaturalDays : catalog::LimitUnit::kWorkingDays;
    if (rng() % 20 == 0) {
      r.suspended_from_ms = r.started_at_ms + static_cast<Millis>(rng() % (5LL * 86'400'000));
      r.suspended_to_ms = r.suspended_from_ms + static_cast<Millis>(rng() % (10LL * 86'400'000));
    }
  }
  return out;
}

int PausedDaysOf(const WorkingCalendar& cal, const ClockRecord& r) {
  if (r.suspended_from_ms == 0) return 0;
  return cases::PausedDays(cal, r.limit.unit, r.suspended_from_ms, r.suspended_to_ms);
}

// The deadlines of ClockRecords() as case_task stores them ("YYYY-MM-DD").
std::vector<std::string> StoredDeadlines() {
  const WorkingCalendar& cal = WorkingCalendar::Builtin();
  std::vector<std::string> out;
  out.reserve(kClockRecords);
  for (const ClockRecord& r : ClockRecords()) {
    out.push_back(cases::ComputeDeadline(cal, r.started_at_ms, r.limit, PausedDaysOf(cal, r))
                      .date.ToString());
  }
  return out;
}

void PerTask(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kClockRecords);
  state.counters["per_task"] = benchmark::Counter(
      kClockRecords, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Baseline_ReadClockRecords(benchmark::State& state) {
  const std::vector<ClockRecord> records = ClockRecords();
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const ClockRecord& r : records) {
      sum += r.started_at_ms + r.limit.value + static_cast<int>(r.limit.unit) +
             r.suspended_from_ms + r.suspended_to_ms;
    }
    benchmark::DoNotOptimize(sum);
  }
  PerTask(state);
}
BENCHMARK(BM_Baseline_ReadClockRecords)->Unit(benchmark::kMillisecond);

// PausedDays (when suspended) + ComputeDeadline + LightOf: a light from scratch.
void BM_Lights_Recompute(benchmark::State& state) {
  const std::vector<ClockRecord> records = ClockRecords();
  const WorkingCalendar& cal = WorkingCalendar::Builtin();
  std::int64_t lit[3] = {0, 0, 0};
  for (auto _ : state) {
    for (const ClockRecord& r : records) {
      const cases::Deadline d =
          cases::ComputeDeadline(cal, r.started_at_ms, r.limit, PausedDaysOf(cal, r));
      ++lit[static_cast<int>(cases::LightOf(cal, d, kNowMs))];
    }
    benchmark::DoNotOptimize(lit);
  }
  PerTask(state);
  const double n = static_cast<double>(state.iterations());
  state.counters["red"] = static_cast<double>(lit[2]) / n;
  state.counters["yellow"] = static_cast<double>(lit[1]) / n;
}
BENCHMARK(BM_Lights_Recompute)->Unit(benchmark::kMillisecond);

// What ScanLights does per row: parse the stored deadline, then LightOf.
void BM_Lights_FromStoredDeadline(benchmark::State& state) {
  const std::vector<std::string> deadlines = StoredDeadlines();
  const WorkingCalendar& cal = WorkingCalendar::Builtin();
  std::int64_t lit[3] = {0, 0, 0};
  for (auto _ : state) {
    for (const std::string& text : deadlines) {
      Result<Date> date = Date::Parse(text);
      if (!date.has_value()) continue;
      ++lit[static_cast<int>(cases::LightOf(cal, cases::Deadline{*date, false}, kNowMs))];
    }
    benchmark::DoNotOptimize(lit);
  }
  PerTask(state);
}
BENCHMARK(BM_Lights_FromStoredDeadline)->Unit(benchmark::kMillisecond);

// --- 3. the clock scan on the database ------------------------------------------------------

int g_scan_tasks = 1'000'000;

struct ScanEnv {
  FakeClock clock{kNowMs};
  std::unique_ptr<store::Db> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<calendar::CalendarService> calendar;
};

std::map<store::Backend, std::unique_ptr<ScanEnv>> g_scan_envs;

// Column values as CaseService writes them for a task of the 出生一件事 (出生登记 at 审查).
constexpr const char* kStepsJson =
    "[{\"name\":\"受理\",\"role\":\"counter_clerk\",\"departmentId\":"
    "\"01KB2Z3J4K5M6N7P8Q9R0S1T2V\","
    "\"departmentName\":\"长沙市公安局\"},{\"name\":\"审查\",\"role\":\"reviewer\","
    "\"departmentId\":"
    "\"01KB2Z3J4K5M6N7P8Q9R0S1T2V\",\"departmentName\":\"长沙市公安局\"},{\"name\":\"决定\","
    "\"role\":"
    "\"reviewer\",\"departmentId\":\"01KB2Z3J4K5M6N7P8Q9R0S1T2V\",\"departmentName\":"
    "\"长沙市公安局\"}]";
constexpr const char* kFormJson =
    "{\"applicant.phone\":\"13807310001\",\"child.birthDate\":\"2026-02-01\",\"child.birthPlace\":"
    "\"430104\",\"child.ethnicity\":\"汉族\",\"child.gender\":\"男\",\"child.name\":\"王小宝\","
    "\"father.idNumber\":\"430104198801011235\",\"father.name\":\"王建华\",\"hukou.address\":"
    "\"长沙市岳麓区麓山南路 1 号\",\"hukou.relationToHead\":\"子\",\"hukou.with\":\"随父\","
    "\"insurance.paymentYear\":\"2026\",\"mother.idNumber\":\"430104199003071240\",\"mother.name\":"
    "\"李梅\",\"residence.address\":\"长沙市岳麓区麓山南路 1 号\"}";

// `n` pending tasks, four per case (as many open at once as a large bundle has), spread over
// 40 departments, with deadlines from 30 days before now to 30 days after; one case in fifty
// is in 补正. Multi-row INSERTs of 250 rows, 10,000 rows per transaction.
Result<void> BulkInsertTasks(store::Db& db, int n) {
  std::mt19937_64 rng(42);
  std::vector<std::string> departments;
  for (int i = 0; i < 40; ++i) departments.push_back(NewUlid(kNowMs - 400LL * 86'400'000));
  const Date today = Date::FromMillisCst(kNowMs);
  constexpr int kPerCase = 4, kRowsPerStatement = 250, kRowsPerTx = 10'000;
  const int cases = (n + kPerCase - 1) / kPerCase;
  std::vector<std::string> case_ids;
  case_ids.reserve(static_cast<std::size_t>(cases));
  for (int i = 0; i < cases; ++i) {
    case_ids.push_back(NewUlid(kNowMs - static_cast<Millis>(rng() % (60LL * 86'400'000))));
  }
  // Rows arrive in id (= time) order in production, so the table is laid out that way.
  std::sort(case_ids.begin(), case_ids.end());
  auto statement = [](const std::string& head, const std::string& row, int rows) {
    std::string sql = head;
    for (int i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + row;
    return sql;
  };
  const std::string case_head =
      "INSERT INTO case_file (id, receipt_no, kind, catalog_code, catalog_version, title, "
      "applicant_party_id, applicant_kind, applicant_name, applicant_number_masked, "
      "applicant_user_id, channel, agent_authorisation, answers_json, form_json, status, "
      "accept_mode, pledge, intake_department_id, submitted_at_ms, accepted_at_ms, deadline, "
      "limit_value, limit_unit, suspended_since_ms, correction_json, outcome_reason, "
      "delivery_method, delivery_address, tracking_no, created_by, created_at_ms, version, "
      "applicant_phone) VALUES ";
  const std::string case_row =
      std::string(
          "(?, ?, 'bundle', 'birth', 1, '出生一件事', '01KB2Z0000PARTY00000000000', "
          "'person', '李梅', '430104********1240', '01KB2Z0000USER000000000000', "
          "'online', '', '{\"birthplace\":\"local\",\"parents_married\":\"yes\","
          "\"social_card\":\"no\"}', '") +
      kFormJson +
      "', ?, 'normal', '', '01KB2Z0000DEPT000000000000', ?, ?, ?, 1, 'working_days', "
      "NULLIF(?, 0), '[]', '', 'electronic', '', '', '01KB2Z0000USER000000000000', ?, 2, "
      "'13807310001')";
  const std::string task_head =
      "INSERT INTO case_task (id, case_id, seq, item_code, item_version, item_name, kind, "
      "department_id, steps_json, result_fields_json, mappings_json, commitment_allowed, status, "
      "step_index, prerequisites_json, blocking, started_at_ms, finished_at_ms, limit_value, "
      "limit_unit, paused_days, deadline, deadline_provisional, reason, mapped_json, "
      "result_json, version) VALUES ";
  const std::string task_row =
      std::string(
          "(?, ?, ?, '11430100MB1A01039K3430703101000', 1, '出生登记（新生儿落户）', "
          "'item', ?, '") +
      kStepsJson +
      "', '[\"citizenIdNumber\",\"childName\"]', '[{\"fromTask\":\"01KB2Z0000TASK000000000000\","
      "\"fromField\":\"certNo\",\"toField\":\"child.birthCertNo\"}]', 0, 'pending', 1, "
      "'[\"01KB2Z0000TASK000000000000\"]', 1, ?, NULL, 1, 'working_days', 0, ?, 0, '', "
      "'{\"child.birthCertNo\":\"R430012345\"}', '{}', 2)";

  auto deadline_text = [&]() {
    return today.AddDays(static_cast<int>(rng() % 61) - 30).ToString();
  };
  // Cases.
  for (int start = 0; start < cases; start += kRowsPerTx) {
    const int end = std::min(cases, start + kRowsPerTx);
    RETURN_IF_ERROR(store::Transact(db, [&](store::Tx& tx) -> Result<void> {
      for (int i = start; i < end; i += kRowsPerStatement) {
        const int rows = std::min(kRowsPerStatement, end - i);
        std::vector<store::Value> p;
        p.reserve(static_cast<std::size_t>(rows) * 8);
        for (int k = i; k < i + rows; ++k) {
          const bool suspended = rng() % 50 == 0;
          const Millis created = UlidTimeMs(case_ids[static_cast<std::size_t>(k)]);
          p.emplace_back(case_ids[static_cast<std::size_t>(k)]);
          p.emplace_back("SL" + std::to_string(20260000000000LL + k));
          p.emplace_back(std::string(suspended ? "correction" : "in_progress"));
          p.emplace_back(created);
          p.emplace_back(created + 3'600'000);
          p.emplace_back(deadline_text());
          // NULLIF(?, 0): the parameter is always an integer, so PostgreSQL prepares the statement
          // once (a NULL in some rows and not others would give every statement its own types).
          p.emplace_back(suspended ? kNowMs - 86'400'000 : Millis{0});
          p.emplace_back(created);
        }
        RETURN_IF_ERROR(tx.Exec(statement(case_head, case_row, rows), p));
      }
      return Ok();
    }));
  }
  // Tasks.
  for (int start = 0; start < n; start += kRowsPerTx) {
    const int end = std::min(n, start + kRowsPerTx);
    RETURN_IF_ERROR(store::Transact(db, [&](store::Tx& tx) -> Result<void> {
      for (int i = start; i < end; i += kRowsPerStatement) {
        const int rows = std::min(kRowsPerStatement, end - i);
        std::vector<store::Value> p;
        p.reserve(static_cast<std::size_t>(rows) * 6);
        for (int k = i; k < i + rows; ++k) {
          const std::string& case_id = case_ids[static_cast<std::size_t>(k / kPerCase)];
          const Millis started = UlidTimeMs(case_id) + 3'600'000;
          p.emplace_back(NewUlid(started));
          p.emplace_back(case_id);
          p.emplace_back(std::int64_t{k % kPerCase + 1});
          p.emplace_back(departments[rng() % departments.size()]);
          p.emplace_back(started);
          p.emplace_back(deadline_text());
        }
        RETURN_IF_ERROR(tx.Exec(statement(task_head, task_row, rows), p));
      }
      return Ok();
    }));
  }
  // As autovacuum / a DBA would after a load this size.
  return store::Transact(db, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(tx.Exec("ANALYZE"));
    return Ok();
  });
}

Result<std::unique_ptr<ScanEnv>> MakeScanEnv(store::Backend backend) {
  auto env = std::make_unique<ScanEnv>();
  ASSIGN_OR_RETURN(std::string url,
                   FreshDatabase(backend, std::string("scan_") + store::BackendName(backend)));
  ASSIGN_OR_RETURN(env->db, store::Open(url, {}));
  ASSIGN_OR_RETURN([[maybe_unused]] store::MigrationReport migrated,
                   store::Migrate(*env->db, env->clock));
  const auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(BulkInsertTasks(*env->db, g_scan_tasks));
  std::printf("# %s: %d pending tasks bulk-inserted in %.1f s\n", BackendName(backend),
              g_scan_tasks,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  env->audit = std::make_unique<audit::AuditLog>(env->clock);
  env->calendar = std::make_unique<calendar::CalendarService>(*env->db, env->clock, *env->audit);
  return env;
}

ScanEnv* ScanEnvFor(store::Backend backend) {
  auto it = g_scan_envs.find(backend);
  if (it != g_scan_envs.end()) return it->second.get();
  Result<std::unique_ptr<ScanEnv>> env = MakeScanEnv(backend);
  if (!env.has_value()) {
    Check(env.error(), std::string("setting up the scan database on ") + BackendName(backend));
    g_scan_envs[backend] = nullptr;
    return nullptr;
  }
  return (g_scan_envs[backend] = std::move(*env)).get();
}

// Runs `scan` (which returns the rows it read) under the memory probe.
template <typename F>
void MeasureScan(benchmark::State& state, F&& scan) {
  malloc_trim(0);  // freed heap pages back to the kernel, so RSS is what is live now
  ResetPeakRss();
  const std::int64_t rss_before = StatusKb("VmRSS:");
  std::int64_t rows = 0;
  for (auto _ : state) {
    Result<std::int64_t> r = scan();
    if (!r.has_value()) return state.SkipWithError(r.error().message.c_str());
    rows = *r;
  }
  if (rows != g_scan_tasks) return state.SkipWithError("scan missed rows");
  const std::int64_t peak = StatusKb("VmHWM:");
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["peak_rss_MiB"] = static_cast<double>(peak) / 1024.0;
  state.counters["growth_MiB"] = static_cast<double>(peak - rss_before) / 1024.0;
  state.counters["rss_before_MiB"] = static_cast<double>(rss_before) / 1024.0;
}

Result<cases::LightCounts> LightsScan(ScanEnv& env, int page) {
  return cases::ScanLights(*env.db, *env.calendar, env.clock, Principal::System(),
                           {.page_size = page, .yellow_days = 1});
}

// The same page queries as ScanLights, rows read and dropped: what the database and the store
// cost without the lights.
Result<std::int64_t> BareScan(ScanEnv& env, std::int64_t page) {
  std::int64_t n = 0;
  std::string after;
  for (;;) {
    ASSIGN_OR_RETURN(store::Rows rows, store::Read(*env.db, [&](store::Tx& tx) {
                       return tx.Query(
                           "SELECT t.id, t.deadline, t.deadline_provisional, "
                           "c.suspended_since_ms FROM case_task t JOIN case_file c ON c.id = "
                           "t.case_id WHERE t.status = 'pending' AND t.id > ? ORDER BY t.id "
                           "LIMIT ?",
                           {after, page});
                     }));
    n += static_cast<std::int64_t>(rows.size());
    benchmark::DoNotOptimize(rows);
    if (static_cast<std::int64_t>(rows.size()) < page) break;
    after = rows[rows.size() - 1].Text(0);
  }
  return n;
}

void BM_ScanLights(benchmark::State& state, store::Backend backend) {
  ScanEnv* env = ScanEnvFor(backend);
  if (env == nullptr) return state.SkipWithError("no database");
  const int page = static_cast<int>(state.range(0));
  MeasureScan(state, [&]() -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(cases::LightCounts c, LightsScan(*env, page));
    state.counters["red"] = static_cast<double>(c.red);
    state.counters["yellow"] = static_cast<double>(c.yellow);
    state.counters["suspended"] = static_cast<double>(c.suspended);
    return c.scanned;
  });
}

// Every iteration: the bare page scan, then ScanLights, timed apart (as the paired case
// benchmark): the ratio is what computing the lights adds to reading the rows.
void BM_Paired_ScanLightsAndBareScan(benchmark::State& state, store::Backend backend) {
  ScanEnv* env = ScanEnvFor(backend);
  if (env == nullptr) return state.SkipWithError("no database");
  const int page = static_cast<int>(state.range(0));
  Split bare, lights;
  for (auto _ : state) {
    Result<std::int64_t> b = bare.Time([&] { return BareScan(*env, page); });
    if (!b.has_value()) return state.SkipWithError(b.error().message.c_str());
    Result<cases::LightCounts> l = lights.Time([&] { return LightsScan(*env, page); });
    if (!l.has_value()) return state.SkipWithError(l.error().message.c_str());
    if (*b != g_scan_tasks || l->scanned != g_scan_tasks) {
      return state.SkipWithError("scan missed rows");
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["bare_s"] = bare.wall / n;
  state.counters["lights_s"] = lights.wall / n;
  state.counters["ratio"] = lights.wall / bare.wall;
  state.counters["cpu_bare_s"] = bare.cpu / n;
  state.counters["cpu_lights_s"] = lights.cpu / n;
  state.counters["cpu_ratio"] = lights.cpu / bare.cpu;
}

// --- registration and the summary of ratios -------------------------------------------------

std::vector<store::Backend> Backends() {
  std::vector<store::Backend> out = {store::Backend::kSqlite};
  if (PgUrl() != nullptr) out.push_back(store::Backend::kPostgres);
  return out;
}

void Register() {
  for (store::Backend b : Backends()) {
    const std::string db = BackendName(b);
    auto raw_insert = [&] {
      benchmark::RegisterBenchmark(("BM_Baseline_RawInsert/" + db).c_str(), BM_Baseline_RawInsert,
                                   b)
          ->MinTime(3.0)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    };
    raw_insert();
    for (int items : {3, 4}) {
      benchmark::RegisterBenchmark(
          ("BM_Case_Birth" + std::to_string(items) + "Items/" + db).c_str(), BM_Case, b, items)
          ->MinTime(5.0)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
    raw_insert();  // again: the summary takes the mean of the runs before and after the cases
    benchmark::RegisterBenchmark(("BM_Paired_Birth3ItemsAndRawInserts/" + db).c_str(),
                                 BM_Paired_Birth3ItemsAndRawInserts, b)
        ->MinTime(10.0)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  for (store::Backend b : Backends()) {
    const std::string db = BackendName(b);
    benchmark::RegisterBenchmark(("BM_Paired_ScanLightsAndBareScan/" + db).c_str(),
                                 BM_Paired_ScanLightsAndBareScan, b)
        ->ArgName("page")
        ->Arg(10000)
        ->Iterations(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_ScanLights/" + db).c_str(), BM_ScanLights, b)
        ->ArgName("page")
        ->Arg(1000)
        ->Arg(10000)
        ->Arg(100000)
        ->Iterations(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

// The console output, then every figure beside its baseline from the same run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred || r.run_type != Run::RT_Iteration || r.iterations == 0) continue;
      // "BM_ScanLights/sqlite/page:10000": without the min_time / iterations suffixes.
      std::string name = r.run_name.function_name;
      if (!r.run_name.args.empty()) name += "/" + r.run_name.args;
      Seen& s = seen_[name];
      s.seconds += r.real_accumulated_time / static_cast<double>(r.iterations);
      s.cpu_seconds += r.cpu_accumulated_time / static_cast<double>(r.iterations);
      ++s.runs;
      for (const auto& [name, counter] : r.counters) s.counters[name] = counter.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::ostream& out = GetOutputStream();
    out << "\n# Ratios to the baseline of the same run. Wall clock, except the in-memory clock\n"
           "# figures (CPU time). \"bench CPU\" is this process only: all of SQLite's work, none\n"
           "# of the PostgreSQL server's.\n";
    char line[320];
    for (store::Backend b : Backends()) {
      const std::string db = BackendName(b);
      const std::optional<Seen> insert = Find("BM_Baseline_RawInsert/" + db);
      for (int items : {3, 4}) {
        const std::optional<Seen> c = Find("BM_Case_Birth" + std::to_string(items) + "Items/" + db);
        if (!insert || !c) continue;
        std::snprintf(line, sizeof line,
                      "%-10s %d items, separate runs: %6.1f cases/s  %5.0f raw inserts/s  ratio "
                      "%.4f (%.0f statements, %.0f transactions per case); bench CPU ratio %.4f\n",
                      db.c_str(), items, 1 / c->seconds, 1 / insert->seconds,
                      insert->seconds / c->seconds, c->counters.at("stmts/case"),
                      c->counters.at("tx/case"), insert->cpu_seconds / c->cpu_seconds);
        out << line;
      }
      if (const std::optional<Seen> p = Find("BM_Paired_Birth3ItemsAndRawInserts/" + db)) {
        const auto& k = p->counters;
        std::snprintf(line, sizeof line,
                      "%-10s 3 items, paired:         %6.1f cases/s  %5.0f raw inserts/s  ratio "
                      "%.4f (1 case = %.0f raw inserts); bench CPU %.2f ms / %.0f µs, ratio "
                      "%.4f\n",
                      db.c_str(), 1e3 / k.at("case_ms"), 1e6 / k.at("insert_us"), k.at("ratio"),
                      1 / k.at("ratio"), k.at("cpu_case_ms"), k.at("cpu_insert_us"),
                      k.at("cpu_ratio"));
        out << line;
      }
    }
    if (const std::optional<Seen> base = Find("BM_Baseline_ReadClockRecords")) {
      for (const char* name : {"BM_Lights_Recompute", "BM_Lights_FromStoredDeadline"}) {
        if (const std::optional<Seen> s = Find(name)) {
          std::snprintf(line, sizeof line,
                        "%-28s %6.1f ns/task  ×%.0f the read-only loop (%.2f ns/task)\n", name,
                        s->cpu_seconds / kClockRecords * 1e9, s->cpu_seconds / base->cpu_seconds,
                        base->cpu_seconds / kClockRecords * 1e9);
          out << line;
        }
      }
    }
    for (store::Backend b : Backends()) {
      const std::string db = BackendName(b);
      if (const std::optional<Seen> p =
              Find("BM_Paired_ScanLightsAndBareScan/" + db + "/page:10000")) {
        const auto& k = p->counters;
        std::snprintf(line, sizeof line,
                      "%-10s %d tasks, page 10000, paired: ScanLights %.2f s (%.0f rows/s), bare "
                      "scan %.2f s, ratio %.2f; bench CPU %.2f s / %.2f s, ratio %.2f\n",
                      db.c_str(), g_scan_tasks, k.at("lights_s"), g_scan_tasks / k.at("lights_s"),
                      k.at("bare_s"), k.at("ratio"), k.at("cpu_lights_s"), k.at("cpu_bare_s"),
                      k.at("cpu_ratio"));
        out << line;
      }
      for (const char* page : {"1000", "10000", "100000"}) {
        if (const std::optional<Seen> s = Find("BM_ScanLights/" + db + "/page:" + page)) {
          std::snprintf(line, sizeof line,
                        "%-10s ScanLights page %6s: %6.2f s  %7.0f rows/s  bench CPU %.2f s  peak "
                        "RSS %.0f MiB (+%.1f MiB during the scan)\n",
                        db.c_str(), page, s->seconds, g_scan_tasks / s->seconds, s->cpu_seconds,
                        s->counters.at("peak_rss_MiB"), s->counters.at("growth_MiB"));
          out << line;
        }
      }
    }
  }

 private:
  struct Seen {
    double seconds = 0;      // wall clock per iteration: summed over runs, divided in Find
    double cpu_seconds = 0;  // this process's CPU time per iteration, likewise
    int runs = 0;
    std::map<std::string, double> counters;
  };
  // The mean over repetitions of `name`, or nullopt when it did not run.
  std::optional<Seen> Find(const std::string& name) const {
    auto it = seen_.find(name);
    if (it == seen_.end()) return std::nullopt;
    Seen mean = it->second;
    mean.seconds /= mean.runs;
    mean.cpu_seconds /= mean.runs;
    return mean;
  }
  std::map<std::string, Seen> seen_;
};

}  // namespace
}  // namespace onestop

int main(int argc, char** argv) {
  using namespace onestop;
  // Our own flag, taken out before Google Benchmark reads the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--scan_tasks=")) {
      g_scan_tasks = std::atoi(argv[i] + 13);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (g_scan_tasks < 1) {
    std::cerr << "--scan_tasks must be positive\n";
    return 2;
  }
  app::InitLogging();
  spdlog::set_level(spdlog::level::warn);
  char pattern[] = "/tmp/onestop-case-bench.XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 1;
  g_tmp = pattern;
  if (PgUrl() == nullptr) {
    std::cerr << "case_bench: ONESTOP_TEST_PG_URL is not set, PostgreSQL skipped (run under "
                 "scripts/with-throwaway-pg.sh for both databases)\n";
  }
  benchmark::Initialize(&argc, argv);
  Register();
  for (store::Backend b : Backends()) PrintBreakdown(b, 3);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  g_case_envs.clear();
  g_scan_envs.clear();
  DropSchemas();
  std::error_code ec;
  fs::remove_all(g_tmp, ec);
  return 0;
}
