#include "synthscale/privacy/rational.h"

#include <array>
#include <cmath>
#include <limits>

#include "synthscale/privacy/format.h"

namespace synthscale {
namespace {

constexpr UInt128 kMax64 = std::numeric_limits<std::uint64_t>::max();

// An unsigned integer of 320 bits (five little-endian 64-bit limbs): enough for
// (53-bit mantissa) x (128-bit denominator) shifted by the few exponents we compare at.
class Wide {
 public:
  static constexpr unsigned kBits = 320;

  explicit Wide(UInt128 value) {
    limbs_[0] = static_cast<std::uint64_t>(value);
    limbs_[1] = static_cast<std::uint64_t>(value >> 64);
  }

  // *this *= factor; the caller guarantees no overflow (bit lengths add to < 320).
  void MultiplyBy(std::uint64_t factor) {
    UInt128 carry = 0;
    for (std::uint64_t& limb : limbs_) {
      const UInt128 product = static_cast<UInt128>(limb) * factor + carry;
      limb = static_cast<std::uint64_t>(product);
      carry = product >> 64;
    }
  }

  unsigned BitLength() const {
    for (std::size_t idx = limbs_.size(); idx-- > 0;) {
      if (limbs_[idx] != 0) {
        return static_cast<unsigned>(idx * 64) + 64U - static_cast<unsigned>(__builtin_clzll(limbs_[idx]));
      }
    }
    return 0;
  }

  // *this <<= shift; the caller guarantees BitLength() + shift <= kBits.
  void ShiftLeft(unsigned shift) {
    const std::size_t limb_shift = shift / 64;
    const unsigned bit_shift = shift % 64;
    std::array<std::uint64_t, 5> out{};
    for (std::size_t idx = limbs_.size(); idx-- > limb_shift;) {
      std::uint64_t value = limbs_[idx - limb_shift] << bit_shift;
      if (bit_shift != 0 && idx - limb_shift > 0) value |= limbs_[idx - limb_shift - 1] >> (64 - bit_shift);
      out[idx] = value;
    }
    limbs_ = out;
  }

  friend std::strong_ordering operator<=>(const Wide& a, const Wide& b) {
    for (std::size_t idx = a.limbs_.size(); idx-- > 0;) {
      if (a.limbs_[idx] != b.limbs_[idx]) return a.limbs_[idx] <=> b.limbs_[idx];
    }
    return std::strong_ordering::equal;
  }

 private:
  std::array<std::uint64_t, 5> limbs_{};
};

// x = mantissa * 2^exponent exactly, for finite x > 0 (normal or subnormal).
void Decompose(double x, std::uint64_t* mantissa, int* exponent) {
  int frexp_exponent = 0;
  const double fraction = std::frexp(x, &frexp_exponent);  // x = fraction * 2^e, fraction in [0.5, 1)
  *mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  *exponent = frexp_exponent - 53;
}

// Compare the double x (finite, >= 0) with numerator/denominator exactly.
std::strong_ordering CompareDouble(double x, UInt128 numerator, UInt128 denominator) {
  if (x == 0.0) return numerator == 0 ? std::strong_ordering::equal : std::strong_ordering::less;
  if (numerator == 0) return std::strong_ordering::greater;
  std::uint64_t mantissa = 0;
  int exponent = 0;
  Decompose(x, &mantissa, &exponent);
  // x >= n/d  <=>  mantissa * d * 2^exponent >= n.
  Wide left(denominator);
  left.MultiplyBy(mantissa);  // < 2^181
  Wide right(numerator);      // < 2^128
  if (exponent >= 0) {
    const auto shift = static_cast<unsigned>(exponent);
    if (left.BitLength() + shift > Wide::kBits) return std::strong_ordering::greater;
    left.ShiftLeft(shift);
  } else {
    const auto shift = static_cast<unsigned>(-exponent);
    if (right.BitLength() + shift > Wide::kBits) return std::strong_ordering::less;
    right.ShiftLeft(shift);
  }
  return left <=> right;
}

Status BadValue(std::string_view name, const std::string& expectation, double value) {
  return InvalidArgument(std::string(name) + " must be " + expectation + ", got " + FormatNumber(value));
}

Status CheckFiniteNonNegative(double value, std::string_view name) {
  if (!std::isfinite(value) || value < 0.0) return BadValue(name, "a finite number >= 0", value);
  return Status::Ok();
}

enum class Rounding { kDown, kUp };

Result<Rational> RoundToDenominator(double value, std::uint64_t denominator, std::string_view name,
                                    Rounding rounding) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckFiniteNonNegative(value, name));
  if (denominator == 0) return InvalidArgument(std::string(name) + ": denominator must be > 0");
  if (value == 0.0) return Rational::Create(0, denominator, name);
  std::uint64_t mantissa = 0;
  int exponent = 0;
  Decompose(value, &mantissa, &exponent);
  const UInt128 product = static_cast<UInt128>(mantissa) * denominator;  // < 2^117
  UInt128 steps = 0;                                                     // value * denominator, rounded
  if (exponent >= 0) {
    if (exponent >= 64 || product > (kMax64 >> exponent)) {
      return BadValue(name, "small enough for a 64-bit numerator over " + std::to_string(denominator), value);
    }
    steps = product << exponent;
  } else if (exponent <= -128) {
    steps = rounding == Rounding::kUp ? 1 : 0;  // 0 < value * denominator < 1
  } else {
    const auto shift = static_cast<unsigned>(-exponent);
    steps = product >> shift;
    const bool inexact = (product & ((static_cast<UInt128>(1) << shift) - 1)) != 0;
    if (inexact && rounding == Rounding::kUp) ++steps;
  }
  if (steps > kMax64) {
    return BadValue(name, "small enough for a 64-bit numerator over " + std::to_string(denominator), value);
  }
  return Rational::Create(static_cast<std::uint64_t>(steps), denominator, name);
}

}  // namespace

