// Small input checks shared by the identity services (private to identity/).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/text.h"

namespace onestop::identity::internal {

// `s` without surrounding white space (ASCII and the ideographic space).
inline std::string Trim(std::string_view s) { return std::string(text::TrimSpace(s)); }

// Collects field errors; Finish() turns them into one kInvalidArgument.
class FieldChecker {
 public:
  // Required text of `min`..`max` characters. `label` is the Chinese field name.
  void Text(std::string_view field, std::string_view label, std::string_view value, std::size_t min,
            std::size_t max) {
    std::size_t n = text::CountCodePoints(value);
    if (n == 0 && min > 0) {
      Add(field, std::string(label) + "不能为空");
    } else if (n < min) {
      Add(field, std::string(label) + "至少 " + std::to_string(min) + " 个字");
    } else if (n > max) {
      Add(field, std::string(label) + "不能超过 " + std::to_string(max) + " 个字");
    }
  }
  void Add(std::string_view field, std::string message) {
    fields_.push_back({std::string(field), std::move(message)});
  }
  // Adds the error of a failed validator result under `field`.
  // Its reason becomes the overall reason when it is the first problem.
  void From(std::string_view field, const Error& e) {
    if (fields_.empty()) first_reason_ = e.reason;
    Add(field, e.message);
  }
  bool ok() const { return fields_.empty(); }
  // kInvalidArgument with all collected fields; the message is the first problem, the reason
  // that of the first validator error (or `reason`).
  Result<void> Finish(std::string reason = "identity.invalid_input") {
    if (fields_.empty()) return Ok();
    Error e = InvalidArgument(first_reason_.empty() ? std::move(reason) : first_reason_,
                              fields_.front().message);
    e.fields = fields_;
    return e;
  }

 private:
  std::vector<FieldError> fields_;
  std::string first_reason_;
};

}  // namespace onestop::identity::internal
