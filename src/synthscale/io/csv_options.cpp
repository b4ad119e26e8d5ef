#include "synthscale/io/csv_options.h"

namespace synthscale {

Status ValidateCsvOptions(const CsvOptions& options) {
  const char delimiter = options.delimiter;
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '\0') {
    return InvalidArgument("the CSV delimiter must not be a quote, CR, LF or NUL byte");
  }
  if (options.chunk_bytes == 0) return InvalidArgument("CsvOptions::chunk_bytes must be > 0");
  if (options.max_field_bytes == 0) return InvalidArgument("CsvOptions::max_field_bytes must be > 0");
  for (const std::string& token : options.missing_tokens) {
    for (const char ch : token) {
      if (ch == delimiter || ch == '"' || ch == '\n' || ch == '\r') {
        return InvalidArgument("missing token '" + token +
                               "' contains the delimiter, a quote or a newline; it could never match "
                               "an unquoted field");
      }
    }
  }
  return Status::Ok();
}

}  // namespace synthscale
