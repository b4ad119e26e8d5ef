#include "synthscale/privacy/samplers/discrete_laplace.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "../statistics.h"

namespace synthscale {
namespace {

using testing::FixedKey;
using testing::IntegerBinning;

DiscreteLaplaceSampler MakeSampler(std::uint64_t num, std::uint64_t den) {
  Result<DiscreteLaplaceSampler> sampler = DiscreteLaplaceSampler::Create(*Rational::Create(num, den));
  EXPECT_TRUE(sampler.ok()) << sampler.status().ToString();
  return *sampler;
}

TEST(DiscreteLaplace, RefusesScalesOutsideTheExactRange) {
  Result<DiscreteLaplaceSampler> zero = DiscreteLaplaceSampler::Create(Rational());
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("scale must be > 0"), std::string::npos);
  Result<DiscreteLaplaceSampler> huge = DiscreteLaplaceSampler::Create(Rational::Integer((1ULL << 54) + 1));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("at most 2^54"), std::string::npos);
  Result<DiscreteLaplaceSampler> fine = DiscreteLaplaceSampler::Create(*Rational::Create((1ULL << 63) + 1, 1ULL << 62));
  ASSERT_FALSE(fine.ok());
  EXPECT_NE(fine.status().message().find("numerator of 2^63"), std::string::npos);
  EXPECT_TRUE(DiscreteLaplaceSampler::Create(Rational::Integer(1ULL << 54)).ok());
}

TEST(DiscreteLaplace, SameKeySameDrawsOtherKeyOtherDraws) {
  const DiscreteLaplaceSampler sampler = MakeSampler(5, 2);
  Csprng first(FixedKey(10));
  Csprng second(FixedKey(10));
  Csprng other(FixedKey(11));
  int differences = 0;
  for (int draw = 0; draw < 1000; ++draw) {
    const std::int64_t value = *sampler.Sample(first);
    ASSERT_EQ(value, *sampler.Sample(second));
    differences += value != *sampler.Sample(other) ? 1 : 0;
  }
  EXPECT_GT(differences, 500);
}

TEST(DiscreteLaplace, TinyScaleIsAlmostAlwaysZero) {
  // Scale 1/100: P[X != 0] = 2 e^-100 / (1 + e^-100) < 1e-43 per draw, so one nonzero in
  // 10^6 draws (key seed 12) has probability below 1e-37.
  const DiscreteLaplaceSampler sampler = MakeSampler(1, 100);
  Csprng noise(FixedKey(12));
  for (int draw = 0; draw < 1000000; ++draw) ASSERT_EQ(*sampler.Sample(noise), 0);
}

// P[X = x] = tanh(1/(2b)) exp(-|x|/b).
double LaplacePmf(double scale, std::int64_t value) {
  return std::tanh(0.5 / scale) * std::exp(-std::fabs(static_cast<double>(value)) / scale);
}

struct LaplaceCase {
  std::uint64_t num;
  std::uint64_t den;
  IntegerBinning binning;
};

// Chi-square goodness of fit against the exact pmf, 10^6 draws per scale, key seed 13;
// each p-value threshold of 1e-6 is the false-failure probability of that check.
TEST(DiscreteLaplaceStatistical, ChiSquareAgainstExactPmf) {
  const std::vector<LaplaceCase> cases = {
      {1, 3, {-8, 9, 1}},                                     // tiny: P[+-1] ~ e^-3
      {1, 1, {-30, 31, 1}},                                   // unit
      {7, 2, {-80, 81, 1}},                                   // non-integer scale
      {1000000, 1, {-8000000, 8000001, 125000}},              // huge: 128 bins of b/8
  };
  constexpr int kDraws = 1000000;
  Csprng noise(FixedKey(13));
  for (const LaplaceCase& test : cases) {
    const DiscreteLaplaceSampler sampler = MakeSampler(test.num, test.den);
    const double scale = static_cast<double>(test.num) / static_cast<double>(test.den);
    std::vector<std::uint64_t> observed(test.binning.size(), 0);
    for (int draw = 0; draw < kDraws; ++draw) ++observed[test.binning.BinOf(*sampler.Sample(noise))];
    const std::vector<double> expected =
        testing::SymmetricBinProbabilities(test.binning, [&](std::int64_t x) { return LaplacePmf(scale, x); });
    const testing::ChiSquareResult result = testing::ChiSquareTest(expected, observed);
    EXPECT_GT(result.dof, 3) << "scale " << test.num << "/" << test.den;
    EXPECT_GT(result.p_value, 1e-6) << "scale " << test.num << "/" << test.den << ": " << result.Describe();
  }
}

// The same test must reject a wrong distribution: draws of scale 1 checked against the pmf
// of scale 1.02 (a 2% scale error). Guards against a toothless chi-square helper.
TEST(DiscreteLaplaceStatistical, ChiSquareRejectsAWrongScale) {
  const DiscreteLaplaceSampler sampler = MakeSampler(1, 1);
  const IntegerBinning binning{-30, 31, 1};
  Csprng noise(FixedKey(14));
  std::vector<std::uint64_t> observed(binning.size(), 0);
  for (int draw = 0; draw < 1000000; ++draw) ++observed[binning.BinOf(*sampler.Sample(noise))];
  const std::vector<double> expected =
      testing::SymmetricBinProbabilities(binning, [](std::int64_t x) { return LaplacePmf(1.02, x); });
  EXPECT_LT(testing::ChiSquareTest(expected, observed).p_value, 1e-6);
}

}  // namespace
}  // namespace synthscale
