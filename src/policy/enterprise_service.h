// Enterprise data (企业数据) for 政策超市 / 免申即享: typed facts per enterprise, each with the
// department it came from and its as-of date, and the bulk import (CSV / JSON lines, streamed,
// 1,000 rows per transaction, per-row error report, re-import writes only what changed).
// EnterpriseService is the FactSource the matcher, campaigns and 为我推荐 read. Matching is
// policy/match_service.h. Tables: policy_enterprise, policy_enterprise_fact,
// policy_enterprise_import (migration 0017).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "policy/fact_source.h"
#include "policy/rule.h"
#include "store/db.h"

namespace onestop::policy {

inline constexpr std::size_t kMaxImportErrorsKept = 1000;

struct ImportRowError {
  std::int64_t line = 0;  // 1-based line of the file (a CSV header is line 1)
  std::string message;    // "第N行：…", Chinese
};

// One import job (policy_enterprise_import), updated after every batch.
struct EnterpriseImport {
  std::string id;  // ULID
  std::string actor_id;
  std::string file_name;
  std::string format;        // csv / jsonl
  std::string source;        // '' = each fact's declared source
  std::string as_of;         // YYYY-MM-DD
  std::string status;        // running / done / failed
  std::int64_t lines = 0;    // lines read so far (header and blank lines included)
  std::int64_t rows_ok = 0;  // rows applied (changed or not)
  std::int64_t added = 0, changed = 0, unchanged = 0;  // enterprises, each counted once
  std::int64_t error_count = 0;                        // rows skipped
  std::vector<ImportRowError> errors;                  // the first kMaxImportErrorsKept
  std::string failure;                                 // Chinese, when status is failed
  Millis started_at_ms = 0;
  std::optional<Millis> finished_at_ms;
};

struct ImportReport {
  EnterpriseImport job;
  // Enterprises added or changed by this import (first-seen order): re-match just these
  // (MatchService::OnEnterprisesChanged).
  std::vector<std::string> changed_ids;
};

struct ImportOptions {
  std::string format = "jsonl";  // "jsonl": {"id", "name"?, <fact>: <value>…} per line;
                                 // "csv": header id, name?, fact keys or Chinese labels
  std::string file_name;
  std::string source;  // "" = each fact's FactDef::source
  std::string as_of;   // YYYY-MM-DD; "" = today (China time, service clock)
  int batch_size = 1000;
  std::function<void(const EnterpriseImport&)> on_progress;  // after each committed batch
};

class EnterpriseService : public FactSource {
 public:
  EnterpriseService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                    const FactSchema& schema);

  // Imports enterprises' facts from `in`, streamed, options.batch_size rows per transaction
  // (the job row updated in each). Bad rows (JSON, missing id, a 统一社会信用代码 that fails,
  // unknown fact, wrong type) are skipped and reported; only the facts present in a row are
  // set, JSON null deletes one; an equal value is left alone (its as_of too). Audited once
  // (policy.enterprise.import) with the counts. Needs parties.write.
  // kInvalidArgument: policy.import_format, policy.bad_date, policy.import_header (unknown,
  // repeated or missing id column: nothing written, no job); a database failure in a batch
  // rolls that batch back, marks the job failed and returns the error (earlier batches stay).
  Result<ImportReport> Import(const identity::Principal& actor, std::istream& in,
                              const ImportOptions& options);
  // An import job with its errors (parties.write). kNotFound policy.no_such_import.
  Result<EnterpriseImport> Job(const identity::Principal& actor, const std::string& job_id);
  // The latest jobs, newest first, without their errors (parties.write); limit 1…100.
  Result<std::vector<EnterpriseImport>> Jobs(const identity::Principal& actor, int limit = 20);

  // One enterprise's facts: staff with parties.read, or the enterprise's own account.
  // kPermissionDenied identity.permission_denied; kNotFound policy.no_such_enterprise.
  Result<FactSnapshot> Facts(const identity::Principal& actor, const std::string& enterprise_id);

  // FactSource.
  Result<FactStore> LoadAll() override;
  Result<FactSnapshot> Snapshot(const std::string& enterprise_id) override;
  // The 统一社会信用代码 of the signed-in enterprise account (principal.enterprise_id → the
  // identity party's uscc). kFailedPrecondition policy.not_enterprise.
  Result<std::string> EnterpriseIdOf(const identity::Principal& actor) override;

  const FactSchema& schema() const { return schema_; }

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const FactSchema& schema_;
};

// The stored spelling of a fact value (value_json): 45, 12.5, "C3911", true. Whole numbers
// without a fraction, so an equal value always has an equal spelling.
std::string ValueJson(const Value& value);
// value_json → Value. kInvalidArgument policy.bad_value.
Result<Value> ValueFromJson(std::string_view text);

}  // namespace onestop::policy
