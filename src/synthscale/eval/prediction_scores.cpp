#include "synthscale/eval/prediction_scores.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace synthscale::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double ClassProbability(std::span<const double> probs, std::size_t num_classes, std::size_t row,
                        std::size_t label) {
  if (num_classes == 2) return label == 1 ? probs[row] : 1.0 - probs[row];
  return probs[row * num_classes + label];
}

std::vector<int> PredictedClasses(std::span<const double> probs, std::size_t num_classes) {
  const std::size_t width = num_classes == 2 ? 1 : num_classes;
  const std::size_t rows = width == 0 ? 0 : probs.size() / width;
  std::vector<int> out(rows, 0);
  for (std::size_t row = 0; row < rows; ++row) {
    if (num_classes == 2) {
      out[row] = probs[row] >= 0.5 ? 1 : 0;
      continue;
    }
    const double* begin = probs.data() + row * width;
    out[row] = static_cast<int>(std::max_element(begin, begin + width) - begin);
  }
  return out;
}

double Accuracy(std::span<const int> labels, std::span<const int> predicted,
                std::span<const std::uint32_t> rows) {
  if (rows.empty()) return kNaN;
  std::size_t correct = 0;
  for (std::uint32_t row : rows) correct += labels[row] == predicted[row] ? 1u : 0u;
  return static_cast<double>(correct) / static_cast<double>(rows.size());
}

double MacroF1(std::span<const int> labels, std::span<const int> predicted,
               std::size_t num_classes, std::span<const std::uint32_t> rows) {
  if (rows.empty()) return kNaN;
  std::vector<std::size_t> true_positive(num_classes, 0);
  std::vector<std::size_t> actual(num_classes, 0);
  std::vector<std::size_t> guessed(num_classes, 0);
  for (std::uint32_t row : rows) {
    const auto label = static_cast<std::size_t>(labels[row]);
    const auto guess = static_cast<std::size_t>(predicted[row]);
    ++actual[label];
    ++guessed[guess];
    if (label == guess) ++true_positive[label];
  }
  double sum = 0.0;
  std::size_t present = 0;
  for (std::size_t k = 0; k < num_classes; ++k) {
    if (actual[k] + guessed[k] == 0) continue;
    ++present;
    sum += 2.0 * static_cast<double>(true_positive[k]) / static_cast<double>(actual[k] + guessed[k]);
  }
  return sum / static_cast<double>(present);
}

namespace {

// AUC of `score(row)` for rows where positive(row), against the others.
template <typename Score, typename Positive>
double AucOf(std::span<const std::uint32_t> rows, Score score, Positive positive) {
  std::vector<std::pair<double, bool>> pairs;
  pairs.reserve(rows.size());
  std::size_t positives = 0;
  for (std::uint32_t row : rows) {
    const bool is_positive = positive(row);
    positives += is_positive ? 1u : 0u;
    pairs.emplace_back(score(row), is_positive);
  }
  const std::size_t negatives = rows.size() - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Sum of midranks (1-based) of the positives: U = R+ - n+(n+ + 1)/2.
  double rank_sum = 0.0;
  for (std::size_t begin = 0; begin < pairs.size();) {
    std::size_t end = begin;
    std::size_t tied_positives = 0;
    while (end < pairs.size() && pairs[end].first == pairs[begin].first) {
      tied_positives += pairs[end].second ? 1u : 0u;
      ++end;
    }
    const double midrank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
    rank_sum += midrank * static_cast<double>(tied_positives);
    begin = end;
  }
  const double n_pos = static_cast<double>(positives);
  const double u = rank_sum - n_pos * (n_pos + 1.0) / 2.0;
  return u / (n_pos * static_cast<double>(negatives));
}

}  // namespace

double BinaryAuc(std::span<const int> labels, std::span<const double> scores,
                 std::span<const std::uint32_t> rows) {
  return AucOf(
      rows, [&](std::uint32_t row) { return scores[row]; },
      [&](std::uint32_t row) { return labels[row] == 1; });
}

double RocAuc(std::span<const int> labels, std::span<const double> probs, std::size_t num_classes,
              std::span<const std::uint32_t> rows) {
  if (num_classes == 2) return BinaryAuc(labels, probs, rows);
  double sum = 0.0;
  std::size_t counted = 0;
  for (std::size_t k = 0; k < num_classes; ++k) {
    const double auc = AucOf(
        rows, [&](std::uint32_t row) { return probs[row * num_classes + k]; },
        [&](std::uint32_t row) { return static_cast<std::size_t>(labels[row]) == k; });
    if (std::isnan(auc)) continue;
    sum += auc;
    ++counted;
  }
  return counted == 0 ? kNaN : sum / static_cast<double>(counted);
}

double RSquared(std::span<const double> truth, std::span<const double> predicted,
                std::span<const std::uint32_t> rows) {
  if (rows.empty()) return kNaN;
  double mean = 0.0;
  for (std::uint32_t row : rows) mean += truth[row];
  mean /= static_cast<double>(rows.size());
  double residual = 0.0;
  double total = 0.0;
  for (std::uint32_t row : rows) {
    residual += (truth[row] - predicted[row]) * (truth[row] - predicted[row]);
    total += (truth[row] - mean) * (truth[row] - mean);
  }
  return total > 0.0 ? 1.0 - residual / total : kNaN;
}

double Rmse(std::span<const double> truth, std::span<const double> predicted,
            std::span<const std::uint32_t> rows) {
  if (rows.empty()) return kNaN;
  double residual = 0.0;
  for (std::uint32_t row : rows) {
    residual += (truth[row] - predicted[row]) * (truth[row] - predicted[row]);
  }
  return std::sqrt(residual / static_cast<double>(rows.size()));
}

std::vector<std::uint32_t> AllRows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  return rows;
}

}  // namespace synthscale::eval
