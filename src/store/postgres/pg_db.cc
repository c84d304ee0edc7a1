// PostgreSQL backend over raw libpq. The contract is in store/db.h; the choices made here:
//
// Isolation. Read-write transactions run at READ COMMITTED. Services guard read-modify-write
// with an optimistic version check (`UPDATE … WHERE id = ? AND version = ?`, then
// CheckVersion) or take the row lock first with an UPDATE; under READ COMMITTED a blocked
// UPDATE re-reads the newest committed row, so the loser sees 0 rows and gets
// store.version_conflict. REPEATABLE READ or SERIALIZABLE would turn every such race into
// SQLSTATE 40001 instead and add predicate-lock overhead for no extra safety. Read-only
// transactions run at REPEATABLE READ READ ONLY: one snapshot for all their queries (a list and
// its count agree), as an SQLite read transaction does; read-only snapshots never fail with 40001.
//
// Placeholders. `?` becomes `$n`, except inside '…' / E'…' strings, "…" identifiers,
// $tag$…$tag$ bodies, -- and /* */ comments. PostgreSQL's jsonb `?` operators therefore cannot
// be written; use jsonb_exists() and friends.
//
// Parameter types. Parameters are sent as text (bytea as binary). The types given to PQprepare
// are chosen per parameter, per statement, and learned on first use:
//   1. int64 as int8 and double as float8; strings and NULL left for the server to infer. So
//      `SELECT ?` and `? + 1` give back an integer as on SQLite, and `col = ?` works on every
//      numeric column (int4 = int8 and numeric = float8 are built-in cross-type operators).
//   2. If that does not resolve (text_col = bigint, lpad(s, bigint), boolean column), the
//      numbers are left for the server to infer too: "5" is then read as whatever fits.
//   3. A parameter the server cannot type at all (`? IS NULL`, error 42P18 naming $n) is sent
//      as text, or as int8 / float8 when its value is a number.
// Each failed try runs under a savepoint, so learning never aborts the caller's transaction.
//
// Prepared statements. Each connection keeps a map SQL text → rewritten SQL, learned types and
// the server-side statements prepared for it (named onestop_<n>, one per distinct type list).
// A statement is prepared once per connection; PQdescribePrepared tells which parameters are
// bytea. Past kMaxCachedStatements (ad-hoc SQL) a session runs DEALLOCATE ALL when it goes
// back to the pool; after a cached plan outlived a schema change (0A000), every session does so
// before its next transaction.
//
// Errors. SQLSTATE → ErrorCode as listed in MapServerError(). After any error PostgreSQL aborts
// the transaction, so the Tx remembers the first error: later statements are not sent, Commit()
// rolls back and returns that error, Rollback() works. A lost connection is never pooled again.
#include "store/postgres/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace onestop::store {
namespace {

// Type OIDs from the server's pg_type.dat; libpq does not export them.
constexpr Oid kInferOid = 0;  // "unknown": the server infers the type from the context
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr int kStatementTimeoutMs = 30000;         // a runaway query is a bug; stop it
constexpr std::size_t kMaxCachedStatements = 500;  // per connection; app SQL is ~ a few hundred
constexpr const char* kPrepareSavepoint = "onestop_prepare";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// libpq messages end in "\n" and may span lines ("…failed: …\n\tIs the server running…").
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

std::string ErrorField(const PGresult* res, int field) {
  const char* v = res != nullptr ? PQresultErrorField(res, field) : nullptr;
  return v != nullptr ? v : "";
}

// ---------------------------------------------------------------------------------------------
// Placeholder rewriting.

struct RewrittenSql {
  std::string text;  // with $1..$n
  int param_count = 0;
};

bool IsIdentChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.text.reserve(sql.size() + 16);
  const std::size_t n = sql.size();
  std::size_t i = 0;
  // Copies sql[i, end) verbatim (clamped to the end of the text).
  auto copy_to = [&](std::size_t end) {
    end = std::min(end, n);
    out.text.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    if (c == '?') {
      out.text += '$';
      out.text += std::to_string(++out.param_count);
      ++i;
    } else if (c == '\'') {
      // E'…' strings take backslash escapes (E'it\'s'); in standard strings '' is handled by
      // leaving and re-entering the string.
      const bool escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n && sql[j] != '\'') j += (escapes && sql[j] == '\\') ? 2 : 1;
      copy_to(j + 1);
    } else if (c == '"') {
      std::size_t close = sql.find('"', i + 1);  // "" inside leaves and re-enters
      copy_to(close == std::string_view::npos ? n : close + 1);
    } else if (c == '-' && next == '-') {
      std::size_t eol = sql.find('\n', i);
      copy_to(eol == std::string_view::npos ? n : eol + 1);
    } else if (c == '/' && next == '*') {
      // Block comments nest in PostgreSQL.
      int depth = 0;
      std::size_t j = i;
      while (j < n) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1])) &&
               !std::isdigit(static_cast<unsigned char>(next))) {
      // Dollar quote $tag$…$tag$ ($1 is a parameter, a$b an identifier).
      std::size_t j = i + 1;
      while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t close = sql.find(tag, j + 1);
        copy_to(close == std::string_view::npos ? n : close + tag.size());
      } else {
        out.text += c;
        ++i;
      }
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parameter typing (see the file comment).

