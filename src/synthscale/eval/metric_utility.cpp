// utility: train on real vs train on synthetic, both tested on the real holdout.
//
// TRTR (train real, test real holdout) is the ceiling the synthetic data is judged
// against; TSTR (train synthetic, test real holdout) is what a user of the synthetic data
// would get (Esteban et al. 2017; Jordon et al. 2022, "Synthetic data: what, why and
// how?", section 4). Both use the same models and the same holdout rows, so their ratio
// isolates the data. Models train in parallel tasks, one thread each (see
// xgboost_model.h), so the report is identical for any thread count.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "synthscale/core/random_stream.h"
#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/code_label.h"
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

nlohmann::json NumberOrNull(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// The supervised problem: rows with a target value, their labels and the task.
struct Problem {
  ModelTask task = ModelTask::kRegression;
  std::size_t num_classes = 0;         // classification only
  std::vector<std::uint32_t> class_codes;  // class index -> target code
  EvalTable real;
  EvalTable synthetic;
  EvalTable holdout;
  std::vector<float> real_labels;
  std::vector<float> synthetic_labels;
  std::vector<int> holdout_classes;     // classification
  std::vector<double> holdout_values;   // regression
  std::vector<double> real_values;      // regression, for ridge
  std::vector<double> synthetic_values;
  std::vector<std::uint32_t> holdout_source_rows;  // holdout row of each test row
};

bool IsClassification(ColumnType type) {
  return type == ColumnType::kCategorical || type == ColumnType::kBoolean;
}

std::vector<std::uint32_t> RowsWithTarget(const EvalTable& table, const EvalColumn& column,
                                          std::size_t target, bool classification) {
  std::vector<std::uint32_t> rows;
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    const bool has_value = classification ? table.codes[target][row] < column.domain_size
                                          : !std::isnan(table.numeric[target][row]);
    if (has_value) rows.push_back(static_cast<std::uint32_t>(row));
  }
  return rows;
}

Result<Problem> MakeProblem(const EvalInputs& inputs) {
  const std::size_t target = *inputs.target;
  const EvalColumn& column = inputs.columns[target];
  const bool classification = IsClassification(column.type);
  const auto real_rows = RowsWithTarget(inputs.real, column, target, classification);
  const auto synthetic_rows = RowsWithTarget(inputs.synthetic, column, target, classification);
  const auto holdout_rows = RowsWithTarget(inputs.holdout, column, target, classification);
  const auto none = [&](const char* which) {
    return InvalidData(std::string("utility: the ") + which + " table has no row with a value of target '" +
                       column.name + "' (missing and out-of-domain values are left out); choose another --target");
  };
  if (real_rows.empty()) return none("real");
  if (synthetic_rows.empty()) return none("synthetic");
  if (holdout_rows.empty()) return none("holdout");
  Problem problem;
  problem.real = SelectRows(inputs.real, real_rows);
  problem.synthetic = SelectRows(inputs.synthetic, synthetic_rows);
  problem.holdout = SelectRows(inputs.holdout, holdout_rows);
  problem.holdout_source_rows = holdout_rows;
  if (!classification) {
    problem.task = ModelTask::kRegression;
    problem.real_values = problem.real.numeric[target];
    problem.synthetic_values = problem.synthetic.numeric[target];
    problem.holdout_values = problem.holdout.numeric[target];
    problem.real_labels.assign(problem.real_values.begin(), problem.real_values.end());
    problem.synthetic_labels.assign(problem.synthetic_values.begin(), problem.synthetic_values.end());
    return problem;
  }
  // Classes: every in-domain code seen in any of the three tables, in code order, so
  // all models share one class numbering.
  std::vector<bool> seen(column.domain_size, false);
  for (const EvalTable* table : {&problem.real, &problem.synthetic, &problem.holdout}) {
    for (std::uint32_t code : table->codes[target]) seen[code] = true;
  }
  std::vector<int> class_of(column.domain_size, -1);
  for (std::uint32_t code = 0; code < column.domain_size; ++code) {
    if (!seen[code]) continue;
    class_of[code] = static_cast<int>(problem.class_codes.size());
    problem.class_codes.push_back(code);
  }
  problem.num_classes = problem.class_codes.size();
  if (problem.num_classes < 2) {
    return InvalidData("utility: target '" + column.name +
                       "' takes a single value in the real, synthetic and holdout rows; there is "
                       "nothing to predict, choose another --target");
  }
  problem.task = problem.num_classes == 2 ? ModelTask::kBinary : ModelTask::kMulticlass;
  for (std::uint32_t code : problem.real.codes[target]) {
    problem.real_labels.push_back(static_cast<float>(class_of[code]));
  }
  for (std::uint32_t code : problem.synthetic.codes[target]) {
    problem.synthetic_labels.push_back(static_cast<float>(class_of[code]));
  }
  for (std::uint32_t code : problem.holdout.codes[target]) {
    problem.holdout_classes.push_back(class_of[code]);
  }
  return problem;
}

