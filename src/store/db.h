// Store: the one door to the database. `Db` opens transactions (`Tx`) on SQLite or
// PostgreSQL; statements use `?` placeholders on both. `Transact()` is the entry point for
// services. Nothing outside store/ knows which backend is underneath.
// Migrations are in store/migrate.h; backends in store/sqlite/ and store/postgres/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/result.h"

namespace onestop::store {

enum class Backend { kSqlite, kPostgres };
const char* BackendName(Backend backend);  // "sqlite" / "postgresql"

// A bound parameter or a column value. Booleans are stored as 0/1 integers on both backends.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
inline const Value kNull{};

// Helpers to build parameters from optional values.
Value Opt(const std::optional<std::string>& v);
Value Opt(const std::optional<std::int64_t>& v);

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const;
  // Typed readers. A NULL reads as 0 / "" ; text holding a number is converted.
  std::int64_t Int(std::size_t i) const;
  double Double(std::size_t i) const;
  std::string Text(std::size_t i) const;
  bool Bool(std::size_t i) const { return Int(i) != 0; }
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const Value& at(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns, std::vector<Row> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](std::size_t i) const { return rows_[i]; }
  const Row& front() const { return rows_.front(); }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }

 private:
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
};

// One database transaction on one pooled connection. Not thread-safe; use from one thread.
// If neither Commit() nor Rollback() is called, the destructor rolls back.
// Errors: kAlreadyExists (unique violation), kFailedPrecondition (foreign key / check
// violation), kAborted (busy, lock timeout, serialization failure, deadlock: retry),
// kUnavailable (connection lost), kInternal (SQL error: a bug).
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Backend backend() const = 0;
  // Runs a statement that returns rows; `?` placeholders bound in order from `params`.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a statement; returns the number of rows it changed.
  virtual Result<std::int64_t> Exec(std::string_view sql,
                                    const std::vector<Value>& params = {}) = 0;
  // Runs several `;`-separated statements without parameters (migrations).
  virtual Result<void> ExecScript(std::string_view sql) = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;

  // Convenience: the single row of a query, or kNotFound with `reason`/`message`.
  Result<Row> QueryOne(std::string_view sql, const std::vector<Value>& params,
                       std::string_view not_found_reason, std::string_view not_found_message);
};

enum class TxMode { kReadWrite, kReadOnly };

struct OpenOptions {
  int pool_size = 8;               // connections kept open
  int busy_timeout_ms = 5000;      // SQLite busy timeout / PG lock_timeout
  int acquire_timeout_ms = 10000;  // how long Begin() waits for a free connection
};

class Db {
 public:
  virtual ~Db() = default;
  virtual Backend backend() const = 0;
  // Starts a transaction on a pooled connection; waits for a free one.
  // kUnavailable when the database cannot be reached or no connection frees up in time.
  virtual Result<std::unique_ptr<Tx>> Begin(TxMode mode = TxMode::kReadWrite) = 0;
  // Where the data lives, without secrets: "sqlite:/abs/path.db", "postgresql://u@h:5432/db".
  virtual std::string Describe() const = 0;
};

// Opens `url`: "sqlite:PATH", "sqlite::memory:" or "postgresql://user:pass@host:port/db".
// kInvalidArgument for an unknown scheme; kUnavailable when the database cannot be opened.
Result<std::unique_ptr<Db>> Open(std::string_view url, const OpenOptions& options = {});

// LIKE patterns for user text, with % _ and \ escaped: use them as `col LIKE ? ESCAPE '\'`
// (the same on both backends). Contains: "%text%"; Prefix: "text%".
std::string LikeContains(std::string_view text);
std::string LikePrefix(std::string_view text);

// Checks the number of rows changed by an `UPDATE … WHERE id = ? AND version = ?`.
// kAborted("store.version_conflict") when 0 rows: someone else changed the row first.
Result<void> CheckVersion(std::int64_t affected_rows);

namespace internal {
template <typename R>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};
}  // namespace internal

// Runs `fn(tx)` in a transaction: commits if it returns a value, rolls back if it returns an
// error. Retries the whole function twice more on kAborted (busy / serialization failure).
template <typename F>
auto Transact(Db& db, F&& fn, TxMode mode = TxMode::kReadWrite) -> std::invoke_result_t<F&, Tx&> {
  using R = std::invoke_result_t<F&, Tx&>;
  static_assert(internal::IsResult<R>::value, "Transact's function must return Result<T>");
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    Result<std::unique_ptr<Tx>> tx = db.Begin(mode);
    if (!tx.has_value()) {
      if (tx.error().code == ErrorCode::kAborted && attempt < kAttempts) continue;
      return std::move(tx).error();
    }
    R r = fn(**tx);
    if (!r.has_value()) {
      (void)(*tx)->Rollback();
      if (r.error().code == ErrorCode::kAborted && attempt < kAttempts) continue;
      return r;
    }
    Result<void> committed = (*tx)->Commit();
    if (!committed.has_value()) {
      if (committed.error().code == ErrorCode::kAborted && attempt < kAttempts) continue;
      return std::move(committed).error();
    }
    return r;
  }
}

// Same as Transact in a read-only transaction (no write lock on SQLite).
template <typename F>
auto Read(Db& db, F&& fn) -> std::invoke_result_t<F&, Tx&> {
  return Transact(db, std::forward<F>(fn), TxMode::kReadOnly);
}

}  // namespace onestop::store
