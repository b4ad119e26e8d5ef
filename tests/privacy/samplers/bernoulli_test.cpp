#include "synthscale/privacy/samplers/bernoulli.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "../statistics.h"

namespace synthscale {
namespace {

using testing::BinomialLowerBound;
using testing::BinomialUpperBound;
using testing::FixedKey;

TEST(Bernoulli, CertainAndImpossibleEvents) {
  Csprng noise(FixedKey(1));
  for (int draw = 0; draw < 1000; ++draw) {
    EXPECT_TRUE(SampleBernoulliExp(noise, 0, 7));  // exp(0) = 1
    EXPECT_FALSE(SampleBernoulli(noise, 0, 7));
    EXPECT_TRUE(SampleBernoulli(noise, 7, 7));
  }
}

TEST(Bernoulli, SameKeySameDraws) {
  Csprng first(FixedKey(2));
  Csprng second(FixedKey(2));
  for (int draw = 0; draw < 1000; ++draw) {
    ASSERT_EQ(SampleBernoulliExp(first, 3, 2), SampleBernoulliExp(second, 3, 2));
  }
}

TEST(Bernoulli, UniformBelow128StaysBelowAWideBound) {
  Csprng noise(FixedKey(3));
  const UInt128 bound = (static_cast<UInt128>(3) << 64) + 5;
  std::vector<std::uint64_t> high_counts(4, 0);
  constexpr int kDraws = 300000;
  for (int draw = 0; draw < kDraws; ++draw) {
    const UInt128 value = UniformBelow128(noise, bound);
    ASSERT_LT(value, bound);
    ++high_counts[static_cast<std::size_t>(value >> 64)];
  }
  // The high word is 0, 1 or 2 with probability ~1/3 each (3 has probability ~5/bound).
  // Chi-square on 2 dof, key seed 3; false-failure probability 1e-6.
  const testing::ChiSquareResult result =
      testing::ChiSquareTest({1.0 / 3, 1.0 / 3, 1.0 / 3 - 1e-12, 1e-12}, high_counts);
  EXPECT_GT(result.p_value, 1e-6) << result.Describe();
}

// Bernoulli(exp(-gamma)) for several gamma, 10^6 draws each; key seed 4. Each check fails
// with probability at most 2e-7 (two Chernoff bounds at 1e-7 each) when the sampler is exact.
TEST(BernoulliStatistical, ExpMinusGammaFrequencies) {
  Csprng noise(FixedKey(4));
  constexpr std::uint64_t kDraws = 1000000;
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> gammas = {{1, 2}, {1, 1}, {3, 2}, {10, 3}, {10, 1}};
  for (const auto& [num, den] : gammas) {
    std::uint64_t hits = 0;
    for (std::uint64_t draw = 0; draw < kDraws; ++draw) hits += SampleBernoulliExp(noise, num, den) ? 1U : 0U;
    const double expected = std::exp(-static_cast<double>(num) / static_cast<double>(den));
    EXPECT_LE(BinomialLowerBound(hits, kDraws, 1e-7), expected) << num << "/" << den;
    EXPECT_GE(BinomialUpperBound(hits, kDraws, 1e-7), expected) << num << "/" << den;
  }
}

TEST(BernoulliStatistical, RationalFrequencyWithWideDenominator) {
  Csprng noise(FixedKey(5));
  constexpr std::uint64_t kDraws = 1000000;
  const UInt128 den = (static_cast<UInt128>(1) << 100) + 1;
  const UInt128 num = den / 3;  // p = 1/3 - 1e-30
  std::uint64_t hits = 0;
  for (std::uint64_t draw = 0; draw < kDraws; ++draw) hits += SampleBernoulli(noise, num, den) ? 1U : 0U;
  EXPECT_LE(BinomialLowerBound(hits, kDraws, 1e-7), 1.0 / 3);  // false failure <= 2e-7, key seed 5
  EXPECT_GE(BinomialUpperBound(hits, kDraws, 1e-7), 1.0 / 3);
}

}  // namespace
}  // namespace synthscale
