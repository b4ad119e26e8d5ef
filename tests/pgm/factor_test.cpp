#include "synthscale/pgm/factor.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "pgm_test_util.h"
#include "synthscale/core/random_stream.h"

namespace synthscale {
namespace {

using pgm_test::CellOf;
using pgm_test::ForEachAssignment;

// Sizes 2, 3, 4, 1, 5: the size-1 attribute exercises dimension dropping.
Domain TestDomain() { return Domain({"a", "b", "c", "d", "e"}, {2, 3, 4, 1, 5}); }

Factor RandomFactor(const Domain& domain, const Clique& clique, std::uint64_t index, double low, double high) {
  RandomStream stream(7, "factor-test", index);
  const std::uint64_t cells = domain.CellCount(clique).value();
  return Factor::FromValues(domain, clique, pgm_test::RandomValues(cells, stream, low, high)).value();
}

// Domain restricted to the factor's clique, so ForEachAssignment walks its cells.
std::vector<std::vector<std::uint32_t>> AssignmentsOf(const Domain& domain, const Clique& clique) {
  std::vector<std::vector<std::uint32_t>> result;
  ForEachAssignment(domain, [&](const std::vector<std::uint32_t>& values) {
    for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) {
      if (values[attribute] != 0 && !std::binary_search(clique.begin(), clique.end(), attribute)) return;
    }
    result.push_back(values);
  });
  return result;
}

TEST(Factor, CreateFillsEveryCell) {
  const Domain domain = TestDomain();
  const Factor factor = Factor::Create(domain, {0, 2}, 1.5).value();
  EXPECT_EQ(factor.num_cells(), 8u);
  EXPECT_EQ(factor.sizes(), (std::vector<std::uint32_t>{2, 4}));
  for (double value : factor.values()) EXPECT_EQ(value, 1.5);
}

TEST(Factor, DefaultIsEmptyCliqueWithLogOne) {
  const Factor factor;
  EXPECT_TRUE(factor.clique().empty());
  ASSERT_EQ(factor.num_cells(), 1u);
  EXPECT_EQ(factor.values()[0], 0.0);
}

TEST(Factor, RejectsBadCliquesAndValueCounts) {
  const Domain domain = TestDomain();
  Result<Factor> unsorted = Factor::Create(domain, {2, 0});
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unsorted.status().message().find("ascending"), std::string::npos);
  EXPECT_FALSE(Factor::Create(domain, {1, 1}).ok());
  Result<Factor> out_of_range = Factor::Create(domain, {5});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.status().message().find("below 5"), std::string::npos);
  Result<Factor> wrong_count = Factor::FromValues(domain, {0, 1}, std::vector<double>(5, 0.0));
  ASSERT_FALSE(wrong_count.ok());
  EXPECT_NE(wrong_count.status().message().find("needs 6 values, got 5"), std::string::npos);
  const Domain huge({"x", "y", "z"}, {1u << 31, 1u << 31, 4});
  Result<Factor> too_big = Factor::Create(huge, {0, 1, 2});
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("too many cells"), std::string::npos);
}

TEST(Factor, AddBroadcastsSubClique) {
  const Domain domain = TestDomain();
  const Clique outer = {0, 1, 2, 3, 4};
  for (const Clique& inner : std::vector<Clique>{{}, {0}, {2}, {4}, {0, 2}, {1, 4}, {1, 2, 4}, {0, 1, 2, 3, 4}}) {
    Factor sum = RandomFactor(domain, outer, 1, -3, 3);
    const Factor original = sum;
    const Factor other = RandomFactor(domain, inner, 2, -3, 3);
    ASSERT_TRUE(sum.Add(other).ok());
    Factor difference = original;
    ASSERT_TRUE(difference.Subtract(other).ok());
    for (const auto& values : AssignmentsOf(domain, outer)) {
      const std::uint64_t cell = CellOf(domain, outer, values);
      const double expected_other = other.values()[CellOf(domain, inner, values)];
      EXPECT_EQ(sum.values()[cell], original.values()[cell] + expected_other);
      EXPECT_EQ(difference.values()[cell], original.values()[cell] - expected_other);
    }
  }
}

TEST(Factor, MultiplyBroadcastsSubClique) {
  const Domain domain = TestDomain();
  // A last attribute of 2 values between others: many short runs per block.
  const Domain wide({"a", "b", "c"}, {7, 2, 5});
  for (const Clique& sub : std::vector<Clique>{{0}, {1}, {2}, {0, 2}, {1, 2}, {0, 1, 2}, {}}) {
    Factor outer = RandomFactor(wide, {0, 1, 2}, 1, 0.5, 2.0);
    const Factor original = outer;
    const Factor other = RandomFactor(wide, sub, 2, 0.5, 2.0);
    ASSERT_TRUE(outer.Multiply(other).ok());
    const auto outer_cells = AssignmentsOf(wide, {0, 1, 2});
    for (std::size_t cell = 0; cell < outer_cells.size(); ++cell) {
      const double expected = original.values()[cell] * other.values()[CellOf(wide, sub, outer_cells[cell])];
      EXPECT_DOUBLE_EQ(outer.values()[cell], expected) << cell;
    }
  }
  Factor small = RandomFactor(domain, {0}, 3, 0.0, 1.0);
  EXPECT_EQ(small.Multiply(RandomFactor(domain, {1}, 4, 0.0, 1.0)).code(), ErrorCode::kInvalidArgument);
}

