#include "synthscale/privacy/exponential_mechanism.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "synthscale/privacy/format.h"
#include "synthscale/privacy/samplers/bernoulli.h"

namespace synthscale {
namespace {

constexpr std::uint64_t kEpsilonGrid = std::uint64_t{1} << 20;
constexpr UInt128 kMaxGridSteps = static_cast<UInt128>(1) << 62;

// floor(value * multiplier / divisor) exactly, for finite value; |result| <= 2^62.
Result<std::int64_t> FloorScaled(double value, UInt128 multiplier, UInt128 divisor, std::size_t index) {
  const auto too_large = [&] {
    // The value itself is not printed: a score is a function of the private data.
    return InvalidArgument("score " + std::to_string(index) +
                           " is beyond 2^62 grid steps of sensitivity / 2^20; rescale the scores");
  };
  if (value == 0.0) return std::int64_t{0};
  const bool negative = value < 0.0;
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent);
  const auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  exponent -= 53;  // |value| = mantissa * 2^exponent exactly
  UInt128 scaled = 0;
  if (!CheckedMul(mantissa, multiplier, &scaled)) return too_large();
  bool inexact = false;
  if (exponent >= 0) {
    if (exponent >= 127 || scaled > (~static_cast<UInt128>(0) >> exponent)) return too_large();
    scaled <<= exponent;
  } else {
    // floor(a / (d 2^s)) = floor(floor(a / 2^s) / d) for positive integers.
    const auto shift = static_cast<unsigned>(-exponent);
    if (shift >= 128) {
      inexact = scaled != 0;
      scaled = 0;
    } else {
      inexact = (scaled & ((static_cast<UInt128>(1) << shift) - 1)) != 0;
      scaled >>= shift;
    }
  }
  UInt128 quotient = scaled / divisor;
  inexact = inexact || scaled % divisor != 0;
  if (negative && inexact) ++quotient;  // floor(-x) = -ceil(x)
  if (quotient > kMaxGridSteps) return too_large();
  const auto magnitude = static_cast<std::int64_t>(quotient);
  return negative ? -magnitude : magnitude;
}

}  // namespace

Result<ExponentialMechanism> ExponentialMechanism::Create(const ScoreSensitivity& sensitivity,
                                                          const Rational& epsilon) {
  if (sensitivity.bound.is_zero()) return InvalidArgument("exponential mechanism: the score sensitivity must be > 0, got 0");
  if (epsilon.is_zero()) return InvalidArgument("exponential mechanism: epsilon must be > 0, got 0");
  // rho = epsilon^2 / 8: the square is exact in 128 bits, rounded up once, divided exactly.
  const double rho = RoundUpToDouble(static_cast<UInt128>(epsilon.numerator()) * epsilon.numerator(),
                                     static_cast<UInt128>(epsilon.denominator()) * epsilon.denominator()) /
                     8.0;
  return ExponentialMechanism(sensitivity, epsilon, rho);
}

Result<ExponentialMechanism> ExponentialMechanism::ForEpsilon(const ScoreSensitivity& sensitivity, double epsilon) {
  if (!std::isfinite(epsilon) || !(epsilon > 0.0)) {
    return InvalidArgument("exponential mechanism: epsilon must be a finite number > 0, got " +
                           FormatNumber(epsilon));
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const Rational grid_epsilon,
                              Rational::FloorToDenominator(epsilon, kEpsilonGrid, "epsilon"));
  if (grid_epsilon.is_zero()) {
    return InvalidArgument("exponential mechanism: epsilon = " + FormatNumber(epsilon) +
                           " is below the smallest supported value 2^-20");
  }
  return Create(sensitivity, grid_epsilon);
}

Result<ExponentialMechanism> ExponentialMechanism::ForRho(const ScoreSensitivity& sensitivity, double rho) {
  if (!std::isfinite(rho) || !(rho > 0.0)) {
    return InvalidArgument("exponential mechanism: rho must be a finite number > 0, got " + FormatNumber(rho));
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const Rational first,
                              Rational::FloorToDenominator(std::sqrt(8.0 * rho), kEpsilonGrid, "epsilon"));
  // sqrt may round up by an ulp: step down until the exact cost fits.
  std::uint64_t steps = first.numerator() * (kEpsilonGrid / first.denominator());
  for (; steps > 0; --steps) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const Rational epsilon, Rational::Create(steps, kEpsilonGrid, "epsilon"));
    SYNTHSCALE_ASSIGN_OR_RETURN(ExponentialMechanism mechanism, Create(sensitivity, epsilon));
    if (mechanism.rho() <= rho) return mechanism;
  }
  return InvalidArgument("exponential mechanism: rho = " + FormatNumber(rho) +
                         " is below the cost of the smallest supported epsilon, 2^-20");
}

