// Audit (审计): the append-only, hash-chained log of every decision and every access to
// personal data. AuditLog::Append is called inside the transaction of the change it records.
// Verification walks the chain (Verify). Who may read the log is decided by callers
// (identity permissions), not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/db.h"

namespace onestop::audit {

// Who did it. Built from an identity::Principal by identity::ActorOf().
struct Actor {
  std::string id;    // user id, or "system" for the CLI and scheduled jobs
  std::string name;  // display name at the time
  std::optional<std::string> department_id;
  std::string request_id;  // HTTP request id, or "" for the CLI
};

// One entry to append.
struct Record {
  std::string action;        // "<module>.<thing>.<verb>", e.g. "identity.person.read"
  std::string subject_type;  // "person", "user", "calendar_day" …
  std::string subject_id;
  std::optional<std::string> subject_party_id;  // person/enterprise whose data this touches
  std::string purpose;                          // 事由, may be ""
  std::string details_json = "{}";              // a JSON object
};

struct Entry {
  std::int64_t seq = 0;
  Millis at_ms = 0;
  std::string actor_id, actor_name;
  std::optional<std::string> actor_department_id;
  std::string action, subject_type, subject_id;
  std::optional<std::string> subject_party_id;
  std::string purpose, details_json, request_id;
  std::string prev_hash, hash;
};

struct Filter {
  std::optional<std::string> actor_id;
  std::optional<std::string> action_prefix;  // "identity." matches every identity action
  std::optional<std::string> subject_id;
  std::optional<std::string> subject_party_id;
  std::optional<Millis> from_ms, to_ms;      // [from, to)
  // When set, only entries whose actor's department is in this list (data scope).
  std::optional<std::vector<std::string>> actor_department_ids;
  int offset = 0;
  int limit = 20;
};

struct Page {
  std::vector<Entry> items;  // newest first
  std::int64_t total = 0;
};

struct VerifyReport {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_broken_seq;
  std::string problem;  // Chinese, names what is wrong with the first broken entry
};

// The hash that precedes the first entry.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

class AuditLog {
 public:
  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  // Appends `record` by `actor` in `tx` (the transaction of the change it records).
  // kInvalidArgument when details_json is not a JSON object; store errors otherwise.
  Result<Entry> Append(store::Tx& tx, const Actor& actor, const Record& record) const;

  Result<Page> Search(store::Tx& tx, const Filter& filter) const;

  // Entries per China-Standard-Time day over the last `days` days ending today (oldest first).
  Result<std::vector<std::pair<std::string, std::int64_t>>> CountByDay(
      store::Tx& tx, int days, const std::optional<std::vector<std::string>>& departments) const;

  // Walks the whole chain in order and recomputes every hash. Reports the first entry that was
  // altered, removed, inserted or reordered, and a truncated tail (head mismatch).
  Result<VerifyReport> Verify(store::Db& db) const;

  // The canonical encoding that is hashed (exposed for tests and external verifiers).
  static std::string CanonicalEncoding(const Entry& e);
  // hex(SM3(prev_hash || canonical)).
  static std::string ComputeHash(const Entry& e);

 private:
  const Clock& clock_;
};

// Chinese label for an action code ("identity.person.read" → "查看自然人信息"), or the code.
std::string ActionLabel(std::string_view action);

}  // namespace onestop::audit
