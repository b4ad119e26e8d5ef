#include "synthscale/pgm/estimation.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pgm_test_util.h"
#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"

namespace synthscale {
namespace {

constexpr std::uint64_t kNoCap = std::uint64_t{1} << 40;

Domain SixAttributes() { return Domain({"a", "b", "c", "d", "e", "f"}, {3, 4, 2, 5, 3, 4}); }

// A random table with dependence between neighbours: each attribute copies a function of the
// previous one with probability 1/2, else is uniform.
std::vector<std::vector<std::uint32_t>> RandomTable(const Domain& domain, std::size_t num_rows, std::uint64_t seed) {
  std::vector<std::vector<std::uint32_t>> rows(num_rows, std::vector<std::uint32_t>(domain.num_attributes()));
  for (std::size_t row = 0; row < num_rows; ++row) {
    RandomStream stream(seed, "pgm-estimation-table", row);
    for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) {
      const std::uint32_t size = domain.size(attribute);
      if (attribute > 0 && stream.UniformDouble() < 0.5) {
        rows[row][attribute] = (rows[row][attribute - 1] * 7 + 1) % size;
      } else {
        rows[row][attribute] = static_cast<std::uint32_t>(stream.UniformBelow(size));
      }
    }
  }
  return rows;
}

std::vector<double> CountMarginal(const Domain& domain, const std::vector<std::vector<std::uint32_t>>& rows,
                                  const Clique& clique) {
  std::vector<double> counts(domain.CellCount(clique).value(), 0.0);
  for (const auto& row : rows) counts[pgm_test::CellOf(domain, clique, row)] += 1.0;
  return counts;
}

std::vector<Measurement> ExactMeasurements(const Domain& domain, const std::vector<std::vector<std::uint32_t>>& rows,
                                           const std::vector<Clique>& cliques) {
  std::vector<Measurement> measurements;
  for (const Clique& clique : cliques) measurements.push_back({clique, CountMarginal(domain, rows, clique), 1.0});
  return measurements;
}

const std::vector<Clique> kTreeCliques = {{0, 1}, {1, 2}, {1, 3}, {3, 4}, {4, 5}};

TEST(Estimation, ZeroNoiseRecoversExactMarginals) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 20000, 1);
  std::vector<Measurement> measurements = ExactMeasurements(domain, rows, kTreeCliques);
  // One-way measurements too, as MST takes them.
  for (std::uint32_t attribute = 0; attribute < 6; ++attribute) {
    measurements.push_back({{attribute}, CountMarginal(domain, rows, {attribute}), 1.0});
  }
  GraphicalModel model = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  const Context ctx(1);
  EstimationOptions options;
  options.max_iterations = 3000;
  const EstimationReport report = Estimate(measurements, options, ctx, model).value();
  EXPECT_TRUE(report.converged);
  EXPECT_LT(report.iterations, 3000);
  EXPECT_NEAR(report.total, 20000.0, 1e-6);
  EXPECT_EQ(model.total(), report.total);
  for (const Measurement& measurement : measurements) {
    const std::vector<double> marginal = model.Marginal(measurement.clique).value();
    for (std::size_t cell = 0; cell < marginal.size(); ++cell) {
      EXPECT_NEAR(marginal[cell], measurement.values[cell], 1e-3 * measurement.values[cell])
          << domain.Describe(measurement.clique) << " cell " << cell;
    }
  }
  EXPECT_LT(report.loss, 1e-3);
}

TEST(Estimation, ReportsConvergenceWithNoisyMeasurements) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 5000, 2);
  std::vector<Measurement> measurements = ExactMeasurements(domain, rows, kTreeCliques);
  RandomStream noise(3, "pgm-estimation-noise", 0);
  for (Measurement& measurement : measurements) {
    measurement.sigma = 20.0;
    // Test noise only (not a private mechanism): uniform with standard deviation 20.
    for (double& value : measurement.values) value += (noise.UniformDouble() - 0.5) * 20.0 * std::sqrt(12.0);
  }
  GraphicalModel model = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  const Context ctx(1);
  EstimationOptions options;
  const EstimationReport report = Estimate(measurements, options, ctx, model).value();
  EXPECT_TRUE(report.converged);
  EXPECT_GT(report.iterations, 0);
  EXPECT_GT(report.loss, 0.0);
  // The fitted marginals are closer to the noisy values than the uniform start.
  GraphicalModel uniform = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  EstimationOptions none;
  none.max_iterations = 0;
  const EstimationReport start = Estimate(measurements, none, ctx, uniform).value();
  EXPECT_EQ(start.iterations, 0);
  EXPECT_FALSE(start.converged);
  EXPECT_LT(report.loss, start.loss / 10.0);
}

