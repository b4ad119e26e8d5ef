// The test helpers themselves: a wrong p-value would make every statistical test toothless.
#include "statistics.h"

#include <gtest/gtest.h>

namespace synthscale::testing {
namespace {

TEST(TestStatistics, ChiSquarePValueMatchesMpmath) {
  // mpmath 1.3.0, 30 digits: mp.gammainc(df/2, x/2, mp.inf, regularized=True).
  EXPECT_NEAR(ChiSquarePValue(30, 10) / 0.00085664121077530039211, 1.0, 1e-9);
  EXPECT_NEAR(ChiSquarePValue(3, 5) / 0.6999858358786275091, 1.0, 1e-9);
  EXPECT_NEAR(ChiSquarePValue(100, 60) / 0.00091682886145607987385, 1.0, 1e-9);
  EXPECT_NEAR(ChiSquarePValue(150, 100) / 0.00090393204235400908576, 1.0, 1e-9);
  EXPECT_NEAR(ChiSquarePValue(500, 400) / 0.00048221275959343373909, 1.0, 1e-9);
  EXPECT_NEAR(ChiSquarePValue(12.5, 1) / 0.00040695201744495893956, 1.0, 1e-9);
}

TEST(TestStatistics, ChiSquareTestPoolsSmallBinsAndDetectsAShift) {
  const std::vector<double> expected = {0.25, 0.25, 0.25, 0.25 - 1e-9, 1e-9};
  const std::vector<std::uint64_t> fair = {2500, 2500, 2500, 2500, 0};
  const ChiSquareResult fair_result = ChiSquareTest(expected, fair);
  EXPECT_EQ(fair_result.pooled_bins, 4);
  EXPECT_NEAR(fair_result.p_value, 1.0, 1e-9);
  const std::vector<std::uint64_t> shifted = {2700, 2500, 2500, 2300, 0};
  EXPECT_LT(ChiSquareTest(expected, shifted).p_value, 1e-6);
}

TEST(TestStatistics, BinomialBoundsBracketTheEstimate) {
  const double lower = BinomialLowerBound(300, 1000, 1e-6);
  const double upper = BinomialUpperBound(300, 1000, 1e-6);
  EXPECT_LT(lower, 0.3);
  EXPECT_GT(upper, 0.3);
  // Chernoff bounds are a little wider than the normal approximation (z = 4.9 at 1e-6).
  EXPECT_LT(lower, 0.3 - 4.9 * std::sqrt(0.3 * 0.7 / 1000));
  EXPECT_GT(lower, 0.3 - 8 * std::sqrt(0.3 * 0.7 / 1000));
  EXPECT_EQ(BinomialLowerBound(0, 1000, 1e-6), 0.0);
  EXPECT_EQ(BinomialUpperBound(1000, 1000, 1e-6), 1.0);
}

}  // namespace
}  // namespace synthscale::testing
