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
  return MakeMetric("attribute_inference")->Compute(inputs, ctx);
}

TEST(AttributeInference, HandComputedCapAndKnn) {
  // Quasi-identifiers q1, q2; sensitive s. Synthetic: (0,0,1) (0,0,1) (0,0,2) (1,1,0).
  // CAP — train targets: (0,0,1) matches 3 synthetic rows, 2 with s=1 → 2/3;
  //   (1,1,1) matches 1 row with s=0 → 0; (2,2,0) matches none. Mean over matched rows
  //   (2/3 + 0) / 2 = 1/3, match rate 2/3. Holdout: (0,0,2) → 1/3; (1,1,0) → 1; mean 2/3.
  //   Risk = 1/3 - 2/3 = -1/3.
  // kNN, k = min(5, 4) = 4 synthetic rows vote:
  //   (0,0,·): ranks rows 0,1,2 (d 0), 3 (d 1) → votes 1,1,2,0 → predicts 1.
  //   (1,1,·): row 3 (d 0), then 0,1,2 (d 1) → votes 0,1,1,2 → predicts 1.
  //   (2,2,·): all at d 1, rows 0..3 → votes 1,1,2,0 → predicts 1.
  //   Train (s = 1, 1, 0): correct, correct, wrong → 2/3. Holdout (s = 2, 0): 0.
  //   Risk = 2/3. Headline = max(-1/3, 2/3) = 2/3 (knn).
  const std::vector<TinyColumn> columns = {{"q1", false, 3}, {"q2", false, 3}, {"s", false, 3}};
  EvalInputs inputs = MakeInputs(columns, {{0, 0, 1}, {1, 1, 1}, {2, 2, 0}}, {{0, 0, 2}, {1, 1, 0}},
                                 {{0, 0, 1}, {0, 0, 1}, {0, 0, 2}, {1, 1, 0}});
  inputs.sensitive = {2};
  inputs.quasi_identifiers = {0, 1};
  auto result = RunMetric(inputs);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const nlohmann::json& s = result->details["columns"]["s"];
  EXPECT_NEAR(s["cap"]["attack"]["value"].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(s["cap"]["control"]["value"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(s["cap"]["risk"]["value"].get<double>(), -1.0 / 3, 1e-12);
  EXPECT_NEAR(s["cap"]["match_rate_train"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(s["cap"]["match_rate_holdout"].get<double>(), 1.0);
  EXPECT_EQ(s["knn"]["k"], 4);
  EXPECT_NEAR(s["knn"]["attack"]["value"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(s["knn"]["control"]["value"].get<double>(), 0.0);
  EXPECT_EQ(s["strongest_attack"], "knn");
  ASSERT_EQ(result->summary.size(), 1U);
  EXPECT_EQ(result->summary[0].first, "attribute_inference_advantage.s");
  EXPECT_NEAR(result->summary[0].second.value, 2.0 / 3, 1e-12);
}

TEST(AttributeInference, UnavailableWithoutSensitiveOrHoldout) {
  const std::vector<TinyColumn> columns = {{"a", false, 2}, {"b", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0, 0}}, {{0, 1}}, {{0, 0}});
  auto metric = MakeMetric("attribute_inference");
  EXPECT_EQ(metric->Unavailable(inputs), "needs --sensitive COL");
  Context ctx(1);
  auto result = metric->Compute(inputs, ctx);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("needs --sensitive"), std::string::npos);
  inputs.sensitive = {1};
  inputs.has_holdout = false;
  EXPECT_EQ(metric->Unavailable(inputs), "needs --holdout");
}

TEST(AttributeInference, RejectsASensitiveColumnWithNoQuasiIdentifiers) {
  const std::vector<TinyColumn> columns = {{"a", false, 2}, {"b", false, 2}};
  EvalInputs inputs = MakeInputs(columns, {{0, 0}}, {{0, 1}}, {{0, 0}});
  inputs.sensitive = {1};
  inputs.quasi_identifiers = {1};
  auto result = RunMetric(inputs);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("no quasi-identifiers left for sensitive column 'b'"),
            std::string::npos);
}

EvalInputs AdultWithSensitive(testing_privacy::SyntheticKind kind) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), kind);
  const std::size_t sensitive = *inputs.FindColumn("marital-status");
  inputs.sensitive = {sensitive};
  inputs.quasi_identifiers.clear();
  for (const char* name : {"age", "sex", "race", "education", "native-country"}) {
    inputs.quasi_identifiers.push_back(*inputs.FindColumn(name));
  }
  return inputs;
}

TEST(AttributeInference, CopyOfTrainLeaksTheSensitiveColumn) {
  auto result = RunMetric(AdultWithSensitive(testing_privacy::SyntheticKind::kCopyOfTrain));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Estimate advantage = result->summary[0].second;
  EXPECT_EQ(result->summary[0].first, "attribute_inference_advantage.marital-status");
  EXPECT_GT(advantage.value, 0.05);
  EXPECT_GT(advantage.ci_low, 0.0);
  // Every training row finds itself among the synthetic rows.
  EXPECT_DOUBLE_EQ(result->details["columns"]["marital-status"]["cap"]["match_rate_train"].get<double>(), 1.0);
}

TEST(AttributeInference, FreshRowsGiveNoAdvantage) {
  auto result = RunMetric(AdultWithSensitive(testing_privacy::SyntheticKind::kOtherRealRows));
  ASSERT_TRUE(result.ok());
  const nlohmann::json& column = result->details["columns"]["marital-status"];
  for (const char* attack : {"cap", "knn"}) {
    const nlohmann::json& risk = column[attack]["risk"];
    EXPECT_LT(std::abs(risk["value"].get<double>()), 0.03) << attack;
    EXPECT_LE(risk["ci"][0].get<double>(), 0.0) << attack;
    EXPECT_GE(risk["ci"][1].get<double>(), 0.0) << attack;
  }
}

TEST(AttributeInference, SameResultForOneAndFourThreads) {
  EvalInputs inputs = AdultWithSensitive(testing_privacy::SyntheticKind::kColumnShuffles);
  auto one = RunMetric(inputs, 1);
  auto four = RunMetric(inputs, 4);
  ASSERT_TRUE(one.ok() && four.ok());
  EXPECT_EQ(one->details.dump(), four->details.dump());
}

}  // namespace
}  // namespace synthscale::eval
