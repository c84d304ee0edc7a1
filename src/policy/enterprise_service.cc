#include "policy/enterprise_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/csv.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/uscc.h"
#include "core/working_days.h"

namespace onestop::policy {

namespace json = boost::json;
using identity::Permission;
using identity::Principal;

namespace {

constexpr const char* kJobCols =
    "id, actor_id, file_name, format, source, as_of, status, lines, rows_ok, added, changed, "
    "unchanged, error_count, errors_json, failure, started_at_ms, finished_at_ms";
// Rows per page of LoadAll: two queries per page in one read transaction.
constexpr int kLoadPage = 5000;

std::string Line(std::int64_t line) { return "第" + std::to_string(line) + "行："; }

std::string_view TypeOfJson(const json::value& v) {
  if (v.is_number()) return "数值";
  if (v.is_string()) return "文本";
  if (v.is_bool()) return "是否";
  if (v.is_array()) return "列表";
  return "对象";
}

// One parsed data row: the facts it sets (nullopt: delete).
struct ParsedRow {
  std::int64_t line = 0;
  std::string id;
  std::optional<std::string> name;
  std::vector<std::pair<const FactDef*, std::optional<Value>>> facts;
};

// The 统一社会信用代码 of a row, normalised; appends the problem to `problems` when it fails.
std::string CheckId(std::string_view raw, std::vector<std::string>& problems) {
  std::string id(text::TrimSpace(raw));
  if (id.empty()) {
    problems.push_back("缺少企业标识 id（统一社会信用代码）");
    return id;
  }
  Result<Uscc> u = ParseUscc(id, /*accept_failed_check=*/false);
  if (!u.has_value()) {
    problems.push_back("统一社会信用代码“" + id + "”有误：" + u.error().message);
    return id;
  }
  return u->code;
}

std::optional<Value> JsonToValue(const json::value& v, const FactDef& def,
                                 std::vector<std::string>& problems) {
  if (def.type == FactType::kNumber && v.is_number()) return Value(v.to_number<double>());
  if (def.type == FactType::kString && v.is_string()) return Value(std::string(v.get_string()));
  if (def.type == FactType::kBool && v.is_bool()) return Value(v.get_bool());
  problems.push_back("“" + def.label + "”应为" + std::string(FactTypeLabel(def.type)) + "，实为" +
                     std::string(TypeOfJson(v)));
  return std::nullopt;
}

std::optional<Value> CellToValue(const std::string& cell, const FactDef& def,
                                 std::vector<std::string>& problems) {
  switch (def.type) {
    case FactType::kString:
      return Value(cell);
    case FactType::kNumber: {
      double d = 0;
      const char* end = cell.data() + cell.size();
      auto [ptr, ec] = std::from_chars(cell.data(), end, d);
      if (ec == std::errc() && ptr == end) return Value(d);
      break;
    }
    case FactType::kBool:
      if (cell == "true" || cell == "TRUE" || cell == "是" || cell == "1") return Value(true);
      if (cell == "false" || cell == "FALSE" || cell == "否" || cell == "0") return Value(false);
      break;
  }
  problems.push_back("“" + def.label + "”应为" + std::string(FactTypeLabel(def.type)) + "：" +
                     cell);
  return std::nullopt;
}

std::string ErrorsJson(const std::vector<ImportRowError>& errors) {
  json::array a;
  a.reserve(errors.size());
  for (const ImportRowError& e : errors) {
    a.push_back(json::object{{"line", e.line}, {"message", e.message}});
  }
  return json::serialize(a);
}

std::vector<ImportRowError> ErrorsFromJson(const std::string& text) {
  std::vector<ImportRowError> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& e : v.get_array()) {
    const json::object* o = e.if_object();
    if (o == nullptr) continue;
    ImportRowError r;
    if (const json::value* l = o->if_contains("line"); l && l->is_int64()) r.line = l->get_int64();
    if (const json::value* m = o->if_contains("message"); m && m->is_string()) {
      r.message = std::string(m->get_string());
    }
    out.push_back(std::move(r));
  }
  return out;
}

EnterpriseImport JobFromRow(const store::Row& r, bool with_errors) {
  EnterpriseImport j;
  j.id = r.Text(0);
  j.actor_id = r.Text(1);
  j.file_name = r.Text(2);
  j.format = r.Text(3);
  j.source = r.Text(4);
  j.as_of = r.Text(5);
  j.status = r.Text(6);
  j.lines = r.Int(7);
  j.rows_ok = r.Int(8);
  j.added = r.Int(9);
  j.changed = r.Int(10);
  j.unchanged = r.Int(11);
  j.error_count = r.Int(12);
  if (with_errors) j.errors = ErrorsFromJson(r.Text(13));
  j.failure = r.Text(14);
  j.started_at_ms = r.Int(15);
  j.finished_at_ms = r.OptInt(16);
  return j;
}

Result<void> WriteProgress(store::Tx& tx, const EnterpriseImport& j) {
  ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Exec("UPDATE policy_enterprise_import SET status = ?, lines = ?, rows_ok = ?, added = ?, "
              "changed = ?, unchanged = ?, error_count = ?, errors_json = ?, failure = ?, "
              "finished_at_ms = ? WHERE id = ?",
              {j.status, j.lines, j.rows_ok, j.added, j.changed, j.unchanged, j.error_count,
               ErrorsJson(j.errors), j.failure, store::Opt(j.finished_at_ms), j.id}));
  if (n != 1) return NotFound("policy.no_such_import", "导入任务不存在");
  return Ok();
}

