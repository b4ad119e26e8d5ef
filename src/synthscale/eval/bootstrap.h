// Percentile bootstrap confidence intervals, deterministic given a seed.
//
// Replicate r draws from RandomStream(seed, purpose, r), so intervals are identical for
// any thread count. Replicates run on the context's pool in fixed-size tasks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {

// A UniformRandomBitGenerator over RandomStream, for the standard distributions
// (binomial, normal) that a bootstrap needs. Not for DP noise.
class StreamBits {
 public:
  using result_type = std::uint64_t;
  explicit StreamBits(RandomStream& stream) : stream_(stream) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return stream_.NextU64(); }

 private:
  RandomStream& stream_;
};

// The percentile interval of `point`'s statistic: statistic(stream) is called once per
// replicate with that replicate's stream and returns the replicated value. With
// options.bootstrap_replicates == 0 the interval is NaN. Non-finite replicate values
// are dropped; if fewer than half remain the interval is NaN.
Result<Estimate> Bootstrap(double point, const EvalOptions& options, std::string_view purpose,
                           const Context& ctx,
                           const std::function<double(RandomStream& stream)>& statistic);

// `point` with the percentile interval of its replicate `values` (what Bootstrap returns
// once it has them): non-finite values are dropped; NaN bounds when fewer than half of
// `replicates` remain or when replicates is 0. For callers that compute several
// statistics from the same resamples (draw once, then one call per statistic).
Estimate PercentileInterval(double point, std::vector<double> values, std::size_t replicates,
                            const EvalOptions& options);

// The mean of `values` with a bootstrap interval (rows resampled with replacement).
Result<Estimate> MeanWithInterval(std::span<const double> values, const EvalOptions& options,
                                  std::string_view purpose, const Context& ctx);

// Resample `n` rows' worth of cell counts: out ~ Multinomial(n, counts / sum(counts)),
// drawn as a chain of binomials (O(cells), not O(n)). out.size() == counts.size().
void ResampleCounts(std::span<const std::uint64_t> counts, RandomStream& stream,
                    std::span<std::uint64_t> out);

// The q-quantile of ascending `sorted` (non-empty), by linear interpolation between order
// statistics (type 7, numpy's default).
double QuantileOfSorted(const std::vector<double>& sorted, double q);

// n indexes drawn uniformly with replacement from [0, n).
void ResampleIndices(std::size_t n, RandomStream& stream, std::vector<std::uint32_t>& out);

}  // namespace synthscale::eval
