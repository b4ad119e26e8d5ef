// Schema inference: read a CSV file once and propose a schema (types, domains, nullability).
//
// One streaming pass over the raw fields, with the same tokenizer, chunking and missing
// tokens as CsvReader, so the inferred schema reads the file back. Per column, in this
// order (docs/formats.md, "Schema inference"):
//   - no value at all (every field missing): text, nullable, no domain (nothing to model);
//   - every value true/false or yes/no (any case, 1/0 allowed alongside): boolean;
//     a column of only 0 and 1 is integer [0, 1], so it is written back as 0/1;
//   - every value a 64-bit integer within +-9e15: integer, bounds = observed min/max,
//     bins = max - min + 1 if that is <= integer_bins, else integer_bins;
//   - every value a finite number: continuous, observed bounds, continuous_bins;
//   - every value a date or datetime: datetime ("date" format unless some value has a
//     time of day), observed bounds, bins as for integers (in seconds);
//   - at most max_categories distinct labels: categorical, categories sorted bytewise;
//   - more than max_categories values, all distinct and none missing: id;
//   - otherwise: text.
// nullable is whether any value was missing. Every domain is marked domain_from_data, and
// one warning says such domains are not differentially private.
//
// Deterministic and independent of the thread count: pieces are summarised in parallel
// and merged in input order; categories are sorted. Duplicate detection for ids uses
// 64-bit hashes (a false "duplicate" has probability ~n^2 / 2^65); to bound memory a
// column still looking numeric after 2^22 distinct values stops being an id candidate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/csv_options.h"
#include "synthscale/table/schema.h"

namespace synthscale {

struct InferOptions {
  std::size_t max_categories = 1000;   // a string column with at most this many labels is categorical
  std::uint32_t continuous_bins = 32;  // equal-width bins of a continuous column
  std::uint32_t integer_bins = 64;     // an integer range wider than this is binned
};

struct SchemaInference {
  Schema schema;
  std::vector<std::string> warnings;  // for the user: privacy of domains, suspicious columns
  std::size_t rows = 0;               // data rows read
};

// Infer a schema from the CSV file at `path`. Errors: as CsvReader (kIO for the file
// system, kInvalidData with a location for malformed content, "no data rows" for a
// header-only file); kInvalidArgument for bad options.
Result<SchemaInference> InferSchemaFromCsv(const std::string& path, const CsvOptions& csv_options,
                                           const InferOptions& infer_options, const Context& ctx);
// The same over CSV text in memory (no gzip); `name` stands for the file in errors.
Result<SchemaInference> InferSchemaFromCsvBuffer(std::string_view bytes, const CsvOptions& csv_options,
                                                 const InferOptions& infer_options, const Context& ctx,
                                                 const std::string& name = "<memory>");

}  // namespace synthscale
