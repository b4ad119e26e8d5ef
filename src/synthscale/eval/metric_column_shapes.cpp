// column_shapes: how well each column's own distribution is reproduced.
//
// Numeric columns (integer, continuous, datetime, boolean), on the values themselves with
// missing values left out:
//   KS  = sup_x |F_real(x) - F_synth(x)|, the two-sample Kolmogorov-Smirnov statistic
//         (Massey 1951), in [0, 1];
//   W1  = integral |F_real(x) - F_synth(x)| dx, the Wasserstein-1 (earth mover's) distance,
//         exact from the sorted values (Vallender 1974), in the column's units, and
//         W1 / (max - min of the real values) so columns can be compared (null when the
//         real values are all equal).
// Categorical columns: the TVD of the category distributions, missing left out.
// The missing rate of each table is reported beside them.
//
// Each table's values are sorted once; the bootstrap replicates (row_bootstrap.h) then
// walk the same sorted order with row weights, so a replicate costs O(rows), not a sort.
// Summary: ks_mean, the mean KS statistic over numeric columns, with its interval.
// Details also carry each column's real and synthetic counts for a side-by-side plot
// (column_distribution.h).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "synthscale/eval/column_distribution.h"
#include "synthscale/eval/marginal_tvd.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/row_bootstrap.h"

namespace synthscale::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rows of one table's numeric column with a value, sorted by value (ties by row).
std::vector<std::uint32_t> SortedRows(const std::vector<double>& values) {
  std::vector<std::uint32_t> rows;
  rows.reserve(values.size());
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (!std::isnan(values[row])) rows.push_back(static_cast<std::uint32_t>(row));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
  return rows;
}

struct Distances {
  double ks = kNaN;
  double wasserstein = kNaN;
};

std::uint64_t WeightOf(RowWeights weights, std::uint32_t row) { return weights.empty() ? 1 : weights[row]; }

// KS and W1 between the weighted empirical distributions of two sorted samples: one merge
// over the distinct values, where both ECDFs step together at ties.
Distances CompareSorted(const std::vector<double>& real_values, const std::vector<std::uint32_t>& real_rows,
                        RowWeights real_weights, const std::vector<double>& synthetic_values,
                        const std::vector<std::uint32_t>& synthetic_rows, RowWeights synthetic_weights) {
  std::uint64_t real_total = 0;
  std::uint64_t synthetic_total = 0;
  for (std::uint32_t row : real_rows) real_total += WeightOf(real_weights, row);
  for (std::uint32_t row : synthetic_rows) synthetic_total += WeightOf(synthetic_weights, row);
  if (real_total == 0 || synthetic_total == 0) return {};
  const double real_scale = 1.0 / static_cast<double>(real_total);
  const double synthetic_scale = 1.0 / static_cast<double>(synthetic_total);
  std::uint64_t real_cum = 0;
  std::uint64_t synthetic_cum = 0;
  std::size_t ri = 0;
  std::size_t si = 0;
  double gap = 0.0;  // |F_real - F_synth| just left of x
  double previous = 0.0;
  Distances out{0.0, 0.0};
  while (ri < real_rows.size() || si < synthetic_rows.size()) {
    double x;
    if (si == synthetic_rows.size()) {
      x = real_values[real_rows[ri]];
    } else if (ri == real_rows.size()) {
      x = synthetic_values[synthetic_rows[si]];
    } else {
      x = std::min(real_values[real_rows[ri]], synthetic_values[synthetic_rows[si]]);
    }
    if (ri + si > 0) out.wasserstein += (x - previous) * gap;
    while (ri < real_rows.size() && real_values[real_rows[ri]] == x) {
      real_cum += WeightOf(real_weights, real_rows[ri++]);
    }
    while (si < synthetic_rows.size() && synthetic_values[synthetic_rows[si]] == x) {
      synthetic_cum += WeightOf(synthetic_weights, synthetic_rows[si++]);
    }
    gap = std::abs(static_cast<double>(real_cum) * real_scale -
                   static_cast<double>(synthetic_cum) * synthetic_scale);
    out.ks = std::max(out.ks, gap);
    previous = x;
  }
  return out;
}

