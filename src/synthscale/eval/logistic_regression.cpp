#include "synthscale/eval/logistic_regression.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

#include <Eigen/Dense>

namespace synthscale::eval {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// The features with a trailing column of ones for the intercept, in double precision.
MatrixXd Augmented(const DenseMatrix& features) {
  MatrixXd out(static_cast<Eigen::Index>(features.rows), static_cast<Eigen::Index>(features.cols) + 1);
  const auto cols = static_cast<Eigen::Index>(features.cols);
  for (Eigen::Index row = 0; row < out.rows(); ++row) {
    for (Eigen::Index col = 0; col < cols; ++col) {
      out(row, col) = features.values[static_cast<std::size_t>(row * cols + col)];
    }
    out(row, cols) = 1.0;
  }
  return out;
}

// log(1 + exp(z)) without overflow.
double Softplus(double z) { return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
double Sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

Status CheckShapes(const DenseMatrix& features, std::size_t labels, const char* model) {
  if (features.rows == 0) return InvalidArgument(std::string(model) + ": cannot fit on zero rows");
  if (labels != features.rows) {
    return InvalidArgument(std::string(model) + ": " + std::to_string(labels) + " labels for " +
                           std::to_string(features.rows) + " rows");
  }
  return Status::Ok();
}

struct BinaryFit {
  VectorXd theta;  // weights then intercept
  int iterations = 0;
  bool converged = false;
};

// Newton's method on the binary objective (see the header).
BinaryFit FitBinary(const MatrixXd& x, const VectorXd& y, const LogisticOptions& options) {
  const Eigen::Index p = x.cols();  // includes the intercept column
  const double n = static_cast<double>(x.rows());
  VectorXd penalty = VectorXd::Ones(p);
  penalty(p - 1) = 0.0;  // the intercept is not penalised
  const auto objective = [&](const VectorXd& theta) {
    const VectorXd z = x * theta;
    double loss = 0.0;
    for (Eigen::Index i = 0; i < z.size(); ++i) loss += Softplus(z(i)) - y(i) * z(i);
    return 0.5 * theta.cwiseProduct(penalty).squaredNorm() + options.c * loss;
  };
  BinaryFit fit;
  fit.theta = VectorXd::Zero(p);
  double value = objective(fit.theta);
  const double tolerance = options.tolerance * (1.0 + options.c * n);
  for (; fit.iterations < options.max_iterations; ++fit.iterations) {
    const VectorXd z = x * fit.theta;
    VectorXd prob(z.size());
    VectorXd weight(z.size());
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      prob(i) = Sigmoid(z(i));
      weight(i) = std::sqrt(prob(i) * (1.0 - prob(i)));
    }
    const VectorXd gradient = options.c * (x.transpose() * (prob - y)) + penalty.cwiseProduct(fit.theta);
    if (gradient.lpNorm<Eigen::Infinity>() <= tolerance) {
      fit.converged = true;
      break;
    }
    const MatrixXd weighted = weight.asDiagonal() * x;
    MatrixXd hessian = options.c * (weighted.transpose() * weighted);
    hessian.diagonal() += penalty;
    // A vanishing curvature in the unpenalised intercept (all p near 0 or 1) would make
    // the system singular; a relative 1e-10 nudge keeps LDLT stable without moving the
    // optimum (the stopping rule looks at the true gradient).
    hessian(p - 1, p - 1) += 1e-10 * (1.0 + options.c * n);
    const VectorXd step = hessian.ldlt().solve(gradient);
    const double slope = gradient.dot(step);
    double t = 1.0;
    VectorXd candidate = fit.theta - step;
    double candidate_value = objective(candidate);
    for (int halvings = 0; halvings < 60 && !(candidate_value <= value - 1e-4 * t * slope); ++halvings) {
      t *= 0.5;
      candidate = fit.theta - t * step;
      candidate_value = objective(candidate);
    }
    if (!(candidate_value <= value)) break;  // no progress possible in floating point
    fit.theta = candidate;
    value = candidate_value;
  }
  return fit;
}

struct MultiFit {
  MatrixXd theta;  // (p + 1) x K, last row the intercepts
  int iterations = 0;
  bool converged = false;
};

// L-BFGS on the multinomial objective (see the header).
MultiFit FitMultinomial(const MatrixXd& x, const std::vector<int>& labels, std::size_t num_classes,
                        const LogisticOptions& options) {
  const Eigen::Index p = x.cols();
  const auto k = static_cast<Eigen::Index>(num_classes);
  const double n = static_cast<double>(x.rows());
  MatrixXd penalty = MatrixXd::Ones(p, k);
  penalty.row(p - 1).setZero();
  // Objective and gradient at theta; gradient written into `gradient`.
  MatrixXd z(x.rows(), k);
  const auto evaluate = [&](const MatrixXd& theta, MatrixXd& gradient) {
    z.noalias() = x * theta;
    double loss = 0.0;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double top = z.row(i).maxCoeff();
      double sum = 0.0;
      for (Eigen::Index c = 0; c < k; ++c) sum += std::exp(z(i, c) - top);
      const double log_sum = top + std::log(sum);
      loss += log_sum - z(i, labels[static_cast<std::size_t>(i)]);
      for (Eigen::Index c = 0; c < k; ++c) z(i, c) = std::exp(z(i, c) - log_sum);  // now P
      z(i, labels[static_cast<std::size_t>(i)]) -= 1.0;                           // now P - Y
    }
    gradient.noalias() = options.c * (x.transpose() * z);
    gradient += penalty.cwiseProduct(theta);
    return 0.5 * penalty.cwiseProduct(theta).squaredNorm() + options.c * loss;
  };
  MultiFit fit;
  fit.theta = MatrixXd::Zero(p, k);
  // Start the intercepts at the smoothed log class shares (the optimum when features
  // carry no information) instead of 0: saves many iterations on imbalanced classes.
  std::vector<double> counts(num_classes, 0.5);
  for (int label : labels) counts[static_cast<std::size_t>(label)] += 1.0;
  for (Eigen::Index c = 0; c < k; ++c) {
    fit.theta(p - 1, c) = std::log(counts[static_cast<std::size_t>(c)] / (n + 0.5 * static_cast<double>(k)));
  }
  MatrixXd gradient(p, k);
  double value = evaluate(fit.theta, gradient);
  const double tolerance = options.tolerance * (1.0 + options.c * n);
  constexpr std::size_t kMemory = 10;
  std::deque<MatrixXd> s_history;
  std::deque<MatrixXd> y_history;
  std::deque<double> rho_history;
  MatrixXd candidate(p, k);
  MatrixXd candidate_gradient(p, k);
  for (; fit.iterations < options.max_iterations; ++fit.iterations) {
    if (gradient.lpNorm<Eigen::Infinity>() <= tolerance) {
      fit.converged = true;
      break;
    }
    // Two-loop recursion: direction = -H * gradient.
    MatrixXd q = gradient;
    std::vector<double> alpha(s_history.size());
    for (std::size_t j = s_history.size(); j-- > 0;) {
      alpha[j] = rho_history[j] * s_history[j].cwiseProduct(q).sum();
      q -= alpha[j] * y_history[j];
    }
    if (!s_history.empty()) {
      const MatrixXd& y_last = y_history.back();
      q *= s_history.back().cwiseProduct(y_last).sum() / y_last.squaredNorm();
    } else {
      q /= std::max(1.0, gradient.lpNorm<Eigen::Infinity>());  // a cautious first step
    }
    for (std::size_t j = 0; j < s_history.size(); ++j) {
      const double beta = rho_history[j] * y_history[j].cwiseProduct(q).sum();
      q += (alpha[j] - beta) * s_history[j];
    }
    const double slope = gradient.cwiseProduct(q).sum();  // > 0 for a descent direction
    if (!(slope > 0.0)) {
      s_history.clear();
      y_history.clear();
      rho_history.clear();
      continue;  // restart from steepest descent
    }
    double t = 1.0;
    double candidate_value = 0.0;
    bool accepted = false;
    for (int halvings = 0; halvings < 60; ++halvings, t *= 0.5) {
      candidate = fit.theta - t * q;
      candidate_value = evaluate(candidate, candidate_gradient);
      if (candidate_value <= value - 1e-4 * t * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;  // no progress possible in floating point
    MatrixXd s = candidate - fit.theta;
    MatrixXd y = candidate_gradient - gradient;
    const double curvature = s.cwiseProduct(y).sum();
    fit.theta = candidate;
    gradient = candidate_gradient;
    value = candidate_value;
    if (curvature > 1e-12 * y.squaredNorm()) {
      if (s_history.size() == kMemory) {
        s_history.pop_front();
        y_history.pop_front();
        rho_history.pop_front();
      }
      rho_history.push_back(1.0 / curvature);
      s_history.push_back(std::move(s));
      y_history.push_back(std::move(y));
    }
  }
  return fit;
}

}  // namespace

LogisticOptions MetricLogisticOptions() {
  LogisticOptions options;
  options.tolerance = 1e-4;
  options.max_iterations = 300;
  return options;
}

Result<LogisticRegression> LogisticRegression::Fit(const DenseMatrix& features,
                                                   std::span<const float> labels,
                                                   std::size_t num_classes,
                                                   const LogisticOptions& options) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckShapes(features, labels.size(), "logistic regression"));
  if (!(options.c > 0.0) || !std::isfinite(options.c)) {
    return InvalidArgument("logistic regression: C must be finite and > 0, got " +
                           std::to_string(options.c));
  }
  if (num_classes < 2) {
    return InvalidArgument("logistic regression needs at least 2 classes, got " +
                           std::to_string(num_classes));
  }
  std::vector<int> classes(labels.size());
  std::vector<std::size_t> counts(num_classes, 0);
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const float label = labels[row];
    if (!(label >= 0.0f && label < static_cast<float>(num_classes)) || label != std::floor(label)) {
      return InvalidArgument("logistic regression labels must be integers in [0, " +
                             std::to_string(num_classes) + "), got " + std::to_string(label));
    }
    classes[row] = static_cast<int>(label);
    ++counts[static_cast<std::size_t>(classes[row])];
  }
  LogisticRegression model;
  model.num_classes_ = num_classes;
  model.num_features_ = features.cols;
  const MatrixXd x = Augmented(features);
  const std::size_t p = features.cols;
  if (num_classes == 2) {
    model.coefficients_.assign(p, 0.0);
    if (counts[0] == 0 || counts[1] == 0) {
      // One class only: the optimum has an infinite intercept; predict that class.
      model.intercepts_ = {counts[1] > 0 ? std::numeric_limits<double>::infinity()
                                          : -std::numeric_limits<double>::infinity()};
      model.converged_ = true;
      return model;
    }
    VectorXd y(labels.size());
    for (std::size_t row = 0; row < labels.size(); ++row) y(static_cast<Eigen::Index>(row)) = classes[row];
    const BinaryFit fit = FitBinary(x, y, options);
    for (std::size_t col = 0; col < p; ++col) model.coefficients_[col] = fit.theta(static_cast<Eigen::Index>(col));
    model.intercepts_ = {fit.theta(static_cast<Eigen::Index>(p))};
    model.iterations_ = fit.iterations;
    model.converged_ = fit.converged;
    return model;
  }
  const MultiFit fit = FitMultinomial(x, classes, num_classes, options);
  model.coefficients_.resize(num_classes * p);
  model.intercepts_.resize(num_classes);
  for (std::size_t k = 0; k < num_classes; ++k) {
    const auto kk = static_cast<Eigen::Index>(k);
    for (std::size_t col = 0; col < p; ++col) {
      model.coefficients_[k * p + col] = fit.theta(static_cast<Eigen::Index>(col), kk);
    }
    model.intercepts_[k] = fit.theta(static_cast<Eigen::Index>(p), kk);
  }
  model.iterations_ = fit.iterations;
  model.converged_ = fit.converged;
  return model;
}

