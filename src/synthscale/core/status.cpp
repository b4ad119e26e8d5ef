#include "synthscale/core/status.h"

namespace synthscale {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kInvalidData: return "invalid data";
    case ErrorCode::kNotFitted: return "not fitted";
    case ErrorCode::kIO: return "I/O error";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += (out.empty() ? "line " : ":") + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  std::string detail;
  if (row > 0) detail = "row " + std::to_string(row);
  if (!field.empty()) {
    if (!detail.empty()) detail += ", ";
    detail += "field '" + field + "'";
  }
  if (!detail.empty()) out += (out.empty() ? "" : " ") + ("(" + detail + ")");
  return out;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return {code_, context + ": " + message_, location_};
}

Status Status::WithFile(const std::string& file) const {
  if (ok() || !location_.file.empty()) return *this;
  SourceLocation location = location_;
  location.file = file;
  return {code_, message_, location};
}

Status Status::WithLocation(SourceLocation location) const {
  if (ok()) return *this;
  return {code_, message_, std::move(location)};
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string where = location_.ToString();
  return (where.empty() ? std::string() : where + ": ") + "error: " + message_;
}

}  // namespace synthscale
