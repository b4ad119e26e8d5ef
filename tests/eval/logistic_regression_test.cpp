#include "synthscale/eval/logistic_regression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace synthscale::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Reference values: the optimum of the same objective found independently with scipy
// (BFGS, gtol 1e-12) and numpy, by this script:
//   import numpy as np; from scipy.optimize import minimize; from scipy.special import logsumexp
//   X = np.array([[0.5,1.0],[-1.0,0.25],[1.5,-0.5],[0.0,0.0],[2.0,1.0],[-0.5,-1.5],[1.0,0.5],[-2.0,1.0]])
//   y = np.array([1,0,1,0,1,0,0,1]); C = 1.0
//   fb = lambda t: 0.5*t[:2]@t[:2] + C*np.sum(np.logaddexp(0, X@t[:2]+t[2]) - y*(X@t[:2]+t[2]))
//   print(minimize(fb, np.zeros(3), method="BFGS", options={"gtol":1e-12}).x)
//   yk = np.array([0,1,2,0,2,1,1,0])
//   def fm(t):
//       W = t.reshape(3,3); Z = X@W[:,:2].T + W[:,2]
//       return 0.5*np.sum(W[:,:2]**2) + C*np.sum(logsumexp(Z,axis=1) - Z[np.arange(8),yk])
//   W = minimize(fm, np.zeros(9), method="BFGS", options={"gtol":1e-12}).x.reshape(3,3)
//   (weights W[:, :2]; probabilities of rows 0 and 7 by softmax)
//   yr = np.array([1.0,-0.5,2.0,0.25,3.0,-1.0,1.5,0.0]); Xc = X - X.mean(0)
//   w = np.linalg.solve(Xc.T@Xc + np.eye(2), Xc.T@(yr - yr.mean())); b = yr.mean() - X.mean(0)@w
DenseMatrix Features() {
  DenseMatrix m;
  m.rows = 8;
  m.cols = 2;
  m.values = {0.5f, 1.0f, -1.0f, 0.25f, 1.5f, -0.5f, 0.0f, 0.0f,
              2.0f, 1.0f, -0.5f, -1.5f, 1.0f, 0.5f, -2.0f, 1.0f};
  return m;
}