enum class ParamPolicy {
  kNumbersTyped,  // int64 → int8, double → float8, string/NULL → inferred
  kInferred,      // everything inferred by the server
  kAllTyped,      // int64 → int8, double → float8, string/NULL → text
};

Oid TypeFor(ParamPolicy policy, const Value& v) {
  if (policy == ParamPolicy::kInferred) return kInferOid;
  if (std::holds_alternative<std::int64_t>(v)) return kInt8Oid;
  if (std::holds_alternative<double>(v)) return kFloat8Oid;
  return policy == ParamPolicy::kAllTyped ? kTextOid : kInferOid;
}

std::string Signature(const std::vector<Oid>& types) {
  std::string s;
  for (Oid t : types) {
    s += std::to_string(t);
    s += ',';
  }
  return s;
}

// "$3" in "could not determine data type of parameter $3" (also in translated messages).
std::optional<int> ParamNumberIn(std::string_view message) {
  std::size_t p = message.find('$');
  while (p != std::string_view::npos) {
    int number = 0;
    const char* begin = message.data() + p + 1;
    auto [end, ec] = std::from_chars(begin, message.data() + message.size(), number);
    if (ec == std::errc() && end != begin) return number;
    p = message.find('$', p + 1);
  }
  return std::nullopt;
}

struct PreparedStatement {
  std::string name;
  std::vector<Oid> server_types;  // as the server resolved them (PQdescribePrepared)
};

// Everything a connection knows about one SQL text.
struct CachedSql {
  std::string text;  // rewritten to $n
  int param_count = 0;
  std::vector<ParamPolicy> policies;                                // one per parameter
  std::unordered_map<std::string, PreparedStatement> by_signature;  // key: Signature(types)

  std::vector<Oid> TypesFor(const std::vector<Value>& params) const {
    std::vector<Oid> types(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) types[i] = TypeFor(policies[i], params[i]);
    return types;
  }

