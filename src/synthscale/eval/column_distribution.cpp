#include "synthscale/eval/column_distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "synthscale/eval/code_label.h"

namespace synthscale::eval {

namespace {

nlohmann::json NumericDistribution(const EvalInputs& inputs, std::size_t column) {
  const std::vector<double>& real = inputs.real.numeric[column];
  const std::vector<double>& synthetic = inputs.synthetic.numeric[column];
  double low = INFINITY;
  double high = -INFINITY;
  std::uint64_t real_missing = 0;
  for (double value : real) {
    if (std::isnan(value)) {
      ++real_missing;
      continue;
    }
    low = std::min(low, value);
    high = std::max(high, value);
  }
  std::uint64_t synthetic_missing = 0;
  for (double value : synthetic) synthetic_missing += std::isnan(value) ? 1U : 0U;
  nlohmann::json out = {{"kind", "numeric"}, {"real_missing", real_missing}, {"synthetic_missing", synthetic_missing}};
  if (!std::isfinite(low) || !std::isfinite(high)) {
    out["edges"] = nlohmann::json::array();
    out["real"] = nlohmann::json::array();
    out["synthetic"] = nlohmann::json::array();
    out["synthetic_below"] = 0;
    out["synthetic_above"] = 0;
    return out;
  }
  const ColumnType type = inputs.columns[column].type;
  const bool integral = type == ColumnType::kInteger || type == ColumnType::kBoolean;
  std::vector<double> edges;
  if (integral && high - low + 1.0 <= static_cast<double>(kDistributionBins)) {
    // One bin per integer value v: [v - 0.5, v + 0.5).
    for (double edge = low - 0.5; edge <= high + 0.5 + 1e-9; edge += 1.0) edges.push_back(edge);
  } else {
    if (!(high > low)) high = low + 1.0;
    for (std::size_t i = 0; i <= kDistributionBins; ++i) {
      edges.push_back(low + (high - low) * static_cast<double>(i) / static_cast<double>(kDistributionBins));
    }
  }
  const std::size_t bins = edges.size() - 1;
  const auto bin_of = [&](double value) {
    // The last bin is closed on the right so the real maximum falls inside it.
    const auto it = std::upper_bound(edges.begin(), edges.end(), value);
    const auto index = static_cast<std::size_t>(it - edges.begin());
    return index == 0 ? 0 : std::min(index - 1, bins - 1);
  };
  std::vector<std::uint64_t> real_counts(bins, 0);
  std::vector<std::uint64_t> synthetic_counts(bins, 0);
  for (double value : real) {
    if (!std::isnan(value)) ++real_counts[bin_of(value)];
  }
  std::uint64_t below = 0;
  std::uint64_t above = 0;
  for (double value : synthetic) {
    if (std::isnan(value)) continue;
    if (value < edges.front()) {
      ++below;
    } else if (value > edges.back()) {
      ++above;
    } else {
      ++synthetic_counts[bin_of(value)];
    }
  }
  out["edges"] = edges;
  out["real"] = real_counts;
  out["synthetic"] = synthetic_counts;
  out["synthetic_below"] = below;
  out["synthetic_above"] = above;
  return out;
}

nlohmann::json CategoricalDistribution(const EvalInputs& inputs, std::size_t column) {
  const std::uint32_t cardinality = inputs.columns[column].cardinality();
  std::vector<std::uint64_t> real(cardinality, 0);
  std::vector<std::uint64_t> synthetic(cardinality, 0);
  for (std::uint32_t code : inputs.real.codes[column]) ++real[std::min(code, cardinality - 1)];
  for (std::uint32_t code : inputs.synthetic.codes[column]) ++synthetic[std::min(code, cardinality - 1)];
  std::vector<std::uint32_t> order(cardinality);
  std::iota(order.begin(), order.end(), 0U);
  // Most frequent in the real rows first, then in the synthetic rows; ties by code.
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return real[a] != real[b] ? real[a] > real[b] : synthetic[a] > synthetic[b];
  });
  nlohmann::json labels = nlohmann::json::array();
  nlohmann::json real_counts = nlohmann::json::array();
  nlohmann::json synthetic_counts = nlohmann::json::array();
  std::uint64_t other_real = 0;
  std::uint64_t other_synthetic = 0;
  std::size_t shown = 0;
  for (std::uint32_t code : order) {
    if (real[code] == 0 && synthetic[code] == 0) continue;
    if (shown < kTopCategories) {
      labels.push_back(CodeLabel(inputs, column, code));
      real_counts.push_back(real[code]);
      synthetic_counts.push_back(synthetic[code]);
      ++shown;
    } else {
      other_real += real[code];
      other_synthetic += synthetic[code];
    }
  }
  if (other_real + other_synthetic > 0) {
    labels.push_back("(other)");
    real_counts.push_back(other_real);
    synthetic_counts.push_back(other_synthetic);
  }
  return {{"kind", "categorical"}, {"labels", labels}, {"real", real_counts}, {"synthetic", synthetic_counts}};
}

}  // namespace

nlohmann::json ColumnDistribution(const EvalInputs& inputs, std::size_t column) {
  if (inputs.columns[column].numeric && inputs.real.numeric[column].size() == inputs.real.num_rows &&
      inputs.synthetic.numeric[column].size() == inputs.synthetic.num_rows) {
    return NumericDistribution(inputs, column);
  }
  return CategoricalDistribution(inputs, column);
}

}  // namespace synthscale::eval
