// Status and StatusOr: how gcpilot libraries report failure without
// exceptions. A Status is ok or carries a code and a message; the message
// names the place (`gc.log:12:5: expected "ms clock"`), so callers print it
// as is.
#ifndef GCPILOT_BASE_STATUS_H_
#define GCPILOT_BASE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace gcpilot {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's request is malformed (usage errors)
  kCorruption,       // input data is malformed
  kNotFound,
  kIoError,
  kFailedPrecondition,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(StatusCode::kInvalidArgument, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(StatusCode::kCorruption, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(StatusCode::kIoError, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) { return Status(StatusCode::kFailedPrecondition, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds either a value or a non-ok Status. Accessing value() on an error is
// a programming bug (checked with assert-like abort in debug builds).
// `st` said of input data: a file whose contents are wrong is the input's
// error (kCorruption: exit 1), not the caller's usage (kInvalidArgument).
inline Status AsInputError(Status st) {
  return st.code() == StatusCode::kInvalidArgument ? Status::Corruption(st.message()) : st;
}

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_STATUS_H_
