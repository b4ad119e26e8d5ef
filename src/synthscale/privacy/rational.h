// Exact non-negative rationals for noise scales, sensitivities and privacy costs.
//
// The samplers work in integer arithmetic only (Mironov 2012 shows how floating-point
// noise leaks), so every parameter that reaches them is a fraction of 64-bit integers.
// Privacy costs are computed exactly as 128-bit fractions and only then rounded, always
// in the direction that overstates the cost (RoundUpToDouble), before the ledger adds them.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "synthscale/core/int128.h"
#include "synthscale/core/status.h"

namespace synthscale {

// A fraction numerator/denominator >= 0 in lowest terms, with 64-bit parts.
// Immutable value type; thread-safe to share.
class Rational {
 public:
  Rational() = default;  // zero

  // numerator/denominator reduced to lowest terms. Errors: kInvalidArgument when the
  // denominator is 0; `name` names the parameter in the message.
  static Result<Rational> Create(std::uint64_t numerator, std::uint64_t denominator,
                                 std::string_view name = "rational");
  // The same from 128-bit parts, reduced first. Errors: kInvalidArgument when a reduced
  // part does not fit in 64 bits ("use a coarser value") or the denominator is 0.
  static Result<Rational> FromWide(UInt128 numerator, UInt128 denominator, std::string_view name);
  static Rational Integer(std::uint64_t value) { return Rational(value, 1); }

  // The exact value of a finite double >= 0. Errors: kInvalidArgument for NaN, infinity,
  // a negative value, or one whose exact fraction needs more than 64-bit parts.
  static Result<Rational> FromDouble(double value, std::string_view name);
  // The smallest k / denominator >= value (rounding up), reduced; value finite and >= 0.
  // Errors: kInvalidArgument (bad value, denominator 0, k beyond 64 bits).
  static Result<Rational> CeilToDenominator(double value, std::uint64_t denominator,
                                            std::string_view name);
  // The largest k / denominator <= value (rounding down), reduced. Errors as above.
  static Result<Rational> FloorToDenominator(double value, std::uint64_t denominator,
                                             std::string_view name);

  std::uint64_t numerator() const { return numerator_; }
  std::uint64_t denominator() const { return denominator_; }
  bool is_zero() const { return numerator_ == 0; }

  // The nearest double (for display), the nearest at or above, and at or below the value.
  double ToDouble() const;
  double ToDoubleUp() const;
  double ToDoubleDown() const;
  // "3" or "3/4": exact, and what the ledger records next to the rounded double.
  std::string ToString() const;

  friend bool operator==(const Rational& a, const Rational& b) = default;  // lowest terms
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

 private:
  Rational(std::uint64_t numerator, std::uint64_t denominator)
      : numerator_(numerator), denominator_(denominator) {}

  std::uint64_t numerator_ = 0;
  std::uint64_t denominator_ = 1;
};

// Exact 128-bit fraction helpers shared by the samplers and mechanisms.
UInt128 Gcd(UInt128 a, UInt128 b);
// a * b, or false when it overflows 128 bits.
bool CheckedMul(UInt128 a, UInt128 b, UInt128* out);
// The smallest double >= numerator/denominator (resp. largest <=), exactly, with no
// double-rounding: the result is compared with the fraction in 320-bit integer
// arithmetic. denominator > 0. Values beyond the double range give infinity (resp. DBL_MAX).
double RoundUpToDouble(UInt128 numerator, UInt128 denominator);
double RoundDownToDouble(UInt128 numerator, UInt128 denominator);
// Whether the double x (finite, >= 0) is >= numerator/denominator, exactly.
bool DoubleAtLeast(double x, UInt128 numerator, UInt128 denominator);

// a + b and a - b for doubles >= 0, rounded up (resp. down) instead of to nearest, so a
// running total of privacy costs never understates the true sum (TwoSum error term).
double AddRoundUp(double a, double b);
double SubtractRoundDown(double a, double b);

}  // namespace synthscale