enum class ModelKind { kXgboost, kLinear };

// One model to train and its holdout predictions.
struct Job {
  ModelKind kind = ModelKind::kXgboost;
  const EvalTable* train = nullptr;
  const std::vector<float>* labels = nullptr;
  const std::vector<double>* values = nullptr;  // regression targets for ridge
  EvalTable owned_train;  // mixing: real + sampled synthetic rows
  std::vector<float> owned_labels;
  std::vector<double> predictions;
  bool converged = true;  // logistic regression's solver met its tolerance
};

Status RunJob(const Problem& problem, const EvalInputs& inputs, Job& job) {
  const std::size_t target = *inputs.target;
  const FeatureEncoder encoder = FeatureEncoder::Fit(inputs.columns, *job.train, target);
  const DenseMatrix train = encoder.Transform(*job.train);
  const DenseMatrix test = encoder.Transform(problem.holdout);
  if (job.kind == ModelKind::kXgboost) {
    XgboostOptions options;
    options.seed = inputs.options.seed;
    SYNTHSCALE_ASSIGN_OR_RETURN(
        XgboostModel model,
        XgboostModel::Train(train, *job.labels, problem.task, problem.num_classes, options));
    SYNTHSCALE_ASSIGN_OR_RETURN(job.predictions, model.Predict(test));
    return Status::Ok();
  }
  if (problem.task == ModelTask::kRegression) {
    SYNTHSCALE_ASSIGN_OR_RETURN(RidgeRegression model, RidgeRegression::Fit(train, *job.values));
    SYNTHSCALE_ASSIGN_OR_RETURN(job.predictions, model.Predict(test));
    return Status::Ok();
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(
      LogisticRegression model,
      LogisticRegression::Fit(train, *job.labels, problem.num_classes, MetricLogisticOptions()));
  job.converged = model.converged();
  SYNTHSCALE_ASSIGN_OR_RETURN(job.predictions, model.Predict(test));
  return Status::Ok();
}

// Scores of one model's holdout predictions on `rows`.
struct Scorer {
  const Problem& problem;

  std::string PrimaryName() const {
    switch (problem.task) {
      case ModelTask::kBinary: return "roc_auc";
      case ModelTask::kMulticlass: return "macro_f1";
      case ModelTask::kRegression: return "r2";
    }
    return "";
  }

  double Primary(const std::vector<double>& predictions, const std::vector<int>& predicted,
                 std::span<const std::uint32_t> rows) const {
    switch (problem.task) {
      case ModelTask::kBinary: return BinaryAuc(problem.holdout_classes, predictions, rows);
      case ModelTask::kMulticlass:
        return MacroF1(problem.holdout_classes, predicted, problem.num_classes, rows);
      case ModelTask::kRegression: return RSquared(problem.holdout_values, predictions, rows);
    }
    return kNaN;
  }

  nlohmann::json All(const std::vector<double>& predictions, std::span<const std::uint32_t> rows) const {
    if (problem.task == ModelTask::kRegression) {
      return {{"r2", NumberOrNull(RSquared(problem.holdout_values, predictions, rows))},
              {"rmse", NumberOrNull(Rmse(problem.holdout_values, predictions, rows))}};
    }
    const std::vector<int> predicted = PredictedClasses(predictions, problem.num_classes);
    return {{"accuracy", NumberOrNull(Accuracy(problem.holdout_classes, predicted, rows))},
            {"macro_f1",
             NumberOrNull(MacroF1(problem.holdout_classes, predicted, problem.num_classes, rows))},
            {"roc_auc",
             NumberOrNull(RocAuc(problem.holdout_classes, predictions, problem.num_classes, rows))}};
  }
};

std::vector<int> ClassesOf(const Problem& problem, const std::vector<double>& predictions) {
  if (problem.task == ModelTask::kRegression) return {};
  return PredictedClasses(predictions, problem.num_classes);
}

double Ratio(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : kNaN;
}

// A seeded sample of `count` synthetic rows: without replacement when there are enough
// (partial Fisher-Yates), with replacement otherwise.
std::vector<std::uint32_t> SampleSyntheticRows(std::size_t available, std::size_t count,
                                               std::uint64_t seed, std::size_t ratio_idx,
                                               bool& with_replacement) {
  RandomStream stream(seed, "utility/mix", ratio_idx);
  std::vector<std::uint32_t> rows;
  with_replacement = count > available;
  if (with_replacement) {
    rows.resize(count);
    for (auto& row : rows) row = static_cast<std::uint32_t>(stream.UniformBelow(available));
    return rows;
  }
  rows = AllRows(available);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t j = i + stream.UniformBelow(available - i);
    std::swap(rows[i], rows[j]);
  }
  rows.resize(count);
  return rows;
}

