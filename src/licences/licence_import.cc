#include "licences/licence_import.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/ids.h"
#include "core/text.h"
#include "identity/departments.h"
#include "licences/internal/rows.h"

namespace onestop::licences {

namespace json = boost::json;
using identity::Permission;
using identity::Principal;

namespace {

constexpr std::size_t kMaxStoredErrors = 10000;
constexpr const char* kMetaColumns[] = {"holderName", "holderCode", "number",    "issueDate",
                                        "validFrom",  "validTo",    "regionCode"};

bool IsMeta(const std::string& key) {
  for (const char* m : kMetaColumns) {
    if (key == m) return true;
  }
  return false;
}

const char* FormatCode(ImportFormat f) { return f == ImportFormat::kCsv ? "csv" : "jsonl"; }

struct Row {
  std::int64_t line = 0;
  NewLicence licence;
};

void SetMeta(NewLicence& n, const std::string& key, const std::string& value) {
  if (key == "holderName") n.holder_name = value;
  if (key == "holderCode") n.holder_code = value;
  if (key == "number") n.number = value;
  if (key == "issueDate") n.issue_date = value;
  if (key == "validFrom") n.valid_from = value;
  if (key == "validTo") n.valid_to = value;
  if (key == "regionCode") n.region_code = value;
}

ImportJob JobFromRow(const store::Row& r) {
  ImportJob j;
  j.id = r.Text(0);
  j.type_code = r.Text(1);
  j.department_id = r.Text(2);
  j.file_name = r.Text(3);
  j.format = r.Text(4) == "jsonl" ? ImportFormat::kJsonLines : ImportFormat::kCsv;
  j.state = r.Text(5);
  j.rows_read = r.Int(6);
  j.imported = r.Int(7);
  j.failed = r.Int(8);
  j.last_committed_line = r.Int(9);
  j.total_bytes = r.Int(10);
  j.committed_bytes = r.Int(11);
  j.failure = r.Text(12);
  j.started_at_ms = r.Int(13);
  j.updated_at_ms = r.Int(14);
  return j;
}

Result<ImportJob> LoadJob(store::Tx& tx, const std::string& id, bool with_errors) {
  ASSIGN_OR_RETURN(
      store::Row row,
      tx.QueryOne("SELECT id, type_code, department_id, file_name, format, state, rows_read, "
                  "imported, failed, last_committed_line, total_bytes, committed_bytes, failure, "
                  "started_at_ms, updated_at_ms FROM licences_import_job WHERE id = ?",
                  {id}, "licences.no_such_import", "导入任务不存在"));
  ImportJob j = JobFromRow(row);
  if (with_errors) {
    ASSIGN_OR_RETURN(store::Rows errs,
                     tx.Query("SELECT line, field, message FROM licences_import_error WHERE "
                              "job_id = ? ORDER BY line, field",
                              {id}));
    for (const store::Row& e : errs) j.errors.push_back({e.Int(0), e.Text(1), e.Text(2)});
  }
  return j;
}

Result<void> InsertErrors(store::Tx& tx, const std::string& job_id,
                          const std::vector<ImportRowError>& errors, std::int64_t stored_before) {
  std::int64_t stored = stored_before;
  for (const ImportRowError& e : errors) {
    if (stored >= static_cast<std::int64_t>(kMaxStoredErrors)) break;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO licences_import_error (job_id, line, field, message) VALUES (?, ?, ?, ?)",
        {job_id, e.line, e.field, e.message}));
    ++stored;
  }
  return Ok();
}

}  // namespace

Result<ImportFormat> ParseImportFormat(std::string_view code) {
  if (code == "csv") return ImportFormat::kCsv;
  if (code == "jsonl" || code == "ndjson") return ImportFormat::kJsonLines;
  return InvalidArgument("licences.bad_import_format",
                         "导入格式“" + std::string(code) + "”应为 csv 或 jsonl");
}

LicenceImporter::LicenceImporter(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
                                 LicenceService& licences)
    : db_(db), clock_(clock), audit_(audit), licences_(licences) {}