std::string ImportDetails(const EnterpriseImport& j) {
  return json::serialize(json::object{{"fileName", j.file_name},
                                      {"format", j.format},
                                      {"source", j.source},
                                      {"asOf", j.as_of},
                                      {"status", j.status},
                                      {"lines", j.lines},
                                      {"rowsOk", j.rows_ok},
                                      {"added", j.added},
                                      {"changed", j.changed},
                                      {"unchanged", j.unchanged},
                                      {"errors", j.error_count}});
}

// "IN (?, ?, …)" for `n` values.
std::string Placeholders(std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s + ")";
}

}  // namespace

std::string ValueJson(const Value& value) {
  if (const double* d = std::get_if<double>(&value)) {
    if (*d == static_cast<double>(static_cast<std::int64_t>(*d)) && *d > -9.0e15 && *d < 9.0e15) {
      return std::to_string(static_cast<std::int64_t>(*d));
    }
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, ptr);
  }
  if (const std::string* s = std::get_if<std::string>(&value)) {
    return json::serialize(json::string(*s));
  }
  return std::get<bool>(value) ? "true" : "false";
}

Result<Value> ValueFromJson(std::string_view text) {
  if (text == "true") return Value(true);
  if (text == "false") return Value(false);
  if (!text.empty() && text.front() == '"') {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (!ec && v.is_string()) return Value(std::string(v.get_string()));
  } else {
    double d = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc() && ptr == text.data() + text.size()) return Value(d);
  }
  return InvalidArgument("policy.bad_value", "数据项的值无法读取：" + std::string(text));
}

EnterpriseService::EnterpriseService(store::Db& db, const Clock& clock,
                                     const audit::AuditLog& audit, const FactSchema& schema)
    : db_(db), clock_(clock), audit_(audit), schema_(schema) {}

