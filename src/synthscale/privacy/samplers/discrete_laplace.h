// Exact sampler for the discrete Laplace distribution on the integers:
//   P[X = x] = tanh(1/(2b)) * exp(-|x|/b)   for every integer x, with scale b > 0 rational.
//
// Canonne, Kamath, Steinke 2020 (arXiv:2004.00010), section 5, Algorithm 2. Integer
// arithmetic only; every random bit from the Csprng (see bernoulli.h).
//
// Correctness. Write b = t/s (t, s positive integers). (1) U uniform on {0..t-1} is kept
// with probability exp(-U/t), so P[U = u | kept] is proportional to exp(-u/t). (2) V counts
// the successes of Bernoulli(exp(-1)) before the first failure: P[V = v] is proportional to
// exp(-v). (3) X = U + t*V then has P[X = x] proportional to exp(-x/t) for every x >= 0,
// since x determines (u, v) uniquely and exp(-u/t)exp(-v) = exp(-x/t). (4) Y = floor(X/s)
// sums s consecutive terms, so P[Y = y] is proportional to exp(-y*s/t) = exp(-y/b).
// (5) A fair sign B makes +-Y, with the pair (B = 1, Y = 0) rejected so that 0 is not
// counted twice: P[result = z] is proportional to exp(-|z|/b) on all integers. Every
// restart is independent of the rejected draws, so the output law is the conditional law.
//
// Range. Create accepts t < 2^63 and b <= 2^54. A draw beyond +-2^62 would need V >= 255,
// probability below exp(-255) < 2^-367; Sample then returns kInternal instead of a wrong
// value (nothing else in the library treats that as reachable).
//
// Side channel: the running time depends on the value drawn (more loop iterations for
// larger |x|). An observer who can time a release learns something about the noise; see
// docs/privacy.md, "Side channels".
#pragma once

#include <cstdint>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/rational.h"

namespace synthscale {

class DiscreteLaplaceSampler {
 public:
  // Largest supported scale (b <= 2^54), and largest |draw| (2^62).
  static constexpr std::uint64_t kMaxScale = std::uint64_t{1} << 54;
  static constexpr std::int64_t kMaxMagnitude = std::int64_t{1} << 62;

  // A sampler with scale b (P[x] proportional to exp(-|x|/b)). Errors: kInvalidArgument when
  // b == 0, b > 2^54, or its numerator is 2^63 or more.
  static Result<DiscreteLaplaceSampler> Create(const Rational& scale);

  // One draw. Errors: kInternal only in the astronomically unlikely overflow case above.
  // Thread safety: const; the Csprng must not be shared between threads.
  Result<std::int64_t> Sample(Csprng& noise) const;

  const Rational& scale() const { return scale_; }

 private:
  explicit DiscreteLaplaceSampler(const Rational& scale) : scale_(scale) {}

  Rational scale_;  // t/s in the notation above: t = numerator, s = denominator
};

}  // namespace synthscale
