// correlations: does the synthetic table keep the associations between columns?
//
// For every pair of columns, the association in the real and in the synthetic table and
// their absolute difference:
//   numeric x numeric:  Pearson's r on the rows where both values are present, in [-1, 1]
//                       (a difference in [0, 2]);
//   any other pair:     Cramer's V = sqrt(chi2 / n / (min(r, c) - 1)) (Cramer 1946) of the
//                       contingency table of the schema's codes (categories, numeric bins,
//                       out-of-domain as its own value), rows with a missing value left
//                       out; r and c count the non-empty rows and columns; in [0, 1].
// An association is undefined (null, and left out of the mean) when a column is constant
// on the rows used. Summary: correlation_difference_mean over the pairs, with its interval.
//
// chi2 / n = sum over non-empty cells of O^2 / (R_i C_j) - 1, where O is the cell count
// and R_i, C_j its row and column totals: one pass over the cells, no expected table.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "synthscale/core/random_stream.h"
#include "synthscale/eval/marginal_tvd.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/row_bootstrap.h"

namespace synthscale::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Pairs per parallel task (fixed, so tasks never depend on the thread count).
constexpr std::size_t kPairsPerTask = 4;
// Pairs each bootstrap replicate recomputes for the interval (the value uses every pair);
// the same argument as the 3-way marginals' sample in metric_marginals.cpp.
constexpr std::size_t kIntervalPairs = 100;

struct Pair {
  std::size_t a = 0;
  std::size_t b = 0;
  bool pearson = false;
};

// The first present value of `values` (0 when none): a shift inside the data's range.
double FirstPresent(const std::vector<double>& values) {
  for (double value : values) {
    if (!std::isnan(value)) return value;
  }
  return 0.0;
}

// Weighted Pearson correlation on pairwise-complete rows, in one branch-free pass over
// values shifted by a present value of each column, so large offsets (datetimes in
// seconds) do not cancel: with dx = x - shift, Sxx = sum w dx^2 - (sum w dx)^2 / W loses
// at most the digits of ((mean - shift) / sd)^2, a few for a shift inside the data. One
// pass instead of two (means first) halves the cost of the bootstrap's 200 replicates,
// the bulk of this metric on tables of numeric columns.
template <bool kWeighted>
double PearsonPass(const std::vector<double>& x, const std::vector<double>& y, RowWeights weights) {
  const double shift_x = FirstPresent(x);
  const double shift_y = FirstPresent(y);
  // Two interleaved sets of partial sums (even and odd rows), added in a fixed order at
  // the end: the same bits on every run, and two independent dependency chains per sum.
  struct Sums {
    double w = 0.0, x = 0.0, y = 0.0, xx = 0.0, yy = 0.0, xy = 0.0;
    void Add(double weight, double dx, double dy) {
      w += weight;
      x += weight * dx;
      y += weight * dy;
      xx += weight * dx * dx;
      yy += weight * dy * dy;
      xy += weight * dx * dy;
    }
  };
  const auto add = [&](Sums& sums, std::size_t row) {
    const bool present = !std::isnan(x[row]) && !std::isnan(y[row]);
    const double w = !present ? 0.0 : kWeighted ? static_cast<double>(weights[row]) : 1.0;
    sums.Add(w, present ? x[row] - shift_x : 0.0, present ? y[row] - shift_y : 0.0);
  };
  Sums even;
  Sums odd;
  std::size_t row = 0;
  for (; row + 1 < x.size(); row += 2) {
    add(even, row);
    add(odd, row + 1);
  }
  if (row < x.size()) add(even, row);
  const double total = even.w + odd.w, sum_x = even.x + odd.x, sum_y = even.y + odd.y,
               sum_xx = even.xx + odd.xx, sum_yy = even.yy + odd.yy, sum_xy = even.xy + odd.xy;
  if (total == 0.0) return kNaN;
  const double sxx = sum_xx - sum_x * sum_x / total;
  const double syy = sum_yy - sum_y * sum_y / total;
  const double sxy = sum_xy - sum_x * sum_y / total;
  // A constant column (within rounding of its shifted sums) has no correlation.
  if (!(sxx > 1e-12 * sum_xx) || !(syy > 1e-12 * sum_yy)) return kNaN;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y, RowWeights weights) {
  return weights.empty() ? PearsonPass<false>(x, y, weights) : PearsonPass<true>(x, y, weights);
}

