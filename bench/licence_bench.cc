// 无证明城市 performance: seal verification, bulk licence import, proof generation (issue 4).
//
//   build/bench/licence_bench                          every part, default sizes (~1 min)
//   build/bench/licence_bench --parts verify           one part: verify, import, proof
//   build/bench/licence_bench --parts import --n 1000000
//   build/bench/licence_bench --parts import --n 24000000 --dir /big/disk   (长沙's 24 million)
//   build/bench/licence_bench --smoke                  tiny sizes, no openssl speed (ctest)
//
// Every figure is printed beside a baseline measured in the same run, as a ratio:
// 1. verify: SM2-SM3 verifications per second through SealService::Verify (one read
//    transaction each, the key cache warm) and LicenceService::Verify (load the row, rebuild
//    the RFC 8785 bytes, verify), Ed25519 through SealService::Verify, against
//    `openssl speed -seconds 3 sm2` / `ed25519` run by this process (popen, "verify/s").
//    Single-threaded: per core.
// 2. import: N person licences (holders with valid 身份证号 check digits) through
//    LicenceImporter::Run from a generated CSV stream (nothing on disk but the database) into a
//    fresh SQLite file; rows/s, database bytes per licence, then 10,000 LicenceService::ByHolder
//    lookups of random holders (p50 / p99). Baseline: the same rows (same columns, indexes and
//    signature size) inserted raw into one table, 1,000 per transaction, in the same database.
//    Signing alone (SealService::Sign of the same canonical bytes) is timed to show its share.
// 3. proof: ProofService::Generate + Pdf of the instant 有无房产证明 (PDFs/s), render::RenderPdf
//    of a document of the same shape alone, and a bare Cairo PDF page with the same text (the
//    baseline).
#include <cairo-pdf.h>
#include <cairo.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <type_traits>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/working_days.h"
#include "identity/principal.h"
#include "proofs/proof_service.h"
#include "render/document.h"
#include "seal/seal_service.h"
#include "store/db.h"
#include "store/migrate.h"
#ifdef ONESTOP_BENCH_LICENCES
#include "licences/licence_import.h"
#include "licences/licence_service.h"
#endif

namespace onestop {
namespace {

namespace fs = std::filesystem;
using Clock_ = std::chrono::steady_clock;

// 2026-11-28 10:00 CST.
const Millis kNowMs = Date{2026, 11, 28}.StartOfDayMs() + 10 * 3600 * 1000;
constexpr const char* kMasterHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Options {
  std::vector<std::string> parts = {"verify", "import", "proof"};
  std::int64_t n = 20000;   // licences imported
  int lookups = 10000;      // ByHolder lookups after the import
  int verify_n = 3000;      // verifications per kind
  int sign_n = 1000;        // signatures timed for the import's signing share
  int proofs = 60;          // proofs generated
  int openssl_seconds = 3;  // 0 = skip openssl speed
  std::string dir;          // where the SQLite files go ("" = a temporary directory)
};

double Seconds(Clock_::time_point a, Clock_::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "licence_bench: %s: %s %s\n", what.c_str(), e.reason.c_str(),
               e.message.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.has_value()) Die(what, r.error());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// `openssl speed -seconds S <alg>`: the verify/s column of the line naming `tag`.
std::optional<double> OpensslVerifyPerSecond(const std::string& alg, const std::string& tag,
                                             int seconds) {
  std::string cmd =
      "openssl speed -seconds " + std::to_string(seconds) + " " + alg + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::optional<double> out;
  char line[512];
  while (std::fgets(line, sizeof line, p) != nullptr) {
    std::string s(line);
    if (s.find(tag) == std::string::npos || s.find('s') == std::string::npos) continue;
    std::istringstream words(s);
    std::string w, last;
    while (words >> w) last = w;
    try {
      out = std::stod(last);
    } catch (...) {
    }
  }
  pclose(p);
  return out;
}

// --- the environment: a fresh SQLite database with departments, a person and seals ----------

struct Env {
  fs::path file;
  FakeClock clock{kNowMs};
  std::unique_ptr<store::Db> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<seal::SealService> seals;