Result<ImportReport> EnterpriseService::Import(const Principal& actor, std::istream& in,
                                               const ImportOptions& options) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kWriteParties));
  const bool csv = options.format == "csv";
  if (!csv && options.format != "jsonl") {
    return InvalidArgument("policy.import_format",
                           "导入格式“" + options.format + "”应为 csv 或 jsonl");
  }
  std::string as_of(text::TrimSpace(options.as_of));
  if (as_of.empty()) {
    as_of = Date::FromMillisCst(clock_.NowMs()).ToString();
  } else {
    Result<Date> d = Date::Parse(as_of);
    if (!d.has_value()) {
      return InvalidArgument("policy.bad_date", "数据日期应为有效日期（YYYY-MM-DD）：" + as_of);
    }
    as_of = d->ToString();
  }
  const std::string source(text::TrimSpace(options.source));
  const int batch_size = options.batch_size > 0 ? options.batch_size : 1000;

  std::string line;
  std::int64_t line_no = 0;
  // CSV: the header, checked before anything is written. nullptr columns: id / name.
  std::vector<const FactDef*> columns;
  int id_col = -1, name_col = -1;
  if (csv) {
    if (!std::getline(in, line)) {
      return InvalidArgument("policy.import_header", "文件为空：第1行应为表头");
    }
    ++line_no;
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // BOM
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> header;
    SplitCsv(line, header);
    Error e = InvalidArgument("policy.import_header", "表头有误");
    bool bad = false;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string h(text::TrimSpace(header[i]));
      const FactDef* def = nullptr;
      std::string key = h;
      if (h == "id" || h == "统一社会信用代码") {
        id_col = static_cast<int>(i);
        key = "id";
      } else if (h == "name" || h == "企业名称") {
        name_col = static_cast<int>(i);
        key = "name";
      } else if ((def = schema_.Find(h)) != nullptr) {
        key = def->key;
      } else {
        e = std::move(e).WithField(h, "表头“" + h + "”不是已声明的数据项");
        bad = true;
      }
      if (!seen.insert(key).second) {
        e = std::move(e).WithField(h, "表头“" + h + "”重复");
        bad = true;
      }
      columns.push_back(def);
    }
    if (id_col < 0) {
      e = std::move(e).WithField("id", "表头缺少“id”（统一社会信用代码）列");
      bad = true;
    }
    if (bad) {
      e.message = "表头有误：" + e.fields.front().message;
      return e;
    }
  }

  EnterpriseImport job;
  const Millis started = clock_.NowMs();
  job.id = NewUlid(started);
  job.actor_id = actor.user_id;
  job.file_name = options.file_name;
  job.format = csv ? "csv" : "jsonl";
  job.source = source;
  job.as_of = as_of;
  job.status = "running";
  job.lines = line_no;
  job.started_at_ms = started;
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO policy_enterprise_import (id, actor_id, file_name, format, source, as_of, "
        "status, lines, rows_ok, added, changed, unchanged, error_count, errors_json, failure, "
        "started_at_ms, finished_at_ms) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, 0, 0, 0, 0, 0, "
        "'[]', '', ?, NULL)",
        {job.id, job.actor_id, job.file_name, job.format, job.source, job.as_of, job.lines,
         started}));
    return Ok();
  }));

  ImportReport report;
  // Per enterprise seen in this import: 'a' added, 'c' changed, 'u' unchanged.
  std::unordered_map<std::string, char> status;
  std::vector<std::string> cells;
  bool eof = false;
  while (!eof) {
    std::vector<ParsedRow> rows;
    std::vector<ImportRowError> errors;
    std::int64_t lines_in_batch = 0;
    while (static_cast<int>(rows.size() + errors.size()) < batch_size) {
      if (!std::getline(in, line)) {
        eof = true;
        break;
      }
      ++line_no;
      ++lines_in_batch;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (text::TrimSpace(line).empty()) continue;
      ParsedRow row;
      row.line = line_no;
      std::vector<std::string> problems;
      if (csv) {
        if (!SplitCsv(line, cells)) {
          problems.push_back("引号未闭合（一条记录须在一行内）");
        } else if (cells.size() != columns.size()) {
          problems.push_back("列数应为 " + std::to_string(columns.size()) + "，实为 " +
                             std::to_string(cells.size()));
        } else {
          for (std::size_t i = 0; i < cells.size(); ++i) {
            std::string v(text::TrimSpace(cells[i]));
            if (static_cast<int>(i) == id_col) {
              row.id = CheckId(v, problems);
            } else if (static_cast<int>(i) == name_col) {
              if (!v.empty()) row.name = std::move(v);
            } else if (!v.empty()) {
              std::optional<Value> value = CellToValue(v, *columns[i], problems);
              if (value.has_value()) row.facts.emplace_back(columns[i], std::move(value));
            }
          }
        }
      } else {
        boost::system::error_code ec;
        json::value v = json::parse(line, ec);
        if (ec || !v.is_object()) {
          problems.push_back("不是合法的 JSON 对象");
        } else {
          const json::object& o = v.get_object();
          const json::value* id = o.if_contains("id");
          if (id == nullptr || !id->is_string()) {
            problems.push_back("缺少企业标识 id（统一社会信用代码）");
          } else {
            row.id = CheckId(id->get_string(), problems);
          }
          for (const auto& kv : o) {
            const std::string_view key = kv.key();
            if (key == "id") continue;
            if (key == "name") {
              if (kv.value().is_string()) {
                row.name = std::string(kv.value().get_string());
              } else if (!kv.value().is_null()) {
                problems.push_back("企业名称 name 应为文本");
              }
              continue;
            }
            const FactDef* def = schema_.Find(key);
            if (def == nullptr) {
              problems.push_back("未声明的数据项“" + std::string(key) + "”");
              continue;
            }
            if (kv.value().is_null()) {
              row.facts.emplace_back(def, std::nullopt);
              continue;
            }
            std::optional<Value> value = JsonToValue(kv.value(), *def, problems);
            if (value.has_value()) row.facts.emplace_back(def, std::move(value));
          }
        }
      }
      if (!problems.empty()) {
        std::string message = Line(line_no);
        for (std::size_t i = 0; i < problems.size(); ++i) {
          message += (i ? "；" : "") + problems[i];
        }
        errors.push_back({line_no, std::move(message)});
        continue;
      }
      rows.push_back(std::move(row));
    }
    if (lines_in_batch == 0) break;

    // One transaction: the batch's writes and the job's progress.
    std::unordered_map<std::string, char> batch_status;
    std::vector<std::string> batch_changed;
    EnterpriseImport next;
    Result<void> committed = store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
      batch_status.clear();
      batch_changed.clear();
      next = job;
      const Millis now = clock_.NowMs();
      std::vector<store::Value> ids;
      std::unordered_map<std::string, std::string> names;  // existing enterprises
      std::unordered_map<std::string, std::unordered_map<std::string, std::string>> facts;
      {
        std::set<std::string> unique;
        for (const ParsedRow& r : rows) unique.insert(r.id);
        for (const std::string& id : unique) ids.emplace_back(id);
      }
      // In pieces of 500 ids (well under every backend's parameter limit).
      for (std::size_t from = 0; from < ids.size(); from += 500) {
        const std::size_t n = std::min<std::size_t>(500, ids.size() - from);
        std::vector<store::Value> part(ids.begin() + static_cast<std::ptrdiff_t>(from),
                                       ids.begin() + static_cast<std::ptrdiff_t>(from + n));
        ASSIGN_OR_RETURN(
            store::Rows es,
            tx.Query("SELECT id, name FROM policy_enterprise WHERE id IN " + Placeholders(n),
                     part));
        for (const store::Row& e : es) names.emplace(e.Text(0), e.Text(1));
        ASSIGN_OR_RETURN(store::Rows fs, tx.Query("SELECT enterprise_id, fact, value_json FROM "
                                                  "policy_enterprise_fact WHERE enterprise_id IN " +
                                                      Placeholders(n),
                                                  part));
        for (const store::Row& f : fs) facts[f.Text(0)][f.Text(1)] = f.Text(2);
      }
      for (const ParsedRow& r : rows) {
        bool changed = false;
        auto existing = names.find(r.id);
        const bool existed = existing != names.end();
        if (!existed) {
          RETURN_IF_ERROR(
              tx.Exec("INSERT INTO policy_enterprise (id, name, created_at_ms, updated_at_ms) "
                      "VALUES (?, ?, ?, ?)",
                      {r.id, r.name.value_or(""), now, now}));
          names.emplace(r.id, r.name.value_or(""));
          changed = true;
        } else if (r.name.has_value() && *r.name != existing->second) {
          existing->second = *r.name;
          changed = true;
        }
        std::unordered_map<std::string, std::string>& have = facts[r.id];
        for (const auto& [def, value] : r.facts) {
          auto it = have.find(def->key);
          if (!value.has_value()) {
            if (it == have.end()) continue;
            RETURN_IF_ERROR(
                tx.Exec("DELETE FROM policy_enterprise_fact WHERE enterprise_id = ? AND fact = ?",
                        {r.id, def->key}));
            have.erase(it);
            changed = true;
            continue;
          }
          std::string vj = ValueJson(*value);
          const std::string& src = source.empty() ? def->source : source;
          if (it == have.end()) {
            RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO policy_enterprise_fact (enterprise_id, fact, value_json, source, "
                "as_of, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                {r.id, def->key, vj, src, as_of, now}));
            have.emplace(def->key, std::move(vj));
            changed = true;
          } else if (it->second != vj) {
            RETURN_IF_ERROR(
                tx.Exec("UPDATE policy_enterprise_fact SET value_json = ?, source = ?, as_of = ?, "
                        "updated_at_ms = ? WHERE enterprise_id = ? AND fact = ?",
                        {vj, src, as_of, now, r.id, def->key}));
            it->second = std::move(vj);
            changed = true;
          }
        }
        if (changed && existed) {
          RETURN_IF_ERROR(
              tx.Exec("UPDATE policy_enterprise SET name = ?, updated_at_ms = ? WHERE id = ?",
                      {names[r.id], now, r.id}));
        }
        // The enterprise's state in this import: the first sighting decides added or not.
        char before = 0;
        if (auto b = batch_status.find(r.id); b != batch_status.end()) {
          before = b->second;
        } else if (auto s = status.find(r.id); s != status.end()) {
          before = s->second;
        }
        char after = before;
        if (before == 0) {
          after = !existed ? 'a' : (changed ? 'c' : 'u');
        } else if (before == 'u' && changed) {
          after = 'c';
        }
        if (after != before) {
          if (before == 'u') --next.unchanged;
          if (after == 'a') ++next.added;
          if (after == 'c') ++next.changed;
          if (after == 'u') ++next.unchanged;
          if (after != 'u') batch_changed.push_back(r.id);
          batch_status[r.id] = after;
        }
      }
      next.lines += lines_in_batch;
      next.rows_ok += static_cast<std::int64_t>(rows.size());
      next.error_count += static_cast<std::int64_t>(errors.size());
      for (const ImportRowError& e : errors) {
        if (next.errors.size() >= kMaxImportErrorsKept) break;
        next.errors.push_back(e);
      }
      return WriteProgress(tx, next);
    });
    if (!committed.has_value()) {
      // The batch rolled back as a whole; earlier batches stay. Record why, and audit what
      // was written.
      Error why = std::move(committed).error();
      job.status = "failed";
      job.failure = "第" + std::to_string(line_no - lines_in_batch + 1) + "行起的一批写入失败：" +
                    why.message;
      job.finished_at_ms = clock_.NowMs();
      (void)store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
        RETURN_IF_ERROR(WriteProgress(tx, job));
        RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                      {"policy.enterprise.import", "enterprise_import", job.id,
                                       std::nullopt, "", ImportDetails(job)}));
        return Ok();
      });
      return why;
    }
    job = std::move(next);
    for (auto& [id, s] : batch_status) status[id] = s;
    for (std::string& id : batch_changed) report.changed_ids.push_back(std::move(id));
    if (options.on_progress) options.on_progress(job);
  }

  job.status = "done";
  job.finished_at_ms = clock_.NowMs();
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    RETURN_IF_ERROR(WriteProgress(tx, job));
    RETURN_IF_ERROR(audit_.Append(tx, identity::ActorOf(actor),
                                  {"policy.enterprise.import", "enterprise_import", job.id,
                                   std::nullopt, "", ImportDetails(job)}));
    return Ok();
  }));
  report.job = std::move(job);
  return report;
}

