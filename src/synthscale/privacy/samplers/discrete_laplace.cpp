#include "synthscale/privacy/samplers/discrete_laplace.h"

#include <string>

#include "synthscale/privacy/samplers/bernoulli.h"

namespace synthscale {

Result<DiscreteLaplaceSampler> DiscreteLaplaceSampler::Create(const Rational& scale) {
  if (scale.is_zero()) return InvalidArgument("discrete Laplace scale must be > 0, got 0");
  if (scale > Rational::Integer(kMaxScale)) {
    return InvalidArgument("discrete Laplace scale must be at most 2^54, got " + scale.ToString());
  }
  if (scale.numerator() >= (std::uint64_t{1} << 63)) {
    return InvalidArgument("discrete Laplace scale " + scale.ToString() +
                           " has a numerator of 2^63 or more; use a coarser fraction");
  }
  return DiscreteLaplaceSampler(scale);
}

Result<std::int64_t> DiscreteLaplaceSampler::Sample(Csprng& noise) const {
  const std::uint64_t t = scale_.numerator();
  const std::uint64_t s = scale_.denominator();
  while (true) {
    const std::uint64_t u = noise.UniformBelow(t);
    if (!SampleBernoulliExp(noise, u, t)) continue;
    std::uint64_t v = 0;
    while (SampleBernoulliExp(noise, 1, 1)) ++v;
    const UInt128 x = static_cast<UInt128>(u) + static_cast<UInt128>(t) * v;  // < 2^127
    const UInt128 y = x / s;
    const bool negative = (noise.NextU64() & 1U) == 1U;
    if (negative && y == 0) continue;
    if (y > static_cast<UInt128>(kMaxMagnitude)) {
      return Internal("discrete Laplace draw beyond 2^62 (probability < 2^-367); please report it");
    }
    const auto magnitude = static_cast<std::int64_t>(y);
    return negative ? -magnitude : magnitude;
  }
}

}  // namespace synthscale
