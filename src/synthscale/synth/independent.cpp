#include "synthscale/synth/independent.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "synthscale/pgm/rounded_sampler.h"

namespace synthscale {
namespace {

constexpr std::size_t kCountGrain = 1 << 16;

}  // namespace

Status IndependentSynthesizer::Fit(const EncodedTable& data, const FitInputs& /*inputs*/, const Context& ctx) {
  if (data.num_rows() == 0) return InvalidData("cannot fit on a table with no rows");
  const std::size_t num_columns = data.num_columns();
  const std::size_t blocks = NumTasks(data.num_rows(), kCountGrain);
  // Partial counts per (column, block), summed in block order: integer sums, so any
  // order gives the same result, but the fixed order is kept as everywhere else.
  std::vector<std::vector<std::uint64_t>> partial(num_columns * blocks);
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(num_columns * blocks, [&](std::size_t task_idx) {
    const std::size_t col_idx = task_idx / blocks;
    const EncodedColumn& column = data.column(col_idx);
    const TaskRange range = TaskBounds(task_idx % blocks, data.num_rows(), kCountGrain);
    std::vector<std::uint64_t>& counts = partial[task_idx];
    counts.assign(column.cardinality(), 0);
    std::visit(
        [&](const auto& codes) {
          for (std::size_t row = range.begin; row < range.end; ++row) ++counts[codes[row]];
        },
        column.codes());
    return Status::Ok();
  }));
  counts_.assign(num_columns, {});
  for (std::size_t col_idx = 0; col_idx < num_columns; ++col_idx) {
    counts_[col_idx].assign(data.column(col_idx).cardinality(), 0);
    for (std::size_t block = 0; block < blocks; ++block) {
      const auto& counts = partial[col_idx * blocks + block];
      for (std::size_t code = 0; code < counts.size(); ++code) counts_[col_idx][code] += counts[code];
    }
  }
  for (std::size_t col_idx = 0; col_idx < num_columns; ++col_idx) {
    const auto& counts = counts_[col_idx];
    // Everything out of domain: nothing to draw from. Fall back to all-missing.
    if (std::all_of(counts.begin(), counts.end() - 1, [](std::uint64_t count) { return count == 0; })) {
      counts_[col_idx][counts.size() - 2] = 1;
    }
  }
  BuildCumulative();
  fitted_ = true;
  return Status::Ok();
}

void IndependentSynthesizer::BuildCumulative() {
  cumulative_.assign(counts_.size(), {});
  for (std::size_t col_idx = 0; col_idx < counts_.size(); ++col_idx) {
    std::uint64_t running = 0;
    // The last code (out of domain) is never drawn.
    for (std::size_t code = 0; code + 1 < counts_[col_idx].size(); ++code) {
      running += counts_[col_idx][code];
      cumulative_[col_idx].push_back(running);
    }
  }
}

void IndependentSynthesizer::SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const {
  for (std::size_t col_idx = 0; col_idx < cumulative_.size(); ++col_idx) {
    const auto& cumulative = cumulative_[col_idx];
    // Exact inverse-CDF draw over integer counts: P(code) = count / total.
    const std::uint64_t draw = stream.UniformBelow(cumulative.back());
    const auto found = std::upper_bound(cumulative.begin(), cumulative.end(), draw);
    codes[col_idx] = static_cast<std::uint32_t>(found - cumulative.begin());
  }
}

Status IndependentSynthesizer::SampleCodesRounded(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                                                  std::vector<std::uint32_t>& codes) const {
  if (rows > kMaxRoundedRows) {
    return InvalidArgument("rounded sampling draws at most " + std::to_string(kMaxRoundedRows) +
                           " rows at once (it holds every row in memory), asked for " + std::to_string(rows) +
                           "; use iid sampling for more");
  }
  codes.assign(rows * cumulative_.size(), 0);
  const std::uint64_t purpose = PurposeId("sample-rounded");
  // Each column on its own: rounded counts of its empirical distribution, shuffled over
  // the rows, from the column's own stream.
  return ctx.pool().Run(cumulative_.size(), [&](std::size_t col_idx) {
    const std::vector<std::uint64_t>& cumulative = cumulative_[col_idx];
    const double total = static_cast<double>(cumulative.back());
    std::vector<double> probabilities(cumulative.size());
    for (std::size_t code = 0; code < cumulative.size(); ++code) {
      probabilities[code] = static_cast<double>(counts_[col_idx][code]) / total;
    }
    std::vector<std::uint64_t> counts(cumulative.size());
    std::vector<double> fractions(cumulative.size());
    RandomStream stream(seed, purpose, col_idx);
    RoundCounts(rows, probabilities, stream, counts, fractions);
    FillShuffled(counts, stream, std::span<std::uint32_t>(codes.data() + col_idx * rows, rows));
    return Status::Ok();
  });
}

SavedParameters IndependentSynthesizer::SaveParameters() const {
  nlohmann::json parameters = {{"counts", counts_}};
  return {parameters.dump(), {}};
}

std::string IndependentSynthesizer::DescribeJson() const {
  return nlohmann::json{{"marginals", "every column on its own (1-way)"}}.dump();
}

Status IndependentSynthesizer::LoadParameters(const SavedParameters& saved, const Encoder& encoder) {
  std::vector<std::uint32_t> cardinalities;
  for (const ColumnCodec& codec : encoder.codecs()) cardinalities.push_back(codec.domain_size() + 2);
  return LoadCounts(saved.json, cardinalities);
}

Status IndependentSynthesizer::LoadCounts(std::string_view json, const std::vector<std::uint32_t>& cardinalities) {
  const nlohmann::json parameters = nlohmann::json::parse(json, nullptr, false);
  const auto corrupt = [](const std::string& why) {
    return InvalidData("model parameters are corrupt: " + why + "; refit the model");
  };
  if (parameters.is_discarded() || !parameters.contains("counts") || !parameters["counts"].is_array()) {
    return corrupt("expected an object with a 'counts' array");
  }
  const nlohmann::json& counts = parameters["counts"];
  if (counts.size() != cardinalities.size()) return corrupt("wrong number of columns");
  std::vector<std::vector<std::uint64_t>> loaded;
  for (std::size_t col_idx = 0; col_idx < counts.size(); ++col_idx) {
    const nlohmann::json& column = counts[col_idx];
    if (!column.is_array() || column.size() != cardinalities[col_idx]) {
      return corrupt("column " + std::to_string(col_idx) + " has the wrong number of counts");
    }
    std::vector<std::uint64_t> values;
    std::uint64_t drawable = 0;
    for (std::size_t code = 0; code < column.size(); ++code) {
      if (!column[code].is_number_unsigned()) return corrupt("counts must be non-negative integers");
      values.push_back(column[code].get<std::uint64_t>());
      if (code + 1 < column.size()) drawable += values.back();
    }
    if (drawable == 0) return corrupt("column " + std::to_string(col_idx) + " has no drawable value");
    loaded.push_back(std::move(values));
  }
  counts_ = std::move(loaded);
  BuildCumulative();
  fitted_ = true;
  return Status::Ok();
}

}  // namespace synthscale