// Index of each model in UtilityJobs::jobs: TRTR and TSTR with xgboost and the linear
// model; the mixing ratios' xgboost models follow.
constexpr std::size_t kXgboostTrtr = 0;
constexpr std::size_t kXgboostTstr = 1;
constexpr std::size_t kLinearTrtr = 2;
constexpr std::size_t kLinearTstr = 3;
constexpr std::size_t kFixedJobs = 4;

// One point of the augmentation curve: real rows plus `rows` sampled synthetic rows.
struct MixPoint {
  double ratio = 0.0;
  std::size_t rows = 0;
  std::size_t job = kXgboostTrtr;  // ratio 0 (no synthetic row) reuses TRTR
  bool with_replacement = false;
};

// The utility metric's jobs: plan the models, train them in parallel, then read each
// part of the details off their holdout predictions.
class UtilityJobs {
 public:
  UtilityJobs(const Problem& problem, const EvalInputs& inputs)
      : problem_(problem), inputs_(inputs), scorer_{problem}, all_rows_(AllRows(problem.holdout.num_rows)) {}

  // The four fixed models, then one xgboost model per mixing ratio that adds rows.
  void Plan() {
    jobs_.resize(kFixedJobs);
    for (std::size_t j = 0; j < kFixedJobs; ++j) {
      const bool real = j == kXgboostTrtr || j == kLinearTrtr;
      jobs_[j].kind = j == kXgboostTrtr || j == kXgboostTstr ? ModelKind::kXgboost : ModelKind::kLinear;
      jobs_[j].train = real ? &problem_.real : &problem_.synthetic;
      jobs_[j].labels = real ? &problem_.real_labels : &problem_.synthetic_labels;
      jobs_[j].values = real ? &problem_.real_values : &problem_.synthetic_values;
    }
    const EvalOptions& options = inputs_.options;
    for (std::size_t ratio_idx = 0; ratio_idx < options.mix_ratios.size(); ++ratio_idx) {
      MixPoint point;
      point.ratio = options.mix_ratios[ratio_idx];
      point.rows = static_cast<std::size_t>(std::floor(point.ratio * static_cast<double>(problem_.real.num_rows)));
      if (point.rows > 0) {
        const auto rows = SampleSyntheticRows(problem_.synthetic.num_rows, point.rows, options.seed, ratio_idx,
                                              point.with_replacement);
        Job job;
        job.kind = ModelKind::kXgboost;
        job.owned_train = ConcatenateRows(problem_.real, SelectRows(problem_.synthetic, rows));
        job.owned_labels = problem_.real_labels;
        for (std::uint32_t row : rows) job.owned_labels.push_back(problem_.synthetic_labels[row]);
        point.job = jobs_.size();
        jobs_.push_back(std::move(job));
      }
      mix_.push_back(point);
    }
    // Pointers into jobs_ only once it stops growing.
    for (std::size_t j = kFixedJobs; j < jobs_.size(); ++j) {
      jobs_[j].train = &jobs_[j].owned_train;
      jobs_[j].labels = &jobs_[j].owned_labels;
    }
  }

