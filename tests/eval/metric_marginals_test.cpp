#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fidelity_test_util.h"
#include "synthscale/eval/marginal_tvd.h"

namespace synthscale::eval {
namespace {

using namespace fidelity_testing;

// colour in {blue, green, red}; flag boolean; size integer 0..3 in 2 bins {0,1}, {2,3}.
Schema TinySchema() {
  return Schema({CategoricalSchema("colour", {"blue", "green", "red"}), BooleanSchema("flag"),
                 NumericSchema("size", ColumnType::kInteger, 0, 3, 2)});
}

// real (4 rows)          synthetic (5 rows)
//   red   1 0 (bin 0)      red  1 1 (bin 0)
//   red   0 2 (bin 1)      blue 1 3 (bin 1)
//   blue  1 3 (bin 1)      blue 0 3 (bin 1)
//   green 1 1 (bin 0)      -    1 0 (bin 0)
//                          red  1 2 (bin 1)
Table TinyReal() {
  return MakeTable({CategoricalColumn("colour", {"red", "red", "blue", "green"}),
                    IntColumn("flag", ColumnType::kBoolean, {1, 0, 1, 1}),
                    IntColumn("size", ColumnType::kInteger, {0, 2, 3, 1})});
}
Table TinySynthetic() {
  return MakeTable({CategoricalColumn("colour", {"red", "blue", "blue", "", "red"}),
                    IntColumn("flag", ColumnType::kBoolean, {1, 1, 0, 1, 1}),
                    IntColumn("size", ColumnType::kInteger, {1, 3, 3, 0, 2})});
}

// Hand computation (p = real share, q = synthetic share, TVD = 1/2 sum |p - q|):
// 1-way colour: blue .25/.4, green .25/0, red .5/.4, missing 0/.2
//               -> 1/2 (.15 + .25 + .1 + .2) = .35
//       flag:   false .25/.2, true .75/.8                -> 1/2 (.05 + .05) = .05
//       size:   bin0 .5/.4, bin1 .5/.6                   -> 1/2 (.1 + .1) = .1
//   mean (.35 + .05 + .1) / 3 = 1/6
// 2-way colour x flag: (red,1) .25/.4, (red,0) .25/0, (blue,1) .25/.2, (green,1) .25/0,
//                      (blue,0) 0/.2, (missing,1) 0/.2
//                      -> 1/2 (.15 + .25 + .05 + .25 + .2 + .2) = .55
//       colour x size: (red,0) .25/.2, (red,1) .25/.2, (blue,1) .25/.4, (green,0) .25/0,
//                      (missing,0) 0/.2 -> 1/2 (.05 + .05 + .15 + .25 + .2) = .35
//       flag x size:   (1,0) .5/.4, (0,1) .25/.2, (1,1) .25/.4 -> 1/2 (.1 + .05 + .15) = .15
//   mean (.55 + .35 + .15) / 3 = .35; k-marginal 1000 (1 - .35) = 650
// 3-way: (red,1,0) .25/.2, (red,0,1) .25/0, (blue,1,1) .25/.2, (green,1,0) .25/0,
//        (blue,0,1) 0/.2, (missing,1,0) 0/.2, (red,1,1) 0/.2
//        -> 1/2 (.05 + .25 + .05 + .25 + .2 + .2 + .2) = .6
TEST(MarginalsMetric, MatchesHandComputedTvds) {
  const EvalInputs inputs = Prepare(TinySchema(), TinyReal(), TinySynthetic());
  const MetricResult result = RunMetric("marginals", inputs);
  EXPECT_NEAR(SummaryEntry(result, "tvd_1way_mean").value, 1.0 / 6.0, 1e-12);
  EXPECT_NEAR(SummaryEntry(result, "tvd_2way_mean").value, 0.35, 1e-12);
  EXPECT_NEAR(SummaryEntry(result, "tvd_3way_mean").value, 0.6, 1e-12);
  EXPECT_NEAR(SummaryEntry(result, "tvd_2way_score").value, 650.0, 1e-9);
  ASSERT_EQ(result.summary.size(), 4u);
  EXPECT_EQ(result.summary[0].first, "tvd_1way_mean");
  EXPECT_EQ(result.summary[3].first, "tvd_2way_score");

  // Worst first.
  const auto& one_way = result.details["one_way"];
  ASSERT_EQ(one_way.size(), 3u);
  EXPECT_EQ(one_way[0]["column"], "colour");
  EXPECT_NEAR(one_way[0]["tvd"].get<double>(), 0.35, 1e-12);
  EXPECT_EQ(one_way[1]["column"], "size");
  EXPECT_NEAR(one_way[1]["tvd"].get<double>(), 0.1, 1e-12);
  EXPECT_EQ(one_way[2]["column"], "flag");
  EXPECT_NEAR(one_way[2]["tvd"].get<double>(), 0.05, 1e-12);
  const auto& two_way = result.details["two_way"];
  ASSERT_EQ(two_way.size(), 3u);
  EXPECT_EQ(two_way[0]["columns"], nlohmann::json({"colour", "flag"}));
  EXPECT_NEAR(two_way[0]["tvd"].get<double>(), 0.55, 1e-12);
  EXPECT_EQ(two_way[2]["columns"], nlohmann::json({"flag", "size"}));
  EXPECT_NEAR(two_way[2]["tvd"].get<double>(), 0.15, 1e-12);
  EXPECT_EQ(result.details["three_way_evaluated"], 1);
  EXPECT_EQ(result.details["three_way_total"], 1);
  EXPECT_TRUE(result.sampling.empty());
}

TEST(MarginalsMetric, IntervalsContainThePointAndKMarginalMapsThem) {
  const EvalInputs inputs = Prepare(TinySchema(), TinyReal(), TinySynthetic(), TestOptions(200));
  const MetricResult result = RunMetric("marginals", inputs);
  for (const char* key : {"tvd_1way_mean", "tvd_2way_mean", "tvd_3way_mean"}) {
    const Estimate estimate = SummaryEntry(result, key);
    EXPECT_LE(estimate.ci_low, estimate.value) << key;
    EXPECT_GE(estimate.ci_high, estimate.value) << key;
    EXPECT_GE(estimate.ci_low, 0.0) << key;
    EXPECT_LE(estimate.ci_high, 1.0) << key;
    EXPECT_LT(estimate.ci_low, estimate.ci_high) << key;
  }
  const Estimate two_way = SummaryEntry(result, "tvd_2way_mean");
  const Estimate k_marginal = SummaryEntry(result, "tvd_2way_score");
  EXPECT_NEAR(k_marginal.ci_low, 1000.0 * (1.0 - two_way.ci_high), 1e-9);
  EXPECT_NEAR(k_marginal.ci_high, 1000.0 * (1.0 - two_way.ci_low), 1e-9);
}

TEST(MarginalsMetric, NoIntervalsWithoutReplicates) {
  const EvalInputs inputs = Prepare(TinySchema(), TinyReal(), TinySynthetic(), TestOptions(0));
  const MetricResult result = RunMetric("marginals", inputs);
  const Estimate estimate = SummaryEntry(result, "tvd_2way_mean");
  EXPECT_NEAR(estimate.value, 0.35, 1e-12);
  EXPECT_TRUE(std::isnan(estimate.ci_low));
  EXPECT_TRUE(std::isnan(estimate.ci_high));
}

// A correlated table: x in {a, b, c, d}; y equals x 90% of the time; z = bin of x's index.
Schema CorrelatedSchema() {
  return Schema({CategoricalSchema("x", {"a", "b", "c", "d"}), CategoricalSchema("y", {"a", "b", "c", "d"}),
                 NumericSchema("z", ColumnType::kInteger, 0, 3, 4), BooleanSchema("w")});
}

Table CorrelatedTable(std::size_t rows, std::uint64_t seed) {
  const std::vector<std::string> labels = {"a", "b", "c", "d"};
  std::vector<std::string> x;
  std::vector<std::string> y;
  std::vector<std::optional<std::int64_t>> z;
  std::vector<std::optional<std::int64_t>> w;
  RandomStream stream(seed, "test/correlated", 0);
  for (std::size_t row = 0; row < rows; ++row) {
    const std::size_t value = stream.UniformBelow(4);
    x.push_back(labels[value]);
    y.push_back(stream.UniformBelow(10) == 0 ? labels[stream.UniformBelow(4)] : labels[value]);
    z.push_back(static_cast<std::int64_t>(value));
    w.push_back(static_cast<std::int64_t>(value >= 2 ? 1 : 0));
  }
  return MakeTable({CategoricalColumn("x", x), CategoricalColumn("y", y),
                    IntColumn("z", ColumnType::kInteger, z), IntColumn("w", ColumnType::kBoolean, w)});
}

TEST(MarginalsMetric, CopyOfRealScoresPerfectly) {
  const Table real = CorrelatedTable(500, 1);
  const EvalInputs inputs = Prepare(CorrelatedSchema(), real, real);
  const MetricResult result = RunMetric("marginals", inputs);
  for (const char* key : {"tvd_1way_mean", "tvd_2way_mean", "tvd_3way_mean"}) {
    const Estimate estimate = SummaryEntry(result, key);
    EXPECT_EQ(estimate.value, 0.0) << key;
    EXPECT_EQ(estimate.ci_low, 0.0) << key;
    EXPECT_GE(estimate.ci_high, 0.0) << key;
  }
  EXPECT_EQ(SummaryEntry(result, "tvd_2way_score").value, 1000.0);
  for (const auto& entry : result.details["three_way"]) EXPECT_EQ(entry["tvd"].get<double>(), 0.0);
}

TEST(MarginalsMetric, IndependentShufflesKeepOneWayButBreakTwoWay) {
  const Table real = CorrelatedTable(2000, 2);
  const EvalInputs inputs = Prepare(CorrelatedSchema(), real, ShuffleColumns(real, 3));
  const MetricResult result = RunMetric("marginals", inputs);
  // A permutation keeps every column's counts: 1-way TVD is exactly 0.
  EXPECT_EQ(SummaryEntry(result, "tvd_1way_mean").value, 0.0);
  // x, y, z, w are nearly functions of one another: after shuffling, a 2-way marginal of
  // two such columns loses about 3/4 of its mass to off-diagonal cells (1 - 1/4 for
  // 4-valued pairs, 1/2 for pairs with w), so every pair is far off.
  const Estimate two_way = SummaryEntry(result, "tvd_2way_mean");
  EXPECT_GT(two_way.value, 0.4);
  EXPECT_GT(two_way.ci_low, 0.3);
  EXPECT_GT(SummaryEntry(result, "tvd_3way_mean").value, two_way.value);
  EXPECT_LT(SummaryEntry(result, "tvd_2way_score").value, 600.0);
}

TEST(MarginalsMetric, IntervalNarrowsWithMoreRows) {
  auto width = [](std::size_t rows) {
    const Table real = CorrelatedTable(rows, 4);
    const Table synthetic = CorrelatedTable(rows, 5);
    const EvalInputs inputs = Prepare(CorrelatedSchema(), real, synthetic, TestOptions(100));
    const Estimate estimate = SummaryEntry(RunMetric("marginals", inputs), "tvd_2way_mean");
    EXPECT_LE(estimate.ci_low, estimate.value);
    EXPECT_GE(estimate.ci_high, estimate.value);
    return estimate.ci_high - estimate.ci_low;
  };
  const double small = width(200);
  const double large = width(5000);
  EXPECT_GT(large, 0.0);
  // The spread shrinks like 1/sqrt(rows): 5x at 25x the rows; ask for 2.5x.
  EXPECT_LT(large * 2.5, small);
}

TEST(MarginalsMetric, SameResultForAnyThreadCount) {
  const Table real = CorrelatedTable(3000, 6);
  const EvalInputs inputs = Prepare(CorrelatedSchema(), real, ShuffleColumns(real, 7), TestOptions(40));
  const std::string one = Serialize(RunMetric("marginals", inputs, 1));
  EXPECT_EQ(one, Serialize(RunMetric("marginals", inputs, 4)));
  EXPECT_EQ(one, Serialize(RunMetric("marginals", inputs, 3)));
}

// Five categorical columns of 60 categories: a 3-way marginal has 62^3 = 238328 cells, more
// than the dense limit for a few hundred rows, so it is counted by sorting. Checked against
// a std::map count of the same marginal.
TEST(MarginalsMetric, SparseCountingMatchesAMapCount) {
  std::vector<std::string> categories;
  for (int idx = 0; idx < 60; ++idx) categories.push_back("v" + std::to_string(idx));
  std::vector<ColumnSchema> columns;
  for (int col = 0; col < 5; ++col) columns.push_back(CategoricalSchema("c" + std::to_string(col), categories));
  auto make = [&](std::size_t rows, std::uint64_t seed) {
    std::vector<std::vector<std::string>> values(5);
    RandomStream stream(seed, "test/sparse", 0);
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t col = 0; col < 5; ++col) {
        // Skewed towards small codes so that some cells repeat; every 17th value missing.
        const std::uint64_t draw = stream.UniformBelow(60) * stream.UniformBelow(60) / 60;
        values[col].push_back(stream.UniformBelow(17) == 0 ? "" : categories[draw]);
      }
    }
    std::vector<Column> table_columns;
    for (std::size_t col = 0; col < 5; ++col) table_columns.push_back(CategoricalColumn("c" + std::to_string(col), values[col]));
    return MakeTable(std::move(table_columns));
  };
  const EvalInputs inputs = Prepare(Schema(columns), make(300, 1), make(400, 2), TestOptions(0));
  using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>;
  auto shares = [&](const EvalTable& table) {
    std::map<Key, double> out;
    for (std::size_t row = 0; row < table.num_rows; ++row) {
      out[{table.codes[0][row], table.codes[2][row], table.codes[4][row]}] += 1.0 / static_cast<double>(table.num_rows);
    }
    return out;
  };
  std::map<Key, double> real = shares(inputs.real);
  std::map<Key, double> synthetic = shares(inputs.synthetic);
  double sum = 0.0;
  for (const auto& [key, share] : real) sum += std::abs(share - (synthetic.count(key) ? synthetic[key] : 0.0));
  for (const auto& [key, share] : synthetic) sum += real.count(key) ? 0.0 : share;
  const std::vector<std::size_t> clique = {0, 2, 4};
  MarginalScratch scratch;
  const double tvd = MarginalTvd(inputs, clique, RowSubset{}, RowSubset{}, scratch);
  EXPECT_NEAR(tvd, 0.5 * sum, 1e-12);
  EXPECT_GT(tvd, 0.5);
  EXPECT_FALSE(scratch.real_cells.empty());  // the sorted path ran
}

