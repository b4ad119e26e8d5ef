#include "synthscale/eval/xgboost_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "eval_utility_test_util.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/eval/prediction_scores.h"

namespace synthscale::eval {
namespace {

// Rows with x0, x1 uniform in [-1, 1) and x2 pure noise; the class is x0 > 0.
struct Easy {
  DenseMatrix features;
  std::vector<float> labels;
  explicit Easy(std::size_t rows, std::uint64_t index) {
    RandomStream stream(7, "test/xgboost_easy", index);
    features.rows = rows;
    features.cols = 3;
    for (std::size_t row = 0; row < rows; ++row) {
      for (int col = 0; col < 3; ++col) {
        features.values.push_back(static_cast<float>(2.0 * stream.UniformDouble() - 1.0));
      }
      labels.push_back(features.at(row, 0) > 0.0f ? 1.0f : 0.0f);
    }
  }
};

TEST(XgboostModel, LearnsAnEasyRule) {
  const Easy train(1000, 0);
  const Easy test(1000, 1);
  auto model = XgboostModel::Train(train.features, train.labels, ModelTask::kBinary, 2, XgboostOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto probs = model->Predict(test.features);
  ASSERT_TRUE(probs.ok());
  const std::vector<int> truth(test.labels.begin(), test.labels.end());
  const auto rows = AllRows(test.features.rows);
  EXPECT_GT(Accuracy(truth, PredictedClasses(*probs, 2), rows), 0.98);
  EXPECT_GT(BinaryAuc(truth, *probs, rows), 0.99);
}

TEST(XgboostModel, MulticlassAndRegression) {
  const Easy train(1000, 2);
  const Easy test(500, 3);
  // Three classes by the sign pattern of x0 and x1; regression target 3 x0 - x1.
  const auto classes = [](const Easy& easy) {
    std::vector<float> out;
    for (std::size_t row = 0; row < easy.features.rows; ++row) {
      out.push_back(easy.features.at(row, 0) < 0 ? 0.0f : easy.features.at(row, 1) < 0 ? 1.0f : 2.0f);
    }
    return out;
  };
  const auto values = [](const Easy& easy) {
    std::vector<float> out;
    for (std::size_t row = 0; row < easy.features.rows; ++row) {
      out.push_back(3.0f * easy.features.at(row, 0) - easy.features.at(row, 1));
    }
    return out;
  };
  auto multi = XgboostModel::Train(train.features, classes(train), ModelTask::kMulticlass, 3, XgboostOptions{});
  ASSERT_TRUE(multi.ok()) << multi.status().ToString();
  auto probs = multi->Predict(test.features);
  ASSERT_TRUE(probs.ok());
  ASSERT_EQ(probs->size(), 3 * test.features.rows);
  const auto truth_float = classes(test);
  const std::vector<int> truth(truth_float.begin(), truth_float.end());
  EXPECT_GT(Accuracy(truth, PredictedClasses(*probs, 3), AllRows(test.features.rows)), 0.95);

  auto regression = XgboostModel::Train(train.features, values(train), ModelTask::kRegression, 0, XgboostOptions{});
  ASSERT_TRUE(regression.ok()) << regression.status().ToString();
  auto predicted = regression->Predict(test.features);
  ASSERT_TRUE(predicted.ok());
  const auto expected_float = values(test);
  const std::vector<double> expected(expected_float.begin(), expected_float.end());
  EXPECT_GT(RSquared(expected, *predicted, AllRows(test.features.rows)), 0.97);
}

// The library trains every booster with nthread = 1 (see xgboost_model.h); this checks
// on a real table whether xgboost's hist method would give the same predictions with
// 4 threads, and that repeated training is bit-identical.
TEST(XgboostModel, SamePredictionsForOneAndFourThreads) {
  eval::EvalOptions options;
  options.target = "income";
  const EvalInputs inputs = testing_eval::AdultInputs(options, 8000, 2000);
  const std::size_t target = *inputs.target;
  const FeatureEncoder encoder = FeatureEncoder::Fit(inputs.columns, inputs.real, target);
  const DenseMatrix train = encoder.Transform(inputs.real);
  const DenseMatrix test = encoder.Transform(inputs.holdout);
  std::vector<float> labels;
  for (std::uint32_t code : inputs.real.codes[target]) labels.push_back(code == 1 ? 1.0f : 0.0f);
  std::vector<std::vector<double>> predictions;
  for (int threads : {1, 4, 1}) {
    XgboostOptions xgb;
    xgb.nthread = threads;
    auto model = XgboostModel::Train(train, labels, ModelTask::kBinary, 2, xgb);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    auto probs = model->Predict(test);
    ASSERT_TRUE(probs.ok());
    predictions.push_back(*probs);
  }
  EXPECT_EQ(predictions[0], predictions[2]);
  EXPECT_EQ(predictions[0], predictions[1]);
}

TEST(XgboostModel, RejectsBadInput) {
  const Easy train(50, 4);
  auto status = XgboostModel::Train(train.features, std::vector<float>(3, 0.0f), ModelTask::kBinary, 2,
                                    XgboostOptions{}).status();
  EXPECT_NE(status.message().find("3 labels for 50 rows"), std::string::npos) << status.ToString();
  std::vector<float> bad = train.labels;
  bad[0] = 2.0f;
  status = XgboostModel::Train(train.features, bad, ModelTask::kBinary, 2, XgboostOptions{}).status();
  EXPECT_NE(status.message().find("integers in [0, 2)"), std::string::npos) << status.ToString();
  bad[0] = NAN;
  status = XgboostModel::Train(train.features, bad, ModelTask::kRegression, 0, XgboostOptions{}).status();
  EXPECT_NE(status.message().find("finite"), std::string::npos) << status.ToString();
  status = XgboostModel::Train(DenseMatrix{}, {}, ModelTask::kBinary, 2, XgboostOptions{}).status();
  EXPECT_NE(status.message().find("zero rows"), std::string::npos) << status.ToString();
  auto model = XgboostModel::Train(train.features, train.labels, ModelTask::kBinary, 2, XgboostOptions{});
  ASSERT_TRUE(model.ok());
  DenseMatrix narrow;
  narrow.rows = 1;
  narrow.cols = 2;
  narrow.values = {0.0f, 0.0f};
  status = model->Predict(narrow).status();
  EXPECT_NE(status.message().find("trained on 3 features"), std::string::npos) << status.ToString();
  // An xgboost-side failure surfaces as a Status carrying xgboost's message.
  XgboostOptions deep;
  deep.max_depth = -3;
  status = XgboostModel::Train(train.features, train.labels, ModelTask::kBinary, 2, deep).status();
  EXPECT_EQ(status.code(), ErrorCode::kInternal) << status.ToString();
  EXPECT_NE(status.message().find("xgboost"), std::string::npos) << status.ToString();
}

}  // namespace
}  // namespace synthscale::eval