  // Train every job (one task each, one thread per booster) and keep its predicted classes.
  Status Run(const Context& ctx) {
    SYNTHSCALE_RETURN_IF_ERROR(
        ctx.pool().Run(jobs_.size(), [&](std::size_t j) { return RunJob(problem_, inputs_, jobs_[j]); }));
    predicted_.resize(jobs_.size());
    for (std::size_t j = 0; j < jobs_.size(); ++j) predicted_[j] = ClassesOf(problem_, jobs_[j].predictions);
    return Status::Ok();
  }

  // Job j's primary score on holdout rows `rows`.
  double Primary(std::size_t j, std::span<const std::uint32_t> rows) const {
    return scorer_.Primary(jobs_[j].predictions, predicted_[j], rows);
  }

  // What was predicted, from which rows, with which settings.
  nlohmann::json ProblemDetails() const {
    nlohmann::json details;
    const EvalColumn& target = inputs_.columns[*inputs_.target];
    details["target"] = target.name;
    details["task"] = problem_.task == ModelTask::kBinary       ? "binary"
                      : problem_.task == ModelTask::kMulticlass ? "multiclass"
                                                                : "regression";
    details["primary_score"] = scorer_.PrimaryName();
    if (problem_.task != ModelTask::kRegression) {
      nlohmann::json classes = nlohmann::json::array();
      for (std::uint32_t code : problem_.class_codes) classes.push_back(CodeLabel(inputs_, *inputs_.target, code));
      details["classes"] = classes;
    }
    details["rows"] = {{"real", problem_.real.num_rows},
                       {"synthetic", problem_.synthetic.num_rows},
                       {"holdout", problem_.holdout.num_rows},
                       {"left_out_without_target",
                        (inputs_.real.num_rows - problem_.real.num_rows) +
                            (inputs_.synthetic.num_rows - problem_.synthetic.num_rows) +
                            (inputs_.holdout.num_rows - problem_.holdout.num_rows)}};
    const XgboostOptions xgb;
    details["model_settings"] = {
        {"xgboost",
         {{"rounds", xgb.rounds}, {"max_depth", xgb.max_depth}, {"eta", xgb.eta},
          {"tree_method", "hist"}, {"nthread", 1}}},
        {LinearName(), problem_.task == ModelTask::kRegression
                           ? nlohmann::json{{"alpha", 1.0}}
                           : nlohmann::json{{"C", MetricLogisticOptions().c}}}};
    return details;
  }

  // Every score of both models trained on real and on synthetic rows.
  nlohmann::json ModelDetails() const {
    nlohmann::json models;
    for (const auto& [name, trtr, tstr] : {std::tuple{std::string("xgboost"), kXgboostTrtr, kXgboostTstr},
                                           std::tuple{LinearName(), kLinearTrtr, kLinearTstr}}) {
      models[name] = {{"trtr", scorer_.All(jobs_[trtr].predictions, all_rows_)},
                      {"tstr", scorer_.All(jobs_[tstr].predictions, all_rows_)},
                      {"tstr_over_trtr", NumberOrNull(Ratio(Primary(tstr, all_rows_), Primary(trtr, all_rows_)))}};
    }
    if (problem_.task != ModelTask::kRegression) {
      models[LinearName()]["converged"] = {{"trtr", jobs_[kLinearTrtr].converged},
                                           {"tstr", jobs_[kLinearTstr].converged}};
    }
    return models;
  }

  // xgboost's TSTR / TRTR primary score, with holdout rows resampled.
  Result<Estimate> Headline(const Context& ctx) const {
    const double point = Ratio(Primary(kXgboostTstr, all_rows_), Primary(kXgboostTrtr, all_rows_));
    return Bootstrap(point, inputs_.options, "utility/tstr_over_trtr", ctx, [&](RandomStream& stream) {
      std::vector<std::uint32_t> rows;
      ResampleIndices(problem_.holdout.num_rows, stream, rows);
      return Ratio(Primary(kXgboostTstr, rows), Primary(kXgboostTrtr, rows));
    });
  }