Result<std::vector<double>> LogisticRegression::Predict(const DenseMatrix& features) const {
  if (num_classes_ == 0) return NotFitted("logistic regression used before fitting");
  if (features.cols != num_features_) {
    return InvalidArgument("logistic regression was fitted on " + std::to_string(num_features_) +
                           " features but asked to predict " + std::to_string(features.cols));
  }
  const std::size_t p = num_features_;
  const std::size_t width = num_classes_ == 2 ? 1 : num_classes_;
  std::vector<double> out(features.rows * width);
  std::vector<double> logits(width);
  for (std::size_t row = 0; row < features.rows; ++row) {
    for (std::size_t k = 0; k < width; ++k) {
      double z = intercepts_[k];
      for (std::size_t col = 0; col < p; ++col) z += coefficients_[k * p + col] * static_cast<double>(features.at(row, col));
      logits[k] = z;
    }
    if (width == 1) {
      out[row] = Sigmoid(logits[0]);
      continue;
    }
    const double top = *std::max_element(logits.begin(), logits.end());
    double sum = 0.0;
    for (std::size_t k = 0; k < width; ++k) sum += std::exp(logits[k] - top);
    for (std::size_t k = 0; k < width; ++k) out[row * width + k] = std::exp(logits[k] - top) / sum;
  }
  return out;
}

