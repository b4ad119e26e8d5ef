// The discrete Laplace mechanism on integer count vectors.
//
// Adds independent discrete Laplace noise of scale b (samplers/discrete_laplace.h) to
// every count. For counts of L1 sensitivity Delta under the ledger's neighbouring relation
// it is epsilon-DP with epsilon = Delta / b: the output density ratio is
// prod_i exp((|y_i - f'_i| - |y_i - f_i|) / b) <= exp(||f - f'||_1 / b). The ledger is
// charged rho = epsilon^2 / 2 (Bun & Steinke 2016, Prop. 1.4) and records epsilon too.
//
// Thread safety: const methods are safe to call concurrently with different Csprngs and
// ledgers.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/ledger.h"
#include "synthscale/privacy/rational.h"
#include "synthscale/privacy/released.h"
#include "synthscale/privacy/samplers/discrete_laplace.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {

class LaplaceMechanism {
 public:
  // Noise of scale b on counts of the given sensitivity. Errors: kInvalidArgument when
  // the L1 sensitivity is 0, b is out of the sampler's range, or Delta / b does not fit
  // in 64-bit parts.
  static Result<LaplaceMechanism> Create(const CountSensitivity& sensitivity, const Rational& scale);
  // The least noise on a dyadic grid (b a multiple of 2^-k, k <= 20) whose epsilon is at
  // most `epsilon`. Errors: kInvalidArgument when epsilon is not a finite number > 0.
  static Result<LaplaceMechanism> ForEpsilon(const CountSensitivity& sensitivity, double epsilon);

  const CountSensitivity& sensitivity() const { return sensitivity_; }
  const Rational& scale() const { return sampler_.scale(); }
  // Delta / b exactly, and rounded up; rho = epsilon^2 / 2 rounded up.
  const Rational& exact_epsilon() const { return epsilon_; }
  double epsilon() const { return epsilon_.ToDoubleUp(); }
  double rho() const { return rho_; }
  PrivacyCharge ChargeFor(const std::string& label) const;

  // Charge `ledger`, then return counts[i] + Lap_Z(b) for every i. Errors as for
  // GaussianMechanism::Release.
  Result<NoisyCounts> Release(std::span<const std::int64_t> counts, const std::string& label,
                              PrivacyLedger& ledger, Csprng& noise) const;

 private:
  LaplaceMechanism(const CountSensitivity& sensitivity, DiscreteLaplaceSampler sampler, const Rational& epsilon,
                   double rho)
      : sensitivity_(sensitivity), sampler_(sampler), epsilon_(epsilon), rho_(rho) {}

  CountSensitivity sensitivity_;
  DiscreteLaplaceSampler sampler_;
  Rational epsilon_;
  double rho_;
};

}  // namespace synthscale
