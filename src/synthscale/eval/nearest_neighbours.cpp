#include "synthscale/eval/nearest_neighbours.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace synthscale::eval {

namespace {

constexpr std::size_t kLanes = 8;          // floats per vector (AVX2 width)
constexpr std::size_t kQueryGroup = 8;     // query rows accumulated together in registers
constexpr std::size_t kTileRows = 2048;    // reference rows per tile: 15 columns × 8 KiB in L2
constexpr std::size_t kQueryBlock = 256;   // query rows per task (fixed, not thread-dependent)
constexpr float kMissing = 1e30F;          // a numeric missing value; see the header
constexpr double kClamp = 1e4;             // scaled numeric values are clamped to ±kClamp

static_assert(kTileRows % kLanes == 0 && kQueryBlock % kQueryGroup == 0);

// GCC/Clang vector extensions: portable, and lowered to two SSE halves in the baseline
// clone. Used only inside ScanTile (never passed by value), so no ABI question arises.
typedef float Floats __attribute__((vector_size(32)));
typedef std::int32_t Ints __attribute__((vector_size(32)));

// The kernel is compiled for AVX2 and for the baseline ISA, chosen at load time. GCC lowers
// the vector `a < b ? a : b` to cmp + blend unless told the operands are finite; they
// always are here (missing is the finite kMissing sentinel), and min/blend give the same
// bits, so finite-math-only on this one function is safe. Clang needs no such hint and
// does not know the optimize attribute.
#if defined(__clang__)
#define SYNTHSCALE_NN_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define SYNTHSCALE_NN_KERNEL \
  __attribute__((target_clones("avx2", "default"), optimize("finite-math-only", "no-signed-zeros")))
#endif

// Scan reference rows [row_begin, row_end) (a multiple of kLanes wide, possibly past
// num_reference on the padded tail) for kQueryGroup query rows whose encoded values are
// query[column * kQueryGroup + q]; merge them into each query's sorted top-k lists
// best_distance/best_index[q * k + rank]. Distances here are sums of terms (the mean's
// numerator): dividing by the column count later preserves order and ties.
//
// Hand-written because no packaged library offers an exact k-NN under this clipped-L1
// mixed distance (faiss has no such metric, and is not in Debian 12 for this use).
SYNTHSCALE_NN_KERNEL void ScanTile(
    const float* reference, std::size_t stride, std::size_t num_columns, std::size_t row_begin,
    std::size_t row_end, std::size_t num_reference, const float* query, std::size_t k,
    float* best_distance, std::uint32_t* best_index) {
  const Floats one = {1.F, 1.F, 1.F, 1.F, 1.F, 1.F, 1.F, 1.F};
  const Ints abs_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                         0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
  for (std::size_t row = row_begin; row < row_end; row += kLanes) {
    Floats sum[kQueryGroup] = {};
    for (std::size_t column = 0; column < num_columns; ++column) {
      Floats x;
      std::memcpy(&x, reference + column * stride + row, sizeof(x));
      const float* q = query + column * kQueryGroup;
      for (std::size_t g = 0; g < kQueryGroup; ++g) {
        Floats diff = x - q[g];
        diff = reinterpret_cast<Floats>(reinterpret_cast<Ints>(diff) & abs_mask);
        sum[g] += diff < one ? diff : one;
      }
    }
    for (std::size_t g = 0; g < kQueryGroup; ++g) {
      float* distances = best_distance + g * k;
      std::uint32_t* indexes = best_index + g * k;
      const float worst = distances[k - 1];
      const Ints closer = sum[g] < worst;
      std::int32_t any = 0;
      for (std::size_t lane = 0; lane < kLanes; ++lane) any |= closer[lane];
      if (any == 0) continue;
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        const std::size_t candidate = row + lane;
        const float d = sum[g][lane];
        if (candidate >= num_reference || !(d < distances[k - 1])) continue;
        // Insert after every entry <= d: earlier (lower) indexes win ties.
        std::size_t pos = k - 1;
        while (pos > 0 && distances[pos - 1] > d) {
          distances[pos] = distances[pos - 1];
          indexes[pos] = indexes[pos - 1];
          --pos;
        }
        distances[pos] = d;
        indexes[pos] = static_cast<std::uint32_t>(candidate);
      }
    }
  }
}

}  // namespace

DistanceSpec MakeDistanceSpec(const EvalInputs& inputs, std::span<const std::size_t> columns) {
  DistanceSpec spec;
  for (std::size_t column : columns) {
    const bool numeric = inputs.columns[column].numeric;
    double minimum = 0.0;
    double range = 1.0;
    if (numeric) {
      double lo = std::numeric_limits<double>::infinity();
      double hi = -std::numeric_limits<double>::infinity();
      for (double value : inputs.real.numeric[column]) {
        if (std::isnan(value)) continue;
        lo = std::min(lo, value);
        hi = std::max(hi, value);
      }
      if (lo <= hi) {
        minimum = lo;
        // A constant (or all-missing) real column gets a unit range, so the term still
        // separates different values instead of dividing by zero.
        if (hi > lo) range = hi - lo;
      }
    }
    spec.columns.push_back(column);
    spec.numeric.push_back(numeric);
    spec.minimum.push_back(minimum);
    spec.range.push_back(range);
  }
  return spec;
}

