// The discrete Gaussian mechanism on integer count vectors.
//
// Adds independent discrete Gaussian noise N_Z(0, sigma^2) (samplers/discrete_gaussian.h)
// to every count. For counts of L2 sensitivity Delta under the ledger's neighbouring
// relation this is rho-zCDP with rho = Delta^2 / (2 sigma^2) (Canonne, Kamath, Steinke
// 2020, for vectors of independent discrete Gaussians; exactly as for continuous noise). sigma^2 and Delta^2 are
// exact fractions, so rho is computed exactly and rounded up once.
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
#include "synthscale/privacy/samplers/discrete_gaussian.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {

class GaussianMechanism {
 public:
  // Noise of variance parameter sigma^2 on counts of the given sensitivity.
  // Errors: kInvalidArgument when the L2 sensitivity is 0 or sigma^2 is out of the exact
  // sampler's range (discrete_gaussian.h).
  static Result<GaussianMechanism> Create(const CountSensitivity& sensitivity, const Rational& sigma_squared);
  // The least noise on a dyadic grid (sigma^2 a multiple of 2^-k, k <= 20, as fine as the
  // sampler allows) whose cost is at most `rho`. Errors: kInvalidArgument when rho is not
  // a finite number > 0 or no sigma^2 in range reaches it.
  static Result<GaussianMechanism> ForRho(const CountSensitivity& sensitivity, double rho);

  const CountSensitivity& sensitivity() const { return sensitivity_; }
  const Rational& sigma_squared() const { return sampler_.sigma_squared(); }
  double sigma() const;
  // Delta^2 / (2 sigma^2), rounded up.
  double rho() const { return rho_; }
  // The ledger line a release with this label records.
  PrivacyCharge ChargeFor(const std::string& label) const;

  // Charge `ledger`, then return counts[i] + N_Z(0, sigma^2) for every i. Nothing is
  // charged or released on an error before the charge. Errors: kInvalidArgument when a
  // |count| exceeds 2^62 or the ledger refuses the charge (budget exceeded, another
  // neighbouring relation, empty label); kInternal in the sampler's overflow case
  // (probability < 2^-360 per count; the charge then stands).
  Result<NoisyCounts> Release(std::span<const std::int64_t> counts, const std::string& label,
                              PrivacyLedger& ledger, Csprng& noise) const;

 private:
  GaussianMechanism(const CountSensitivity& sensitivity, DiscreteGaussianSampler sampler, double rho)
      : sensitivity_(sensitivity), sampler_(sampler), rho_(rho) {}

  CountSensitivity sensitivity_;
  DiscreteGaussianSampler sampler_;
  double rho_;
};

}  // namespace synthscale