  // After PQprepare failed with `res`: loosens the typing so the next try may succeed (steps 2
  // and 3 of the file comment). False when nothing is left to try: the error is real.
  bool Relax(const PGresult* res, const std::vector<Value>& params) {
    const std::string state = ErrorField(res, PG_DIAG_SQLSTATE);
    if (state == "42P18") {  // indeterminate_datatype
      std::optional<int> p = ParamNumberIn(ErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
      if (p && *p >= 1 && *p <= param_count && policies[*p - 1] != ParamPolicy::kAllTyped) {
        policies[*p - 1] = ParamPolicy::kAllTyped;
        return true;
      }
      bool changed = false;
      for (ParamPolicy& policy : policies) {
        changed = changed || policy != ParamPolicy::kAllTyped;
        policy = ParamPolicy::kAllTyped;
      }
      return changed;
    }
    // undefined_function, datatype_mismatch, ambiguous_function, cannot_coerce.
    if (state == "42883" || state == "42804" || state == "42725" || state == "42846") {
      bool changed = false;
      for (std::size_t i = 0; i < policies.size(); ++i) {
        if (policies[i] == ParamPolicy::kNumbersTyped && TypeFor(policies[i], params[i]) != 0) {
          policies[i] = ParamPolicy::kInferred;
          changed = true;
        }
      }
      return changed;
    }
    return false;
  }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One server session with its statement cache.
struct Connection {
  PGconn* pg = nullptr;
  std::unordered_map<std::string, CachedSql, StringHash, std::equal_to<>> statements;
  int next_statement_id = 0;
  std::uint64_t generation = 0;     // Pool generation the statements were prepared in
  bool lost = false;                // the server went away: close, never pool
  bool discard_statements = false;  // DEALLOCATE ALL before pooling again

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    if (pg != nullptr) PQfinish(pg);
  }

  bool Usable() const { return !lost && PQstatus(pg) == CONNECTION_OK; }
};

// ---------------------------------------------------------------------------------------------
// Errors.

Error ConnectionLost(const std::string& detail) {
  return Unavailable("store.connection_lost",
                     "与 PostgreSQL 数据库的连接已断开：" + OneLine(detail));
}

// Maps a failed result (or a null one) to the store's error contract (store/db.h), and marks
// the connection lost when libpq says so.
Error MapServerError(Connection& conn, const PGresult* res) {
  std::string state = ErrorField(res, PG_DIAG_SQLSTATE);
  std::string primary = ErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) primary = PQerrorMessage(conn.pg);
  if (PQstatus(conn.pg) == CONNECTION_BAD || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03") {
    conn.lost = true;
    return ConnectionLost(primary);
  }
  std::string constraint = ErrorField(res, PG_DIAG_CONSTRAINT_NAME);
  auto named = [&](std::string_view what) {
    return constraint.empty() ? std::string(what) : std::string(what) + " " + constraint;
  };
  if (state == "23505") {
    return AlreadyExists("store.unique_violation", "数据已存在（违反" + named("唯一约束") + "）");
  }
  if (state == "23503" || state == "23001") {
    return FailedPrecondition("store.foreign_key",
                              "引用的数据不存在或仍被引用（违反" + named("外键约束") + "）");
  }
  if (state == "23502") {
    std::string table = ErrorField(res, PG_DIAG_TABLE_NAME);
    std::string column = ErrorField(res, PG_DIAG_COLUMN_NAME);
    return FailedPrecondition(
        "store.constraint",
        "数据不满足约束（" + (table.empty() ? "" : table + ".") + column + " 不能为空）");
  }
  if (state == "23514" || state == "23P01") {
    return FailedPrecondition("store.constraint", "数据不满足约束（违反" + named("约束") + "）");
  }
  // serialization_failure, deadlock_detected, lock_not_available (lock_timeout).
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return Aborted("store.busy", "数据库繁忙，请稍后重试");
  }
  if (state == "57014") {  // query_canceled: statement_timeout or a cancel request
    return Aborted("store.timeout", "数据库操作超时，请稍后重试");
  }
  return Internal("store.sql_error", "数据库错误：" + OneLine(primary) +
                                         (state.empty() ? "" : "（SQLSTATE " + state + "）"));
}

// ---------------------------------------------------------------------------------------------
// Pool.

