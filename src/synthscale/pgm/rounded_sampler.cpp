#include "synthscale/pgm/rounded_sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "synthscale/pgm/sampling_steps.h"

namespace synthscale {
namespace {

// Groups per task and rows per task: tasks cut the group list at these bounds. The output
// does not depend on them (each group has its own stream); they only balance the load.
constexpr std::uint64_t kTaskRows = 1 << 16;
constexpr std::uint64_t kTaskGroups = 1 << 10;

}  // namespace

void RoundCounts(std::uint64_t total, std::span<const double> probabilities, RandomStream& stream,
                 std::span<std::uint64_t> counts, std::span<double> fractions) {
  assert(probabilities.size() == counts.size() && fractions.size() == counts.size());
  const double scale = static_cast<double>(total);
  std::uint64_t assigned = 0;
  double fraction_sum = 0.0;
  for (std::size_t cell = 0; cell < probabilities.size(); ++cell) {
    const double expected = scale * probabilities[cell];
    const double floor_value = std::floor(expected);
    counts[cell] = static_cast<std::uint64_t>(floor_value);
    fractions[cell] = expected - floor_value;
    fraction_sum += fractions[cell];
    assigned += counts[cell];
  }
  // Probabilities summing to 1 + d give floors summing above `total` only when total * d >= 1,
  // far beyond double rounding for any table we build; still, never hand out more than total.
  for (std::size_t cell = 0; assigned > total && cell < counts.size(); ++cell) {
    const std::uint64_t taken = std::min(counts[cell], assigned - total);
    counts[cell] -= taken;
    assigned -= taken;
  }
  const std::uint64_t remainder = total - assigned;
  if (remainder == 0) return;
  // Systematic sampling: points (start + k) * step, k < remainder, with step = fraction_sum /
  // remainder (1 up to rounding), on the cumulative fractional parts. An interval of length
  // below one step holds at most one point, so a cell gets at most one extra unit.
  std::uint64_t given = 0;
  if (fraction_sum > 0.0) {
    const double step = fraction_sum / static_cast<double>(remainder);
    double point = stream.UniformDouble() * step;
    double cumulative = 0.0;
    for (std::size_t cell = 0; cell < counts.size() && given < remainder; ++cell) {
      cumulative += fractions[cell];
      if (point < cumulative) {
        ++counts[cell];
        fractions[cell] = -1.0;  // marks the cell as served for the rounding fallback below
        ++given;
        point += step;
      }
    }
  }
  // Rounding can leave the last point just past the end: give such units to unserved cells
  // with a fractional part, in cell order, then (never in practice) to the first cells.
  for (std::size_t cell = 0; cell < counts.size() && given < remainder; ++cell) {
    if (fractions[cell] > 0.0) {
      ++counts[cell];
      ++given;
    }
  }
  for (std::size_t cell = 0; given < remainder; cell = (cell + 1) % counts.size()) {
    ++counts[cell];
    ++given;
  }
}

void FillShuffled(std::span<const std::uint64_t> counts, RandomStream& stream, std::span<std::uint32_t> values) {
  std::size_t position = 0;
  for (std::size_t cell = 0; cell < counts.size(); ++cell) {
    std::fill_n(values.begin() + static_cast<std::ptrdiff_t>(position), counts[cell], static_cast<std::uint32_t>(cell));
    position += counts[cell];
  }
  assert(position == values.size());
  // Fisher-Yates (Knuth, TAOCP vol. 2, Algorithm 3.4.2 P), from the top down.
  for (std::size_t idx = values.size(); idx > 1; --idx) {
    const std::size_t other = static_cast<std::size_t>(stream.UniformBelow(idx));
    std::swap(values[idx - 1], values[other]);
  }
}

Result<RoundedSampler> RoundedSampler::Build(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                                             std::size_t num_attributes) {
  RoundedSampler sampler;
  sampler.num_attributes_ = num_attributes;
  std::uint64_t next_key = 0;
  SYNTHSCALE_RETURN_IF_ERROR(ForEachSamplingStep(
      tree, log_beliefs, [&](SamplingStep layout, std::vector<double>& weights) -> Status {
        Step step;
        step.separator_attributes = std::move(layout.separator_attributes);
        step.separator_strides = std::move(layout.separator_strides);
        step.new_attributes = std::move(layout.new_attributes);
        step.new_sizes = std::move(layout.new_sizes);
        step.separator_cells = layout.separator_cells;
        step.new_cells = layout.new_cells;
        // Normalise each separator row; a row without positive finite mass is uniform.
        step.probabilities = std::move(weights);
        const std::size_t row_length = static_cast<std::size_t>(step.new_cells);
        for (std::size_t row_start = 0; row_start < step.probabilities.size(); row_start += row_length) {
          const std::span<double> row = std::span<double>(step.probabilities).subspan(row_start, row_length);
          double total = 0.0;
          for (double weight : row) total += weight;
          const bool usable = total > 0.0 && std::isfinite(total);
          for (double& weight : row) weight = usable ? weight / total : 1.0 / static_cast<double>(row_length);
        }
        step.first_key = next_key;
        next_key += step.separator_cells;
        sampler.max_separator_cells_ = std::max(sampler.max_separator_cells_, step.separator_cells);
        sampler.steps_.push_back(std::move(step));
        return Status::Ok();
      }));
  return sampler;
}

Status RoundedSampler::Sample(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                              std::vector<std::uint32_t>& values) const {
  if (rows > kMaxRoundedRows) {
    return InvalidArgument("rounded sampling draws at most " + std::to_string(kMaxRoundedRows) +
                           " rows at once (it holds every row in memory), asked for " + std::to_string(rows) +
                           "; use iid sampling for more");
  }
  values.assign(rows * num_attributes_, 0);
  if (rows == 0) return Status::Ok();
  const std::uint64_t purpose = PurposeId("sample-rounded");
  // Workspace shared by all steps: group boundaries, the rows of each group (stable counting
  // sort by separator cell) and the new cells handed to them.
  std::vector<std::uint64_t> group_begin(max_separator_cells_ + 1);
  std::vector<std::uint32_t> sorted_rows(rows);
  std::vector<std::uint32_t> new_cells(rows);
  std::vector<std::uint64_t> task_groups;  // first group of each task, then the end
  std::uint64_t steps_done = 0;
  for (const Step& step : steps_) {
    // 10^7 rows take seconds: report the clique steps on stderr (the CLI's progress).
    ctx.Progress("sample: rounding rows, clique steps", steps_done++, steps_.size());
    const auto separator_cell = [&](std::uint64_t row) {
      std::uint64_t cell = 0;
      for (std::size_t pos = 0; pos < step.separator_attributes.size(); ++pos) {
        cell += values[step.separator_attributes[pos] * rows + row] * step.separator_strides[pos];
      }
      return cell;
    };
    const std::uint64_t num_groups = step.separator_cells;
    std::fill_n(group_begin.begin(), num_groups + 1, 0);
    for (std::uint64_t row = 0; row < rows; ++row) ++group_begin[separator_cell(row) + 1];
    for (std::uint64_t group = 0; group < num_groups; ++group) group_begin[group + 1] += group_begin[group];
    {
      // Scatter with a moving cursor per group; group_begin is restored below.
      for (std::uint64_t row = 0; row < rows; ++row) {
        sorted_rows[group_begin[separator_cell(row)]++] = static_cast<std::uint32_t>(row);
      }
      for (std::uint64_t group = num_groups; group > 0; --group) group_begin[group] = group_begin[group - 1];
      group_begin[0] = 0;
    }
    task_groups.clear();
    task_groups.push_back(0);
    for (std::uint64_t group = 0, task_start_row = 0; group < num_groups; ++group) {
      const bool full = group_begin[group + 1] - task_start_row >= kTaskRows ||
                        group + 1 - task_groups.back() >= kTaskGroups;
      if (full && group + 1 < num_groups) {
        task_groups.push_back(group + 1);
        task_start_row = group_begin[group + 1];
      }
    }
    task_groups.push_back(num_groups);

    const std::uint64_t width = step.new_cells;
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(task_groups.size() - 1, [&](std::size_t task_idx) {
      std::vector<std::uint64_t> counts(width);
      std::vector<double> fractions(width);
      for (std::uint64_t group = task_groups[task_idx]; group < task_groups[task_idx + 1]; ++group) {
        const std::uint64_t first = group_begin[group];
        const std::uint64_t size = group_begin[group + 1] - first;
        if (size == 0) continue;
        RandomStream stream(seed, purpose, step.first_key + group);
        const std::span<const double> probabilities(step.probabilities.data() + group * width, width);
        RoundCounts(size, probabilities, stream, counts, fractions);
        const std::span<std::uint32_t> cells(new_cells.data() + first, size);
        FillShuffled(counts, stream, cells);
        for (std::uint64_t member = 0; member < size; ++member) {
          const std::uint64_t row = sorted_rows[first + member];
          std::uint32_t cell = cells[member];
          // Decode the new cell, last attribute fastest.
          for (std::size_t pos = step.new_attributes.size(); pos-- > 0;) {
            const std::uint32_t attribute_size = step.new_sizes[pos];
            values[step.new_attributes[pos] * rows + row] = cell % attribute_size;
            cell /= attribute_size;
          }
        }
      }
      return Status::Ok();
    }));
  }
  ctx.Progress("sample: rounding rows, clique steps", steps_done, steps_.size());
  return Status::Ok();
}

}  // namespace synthscale