Result<ImportJob> LicenceImporter::Start(const Principal& actor, const std::string& type_code,
                                         const std::string& department_id, ImportFormat format,
                                         const std::string& file_name, std::int64_t total_bytes) {
  RETURN_IF_ERROR(identity::RequireInScope(actor, Permission::kIssueLicences, department_id));
  return store::Transact(db_, [&](store::Tx& tx) -> Result<ImportJob> {
    ASSIGN_OR_RETURN(LicenceType t, licences_.GetType(tx, type_code));
    Result<identity::Department> d = identity::internal::LoadDepartment(tx, department_id);
    if (!d.has_value()) return NotFound("licences.no_such_department", "导入部门不存在");
    if (d->path.find("/" + t.issuing_department_id + "/") == std::string::npos) {
      return PermissionDenied(
          "licences.wrong_department",
          "只有“" + t.issuing_department_name + "”及其下级部门可以导入“" + t.name + "”");
    }
    ImportJob j;
    const Millis now = clock_.NowMs();
    j.id = NewUlid(now);
    j.type_code = t.code;
    j.department_id = d->id;
    j.file_name = file_name;
    j.format = format;
    j.state = "running";
    j.total_bytes = total_bytes;
    j.started_at_ms = j.updated_at_ms = now;
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO licences_import_job (id, type_code, department_id, file_name, format, "
        "state, rows_read, imported, failed, last_committed_line, total_bytes, committed_bytes, "
        "failure, created_by, started_at_ms, updated_at_ms) "
        "VALUES (?, ?, ?, ?, ?, 'running', 0, 0, 0, 0, ?, 0, '', ?, ?, ?)",
        {j.id, j.type_code, j.department_id, j.file_name, std::string(FormatCode(format)),
         total_bytes, actor.user_id, now, now}));
    RETURN_IF_ERROR(
        audit_.Append(tx, identity::ActorOf(actor),
                      {"licences.import.start", "licence_import", j.id, std::nullopt, "",
                       json::serialize(json::object{{"typeCode", t.code},
                                                    {"departmentId", j.department_id},
                                                    {"fileName", file_name},
                                                    {"format", FormatCode(format)}})}));
    return j;
  });
}

Result<ImportJob> LicenceImporter::Get(const Principal& actor, const std::string& job_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  ASSIGN_OR_RETURN(ImportJob j, store::Read(db_, [&](store::Tx& tx) {
                     return LoadJob(tx, job_id, /*with_errors=*/true);
                   }));
  if (!actor.IsSystem() && !actor.CoversDepartment(j.department_id)) {
    return NotFound("licences.no_such_import", "导入任务不存在");
  }
  return j;
}

