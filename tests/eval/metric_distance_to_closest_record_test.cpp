#include <cmath>
#include <limits>
#include <numeric>

#include <gtest/gtest.h>

#include "eval_privacy_test_util.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

Result<MetricResult> RunMetric(const EvalInputs& inputs, std::size_t threads = 2) {
  Context ctx(threads);
  return MakeMetric("distance_to_closest_record")->Compute(inputs, ctx);
}

double Sum(const nlohmann::json& counts) {
  double sum = 0;
  for (const auto& c : counts) sum += c.get<double>();
  return sum;
}

TEST(DistanceToClosestRecord, HandComputedShareAndNndr) {
  // One numeric column; train {0, 8} gives range 8, so scaled values are exact binary
  // fractions: train {0, 1}, holdout {2, 6} → {.25, .75}, synthetic {0, 1, 3, 7, 4} →
  // {0, .125, .375, .875, .5}.
  //   s=0     d_train 0      d_holdout .25   closer 1     NNDR 0/1 = 0
  //   s=.125  d_train .125   d_holdout .125  tie 1/2      NNDR .125/.875 = 1/7
  //   s=.375  d_train .375   d_holdout .125  0            NNDR .375/.625 = .6
  //   s=.875  d_train .125   d_holdout .125  tie 1/2      NNDR 1/7
  //   s=.5    d_train .5     d_holdout .25   0            NNDR .5/.5 = 1
  // share = (1 + .5 + 0 + .5 + 0) / 5 = 0.4; expected = 2 / (2 + 2) = 0.5.
  // Holdout NNDR: .25/.75 = 1/3 for both rows.
  const std::vector<TinyColumn> columns = {{"x", true, 9}};
  EvalInputs inputs = MakeInputs(columns, {{0}, {8}}, {{2}, {6}}, {{0}, {1}, {3}, {7}, {4}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->summary.size(), 1U);
  EXPECT_EQ(result->summary[0].first, "dcr_share_closer_to_train");
  EXPECT_DOUBLE_EQ(result->summary[0].second.value, 0.4);
  const nlohmann::json& d = result->details;
  EXPECT_DOUBLE_EQ(d["expected_share_if_not_memorised"].get<double>(), 0.5);
  EXPECT_NEAR(d["nndr"]["synthetic"]["mean"].get<double>(), (0.0 + 1.0 / 7 + 0.6 + 1.0 / 7 + 1.0) / 5, 1e-6);
  EXPECT_NEAR(d["nndr"]["holdout"]["mean"].get<double>(), 1.0 / 3, 1e-6);
  EXPECT_NEAR(d["dcr"]["synthetic_to_train"]["mean"].get<double>(), (0 + .125 + .375 + .125 + .5) / 5, 1e-6);
  EXPECT_DOUBLE_EQ(d["dcr"]["synthetic_to_train"]["share_zero"].get<double>(), 0.2);
  // Histograms: DCR edges [0, 0.5] (largest DCR 0.5), every row counted once.
  const nlohmann::json& dcr = d["histograms"]["dcr"];
  EXPECT_DOUBLE_EQ(dcr["edges"].back().get<double>(), 0.5);
  EXPECT_EQ(dcr["edges"].size(), dcr["synthetic_to_train"].size() + 1);
  EXPECT_DOUBLE_EQ(Sum(dcr["synthetic_to_train"]), 5.0);
  EXPECT_DOUBLE_EQ(Sum(dcr["holdout_to_train"]), 2.0);
  EXPECT_DOUBLE_EQ(Sum(d["histograms"]["nndr"]["synthetic_to_train"]), 5.0);
  EXPECT_EQ(d["histograms"]["nndr"]["synthetic_to_train"][0], 1);  // NNDR 0
  EXPECT_EQ(d["histograms"]["nndr"]["synthetic_to_train"].back(), 1);  // NNDR 1
}

TEST(DistanceToClosestRecord, OneRowTablesAndAnAllMissingColumn) {
  // x is missing everywhere (term 0 between missing values); c decides. Train (·,0),
  // holdout (·,1), synthetic (·,0): d_train 0 < d_holdout (0 + 1)/2 = .5 → share 1.
  // One training row: no second neighbour, so NNDR is undefined (null), not 0.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<TinyColumn> columns = {{"x", true, 3}, {"c", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{nan, 0}}, {{nan, 1}}, {{nan, 0}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_DOUBLE_EQ(result->summary[0].second.value, 1.0);
  EXPECT_DOUBLE_EQ(result->details["dcr"]["holdout_to_train"]["mean"].get<double>(), 0.5);
  EXPECT_TRUE(result->details["nndr"]["synthetic"].is_null());
  EXPECT_DOUBLE_EQ(Sum(result->details["histograms"]["nndr"]["synthetic_to_train"]), 0.0);
}

TEST(DistanceToClosestRecord, NeedsHoldout) {
  const std::vector<TinyColumn> columns = {{"x", true, 9}};
  EvalInputs inputs = MakeInputs(columns, {{0}, {8}}, {}, {{0}});
  auto metric = MakeMetric("distance_to_closest_record");
  EXPECT_EQ(metric->Unavailable(inputs), "needs --holdout");
  Context ctx(1);
  auto result = metric->Compute(inputs, ctx);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("needs --holdout"), std::string::npos);
}

TEST(DistanceToClosestRecord, CopyOfTrainIsAlwaysCloserToTrain) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kCopyOfTrain);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  EXPECT_GT(result->summary[0].second.value, 0.99);
  EXPECT_DOUBLE_EQ(result->details["dcr"]["synthetic_to_train"]["share_zero"].get<double>(), 1.0);
}

TEST(DistanceToClosestRecord, FreshRowsMatchTheExpectation) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kOtherRealRows);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  const Estimate share = result->summary[0].second;
  const double expected = result->details["expected_share_if_not_memorised"].get<double>();
  EXPECT_DOUBLE_EQ(expected, 0.5);  // equal thirds
  // Exchangeable rows: the interval covers the expectation (95% interval; fixed seed).
  EXPECT_LE(share.ci_low, expected);
  EXPECT_GE(share.ci_high, expected);
  EXPECT_LT(std::abs(share.value - expected), 0.02);
}

TEST(DistanceToClosestRecord, SameResultForOneAndFourThreads) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kColumnShuffles);
  auto one = RunMetric(inputs, 1);
  auto four = RunMetric(inputs, 4);
  ASSERT_TRUE(one.ok() && four.ok());
  EXPECT_EQ(one->details.dump(), four->details.dump());
}

}  // namespace
}  // namespace synthscale::eval
