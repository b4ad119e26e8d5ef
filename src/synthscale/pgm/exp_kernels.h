// Exp kernels: the exponentials of log-space inference, vectorised and deterministic.
//
// Estimation spends most of its time in exp: every belief propagation marginalises in log
// space (log-sum-exp) and turns beliefs into counts. glibc's exp is a scalar call, and a
// sum of exps in a loop cannot be vectorised without reordering the sum. These kernels use
// an exp of plain IEEE additions and multiplications (no FMA, no libm) that the compiler
// vectorises, and sums in a fixed order of kLanes interleaved partial sums, so their bits do
// not depend on the vector width (SSE2 or AVX2 clone), the thread or the machine.
//
// Accuracy: ExpFast is within 4 ulps of exp for x in [-708, 709]; below -708 it returns 0
// (exp(-708) is 3e-308: flushing the subnormal tail cannot change a log-sum-exp stabilised by
// its maximum, whose largest term is 1); above 709.78 it returns +inf; NaN stays NaN.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace synthscale {

// exp(x) by range reduction x = n ln2 + r, |r| <= ln2 / 2, a degree-13 Taylor polynomial in r
// (truncation error below 1e-17 relative) and 2^n put into the exponent bits.
[[gnu::always_inline]] inline double ExpFast(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2, upper bits (exact n * kLn2Hi)
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 - kLn2Hi
  constexpr double kShift = 0x1.8p52;                    // adding it rounds to an integer
  constexpr double kLowest = -708.0;
  constexpr double kHighest = 709.78;
  const double clamped = x < kLowest ? kLowest : (x > kHighest ? kHighest : x);
  double n = clamped * kLog2e + kShift;
  const std::uint64_t n_bits = std::bit_cast<std::uint64_t>(n);
  n -= kShift;
  const double r = (clamped - n * kLn2Hi) - n * kLn2Lo;
  double poly = 1.0 / 6227020800.0;  // 1/13!
  poly = poly * r + 1.0 / 479001600.0;
  poly = poly * r + 1.0 / 39916800.0;
  poly = poly * r + 1.0 / 3628800.0;
  poly = poly * r + 1.0 / 362880.0;
  poly = poly * r + 1.0 / 40320.0;
  poly = poly * r + 1.0 / 5040.0;
  poly = poly * r + 1.0 / 720.0;
  poly = poly * r + 1.0 / 120.0;
  poly = poly * r + 1.0 / 24.0;
  poly = poly * r + 1.0 / 6.0;
  poly = poly * r + 0.5;
  poly = poly * r + 1.0;
  poly = poly * r + 1.0;
  // The low 12 bits of n_bits hold n (two's complement); n + 1023 is the biased exponent.
  // n lies in [-1021, 1024] and 2^1024 is not a double, so scale by 2 * 2^(n-1) (both exact).
  const std::uint64_t half_exponent = ((n_bits + 1022) & 0x7FF) << 52;
  const double result = (poly * 2.0) * std::bit_cast<double>(half_exponent);
  if (x < kLowest) return 0.0;
  if (x > kHighest) return std::numeric_limits<double>::infinity();
  return result;
}

// Lanes of the fixed-order partial sums below.
inline constexpr std::size_t kExpSumLanes = 8;

// sum over i < n of exp(values[i] - shift), summed as kExpSumLanes interleaved partial sums
// (lane l adds elements l, l + kExpSumLanes, ...) combined pairwise, lane 0 with 1, 2 with 3, ...
double SumExpShifted(const double* values, std::size_t n, double shift);

// out[i] += exp(values[i] - shifts[i]) for i < n.
void AddExpShifted(double* out, const double* values, const double* shifts, std::size_t n);

// out[i] = exp(values[i]) * scale for i < n (out may equal values).
void ExpScaled(double* out, const double* values, std::size_t n, double scale);

// max(initial, values[0], ..., values[n-1]); NaN values are ignored.
double MaxOf(const double* values, std::size_t n, double initial);

}  // namespace synthscale