  void Open() {
    db = Must(store::Open("sqlite:" + file.string()), "open");
    audit = std::make_unique<audit::AuditLog>(clock);
    seals = std::make_unique<seal::SealService>(*db, clock, *audit,
                                                Must(seal::MasterKey::FromHex(kMasterHex), "key"));
  }
  void Close() {
    seals.reset();
    audit.reset();
    db.reset();
  }
  void Exec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    Must(store::Transact(*db, [&](store::Tx& tx) { return tx.Exec(sql, params); }), sql);
  }
};

fs::path g_dir;

std::unique_ptr<Env> NewEnv(const std::string& name) {
  auto env = std::make_unique<Env>();
  env->file = g_dir / (name + ".db");
  fs::remove(env->file);
  fs::remove(env->file.string() + "-wal");
  fs::remove(env->file.string() + "-shm");
  env->Open();
  Must(store::Migrate(*env->db, env->clock), "migrate");
  for (const char* d : {"d-ga", "d-bdc"}) {
    env->Exec(
        "INSERT INTO identity_department (id, code, name, parent_id, region_code, level, path, "
        "created_at_ms, updated_at_ms, version) VALUES (?,?,?,NULL,'430100','city',?,0,0,1)",
        {std::string(d), std::string("C-") + d,
         std::string(d) == "d-ga" ? "长沙市公安局" : "长沙市不动产登记中心",
         std::string("/") + d + "/"});
    seal::NewSeal s;
    s.department_id = d;
    s.name =
        std::string(d) == "d-ga" ? "长沙市公安局电子证照专用章" : "长沙市不动产登记中心证明专用章";
    s.maker = "长沙市数据资源局";
    s.with_ed25519 = true;
    Must(env->seals->Create(identity::Principal::System(), s), "seal");
  }
  return env;
}

// Holder i's 身份证号: five 长沙 districts, birth dates from 1950-01-01, 1,000 per day and
// district (distinct for i < 100,000,000), with the GB 11643 check character.
std::string IdNo(std::int64_t i) {
  static const char* kRegions[] = {"430102", "430103", "430104", "430105", "430111"};
  std::int64_t j = i / 5;
  Date birth = Date::FromDaysSinceEpoch(Date{1950, 1, 1}.DaysSinceEpoch() + j / 1000);
  char first17[18];
  std::snprintf(first17, sizeof first17, "%s%04d%02d%02d%03d", kRegions[i % 5], birth.year,
                birth.month, birth.day, static_cast<int>(j % 1000));
  return std::string(first17) + IdNumberCheckChar(first17);
}

std::string HolderName(std::int64_t i) {
  static const char* kFamily[] = {"张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
  static const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"};
  return std::string(kFamily[i % 10]) + kGiven[(i / 10) % 10] + kGiven[(i / 100) % 10];
}

std::string Address(std::int64_t i) {
  return "长沙市岳麓区麓山南路" + std::to_string(i % 2000 + 1) + "号" + std::to_string(i % 30 + 1) +
         "栋" + std::to_string(i % 600 + 101) + "室";
}

// A CSV register of `n` licences, generated as it is read (24,000,000 rows never exist at once).
class CsvGenerator : public std::streambuf {
 public:
  explicit CsvGenerator(std::int64_t n) : n_(n) {
    line_ = "holderName,holderCode,name,birthDate,address,number\n";
    setg(line_.data(), line_.data(), line_.data() + line_.size());
  }

 private:
  int_type underflow() override {
    if (next_ >= n_) return traits_type::eof();
    std::int64_t i = next_++;
    std::string id = IdNo(i);
    line_ = HolderName(i) + "," + id + "," + HolderName(i) + "," + id.substr(6, 4) + "-" +
            id.substr(10, 2) + "-" + id.substr(12, 2) + "," + Address(i) + ",HK" +
            std::to_string(i) + "\n";
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(line_[0]);
  }

  std::int64_t n_, next_ = 0;
  std::string line_;
};

void Header(const std::string& title) { std::printf("\n=== %s ===\n", title.c_str()); }

// --- 1. verification ---------------------------------------------------------------------

struct Sample {
  std::string bytes;
  seal::SealSignature sig;
};

double VerifyRate(Env& env, const std::vector<Sample>& samples, int n) {
  for (const Sample& s : samples) Must(env.seals->Verify(s.bytes, s.sig), "warm");  // cache
  auto t0 = Clock_::now();
  for (int i = 0; i < n; ++i) {
    const Sample& s = samples[static_cast<std::size_t>(i) % samples.size()];
    Must(env.seals->Verify(s.bytes, s.sig), "verify");
  }
  return n / Seconds(t0, Clock_::now());
}

std::vector<Sample> SignSamples(Env& env, seal::SignAlg alg, int count) {
  std::vector<Sample> out;
  Must(store::Transact(*env.db,
                       [&](store::Tx& tx) -> Result<void> {
                         for (int i = 0; i < count; ++i) {
                           Sample s;
                           s.bytes = R"({"face":{"address":")" + Address(i) + R"(","name":")" +
                                     HolderName(i) + R"("},"holder":{"code":")" + IdNo(i) +
                                     R"("},"identifier":"1.2.156.3005.2.bench.)" +
                                     std::to_string(i) + R"("})";
                           ASSIGN_OR_RETURN(s.sig, env.seals->Sign(tx, "d-ga", s.bytes, alg));
                           out.push_back(std::move(s));
                         }
                         return Ok();
                       }),
       "sign samples");
  return out;
}

