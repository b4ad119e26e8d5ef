// Gaussian, Laplace and exponential mechanisms: costs, sensitivities per neighbouring
// relation, charge-before-noise, and refusals.
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "statistics.h"
#include "synthscale/privacy/exponential_mechanism.h"
#include "synthscale/privacy/gaussian_mechanism.h"
#include "synthscale/privacy/laplace_mechanism.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {
namespace {

using testing::FixedKey;

CountSensitivity Histogram(Neighbouring neighbouring, std::uint64_t cells_per_row = 1) {
  return *CountSensitivity::Counts(neighbouring, cells_per_row);
}

PrivacyLedger MakeLedger(double rho, Neighbouring neighbouring = Neighbouring::kAddRemoveOne) {
  return *PrivacyLedger::FromRho(rho, neighbouring);
}

// The next word of `noise` equals that of a fresh generator with `key` advanced by
// `words` draws: evidence that nothing else was drawn.
bool Untouched(Csprng& noise, const NoiseKey& key) {
  Csprng fresh(key);
  return noise.NextU64() == fresh.NextU64();
}

TEST(Sensitivity, HistogramDependsOnTheNeighbouringRelation) {
  const CountSensitivity add_remove = Histogram(Neighbouring::kAddRemoveOne);
  EXPECT_EQ(add_remove.l1, Rational::Integer(1));
  EXPECT_EQ(add_remove.l2_squared, Rational::Integer(1));
  const CountSensitivity replace = Histogram(Neighbouring::kReplaceOne);
  EXPECT_EQ(replace.l1, Rational::Integer(2));
  EXPECT_EQ(replace.l2_squared, Rational::Integer(2));  // L2 = sqrt(2)
  const CountSensitivity three = Histogram(Neighbouring::kReplaceOne, 3);
  EXPECT_EQ(three.l1, Rational::Integer(6));
  EXPECT_EQ(three.l2_squared, Rational::Integer(6));
  EXPECT_FALSE(CountSensitivity::Counts(Neighbouring::kAddRemoveOne, 0).ok());
}

TEST(Sensitivity, GeneralBoundsUseTheTriangleInequalityUnderReplacement) {
  const CountSensitivity general = *CountSensitivity::FromAddRemoveBounds(
      Neighbouring::kReplaceOne, *Rational::Create(3, 2), Rational::Integer(2));
  EXPECT_EQ(general.l1, Rational::Integer(3));
  EXPECT_EQ(general.l2_squared, Rational::Integer(8));
  const ScoreSensitivity score = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kReplaceOne, Rational::Integer(1));
  EXPECT_EQ(score.bound, Rational::Integer(2));
  EXPECT_FALSE(ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational()).ok());
  EXPECT_EQ(*ParseNeighbouring("replace_one_row"), Neighbouring::kReplaceOne);
  EXPECT_FALSE(ParseNeighbouring("replace").ok());
}

TEST(GaussianMechanism, RhoIsSensitivitySquaredOverTwoSigmaSquared) {
  const Rational sigma_squared = Rational::Integer(2);
  const GaussianMechanism add_remove = *GaussianMechanism::Create(Histogram(Neighbouring::kAddRemoveOne), sigma_squared);
  EXPECT_EQ(add_remove.rho(), 0.25);
  const GaussianMechanism replace = *GaussianMechanism::Create(Histogram(Neighbouring::kReplaceOne), sigma_squared);
  EXPECT_EQ(replace.rho(), 0.5);
  // 1 / (2 * 3) is not a double: rounded up.
  const GaussianMechanism third = *GaussianMechanism::Create(Histogram(Neighbouring::kAddRemoveOne), Rational::Integer(3));
  EXPECT_GE(third.rho(), 1.0 / 6);
  EXPECT_TRUE(DoubleAtLeast(third.rho(), 1, 6));
  EXPECT_EQ(third.ChargeFor("x").sensitivity_exact, "1");
  EXPECT_EQ(replace.ChargeFor("x").sensitivity_exact, "sqrt(2)");
}