TEST(Estimation, KnownTotalIsUsed) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 1000, 4);
  const std::vector<Measurement> measurements = ExactMeasurements(domain, rows, {{0, 1}});
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  EstimationOptions options;
  options.known_total = 1500.0;
  const EstimationReport report = Estimate(measurements, options, Context(1), model).value();
  EXPECT_EQ(report.total, 1500.0);
  EXPECT_EQ(model.total(), 1500.0);
  double sum = 0.0;
  const std::vector<double> marginal = model.Marginal({2, 3}).value();
  for (double value : marginal) sum += value;
  EXPECT_NEAR(sum, 1500.0, 1e-9);
}

TEST(Estimation, TotalIsInverseVarianceWeighted) {
  std::vector<Measurement> measurements = {{{0}, {10.0, 20.0}, 1.0}, {{1}, {50.0, 50.0, 50.0, 50.0}, 2.0}};
  // Sums 30 (variance 2 * 1) and 200 (variance 4 * 4): (30/2 + 200/16) / (1/2 + 1/16).
  EXPECT_NEAR(EstimateTotal(measurements).value(), (15.0 + 12.5) / (0.5 + 0.0625), 1e-12);
  measurements = {{{0}, {-5.0, 1.0}, 1.0}};
  EXPECT_EQ(EstimateTotal(measurements).value(), 1.0);
  EXPECT_FALSE(EstimateTotal({}).has_value());
}

TEST(Estimation, SameBitsForAnyThreadCount) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 3000, 5);
  // Tree cliques, sub-cliques sharing a tree clique, a repeated clique (merged) and cell
  // scales: every path that sums across measurements or cells in parallel.
  std::vector<Measurement> measurements = ExactMeasurements(domain, rows, kTreeCliques);
  for (const Measurement& extra : ExactMeasurements(domain, rows, {{1}, {3}, {1, 2}, {0, 1}})) {
    measurements.push_back(extra);
  }
  measurements.back().sigma = 3.0;
  measurements.back().cell_scale.assign(measurements.back().values.size(), 1.0);
  measurements.back().cell_scale[2] = 2.5;
  std::string reference;
  for (std::size_t threads : {1u, 2u, 7u, 0u}) {
    GraphicalModel model = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
    EstimationOptions options;
    options.max_iterations = 50;
    ASSERT_TRUE(Estimate(measurements, options, Context(threads), model).ok());
    if (reference.empty()) reference = model.Serialize();
    EXPECT_EQ(model.Serialize(), reference) << threads << " threads";
  }
}

