#include "synthscale/pgm/graphical_model.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pgm_test_util.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/pgm/belief_propagation.h"

namespace synthscale {
namespace {

constexpr std::uint64_t kNoCap = std::uint64_t{1} << 40;

Domain FiveAttributes() { return Domain({"a", "b", "c", "d", "e"}, {2, 3, 4, 2, 3}); }

// Random potentials (uniform in [-2, 2)) on every tree clique of `model`.
void Randomize(GraphicalModel& model, std::uint64_t index, double total) {
  RandomStream stream(11, "pgm-potentials", index);
  std::vector<Factor> potentials;
  for (const Clique& clique : model.tree().cliques) {
    const std::uint64_t cells = model.domain().CellCount(clique).value();
    potentials.push_back(
        Factor::FromValues(model.domain(), clique, pgm_test::RandomValues(cells, stream, -2.0, 2.0)).value());
  }
  ASSERT_TRUE(model.SetParameters(std::move(potentials), total).ok());
}

// Every clique of up to three attributes, and all five.
std::vector<Clique> QueryCliques() {
  std::vector<Clique> queries = {{}, {0, 1, 2, 3, 4}};
  for (std::uint32_t first = 0; first < 5; ++first) {
    queries.push_back({first});
    for (std::uint32_t second = first + 1; second < 5; ++second) {
      queries.push_back({first, second});
      for (std::uint32_t third = second + 1; third < 5; ++third) queries.push_back({first, second, third});
    }
  }
  return queries;
}

void ExpectMarginalsMatchBruteForce(const std::vector<Clique>& cliques, std::uint64_t seed_index) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, cliques, kNoCap).value();
  const double total = 123.5;
  Randomize(model, seed_index, total);
  const std::vector<double> joint = pgm_test::BruteForceJoint(domain, model.potentials());
  for (const Clique& query : QueryCliques()) {
    const std::vector<double> expected = pgm_test::MarginalOf(domain, joint, query, total);
    Result<std::vector<double>> marginal = model.Marginal(query);
    ASSERT_TRUE(marginal.ok()) << marginal.status().ToString();
    ASSERT_EQ(marginal->size(), expected.size());
    for (std::size_t cell = 0; cell < expected.size(); ++cell) {
      EXPECT_NEAR((*marginal)[cell] / total, expected[cell] / total, 1e-9) << domain.Describe(query) << " cell " << cell;
    }
  }
}

TEST(GraphicalModel, BeliefPropagationMatchesBruteForceOnTree) {
  ExpectMarginalsMatchBruteForce({{0, 1}, {1, 2}, {1, 3}, {3, 4}}, 1);
}

TEST(GraphicalModel, BeliefPropagationMatchesBruteForceOnTriangulatedCycle) {
  // 0-1-2-3-0 is a 4-cycle: the tree needs a fill edge.
  ExpectMarginalsMatchBruteForce({{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}}, 2);
}

TEST(GraphicalModel, BeliefPropagationMatchesBruteForceWithDisconnectedParts) {
  ExpectMarginalsMatchBruteForce({{0, 4}, {1, 2}}, 3);
}

// Linear-space calibration (what estimation uses) against brute-force counts, with potentials
// of spread `spread`: large spreads underflow linear space and take the log-space path.
void ExpectCountsMatchBruteForce(const std::vector<Clique>& cliques, double spread, std::uint64_t seed_index) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, cliques, kNoCap).value();
  RandomStream stream(12, "pgm-count-potentials", seed_index);
  std::vector<Factor> potentials;
  for (const Clique& clique : model.tree().cliques) {
    const std::uint64_t cells = domain.CellCount(clique).value();
    potentials.push_back(
        Factor::FromValues(domain, clique, pgm_test::RandomValues(cells, stream, -spread, spread)).value());
  }
  const double total = 4321.0;
  const std::vector<double> joint = pgm_test::BruteForceJoint(domain, potentials);
  Result<std::vector<Factor>> counts = CalibrateCounts(model.tree(), potentials, total);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), model.tree().cliques.size());
  for (std::size_t clique_idx = 0; clique_idx < counts->size(); ++clique_idx) {
    const Clique& clique = model.tree().cliques[clique_idx];
    const std::vector<double> expected = pgm_test::MarginalOf(domain, joint, clique, total);
    ASSERT_EQ((*counts)[clique_idx].clique(), clique);
    const std::span<const double> values = (*counts)[clique_idx].values();
    for (std::size_t cell = 0; cell < expected.size(); ++cell) {
      EXPECT_NEAR(values[cell], expected[cell], 1e-9 * total) << domain.Describe(clique) << " cell " << cell;
    }
  }
}

