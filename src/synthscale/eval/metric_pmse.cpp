// pmse: can a classifier tell synthetic rows from real ones?
//
// Real rows are labelled 0 and synthetic rows 1; a classifier's propensity p_i =
// P(synthetic | row i) is compared with the share c = n_synth / (n_real + n_synth) it
// would predict if the two were indistinguishable:
//     pMSE = (1/N) sum_i (p_i - c)^2        (Woo et al. 2009; Snoke et al. 2018)
// ranging from 0 (indistinguishable) to c (1 - c) (perfectly separated).
// Propensities are cross-fitted: rows are split into k seeded folds (identical rows
// together, see AssignFolds) and each fold is predicted by models trained on the others, so a flexible model (xgboost) cannot score
// well by memorising rows; the detection AUC of these out-of-sample propensities is 0.5
// for indistinguishable data and 1 for perfectly separable data. Logistic regression
// (main effects only) is also reported in sample, the classical pMSE of Snoke et al.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "synthscale/core/random_stream.h"
#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/feature_matrix.h"
#include "synthscale/eval/logistic_regression.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/prediction_scores.h"
#include "synthscale/eval/xgboost_model.h"

namespace synthscale::eval {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

namespace {

constexpr std::size_t kFolds = 5;

nlohmann::json NumberOrNull(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

DenseMatrix CopyRows(const DenseMatrix& matrix, std::span<const std::uint32_t> rows) {
  DenseMatrix out;
  out.rows = rows.size();
  out.cols = matrix.cols;
  out.values.resize(out.rows * out.cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(matrix.values.begin() + static_cast<std::ptrdiff_t>(rows[i] * matrix.cols),
                matrix.cols, out.values.begin() + static_cast<std::ptrdiff_t>(i * matrix.cols));
  }
  return out;
}

double Pmse(std::span<const double> propensity, double c, std::span<const std::uint32_t> rows) {
  double sum = 0.0;
  for (std::uint32_t row : rows) sum += (propensity[row] - c) * (propensity[row] - c);
  return sum / static_cast<double>(rows.size());
}

// A 64-bit fingerprint of a row's codes and numeric values (splitmix64 finaliser per
// field); equal rows get equal fingerprints, and a rare collision only merges two groups.
std::uint64_t RowFingerprint(const EvalTable& table, std::size_t row) {
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
  const auto mix = [&](std::uint64_t value) {
    hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    hash ^= hash >> 31;
  };
  for (std::size_t col = 0; col < table.codes.size(); ++col) {
    mix(table.codes[col][row]);
    if (!table.numeric[col].empty()) mix(std::bit_cast<std::uint64_t>(table.numeric[col][row]));
  }
  return hash;
}

// Seeded folds over groups of identical rows. Identical rows must share a fold: a
// synthetic row that copies a real one would otherwise be predicted by a model that saw
// its twin with the opposite label, and a flexible model that memorises rows would
// score far BELOW chance (measured on Adult with synthetic = copy of real: AUC 0.10
// with row-wise folds, about 0.5 with grouped folds). Groups are ordered by
// fingerprint, permuted with RandomStream(seed, "pmse/folds", 0) and dealt round-robin.
std::vector<std::uint8_t> AssignFolds(const EvalTable& combined, std::uint64_t seed) {
  const std::size_t n = combined.num_rows;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  for (std::size_t row = 0; row < n; ++row) {
    keyed[row] = {RowFingerprint(combined, row), static_cast<std::uint32_t>(row)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::uint32_t> group_of(n);
  std::size_t groups = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && keyed[i].first != keyed[i - 1].first) ++groups;
    group_of[keyed[i].second] = static_cast<std::uint32_t>(groups);
  }
  ++groups;
  std::vector<std::uint32_t> order = AllRows(groups);
  RandomStream stream(seed, "pmse/folds", 0);
  for (std::size_t i = groups; i > 1; --i) std::swap(order[i - 1], order[stream.UniformBelow(i)]);
  std::vector<std::uint8_t> fold_of_group(groups);
  for (std::size_t i = 0; i < groups; ++i) fold_of_group[order[i]] = static_cast<std::uint8_t>(i % kFolds);
  std::vector<std::uint8_t> fold_of(n);
  for (std::size_t row = 0; row < n; ++row) fold_of[row] = fold_of_group[group_of[row]];
  return fold_of;
}

class PmseMetric final : public Metric {
 public:
  std::string_view name() const override { return "pmse"; }
  Section section() const override { return Section::kDetection; }
  std::string_view description() const override {
    return "propensity score MSE and cross-fitted AUC of classifiers telling synthetic from real "
           "rows";
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    const std::size_t n_real = inputs.real.num_rows;
    const std::size_t n_synthetic = inputs.synthetic.num_rows;
    const std::size_t n = n_real + n_synthetic;
    if (n_real == 0 || n_synthetic == 0) {
      return InvalidArgument("pmse needs real and synthetic rows");
    }
    if (n < 2 * kFolds) {
      return InvalidArgument("pmse needs at least " + std::to_string(2 * kFolds) +
                             " real and synthetic rows together for " + std::to_string(kFolds) +
                             "-fold cross-fitting, got " + std::to_string(n));
    }
    const double c = static_cast<double>(n_synthetic) / static_cast<double>(n);
    const EvalTable combined = ConcatenateRows(inputs.real, inputs.synthetic);
    const FeatureEncoder encoder = FeatureEncoder::Fit(inputs.columns, combined, std::nullopt);
    const DenseMatrix features = encoder.Transform(combined);
    std::vector<float> labels(n, 0.0f);
    std::fill(labels.begin() + static_cast<std::ptrdiff_t>(n_real), labels.end(), 1.0f);
    std::vector<int> classes(labels.begin(), labels.end());

    const std::vector<std::uint8_t> fold_of = AssignFolds(combined, inputs.options.seed);

    // Tasks: per fold an xgboost and a logistic model, then the in-sample logistic fit.
    std::vector<double> xgb_propensity(n, kNaN);
    std::vector<double> logistic_propensity(n, kNaN);
    std::vector<double> in_sample(n, kNaN);
    std::vector<std::uint8_t> converged(2 * kFolds + 1, 1);  // logistic fits only
    const auto task = [&](std::size_t task_idx) -> Status {
      if (task_idx == 2 * kFolds) {
        SYNTHSCALE_ASSIGN_OR_RETURN(
            LogisticRegression model,
            LogisticRegression::Fit(features, labels, 2, MetricLogisticOptions()));
        converged[task_idx] = model.converged() ? 1 : 0;
        SYNTHSCALE_ASSIGN_OR_RETURN(in_sample, model.Predict(features));
        return Status::Ok();
      }
      const std::size_t fold = task_idx / 2;
      std::vector<std::uint32_t> train_rows;
      std::vector<std::uint32_t> test_rows;
      for (std::size_t row = 0; row < n; ++row) {
        (fold_of[row] == fold ? test_rows : train_rows).push_back(static_cast<std::uint32_t>(row));
      }
      std::vector<double>& out = task_idx % 2 == 0 ? xgb_propensity : logistic_propensity;
      if (train_rows.empty()) {
        // One group of identical rows holds everything: nothing to learn from, so the
        // uninformed propensity c.
        for (std::uint32_t row : test_rows) out[row] = c;
        return Status::Ok();
      }
      const DenseMatrix train = CopyRows(features, train_rows);
      const DenseMatrix test = CopyRows(features, test_rows);
      std::vector<float> train_labels;
      train_labels.reserve(train_rows.size());
      for (std::uint32_t row : train_rows) train_labels.push_back(labels[row]);
      std::vector<double> predictions;
      if (task_idx % 2 == 0) {
        XgboostOptions options;
        options.seed = inputs.options.seed;
        SYNTHSCALE_ASSIGN_OR_RETURN(XgboostModel model, XgboostModel::Train(train, train_labels,
                                                                          ModelTask::kBinary, 2, options));
        SYNTHSCALE_ASSIGN_OR_RETURN(predictions, model.Predict(test));
      } else {
        SYNTHSCALE_ASSIGN_OR_RETURN(
            LogisticRegression model,
            LogisticRegression::Fit(train, train_labels, 2, MetricLogisticOptions()));
        converged[task_idx] = model.converged() ? 1 : 0;
        SYNTHSCALE_ASSIGN_OR_RETURN(predictions, model.Predict(test));
      }
      for (std::size_t i = 0; i < test_rows.size(); ++i) out[test_rows[i]] = predictions[i];
      return Status::Ok();
    };
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(2 * kFolds + 1, task));

    const std::vector<std::uint32_t> all_rows = AllRows(n);
    const EvalOptions& options = inputs.options;
    MetricResult result;
    // Headline pMSE: xgboost's cross-fitted propensities, rows resampled.
    std::vector<double> squared(n);
    for (std::size_t row = 0; row < n; ++row) squared[row] = (xgb_propensity[row] - c) * (xgb_propensity[row] - c);
    SYNTHSCALE_ASSIGN_OR_RETURN(Estimate pmse,
                                MeanWithInterval(squared, options, "pmse/pmse", ctx));
    const double auc = BinaryAuc(classes, xgb_propensity, all_rows);
    SYNTHSCALE_ASSIGN_OR_RETURN(
        Estimate detection_auc,
        Bootstrap(auc, options, "pmse/detection_auc", ctx, [&](RandomStream& replicate) {
          std::vector<std::uint32_t> rows;
          ResampleIndices(n, replicate, rows);
          return BinaryAuc(classes, xgb_propensity, rows);
        }));
    result.summary.emplace_back("pmse", pmse);
    result.summary.emplace_back("detection_auc", detection_auc);

    const double max_pmse = c * (1.0 - c);
    nlohmann::json& details = result.details;
    details["rows"] = {{"real", n_real}, {"synthetic", n_synthetic}};
    details["c"] = c;
    details["pmse_max"] = max_pmse;
    details["folds"] = kFolds;
    details["pmse"] = EstimateToJson(pmse);
    details["pmse_normalised"] = NumberOrNull(pmse.value / max_pmse);
    details["detection_auc"] = EstimateToJson(detection_auc);
    const XgboostOptions xgb;
    details["models"]["xgboost"] = {
        {"pmse_cross_fitted", NumberOrNull(pmse.value)},
        {"auc_cross_fitted", NumberOrNull(auc)},
        {"settings",
         {{"rounds", xgb.rounds}, {"max_depth", xgb.max_depth}, {"eta", xgb.eta},
          {"tree_method", "hist"}, {"nthread", 1}}}};
    details["models"]["logistic_regression"] = {
        {"pmse_in_sample", NumberOrNull(Pmse(in_sample, c, all_rows))},
        {"pmse_cross_fitted", NumberOrNull(Pmse(logistic_propensity, c, all_rows))},
        {"auc_cross_fitted", NumberOrNull(BinaryAuc(classes, logistic_propensity, all_rows))},
        {"converged", std::all_of(converged.begin(), converged.end(), [](std::uint8_t ok) { return ok != 0; })},
        {"settings", {{"C", MetricLogisticOptions().c}, {"features", "main effects (one-hot, standardised)"}}}};
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakePmseMetric() { return std::make_unique<PmseMetric>(); }

}  // namespace synthscale::eval
