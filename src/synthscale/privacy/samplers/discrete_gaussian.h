// Exact sampler for the discrete Gaussian distribution on the integers:
//   P[X = x] = exp(-x^2 / (2 sigma^2)) / sum_{y in Z} exp(-y^2 / (2 sigma^2)),
// with variance parameter sigma^2 > 0 rational.
//
// Canonne, Kamath, Steinke 2020 (arXiv:2004.00010), section 5, Algorithm 3: rejection
// sampling from a discrete Laplace proposal. Integer arithmetic only; every random bit
// from the Csprng (see bernoulli.h).
//
// Correctness. Let t = floor(sigma) + 1 and propose Y ~ discrete Laplace with scale t
// (discrete_laplace.h): P[Y = y] proportional to exp(-|y|/t). Accept Y with probability
//   exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))          (an exponent <= 0, so a probability).
// Expanding the square, exp(-|y|/t) * exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))
//   = exp(-y^2 / (2 sigma^2)) * exp(-sigma^2 / (2 t^2)),
// i.e. the target pmf times a constant, so an accepted Y has exactly the discrete Gaussian
// law. With sigma^2 = n/d and A = |y| * t * d the exponent is the fraction
//   (A - n)^2 / (2 n d t^2),
// which is what SampleBernoulliExp receives. CKS show the acceptance probability per
// proposal is bounded below by a constant (about 0.5 for large sigma), so the expected
// number of proposals is O(1).
//
// Range. Create requires d * t^2 <= 2^55 (sigma^2 = n/d reduced); then (A - n)^2 fits in
// 128 bits whenever |y| < 2^8 * t, and a proposal beyond that has probability below
// 2 exp(-256); Sample returns kInternal instead of a wrong value in that case. With an
// integer sigma^2 this allows sigma up to about 1.9e8; a finer denominator lowers it.
//
// Side channel: the running time depends on the value drawn (see discrete_laplace.h and
// docs/privacy.md, "Side channels").
#pragma once

#include <cstdint>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/rational.h"
#include "synthscale/privacy/samplers/discrete_laplace.h"

namespace synthscale {

class DiscreteGaussianSampler {
 public:
  static constexpr std::uint64_t kMaxDenominatorTimesTSquared = std::uint64_t{1} << 55;

  // A sampler with variance parameter sigma^2 (not the variance of the discrete
  // distribution, which is slightly smaller). Errors: kInvalidArgument when sigma^2 == 0 or
  // d * (floor(sigma) + 1)^2 > 2^55 (use a smaller denominator or a smaller sigma).
  static Result<DiscreteGaussianSampler> Create(const Rational& sigma_squared);

  // One draw. Errors: kInternal only in the astronomically unlikely overflow case above.
  // Thread safety: const; the Csprng must not be shared between threads.
  Result<std::int64_t> Sample(Csprng& noise) const;

  const Rational& sigma_squared() const { return sigma_squared_; }
  // t = floor(sigma) + 1, the scale of the Laplace proposal.
  std::uint64_t proposal_scale() const { return t_; }

 private:
  DiscreteGaussianSampler(const Rational& sigma_squared, std::uint64_t t, DiscreteLaplaceSampler proposal)
      : sigma_squared_(sigma_squared), t_(t), proposal_(proposal) {}

  Rational sigma_squared_;
  std::uint64_t t_;
  DiscreteLaplaceSampler proposal_;
};

// floor(sqrt(numerator/denominator)), exactly. denominator > 0.
std::uint64_t FloorSqrt(const Rational& value);

}  // namespace synthscale
