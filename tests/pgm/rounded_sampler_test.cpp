#include "synthscale/pgm/rounded_sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../privacy/statistics.h"
#include "pgm_test_util.h"
#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/pgm/graphical_model.h"

namespace synthscale {
namespace {

constexpr std::uint64_t kNoCap = std::uint64_t{1} << 40;

GraphicalModel RandomModel(const Domain& domain, const std::vector<Clique>& cliques, std::uint64_t index) {
  return pgm_test::RandomModel(domain, cliques, 23, "rounded-sampler-potentials", index);
}

std::vector<std::uint32_t> SampleRounded(const GraphicalModel& model, std::uint64_t rows, std::uint64_t seed,
                                         std::size_t threads) {
  const RoundedSampler sampler =
      RoundedSampler::Build(model.tree(), model.beliefs(), model.domain().num_attributes()).value();
  Context ctx(threads);
  std::vector<std::uint32_t> values;
  EXPECT_TRUE(sampler.Sample(rows, seed, ctx, values).ok());
  return values;
}

// Counts of `clique`'s cells among rows whose `condition` attributes equal `condition_values`
// (all rows when condition is empty). `values` is attribute-major as RoundedSampler writes it.
std::vector<std::uint64_t> CellCounts(const Domain& domain, const std::vector<std::uint32_t>& values,
                                      std::uint64_t rows, const Clique& clique, const Clique& condition = {},
                                      const std::vector<std::uint32_t>& condition_values = {}) {
  std::vector<std::uint64_t> counts(domain.CellCount(clique).value(), 0);
  std::vector<std::uint32_t> record(domain.num_attributes());
  for (std::uint64_t row = 0; row < rows; ++row) {
    for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) {
      record[attribute] = values[attribute * rows + row];
    }
    bool matches = true;
    for (std::size_t pos = 0; pos < condition.size(); ++pos) matches &= record[condition[pos]] == condition_values[pos];
    if (matches) ++counts[pgm_test::CellOf(domain, clique, record)];
  }
  return counts;
}

// --- RoundCounts -----------------------------------------------------------------------

TEST(RoundedSampler, RoundCountsAreFloorOrCeilAndSumToTotal) {
  // total 10 on p = (0.25, 0.25, 0.5): expected 2.5, 2.5, 5 -> floors 2, 2, 5 and one extra
  // unit for one of the first two cells.
  const std::vector<double> probabilities = {0.25, 0.25, 0.5};
  std::vector<std::uint64_t> counts(3);
  std::vector<double> fractions(3);
  for (std::uint64_t index = 0; index < 200; ++index) {
    RandomStream stream(5, "round-counts-test", index);
    RoundCounts(10, probabilities, stream, counts, fractions);
    EXPECT_EQ(counts[2], 5u);
    EXPECT_TRUE((counts[0] == 2 && counts[1] == 3) || (counts[0] == 3 && counts[1] == 2))
        << counts[0] << " " << counts[1];
  }
}

TEST(RoundedSampler, RoundCountsKeepZeroAndCertainCells) {
  std::vector<std::uint64_t> counts(3);
  std::vector<double> fractions(3);
  RandomStream stream(5, "round-counts-test", 0);
  RoundCounts(7, std::vector<double>{0.0, 1.0, 0.0}, stream, counts, fractions);
  EXPECT_EQ(counts, (std::vector<std::uint64_t>{0, 7, 0}));
  RoundCounts(0, std::vector<double>{0.3, 0.7, 0.0}, stream, counts, fractions);
  EXPECT_EQ(counts, (std::vector<std::uint64_t>{0, 0, 0}));
}

// Seed 8, 100,000 roundings of 7 units on p = (0.13, 0.37, 0.5): expected counts 0.91, 2.59,
// 3.5, floors 0, 2, 3, so 2 extra units; systematic sampling gives cell c its extra unit with
// probability exactly its fractional part (0.91, 0.59, 0.5). Each observed share must be
// within 5 standard errors (sqrt(f (1 - f) / 100000) <= 0.0016), a false failure < 1e-6.
TEST(RoundedSampler, RoundCountsExtraUnitsFollowTheFractionalParts) {
  const std::vector<double> probabilities = {0.13, 0.37, 0.5};
  const std::vector<double> fractional = {0.91, 0.59, 0.5};
  const std::vector<std::uint64_t> floors = {0, 2, 3};
  constexpr std::uint64_t kTrials = 100000;
  std::vector<std::uint64_t> extra(3, 0);
  std::vector<std::uint64_t> counts(3);
  std::vector<double> fractions(3);
  for (std::uint64_t trial = 0; trial < kTrials; ++trial) {
    RandomStream stream(8, "round-counts-test", trial);
    RoundCounts(7, probabilities, stream, counts, fractions);
    ASSERT_EQ(counts[0] + counts[1] + counts[2], 7u);
    for (std::size_t cell = 0; cell < 3; ++cell) {
      ASSERT_TRUE(counts[cell] == floors[cell] || counts[cell] == floors[cell] + 1);
      extra[cell] += counts[cell] - floors[cell];
    }
  }
  for (std::size_t cell = 0; cell < 3; ++cell) {
    const double share = static_cast<double>(extra[cell]) / static_cast<double>(kTrials);
    const double sd = std::sqrt(fractional[cell] * (1.0 - fractional[cell]) / static_cast<double>(kTrials));
    EXPECT_NEAR(share, fractional[cell], 5.0 * sd) << "cell " << cell;
  }
}

TEST(RoundedSampler, FillShuffledKeepsTheCountsInRandomOrder) {
  const std::vector<std::uint64_t> counts = {3, 0, 5, 2};
  std::vector<std::uint32_t> first(10);
  std::vector<std::uint32_t> second(10);
  RandomStream stream_a(1, "fill-test", 0);
  RandomStream stream_b(1, "fill-test", 1);
  FillShuffled(counts, stream_a, first);
  FillShuffled(counts, stream_b, second);
  for (const auto* values : {&first, &second}) {
    std::vector<std::uint64_t> seen(4, 0);
    for (std::uint32_t value : *values) ++seen[value];
    EXPECT_EQ(seen, counts);
  }
  EXPECT_NE(first, second);  // 10! / (3! 5! 2!) = 2520 orders: equal with probability 1/2520
}

// --- The sampler on hand-built models ----------------------------------------------------

// One clique {a, b} over 2 x 3 cells with probabilities 1/21 * (1, 2, 3, 4, 5, 6): the root
// clique is one group of all n rows, so each cell count is floor or ceil of n * p.
TEST(RoundedSampler, RootCellCountsAreFloorOrCeilOfExpected) {
  const Domain domain({"a", "b"}, {2, 3});
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  std::vector<double> log_weights;
  for (int weight = 1; weight <= 6; ++weight) log_weights.push_back(std::log(static_cast<double>(weight)));
  std::vector<Factor> potentials = {Factor::FromValues(domain, {0, 1}, log_weights).value()};
  ASSERT_TRUE(model.SetParameters(std::move(potentials), 21.0).ok());
  for (const std::uint64_t rows : {1ull, 7ull, 100ull, 1001ull}) {
    const std::vector<std::uint32_t> values = SampleRounded(model, rows, 3, 2);
    ASSERT_EQ(values.size(), rows * 2);
    const std::vector<std::uint64_t> counts = CellCounts(domain, values, rows, {0, 1});
    std::uint64_t sum = 0;
    for (std::size_t cell = 0; cell < 6; ++cell) {
      const double expected = static_cast<double>(rows) * static_cast<double>(cell + 1) / 21.0;
      EXPECT_GE(static_cast<double>(counts[cell]), std::floor(expected)) << rows << " rows, cell " << cell;
      EXPECT_LE(static_cast<double>(counts[cell]), std::ceil(expected)) << rows << " rows, cell " << cell;
      sum += counts[cell];
    }
    EXPECT_EQ(sum, rows);
  }
}

// For every tree clique in order: the rows sharing a separator value form a group of n_g
// rows, and each of the clique's new cells appears floor or ceil of n_g * p(new | separator)
// times among them (p from the model's marginals, computed independently of the sampler).
TEST(RoundedSampler, GroupCountsAreFloorOrCeilOfConditionalExpectation) {
  const Domain domain({"a", "b", "c", "d"}, {3, 4, 2, 5});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {1, 3}}, 1);
  constexpr std::uint64_t kRows = 5003;
  const std::vector<std::uint32_t> values = SampleRounded(model, kRows, 11, 2);
  const JunctionTree& tree = model.tree();
  ASSERT_GE(tree.cliques.size(), 3u);
  for (std::uint32_t clique_idx : tree.order) {
    const Clique& clique = tree.cliques[clique_idx];
    const Clique& separator = tree.separator[clique_idx];
    Clique fresh;
    for (std::uint32_t attribute : clique) {
      if (std::find(separator.begin(), separator.end(), attribute) == separator.end()) fresh.push_back(attribute);
    }
    const std::vector<double> joint = model.Marginal(clique).value();
    // Every separator value (one pass over its cells, last attribute fastest).
    const std::uint64_t separator_cells = separator.empty() ? 1 : domain.CellCount(separator).value();
    for (std::uint64_t separator_cell = 0; separator_cell < separator_cells; ++separator_cell) {
      std::vector<std::uint32_t> separator_values(separator.size());
      std::uint64_t rest = separator_cell;
      for (std::size_t pos = separator.size(); pos-- > 0;) {
        separator_values[pos] = static_cast<std::uint32_t>(rest % domain.size(separator[pos]));
        rest /= domain.size(separator[pos]);
      }
      // p(fresh | separator) from the clique marginal.
      std::vector<double> conditional(domain.CellCount(fresh).value(), 0.0);
      std::vector<std::uint32_t> record(domain.num_attributes(), 0);
      for (std::size_t pos = 0; pos < separator.size(); ++pos) record[separator[pos]] = separator_values[pos];
      double mass = 0.0;
      for (std::uint64_t fresh_cell = 0; fresh_cell < conditional.size(); ++fresh_cell) {
        std::uint64_t fresh_rest = fresh_cell;
        for (std::size_t pos = fresh.size(); pos-- > 0;) {
          record[fresh[pos]] = static_cast<std::uint32_t>(fresh_rest % domain.size(fresh[pos]));
          fresh_rest /= domain.size(fresh[pos]);
        }
        conditional[fresh_cell] = joint[pgm_test::CellOf(domain, clique, record)];
        mass += conditional[fresh_cell];
      }
      const std::vector<std::uint64_t> counts =
          CellCounts(domain, values, kRows, fresh, separator, separator_values);
      std::uint64_t group_size = 0;
      for (std::uint64_t count : counts) group_size += count;
      for (std::uint64_t fresh_cell = 0; fresh_cell < conditional.size(); ++fresh_cell) {
        const double expected = static_cast<double>(group_size) * conditional[fresh_cell] / mass;
        // 1e-9: the model's marginal and the sampler's table round differently.
        EXPECT_GE(static_cast<double>(counts[fresh_cell]), std::floor(expected - 1e-9))
            << "clique " << domain.Describe(clique) << " separator cell " << separator_cell;
        EXPECT_LE(static_cast<double>(counts[fresh_cell]), std::ceil(expected + 1e-9))
            << "clique " << domain.Describe(clique) << " separator cell " << separator_cell;
      }
    }
  }
}