Result<EnterpriseImport> EnterpriseService::Job(const Principal& actor, const std::string& job_id) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kWriteParties));
  return store::Read(db_, [&](store::Tx& tx) -> Result<EnterpriseImport> {
    ASSIGN_OR_RETURN(store::Row r,
                     tx.QueryOne(std::string("SELECT ") + kJobCols +
                                     " FROM policy_enterprise_import WHERE id = ?",
                                 {job_id}, "policy.no_such_import", "导入任务不存在"));
    return JobFromRow(r, /*with_errors=*/true);
  });
}

Result<std::vector<EnterpriseImport>> EnterpriseService::Jobs(const Principal& actor, int limit) {
  RETURN_IF_ERROR(identity::Require(actor, Permission::kWriteParties));
  if (limit < 1 || limit > 100) {
    return InvalidArgument("policy.bad_query", "每页条数应在 1 到 100 之间");
  }
  return store::Read(db_, [&](store::Tx& tx) -> Result<std::vector<EnterpriseImport>> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query(std::string("SELECT ") + kJobCols +
                                  " FROM policy_enterprise_import ORDER BY started_at_ms DESC, "
                                  "id DESC LIMIT ?",
                              {static_cast<std::int64_t>(limit)}));
    std::vector<EnterpriseImport> out;
    for (const store::Row& r : rows) out.push_back(JobFromRow(r, /*with_errors=*/false));
    return out;
  });
}