TEST(Estimation, RepeatedCliqueActsAsItsInverseVarianceMean) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 2000, 6);
  std::vector<Measurement> repeated = ExactMeasurements(domain, rows, kTreeCliques);
  // {1, 2} measured twice more, off by +3 (sigma 2) and -1 (sigma 4): a weighted mean of
  // (y + 3) / 4 + (y - 1) / 16 + y / 1 over 1/4 + 1/16 + 1.
  Measurement high = repeated[1];
  for (double& value : high.values) value += 3.0;
  high.sigma = 2.0;
  Measurement low = repeated[1];
  for (double& value : low.values) value -= 1.0;
  low.sigma = 4.0;
  repeated.push_back(high);
  repeated.push_back(low);
  std::vector<Measurement> merged = ExactMeasurements(domain, rows, kTreeCliques);
  const double precision = 1.0 + 0.25 + 0.0625;
  for (double& value : merged[1].values) value += (3.0 * 0.25 - 1.0 * 0.0625) / precision;
  merged[1].sigma = 1.0 / std::sqrt(precision);

  EstimationOptions options;
  options.max_iterations = 200;
  options.known_total = 2000.0;
  GraphicalModel from_repeated = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  const EstimationReport report = Estimate(repeated, options, Context(1), from_repeated).value();
  GraphicalModel from_merged = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  ASSERT_TRUE(Estimate(merged, options, Context(1), from_merged).ok());
  for (const Clique& clique : kTreeCliques) {
    const std::vector<double> a = from_repeated.Marginal(clique).value();
    const std::vector<double> b = from_merged.Marginal(clique).value();
    for (std::size_t cell = 0; cell < a.size(); ++cell) EXPECT_NEAR(a[cell], b[cell], 1e-6) << cell;
  }
  // The reported loss is the loss of the measurements as given, recomputed here.
  double loss = 0.0;
  for (const Measurement& measurement : repeated) {
    const std::vector<double> fitted = from_repeated.Marginal(measurement.clique).value();
    for (std::size_t cell = 0; cell < fitted.size(); ++cell) {
      const double diff = (fitted[cell] - measurement.values[cell]) / measurement.sigma;
      loss += 0.5 * diff * diff;
    }
  }
  EXPECT_NEAR(report.loss, loss, 1e-6 * loss);
}

TEST(Estimation, CellScaleWeighsNoisierCellsLess) {
  // One 3-valued attribute, y = (10, 20, 40), the last cell's noise twice sigma, known total
  // 80. Minimising sum_i (mu_i - y_i)^2 / sd_i^2 subject to sum mu = 80 gives
  // mu_i = y_i + 10 * sd_i^2 / sum sd^2: sd^2 = (1, 1, 4), so mu = y + (10, 10, 40) / 6.
  const Domain domain({"a"}, {3});
  Measurement measurement{{0}, {10.0, 20.0, 40.0}, 1.0, {1.0, 1.0, 2.0}};
  EstimationOptions options;
  options.known_total = 80.0;
  options.max_iterations = 5000;
  GraphicalModel model = GraphicalModel::Create(domain, {{0}}, kNoCap).value();
  ASSERT_TRUE(Estimate({&measurement, 1}, options, Context(1), model).ok());
  const std::vector<double> fitted = model.Marginal({0}).value();
  EXPECT_NEAR(fitted[0], 10.0 + 10.0 / 6.0, 1e-4);
  EXPECT_NEAR(fitted[1], 20.0 + 10.0 / 6.0, 1e-4);
  EXPECT_NEAR(fitted[2], 40.0 + 40.0 / 6.0, 1e-4);
  // The total's variance is sigma^2 * sum of scale^2 = 6 (against 3 without scales).
  const Measurement other{{0}, {30.0, 30.0, 30.0}, 1.0, {}};
  const std::vector<Measurement> both = {measurement, other};
  EXPECT_NEAR(EstimateTotal(both).value(), (70.0 / 6.0 + 90.0 / 3.0) / (1.0 / 6.0 + 1.0 / 3.0), 1e-12);
  // Measured twice, once with scales: per-cell precisions (1 + 1, 1 + 1, 1/4 + 1).
  GraphicalModel twice = GraphicalModel::Create(domain, {{0}}, kNoCap).value();
  const std::vector<Measurement> repeated = {measurement, Measurement{{0}, {10.0, 20.0, 40.0}, 1.0, {}}};
  ASSERT_TRUE(Estimate(repeated, options, Context(1), twice).ok());
  const std::vector<double> fitted_twice = twice.Marginal({0}).value();
  // sd^2 = (1/2, 1/2, 4/5): mu = y + 10 * sd^2 / 1.8.
  EXPECT_NEAR(fitted_twice[0], 10.0 + 10.0 * 0.5 / 1.8, 1e-4);
  EXPECT_NEAR(fitted_twice[2], 40.0 + 10.0 * 0.8 / 1.8, 1e-4);

  Measurement bad = measurement;
  bad.cell_scale = {1.0, 0.0, 1.0};
  GraphicalModel untouched = GraphicalModel::Create(domain, {{0}}, kNoCap).value();
  const Result<EstimationReport> refused = Estimate({&bad, 1}, options, Context(1), untouched);
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("cell_scale"), std::string::npos);
  bad.cell_scale = {1.0, 1.0};
  EXPECT_EQ(Estimate({&bad, 1}, options, Context(1), untouched).status().code(), ErrorCode::kInvalidArgument);
}

