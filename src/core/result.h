// Result<T> and Error: the way every fallible OneStop function reports failure.
// Mirrors the C++23 std::expected API (not available with GCC 12 in C++20 mode).
// Mapping of codes to HTTP lives in http/error_mapping.cc, not here.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace onestop {

enum class ErrorCode {
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kResourceExhausted,
  kInternal,
};

// Stable upper-case name, e.g. "FAILED_PRECONDITION" (used in JSON bodies and logs).
const char* ErrorCodeName(ErrorCode code);

// One problem with one input field, e.g. {"applicant.idNumber", "身份证号校验位错误"}.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;              // stable machine id "cases.not_submitted"; tests match on it
  std::string message;             // Chinese, for people: "只有已提交的办件可以受理"
  std::vector<FieldError> fields;  // per-field problems, may be empty

  // Returns a copy with `field` added, for validators that collect several problems.
  Error WithField(std::string field, std::string field_message) &&;
};

// One factory per code. `reason` is "<module>.<snake_case>", `message` is Chinese.
Error InvalidArgument(std::string reason, std::string message);
Error Unauthenticated(std::string reason, std::string message);
Error PermissionDenied(std::string reason, std::string message);
Error NotFound(std::string reason, std::string message);
Error AlreadyExists(std::string reason, std::string message);
Error FailedPrecondition(std::string reason, std::string message);
Error Aborted(std::string reason, std::string message);
Error Unavailable(std::string reason, std::string message);
Error ResourceExhausted(std::string reason, std::string message);
Error Internal(std::string reason, std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(const T& value) : v_(std::in_place_index<0>, value) {}             // NOLINT
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}       // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}     // NOLINT
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Result>)
  Result(U&& value) : v_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!has_value());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(v_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const { assert(has_value()); }
  const Error& error() const& {
    assert(!has_value());
    return *error_;
  }
  Error&& error() && {
    assert(!has_value());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

// Success value for Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace onestop

#define ONESTOP_CONCAT_INNER_(a, b) a##b
#define ONESTOP_CONCAT_(a, b) ONESTOP_CONCAT_INNER_(a, b)

// Returns the error of a failed Result<...> expression from the enclosing function.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    auto&& onestop_r_ = (expr);                                \
    if (!onestop_r_.has_value()) return std::move(onestop_r_).error(); \
  } while (false)

// `lhs = std::move(*result)`, or returns the error of `expr` from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(ONESTOP_CONCAT_(onestop_tmp_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)          \
  auto tmp = (expr);                                    \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
