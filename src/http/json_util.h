// JSON and query helpers for route code (routes/<module>_routes.cc): check the *shape* of input
// and collect every problem as a field error, in Chinese, so one 400 lists them all.
// Entry points: ParseJsonBody + JsonReader for bodies, QueryInt/ParsePage for query strings.
// The *meaning* of values (check digits, states, permissions) is checked by services, not here.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"

namespace onestop::http {

// Parses `body` as a JSON object. An empty (or all-whitespace) body is an empty object, so a
// POST without body gets "必填" field errors rather than a parse error.
// kInvalidArgument: http.malformed_json "请求体不是有效的 JSON";
// http.body_not_object "请求体应为 JSON 对象".
Result<boost::json::object> ParseJsonObject(std::string_view body);
// ParseJsonObject(request.body).
Result<boost::json::object> ParseJsonBody(const Request& request);

// Reads typed fields from a JSON object and collects a FieldError for each one that is missing
// or has the wrong type; the getters then return a zero value. Call Finish() once at the end.
//   ASSIGN_OR_RETURN(boost::json::object body, ParseJsonBody(req));
//   JsonReader in(body);
//   std::string name = in.String("name");
//   std::optional<std::string> phone = in.OptString("phone");
//   RETURN_IF_ERROR(in.Finish());  // 400 http.invalid_body with every field error
// A JSON null counts as absent. Unknown keys are ignored. Not thread-safe.
class JsonReader {
 public:
  // `object` must outlive the reader. `prefix` is prepended to field names in errors, e.g.
  // "applicant." for a nested object read with a second reader.
  explicit JsonReader(const boost::json::object& object, std::string prefix = "");

  // A string. With `required`, an absent or empty string is the error "必填".
  // Wrong type: "应为字符串".
  std::string String(std::string_view key, bool required = true);
  // A string, or nullopt if absent or null. Wrong type: "应为字符串".
  std::optional<std::string> OptString(std::string_view key);
  // An integer in [min, max] (a JSON number with no fraction). Wrong type: "应为整数"; out of
  // range: "应在 <min> 到 <max> 之间". Absent and not required: `fallback`.
  std::int64_t Int(std::string_view key, bool required = true,
                   std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                   std::int64_t max = std::numeric_limits<std::int64_t>::max(),
                   std::int64_t fallback = 0);
  // An integer or nullopt if absent or null; same checks as Int.
  std::optional<std::int64_t> OptInt(std::string_view key,
                                     std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                     std::int64_t max = std::numeric_limits<std::int64_t>::max());
  // true/false. Wrong type: "应为布尔值". Absent and not required: `fallback`.
  bool Bool(std::string_view key, bool required = true, bool fallback = false);
  // true/false or nullopt if absent or null.
  std::optional<bool> OptBool(std::string_view key);
  // An array of strings. Not an array: "应为字符串数组"; a bad element: field "key[i]",
  // "应为字符串". Absent and not required: empty.
  std::vector<std::string> StringList(std::string_view key, bool required = true);
  // A nested object (read it with JsonReader(obj, "key.")), or nullopt if absent or null.
  // Wrong type: "应为对象"; absent and `required`: "必填".
  std::optional<boost::json::object> Object(std::string_view key, bool required = true);

  // Records a problem found by route code itself, e.g. a date that does not parse.
  void AddError(std::string_view key, std::string message);
  // Field errors so far (field names include the prefix).
  const std::vector<FieldError>& errors() const { return errors_; }
  // Ok() if no field error was recorded, else kInvalidArgument http.invalid_body
  // "请求参数有误" carrying all field errors in order.
  Result<void> Finish() const;

 private:
  const boost::json::value* Find(std::string_view key) const;

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

// Query parameter `name` as an integer in [min, max]; `fallback` when absent or empty.
// kInvalidArgument http.invalid_query "查询参数有误" with field error {name, "应为整数"} or
// {name, "应在 <min> 到 <max> 之间"}.
Result<int> QueryInt(const Request& request, std::string_view name, int fallback, int min, int max);
// Query parameter `name`, which must be present and non-empty.
// kInvalidArgument http.invalid_query "查询参数有误" with field error {name, "必填"}.
Result<std::string> QueryRequired(const Request& request, std::string_view name);

// Paging from "?page=1&pageSize=20" (docs/API.md "Lists").
struct Page {
  static constexpr int kDefaultPageSize = 20;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxPage = 1'000'000;

  int page = 1;                      // 1-based
  int page_size = kDefaultPageSize;  // 1..kMaxPageSize

  // Rows to skip: (page - 1) * page_size.
  int offset() const { return (page - 1) * page_size; }
};
// page in [1, Page::kMaxPage] (default 1), pageSize in [1, 100] (default 20).
// kInvalidArgument http.invalid_query with a field error for each bad parameter.
Result<Page> ParsePage(const Request& request);

// An instant as ISO-8601 in China Standard Time (UTC+08:00, no daylight saving):
// 1795743000000 -> "2026-11-27T09:30:00+08:00". Milliseconds are dropped (floored).
std::string IsoTimeCst(Millis at_ms);
// The CST calendar date of an instant: "2026-11-27".
std::string IsoDateCst(Millis at_ms);

}  // namespace onestop::http
