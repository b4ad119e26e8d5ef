#include "synthscale/pgm/exp_kernels.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// Distance in units in the last place between two positive finite doubles.
std::int64_t UlpDistance(double a, double b) {
  return std::abs(std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b));
}

TEST(ExpFastTest, WithinFourUlpsOfLibmOverTheWholeRange) {
  std::mt19937_64 engine(7);
  std::uniform_real_distribution<double> uniform(-708.0, 709.7);
  std::int64_t worst = 0;
  for (int draw = 0; draw < 1000000; ++draw) {
    const double x = uniform(engine);
    worst = std::max(worst, UlpDistance(ExpFast(x), std::exp(x)));
  }
  // Log-space inference mostly sees x in [-40, 0]: sample it densely as well.
  std::uniform_real_distribution<double> near_zero(-40.0, 0.0);
  for (int draw = 0; draw < 1000000; ++draw) {
    const double x = near_zero(engine);
    worst = std::max(worst, UlpDistance(ExpFast(x), std::exp(x)));
  }
  EXPECT_LE(worst, 4);
}

TEST(ExpFastTest, ExactAndSpecialValues) {
  EXPECT_EQ(ExpFast(0.0), 1.0);
  EXPECT_EQ(ExpFast(-0.0), 1.0);
  EXPECT_EQ(ExpFast(-std::numeric_limits<double>::infinity()), 0.0);
  EXPECT_EQ(ExpFast(-709.0), 0.0);  // flushed: below the normal range's exp
  EXPECT_EQ(ExpFast(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
  EXPECT_EQ(ExpFast(710.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(ExpFast(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_LE(UlpDistance(ExpFast(709.7), std::exp(709.7)), 4);
  EXPECT_LE(UlpDistance(ExpFast(-707.9), std::exp(-707.9)), 4);
  EXPECT_LE(UlpDistance(ExpFast(1.0), std::exp(1.0)), 1);
}

TEST(ExpKernelsTest, SumExpShiftedMatchesLongDoubleReference) {
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 100u, 1001u}) {
    std::vector<double> values(n);
    for (std::size_t idx = 0; idx < n; ++idx) values[idx] = -0.37 * static_cast<double>(idx % 53) + 2.0;
    long double reference = 0.0L;
    for (double value : values) reference += std::exp(static_cast<long double>(value) - 2.0L);
    const double sum = SumExpShifted(values.data(), n, 2.0);
    EXPECT_NEAR(sum, static_cast<double>(reference), 1e-14 * (1.0 + static_cast<double>(reference))) << n;
  }
}

TEST(ExpKernelsTest, SumExpShiftedUsesItsDocumentedOrder) {
  // 10 values: lanes 0 and 1 get two terms each, the others one; combined pairwise.
  std::vector<double> values = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -1.0};
  double lanes[8];
  for (std::size_t lane = 0; lane < 8; ++lane) lanes[lane] = 0.0 + ExpFast(values[lane] - 0.5);
  lanes[0] += ExpFast(values[8] - 0.5);
  lanes[1] += ExpFast(values[9] - 0.5);
  const double expected = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  EXPECT_EQ(SumExpShifted(values.data(), values.size(), 0.5), expected);
}

TEST(ExpKernelsTest, ElementwiseKernelsAndMax) {
  std::vector<double> values = {0.0, -1.0, 2.0, -std::numeric_limits<double>::infinity(), 0.5};
  std::vector<double> shifts = {0.0, 1.0, 2.0, 0.0, -0.5};
  std::vector<double> out(values.size(), 1.0);
  AddExpShifted(out.data(), values.data(), shifts.data(), values.size());
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    EXPECT_DOUBLE_EQ(out[idx], 1.0 + std::exp(values[idx] - shifts[idx])) << idx;
  }
  std::vector<double> scaled(values.size());
  ExpScaled(scaled.data(), values.data(), values.size(), 3.0);
  for (std::size_t idx = 0; idx < values.size(); ++idx) EXPECT_DOUBLE_EQ(scaled[idx], 3.0 * std::exp(values[idx]));
  EXPECT_EQ(MaxOf(values.data(), values.size(), -std::numeric_limits<double>::infinity()), 2.0);
  EXPECT_EQ(MaxOf(values.data(), 0, -5.0), -5.0);
  std::vector<double> long_values(37);
  for (std::size_t idx = 0; idx < long_values.size(); ++idx) long_values[idx] = -std::abs(static_cast<double>(idx) - 20.0);
  EXPECT_EQ(MaxOf(long_values.data(), long_values.size(), -100.0), 0.0);
}

}  // namespace
}  // namespace synthscale
