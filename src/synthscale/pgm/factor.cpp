#include "synthscale/pgm/factor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "synthscale/pgm/exp_kernels.h"

namespace synthscale {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// LogSumExp keeps a per-thread scratch of up to this many cells (8 MiB) between calls.
constexpr std::size_t kKeptScratchCells = std::size_t{1} << 20;

std::string CliqueText(const Clique& clique) {
  std::string text = "[";
  for (std::size_t pos = 0; pos < clique.size(); ++pos) {
    text += (pos > 0 ? ", " : "") + std::to_string(clique[pos]);
  }
  return text + "]";
}

Status CheckClique(const Domain& domain, const Clique& clique) {
  if (!IsValidClique(clique, domain.num_attributes())) {
    return InvalidArgument("clique " + CliqueText(clique) +
                           " must list distinct attribute indices in ascending order, each below " +
                           std::to_string(domain.num_attributes()));
  }
  return Status::Ok();
}

Result<std::size_t> CheckedCells(const Domain& domain, const Clique& clique) {
  const std::optional<std::uint64_t> cells = domain.CellCount(clique);
  if (!cells || *cells > std::numeric_limits<std::size_t>::max() / sizeof(double)) {
    return InvalidArgument("clique " + domain.Describe(clique) + " has too many cells to store");
  }
  return static_cast<std::size_t>(*cells);
}

std::vector<std::uint32_t> SizesOf(const Domain& domain, const Clique& clique) {
  std::vector<std::uint32_t> sizes;
  sizes.reserve(clique.size());
  for (std::uint32_t attribute : clique) sizes.push_back(domain.size(attribute));
  return sizes;
}

// Sizes of `sub`'s attributes, read from the outer factor's sizes.
std::vector<std::uint32_t> SubSizes(const Clique& outer, std::span<const std::uint32_t> outer_sizes,
                                    const Clique& sub) {
  std::vector<std::uint32_t> sizes;
  sizes.reserve(sub.size());
  std::size_t outer_pos = 0;
  for (std::uint32_t attribute : sub) {
    while (outer[outer_pos] != attribute) ++outer_pos;
    sizes.push_back(outer_sizes[outer_pos]);
  }
  return sizes;
}

// How a factor over `outer` maps onto its sub-clique `onto`: the sub-clique's sizes and
// cells, and the walk over the outer cells in memory order (what every marginalisation needs).
struct Projection {
  std::vector<std::uint32_t> sizes;
  std::size_t cells;
  StridedWalk walk;
};

Result<Projection> ProjectOnto(const Clique& outer, std::span<const std::uint32_t> outer_sizes, const Clique& onto) {
  if (!IsSubset(onto, outer) || !IsValidClique(onto, std::numeric_limits<std::uint32_t>::max())) {
    return InvalidArgument("cannot marginalise a factor over " + CliqueText(outer) + " onto " + CliqueText(onto) +
                           ": not a sorted subset");
  }
  std::vector<std::uint32_t> sizes = SubSizes(outer, outer_sizes, onto);
  std::size_t cells = 1;
  for (std::uint32_t size : sizes) cells *= size;
  const std::vector<std::uint64_t> strides = SubCliqueStrides(outer, outer_sizes, onto);
  return Projection{std::move(sizes), cells, StridedWalk(outer_sizes, strides)};
}

// acc[target] += in[cell] for every cell of the walk (each run summed left to right).
void SumOnto(const StridedWalk& walk, const double* in, double* acc) {
  walk.ForEachBlock([&](std::uint64_t outer_offset, std::uint64_t inner_offset, std::uint64_t rows,
                        std::uint64_t row_step, std::uint64_t length, std::uint64_t step) {
    for (std::uint64_t row = 0; row < rows; ++row) {
      const double* src = in + outer_offset + row * length;
      double* dst = acc + inner_offset + row * row_step;
      if (step == 0) {
        double total = 0.0;
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) total += src[cell_idx];
        *dst += total;
      } else {
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) dst[cell_idx] += src[cell_idx];
      }
    }
  });
}

}  // namespace

