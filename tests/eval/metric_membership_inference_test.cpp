#include <cmath>

#include <gtest/gtest.h>

#include "eval_privacy_test_util.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

Result<MetricResult> RunMetric(const EvalInputs& inputs, std::size_t threads = 2) {
  Context ctx(threads);
  return MakeMetric("membership_inference")->Compute(inputs, ctx);
}

const nlohmann::json& Attack(const MetricResult& result, const std::string& name) {
  for (const auto& attack : result.details["attacks"]) {
    if (attack["name"] == name) return attack;
  }
  ADD_FAILURE() << "no attack " << name;
  return result.details;
}

TEST(MembershipInference, HandComputedDistanceAttack) {
  // One numeric column, train {0, 8} (range 8): scaled train {0, 1}, holdout {.25, .75},
  // synthetic {0, .875}. Distance to the nearest synthetic row: members 0 and .125,
  // non-members .25 and .125. Scores -d, descending: 0 (M), -.125 (M and N tied), -.25 (N).
  // AUC = P(s_M > s_N) + P(tie)/2 over the 4 pairs: (0>-.25) (0>-.125) (-.125>-.25) and
  //   one tie → (3 + 0.5) / 4 = 0.875.
  // ROC vertices (0,0) (0,.5) (.5,1) (1,1): advantage = max(TPR - FPR) = 0.5.
  const std::vector<TinyColumn> columns = {{"x", true, 9}};
  EvalInputs inputs = MakeInputs(columns, {{0}, {8}}, {{2}, {6}}, {{0}, {7}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const nlohmann::json& distance = Attack(*result, "distance");
  EXPECT_DOUBLE_EQ(distance["auc"].get<double>(), 0.875);
  EXPECT_DOUBLE_EQ(distance["advantage"].get<double>(), 0.5);
  const nlohmann::json expected_roc = {{0.0, 0.0}, {0.0, 0.5}, {0.5, 1.0}, {1.0, 1.0}};
  EXPECT_EQ(distance["roc"], expected_roc);
  // TPR at FPR <= 1 % and <= 0.1 %: the vertex (0, .5), before any non-member.
  EXPECT_DOUBLE_EQ(distance["tpr_at_fpr_1pct"]["value"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(distance["tpr_at_fpr_0_1pct"]["value"].get<double>(), 0.5);
  ASSERT_EQ(result->summary.size(), 3U);
  EXPECT_EQ(result->summary[0].first, "mia_advantage");
  EXPECT_GE(result->summary[0].second.value, 0.5);  // the larger of the two attacks
  EXPECT_EQ(result->summary[1].first, "mia_tpr_at_fpr_1pct");
  EXPECT_EQ(result->summary[2].first, "mia_tpr_at_fpr_0_1pct");
  EXPECT_GE(result->summary[1].second.value, 0.5);
  // The density attack scores every member and every holdout row (exact on every row),
  // each holdout row against the half it is not in.
  const nlohmann::json& density = Attack(*result, "density_ratio");
  EXPECT_EQ(density["members"], 2);
  EXPECT_EQ(density["non_members"], 2);
  EXPECT_EQ(density["reference_rows"], nlohmann::json::array({1, 1}));
  EXPECT_TRUE(result->sampling.empty());
}

TEST(MembershipInference, TprAtLowFprCountsTieGroupsWhole) {
  // Categorical column: train {0, 1}, holdout {0, 2}, synthetic {0}. Distance to the
  // synthetic row: members 0 and 1, non-members 0 and 1. The top threshold (score 0)
  // takes one member and one non-member together (FPR 1/2), so at FPR <= 1 % no
  // threshold admits anything: TPR 0, not 1/2.
  const std::vector<TinyColumn> columns = {{"c", false, 3}};
  EvalInputs inputs = MakeInputs(columns, {{0}, {1}}, {{0}, {2}}, {{0}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const nlohmann::json& distance = Attack(*result, "distance");
  EXPECT_DOUBLE_EQ(distance["tpr_at_fpr_1pct"]["value"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(distance["auc"].get<double>(), 0.5);
}

TEST(MembershipInference, HandComputedDensityAttack) {
  // Categorical column, 3 holdout rows split into halves of 1 and 2 rows, each scored
  // against the other half; eps = 0.5 / 1 column. With k = 5 capped to the set sizes,
  // r_set is the distance to the farthest of at most 5 nearest rows. Synthetic = {0, 0},
  // holdout = {1, 1, 1}: r_syn(x = 0) = 0 and r_syn(x = 1) = 1; r_ref = [x != 1] in either half.
  //   members x = 0: log((1 + .5) / (0 + .5)) = log 3; non-members x = 1: log(.5 / 1.5).
  // Every member outranks every non-member: AUC 1, advantage 1, TPR 1 at any FPR.
  const std::vector<TinyColumn> columns = {{"c", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0}, {0}}, {{1}, {1}, {1}}, {{0}, {0}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const nlohmann::json& density = Attack(*result, "density_ratio");
  EXPECT_DOUBLE_EQ(density["auc"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(density["advantage"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(density["tpr_at_fpr_0_1pct"]["value"].get<double>(), 1.0);
  EXPECT_EQ(density["non_members"], 3);
}

TEST(MembershipInference, SmallestInputs) {
  // One training row, two holdout rows (one reference, one evaluation), one synthetic row.
  const std::vector<TinyColumn> columns = {{"c", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0}}, {{1}, {0}}, {{0}});
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Distance attack: member d = 0; non-members d = 1 and 0 → AUC (1 + 1/2) / 2 = 0.75,
  // advantage at the threshold 0: TPR 1 - FPR 1/2 = 0.5.
  const nlohmann::json& distance = Attack(*result, "distance");
  EXPECT_DOUBLE_EQ(distance["auc"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(distance["advantage"].get<double>(), 0.5);
  inputs.holdout = testing_privacy::MakeTable(columns, {{1}});
  EXPECT_EQ(MakeMetric("membership_inference")->Unavailable(inputs), "needs at least 2 holdout rows");
}

TEST(MembershipInference, NeedsHoldout) {
  const std::vector<TinyColumn> columns = {{"c", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0}}, {}, {{0}});
  auto metric = MakeMetric("membership_inference");
  EXPECT_EQ(metric->Unavailable(inputs), "needs --holdout");
  Context ctx(1);
  auto result = metric->Compute(inputs, ctx);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("needs --holdout"), std::string::npos);
}

TEST(MembershipInference, CopyOfTrainIsFullyExposed) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kCopyOfTrain);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  EXPECT_GT(result->summary[0].second.value, 0.9);
  EXPECT_GT(Attack(*result, "distance")["auc"].get<double>(), 0.95);
}

TEST(MembershipInference, FreshRowsGiveNoAdvantage) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kOtherRealRows);
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok());
  // The maximum of TPR - FPR over thresholds is biased upwards by noise: for ~10^4 rows
  // per class it is about the two-sample KS statistic, ~1.36 sqrt(2 / 10^4) = 0.019 at 95%.
  EXPECT_LT(result->summary[0].second.value, 0.04);
  for (const auto& attack : result->details["attacks"]) {
    EXPECT_LE(attack["auc_ci"][0].get<double>(), 0.5 + 0.005) << attack["name"];
    EXPECT_GE(attack["auc_ci"][1].get<double>(), 0.5 - 0.005) << attack["name"];
    EXPECT_LE(attack["roc"].size(), 101U);
  }
}

TEST(MembershipInference, SameResultForOneAndFourThreads) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kColumnShuffles);
  auto one = RunMetric(inputs, 1);
  auto four = RunMetric(inputs, 4);
  ASSERT_TRUE(one.ok() && four.ok());
  EXPECT_EQ(one->details.dump(), four->details.dump());
}

}  // namespace
}  // namespace synthscale::eval