PrivacyCharge ExponentialMechanism::ChargeFor(const std::string& label) const {
  PrivacyCharge charge;
  charge.label = label;
  charge.mechanism = "exponential";
  charge.neighbouring = sensitivity_.neighbouring;
  charge.sensitivity_norm = "score";
  charge.sensitivity = sensitivity_.bound.ToDouble();
  charge.sensitivity_exact = sensitivity_.bound.ToString();
  charge.noise_scale = 2.0 * sensitivity_.bound.ToDouble() / epsilon_.ToDouble();
  charge.noise_exact = "epsilon=" + epsilon_.ToString();
  charge.rho = rho_;
  charge.epsilon = epsilon();
  return charge;
}

Result<Selection> ExponentialMechanism::SelectScaled(std::span<const std::int64_t> scores, const Rational& units,
                                                     const std::string& label, PrivacyLedger& ledger,
                                                     Csprng& noise) const {
  if (scores.empty()) return InvalidArgument("exponential mechanism '" + label + "': no candidates to select from");
  // gamma_r = epsilon (best - u_r) / (2 units) = factor * (best - u_r) / denominator.
  UInt128 factor = static_cast<UInt128>(epsilon_.numerator()) * units.denominator();
  UInt128 denominator = static_cast<UInt128>(epsilon_.denominator()) * units.numerator();
  const UInt128 common = Gcd(factor, denominator);
  factor /= common;
  denominator /= common;
  const auto too_wide = [&] {
    return InvalidArgument("exponential mechanism '" + label + "': epsilon = " + epsilon_.ToString() +
                           ", sensitivity = " + units.ToString() +
                           " and these scores need more than 128-bit exact arithmetic; use a narrower score range");
  };
  if (!CheckedMul(denominator, 2, &denominator)) return too_wide();
  const std::int64_t best = *std::max_element(scores.begin(), scores.end());
  std::vector<UInt128> gamma_numerators(scores.size());
  for (std::size_t idx = 0; idx < scores.size(); ++idx) {
    const auto gap = static_cast<UInt128>(static_cast<Int128>(best) - scores[idx]);  // >= 0, < 2^64
    if (!CheckedMul(factor, gap, &gamma_numerators[idx])) return too_wide();
  }
  Selection out;
  out.charge = ChargeFor(label);
  SYNTHSCALE_RETURN_IF_ERROR(ledger.Charge(out.charge));
  // Only now, with the cost recorded, is any randomness drawn.
  while (true) {
    const std::uint64_t candidate = noise.UniformBelow(scores.size());
    if (SampleBernoulliExp(noise, gamma_numerators[candidate], denominator)) {
      out.index = static_cast<std::size_t>(candidate);
      return out;
    }
  }
}

Result<Selection> ExponentialMechanism::SelectInteger(std::span<const std::int64_t> scores, const std::string& label,
                                                      PrivacyLedger& ledger, Csprng& noise) const {
  return SelectScaled(scores, sensitivity_.bound, label, ledger, noise);
}

Result<Selection> ExponentialMechanism::Select(std::span<const double> scores, const std::string& label,
                                               PrivacyLedger& ledger, Csprng& noise) const {
  // Floor u * 2^20 / Delta: the grid step is Delta / 2^20, so the sensitivity is 2^20 steps.
  const UInt128 multiplier = static_cast<UInt128>(kScoreStepsPerSensitivity) * sensitivity_.bound.denominator();
  const UInt128 divisor = sensitivity_.bound.numerator();
  std::vector<std::int64_t> steps(scores.size());
  for (std::size_t idx = 0; idx < scores.size(); ++idx) {
    if (!std::isfinite(scores[idx])) {
      return InvalidArgument("exponential mechanism '" + label + "': score " + std::to_string(idx) +
                             " is not a finite number");
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(steps[idx], FloorScaled(scores[idx], multiplier, divisor, idx));
  }
  return SelectScaled(steps, Rational::Integer(kScoreStepsPerSensitivity), label, ledger, noise);
}

}  // namespace synthscale
