#include "synthscale/privacy/samplers/discrete_gaussian.h"

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "../statistics.h"

namespace synthscale {
namespace {

using testing::FixedKey;
using testing::IntegerBinning;

DiscreteGaussianSampler MakeSampler(std::uint64_t num, std::uint64_t den) {
  Result<DiscreteGaussianSampler> sampler = DiscreteGaussianSampler::Create(*Rational::Create(num, den));
  EXPECT_TRUE(sampler.ok()) << sampler.status().ToString();
  return *sampler;
}

TEST(DiscreteGaussian, FloorSqrtIsExact) {
  EXPECT_EQ(FloorSqrt(Rational::Integer(0)), 0U);
  EXPECT_EQ(FloorSqrt(Rational::Integer(15)), 3U);
  EXPECT_EQ(FloorSqrt(Rational::Integer(16)), 4U);
  EXPECT_EQ(FloorSqrt(*Rational::Create(1, 100)), 0U);
  EXPECT_EQ(FloorSqrt(*Rational::Create(401, 100)), 2U);
  EXPECT_EQ(FloorSqrt(*Rational::Create(399, 100)), 1U);
  const std::uint64_t big = 4294967295ULL;  // 2^32 - 1: (2^32-1)^2 = 2^64 - 2^33 + 1
  EXPECT_EQ(FloorSqrt(Rational::Integer(big * big)), big);
  EXPECT_EQ(FloorSqrt(Rational::Integer(big * big - 1)), big - 1);
}

TEST(DiscreteGaussian, RefusesParametersOutsideTheExactRange) {
  Result<DiscreteGaussianSampler> zero = DiscreteGaussianSampler::Create(Rational());
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("sigma^2 must be > 0"), std::string::npos);
  // sigma = 1e6 with denominator 2^20: 2^20 * (10^6 + 1)^2 > 2^55.
  Result<DiscreteGaussianSampler> fine = DiscreteGaussianSampler::Create(*Rational::Create(1000000000000ULL << 20 | 1, 1ULL << 20));
  ASSERT_FALSE(fine.ok());
  EXPECT_NE(fine.status().message().find("out of the exact range"), std::string::npos);
  EXPECT_TRUE(DiscreteGaussianSampler::Create(Rational::Integer(1000000000000ULL)).ok());
  EXPECT_EQ(MakeSampler(1000000000000ULL, 1).proposal_scale(), 1000001U);
  EXPECT_EQ(MakeSampler(1, 100).proposal_scale(), 1U);
}

TEST(DiscreteGaussian, SameKeySameDraws) {
  const DiscreteGaussianSampler sampler = MakeSampler(9, 4);
  Csprng first(FixedKey(20));
  Csprng second(FixedKey(20));
  for (int draw = 0; draw < 1000; ++draw) ASSERT_EQ(*sampler.Sample(first), *sampler.Sample(second));
}

TEST(DiscreteGaussian, TinyVarianceIsAlmostAlwaysZero) {
  // sigma^2 = 1/100: P[X != 0] = 2 e^-50 / Z < 4e-22 per draw, so one nonzero in 10^6 draws
  // (key seed 21) has probability below 4e-16.
  const DiscreteGaussianSampler sampler = MakeSampler(1, 100);
  Csprng noise(FixedKey(21));
  for (int draw = 0; draw < 1000000; ++draw) ASSERT_EQ(*sampler.Sample(noise), 0);
}

// The normaliser Z = sum_x exp(-x^2 / (2 sigma^2)): a direct sum for moderate sigma, and
// the Poisson-summation identity Z = sqrt(2 pi) sigma (1 + 2 sum_k exp(-2 pi^2 sigma^2 k^2))
// for large sigma (the correction is below 1e-300 for sigma >= 10).
long double GaussianNormaliser(long double sigma_squared) {
  const long double sigma = std::sqrt(sigma_squared);
  if (sigma >= 10) return std::sqrt(2 * std::numbers::pi_v<long double>) * sigma;
  long double total = 0;
  const auto limit = static_cast<std::int64_t>(40 * sigma) + 40;
  for (std::int64_t x = -limit; x <= limit; ++x) {
    total += std::exp(-static_cast<long double>(x) * x / (2 * sigma_squared));
  }
  return total;
}

TEST(DiscreteGaussian, TestNormaliserAgreesAcrossMethods) {
  // Both branches of GaussianNormaliser at sigma = 10, where both are accurate.
  long double direct = 0;
  for (std::int64_t x = -1000; x <= 1000; ++x) direct += std::exp(-static_cast<long double>(x) * x / 200);
  EXPECT_NEAR(static_cast<double>(direct / GaussianNormaliser(100)), 1.0, 1e-15);
}

struct GaussianCase {
  std::uint64_t num;
  std::uint64_t den;
  IntegerBinning binning;
};

// Chi-square goodness of fit against the exact pmf, 10^6 draws per sigma^2, key seed 22;
// each p-value threshold of 1e-6 is the false-failure probability of that check.
TEST(DiscreteGaussianStatistical, ChiSquareAgainstExactPmf) {
  const std::vector<GaussianCase> cases = {
      {1, 4, {-6, 7, 1}},                                  // tiny: P[+-1] ~ e^-2
      {1, 1, {-10, 11, 1}},                                // unit
      {200, 3, {-60, 61, 1}},                              // sigma ~ 8.16, rational sigma^2
      {1000000000000ULL, 1, {-6000000, 6000001, 125000}},  // sigma = 10^6: 96 bins of sigma/8
  };
  constexpr int kDraws = 1000000;
  Csprng noise(FixedKey(22));
  for (const GaussianCase& test : cases) {
    const DiscreteGaussianSampler sampler = MakeSampler(test.num, test.den);
    const long double sigma_squared = static_cast<long double>(test.num) / static_cast<long double>(test.den);
    const long double normaliser = GaussianNormaliser(sigma_squared);
    std::vector<std::uint64_t> observed(test.binning.size(), 0);
    for (int draw = 0; draw < kDraws; ++draw) ++observed[test.binning.BinOf(*sampler.Sample(noise))];
    const std::vector<double> expected = testing::SymmetricBinProbabilities(test.binning, [&](std::int64_t x) {
      return static_cast<double>(std::exp(-static_cast<long double>(x) * x / (2 * sigma_squared)) / normaliser);
    });
    const testing::ChiSquareResult result = testing::ChiSquareTest(expected, observed);
    EXPECT_GT(result.dof, 3) << "sigma^2 " << test.num << "/" << test.den;
    EXPECT_GT(result.p_value, 1e-6) << "sigma^2 " << test.num << "/" << test.den << ": " << result.Describe();
  }
}

// A 2% error in sigma^2 must be detected by the same test (key seed 23).
TEST(DiscreteGaussianStatistical, ChiSquareRejectsAWrongVariance) {
  const DiscreteGaussianSampler sampler = MakeSampler(200, 3);
  const IntegerBinning binning{-60, 61, 1};
  Csprng noise(FixedKey(23));
  std::vector<std::uint64_t> observed(binning.size(), 0);
  for (int draw = 0; draw < 1000000; ++draw) ++observed[binning.BinOf(*sampler.Sample(noise))];
  const long double wrong = 200.0L / 3 * 1.02L;
  const long double normaliser = GaussianNormaliser(wrong);
  const std::vector<double> expected = testing::SymmetricBinProbabilities(binning, [&](std::int64_t x) {
    return static_cast<double>(std::exp(-static_cast<long double>(x) * x / (2 * wrong)) / normaliser);
  });
  EXPECT_LT(testing::ChiSquareTest(expected, observed).p_value, 1e-6);
}

}  // namespace
}  // namespace synthscale
