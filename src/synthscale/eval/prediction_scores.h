// Scores of a model's predictions on test rows, for the utility and detection metrics.
//
// Every score reads only the test rows listed in `rows` (indexes into labels and
// predictions; repeats allowed), so a bootstrap resamples rows without copying or
// retraining. Class predictions are row-major: one P(class 1) per row for two classes,
// num_classes probabilities per row otherwise. Scores that are undefined on the rows
// (AUC with one class present, R^2 with constant truth) are NaN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace synthscale::eval {

// Probability of class `label` for row `row`.
double ClassProbability(std::span<const double> probs, std::size_t num_classes, std::size_t row,
                        std::size_t label);
// The most probable class per row (binary: P(1) >= 0.5; ties go to the lower class).
std::vector<int> PredictedClasses(std::span<const double> probs, std::size_t num_classes);

double Accuracy(std::span<const int> labels, std::span<const int> predicted,
                std::span<const std::uint32_t> rows);
// Unweighted mean over the classes present in the labels or predictions of `rows` of
// F1 = 2 TP / (2 TP + FP + FN) (sklearn's f1_score(average="macro")).
double MacroF1(std::span<const int> labels, std::span<const int> predicted,
               std::size_t num_classes, std::span<const std::uint32_t> rows);
// Area under the ROC curve of `scores` for labels 1 vs 0: the Mann-Whitney statistic
// with ties counted one half.
double BinaryAuc(std::span<const int> labels, std::span<const double> scores,
                 std::span<const std::uint32_t> rows);
// Two classes: BinaryAuc of P(1). More: the unweighted mean over classes present in the
// rows (with some rows of other classes) of the one-vs-rest AUC (sklearn's
// roc_auc_score(multi_class="ovr", average="macro")).
double RocAuc(std::span<const int> labels, std::span<const double> probs, std::size_t num_classes,
              std::span<const std::uint32_t> rows);

// 1 - sum (y - yhat)^2 / sum (y - mean y)^2.
double RSquared(std::span<const double> truth, std::span<const double> predicted,
                std::span<const std::uint32_t> rows);
double Rmse(std::span<const double> truth, std::span<const double> predicted,
            std::span<const std::uint32_t> rows);

// 0, 1, ..., n - 1: every row once.
std::vector<std::uint32_t> AllRows(std::size_t n);

}  // namespace synthscale::eval
