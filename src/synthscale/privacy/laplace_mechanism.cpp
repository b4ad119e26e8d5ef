#include "synthscale/privacy/laplace_mechanism.h"

#include <algorithm>
#include <cmath>

#include "synthscale/privacy/dyadic_search.h"
#include "synthscale/privacy/format.h"

namespace synthscale {
Result<LaplaceMechanism> LaplaceMechanism::Create(const CountSensitivity& sensitivity, const Rational& scale) {
  if (sensitivity.l1.is_zero()) return InvalidArgument("Laplace mechanism: the L1 sensitivity must be > 0, got 0");
  Result<DiscreteLaplaceSampler> sampler = DiscreteLaplaceSampler::Create(scale);
  if (!sampler.ok()) return sampler.status().WithContext("Laplace mechanism");
  Result<Rational> epsilon =
      Rational::FromWide(static_cast<UInt128>(sensitivity.l1.numerator()) * scale.denominator(),
                         static_cast<UInt128>(sensitivity.l1.denominator()) * scale.numerator(),
                         "Laplace epsilon = sensitivity / scale");
  if (!epsilon.ok()) return epsilon.status().WithContext("Laplace mechanism");
  // rho = epsilon^2 / 2: the square is exact in 128 bits, rounded up once, halved exactly.
  const double rho = RoundUpToDouble(static_cast<UInt128>(epsilon->numerator()) * epsilon->numerator(),
                                     static_cast<UInt128>(epsilon->denominator()) * epsilon->denominator()) /
                     2.0;
  return LaplaceMechanism(sensitivity, *sampler, *epsilon, rho);
}

Result<LaplaceMechanism> LaplaceMechanism::ForEpsilon(const CountSensitivity& sensitivity, double epsilon) {
  if (!std::isfinite(epsilon) || !(epsilon > 0.0)) {
    return InvalidArgument("Laplace mechanism: epsilon must be a finite number > 0, got " + FormatNumber(epsilon));
  }
  if (sensitivity.l1.is_zero()) return InvalidArgument("Laplace mechanism: the L1 sensitivity must be > 0, got 0");
  const double target = sensitivity.l1.ToDouble() / epsilon;  // b, approximately
  return privacy_internal::SmallestFittingOnGrid<LaplaceMechanism>(
      target, "Laplace scale", "Laplace mechanism for epsilon",
      InvalidArgument("Laplace mechanism: no scale found"),
      "no scale in the exact sampler's range gives epsilon = " + FormatNumber(epsilon),
      [&](const Rational& scale) { return Create(sensitivity, scale); },
      [&](const LaplaceMechanism& mechanism) { return mechanism.epsilon() <= epsilon; });
}

PrivacyCharge LaplaceMechanism::ChargeFor(const std::string& label) const {
  PrivacyCharge charge;
  charge.label = label;
  charge.mechanism = "laplace";
  charge.neighbouring = sensitivity_.neighbouring;
  charge.sensitivity_norm = "L1";
  charge.sensitivity = sensitivity_.l1.ToDouble();
  charge.sensitivity_exact = sensitivity_.l1.ToString();
  charge.noise_scale = sampler_.scale().ToDouble();
  charge.noise_exact = "b=" + sampler_.scale().ToString();
  charge.rho = rho_;
  charge.epsilon = epsilon();
  return charge;
}

Result<NoisyCounts> LaplaceMechanism::Release(std::span<const std::int64_t> counts, const std::string& label,
                                              PrivacyLedger& ledger, Csprng& noise) const {
  for (std::size_t idx = 0; idx < counts.size(); ++idx) {
    if (counts[idx] > kMaxCountMagnitude || counts[idx] < -kMaxCountMagnitude) {
      return InvalidArgument("count " + std::to_string(idx) + " = " + std::to_string(counts[idx]) +
                             " is beyond +-2^62; nothing was released");
    }
  }
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