TEST(Factor, AddRejectsNonSubset) {
  const Domain domain = TestDomain();
  Factor factor = Factor::Create(domain, {0, 1}).value();
  const Status status = factor.Add(Factor::Create(domain, {1, 2}).value());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("not a subset"), std::string::npos);
}

TEST(Factor, LogSumExpAndSumMatchDirectComputation) {
  const Domain domain = TestDomain();
  const Clique outer = {0, 1, 2, 4};
  // Values near +-700: exp overflows or underflows without the per-group shift.
  for (double offset : {0.0, 700.0, -700.0}) {
    const Factor factor = RandomFactor(domain, outer, 3, offset - 2, offset + 2);
    for (const Clique& onto : std::vector<Clique>{{}, {0}, {1}, {4}, {0, 2}, {1, 4}, {0, 1, 2, 4}}) {
      const Factor lse = factor.LogSumExp(onto).value();
      const Factor sum = factor.Sum(onto).value();
      ASSERT_EQ(lse.clique(), onto);
      std::vector<double> direct_exp(domain.CellCount(onto).value(), 0.0);
      std::vector<double> direct_sum(direct_exp.size(), 0.0);
      for (const auto& values : AssignmentsOf(domain, outer)) {
        const double value = factor.values()[CellOf(domain, outer, values)];
        direct_exp[CellOf(domain, onto, values)] += std::exp(value - offset);
        direct_sum[CellOf(domain, onto, values)] += value;
      }
      for (std::size_t cell = 0; cell < direct_exp.size(); ++cell) {
        EXPECT_NEAR(lse.values()[cell], std::log(direct_exp[cell]) + offset, 1e-12 * std::max(1.0, std::abs(offset)));
        EXPECT_NEAR(sum.values()[cell], direct_sum[cell], 1e-9 * std::max(1.0, std::abs(offset)));
      }
    }
  }
}

TEST(Factor, LogSumExpOfAllNegativeInfinityGroupIsNegativeInfinity) {
  const Domain domain = TestDomain();
  const double inf = std::numeric_limits<double>::infinity();
  // Cells (a=0, b) are -inf, cells (a=1, b) finite.
  const Factor factor = Factor::FromValues(domain, {0, 1}, {-inf, -inf, -inf, 0.0, std::log(2.0), 1.0}).value();
  const Factor onto_a = factor.LogSumExp({0}).value();
  EXPECT_EQ(onto_a.values()[0], -inf);
  EXPECT_NEAR(onto_a.values()[1], std::log(1.0 + 2.0 + std::exp(1.0)), 1e-12);
  const Factor onto_b = factor.LogSumExp({1}).value();
  EXPECT_NEAR(onto_b.values()[1], std::log(2.0), 1e-12);
  EXPECT_FALSE(std::isnan(factor.LogSumExpAll()));
}

TEST(Factor, LogSumExpRejectsNonSubset) {
  const Domain domain = TestDomain();
  const Factor factor = Factor::Create(domain, {0, 1}).value();
  Result<Factor> result = factor.LogSumExp({2});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not a sorted subset"), std::string::npos);
  EXPECT_FALSE(factor.Sum({1, 0}).ok());
}

TEST(Factor, ExpandBroadcastsOntoSuperClique) {
  const Domain domain = TestDomain();
  const Factor factor = RandomFactor(domain, {1, 4}, 4, -1, 1);
  const Clique super = {0, 1, 2, 4};
  const Factor expanded = factor.Expand(domain, super).value();
  ASSERT_EQ(expanded.clique(), super);
  for (const auto& values : AssignmentsOf(domain, super)) {
    EXPECT_EQ(expanded.values()[CellOf(domain, super, values)], factor.values()[CellOf(domain, {1, 4}, values)]);
  }
  Result<Factor> not_super = factor.Expand(domain, {0, 1});
  ASSERT_FALSE(not_super.ok());
  EXPECT_NE(not_super.status().message().find("not a superset"), std::string::npos);
}

TEST(Factor, NormalizeMakesLogSumExpZeroAndExpSumsToScale) {
  const Domain domain = TestDomain();
  Factor factor = RandomFactor(domain, {0, 1, 2}, 5, 100, 110);
  factor.Normalize();
  EXPECT_NEAR(factor.LogSumExpAll(), 0.0, 1e-12);
  double total = 0.0;
  for (double value : factor.Exp(250.0)) total += value;
  EXPECT_NEAR(total, 250.0, 1e-9);
  factor.Normalize(std::log(3.0));
  EXPECT_NEAR(factor.LogSumExpAll(), std::log(3.0), 1e-12);
}

TEST(Factor, SubCliqueStridesSkipMissingAttributes) {
  const std::vector<std::uint32_t> sizes = {2, 3, 4};
  EXPECT_EQ(SubCliqueStrides({0, 1, 2}, sizes, {0, 2}), (std::vector<std::uint64_t>{4, 0, 1}));
  EXPECT_EQ(SubCliqueStrides({0, 1, 2}, sizes, {0, 1, 2}), (std::vector<std::uint64_t>{12, 4, 1}));
  EXPECT_EQ(SubCliqueStrides({0, 1, 2}, sizes, {}), (std::vector<std::uint64_t>{0, 0, 0}));
}

}  // namespace
}  // namespace synthscale
