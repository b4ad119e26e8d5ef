// Confidence intervals for fidelity statistics by resampling the rows of both tables.
//
// What the interval means. A fidelity statistic (a mean TVD, a mean KS statistic, a mean
// correlation difference) compares a finite real sample with a finite synthetic sample.
// Had either table been drawn again, the statistic would move; the interval shows how far.
// Replicate r resamples the real rows and, independently, the synthetic rows with
// replacement (multinomial row multiplicities from RandomStream(seed, purpose, r)) and
// recomputes every per-marginal / per-column / per-pair value on the same resampled rows.
// So the dependence between marginals sharing columns (age's 1-way TVD and age x sex's
// 2-way TVD move together) is kept; resampling each marginal's counts independently
// would treat them as independent and understate the spread of their mean.
//
// Centring. These statistics are distances, biased upward in finite samples: two samples
// of one distribution have TVD > 0, and a replicate carries that noise a second time, so a
// raw percentile interval can sit entirely above the reported value. We subtract the
// bootstrap estimate of that extra bias (mean of the replicates - value) from the
// percentile bounds, i.e. [value + q_lo - mean*, value + q_hi - mean*], clamped to the
// statistic's range and widened to include the value (a very skewed replicate
// distribution could otherwise leave it out). The interval is centred on the reported value and shows its sampling
// spread; it does not remove the statistic's own upward bias (it is not an interval for
// the population distance, which lies lower by about the same bias).
//
// Cost: replicates x the cost of the statistic, with no sorting or gathering per
// replicate (statistics take row weights). Replicates run in parallel on ctx's pool; the
// statistic runs serially inside one, so results are identical for any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/eval_inputs.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {

// Values of the statistics given row multiplicities of the real and synthetic rows (each
// one entry per row, summing to the row count).
using RowStatistic = std::function<std::vector<double>(std::span<const std::uint32_t> real_weights,
                                                       std::span<const std::uint32_t> synthetic_weights)>;

struct StatisticRange {
  double low = 0.0;
  double high = 1.0;
};

// One Estimate per entry of `points` (the statistics on the original rows), with the
// centred percentile interval above over inputs.options.bootstrap_replicates replicates
// (NaN bounds when that is 0, when a point is not finite, or when fewer than half of a
// statistic's replicates are finite). `ranges` gives each statistic's range.
Result<std::vector<Estimate>> RowBootstrap(const EvalInputs& inputs, std::span<const double> points,
                                           std::span<const StatisticRange> ranges,
                                           std::string_view purpose, const Context& ctx,
                                           const RowStatistic& statistic);

// Run body(item) for item in [0, count): in parallel on `pool`, or serially on the caller
// when pool is null (inside a bootstrap replicate, which already runs on the pool).
Status ForEachItem(ThreadPool* pool, std::size_t count, const std::function<void(std::size_t)>& body);

}  // namespace synthscale::eval
