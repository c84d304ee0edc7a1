#include "store/db.h"

#include <charconv>
#include <cstdlib>

#include "store/postgres/pg_db.h"
#include "store/sqlite/sqlite_db.h"

namespace onestop::store {

const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kPostgres:
      return "postgresql";
  }
  return "unknown";
}

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : kNull; }
Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : kNull; }

bool Row::IsNull(std::size_t i) const {
  return std::holds_alternative<std::monostate>(values_.at(i));
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<std::int64_t>(&v)) return *p;
  if (const auto* p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (const auto* p = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(p->data(), p->data() + p->size(), out);
    return out;
  }
  return 0;
}

double Row::Double(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<double>(&v)) return *p;
  if (const auto* p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (const auto* p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<std::string>(&v)) return *p;
  if (const auto* p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (const auto* p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<Row> Tx::QueryOne(std::string_view sql, const std::vector<Value>& params,
                         std::string_view not_found_reason, std::string_view not_found_message) {
  ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.empty()) {
    return NotFound(std::string(not_found_reason), std::string(not_found_message));
  }
  return rows.front();
}

Result<std::unique_ptr<Db>> Open(std::string_view url, const OpenOptions& options) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.empty()) {
      return InvalidArgument("store.bad_url", "数据库地址缺少文件路径，应为 sqlite:路径");
    }
    return OpenSqlite(path, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(url, options);
  }
  return InvalidArgument(
      "store.bad_url",
      "无法识别的数据库地址，应为 sqlite:路径 或 postgresql://用户:密码@主机:端口/库名");
}

namespace {
std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}
}  // namespace

std::string LikeContains(std::string_view text) { return "%" + EscapeLike(text) + "%"; }
std::string LikePrefix(std::string_view text) { return EscapeLike(text) + "%"; }

Result<void> CheckVersion(std::int64_t affected_rows) {
  if (affected_rows == 0) {
    return Aborted("store.version_conflict", "数据已被他人修改，请刷新后重试");
  }
  return Ok();
}

}  // namespace onestop::store
