// The noise parameter a mechanism needs for a target privacy cost, found on a dyadic grid.
//
// The exact samplers take rational scales, and a mechanism's exact cost is computed from
// the rational it was given. So "the mechanism for rho (or epsilon)" is found by rounding
// the real-valued target up to multiples of 2^-20 (then 2^-19, ... 1 when the numerator
// would overflow), stepping up until the exact cost fits the requested one: the result
// never spends more than asked, and is at most a few grid steps noisier than needed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "synthscale/core/status.h"
#include "synthscale/privacy/rational.h"

namespace synthscale::privacy_internal {

inline constexpr int kFinestGridExponent = 20;

// make(Rational) -> Result<Mechanism>; fits(const Mechanism&) -> bool.
// `label` names the parameter ("sigma^2"), `rounding_context` prefixes a rounding error,
// when no grid point works, the last mechanism error (or `not_found`) is returned with
// `not_found_context` in front.
template <typename Mechanism, typename Make, typename Fits>
Result<Mechanism> SmallestFittingOnGrid(double target, const std::string& label,
                                        const std::string& rounding_context, Status not_found,
                                        const std::string& not_found_context, const Make& make,
                                        const Fits& fits) {
  Status last_error = std::move(not_found);
  for (int exponent = kFinestGridExponent; exponent >= 0; --exponent) {
    const std::uint64_t denominator = std::uint64_t{1} << exponent;
    Result<Rational> rounded = Rational::CeilToDenominator(target, denominator, label);
    if (!rounded.ok()) return rounded.status().WithContext(rounding_context);
    std::uint64_t steps =
        std::max<std::uint64_t>(rounded->numerator() * (denominator / rounded->denominator()), 1);
    // The rounded target may sit an ulp low: step up until the exact cost fits.
    for (int bump = 0; bump < 64; ++bump, ++steps) {
      Result<Rational> candidate = Rational::Create(steps, denominator, label);
      if (!candidate.ok()) return candidate.status();
      Result<Mechanism> mechanism = make(*candidate);
      if (!mechanism.ok()) {
        last_error = mechanism.status();
        break;
      }
      if (fits(*mechanism)) return mechanism;
    }
  }
  return last_error.WithContext(not_found_context);
}

}  // namespace synthscale::privacy_internal
