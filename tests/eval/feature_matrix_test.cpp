#include "synthscale/eval/feature_matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace synthscale::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Columns: x (integer, numeric), colour (categorical, 2 categories: codes 0..3 with
// missing 2 and out-of-domain 3), y (the target, numeric).
struct Fixture {
  std::vector<EvalColumn> columns;
  EvalTable table;
  Fixture() {
    columns.resize(3);
    columns[0] = {"x", ColumnType::kInteger, 0, 4, true};
    columns[1] = {"colour", ColumnType::kCategorical, 1, 2, false};
    columns[2] = {"y", ColumnType::kContinuous, 2, 8, true};
    table.num_rows = 4;
    table.codes = {{0, 1, 4, 2}, {0, 1, 2, 3}, {0, 0, 0, 0}};
    table.numeric = {{1.0, 2.0, kNaN, 3.0}, {}, {5.0, 6.0, 7.0, 8.0}};
  }
};

TEST(FeatureMatrix, StandardisesNumericOneHotsCodesAndLeavesOutTarget) {
  const Fixture f;
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, f.table, 2);
  // x: value + missing indicator; colour: 4 codes; y excluded.
  ASSERT_EQ(encoder.num_features(), 6u);
  const DenseMatrix m = encoder.Transform(f.table);
  ASSERT_EQ(m.rows, 4u);
  ASSERT_EQ(m.cols, 6u);
  // Mean of {1, 2, 3} is 2; population sd is sqrt(2/3).
  const double sd = std::sqrt(2.0 / 3.0);
  EXPECT_FLOAT_EQ(m.at(0, 0), static_cast<float>(-1.0 / sd));
  EXPECT_FLOAT_EQ(m.at(1, 0), 0.0f);
  EXPECT_FLOAT_EQ(m.at(3, 0), static_cast<float>(1.0 / sd));
  EXPECT_FLOAT_EQ(m.at(2, 0), 0.0f);  // missing -> 0 (the mean) ...
  EXPECT_FLOAT_EQ(m.at(2, 1), 1.0f);  // ... plus the indicator
  EXPECT_FLOAT_EQ(m.at(0, 1), 0.0f);
  for (std::size_t row = 0; row < 4; ++row) {
    for (std::size_t code = 0; code < 4; ++code) {
      EXPECT_FLOAT_EQ(m.at(row, 2 + code), row == code ? 1.0f : 0.0f) << row << " " << code;
    }
  }
  EXPECT_EQ(encoder.FeatureNames()[1], "x=missing");
  EXPECT_EQ(encoder.FeatureNames()[5], "colour#3");
}

TEST(FeatureMatrix, TestRowsUseTrainingStatistics) {
  const Fixture f;
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, f.table, 2);
  EvalTable test = f.table;
  test.numeric[0] = {4.0, 4.0, 4.0, 4.0};  // its own sd would be 0
  const DenseMatrix m = encoder.Transform(test);
  EXPECT_FLOAT_EQ(m.at(0, 0), static_cast<float>(2.0 / std::sqrt(2.0 / 3.0)));
}

TEST(FeatureMatrix, ConstantColumnIsLeftUnscaled) {
  Fixture f;
  f.table.numeric[0] = {3.0, 3.0, 3.0, 3.0};
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, f.table, std::nullopt);
  EXPECT_EQ(encoder.num_features(), 8u);  // target kept when not excluded
  const DenseMatrix m = encoder.Transform(f.table);
  EXPECT_FLOAT_EQ(m.at(0, 0), 0.0f);
  EXPECT_TRUE(std::isfinite(m.at(0, 6)));
}

TEST(FeatureMatrix, ExtremeValuesStayFinite) {
  const Fixture f;
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, f.table, 2);
  EvalTable test = f.table;
  test.numeric[0] = {1e300, -1e300, 0.0, 0.0};  // out of domain, beyond float range
  const DenseMatrix m = encoder.Transform(test);
  EXPECT_TRUE(std::isfinite(m.at(0, 0)));
  EXPECT_GT(m.at(0, 0), 1e29f);
  EXPECT_LT(m.at(1, 0), -1e29f);
}

TEST(FeatureMatrix, TransformRowsFollowsTheGivenOrder) {
  const Fixture f;
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, f.table, 2);
  const DenseMatrix all = encoder.Transform(f.table);
  const std::vector<std::uint32_t> rows = {3, 0, 3};
  const DenseMatrix some = encoder.TransformRows(f.table, rows);
  ASSERT_EQ(some.rows, 3u);
  for (std::size_t col = 0; col < all.cols; ++col) {
    EXPECT_EQ(some.at(0, col), all.at(3, col));
    EXPECT_EQ(some.at(1, col), all.at(0, col));
    EXPECT_EQ(some.at(2, col), all.at(3, col));
  }
}

