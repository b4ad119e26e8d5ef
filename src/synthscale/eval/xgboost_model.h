// XgboostModel: gradient-boosted trees through xgboost's C API (Debian libxgboost-dev).
//
// Determinism: every booster is trained and used with nthread = 1, tree_method = hist,
// no row or column subsampling and a fixed seed. xgboost does not promise that hist
// results are independent of the thread count (histograms are summed per thread
// block and then merged). We measured 1.7.4 on Adult (binary, 14-class and regression
// targets, 16k rows): predictions were bit-identical for 1, 2, 3 and 8 threads; still,
// one thread per booster makes the guarantee ours rather than an observation, and callers
// get parallelism by training independent boosters (TRTR, TSTR, folds, mixing ratios) as
// parallel tasks instead. `nthread` is exposed for that experiment (xgboost_model_test).
//
// Thread safety: distinct models may be trained and used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/eval/feature_matrix.h"

namespace synthscale::eval {

enum class ModelTask { kBinary, kMulticlass, kRegression };

struct XgboostOptions {
  int rounds = 100;       // boosting rounds
  int max_depth = 6;      // xgboost's default
  double eta = 0.3;       // xgboost's default learning rate
  std::uint64_t seed = 0;
  // Threads inside one booster. Keep 1 (see above): the metrics parallelise across
  // boosters. Other values exist for tests and experiments.
  int nthread = 1;
};

class XgboostModel {
 public:
  // Train on `features` with `labels` (class index in [0, num_classes) for
  // classification, the value for regression). Errors: kInvalidArgument for mismatched
  // sizes, no rows, labels outside [0, num_classes) or non-finite; kInternal with
  // xgboost's own message when a C API call fails.
  static Result<XgboostModel> Train(const DenseMatrix& features, std::span<const float> labels,
                                    ModelTask task, std::size_t num_classes,
                                    const XgboostOptions& options);

  // Predictions, row-major: binary P(class 1) per row; multiclass num_classes
  // probabilities per row; regression the value. Errors: kInvalidArgument when the
  // feature count differs from training; kInternal from xgboost.
  Result<std::vector<double>> Predict(const DenseMatrix& features) const;

  ModelTask task() const { return task_; }
  std::size_t num_classes() const { return num_classes_; }

 private:
  struct BoosterDeleter {
    void operator()(void* handle) const;
  };
  std::unique_ptr<void, BoosterDeleter> booster_;
  ModelTask task_ = ModelTask::kRegression;
  std::size_t num_classes_ = 0;
  std::size_t num_features_ = 0;
  int nthread_ = 1;
};

}  // namespace synthscale::eval
