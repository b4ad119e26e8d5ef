#include "synthscale/eval/row_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "synthscale/core/random_stream.h"
#include "synthscale/eval/bootstrap.h"

namespace synthscale::eval {

namespace {

void Multiplicities(std::size_t rows, RandomStream& stream, std::vector<std::uint32_t>& weights) {
  weights.assign(rows, 0);
  for (std::size_t draw = 0; draw < rows; ++draw) ++weights[stream.UniformBelow(rows)];
}

}  // namespace

Status ForEachItem(ThreadPool* pool, std::size_t count, const std::function<void(std::size_t)>& body) {
  if (pool == nullptr) {
    for (std::size_t item = 0; item < count; ++item) body(item);
    return Status::Ok();
  }
  return pool->Run(count, [&](std::size_t item) {
    body(item);
    return Status::Ok();
  });
}

Result<std::vector<Estimate>> RowBootstrap(const EvalInputs& inputs, std::span<const double> points,
                                           std::span<const StatisticRange> ranges,
                                           std::string_view purpose, const Context& ctx,
                                           const RowStatistic& statistic) {
  if (ranges.size() != points.size()) {
    return Internal("RowBootstrap: " + std::to_string(points.size()) + " statistics but " +
                    std::to_string(ranges.size()) + " ranges");
  }
  std::vector<Estimate> estimates(points.size());
  for (std::size_t k = 0; k < points.size(); ++k) estimates[k].value = points[k];
  const std::size_t replicates = inputs.options.bootstrap_replicates;
  if (replicates == 0 || points.empty()) return estimates;
  std::vector<std::vector<double>> values(replicates);  // [replicate][statistic]
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(replicates, [&](std::size_t replicate) {
    RandomStream stream(inputs.options.seed, purpose, replicate);
    std::vector<std::uint32_t> real_weights;
    std::vector<std::uint32_t> synthetic_weights;
    Multiplicities(inputs.real.num_rows, stream, real_weights);
    Multiplicities(inputs.synthetic.num_rows, stream, synthetic_weights);
    values[replicate] = statistic(real_weights, synthetic_weights);
    if (values[replicate].size() != points.size()) {
      return Internal("RowBootstrap: the statistic returned " + std::to_string(values[replicate].size()) +
                      " values for " + std::to_string(points.size()) + " points");
    }
    return Status::Ok();
  }));
  const double tail = (1.0 - inputs.options.confidence) / 2.0;
  std::vector<double> column;
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (!std::isfinite(points[k])) continue;
    column.clear();
    for (const auto& replicate : values) {
      if (std::isfinite(replicate[k])) column.push_back(replicate[k]);
    }
    if (column.empty() || column.size() * 2 < replicates) continue;
    std::sort(column.begin(), column.end());
    // Summed in sorted order: the same bits whatever order the replicates finished in.
    const double mean =
        std::accumulate(column.begin(), column.end(), 0.0) / static_cast<double>(column.size());
    const double low = points[k] + (QuantileOfSorted(column, tail) - mean);
    const double high = points[k] + (QuantileOfSorted(column, 1.0 - tail) - mean);
    estimates[k].ci_low = std::clamp(std::min(low, points[k]), ranges[k].low, ranges[k].high);
    estimates[k].ci_high = std::clamp(std::max(high, points[k]), ranges[k].low, ranges[k].high);
  }
  return estimates;
}

}  // namespace synthscale::eval