void RunVerify(const Options& o) {
  Header("1. verification (one thread)");
  std::unique_ptr<Env> env = NewEnv("verify");
  std::vector<Sample> sm2 = SignSamples(*env, seal::SignAlg::kSm2Sm3, 64);
  std::vector<Sample> ed = SignSamples(*env, seal::SignAlg::kEd25519, 64);

  double sm2_seal = VerifyRate(*env, sm2, o.verify_n);
  double ed_seal = VerifyRate(*env, ed, o.verify_n);
  // The same check without the read transaction around it: the bare public key.
  Must(store::Read(*env->db,
                   [&](store::Tx& tx) -> Result<void> {
                     for (const Sample& s : sm2)
                       RETURN_IF_ERROR(env->seals->Verify(tx, s.bytes, s.sig));
                     return Ok();
                   }),
       "warm tx");
  auto t0 = Clock_::now();
  Must(store::Read(*env->db,
                   [&](store::Tx& tx) -> Result<void> {
                     for (int i = 0; i < o.verify_n; ++i) {
                       const Sample& s = sm2[static_cast<std::size_t>(i) % sm2.size()];
                       RETURN_IF_ERROR(env->seals->Verify(tx, s.bytes, s.sig));
                     }
                     return Ok();
                   }),
       "verify in one tx");
  double sm2_one_tx = o.verify_n / Seconds(t0, Clock_::now());

  std::optional<double> licence_rate;
#ifdef ONESTOP_BENCH_LICENCES
  {
    licences::LicenceService service(*env->db, env->clock, *env->audit, *env->seals);
    identity::Principal issuer;
    issuer.user_id = "u-ga";
    issuer.display_name = "办证员";
    issuer.department_id = "d-ga";
    issuer.data_scope = identity::DataScope::kDept;
    issuer.scope_department_ids = {"d-ga"};
    issuer.permissions = {identity::Permission::kIssueLicences};
    licences::LicenceType t;
    t.code = "11100000000013338W001";
    t.name = "居民身份证";
    t.definer_name = "中华人民共和国公安部";
    t.face_fields = {{"name", "姓名", licences::FieldType::kText, true},
                     {"birthDate", "出生日期", licences::FieldType::kDate, true},
                     {"address", "住址", licences::FieldType::kText, false}};
    t.issuing_department_id = "d-ga";
    t.issuer_uscc = "11430000006122244L";
    Must(service.CreateType(issuer, t), "type");
    std::vector<std::string> ids;
    for (int i = 0; i < 64; ++i) {
      licences::NewLicence n;
      n.type_code = t.code;
      n.holder_name = HolderName(i);
      n.holder_code = IdNo(i);
      n.number = "SFZ" + std::to_string(i);
      n.face = {{"name", n.holder_name}, {"birthDate", "1950-01-01"}, {"address", Address(i)}};
      ids.push_back(Must(service.Issue(issuer, n), "issue").identifier);
    }
    for (const std::string& id : ids) {
      if (Must(service.Verify(id), "warm").result != licences::VerifyResult::kValid) {
        std::fprintf(stderr, "licence_bench: %s does not verify\n", id.c_str());
        std::exit(1);
      }
    }
    auto l0 = Clock_::now();
    for (int i = 0; i < o.verify_n; ++i) {
      Must(service.Verify(ids[static_cast<std::size_t>(i) % ids.size()]), "licence verify");
    }
    licence_rate = o.verify_n / Seconds(l0, Clock_::now());
  }
#endif

  std::optional<double> ossl_sm2, ossl_ed;
  if (o.openssl_seconds > 0) {
    ossl_sm2 = OpensslVerifyPerSecond("sm2", "SM2", o.openssl_seconds);
    ossl_ed = OpensslVerifyPerSecond("ed25519", "Ed25519", o.openssl_seconds);
  }
  auto ratio = [](double a, std::optional<double> b) {
    return b && *b > 0 ? std::to_string(a / *b).substr(0, 4) : std::string("—");
  };
  auto num = [](std::optional<double> v) {
    return v ? std::to_string(static_cast<long long>(*v)) : std::string("—");
  };
  std::printf("%-58s %10s %10s\n",
              ("verifications/s (N=" + std::to_string(o.verify_n) + ")").c_str(), "per s",
              "× openssl");
  std::printf("%-58s %10s %10s\n", "openssl speed sm2 (verify/s, baseline)", num(ossl_sm2).c_str(),
              "1.00");
  std::printf("%-58s %10.0f %10s\n", "SM2-SM3 SealService::Verify (own read tx each)", sm2_seal,
              ratio(sm2_seal, ossl_sm2).c_str());
  std::printf("%-58s %10.0f %10s\n", "SM2-SM3 SealService::Verify (all in one read tx)", sm2_one_tx,
              ratio(sm2_one_tx, ossl_sm2).c_str());
  if (licence_rate) {
    std::printf("%-58s %10.0f %10s\n", "SM2-SM3 LicenceService::Verify (load, JCS, verify)",
                *licence_rate, ratio(*licence_rate, ossl_sm2).c_str());
  } else {
    std::printf("%-58s %10s\n", "LicenceService::Verify", "(licences module not built)");
  }
  std::printf("%-58s %10s %10s\n", "openssl speed ed25519 (verify/s, baseline)",
              num(ossl_ed).c_str(), "1.00");
  std::printf("%-58s %10.0f %10s\n", "Ed25519 SealService::Verify (own read tx each)", ed_seal,
              ratio(ed_seal, ossl_ed).c_str());
  std::printf("(stack-notes yardstick: ~1.9k SM2 verifies/s per core)\n");
  env->Close();
}