TEST(GaussianMechanism, ForRhoSpendsAtMostTheTarget) {
  for (const double rho : {1e-6, 0.001, 0.1, 0.37, 1.0, 5.0}) {
    for (const Neighbouring neighbouring : {Neighbouring::kAddRemoveOne, Neighbouring::kReplaceOne}) {
      Result<GaussianMechanism> mechanism = GaussianMechanism::ForRho(Histogram(neighbouring), rho);
      ASSERT_TRUE(mechanism.ok()) << mechanism.status().ToString();
      EXPECT_LE(mechanism->rho(), rho);
      EXPECT_GT(mechanism->rho(), rho * 0.999) << "sigma^2 = " << mechanism->sigma_squared().ToString();
    }
  }
  // 1 / (2 * 0.1) = 5 exactly.
  EXPECT_EQ(GaussianMechanism::ForRho(Histogram(Neighbouring::kAddRemoveOne), 0.1)->sigma_squared(),
            Rational::Integer(5));
  EXPECT_FALSE(GaussianMechanism::ForRho(Histogram(Neighbouring::kAddRemoveOne), 0.0).ok());
  EXPECT_FALSE(GaussianMechanism::ForRho(Histogram(Neighbouring::kAddRemoveOne), std::nan("")).ok());
}

TEST(GaussianMechanism, ReleaseChargesThenAddsNoise) {
  const GaussianMechanism mechanism =
      *GaussianMechanism::Create(Histogram(Neighbouring::kReplaceOne), Rational::Integer(100));
  PrivacyLedger ledger = MakeLedger(1.0, Neighbouring::kReplaceOne);
  Csprng noise(FixedKey(30));
  const std::vector<std::int64_t> counts(1000, 50);
  Result<NoisyCounts> released = mechanism.Release(counts, "histogram of age", ledger, noise);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  ASSERT_EQ(released->values.size(), counts.size());
  EXPECT_EQ(released->charge.rho, 0.01);
  EXPECT_EQ(released->charge.mechanism, "gaussian");
  EXPECT_EQ(released->charge.noise_exact, "sigma^2=100");
  EXPECT_EQ(released->charge.noise_scale, 10.0);
  EXPECT_EQ(ledger.charges().size(), 1U);
  EXPECT_EQ(ledger.charges()[0], released->charge);
  EXPECT_EQ(ledger.spent_rho(), 0.01);
  double sum = 0.0;
  double sum_squares = 0.0;
  for (const std::int64_t value : released->values) {
    sum += static_cast<double>(value - 50);
    sum_squares += static_cast<double>((value - 50) * (value - 50));
  }
  // Loose sanity bounds (the samplers' own tests are exact): mean 0 +- 10 sd/sqrt(n), and
  // variance within 30% of 100. False failure below 1e-9 (key seed 30).
  EXPECT_LT(std::fabs(sum / 1000), 10 * 10 / std::sqrt(1000.0));
  EXPECT_NEAR(sum_squares / 1000, 100, 30);
}

TEST(GaussianMechanism, OverspendReleasesNothingAndDrawsNoNoise) {
  const GaussianMechanism mechanism = *GaussianMechanism::Create(Histogram(Neighbouring::kAddRemoveOne), Rational::Integer(1));
  PrivacyLedger ledger = MakeLedger(0.4);  // the release costs 0.5
  Csprng noise(FixedKey(31));
  Result<NoisyCounts> refused = mechanism.Release(std::vector<std::int64_t>{1, 2, 3}, "counts", ledger, noise);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("privacy budget exceeded"), std::string::npos);
  EXPECT_TRUE(ledger.charges().empty());
  EXPECT_EQ(ledger.spent_rho(), 0.0);
  EXPECT_TRUE(Untouched(noise, FixedKey(31)));
}

TEST(GaussianMechanism, RefusesOtherNeighbouringAndHugeCountsBeforeCharging) {
  const GaussianMechanism mechanism = *GaussianMechanism::Create(Histogram(Neighbouring::kAddRemoveOne), Rational::Integer(1));
  PrivacyLedger replace_ledger = MakeLedger(10.0, Neighbouring::kReplaceOne);
  Csprng noise(FixedKey(32));
  Result<NoisyCounts> wrong = mechanism.Release(std::vector<std::int64_t>{1}, "counts", replace_ledger, noise);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("neighbouring relation"), std::string::npos);
  PrivacyLedger ledger = MakeLedger(10.0);
  Result<NoisyCounts> huge =
      mechanism.Release(std::vector<std::int64_t>{1, std::int64_t{1} << 62 | 1}, "counts", ledger, noise);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("count 1 = "), std::string::npos);
  EXPECT_TRUE(ledger.charges().empty());
  EXPECT_TRUE(Untouched(noise, FixedKey(32)));
}

