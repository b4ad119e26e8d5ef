#include "synthscale/privacy/zcdp.h"

#include <cmath>
#include <limits>
#include <string>

#include "synthscale/privacy/format.h"

namespace synthscale {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Cap on alpha when rho is so small that (epsilon + 1) / (2 rho) overflows: at this alpha
// the bound is already below the smallest double for any epsilon > 0.
constexpr double kMaxAlpha = 1e300;
// Bisection steps: enough to go from a bracket of 1e300 (or 2^1024) to one ulp.
constexpr int kMaxBisectionSteps = 2200;
// The inverse conversions aim for log delta <= log(target) - kLogMargin, so that the
// rounding of the few floating-point operations in LogDelta (~1e-15 relative) cannot put
// the true delta above the target. Costs a relative 1e-12 in delta, ~1e-13 in epsilon/rho.
constexpr double kLogMargin = 1e-12;

Status CheckNonNegative(double value, const char* name) {
  if (std::isnan(value)) return InvalidArgument(std::string(name) + " must be a number >= 0, got NaN");
  if (!std::isfinite(value) || value < 0.0) {
    return InvalidArgument(std::string(name) + " must be a finite number >= 0, got " + FormatNumber(value));
  }
  return Status::Ok();
}

Status CheckDelta(double delta) {
  if (std::isnan(delta) || !(delta > 0.0 && delta < 1.0)) {
    return InvalidArgument("delta must be in (0, 1) (and well below 1/n for n rows), got " +
                           (std::isnan(delta) ? std::string("NaN") : FormatNumber(delta)));
  }
  return Status::Ok();
}

// log(1 - 1/alpha) for alpha > 1, accurate near alpha = 1 too: alpha - 1 is exact there.
double LogOneMinusInverse(double alpha) {
  if (alpha < 2.0) return std::log((alpha - 1.0) / alpha);
  return std::log1p(-1.0 / alpha);
}

// log of the CKS bound at one alpha, rewritten to avoid cancellation:
//   log[exp((a-1)(a rho - eps)) (1 - 1/a)^a / (a-1)] = (a-1)(a rho - eps) + (a-1) log(1 - 1/a) - log a
// (using log(a-1) = log a + log(1 - 1/a)). Tends to 0 (delta = 1) as alpha -> 1.
double LogDeltaAt(double rho, double epsilon, double alpha) {
  const double a1 = alpha - 1.0;
  const double value = a1 * (alpha * rho - epsilon) + a1 * LogOneMinusInverse(alpha) - std::log(alpha);
  return std::isnan(value) ? 0.0 : value;
}

// d/d alpha of LogDeltaAt; increasing in alpha (the second derivative is 2 rho + 1/(a(a-1))).
double Slope(double rho, double epsilon, double alpha) {
  return (2.0 * alpha - 1.0) * rho - epsilon + LogOneMinusInverse(alpha);
}

// log delta(rho, epsilon) <= 0 for rho > 0, epsilon >= 0.
double LogDelta(double rho, double epsilon) {
  if (rho == 0.0) return -kInf;
  double low = 1.0;  // Slope -> -infinity as alpha -> 1
  double high = (epsilon + 1.0) / (2.0 * rho) + 2.0;  // Slope(high) > 0 (see private-pgm's amax)
  if (!(high < kMaxAlpha)) high = kMaxAlpha;
  for (int step = 0; step < kMaxBisectionSteps; ++step) {
    const double mid = low + (high - low) / 2.0;
    if (mid <= low || mid >= high) break;
    if (Slope(rho, epsilon, mid) < 0.0) {
      low = mid;
    } else {
      high = mid;
    }
  }
  // Every alpha > 1 gives a valid bound: take the better end of the final bracket.
  double best = 0.0;
  for (const double alpha : {low, high}) {
    if (alpha > 1.0) best = std::fmin(best, LogDeltaAt(rho, epsilon, alpha));
  }
  return best;
}

// a * b rounded up (the FMA gives the exact rounding error).
double MultiplyRoundUp(double a, double b) {
  const double product = a * b;
  return std::fma(a, b, -product) > 0.0 ? std::nextafter(product, kInf) : product;
}

// value / divisor (a power of two) rounded up: exact unless the result is subnormal.
double DivideByPowerOfTwoRoundUp(double value, double divisor) {
  const double quotient = value / divisor;
  return quotient * divisor < value ? std::nextafter(quotient, kInf) : quotient;
}

}  // namespace

Result<double> DeltaFromRho(double rho, double epsilon) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(rho, "rho"));
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(epsilon, "epsilon"));
  if (rho == 0.0) return 0.0;
  return std::fmin(1.0, std::exp(LogDelta(rho, epsilon)));
}

Result<double> EpsilonFromRho(double rho, double delta) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(rho, "rho"));
  SYNTHSCALE_RETURN_IF_ERROR(CheckDelta(delta));
  if (rho == 0.0) return 0.0;
  const double target = std::log(delta) - kLogMargin;
  if (LogDelta(rho, 0.0) <= target) return 0.0;
  // Invariant: LogDelta(rho, low) > target >= LogDelta(rho, high). The classic bound
  // rho + 2 sqrt(rho log(1/delta)) is never tighter than CKS; the loop only guards rounding.
  double low = 0.0;
  double high = rho + 2.0 * std::sqrt(rho * std::log(1.0 / delta));
  while (LogDelta(rho, high) > target) {
    low = high;
    high *= 2.0;
    if (!std::isfinite(high)) return InvalidArgument("rho = " + FormatNumber(rho) + " is too large to convert");
  }
  for (int step = 0; step < kMaxBisectionSteps; ++step) {
    const double mid = low + (high - low) / 2.0;
    if (mid <= low || mid >= high) break;
    if (LogDelta(rho, mid) <= target) {
      high = mid;
    } else {
      low = mid;
    }
  }
  return high;  // the safe end: delta(rho, high) <= delta
}

Result<double> RhoFromEpsilonDelta(double epsilon, double delta) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(epsilon, "epsilon"));
  if (epsilon == 0.0) return InvalidArgument("epsilon must be > 0, got 0");
  SYNTHSCALE_RETURN_IF_ERROR(CheckDelta(delta));
  const double target = std::log(delta) - kLogMargin;
  // Invariant: LogDelta(low, eps) <= target < LogDelta(high, eps). delta(rho, eps) -> 1 as
  // rho grows, so doubling finds such a high for any delta < 1.
  double low = 0.0;
  double high = epsilon + 1.0;
  while (LogDelta(high, epsilon) <= target) {
    low = high;
    high *= 2.0;
    if (!std::isfinite(high)) return InvalidArgument("epsilon = " + FormatNumber(epsilon) + " is too large to convert");
  }
  for (int step = 0; step < kMaxBisectionSteps; ++step) {
    const double mid = low + (high - low) / 2.0;
    if (mid <= low || mid >= high) break;
    if (LogDelta(mid, epsilon) <= target) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return low;  // the safe end: delta(low, epsilon) <= delta
}

Result<double> RhoFromPureEpsilon(double epsilon) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(epsilon, "epsilon"));
  return DivideByPowerOfTwoRoundUp(MultiplyRoundUp(epsilon, epsilon), 2.0);
}

Result<double> RhoFromExponentialMechanism(double epsilon) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckNonNegative(epsilon, "epsilon"));
  return DivideByPowerOfTwoRoundUp(MultiplyRoundUp(epsilon, epsilon), 8.0);
}

}  // namespace synthscale