// --- 2. bulk import ----------------------------------------------------------------------

[[maybe_unused]] std::int64_t FileBytes(const fs::path& p) {
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto s = fs::file_size(p.string() + suffix, ec);
    if (!ec) total += static_cast<std::int64_t>(s);
  }
  return total;
}

// The raw baseline: the licence rows as the importer stores them (same columns, indexes and
// a signature of the same size), 1,000 per transaction, without checks, signing or audit.
[[maybe_unused]] double RawInsertRate(Env& env, std::int64_t n) {
  env.Exec(
      "CREATE TABLE bench_raw_licence (identifier TEXT PRIMARY KEY, type_code TEXT NOT NULL, "
      "type_name TEXT NOT NULL, name TEXT NOT NULL, number TEXT NOT NULL, version INTEGER NOT "
      "NULL, serial TEXT NOT NULL, issuer_name TEXT NOT NULL, issuer_uscc TEXT NOT NULL, "
      "issuing_department_id TEXT NOT NULL, issued_by_department_id TEXT NOT NULL, issue_date "
      "TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, region_code TEXT NOT "
      "NULL, holder_name TEXT NOT NULL, holder_code TEXT NOT NULL, holder_type TEXT NOT NULL, "
      "item_code TEXT NOT NULL, item_name TEXT NOT NULL, face_json TEXT NOT NULL, status TEXT "
      "NOT NULL, status_reason TEXT NOT NULL, previous_identifier TEXT, superseded_by TEXT, "
      "case_id TEXT, seal_id TEXT NOT NULL, key_id TEXT NOT NULL, sign_alg TEXT NOT NULL, "
      "signature TEXT NOT NULL, signed_at_ms BIGINT NOT NULL, created_at_ms BIGINT NOT NULL, "
      "updated_at_ms BIGINT NOT NULL, row_version BIGINT NOT NULL DEFAULT 1)");
  env.Exec("CREATE INDEX bench_raw_holder ON bench_raw_licence (holder_code, holder_type)");
  env.Exec(
      "CREATE INDEX bench_raw_dept ON bench_raw_licence (issuing_department_id, created_at_ms)");
  env.Exec(
      "CREATE UNIQUE INDEX bench_raw_number ON bench_raw_licence (type_code, number, version)");
  const std::string sig(96, 'M');  // base64 of a ~71-byte SM2 DER signature
  auto t0 = Clock_::now();
  for (std::int64_t first = 0; first < n; first += 1000) {
    Must(
        store::Transact(
            *env.db,
            [&](store::Tx& tx) -> Result<void> {
              for (std::int64_t i = first; i < std::min(n, first + 1000); ++i) {
                std::string id = IdNo(i);
                std::string serial = "20261128" + std::to_string(1000000 + i).substr(1);
                std::string face = R"({"address":")" + Address(i) + R"(","birthDate":")" +
                                   id.substr(6, 4) + "-" + id.substr(10, 2) + "-" +
                                   id.substr(12, 2) + R"(","name":")" + HolderName(i) + R"("})";
                RETURN_IF_ERROR(tx.Exec(
                    "INSERT INTO bench_raw_licence VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    "?,?,?,?,?,NULL,NULL,NULL,?,?,?,?,?,?,?,1)",
                    {"1.2.156.3005.2.11100000000013338W001.11430000006122244L." + serial + ".001.X",
                     std::string("11100000000013338W001"),
                     std::string("居民户口簿"),
                     std::string("居民户口簿"),
                     "HK" + std::to_string(i),
                     std::int64_t{1},
                     serial,
                     std::string("长沙市公安局"),
                     std::string("11430000006122244L"),
                     std::string("d-ga"),
                     std::string("d-ga"),
                     std::string("2026-11-28"),
                     std::string("2026-11-28"),
                     std::string(""),
                     std::string("430100"),
                     HolderName(i),
                     id,
                     std::string("111"),
                     std::string(""),
                     std::string(""),
                     face,
                     std::string("valid"),
                     std::string(""),
                     std::string("ES430100000001"),
                     std::string("ES430100000001-k1"),
                     std::string("SM2-SM3"),
                     sig,
                     kNowMs,
                     kNowMs,
                     kNowMs}));
              }
              return Ok();
            }),
        "raw insert");
  }
  return static_cast<double>(n) / Seconds(t0, Clock_::now());
}