TEST(GaussianMechanism, RefusesZeroSensitivityAndOutOfRangeSigma) {
  CountSensitivity zero = Histogram(Neighbouring::kAddRemoveOne);
  zero.l2_squared = Rational();
  EXPECT_FALSE(GaussianMechanism::Create(zero, Rational::Integer(1)).ok());
  Result<GaussianMechanism> fine = GaussianMechanism::Create(Histogram(Neighbouring::kAddRemoveOne),
                                                             *Rational::Create((1ULL << 62) + 1, 1ULL << 40));
  ASSERT_FALSE(fine.ok());
  EXPECT_NE(fine.status().message().find("Gaussian mechanism: discrete Gaussian sigma^2"), std::string::npos);
}

TEST(LaplaceMechanism, EpsilonIsL1SensitivityOverScale) {
  const LaplaceMechanism replace =
      *LaplaceMechanism::Create(Histogram(Neighbouring::kReplaceOne), Rational::Integer(4));
  EXPECT_EQ(replace.exact_epsilon(), *Rational::Create(1, 2));
  EXPECT_EQ(replace.epsilon(), 0.5);
  EXPECT_EQ(replace.rho(), 0.125);  // epsilon^2 / 2
  const PrivacyCharge charge = replace.ChargeFor("count");
  EXPECT_EQ(charge.epsilon, 0.5);
  EXPECT_EQ(charge.sensitivity_exact, "2");
  EXPECT_EQ(charge.noise_exact, "b=4");
  const LaplaceMechanism for_one = *LaplaceMechanism::ForEpsilon(Histogram(Neighbouring::kAddRemoveOne), 1.0);
  EXPECT_EQ(for_one.scale(), Rational::Integer(1));
  for (const double epsilon : {0.01, 0.3, 1.7, 20.0}) {
    const LaplaceMechanism mechanism = *LaplaceMechanism::ForEpsilon(Histogram(Neighbouring::kReplaceOne), epsilon);
    EXPECT_LE(mechanism.epsilon(), epsilon);
    EXPECT_GT(mechanism.epsilon(), epsilon * 0.999);
  }
  EXPECT_FALSE(LaplaceMechanism::ForEpsilon(Histogram(Neighbouring::kReplaceOne), -1.0).ok());
}

TEST(LaplaceMechanism, ReleaseChargesEpsilonSquaredOverTwo) {
  const LaplaceMechanism mechanism = *LaplaceMechanism::Create(Histogram(Neighbouring::kAddRemoveOne), Rational::Integer(2));
  PrivacyLedger ledger = MakeLedger(0.2);
  Csprng noise(FixedKey(33));
  Result<NoisyCounts> released = mechanism.Release(std::vector<std::int64_t>{0, 10, -5}, "three counts", ledger, noise);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->values.size(), 3U);
  EXPECT_EQ(ledger.spent_rho(), 0.125);
  Result<NoisyCounts> second = mechanism.Release(std::vector<std::int64_t>{0}, "again", ledger, noise);
  ASSERT_FALSE(second.ok());  // 0.25 > 0.2
  EXPECT_EQ(ledger.charges().size(), 1U);
}

TEST(ExponentialMechanism, CostIsEpsilonSquaredOverEight) {
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const ExponentialMechanism mechanism = *ExponentialMechanism::ForEpsilon(unit, 1.0);
  EXPECT_EQ(mechanism.exact_epsilon(), Rational::Integer(1));
  EXPECT_EQ(mechanism.rho(), 0.125);
  EXPECT_EQ(mechanism.ChargeFor("pick").epsilon, 1.0);
  for (const double rho : {1e-4, 0.01, 0.3, 2.0}) {
    const ExponentialMechanism for_rho = *ExponentialMechanism::ForRho(unit, rho);
    EXPECT_LE(for_rho.rho(), rho);
    EXPECT_GT(for_rho.rho(), rho * 0.999);
  }
  EXPECT_FALSE(ExponentialMechanism::ForEpsilon(unit, 1e-9).ok());
  EXPECT_FALSE(ExponentialMechanism::Create(unit, Rational()).ok());
}