Result<FactSnapshot> EnterpriseService::Facts(const Principal& actor,
                                              const std::string& enterprise_id) {
  if (!actor.Has(Permission::kReadParties)) {
    if (actor.kind != identity::UserKind::kEnterprise) {
      RETURN_IF_ERROR(identity::Require(actor, Permission::kReadParties));
    }
    ASSIGN_OR_RETURN(std::string own, EnterpriseIdOf(actor));
    if (own != text::TrimSpace(enterprise_id)) {
      return PermissionDenied("policy.not_own_enterprise", "企业账号只能查看本企业的数据");
    }
  }
  return Snapshot(enterprise_id);
}

Result<std::string> EnterpriseService::EnterpriseIdOf(const Principal& actor) {
  if (actor.kind != identity::UserKind::kEnterprise || !actor.enterprise_id.has_value()) {
    return FailedPrecondition("policy.not_enterprise", "只有企业账号可以查看本企业的数据");
  }
  ASSIGN_OR_RETURN(store::Rows rows, store::Read(db_, [&](store::Tx& tx) {
                     return tx.Query("SELECT uscc FROM identity_enterprise WHERE id = ?",
                                     {*actor.enterprise_id});
                   }));
  if (rows.empty()) {
    return FailedPrecondition("policy.not_enterprise", "账号所属的企业不存在");
  }
  return rows.front().Text(0);
}

