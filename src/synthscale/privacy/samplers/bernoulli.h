// Exact uniform and Bernoulli draws from the noise CSPRNG: the building blocks of the
// discrete Laplace and discrete Gaussian samplers.
//
// Canonne, Kamath, Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS
// 2020; arXiv:2004.00010), section 5, Algorithm 1: Bernoulli(exp(-gamma)) for a
// rational gamma, using only uniform integers and comparisons. No floating point is used;
// every random bit comes from the Csprng.
//
// Preconditions (checked by assert in debug builds; callers validate user input first):
// denominators > 0, and numerator <= denominator for SampleBernoulli.
// Thread safety: a Csprng is not thread-safe; so neither is a call sharing one.
#pragma once

#include <cstdint>

#include "synthscale/core/crypto.h"
#include "synthscale/core/int128.h"

namespace synthscale {

// A uniform integer in [0, bound), exactly (rejection from 2^128, no modulo bias). bound > 0.
UInt128 UniformBelow128(Csprng& noise, UInt128 bound);

// True with probability numerator/denominator, exactly.
bool SampleBernoulli(Csprng& noise, UInt128 numerator, UInt128 denominator);

// True with probability exp(-numerator/denominator), exactly.
//
// Correctness (CKS 2020, Algorithm 1). For
// gamma = n/d in [0, 1]: draw A_1, A_2, ... with A_k ~ Bernoulli(gamma/k) until the first
// A_K = 0, and return whether K is odd. P[A_1 = ... = A_{k-1} = 1] = gamma^{k-1}/(k-1)!,
// so P[K = k] = gamma^{k-1}/(k-1)! - gamma^k/k!, and
//   P[K odd] = sum_{k odd} (gamma^{k-1}/(k-1)! - gamma^k/k!) = sum_j (-gamma)^j/j! = exp(-gamma).
// Bernoulli(gamma/k) is drawn as Bernoulli(1/k) AND Bernoulli(n/d) (independent, so the
// product of the probabilities), which avoids the product d*k and so cannot overflow.
// For gamma > 1: exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))), a
// product of independent events; the loop stops at the first failure, so its expected
// length is at most 1/(1 - exp(-1)) ~ 1.58 whatever gamma is.
bool SampleBernoulliExp(Csprng& noise, UInt128 numerator, UInt128 denominator);

}  // namespace synthscale
