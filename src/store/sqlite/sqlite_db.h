// SQLite backend (embedded default): WAL, synchronous=NORMAL, busy timeout, foreign keys on.
#pragma once

#include <memory>
#include <string_view>

#include "store/db.h"

namespace onestop::store {

// Opens (creating if needed) the database file at `path`, or an in-memory database for
// ":memory:" (then the pool has one connection). kUnavailable if the file cannot be opened.
Result<std::unique_ptr<Db>> OpenSqlite(std::string_view path, const OpenOptions& options);

}  // namespace onestop::store