TEST(LogisticRegression, BinaryMatchesScipyOptimum) {
  const std::vector<float> labels = {1, 0, 1, 0, 1, 0, 0, 1};
  auto model = LogisticRegression::Fit(Features(), labels, 2, LogisticOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_TRUE(model->converged());
  ASSERT_EQ(model->coefficients().size(), 2u);
  EXPECT_NEAR(model->coefficients()[0], 0.306324429805, 1e-7);
  EXPECT_NEAR(model->coefficients()[1], 0.725736287298, 1e-7);
  EXPECT_NEAR(model->intercepts()[0], -0.22764654078, 1e-7);
  auto probs = model->Predict(Features());
  ASSERT_TRUE(probs.ok());
  const double z0 = 0.5 * 0.306324429805 + 1.0 * 0.725736287298 - 0.22764654078;
  EXPECT_NEAR((*probs)[0], 1.0 / (1.0 + std::exp(-z0)), 1e-7);
}

TEST(LogisticRegression, MultinomialMatchesScipyOptimum) {
  const std::vector<float> labels = {0, 1, 2, 0, 2, 1, 1, 0};
  auto model = LogisticRegression::Fit(Features(), labels, 3, LogisticOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_TRUE(model->converged());
  const double expected_w[3][2] = {{-0.571193316014, 0.544765249202},
                                   {-0.387175193142, -0.388524239441},
                                   {0.958368547923, -0.156241021951}};
  for (std::size_t k = 0; k < 3; ++k) {
    for (std::size_t col = 0; col < 2; ++col) {
      EXPECT_NEAR(model->coefficients()[k * 2 + col], expected_w[k][col], 1e-6) << k << col;
    }
  }
  auto probs = model->Predict(Features());
  ASSERT_TRUE(probs.ok());
  const double p0[3] = {0.529295763551, 0.286342152892, 0.184362083558};
  const double p7[3] = {0.741230041378, 0.253130654592, 0.00563930403};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR((*probs)[0 * 3 + k], p0[k], 1e-6);
    EXPECT_NEAR((*probs)[7 * 3 + k], p7[k], 1e-6);
  }
}

TEST(LogisticRegression, OneClassPresentPredictsThatClass) {
  const std::vector<float> labels(8, 1.0f);
  auto model = LogisticRegression::Fit(Features(), labels, 2, LogisticOptions{});
  ASSERT_TRUE(model.ok());
  auto probs = model->Predict(Features());
  ASSERT_TRUE(probs.ok());
  for (double p : *probs) EXPECT_EQ(p, 1.0);
}

TEST(LogisticRegression, SeparableDataStaysFinite) {
  // Perfectly separable: only the penalty keeps the weights finite.
  const std::vector<float> labels = {1, 0, 1, 0, 1, 0, 1, 0};
  DenseMatrix m = Features();
  for (std::size_t row = 0; row < 8; ++row) m.values[row * 2] = labels[row] > 0 ? 1.0f : -1.0f;
  auto model = LogisticRegression::Fit(m, labels, 2, LogisticOptions{});
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE(model->converged());
  EXPECT_TRUE(std::isfinite(model->coefficients()[0]));
  auto probs = model->Predict(m);
  ASSERT_TRUE(probs.ok());
  EXPECT_GT((*probs)[0], 0.5);
  EXPECT_LT((*probs)[1], 0.5);
}

TEST(LogisticRegression, RejectsBadInput) {
  const std::vector<float> labels = {1, 0, 1, 0, 1, 0, 0, 1};
  LogisticOptions bad;
  bad.c = 0.0;
  auto status = LogisticRegression::Fit(Features(), labels, 2, bad).status();
  EXPECT_NE(status.message().find("C must be finite and > 0"), std::string::npos) << status.ToString();
  status = LogisticRegression::Fit(Features(), std::vector<float>{1, 0}, 2, LogisticOptions{}).status();
  EXPECT_NE(status.message().find("2 labels for 8 rows"), std::string::npos) << status.ToString();
  const std::vector<float> out_of_range = {1, 0, 2, 0, 1, 0, 0, 1};
  status = LogisticRegression::Fit(Features(), out_of_range, 2, LogisticOptions{}).status();
  EXPECT_NE(status.message().find("integers in [0, 2)"), std::string::npos) << status.ToString();
  status = LogisticRegression::Fit(Features(), labels, 1, LogisticOptions{}).status();
  EXPECT_NE(status.message().find("at least 2 classes"), std::string::npos) << status.ToString();
  auto model = LogisticRegression::Fit(Features(), labels, 2, LogisticOptions{});
  ASSERT_TRUE(model.ok());
  DenseMatrix wide;
  wide.rows = 1;
  wide.cols = 3;
  wide.values = {0, 0, 0};
  status = model->Predict(wide).status();
  EXPECT_NE(status.message().find("fitted on 2 features"), std::string::npos) << status.ToString();
  EXPECT_FALSE(LogisticRegression::Fit(DenseMatrix{}, {}, 2, LogisticOptions{}).ok());
}

TEST(RidgeRegression, MatchesNormalEquations) {
  const std::vector<double> targets = {1.0, -0.5, 2.0, 0.25, 3.0, -1.0, 1.5, 0.0};
  auto model = RidgeRegression::Fit(Features(), targets, 1.0);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_NEAR(model->coefficients()[0], 0.787255921172, 1e-10);
  EXPECT_NEAR(model->coefficients()[1], 0.532792442596, 1e-10);
  EXPECT_NEAR(model->intercept(), 0.5170911679623937, 1e-10);
  EXPECT_FALSE(RidgeRegression::Fit(Features(), targets, -1.0).ok());
  const std::vector<double> with_nan = {1.0, kNaN, 2.0, 0.25, 3.0, -1.0, 1.5, 0.0};
  EXPECT_NE(RidgeRegression::Fit(Features(), with_nan).status().message().find("finite"),
            std::string::npos);
}

}  // namespace
}  // namespace synthscale::eval
