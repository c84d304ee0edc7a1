#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace onestop::store {
namespace {

// Maps an SQLite result code to the store's error contract (see db.h).
Error MapError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExists("store.unique_violation", "数据已存在（违反唯一约束：" + detail + "）");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return FailedPrecondition("store.foreign_key",
                                "引用的数据不存在或仍被引用（" + detail + "）");
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
      return FailedPrecondition("store.constraint", "数据不满足约束（" + detail + "）");
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Aborted("store.busy", "数据库繁忙，请稍后重试");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return Unavailable("store.connection_lost", "数据库不可用：" + detail);
    case SQLITE_CONSTRAINT:
      return FailedPrecondition("store.constraint", "数据不满足约束（" + detail + "）");
    default:
      return Internal("store.sql_error", "数据库错误：" + detail + "（" + std::string(what) + "）");
  }
}

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// The statements that open and close every transaction.
enum class Control { kBeginDeferred, kBeginImmediate, kCommit, kRollback };
constexpr const char* kControlSql[] = {"BEGIN DEFERRED", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

// One open connection with its prepared-statement cache.
struct Connection {
  sqlite3* db = nullptr;
  std::unordered_map<std::string, StmtPtr> statements;
  StmtPtr control[4];  // by Control, prepared on first use

  ~Connection() {
    statements.clear();
    for (StmtPtr& s : control) s.reset();
    if (db != nullptr) sqlite3_close_v2(db);
  }

  // Runs BEGIN/COMMIT/ROLLBACK; SQLITE_OK or the error code (sqlite3_errmsg tells more).
  // Prepared once per connection: sqlite3_exec would parse the text on every transaction,
  // which was about a tenth of the CPU time of a small read-only request.
  int Run(Control which) {
    StmtPtr& slot = control[static_cast<int>(which)];
    if (!slot) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db, kControlSql[static_cast<int>(which)], -1,
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      if (rc != SQLITE_OK) return rc;
      slot.reset(raw);
    }
    const int rc = sqlite3_step(slot.get());
    sqlite3_reset(slot.get());  // a stepped statement left unreset would keep a read open
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = statements.find(key);
    if (it != statements.end()) {
      sqlite3_reset(it->second.get());
      sqlite3_clear_bindings(it->second.get());
      return it->second.get();
    }
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) return MapError(db, rc, sql);
    if (statements.size() > 512) statements.clear();  // bound memory for ad-hoc SQL
    statements.emplace(key, StmtPtr(raw));
    return raw;
  }
};

class SqliteDb;

class SqliteTx final : public Tx {
 public:
  SqliteTx(SqliteDb* owner, std::unique_ptr<Connection> conn)
      : owner_(owner), conn_(std::move(conn)) {}
  ~SqliteTx() override;

  Backend backend() const override { return Backend::kSqlite; }
  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override;
  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override;
  Result<void> ExecScript(std::string_view sql) override;
  Result<void> Commit() override;
  Result<void> Rollback() override;

 private:
  Result<sqlite3_stmt*> Bind(std::string_view sql, const std::vector<Value>& params);
  Result<void> Finish(Control how);
  void Release();
  // PostgreSQL aborts a transaction at its first error; SQLite would carry on. To behave the
  // same on both, a failed statement poisons the transaction: later statements and Commit()
  // fail too (busy / lost connection keep their code so that Transact() retries).
  Result<void> CheckUsable() const;
  Error Poison(Error e);

  SqliteDb* owner_;
  std::unique_ptr<Connection> conn_;
  std::optional<Error> failed_;
};

class SqliteDb final : public Db {
 public:
  SqliteDb(std::string path, const OpenOptions& options)
      : path_(std::move(path)), options_(options) {}

  Backend backend() const override { return Backend::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire());
    // IMMEDIATE takes the write lock up front, so two writers never deadlock on lock upgrade;
    // the busy timeout makes the second one wait instead of failing.
    const Control begin =
        mode == TxMode::kReadWrite ? Control::kBeginImmediate : Control::kBeginDeferred;
    int rc = conn->Run(begin);
    if (rc != SQLITE_OK) {
      Error e = MapError(conn->db, rc, kControlSql[static_cast<int>(begin)]);
      Return(std::move(conn));
      return e;
    }
    return std::unique_ptr<Tx>(new SqliteTx(this, std::move(conn)));
  }

  Result<void> Init() {
    if (path_ != ":memory:") {
      std::filesystem::path p(path_);
      if (p.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
        if (ec) {
          return Unavailable("store.cannot_open",
                             "无法创建数据目录 " + p.parent_path().string() + "：" + ec.message());
        }
      }
    } else {
      options_.pool_size = 1;  // every in-memory connection would be a separate database
    }
    // Open the first connection now so that a bad path fails at Open().
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, Connect());
    idle_.push_back(std::move(first));
    open_count_ = 1;
    return Ok();
  }

  Result<std::unique_ptr<Connection>> Acquire() {
    std::unique_lock lock(mu_);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
    while (idle_.empty()) {
      if (open_count_ < options_.pool_size) {
        ++open_count_;
        lock.unlock();
        Result<std::unique_ptr<Connection>> c = Connect();
        if (!c.has_value()) {
          std::lock_guard relock(mu_);
          --open_count_;
        }
        return c;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
        return Unavailable("store.pool_exhausted", "数据库连接繁忙，请稍后重试");
      }
    }
    std::unique_ptr<Connection> c = std::move(idle_.front());
    idle_.pop_front();
    return c;
  }

  void Return(std::unique_ptr<Connection> conn) {
    {
      std::lock_guard lock(mu_);
      if (conn) {
        idle_.push_back(std::move(conn));
      } else {
        --open_count_;
      }
    }
    cv_.notify_one();
  }

 private:
  Result<std::unique_ptr<Connection>> Connect() {
    auto conn = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path_.c_str(), &conn->db, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc);
      return Unavailable("store.cannot_open", "无法打开 SQLite 数据库 " + path_ + "：" + msg);
    }
    sqlite3_extended_result_codes(conn->db, 1);
    sqlite3_busy_timeout(conn->db, options_.busy_timeout_ms);
    // WAL + NORMAL: durable against process crashes, ~10x faster than FULL (stack-notes §7).
    const char* pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;";
    rc = sqlite3_exec(conn->db, pragmas, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      Error e = MapError(conn->db, rc, "PRAGMA");
      if ((rc & 0xff) == SQLITE_NOTADB) {
        e = Unavailable("store.cannot_open", "文件 " + path_ + " 不是 SQLite 数据库");
      }
      return e;
    }
    return conn;
  }

  std::string path_;
  OpenOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Connection>> idle_;
  int open_count_ = 0;
};

