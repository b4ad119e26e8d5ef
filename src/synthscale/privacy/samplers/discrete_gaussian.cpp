#include "synthscale/privacy/samplers/discrete_gaussian.h"

#include <cmath>
#include <string>

#include "synthscale/privacy/samplers/bernoulli.h"

namespace synthscale {
namespace {

// Whether r^2 <= n/d, i.e. r^2 * d <= n, in exact arithmetic.
bool SquareAtMost(std::uint64_t r, const Rational& value) {
  UInt128 square = static_cast<UInt128>(r) * r;
  UInt128 scaled = 0;
  if (!CheckedMul(square, value.denominator(), &scaled)) return false;
  return scaled <= value.numerator();
}

}  // namespace

std::uint64_t FloorSqrt(const Rational& value) {
  // A floating-point guess, then exact correction steps (at most a few).
  auto root = static_cast<std::uint64_t>(std::sqrt(value.ToDouble()));
  while (root > 0 && !SquareAtMost(root, value)) --root;
  while (SquareAtMost(root + 1, value)) ++root;
  return root;
}

Result<DiscreteGaussianSampler> DiscreteGaussianSampler::Create(const Rational& sigma_squared) {
  if (sigma_squared.is_zero()) return InvalidArgument("discrete Gaussian sigma^2 must be > 0, got 0");
  const std::uint64_t t = FloorSqrt(sigma_squared) + 1;  // sigma < 2^32, so no overflow
  UInt128 budget = 0;
  const bool fits = CheckedMul(static_cast<UInt128>(t) * t, sigma_squared.denominator(), &budget) &&
                    budget <= kMaxDenominatorTimesTSquared;
  if (!fits) {
    return InvalidArgument("discrete Gaussian sigma^2 = " + sigma_squared.ToString() +
                           " is out of the exact range: need denominator * (floor(sigma)+1)^2 <= 2^55; "
                           "use a smaller denominator (e.g. round sigma^2 to a multiple of 1/1024)");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(DiscreteLaplaceSampler proposal,
                              DiscreteLaplaceSampler::Create(Rational::Integer(t)));
  return DiscreteGaussianSampler(sigma_squared, t, proposal);
}

Result<std::int64_t> DiscreteGaussianSampler::Sample(Csprng& noise) const {
  const std::uint64_t n = sigma_squared_.numerator();
  const std::uint64_t d = sigma_squared_.denominator();
  // 2 n d t^2 < 2^(1 + 64 + 55) by Create's check.
  const UInt128 exponent_denominator = 2 * static_cast<UInt128>(n) * (static_cast<UInt128>(d) * t_ * t_);
  const UInt128 a_limit = static_cast<UInt128>(1) << 63;
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::int64_t y, proposal_.Sample(noise));
    const auto magnitude = static_cast<UInt128>(y < 0 ? -y : y);  // |y| <= 2^62
    UInt128 a = 0;  // |y| * t * d
    if (!CheckedMul(magnitude, static_cast<UInt128>(t_) * d, &a) || a >= a_limit) {
      return Internal("discrete Gaussian proposal beyond the exact range (probability < 2^-368); "
                      "please report it");
    }
    const UInt128 difference = a >= n ? a - n : n - a;  // < 2^63
    if (SampleBernoulliExp(noise, difference * difference, exponent_denominator)) return y;
  }
}

}  // namespace synthscale
