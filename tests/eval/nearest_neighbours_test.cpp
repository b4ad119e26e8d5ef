#include "synthscale/eval/nearest_neighbours.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <cstdlib>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "eval_privacy_test_util.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

// The documented distance, computed independently in double precision.
double BruteDistance(const EvalInputs& inputs, const DistanceSpec& spec, const EvalTable& a,
                     std::size_t row_a, const EvalTable& b, std::size_t row_b) {
  double sum = 0.0;
  for (std::size_t e = 0; e < spec.columns.size(); ++e) {
    const std::size_t c = spec.columns[e];
    if (inputs.columns[c].numeric) {
      const double x = a.numeric[c][row_a];
      const double y = b.numeric[c][row_b];
      if (std::isnan(x) && std::isnan(y)) continue;
      if (std::isnan(x) || std::isnan(y)) {
        sum += 1.0;
        continue;
      }
      sum += std::min(std::abs(x - y) / spec.range[e], 1.0);
    } else {
      sum += a.codes[c][row_a] == b.codes[c][row_b] ? 0.0 : 1.0;
    }
  }
  return sum / static_cast<double>(spec.columns.size());
}

std::vector<std::size_t> AllColumns(const EvalInputs& inputs) {
  std::vector<std::size_t> columns(inputs.columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = c;
  return columns;
}

TEST(NearestNeighbours, HandComputedMixedDistance) {
  // Columns: x numeric, colour categorical (3 codes). Real x spans [0, 10] → range 10.
  const std::vector<TinyColumn> columns = {{"x", true, 11}, {"colour", false, 3}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EvalInputs inputs = MakeInputs(columns, {{0, 0}, {10, 1}, {4, 2}, {nan, 0}}, {},
                                 {{5, 2}, {nan, 0}, {40, 1}});
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  ASSERT_DOUBLE_EQ(spec.range[0], 10.0);
  const NeighbourRows query = EncodeNeighbourRows(spec, inputs.synthetic);
  const NeighbourRows reference = EncodeNeighbourRows(spec, inputs.real);
  Context ctx(2);
  auto result = NearestNeighbours(query, reference, 2, ctx);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Query (5, c2): to (0,c0) = (0.5 + 1)/2 = 0.75; (10,c1) = (0.5+1)/2 = 0.75;
  //   (4,c2) = (0.1 + 0)/2 = 0.05; (nan,c0) = (1+1)/2 = 1.  → [2: 0.05, 0: 0.75 (ties 1)]
  EXPECT_EQ(result->Index(0, 0), 2U);
  EXPECT_NEAR(result->Distance(0, 0), 0.05, 1e-6);
  EXPECT_EQ(result->Index(0, 1), 0U);
  EXPECT_NEAR(result->Distance(0, 1), 0.75, 1e-6);
  // Query (nan, c0): to (nan,c0) = 0; to (0,c0) = (1 + 0)/2 = 0.5.
  EXPECT_EQ(result->Index(1, 0), 3U);
  EXPECT_DOUBLE_EQ(result->Distance(1, 0), 0.0);
  EXPECT_EQ(result->Index(1, 1), 0U);
  EXPECT_NEAR(result->Distance(1, 1), 0.5, 1e-6);
  // Query (40, c1): numeric term clipped at 1 for every row; to (10,c1) = (1 + 0)/2 = 0.5.
  EXPECT_EQ(result->Index(2, 0), 1U);
  EXPECT_NEAR(result->Distance(2, 0), 0.5, 1e-6);
}

TEST(NearestNeighbours, MatchesBruteForceOnRandomTables) {
  for (std::uint64_t trial = 0; trial < 6; ++trial) {
    RandomStream stream(trial, "nn brute force", 0);
    const std::size_t num_numeric = 1 + trial % 3;
    const std::size_t num_categorical = trial % 4;
    std::vector<TinyColumn> columns;
    for (std::size_t c = 0; c < num_numeric; ++c) columns.push_back({"n" + std::to_string(c), true, 5});
    // Odd trials add a categorical column with more than 256 codes (the float path).
    for (std::size_t c = 0; c < num_categorical; ++c) columns.push_back({"c" + std::to_string(c), false, 4});
    if (trial % 2 == 1) columns.push_back({"wide", false, 300});
    auto random_rows = [&](std::size_t n) {
      std::vector<std::vector<double>> rows(n);
      for (auto& row : rows) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
          if (columns[c].numeric) {
            // Few distinct values so that ties occur; some missing.
            const auto draw = stream.UniformBelow(12);
            row.push_back(draw == 11 ? std::numeric_limits<double>::quiet_NaN()
                                     : static_cast<double>(draw) * 0.5 - 1.0);
          } else {
            const auto code = stream.UniformBelow(4);
            row.push_back(static_cast<double>(columns[c].domain_size > 256 ? code * 99 : code));
          }
        }
      }
      return rows;
    };
    // Sizes straddle the tile (2048), block (256) and lane (8) boundaries.
    const std::size_t n_query = 1 + stream.UniformBelow(600);
    const std::size_t n_reference = 1 + stream.UniformBelow(3000);
    EvalInputs inputs = MakeInputs(columns, random_rows(n_reference), {}, random_rows(n_query));
    const std::vector<std::size_t> all = AllColumns(inputs);
    const DistanceSpec spec = MakeDistanceSpec(inputs, all);
    Context ctx(2);
    const std::size_t k = 1 + trial % 3;
    auto result = NearestNeighbours(EncodeNeighbourRows(spec, inputs.synthetic),
                                    EncodeNeighbourRows(spec, inputs.real), k, ctx);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::pair<double, std::uint32_t>> brute(n_reference);
    for (std::size_t q = 0; q < n_query; ++q) {
      for (std::size_t r = 0; r < n_reference; ++r) {
        brute[r] = {BruteDistance(inputs, spec, inputs.synthetic, q, inputs.real, r),
                    static_cast<std::uint32_t>(r)};
      }
      std::sort(brute.begin(), brute.end());
      for (std::size_t rank = 0; rank < k; ++rank) {
        if (rank >= n_reference) {
          EXPECT_EQ(result->Index(q, rank), Neighbours::kNone);
          EXPECT_TRUE(std::isinf(result->Distance(q, rank)));
          continue;
        }
        ASSERT_NEAR(result->Distance(q, rank), brute[rank].first, 1e-5)
            << "trial " << trial << " query " << q << " rank " << rank;
        // The reported row must be at the reported distance (float rounding can reorder
        // rows whose exact distances differ by < 1e-6, so compare distances, not ids).
        const std::uint32_t got = result->Index(q, rank);
        ASSERT_NEAR(BruteDistance(inputs, spec, inputs.synthetic, q, inputs.real, got),
                    brute[rank].first, 1e-5);
      }
    }
  }
}