Result<ImportJob> LicenceImporter::Run(const Principal& actor, const std::string& job_id,
                                       std::istream& in, const ImportOptions& options) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kIssueLicences));
  ASSIGN_OR_RETURN(ImportJob job, store::Read(db_, [&](store::Tx& tx) {
                     return LoadJob(tx, job_id, /*with_errors=*/false);
                   }));
  if (!actor.IsSystem() && !actor.CoversDepartment(job.department_id)) {
    return NotFound("licences.no_such_import", "导入任务不存在");
  }
  // A finished job runs again over lines after its last committed one (none: nothing happens).
  ASSIGN_OR_RETURN(LicenceType type, store::Read(db_, [&](store::Tx& tx) {
                     return licences_.GetType(tx, job.type_code);
                   }));
  std::int64_t stored_errors = 0;
  {
    ASSIGN_OR_RETURN(store::Row c, store::Read(db_, [&](store::Tx& tx) {
                       return tx.QueryOne(
                           "SELECT COUNT(*) FROM licences_import_error WHERE job_id = ?", {job_id},
                           "licences.count", "计数失败");
                     }));
    stored_errors = c.Int(0);
  }
  const int batch_size = options.batch_size > 0 ? options.batch_size : 1000;

  std::string line;
  std::int64_t line_no = 0;
  std::int64_t bytes = 0;
  std::vector<std::string> header;
  std::vector<std::string> cells;

  // The CSV header (line 1), read again on resume.
  if (job.format == ImportFormat::kCsv) {
    if (!std::getline(in, line)) {
      return InvalidArgument("licences.import_header", "文件为空：第1行应为表头");
    }
    ++line_no;
    bytes += static_cast<std::int64_t>(line.size()) + 1;
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // BOM
    if (!line.empty() && line.back() == '\r') line.pop_back();
    SplitCsv(line, header);
    Error e = InvalidArgument("licences.import_header", "表头有误");
    bool bad = false;
    std::set<std::string> seen;
    for (std::string& h : header) {
      h = std::string(text::TrimSpace(h));
      bool face = std::any_of(type.face_fields.begin(), type.face_fields.end(),
                              [&](const FaceField& f) { return f.key == h; });
      if (!face && !IsMeta(h)) {
        e = std::move(e).WithField(h,
                                   "表头“" + h + "”不是“" + type.name + "”的照面字段或持证主体列");
        bad = true;
      }
      if (!seen.insert(h).second) {
        e = std::move(e).WithField(h, "表头“" + h + "”重复");
        bad = true;
      }
    }
    for (const char* need : {"holderName", "holderCode"}) {
      if (!seen.count(need)) {
        e = std::move(e).WithField(need, std::string("表头缺少“") + need + "”列");
        bad = true;
      }
    }
    if (bad) return e;
  }

  bool eof = false;
  while (!eof) {
    std::vector<Row> rows;
    std::vector<ImportRowError> errors;
    std::int64_t read_in_batch = 0;
    std::int64_t last_line = job.last_committed_line;
    // Read until `batch_size` data rows past the committed line (or the end of the file).
    while (read_in_batch < batch_size) {
      if (!std::getline(in, line)) {
        eof = true;
        break;
      }
      ++line_no;
      bytes += static_cast<std::int64_t>(line.size()) + 1;
      if (line_no <= job.last_committed_line) continue;
      last_line = line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (text::TrimSpace(line).empty()) continue;
      ++read_in_batch;
      Row row;
      row.line = line_no;
      NewLicence& n = row.licence;
      n.type_code = type.code;
      if (job.format == ImportFormat::kCsv) {
        if (!SplitCsv(line, cells)) {
          errors.push_back({line_no, "", "引号未闭合（一条记录须在一行内）"});
          continue;
        }
        if (cells.size() != header.size()) {
          errors.push_back({line_no, "",
                            "列数应为 " + std::to_string(header.size()) + "，实为 " +
                                std::to_string(cells.size())});
          continue;
        }
        for (std::size_t i = 0; i < header.size(); ++i) {
          std::string v(text::TrimSpace(cells[i]));
          if (IsMeta(header[i])) {
            SetMeta(n, header[i], v);
          } else if (!v.empty()) {
            n.face[header[i]] = v;
          }
        }
      } else {
        boost::system::error_code ec;
        json::value v = json::parse(line, ec);
        if (ec || !v.is_object()) {
          errors.push_back({line_no, "", "不是合法的 JSON 对象"});
          continue;
        }
        bool bad_meta = false;
        for (const auto& kv : v.as_object()) {
          const std::string key(kv.key());
          if (IsMeta(key)) {
            if (!kv.value().is_string()) {
              errors.push_back({line_no, key, "“" + key + "”应为文字"});
              bad_meta = true;
            } else {
              SetMeta(n, key, std::string(kv.value().as_string()));
            }
          } else {
            n.face[key] = kv.value();
          }
        }
        if (bad_meta) continue;
      }
      rows.push_back(std::move(row));
    }
    if (read_in_batch == 0 && last_line == job.last_committed_line) break;

    // One transaction: the good rows, the bad rows' errors and the job's progress.
    std::int64_t imported = 0;
    std::vector<ImportRowError> batch_errors = errors;
    Result<void> committed = store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
      imported = 0;
      batch_errors = errors;
      for (const Row& r : rows) {
        Result<Licence> l = licences_.IssueImported(tx, type, r.licence, job.department_id);
        if (l.has_value()) {
          ++imported;
          continue;
        }
        if (l.error().code != ErrorCode::kInvalidArgument) {
          Error e = std::move(l).error();
          e.message = "第" + std::to_string(r.line) + "行写入失败：" + e.message;
          return e;
        }
        if (l.error().fields.empty()) {
          batch_errors.push_back({r.line, "", l.error().message});
        }
        for (const FieldError& f : l.error().fields)
          batch_errors.push_back({r.line, f.field, f.message});
      }
      std::sort(batch_errors.begin(), batch_errors.end(),
                [](const ImportRowError& a, const ImportRowError& b) { return a.line < b.line; });
      std::set<std::int64_t> bad_lines;
      for (const ImportRowError& e : batch_errors) bad_lines.insert(e.line);
      RETURN_IF_ERROR(InsertErrors(tx, job.id, batch_errors, stored_errors));
      const Millis now = clock_.NowMs();
      ASSIGN_OR_RETURN(
          std::int64_t n,
          tx.Exec("UPDATE licences_import_job SET state = ?, rows_read = rows_read + ?, "
                  "imported = imported + ?, failed = failed + ?, last_committed_line = ?, "
                  "committed_bytes = ?, failure = '', updated_at_ms = ? WHERE id = ?",
                  {std::string(eof ? "done" : "running"), read_in_batch, imported,
                   static_cast<std::int64_t>(bad_lines.size()), last_line, bytes, now, job.id}));
      if (n != 1) return NotFound("licences.no_such_import", "导入任务不存在");
      RETURN_IF_ERROR(
          audit_.Append(tx, identity::ActorOf(actor),
                        {"licences.import.batch", "licence_import", job.id, std::nullopt, "",
                         json::serialize(json::object{
                             {"typeCode", type.code},
                             {"toLine", last_line},
                             {"imported", imported},
                             {"failed", static_cast<std::int64_t>(bad_lines.size())}})}));
      return Ok();
    });
    if (!committed.has_value()) {
      // The batch rolled back as a whole; record why, keep what earlier batches committed.
      const std::string why = committed.error().message;
      Result<void> marked = store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
        RETURN_IF_ERROR(tx.Exec(
            "UPDATE licences_import_job SET state = 'failed', failure = ?, updated_at_ms = ? "
            "WHERE id = ?",
            {why, clock_.NowMs(), job.id}));
        return Ok();
      });
      if (!marked.has_value()) return std::move(marked).error();
      return Get(actor, job_id);
    }
    std::set<std::int64_t> bad_lines;
    for (const ImportRowError& e : batch_errors) bad_lines.insert(e.line);
    stored_errors += static_cast<std::int64_t>(batch_errors.size());
    job.rows_read += read_in_batch;
    job.imported += imported;
    job.failed += static_cast<std::int64_t>(bad_lines.size());
    job.last_committed_line = last_line;
    job.committed_bytes = bytes;
    if (options.on_progress) {
      options.on_progress({job.rows_read, job.imported, job.failed, bytes, job.total_bytes});
    }
  }
  // The last batch may have ended exactly at the end of the file without knowing it.
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(
        tx.Exec("UPDATE licences_import_job SET state = 'done', updated_at_ms = ? WHERE id = ? AND "
                "state <> 'done'",
                {clock_.NowMs(), job.id}));
    return Ok();
  }));
  return Get(actor, job_id);
}