SqliteTx::~SqliteTx() {
  if (conn_) {
    conn_->Run(Control::kRollback);
    Release();
  }
}

void SqliteTx::Release() { owner_->Return(std::move(conn_)); }

Result<void> SqliteTx::CheckUsable() const {
  if (!conn_) return Internal("store.tx_closed", "事务已结束");
  if (failed_) {
    if (failed_->code == ErrorCode::kAborted || failed_->code == ErrorCode::kUnavailable) {
      return *failed_;
    }
    return Internal("store.tx_aborted",
                    "事务已因先前的错误中止，不能继续执行（先前的错误：" + failed_->message + "）");
  }
  return Ok();
}

Error SqliteTx::Poison(Error e) {
  if (!failed_) failed_ = e;
  return e;
}

Result<sqlite3_stmt*> SqliteTx::Bind(std::string_view sql, const std::vector<Value>& params) {
  RETURN_IF_ERROR(CheckUsable());
  Result<sqlite3_stmt*> prepared = conn_->Prepare(sql);
  if (!prepared.has_value()) return Poison(std::move(prepared).error());
  sqlite3_stmt* stmt = *prepared;
  int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    return Poison(Internal("store.bad_params", "SQL 参数个数不符：需要 " +
                                                   std::to_string(expected) + " 个，提供了 " +
                                                   std::to_string(params.size()) + " 个"));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i) + 1;
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return sqlite3_bind_null(stmt, idx);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, idx, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, idx, v);
          } else {
            return sqlite3_bind_text64(stmt, idx, v.data(), v.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) return Poison(MapError(conn_->db, rc, sql));
  }
  return stmt;
}

Result<Rows> SqliteTx::Query(std::string_view sql, const std::vector<Value>& params) {
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Bind(sql, params));
  std::vector<std::string> columns;
  int ncol = sqlite3_column_count(stmt);
  columns.reserve(ncol);
  for (int c = 0; c < ncol; ++c) columns.emplace_back(sqlite3_column_name(stmt, c));
  std::vector<Row> rows;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      Error e = MapError(conn_->db, rc, sql);
      sqlite3_reset(stmt);
      return Poison(std::move(e));
    }
    std::vector<Value> values;
    values.reserve(ncol);
    for (int c = 0; c < ncol; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          values.emplace_back(std::monostate{});
          break;
        default: {
          const char* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
          int n = sqlite3_column_bytes(stmt, c);
          values.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(n)));
        }
      }
    }
    rows.emplace_back(std::move(values));
  }
  sqlite3_reset(stmt);
  return Rows(std::move(columns), std::move(rows));
}

Result<std::int64_t> SqliteTx::Exec(std::string_view sql, const std::vector<Value>& params) {
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Bind(sql, params));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    Error e = MapError(conn_->db, rc, sql);
    sqlite3_reset(stmt);
    return Poison(std::move(e));
  }
  sqlite3_reset(stmt);
  return static_cast<std::int64_t>(sqlite3_changes64(conn_->db));
}

Result<void> SqliteTx::ExecScript(std::string_view sql) {
  RETURN_IF_ERROR(CheckUsable());
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(conn_->db, text.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return Poison(MapError(conn_->db, rc, "script"));
  return Ok();
}

Result<void> SqliteTx::Finish(Control how) {
  if (!conn_) return Internal("store.tx_closed", "事务已结束");
  int rc = conn_->Run(how);
  if (rc != SQLITE_OK) {
    Error e = MapError(conn_->db, rc, kControlSql[static_cast<int>(how)]);
    conn_->Run(Control::kRollback);
    Release();
    return e;
  }
  Release();
  return Ok();
}

Result<void> SqliteTx::Commit() {
  if (failed_ && conn_) {
    Error first = *failed_;
    (void)Finish(Control::kRollback);
    return first;
  }
  return Finish(Control::kCommit);
}
Result<void> SqliteTx::Rollback() { return Finish(Control::kRollback); }

}  // namespace

Result<std::unique_ptr<Db>> OpenSqlite(std::string_view path, const OpenOptions& options) {
  // Memory statistics (sqlite3_memory_used, which nothing here reads) cost a process-wide mutex
  // on every SQLite allocation, which the handler threads then contend for. Only possible
  // before SQLite initializes; later it returns SQLITE_MISUSE and changes nothing.
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  auto db = std::make_unique<SqliteDb>(std::string(path), options);
  RETURN_IF_ERROR(db->Init());
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace onestop::store
