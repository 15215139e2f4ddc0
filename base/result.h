#pragma once
// Errors cross boundaries as values. A Status is ok or carries a code and a message a
// person can act on; Result<T> is a T or a Status. Nothing here throws.
#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace gocua {

enum class ErrorCode {
  kOk = 0,
  kInvalidInput,  // the caller's data is wrong: say which field and why
  kNotFound,
  kConflict,  // e.g. a unique name already taken
  kIo,        // disk, SQLite I/O, a file that cannot be read
  kCorrupt,   // a database or file that is not what it claims to be
  kTooNew,    // a database written by a newer version of Gõ Cửa
  kInternal,
};

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidInput(std::string m) { return {ErrorCode::kInvalidInput, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : error_(std::move(error)) { assert(!error_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& error() const { return error_; }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status error_;
};

}  // namespace gocua