#ifdef ONESTOP_BENCH_LICENCES
void RunImport(const Options& o) {
  Header("2. bulk import into SQLite, N = " + std::to_string(o.n));
  std::unique_ptr<Env> env = NewEnv("import");
  identity::Principal issuer;
  issuer.user_id = "u-ga";
  issuer.display_name = "办证员";
  issuer.department_id = "d-ga";
  issuer.data_scope = identity::DataScope::kDept;
  issuer.scope_department_ids = {"d-ga"};
  issuer.permissions = {identity::Permission::kIssueLicences};
  const std::string type_code = "11100000000013338W001";
  {
    licences::LicenceService service(*env->db, env->clock, *env->audit, *env->seals);
    licences::LicenceType t;
    t.code = type_code;
    t.name = "居民户口簿";
    t.definer_name = "中华人民共和国公安部";
    t.face_fields = {{"name", "姓名", licences::FieldType::kText, true},
                     {"birthDate", "出生日期", licences::FieldType::kDate, true},
                     {"address", "住址", licences::FieldType::kText, false}};
    t.issuing_department_id = "d-ga";
    t.issuer_uscc = "11430000006122244L";
    Must(service.CreateType(issuer, t), "type");
  }
  env->Close();  // checkpoint, so the size before is the file's alone
  const std::int64_t bytes_before = FileBytes(env->file);
  env->Open();

  double import_s = 0, import_cpu = 0;
  std::vector<std::pair<std::int64_t, double>> marks;  // (imported, seconds) per progress
  {
    licences::LicenceService service(*env->db, env->clock, *env->audit, *env->seals);
    licences::LicenceImporter importer(*env->db, env->clock, *env->audit, service);
    licences::ImportJob job = Must(
        importer.Start(issuer, type_code, "d-ga", licences::ImportFormat::kCsv, "bench.csv", 0),
        "start");
    CsvGenerator gen(o.n);
    std::istream in(&gen);
    licences::ImportOptions io;
    auto t0 = Clock_::now();
    const std::int64_t step = std::max<std::int64_t>(o.n / 10, 1);
    std::int64_t next_mark = step;
    io.on_progress = [&](const licences::ImportProgress& p) {
      if (p.imported >= next_mark) {
        marks.emplace_back(p.imported, Seconds(t0, Clock_::now()));
        next_mark += step;
        if (o.n >= 1000000) {
          std::fprintf(stderr, "  %lld imported, %.0f s\n", static_cast<long long>(p.imported),
                       marks.back().second);
        }
      }
    };
    double c0 = CpuSeconds();
    licences::ImportJob done = Must(importer.Run(issuer, job.id, in, io), "import");
    import_s = Seconds(t0, Clock_::now());
    import_cpu = CpuSeconds() - c0;
    if (done.state != "done" || done.imported != o.n) {
      std::fprintf(stderr, "licence_bench: import %s, %lld of %lld imported, %lld failed: %s\n",
                   done.state.c_str(), static_cast<long long>(done.imported),
                   static_cast<long long>(o.n), static_cast<long long>(done.failed),
                   done.errors.empty() ? done.failure.c_str() : done.errors[0].message.c_str());
      std::exit(1);
    }
  }
  // Close every connection so SQLite checkpoints the WAL into the file, then measure it.
  env->Close();
  const std::int64_t bytes_after = FileBytes(env->file);
  env->Open();

  // Lookups by holder through the real query.
  std::vector<double> lat;
  lat.reserve(static_cast<std::size_t>(o.lookups));
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> pick(0, o.n - 1);
  for (int k = 0; k < o.lookups; ++k) {
    std::string code = IdNo(pick(rng));
    auto t0 = Clock_::now();
    std::vector<licences::Licence> found =
        Must(store::Read(*env->db,
                         [&](store::Tx& tx) {
                           return licences::LicenceService::ByHolder(
                               tx, licences::HolderType::kPerson, code, false);
                         }),
             "lookup");
    lat.push_back(Seconds(t0, Clock_::now()) * 1e6);
    if (found.size() != 1) {
      std::fprintf(stderr, "licence_bench: %s found %zu licences\n", code.c_str(), found.size());
      std::exit(1);
    }
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double q) { return lat[static_cast<std::size_t>(q * (lat.size() - 1))]; };

  // Signing alone: SealService::Sign of bytes of a licence's size.
  std::vector<Sample> signed_ = SignSamples(*env, seal::SignAlg::kSm2Sm3, 8);  // warm
  auto s0 = Clock_::now();
  signed_ = SignSamples(*env, seal::SignAlg::kSm2Sm3, o.sign_n);
  double sign_rate = o.sign_n / Seconds(s0, Clock_::now());

  // The raw baseline in the same database.
  double c1 = CpuSeconds();
  double raw_rate = RawInsertRate(*env, o.n);
  double raw_cpu = CpuSeconds() - c1;
  env->Close();

  double rate = static_cast<double>(o.n) / import_s;
  double sign_share = (static_cast<double>(o.n) / sign_rate) / import_s;
  double raw_share = (static_cast<double>(o.n) / raw_rate) / import_s;
  std::printf("%-52s %14s\n", "figure", "value");
  std::printf("%-52s %14.0f\n", "raw INSERT rows/s (baseline, 1,000 per tx)", raw_rate);
  std::printf("%-52s %14.0f\n", "LicenceImporter rows/s (CSV → signed licences)", rate);
  std::printf("%-52s %14.3f\n", "ratio import ÷ raw", rate / raw_rate);
  std::printf("%-52s %14.1f / %.1f\n", "CPU µs per row: import / raw", import_cpu / o.n * 1e6,
              raw_cpu / o.n * 1e6);
  std::printf("%-52s %14.0f\n", "SM2 signatures/s (SealService::Sign alone)", sign_rate);
  std::printf("%-52s %13.0f%%\n", "import time spent signing (estimate)", sign_share * 100);
  std::printf("%-52s %13.0f%%\n", "import time a raw insert takes", raw_share * 100);
  std::printf("%-52s %13.0f%%\n", "the rest (parse, checks, JCS, serial, job, audit)",
              (1 - sign_share - raw_share) * 100);
  for (std::size_t k = 0; k < marks.size(); ++k) {
    double prev_s = k == 0 ? 0 : marks[k - 1].second;
    std::int64_t prev_n = k == 0 ? 0 : marks[k - 1].first;
    std::printf("  rows %lld–%lld: %.0f rows/s\n", static_cast<long long>(prev_n),
                static_cast<long long>(marks[k].first),
                static_cast<double>(marks[k].first - prev_n) / (marks[k].second - prev_s));
  }
  std::printf("%-52s %14lld\n", "database bytes after import (checkpointed)",
              static_cast<long long>(bytes_after));
  std::printf("%-52s %14.0f\n", "bytes per licence (growth ÷ N)",
              static_cast<double>(bytes_after - bytes_before) / static_cast<double>(o.n));
  std::printf("%-52s %10.0f µs / %.0f µs\n", "ByHolder lookup p50 / p99 (random holders)",
              pct(0.50), pct(0.99));
  std::printf("(%d lookups, each in its own read transaction)\n", o.lookups);
}
#else
void RunImport(const Options&) {
  Header("2. bulk import");
  std::printf("skipped: the licences module (src/licences) is not in this build\n");
}
#endif

