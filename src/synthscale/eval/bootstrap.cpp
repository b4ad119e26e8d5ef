#include "synthscale/eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace synthscale::eval {

double QuantileOfSorted(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

Result<Estimate> Bootstrap(double point, const EvalOptions& options, std::string_view purpose,
                           const Context& ctx,
                           const std::function<double(RandomStream& stream)>& statistic) {
  Estimate estimate;
  estimate.value = point;
  const std::size_t replicates = options.bootstrap_replicates;
  if (replicates == 0) return estimate;
  std::vector<double> values(replicates);
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(replicates, [&](std::size_t r) {
    RandomStream stream(options.seed, purpose, r);
    values[r] = statistic(stream);
    return Status::Ok();
  }));
  return PercentileInterval(point, std::move(values), replicates, options);
}

Estimate PercentileInterval(double point, std::vector<double> values, std::size_t replicates,
                            const EvalOptions& options) {
  Estimate estimate;
  estimate.value = point;
  if (replicates == 0) return estimate;
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty() || values.size() * 2 < replicates) return estimate;
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  estimate.ci_low = QuantileOfSorted(values, tail);
  estimate.ci_high = QuantileOfSorted(values, 1.0 - tail);
  return estimate;
}

Result<Estimate> MeanWithInterval(std::span<const double> values, const EvalOptions& options,
                                  std::string_view purpose, const Context& ctx) {
  if (values.empty()) return Estimate{};
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  return Bootstrap(mean, options, purpose, ctx, [&](RandomStream& stream) {
    double sum = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) sum += values[stream.UniformBelow(values.size())];
    return sum / n;
  });
}

void ResampleCounts(std::span<const std::uint64_t> counts, RandomStream& stream,
                    std::span<std::uint64_t> out) {
  std::uint64_t remaining_total = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  std::uint64_t remaining_draws = remaining_total;
  StreamBits bits(stream);
  for (std::size_t cell = 0; cell < counts.size(); ++cell) {
    if (remaining_draws == 0 || counts[cell] == 0) {
      out[cell] = 0;
    } else if (counts[cell] == remaining_total) {
      out[cell] = remaining_draws;
    } else {
      const double p = static_cast<double>(counts[cell]) / static_cast<double>(remaining_total);
      std::binomial_distribution<std::uint64_t> binomial(remaining_draws, p);
      out[cell] = binomial(bits);
    }
    remaining_draws -= out[cell];
    remaining_total -= counts[cell];
  }
}

void ResampleIndices(std::size_t n, RandomStream& stream, std::vector<std::uint32_t>& out) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(stream.UniformBelow(n));
}

}  // namespace synthscale::eval