class Pool {
 public:
  Pool(std::string url, const OpenOptions& options)
      : url_(std::move(url)),
        max_open_(std::max(1, options.pool_size)),
        acquire_timeout_(std::max(0, options.acquire_timeout_ms)),
        session_setup_(
            // lock_timeout makes a blocked writer give up like SQLite's busy timeout;
            // the output settings make values read back exactly (hex bytea, shortest-exact
            // floats) and instants in UTC as on SQLite.
            "SET lock_timeout = " + std::to_string(std::max(0, options.busy_timeout_ms)) +
            "; SET statement_timeout = " + std::to_string(kStatementTimeoutMs) +
            "; SET bytea_output = 'hex'; SET extra_float_digits = 1; SET TimeZone = 'UTC'") {}

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Opens a new session. kUnavailable("store.cannot_open") when it cannot.
  Result<std::unique_ptr<Connection>> Connect() const {
    // The URL comes first so its own settings (connect_timeout, options=-csearch_path=…) win
    // over our defaults; the client encoding is always UTF-8.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                          "client_encoding", nullptr};
    const char* values[] = {"10", "onestop", url_.c_str(), "UTF8", nullptr};
    auto conn = std::make_unique<Connection>();
    conn->pg = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (conn->pg == nullptr) {
      return Unavailable("store.cannot_open", "无法连接 PostgreSQL 数据库：内存不足");
    }
    if (PQstatus(conn->pg) != CONNECTION_OK) {
      return Unavailable("store.cannot_open",
                         "无法连接 PostgreSQL 数据库：" + OneLine(PQerrorMessage(conn->pg)));
    }
    // NOTICEs ("relation … already exists, skipping") would go to stderr by default.
    PQsetNoticeProcessor(conn->pg, IgnoreNotice, nullptr);
    PgResult res(PQexec(conn->pg, session_setup_.c_str()));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      Error e = MapServerError(*conn, res.get());
      return Unavailable("store.cannot_open", "无法初始化 PostgreSQL 会话：" + e.message);
    }
    return conn;
  }

  // Opens the first session so a bad URL or password fails at Open(); keeps it idle.
  Result<void> Init() {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, Connect());
    describe_ = std::string("postgresql://") + PQuser(first->pg) + "@" + PQhost(first->pg) + ":" +
                PQport(first->pg) + "/" + PQdb(first->pg);
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(first));
    open_ = 1;
    return Ok();
  }

  const std::string& describe() const { return describe_; }

  // Called when a cached plan no longer matches the schema (ALTER TABLE under a SELECT *):
  // every session drops its prepared statements before its next transaction.
  void InvalidateStatements() { ++generation_; }

  // Brings `conn`'s statement cache up to date. False if the session turned out to be lost.
  bool RefreshStatements(Connection& conn) const {
    const std::uint64_t current = generation_.load();
    if (conn.generation == current && !conn.discard_statements) return true;
    if (!conn.statements.empty()) {
      PgResult res(PQexec(conn.pg, "DEALLOCATE ALL"));
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        conn.lost = true;
        return false;
      }
      conn.statements.clear();
    }
    conn.generation = current;
    conn.discard_statements = false;
    return true;
  }

  // Hands out an idle session, or opens one while fewer than pool_size are open, or waits.
  // A session whose socket is known to be bad is replaced. kUnavailable on timeout.
  Result<std::unique_ptr<Connection>> Acquire() {
    const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
    std::unique_lock lock(mu_);
    for (;;) {
      if (!idle_.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_.back());  // LIFO: warm caches
        idle_.pop_back();
        if (conn->Usable()) return conn;
        lock.unlock();
        conn.reset();  // its slot is reused for a fresh session below
        return OpenInReservedSlot();
      }
      if (open_ < max_open_) {
        ++open_;
        lock.unlock();
        return OpenInReservedSlot();
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= max_open_) {
        return Unavailable("store.pool_exhausted", "数据库连接繁忙，请稍后重试");
      }
    }
  }

  // Takes a session back. It is pooled only if it is healthy and outside any transaction;
  // a lost session also drops the idle ones, which most likely lost their server too.
  void Release(std::unique_ptr<Connection> conn) {
    if (conn && conn->Usable() && PQtransactionStatus(conn->pg) == PQTRANS_IDLE) {
      (void)RefreshStatements(*conn);
    }
    std::vector<std::unique_ptr<Connection>> to_close;
    {
      std::lock_guard lock(mu_);
      if (conn && conn->Usable() && PQtransactionStatus(conn->pg) == PQTRANS_IDLE) {
        idle_.push_back(std::move(conn));
      } else {
        if (conn && conn->lost) {
          open_ -= static_cast<int>(idle_.size());
          to_close = std::move(idle_);
          idle_.clear();
        }
        to_close.push_back(std::move(conn));
        --open_;
      }
    }
    cv_.notify_all();
    // PQfinish (in ~Connection) may talk to the network: outside the lock.
  }

 private:
  // Opens a session for a slot already counted in open_; gives the slot back on failure.
  Result<std::unique_ptr<Connection>> OpenInReservedSlot() {
    Result<std::unique_ptr<Connection>> conn = Connect();
    if (!conn.has_value()) {
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
    }
    return conn;
  }

  const std::string url_;
  const int max_open_;
  const std::chrono::milliseconds acquire_timeout_;
  const std::string session_setup_;
  std::string describe_;
  std::atomic<std::uint64_t> generation_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // idle + handed out; guarded by mu_
};

// ---------------------------------------------------------------------------------------------
// Values.

