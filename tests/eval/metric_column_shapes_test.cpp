#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fidelity_test_util.h"

namespace synthscale::eval {
namespace {

using namespace fidelity_testing;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

Schema ShapesSchema() {
  return Schema({NumericSchema("x", ColumnType::kContinuous, 0, 10, 5),
                 NumericSchema("k", ColumnType::kInteger, 0, 9, 10), CategoricalSchema("c", {"a", "b"})});
}

// real:      x = 1, 2, 3, -     k = 5, 5, 5, 7     c = a, a, b, -
// synthetic: x = 2, 4, -, -     k = 5, 5, 7, 9     c = a, b, b, b
Table ShapesReal() {
  return MakeTable({ContinuousColumn("x", {1, 2, 3, kMissing}), IntColumn("k", ColumnType::kInteger, {5, 5, 5, 7}),
                    CategoricalColumn("c", {"a", "a", "b", ""})});
}
Table ShapesSynthetic() {
  return MakeTable({ContinuousColumn("x", {2, 4, kMissing, kMissing}),
                    IntColumn("k", ColumnType::kInteger, {5, 5, 7, 9}), CategoricalColumn("c", {"a", "b", "b", "b"})});
}

// Hand computation.
// x: real {1,2,3}, synthetic {2,4}. ECDF gaps |F_r - F_s| right of each value:
//    1: 1/3 - 0 = 1/3;  2: 2/3 - 1/2 = 1/6;  3: 1 - 1/2 = 1/2;  4: 0.  KS = 1/2.
//    W1 = 1/3 * (2-1) + 1/6 * (3-2) + 1/2 * (4-3) = 1 (the quantile functions agree:
//    |1-2| on (0,1/3], 0 on (1/3,1/2], |2-4| on (1/2,2/3], |3-4| on (2/3,1] -> 1/3+1/3+1/3).
//    Real range 3 - 1 = 2 -> normalised 1/2. Missing: real 1/4, synthetic 2/4.
// k: real {5,5,5,7}, synthetic {5,5,7,9}: gaps 5: 3/4 - 1/2 = 1/4; 7: 1 - 3/4 = 1/4; 9: 0.
//    KS = 1/4; W1 = 1/4 * 2 + 1/4 * 2 = 1; range 2 -> 1/2.
// c: non-missing real a 2/3, b 1/3; synthetic a 1/4, b 3/4 -> TVD 1/2 (5/12 + 5/12) = 5/12.
//    Missing: real 1/4, synthetic 0.
// ks_mean = (1/2 + 1/4) / 2 = 3/8.
TEST(ColumnShapesMetric, MatchesHandComputedDistances) {
  const EvalInputs inputs = Prepare(ShapesSchema(), ShapesReal(), ShapesSynthetic());
  const MetricResult result = RunMetric("column_shapes", inputs);
  EXPECT_NEAR(SummaryEntry(result, "ks_mean").value, 0.375, 1e-12);
  ASSERT_EQ(result.summary.size(), 1u);
  const auto& columns = result.details["columns"];
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0]["column"], "x");
  EXPECT_EQ(columns[0]["type"], "continuous");
  EXPECT_NEAR(columns[0]["ks"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(columns[0]["wasserstein"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(columns[0]["wasserstein_normalized"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(columns[0]["missing_rate_real"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(columns[0]["missing_rate_synthetic"].get<double>(), 0.5, 1e-12);
  EXPECT_TRUE(columns[0]["tvd"].is_null());
  EXPECT_EQ(columns[1]["type"], "integer");
  EXPECT_NEAR(columns[1]["ks"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(columns[1]["wasserstein"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(columns[1]["wasserstein_normalized"].get<double>(), 0.5, 1e-12);
  EXPECT_EQ(columns[2]["type"], "categorical");
  EXPECT_TRUE(columns[2]["ks"].is_null());
  EXPECT_TRUE(columns[2]["wasserstein"].is_null());
  EXPECT_NEAR(columns[2]["tvd"].get<double>(), 5.0 / 12.0, 1e-12);
  EXPECT_NEAR(columns[2]["missing_rate_real"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(columns[2]["missing_rate_synthetic"].get<double>(), 0.0, 1e-12);
}

TEST(ColumnShapesMetric, AllMissingAndConstantColumnsGiveNullsNotNaNs) {
  const Schema schema({NumericSchema("x", ColumnType::kContinuous, 0, 10, 5),
                       NumericSchema("k", ColumnType::kInteger, 0, 9, 10)});
  const Table real = MakeTable({ContinuousColumn("x", {kMissing, kMissing}), IntColumn("k", ColumnType::kInteger, {3, 3})});
  const Table synthetic = MakeTable({ContinuousColumn("x", {1, 2}), IntColumn("k", ColumnType::kInteger, {3, 4})});
  const MetricResult result = RunMetric("column_shapes", Prepare(schema, real, synthetic));
  const auto& columns = result.details["columns"];
  EXPECT_TRUE(columns[0]["ks"].is_null());
  EXPECT_TRUE(columns[0]["wasserstein"].is_null());
  EXPECT_EQ(columns[0]["missing_rate_real"].get<double>(), 1.0);
  // k: real {3,3}, synthetic {3,4}: KS 1/2, W1 1/2 * 1 = 1/2; real range 0 -> null.
  EXPECT_NEAR(columns[1]["ks"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(columns[1]["wasserstein"].get<double>(), 0.5, 1e-12);
  EXPECT_TRUE(columns[1]["wasserstein_normalized"].is_null());
  // ks_mean leaves out x, which has no real values.
  EXPECT_NEAR(SummaryEntry(result, "ks_mean").value, 0.5, 1e-12);
}

Schema NumericPairSchema() {
  return Schema({NumericSchema("u", ColumnType::kContinuous, -10, 10, 20), BooleanSchema("flag"),
                 NumericSchema("day", ColumnType::kDatetime, 0, 4e9, 10)});
}

Table NumericPairTable(std::size_t rows, std::uint64_t seed, double shift) {
  RandomStream stream(seed, "test/shapes", 0);
  std::vector<double> u;
  std::vector<std::optional<std::int64_t>> flag;
  std::vector<std::optional<std::int64_t>> day;
  for (std::size_t row = 0; row < rows; ++row) {
    u.push_back(stream.UniformDouble() * 4.0 - 2.0 + shift);
    flag.push_back(static_cast<std::int64_t>(stream.UniformBelow(3) == 0));
    day.push_back(static_cast<std::int64_t>(1.6e9 + 86400.0 * static_cast<double>(stream.UniformBelow(365))));
  }
  return MakeTable({ContinuousColumn("u", u), IntColumn("flag", ColumnType::kBoolean, flag),
                    IntColumn("day", ColumnType::kDatetime, day)});
}

TEST(ColumnShapesMetric, CopyIsZeroAndShiftIsDetected) {
  const Table real = NumericPairTable(1000, 1, 0.0);
  const MetricResult copy = RunMetric("column_shapes", Prepare(NumericPairSchema(), real, real));
  EXPECT_EQ(SummaryEntry(copy, "ks_mean").value, 0.0);
  EXPECT_EQ(SummaryEntry(copy, "ks_mean").ci_low, 0.0);
  for (const auto& column : copy.details["columns"]) EXPECT_EQ(column["wasserstein"].get<double>(), 0.0);
  // u shifted by 1 on [-2, 2]: KS -> 1/4, W1 -> 1 (normalised 1/4).
  const MetricResult shifted =
      RunMetric("column_shapes", Prepare(NumericPairSchema(), real, NumericPairTable(20000, 2, 1.0)));
  const auto& u = shifted.details["columns"][0];
  EXPECT_NEAR(u["ks"].get<double>(), 0.25, 0.05);
  EXPECT_NEAR(u["wasserstein"].get<double>(), 1.0, 0.1);
  EXPECT_NEAR(u["wasserstein_normalized"].get<double>(), 0.25, 0.03);
  const Estimate ks_mean = SummaryEntry(shifted, "ks_mean");
  EXPECT_LE(ks_mean.ci_low, ks_mean.value);
  EXPECT_GE(ks_mean.ci_high, ks_mean.value);
}

TEST(ColumnShapesMetric, IntervalNarrowsWithMoreRows) {
  auto width = [](std::size_t rows) {
    const EvalInputs inputs = Prepare(NumericPairSchema(), NumericPairTable(rows, 3, 0.0),
                                      NumericPairTable(rows, 4, 0.1), TestOptions(100));
    const Estimate estimate = SummaryEntry(RunMetric("column_shapes", inputs), "ks_mean");
    EXPECT_LE(estimate.ci_low, estimate.value);
    EXPECT_GE(estimate.ci_high, estimate.value);
    return estimate.ci_high - estimate.ci_low;
  };
  EXPECT_LT(width(5000) * 2.5, width(200));
}

TEST(ColumnShapesMetric, SameResultForAnyThreadCount) {
  const EvalInputs inputs =
      Prepare(NumericPairSchema(), NumericPairTable(3000, 5, 0.0), NumericPairTable(2000, 6, 0.3), TestOptions(40));
  const std::string one = Serialize(RunMetric("column_shapes", inputs, 1));
  EXPECT_EQ(one, Serialize(RunMetric("column_shapes", inputs, 4)));
}

}  // namespace
}  // namespace synthscale::eval