// A chain a - b - c - d with random potentials, 20,000 rows (seed 4): the mean total
// variation distance of the sampled 1- and 2-way marginals of the model's cliques from the
// model's must be at most a quarter of what iid sampling (ModelSampler, same n) gives. iid
// TVD on a k-cell marginal is about sum_c sqrt(p_c (1 - p_c) / n) / sqrt(2 pi) ~ 0.01 here;
// rounding keeps each cell within a few units, ~ k / n = 0.001.
TEST(RoundedSampler, MarginalsAreFarCloserThanIidSampling) {
  const Domain domain({"a", "b", "c", "d"}, {4, 6, 5, 3});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {2, 3}}, 2);
  constexpr std::uint64_t kRows = 20000;
  const std::vector<std::uint32_t> rounded = SampleRounded(model, kRows, 4, 2);
  std::vector<std::uint32_t> iid(rounded.size());
  std::vector<std::uint32_t> record(4);
  for (std::uint64_t row = 0; row < kRows; ++row) {
    RandomStream stream(4, "rounded-test-iid", row);
    model.SampleRow(stream, record);
    for (std::uint32_t attribute = 0; attribute < 4; ++attribute) iid[attribute * kRows + row] = record[attribute];
  }
  const std::vector<Clique> queries = {{0}, {1}, {2}, {3}, {0, 1}, {1, 2}, {2, 3}};
  double rounded_tvd = 0.0;
  double iid_tvd = 0.0;
  for (const Clique& query : queries) {
    const std::vector<double> expected = model.Marginal(query).value();
    const std::vector<std::uint64_t> rounded_counts = CellCounts(domain, rounded, kRows, query);
    const std::vector<std::uint64_t> iid_counts = CellCounts(domain, iid, kRows, query);
    double query_rounded = 0.0;
    double query_iid = 0.0;
    for (std::size_t cell = 0; cell < expected.size(); ++cell) {
      const double p = expected[cell] / model.total();
      query_rounded += std::abs(static_cast<double>(rounded_counts[cell]) / static_cast<double>(kRows) - p);
      query_iid += std::abs(static_cast<double>(iid_counts[cell]) / static_cast<double>(kRows) - p);
    }
    // Per query: the rounded sample is within one unit per cell and group of the chain's
    // expectations, so its TVD stays below (cells + groups) / n.
    EXPECT_LT(query_rounded / 2.0, 2.0 * static_cast<double>(expected.size()) / static_cast<double>(kRows))
        << domain.Describe(query);
    rounded_tvd += query_rounded / 2.0;
    iid_tvd += query_iid / 2.0;
  }
  rounded_tvd /= static_cast<double>(queries.size());
  iid_tvd /= static_cast<double>(queries.size());
  EXPECT_LT(rounded_tvd, iid_tvd / 4.0) << "rounded " << rounded_tvd << ", iid " << iid_tvd;
  EXPECT_GT(iid_tvd, 0.002) << "iid sampling should show its noise at this size";
}