UInt128 Gcd(UInt128 a, UInt128 b) {
  while (b != 0) {
    const UInt128 rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

bool CheckedMul(UInt128 a, UInt128 b, UInt128* out) { return !__builtin_mul_overflow(a, b, out); }

Result<Rational> Rational::Create(std::uint64_t numerator, std::uint64_t denominator, std::string_view name) {
  if (denominator == 0) return InvalidArgument(std::string(name) + ": denominator must be > 0, got 0");
  const auto divisor = static_cast<std::uint64_t>(Gcd(numerator, denominator));
  return Rational(numerator / divisor, denominator / divisor);
}

Result<Rational> Rational::FromWide(UInt128 numerator, UInt128 denominator, std::string_view name) {
  if (denominator == 0) return InvalidArgument(std::string(name) + ": denominator must be > 0, got 0");
  const UInt128 divisor = Gcd(numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  if (numerator > kMax64 || denominator > kMax64) {
    return InvalidArgument(std::string(name) + " needs more than 64-bit numerator and denominator "
                           "for exact arithmetic; use parameters with smaller denominators");
  }
  return Rational(static_cast<std::uint64_t>(numerator), static_cast<std::uint64_t>(denominator));
}

Result<Rational> Rational::FromDouble(double value, std::string_view name) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckFiniteNonNegative(value, name));
  if (value == 0.0) return Rational();
  std::uint64_t mantissa = 0;
  int exponent = 0;
  Decompose(value, &mantissa, &exponent);
  while (exponent < 0 && (mantissa & 1U) == 0) {
    mantissa >>= 1;
    ++exponent;
  }
  if (exponent >= 0) {
    if (exponent >= 64 || mantissa > (std::numeric_limits<std::uint64_t>::max() >> exponent)) {
      return BadValue(name, "below 2^64 to be used exactly", value);
    }
    return Rational(mantissa << exponent, 1);
  }
  if (exponent < -63) return BadValue(name, "a fraction with a denominator of at most 2^63", value);
  return Rational(mantissa, std::uint64_t{1} << static_cast<unsigned>(-exponent));
}

Result<Rational> Rational::CeilToDenominator(double value, std::uint64_t denominator, std::string_view name) {
  return RoundToDenominator(value, denominator, name, Rounding::kUp);
}

Result<Rational> Rational::FloorToDenominator(double value, std::uint64_t denominator, std::string_view name) {
  return RoundToDenominator(value, denominator, name, Rounding::kDown);
}

double Rational::ToDouble() const {
  return static_cast<double>(numerator_) / static_cast<double>(denominator_);
}
double Rational::ToDoubleUp() const { return RoundUpToDouble(numerator_, denominator_); }
double Rational::ToDoubleDown() const { return RoundDownToDouble(numerator_, denominator_); }

std::string Rational::ToString() const {
  if (denominator_ == 1) return std::to_string(numerator_);
  return std::to_string(numerator_) + "/" + std::to_string(denominator_);
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  const UInt128 left = static_cast<UInt128>(a.numerator_) * b.denominator_;
  const UInt128 right = static_cast<UInt128>(b.numerator_) * a.denominator_;
  return left <=> right;
}

bool DoubleAtLeast(double x, UInt128 numerator, UInt128 denominator) {
  return CompareDouble(x, numerator, denominator) >= 0;
}

double RoundUpToDouble(UInt128 numerator, UInt128 denominator) {
  if (numerator == 0) return 0.0;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Start within a few ulps (three roundings), then step to the exact answer.
  double x = static_cast<double>(numerator) / static_cast<double>(denominator);
  while (CompareDouble(x, numerator, denominator) < 0) x = std::nextafter(x, kInf);
  while (x > 0.0) {
    const double below = std::nextafter(x, 0.0);
    if (CompareDouble(below, numerator, denominator) < 0) break;
    x = below;
  }
  return x;
}

double RoundDownToDouble(UInt128 numerator, UInt128 denominator) {
  if (numerator == 0) return 0.0;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double x = static_cast<double>(numerator) / static_cast<double>(denominator);
  while (x > 0.0 && CompareDouble(x, numerator, denominator) > 0) x = std::nextafter(x, 0.0);
  while (true) {
    const double above = std::nextafter(x, kInf);
    if (CompareDouble(above, numerator, denominator) > 0) break;
    x = above;
  }
  return x;
}

double AddRoundUp(double a, double b) {
  const double sum = a + b;
  if (!std::isfinite(sum)) return sum;
  // TwoSum (Knuth): the rounding error of a + b, exactly.
  const double b_part = sum - a;
  const double a_part = sum - b_part;
  const double error = (a - a_part) + (b - b_part);
  return error > 0.0 ? std::nextafter(sum, std::numeric_limits<double>::infinity()) : sum;
}

double SubtractRoundDown(double a, double b) {
  const double difference = a - b;
  if (!std::isfinite(difference)) return difference;
  const double b_part = difference - a;
  const double a_part = difference - b_part;
  const double error = (a - a_part) + (-b - b_part);
  return error < 0.0 ? std::nextafter(difference, -std::numeric_limits<double>::infinity()) : difference;
}

}  // namespace synthscale
