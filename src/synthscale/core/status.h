// Status and Result<T>: how every fallible library call reports failure.
//
// No exception crosses the library boundary. A failed call returns a Status with
// an ErrorCode, a message a user can act on (what was expected, what was found,
// what to do), and a SourceLocation in the user's input when there is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace synthscale {

// Few kinds on purpose: the CLI maps each to one documented exit code (docs/cli.md).
enum class ErrorCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,  // the caller's options or arguments are wrong
  kInvalidData,      // the input data (CSV, schema, model file) is malformed
  kNotFitted,        // a model was used before it was fitted
  kIO,               // the file system refused: missing, unreadable, not a file
  kAlreadyExists,    // an output exists and overwriting was not asked for
  kInternal,         // a bug in synthscale: please report it
};

const char* ErrorCodeName(ErrorCode code);

// Where in the user's input a problem is. Every field is optional; line, column and
// row are 1-based as editors show them (row counts data rows, the header excluded).
struct SourceLocation {
  std::string file;
  std::int64_t line = 0;
  std::int64_t column = 0;
  std::int64_t row = 0;
  std::string field;

  bool empty() const { return file.empty() && line == 0 && row == 0 && field.empty(); }
  // "data.csv:12:5 (row 11, field 'age')", omitting what is unknown.
  std::string ToString() const;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, SourceLocation location = {})
      : code_(code), message_(std::move(message)), location_(std::move(location)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLocation& location() const { return location_; }

  // Prefix context on the way up: "reading schema.json: " + message.
  Status WithContext(const std::string& context) const;
  // Fill location fields that are still unknown (e.g. the file name).
  Status WithFile(const std::string& file) const;
  Status WithLocation(SourceLocation location) const;

  // One line for a terminal: "data.csv:3:7: error: <message>".
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  SourceLocation location_;
};

inline Status InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
inline Status InvalidData(std::string message, SourceLocation location = {}) {
  return {ErrorCode::kInvalidData, std::move(message), std::move(location)};
}
inline Status NotFitted(std::string message) { return {ErrorCode::kNotFitted, std::move(message)}; }
inline Status IOError(std::string message, std::string file = {}) {
  SourceLocation location;
  location.file = std::move(file);
  return {ErrorCode::kIO, std::move(message), std::move(location)};
}
inline Status AlreadyExists(std::string message, std::string file = {}) {
  SourceLocation location;
  location.file = std::move(file);
  return {ErrorCode::kAlreadyExists, std::move(message), std::move(location)};
}
inline Status Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

// Result<T>: a value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(data_).ok()) {
      data_ = Status(ErrorCode::kInternal, "Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace synthscale

#define SYNTHSCALE_CONCAT_INNER(a, b) a##b
#define SYNTHSCALE_CONCAT(a, b) SYNTHSCALE_CONCAT_INNER(a, b)

// Return the Status from the enclosing function if `expr` failed.
#define SYNTHSCALE_RETURN_IF_ERROR(expr)            \
  do {                                              \
    ::synthscale::Status synthscale_status_ = (expr); \
    if (!synthscale_status_.ok()) return synthscale_status_; \
  } while (false)

#define SYNTHSCALE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()

// `SYNTHSCALE_ASSIGN_OR_RETURN(auto x, MaybeX());` binds x or returns the error.
#define SYNTHSCALE_ASSIGN_OR_RETURN(lhs, expr) \
  SYNTHSCALE_ASSIGN_OR_RETURN_IMPL(SYNTHSCALE_CONCAT(synthscale_result_, __LINE__), lhs, expr)
