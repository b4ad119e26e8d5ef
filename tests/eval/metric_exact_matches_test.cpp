#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "eval_privacy_test_util.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

Result<MetricResult> RunMetric(const EvalInputs& inputs, std::size_t threads = 2) {
  Context ctx(threads);
  return MakeMetric("exact_matches")->Compute(inputs, ctx);
}

TEST(ExactMatches, HandComputedRates) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<TinyColumn> columns = {{"x", true, 10}, {"c", false, 2}};
  // Train: (1,0) (2,1) (nan,1) (1,0) (0,0).
  // Synthetic: (1,0) match; (2,0) no (code differs); (nan,1) match (missing = missing);
  //   (2.0000001,1) no (values compared exactly); (-0.0,0) match (-0 = +0) → 3/5 = 0.6.
  // Holdout: (2,1) match; (3,1) no → 1/2.
  EvalInputs inputs = MakeInputs(columns, {{1, 0}, {2, 1}, {nan, 1}, {1, 0}, {0, 0}}, {{2, 1}, {3, 1}},
                                 {{1, 0}, {2, 0}, {nan, 1}, {2.0000001, 1}, {-0.0, 0}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->summary.size(), 1U);
  EXPECT_EQ(result->summary[0].first, "exact_match_rate");
  EXPECT_DOUBLE_EQ(result->summary[0].second.value, 0.6);
  EXPECT_LE(result->summary[0].second.ci_low, 0.6);
  EXPECT_GE(result->summary[0].second.ci_high, 0.6);
  EXPECT_EQ(result->details["synthetic_matches"], 3);
  EXPECT_DOUBLE_EQ(result->details["holdout_match_rate"]["value"].get<double>(), 0.5);
  EXPECT_EQ(result->details["holdout_matches"], 1);
}

TEST(ExactMatches, WithoutHoldoutReportsNoControl) {
  const std::vector<TinyColumn> columns = {{"c", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0}}, {}, {{0}, {1}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->summary[0].second.value, 0.5);
  EXPECT_TRUE(result->details["holdout_match_rate"].is_null());
}

TEST(ExactMatches, CopyOfTrainingRowsMatchesEverything) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kCopyOfTrain);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->summary[0].second.value, 1.0);
  // Adult's fnlwgt makes repeated rows rare: the holdout's base rate is near 0.
  EXPECT_LT(result->details["holdout_match_rate"]["value"].get<double>(), 0.01);
}

TEST(ExactMatches, FreshRealRowsMatchAtTheHoldoutRate) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kOtherRealRows);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  const Estimate rate = result->summary[0].second;
  const double control = result->details["holdout_match_rate"]["value"].get<double>();
  EXPECT_LT(rate.value, 0.01);
  EXPECT_LT(std::abs(rate.value - control), 0.005);
}

TEST(ExactMatches, SameResultForOneAndFourThreads) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kOtherRealRows);
  auto one = RunMetric(inputs, 1);
  auto four = RunMetric(inputs, 4);
  ASSERT_TRUE(one.ok() && four.ok());
  EXPECT_EQ(one->details.dump(), four->details.dump());
}

}  // namespace
}  // namespace synthscale::eval
