// Where each value of a JSON text starts (line and column), by JSON path — Boost.JSON keeps no
// positions, so catalogue import scans the text once more to name the line of each error
// ("第 37 行 items[2].promisedLimit.value：…"). Also the import's syntax check: it reports the
// line of a syntax error and refuses duplicate keys (which Boost.JSON would silently merge).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onestop::catalog {

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters (a Chinese character counts one)
  bool operator==(const TextPosition&) const = default;
};

class JsonPositions {
 public:
  // Scans `text` (one JSON value). kInvalidArgument catalog.json_syntax, with the message
  // "第 L 行第 C 列：…", on malformed JSON, a repeated key in one object, or nesting over 64.
  static Result<JsonPositions> Scan(std::string_view text);

  // Where the value at `path` starts; paths look like "items[2].promisedLimit.value" ("" is
  // the whole text). A path not in the text (a missing key) gives its nearest enclosing value.
  TextPosition Find(std::string_view path) const;

  // The line and column of byte `offset` of `text`.
  static TextPosition At(std::string_view text, std::size_t offset);

  std::size_t size() const { return at_.size(); }

 private:
  std::map<std::string, TextPosition, std::less<>> at_;
  friend class JsonScanner;
};

}  // namespace onestop::catalog