// A bootstrap replicate counts rows by weight; it must equal the TVD of the tables with
// the rows repeated. Real weights 2,0,1,1 and synthetic weights 0,1,1,2,1 (each summing to
// its row count) against the tiny tables rebuilt with those repetitions.
TEST(MarginalsMetric, WeightedRowsEqualRepeatedRows) {
  const EvalInputs inputs = Prepare(TinySchema(), TinyReal(), TinySynthetic(), TestOptions(0));
  const Table repeated_real = MakeTable({CategoricalColumn("colour", {"red", "red", "blue", "green"}),
                                         IntColumn("flag", ColumnType::kBoolean, {1, 1, 1, 1}),
                                         IntColumn("size", ColumnType::kInteger, {0, 0, 3, 1})});
  const Table repeated_synthetic = MakeTable({CategoricalColumn("colour", {"blue", "blue", "", "", "red"}),
                                              IntColumn("flag", ColumnType::kBoolean, {1, 0, 1, 1, 1}),
                                              IntColumn("size", ColumnType::kInteger, {3, 3, 0, 0, 2})});
  const EvalInputs repeated = Prepare(TinySchema(), repeated_real, repeated_synthetic, TestOptions(0));
  const std::vector<std::uint32_t> real_weights = {2, 0, 1, 1};
  const std::vector<std::uint32_t> synthetic_weights = {0, 1, 1, 2, 1};
  RowSubsetStorage real_storage;
  RowSubsetStorage synthetic_storage;
  const RowSubset real = NonzeroRows(inputs.real, real_weights, real_storage);
  const RowSubset synthetic = NonzeroRows(inputs.synthetic, synthetic_weights, synthetic_storage);
  EXPECT_EQ(real_storage.weights, (std::vector<std::uint32_t>{2, 1, 1}));
  // size codes of real rows 0, 2, 3: bins 0, 1, 0.
  EXPECT_EQ(real_storage.codes[2], (std::vector<std::uint32_t>{0, 1, 0}));
  MarginalScratch scratch;
  const std::vector<std::vector<std::size_t>> cliques = {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};
  for (const auto& clique : cliques) {
    EXPECT_EQ(MarginalTvd(inputs, clique, real, synthetic, scratch),
              MarginalTvd(repeated, clique, RowSubset{}, RowSubset{}, scratch))
        << clique.size();
  }
}

