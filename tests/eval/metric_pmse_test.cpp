#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "eval_utility_test_util.h"
#include "synthscale/eval/metrics.h"

namespace synthscale::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using testing_eval::AdultInputs;
using testing_eval::ShuffleColumns;

double Summary(const MetricResult& result, const std::string& key) {
  for (const auto& [name, estimate] : result.summary) {
    if (name == key) return estimate.value;
  }
  ADD_FAILURE() << "no summary entry " << key;
  return kNaN;
}

TEST(PmseMetric, SeparableTablesReachTheMaximum) {
  // Real rows all category 0, synthetic rows all category 1 (plus a distinct number per
  // row, so no two rows are identical): a perfect classifier gives p = 0 for real and 1
  // for synthetic, so pMSE = (n_r c^2 + n_s (1 - c)^2) / N = c (1 - c) with c = 30 / 80.
  // xgboost's propensities stop short of 0 and 1 on 80 rows, hence the lower bound.
  EvalInputs inputs;
  inputs.columns = {{"colour", ColumnType::kCategorical, 0, 2, false},
                    {"x", ColumnType::kContinuous, 1, 8, true}};
  inputs.real.num_rows = 50;
  inputs.real.codes = {std::vector<std::uint32_t>(50, 0), std::vector<std::uint32_t>(50, 0)};
  inputs.real.numeric = {{}, std::vector<double>(50)};
  for (std::size_t row = 0; row < 50; ++row) inputs.real.numeric[1][row] = static_cast<double>(row);
  inputs.synthetic.num_rows = 30;
  inputs.synthetic.codes = {std::vector<std::uint32_t>(30, 1), std::vector<std::uint32_t>(30, 0)};
  inputs.synthetic.numeric = {{}, std::vector<double>(30)};
  for (std::size_t row = 0; row < 30; ++row) inputs.synthetic.numeric[1][row] = 0.5 + static_cast<double>(row);
  inputs.options.bootstrap_replicates = 0;
  auto result = MakePmseMetric()->Compute(inputs, Context(1));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const double c = 30.0 / 80.0;
  EXPECT_DOUBLE_EQ(result->details["c"].get<double>(), c);
  EXPECT_GT(Summary(*result, "pmse"), 0.8 * c * (1 - c));
  EXPECT_LE(Summary(*result, "pmse"), c * (1 - c));
  EXPECT_DOUBLE_EQ(Summary(*result, "detection_auc"), 1.0);
  EXPECT_GT(result->details["pmse_normalised"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(result->details["models"]["logistic_regression"]["auc_cross_fitted"].get<double>(), 1.0);
}

TEST(PmseMetric, IdenticalTablesScoreNearZero) {
  // Identical single-column tables: two groups of identical rows, each predicted by a
  // model trained on the other group, with balanced labels: every propensity is c = 1/2.
  EvalInputs inputs;
  inputs.columns = {{"colour", ColumnType::kCategorical, 0, 2, false}};
  inputs.real.num_rows = 40;
  inputs.real.codes = {std::vector<std::uint32_t>(40, 0)};
  inputs.real.numeric = {{}};
  for (std::size_t row = 0; row < 40; ++row) inputs.real.codes[0][row] = row % 2;
  inputs.synthetic = inputs.real;
  inputs.options.bootstrap_replicates = 0;
  auto result = MakePmseMetric()->Compute(inputs, Context(1));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_LT(Summary(*result, "pmse"), 0.01);
  EXPECT_NEAR(Summary(*result, "pmse"), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(Summary(*result, "detection_auc"), 0.5);
  EXPECT_LT(result->details["models"]["logistic_regression"]["pmse_in_sample"].get<double>(), 1e-12);
}

TEST(PmseMetric, AdultCopyIsUndetectableAndShufflesAreDetected) {
  EvalOptions options;
  options.bootstrap_replicates = 50;
  EvalInputs inputs = AdultInputs(options, 8000, 100);
  auto metric = MakeMetric("pmse");
  ASSERT_NE(metric, nullptr);
  EXPECT_EQ(metric->section(), Section::kDetection);
  Context ctx(2);
  auto copy = metric->Compute(inputs, ctx);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_LT(Summary(*copy, "pmse"), 0.02);
  EXPECT_NEAR(Summary(*copy, "detection_auc"), 0.5, 0.1);

  inputs.synthetic = ShuffleColumns(inputs.real, 11);
  auto shuffled = metric->Compute(inputs, ctx);
  ASSERT_TRUE(shuffled.ok()) << shuffled.status().ToString();
  EXPECT_GT(Summary(*shuffled, "detection_auc"), 0.7);
  EXPECT_GT(shuffled->summary[1].second.ci_low, 0.65);
  EXPECT_GT(Summary(*shuffled, "pmse"), Summary(*copy, "pmse"));
  // Main-effects logistic regression sees only marginals, which shuffling keeps.
  EXPECT_LT(shuffled->details["models"]["logistic_regression"]["auc_cross_fitted"].get<double>(), 0.6);
}

TEST(PmseMetric, SameDetailsForOneTwoAndEightThreads) {
  EvalOptions options;
  options.bootstrap_replicates = 20;
  EvalInputs inputs = AdultInputs(options, 1500, 100);
  inputs.synthetic = ShuffleColumns(inputs.real, 4);
  std::vector<std::string> dumps;
  for (std::size_t threads : {1u, 2u, 8u}) {
    auto result = MakePmseMetric()->Compute(inputs, Context(threads));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    dumps.push_back(result->details.dump());
  }
  EXPECT_EQ(dumps[0], dumps[1]);
  EXPECT_EQ(dumps[0], dumps[2]);
}

TEST(PmseMetric, TooFewRowsIsAClearError) {
  EvalInputs inputs;
  inputs.columns = {{"colour", ColumnType::kCategorical, 0, 2, false}};
  inputs.real.num_rows = 3;
  inputs.real.codes = {{0, 1, 0}};
  inputs.real.numeric = {{}};
  inputs.synthetic = inputs.real;
  auto status = MakePmseMetric()->Compute(inputs, Context(1)).status();
  EXPECT_NE(status.message().find("at least 10"), std::string::npos) << status.ToString();
}

}  // namespace
}  // namespace synthscale::eval
