// Exact nearest-neighbour search under a mixed (Gower) distance, blocked and vectorised.
//
// The distance between rows a and b over columns c = 1..C is the mean of per-column terms
//   numeric      min(|a_c - b_c| / range_c, 1)   range_c = max - min of the REAL column
//                                                (1 when the real column is constant or
//                                                all missing); missing vs value = 1,
//                                                missing vs missing = 0
//   categorical  0 if the codes are equal, else 1 (missing and out-of-domain are codes)
// so every term and the distance lie in [0, 1] (Gower 1971, "A general coefficient of
// similarity and some of its properties", Biometrics 27(4)).
//
// How it is computed, and why it is exact: every column is stored as one float per row so
// that the single expression min(|x - y|, 1) gives every term —
//   numeric      x = (value - min_c) / range_c, clamped to [-1e4, 1e4]; missing = 1e30
//                (|1e30 - x| >= 1 for any clamped x, |1e30 - 1e30| = 0);
//   categorical  x = the code as a float (exact below 2^24), so |x - y| >= 1 iff codes differ;
//                columns with at most 256 codes are instead held as bytes and their
//                mismatches counted exactly in integers (Layout, below).
// The clamp only merges values lying more than 10^4 real ranges outside the real data.
// Sums run in single precision in a fixed column order, so a distance carries a rounding
// error below C * 2^-24 and is the same bits on every machine and thread count (the
// kernel uses no fused multiply-add). Ties are broken by the lowest reference index.
//
// Layout: struct of arrays (one contiguous array per column — bytes for categorical
// columns with at most 256 codes, floats otherwise — padded to 32 rows). The search cuts the reference rows into tiles that stay in cache and the query
// rows into fixed blocks (one task each, independent of the thread count); within a tile,
// 8 query rows are compared with 32 reference rows per instruction on the byte-coded
// categorical columns (a count of matches), then with 8 rows per instruction on the float
// columns, the partial sums held in registers over all columns. The kernel is compiled
// for AVX2 and for the baseline ISA and chosen at load time (target_clones); both do the
// same per-lane operations in the same order, so they give identical results. No
// allocation happens per row.
//
// Thread safety: the functions are pure; NearestNeighbours uses ctx.pool().
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// How each column enters the distance, derived once from the real table.
struct DistanceSpec {
  std::vector<std::size_t> columns;  // indexes into EvalInputs::columns
  std::vector<bool> numeric;         // per entry of `columns`
  std::vector<double> minimum;       // numeric: real minimum (0 if none)
  std::vector<double> range;         // numeric: real max - min (1 if 0 or none)
  std::vector<bool> byte_codes;      // categorical with at most 256 codes: stored as bytes
};

// The spec over `columns` (indexes into inputs.columns); numeric ranges from inputs.real.
DistanceSpec MakeDistanceSpec(const EvalInputs& inputs, std::span<const std::size_t> columns);

// Rows encoded for the search, column by column with `stride` entries per column (rows
// rounded up to 32; padding rows are never reported). Categorical columns with at most 256
// codes (up to 127 of them) are stored as bytes, compared 32 rows per instruction; every
// other column as floats (see above).
struct NeighbourRows {
  std::size_t num_rows = 0;
  std::size_t num_columns = 0;        // all columns: the distance is the sum / num_columns
  std::size_t num_float_columns = 0;
  std::size_t num_byte_columns = 0;
  std::size_t stride = 0;
  std::vector<float> values;          // [float column * stride + row]
  std::vector<std::uint8_t> codes;    // [byte column * stride + row]
};

// Encode `rows` of `table` (all rows when `rows` is empty) under `spec`.
NeighbourRows EncodeNeighbourRows(const DistanceSpec& spec, const EvalTable& table,
                                  std::span<const std::uint32_t> rows = {});

// The k nearest reference rows of every query row, nearest first.
struct Neighbours {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::size_t k = 0;
  std::vector<float> distance;        // [query * k + rank], Gower distance in [0, 1]
  std::vector<std::uint32_t> index;   // [query * k + rank], reference row (kNone if fewer)

  double Distance(std::size_t query, std::size_t rank) const {
    return static_cast<double>(distance[query * k + rank]);
  }
  std::uint32_t Index(std::size_t query, std::size_t rank) const { return index[query * k + rank]; }
};

inline constexpr std::size_t kMaxNeighbours = 8;

// Exact k-nearest-neighbour search (1 <= k <= kMaxNeighbours). When the reference has
// fewer than k rows, the missing ranks have distance +inf and index kNone.
// Errors: kInvalidArgument for a bad k, mismatched column counts, an empty reference, or
// more than 2^32 - 1 reference rows.
Result<Neighbours> NearestNeighbours(const NeighbourRows& query, const NeighbourRows& reference,
                                     std::size_t k, const Context& ctx);

}  // namespace synthscale::eval