  // The augmentation curve; a ratio that needed synthetic rows drawn with replacement is
  // noted in `sampling`.
  nlohmann::json MixDetails(std::vector<std::string>& sampling) const {
    nlohmann::json mix = nlohmann::json::array();
    for (const MixPoint& point : mix_) {
      mix.push_back({{"ratio", point.ratio},
                     {"synthetic_rows", point.rows},
                     {"with_replacement", point.with_replacement},
                     {"score", NumberOrNull(Primary(point.job, all_rows_))}});
      if (point.with_replacement) {
        char ratio[32];
        std::snprintf(ratio, sizeof(ratio), "%g", point.ratio);
        sampling.push_back(std::string("mixing ratio ") + ratio + " needs " + std::to_string(point.rows) +
                           " synthetic rows but only " + std::to_string(problem_.synthetic.num_rows) +
                           " exist; they were drawn with replacement");
      }
    }
    return mix;
  }

  // Per group of each sensitive column: xgboost's TRTR and TSTR primary scores on that
  // group's holdout rows, worst gap first.
  nlohmann::json ByGroup() const {
    nlohmann::json by_group = nlohmann::json::object();
    for (std::size_t column : inputs_.sensitive) {
      // Test rows per group code, in code order (std::map), then worst gap first.
      std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
      const std::vector<std::uint32_t>& codes = problem_.holdout.codes[column];
      for (std::size_t row = 0; row < codes.size(); ++row) {
        groups[codes[row]].push_back(static_cast<std::uint32_t>(row));
      }
      struct Entry {
        std::uint32_t code;
        std::size_t rows;
        double trtr, tstr, gap;
      };
      std::vector<Entry> entries;
      for (const auto& [code, rows] : groups) {
        const double trtr = Primary(kXgboostTrtr, rows);
        const double tstr = Primary(kXgboostTstr, rows);
        entries.push_back({code, rows.size(), trtr, tstr, trtr - tstr});
      }
      // Worst (largest) gap first; undefined gaps (one class in the group) last.
      std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        const bool a_defined = std::isfinite(a.gap);
        const bool b_defined = std::isfinite(b.gap);
        if (a_defined != b_defined) return a_defined;
        return a_defined && a.gap > b.gap;
      });
      nlohmann::json list = nlohmann::json::array();
      for (const Entry& entry : entries) {
        list.push_back({{"group", CodeLabel(inputs_, column, entry.code)},
                        {"rows", entry.rows},
                        {"trtr", NumberOrNull(entry.trtr)},
                        {"tstr", NumberOrNull(entry.tstr)},
                        {"gap", NumberOrNull(entry.gap)}});
      }
      by_group[inputs_.columns[column].name] = list;
    }
    return by_group;
  }

 private:
  std::string LinearName() const {
    return problem_.task == ModelTask::kRegression ? "ridge_regression" : "logistic_regression";
  }

  const Problem& problem_;
  const EvalInputs& inputs_;
  const Scorer scorer_;
  const std::vector<std::uint32_t> all_rows_;
  std::vector<Job> jobs_;
  std::vector<MixPoint> mix_;
  std::vector<std::vector<int>> predicted_;  // per job, classification only
};

class UtilityMetric final : public Metric {
 public:
  std::string_view name() const override { return "utility"; }
  Section section() const override { return Section::kUtility; }
  std::string_view description() const override {
    return "train on synthetic vs train on real, both tested on the real holdout (xgboost and a "
           "linear model)";
  }
  std::string Unavailable(const EvalInputs& inputs) const override {
    if (!inputs.target && !inputs.has_holdout) return "needs --target and --holdout";
    if (!inputs.target) return "needs --target";
    if (!inputs.has_holdout) return "needs --holdout";
    return {};
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    if (std::string reason = Unavailable(inputs); !reason.empty()) {
      return InvalidArgument("utility " + reason);
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(const Problem problem, MakeProblem(inputs));
    UtilityJobs jobs(problem, inputs);
    jobs.Plan();
    SYNTHSCALE_RETURN_IF_ERROR(jobs.Run(ctx));

    MetricResult result;
    result.details = jobs.ProblemDetails();
    result.details["models"] = jobs.ModelDetails();
    SYNTHSCALE_ASSIGN_OR_RETURN(const Estimate headline, jobs.Headline(ctx));
    result.details["tstr_over_trtr"] = EstimateToJson(headline);
    result.summary.emplace_back("tstr_over_trtr", headline);
    if (!inputs.options.mix_ratios.empty()) result.details["mix"] = jobs.MixDetails(result.sampling);
    if (!inputs.sensitive.empty()) result.details["by_group"] = jobs.ByGroup();
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeUtilityMetric() { return std::make_unique<UtilityMetric>(); }

}  // namespace synthscale::eval