TEST(MarginalsMetric, SampledThreeWayIsSeededAndReported) {
  std::vector<ColumnSchema> columns;
  std::vector<Column> real_columns;
  std::vector<Column> synthetic_columns;
  for (int col = 0; col < 6; ++col) {
    const std::string name = "c" + std::to_string(col);
    columns.push_back(CategoricalSchema(name, {"a", "b"}));
    real_columns.push_back(CategoricalColumn(name, {"a", "b", "a", "a"}));
    synthetic_columns.push_back(CategoricalColumn(name, {"b", "b", "a", col % 2 ? "a" : "b"}));
  }
  EvalOptions options = TestOptions(10);
  options.max_three_way = 7;
  const Table real = MakeTable(real_columns);
  const Table synthetic = MakeTable(synthetic_columns);
  const EvalInputs inputs = Prepare(Schema(columns), real, synthetic, options);
  const MetricResult first = RunMetric("marginals", inputs);
  EXPECT_EQ(first.details["three_way_evaluated"], 7);
  EXPECT_EQ(first.details["three_way_total"], 20);  // C(6, 3)
  EXPECT_EQ(first.details["three_way"].size(), 7u);
  ASSERT_EQ(first.sampling.size(), 1u);
  EXPECT_NE(first.sampling[0].find("7 of 20"), std::string::npos) << first.sampling[0];
  EXPECT_EQ(Serialize(first), Serialize(RunMetric("marginals", inputs, 1)));
  // The seven are distinct triples of distinct columns.
  std::set<std::vector<std::string>> seen;
  for (const auto& entry : first.details["three_way"]) {
    std::vector<std::string> names = entry["columns"].get<std::vector<std::string>>();
    EXPECT_EQ(names.size(), 3u);
    EXPECT_TRUE(names[0] < names[1] && names[1] < names[2]);
    EXPECT_TRUE(seen.insert(names).second);
  }
}