TEST(GraphicalModel, CalibratedCountsMatchBruteForce) {
  ExpectCountsMatchBruteForce({{0, 1}, {1, 2}, {1, 3}, {3, 4}}, 2.0, 1);
  ExpectCountsMatchBruteForce({{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}}, 2.0, 2);
  ExpectCountsMatchBruteForce({{0, 4}, {1, 2}}, 2.0, 3);
}

TEST(GraphicalModel, CalibratedCountsOfPeakedPotentialsFallBackToLogSpace) {
  // Potentials spread over [-2000, 2000]: products of messages underflow in linear space.
  ExpectCountsMatchBruteForce({{0, 1}, {1, 2}, {1, 3}, {3, 4}}, 2000.0, 4);
  ExpectCountsMatchBruteForce({{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}}, 2000.0, 5);
}

// A chain of three cliques whose upward maxima pass the linear path's check (e^-345 each)
// but whose downward ratio parent marginal / sent-up sum overflows (e^690): the result must
// still match brute force, finite (review finding: linear space must fall back here).
TEST(GraphicalModel, CalibratedCountsSurviveOverflowingDownwardRatios) {
  const Domain domain({"a", "s", "t", "b"}, {2, 2, 2, 2});
  for (const bool reversed : {false, true}) {
    GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}, {2, 3}}, kNoCap).value();
    std::vector<Factor> potentials;
    for (const Clique& clique : model.tree().cliques) {
      std::vector<double> values(4, 0.0);
      const bool first_end = clique == Clique{0, 1};
      const bool last_end = clique == Clique{2, 3};
      if ((first_end && !reversed) || (last_end && reversed)) {
        // exp: [1, e^-690] on the separator value 1.
        values = first_end ? std::vector<double>{0.0, -690.0, 0.0, -690.0} : std::vector<double>{0.0, 0.0, -690.0, -690.0};
      } else if (first_end || last_end) {
        values = first_end ? std::vector<double>{-345.0, 0.0, -345.0, 0.0} : std::vector<double>{-345.0, -345.0, 0.0, 0.0};
      } else {
        values = {-345.0, -2000.0, -2000.0, 0.0};  // (s, t): (0, 0) and (1, 1) only
      }
      potentials.push_back(Factor::FromValues(domain, clique, values).value());
    }
    const double total = 1e12;
    const std::vector<double> joint = pgm_test::BruteForceJoint(domain, potentials);
    Result<std::vector<Factor>> counts = CalibrateCounts(model.tree(), potentials, total);
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    for (std::size_t clique_idx = 0; clique_idx < counts->size(); ++clique_idx) {
      const Clique& clique = model.tree().cliques[clique_idx];
      const std::vector<double> expected = pgm_test::MarginalOf(domain, joint, clique, total);
      const std::span<const double> values = (*counts)[clique_idx].values();
      for (std::size_t cell = 0; cell < expected.size(); ++cell) {
        ASSERT_TRUE(std::isfinite(values[cell])) << domain.Describe(clique) << " cell " << cell;
        EXPECT_NEAR(values[cell], expected[cell], 1e-9 * total) << domain.Describe(clique) << " cell " << cell;
      }
    }
  }
}

