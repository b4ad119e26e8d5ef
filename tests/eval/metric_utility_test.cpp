#include <gtest/gtest.h>

#include <cmath>

#include "eval_utility_test_util.h"
#include "synthscale/eval/code_label.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/prediction_scores.h"

namespace synthscale::eval {
namespace {

using testing_eval::AdultInputs;
using testing_eval::ShuffleColumns;

// ---- scores, against values counted by hand ----

TEST(PredictionScores, AucCountsTiesAsHalf) {
  // Positives score {0.9, 0.5}, negatives {0.5, 0.1}: of the 4 (pos, neg) pairs, 3 are
  // ordered correctly and 1 is tied: AUC = (3 + 0.5) / 4.
  const std::vector<int> labels = {1, 1, 0, 0};
  const std::vector<double> scores = {0.9, 0.5, 0.5, 0.1};
  EXPECT_DOUBLE_EQ(BinaryAuc(labels, scores, AllRows(4)), 3.5 / 4.0);
  // Resampled rows count with multiplicity: rows {0, 0, 2}: 2 positives x 1 negative, both correct.
  const std::vector<std::uint32_t> rows = {0, 0, 2};
  EXPECT_DOUBLE_EQ(BinaryAuc(labels, scores, rows), 1.0);
  const std::vector<std::uint32_t> one_class = {0, 1};
  EXPECT_TRUE(std::isnan(BinaryAuc(labels, scores, one_class)));
}

TEST(PredictionScores, MacroF1AndAccuracy) {
  // truth 0 0 1 1 2, predicted 0 1 1 1 0: class 0 TP1 FP1 FN1 -> 2/4; class 1 TP2 FP1 FN0
  // -> 4/5; class 2 TP0 FN1 -> 0. Macro = (0.5 + 0.8 + 0) / 3.
  const std::vector<int> truth = {0, 0, 1, 1, 2};
  const std::vector<int> predicted = {0, 1, 1, 1, 0};
  EXPECT_DOUBLE_EQ(MacroF1(truth, predicted, 3, AllRows(5)), (0.5 + 0.8) / 3.0);
  EXPECT_DOUBLE_EQ(Accuracy(truth, predicted, AllRows(5)), 3.0 / 5.0);
}

TEST(PredictionScores, MulticlassAucIsMacroOneVsRest) {
  // Rows' probabilities for classes 0..2; truth 0, 1, 2, 0.
  const std::vector<int> truth = {0, 1, 2, 0};
  const std::vector<double> probs = {0.6, 0.3, 0.1,  //
                                     0.2, 0.5, 0.3,  //
                                     0.3, 0.3, 0.4,  //
                                     0.1, 0.6, 0.3};
  // class 0: pos {0.6, 0.1} vs neg {0.2, 0.3}: pairs correct 2 of 4 -> 0.5
  // class 1: pos {0.5} vs neg {0.3, 0.3, 0.6}: 2 of 3 -> 2/3
  // class 2: pos {0.4} vs neg {0.1, 0.3, 0.3}: 3 of 3 -> 1
  EXPECT_DOUBLE_EQ(RocAuc(truth, probs, 3, AllRows(4)), (0.5 + 2.0 / 3.0 + 1.0) / 3.0);
}

TEST(PredictionScores, RSquaredAndRmse) {
  const std::vector<double> truth = {1, 2, 3, 4};
  const std::vector<double> predicted = {1, 2, 4, 3};
  // SSres = 2, SStot = 5.
  EXPECT_DOUBLE_EQ(RSquared(truth, predicted, AllRows(4)), 1.0 - 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(Rmse(truth, predicted, AllRows(4)), std::sqrt(0.5));
}

// ---- CodeLabel ----

TEST(CodeLabel, NamesCategoriesBinsAndSpecialCodes) {
  const EvalInputs inputs = AdultInputs(EvalOptions{}, 100, 100);
  const std::size_t workclass = *inputs.FindColumn("workclass");
  const std::size_t age = *inputs.FindColumn("age");
  const std::size_t fnlwgt = *inputs.FindColumn("fnlwgt");
  EXPECT_EQ(CodeLabel(inputs, workclass, 0), "Federal-gov");
  EXPECT_EQ(CodeLabel(inputs, workclass, 8), "(missing)");
  EXPECT_EQ(CodeLabel(inputs, workclass, 9), "(out of domain)");
  EXPECT_EQ(CodeLabel(inputs, workclass, 10), "(invalid code 10)");
  // age: 17..90 in 74 bins, one integer each.
  EXPECT_EQ(CodeLabel(inputs, age, 0), "17");
  // fnlwgt: 0..1500000 in 32 bins: bin 0 holds offsets ceil(0)..ceil(1500001/32)-1 = 46875.
  EXPECT_EQ(CodeLabel(inputs, fnlwgt, 0), "[0, 46875]");
}

TEST(CodeLabel, ContinuousAndBooleanBins) {
  ColumnSchema score;
  score.name = "score";
  score.type = ColumnType::kContinuous;
  score.min = 0.0;
  score.max = 1.0;
  score.bins = 4;
  ColumnSchema flag;
  flag.name = "flag";
  flag.type = ColumnType::kBoolean;
  EvalInputs inputs;
  inputs.schema = Schema({score, flag});
  inputs.columns = {{"score", ColumnType::kContinuous, 0, 4, true},
                    {"flag", ColumnType::kBoolean, 1, 2, true}};
  EXPECT_EQ(CodeLabel(inputs, 0, 0), "[0, 0.25)");
  EXPECT_EQ(CodeLabel(inputs, 0, 3), "[0.75, 1]");  // the last bin is closed
  EXPECT_EQ(CodeLabel(inputs, 0, 4), "(missing)");
  EXPECT_EQ(CodeLabel(inputs, 1, 0), "false");
  EXPECT_EQ(CodeLabel(inputs, 1, 1), "true");
  EXPECT_EQ(CodeLabel(inputs, 1, 3), "(out of domain)");
  EXPECT_EQ(CodeLabel(inputs, 7, 0), "(invalid code 0)");
}

// ---- the metric ----

TEST(UtilityMetric, NeedsTargetAndHoldout) {
  auto metric = MakeMetric("utility");
  ASSERT_NE(metric, nullptr);
  EXPECT_EQ(metric->section(), Section::kUtility);
  EvalInputs inputs = AdultInputs(EvalOptions{}, 100, 100);
  EXPECT_EQ(metric->Unavailable(inputs), "needs --target");
  inputs.has_holdout = false;
  EXPECT_EQ(metric->Unavailable(inputs), "needs --target and --holdout");
  auto status = metric->Compute(inputs, Context(1)).status();
  EXPECT_NE(status.message().find("needs --target"), std::string::npos) << status.ToString();
}

TEST(UtilityMetric, CopyOfRealMatchesRealAndShufflesDoNot) {
  EvalOptions options;
  options.target = "income";
  options.bootstrap_replicates = 50;
  EvalInputs inputs = AdultInputs(options);
  Context ctx(2);
  auto metric = MakeUtilityMetric();
  auto copy = metric->Compute(inputs, ctx);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_EQ(copy->summary.size(), 1u);
  EXPECT_EQ(copy->summary[0].first, "tstr_over_trtr");
  // Same training rows, same seed: the same model, so exactly 1.
  EXPECT_DOUBLE_EQ(copy->summary[0].second.value, 1.0);
  EXPECT_EQ(copy->details["task"], "binary");
  EXPECT_EQ(copy->details["primary_score"], "roc_auc");
  const double trtr_auc = copy->details["models"]["xgboost"]["trtr"]["roc_auc"];
  EXPECT_GT(trtr_auc, 0.88);  // Adult income is well predicted (AUC ~0.92)
  EXPECT_GT(copy->details["models"]["logistic_regression"]["trtr"]["roc_auc"].get<double>(), 0.85);
  EXPECT_TRUE(copy->details["models"]["logistic_regression"]["converged"]["trtr"].get<bool>());

  inputs.synthetic = ShuffleColumns(inputs.real, 99);
  auto shuffled = metric->Compute(inputs, ctx);
  ASSERT_TRUE(shuffled.ok()) << shuffled.status().ToString();
  const Estimate& ratio = shuffled->summary[0].second;
  // Features carry no information about the target: AUC ~0.5, ratio ~0.55.
  EXPECT_LT(ratio.value, 0.7);
  EXPECT_LT(ratio.ci_high, 0.75);
  EXPECT_LE(ratio.ci_low, ratio.value);
  EXPECT_GE(ratio.ci_high, ratio.value);
}

TEST(UtilityMetric, MixingCurveAndGroups) {
  EvalOptions options;
  options.target = "income";
  options.bootstrap_replicates = 0;
  options.mix_ratios = {0.0, 0.5, 3.0};
  options.sensitive = {"sex", "race"};
  EvalInputs inputs = AdultInputs(options, 3000, 2000);
  inputs.synthetic = ShuffleColumns(inputs.real, 5);
  auto result = MakeUtilityMetric()->Compute(inputs, Context(2));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const auto& mix = result->details["mix"];
  ASSERT_EQ(mix.size(), 3u);
  EXPECT_EQ(mix[0]["synthetic_rows"], 0);
  EXPECT_EQ(mix[0]["score"], result->details["models"]["xgboost"]["trtr"]["roc_auc"]);
  EXPECT_EQ(mix[1]["synthetic_rows"], 1500);
  EXPECT_FALSE(mix[1]["with_replacement"].get<bool>());
  EXPECT_EQ(mix[2]["synthetic_rows"], 9000);
  EXPECT_TRUE(mix[2]["with_replacement"].get<bool>());
  ASSERT_EQ(result->sampling.size(), 1u);
  EXPECT_NE(result->sampling[0].find("mixing ratio 3 needs 9000 synthetic rows but only 3000"),
            std::string::npos) << result->sampling[0];
  // Diluting real rows with useless ones cannot help much.
  EXPECT_LT(mix[2]["score"].get<double>(), mix[0]["score"].get<double>());
  EXPECT_TRUE(std::isnan(result->summary[0].second.ci_low));  // no replicates asked

  const auto& sex = result->details["by_group"]["sex"];
  ASSERT_EQ(sex.size(), 2u);
  std::size_t rows = 0;
  for (const auto& group : sex) {
    rows += group["rows"].get<std::size_t>();
    EXPECT_TRUE(group["group"] == "Male" || group["group"] == "Female") << group.dump();
    EXPECT_NEAR(group["gap"].get<double>(), group["trtr"].get<double>() - group["tstr"].get<double>(), 1e-12);
  }
  EXPECT_EQ(rows, 2000u);
  EXPECT_GE(sex[0]["gap"].get<double>(), sex[1]["gap"].get<double>());  // worst first
  const auto& race = result->details["by_group"]["race"];
  for (std::size_t i = 1; i < race.size(); ++i) {
    if (race[i]["gap"].is_null()) continue;
    EXPECT_GE(race[i - 1]["gap"].get<double>(), race[i]["gap"].get<double>());
  }
}

TEST(UtilityMetric, MulticlassAndRegressionTargets) {
  EvalOptions options;
  options.bootstrap_replicates = 0;
  options.target = "race";
  EvalInputs inputs = AdultInputs(options, 2000, 1000);
  auto multi = MakeUtilityMetric()->Compute(inputs, Context(2));
  ASSERT_TRUE(multi.ok()) << multi.status().ToString();
  EXPECT_EQ(multi->details["task"], "multiclass");
  EXPECT_EQ(multi->details["primary_score"], "macro_f1");
  EXPECT_EQ(multi->details["classes"].size(), 5u);
  EXPECT_DOUBLE_EQ(multi->summary[0].second.value, 1.0);

  options.target = "hours-per-week";
  inputs = AdultInputs(options, 2000, 1000);
  auto regression = MakeUtilityMetric()->Compute(inputs, Context(2));
  ASSERT_TRUE(regression.ok()) << regression.status().ToString();
  EXPECT_EQ(regression->details["task"], "regression");
  EXPECT_EQ(regression->details["primary_score"], "r2");
  EXPECT_GT(regression->details["models"]["xgboost"]["trtr"]["r2"].get<double>(), 0.05);
  EXPECT_GT(regression->details["models"]["ridge_regression"]["trtr"]["rmse"].get<double>(), 0.0);
}

TEST(UtilityMetric, SingleClassTargetIsAClearError) {
  EvalOptions options;
  options.target = "income";
  EvalInputs inputs = AdultInputs(options, 200, 100);
  const std::size_t target = *inputs.target;
  for (auto* table : {&inputs.real, &inputs.holdout, &inputs.synthetic}) {
    std::fill(table->codes[target].begin(), table->codes[target].end(), 0u);
  }
  auto status = MakeUtilityMetric()->Compute(inputs, Context(1)).status();
  EXPECT_NE(status.message().find("single value"), std::string::npos) << status.ToString();
  for (auto* table : {&inputs.holdout}) {
    std::fill(table->codes[target].begin(), table->codes[target].end(), 2u);  // missing
  }
  status = MakeUtilityMetric()->Compute(inputs, Context(1)).status();
  EXPECT_NE(status.message().find("holdout table has no row with a value"), std::string::npos)
      << status.ToString();
}

TEST(UtilityMetric, SameDetailsForOneTwoAndEightThreads) {
  EvalOptions options;
  options.target = "income";
  options.bootstrap_replicates = 20;
  options.mix_ratios = {0.5};
  options.sensitive = {"sex"};
  EvalInputs inputs = AdultInputs(options, 2000, 1000);
  inputs.synthetic = ShuffleColumns(inputs.real, 3);
  std::vector<std::string> dumps;
  for (std::size_t threads : {1u, 2u, 8u}) {
    auto result = MakeUtilityMetric()->Compute(inputs, Context(threads));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    dumps.push_back(result->details.dump());
  }
  EXPECT_EQ(dumps[0], dumps[1]);
  EXPECT_EQ(dumps[0], dumps[2]);
}

}  // namespace
}  // namespace synthscale::eval