// Cramer's V from the non-empty cells of a contingency table, given as (cell, count) with
// cell = code_a * cols_b + code_b, and the table's shape.
double CramersVFromCells(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& cells, std::uint32_t rows_a,
                         std::uint32_t cols_b) {
  std::vector<std::uint64_t> row_totals(rows_a, 0);
  std::vector<std::uint64_t> col_totals(cols_b, 0);
  std::uint64_t total = 0;
  for (const auto& [cell, count] : cells) {
    row_totals[cell / cols_b] += count;
    col_totals[cell % cols_b] += count;
    total += count;
  }
  const auto non_empty = [](const std::vector<std::uint64_t>& totals) {
    return static_cast<std::size_t>(std::count_if(totals.begin(), totals.end(), [](std::uint64_t t) { return t > 0; }));
  };
  const std::size_t levels = std::min(non_empty(row_totals), non_empty(col_totals));
  if (total == 0 || levels < 2) return kNaN;
  double phi2 = 0.0;  // chi2 / n + 1 before the subtraction below
  for (const auto& [cell, count] : cells) {
    if (count == 0) continue;
    const double observed = static_cast<double>(count);
    phi2 += observed * observed /
            (static_cast<double>(row_totals[cell / cols_b]) * static_cast<double>(col_totals[cell % cols_b]));
  }
  phi2 = std::max(0.0, phi2 - 1.0);
  return std::min(1.0, std::sqrt(phi2 / static_cast<double>(levels - 1)));
}

// Cramer's V of two code columns, rows with a missing code left out. A dense table while
// it is small next to the rows; past that, sorted (cell, weight) pairs, so two columns of
// 10^5 categories cost O(rows log rows), not 10^10 cells.
double CramersV(const std::vector<std::uint32_t>& a, const EvalColumn& column_a,
                const std::vector<std::uint32_t>& b, const EvalColumn& column_b, RowWeights weights,
                std::vector<std::uint64_t>& dense) {
  const std::uint32_t rows_a = column_a.cardinality();
  const std::uint32_t cols_b = column_b.cardinality();
  const std::size_t table_cells = static_cast<std::size_t>(rows_a) * cols_b;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cells;
  if (table_cells <= std::max<std::size_t>(std::size_t{1} << 16, 4 * a.size())) {
    dense.assign(table_cells, 0);
    for (std::size_t row = 0; row < a.size(); ++row) {
      if (a[row] == column_a.domain_size || b[row] == column_b.domain_size) continue;
      dense[static_cast<std::size_t>(a[row]) * cols_b + b[row]] += weights.empty() ? 1 : weights[row];
    }
    for (std::size_t cell = 0; cell < table_cells; ++cell) {
      if (dense[cell] != 0) cells.emplace_back(cell, dense[cell]);
    }
  } else {
    for (std::size_t row = 0; row < a.size(); ++row) {
      if (a[row] == column_a.domain_size || b[row] == column_b.domain_size) continue;
      const std::uint64_t weight = weights.empty() ? 1 : weights[row];
      if (weight != 0) cells.emplace_back(static_cast<std::uint64_t>(a[row]) * cols_b + b[row], weight);
    }
    std::sort(cells.begin(), cells.end());
    std::size_t out = 0;
    for (std::size_t in = 0; in < cells.size(); ++in) {
      if (out > 0 && cells[out - 1].first == cells[in].first) {
        cells[out - 1].second += cells[in].second;
      } else {
        cells[out++] = cells[in];
      }
    }
    cells.resize(out);
  }
  return CramersVFromCells(cells, rows_a, cols_b);
}

double Association(const EvalInputs& inputs, const EvalTable& table, const Pair& pair, RowWeights weights,
                   std::vector<std::uint64_t>& cells) {
  if (pair.pearson) return Pearson(table.numeric[pair.a], table.numeric[pair.b], weights);
  return CramersV(table.codes[pair.a], inputs.columns[pair.a], table.codes[pair.b], inputs.columns[pair.b],
                  weights, cells);
}

struct PairValues {
  std::vector<double> real;
  std::vector<double> synthetic;
};

PairValues Associations(const EvalInputs& inputs, const std::vector<Pair>& pairs, RowWeights real_weights,
                        RowWeights synthetic_weights, ThreadPool* pool, Status& status) {
  PairValues values{std::vector<double>(pairs.size()), std::vector<double>(pairs.size())};
  status = ForEachItem(pool, NumTasks(pairs.size(), kPairsPerTask), [&](std::size_t task) {
    std::vector<std::uint64_t> cells;
    const TaskRange range = TaskBounds(task, pairs.size(), kPairsPerTask);
    for (std::size_t idx = range.begin; idx < range.end; ++idx) {
      values.real[idx] = Association(inputs, inputs.real, pairs[idx], real_weights, cells);
      values.synthetic[idx] = Association(inputs, inputs.synthetic, pairs[idx], synthetic_weights, cells);
    }
  });
  return values;
}

