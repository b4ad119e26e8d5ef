// Factor: a table of log-space values over the cells of a Clique of a Domain.
//
// Graphical-model potentials and beliefs are Factors (McKenna, Sheldon, Miklau, ICML 2019,
// "Graphical-model based estimation and inference for differential privacy", Section 3).
// Values are stored in the dense layout of marginal/domain.h (row-major over the clique's
// attributes, last attribute fastest). In log space a product of factors is a sum of their
// values and marginalising is a log-sum-exp over the dropped attributes.
//
// Every operation between two factors of different cliques walks the larger one's cells in
// memory order with stride arithmetic (adjacent dimensions whose strides allow it are merged
// into one run), so no per-cell allocation or division happens.
//
// Thread safety: a const Factor may be read from many threads; mutation needs exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/marginal/domain.h"

namespace synthscale {

class Factor {
 public:
  // The factor over the empty clique with the single value 0 (log 1).
  Factor() = default;

  // Create a factor over `clique` with every cell equal to `fill`.
  // Errors: kInvalidArgument when the clique is not valid for `domain` or has more than
  // 2^63 cells (or more than fit in memory addressing).
  static Result<Factor> Create(const Domain& domain, const Clique& clique, double fill = 0.0);
  // Create a factor over `clique` with the given values (dense layout).
  // Errors: kInvalidArgument for a bad clique or when values.size() is not its cell count.
  static Result<Factor> FromValues(const Domain& domain, const Clique& clique, std::vector<double> values);

  const Clique& clique() const { return clique_; }
  // Sizes of the clique's attributes, in clique order.
  const std::vector<std::uint32_t>& sizes() const { return sizes_; }
  std::size_t num_cells() const { return values_.size(); }
  std::span<const double> values() const { return values_; }
  std::span<double> mutable_values() { return values_; }

  // Add `other` (log-space product), broadcast over the attributes `other` lacks.
  // Errors: kInvalidArgument when other's clique is not a subset of this clique.
  Status Add(const Factor& other);
  // Subtract `other` (log-space division), broadcast likewise. Errors as Add.
  Status Subtract(const Factor& other);
  // Add `scale * other[cell]` to every cell (broadcast); Add is AddScaled(other, 1).
  Status AddScaled(const Factor& other, double scale);

  // Multiply every cell by `other`'s (linear-space product), broadcast likewise. Errors as Add.
  Status Multiply(const Factor& other);

  // Marginalise in log space onto `onto` (a subset of the clique): each result cell is the
  // log-sum-exp of the cells that agree with it, stabilised by the largest of them, so a
  // factor of values near -1000 marginalises without underflow. A group whose cells are
  // all -inf gives -inf. Errors: kInvalidArgument when `onto` is not a subset.
  Result<Factor> LogSumExp(const Clique& onto) const;
  // Marginalise in linear space onto `onto`: plain sums (for counts or probabilities).
  Result<Factor> Sum(const Clique& onto) const;
  // Broadcast onto `super` (a superset of the clique): each cell takes the value of the cell
  // of this factor it agrees with. Errors: kInvalidArgument for a bad or non-superset clique.
  Result<Factor> Expand(const Domain& domain, const Clique& super) const;

  // log(sum(exp(values))), stabilised by the maximum; -inf when every value is -inf.
  double LogSumExpAll() const;
  // Shift every value so that LogSumExpAll() == log_total (0: a log-probability table).
  // A factor whose values are all -inf is left unchanged.
  void Normalize(double log_total = 0.0);
  // exp(value) * scale for every cell, in the dense layout.
  std::vector<double> Exp(double scale = 1.0) const;

 private:
  // cell = combine(cell, other's cell) for every cell, `other` broadcast over the attributes
  // it lacks; `verb` names the operation in the error when other's clique is not a subset.
  template <typename Combine>
  Status CombineBroadcast(const Factor& other, const char* verb, Combine combine);

  Factor(Clique clique, std::vector<std::uint32_t> sizes, std::vector<double> values)
      : clique_(std::move(clique)), sizes_(std::move(sizes)), values_(std::move(values)) {}