Result<FactSnapshot> EnterpriseService::Snapshot(const std::string& enterprise_id) {
  const std::string id(text::TrimSpace(enterprise_id));
  return store::Read(db_, [&](store::Tx& tx) -> Result<FactSnapshot> {
    ASSIGN_OR_RETURN(store::Row e,
                     tx.QueryOne("SELECT id, name FROM policy_enterprise WHERE id = ?", {id},
                                 "policy.no_such_enterprise", "没有这家企业的数据：" + id));
    FactSnapshot s;
    s.enterprise_id = e.Text(0);
    s.name = e.Text(1);
    s.taken_at_ms = clock_.NowMs();
    ASSIGN_OR_RETURN(store::Rows fs,
                     tx.Query("SELECT fact, value_json, source, as_of FROM policy_enterprise_fact "
                              "WHERE enterprise_id = ? ORDER BY fact",
                              {id}));
    for (const store::Row& f : fs) {
      ASSIGN_OR_RETURN(Value v, ValueFromJson(f.Text(1)));
      s.facts.push_back({f.Text(0), std::move(v), f.Text(2), f.Text(3)});
    }
    return s;
  });
}

Result<FactStore> EnterpriseService::LoadAll() {
  return store::Read(db_, [&](store::Tx& tx) -> Result<FactStore> {
    FactStore store;
    std::string after;
    std::vector<EnterpriseLine> page;
    std::unordered_map<std::string, std::size_t> index;
    for (;;) {
      ASSIGN_OR_RETURN(store::Rows es,
                       tx.Query("SELECT id FROM policy_enterprise WHERE id > ? ORDER BY id LIMIT ?",
                                {after, static_cast<std::int64_t>(kLoadPage)}));
      if (es.empty()) break;
      page.clear();
      index.clear();
      page.resize(es.size());
      for (std::size_t i = 0; i < es.size(); ++i) {
        page[i].id = es[i].Text(0);
        index.emplace(page[i].id, i);
      }
      const std::string last = page.back().id;
      ASSIGN_OR_RETURN(store::Rows fs,
                       tx.Query("SELECT enterprise_id, fact, value_json FROM "
                                "policy_enterprise_fact WHERE enterprise_id > ? AND "
                                "enterprise_id <= ?",
                                {after, last}));
      for (const store::Row& f : fs) {
        auto it = index.find(f.Text(0));
        if (it == index.end()) continue;  // a fact without its enterprise row cannot be
        ASSIGN_OR_RETURN(Value v, ValueFromJson(f.Text(2)));
        page[it->second].facts.emplace(f.Text(1), std::move(v));
      }
      for (const EnterpriseLine& l : page) store.Upsert(l);
      after = last;
      if (es.size() < static_cast<std::size_t>(kLoadPage)) break;
    }
    store.Seal();
    return store;
  });
}

}  // namespace onestop::policy