// Mean |real - synthetic| over `counted` pairs (those defined on the original rows).
double MeanDifference(const PairValues& values, const std::vector<std::size_t>& counted) {
  if (counted.empty()) return kNaN;
  double sum = 0.0;
  for (std::size_t idx : counted) sum += std::abs(values.real[idx] - values.synthetic[idx]);
  return sum / static_cast<double>(counted.size());
}

nlohmann::json Number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

class CorrelationsMetric final : public Metric {
 public:
  std::string_view name() const override { return "correlations"; }
  Section section() const override { return Section::kFidelity; }
  std::string_view description() const override {
    return "per column pair: Pearson (numeric) or Cramer's V association in real and synthetic, and the difference";
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    SYNTHSCALE_RETURN_IF_ERROR(CheckCodes(inputs));
    const std::size_t m = inputs.columns.size();
    std::vector<Pair> pairs;
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = a + 1; b < m; ++b) {
        pairs.push_back({a, b, inputs.columns[a].numeric && inputs.columns[b].numeric});
      }
    }
    Status status;
    const PairValues point = Associations(inputs, pairs, {}, {}, &ctx.pool(), status);
    SYNTHSCALE_RETURN_IF_ERROR(status);
    std::vector<std::size_t> counted;
    for (std::size_t idx = 0; idx < pairs.size(); ++idx) {
      if (std::isfinite(point.real[idx]) && std::isfinite(point.synthetic[idx])) counted.push_back(idx);
    }
    const std::vector<double> points = {MeanDifference(point, counted)};
    // A replicate recomputes a seeded sample of at most kIntervalPairs of the counted pairs
    // (RandomStream(seed, "correlations/interval_pairs", 0)) and moves the exact mean by
    // that sample's deviation, mean_r(S) - mean_0(S): for exchangeable pairs the spread of
    // a mean over fewer of them can only be wider, and 253 Pearson pairs x 200 replicates
    // were 15 s of CPU on the NIST excerpt.
    std::vector<std::size_t> sampled(counted);
    if (sampled.size() > kIntervalPairs) {
      RandomStream stream(inputs.options.seed, "correlations/interval_pairs", 0);
      for (std::size_t i = 0; i < kIntervalPairs; ++i) {
        std::swap(sampled[i], sampled[i + stream.UniformBelow(sampled.size() - i)]);
      }
      sampled.resize(kIntervalPairs);
      std::sort(sampled.begin(), sampled.end());
    }
    std::vector<Pair> sampled_pairs;
    std::vector<std::size_t> sampled_counted;
    for (std::size_t idx : sampled) {
      sampled_counted.push_back(sampled_pairs.size());
      sampled_pairs.push_back(pairs[idx]);
    }
    PairValues sampled_point;
    for (std::size_t idx : sampled) {
      sampled_point.real.push_back(point.real[idx]);
      sampled_point.synthetic.push_back(point.synthetic[idx]);
    }
    const double sampled_mean = MeanDifference(sampled_point, sampled_counted);
    const std::vector<StatisticRange> ranges = {StatisticRange{0.0, 2.0}};
    SYNTHSCALE_ASSIGN_OR_RETURN(
        std::vector<Estimate> estimates,
        RowBootstrap(inputs, points, ranges, "correlations/bootstrap", ctx,
                     [&](std::span<const std::uint32_t> real_weights, std::span<const std::uint32_t> synthetic_weights) {
                       Status unused;
                       const PairValues values =
                           Associations(inputs, sampled_pairs, real_weights, synthetic_weights, nullptr, unused);
                       return std::vector<double>{points[0] + (MeanDifference(values, sampled_counted) - sampled_mean)};
                     }));

    MetricResult result;
    result.summary.emplace_back("correlation_difference_mean", estimates[0]);
    nlohmann::json listing = nlohmann::json::array();
    for (std::size_t idx = 0; idx < pairs.size(); ++idx) {
      const Pair& pair = pairs[idx];
      listing.push_back({{"columns", {inputs.columns[pair.a].name, inputs.columns[pair.b].name}},
                         {"kind", pair.pearson ? "pearson" : "cramers_v"},
                         {"real", Number(point.real[idx])},
                         {"synthetic", Number(point.synthetic[idx])},
                         {"difference", Number(std::abs(point.real[idx] - point.synthetic[idx]))}});
    }
    result.details["pairs"] = std::move(listing);
    if (sampled.size() < counted.size() && inputs.options.bootstrap_replicates > 0) {
      result.sampling.push_back("correlation_difference_mean's interval: each bootstrap replicate recomputes a "
                                "seeded sample of " + std::to_string(sampled.size()) + " of the " +
                                std::to_string(counted.size()) +
                                " pairs (the value uses all of them; the interval can only widen)");
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeCorrelationsMetric() { return std::make_unique<CorrelationsMetric>(); }

}  // namespace synthscale::eval