  Clique clique_;
  std::vector<std::uint32_t> sizes_;
  std::vector<double> values_ = {0.0};
};

// Strided walk over the cells of an outer clique alongside a linear index computed from
// per-attribute target strides (a sub-clique's layout, or any permuted layout). Adjacent
// dimensions are merged when their strides allow, and size-1 dimensions dropped, so the
// innermost run is as long as possible. Used by Factor and by the sampler's table layout.
class StridedWalk {
 public:
  // `sizes[i]` is the size of outer dimension i; `target_strides[i]` the step of the target
  // index per unit of dimension i (0 for dimensions the target ignores).
  StridedWalk(std::span<const std::uint32_t> sizes, std::span<const std::uint64_t> target_strides);

  // Call run(outer_offset, target_offset, run_length, target_step) for consecutive runs of
  // outer cells in memory order: outer cells outer_offset + k, for k < run_length, map to
  // target index target_offset + k * target_step.
  template <typename RunFn>
  void ForEachRun(RunFn&& run) const {
    const std::size_t last = dims_.size() - 1;
    const std::uint64_t run_length = dims_[last].size;
    const std::uint64_t target_step = dims_[last].stride;
    std::uint64_t counters[kMaxDims] = {};
    std::uint64_t outer_offset = 0;
    std::uint64_t target_offset = 0;
    while (true) {
      run(outer_offset, target_offset, run_length, target_step);
      outer_offset += run_length;
      std::size_t dim_idx = last;
      while (true) {
        if (dim_idx == 0) return;
        --dim_idx;
        if (++counters[dim_idx] < dims_[dim_idx].size) {
          target_offset += dims_[dim_idx].stride;
          break;
        }
        counters[dim_idx] = 0;
        target_offset -= dims_[dim_idx].stride * (dims_[dim_idx].size - 1);
      }
    }
  }

  // Call block(outer_offset, target_offset, rows, row_step, run_length, target_step) for
  // consecutive blocks of rows x run_length outer cells in memory order: outer cell
  // outer_offset + r * run_length + k, for r < rows and k < run_length, maps to target index
  // target_offset + r * row_step + k * target_step. The same cells as ForEachRun, a block of
  // runs per call, so kernels over short runs (a last attribute of 2 values) stay tight loops.
  template <typename BlockFn>
  void ForEachBlock(BlockFn&& block) const {
    if (dims_.size() == 1) {
      block(std::uint64_t{0}, std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0}, dims_[0].size, dims_[0].stride);
      return;
    }
    const std::size_t row_dim = dims_.size() - 2;
    const std::uint64_t run_length = dims_[row_dim + 1].size;
    const std::uint64_t target_step = dims_[row_dim + 1].stride;
    const std::uint64_t rows = dims_[row_dim].size;
    const std::uint64_t row_step = dims_[row_dim].stride;
    const std::uint64_t block_cells = rows * run_length;
    std::uint64_t counters[kMaxDims] = {};
    std::uint64_t outer_offset = 0;
    std::uint64_t target_offset = 0;
    while (true) {
      block(outer_offset, target_offset, rows, row_step, run_length, target_step);
      outer_offset += block_cells;
      std::size_t dim_idx = row_dim;
      while (true) {
        if (dim_idx == 0) return;
        --dim_idx;
        if (++counters[dim_idx] < dims_[dim_idx].size) {
          target_offset += dims_[dim_idx].stride;
          break;
        }
        counters[dim_idx] = 0;
        target_offset -= dims_[dim_idx].stride * (dims_[dim_idx].size - 1);
      }
    }
  }

  // Cliques have at most this many attributes of size > 1 that cannot be merged (a factor
  // with 64 dimensions of size >= 2 has at least 2^64 cells, more than CellCount allows).
  static constexpr std::size_t kMaxDims = 64;

 private:
  struct Dim {
    std::uint64_t size;
    std::uint64_t stride;
  };
  std::vector<Dim> dims_;
};

// Strides of `sub` (a subset of `outer`) laid out densely, indexed by position in `outer`
// (0 for attributes of `outer` not in `sub`). `outer_sizes` are the sizes of outer's attributes.
std::vector<std::uint64_t> SubCliqueStrides(const Clique& outer, std::span<const std::uint32_t> outer_sizes,
                                            const Clique& sub);

}  // namespace synthscale