// Parameters in libpq's form; pointers stay valid while `params` and this object live.
class BoundParams {
 public:
  // kInvalidArgument when a text value contains NUL, which PostgreSQL text cannot hold (libpq
  // would silently cut the value there).
  Result<void> Bind(const std::vector<Value>& params, const std::vector<Oid>& server_types) {
    const std::size_t n = params.size();
    storage_.resize(n);  // never resized again: values_ may point into these strings
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (const auto* p = std::get_if<std::int64_t>(&v)) {
        char buf[24];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *p);
        storage_[i].assign(buf, end);
        values_[i] = storage_[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        storage_[i] = FormatDouble(*d);
        values_[i] = storage_[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (i < server_types.size() && server_types[i] == kByteaOid) {
          values_[i] = s->data();  // binary: the raw bytes, length given
          lengths_[i] = static_cast<int>(s->size());
          formats_[i] = 1;
        } else {
          if (s->find('\0') != std::string::npos) {
            return InvalidArgument("store.invalid_text", "文本中含有 NUL 字符，无法保存");
          }
          values_[i] = s->c_str();
        }
      }
    }
    return Ok();
  }

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  // Shortest text that reads back as the same double; PostgreSQL's spelling of the specials.
  static std::string FormatDouble(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, end);
  }

  std::vector<std::string> storage_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea in hex output format: "\x48656c6c6f" → "Hello".
std::string DecodeBytea(std::string_view text) {
  if (!text.starts_with("\\x")) return std::string(text);
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
    int hi = HexDigit(text[i]);
    int lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::string(text);
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// One field of a text-format result, typed by its column type (see db.h: Value).
Value ReadField(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return kNull;
  std::string_view text(PQgetvalue(res, row, col),
                        static_cast<std::size_t>(PQgetlength(res, row, col)));
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(begin, end, v);
      if (ec == std::errc() && p == end) return v;
      break;
    }
    case kBoolOid:
      return std::int64_t{text == "t" ? 1 : 0};
    case kNumericOid: {
      // SUM(bigint) and COUNT-like arithmetic come back as numeric: whole numbers stay integers.
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(begin, end, v);
      if (ec == std::errc() && p == end) return v;
      [[fallthrough]];
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      auto [p, ec] = std::from_chars(begin, end, d);  // also "NaN", "Infinity", "-Infinity"
      if (ec == std::errc() && p == end) return d;
      break;
    }
    case kByteaOid:
      return DecodeBytea(text);
    default:
      break;
  }
  return std::string(text);
}

Rows ReadRows(const PGresult* res) {
  const int ncols = PQnfields(res);
  const int nrows = PQntuples(res);
  std::vector<std::string> columns;
  std::vector<Oid> types;
  columns.reserve(ncols);
  types.reserve(ncols);
  for (int c = 0; c < ncols; ++c) {
    columns.emplace_back(PQfname(res, c));
    types.push_back(PQftype(res, c));
  }
  std::vector<Row> rows;
  rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> values;
    values.reserve(ncols);
    for (int c = 0; c < ncols; ++c) values.push_back(ReadField(res, r, c, types[c]));
    rows.emplace_back(std::move(values));
  }
  return Rows(std::move(columns), std::move(rows));
}

// ---------------------------------------------------------------------------------------------
// Transactions.

class PgTx final : public Tx {
 public:
  PgTx(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn)
      : pool_(std::move(pool)), conn_(std::move(conn)) {}
  PgTx(const PgTx&) = delete;
  PgTx& operator=(const PgTx&) = delete;
  ~PgTx() override { (void)Rollback(); }