// Structural zeros: a child clique whose cells for one separator value are all impossible
// (-inf). Log-space calibration must give -inf there, not NaN (-inf - -inf), and counts 0.
TEST(GraphicalModel, ImpossibleSeparatorValuesGiveZeroNotNaN) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  std::vector<Factor> potentials;
  for (const Clique& clique : model.tree().cliques) {
    std::vector<double> values(domain.CellCount(clique).value(), 0.5);
    if (clique == Clique{1, 2}) {
      for (std::size_t cell = 0; cell < domain.size(2); ++cell) values[cell] = -std::numeric_limits<double>::infinity();
    }
    potentials.push_back(Factor::FromValues(domain, clique, values).value());
  }
  Result<CalibratedBeliefs> beliefs = Calibrate(model.tree(), potentials);
  ASSERT_TRUE(beliefs.ok()) << beliefs.status().ToString();
  Result<std::vector<Factor>> counts = CalibrateCounts(model.tree(), potentials, 10.0);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  const std::vector<double> joint = pgm_test::BruteForceJoint(domain, potentials);
  for (std::size_t clique_idx = 0; clique_idx < model.tree().cliques.size(); ++clique_idx) {
    const Clique& clique = model.tree().cliques[clique_idx];
    const std::vector<double> expected = pgm_test::MarginalOf(domain, joint, clique, 10.0);
    for (std::size_t cell = 0; cell < expected.size(); ++cell) {
      const double log_belief = beliefs->beliefs[clique_idx].values()[cell];
      ASSERT_FALSE(std::isnan(log_belief)) << domain.Describe(clique) << " cell " << cell;
      EXPECT_NEAR(10.0 * std::exp(log_belief), expected[cell], 1e-9) << domain.Describe(clique) << " cell " << cell;
      EXPECT_NEAR((*counts)[clique_idx].values()[cell], expected[cell], 1e-9) << domain.Describe(clique) << " cell " << cell;
    }
  }
}

TEST(GraphicalModel, CalibratedCountsRejectBadInputs) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  EXPECT_EQ(CalibrateCounts(model.tree(), model.potentials(), 0.0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CalibrateCounts(model.tree(), {}, 1.0).status().code(), ErrorCode::kInvalidArgument);
  std::vector<Factor> nan_potentials = model.potentials();
  nan_potentials[0].mutable_values()[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(CalibrateCounts(model.tree(), nan_potentials, 1.0).ok());
}

TEST(GraphicalModel, NewModelIsUniformWithTotalOne) {
  const Domain domain = FiveAttributes();
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  EXPECT_EQ(model.total(), 1.0);
  const std::vector<double> marginal = model.Marginal({2, 4}).value();
  ASSERT_EQ(marginal.size(), 12u);
  for (double value : marginal) EXPECT_NEAR(value, 1.0 / 12.0, 1e-15);
  EXPECT_EQ(model.Marginal({}).value(), std::vector<double>{1.0});
  EXPECT_EQ(model.num_cells(), JunctionTreeCells(domain, {{0, 1}, {1, 2}}).value());
}

TEST(GraphicalModel, RefusesModelOverCapBeforeAllocating) {
  // 2^41 + 2^20 cells: allocating would need 16 TiB, so reaching the error proves the check
  // comes first.
  const Domain domain({"x", "y", "z"}, {1u << 20, 1u << 21, 1u << 20});
  Result<GraphicalModel> model = GraphicalModel::Create(domain, {{0, 1}, {2}}, 1000000);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("would need 2199024304128 cells"), std::string::npos)
      << model.status().message();
  EXPECT_NE(model.status().message().find("largest clique (x, y)"), std::string::npos);
  EXPECT_NE(model.status().message().find("max_cells = 1000000"), std::string::npos);
  const Domain small = FiveAttributes();
  EXPECT_TRUE(GraphicalModel::Create(small, {{0, 1}}, 6 + 4 + 2 + 3).ok());
  EXPECT_FALSE(GraphicalModel::Create(small, {{0, 1}}, 6 + 4 + 2 + 3 - 1).ok());
}

