// Total variation distance between the real and the synthetic marginal over 1 to 3
// columns of EvalInputs' codes, counted exactly, optionally over a weighted subset of rows
// (the bootstrap's resampled rows).
//
//   TVD = 1/2 * sum over cells x of |r_x / N_r - s_x / N_s|
//       = sum over x of |r_x N_s - s_x N_r| / (2 N_r N_s)
//
// where r_x, s_x count the (weighted) rows of each table in cell x and N_r, N_s are the
// tables' row counts. The cells are every combination of the columns' codes, missing and
// out-of-domain codes included, so a synthesizer that gets the missing rate wrong is
// charged for it. The numerator is summed in 64-bit integers, so it is exact, the same in
// any order, and the last step is the only rounding.
//
// Counting: a marginal with few cells relative to the rows is counted into a dense array
// (no hashing per row); one with many more cells than rows sorts its rows' cell indexes
// instead, so memory stays O(rows). Both give the same integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// Row multiplicities of one table: empty means every row once; otherwise one entry per
// row, summing to the table's row count.
using RowWeights = std::span<const std::uint32_t>;

// The rows of one table to count: every row once (weights empty), or the rows listed in
// `codes` ([column][k], the codes of the k-th listed row) weights[k] times each, the
// weights summing to the table's row count. A bootstrap replicate leaves about 1/e of the
// rows out; listing the others once, with their codes gathered, lets every marginal count
// them in sequential order.
struct RowSubset {
  std::span<const std::uint32_t> weights;
  const std::vector<std::vector<std::uint32_t>>* codes = nullptr;
};

struct RowSubsetStorage {
  std::vector<std::uint32_t> weights;
  std::vector<std::vector<std::uint32_t>> codes;
};

// The rows of `table` with a nonzero weight, gathered into `storage` (which the result views).
RowSubset NonzeroRows(const EvalTable& table, RowWeights weights, RowSubsetStorage& storage);

// Reusable buffers for MarginalTvd; one per thread.
struct MarginalScratch {
  std::vector<std::uint32_t> real_counts;
  std::vector<std::uint32_t> synthetic_counts;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> real_cells;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> synthetic_cells;
};

// TVD of the marginal over `clique` (1 to 3 distinct indexes into inputs.columns).
// Codes must be below each column's cardinality (CheckCodes).
double MarginalTvd(const EvalInputs& inputs, std::span<const std::size_t> clique, RowSubset real,
                   RowSubset synthetic, MarginalScratch& scratch);

// Check that every code is below its column's cardinality and that each table has fewer
// than 2^31 rows (counts are 32-bit and the integer TVD numerator, at most 2 N_r N_s, must
// fit in 64 bits). Errors: kInternal (codes) or kInvalidArgument (size).
Status CheckCodes(const EvalInputs& inputs);

}  // namespace synthscale::eval
