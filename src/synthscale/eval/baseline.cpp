#include "synthscale/eval/baseline.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "synthscale/core/random_stream.h"
#include "synthscale/eval/feature_matrix.h"
#include "synthscale/eval/marginal_tvd.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {

namespace {

// The fractions of the real rows SDNist compares against (1 %, 5 %, 10 % ... 90 %), with
// 2 % and 50 % kept among them.
constexpr std::array<double, 12> kFractions = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

// `count` distinct rows of [0, n), seeded, in ascending order (partial Fisher-Yates).
std::vector<std::uint32_t> SampleRows(std::size_t n, std::size_t count, std::uint64_t seed, std::string_view purpose,
                                      std::uint64_t index) {
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0U);
  RandomStream stream(seed, purpose, index);
  count = std::min(count, n);
  for (std::size_t i = 0; i < count; ++i) std::swap(rows[i], rows[i + stream.UniformBelow(n - i)]);
  rows.resize(count);
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Mean 2-way TVD between inputs.real and `sample` (same columns).
double MeanTwoWayTvd(const EvalInputs& inputs, const EvalTable& sample) {
  EvalInputs pair;
  pair.columns = inputs.columns;
  pair.real = inputs.real;
  pair.synthetic = sample;
  MarginalScratch scratch;
  const std::size_t columns = inputs.columns.size();
  double sum = 0.0;
  std::size_t pairs = 0;
  for (std::size_t first = 0; first < columns; ++first) {
    for (std::size_t second = first + 1; second < columns; ++second) {
      const std::array<std::size_t, 2> clique = {first, second};
      sum += MarginalTvd(pair, clique, RowSubset{}, RowSubset{}, scratch);
      ++pairs;
    }
  }
  return pairs == 0 ? std::nan("") : sum / static_cast<double>(pairs);
}

Result<nlohmann::json> SubsampleEquivalent(const EvalInputs& inputs, double synthetic_tvd, const Context& ctx) {
  std::vector<double> tvd(kFractions.size(), std::nan(""));
  const std::size_t n = inputs.real.num_rows;
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(kFractions.size(), [&](std::size_t idx) {
    const auto count = static_cast<std::size_t>(std::llround(kFractions[idx] * static_cast<double>(n)));
    if (count == 0) return Status::Ok();
    const std::vector<std::uint32_t> rows = SampleRows(n, count, inputs.options.seed, "baseline/subsample", idx);
    tvd[idx] = MeanTwoWayTvd(inputs, SelectRows(inputs.real, rows));
    return Status::Ok();
  }));
  // The largest fraction whose subsample is at least as far from the real rows as the
  // synthetic table: "as close as a random subsample of that fraction".
  nlohmann::json fraction = nullptr;
  for (std::size_t idx = 0; idx < kFractions.size(); ++idx) {
    if (std::isfinite(tvd[idx]) && tvd[idx] >= synthetic_tvd) fraction = kFractions[idx];
  }
  nlohmann::json values = nlohmann::json::array();
  for (double value : tvd) values.push_back(std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr));
  return nlohmann::json{{"fractions", kFractions}, {"tvd_2way_mean", values}, {"fraction", fraction}};
}

}  // namespace

// Not pmse: its cross-fitted AUC is 0.5 for two samples of one population whatever their
// size (no finite-sample bias to calibrate, unlike a distance), so its reference is that
// expected value, and a second round of its boosted trees would cost as much as the
// metric itself (4 s of CPU on the NIST excerpt).
const std::vector<std::string>& BaselineMetrics() {
  static const std::vector<std::string> metrics = {"marginals", "column_shapes", "correlations", "subgroups"};
  return metrics;
}

Result<nlohmann::json> ComputeBaselines(const EvalInputs& inputs, const std::vector<std::string>& ran,
                                        double synthetic_tvd_2way, const Context& ctx) {
  nlohmann::json out = {{"source", nullptr}, {"rows", nullptr}, {"values", nlohmann::json::object()},
                        {"subsample_equivalent", nullptr}};
  if (inputs.has_holdout && inputs.holdout.num_rows > 0) {
    EvalInputs baseline = inputs;
    const std::size_t rows = std::min(inputs.synthetic.num_rows, inputs.holdout.num_rows);
    baseline.synthetic =
        SelectRows(inputs.holdout, SampleRows(inputs.holdout.num_rows, rows, inputs.options.seed,
                                              "baseline/holdout sample", 0));
    baseline.options.bootstrap_replicates = 0;
    out["source"] = "holdout sample";
    out["rows"] = rows;
    for (const std::string& name : BaselineMetrics()) {
      if (std::find(ran.begin(), ran.end(), name) == ran.end()) continue;
      const std::unique_ptr<Metric> metric = MakeMetric(name);
      if (!metric || !metric->Unavailable(baseline).empty()) continue;
      Result<MetricResult> result = metric->Compute(baseline, ctx);
      if (!result.ok()) {
        return Status(result.status().code(), "baseline of metric '" + name + "': " + result.status().message(),
                      result.status().location());
      }
      for (const auto& [key, estimate] : result->summary) out["values"][key] = EstimateToJson(estimate)["value"];
    }
  }
  if (std::isfinite(synthetic_tvd_2way) && inputs.columns.size() >= 2) {
    SYNTHSCALE_ASSIGN_OR_RETURN(out["subsample_equivalent"], SubsampleEquivalent(inputs, synthetic_tvd_2way, ctx));
  }
  return out;
}

}  // namespace synthscale::eval
