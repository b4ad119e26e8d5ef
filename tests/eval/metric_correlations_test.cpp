#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fidelity_test_util.h"

namespace synthscale::eval {
namespace {

using namespace fidelity_testing;

// u integer 1..4 (one bin per value), v integer 1..8 (one bin per value), c in {a, b},
// d in {x, y}.
Schema PairsSchema() {
  return Schema({NumericSchema("u", ColumnType::kInteger, 1, 4, 4), NumericSchema("v", ColumnType::kInteger, 1, 8, 8),
                 CategoricalSchema("c", {"a", "b"}), CategoricalSchema("d", {"x", "y"})});
}

// real:      u = 1,2,3,4  v = 2,4,6,8  c = a,a,b,b  d = x,x,y,y
// synthetic: u = 1,2,3,4  v = 1,3,2,4  c = a,a,b,b  d = x,y,x,y
Table PairsReal() {
  return MakeTable({IntColumn("u", ColumnType::kInteger, {1, 2, 3, 4}), IntColumn("v", ColumnType::kInteger, {2, 4, 6, 8}),
                    CategoricalColumn("c", {"a", "a", "b", "b"}), CategoricalColumn("d", {"x", "x", "y", "y"})});
}
Table PairsSynthetic() {
  return MakeTable({IntColumn("u", ColumnType::kInteger, {1, 2, 3, 4}), IntColumn("v", ColumnType::kInteger, {1, 3, 2, 4}),
                    CategoricalColumn("c", {"a", "a", "b", "b"}), CategoricalColumn("d", {"x", "y", "x", "y"})});
}

// Hand computation.
// (u, v) Pearson: real v = 2u -> r = 1. Synthetic: deviations from the mean 2.5 are
//   du = -1.5, -.5, .5, 1.5 and dv = -1.5, .5, -.5, 1.5: sxy = 2.25 - .25 - .25 + 2.25 = 4,
//   sxx = syy = 5 -> r = 0.8. Difference 0.2.
// (c, d) Cramer's V: real cells (a,x) 2, (b,y) 2, row/column totals 2:
//   sum O^2/(R C) = 4/4 + 4/4 = 2 -> phi^2 = 1, min(r, c) - 1 = 1 -> V = 1.
//   Synthetic: every cell 1: sum = 4 * 1/4 = 1 -> phi^2 = 0 -> V = 0. Difference 1.
// (u, c), (u, d), (v, c), (v, d): mixed pairs, Cramer's V on u's and v's bins; every u or v
//   value is its own bin and occurs once, so each row of the table is one cell with R = 1
//   and a column total of 2: sum = 4 * 1/2 = 2 -> V = 1 in both tables. Difference 0.
// Mean difference (0.2 + 0 + 0 + 0 + 0 + 1) / 6 = 0.2.
TEST(CorrelationsMetric, MatchesHandComputedAssociations) {
  const EvalInputs inputs = Prepare(PairsSchema(), PairsReal(), PairsSynthetic());
  const MetricResult result = RunMetric("correlations", inputs);
  EXPECT_NEAR(SummaryEntry(result, "correlation_difference_mean").value, 0.2, 1e-12);
  const auto& pairs = result.details["pairs"];
  ASSERT_EQ(pairs.size(), 6u);
  EXPECT_EQ(pairs[0]["columns"], nlohmann::json({"u", "v"}));
  EXPECT_EQ(pairs[0]["kind"], "pearson");
  EXPECT_NEAR(pairs[0]["real"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(pairs[0]["synthetic"].get<double>(), 0.8, 1e-12);
  EXPECT_NEAR(pairs[0]["difference"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(pairs[1]["columns"], nlohmann::json({"u", "c"}));
  EXPECT_EQ(pairs[1]["kind"], "cramers_v");
  EXPECT_NEAR(pairs[1]["real"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(pairs[1]["synthetic"].get<double>(), 1.0, 1e-12);
  EXPECT_EQ(pairs[5]["columns"], nlohmann::json({"c", "d"}));
  EXPECT_EQ(pairs[5]["kind"], "cramers_v");
  EXPECT_NEAR(pairs[5]["real"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(pairs[5]["synthetic"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(pairs[5]["difference"].get<double>(), 1.0, 1e-12);
}

// A 3 x 2 table: (a,x) (a,x) (a,y) (b,y) (b,y) (c,x); the synthetic table adds a row with
// a missing d and a row with a missing value of w, both left out of their pairs.
//   Row totals a 3, b 2, c 1; column totals x 3, y 3.
//   sum O^2/(R C) = 4/9 + 1/9 + 4/6 + 1/3 = 14/9 -> chi2/n = 5/9 (check: expected counts
//   1.5 1.5 / 1 1 / .5 .5 give chi2 = 1/6 + 1/6 + 1 + 1 + 1/2 + 1/2 = 10/3, n = 6).
//   V = sqrt(5/9 / (min(3, 2) - 1)) = sqrt(5)/3.
// Pearson of (w, z) with w missing in the extra row: the rows used are the real ones.
TEST(CorrelationsMetric, CramersVOfAThreeByTwoTableAndMissingRowsLeftOut) {
  const Schema schema({CategoricalSchema("c", {"a", "b", "c"}), CategoricalSchema("d", {"x", "y"}),
                       NumericSchema("w", ColumnType::kContinuous, 0, 10, 5),
                       NumericSchema("z", ColumnType::kContinuous, 0, 10, 5)});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Table real = MakeTable({CategoricalColumn("c", {"a", "a", "a", "b", "b", "c"}),
                                CategoricalColumn("d", {"x", "x", "y", "y", "y", "x"}),
                                ContinuousColumn("w", {1, 2, 3, 4, 5, 6}), ContinuousColumn("z", {1, 3, 2, 5, 4, 6})});
  const Table synthetic = MakeTable({CategoricalColumn("c", {"a", "a", "a", "b", "b", "c", "c", "a"}),
                                     CategoricalColumn("d", {"x", "x", "y", "y", "y", "x", "", "y"}),
                                     ContinuousColumn("w", {1, 2, 3, 4, 5, 6, 9, nan}),
                                     ContinuousColumn("z", {1, 3, 2, 5, 4, 6, 9, 0})});
  const MetricResult result = RunMetric("correlations", Prepare(schema, real, synthetic));
  const auto& pairs = result.details["pairs"];
  ASSERT_EQ(pairs.size(), 6u);
  EXPECT_EQ(pairs[0]["columns"], nlohmann::json({"c", "d"}));
  EXPECT_NEAR(pairs[0]["real"].get<double>(), std::sqrt(5.0) / 3.0, 1e-12);
  // Synthetic (c, d): the row (c, missing) is left out; (a, y) is added: a: x 2, y 2 (R 4),
  // b: y 2 (R 2), c: x 1 (R 1); x 3, y 4; n = 7.
  //   sum O^2/(R C) = 4/12 + 4/16 + 4/8 + 1/3 = 17/12 -> chi2/n = 5/12 -> V = sqrt(5/12).
  EXPECT_NEAR(pairs[0]["synthetic"].get<double>(), std::sqrt(5.0 / 12.0), 1e-12);
  // (w, z) Pearson. Real: w = 1..6, z = 1,3,2,5,4,6; means 3.5; dw = -2.5,-1.5,-.5,.5,1.5,2.5,
  //   dz = -2.5,-.5,-1.5,1.5,.5,2.5: sxy = 6.25+.75+.75+.75+.75+6.25 = 15.5, sxx = syy = 17.5
  //   -> r = 31/35. Synthetic adds (9, 9) (the (nan, 0) row is left out): sums of w and z
  //   are 30 (means 30/7), sum w^2 = sum z^2 = 91 + 81 = 172, sum wz = 1+6+6+20+20+36+81 = 170,
  //   7 m^2 = 900/7 -> r = (170 - 900/7) / (172 - 900/7) = 290/304 = 145/152.
  EXPECT_EQ(pairs[5]["columns"], nlohmann::json({"w", "z"}));
  EXPECT_EQ(pairs[5]["kind"], "pearson");
  EXPECT_NEAR(pairs[5]["real"].get<double>(), 31.0 / 35.0, 1e-12);
  EXPECT_NEAR(pairs[5]["synthetic"].get<double>(), 145.0 / 152.0, 1e-12);
}

TEST(CorrelationsMetric, ConstantColumnIsNullAndLeftOutOfTheMean) {
  const Schema schema({NumericSchema("u", ColumnType::kInteger, 0, 9, 10), NumericSchema("k", ColumnType::kInteger, 0, 9, 10)});
  const Table real = MakeTable({IntColumn("u", ColumnType::kInteger, {1, 2, 3}), IntColumn("k", ColumnType::kInteger, {4, 4, 4})});
  const MetricResult result = RunMetric("correlations", Prepare(schema, real, real));
  EXPECT_TRUE(result.details["pairs"][0]["real"].is_null());
  EXPECT_TRUE(result.details["pairs"][0]["difference"].is_null());
  EXPECT_TRUE(std::isnan(SummaryEntry(result, "correlation_difference_mean").value));
}

Schema LinkedSchema() {
  return Schema({NumericSchema("a", ColumnType::kContinuous, -10, 10, 8), NumericSchema("b", ColumnType::kContinuous, -10, 10, 8),
                 CategoricalSchema("g", {"p", "q", "r"}), CategoricalSchema("h", {"p", "q", "r"})});
}

// b = a + small noise; h = g 90% of the time.
Table LinkedTable(std::size_t rows, std::uint64_t seed) {
  const std::vector<std::string> labels = {"p", "q", "r"};
  RandomStream stream(seed, "test/linked", 0);
  std::vector<double> a, b;
  std::vector<std::string> g, h;
  for (std::size_t row = 0; row < rows; ++row) {
    const double value = stream.UniformDouble() * 8.0 - 4.0;
    a.push_back(value);
    b.push_back(value + stream.UniformDouble() - 0.5);
    const std::size_t group = stream.UniformBelow(3);
    g.push_back(labels[group]);
    h.push_back(stream.UniformBelow(10) == 0 ? labels[stream.UniformBelow(3)] : labels[group]);
  }
  return MakeTable({ContinuousColumn("a", a), ContinuousColumn("b", b), CategoricalColumn("g", g), CategoricalColumn("h", h)});
}

TEST(CorrelationsMetric, CopyIsZeroAndShufflesBreakAssociations) {
  const Table real = LinkedTable(2000, 1);
  const MetricResult copy = RunMetric("correlations", Prepare(LinkedSchema(), real, real));
  const Estimate copy_mean = SummaryEntry(copy, "correlation_difference_mean");
  EXPECT_EQ(copy_mean.value, 0.0);
  EXPECT_EQ(copy_mean.ci_low, 0.0);
  const MetricResult shuffled = RunMetric("correlations", Prepare(LinkedSchema(), real, ShuffleColumns(real, 2)));
  const auto& pairs = shuffled.details["pairs"];
  // (a, b): r ~ 0.99 in real, ~0 after shuffling; (g, h): V ~ 0.87 in real, ~0 shuffled.
  EXPECT_GT(pairs[0]["difference"].get<double>(), 0.9);
  EXPECT_GT(pairs[5]["difference"].get<double>(), 0.7);
  const Estimate mean = SummaryEntry(shuffled, "correlation_difference_mean");
  EXPECT_GT(mean.value, 0.25);
  EXPECT_LE(mean.ci_low, mean.value);
  EXPECT_GE(mean.ci_high, mean.value);
  EXPECT_GT(mean.ci_low, 0.2);
}

TEST(CorrelationsMetric, IntervalNarrowsWithMoreRows) {
  auto width = [](std::size_t rows) {
    const Estimate estimate = SummaryEntry(
        RunMetric("correlations", Prepare(LinkedSchema(), LinkedTable(rows, 3), LinkedTable(rows, 4), TestOptions(100))),
        "correlation_difference_mean");
    EXPECT_LE(estimate.ci_low, estimate.value);
    EXPECT_GE(estimate.ci_high, estimate.value);
    return estimate.ci_high - estimate.ci_low;
  };
  EXPECT_LT(width(5000) * 2.5, width(200));
}

TEST(CorrelationsMetric, SameResultForAnyThreadCount) {
  const Table real = LinkedTable(3000, 5);
  const EvalInputs inputs = Prepare(LinkedSchema(), real, ShuffleColumns(real, 6), TestOptions(40));
  const std::string one = Serialize(RunMetric("correlations", inputs, 1));
  EXPECT_EQ(one, Serialize(RunMetric("correlations", inputs, 4)));
}

}  // namespace
}  // namespace synthscale::eval
