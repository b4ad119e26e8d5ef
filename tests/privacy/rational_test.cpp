#include "synthscale/privacy/rational.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

TEST(Rational, CreateReducesToLowestTerms) {
  Result<Rational> value = Rational::Create(6, 8);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->numerator(), 3U);
  EXPECT_EQ(value->denominator(), 4U);
  EXPECT_EQ(value->ToString(), "3/4");
  EXPECT_EQ(Rational::Integer(5).ToString(), "5");
  EXPECT_EQ(*Rational::Create(0, 7), Rational());
}

TEST(Rational, ZeroDenominatorIsAnError) {
  Result<Rational> value = Rational::Create(1, 0, "scale");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(value.status().message().find("scale: denominator must be > 0"), std::string::npos);
}

TEST(Rational, ComparesExactly) {
  const Rational third = *Rational::Create(1, 3);
  const Rational close = *Rational::Create(333333333333333333ULL, 1000000000000000000ULL);
  EXPECT_LT(close, third);
  EXPECT_GT(third, close);
  EXPECT_EQ(*Rational::Create(2, 6), third);
}

TEST(Rational, FromDoubleIsExact) {
  Result<Rational> tenth = Rational::FromDouble(0.1, "x");
  ASSERT_TRUE(tenth.ok());
  EXPECT_EQ(tenth->numerator(), 3602879701896397ULL);
  EXPECT_EQ(tenth->denominator(), 1ULL << 55);
  EXPECT_EQ(Rational::FromDouble(2.5, "x")->ToString(), "5/2");
  EXPECT_EQ(Rational::FromDouble(0.0, "x")->ToString(), "0");
  EXPECT_FALSE(Rational::FromDouble(-1.0, "x").ok());
  EXPECT_FALSE(Rational::FromDouble(std::nan(""), "x").ok());
  EXPECT_FALSE(Rational::FromDouble(1e30, "x").ok());
  EXPECT_FALSE(Rational::FromDouble(1e-30, "x").ok());  // needs a denominator beyond 2^63
}

TEST(Rational, RoundsToADenominatorInTheAskedDirection) {
  EXPECT_EQ(Rational::CeilToDenominator(0.1, 1024, "x")->ToString(), "103/1024");  // 102.4 -> 103
  EXPECT_EQ(Rational::FloorToDenominator(0.1, 1024, "x")->ToString(), "51/512");   // 102
  EXPECT_EQ(Rational::CeilToDenominator(0.25, 1024, "x")->ToString(), "1/4");      // exact stays
  EXPECT_EQ(Rational::CeilToDenominator(1e-300, 1024, "x")->ToString(), "1/1024");
  EXPECT_EQ(Rational::FloorToDenominator(1e-300, 1024, "x")->ToString(), "0");
  EXPECT_EQ(Rational::CeilToDenominator(3.0, 1, "x")->ToString(), "3");
  EXPECT_FALSE(Rational::CeilToDenominator(1e30, 1024, "x").ok());
  Result<Rational> negative = Rational::CeilToDenominator(-0.5, 1024, "sigma^2");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("sigma^2 must be a finite number >= 0"), std::string::npos);
}

TEST(Rational, FromWideRefusesWhatDoesNotFit) {
  const UInt128 big = static_cast<UInt128>(1) << 70;
  EXPECT_EQ(Rational::FromWide(big, big * 3, "x")->ToString(), "1/3");
  Result<Rational> too_big = Rational::FromWide(big + 1, 3, "epsilon");
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("epsilon needs more than 64-bit"), std::string::npos);
}

TEST(RoundToDouble, IsExactWhenRepresentable) {
  EXPECT_EQ(RoundUpToDouble(1, 4), 0.25);
  EXPECT_EQ(RoundDownToDouble(1, 4), 0.25);
  EXPECT_EQ(RoundUpToDouble(0, 7), 0.0);
  EXPECT_EQ(RoundUpToDouble(3, 1), 3.0);
}

TEST(RoundToDouble, BracketsTheExactValueWithinOneUlp) {
  // 1/3, 1/10, 2/3, and fractions with 128-bit parts.
  const UInt128 big_den = (static_cast<UInt128>(1) << 100) + 12345;
  const std::vector<std::pair<UInt128, UInt128>> cases = {
      {1, 3}, {1, 10}, {2, 3}, {7, big_den}, {big_den, 7}, {big_den - 2, big_den}};
  for (const auto& [num, den] : cases) {
    const double up = RoundUpToDouble(num, den);
    const double down = RoundDownToDouble(num, den);
    EXPECT_TRUE(DoubleAtLeast(up, num, den));
    EXPECT_FALSE(DoubleAtLeast(std::nextafter(up, 0.0), num, den));
    EXPECT_FALSE(DoubleAtLeast(down, num, den));  // none of these is a double
    EXPECT_EQ(std::nextafter(down, 1e300), up);
  }
  EXPECT_EQ(RoundUpToDouble(1, 3), std::nextafter(1.0 / 3.0, 1.0));  // 1/3 rounds down to nearest
  EXPECT_EQ(RoundDownToDouble(1, 3), 1.0 / 3.0);
}

TEST(DirectedAddition, NeverUnderstatesTheSum) {
  EXPECT_EQ(AddRoundUp(0.25, 0.5), 0.75);  // exact sums stay exact
  const double sum = AddRoundUp(0.1, 0.2);
  // 0.1 + 0.2 rounds to nearest 0.30000000000000004 which is above the exact sum: kept.
  EXPECT_EQ(sum, 0.1 + 0.2);
  const double tiny_sum = AddRoundUp(1.0, 1e-20);  // nearest is 1.0, below the exact sum
  EXPECT_EQ(tiny_sum, std::nextafter(1.0, 2.0));
  EXPECT_EQ(SubtractRoundDown(1.0, 1e-20), std::nextafter(1.0, 0.0));
  EXPECT_EQ(SubtractRoundDown(0.75, 0.5), 0.25);
}

}  // namespace
}  // namespace synthscale