std::vector<std::uint64_t> SubCliqueStrides(const Clique& outer, std::span<const std::uint32_t> outer_sizes,
                                            const Clique& sub) {
  std::vector<std::uint64_t> strides(outer.size(), 0);
  std::uint64_t stride = 1;
  std::size_t sub_pos = sub.size();
  for (std::size_t outer_pos = outer.size(); outer_pos-- > 0;) {
    if (sub_pos > 0 && sub[sub_pos - 1] == outer[outer_pos]) {
      strides[outer_pos] = stride;
      stride *= outer_sizes[outer_pos];
      --sub_pos;
    }
  }
  return strides;
}

StridedWalk::StridedWalk(std::span<const std::uint32_t> sizes, std::span<const std::uint64_t> target_strides) {
  // Build from the last dimension backwards, merging dimension d into the run after it when
  // stepping d by one moves the target exactly as far as a full pass of the run does.
  for (std::size_t dim_idx = sizes.size(); dim_idx-- > 0;) {
    const std::uint64_t size = sizes[dim_idx];
    if (size == 1) continue;
    const std::uint64_t stride = target_strides[dim_idx];
    if (!dims_.empty() && stride == dims_.back().stride * dims_.back().size) {
      dims_.back().size *= size;
    } else {
      dims_.push_back({size, stride});
    }
  }
  if (dims_.empty()) dims_.push_back({1, 0});
  std::reverse(dims_.begin(), dims_.end());
}

Result<Factor> Factor::Create(const Domain& domain, const Clique& clique, double fill) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckClique(domain, clique));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::size_t cells, CheckedCells(domain, clique));
  return Factor(clique, SizesOf(domain, clique), std::vector<double>(cells, fill));
}

Result<Factor> Factor::FromValues(const Domain& domain, const Clique& clique, std::vector<double> values) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckClique(domain, clique));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::size_t cells, CheckedCells(domain, clique));
  if (values.size() != cells) {
    return InvalidArgument("factor over " + domain.Describe(clique) + " needs " + std::to_string(cells) +
                           " values, got " + std::to_string(values.size()));
  }
  return Factor(clique, SizesOf(domain, clique), std::move(values));
}

Status Factor::Add(const Factor& other) { return AddScaled(other, 1.0); }

Status Factor::Subtract(const Factor& other) { return AddScaled(other, -1.0); }

Status Factor::AddScaled(const Factor& other, double scale) {
  return CombineBroadcast(other, "combine", [scale](double cell, double value) { return cell + scale * value; });
}

Status Factor::Multiply(const Factor& other) {
  return CombineBroadcast(other, "multiply", [](double cell, double value) { return cell * value; });
}

template <typename Combine>
Status Factor::CombineBroadcast(const Factor& other, const char* verb, Combine combine) {
  if (!IsSubset(other.clique_, clique_)) {
    return InvalidArgument(std::string("cannot ") + verb + " a factor over " + CliqueText(other.clique_) +
                           " into one over " + CliqueText(clique_) + ": not a subset");
  }
  const StridedWalk walk(sizes_, SubCliqueStrides(clique_, sizes_, other.clique_));
  double* out = values_.data();
  const double* in = other.values_.data();
  walk.ForEachBlock([&](std::uint64_t outer_offset, std::uint64_t inner_offset, std::uint64_t rows,
                        std::uint64_t row_step, std::uint64_t length, std::uint64_t step) {
    for (std::uint64_t row = 0; row < rows; ++row) {
      double* dst = out + outer_offset + row * length;
      const double* src = in + inner_offset + row * row_step;
      if (step == 0) {
        const double value = *src;
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) dst[cell_idx] = combine(dst[cell_idx], value);
      } else {
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) {
          dst[cell_idx] = combine(dst[cell_idx], src[cell_idx]);
        }
      }
    }
  });
  return Status::Ok();
}