TEST(GraphicalModel, RejectsBadCliques) {
  const Domain domain = FiveAttributes();
  Result<GraphicalModel> unsorted = GraphicalModel::Create(domain, {{0, 1}, {3, 2}}, kNoCap);
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unsorted.status().message().find("clique 1 [3, 2]"), std::string::npos);
  EXPECT_FALSE(GraphicalModel::Create(domain, {{0, 5}}, kNoCap).ok());
  EXPECT_FALSE(GraphicalModel::Create(domain, {{2, 2}}, kNoCap).ok());
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  Result<std::vector<double>> marginal = model.Marginal({4, 1});
  ASSERT_FALSE(marginal.ok());
  EXPECT_NE(marginal.status().message().find("ascending order"), std::string::npos);
}

TEST(GraphicalModel, SetParametersRejectsMismatchedOrNonFinite) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  std::vector<Factor> potentials = model.potentials();
  Status bad_total = model.SetParameters(potentials, 0.0);
  ASSERT_FALSE(bad_total.ok());
  EXPECT_NE(bad_total.message().find("total must be finite and > 0"), std::string::npos);
  potentials[0].mutable_values()[0] = std::numeric_limits<double>::quiet_NaN();
  Status nan = model.SetParameters(potentials, 5.0);
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.message().find("non-finite"), std::string::npos);
  potentials.pop_back();
  EXPECT_FALSE(model.SetParameters(potentials, 5.0).ok());
  EXPECT_EQ(model.total(), 1.0);
}

TEST(GraphicalModel, WarmStartReproducesOldDistribution) {
  const Domain domain = FiveAttributes();
  GraphicalModel old_model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}, {3, 4}}, kNoCap).value();
  Randomize(old_model, 4, 77.0);
  GraphicalModel grown = GraphicalModel::Create(domain, {{0, 1}, {1, 2}, {3, 4}, {2, 3}}, kNoCap).value();
  ASSERT_TRUE(grown.WarmStartFrom(old_model).ok());
  EXPECT_EQ(grown.total(), 77.0);
  for (const Clique& query : QueryCliques()) {
    const std::vector<double> expected = old_model.Marginal(query).value();
    const std::vector<double> actual = grown.Marginal(query).value();
    for (std::size_t cell = 0; cell < expected.size(); ++cell) {
      EXPECT_NEAR(actual[cell], expected[cell], 1e-9 * 77.0) << domain.Describe(query);
    }
  }
  const GraphicalModel other = GraphicalModel::Create(Domain({"a", "b"}, {2, 2}), {{0, 1}}, kNoCap).value();
  Status mismatch = grown.WarmStartFrom(other);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.message().find("different domain"), std::string::npos);
}

TEST(GraphicalModel, SerializeRoundTripGivesSameMarginalsAndSamples) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}}, kNoCap).value();
  Randomize(model, 5, 1234.0);
  const std::string bytes = model.Serialize();
  const GraphicalModel loaded = GraphicalModel::Deserialize(bytes).value();
  EXPECT_EQ(loaded.Serialize(), bytes);
  EXPECT_EQ(loaded.domain().names(), domain.names());
  EXPECT_EQ(loaded.cliques(), model.cliques());
  EXPECT_EQ(loaded.total(), 1234.0);
  for (const Clique& query : QueryCliques()) EXPECT_EQ(loaded.Marginal(query).value(), model.Marginal(query).value());
  std::vector<std::uint32_t> original_row(5);
  std::vector<std::uint32_t> loaded_row(5);
  for (std::uint64_t row = 0; row < 1000; ++row) {
    RandomStream original_stream(3, "sample", row);
    RandomStream loaded_stream(3, "sample", row);
    model.SampleRow(original_stream, original_row);
    loaded.SampleRow(loaded_stream, loaded_row);
    ASSERT_EQ(original_row, loaded_row);
  }
}