// TVD of the category distributions without the missing code.
double CategoricalTvd(const std::vector<std::uint32_t>& real_codes, RowWeights real_weights,
                      const std::vector<std::uint32_t>& synthetic_codes, RowWeights synthetic_weights,
                      std::uint32_t cardinality, std::uint32_t missing_code) {
  std::vector<std::uint64_t> real_counts(cardinality, 0);
  std::vector<std::uint64_t> synthetic_counts(cardinality, 0);
  for (std::size_t row = 0; row < real_codes.size(); ++row) {
    real_counts[real_codes[row]] += WeightOf(real_weights, static_cast<std::uint32_t>(row));
  }
  for (std::size_t row = 0; row < synthetic_codes.size(); ++row) {
    synthetic_counts[synthetic_codes[row]] += WeightOf(synthetic_weights, static_cast<std::uint32_t>(row));
  }
  real_counts[missing_code] = 0;
  synthetic_counts[missing_code] = 0;
  const std::uint64_t real_total = std::accumulate(real_counts.begin(), real_counts.end(), std::uint64_t{0});
  const std::uint64_t synthetic_total =
      std::accumulate(synthetic_counts.begin(), synthetic_counts.end(), std::uint64_t{0});
  if (real_total == 0 || synthetic_total == 0) return kNaN;
  double sum = 0.0;
  for (std::uint32_t code = 0; code < cardinality; ++code) {
    sum += std::abs(static_cast<double>(real_counts[code]) / static_cast<double>(real_total) -
                    static_cast<double>(synthetic_counts[code]) / static_cast<double>(synthetic_total));
  }
  return 0.5 * sum;
}

double MissingRate(const EvalTable& table, const EvalColumn& column, std::size_t col_idx) {
  std::size_t missing = 0;
  if (column.numeric) {
    for (double value : table.numeric[col_idx]) missing += std::isnan(value) ? 1u : 0u;
  } else {
    for (std::uint32_t code : table.codes[col_idx]) missing += code == column.domain_size ? 1u : 0u;
  }
  return static_cast<double>(missing) / static_cast<double>(table.num_rows);
}

nlohmann::json Number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