TEST(FeatureMatrix, SelectAndConcatenateRows) {
  const Fixture f;
  const std::vector<std::uint32_t> rows = {2, 1};
  const EvalTable picked = SelectRows(f.table, rows);
  ASSERT_EQ(picked.num_rows, 2u);
  EXPECT_EQ(picked.codes[1][0], 2u);
  EXPECT_TRUE(std::isnan(picked.numeric[0][0]));
  EXPECT_TRUE(picked.numeric[1].empty());
  const EvalTable both = ConcatenateRows(f.table, picked);
  ASSERT_EQ(both.num_rows, 6u);
  EXPECT_EQ(both.codes[1][5], 1u);
  EXPECT_EQ(both.numeric[2][4], 7.0);
}

TEST(FeatureMatrix, EmptyTableGivesEmptyMatrix) {
  Fixture f;
  EvalTable empty;
  empty.codes.resize(3);
  empty.numeric.resize(3);
  const FeatureEncoder encoder = FeatureEncoder::Fit(f.columns, empty, 2);
  const DenseMatrix m = encoder.Transform(empty);
  EXPECT_EQ(m.rows, 0u);
  EXPECT_EQ(m.cols, 6u);
}

// Issue 13: a 5,000-category column used to become 5,002 dense features per row (2.3 GB
// and over 120 s of pmse on 10,000 rows). Now its width is bounded, frequent codes keep
// their own column and rare ones share "other" plus their frequency.
TEST(FeatureMatrix, WideCategoricalColumnHasBoundedWidth) {
  constexpr std::uint32_t kCategories = 5000;
  std::vector<EvalColumn> columns = {{"zip", ColumnType::kCategorical, 0, kCategories, false}};
  EvalTable table;
  table.num_rows = 10000;
  table.codes.resize(1);
  table.numeric.resize(1);
  // Code 7 in 4,000 rows, code 9 in 1,000, the rest spread over every other code.
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    const auto code = row < 4000 ? 7u : row < 5000 ? 9u : static_cast<std::uint32_t>(row % kCategories);
    table.codes[0].push_back(code);
  }
  const FeatureEncoder encoder = FeatureEncoder::Fit(columns, table, std::nullopt);
  ASSERT_EQ(encoder.num_features(), kMaxOneHotCodes + 1);
  const std::vector<std::string> names = encoder.FeatureNames();
  EXPECT_EQ(names[0], "zip#7");  // most frequent first
  EXPECT_EQ(names[1], "zip#9");
  EXPECT_EQ(names[kMaxOneHotCodes - 1], "zip#other");
  EXPECT_EQ(names[kMaxOneHotCodes], "zip=frequency");
  EvalTable test;
  test.num_rows = 3;
  test.codes = {{7, 4999, kCategories + 1}};  // frequent, rare, out of domain
  test.numeric.resize(1);
  const DenseMatrix m = encoder.Transform(test);
  EXPECT_FLOAT_EQ(m.at(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(m.at(0, kMaxOneHotCodes), 0.4f + 1.0f / 10000.0f);  // 4,000 + row 5007
  EXPECT_FLOAT_EQ(m.at(1, kMaxOneHotCodes - 1), 1.0f);
  EXPECT_FLOAT_EQ(m.at(1, kMaxOneHotCodes), 1.0f / 10000.0f);
  EXPECT_FLOAT_EQ(m.at(2, kMaxOneHotCodes - 1), 1.0f);  // never seen: "other", share 0
  EXPECT_FLOAT_EQ(m.at(2, kMaxOneHotCodes), 0.0f);
  float ones = 0.0f;
  for (std::size_t col = 0; col < kMaxOneHotCodes; ++col) ones += m.at(1, col);
  EXPECT_FLOAT_EQ(ones, 1.0f);
}

TEST(FeatureMatrix, NarrowCategoricalColumnKeepsItsFullOneHot) {
  std::vector<EvalColumn> columns = {{"c", ColumnType::kCategorical, 0, kMaxOneHotCodes - 2, false}};
  EvalTable table;
  table.num_rows = 1;
  table.codes = {{0}};
  table.numeric.resize(1);
  EXPECT_EQ(FeatureEncoder::Fit(columns, table, std::nullopt).num_features(), kMaxOneHotCodes);
}

}  // namespace
}  // namespace synthscale::eval
