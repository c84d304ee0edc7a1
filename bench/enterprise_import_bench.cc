// enterprise_import_bench: the enterprise data import (企业数据导入) of EnterpriseService beside
// raw INSERTs of the same fact rows, on SQLite (a file database), in one run:
//   1. baseline: every fact as a prepared INSERT, 1,000 enterprises per transaction, no checks;
//   2. the first import of the file (all new);
//   3. the same file again (all unchanged: read and compared, nothing written);
//   4. the file with 1 % of the enterprises changed (one fact each).
// Input: bench/policy_gen enterprises (JSON lines); their ids E0000001 … become valid
// 统一社会信用代码 (91431300MA + 7 digits + the GB 32100 check character).
//
//   enterprise_import_bench --enterprises E.jsonl [--dir /tmp] [--smoke]
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/uscc.h"
#include "policy/enterprise_service.h"
#include "store/db.h"
#include "store/migrate.h"

namespace onestop {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.has_value()) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}
void Must(Result<void> r, const std::string& what) {
  if (!r.has_value()) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), r.error().message.c_str());
    std::exit(1);
  }
}

std::string UsccOf(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "91431300MA%07zu", n % 10000000);
  const std::string first17(buf, 17);
  return first17 + UsccCheckChar(first17);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct Db {
  fs::path file;
  FakeClock clock{1795741200000};
  std::unique_ptr<store::Db> db;
  std::unique_ptr<audit::AuditLog> audit;
};

std::unique_ptr<Db> NewDb(const fs::path& dir, const std::string& name) {
  auto d = std::make_unique<Db>();
  d->file = dir / (name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(d->file.string() + suffix);
  d->db = Must(store::Open("sqlite:" + d->file.string()), "open");
  Must(store::Migrate(*d->db, d->clock), "migrate");
  d->audit = std::make_unique<audit::AuditLog>(d->clock);
  return d;
}

int Main(int argc, char** argv) {
  std::string input;
  fs::path dir = fs::temp_directory_path();
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--enterprises" && i + 1 < argc) {
      input = argv[++i];
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--smoke") {
      smoke = true;
    } else {
      std::fprintf(stderr, "用法：enterprise_import_bench --enterprises E.jsonl [--dir D]\n");
      return 2;
    }
  }
  // The files: ids as USCC; the second with every 100th enterprise's employees + 1.
  std::vector<std::string> lines;
  if (smoke) {
    for (int i = 1; i <= 2000; ++i) {
      lines.push_back("{\"id\":\"E" + std::to_string(i) + "\",\"employees\":" +
                      std::to_string(i % 97) + ",\"industry\":\"C39\",\"high_tech\":false}");
    }
  } else {
    std::ifstream in(input);
    if (!in) {
      std::fprintf(stderr, "无法读取 %s\n", input.c_str());
      return 1;
    }
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) lines.push_back(std::move(l));
    }
  }
  std::string same, changed;
  std::vector<std::vector<std::pair<std::string, std::string>>> facts;  // for the baseline
  std::size_t fact_rows = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json::object o = json::parse(lines[i]).as_object();
    o["id"] = UsccOf(i + 1);
    std::vector<std::pair<std::string, std::string>> f;
    for (const auto& kv : o) {
      if (kv.key() != "id" && !kv.value().is_null()) {
        f.emplace_back(std::string(kv.key()), json::serialize(kv.value()));
      }
    }
    fact_rows += f.size();
    facts.push_back(std::move(f));
    same += json::serialize(o) + "\n";
    if (i % 100 == 0) {
      const json::value* e = o.if_contains("employees");
      o["employees"] = (e && e->is_number() ? e->to_number<double>() : 0) + 1;
    }
    changed += json::serialize(o) + "\n";
  }
  const std::size_t n = lines.size();
  std::printf("企业 %zu 家，数据项 %zu 条（每家 %.1f 条）\n", n, fact_rows,
              static_cast<double>(fact_rows) / static_cast<double>(n));

  // 1. Baseline: raw prepared INSERTs of the same rows, 1,000 enterprises per transaction.
  double base_s = 0;
  {
    std::unique_ptr<Db> d = NewDb(dir, "enterprise_bench_raw");
    Must(store::Transact(*d->db,
                         [&](store::Tx& tx) -> Result<void> {
                           RETURN_IF_ERROR(tx.Exec(
                               "CREATE TABLE raw_fact (enterprise_id TEXT NOT NULL, fact TEXT NOT "
                               "NULL, value_json TEXT NOT NULL, source TEXT NOT NULL, as_of TEXT "
                               "NOT NULL, updated_at_ms BIGINT NOT NULL, PRIMARY KEY "
                               "(enterprise_id, fact))"));
                           return Ok();
                         }),
         "create");
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t from = 0; from < n; from += 1000) {
      Must(store::Transact(*d->db,
                           [&](store::Tx& tx) -> Result<void> {
                             for (std::size_t i = from; i < std::min(n, from + 1000); ++i) {
                               const std::string id = UsccOf(i + 1);
                               for (const auto& [k, v] : facts[i]) {
                                 RETURN_IF_ERROR(
                                     tx.Exec("INSERT INTO raw_fact VALUES (?, ?, ?, ?, ?, ?)",
                                             {id, k, v, std::string("市场监管"),
                                              std::string("2026-11-27"), std::int64_t{0}}));
                               }
                             }
                             return Ok();
                           }),
           "raw insert");
    }
    base_s = Seconds(start);
  }

  std::unique_ptr<Db> d = NewDb(dir, "enterprise_bench");
  const policy::FactSchema schema = policy::FactSchema::Default();
  policy::EnterpriseService service(*d->db, d->clock, *d->audit, schema);
  auto run = [&](const std::string& data, const char* what) {
    std::istringstream in(data);
    const auto start = std::chrono::steady_clock::now();
    policy::ImportReport r =
        Must(service.Import(identity::Principal::System(), in, policy::ImportOptions{}), what);
    const double s = Seconds(start);
    if (r.job.error_count > 0) {
      std::fprintf(stderr, "%s: %s\n", what, r.job.errors.front().message.c_str());
      std::exit(1);
    }
    std::printf("%-22s %8.2f s  %9.0f 家/秒  %0.3f× 原始 INSERT  新增 %lld 变更 %lld 未变 %lld\n",
                what, s, static_cast<double>(n) / s, base_s / s,
                static_cast<long long>(r.job.added), static_cast<long long>(r.job.changed),
                static_cast<long long>(r.job.unchanged));
    return r;
  };
  std::printf("%-22s %8.2f s  %9.0f 家/秒  1.000× （%.0f 条/秒）\n", "原始 INSERT（基线）", base_s,
              static_cast<double>(n) / base_s, static_cast<double>(fact_rows) / base_s);
  run(same, "首次导入");
  run(same, "重复导入（全部未变）");
  policy::ImportReport one = run(changed, "1% 变更");
  if (one.changed_ids.size() != (n + 99) / 100) {
    std::fprintf(stderr, "变更企业数 %zu，应为 %zu\n", one.changed_ids.size(), (n + 99) / 100);
    return 1;
  }
  const auto load_start = std::chrono::steady_clock::now();
  policy::FactStore store = Must(service.LoadAll(), "load");
  std::printf("%-22s %8.2f s  %zu 家\n", "LoadAll（匹配前加载）", Seconds(load_start),
              store.size());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(d->file.string() + suffix);
    fs::remove((dir / "enterprise_bench_raw.db").string() + suffix);
  }
  return 0;
}

}  // namespace
}  // namespace onestop

int main(int argc, char** argv) { return onestop::Main(argc, argv); }
