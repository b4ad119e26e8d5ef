#include "synthscale/eval/nearest_neighbours.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace synthscale::eval {

namespace {

constexpr std::size_t kLanes = 8;          // floats per vector (AVX2 width)
constexpr std::size_t kByteLanes = 32;     // bytes per vector; also the row padding
constexpr std::size_t kMaxByteColumns = 127;  // match counts must fit an int8 lane
constexpr std::size_t kQueryGroup = 8;     // query rows accumulated together in registers
constexpr std::size_t kTileRows = 2048;    // reference rows per tile: 15 columns × 8 KiB in L2
constexpr std::size_t kQueryBlock = 256;   // query rows per task (fixed, not thread-dependent)
constexpr float kMissing = 1e30F;          // a numeric missing value; see the header
constexpr double kClamp = 1e4;             // scaled numeric values are clamped to ±kClamp

static_assert(kTileRows % kByteLanes == 0 && kByteLanes % kLanes == 0 && kQueryBlock % kQueryGroup == 0);

// GCC/Clang vector extensions: portable, and lowered to two SSE halves in the baseline
// clone. Used only inside ScanTile (never passed by value), so no ABI question arises.
typedef float Floats __attribute__((vector_size(32)));
typedef std::int32_t Ints __attribute__((vector_size(32)));
typedef std::int8_t Bytes __attribute__((vector_size(32)));
typedef std::int8_t Bytes8 __attribute__((vector_size(8)));

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

// True when any lane of a comparison mask is set. Inlined into each kernel clone.
__attribute__((always_inline)) inline bool AnyLane(const Ints& mask) {
  std::uint64_t words[4];
  std::memcpy(words, &mask, sizeof(words));
  return (words[0] | words[1] | words[2] | words[3]) != 0;
}

// The reference rows of one search, as the kernel reads them.
struct ReferenceView {
  const float* values;
  const std::uint8_t* codes;
  std::size_t stride;
  std::size_t num_float_columns;
  std::size_t num_byte_columns;
  std::size_t num_rows;
};

// Scan reference rows [row_begin, row_end) (multiples of kByteLanes, possibly past
// num_rows on the padded tail) for kQueryGroup query rows whose encoded values are
// query_values[float column * kQueryGroup + q] and query_codes[byte column * kQueryGroup +
// q]; merge them into each query's sorted top-k lists best_distance/best_index[q * k +
// rank]. Distances here are sums of terms (the mean's numerator): the byte columns'
// mismatch count (an exact integer) plus the float columns' terms in column order;
// dividing by the column count later preserves order and ties.
//
// Hand-written because no packaged library offers an exact k-NN under this clipped-L1
// mixed distance (faiss has no such metric, and is not in Debian 12 for this use).
SYNTHSCALE_NN_KERNEL void ScanTile(const ReferenceView& reference, std::size_t row_begin,
                                   std::size_t row_end, const float* query_values,
                                   const std::uint8_t* query_codes, std::size_t k,
                                   float* best_distance, std::uint32_t* best_index) {
  const Floats one = {1.F, 1.F, 1.F, 1.F, 1.F, 1.F, 1.F, 1.F};
  const Ints abs_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                         0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
  const auto byte_columns = static_cast<float>(reference.num_byte_columns);
  const std::size_t stride = reference.stride;
  for (std::size_t block = row_begin; block < row_end; block += kByteLanes) {
    // Byte columns: count matches, 32 rows per instruction (x == q is -1 where equal).
    std::int8_t matches[kQueryGroup][kByteLanes];
    {
      Bytes count[kQueryGroup] = {};
      for (std::size_t column = 0; column < reference.num_byte_columns; ++column) {
        Bytes x;
        std::memcpy(&x, reference.codes + column * stride + block, sizeof(x));
        const std::uint8_t* q = query_codes + column * kQueryGroup;
        for (std::size_t g = 0; g < kQueryGroup; ++g) {
          count[g] += x == static_cast<std::int8_t>(q[g]);
        }
      }
      for (std::size_t g = 0; g < kQueryGroup; ++g) std::memcpy(matches[g], &count[g], sizeof(count[g]));
    }
    for (std::size_t row = block; row < block + kByteLanes; row += kLanes) {
      Floats sum[kQueryGroup];
      for (std::size_t g = 0; g < kQueryGroup; ++g) {
        Bytes8 negative_matches;
        std::memcpy(&negative_matches, matches[g] + (row - block), sizeof(negative_matches));
        // Two steps (sign-extend, then convert) so both map to single vector instructions.
        const Ints widened = __builtin_convertvector(negative_matches, Ints);
        sum[g] = byte_columns + __builtin_convertvector(widened, Floats);  // mismatches
      }
      for (std::size_t column = 0; column < reference.num_float_columns; ++column) {
        Floats x;
        std::memcpy(&x, reference.values + column * stride + row, sizeof(x));
        const float* q = query_values + column * kQueryGroup;
        for (std::size_t g = 0; g < kQueryGroup; ++g) {
          Floats diff = x - q[g];
          diff = reinterpret_cast<Floats>(reinterpret_cast<Ints>(diff) & abs_mask);
          sum[g] += diff < one ? diff : one;
        }
      }
      // Once the lists fill up, few rows beat a query's k-th distance: test all 8 queries
      // with one horizontal reduction, and look at lanes only when one does.
      Ints closer[kQueryGroup];
      Ints any_closer = {};
      for (std::size_t g = 0; g < kQueryGroup; ++g) {
        closer[g] = sum[g] < best_distance[g * k + k - 1];
        any_closer |= closer[g];
      }
      if (!AnyLane(any_closer)) continue;
      for (std::size_t g = 0; g < kQueryGroup; ++g) {
        if (!AnyLane(closer[g])) continue;
        float* distances = best_distance + g * k;
        std::uint32_t* indexes = best_index + g * k;
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
          const std::size_t candidate = row + lane;
          const float d = sum[g][lane];
          if (candidate >= reference.num_rows || !(d < distances[k - 1])) continue;
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
    const std::size_t byte_columns =
        static_cast<std::size_t>(std::count(spec.byte_codes.begin(), spec.byte_codes.end(), true));
    spec.byte_codes.push_back(!numeric && inputs.columns[column].cardinality() <= 256 &&
                              byte_columns < kMaxByteColumns);
  }
  return spec;
}

NeighbourRows EncodeNeighbourRows(const DistanceSpec& spec, const EvalTable& table,
                                  std::span<const std::uint32_t> rows) {
  NeighbourRows out;
  out.num_rows = rows.empty() ? table.num_rows : rows.size();
  out.num_columns = spec.columns.size();
  out.num_byte_columns =
      static_cast<std::size_t>(std::count(spec.byte_codes.begin(), spec.byte_codes.end(), true));
  out.num_float_columns = out.num_columns - out.num_byte_columns;
  out.stride = (out.num_rows + kByteLanes - 1) / kByteLanes * kByteLanes;
  // Padding rows hold kMissing / code 0; the search never reports them (index check).
  out.values.assign(out.num_float_columns * out.stride, kMissing);
  out.codes.assign(out.num_byte_columns * out.stride, 0);
  std::size_t float_column = 0;
  std::size_t byte_column = 0;
  for (std::size_t entry = 0; entry < spec.columns.size(); ++entry) {
    const std::size_t column = spec.columns[entry];
    if (spec.byte_codes[entry]) {
      std::uint8_t* dest = out.codes.data() + byte_column++ * out.stride;
      for (std::size_t i = 0; i < out.num_rows; ++i) {
        dest[i] = static_cast<std::uint8_t>(table.codes[column][rows.empty() ? i : rows[i]]);
      }
      continue;
    }
    float* dest = out.values.data() + float_column++ * out.stride;
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
  if (query.num_columns != reference.num_columns || query.num_columns == 0 ||
      query.num_byte_columns != reference.num_byte_columns) {
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
  const std::size_t float_columns = query.num_float_columns;
  const std::size_t byte_columns = query.num_byte_columns;
  Neighbours out;
  out.k = k;
  out.distance.assign(query.num_rows * k, std::numeric_limits<float>::infinity());
  out.index.assign(query.num_rows * k, Neighbours::kNone);
  const auto columns_as_float = static_cast<float>(query.num_columns);
  const ReferenceView view{reference.values.data(), reference.codes.data(), reference.stride,
                           reference.num_float_columns, reference.num_byte_columns, reference.num_rows};

  SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(
      ctx.pool(), query.num_rows, kQueryBlock, [&](std::size_t begin, std::size_t end) {
        const std::size_t groups = (end - begin + kQueryGroup - 1) / kQueryGroup;
        // Per task (not per row): the block's query values regrouped [group][column][q],
        // and its running top-k lists.
        std::vector<float> grouped_values(groups * float_columns * kQueryGroup, kMissing);
        std::vector<std::uint8_t> grouped_codes(groups * byte_columns * kQueryGroup, 0);
        for (std::size_t i = begin; i < end; ++i) {
          const std::size_t group = (i - begin) / kQueryGroup;
          const std::size_t lane = (i - begin) % kQueryGroup;
          for (std::size_t column = 0; column < float_columns; ++column) {
            grouped_values[(group * float_columns + column) * kQueryGroup + lane] =
                query.values[column * query.stride + i];
          }
          for (std::size_t column = 0; column < byte_columns; ++column) {
            grouped_codes[(group * byte_columns + column) * kQueryGroup + lane] =
                query.codes[column * query.stride + i];
          }
        }
        std::vector<float> best_distance(groups * kQueryGroup * k, std::numeric_limits<float>::infinity());
        std::vector<std::uint32_t> best_index(groups * kQueryGroup * k, Neighbours::kNone);
        for (std::size_t tile = 0; tile < reference.stride; tile += kTileRows) {
          const std::size_t tile_end = std::min(tile + kTileRows, reference.stride);
          for (std::size_t group = 0; group < groups; ++group) {
            ScanTile(view, tile, tile_end, grouped_values.data() + group * float_columns * kQueryGroup,
                     grouped_codes.data() + group * byte_columns * kQueryGroup, k,
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
