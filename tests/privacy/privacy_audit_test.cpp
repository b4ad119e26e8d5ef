// Empirical privacy audits: run a mechanism many times on two neighbouring data sets,
// estimate how distinguishable the two output distributions are, and check that the
// estimate stays within the claimed guarantee. Each audit also runs a deliberately broken
// mechanism (half the noise, via a sensitivity declared at half its true value) and
// requires the audit to catch it, so the test has teeth.
//
// Method. For output sets S (all thresholds {y >= k} and {y <= k}, or all candidates and
// their complements), Chernoff confidence bounds give P_D(S) >= lower and P_D'(S) <= upper
// simultaneously for every S and both directions (Bonferroni over all bounds), with
// probability >= 1 - 1e-6 under any mechanism. Then
//   pure epsilon:   epsilon_hat = max_S ln(lower_D(S) / upper_D'(S))  <= true loss,
//   (eps, delta):   delta_hat(eps) = max_S lower_D(S) - e^eps upper_D'(S) <= true delta(eps),
// so a mechanism that keeps its claim passes with probability >= 1 - 1e-6 (the stated
// false-failure probability), and one whose true loss exceeds the claim by more than the
// sampling error fails. Keys are fixed (seeds 40-46), so results are reproducible.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "statistics.h"
#include "synthscale/privacy/exponential_mechanism.h"
#include "synthscale/privacy/gaussian_mechanism.h"
#include "synthscale/privacy/laplace_mechanism.h"
#include "synthscale/privacy/zcdp.h"

namespace synthscale {
namespace {

using testing::BinomialLowerBound;
using testing::BinomialUpperBound;
using testing::FixedKey;

constexpr double kFalseFailure = 1e-6;

// Empirical distribution of integer outputs.
struct Outputs {
  std::map<std::int64_t, std::uint64_t> counts;
  std::uint64_t total = 0;