// --- 3. proofs ---------------------------------------------------------------------------

render::Document ProofLikeDocument() {
  render::Document d;
  d.title = "有无房产证明";
  d.number_line = "编号：ZM4301002026112800001";
  d.paragraphs = {
      "经查询不动产登记信息，截至2026-11-26，张小三（公民身份号码：11010519491231002X）在长沙市有"
      "登记在册的房产。"};
  d.fields = {{"姓名", "张小三"},
              {"公民身份号码", "11010519491231002X"},
              {"有无房产", "有"},
              {"房产套数", "1"},
              {"房产坐落", "岳麓区麓山南路1号3栋502"}};
  d.closing = {"特此证明。"};
  d.issuer_name = "长沙市不动产登记中心";
  d.issued_date = "2026年11月28日";
  d.seal = render::SealMark{"长沙市不动产登记中心", "证明专用章"};
  d.qr_text = "https://verify.example/verify?code=ABCDEFGHJKMNPQRS&p=OSP1." + std::string(260, 'x');
  d.verification_code = "ABCD-EFGH-JKMN-PQRS";
  d.footer = "本证明有效期至2026年12月28日 · 扫码或登录政务服务网核验";
  return d;
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The baseline: one A4 PDF page with the same lines through Cairo's toy text API.
std::string BareCairoPage(const render::Document& d) {
  std::string out;
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(Append, &out, 595.0, 842.0);
  cairo_t* cr = cairo_create(s);
  cairo_select_font_face(cr, render::kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12);
  double y = 80;
  auto line = [&](const std::string& text) {
    cairo_move_to(cr, 72, y);
    cairo_show_text(cr, text.c_str());
    y += 20;
  };
  line(d.title);
  line(d.number_line);
  for (const std::string& p : d.paragraphs) line(p);
  for (const render::Field& f : d.fields) line(f.label + "：" + f.value);
  for (const std::string& p : d.closing) line(p);
  line(d.issuer_name);
  line(d.issued_date);
  line(d.verification_code);
  line(d.footer);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_surface_destroy(s);
  return out;
}

void RunProof(const Options& o) {
  Header("3. proof generation (PDF)");
  std::unique_ptr<Env> env = NewEnv("proof");
  env->Exec(
      "INSERT INTO identity_person (id, name, id_number, phone, gender, birth_date, region_code, "
      "created_by, created_at_ms, updated_at_ms) VALUES ('P-ZHANG', '张小三', "
      "'11010519491231002X', '', '男', '1949-12-31', '430104', 'bench', 0, 0)");
  proofs::ProofService service(*env->db, env->clock, *env->audit, *env->seals,
                               proofs::ProofServiceOptions{"https://verify.example"});
  identity::Principal admin = identity::Principal::System();
  proofs::ProofType house;
  house.code = "no_property";
  house.name = "有无房产证明";
  house.department_id = "d-bdc";
  house.mode = proofs::ProofMode::kInstant;
  house.register_code = "property";
  house.body_template =
      "经查询{{register.name}}信息，截至{{register.asOf}}，{{holder.name}}（{{holder.codeType}}："
      "{{holder.code}}）在长沙市{{data.properties.exists}}登记在册的房产。\n特此证明。";
  house.fields = {{"姓名", "{{holder.name}}"},
                  {"公民身份号码", "{{holder.code}}"},
                  {"有无房产", "{{data.properties.exists}}"},
                  {"房产套数", "{{data.properties.count}}"},
                  {"房产坐落", "{{data.properties.list}}"}};
  house.validity_days = 30;
  Must(service.DefineType(admin, house), "proof type");
  proofs::RegisterRecord owns;
  owns.register_code = "property";
  owns.register_name = "不动产登记";
  owns.subject_code_type = "111";
  owns.subject_code = "11010519491231002X";
  owns.data_json = R"({"properties":[{"location":"岳麓区麓山南路1号3栋502","area":"89.5㎡"}]})";
  owns.source_department_id = "d-bdc";
  owns.as_of = "2026-11-26";
  Must(service.PutRecord(admin, owns), "record");
  identity::Principal zhang;
  zhang.user_id = "u-zhang";
  zhang.display_name = "张小三";
  zhang.kind = identity::UserKind::kCitizen;
  zhang.person_id = "P-ZHANG";
  zhang.permissions = {identity::Permission::kSelfLicences};

  auto one_proof = [&]() {
    proofs::Proof p = Must(service.Generate(zhang, "no_property", "办理公积金贷款"), "generate");
    return Must(service.Pdf(zhang, p.id), "pdf").size();
  };
  one_proof();  // fonts and keys loaded
  double gen_s = 0, pdf_s = 0;
  std::size_t pdf_bytes = 0;
  auto t0 = Clock_::now();
  for (int i = 0; i < o.proofs; ++i) {
    auto a = Clock_::now();
    proofs::Proof p = Must(service.Generate(zhang, "no_property", "办理公积金贷款"), "generate");
    auto b = Clock_::now();
    pdf_bytes = Must(service.Pdf(zhang, p.id), "pdf").size();
    auto c = Clock_::now();
    gen_s += Seconds(a, b);
    pdf_s += Seconds(b, c);
  }
  double service_rate = o.proofs / Seconds(t0, Clock_::now());

  render::Document d = ProofLikeDocument();
  Must(render::RenderPdf(d), "render");
  t0 = Clock_::now();
  std::size_t render_bytes = 0;
  for (int i = 0; i < o.proofs; ++i) render_bytes = Must(render::RenderPdf(d), "render").size();
  double render_rate = o.proofs / Seconds(t0, Clock_::now());

  BareCairoPage(d);
  t0 = Clock_::now();
  std::size_t bare_bytes = 0;
  for (int i = 0; i < o.proofs; ++i) bare_bytes = BareCairoPage(d).size();
  double bare_rate = o.proofs / Seconds(t0, Clock_::now());

  std::printf("%-56s %8s %8s %9s\n", ("PDFs (N=" + std::to_string(o.proofs) + ")").c_str(), "per s",
              "× bare", "bytes");
  std::printf("%-56s %8.1f %8s %9zu\n", "bare Cairo page, same text (baseline)", bare_rate, "1.00",
              bare_bytes);
  std::printf("%-56s %8.1f %8.2f %9zu\n", "render::RenderPdf alone (proof-shaped document)",
              render_rate, render_rate / bare_rate, render_bytes);
  std::printf("%-56s %8.1f %8.2f %9zu\n", "ProofService Generate + Pdf (instant 有无房产证明)",
              service_rate, service_rate / bare_rate, pdf_bytes);
  std::printf(
      "  of which Generate (register, JCS, SM2 sign, store, audit): %.1f ms, Pdf: %.1f ms\n",
      gen_s / o.proofs * 1e3, pdf_s / o.proofs * 1e3);
  env->Close();
}

bool Has(const Options& o, const std::string& part) {
  return std::find(o.parts.begin(), o.parts.end(), part) != o.parts.end();
}

int Main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "licence_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--parts") {
      o.parts.clear();
      std::stringstream ss(value());
      for (std::string p; std::getline(ss, p, ',');) o.parts.push_back(p);
    } else if (a == "--n") {
      o.n = std::stoll(value());
    } else if (a == "--lookups") {
      o.lookups = std::stoi(value());
    } else if (a == "--verify-n") {
      o.verify_n = std::stoi(value());
    } else if (a == "--sign-n") {
      o.sign_n = std::stoi(value());
    } else if (a == "--proofs") {
      o.proofs = std::stoi(value());
    } else if (a == "--openssl-seconds") {
      o.openssl_seconds = std::stoi(value());
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--smoke") {
      o.n = 300;
      o.lookups = 100;
      o.verify_n = 50;
      o.sign_n = 20;
      o.proofs = 3;
      o.openssl_seconds = 0;
    } else {
      std::fprintf(stderr,
                   "usage: licence_bench [--parts verify,import,proof] [--n N] [--lookups N] "
                   "[--verify-n N] [--sign-n N] [--proofs N] [--openssl-seconds S] [--dir DIR] "
                   "[--smoke]\n");
      return 2;
    }
  }
  if (o.n < 1 || o.lookups < 1 || o.verify_n < 1 || o.sign_n < 1 || o.proofs < 1) {
    std::fprintf(stderr, "licence_bench: sizes must be positive\n");
    return 2;
  }
  bool temporary = o.dir.empty();
  if (temporary) {
    std::string tmpl = (fs::temp_directory_path() / "licence_bench.XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    g_dir = tmpl;
  } else {
    g_dir = o.dir;
    fs::create_directories(g_dir);
  }
  std::printf("licence_bench: SQLite files in %s\n", g_dir.c_str());
  double c0 = CpuSeconds();
  auto t0 = Clock_::now();
  if (Has(o, "verify")) RunVerify(o);
  if (Has(o, "import")) RunImport(o);
  if (Has(o, "proof")) RunProof(o);
  std::printf("\nwall %.1f s, CPU %.1f s\n", Seconds(t0, Clock_::now()), CpuSeconds() - c0);
  if (temporary) fs::remove_all(g_dir);
  return 0;
}

}  // namespace
}  // namespace onestop

int main(int argc, char** argv) { return onestop::Main(argc, argv); }
