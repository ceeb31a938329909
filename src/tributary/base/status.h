#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace tributary {

/// What the caller should do about an error.
enum class StatusCode : unsigned char {
  kOk = 0,
  /// Bad user input (option, value, file content, schema): the user fixes it.
  kInvalidArgument,
  /// A file, table or key that should exist does not.
  kNotFound,
  /// Put-if-absent found the target already there.
  kAlreadyExists,
  /// Another writer won an optimistic commit: rebase and retry.
  kConflict,
  /// The operating system or storage failed: retry or fail.
  kIOError,
  /// Persistent state (checkpoint, log, file) is damaged: stop, never guess.
  kCorruption,
  /// A feature or option value that is not supported yet.
  kNotImplemented,
  /// The schema changed and was persisted; a restart picks it up (Spark's
  /// UnknownFieldException, retryable).
  kSchemaChanged,
  /// The operation was stopped on request (signal, Stop()).
  kCancelled,
  /// A bug in Tributary.
  kInternal,
};

/// Returns the name of a code, e.g. "Invalid argument".
std::string_view StatusCodeName(StatusCode code);

/// The outcome of an operation: OK, or a code and a message naming what failed.
/// An OK status holds no allocation.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status OK() { return Status(); }

  template <typename... Args>
  static Status Invalid(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kInvalidArgument, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status NotFound(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kNotFound, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status AlreadyExists(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kAlreadyExists, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Conflict(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kConflict, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status IOError(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kIOError, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Corruption(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kCorruption, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status NotImplemented(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kNotImplemented, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status SchemaChanged(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kSchemaChanged, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Cancelled(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kCancelled, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Internal(fmt::format_string<Args...> format, Args&&... args) {
    return Status(StatusCode::kInternal, fmt::format(format, std::forward<Args>(args)...));
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  const std::string& message() const;

  bool IsInvalid() const { return code() == StatusCode::kInvalidArgument; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsIOError() const { return code() == StatusCode::kIOError; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsNotImplemented() const { return code() == StatusCode::kNotImplemented; }
  bool IsSchemaChanged() const { return code() == StatusCode::kSchemaChanged; }
  bool IsCancelled() const { return code() == StatusCode::kCancelled; }

  /// Returns a status with the same code and `context: message`.
  Status WithContext(std::string_view context) const;

  /// "Invalid argument: <message>", or "OK".
  std::string ToString() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  // Shared so that copying a failed status is cheap; a status is never mutated.
  std::shared_ptr<const State> state_;
};

}  // namespace tributary
