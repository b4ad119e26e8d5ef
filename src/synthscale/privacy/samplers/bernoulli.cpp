#include "synthscale/privacy/samplers/bernoulli.h"

#include <cassert>
#include <limits>

namespace synthscale {
namespace {

constexpr UInt128 kTwoTo64 = static_cast<UInt128>(1) << 64;

// Bernoulli(exp(-n/d)) for n <= d: the alternating-series method of the header comment.
bool BernoulliExpAtMostOne(Csprng& noise, UInt128 numerator, UInt128 denominator) {
  std::uint64_t k = 1;
  while (true) {
    // A_k = Bernoulli(1/k) AND Bernoulli(n/d); short-circuiting keeps the joint law.
    const bool one_over_k = k == 1 || noise.UniformBelow(k) == 0;
    if (!one_over_k || !SampleBernoulli(noise, numerator, denominator)) break;
    ++k;  // reaching 2^64 would need 2^64 consecutive successes of probability <= 1/k
  }
  return (k & 1U) == 1U;
}

}  // namespace

UInt128 UniformBelow128(Csprng& noise, UInt128 bound) {
  assert(bound > 0);
  if (bound <= kTwoTo64) {
    if (bound == kTwoTo64) return noise.NextU64();
    return noise.UniformBelow(static_cast<std::uint64_t>(bound));
  }
  // Reject the first 2^128 mod bound words so that every residue is equally likely.
  const UInt128 limit = (static_cast<UInt128>(0) - bound) % bound;
  while (true) {
    const UInt128 high = noise.NextU64();
    const UInt128 word = (high << 64) | noise.NextU64();
    if (word >= limit) return word % bound;
  }
}

bool SampleBernoulli(Csprng& noise, UInt128 numerator, UInt128 denominator) {
  assert(denominator > 0 && numerator <= denominator);
  if (numerator == 0) return false;
  if (numerator == denominator) return true;
  return UniformBelow128(noise, denominator) < numerator;
}

bool SampleBernoulliExp(Csprng& noise, UInt128 numerator, UInt128 denominator) {
  assert(denominator > 0);
  if (numerator <= denominator) return BernoulliExpAtMostOne(noise, numerator, denominator);
  const UInt128 whole = numerator / denominator;
  for (UInt128 step = 0; step < whole; ++step) {
    if (!BernoulliExpAtMostOne(noise, 1, 1)) return false;
  }
  return BernoulliExpAtMostOne(noise, numerator % denominator, denominator);
}

}  // namespace synthscale
