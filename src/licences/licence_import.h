// Bulk import (批量导入) of a department's existing licence register into the licence library:
// CSV (header row = face field keys + holder columns) or JSON lines, streamed, 1,000 rows per
// transaction. Bad rows go to a per-row error report and are skipped; a batch that fails in the
// database rolls back as a whole and stops the import. The import job row
// (licences_import_job) records progress in the same transaction as each batch, so Resume
// continues after a crash from the last committed line.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "licences/licence_service.h"

namespace onestop::licences {

enum class ImportFormat { kCsv, kJsonLines };
Result<ImportFormat> ParseImportFormat(std::string_view code);  // "csv" / "jsonl"

// Holder and metadata columns besides the face field keys (CSV header names / JSON keys):
// holderName, holderCode (required); number, issueDate, validFrom, validTo, regionCode (optional).

struct ImportRowError {
  std::int64_t line = 0;  // 1-based line in the file (the CSV header is line 1)
  std::string field;      // "holderCode", "face.address", "" for the whole row
  std::string message;    // Chinese
};

struct ImportJob {
  std::string id;  // ULID
  std::string type_code;
  std::string department_id;
  std::string file_name;
  ImportFormat format = ImportFormat::kCsv;
  std::string state;  // "running" / "done" / "failed"
  std::int64_t rows_read = 0;
  std::int64_t imported = 0;
  std::int64_t failed = 0;               // rows skipped with errors
  std::int64_t last_committed_line = 0;  // resume after this line
  std::int64_t total_bytes = 0;          // of the file, 0 when unknown
  std::int64_t committed_bytes = 0;      // offset after last_committed_line (for the %)
  std::string failure;                   // Chinese, when state is failed
  std::vector<ImportRowError> errors;    // the report (first 10,000 errors kept)
  Millis started_at_ms = 0;
  Millis updated_at_ms = 0;
};

struct ImportProgress {
  std::int64_t rows_read = 0, imported = 0, failed = 0;
  std::int64_t bytes_read = 0, total_bytes = 0;
};

struct ImportOptions {
  int batch_size = 1000;
  std::function<void(const ImportProgress&)> on_progress;  // after each committed batch
};

class LicenceImporter {
 public:
  LicenceImporter(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                  LicenceService& licences);

  // Creates the job row (licences.issue, the department in scope and the type's issuing
  // department or below). kNotFound licences.no_such_type; kPermissionDenied
  // licences.wrong_department.
  Result<ImportJob> Start(const identity::Principal& actor, const std::string& type_code,
                          const std::string& department_id, ImportFormat format,
                          const std::string& file_name, std::int64_t total_bytes);
  // Reads `in` (from its beginning) and imports every line after the job's
  // last_committed_line. Returns the finished job (state done, or failed with `failure` when a
  // batch failed in the database: that batch rolled back, earlier ones stay).
  // kInvalidArgument licences.import_header (CSV header unknown or missing holder columns).
  Result<ImportJob> Run(const identity::Principal& actor, const std::string& job_id,
                        std::istream& in, const ImportOptions& options = {});
  // kNotFound licences.no_such_import.
  Result<ImportJob> Get(const identity::Principal& actor, const std::string& job_id);

  store::Db& db() { return db_; }

 private:
  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  LicenceService& licences_;
};

// Runs imports in background threads for the HTTP upload (the page polls the job for its
// progress bar). The destructor waits for every running import.
class BackgroundImports {
 public:
  explicit BackgroundImports(LicenceImporter& importer) : importer_(importer) {}
  ~BackgroundImports();
  BackgroundImports(const BackgroundImports&) = delete;
  BackgroundImports& operator=(const BackgroundImports&) = delete;

  // Start()s the job (its errors are returned at once) and runs it over `data` in a thread.
  Result<ImportJob> Start(const identity::Principal& actor, const std::string& type_code,
                          const std::string& department_id, ImportFormat format,
                          const std::string& file_name, std::string data);
  // Waits for every import started so far (tests).
  void WaitForAll();
  LicenceImporter& importer() { return importer_; }

 private:
  LicenceImporter& importer_;
  std::mutex mu_;
  std::list<std::thread> threads_;
};

}  // namespace onestop::licences