Result<RidgeRegression> RidgeRegression::Fit(const DenseMatrix& features,
                                             std::span<const double> targets, double alpha) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckShapes(features, targets.size(), "ridge regression"));
  if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
    return InvalidArgument("ridge regression: alpha must be finite and >= 0, got " +
                           std::to_string(alpha));
  }
  const auto n = static_cast<Eigen::Index>(features.rows);
  const auto p = static_cast<Eigen::Index>(features.cols);
  MatrixXd x(n, p);
  VectorXd y(n);
  for (Eigen::Index row = 0; row < n; ++row) {
    const double target = targets[static_cast<std::size_t>(row)];
    if (!std::isfinite(target)) return InvalidArgument("ridge regression targets must be finite");
    y(row) = target;
    for (Eigen::Index col = 0; col < p; ++col) {
      x(row, col) = features.at(static_cast<std::size_t>(row), static_cast<std::size_t>(col));
    }
  }
  // Centring removes the unpenalised intercept from the system: b = mean(y) - mean(x).w.
  const Eigen::RowVectorXd x_mean = x.colwise().mean();
  const double y_mean = y.mean();
  x.rowwise() -= x_mean;
  y.array() -= y_mean;
  MatrixXd gram = x.transpose() * x;
  gram.diagonal().array() += alpha;
  // LDLT tolerates a singular Gram matrix when alpha = 0 (collinear one-hot blocks);
  // it then returns one of the least-squares solutions.
  const VectorXd w = gram.ldlt().solve(x.transpose() * y);
  RidgeRegression model;
  model.coefficients_.assign(w.data(), w.data() + w.size());
  model.intercept_ = y_mean - x_mean.dot(w);
  return model;
}

Result<std::vector<double>> RidgeRegression::Predict(const DenseMatrix& features) const {
  if (features.cols != coefficients_.size()) {
    return InvalidArgument("ridge regression was fitted on " + std::to_string(coefficients_.size()) +
                           " features but asked to predict " + std::to_string(features.cols));
  }
  std::vector<double> out(features.rows);
  for (std::size_t row = 0; row < features.rows; ++row) {
    double value = intercept_;
    for (std::size_t col = 0; col < features.cols; ++col) value += coefficients_[col] * static_cast<double>(features.at(row, col));
    out[row] = value;
  }
  return out;
}

}  // namespace synthscale::eval
