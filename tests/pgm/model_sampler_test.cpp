#include "synthscale/pgm/model_sampler.h"

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "../privacy/statistics.h"
#include "pgm_test_util.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/pgm/graphical_model.h"

namespace synthscale {
namespace {

constexpr std::uint64_t kNoCap = std::uint64_t{1} << 40;

GraphicalModel RandomModel(const Domain& domain, const std::vector<Clique>& cliques, std::uint64_t index) {
  return pgm_test::RandomModel(domain, cliques, 19, "pgm-sampler-potentials", index);
}

std::vector<std::uint32_t> SampleRows(const GraphicalModel& model, std::uint64_t seed, std::uint64_t begin,
                                      std::uint64_t end) {
  const std::size_t width = model.domain().num_attributes();
  std::vector<std::uint32_t> rows((end - begin) * width);
  for (std::uint64_t row = begin; row < end; ++row) {
    RandomStream stream(seed, "pgm-sampler-test", row);
    model.SampleRow(stream, std::span<std::uint32_t>(rows.data() + (row - begin) * width, width));
  }
  return rows;
}

// Seed 42, 300,000 rows; Pearson chi-square per query clique (bins pooled to expect >= 5)
// at significance 1e-6 each: with 8 queries the test fails falsely with probability < 1e-5.
TEST(PgmSampler, FrequenciesMatchModelMarginals) {
  const Domain domain({"a", "b", "c", "d", "e"}, {2, 3, 4, 2, 3});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}}, 1);
  constexpr std::uint64_t kRows = 300000;
  const std::vector<std::uint32_t> rows = SampleRows(model, 42, 0, kRows);
  const std::vector<Clique> queries = {{0, 1, 3}, {1, 2, 3}, {3, 4}, {0, 2}, {1, 4}, {0, 2, 4}, {4}, {0, 1, 2, 3, 4}};
  for (const Clique& query : queries) {
    std::vector<double> expected = model.Marginal(query).value();
    for (double& value : expected) value /= model.total();
    std::vector<std::uint64_t> observed(expected.size(), 0);
    std::vector<std::uint32_t> values(5);
    for (std::uint64_t row = 0; row < kRows; ++row) {
      for (std::size_t attribute = 0; attribute < 5; ++attribute) values[attribute] = rows[row * 5 + attribute];
      ++observed[pgm_test::CellOf(domain, query, values)];
    }
    const testing::ChiSquareResult result = testing::ChiSquareTest(expected, observed);
    EXPECT_GT(result.p_value, 1e-6) << domain.Describe(query) << ": " << result.Describe();
  }
}

TEST(PgmSampler, SameSeedSameRowsWhateverTheSplit) {
  const Domain domain({"a", "b", "c", "d"}, {5, 3, 40, 2});
  const GraphicalModel model = RandomModel(domain, {{0, 1}, {1, 2}, {2, 3}}, 2);
  const std::vector<std::uint32_t> serial = SampleRows(model, 9, 0, 4000);
  EXPECT_EQ(SampleRows(model, 9, 0, 4000), serial);
  // Three threads over uneven ranges give the same rows.
  std::vector<std::vector<std::uint32_t>> parts(3);
  const std::uint64_t bounds[4] = {0, 1234, 1300, 4000};
  std::vector<std::thread> threads;
  for (std::size_t part = 0; part < 3; ++part) {
    threads.emplace_back([&, part] { parts[part] = SampleRows(model, 9, bounds[part], bounds[part + 1]); });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::uint32_t> joined;
  for (const auto& part : parts) joined.insert(joined.end(), part.begin(), part.end());
  EXPECT_EQ(joined, serial);
  EXPECT_NE(SampleRows(model, 10, 0, 4000), serial);
}

TEST(PgmSampler, NeverDrawsZeroProbabilityCells) {
  const Domain domain({"a", "b", "c"}, {2, 3, 2});
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  std::vector<Factor> potentials = model.potentials();
  for (std::size_t clique_idx = 0; clique_idx < potentials.size(); ++clique_idx) {
    const Clique& clique = model.tree().cliques[clique_idx];
    // Only (a=1, b=2) and (b=2, c=0) have weight: exp(-1e4) is 0 in double precision.
    std::vector<double> values(potentials[clique_idx].num_cells(), -1.0e4);
    values[clique == Clique{0, 1} ? 1 * 3 + 2 : 2 * 2 + 0] = 0.0;
    potentials[clique_idx] = Factor::FromValues(domain, clique, values).value();
  }
  ASSERT_TRUE(model.SetParameters(potentials, 10.0).ok());
  const std::vector<std::uint32_t> rows = SampleRows(model, 5, 0, 2000);
  for (std::size_t row = 0; row < 2000; ++row) {
    ASSERT_EQ(rows[row * 3], 1u);
    ASSERT_EQ(rows[row * 3 + 1], 2u);
    ASSERT_EQ(rows[row * 3 + 2], 0u);
  }
}

// Seed 8, 120,000 rows, chi-square at 1e-6: attributes in no clique are drawn uniformly.
TEST(PgmSampler, AttributesInNoCliqueAreUniform) {
  const Domain domain({"a", "b", "c"}, {2, 3, 7});
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  // Random potentials on (a, b) only; c's singleton clique keeps its zero potential.
  std::vector<Factor> potentials = model.potentials();
  RandomStream stream(19, "pgm-sampler-potentials", 3);
  for (Factor& potential : potentials) {
    if (potential.clique() == Clique{0, 1}) {
      potential = Factor::FromValues(domain, {0, 1}, pgm_test::RandomValues(6, stream, -2.0, 2.0)).value();
    }
  }
  ASSERT_TRUE(model.SetParameters(std::move(potentials), 50.0).ok());
  constexpr std::uint64_t kRows = 120000;
  const std::vector<std::uint32_t> rows = SampleRows(model, 8, 0, kRows);
  std::vector<std::uint64_t> observed(7, 0);
  for (std::uint64_t row = 0; row < kRows; ++row) ++observed[rows[row * 3 + 2]];
  const testing::ChiSquareResult result = testing::ChiSquareTest(std::vector<double>(7, 1.0 / 7.0), observed);
  EXPECT_GT(result.p_value, 1e-6) << result.Describe();
}

TEST(PgmSampler, BuildRejectsMismatchedBeliefs) {
  const Domain domain({"a", "b"}, {2, 3});
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  Result<ModelSampler> sampler = ModelSampler::Build(model.tree(), {}, 2);
  ASSERT_FALSE(sampler.ok());
  EXPECT_NE(sampler.status().message().find("one belief per tree clique"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
