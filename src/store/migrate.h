// Schema migrations: versioned SQL files in store/migrations/, embedded in the binary.
// `NNNN_<what>.sql` runs on both backends; a `NNNN_<what>.sqlite.sql` / `.pg.sql` pair is used
// where the dialects differ. The table `store_migration` records what ran.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/db.h"

namespace onestop::store {

struct Migration {
  int version = 0;
  std::string name;      // "0001_identity"
  std::string sql;       // for the backend asked about
  std::string checksum;  // FNV-1a 64 of `sql`, hex
};

// The embedded migrations for `backend`, sorted by version.
std::vector<Migration> EmbeddedMigrations(Backend backend);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names, in order
};

// Applies every embedded migration the database has not run, each in its own transaction.
// kFailedPrecondition `store.migration_edited` when an applied migration's checksum changed;
// kFailedPrecondition `store.schema_too_new` when the database has versions this binary lacks.
Result<MigrationReport> Migrate(Db& db, const Clock& clock);

// The highest applied version (0 for an empty database).
Result<int> SchemaVersion(Db& db);

// SchemaVersion for a database that has been migrated (the server's health check): one indexed
// read of store_migration instead of a catalog probe first. If that read fails (no such table,
// or the database is down) it returns whatever SchemaVersion returns, so the answer and the
// errors are the same; it is only cheaper.
Result<int> AppliedSchemaVersion(Db& db);

// Checks that the database answers: one `SELECT 1` in a read-only transaction (on PostgreSQL a
// round trip to the server; on SQLite it takes no file lock). kUnavailable when it does not.
Result<void> Ping(Db& db);

}  // namespace onestop::store
