#include "synthscale/pgm/model_sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "synthscale/pgm/sampling_steps.h"

namespace synthscale {
namespace {

// Threshold for keeping a column with probability `keep` (in [0, 1)): floor(keep * 2^32).
std::uint32_t KeepThreshold(double keep) {
  if (!(keep > 0.0)) return 0;
  const double scaled = std::floor(keep * 4294967296.0);
  return scaled >= 4294967295.0 ? 4294967295u : static_cast<std::uint32_t>(scaled);
}

// Vose's alias method on `weights` (non-negative, one separator row): column i keeps cell i
// with probability keep and otherwise gives alias. A row without positive finite mass is
// uniform. Cells of weight 0 are never drawn: they only ever keep with probability 0.
template <typename Cell>
void BuildAliasRow(std::span<const double> weights, std::span<Cell> row, std::vector<std::uint64_t>& small,
                   std::vector<std::uint64_t>& large, std::vector<double>& scaled) {
  const std::size_t num_cells = weights.size();
  double total = 0.0;
  for (double weight : weights) total += weight;
  const bool usable = total > 0.0 && std::isfinite(total);
  scaled.resize(num_cells);
  small.clear();
  large.clear();
  std::uint64_t heaviest = 0;
  for (std::size_t cell_idx = 0; cell_idx < num_cells; ++cell_idx) {
    scaled[cell_idx] = usable ? weights[cell_idx] * static_cast<double>(num_cells) / total : 1.0;
    if (scaled[cell_idx] > scaled[heaviest]) heaviest = cell_idx;
    (scaled[cell_idx] < 1.0 ? small : large).push_back(cell_idx);
  }
  while (!small.empty() && !large.empty()) {
    const std::uint64_t light = small.back();
    small.pop_back();
    const std::uint64_t heavy = large.back();
    row[light].keep = KeepThreshold(scaled[light]);
    row[light].alias = static_cast<std::uint32_t>(heavy);
    scaled[heavy] -= 1.0 - scaled[light];
    if (scaled[heavy] < 1.0) {
      large.pop_back();
      small.push_back(heavy);
    }
  }
  // Leftovers are 1 up to rounding; a weightless leftover still never keeps.
  for (std::uint64_t cell_idx : large) row[cell_idx] = {0, static_cast<std::uint32_t>(cell_idx)};
  for (std::uint64_t cell_idx : small) {
    row[cell_idx] = weights[cell_idx] > 0.0 || !usable ? Cell{0, static_cast<std::uint32_t>(cell_idx)}
                                                       : Cell{0, static_cast<std::uint32_t>(heaviest)};
  }
}

}  // namespace

Result<ModelSampler> ModelSampler::Build(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                                         std::size_t num_attributes) {
  ModelSampler sampler;
  sampler.num_attributes_ = num_attributes;
  std::vector<std::uint64_t> small;
  std::vector<std::uint64_t> large;
  std::vector<double> scaled;
  SYNTHSCALE_RETURN_IF_ERROR(ForEachSamplingStep(
      tree, log_beliefs, [&](SamplingStep layout, std::vector<double>& weights) -> Status {
        Step step;
        step.separator_attributes = std::move(layout.separator_attributes);
        step.separator_strides = std::move(layout.separator_strides);
        step.new_attributes = std::move(layout.new_attributes);
        step.new_sizes = std::move(layout.new_sizes);
        step.new_cells = layout.new_cells;
        step.table.resize(weights.size());
        const std::size_t row_length = static_cast<std::size_t>(step.new_cells);
        for (std::size_t row_start = 0; row_start < weights.size(); row_start += row_length) {
          BuildAliasRow<AliasCell>(std::span<const double>(weights).subspan(row_start, row_length),
                                   std::span<AliasCell>(step.table).subspan(row_start, row_length), small, large,
                                   scaled);
        }
        sampler.steps_.push_back(std::move(step));
        return Status::Ok();
      }));
  return sampler;
}

void ModelSampler::SampleRow(RandomStream& stream, std::span<std::uint32_t> values) const {
  assert(values.size() == num_attributes_);
  for (const Step& step : steps_) {
    std::uint64_t separator_cell = 0;
    for (std::size_t pos = 0; pos < step.separator_attributes.size(); ++pos) {
      separator_cell += values[step.separator_attributes[pos]] * step.separator_strides[pos];
    }
    const std::uint64_t num_cells = step.new_cells;
    const double position = stream.UniformDouble() * static_cast<double>(num_cells);
    std::uint64_t column = static_cast<std::uint64_t>(position);
    if (column >= num_cells) column = num_cells - 1;  // u * n rounds up to n only for u near 1
    const AliasCell& entry = step.table[separator_cell * num_cells + column];
    const auto fraction = static_cast<std::uint32_t>((position - static_cast<double>(column)) * 4294967296.0);
    std::uint64_t cell = fraction < entry.keep ? column : entry.alias;
    if (step.new_attributes.size() == 1) {
      values[step.new_attributes[0]] = static_cast<std::uint32_t>(cell);
      continue;
    }
    // Decode the new cell, last attribute fastest.
    for (std::size_t pos = step.new_attributes.size(); pos-- > 0;) {
      const std::uint32_t size = step.new_sizes[pos];
      values[step.new_attributes[pos]] = static_cast<std::uint32_t>(cell % size);
      cell /= size;
    }
  }
}

}  // namespace synthscale