TEST(NearestNeighbours, ManyCategoricalColumnsSpillToTheFloatPath) {
  // 130 two-code columns: 127 are byte-coded (an int8 match count), 3 take the float path.
  // Brute force: the distance is the share of differing codes.
  std::vector<TinyColumn> columns;
  for (std::size_t c = 0; c < 130; ++c) columns.push_back({"c" + std::to_string(c), false, 2});
  RandomStream stream(3, "nn many columns", 0);
  auto rows = [&](std::size_t n) {
    std::vector<std::vector<double>> out(n, std::vector<double>(columns.size()));
    for (auto& row : out) {
      for (auto& value : row) value = static_cast<double>(stream.UniformBelow(2));
    }
    return out;
  };
  EvalInputs inputs = MakeInputs(columns, rows(70), {}, rows(20));
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  const NeighbourRows reference = EncodeNeighbourRows(spec, inputs.real);
  EXPECT_EQ(reference.num_byte_columns, 127U);
  EXPECT_EQ(reference.num_float_columns, 3U);
  Context ctx(2);
  auto result = NearestNeighbours(EncodeNeighbourRows(spec, inputs.synthetic), reference, 1, ctx);
  ASSERT_TRUE(result.ok());
  for (std::size_t q = 0; q < 20; ++q) {
    double best = 2.0;
    std::uint32_t best_row = 0;
    for (std::uint32_t r = 0; r < 70; ++r) {
      const double d = BruteDistance(inputs, spec, inputs.synthetic, q, inputs.real, r);
      if (d < best) {
        best = d;
        best_row = r;
      }
    }
    // Sums of 0/1 terms are exact, so even the tie-break must agree.
    EXPECT_EQ(result->Index(q, 0), best_row);
    EXPECT_NEAR(result->Distance(q, 0), best, 1e-6);
  }
}

TEST(NearestNeighbours, CategoricalTiesGoToLowestIndex) {
  // Categorical sums are exact small integers, so ties are exact: reference rows 1, 3, 4
  // all match the query on 1 of 2 columns (distance 0.5); rows 0 and 2 on none.
  const std::vector<TinyColumn> columns = {{"a", false, 3}, {"b", false, 3}};
  EvalInputs inputs = MakeInputs(columns, {{2, 2}, {0, 2}, {2, 0}, {0, 1}, {1, 1}}, {}, {{0, 1}});
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  Context ctx(1);
  auto result = NearestNeighbours(EncodeNeighbourRows(spec, inputs.synthetic),
                                  EncodeNeighbourRows(spec, inputs.real), 3, ctx);
  ASSERT_TRUE(result.ok());
  // Row 3 = (0,1) is an exact match (0); then rows 1 (0,2) and 4 (1,1) at 0.5.
  EXPECT_EQ(result->Index(0, 0), 3U);
  EXPECT_EQ(result->Index(0, 1), 1U);
  EXPECT_EQ(result->Index(0, 2), 4U);
  EXPECT_DOUBLE_EQ(result->Distance(0, 2), 0.5);
}

