// Linear models for the utility and detection metrics, solved with Eigen.
//
// LogisticRegression minimises sklearn's objective, so results are comparable with
// sklearn.linear_model.LogisticRegression(C=c) (penalty l2, intercept not penalised):
//     1/2 * sum_k ||w_k||^2  +  c * sum_i loss_i
// binary: loss_i = log(1 + exp(z_i)) - y_i z_i with z_i = x_i.w + b, solved by Newton's
//         method (iteratively reweighted least squares) with a backtracking line search;
// multiclass (K > 2): multinomial (softmax) loss with K weight vectors, solved by L-BFGS
//         (Nocedal & Wright 2006, Algorithm 7.5) with an Armijo backtracking line search,
//         because the exact Hessian is (K p)^2 and too large for Newton.
// RidgeRegression minimises sum_i (y_i - x_i.w - b)^2 + alpha ||w||^2 (sklearn's Ridge),
// solved exactly from the centred normal equations.
//
// Everything runs single-threaded on the calling thread (Eigen is built without OpenMP
// here), so results never depend on the thread count.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/eval/feature_matrix.h"

namespace synthscale::eval {

struct LogisticOptions {
  double c = 1.0;              // inverse regularisation strength, as sklearn's C (> 0)
  int max_iterations = 500;    // Newton or L-BFGS iterations
  double tolerance = 1e-8;     // stop when max |gradient| <= tolerance * (1 + c * rows)
};

// The settings the utility and detection metrics use: sklearn's defaults, C = 1 and
// tol = 1e-4 on the gradient of the mean loss (our tolerance is per row, the same scale),
// at most 300 iterations. Tighter tolerances cost hundreds of L-BFGS iterations on
// ill-conditioned one-hot designs (blocks collinear with the intercept) along directions
// that barely change the predictions.
LogisticOptions MetricLogisticOptions();

class LogisticRegression {
 public:
  // Fit on `features` with class labels in [0, num_classes), num_classes >= 2. A class
  // absent from the labels gets probability ~0 (multiclass) or the binary model becomes
  // the constant prediction of the one class present. Errors: kInvalidArgument for
  // mismatched sizes, no rows, c <= 0 or labels out of range.
  static Result<LogisticRegression> Fit(const DenseMatrix& features, std::span<const float> labels,
                                        std::size_t num_classes, const LogisticOptions& options);

  // Row-major probabilities: binary P(class 1) per row; multiclass num_classes per row.
  Result<std::vector<double>> Predict(const DenseMatrix& features) const;

  // Weights, row-major [k][feature] with k over 1 (binary) or num_classes vectors.
  const std::vector<double>& coefficients() const { return coefficients_; }
  const std::vector<double>& intercepts() const { return intercepts_; }
  std::size_t num_classes() const { return num_classes_; }
  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }

 private:
  std::vector<double> coefficients_;
  std::vector<double> intercepts_;
  std::size_t num_classes_ = 0;
  std::size_t num_features_ = 0;
  int iterations_ = 0;
  bool converged_ = false;
};

class RidgeRegression {
 public:
  // Errors: kInvalidArgument for mismatched sizes, no rows, alpha < 0, non-finite targets.
  static Result<RidgeRegression> Fit(const DenseMatrix& features, std::span<const double> targets,
                                     double alpha = 1.0);
  Result<std::vector<double>> Predict(const DenseMatrix& features) const;

  const std::vector<double>& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }

 private:
  std::vector<double> coefficients_;
  double intercept_ = 0.0;
};

}  // namespace synthscale::eval
