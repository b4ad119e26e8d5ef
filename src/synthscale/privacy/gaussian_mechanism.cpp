#include "synthscale/privacy/gaussian_mechanism.h"

#include <algorithm>
#include <cmath>

#include "synthscale/privacy/dyadic_search.h"
#include "synthscale/privacy/format.h"

namespace synthscale {
namespace {

// "sqrt(2)" or, for a perfect square such as 9/4, "3/2": the exact L2 sensitivity.
std::string SqrtString(const Rational& square) {
  const Rational n = Rational::Integer(square.numerator());
  const Rational d = Rational::Integer(square.denominator());
  const std::uint64_t root_n = FloorSqrt(n);
  const std::uint64_t root_d = FloorSqrt(d);
  if (root_n * root_n == square.numerator() && root_d * root_d == square.denominator()) {
    return root_d == 1 ? std::to_string(root_n) : std::to_string(root_n) + "/" + std::to_string(root_d);
  }
  return "sqrt(" + square.ToString() + ")";
}

Status CheckCounts(std::span<const std::int64_t> counts) {
  for (std::size_t idx = 0; idx < counts.size(); ++idx) {
    if (counts[idx] > kMaxCountMagnitude || counts[idx] < -kMaxCountMagnitude) {
      return InvalidArgument("count " + std::to_string(idx) + " = " + std::to_string(counts[idx]) +
                             " is beyond +-2^62; nothing was released");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<GaussianMechanism> GaussianMechanism::Create(const CountSensitivity& sensitivity,
                                                    const Rational& sigma_squared) {
  if (sensitivity.l2_squared.is_zero()) {
    return InvalidArgument("Gaussian mechanism: the L2 sensitivity must be > 0, got 0");
  }
  Result<DiscreteGaussianSampler> sampler = DiscreteGaussianSampler::Create(sigma_squared);
  if (!sampler.ok()) return sampler.status().WithContext("Gaussian mechanism");
  // rho = (Delta^2 / sigma^2) / 2: the quotient rounded up, then halved exactly.
  const UInt128 numerator = static_cast<UInt128>(sensitivity.l2_squared.numerator()) * sigma_squared.denominator();
  const UInt128 denominator =
      static_cast<UInt128>(sensitivity.l2_squared.denominator()) * sigma_squared.numerator();
  const double rho = RoundUpToDouble(numerator, denominator) / 2.0;
  return GaussianMechanism(sensitivity, *sampler, rho);
}

Result<GaussianMechanism> GaussianMechanism::ForRho(const CountSensitivity& sensitivity, double rho) {
  if (!std::isfinite(rho) || !(rho > 0.0)) {
    return InvalidArgument("Gaussian mechanism: rho must be a finite number > 0, got " + FormatNumber(rho));
  }
  if (sensitivity.l2_squared.is_zero()) {
    return InvalidArgument("Gaussian mechanism: the L2 sensitivity must be > 0, got 0");
  }
  const double target = sensitivity.l2_squared.ToDouble() / (2.0 * rho);  // sigma^2, approximately
  return privacy_internal::SmallestFittingOnGrid<GaussianMechanism>(
      target, "sigma^2", "Gaussian mechanism for rho", InvalidArgument("Gaussian mechanism: no sigma^2 found"),
      "no sigma^2 in the exact sampler's range gives rho = " + FormatNumber(rho),
      [&](const Rational& sigma_squared) { return Create(sensitivity, sigma_squared); },
      [&](const GaussianMechanism& mechanism) { return mechanism.rho() <= rho; });
}

double GaussianMechanism::sigma() const { return std::sqrt(sampler_.sigma_squared().ToDouble()); }

PrivacyCharge GaussianMechanism::ChargeFor(const std::string& label) const {
  PrivacyCharge charge;
  charge.label = label;
  charge.mechanism = "gaussian";
  charge.neighbouring = sensitivity_.neighbouring;
  charge.sensitivity_norm = "L2";
  charge.sensitivity = std::sqrt(sensitivity_.l2_squared.ToDouble());
  charge.sensitivity_exact = SqrtString(sensitivity_.l2_squared);
  charge.noise_scale = sigma();
  charge.noise_exact = "sigma^2=" + sampler_.sigma_squared().ToString();
  charge.rho = rho_;
  return charge;
}

Result<NoisyCounts> GaussianMechanism::Release(std::span<const std::int64_t> counts, const std::string& label,
                                               PrivacyLedger& ledger, Csprng& noise) const {
  SYNTHSCALE_RETURN_IF_ERROR(CheckCounts(counts));
  NoisyCounts out;
  out.charge = ChargeFor(label);
  SYNTHSCALE_RETURN_IF_ERROR(ledger.Charge(out.charge));
  // Only now, with the cost recorded, is any noise drawn.
  out.values.reserve(counts.size());
  for (const std::int64_t count : counts) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::int64_t draw, sampler_.Sample(noise));
    out.values.push_back(count + draw);
  }
  return out;
}

}  // namespace synthscale
