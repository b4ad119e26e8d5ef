// CsvOptions: the CSV dialect and limits shared by the reader, schema inference and
// the writer.
//
// Missing tokens apply to UNQUOTED fields only, matched against the whole field exactly
// (no trimming): `NA` is missing, `"NA"` is the two-letter text NA, and ` NA ` is neither.
// So any value can be written unambiguously: the writer quotes a text value that equals a
// missing token. Format and error catalogue: docs/formats.md ("CSV").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "synthscale/core/status.h"

namespace synthscale {

struct CsvOptions {
  // Field separator: any byte but the quote, CR, LF and NUL.
  char delimiter = ',';
  // Unquoted fields equal to one of these are missing values.
  std::vector<std::string> missing_tokens = {"", "NA", "N/A", "NULL", "null", "?"};
  // Bytes of input read (and parsed in parallel) per batch: bounds the reader's memory.
  std::size_t chunk_bytes = 8u << 20;
  // The longest record (and so the longest field) accepted; longer ones are an error
  // rather than unbounded buffering (e.g. a quote that is never closed).
  std::size_t max_field_bytes = 16u << 20;
  // Values outside the schema's domain (an unknown category, a number outside
  // [min, max], a missing value in a non-nullable column) are errors. When false they
  // are kept as read and encoding maps them to the out-of-domain code.
  bool strict_domain = true;
};

// Check the options in one place. Errors: kInvalidArgument naming the option.
Status ValidateCsvOptions(const CsvOptions& options);

}  // namespace synthscale