class ColumnShapesMetric final : public Metric {
 public:
  std::string_view name() const override { return "column_shapes"; }
  Section section() const override { return Section::kFidelity; }
  std::string_view description() const override {
    return "per column: Kolmogorov-Smirnov and Wasserstein-1 distance (numeric), TVD (categorical)";
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    SYNTHSCALE_RETURN_IF_ERROR(CheckCodes(inputs));
    const std::size_t m = inputs.columns.size();
    for (std::size_t col_idx = 0; col_idx < m; ++col_idx) {
      if (inputs.columns[col_idx].numeric &&
          (inputs.real.numeric[col_idx].size() != inputs.real.num_rows ||
           inputs.synthetic.numeric[col_idx].size() != inputs.synthetic.num_rows)) {
        return Internal("evaluation inputs of numeric column '" + inputs.columns[col_idx].name +
                        "' hold no values");
      }
    }
    std::vector<std::vector<std::uint32_t>> real_sorted(m);
    std::vector<std::vector<std::uint32_t>> synthetic_sorted(m);
    SYNTHSCALE_RETURN_IF_ERROR(ForEachItem(&ctx.pool(), m, [&](std::size_t col_idx) {
      if (!inputs.columns[col_idx].numeric) return;
      real_sorted[col_idx] = SortedRows(inputs.real.numeric[col_idx]);
      synthetic_sorted[col_idx] = SortedRows(inputs.synthetic.numeric[col_idx]);
    }));
    // Per column: KS or TVD (categorical) and W1 (numeric).
    auto compare = [&](ThreadPool* pool, RowWeights real_weights, RowWeights synthetic_weights) {
      std::vector<Distances> distances(m);
      (void)ForEachItem(pool, m, [&](std::size_t col_idx) {
        const EvalColumn& column = inputs.columns[col_idx];
        if (column.numeric) {
          distances[col_idx] = CompareSorted(inputs.real.numeric[col_idx], real_sorted[col_idx], real_weights,
                                             inputs.synthetic.numeric[col_idx], synthetic_sorted[col_idx],
                                             synthetic_weights);
        } else {
          distances[col_idx].ks = CategoricalTvd(inputs.real.codes[col_idx], real_weights,
                                                 inputs.synthetic.codes[col_idx], synthetic_weights,
                                                 column.cardinality(), column.domain_size);
        }
      });
      return distances;
    };
    const std::vector<Distances> point = compare(&ctx.pool(), {}, {});
    // The columns whose KS enters ks_mean: numeric, with values in both tables.
    std::vector<std::size_t> ks_columns;
    for (std::size_t col_idx = 0; col_idx < m; ++col_idx) {
      if (inputs.columns[col_idx].numeric && std::isfinite(point[col_idx].ks)) ks_columns.push_back(col_idx);
    }
    auto ks_mean = [&](const std::vector<Distances>& distances) {
      if (ks_columns.empty()) return kNaN;
      double sum = 0.0;
      for (std::size_t col_idx : ks_columns) sum += distances[col_idx].ks;
      return sum / static_cast<double>(ks_columns.size());
    };
    const std::vector<double> points = {ks_mean(point)};
    const std::vector<StatisticRange> ranges = {StatisticRange{}};
    SYNTHSCALE_ASSIGN_OR_RETURN(
        std::vector<Estimate> estimates,
        RowBootstrap(inputs, points, ranges, "column_shapes/bootstrap", ctx,
                     [&](std::span<const std::uint32_t> real_weights, std::span<const std::uint32_t> synthetic_weights) {
                       // Only the columns in ks_mean matter here.
                       std::vector<Distances> distances(m);
                       for (std::size_t col_idx : ks_columns) {
                         distances[col_idx] = CompareSorted(
                             inputs.real.numeric[col_idx], real_sorted[col_idx], real_weights,
                             inputs.synthetic.numeric[col_idx], synthetic_sorted[col_idx], synthetic_weights);
                       }
                       return std::vector<double>{ks_mean(distances)};
                     }));

    MetricResult result;
    result.summary.emplace_back("ks_mean", estimates[0]);
    nlohmann::json columns = nlohmann::json::array();
    for (std::size_t col_idx = 0; col_idx < m; ++col_idx) {
      const EvalColumn& column = inputs.columns[col_idx];
      nlohmann::json entry = {{"column", column.name}, {"type", std::string(ColumnTypeName(column.type))}};
      if (column.numeric) {
        const auto& real_rows = real_sorted[col_idx];
        const auto& values = inputs.real.numeric[col_idx];
        const double range = real_rows.empty() ? kNaN : values[real_rows.back()] - values[real_rows.front()];
        entry["ks"] = Number(point[col_idx].ks);
        entry["wasserstein"] = Number(point[col_idx].wasserstein);
        entry["wasserstein_normalized"] = Number(range > 0.0 ? point[col_idx].wasserstein / range : kNaN);
        entry["tvd"] = nullptr;
      } else {
        entry["ks"] = nullptr;
        entry["wasserstein"] = nullptr;
        entry["wasserstein_normalized"] = nullptr;
        entry["tvd"] = Number(point[col_idx].ks);
      }
      entry["missing_rate_real"] = MissingRate(inputs.real, column, col_idx);
      entry["missing_rate_synthetic"] = MissingRate(inputs.synthetic, column, col_idx);
      entry["distribution"] = ColumnDistribution(inputs, col_idx);
      columns.push_back(std::move(entry));
    }
    result.details["columns"] = std::move(columns);
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeColumnShapesMetric() { return std::make_unique<ColumnShapesMetric>(); }

}  // namespace synthscale::eval