TEST(GraphicalModel, DeserializeRejectsEveryCorruption) {
  const Domain domain = FiveAttributes();
  GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  Randomize(model, 6, 10.0);
  const std::string bytes = model.Serialize();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    Result<GraphicalModel> truncated = GraphicalModel::Deserialize(bytes.substr(0, length));
    ASSERT_FALSE(truncated.ok()) << "length " << length;
    EXPECT_EQ(truncated.status().code(), ErrorCode::kInvalidData);
  }
  for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
    std::string corrupt = bytes;
    corrupt[pos] = static_cast<char>(corrupt[pos] ^ 0x10);
    Result<GraphicalModel> loaded = GraphicalModel::Deserialize(corrupt);
    ASSERT_FALSE(loaded.ok()) << "byte " << pos;
    EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidData);
  }
  Result<GraphicalModel> trailing = GraphicalModel::Deserialize(bytes + "x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.status().code(), ErrorCode::kInvalidData);
  Result<GraphicalModel> foreign = GraphicalModel::Deserialize("SSMODEL\n and then some other bytes to be long enough");
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("magic"), std::string::npos);
}

// Re-sign a modified body so the checksum passes and the structural checks are reached.
std::string Resign(std::string body) {
  const Sha256Digest digest = Sha256(std::string_view(body));
  body.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return body;
}

TEST(GraphicalModel, DeserializeRejectsInconsistentContentsWithValidChecksum) {
  const Domain domain({"a", "b"}, {2, 3});
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}}, kNoCap).value();
  const std::string body = model.Serialize().substr(0, model.Serialize().size() - 32);
  // Layout: magic 8, version 4, count 4, (size 4, length 4, name 1) x 2, clique count 4,
  // clique length 4, attributes 4 x 2, total 8, value count 8, 6 doubles.
  const std::size_t version_pos = 8;
  const std::size_t clique_attribute_pos = 8 + 4 + 4 + 9 + 9 + 4 + 4;
  const std::size_t total_pos = clique_attribute_pos + 8;
  const std::size_t first_value_pos = total_pos + 16;
  ASSERT_EQ(first_value_pos + 6 * 8, body.size());

  std::string version = body;
  version[version_pos] = 2;
  Result<GraphicalModel> bad_version = GraphicalModel::Deserialize(Resign(version));
  ASSERT_FALSE(bad_version.ok());
  EXPECT_NE(bad_version.status().message().find("version 2"), std::string::npos);

  std::string unsorted = body;
  unsorted[clique_attribute_pos] = 1;
  unsorted[clique_attribute_pos + 4] = 0;
  Result<GraphicalModel> bad_clique = GraphicalModel::Deserialize(Resign(unsorted));
  ASSERT_FALSE(bad_clique.ok());
  EXPECT_EQ(bad_clique.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(bad_clique.status().message().find("structure is invalid"), std::string::npos);

  std::string nan_total = body;
  for (std::size_t byte = 0; byte < 8; ++byte) nan_total[total_pos + byte] = '\xff';
  Result<GraphicalModel> bad_total = GraphicalModel::Deserialize(Resign(nan_total));
  ASSERT_FALSE(bad_total.ok());
  EXPECT_NE(bad_total.status().message().find("total"), std::string::npos);

  std::string infinite_value = body;
  const char inf_bytes[8] = {0, 0, 0, 0, 0, 0, '\xf0', '\x7f'};
  for (std::size_t byte = 0; byte < 8; ++byte) infinite_value[first_value_pos + byte] = inf_bytes[byte];
  Result<GraphicalModel> bad_value = GraphicalModel::Deserialize(Resign(infinite_value));
  ASSERT_FALSE(bad_value.ok());
  EXPECT_NE(bad_value.status().message().find("non-finite"), std::string::npos);

  Result<GraphicalModel> short_values = GraphicalModel::Deserialize(Resign(body.substr(0, body.size() - 8)));
  ASSERT_FALSE(short_values.ok());
  EXPECT_EQ(short_values.status().code(), ErrorCode::kInvalidData);
}

TEST(GraphicalModel, CalibrateRejectsMismatchedPotentials) {
  const Domain domain = FiveAttributes();
  const GraphicalModel model = GraphicalModel::Create(domain, {{0, 1}, {1, 2}}, kNoCap).value();
  Result<CalibratedBeliefs> missing = Calibrate(model.tree(), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("one potential per tree clique"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