// Seed 42, 300,000 rows of a chain a - b - c - d: marginals no clique holds (a and c, a and
// d, all four) come from how the groups' values are matched to rows, so they catch a wrong
// assignment (e.g. values given in cell order, not shuffled). Pearson chi-square per query
// (bins pooled to expect >= 5) at significance 1e-6 each; rounding only lowers the variance,
// so the test is conservative: false failure < 4e-6.
TEST(RoundedSampler, MarginalsNoCliqueHoldsFollowTheModel) {
  const Domain domain({"a", "b", "c", "d"}, {3, 4, 5, 2});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {2, 3}}, 6);
  constexpr std::uint64_t kRows = 300000;
  const std::vector<std::uint32_t> values = SampleRounded(model, kRows, 42, 2);
  for (const Clique& query : std::vector<Clique>{{0, 2}, {0, 3}, {1, 3}, {0, 1, 2, 3}}) {
    std::vector<double> expected = model.Marginal(query).value();
    for (double& value : expected) value /= model.total();
    const std::vector<std::uint64_t> observed = CellCounts(domain, values, kRows, query);
    const testing::ChiSquareResult result = testing::ChiSquareTest(expected, observed);
    EXPECT_GT(result.p_value, 1e-6) << domain.Describe(query) << ": " << result.Describe();
  }
}