NeighbourRows EncodeNeighbourRows(const DistanceSpec& spec, const EvalTable& table,
                                  std::span<const std::uint32_t> rows) {
  NeighbourRows out;
  out.num_rows = rows.empty() ? table.num_rows : rows.size();
  out.num_columns = spec.columns.size();
  out.stride = (out.num_rows + kLanes - 1) / kLanes * kLanes;
  // Padding rows hold kMissing; the search never reports them (index check).
  out.values.assign(out.num_columns * out.stride, kMissing);
  for (std::size_t entry = 0; entry < spec.columns.size(); ++entry) {
    const std::size_t column = spec.columns[entry];
    float* dest = out.values.data() + entry * out.stride;
    for (std::size_t i = 0; i < out.num_rows; ++i) {
      const std::size_t row = rows.empty() ? i : rows[i];
      if (spec.numeric[entry]) {
        const double value = table.numeric[column][row];
        if (std::isnan(value)) {
          dest[i] = kMissing;
        } else {
          const double scaled = (value - spec.minimum[entry]) / spec.range[entry];
          dest[i] = static_cast<float>(std::clamp(scaled, -kClamp, kClamp));
        }
      } else {
        dest[i] = static_cast<float>(table.codes[column][row]);
      }
    }
  }
  return out;
}

Result<Neighbours> NearestNeighbours(const NeighbourRows& query, const NeighbourRows& reference,
                                     std::size_t k, const Context& ctx) {
  if (k < 1 || k > kMaxNeighbours) {
    return InvalidArgument("nearest-neighbour search: k must be in [1, " +
                           std::to_string(kMaxNeighbours) + "], got " + std::to_string(k));
  }
  if (query.num_columns != reference.num_columns || query.num_columns == 0) {
    return InvalidArgument("nearest-neighbour search: query and reference rows must be encoded "
                           "over the same non-empty set of columns (got " +
                           std::to_string(query.num_columns) + " and " +
                           std::to_string(reference.num_columns) + ")");
  }
  if (reference.num_rows == 0) {
    return InvalidArgument("nearest-neighbour search: the reference table has no rows");
  }
  if (reference.num_rows >= Neighbours::kNone) {
    return InvalidArgument("nearest-neighbour search: at most 2^32 - 2 reference rows are supported");
  }
  const std::size_t num_columns = query.num_columns;
  Neighbours out;
  out.k = k;
  out.distance.assign(query.num_rows * k, INFINITY);
  out.index.assign(query.num_rows * k, Neighbours::kNone);
  const auto columns_as_float = static_cast<float>(num_columns);

  SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(
      ctx.pool(), query.num_rows, kQueryBlock, [&](std::size_t begin, std::size_t end) {
        const std::size_t groups = (end - begin + kQueryGroup - 1) / kQueryGroup;
        // Per task (not per row): the block's query values regrouped [group][column][q],
        // and its running top-k lists.
        std::vector<float> grouped(groups * num_columns * kQueryGroup, kMissing);
        for (std::size_t i = begin; i < end; ++i) {
          const std::size_t group = (i - begin) / kQueryGroup;
          const std::size_t lane = (i - begin) % kQueryGroup;
          for (std::size_t column = 0; column < num_columns; ++column) {
            grouped[(group * num_columns + column) * kQueryGroup + lane] =
                query.values[column * query.stride + i];
          }
        }
        std::vector<float> best_distance(groups * kQueryGroup * k, INFINITY);
        std::vector<std::uint32_t> best_index(groups * kQueryGroup * k, Neighbours::kNone);
        for (std::size_t tile = 0; tile < reference.stride; tile += kTileRows) {
          const std::size_t tile_end = std::min(tile + kTileRows, reference.stride);
          for (std::size_t group = 0; group < groups; ++group) {
            ScanTile(reference.values.data(), reference.stride, num_columns, tile, tile_end,
                     reference.num_rows, grouped.data() + group * num_columns * kQueryGroup, k,
                     best_distance.data() + group * kQueryGroup * k,
                     best_index.data() + group * kQueryGroup * k);
          }
        }
        for (std::size_t i = begin; i < end; ++i) {
          for (std::size_t rank = 0; rank < k; ++rank) {
            const std::size_t local = (i - begin) * k + rank;
            if (best_index[local] == Neighbours::kNone) continue;
            out.distance[i * k + rank] = best_distance[local] / columns_as_float;
            out.index[i * k + rank] = best_index[local];
          }
        }
        return Status::Ok();
      }));
  return out;
}

}  // namespace synthscale::eval