TEST(ExponentialMechanism, ClearWinnerIsAlwaysSelected) {
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const ExponentialMechanism mechanism = *ExponentialMechanism::ForEpsilon(unit, 1.0);
  Csprng noise(FixedKey(34));
  for (int draw = 0; draw < 200; ++draw) {
    PrivacyLedger ledger = MakeLedger(1.0);
    // Weights 1 : e^-500 : e^-500 (integer scores) and the same with real scores.
    EXPECT_EQ(mechanism.SelectInteger(std::vector<std::int64_t>{1000, 0, 0}, "best", ledger, noise)->index, 0U);
    EXPECT_EQ(mechanism.Select(std::vector<double>{-1e9, -2.5e9, 0.25}, "best", ledger, noise)->index, 2U);
  }
}

// Selection frequencies against the exact probabilities proportional to exp(eps u / 2),
// with eps = 2 and sensitivity 1 (weights e^0 .. e^3), 10^5 draws, integer and real
// scores; chi-square with false-failure probability 1e-6 each (key seed 35).
TEST(ExponentialMechanism, SelectionFrequenciesMatchTheExponentialWeights) {
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const ExponentialMechanism mechanism = *ExponentialMechanism::ForEpsilon(unit, 2.0);
  const std::vector<double> weights = {1.0, std::exp(1.0), std::exp(2.0), std::exp(3.0)};
  const double total = weights[0] + weights[1] + weights[2] + weights[3];
  std::vector<double> expected;
  for (const double weight : weights) expected.push_back(weight / total);
  Csprng noise(FixedKey(35));
  std::vector<std::uint64_t> integer_counts(4, 0);
  std::vector<std::uint64_t> real_counts(4, 0);
  for (int draw = 0; draw < 100000; ++draw) {
    PrivacyLedger ledger = MakeLedger(1.0);
    ++integer_counts[mechanism.SelectInteger(std::vector<std::int64_t>{0, 1, 2, 3}, "pick", ledger, noise)->index];
    // Real scores shifted by 1000.5: the selection law only depends on differences.
    ++real_counts[mechanism.Select(std::vector<double>{1000.5, 1001.5, 1002.5, 1003.5}, "pick", ledger, noise)->index];
  }
  EXPECT_GT(testing::ChiSquareTest(expected, integer_counts).p_value, 1e-6);
  EXPECT_GT(testing::ChiSquareTest(expected, real_counts).p_value, 1e-6);
}

TEST(ExponentialMechanism, RefusalsChargeNothing) {
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const ExponentialMechanism mechanism = *ExponentialMechanism::ForEpsilon(unit, 1.0);
  PrivacyLedger ledger = MakeLedger(0.2);
  Csprng noise(FixedKey(36));
  Result<Selection> empty = mechanism.SelectInteger({}, "nothing", ledger, noise);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no candidates"), std::string::npos);
  Result<Selection> nan = mechanism.Select(std::vector<double>{0.0, std::nan("")}, "nan", ledger, noise);
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.status().message().find("score 1 is not a finite number"), std::string::npos);
  Result<Selection> huge = mechanism.Select(std::vector<double>{0.0, 1e300}, "huge", ledger, noise);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("beyond 2^62 grid steps"), std::string::npos);
  EXPECT_TRUE(ledger.charges().empty());
  ASSERT_TRUE(mechanism.SelectInteger(std::vector<std::int64_t>{1, 2}, "first", ledger, noise).ok());
  Csprng second_noise(FixedKey(37));
  Result<Selection> over = mechanism.SelectInteger(std::vector<std::int64_t>{1, 2}, "second", ledger, second_noise);
  ASSERT_FALSE(over.ok());  // 0.125 + 0.125 > 0.2
  EXPECT_EQ(ledger.charges().size(), 1U);
  EXPECT_TRUE(Untouched(second_noise, FixedKey(37)));
}

TEST(ExponentialMechanism, WideIntegerScoresStayExact) {
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const ExponentialMechanism mechanism = *ExponentialMechanism::ForEpsilon(unit, 1.0);
  PrivacyLedger ledger = MakeLedger(1.0);
  Csprng noise(FixedKey(38));
  const std::int64_t low = std::numeric_limits<std::int64_t>::min();
  const std::int64_t high = std::numeric_limits<std::int64_t>::max();
  Result<Selection> pick = mechanism.SelectInteger(std::vector<std::int64_t>{low, high}, "extremes", ledger, noise);
  ASSERT_TRUE(pick.ok()) << pick.status().ToString();
  EXPECT_EQ(pick->index, 1U);
}

}  // namespace
}  // namespace synthscale
