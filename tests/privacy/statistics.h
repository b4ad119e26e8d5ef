// Statistical helpers for the privacy tests: chi-square goodness of fit and Chernoff
// (KL) confidence bounds for binomial proportions. Header-only, test code only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "synthscale/core/crypto.h"

namespace synthscale::testing {

// A fixed noise key for reproducible statistical tests: bytes seed, seed+1, ..., seed+31.
// Statistical tests state their key's seed next to their significance level.
inline NoiseKey FixedKey(std::uint8_t seed) {
  NoiseKey key;
  for (std::size_t idx = 0; idx < key.size(); ++idx) key[idx] = static_cast<std::uint8_t>(seed + idx);
  return key;
}

// Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma function
// (series for x < a + 1, Lentz's continued fraction otherwise; Numerical Recipes 6.2).
inline double RegularizedUpperGamma(double a, double x) {
  if (x <= 0.0) return 1.0;
  const double log_prefix = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1.0) {
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < 100000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * 1e-17) break;
    }
    return std::max(0.0, 1.0 - sum * std::exp(log_prefix));
  }
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int n = 1; n < 100000; ++n) {
    const double an = -n * (n - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < 1e-16) break;
  }
  return std::exp(log_prefix) * h;
}

// P[chi^2_dof >= statistic].
inline double ChiSquarePValue(double statistic, double dof) {
  return RegularizedUpperGamma(dof / 2.0, statistic / 2.0);
}

struct ChiSquareResult {
  double statistic = 0.0;
  int dof = 0;
  double p_value = 1.0;
  int pooled_bins = 0;

  std::string Describe() const {
    std::ostringstream out;
    out << "chi2 = " << statistic << " on " << dof << " dof (" << pooled_bins << " bins after pooling), p = "
        << p_value;
    return out.str();
  }
};

// Pearson's chi-square goodness of fit of `observed` counts against bin probabilities
// `expected` (summing to 1), after pooling adjacent bins (in order) until each expects
// at least 5 draws; a short remainder joins the last pooled bin.
inline ChiSquareResult ChiSquareTest(const std::vector<double>& expected, const std::vector<std::uint64_t>& observed) {
  double total = 0.0;
  for (const std::uint64_t count : observed) total += static_cast<double>(count);
  std::vector<double> pooled_expected;
  std::vector<double> pooled_observed;
  double run_expected = 0.0;
  double run_observed = 0.0;
  for (std::size_t bin = 0; bin < expected.size(); ++bin) {
    run_expected += expected[bin] * total;
    run_observed += static_cast<double>(observed[bin]);
    if (run_expected >= 5.0) {
      pooled_expected.push_back(run_expected);
      pooled_observed.push_back(run_observed);
      run_expected = 0.0;
      run_observed = 0.0;
    }
  }
  if (!pooled_expected.empty()) {
    pooled_expected.back() += run_expected;
    pooled_observed.back() += run_observed;
  }
  ChiSquareResult result;
  result.pooled_bins = static_cast<int>(pooled_expected.size());
  for (std::size_t bin = 0; bin < pooled_expected.size(); ++bin) {
    const double gap = pooled_observed[bin] - pooled_expected[bin];
    result.statistic += gap * gap / pooled_expected[bin];
  }
  result.dof = result.pooled_bins - 1;
  result.p_value = result.dof > 0 ? ChiSquarePValue(result.statistic, result.dof) : 1.0;
  return result;
}

// KL(p || q) for Bernoulli distributions.
inline double BernoulliKl(double p, double q) {
  const auto term = [](double a, double b) { return a == 0.0 ? 0.0 : a * std::log(a / b); };
  return term(p, q) + term(1.0 - p, 1.0 - q);
}

// Chernoff confidence bounds on a binomial proportion from k successes in n trials:
// P[p > upper] <= alpha and P[p < lower] <= alpha, from P[p_hat <= a] <= exp(-n KL(a || p))
// for a < p (and symmetrically). Bisection to 1e-15.
inline double BinomialUpperBound(std::uint64_t successes, std::uint64_t trials, double alpha) {
  const double p_hat = static_cast<double>(successes) / static_cast<double>(trials);
  const double budget = std::log(1.0 / alpha) / static_cast<double>(trials);
  double low = p_hat;
  double high = 1.0;
  for (int step = 0; step < 200; ++step) {
    const double mid = (low + high) / 2.0;
    if (BernoulliKl(p_hat, mid) > budget) {
      high = mid;
    } else {
      low = mid;
    }
  }
  return high;
}

inline double BinomialLowerBound(std::uint64_t successes, std::uint64_t trials, double alpha) {
  const double p_hat = static_cast<double>(successes) / static_cast<double>(trials);
  const double budget = std::log(1.0 / alpha) / static_cast<double>(trials);
  double low = 0.0;
  double high = p_hat;
  for (int step = 0; step < 200; ++step) {
    const double mid = (low + high) / 2.0;
    if (BernoulliKl(p_hat, mid) > budget) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return low;
}

}  // namespace synthscale::testing

namespace synthscale::testing {

// Bins over the integers for a chi-square test: a lower tail (< low), bins
// [low + k*width, low + (k+1)*width) up to high, and an upper tail (>= high).
struct IntegerBinning {
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::int64_t width = 1;

  std::size_t size() const { return static_cast<std::size_t>((high - low + width - 1) / width) + 2; }
  std::size_t BinOf(std::int64_t value) const {
    if (value < low) return 0;
    if (value >= high) return size() - 1;
    return static_cast<std::size_t>((value - low) / width) + 1;
  }
};

// Bin probabilities of a symmetric pmf on the integers (low == -high + 1 or similar):
// every integer in [low, high) is summed in long double; the two tails share the rest
// according to symmetry: P[X < low] = P[X > -low], P[X >= high] = P[X <= -high].
template <typename Pmf>
std::vector<double> SymmetricBinProbabilities(const IntegerBinning& binning, Pmf pmf) {
  std::vector<long double> mass(binning.size(), 0.0L);
  long double central = 0.0L;
  for (std::int64_t value = binning.low; value < binning.high; ++value) {
    const long double p = pmf(value);
    mass[binning.BinOf(value)] += p;
    central += p;
  }
  // Tails: P[X < low] + P[X >= high] = 1 - central. With symmetry, P[X < low] = P[X > -low]
  // = P[X >= -low + 1]; for binning.low = -binning.high + 1 both tails are equal.
  const long double tails = std::max(0.0L, 1.0L - central);
  mass.front() = tails / 2;
  mass.back() = tails / 2;
  std::vector<double> out(mass.size());
  for (std::size_t idx = 0; idx < mass.size(); ++idx) out[idx] = static_cast<double>(mass[idx]);
  return out;
}

}  // namespace synthscale::testing