TEST(NearestNeighbours, SameBitsForAnyThreadCount) {
  EvalInputs inputs = testing_privacy::AdultSplit(Context(2), testing_privacy::SyntheticKind::kColumnShuffles);
  std::vector<std::uint32_t> rows = testing_privacy::Permutation(inputs.synthetic.num_rows, 1, "nn threads");
  rows.resize(700);
  inputs.synthetic = testing_privacy::SubsetRows(inputs.synthetic, rows);
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  const NeighbourRows query = EncodeNeighbourRows(spec, inputs.synthetic);
  const NeighbourRows reference = EncodeNeighbourRows(spec, inputs.real);
  Context one(1);
  Context four(4);
  auto a = NearestNeighbours(query, reference, 2, one);
  auto b = NearestNeighbours(query, reference, 2, four);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->index, b->index);
  EXPECT_EQ(0, std::memcmp(a->distance.data(), b->distance.data(), a->distance.size() * sizeof(float)));
}

TEST(NearestNeighbours, RejectsBadArguments) {
  const std::vector<TinyColumn> columns = {{"a", false, 3}};
  EvalInputs inputs = MakeInputs(columns, {{0}}, {}, {{1}});
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  const NeighbourRows rows = EncodeNeighbourRows(spec, inputs.real);
  Context ctx(1);
  auto bad_k = NearestNeighbours(rows, rows, 0, ctx);
  ASSERT_FALSE(bad_k.ok());
  EXPECT_NE(bad_k.status().message().find("k must be in [1, 8]"), std::string::npos);
  NeighbourRows empty = rows;
  empty.num_rows = 0;
  auto no_reference = NearestNeighbours(rows, empty, 1, ctx);
  ASSERT_FALSE(no_reference.ok());
  EXPECT_NE(no_reference.status().message().find("no rows"), std::string::npos);
  NeighbourRows other = rows;
  other.num_columns = 2;
  auto mismatch = NearestNeighbours(rows, other, 1, ctx);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("same non-empty set of columns"), std::string::npos);
}

// Throughput measurement (run with --gtest_also_run_disabled_tests): 10^5 × 10^5 rows,
// 15 columns like Adult. Reported through RecordProperty and stdout of gtest.
TEST(NearestNeighbours, DISABLED_Throughput100k) {
  const std::size_t n = 100000;
  std::vector<TinyColumn> columns;
  for (std::size_t c = 0; c < 6; ++c) columns.push_back({"n" + std::to_string(c), true, 10});
  for (std::size_t c = 0; c < 9; ++c) columns.push_back({"c" + std::to_string(c), false, 10});
  RandomStream stream(1, "nn throughput", 0);
  std::vector<std::vector<double>> a(n, std::vector<double>(columns.size()));
  std::vector<std::vector<double>> b(n, std::vector<double>(columns.size()));
  for (auto* rows : {&a, &b}) {
    for (auto& row : *rows) {
      for (std::size_t c = 0; c < columns.size(); ++c) {
        row[c] = c < 6 ? stream.UniformDouble() * 100.0 : static_cast<double>(stream.UniformBelow(10));
      }
    }
  }
  EvalInputs inputs = MakeInputs(columns, a, {}, b);
  const std::vector<std::size_t> all = AllColumns(inputs);
  const DistanceSpec spec = MakeDistanceSpec(inputs, all);
  const NeighbourRows query = EncodeNeighbourRows(spec, inputs.synthetic);
  const NeighbourRows reference = EncodeNeighbourRows(spec, inputs.real);
  const char* threads = std::getenv("SYNTHSCALE_BENCH_THREADS");
  Context ctx(threads == nullptr ? 0 : std::strtoul(threads, nullptr, 10));
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  auto result = NearestNeighbours(query, reference, 2, ctx);
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.ok());
  const double pairs = static_cast<double>(n) * static_cast<double>(n);
  RecordProperty("seconds", std::to_string(seconds));
  std::printf("10^5 x 10^5 x 15 columns, k=2, %zu threads: %.2f s wall, %.2f s CPU, %.3g pairs/s; "
              "10^6 x 10^6 -> %.0f s wall, %.0f s CPU\n",
              ctx.threads(), seconds, cpu_seconds, pairs / seconds, seconds * 100.0, cpu_seconds * 100.0);
}

}  // namespace
}  // namespace synthscale::eval