TEST(RoundedSampler, SameBytesForAnyThreadCountAndRun) {
  // 40 values of c over 5 x 3 values of (a, b): many groups and, at 300,000 rows, many tasks.
  const Domain domain({"a", "b", "c", "d"}, {5, 3, 40, 2});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {2, 3}}, 3);
  constexpr std::uint64_t kRows = 300000;
  const std::vector<std::uint32_t> serial = SampleRounded(model, kRows, 9, 1);
  EXPECT_EQ(SampleRounded(model, kRows, 9, 1), serial);
  EXPECT_EQ(SampleRounded(model, kRows, 9, 2), serial);
  EXPECT_EQ(SampleRounded(model, kRows, 9, 8), serial);
  EXPECT_NE(SampleRounded(model, kRows, 10, 2), serial);
}

TEST(RoundedSampler, ZeroProbabilitySeparatorValueDrawsUniformly) {
  // Hand-made beliefs (not calibrated): the root {a, b} puts mass on b = 1, but the child
  // {b, c} gives b = 1 no mass (exp(-1000) underflows to 0), so those rows draw c uniformly.
  const Domain domain({"a", "b", "c"}, {2, 2, 4});
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  const JunctionTree& tree = model.tree();
  std::vector<Factor> beliefs;
  for (const Clique& clique : tree.cliques) {
    std::vector<double> log_values(domain.CellCount(clique).value(), 0.0);
    if (clique == Clique{1, 2}) {
      for (std::size_t cell = 4; cell < 8; ++cell) log_values[cell] = -1000.0;  // b = 1
      log_values[0] = 3.0;  // b = 0 prefers c = 0
    }
    beliefs.push_back(Factor::FromValues(domain, clique, log_values).value());
  }
  const RoundedSampler sampler = RoundedSampler::Build(tree, beliefs, 3).value();
  Context ctx(2);
  std::vector<std::uint32_t> values;
  constexpr std::uint64_t kRows = 1000;
  ASSERT_TRUE(sampler.Sample(kRows, 1, ctx, values).ok());
  const std::vector<std::uint64_t> with_b1 = CellCounts(domain, values, kRows, {2}, {1}, {1});
  const std::uint64_t group = with_b1[0] + with_b1[1] + with_b1[2] + with_b1[3];
  ASSERT_GT(group, 0u);
  for (std::uint64_t count : with_b1) {
    EXPECT_GE(count, group / 4);
    EXPECT_LE(count, (group + 3) / 4);
  }
}

TEST(RoundedSampler, ZeroRowsGiveNoValues) {
  const Domain domain({"a", "b"}, {2, 3});
  const GraphicalModel model = RandomModel(domain, {{0, 1}}, 4);
  EXPECT_TRUE(SampleRounded(model, 0, 1, 2).empty());
}

TEST(RoundedSampler, BadInputsAreErrors) {
  const Domain domain({"a", "b"}, {2, 3});
  const GraphicalModel model = RandomModel(domain, {{0, 1}}, 5);
  const Result<RoundedSampler> missing = RoundedSampler::Build(model.tree(), {}, 2);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("needs one belief per tree clique"), std::string::npos);
  const RoundedSampler sampler = RoundedSampler::Build(model.tree(), model.beliefs(), 2).value();
  Context ctx(1);
  std::vector<std::uint32_t> values;
  const Status too_many = sampler.Sample(kMaxRoundedRows + 1, 1, ctx, values);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(too_many.message().find("use iid sampling for more"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
