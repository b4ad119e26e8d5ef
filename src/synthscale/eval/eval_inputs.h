// EvalInputs: real, holdout and synthetic tables prepared once for every metric.
//
// Each table is held twice, both column-major over the schema's modelled columns
// (id and text columns are not evaluated):
//   codes    the schema's encoding (categories, integer/continuous/datetime bins,
//            booleans), with the missing and out-of-domain codes, so marginals, group
//            keys and categorical distances need no further work;
//   numeric  for integer, continuous, datetime and boolean columns, the value as a
//            double (NaN when missing); empty for categorical columns.
// Metrics read these and never the CSV, so every metric sees the same rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/table/column_type.h"
#include "synthscale/table/encoding.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale::eval {

struct EvalOptions {
  std::optional<std::string> target;         // utility and attribute-inference target
  std::vector<std::string> sensitive;        // subgroup audit and attribute inference
  std::vector<std::string> quasi_identifiers;  // attribute inference; empty = all others
  std::uint64_t seed = 0;                    // every random choice derives from this
  std::size_t bootstrap_replicates = 200;    // 0 disables confidence intervals
  double confidence = 0.95;                  // two-sided level of every interval
  // 3-way marginals: 0 evaluates all of them; k > 0 a seeded sample of k (reported).
  std::size_t max_three_way = 0;
  // Real-data augmentation ratios for the mixing curve (synthetic rows / real rows).
  std::vector<double> mix_ratios;

  Status Validate() const;
};

struct EvalColumn {
  std::string name;
  ColumnType type = ColumnType::kCategorical;
  std::size_t schema_index = 0;
  std::uint32_t domain_size = 0;  // codes are [0, domain_size + 2): + missing, out of domain
  bool numeric = false;           // integer, continuous, datetime or boolean

  std::uint32_t cardinality() const { return domain_size + 2; }
};

struct EvalTable {
  std::size_t num_rows = 0;
  std::vector<std::vector<std::uint32_t>> codes;  // [column][row]
  std::vector<std::vector<double>> numeric;       // [column][row], empty if categorical
};

struct EvalInputs {
  Schema schema;
  std::vector<EvalColumn> columns;  // modelled columns, in schema order
  EvalTable real;
  EvalTable holdout;  // num_rows == 0 when no holdout was given
  EvalTable synthetic;
  bool has_holdout = false;
  std::optional<std::size_t> target;  // index into columns
  std::vector<std::size_t> sensitive;  // indexes into columns
  std::vector<std::size_t> quasi_identifiers;  // indexes into columns
  EvalOptions options;

  // Index of the modelled column with this name, or nullopt.
  std::optional<std::size_t> FindColumn(const std::string& name) const;
};

// Encode the three tables (read with `schema`) and resolve the option's column names.
// `holdout` may be null. Errors: kInvalidArgument for an unknown or unmodelled column
// name, an empty real or synthetic table, or bad options.
Result<EvalInputs> PrepareEvalInputs(const Schema& schema, const Table& real, const Table* holdout,
                                     const Table& synthetic, EvalOptions options,
                                     const Context& ctx);

}  // namespace synthscale::eval