  void Add(std::int64_t value) {
    ++counts[value];
    ++total;
  }
};

// One output set S with its counts under both data sets.
struct EventCounts {
  std::string name;
  std::uint64_t under_d;
  std::uint64_t under_d_prime;
};

// The threshold sets {y >= k} and {y <= k} for every k seen.
std::vector<EventCounts> ThresholdEvents(const Outputs& d, const Outputs& d_prime) {
  std::map<std::int64_t, std::pair<std::uint64_t, std::uint64_t>> joint;
  for (const auto& [value, count] : d.counts) joint[value].first += count;
  for (const auto& [value, count] : d_prime.counts) joint[value].second += count;
  std::vector<EventCounts> events;
  std::uint64_t below_d = 0;
  std::uint64_t below_d_prime = 0;
  for (const auto& [value, pair] : joint) {
    // {y >= value} = everything minus what lies below.
    events.push_back({"y >= " + std::to_string(value), d.total - below_d, d_prime.total - below_d_prime});
    below_d += pair.first;
    below_d_prime += pair.second;
    events.push_back({"y <= " + std::to_string(value), below_d, below_d_prime});
  }
  return events;
}

// Per-bound significance: four bounds per event (lower and upper, both directions).
double PerBoundAlpha(std::size_t events) { return kFalseFailure / (4.0 * static_cast<double>(events)); }

struct EpsilonEstimate {
  double epsilon = 0.0;  // lower confidence bound on the privacy loss
  std::string event;
};

EpsilonEstimate PureEpsilonLowerBound(const std::vector<EventCounts>& events, std::uint64_t n_d,
                                      std::uint64_t n_d_prime) {
  const double alpha = PerBoundAlpha(events.size());
  EpsilonEstimate best;
  for (const EventCounts& event : events) {
    const double ratios[] = {
        std::log(BinomialLowerBound(event.under_d, n_d, alpha) / BinomialUpperBound(event.under_d_prime, n_d_prime, alpha)),
        std::log(BinomialLowerBound(event.under_d_prime, n_d_prime, alpha) / BinomialUpperBound(event.under_d, n_d, alpha))};
    for (const double ratio : ratios) {
      if (ratio > best.epsilon) best = {ratio, event.name};
    }
  }
  return best;
}

// max over events and both directions of lower(S) - e^eps upper(S'): a lower confidence
// bound on the delta the mechanism needs at this epsilon.
double DeltaLowerBound(const std::vector<EventCounts>& events, std::uint64_t n_d, std::uint64_t n_d_prime,
                       double epsilon) {
  const double alpha = PerBoundAlpha(events.size());
  double best = 0.0;
  for (const EventCounts& event : events) {
    best = std::max(best, BinomialLowerBound(event.under_d, n_d, alpha) -
                              std::exp(epsilon) * BinomialUpperBound(event.under_d_prime, n_d_prime, alpha));
    best = std::max(best, BinomialLowerBound(event.under_d_prime, n_d_prime, alpha) -
                              std::exp(epsilon) * BinomialUpperBound(event.under_d, n_d, alpha));
  }
  return best;
}

// Noisy versions of one count, 1 under D and 0 under D' (add/remove one row). Releasing a
// vector of `runs` copies in one call draws `runs` independent noises, i.e. `runs`
// independent runs of the one-count mechanism (the vector's own cost is irrelevant here).
template <typename Mechanism>
std::pair<Outputs, Outputs> RunCounts(const Mechanism& mechanism, std::size_t runs, std::uint8_t key_seed) {
  PrivacyLedger ledger = *PrivacyLedger::FromRho(1e9, Neighbouring::kAddRemoveOne);
  Csprng noise(FixedKey(key_seed));
  std::pair<Outputs, Outputs> out;
  const Result<NoisyCounts> with_row = mechanism.Release(std::vector<std::int64_t>(runs, 1), "D", ledger, noise);
  const Result<NoisyCounts> without_row = mechanism.Release(std::vector<std::int64_t>(runs, 0), "D'", ledger, noise);
  EXPECT_TRUE(with_row.ok() && without_row.ok());
  for (const std::int64_t value : with_row->values) out.first.Add(value);
  for (const std::int64_t value : without_row->values) out.second.Add(value);
  return out;
}

CountSensitivity OneCount() { return *CountSensitivity::Counts(Neighbouring::kAddRemoveOne, 1); }
// A bug: the count's sensitivity declared as 1/2 while one row moves it by 1.
CountSensitivity HalfDeclared() {
  return *CountSensitivity::FromAddRemoveBounds(Neighbouring::kAddRemoveOne, *Rational::Create(1, 2),
                                                *Rational::Create(1, 4));
}

// Laplace mechanism with epsilon = 1 on one count, 10^6 runs per data set.
TEST(PrivacyAuditStatistical, LaplaceStaysWithinEpsilonAndHalfNoiseIsCaught) {
  constexpr double kEpsilon = 1.0;
  constexpr std::size_t kRuns = 1000000;
  const LaplaceMechanism honest = *LaplaceMechanism::ForEpsilon(OneCount(), kEpsilon);
  const auto [d, d_prime] = RunCounts(honest, kRuns, 40);
  const EpsilonEstimate estimate = PureEpsilonLowerBound(ThresholdEvents(d, d_prime), kRuns, kRuns);
  EXPECT_LE(estimate.epsilon, kEpsilon) << "at " << estimate.event;
  EXPECT_GT(estimate.epsilon, 0.9 * kEpsilon) << "the audit should nearly reach the true loss of 1";

  const LaplaceMechanism broken = *LaplaceMechanism::ForEpsilon(HalfDeclared(), kEpsilon);
  EXPECT_EQ(broken.epsilon(), kEpsilon);  // it claims 1 but is 2-DP
  const auto [bd, bd_prime] = RunCounts(broken, kRuns, 41);
  const EpsilonEstimate caught = PureEpsilonLowerBound(ThresholdEvents(bd, bd_prime), kRuns, kRuns);
  EXPECT_GT(caught.epsilon, 1.5 * kEpsilon) << "at " << caught.event;
  RecordProperty("epsilon_lower_bound_honest", std::to_string(estimate.epsilon));
  RecordProperty("epsilon_lower_bound_broken", std::to_string(caught.epsilon));

  // Even 10% too little noise (sensitivity declared as 10/11) is caught: true loss 1.1.
  const CountSensitivity slightly_low = *CountSensitivity::FromAddRemoveBounds(
      Neighbouring::kAddRemoveOne, *Rational::Create(10, 11), *Rational::Create(100, 121));
  const auto [sd, sd_prime] = RunCounts(*LaplaceMechanism::ForEpsilon(slightly_low, kEpsilon), kRuns, 46);
  const EpsilonEstimate subtle = PureEpsilonLowerBound(ThresholdEvents(sd, sd_prime), kRuns, kRuns);
  EXPECT_GT(subtle.epsilon, kEpsilon) << "at " << subtle.event;
  RecordProperty("epsilon_lower_bound_ten_percent_low", std::to_string(subtle.epsilon));
}

// Gaussian mechanism with rho = 1/8 (sigma = 2) on one count, 10^6 runs per data set,
// against the (epsilon, delta(rho, epsilon)) curve of the CKS conversion.
TEST(PrivacyAuditStatistical, GaussianStaysWithinItsDeltaCurveAndHalfNoiseIsCaught) {
  constexpr double kRho = 0.125;
  constexpr std::size_t kRuns = 1000000;
  const double epsilons[] = {0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0};
  const GaussianMechanism honest = *GaussianMechanism::ForRho(OneCount(), kRho);
  EXPECT_EQ(honest.sigma_squared(), Rational::Integer(4));
  const auto [d, d_prime] = RunCounts(honest, kRuns, 42);
  const std::vector<EventCounts> events = ThresholdEvents(d, d_prime);
  for (const double epsilon : epsilons) {
    EXPECT_LE(DeltaLowerBound(events, kRuns, kRuns, epsilon), *DeltaFromRho(kRho, epsilon)) << "epsilon " << epsilon;
  }

  const GaussianMechanism broken = *GaussianMechanism::ForRho(HalfDeclared(), kRho);
  EXPECT_EQ(broken.sigma_squared(), Rational::Integer(1));  // claims rho = 1/8, truly 1/2
  const auto [bd, bd_prime] = RunCounts(broken, kRuns, 43);
  const std::vector<EventCounts> broken_events = ThresholdEvents(bd, bd_prime);
  int violations = 0;
  for (const double epsilon : epsilons) {
    violations += DeltaLowerBound(broken_events, kRuns, kRuns, epsilon) > *DeltaFromRho(kRho, epsilon) ? 1 : 0;
  }
  EXPECT_GE(violations, 3) << "half the noise must break the claimed delta curve";
  RecordProperty("violations_broken", std::to_string(violations));
  RecordProperty("delta_at_0.5_claimed", std::to_string(*DeltaFromRho(kRho, 0.5)));
  RecordProperty("delta_at_0.5_honest_lower_bound", std::to_string(DeltaLowerBound(events, kRuns, kRuns, 0.5)));
  RecordProperty("delta_at_0.5_broken_lower_bound", std::to_string(DeltaLowerBound(broken_events, kRuns, kRuns, 0.5)));
}

// Exponential mechanism, epsilon = 1, score sensitivity 1: candidate 0 scores 1 under D
// and 0 under D', the ten others score 0 under D and 1 under D' (every score moves by at
// most 1). The true loss of this pair is ~0.906; 2 x 10^5 runs per data set.
TEST(PrivacyAuditStatistical, ExponentialMechanismStaysWithinEpsilonAndHalfNoiseIsCaught) {
  constexpr double kEpsilon = 1.0;
  constexpr std::size_t kRuns = 200000;
  std::vector<std::int64_t> scores_d(11, 0);
  std::vector<std::int64_t> scores_d_prime(11, 1);
  scores_d[0] = 1;
  scores_d_prime[0] = 0;
  const auto audit = [&](const ExponentialMechanism& mechanism, std::uint8_t key_seed) {
    Csprng noise(FixedKey(key_seed));
    std::vector<std::uint64_t> picks_d(11, 0);
    std::vector<std::uint64_t> picks_d_prime(11, 0);
    for (std::size_t run = 0; run < kRuns; ++run) {
      PrivacyLedger ledger = *PrivacyLedger::FromRho(1.0, Neighbouring::kAddRemoveOne);
      ++picks_d[mechanism.SelectInteger(scores_d, "D", ledger, noise)->index];
      ++picks_d_prime[mechanism.SelectInteger(scores_d_prime, "D'", ledger, noise)->index];
    }
    std::vector<EventCounts> events;
    for (std::size_t idx = 0; idx < 11; ++idx) {
      events.push_back({"pick " + std::to_string(idx), picks_d[idx], picks_d_prime[idx]});
      events.push_back({"not " + std::to_string(idx), kRuns - picks_d[idx], kRuns - picks_d_prime[idx]});
    }
    return PureEpsilonLowerBound(events, kRuns, kRuns);
  };
  const ScoreSensitivity unit = *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, Rational::Integer(1));
  const EpsilonEstimate estimate = audit(*ExponentialMechanism::ForEpsilon(unit, kEpsilon), 44);
  EXPECT_LE(estimate.epsilon, kEpsilon) << "at " << estimate.event;
  EXPECT_GT(estimate.epsilon, 0.7) << "the audit should come near the true loss of 0.906";

  const ScoreSensitivity half =
      *ScoreSensitivity::FromAddRemoveBound(Neighbouring::kAddRemoveOne, *Rational::Create(1, 2));
  const EpsilonEstimate caught = audit(*ExponentialMechanism::ForEpsilon(half, kEpsilon), 45);
  EXPECT_GT(caught.epsilon, 1.3 * kEpsilon) << "at " << caught.event << " (true loss ~1.80)";
  RecordProperty("epsilon_lower_bound_honest", std::to_string(estimate.epsilon));
  RecordProperty("epsilon_lower_bound_broken", std::to_string(caught.epsilon));
}

}  // namespace
}  // namespace synthscale