BackgroundImports::~BackgroundImports() { WaitForAll(); }

void BackgroundImports::WaitForAll() {
  std::list<std::thread> running;
  {
    std::lock_guard lock(mu_);
    running.swap(threads_);
  }
  for (std::thread& t : running) {
    if (t.joinable()) t.join();
  }
}

Result<ImportJob> BackgroundImports::Start(const Principal& actor, const std::string& type_code,
                                           const std::string& department_id, ImportFormat format,
                                           const std::string& file_name, std::string data) {
  ASSIGN_OR_RETURN(ImportJob job,
                   importer_.Start(actor, type_code, department_id, format, file_name,
                                   static_cast<std::int64_t>(data.size())));
  std::lock_guard lock(mu_);
  threads_.emplace_back([this, actor, id = job.id, data = std::move(data)]() {
    std::istringstream in(data);
    Result<ImportJob> done = importer_.Run(actor, id, in);
    if (!done.has_value()) {
      // A bad header or a store error before any batch: record it on the job for the page.
      (void)store::Transact(importer_.db(), [&](store::Tx& tx) -> Result<void> {
        RETURN_IF_ERROR(
            tx.Exec("UPDATE licences_import_job SET state = 'failed', failure = ? WHERE id = ?",
                    {done.error().message +
                         (done.error().fields.empty() ? "" : "：" + done.error().fields[0].message),
                     id}));
        return Ok();
      });
    }
  });
  return job;
}

}  // namespace onestop::licences