  Backend backend() const override { return Backend::kPostgres; }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    return ReadRows(res.get());
  }

  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    return AffectedRows(res.get());
  }

  Result<void> ExecScript(std::string_view sql) override {
    RETURN_IF_ERROR(CheckUsable());
    // PQexec sends a simple Query message: several statements, no parameters.
    PgResult res(PQexec(conn_->pg, std::string(sql).c_str()));
    if (!Succeeded(res.get())) return Fail(MapServerError(*conn_, res.get()));
    return CheckStillInTransaction();
  }

  Result<void> Commit() override {
    if (!conn_) return Internal("store.tx_closed", "事务已结束");
    if (failed_) {
      Error first = *failed_;
      (void)Rollback();
      return first;
    }
    PgResult res(PQexec(conn_->pg, "COMMIT"));
    Result<void> out = Ok();
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      out = MapServerError(*conn_, res.get());
      if (conn_->lost) {
        out = Unavailable("store.connection_lost",
                          "提交时与 PostgreSQL 数据库的连接断开，无法确认是否已保存");
      }
    } else if (std::string_view(PQcmdStatus(res.get())) != "COMMIT") {
      // The server answers COMMIT of an aborted transaction with ROLLBACK.
      out = Internal("store.sql_error", "数据库错误：事务已中止，提交被回滚");
    }
    ReturnConnection();
    return out;
  }

  Result<void> Rollback() override {
    if (!conn_) return Ok();
    if (conn_->Usable()) {
      PgResult res(PQexec(conn_->pg, "ROLLBACK"));
      // If ROLLBACK could not be sent the session is lost and the server rolls back itself.
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) (void)MapServerError(*conn_, res.get());
    }
    ReturnConnection();
    return Ok();
  }

 private:
  // Runs one statement with `?` parameters; returns its result or the mapped error.
  Result<PgResult> Run(std::string_view sql, const std::vector<Value>& params) {
    RETURN_IF_ERROR(CheckUsable());
    Connection& conn = *conn_;
    auto it = conn.statements.find(sql);
    if (it == conn.statements.end()) {
      if (conn.statements.size() >= kMaxCachedStatements) conn.discard_statements = true;
      RewrittenSql rewritten = RewritePlaceholders(sql);
      CachedSql entry;
      entry.text = std::move(rewritten.text);
      entry.param_count = rewritten.param_count;
      entry.policies.assign(static_cast<std::size_t>(entry.param_count),
                            ParamPolicy::kNumbersTyped);
      it = conn.statements.emplace(std::string(sql), std::move(entry)).first;
    }
    CachedSql& entry = it->second;
    if (static_cast<int>(params.size()) != entry.param_count) {
      return Fail(Internal("store.bad_params",
                           "SQL 参数个数不符：需要 " + std::to_string(entry.param_count) +
                               " 个，提供了 " + std::to_string(params.size()) + " 个"));
    }
    const PreparedStatement* stmt = nullptr;
    auto prepared = entry.by_signature.find(Signature(entry.TypesFor(params)));
    if (prepared != entry.by_signature.end()) {
      stmt = &prepared->second;
    } else {
      ASSIGN_OR_RETURN(stmt, Prepare(entry, params));
    }
    BoundParams bound;
    Result<void> bind = bound.Bind(params, stmt->server_types);
    if (!bind.has_value()) return Fail(std::move(bind).error());
    PgResult res(PQexecPrepared(conn.pg, stmt->name.c_str(), bound.size(), bound.values(),
                                bound.lengths(), bound.formats(), /*resultFormat=*/0));
    if (!Succeeded(res.get())) {
      // "cached plan must not change result type": a cached SELECT * outlived an ALTER TABLE.
      // The retry (Transact retries kAborted) runs on statements prepared afresh.
      if (ErrorField(res.get(), PG_DIAG_SQLSTATE) == "0A000" &&
          ErrorField(res.get(), PG_DIAG_SOURCE_FUNCTION) == "RevalidateCachedQuery") {
        pool_->InvalidateStatements();
        return Fail(Aborted("store.busy", "数据库结构已变更，请重试"));
      }
      return Fail(MapServerError(conn, res.get()));
    }
    RETURN_IF_ERROR(CheckStillInTransaction());
    return res;
  }

  // Prepares `entry` for the types of `params`, learning types as the file comment describes.
  Result<const PreparedStatement*> Prepare(CachedSql& entry, const std::vector<Value>& params) {
    PGconn* pg = conn_->pg;
    RETURN_IF_ERROR(Command(std::string("SAVEPOINT ") + kPrepareSavepoint));
    for (;;) {
      std::vector<Oid> types = entry.TypesFor(params);
      std::string name = "onestop_" + std::to_string(++conn_->next_statement_id);
      PgResult res(PQprepare(pg, name.c_str(), entry.text.c_str(), entry.param_count,
                             types.empty() ? nullptr : types.data()));
      if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) {
        PgResult desc(PQdescribePrepared(pg, name.c_str()));
        if (PQresultStatus(desc.get()) != PGRES_COMMAND_OK) {
          return Fail(MapServerError(*conn_, desc.get()));
        }
        PreparedStatement stmt{name, {}};
        for (int i = 0; i < PQnparams(desc.get()); ++i) {
          stmt.server_types.push_back(PQparamtype(desc.get(), i));
        }
        RETURN_IF_ERROR(Command(std::string("RELEASE SAVEPOINT ") + kPrepareSavepoint));
        auto [it, inserted] = entry.by_signature.insert_or_assign(Signature(types), stmt);
        return &it->second;
      }
      if (PQstatus(pg) == CONNECTION_BAD || !entry.Relax(res.get(), params)) {
        return Fail(MapServerError(*conn_, res.get()));
      }
      RETURN_IF_ERROR(Command(std::string("ROLLBACK TO SAVEPOINT ") + kPrepareSavepoint));
    }
  }

  // Runs a parameterless command of our own (SAVEPOINT …).
  Result<void> Command(const std::string& sql) {
    PgResult res(PQexec(conn_->pg, sql.c_str()));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return Fail(MapServerError(*conn_, res.get()));
    }
    return Ok();
  }

  static bool Succeeded(const PGresult* res) {
    ExecStatusType status = PQresultStatus(res);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
  }

  static std::int64_t AffectedRows(const PGresult* res) {
    std::string_view text = PQcmdTuples(const_cast<PGresult*>(res));
    std::int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
  }

  Result<void> CheckUsable() const {
    if (!conn_) return Internal("store.tx_closed", "事务已结束");
    if (failed_) {
      // Keep retryable codes so Transact still retries; anything else is a caller bug.
      if (failed_->code == ErrorCode::kAborted || failed_->code == ErrorCode::kUnavailable) {
        return *failed_;
      }
      return Internal("store.tx_aborted", "事务已因先前的错误中止，不能继续执行（先前的错误：" +
                                              failed_->message + "）");
    }
    return Ok();
  }

  // A statement that ended the transaction itself (COMMIT in a script) would leave the rest
  // running in autocommit, outside the caller's transaction.
  Result<void> CheckStillInTransaction() {
    if (PQtransactionStatus(conn_->pg) != PQTRANS_INTRANS) {
      return Fail(Internal("store.sql_error",
                           "数据库错误：语句不能开始或结束事务（请用 Commit/Rollback）"));
    }
    return Ok();
  }

  // Remembers the first error: PostgreSQL has aborted the transaction.
  Error Fail(Error e) {
    if (!failed_) failed_ = e;
    return e;
  }

  void ReturnConnection() { pool_->Release(std::move(conn_)); }

  std::shared_ptr<Pool> pool_;
  std::unique_ptr<Connection> conn_;  // null once committed or rolled back
  std::optional<Error> failed_;
};