TEST(MarginalsMetric, OneColumnHasNoTwoOrThreeWayMeans) {
  const Schema schema({CategoricalSchema("colour", {"blue", "red"})});
  const EvalInputs inputs = Prepare(schema, MakeTable({CategoricalColumn("colour", {"blue", "red"})}),
                                    MakeTable({CategoricalColumn("colour", {"blue", "blue"})}));
  const MetricResult result = RunMetric("marginals", inputs);
  // blue 1/2 vs 1, red 1/2 vs 0 -> TVD 1/2.
  EXPECT_NEAR(SummaryEntry(result, "tvd_1way_mean").value, 0.5, 1e-12);
  EXPECT_TRUE(std::isnan(SummaryEntry(result, "tvd_2way_mean").value));
  EXPECT_TRUE(std::isnan(SummaryEntry(result, "tvd_3way_mean").value));
  EXPECT_TRUE(std::isnan(SummaryEntry(result, "tvd_2way_score").value));
  EXPECT_TRUE(result.details["two_way"].empty());
}

TEST(MarginalsMetric, InconsistentInputsAreAnErrorNotACrash) {
  EvalInputs inputs = Prepare(TinySchema(), TinyReal(), TinySynthetic());
  inputs.synthetic.codes[0][1] = 99;  // beyond colour's 5 codes
  Context ctx(1);
  for (const char* name : {"marginals", "column_shapes", "correlations"}) {
    Result<MetricResult> result = MakeMetric(name)->Compute(inputs, ctx);
    ASSERT_FALSE(result.ok()) << name;
    EXPECT_EQ(result.status().code(), ErrorCode::kInternal);
    EXPECT_NE(result.status().message().find("'colour'"), std::string::npos) << result.status().message();
  }
}

TEST(MarginalsMetric, IsRegisteredAsFidelity) {
  const std::vector<std::string> names = MetricNames();
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "marginals");
  EXPECT_EQ(names[1], "column_shapes");
  EXPECT_EQ(names[2], "correlations");
  for (std::size_t idx = 0; idx < 3; ++idx) EXPECT_EQ(MakeMetric(names[idx])->section(), Section::kFidelity);
}

}  // namespace
}  // namespace synthscale::eval
