// distance_to_closest_record: are synthetic rows closer to the training rows than fresh
// real rows are?
//
// For each synthetic row s: d_train(s) and d_holdout(s), the Gower distances
// (nearest_neighbours.h) to its nearest training and nearest holdout row. The share of
// synthetic rows with d_train < d_holdout (ties count 1/2) has, when the synthetic rows are
// exchangeable with real rows (the generator did not memorise), expectation
// n_train / (n_train + n_holdout): the nearest of n_train + n_holdout exchangeable real
// rows is a training row with that probability. A share well above it means the
// synthetic rows sit nearer the rows they were fitted on.
//
// Nearest-neighbour distance ratio (NNDR) d1 / d2 of the nearest and second-nearest
// training rows, for synthetic rows and, as the control, for holdout rows: a ratio near 0
// means a row is much closer to one training record than to any other (a copy of an
// outlier). 0 / 0 (two identical nearest rows) counts as 1: no single record stands out.
// With a single training row NNDR is undefined (null in the details).
// All distances are exact (no subsampling).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/nearest_neighbours.h"

namespace synthscale::eval {

namespace {

constexpr std::size_t kDcrBins = 40;
constexpr std::size_t kNndrBins = 20;

nlohmann::json Counts(std::span<const double> values, double low, double high, std::size_t bins) {
  std::vector<std::uint64_t> counts(bins, 0);
  for (double value : values) {
    if (!std::isfinite(value)) continue;
    const double position = (value - low) / (high - low) * static_cast<double>(bins);
    const auto bin = static_cast<std::size_t>(std::clamp(position, 0.0, static_cast<double>(bins - 1)));
    ++counts[bin];
  }
  return counts;
}

nlohmann::json Edges(double low, double high, std::size_t bins) {
  std::vector<double> edges(bins + 1);
  for (std::size_t i = 0; i <= bins; ++i) {
    edges[i] = low + (high - low) * static_cast<double>(i) / static_cast<double>(bins);
  }
  return edges;
}

// Mean, median and 5th percentile, for the details.
nlohmann::json Describe(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return nullptr;
  std::sort(values.begin(), values.end());
  auto at = [&](double q) { return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))]; };
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return {{"mean", mean}, {"median", at(0.5)}, {"p05", at(0.05)}, {"min", values.front()},
          {"share_zero", static_cast<double>(std::count(values.begin(), values.end(), 0.0)) /
                             static_cast<double>(values.size())}};
}

std::vector<double> Nearest(const Neighbours& neighbours, std::size_t rows) {
  std::vector<double> out(rows);
  for (std::size_t row = 0; row < rows; ++row) out[row] = neighbours.Distance(row, 0);
  return out;
}

std::vector<double> Ratios(const Neighbours& neighbours, std::size_t rows) {
  std::vector<double> out(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    const double d1 = neighbours.Distance(row, 0);
    const double d2 = neighbours.Distance(row, 1);
    if (std::isinf(d2)) {
      out[row] = std::numeric_limits<double>::quiet_NaN();  // one training row: undefined
    } else {
      out[row] = d2 == 0.0 ? 1.0 : d1 / d2;
    }
  }
  return out;
}

class DistanceToClosestRecord final : public Metric {
 public:
  std::string_view name() const override { return "distance_to_closest_record"; }
  Section section() const override { return Section::kPrivacy; }
  std::string_view description() const override {
    return "share of synthetic rows closer to a training row than to any holdout row, and NNDR";
  }
  std::string Unavailable(const EvalInputs& inputs) const override {
    return inputs.has_holdout ? std::string() : std::string("needs --holdout");
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    if (!inputs.has_holdout) return InvalidArgument("distance_to_closest_record needs --holdout");
    std::vector<std::size_t> columns(inputs.columns.size());
    std::iota(columns.begin(), columns.end(), std::size_t{0});
    const DistanceSpec spec = MakeDistanceSpec(inputs, columns);
    const NeighbourRows train = EncodeNeighbourRows(spec, inputs.real);
    const NeighbourRows holdout = EncodeNeighbourRows(spec, inputs.holdout);
    const NeighbourRows synthetic = EncodeNeighbourRows(spec, inputs.synthetic);
    SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours synthetic_train, NearestNeighbours(synthetic, train, 2, ctx));
    SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours synthetic_holdout, NearestNeighbours(synthetic, holdout, 1, ctx));
    SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours holdout_train, NearestNeighbours(holdout, train, 2, ctx));

    const std::size_t n_synthetic = inputs.synthetic.num_rows;
    const std::vector<double> dcr_synthetic = Nearest(synthetic_train, n_synthetic);
    const std::vector<double> dcr_synthetic_holdout = Nearest(synthetic_holdout, n_synthetic);
    const std::vector<double> dcr_holdout = Nearest(holdout_train, inputs.holdout.num_rows);
    std::vector<double> closer(n_synthetic);
    for (std::size_t row = 0; row < n_synthetic; ++row) {
      const double to_train = dcr_synthetic[row];
      const double to_holdout = dcr_synthetic_holdout[row];
      closer[row] = to_train < to_holdout ? 1.0 : (to_train == to_holdout ? 0.5 : 0.0);
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(Estimate share, MeanWithInterval(closer, inputs.options,
                                                                 "dcr closer to train", ctx));
    const double n_train = static_cast<double>(inputs.real.num_rows);
    const double expected = n_train / (n_train + static_cast<double>(inputs.holdout.num_rows));

    MetricResult result;
    nlohmann::json& details = result.details;
    details["distance"] = "Gower: mean over columns of min(|a-b|/range, 1) (numeric) or [a != b] (categorical)";
    details["dcr_share_closer_to_train"] = EstimateToJson(share);
    details["expected_share_if_not_memorised"] = expected;
    details["share_excess"] = share.value - expected;
    details["dcr"] = {{"synthetic_to_train", Describe(dcr_synthetic)},
                      {"synthetic_to_holdout", Describe(dcr_synthetic_holdout)},
                      {"holdout_to_train", Describe(dcr_holdout)}};
    const std::vector<double> nndr_synthetic = Ratios(synthetic_train, n_synthetic);
    const std::vector<double> nndr_holdout = Ratios(holdout_train, inputs.holdout.num_rows);
    details["nndr"] = {{"synthetic", Describe(nndr_synthetic)}, {"holdout", Describe(nndr_holdout)}};

    // Histograms for the report's plots: DCR on [0, top] with top the largest DCR seen
    // rounded up to 0.05; NNDR on [0, 1].
    double top = 0.0;
    for (double d : dcr_synthetic) top = std::max(top, d);
    for (double d : dcr_holdout) top = std::max(top, d);
    top = std::max(0.05, std::ceil(top / 0.05) * 0.05);
    details["histograms"] = {
        {"dcr",
         {{"edges", Edges(0.0, top, kDcrBins)},
          {"synthetic_to_train", Counts(dcr_synthetic, 0.0, top, kDcrBins)},
          {"holdout_to_train", Counts(dcr_holdout, 0.0, top, kDcrBins)}}},
        {"nndr",
         {{"edges", Edges(0.0, 1.0, kNndrBins)},
          {"synthetic_to_train", Counts(nndr_synthetic, 0.0, 1.0, kNndrBins)},
          {"holdout_to_train", Counts(nndr_holdout, 0.0, 1.0, kNndrBins)}}}};
    result.summary.emplace_back("dcr_share_closer_to_train", share);
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeDistanceToClosestRecordMetric() {
  return std::make_unique<DistanceToClosestRecord>();
}

}  // namespace synthscale::eval
