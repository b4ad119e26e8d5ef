// MixCsv: real rows plus a share of synthetic rows, in one CSV file (a pipeline's `mix`).
//
// Writes every row of `real`, then the first k rows of `synthetic`, where k is `rows`, or
// `share` x (real rows) rounded to the nearest integer. Taking the first k is a uniform
// random choice because sampled rows are exchangeable: iid rows are independent draws (row i
// from stream i), and a rounded sample's distribution does not change when its rows are
// permuted (every group's values are dealt to its rows in a uniformly random order). Both
// files are read with `schema` and written in its column order (CsvWriter's format), so
// the output is identical for any thread count. Output is atomic: nothing appears at
// `output` unless the whole mix succeeded.
//
// Errors: those of CsvReader/CsvWriter; kInvalidArgument when `synthetic` has fewer than
// k rows, or when neither or both of share and rows are given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/csv_options.h"
#include "synthscale/table/schema.h"

namespace synthscale {

struct MixOptions {
  std::string real;
  std::string synthetic;
  std::string output;
  std::optional<double> share;
  std::optional<std::uint64_t> rows;
  CsvOptions csv;
  bool force = false;
};

struct MixSummary {
  std::uint64_t real_rows = 0;
  std::uint64_t synthetic_rows = 0;
};

Result<MixSummary> MixCsv(const MixOptions& options, const Schema& schema, const Context& ctx);

}  // namespace synthscale
