#include "synthscale/eval/xgboost_model.h"

#include <cmath>
#include <mutex>
#include <string>

#include <xgboost/c_api.h>

namespace synthscale::eval {

namespace {

// Turn a failed C API call into a Status carrying xgboost's own explanation.
Status Check(int rc, const char* call) {
  if (rc == 0) return Status::Ok();
  const char* message = XGBGetLastError();
  return Internal(std::string("xgboost ") + call + " failed: " +
                  (message != nullptr ? message : "(no message)"));
}

struct MatrixDeleter {
  void operator()(void* handle) const {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};
using MatrixHandle = std::unique_ptr<void, MatrixDeleter>;

// xgboost logs warnings to stderr through a process-wide verbosity; the library must not
// print, so silence it once. This is xgboost's global state, not ours.
Status SilenceXgboost() {
  static std::once_flag once;
  static int rc = 0;
  std::call_once(once, [] { rc = XGBSetGlobalConfig(R"({"verbosity": 0})"); });
  return Check(rc, "XGBSetGlobalConfig");
}

Result<MatrixHandle> MakeMatrix(const DenseMatrix& features, int nthread) {
  DMatrixHandle raw = nullptr;
  // NaN never occurs in our design matrices (missing values are encoded as features),
  // so NaN is a safe "missing" marker for xgboost.
  SYNTHSCALE_RETURN_IF_ERROR(Check(
      XGDMatrixCreateFromMat_omp(features.values.data(), features.rows, features.cols, NAN, &raw, nthread),
      "XGDMatrixCreateFromMat"));
  return MatrixHandle(raw);
}

}  // namespace

void XgboostModel::BoosterDeleter::operator()(void* handle) const {
  if (handle != nullptr) XGBoosterFree(handle);
}

Result<XgboostModel> XgboostModel::Train(const DenseMatrix& features,
                                         std::span<const float> labels, ModelTask task,
                                         std::size_t num_classes, const XgboostOptions& options) {
  if (features.rows == 0) return InvalidArgument("cannot train xgboost on zero rows");
  if (labels.size() != features.rows) {
    return InvalidArgument("xgboost: " + std::to_string(labels.size()) + " labels for " +
                           std::to_string(features.rows) + " rows");
  }
  if (task != ModelTask::kRegression && num_classes < 2) {
    return InvalidArgument("xgboost classification needs at least 2 classes, got " +
                           std::to_string(num_classes));
  }
  if (task == ModelTask::kBinary && num_classes != 2) {
    return InvalidArgument("xgboost binary classification needs exactly 2 classes");
  }
  for (float label : labels) {
    if (!std::isfinite(label)) return InvalidArgument("xgboost labels must be finite");
    if (task != ModelTask::kRegression &&
        (label < 0.0f || label >= static_cast<float>(num_classes) || label != std::floor(label))) {
      return InvalidArgument("xgboost class labels must be integers in [0, " +
                             std::to_string(num_classes) + "), got " + std::to_string(label));
    }
  }
  SYNTHSCALE_RETURN_IF_ERROR(SilenceXgboost());
  SYNTHSCALE_ASSIGN_OR_RETURN(MatrixHandle train, MakeMatrix(features, options.nthread));
  SYNTHSCALE_RETURN_IF_ERROR(
      Check(XGDMatrixSetFloatInfo(train.get(), "label", labels.data(), labels.size()),
            "XGDMatrixSetFloatInfo(label)"));

  XgboostModel model;
  model.task_ = task;
  model.num_classes_ = task == ModelTask::kRegression ? 0 : num_classes;
  model.num_features_ = features.cols;
  model.nthread_ = options.nthread;
  DMatrixHandle matrices[] = {train.get()};
  BoosterHandle raw = nullptr;
  SYNTHSCALE_RETURN_IF_ERROR(Check(XGBoosterCreate(matrices, 1, &raw), "XGBoosterCreate"));
  model.booster_.reset(raw);

  std::vector<std::pair<std::string, std::string>> params = {
      {"verbosity", "0"},
      {"nthread", std::to_string(options.nthread)},  // see the header: 1 for determinism
      {"tree_method", "hist"},
      {"max_depth", std::to_string(options.max_depth)},
      {"eta", std::to_string(options.eta)},
      {"subsample", "1"},
      {"colsample_bytree", "1"},
      // xgboost's seed is a 32-bit int; fold the 64-bit seed.
      {"seed", std::to_string(static_cast<std::int32_t>(options.seed ^ (options.seed >> 32)))},
  };
  switch (task) {
    case ModelTask::kBinary:
      params.emplace_back("objective", "binary:logistic");
      params.emplace_back("eval_metric", "logloss");
      break;
    case ModelTask::kMulticlass:
      params.emplace_back("objective", "multi:softprob");
      params.emplace_back("num_class", std::to_string(num_classes));
      params.emplace_back("eval_metric", "mlogloss");
      break;
    case ModelTask::kRegression:
      params.emplace_back("objective", "reg:squarederror");
      break;
  }
  for (const auto& [key, value] : params) {
    SYNTHSCALE_RETURN_IF_ERROR(Check(XGBoosterSetParam(raw, key.c_str(), value.c_str()),
                                     ("XGBoosterSetParam(" + key + ")").c_str()));
  }
  for (int round = 0; round < options.rounds; ++round) {
    SYNTHSCALE_RETURN_IF_ERROR(
        Check(XGBoosterUpdateOneIter(raw, round, train.get()), "XGBoosterUpdateOneIter"));
  }
  return model;
}

Result<std::vector<double>> XgboostModel::Predict(const DenseMatrix& features) const {
  if (booster_ == nullptr) return NotFitted("xgboost model used before training");
  if (features.cols != num_features_) {
    return InvalidArgument("xgboost model was trained on " + std::to_string(num_features_) +
                           " features but asked to predict " + std::to_string(features.cols));
  }
  std::vector<double> out;
  if (features.rows == 0) return out;
  SYNTHSCALE_ASSIGN_OR_RETURN(MatrixHandle matrix, MakeMatrix(features, nthread_));
  bst_ulong length = 0;
  const float* result = nullptr;
  SYNTHSCALE_RETURN_IF_ERROR(
      Check(XGBoosterPredict(booster_.get(), matrix.get(), /*option_mask=*/0, /*ntree_limit=*/0,
                             /*training=*/0, &length, &result),
            "XGBoosterPredict"));
  const std::size_t width = task_ == ModelTask::kMulticlass ? num_classes_ : 1;
  if (length != features.rows * width) {
    return Internal("xgboost returned " + std::to_string(length) + " predictions for " +
                    std::to_string(features.rows) + " rows x " + std::to_string(width));
  }
  out.assign(result, result + length);
  return out;
}

}  // namespace synthscale::eval
