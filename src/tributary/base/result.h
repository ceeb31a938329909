#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "tributary/base/status.h"

namespace tributary {

/// A value of type T, or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result built from an OK status has no value");
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  /// REQUIRES: ok().
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

  /// Moves the value out. REQUIRES: ok().
  T MoveValue() { return std::move(*value_); }
  T ValueOr(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tributary

#define TRIB_CONCAT_IMPL(a, b) a##b
#define TRIB_CONCAT(a, b) TRIB_CONCAT_IMPL(a, b)

/// Returns the status of `expr` from the calling function when it is not OK.
#define TRIB_RETURN_NOT_OK(expr)                   \
  do {                                             \
    ::tributary::Status _trib_status = (expr);     \
    if (!_trib_status.ok()) return _trib_status;   \
  } while (false)

#define TRIB_ASSIGN_OR_RETURN_IMPL(result_name, lhs, rexpr) \
  auto result_name = (rexpr);                               \
  if (!result_name.ok()) return result_name.status();       \
  lhs = std::move(result_name).value()

/// Evaluates `rexpr` (a Result), returns its status when not OK, else assigns the
/// value to `lhs`, which may be a declaration: TRIB_ASSIGN_OR_RETURN(auto x, F());
#define TRIB_ASSIGN_OR_RETURN(lhs, rexpr) \
  TRIB_ASSIGN_OR_RETURN_IMPL(TRIB_CONCAT(_trib_result_, __COUNTER__), lhs, rexpr)
