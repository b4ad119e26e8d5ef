// FeatureEncoder: the design matrix the utility and detection models are trained on.
//
// Built from EvalTable rows (see eval_inputs.h), one row per table row:
//   numeric column (integer, continuous, datetime, boolean)
//       two features: (value - mean) / sd with the training rows' mean and sd (missing
//       becomes 0, the mean), and a 0/1 missing indicator, so models see missingness;
//   categorical column with at most kMaxOneHotCodes codes (missing and out-of-domain
//       included)
//       one-hot of its codes;
//   categorical column with more codes (an industry code, a zip code)
//       one-hot of its kMaxOneHotCodes - 1 most frequent codes in the training rows, one
//       "other" indicator for the rest, and the code's share of the training rows (its
//       frequency encoding), so a tree can still separate common from rare values. This
//       bounds the width at kMaxOneHotCodes + 1 features per column: a full one-hot of a
//       5,000-category column made 5,000 dense float features per row (2.3 GB and over
//       120 s for pmse on 10,000 rows, issue 13).
// The target column, when given, is left out. Standardising with the training rows'
// statistics (not the test rows') keeps the test set unseen, and puts numeric features
// on the scale an L2 penalty assumes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// A dense row-major float matrix, the layout xgboost's C API reads without copying.
struct DenseMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;  // rows * cols, row-major

  float at(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
};

// The widest one-hot a categorical column gets (see above).
inline constexpr std::uint32_t kMaxOneHotCodes = 32;

class FeatureEncoder {
 public:
  // Learn each numeric column's mean and sd from `train` (NaN ignored; sd 0 or no
  // values leave the value unscaled). `exclude` is the target column, or nullopt.
  static FeatureEncoder Fit(const std::vector<EvalColumn>& columns, const EvalTable& train,
                            std::optional<std::size_t> exclude);

  std::size_t num_features() const { return num_features_; }
  // Readable names ("age", "age=missing", "workclass#3"), for debugging and details.
  std::vector<std::string> FeatureNames() const;

  // The design matrix of every row of `table`.
  DenseMatrix Transform(const EvalTable& table) const;
  // The design matrix of table rows `rows` (in that order; repeats allowed).
  DenseMatrix TransformRows(const EvalTable& table, std::span<const std::uint32_t> rows) const;

 private:
  struct Block {
    std::size_t column = 0;
    std::size_t offset = 0;  // first feature of this column
    bool numeric = false;
    std::uint32_t width = 0;  // 2 for numeric, cardinality or kMaxOneHotCodes + 1 for categorical
    double mean = 0.0;
    double scale = 1.0;  // 1 / sd
    // Wide categorical columns only: code -> its one-hot slot (kMaxOneHotCodes - 1 is
    // "other") and code -> share of training rows; empty for a plain one-hot.
    std::vector<std::uint32_t> slot;
    std::vector<float> frequency;
  };
  void FillRow(const EvalTable& table, std::size_t row, float* out) const;
  static void FitWideCategorical(const EvalColumn& column, const std::vector<std::uint32_t>& codes,
                                 std::size_t rows, Block& block, std::vector<std::string>& names);

  std::vector<Block> blocks_;
  std::vector<std::string> names_;
  std::size_t num_features_ = 0;
};

// Rows `rows` of `table`, in that order (codes and numeric values copied).
EvalTable SelectRows(const EvalTable& table, std::span<const std::uint32_t> rows);
// `first`'s rows followed by `second`'s; both must have the same columns.
EvalTable ConcatenateRows(const EvalTable& first, const EvalTable& second);

}  // namespace synthscale::eval