TEST(Estimation, WarmStartedModelNeedsFewIterations) {
  const Domain domain = SixAttributes();
  const auto rows = RandomTable(domain, 20000, 6);
  const std::vector<Clique> first_cliques = {{0, 1}, {1, 2}, {1, 3}};
  const std::vector<Measurement> measurements = ExactMeasurements(domain, rows, first_cliques);
  GraphicalModel first = GraphicalModel::Create(domain, first_cliques, kNoCap).value();
  const Context ctx(1);
  const EstimationReport cold = Estimate(measurements, EstimationOptions(), ctx, first).value();
  ASSERT_TRUE(cold.converged);
  GraphicalModel grown = GraphicalModel::Create(domain, kTreeCliques, kNoCap).value();
  ASSERT_TRUE(grown.WarmStartFrom(first).ok());
  const EstimationReport warm = Estimate(measurements, EstimationOptions(), ctx, grown).value();
  EXPECT_TRUE(warm.converged);
  EXPECT_LE(warm.loss, cold.loss * 1.01 + 1e-9);
  EXPECT_LT(warm.iterations, cold.iterations);
}

TEST(Estimation, RejectsBadMeasurementsAndOptions) {
  const Domain domain = SixAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  const std::string before = model.Serialize();
  const Context ctx(1);
  const auto expect_error = [&](const std::vector<Measurement>& measurements, const EstimationOptions& options,
                                const std::string& fragment) {
    Result<EstimationReport> report = Estimate(measurements, options, ctx, model);
    ASSERT_FALSE(report.ok()) << fragment;
    EXPECT_EQ(report.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(report.status().message().find(fragment), std::string::npos) << report.status().message();
    EXPECT_EQ(model.Serialize(), before);
  };
  const EstimationOptions defaults;
  expect_error({{{0, 2}, std::vector<double>(6, 1.0), 1.0}}, defaults,
               "measurement 0 over (a, c) is not contained in any clique of the model");
  expect_error({{{0, 1}, std::vector<double>(5, 1.0), 1.0}}, defaults, "expected 12 values, got 5");
  expect_error({{{0}, std::vector<double>(3, 1.0), 1.0}, {{1}, std::vector<double>(4, 1.0), 0.0}}, defaults,
               "measurement 1 over (b): sigma must be finite and > 0, got 0");
  expect_error({{{0}, {1.0, std::numeric_limits<double>::quiet_NaN(), 1.0}, 1.0}}, defaults, "is not finite");
  expect_error({{{1, 0}, std::vector<double>(12, 1.0), 1.0}}, defaults, "ascending order");
  EstimationOptions negative;
  negative.max_iterations = -1;
  expect_error({}, negative, "max_iterations must be >= 0, got -1");
  EstimationOptions nan_tolerance;
  nan_tolerance.tolerance = std::numeric_limits<double>::quiet_NaN();
  expect_error({}, nan_tolerance, "tolerance must be finite and >= 0");
  EstimationOptions zero_total;
  zero_total.known_total = 0.0;
  expect_error({}, zero_total, "known_total must be finite and > 0, got 0");
}

TEST(Estimation, NoMeasurementsKeepsUniformModel) {
  const Domain domain = SixAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  EstimationOptions options;
  options.known_total = 600.0;
  const EstimationReport report = Estimate({}, options, Context(1), model).value();
  EXPECT_EQ(report.loss, 0.0);
  EXPECT_TRUE(report.converged);
  const std::vector<double> marginal = model.Marginal({0}).value();
  for (double value : marginal) EXPECT_NEAR(value, 200.0, 1e-9);
}

}  // namespace
}  // namespace synthscale