class PgDb final : public Db {
 public:
  explicit PgDb(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  Backend backend() const override { return Backend::kPostgres; }
  std::string Describe() const override { return pool_->describe(); }

  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override {
    const char* begin = mode == TxMode::kReadWrite
                            ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    // An idle session may have lost its server (restart, failover) without libpq knowing yet;
    // nothing has run, so one more try on a fresh session is safe.
    for (int attempt = 1;; ++attempt) {
      ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, pool_->Acquire());
      PgResult res(pool_->RefreshStatements(*conn) ? PQexec(conn->pg, begin) : nullptr);
      if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) {
        return std::unique_ptr<Tx>(std::make_unique<PgTx>(pool_, std::move(conn)));
      }
      Error e = MapServerError(*conn, res.get());
      const bool lost = conn->lost;
      pool_->Release(std::move(conn));
      if (!lost || attempt == 2) return e;
    }
  }

 private:
  std::shared_ptr<Pool> pool_;  // shared with open transactions
};

}  // namespace

Result<std::unique_ptr<Db>> OpenPostgres(std::string_view url, const OpenOptions& options) {
  std::string url_text(url);
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url_text.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error != nullptr ? OneLine(parse_error) : "内存不足";
    PQfreemem(parse_error);
    return InvalidArgument("store.bad_url", "PostgreSQL 数据库地址有误：" + why);
  }
  PQconninfoFree(parsed);
  auto pool = std::make_shared<Pool>(std::move(url_text), options);
  RETURN_IF_ERROR(pool->Init());
  return std::unique_ptr<Db>(std::make_unique<PgDb>(std::move(pool)));
}

}  // namespace onestop::store