Result<Factor> Factor::LogSumExp(const Clique& onto) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(Projection projection, ProjectOnto(clique_, sizes_, onto));
  std::vector<std::uint32_t>& onto_sizes = projection.sizes;
  const std::size_t onto_cells = projection.cells;
  const StridedWalk& walk = projection.walk;
  const double* in = values_.data();

  // Pass 1: the largest value of each group, so exp never overflows and the largest term is 1.
  std::vector<double> group_max(onto_cells, kNegInf);
  double* maxima = group_max.data();
  walk.ForEachBlock([&](std::uint64_t outer_offset, std::uint64_t inner_offset, std::uint64_t rows,
                        std::uint64_t row_step, std::uint64_t length, std::uint64_t step) {
    for (std::uint64_t row = 0; row < rows; ++row) {
      const double* src = in + outer_offset + row * length;
      double* dst = maxima + inner_offset + row * row_step;
      if (step == 0) {
        *dst = MaxOf(src, length, *dst);
      } else {
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) {
          dst[cell_idx] = src[cell_idx] > dst[cell_idx] ? src[cell_idx] : dst[cell_idx];
        }
      }
    }
  });
  // An all -inf group keeps shift 0 so that exp(-inf - 0) = 0 rather than NaN.
  for (double& value : group_max) {
    if (value == kNegInf) value = 0.0;
  }

  // Pass 2: value - group max, into a scratch copy of the factor; pass 3: exp of it all in
  // one vectorised run (the walk's runs can be as short as 2 cells); pass 4: the sums.
  thread_local std::vector<double> scratch;
  scratch.resize(values_.size());
  double* shifted = scratch.data();
  walk.ForEachBlock([&](std::uint64_t outer_offset, std::uint64_t inner_offset, std::uint64_t rows,
                        std::uint64_t row_step, std::uint64_t length, std::uint64_t step) {
    for (std::uint64_t row = 0; row < rows; ++row) {
      const double* src = in + outer_offset + row * length;
      double* dst = shifted + outer_offset + row * length;
      const double* shift = maxima + inner_offset + row * row_step;
      if (step == 0) {
        const double group_shift = *shift;
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) dst[cell_idx] = src[cell_idx] - group_shift;
      } else {
        for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) dst[cell_idx] = src[cell_idx] - shift[cell_idx];
      }
    }
  });
  ExpScaled(shifted, shifted, scratch.size(), 1.0);
  std::vector<double> sums(onto_cells, 0.0);
  SumOnto(walk, shifted, sums.data());
  for (std::size_t cell_idx = 0; cell_idx < onto_cells; ++cell_idx) {
    sums[cell_idx] = std::log(sums[cell_idx]) + group_max[cell_idx];
  }
  // Keep the scratch for the next call, unless it is large (AIM's scoring threads meet big
  // intermediate factors once): then give it back rather than hold it for the thread's life.
  if (scratch.capacity() > kKeptScratchCells) std::vector<double>().swap(scratch);
  return Factor(onto, std::move(onto_sizes), std::move(sums));
}

Result<Factor> Factor::Sum(const Clique& onto) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(Projection projection, ProjectOnto(clique_, sizes_, onto));
  std::vector<double> sums(projection.cells, 0.0);
  SumOnto(projection.walk, values_.data(), sums.data());
  return Factor(onto, std::move(projection.sizes), std::move(sums));
}

Result<Factor> Factor::Expand(const Domain& domain, const Clique& super) const {
  SYNTHSCALE_RETURN_IF_ERROR(CheckClique(domain, super));
  if (!IsSubset(clique_, super)) {
    return InvalidArgument("cannot expand a factor over " + CliqueText(clique_) + " onto " + CliqueText(super) +
                           ": not a superset");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(Factor result, Create(domain, super, 0.0));
  for (std::size_t pos = 0; pos < clique_.size(); ++pos) {
    const std::size_t super_pos = static_cast<std::size_t>(
        std::lower_bound(super.begin(), super.end(), clique_[pos]) - super.begin());
    if (result.sizes_[super_pos] != sizes_[pos]) {
      return InvalidArgument("cannot expand a factor over " + CliqueText(clique_) +
                             ": its attribute sizes differ from the domain's");
    }
  }
  SYNTHSCALE_RETURN_IF_ERROR(result.Add(*this));
  return result;
}

double Factor::LogSumExpAll() const {
  const double best = MaxOf(values_.data(), values_.size(), kNegInf);
  if (best == kNegInf) return kNegInf;
  if (std::isinf(best)) return best;
  return std::log(SumExpShifted(values_.data(), values_.size(), best)) + best;
}

void Factor::Normalize(double log_total) {
  const double current = LogSumExpAll();
  if (!std::isfinite(current)) return;
  const double shift = log_total - current;
  for (double& value : values_) value += shift;
}

std::vector<double> Factor::Exp(double scale) const {
  std::vector<double> result(values_.size());
  ExpScaled(result.data(), values_.data(), values_.size(), scale);
  return result;
}

}  // namespace synthscale
